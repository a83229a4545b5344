//! An application server for upload callbacks, as tests need one: it verifies each callback's
//! RSA signature with the public key named by `x-oss-pub-key-url` (fetched from the emulator)
//! and records what it received. A verified callback gets 200 with a JSON reply naming the
//! object; anything else gets 403.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::loopback::LoopbackServer;

#[derive(Debug, Clone)]
pub struct Received {
    pub request_target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub verified: bool,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The form body's fields, URL-decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        ossffi::encoding::parse_query(&self.body_text())
    }
}

pub struct Receiver {
    server: LoopbackServer,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let server = {
            let received = Arc::clone(&received);
            LoopbackServer::start(move |stream| serve(stream, &received))
        };
        Receiver { server, received }
    }

    /// The callback URL, with a query so the signature covers one.
    pub fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/oss/callback?from=ossffi-test",
            self.server.port()
        )
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// A request as read off the wire: target, headers, body.
pub type RawRequest = (String, Vec<(String, String)>, Vec<u8>);

/// Reads one request: its head and as much body as its Content-Length says; `None` when the
/// connection ends first or stalls for 10 s.
pub fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let target = request_line.split(' ').nth(1)?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((target, headers, body))
}

/// Fetches a PEM with a plain GET (the emulator serves its key over loopback HTTP).
fn fetch_key(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = rest.split_at(rest.find('/')?);
    let mut stream = TcpStream::connect(authority).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200").then(|| body.to_owned())
}

fn verify(target: &str, headers: &[(String, String)], body: &[u8]) -> bool {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let (Some(authorization), Some(key_url)) =
        (header("authorization"), header("x-oss-pub-key-url"))
    else {
        return false;
    };
    let Some(key_url) =
        ossffi::encoding::base64_decode(key_url).and_then(|u| String::from_utf8(u).ok())
    else {
        return false;
    };
    let Some(pem) = fetch_key(&key_url) else {
        return false;
    };
    ossffi::callback::verify_with_key(target, authorization, body, &pem).is_ok()
}

fn serve(mut stream: TcpStream, received: &Mutex<Vec<Received>>) {
    let Some((target, headers, body)) = read_request(&mut stream) else {
        return;
    };
    let verified = verify(&target, &headers, &body);
    let object = ossffi::encoding::parse_query(&String::from_utf8_lossy(&body))
        .into_iter()
        .find(|(k, _)| k == "object")
        .map(|(_, v)| v)
        .unwrap_or_default();
    received.lock().unwrap().push(Received {
        request_target: target,
        headers,
        body,
        verified,
    });
    let (status, reply) = if verified {
        (
            "200 OK",
            format!("{{\"Status\":\"OK\",\"object\":\"{object}\"}}"),
        )
    } else {
        ("403 Forbidden", "{\"Status\":\"Forbidden\"}".to_owned())
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
}
