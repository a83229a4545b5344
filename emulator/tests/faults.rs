//! Fault injection, armed through the library API and through Config.

mod common;

use std::time::{Duration, Instant};

use common::*;
use ossffi_emulator::FaultSettings;

#[test]
fn fail_next_answers_503_then_recovers() {
    let server = start(config());
    let addr = server.addr();
    server.faults().fail_next(2, 503);
    for _ in 0..2 {
        let reply = put(addr, "f.txt", b"x");
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (503, "ServiceUnavailable")
        );
    }
    assert!(!server.object_exists(BUCKET, "f.txt"));
    assert_eq!(put(addr, "f.txt", b"x").status, 200);
}

#[test]
fn fail_next_with_500_is_internal_error_and_ignores_anonymous_requests() {
    let mut settings = FaultSettings {
        fail_next: 1,
        fail_status: 500,
        ..FaultSettings::default()
    };
    settings.callback_stall = Duration::ZERO;
    let server = start(config().with_faults(settings));
    let addr = server.addr();
    let anonymous = Request::object("GET", addr, "x").send(addr);
    assert_eq!(
        anonymous.code(),
        "AccessDenied",
        "anonymous requests do not consume faults"
    );
    let reply = get(addr, "x");
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (500, "InternalError")
    );
}

#[test]
fn drop_next_closes_the_connection_mid_body() {
    let server = start(config());
    let addr = server.addr();
    server.faults().drop_next(1);
    let req = Request::object("PUT", addr, "drop.bin")
        .body(vec![7u8; 200_000])
        .sign_v4();
    let mut conn = Conn::open(addr);
    let bytes = req.to_bytes();
    // The server closes after about half the body: the rest of the write or the read fails.
    let _ = std::io::Write::write_all(&mut conn.stream, &bytes);
    assert!(
        conn.read_reply(false).is_none(),
        "no answer after a dropped connection"
    );
    assert!(!server.object_exists(BUCKET, "drop.bin"));
    assert_eq!(put(addr, "drop.bin", b"ok").status, 200);
}

#[test]
fn delay_holds_every_response() {
    let server = start(config());
    let addr = server.addr();
    server.faults().set_delay(Duration::from_millis(200));
    let start_time = Instant::now();
    assert_eq!(put(addr, "d", b"x").status, 200);
    assert!(start_time.elapsed() >= Duration::from_millis(200));
    server.faults().set_delay(Duration::ZERO);
}

#[test]
fn wrong_crc_next_falsifies_only_the_next_crc() {
    let server = start(config());
    let addr = server.addr();
    let right = ossffi::crc64::crc64(b"crc").to_string();
    server.faults().wrong_crc_next(1);
    let bad = put(addr, "c", b"crc");
    assert_ne!(bad.header("x-oss-hash-crc64ecma"), Some(right.as_str()));
    assert_eq!(
        get(addr, "c").header("x-oss-hash-crc64ecma"),
        Some(right.as_str())
    );
    server.faults().set_wrong_crc_always(true);
    assert_ne!(
        get(addr, "c").header("x-oss-hash-crc64ecma"),
        Some(right.as_str())
    );
}

#[test]
fn callback_fail_next_gives_203_without_contacting_the_receiver() {
    let server = start(config());
    let addr = server.addr();
    let receiver = Receiver::start(200, "application/json", "{}");
    server.faults().callback_fail_next(1);
    let cb = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "b=${bucket}",
        "application/x-www-form-urlencoded",
    );
    let reply = Request::object("PUT", addr, "cf")
        .header("x-oss-callback", &cb)
        .body(b"x".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (203, "CallbackFailed")
    );
    assert!(receiver.requests.lock().unwrap().is_empty());
    assert!(server.object_exists(BUCKET, "cf"));
}

#[test]
fn callback_stall_past_the_timeout_gives_203() {
    let mut cfg = config();
    cfg.callback_timeout = Duration::from_millis(300);
    let server = start(cfg);
    let addr = server.addr();
    let receiver = Receiver::start(200, "application/json", "{}");
    server
        .faults()
        .callback_stall_next(1, Duration::from_millis(400));
    let cb = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "b=${bucket}",
        "application/x-www-form-urlencoded",
    );
    let reply = Request::object("PUT", addr, "cs")
        .header("x-oss-callback", &cb)
        .body(b"x".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (203, "CallbackFailed"),
        "{}",
        reply.text()
    );
}

