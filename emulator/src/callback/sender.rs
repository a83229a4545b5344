//! Sending one callback POST and judging the receiver's answer (oss-protocol.md 4.6, 4.8).
//!
//! Written directly over `TcpStream`: the request must be byte-exact (request target as written
//! in `callbackUrl`, `Host` = `callbackHost`), and the whole exchange must fit in one deadline.

use std::io::{self, Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs as _};
use std::time::Instant;

use super::url::{CallbackUrl, Scheme};

/// Largest callback reply accepted. OSS documents both 1 MB and 3 MB; 1 MB is the safe one.
pub const MAX_REPLY_BODY: usize = 1024 * 1024;
/// OSS's `User-Agent` on callback requests.
pub const USER_AGENT: &str = "http-client/0.0.1";

/// OSS's message when the receiver cannot be reached.
pub const CANNOT_CONNECT: &str =
    "Error status : -1. OSS can not connect to your callbackUrl, please check it.";
/// OSS's message when the receiver does not answer in time.
pub const TOO_SLOW: &str = "Cost too long time";
/// OSS's message when the reply is not JSON.
pub const NOT_JSON: &str = "Response body is not valid json format.";
/// OSS's message for a literal private address as callback target.
pub const PRIVATE_ADDRESS: &str = "Private address is forbidden to callback.";

/// The receiver's successful answer: it becomes the body of the upload response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackReply {
    pub body: Vec<u8>,
    /// The receiver's `Content-Type`, `application/json` when it sent none.
    pub content_type: String,
}

/// Everything one POST needs besides the destination.
#[derive(Debug)]
pub struct Post<'a> {
    pub host_header: &'a str,
    pub content_type: &'a str,
    pub body: &'a [u8],
    pub authorization: &'a str,
    pub pub_key_url_b64: &'a str,
}

/// The addresses the emulator may call for `url`, or why it refuses to.
///
/// The emulator runs on developers' machines and CI, so it only calls loopback unless the user
/// names other hosts (`allowed_hosts`, from `--allow-callback-host`): an upload must not make it
/// reach into the network. Literal private addresses get OSS's own refusal message.
pub fn resolve_target(
    url: &CallbackUrl,
    allowed_hosts: &[String],
) -> Result<Vec<SocketAddr>, String> {
    let host = url.host();
    let port = url.port();
    let allowed = is_allowed(url, allowed_hosts);
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(vec![
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port),
        ]);
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        if ip.is_loopback() || allowed {
            return Ok(vec![SocketAddr::new(IpAddr::V4(ip), port)]);
        }
        if is_private(ip) {
            return Err(PRIVATE_ADDRESS.to_owned());
        }
        return Err(not_allowed(host));
    }
    if !allowed {
        return Err(not_allowed(host));
    }
    match (host, port).to_socket_addrs() {
        Ok(addrs) => Ok(addrs.collect()),
        Err(_) => Err(CANNOT_CONNECT.to_owned()),
    }
}

/// Refuses `url` when its host is a literal private IPv4 address that `allowed_hosts` does
/// not name: OSS rejects those before storing the object.
pub fn refuse_private_address(url: &CallbackUrl, allowed_hosts: &[String]) -> Result<(), String> {
    match url.host().parse::<Ipv4Addr>() {
        Ok(ip) if is_private(ip) && !is_allowed(url, allowed_hosts) => {
            Err(PRIVATE_ADDRESS.to_owned())
        }
        _ => Ok(()),
    }
}

fn is_allowed(url: &CallbackUrl, allowed_hosts: &[String]) -> bool {
    allowed_hosts
        .iter()
        .any(|a| a.eq_ignore_ascii_case(url.host()) || a.eq_ignore_ascii_case(&url.host_header()))
}

/// Whether OSS would refuse `ip` as a private (non-routable) callback address.
pub fn is_private(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        // 100.64.0.0/10, carrier-grade NAT.
        || (a == 100 && (64..128).contains(&b))
}

fn not_allowed(host: &str) -> String {
    format!(
        "The emulator only sends callbacks to loopback addresses; \"{host}\" was not named \
         with --allow-callback-host."
    )
}

/// POSTs to `url` at one of `addrs` and judges the answer, all before `deadline`.
pub fn post(
    url: &CallbackUrl,
    addrs: &[SocketAddr],
    post: &Post<'_>,
    deadline: Instant,
) -> Result<CallbackReply, String> {
    if url.scheme() == Scheme::Https {
        return Err(format!(
            "The emulator cannot send callbacks over https ({url}); use an http callbackUrl."
        ));
    }
    check_head_values(url, post)?;
    let mut stream = connect(addrs, deadline)?;
    send_request(&mut stream, url, post, deadline).map_err(|e| io_message(&e, CANNOT_CONNECT))?;
    read_reply(&mut stream, deadline)
}

