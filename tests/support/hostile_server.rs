//! A loopback server that answers every request with a hostile reply: a fixed prefix, then an
//! endless repetition of a filler, written as fast as the client takes it. It stops when the
//! client closes the connection, when it has sent its byte budget, or when its time is up, and
//! records how far it got, so a test can tell whether the client stopped reading early.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The most a hostile server sends on one connection: far beyond the client's 8 MiB body
/// limit, so a client that buffered everything would show it.
pub const BUDGET: u64 = 96 << 20;

/// How long a hostile server keeps sending on one connection at most, so nothing hangs even if
/// the client never stops reading (valgrind makes clients slow).
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// What one connection came to.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Bytes of the reply the kernel accepted before the end (prefix and filler).
    pub sent: u64,
    /// The client closed the connection (a write failed) before the budget or time ran out.
    pub client_closed: bool,
    /// From the first reply byte to the end.
    pub elapsed: Duration,
}

pub struct HostileServer {
    address: SocketAddr,
    connections: Arc<Mutex<Vec<Connection>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HostileServer {
    /// Answers each request (head and Content-Length body read first) with `prefix`, then
    /// `filler` repeated without end.
    pub fn start(prefix: Vec<u8>, filler: Vec<u8>) -> HostileServer {
        assert!(!filler.is_empty(), "a filler to repeat");
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking accept");
        let address = listener.local_addr().expect("bound");
        let connections = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        // Whole fillers in blocks of about 64 KiB, so the pattern never breaks between writes.
        let block = filler.repeat((64 * 1024 / filler.len()).max(1));
        let thread = {
            let (connections, stop) = (Arc::clone(&connections), Arc::clone(&stop));
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let Ok((stream, _)) = listener.accept() else {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    let connection = serve(stream, &prefix, &block, &stop);
                    connections.lock().unwrap().push(connection);
                }
            })
        };
        HostileServer {
            address,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The connections served so far, waiting up to `wait` until there are `count`.
    pub fn connections(&self, count: usize, wait: Duration) -> Vec<Connection> {
        let deadline = Instant::now() + wait;
        loop {
            let seen = self.connections.lock().unwrap().clone();
            if seen.len() >= count || Instant::now() > deadline {
                return seen;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads the request head and as much body as its Content-Length says (the client sends the
/// whole request before it reads), then sends the reply until something stops it.
fn serve(mut stream: TcpStream, prefix: &[u8], block: &[u8], stop: &AtomicBool) -> Connection {
    let unanswered = Connection {
        sent: 0,
        client_closed: true,
        elapsed: Duration::ZERO,
    };
    if stream.set_nonblocking(false).is_err()
        || stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .is_err()
        || stream
            .set_write_timeout(Some(Duration::from_secs(30)))
            .is_err()
    {
        return unanswered;
    }
    let mut request = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return unanswered,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = request.len() - head_end;
    while body < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return unanswered,
            Ok(n) => body += n,
        }
    }
    let started = Instant::now();
    let mut sent = 0u64;
    let mut write = |bytes: &[u8], sent: &mut u64| -> bool {
        // Small writes, so the count stops close to where the client did.
        for piece in bytes.chunks(16 * 1024) {
            let mut rest = piece;
            while !rest.is_empty() {
                match stream.write(rest) {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => {
                        *sent += n as u64;
                        rest = &rest[n..];
                    }
                }
            }
        }
        true
    };
    if !write(prefix, &mut sent) {
        return Connection {
            sent,
            client_closed: true,
            elapsed: started.elapsed(),
        };
    }
    while sent < BUDGET && started.elapsed() < TIME_LIMIT && !stop.load(Ordering::SeqCst) {
        if !write(block, &mut sent) {
            return Connection {
                sent,
                client_closed: true,
                elapsed: started.elapsed(),
            };
        }
    }
    Connection {
        sent,
        client_closed: false,
        elapsed: started.elapsed(),
    }
}
