//! A pooled connection that the server closes just as the next request arrives (a keep-alive
//! timeout racing the client). Nothing of a reply came back, so like curl the client sends the
//! request again at once on a new connection: with retries off, the caller sees no failure. A
//! body that cannot start over is not sent again, and a failure on a new connection or after
//! reply bytes arrived stays a failure.
//!
//! The server is a raw TCP one whose every answer is scripted per connection and request, so a
//! test can close the connection at the exact moment the second request has arrived: with a
//! FIN after reading it, or with a reset (closing with the request still unread makes the kernel
//! send RST instead of FIN).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::error::{ErrorKind, ObjectStored};
use ossffi::http::BodyError;
use ossffi::object::ObjectRequest;
use ossffi::put_object::{Body, BodyReader, PutObjectRequest};

const BUCKET: &str = "stale-test-bucket";
/// How long to wait for a request the server is about to record.
const WAIT: Duration = Duration::from_secs(5);
/// How long to watch for a request that must not come (one would follow at once).
const NO_MORE: Duration = Duration::from_millis(200);

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Answer {
    /// 200 with keep-alive.
    Ok,
    /// Reads the request, then closes without answering (FIN).
    Close,
    /// Closes with the request unread, so the client gets a reset.
    Reset,
    /// Sends the first bytes of a reply head, then closes.
    PartialHeadThenClose,
    /// 500 with keep-alive.
    ServerError,
}

/// A request the server saw: on which connection (from 0), and what it held.
#[derive(Clone, Debug)]
struct Seen {
    connection: usize,
    request_line: String,
    body: Vec<u8>,
    answer: Answer,
}

type Script = dyn Fn(usize, usize) -> Answer + Send + Sync;

struct ScriptedServer {
    address: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl ScriptedServer {
    /// `script(connection, request)` (both counted from 0) says how each request is answered.
    fn start(script: impl Fn(usize, usize) -> Answer + Send + Sync + 'static) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().expect("bound");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        {
            let seen = Arc::clone(&seen);
            // Detached: it ends with the test process.
            thread::spawn(move || {
                for (connection, stream) in listener.incoming().enumerate() {
                    let Ok(stream) = stream else { continue };
                    let (seen, script) = (Arc::clone(&seen), Arc::clone(&script));
                    thread::spawn(move || serve(stream, connection, &*script, &seen));
                }
            });
        }
        ScriptedServer { address, seen }
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// What the server has seen, waiting up to `wait` until it has seen `count` requests.
    fn seen(&self, count: usize, wait: Duration) -> Vec<Seen> {
        let deadline = Instant::now() + wait;
        loop {
            let seen = self.seen.lock().unwrap().clone();
            if seen.len() >= count || Instant::now() > deadline {
                return seen;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

/// How long the head is and how long a body it announces, once the head is all there.
fn framing(bytes: &[u8]) -> Option<(usize, usize)> {
    let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Some((head_end, length))
}

fn serve(mut stream: TcpStream, connection: usize, script: &Script, seen: &Mutex<Vec<Seen>>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buffered = Vec::new();
    for request in 0.. {
        let answer = script(connection, request);
        // Waits for the whole request: read into `buffered`, or for a reset only looked at,
        // so that it is still unread when the socket closes.
        let (head_end, length) = loop {
            let available = if answer == Answer::Reset {
                let mut peeked = vec![0u8; 1 << 20];
                match stream.peek(&mut peeked) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        peeked.truncate(n);
                        peeked
                    }
                }
            } else {
                buffered.clone()
            };
            if let Some((head_end, length)) = framing(&available)
                && available.len() >= head_end + length
            {
                buffered = available;
                break (head_end, length);
            }
            if answer == Answer::Reset {
                thread::sleep(Duration::from_millis(1));
                continue;
            }
            let mut chunk = [0u8; 16 * 1024];
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffered.extend_from_slice(&chunk[..n]),
            }
        };
        let request_line = String::from_utf8_lossy(&buffered[..head_end])
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        seen.lock().unwrap().push(Seen {
            connection,
            request_line,
            body: buffered[head_end..head_end + length].to_vec(),
            answer,
        });
        match answer {
            Answer::Ok => {
                buffered.drain(..head_end + length);
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nETag: \"e\"\r\n\
                     x-oss-request-id: c{connection}r{request}\r\n\r\n"
                );
                if stream.write_all(reply.as_bytes()).is_err() {
                    return;
                }
            }
            // Dropping the stream with the request unread sends RST.
            Answer::Reset => return,
            Answer::Close => {
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return;
            }
            Answer::ServerError => {
                buffered.drain(..head_end + length);
                let reply = format!(
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\
                     x-oss-request-id: c{connection}r{request}\r\n\r\n"
                );
                if stream.write_all(reply.as_bytes()).is_err() {
                    return;
                }
            }
            Answer::PartialHeadThenClose => {
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Le");
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return;
            }
        }
    }
}

/// Answers every request on the first connection with 200, except the second, at which it
/// closes that connection with `second`; every later connection is answered normally.
fn second_request_gets(second: Answer) -> ScriptedServer {
    ScriptedServer::start(move |connection, request| match (connection, request) {
        (0, 1) => second,
        _ => Answer::Ok,
    })
}

/// A retry backoff no loopback round trip comes near, even on a loaded machine: a request sent
/// again at once finishes well under [`UNDER_BACKOFF`], one that waited the backoff cannot.
const LONG_BACKOFF_MS: u64 = 10_000;
const UNDER_BACKOFF: Duration = Duration::from_secs(5);

fn client(server: &ScriptedServer, max_retries: u32) -> Client {
    client_with(server, max_retries, ClientConfig::default().retry_scale_ms)
}

fn client_with(server: &ScriptedServer, max_retries: u32, retry_scale_ms: u64) -> Client {
    let config = ClientConfig {
        region: "cn-hangzhou".into(),
        max_retries,
        retry_scale_ms,
        ..ClientConfig::default()
    };
    let credentials = Credentials::new("LTAI5tStaleTestKey01", "StaleTestSecretForTheScript01");
    Client::new(
        &server.endpoint(),
        Arc::new(StaticCredentials(credentials)),
        config,
    )
    .unwrap()
}

fn put(client: &Client, key: &str, data: &[u8]) -> Result<String, ossffi::error::Error> {
    let mut request = PutObjectRequest::new(BUCKET, key, Body::Bytes(data));
    client.put_object(&mut request).map(|r| r.request_id)
}

fn body(seed: u8) -> Vec<u8> {
    (0..4096u32)
        .map(|i| (i as u8).wrapping_mul(31) ^ seed)
        .collect()
}

/// A body from a read callback, in 1000-byte pieces; `rewindable` says whether it has a rewind
/// function.
struct Callback {
    data: Vec<u8>,
    at: usize,
    rewindable: bool,
    rewinds: usize,
}

impl BodyReader for Callback {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, BodyError> {
        let n = buf.len().min(1000).min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }

