//! Hostile PostObject forms (issue 15, item 2): multipart bodies that never end, that hold too
//! many or too large fields, that stall, that carry a file larger than the policy allows, that
//! repeat fields, and policies that are huge, deeply nested, not base64, not UTF-8 or full of
//! absurd numbers. Each is answered promptly with the error the emulator documents (OSS's own
//! where spec/postobject.md has one), nothing is stored, memory and threads stay bounded, and
//! a normal signed request is still served afterwards.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use ossffi::encoding::base64_encode;
use ossffi::signing::v4;
use ossffi::time::{iso8601_basic, iso8601_millis, now_unix};
use serde_json::{Value, json};

const BOUNDARY: &str = "hostileFormBoundary0123";

/// The request head of a form POST to the bucket announcing `length` body bytes.
fn form_head(addr: SocketAddr, content_type: &str, length: u64) -> Vec<u8> {
    format!(
        "POST /{BUCKET} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes()
}

fn multipart() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// One field part, its delimiter first.
fn part(name: &str, value: &[u8]) -> Vec<u8> {
    let mut out =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
            .into_bytes();
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
    out
}

/// The head of the file part; its bytes follow.
fn file_head() -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n\r\n"
    )
    .into_bytes()
}

fn closing() -> Vec<u8> {
    format!("\r\n--{BOUNDARY}--\r\n").into_bytes()
}

/// V4 auth fields for a policy with `conditions`, signed now with the test key.
fn signed_fields(conditions: Value) -> Vec<u8> {
    let now = now_unix();
    let text = json!({
        "expiration": iso8601_millis((now + 600) * 1000),
        "conditions": conditions,
    })
    .to_string();
    signed_policy_fields(&base64_encode(text.as_bytes()), now)
}

/// V4 auth fields carrying `policy` exactly as given, signed over it.
fn signed_policy_fields(policy: &str, now: i64) -> Vec<u8> {
    let date = iso8601_basic(now);
    let day = &date[..8];
    let key = v4::signing_key(SK, day, REGION, "oss");
    [
        part("x-oss-signature-version", b"OSS4-HMAC-SHA256"),
        part(
            "x-oss-credential",
            format!("{AK}/{day}/{REGION}/oss/aliyun_v4_request").as_bytes(),
        ),
        part("x-oss-date", date.as_bytes()),
        part("policy", policy.as_bytes()),
        part("x-oss-signature", v4::signature(&key, policy).as_bytes()),
    ]
    .concat()
}

/// A whole signed form: `fields`, the auth fields, then `file`.
fn signed_form(fields: &[u8], conditions: Value, file: &[u8]) -> Vec<u8> {
    [
        fields,
        &signed_fields(conditions),
        &file_head(),
        file,
        &closing(),
    ]
    .concat()
}

/// POSTs a whole form body and reads the reply.
fn post_form(addr: SocketAddr, body: &[u8]) -> Reply {
    let mut bytes = form_head(addr, &multipart(), body.len() as u64);
    bytes.extend_from_slice(body);
    send_raw(addr, &bytes, false).expect("a reply")
}

/// Sends a form head announcing `declared` bytes and only `sent` of them, then waits for the
/// answer without sending more: the reply and how long it took.
fn post_partial(addr: SocketAddr, declared: u64, sent: &[u8]) -> (Reply, Duration) {
    let mut conn = Conn::open(addr);
    conn.send(&form_head(addr, &multipart(), declared));
    let started = Instant::now();
    conn.send(sent);
    let reply = conn
        .read_reply(false)
        .expect("an answer before the body ends");
    (reply, started.elapsed())
}

/// An XML element's text with the five predefined entities read back.
fn text_of(reply: &Reply, name: &str) -> String {
    reply
        .xml(name)
        .unwrap_or_default()
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn assert_malformed(reply: &Reply, hint: &str) {
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "MalformedPOSTRequest"),
        "{}",
        reply.text()
    );
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("The body of your POST request is not well-formed multipart/form-data")
    );
    let got = text_of(reply, "Hint");
    assert!(got.contains(hint), "hint {got:?} lacks {hint:?}");
}

fn assert_policy_invalid(reply: &Reply, message_start: &str) {
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidPolicyDocument"),
        "{}",
        reply.text()
    );
    let message = text_of(reply, "Message");
    assert!(
        message.starts_with(message_start),
        "{message:?} does not start with {message_start:?}"
    );
}

// ---- The multipart framing ------------------------------------------------------------------

