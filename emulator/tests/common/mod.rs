//! Test support: start an in-process emulator, sign requests with `ossffi::signing`, speak raw
//! HTTP/1.1 over a TcpStream and read the reply.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ossffi::encoding::uri_encode;
use ossffi::signing::{Credentials, v1, v4};
use ossffi_emulator::{Config, RunningServer, Server};

pub const AK: &str = "LTAI5tTestAccessKey01";
pub const SK: &str = "TestSecretKeyForTheEmulator0001";
pub const BUCKET: &str = "test-bkt";
pub const REGION: &str = "cn-hangzhou";

/// The configuration most tests use: one key, one bucket, short timeouts.
pub fn config() -> Config {
    Config::new(AK, SK)
        .with_bucket(BUCKET)
        .with_body_timeout(Duration::from_millis(1500))
}

pub fn start(config: Config) -> RunningServer {
    Server::start(config).expect("emulator starts")
}

pub fn credentials() -> Credentials {
    Credentials::new(AK, SK)
}

/// A parsed HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The content of `<name>` in the XML body, or in the base64 XML of `x-oss-err` (HEAD).
    pub fn xml(&self, name: &str) -> Option<String> {
        let text = match self.header("x-oss-err") {
            Some(b64) if self.body.is_empty() => String::from_utf8(
                ossffi::encoding::base64_decode(b64).expect("x-oss-err is base64"),
            )
            .unwrap(),
            _ => self.text(),
        };
        let open = format!("<{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&format!("</{name}>"))? + start;
        Some(text[start..end].to_string())
    }

    /// The OSS error code of an XML error body (or of `x-oss-err`).
    pub fn code(&self) -> String {
        self.xml("Code").unwrap_or_default()
    }
}

/// One keep-alive client connection.
pub struct Conn {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).expect("connect to emulator");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.set_nodelay(true).unwrap();
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send request");
    }

    /// Reads one response; `head_request` for replies to HEAD (no body).
    pub fn read_reply(&mut self, head_request: bool) -> Option<Reply> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut resp = httparse::Response::new(&mut headers);
            if let Ok(httparse::Status::Complete(n)) = resp.parse(&self.buf) {
                let status = resp.code.unwrap_or(0);
                let headers: Vec<(String, String)> = resp
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_string(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                self.buf.drain(..n);
                if status == 100 {
                    continue;
                }
                let len: usize = if head_request || status == 204 {
                    0
                } else {
                    headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                        .map(|(_, v)| v.parse().unwrap())
                        .unwrap_or(0)
                };
                while self.buf.len() < len {
                    if !self.fill() {
                        return None;
                    }
                }
                let body = self.buf.drain(..len).collect();
                return Some(Reply {
                    status,
                    headers,
                    body,
                });
            }
            if !self.fill() {
                return None;
            }
        }
    }

    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 65536];
        match self.stream.read(&mut chunk) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    pub fn roundtrip(&mut self, req: &Request) -> Reply {
        self.send(&req.to_bytes());
        self.read_reply(req.method == "HEAD").expect("a reply")
    }
}

/// A request to build, sign and send.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub bucket: Option<String>,
    pub key: Option<String>,
    /// Decoded query parameters ("" = valueless).
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Host header; defaults to the IP endpoint (path style).
    pub host: String,
    pub virtual_host: bool,
}

impl Request {
    pub fn new(method: &str, addr: SocketAddr, bucket: Option<&str>, key: Option<&str>) -> Request {
        Request {
            method: method.to_string(),
            bucket: bucket.map(str::to_string),
            key: key.map(str::to_string),
            query: Vec::new(),
            headers: Vec::new(),
            body: Vec::new(),
            host: addr.to_string(),
            virtual_host: false,
        }
    }

    pub fn object(method: &str, addr: SocketAddr, key: &str) -> Request {
        Request::new(method, addr, Some(BUCKET), Some(key))
    }

    pub fn query(mut self, name: &str, value: &str) -> Request {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }

    /// Addresses the bucket as `<bucket>.localhost:<port>`.
    pub fn virtual_host(mut self, port: u16) -> Request {
        self.virtual_host = true;
        self.host = format!("{}.localhost:{port}", self.bucket.as_deref().unwrap_or(""));
        self
    }

    /// Signs with V4 headers at the current time.
    pub fn sign_v4(self) -> Request {
        self.sign_v4_with(&credentials(), ossffi::time::now_unix())
    }

    pub fn sign_v4_with(mut self, creds: &Credentials, unix_time: i64) -> Request {
        v4::sign_headers(
            &self.method,
            self.bucket.as_deref(),
            self.key.as_deref(),
            &self.query,
            &mut self.headers,
            creds,
            REGION,
            "oss",
            unix_time,
            &[],
        );
        self
    }

    pub fn sign_v1(mut self) -> Request {
        v1::sign_headers(
            &self.method,
            self.bucket.as_deref(),
            self.key.as_deref(),
            &self.query,
            &mut self.headers,
            &credentials(),
            ossffi::time::now_unix(),
        );
        self
    }

    /// Presigns with V4 query parameters, valid for `expires` seconds from `unix_time`.
    pub fn presign_v4(mut self, unix_time: i64, expires: i64) -> Request {
        let params = v4::presign(
            &self.method,
            self.bucket.as_deref(),
            self.key.as_deref(),
            &self.query,
            &self.headers,
            &credentials(),
            REGION,
            "oss",
            unix_time,
            expires,
            &[],
        );
        self.query.extend(params);
        self
    }

    pub fn presign_v1(mut self, expires_unix: i64) -> Request {
        let params = v1::presign(
            &self.method,
            self.bucket.as_deref(),
            self.key.as_deref(),
            &self.query,
            &self.headers,
            &credentials(),
            expires_unix,
        );
        self.query.extend(params);
        self
    }