    fn rewind(&mut self) -> Option<Result<(), BodyError>> {
        if !self.rewindable {
            return None;
        }
        self.at = 0;
        self.rewinds += 1;
        Some(Ok(()))
    }
}

fn assert_sent_again_on_a_new_connection(second: Answer) {
    let server = second_request_gets(second);
    let client = client_with(&server, 0, LONG_BACKOFF_MS);
    assert_eq!(put(&client, "first", &body(1)).unwrap(), "c0r0");
    let started = Instant::now();
    assert_eq!(put(&client, "second", &body(2)).unwrap(), "c1r0");
    // A retry would have waited its 10 s backoff first (and with retries off, not happened).
    assert!(started.elapsed() < UNDER_BACKOFF, "{:?}", started.elapsed());
    let seen = server.seen(3, WAIT);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(
        (seen[1].connection, seen[1].answer),
        (0, second),
        "{seen:?}"
    );
    assert_eq!(seen[2].connection, 1);
    assert_eq!(seen[2].request_line, seen[1].request_line);
    assert_eq!(seen[2].body, body(2));
}

#[test]
fn put_on_a_pooled_connection_closed_at_its_arrival_is_sent_again_on_a_new_one() {
    assert_sent_again_on_a_new_connection(Answer::Close);
}

#[test]
fn put_on_a_pooled_connection_reset_at_its_arrival_is_sent_again_on_a_new_one() {
    assert_sent_again_on_a_new_connection(Answer::Reset);
}

#[test]
fn get_and_head_on_a_stale_pooled_connection_are_sent_again_on_a_new_one() {
    for (second, verb) in [
        (Answer::Reset, "GET"),
        (Answer::Close, "GET"),
        (Answer::Reset, "HEAD"),
    ] {
        let server = second_request_gets(second);
        let client = client(&server, 0);
        assert_eq!(put(&client, "first", &body(1)).unwrap(), "c0r0");
        let request = ObjectRequest::new(BUCKET, Some("second"));
        let meta = if verb == "GET" {
            let mut content = Vec::new();
            client.get_object(&request, &mut content, None).unwrap()
        } else {
            client.head_object(&request).unwrap()
        };
        assert_eq!(meta.request_id, "c1r0", "{verb} after {second:?}");
        let seen = server.seen(3, WAIT);
        assert_eq!(seen.len(), 3, "{verb} after {second:?}: {seen:?}");
        assert!(seen[2].request_line.starts_with(verb), "{seen:?}");
    }
}

#[test]
fn a_rewindable_callback_body_is_rewound_and_sent_again_whole() {
    let server = second_request_gets(Answer::Reset);
    let client = client(&server, 0);
    put(&client, "first", &body(1)).unwrap();
    let mut reader = Callback {
        data: body(3),
        at: 0,
        rewindable: true,
        rewinds: 0,
    };
    let mut request = PutObjectRequest::new(
        BUCKET,
        "second",
        Body::Reader {
            reader: &mut reader,
            length: 4096,
        },
    );
    let result = client.put_object(&mut request).unwrap();
    assert_eq!(result.request_id, "c1r0");
    drop(request);
    assert_eq!(reader.rewinds, 1);
    let seen = server.seen(3, WAIT);
    assert_eq!(seen[2].body, body(3));
}

#[test]
fn a_callback_body_that_cannot_rewind_is_not_sent_again() {
    for second in [Answer::Reset, Answer::Close] {
        let server = second_request_gets(second);
        let client = client(&server, 3);
        put(&client, "first", &body(1)).unwrap();
        let mut reader = Callback {
            data: body(4),
            at: 0,
            rewindable: false,
            rewinds: 0,
        };
        let mut request = PutObjectRequest::new(
            BUCKET,
            "second",
            Body::Reader {
                reader: &mut reader,
                length: 4096,
            },
        );
        let error = client.put_object(&mut request).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Transport, "{second:?}: {error}");
        let (code, message) = match second {
            Answer::Reset => (
                "ClientError:200056",
                "Failure when receiving data from the peer. (failed receiving the response: \
                 Connection reset by peer (os error 104))",
            ),
            _ => (
                "ClientError:200052",
                "Server returned nothing (no headers, no data). (failed receiving the \
                 response: the server closed the connection without answering)",
            ),
        };
        assert_eq!(error.code, code, "{second:?}");
        assert_eq!(error.message, message, "{second:?}");
        assert_eq!(error.object_stored, ObjectStored::Unknown, "{second:?}");
        let seen = server.seen(3, NO_MORE);
        assert_eq!(seen.len(), 2, "{second:?}: sent again: {seen:?}");
    }
}