#[test]
fn a_body_that_never_reaches_its_first_boundary_is_malformed_and_read_in_bounded_memory() {
    let server = start(config());
    let addr = server.addr();
    // 8 MiB of preamble-like bytes with near-misses of the delimiter everywhere.
    let chunk = format!("\r\n--{}X", &BOUNDARY[..BOUNDARY.len() - 1]).repeat(4096);
    let body = chunk.as_bytes().repeat(8 << 20 >> 17);
    let started = Instant::now();
    let reply = post_form(addr, &body);
    assert_malformed(
        &reply,
        "the body ends inside a part, before the closing boundary",
    );
    assert!(started.elapsed() < PROMPT * 2, "{:?}", started.elapsed());
    assert_still_serving(addr);
}

#[test]
fn a_part_head_that_never_ends_is_refused_after_16_kib_before_the_body_ends() {
    let server = start(config());
    let addr = server.addr();
    let mut sent =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"key\"\r\n").into_bytes();
    while sent.len() < 64 * 1024 {
        sent.extend_from_slice(b"X-Filler: ffffffffffffffffffffffffffffffff\r\n");
    }
    let (reply, took) = post_partial(addr, 100 << 20, &sent);
    assert_malformed(&reply, "a part's headers are longer than 16384 bytes");
    assert!(took < PROMPT, "{took:?}");
    assert_eq!(reply.header("Connection"), Some("close"));
    assert_still_serving(addr);
}

#[test]
fn an_enormous_field_name_is_malformed() {
    let server = start(config());
    let addr = server.addr();
    let name = "n".repeat(20 * 1024);
    let (reply, took) = post_partial(addr, 100 << 20, &part(&name, b"v"));
    assert_malformed(&reply, "a part's headers are longer than 16384 bytes");
    assert!(took < PROMPT, "{took:?}");
    assert_still_serving(addr);
}

#[test]
fn an_enormous_field_value_is_refused_at_64_kib_before_the_body_ends() {
    let server = start(config());
    let addr = server.addr();
    let mut sent = part("key", b"k");
    sent.extend_from_slice(&part("x-oss-meta-big", &vec![b'v'; 200 * 1024])[..100 * 1024]);
    let (reply, took) = post_partial(addr, 100 << 20, &sent);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some(
            "The form field &quot;x-oss-meta-big&quot; is larger than 65536 bytes, the most ossffi-emulator accepts in a field before the file."
        )
    );
    assert!(took < PROMPT, "{took:?}");
    assert_still_serving(addr);
}

#[test]
fn a_huge_number_of_fields_is_refused_at_1_mib_before_the_body_ends() {
    let server = start(config());
    let addr = server.addr();
    let mut sent = part("key", b"k");
    let mut i = 0;
    while sent.len() < 2 << 20 {
        sent.extend_from_slice(&part(&format!("x:f{i}"), b"v"));
        i += 1;
    }
    let (reply, took) = post_partial(addr, 100 << 20, &sent);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument"),
        "{}",
        reply.text()
    );
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some(
            "The form fields before the file take more than 1048576 bytes, the most ossffi-emulator accepts."
        )
    );
    assert!(took < PROMPT, "{took:?}");
    assert_still_serving(addr);
}

#[test]
fn content_type_without_a_usable_boundary_is_malformed() {
    let server = start(config());
    let addr = server.addr();
    let body = signed_form(&part("key", b"k"), json!([{"bucket": BUCKET}]), b"x");
    let long = "b".repeat(1000);
    for (content_type, hint) in [
        (
            "multipart/form-data".to_owned(),
            "the Content-Type has no boundary parameter",
        ),
        (
            "multipart/form-data; boundary=".to_owned(),
            "must be 1 to 70 characters",
        ),
        (
            format!("multipart/form-data; boundary={long}"),
            "must be 1 to 70 characters",
        ),
        (
            "multipart/form-data; boundary=\"a\tb\"; boundary=x".to_owned(),
            "must be 1 to 70 characters",
        ),
    ] {
        let mut bytes = form_head(addr, &content_type, body.len() as u64);
        bytes.extend_from_slice(&body);
        let reply = send_raw(addr, &bytes, false).expect("a reply");
        assert_malformed(&reply, hint);
    }
    assert!(!server.object_exists(BUCKET, "k"));
    assert_still_serving(addr);
}