#[test]
fn stall_next_stores_and_journals_before_holding_the_answer() {
    let server = start(config());
    let addr = server.addr();
    server.faults().stall_next(1, Duration::from_millis(1500));
    let started = Instant::now();
    let stalled = std::thread::spawn(move || put(addr, "s", b"stalled").status);
    // The server acts at once; only its answer waits.
    while server.journal().is_empty() {
        assert!(
            !stalled.is_finished(),
            "the answer came before the request was journaled"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.object_bytes(BUCKET, "s").unwrap(), b"stalled");
    assert!(!stalled.is_finished(), "the answer is held");
    assert_eq!(stalled.join().unwrap(), 200);
    assert!(started.elapsed() >= Duration::from_millis(1500));
    // Only the next request was stalled.
    let second = Instant::now();
    assert_eq!(put(addr, "s2", b"x").status, 200);
    assert!(second.elapsed() < Duration::from_millis(1500));
}

#[test]
fn spare_next_aims_request_faults_at_a_later_request() {
    let server = start(config());
    let addr = server.addr();
    server.faults().spare_next(2);
    server.faults().fail_next(1, 500);
    assert_eq!(put(addr, "a", b"1").status, 200);
    assert_eq!(put(addr, "b", b"2").status, 200);
    assert_eq!(put(addr, "c", b"3").status, 500);
    assert_eq!(put(addr, "c", b"3").status, 200);
}

#[test]
fn requests_seen_counts_dropped_requests_the_journal_does_not_have() {
    let server = start(config());
    let addr = server.addr();
    server.faults().drop_next(1);
    let mut conn = Conn::open(addr);
    let req = Request::object("PUT", addr, "d")
        .body(vec![1u8; 1000])
        .sign_v4();
    let _ = std::io::Write::write_all(&mut conn.stream, &req.to_bytes());
    assert!(conn.read_reply(false).is_none());
    assert_eq!(put(addr, "d", b"ok").status, 200);
    assert_eq!(server.faults().requests_seen(), 2);
    assert_eq!(server.journal().len(), 1);
    let _anonymous = Request::object("GET", addr, "d").send(addr);
    assert_eq!(
        server.faults().requests_seen(),
        2,
        "anonymous requests are not counted"
    );
}

#[test]
fn drop_next_after_reads_only_that_much_of_the_body() {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset};
    use std::io::Write;
    const DECLARED: u64 = 1 << 30;
    // However much the kernel buffers on this machine (loopback buffers grow to megabytes), it
    // holds far less than this: if the server read on past its 1,000 bytes, the writes would
    // go on well beyond it.
    const BOUND: u64 = 256 << 20;
    let server = start(config());
    let addr = server.addr();
    server.faults().drop_next_after(1, 1000);
    // A 1 GiB body is declared and streamed, never held: the reset, not the end of the body,
    // must stop the client.
    let req = Request::object("PUT", addr, "early.bin")
        .header("Content-Length", &DECLARED.to_string())
        .sign_v4();
    let mut conn = Conn::open(addr);
    conn.stream
        .set_write_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    conn.stream
        .write_all(&req.to_bytes())
        .expect("the head is sent");
    let chunk = vec![3u8; 64 << 10];
    let mut sent = 0u64;
    let failure = loop {
        if sent >= BOUND {
            break None;
        }
        match conn.stream.write(&chunk) {
            Ok(n) => sent += n as u64,
            Err(e) => break Some(e.kind()),
        }
    };
    assert!(
        matches!(
            failure,
            Some(BrokenPipe | ConnectionReset | ConnectionAborted)
        ),
        "the server should close after 1,000 bytes; the writes ended with {failure:?} \
         after {sent} bytes of the body"
    );
    assert!(!server.object_exists(BUCKET, "early.bin"));
    assert_eq!(put(addr, "early.bin", b"ok").status, 200);
}