    pub fn target(&self) -> String {
        let mut path = String::from("/");
        if !self.virtual_host
            && let Some(b) = &self.bucket
        {
            path.push_str(b);
            path.push('/');
        }
        if let Some(k) = &self.key {
            path.push_str(&uri_encode(k, true));
        }
        if !self.query.is_empty() {
            let q: Vec<String> = self
                .query
                .iter()
                .map(|(n, v)| {
                    if v.is_empty() {
                        uri_encode(n, false)
                    } else {
                        format!("{}={}", uri_encode(n, false), uri_encode(v, false))
                    }
                })
                .collect();
            path.push('?');
            path.push_str(&q.join("&"));
        }
        path
    }

    /// The request as bytes, with `Content-Length` unless a Transfer-Encoding header was set.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\n",
            self.method,
            self.target(),
            self.host
        )
        .into_bytes();
        for (n, v) in &self.headers {
            out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
        }
        let chunked = self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"));
        let has_len = self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
        if !chunked
            && !has_len
            && (!self.body.is_empty() || matches!(self.method.as_str(), "PUT" | "POST"))
        {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }

    /// Sends on a fresh connection and reads the reply.
    pub fn send(&self, addr: SocketAddr) -> Reply {
        Conn::open(addr).roundtrip(self)
    }
}

/// Sends raw bytes on a fresh connection and reads one reply.
pub fn send_raw(addr: SocketAddr, bytes: &[u8], head_request: bool) -> Option<Reply> {
    let mut conn = Conn::open(addr);
    conn.send(bytes);
    conn.read_reply(head_request)
}

/// A signed PutObject of `body` under `key`.
pub fn put(addr: SocketAddr, key: &str, body: &[u8]) -> Reply {
    Request::object("PUT", addr, key)
        .body(body.to_vec())
        .sign_v4()
        .send(addr)
}

pub fn get(addr: SocketAddr, key: &str) -> Reply {
    Request::object("GET", addr, key).sign_v4().send(addr)
}

/// The (head, body) of each request a [`Receiver`] got.
pub type ReceivedCallbacks = std::sync::Arc<std::sync::Mutex<Vec<(String, Vec<u8>)>>>;

/// A callback receiver on 127.0.0.1 that records each request and answers with a fixed reply.
pub struct Receiver {
    pub port: u16,
    pub requests: ReceivedCallbacks,
}

impl Receiver {
    pub fn start(status: u16, content_type: &str, body: &str) -> Receiver {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests: ReceivedCallbacks = Default::default();
        let reply = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let n = stream.read(&mut chunk).unwrap_or(0);
                    if n == 0 {
                        break None;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break Some(pos + 4);
                    }
                };
                let Some(head_end) = head_end else { continue };
                let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                while buf.len() < head_end + len {
                    let n = stream.read(&mut chunk).unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                seen.lock().unwrap().push((head, buf[head_end..].to_vec()));
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        Receiver { port, requests }
    }
}

/// How soon a hostile suite expects an answer, and a normal request served after the abuse:
/// generous for a loaded machine, far below any timeout involved.
pub const PROMPT: Duration = Duration::from_secs(3);

/// After the hostile part of a test: a normal signed PUT and GET are still served, promptly.
pub fn assert_still_serving(addr: SocketAddr) {
    let started = std::time::Instant::now();
    let reply = put(addr, "after-hostile.txt", b"still here");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = get(addr, "after-hostile.txt");
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (200, &b"still here"[..])
    );
    assert!(started.elapsed() < PROMPT, "took {:?}", started.elapsed());
}

/// Every `<name>` value in `xml`, in order.
pub fn all(xml: &str, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    xml.split(&open)
        .skip(1)
        .map(|s| s[..s.find(&close).unwrap()].to_string())
        .collect()
}

/// InitiateMultipartUpload of `key` in [`BUCKET`]; the upload id.
pub fn initiate(addr: SocketAddr, key: &str) -> String {
    let reply = Request::object("POST", addr, key)
        .query("uploads", "")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.xml("UploadId").unwrap()
}

/// base64 of a callback JSON posting `body_template` to `url`.
pub fn callback_param(url: &str, body_template: &str, body_type: &str) -> String {
    let json = serde_json::json!({"callbackUrl": url, "callbackBody": body_template, "callbackBodyType": body_type});
    ossffi::encoding::base64_encode(json.to_string().as_bytes())
}

/// A port on which nothing listens.
pub fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The emulator binary serving the test key and bucket on a free loopback port, with
/// `extra_args`, started through `sh` under `ulimit` (e.g. `-n 1024`) when one is given;
/// returns the child and the address it printed as its first line.
pub fn start_binary(ulimit: Option<&str>, extra_args: &[&str]) -> (Child, SocketAddr) {
    let bin = env!("CARGO_BIN_EXE_ossffi-emulator");
    let mut args = vec![
        "--listen",
        "127.0.0.1:0",
        "--access-key-id",
        AK,
        "--access-key-secret",
        SK,
        "--bucket",
        BUCKET,
    ];
    args.extend_from_slice(extra_args);
    let mut command = match ulimit {
        Some(limits) => {
            let mut sh = Command::new("sh");
            sh.args(["-c", &format!("ulimit {limits} && exec \"$0\" \"$@\""), bin]);
            sh
        }
        None => Command::new(bin),
    };
    let mut child = command.args(&args).stdout(Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("first line {first:?} is not an address"));
    (child, addr)
}

/// The emulator binary from [`start_binary`], killed and reaped when the test ends, also when it
/// fails: a child left running would hold the test's output pipe open.
pub struct Binary(pub Child);

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A number from /proc/PID/status: `Threads:`, or a size in KiB (`VmRSS:`, `VmHWM:`).
pub fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}
