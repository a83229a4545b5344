//! Uploads through an HTTP proxy: configured explicitly, or from the environment only when asked.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::put_object::{Body, PutObjectRequest};
use support::native::{TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET, TEST_BUCKET, TEST_REGION};

/// Each request line the proxy saw, with its Proxy-Authorization header if any.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A forwarding proxy for plain HTTP: it records each request line and Proxy-Authorization,
/// rewrites the absolute-form target to origin-form, and relays one exchange per connection.
struct RecordingProxy {
    port: u16,
    seen: Seen,
}

impl RecordingProxy {
    fn start() -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let record = Arc::clone(&record);
                std::thread::spawn(move || relay(client, &record));
            }
        });
        RecordingProxy { port, seen }
    }
}

fn relay(mut client: TcpStream, seen: &Mutex<Vec<(String, Option<String>)>>) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap().to_owned();
    let headers: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    let header = |name: &str| {
        headers
            .iter()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            })
            .map(|(_, v)| v.trim().to_owned())
    };
    seen.lock()
        .unwrap()
        .push((request_line.clone(), header("proxy-authorization")));
    let mut parts = request_line.splitn(3, ' ');
    let (method, target, version) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let Some(rest) = target.strip_prefix("http://") else {
        return;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    client.read_exact(&mut body).unwrap();
    let mut upstream = TcpStream::connect(authority).unwrap();
    let mut forwarded = format!("{method} {path} {version}\r\n");
    for line in &headers {
        if !line.to_ascii_lowercase().starts_with("proxy-authorization")
            && !line.to_ascii_lowercase().starts_with("connection")
        {
            forwarded.push_str(line);
            forwarded.push_str("\r\n");
        }
    }
    forwarded.push_str("Connection: close\r\n\r\n");
    upstream.write_all(forwarded.as_bytes()).unwrap();
    upstream.write_all(&body).unwrap();
    let mut response = Vec::new();
    upstream.read_to_end(&mut response).unwrap();
    client.write_all(&response).unwrap();
}

fn emulator() -> ossffi_emulator::RunningServer {
    ossffi_emulator::Server::start(
        ossffi_emulator::Config::new(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET)
            .with_bucket(TEST_BUCKET)
            .with_region(TEST_REGION),
    )
    .unwrap()
}

fn client(endpoint: &str, config: ClientConfig) -> Client {
    let credentials =
        StaticCredentials(Credentials::new(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET));
    Client::new(
        endpoint,
        Arc::new(credentials),
        ClientConfig {
            region: TEST_REGION.into(),
            ..config
        },
    )
    .unwrap()
}

#[test]
fn a_configured_proxy_carries_the_upload_with_basic_authentication() {
    let server = emulator();
    let proxy = RecordingProxy::start();
    let config = ClientConfig {
        proxy_host: "127.0.0.1".into(),
        proxy_port: proxy.port,
        proxy_username: "proxy user".into(),
        proxy_password: "secret".into(),
        ..ClientConfig::default()
    };
    let endpoint = format!("http://{}", server.addr());
    client(&endpoint, config)
        .put_object(&mut PutObjectRequest::new(
            TEST_BUCKET,
            "via/proxy.txt",
            Body::Bytes(b"proxied"),
        ))
        .expect("the upload goes through the proxy");
    let seen = proxy.seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].0,
        format!("PUT {endpoint}/{TEST_BUCKET}/via/proxy.txt HTTP/1.1")
    );
    assert_eq!(seen[0].1.as_deref(), Some("Basic cHJveHkgdXNlcjpzZWNyZXQ="));
    assert_eq!(
        server.object_bytes(TEST_BUCKET, "via/proxy.txt").unwrap(),
        b"proxied"
    );
}

// One test touches HTTP_PROXY, so the process environment is not raced by another test.
#[test]
fn the_environment_proxy_is_used_only_when_asked() {
    let server = emulator();
    let proxy = RecordingProxy::start();
    let endpoint = format!("http://{}", server.addr());
    // SAFETY: no other test in this binary reads or writes the environment.
    unsafe { std::env::set_var("HTTP_PROXY", format!("http://127.0.0.1:{}", proxy.port)) };
    client(&endpoint, ClientConfig::default())
        .put_object(&mut PutObjectRequest::new(
            TEST_BUCKET,
            "direct.txt",
            Body::Bytes(b"d"),
        ))
        .unwrap();
    assert!(
        proxy.seen.lock().unwrap().is_empty(),
        "HTTP_PROXY is ignored by default"
    );
    let config = ClientConfig {
        proxy_from_env: true,
        ..ClientConfig::default()
    };
    client(&endpoint, config)
        .put_object(&mut PutObjectRequest::new(
            TEST_BUCKET,
            "env-proxied.txt",
            Body::Bytes(b"e"),
        ))
        .unwrap();
    unsafe { std::env::remove_var("HTTP_PROXY") };
    assert_eq!(proxy.seen.lock().unwrap().len(), 1);
    assert!(server.object_exists(TEST_BUCKET, "env-proxied.txt"));
}
