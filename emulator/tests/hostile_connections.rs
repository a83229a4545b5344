//! Connection-level hostility: heads too large or too slow, too many connections, bodies that
//! stall, framing that RFC 9112 forbids, panics in the pipeline, and slowloris against the
//! binary under a 1,024 file-descriptor limit. Every case ends with the emulator still
//! answering a normal signed request.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use common::*;

/// Everything the server sends until it closes the connection or `limit` passes; the flag
/// says whether it closed.
fn read_until_close(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let deadline = Instant::now() + limit;
    let mut out = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return (out, false);
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut chunk) {
            Ok(0) => return (out, true),
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (out, true),
            Err(_) => return (out, false),
        }
    }
}

/// Sends `bytes` on a new connection; the one reply, then whether the server closed after it.
fn exchange_and_close(addr: SocketAddr, bytes: &[u8]) -> (Reply, bool) {
    let mut conn = Conn::open(addr);
    conn.send(bytes);
    let reply = conn.read_reply(false).expect("an answer");
    let (rest, closed) = read_until_close(&mut conn.stream, PROMPT);
    assert!(
        rest.is_empty(),
        "unexpected bytes after the answer: {rest:?}"
    );
    (reply, closed)
}

fn signed_put_head(addr: SocketAddr, key: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut req = Request::object("PUT", addr, key);
    for (name, value) in extra {
        req = req.header(name, value);
    }
    req.sign_v4().to_bytes()
}

#[test]
fn oversized_request_head_gets_431_and_the_connection_closes() {
    let server = start(config());
    let addr = server.addr();
    let head = format!(
        "GET /{BUCKET}/k HTTP/1.1\r\nHost: {addr}\r\nX-Big: {}\r\n\r\n",
        "b".repeat(70 * 1024)
    );
    let (reply, closed) = exchange_and_close(addr, head.as_bytes());
    assert_eq!(reply.status, 431);
    assert!(closed);
    assert_still_serving(addr);
}

#[test]
fn more_than_100_headers_get_431_and_the_connection_closes() {
    let server = start(config());
    let addr = server.addr();
    let mut head = format!("GET /{BUCKET}/k HTTP/1.1\r\nHost: {addr}\r\n");
    for i in 0..101 {
        head.push_str(&format!("X-H{i}: v\r\n"));
    }
    head.push_str("\r\n");
    let (reply, closed) = exchange_and_close(addr, head.as_bytes());
    assert_eq!(reply.status, 431);
    assert!(closed);
    assert_still_serving(addr);
}