#[test]
fn a_failure_on_a_new_connection_is_not_sent_again() {
    let server = ScriptedServer::start(|_, _| Answer::Reset);
    let client = client(&server, 0);
    let error = put(&client, "only", &body(5)).unwrap_err();
    assert_eq!(error.code, "ClientError:200056", "{error}");
    let seen = server.seen(2, NO_MORE);
    assert_eq!(seen.len(), 1, "{seen:?}");
}

#[test]
fn a_failure_after_reply_bytes_arrived_is_not_sent_again() {
    let server = second_request_gets(Answer::PartialHeadThenClose);
    let client = client(&server, 0);
    put(&client, "first", &body(1)).unwrap();
    let error = put(&client, "second", &body(2)).unwrap_err();
    assert_eq!(error.code, "ClientError:200052", "{error}");
    assert_eq!(
        error.message,
        "Server returned nothing (no headers, no data). (failed receiving the response: the \
         server closed the connection in the middle of the response head)"
    );
    let seen = server.seen(3, NO_MORE);
    assert_eq!(seen.len(), 2, "{seen:?}");
}

#[test]
fn with_retries_on_the_request_is_sent_again_without_the_retry_delay() {
    let server = second_request_gets(Answer::Reset);
    let client = client_with(&server, 3, LONG_BACKOFF_MS);
    put(&client, "first", &body(1)).unwrap();
    let started = Instant::now();
    assert_eq!(put(&client, "second", &body(2)).unwrap(), "c1r0");
    assert!(started.elapsed() < UNDER_BACKOFF, "{:?}", started.elapsed());
}

#[test]
fn sending_again_on_a_new_connection_does_not_use_up_a_retry() {
    // The second request's connection is reset; on the new connection it first gets a 500,
    // which the one retry allowed takes care of.
    let server = ScriptedServer::start(|connection, request| match (connection, request) {
        (0, 1) => Answer::Reset,
        (1, 0) => Answer::ServerError,
        _ => Answer::Ok,
    });
    let client = client_with(&server, 1, 10);
    put(&client, "first", &body(1)).unwrap();
    assert_eq!(put(&client, "second", &body(2)).unwrap(), "c1r1");
    let seen = server.seen(4, WAIT);
    let answers: Vec<(usize, Answer)> = seen.iter().map(|s| (s.connection, s.answer)).collect();
    assert_eq!(
        answers,
        [
            (0, Answer::Ok),
            (0, Answer::Reset),
            (1, Answer::ServerError),
            (1, Answer::Ok)
        ]
    );
    assert!(seen[1..].iter().all(|s| s.body == body(2)));
}