/// Every value of the request head was validated when the upload arrived; this keeps a
/// missed one from ever reaching the receiver as extra header lines or a second request.
fn check_head_values(url: &CallbackUrl, post: &Post<'_>) -> Result<(), String> {
    let target = url.request_target();
    let values = [
        target.as_str(),
        post.host_header,
        post.content_type,
        post.authorization,
        post.pub_key_url_b64,
    ];
    if values
        .iter()
        .any(|v| v.bytes().any(|b| b.is_ascii_control()))
    {
        return Err(
            "Error status : -1. The callback request would carry control characters in its head; it was not sent."
                .to_owned(),
        );
    }
    Ok(())
}

fn connect(addrs: &[SocketAddr], deadline: Instant) -> Result<TcpStream, String> {
    for addr in addrs {
        let Some(left) = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return Err(TOO_SLOW.to_owned());
        };
        if let Ok(stream) = TcpStream::connect_timeout(addr, left) {
            return Ok(stream);
        }
    }
    Err(CANNOT_CONNECT.to_owned())
}

fn send_request(
    stream: &mut TcpStream,
    url: &CallbackUrl,
    post: &Post<'_>,
    deadline: Instant,
) -> io::Result<()> {
    set_timeouts(stream, deadline)?;
    // Header names and order as in OSS's documented callback request; HTTP/1.0 as OSS sends,
    // which also keeps receivers from answering with a chunked body.
    let head = format!(
        "POST {target} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: {content_type}\r\nContent-Length: {len}\r\nAuthorization: {auth}\r\n\
         x-oss-pub-key-url: {key_url}\r\nUser-Agent: {USER_AGENT}\r\n\r\n",
        target = url.request_target(),
        host = post.host_header,
        content_type = post.content_type,
        len = post.body.len(),
        auth = post.authorization,
        key_url = post.pub_key_url_b64,
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(post.body);
    stream.write_all(&request)?;
    stream.flush()
}

/// Sets socket timeouts to what is left before `deadline` (zero would mean "no timeout").
fn set_timeouts(stream: &TcpStream, deadline: Instant) -> io::Result<()> {
    let left = deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| io::Error::from(io::ErrorKind::TimedOut))?;
    stream.set_read_timeout(Some(left))?;
    stream.set_write_timeout(Some(left))
}

/// A timeout is "Cost too long time"; other I/O errors get `otherwise`.
fn io_message(error: &io::Error, otherwise: &str) -> String {
    match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => TOO_SLOW.to_owned(),
        _ => otherwise.to_owned(),
    }
}

fn read_reply(stream: &mut TcpStream, deadline: Instant) -> Result<CallbackReply, String> {
    let mut received = Vec::new();
    let mut buf = [0u8; 8192];
    let (status, content_length, content_type, head_len) = loop {
        if read_some(stream, &mut buf, &mut received, deadline)? == 0 {
            return Err(CANNOT_CONNECT.to_owned());
        }
        let mut headers = [httparse::EMPTY_HEADER; 128];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&received) {
            Ok(httparse::Status::Complete(head_len)) => {
                let header = |name: &str| {
                    response
                        .headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case(name))
                        .map(|h| String::from_utf8_lossy(h.value).trim().to_owned())
                };
                break (
                    response.code.unwrap_or_default(),
                    header("Content-Length"),
                    header("Content-Type"),
                    head_len,
                );
            }
            Ok(httparse::Status::Partial) if received.len() <= MAX_REPLY_BODY => {}
            _ => {
                return Err(
                    "Error status : -1. The callback server's response is not HTTP.".to_owned(),
                );
            }
        }
    };
    if status != 200 {
        // OSS requires exactly 200; other 2xx fail too.
        return Err(format!("Error status : {status}."));
    }
    // OSS requires a valid Content-Length on the reply (oss-protocol.md 4.8).
    let Some(length) = content_length.and_then(|l| l.parse::<usize>().ok()) else {
        return Err(
            "Error status : 200. The callback server's response has no valid Content-Length."
                .to_owned(),
        );
    };
    if length > MAX_REPLY_BODY {
        return Err(
            "Error status : 400.User server return too long content-length value".to_owned(),
        );
    }
    let mut body = received.split_off(head_len);
    while body.len() < length {
        if read_some(stream, &mut buf, &mut body, deadline)? == 0 {
            return Err(
                "Error status : -1. The callback server closed the connection before sending \
                 its whole body."
                    .to_owned(),
            );
        }
    }
    body.truncate(length);
    if serde_json::from_slice::<serde_json::Value>(&body).is_err() {
        return Err(NOT_JSON.to_owned());
    }
    Ok(CallbackReply {
        body,
        content_type: content_type
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "application/json".to_owned()),
    })
}

/// Reads once into `into` and returns how many bytes came (0 at end of stream).
fn read_some(
    stream: &mut TcpStream,
    buf: &mut [u8],
    into: &mut Vec<u8>,
    deadline: Instant,
) -> Result<usize, String> {
    set_timeouts(stream, deadline).map_err(|e| io_message(&e, CANNOT_CONNECT))?;
    match stream.read(buf) {
        Ok(n) => {
            into.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        Err(e) => Err(io_message(&e, CANNOT_CONNECT)),
    }
}