#[test]
fn a_70_character_boundary_and_near_miss_delimiters_in_the_file_are_stored_exactly() {
    let server = start(config());
    let addr = server.addr();
    let boundary = "7".repeat(70);
    // The file holds every prefix of its own delimiter and an inner multipart document.
    let mut file = Vec::new();
    for n in 0..boundary.len() + 4 {
        file.extend_from_slice(&format!("\r\n--{boundary}").as_bytes()[..n]);
        file.push(b'#');
    }
    file.extend_from_slice(
        b"--inner\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nevil\r\n--inner--",
    );
    let body = signed_form(
        &part("key", b"near-miss.bin"),
        json!([{"bucket": BUCKET}]),
        &file,
    );
    let body = String::from_utf8(body)
        .unwrap()
        .replace(BOUNDARY, &boundary);
    let mut bytes = form_head(
        addr,
        &format!("multipart/form-data; boundary={boundary}"),
        body.len() as u64,
    );
    bytes.extend_from_slice(body.as_bytes());
    let reply = send_raw(addr, &bytes, false).expect("a reply");
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(server.object_bytes(BUCKET, "near-miss.bin").unwrap(), file);
    assert!(!server.object_exists(BUCKET, "evil"));
}

#[test]
fn invalid_utf8_in_part_headers_values_and_names_is_malformed() {
    let server = start(config());
    let addr = server.addr();
    let bad = b"\xff\xfe\xc3\x28";
    let name_bad = [
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"").into_bytes(),
        bad.to_vec(),
        b"\"\r\n\r\nv\r\n".to_vec(),
    ]
    .concat();
    let filename_bad = [
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
            .into_bytes(),
        bad.to_vec(),
        b"\"\r\n\r\nfile bytes".to_vec(),
        closing(),
    ]
    .concat();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (name_bad, "a part's headers are not UTF-8"),
        (
            [part("key", b"k"), filename_bad].concat(),
            "a part's headers are not UTF-8",
        ),
        (
            [part("key", b"k"), part("x:v", bad), closing()].concat(),
            "the value of field \"x:v\" is not UTF-8",
        ),
    ];
    for (body, hint) in cases {
        let reply = post_form(addr, &body);
        assert_malformed(&reply, hint);
    }
    assert!(!server.object_exists(BUCKET, "k"));
    assert_still_serving(addr);
}

#[test]
fn a_file_over_content_length_range_is_refused_without_waiting_for_the_rest() {
    let server = start(config());
    let addr = server.addr();
    let mut sent = signed_form(
        &part("key", b"too-big.bin"),
        json!([{"bucket": BUCKET}, ["content-length-range", 0, 10]]),
        b"",
    );
    sent.truncate(sent.len() - closing().len());
    sent.extend_from_slice(&[b'z'; 64 * 1024]);
    let (reply, took) = post_partial(addr, 1 << 30, &sent);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "EntityTooLarge"),
        "{}",
        reply.text()
    );
    assert_eq!(reply.xml("MaxSizeAllowed").as_deref(), Some("10"));
    assert!(took < PROMPT, "{took:?}");
    assert!(!server.object_exists(BUCKET, "too-big.bin"));
    assert_still_serving(addr);
}

// ---- Repeated fields ------------------------------------------------------------------------

#[test]
fn a_repeated_field_counts_once_and_the_policy_checks_what_is_used() {
    let receiver = Receiver::start(200, "application/json", r#"{"ok":true}"#);
    let server = start(config());
    let addr = server.addr();
    let callback = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "uid=${x:uid}",
        "application/x-www-form-urlencoded",
    );
    // The policy pins x:uid and the owner metadata; a second copy of each follows the first.
    let fields = [
        part("key", b"dup.txt"),
        part("callback", callback.as_bytes()),
        part("x:uid", b"alice"),
        part("X:UID", b"mallory"),
        part("x:uid", b"mallory"),
        part("x-oss-meta-owner", b"alice"),
        part("X-OSS-META-OWNER", b"mallory"),
        part("Content-Type", b"text/plain"),
        part("content-type", b"text/html"),
    ]
    .concat();
    let conditions = json!([
        {"bucket": BUCKET},
        ["eq", "$x:uid", "alice"],
        ["eq", "$x-oss-meta-owner", "alice"],
        ["not-in", "$content-type", ["text/html"]],
    ]);
    let reply = post_form(addr, &signed_form(&fields, conditions, b"form bytes"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let requests = receiver.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].1, b"uid=alice");
    let meta = server.object_meta(BUCKET, "dup.txt").unwrap();
    assert_eq!(
        meta.user_meta,
        vec![("x-oss-meta-owner".to_owned(), "alice".to_owned())]
    );
    assert_eq!(meta.content_type, "text/plain");
    let got = get(addr, "dup.txt");
    assert_eq!(got.header("x-oss-meta-owner"), Some("alice"));
    assert_eq!(
        got.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("x-oss-meta-owner"))
            .count(),
        1
    );
}