#[test]
fn a_head_trickling_in_past_the_header_deadline_is_dropped_unanswered() {
    let server = start(config().with_header_timeout(Duration::from_millis(600)));
    let addr = server.addr();
    let mut stream = TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    let mut closed = false;
    for byte in b"GET /test-bkt/k HTTP/1.1\r\nHost: x\r\nX-Slow: "
        .iter()
        .cycle()
        .take(40)
    {
        if stream.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let (rest, closed_now) = read_until_close(&mut stream, PROMPT);
    assert!(closed || closed_now, "the slow connection is still open");
    assert!(rest.is_empty(), "a slow head is not answered: {rest:?}");
    assert!(started.elapsed() < Duration::from_secs(6));
    assert_still_serving(addr);
}

#[test]
fn a_silent_connection_is_closed_at_the_header_deadline() {
    let server = start(config().with_header_timeout(Duration::from_millis(500)));
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    let started = Instant::now();
    let (rest, closed) = read_until_close(&mut stream, Duration::from_secs(5));
    assert!(closed && rest.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[test]
fn an_idle_keep_alive_connection_is_closed_at_the_header_deadline() {
    let server = start(config().with_header_timeout(Duration::from_millis(500)));
    let addr = server.addr();
    let mut conn = Conn::open(addr);
    let reply = conn.roundtrip(&Request::object("PUT", addr, "k").body("x").sign_v4());
    assert_eq!(reply.status, 200);
    let (rest, closed) = read_until_close(&mut conn.stream, Duration::from_secs(5));
    assert!(closed && rest.is_empty());
}

#[test]
fn connections_beyond_the_cap_get_503_without_their_request_being_read() {
    let server = start(config().with_max_connections(3));
    let addr = server.addr();
    let held: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    // Accepting is asynchronous: wait until the three count before the fourth connects.
    let mut refused = None;
    for _ in 0..50 {
        let mut extra = TcpStream::connect(addr).unwrap();
        let (bytes, closed) = read_until_close(&mut extra, Duration::from_millis(500));
        if !bytes.is_empty() {
            refused = Some((bytes, closed));
            break;
        }
    }
    let (bytes, closed) = refused.expect("a connection over the cap is refused");
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nConnection: close\r\n"), "{text}");
    assert!(
        text.contains("<Code>ServiceUnavailable</Code>") && text.contains("--max-connections"),
        "{text}"
    );
    assert!(closed);
    drop(held);
    let mut served = false;
    for _ in 0..50 {
        let reply = put(addr, "after-cap", b"x");
        if reply.status == 200 {
            served = true;
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    assert!(served, "closing connections frees their places");
}

#[test]
fn body_timeout_defaults_to_30_seconds() {
    assert_eq!(
        ossffi_emulator::Config::new("a", "b").body_timeout,
        Duration::from_secs(30)
    );
    let ossffi_emulator::cli::Command::Run(config) = ossffi_emulator::cli::parse(
        ["--access-key-id", "a", "--access-key-secret", "b"].map(String::from),
    )
    .unwrap() else {
        panic!("expected a run command")
    };
    assert_eq!(config.body_timeout, Duration::from_secs(30));
}

#[test]
fn body_timeout_applies_to_each_read_not_the_whole_body() {
    let server = start(config().with_body_timeout(Duration::from_millis(1000)));
    let addr = server.addr();
    let mut conn = Conn::open(addr);
    conn.send(&signed_put_head(
        addr,
        "trickle",
        &[("Content-Length", "8")],
    ));
    // 8 bytes 350 ms apart: 2.8 s in all, never 1 s without a byte.
    for byte in b"trickled" {
        thread::sleep(Duration::from_millis(350));
        conn.send(&[*byte]);
    }
    let reply = conn.read_reply(false).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(server.object_bytes(BUCKET, "trickle").unwrap(), b"trickled");
}

#[test]
fn a_body_stalled_past_the_body_timeout_is_request_timeout_and_closes() {
    let server = start(config().with_body_timeout(Duration::from_millis(500)));
    let addr = server.addr();
    let mut conn = Conn::open(addr);
    conn.send(&signed_put_head(
        addr,
        "stall",
        &[("Content-Length", "1000000")],
    ));
    conn.send(&[7u8; 1000]);
    let started = Instant::now();
    let reply = conn.read_reply(false).unwrap();
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "RequestTimeout")
    );
    assert!(started.elapsed() < PROMPT);
    assert_eq!(reply.header("Connection"), Some("close"));
    let (_, closed) = read_until_close(&mut conn.stream, PROMPT);
    assert!(closed);
    assert!(!server.object_exists(BUCKET, "stall"));
}

#[test]
fn an_error_decided_before_the_body_is_answered_at_once_and_the_connection_closes() {
    let server = start(config());
    let addr = server.addr();
    for (what, head) in [
        (
            "bad signature",
            Request::object("PUT", addr, "big")
                .header("Content-Length", "104857600")
                .sign_v4_with(
                    &ossffi::signing::Credentials::new(AK, "wrong-secret"),
                    ossffi::time::now_unix(),
                )
                .to_bytes(),
        ),
        (
            "no such bucket",
            Request::new("PUT", addr, Some("no-such-bkt"), Some("big"))
                .header("Content-Length", "104857600")
                .sign_v4()
                .to_bytes(),
        ),
    ] {
        let mut conn = Conn::open(addr);
        conn.send(&head);
        conn.send(&[0u8; 64 * 1024]);
        let started = Instant::now();
        let reply = conn.read_reply(false).unwrap();
        assert!(
            started.elapsed() < PROMPT,
            "{what}: {:?}",
            started.elapsed()
        );
        assert!(
            reply.status == 403 || reply.status == 404,
            "{what}: {reply:?}"
        );
        assert_eq!(reply.header("Connection"), Some("close"), "{what}");
        let (_, closed) = read_until_close(&mut conn.stream, PROMPT);
        assert!(closed, "{what}: the connection is closed after the answer");
    }
    assert!(!server.object_exists(BUCKET, "big"));
    assert_still_serving(addr);
}

#[test]
fn content_length_with_a_sign_is_400() {
    let server = start(config());
    let addr = server.addr();
    let head = signed_put_head(addr, "plus", &[("Content-Length", "+5")]);
    let (reply, closed) = exchange_and_close(addr, &[head, b"hello".to_vec()].concat());
    assert_eq!(reply.status, 400);
    assert!(closed);
    assert!(!server.object_exists(BUCKET, "plus"));
}

#[test]
fn differing_duplicate_content_lengths_are_400() {
    let server = start(config());
    let addr = server.addr();
    let head = signed_put_head(
        addr,
        "dup",
        &[("Content-Length", "5"), ("Content-Length", "6")],
    );
    let (reply, closed) = exchange_and_close(addr, &[head, b"hello!".to_vec()].concat());
    assert_eq!(reply.status, 400);
    assert!(closed);
    assert!(!server.object_exists(BUCKET, "dup"));
}

#[test]
fn content_length_with_chunked_is_read_as_chunked_and_the_connection_closes() {
    let server = start(config());
    let addr = server.addr();
    let head = signed_put_head(
        addr,
        "both",
        &[("Content-Length", "3"), ("Transfer-Encoding", "chunked")],
    );
    // A request smuggled behind the chunked body must never be served.
    let smuggled = Request::object("GET", addr, "both").sign_v4().to_bytes();
    let bytes = [head, b"5\r\nhello\r\n0\r\n\r\n".to_vec(), smuggled].concat();
    let (reply, closed) = exchange_and_close(addr, &bytes);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("Connection"), Some("close"));
    assert!(closed);
    assert_eq!(server.object_bytes(BUCKET, "both").unwrap(), b"hello");
}

#[test]
fn transfer_codings_other_than_plain_chunked_are_501_not_implemented() {
    let server = start(config());
    let addr = server.addr();
    for codings in [
        vec![("Transfer-Encoding", "gzip, chunked")],
        vec![
            ("Transfer-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
        ],
        vec![("Transfer-Encoding", "chunked, chunked")],
    ] {
        let head = signed_put_head(addr, "coded", &codings);
        let (reply, closed) = exchange_and_close(addr, &[head, b"0\r\n\r\n".to_vec()].concat());
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (501, "NotImplemented"),
            "{codings:?}"
        );
        let message = reply.xml("Message").unwrap();
        assert!(message.contains("Transfer-Encoding"), "{message}");
        assert_eq!(reply.xml("Header").as_deref(), Some("Transfer-Encoding"));
        assert!(closed);
    }
    assert!(!server.object_exists(BUCKET, "coded"));
    assert_still_serving(addr);
}

#[test]
fn a_bare_lf_chunk_size_line_is_refused() {
    let server = start(config());
    let addr = server.addr();
    let head = signed_put_head(addr, "lf", &[("Transfer-Encoding", "chunked")]);
    let (reply, closed) =
        exchange_and_close(addr, &[head, b"5\nhello\r\n0\r\n\r\n".to_vec()].concat());
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert!(closed);
    assert!(!server.object_exists(BUCKET, "lf"));
}

#[test]
fn an_endless_trailer_section_is_refused() {
    let server = start(config());
    let addr = server.addr();
    let mut conn = Conn::open(addr);
    conn.send(&signed_put_head(
        addr,
        "trailers",
        &[("Transfer-Encoding", "chunked")],
    ));
    conn.send(b"5\r\nhello\r\n0\r\n");
    let mut writer = conn.stream.try_clone().unwrap();
    // Up to 4 MiB of trailer lines; the server gives up after 64 KiB.
    let sender = thread::spawn(move || {
        let line = format!("X-Trailer: {}\r\n", "t".repeat(1000));
        for _ in 0..4096 {
            if writer.write_all(line.as_bytes()).is_err() {
                return;
            }
        }
    });
    let started = Instant::now();
    let reply = conn.read_reply(false).unwrap();
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert!(started.elapsed() < PROMPT);
    assert_eq!(reply.header("Connection"), Some("close"));
    sender.join().unwrap();
    assert!(!server.object_exists(BUCKET, "trailers"));
    assert_still_serving(addr);
}

#[test]
fn a_panic_in_the_pipeline_is_answered_500_and_the_connection_closes() {
    let server = start(config());
    let addr = server.addr();
    server.faults().panic_next(1);
    let mut conn = Conn::open(addr);
    let reply = conn.roundtrip(&Request::object("PUT", addr, "boom").body("x").sign_v4());
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (500, "InternalError")
    );
    assert_eq!(reply.header("Connection"), Some("close"));
    let (_, closed) = read_until_close(&mut conn.stream, PROMPT);
    assert!(closed);
    assert_still_serving(addr);
}

#[test]
fn slowloris_with_300_connections_under_1024_fds_does_not_starve_a_signed_request() {
    let (mut child, addr) = start_binary(Some("-n 1024"), &[]);
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    assert!(
        limits
            .lines()
            .any(|l| l.starts_with("Max open files") && l.contains(" 1024 ")),
        "{limits}"
    );
    let head = format!("PUT /{BUCKET}/slow HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ");
    let mut slow: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(addr).expect("connect a slow client"))
        .collect();
    let mut worst = (0u64, 0u64);
    // Eight rounds of one byte per connection a second: the head never completes.
    for round in 0..8 {
        let byte = head.as_bytes()[round % head.len()];
        for stream in &mut slow {
            stream
                .write_all(&[byte])
                .expect("a slow client is still connected");
        }
        let started = Instant::now();
        let reply = put(addr, &format!("normal-{round}"), b"served");
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(
            started.elapsed() < PROMPT,
            "round {round}: a signed PUT took {:?}",
            started.elapsed()
        );
        let pid = child.id();
        let (threads, rss) = (proc_status(pid, "Threads:"), proc_status(pid, "VmRSS:"));
        worst = (worst.0.max(threads), worst.1.max(rss));
        thread::sleep(Duration::from_secs(1).saturating_sub(started.elapsed()));
    }
    drop(slow);
    let (threads, rss_kib) = worst;
    eprintln!("slowloris: at most {threads} threads, {rss_kib} KiB resident");
    // Measured: 3 threads (main, the worker, the key server) and 15 MiB in a debug build.
    assert!(threads <= 8, "{threads} threads");
    assert!(rss_kib <= 40 * 1024, "{rss_kib} KiB resident");
    assert_eq!(child.try_wait().unwrap(), None, "the emulator exited");
    child.kill().unwrap();
    child.wait().unwrap();
}
