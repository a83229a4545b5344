//! The plain-HTTP listener that serves the emulator's callback public key.
//!
//! A callback receiver fetches the key named by `x-oss-pub-key-url` while the upload waits for
//! its answer, so the key must be served independently of the upload server: this listener has
//! its own thread and one thread per connection.

use std::io::{self, Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Path of the key, the same file name as OSS's `callback_pub_key_v1.pem`.
pub const KEY_PATH: &str = "/callback_pub_key_v1.pem";
/// A key request that has not arrived in this time is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// Serves the public key until dropped.
#[derive(Debug)]
pub struct KeyServer {
    addr: SocketAddr,
    url: String,
    stopping: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

impl KeyServer {
    /// Binds 127.0.0.1 on a free port and starts serving `public_key_pem`.
    pub fn start(public_key_pem: String) -> io::Result<KeyServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let pem: Arc<str> = Arc::from(public_key_pem);
        let accept_thread = thread::Builder::new()
            .name("callback-key-server".to_owned())
            .spawn({
                let stopping = Arc::clone(&stopping);
                move || accept_loop(&listener, &stopping, &pem)
            })?;
        Ok(KeyServer {
            addr,
            url: format!("http://{addr}{KEY_PATH}"),
            stopping,
            accept_thread: Some(accept_thread),
        })
    }

    /// `http://127.0.0.1:PORT/callback_pub_key_v1.pem`
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // `accept` has no timeout: a throwaway connection wakes it up to see the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, stopping: &AtomicBool, pem: &Arc<str>) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let pem = Arc::clone(pem);
        // A failed spawn only loses this one connection.
        let _ = thread::Builder::new()
            .name("callback-key-conn".to_owned())
            .spawn(move || {
                let _ = serve_one(stream, &pem);
            });
    }
}

fn serve_one(mut stream: TcpStream, pem: &str) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    let (method, path) = loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&head) {
            Ok(httparse::Status::Complete(_)) => {
                break (
                    request.method.unwrap_or_default().to_owned(),
                    request.path.unwrap_or_default().to_owned(),
                );
            }
            Ok(httparse::Status::Partial) if head.len() < MAX_REQUEST_HEAD => {}
            _ => {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    "text/plain",
                    b"bad request\n",
                );
            }
        }
    };
    let path = path.split('?').next().unwrap_or_default();
    let response = match (method.as_str(), path) {
        ("GET", KEY_PATH) => respond(
            &mut stream,
            "200 OK",
            "application/x-pem-file",
            pem.as_bytes(),
        ),
        ("HEAD", KEY_PATH) => {
            respond_head(&mut stream, "200 OK", "application/x-pem-file", pem.len())
        }
        _ => respond(&mut stream, "404 Not Found", "text/plain", b"not found\n"),
    };
    let _ = stream.shutdown(Shutdown::Write);
    response
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    respond_head(stream, status, content_type, body.len())?;
    stream.write_all(body)
}

fn respond_head(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    len: usize,
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\n\
         Connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes())
}