#[test]
fn a_second_file_part_and_parts_after_it_are_skipped() {
    let server = start(config());
    let addr = server.addr();
    let mut body = signed_form(
        &part("key", b"first.bin"),
        json!([{"bucket": BUCKET}]),
        b"one",
    );
    body.truncate(body.len() - closing().len());
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(&file_head());
    body.extend_from_slice(b"two");
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(&part("key", b"second.bin"));
    body.extend_from_slice(format!("--{BOUNDARY}--").as_bytes());
    let reply = post_form(addr, &body);
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(server.object_bytes(BUCKET, "first.bin").unwrap(), b"one");
    assert!(!server.object_exists(BUCKET, "second.bin"));
}

// ---- The policy -----------------------------------------------------------------------------

/// An unsigned-but-complete V1 form whose policy field is `policy`: the policy is decoded
/// before the signature is checked, so anyone can make the emulator read it.
fn v1_form_with_policy(policy: &[u8]) -> Vec<u8> {
    [
        part("key", b"policy.bin"),
        part("OSSAccessKeyId", AK.as_bytes()),
        part("policy", policy),
        part("Signature", b"AAAA"),
        file_head(),
        b"x".to_vec(),
        closing(),
    ]
    .concat()
}

#[test]
fn policies_that_are_not_base64_json_objects_are_invalid_policy_documents() {
    let server = start(config());
    let addr = server.addr();
    let nested = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let nested_b64 = base64_encode(nested.as_bytes());
    // The field limit (64 KiB) comes first for the deepest nesting; 12,000 levels fit.
    let deep = format!(
        "{{\"expiration\":\"2099-01-01T00:00:00Z\",\"conditions\":[{}1{}]}}",
        "[".repeat(12_000),
        "]".repeat(12_000)
    );
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"not base64 at all!".to_vec(),
            "Invalid Policy: Invalid Base64 Encoding.",
        ),
        (
            b"eyJh\xff\xfe".to_vec(),
            "the value of field \"policy\" is not UTF-8",
        ),
        (
            base64_encode(b"{\"expiration\":\"\xff\"}").into_bytes(),
            "Invalid Policy: Invalid JSON: the policy is not UTF-8.",
        ),
        (
            base64_encode(deep.as_bytes()).into_bytes(),
            "Invalid Policy: Invalid JSON: recursion limit exceeded",
        ),
        (
            base64_encode(b"[\"expiration\"]").into_bytes(),
            "Invalid Policy: Invalid JSON: the policy must be a JSON object.",
        ),
        (
            base64_encode(
                b"{\"expiration\":\"99999-01-01T00:00:00Z\",\"conditions\":[{\"a\":\"b\"}]}",
            )
            .into_bytes(),
            "Invalid Policy: Invalid 'expiration' value: '99999-01-01T00:00:00Z'.",
        ),
        (
            base64_encode(b"{\"expiration\":1e999,\"conditions\":[]}").into_bytes(),
            "Invalid Policy: Invalid JSON: number out of range",
        ),
    ];
    for (policy, message) in cases {
        let started = Instant::now();
        let reply = post_form(addr, &v1_form_with_policy(&policy));
        assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
        if message.starts_with("the value") {
            assert_malformed(&reply, message);
        } else {
            assert_policy_invalid(&reply, message);
        }
    }
    // A policy field past the field limit is refused before it is decoded.
    let reply = post_form(addr, &v1_form_with_policy(nested_b64.as_bytes()));
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert!(!server.object_exists(BUCKET, "policy.bin"));
    assert_still_serving(addr);
}

#[test]
fn content_length_range_at_the_integer_extremes_is_judged_without_overflow() {
    let server = start(config());
    let addr = server.addr();
    for (range, message) in [
        (
            "[\"content-length-range\", -9223372036854775808, 9223372036854775807]",
            "Invalid Policy: Invalid content-length-range",
        ),
        (
            "[\"content-length-range\", 0, 18446744073709551616]",
            "Invalid Policy: Invalid content-length-range",
        ),
        (
            "[\"content-length-range\", 1e308, 1e308]",
            "Invalid Policy: Invalid content-length-range",
        ),
        (
            "[\"content-length-range\", 18446744073709551615, 0]",
            "Invalid Policy: Invalid content-length-range",
        ),
        (
            "[\"content-length-range\", \"0\", \"10\"]",
            "Invalid Policy: Invalid content-length-range",
        ),
    ] {
        let text =
            format!("{{\"expiration\":\"2099-01-01T00:00:00.000Z\",\"conditions\":[{range}]}}");
        let reply = post_form(
            addr,
            &v1_form_with_policy(base64_encode(text.as_bytes()).as_bytes()),
        );
        assert_policy_invalid(&reply, message);
    }
    // The widest valid range is the object size limit; the narrowest still counts.
    let wide = json!([{"bucket": BUCKET}, ["content-length-range", 0, u64::MAX]]);
    let reply = post_form(
        addr,
        &signed_form(&part("key", b"wide.bin"), wide, b"0123456789"),
    );
    assert_eq!(reply.status, 204, "{}", reply.text());
    let top = json!([
        {"bucket": BUCKET},
        ["content-length-range", u64::MAX, u64::MAX],
    ]);
    let reply = post_form(
        addr,
        &signed_form(&part("key", b"top.bin"), top, b"0123456789"),
    );
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "EntityTooSmall"),
        "{}",
        reply.text()
    );
    assert_eq!(reply.xml("MinSizeAllowed"), Some(u64::MAX.to_string()));
    assert!(!server.object_exists(BUCKET, "top.bin"));
    assert_still_serving(addr);
}

#[test]
fn a_policy_of_thousands_of_conditions_over_thousands_of_fields_is_judged_promptly() {
    let server = start(config());
    let addr = server.addr();
    // 3,000 conditions (near the 64 KiB field limit), each looking a field up among about
    // 20,000 fields (near the 1 MiB limit): the last condition fails.
    let mut conditions = vec![json!({"bucket": BUCKET})];
    for i in 0..3_000 {
        conditions.push(json!({ format!("x:c{i}"): "" }));
    }
    let last = conditions.len() - 1;
    conditions[last] = json!(["eq", "$x:absent", "v"]);
    let mut fields = part("key", b"many.bin");
    let mut i = 0;
    while fields.len() < 1000 * 1024 {
        fields.extend_from_slice(&part(&format!("x:c{i}"), b""));
        i += 1;
    }
    let body = signed_form(&fields, Value::Array(conditions), b"x");
    let started = Instant::now();
    let reply = post_form(addr, &body);
    assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "AccessDenied"),
        "{}",
        reply.text()
    );
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some(
            "Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$x:absent&quot;, &quot;v&quot;]"
        )
    );
    assert_still_serving(addr);
}

// ---- Slow forms -----------------------------------------------------------------------------

#[test]
fn sixty_forms_trickling_a_field_never_finished_hold_bounded_threads_and_time_out() {
    let (child, addr) = start_binary(
        Some("-n 1024"),
        &["--body-timeout-ms", "1500", "--max-connections", "100"],
    );
    let child = Binary(child);
    let opening = [
        part("key", b"slow.bin"),
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"x:slow\"\r\n\r\n")
            .into_bytes(),
    ]
    .concat();
    let mut slow: Vec<TcpStream> = (0..60)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(&form_head(addr, &multipart(), 10 << 20))
                .unwrap();
            s.write_all(&opening).unwrap();
            s
        })
        .collect();
    let mut worst = (0, 0);
    // Three rounds of one byte a connection every 700 ms: each read comes within the timeout.
    for round in 0..3 {
        for s in &mut slow {
            s.write_all(b"v").expect("a slow form is still being read");
        }
        let started = Instant::now();
        let reply = put(addr, &format!("normal-{round}"), b"served");
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
        let pid = child.0.id();
        let (threads, rss) = (proc_status(pid, "Threads:"), proc_status(pid, "VmRSS:"));
        worst = (worst.0.max(threads), worst.1.max(rss));
        thread::sleep(Duration::from_millis(700).saturating_sub(started.elapsed()));
    }
    // Then they stall: each is answered RequestTimeout and closed at the body timeout.
    let started = Instant::now();
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut response = Vec::new();
        let _ = s.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response);
        assert!(text.starts_with("HTTP/1.1 400 "), "{text}");
        assert!(text.contains("<Code>RequestTimeout</Code>"), "{text}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let (threads, rss_kib) = worst;
    eprintln!("60 slow forms: at most {threads} threads, {rss_kib} KiB resident");
    // One blocking thread per form being read, and a few more.
    assert!(threads <= 60 + 8, "{threads} threads");
    assert!(rss_kib <= 96 * 1024, "{rss_kib} KiB resident");
    assert_eq!(get(addr, "slow.bin").status, 404);
    assert_still_serving(addr);
}
