//! Requests a hostile client sends (issue 10, items 5 to 10), each replayed as found: the exact
//! answer OSS gives, nothing injected into a response or a callback, no overflow, no memory
//! reserved for bytes that never come, no operation silently swapped for another, and the
//! emulator still serving a normal signed request promptly afterwards.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use ossffi_emulator::{Config, RunningServer};

/// `req` with its request target replaced by `raw_target`, byte for byte, and
/// `Connection: close` so the whole response can be read to the end of the stream.
fn with_raw_target(req: &Request, raw_target: &str) -> Vec<u8> {
    let bytes = req.to_bytes();
    let line_end = bytes.windows(2).position(|w| w == b"\r\n").unwrap();
    let mut out = format!("{} {raw_target} HTTP/1.1", req.method).into_bytes();
    out.extend_from_slice(&bytes[line_end..line_end + 2]);
    out.extend_from_slice(b"Connection: close\r\n");
    out.extend_from_slice(&bytes[line_end + 2..]);
    out
}

/// Sends `bytes` and reads everything the server writes until it closes the connection.
fn whole_response(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(bytes).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a whole response into its head and body, asserting that it is exactly one response:
/// the body is as long as Content-Length says and nothing follows it.
fn one_response(response: &str) -> (&str, &str) {
    let head_end = response.find("\r\n\r\n").expect("a complete head") + 4;
    let (head, body) = response.split_at(head_end);
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .expect("a Content-Length");
    assert_eq!(body.len(), length, "bytes after the body: {response:?}");
    (head, body)
}

// ---- Item 5: response splitting through response-* overrides -------------------------------

const SPLITTING_TARGET: &str = "/test-bkt/inj?response-content-disposition=x%0D%0AX-Injected:%20yes%0D%0A%0D%0AHTTP/1.1%20200%20OK";

#[test]
fn response_override_carrying_crlf_is_refused_and_splits_nothing() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "inj", b"body").status, 200);
    let req = Request::object("GET", addr, "inj")
        .query(
            "response-content-disposition",
            "x\r\nX-Injected: yes\r\n\r\nHTTP/1.1 200 OK",
        )
        .sign_v4();
    let response = whole_response(addr, &with_raw_target(&req, SPLITTING_TARGET));
    let (head, body) = one_response(&response);
    assert!(head.starts_with("HTTP/1.1 400 "), "{head}");
    assert!(!head.to_ascii_lowercase().contains("x-injected"), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("content-disposition"),
        "{head}"
    );
    assert!(body.contains("<Code>InvalidArgument</Code>"), "{body}");
    assert!(
        body.contains("<ArgumentName>response-content-disposition</ArgumentName>"),
        "{body}"
    );
    // The value is echoed in the XML with CR escaped, so it cannot end a line there either.
    assert!(!body.contains('\r'), "{body:?}");
    assert_still_serving(addr);
}

#[test]
fn every_response_override_refuses_control_characters() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "inj", b"body").status, 200);
    for param in [
        "response-content-type",
        "response-content-language",
        "response-expires",
        "response-cache-control",
        "response-content-disposition",
        "response-content-encoding",
    ] {
        for value in ["a\rb", "a\nb", "a\0b", "a\x7fb"] {
            let reply = Request::object("GET", addr, "inj")
                .query(param, value)
                .sign_v4()
                .send(addr);
            assert_eq!(reply.status, 400, "{param}={value:?}");
            assert_eq!(reply.code(), "InvalidArgument", "{param}={value:?}");
            assert_eq!(reply.xml("ArgumentName").as_deref(), Some(param));
            assert!(reply.header("content-disposition").is_none());
        }
    }
    assert_still_serving(addr);
}

#[test]
fn response_override_with_ordinary_text_still_applies() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "inj", b"body").status, 200);
    let reply = Request::object("GET", addr, "inj")
        .query(
            "response-content-disposition",
            "attachment; filename=\"a\tb.txt\"",
        )
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-disposition"),
        Some("attachment; filename=\"a\tb.txt\"")
    );
}

// ---- Item 6: header injection into the callback request ------------------------------------

const INJECTED_HOST: &str =
    "legit.example\r\nX-Injected: yes\r\n\r\nPOST /smuggled HTTP/1.1\r\nHost: legit.example";

fn callback_with(fields: serde_json::Value) -> String {
    ossffi::encoding::base64_encode(fields.to_string().as_bytes())
}

/// A signed PutObject carrying `callback` sent as its head only, announcing a body it never
/// sends: an answer proves the callback was judged before the body was read.
fn put_head_only_with_callback(addr: SocketAddr, key: &str, callback: &str) -> (Reply, Duration) {
    let req = Request::object("PUT", addr, key)
        .header("x-oss-callback", callback)
        .header("Content-Length", "1000")
        .header("Expect", "100-continue")
        .sign_v4();
    let mut conn = Conn::open(addr);
    let started = Instant::now();
    conn.send(&req.to_bytes());
    let reply = conn
        .read_reply(false)
        .expect("an answer before any body byte");
    (reply, started.elapsed())
}

#[test]
fn callback_host_carrying_crlf_is_refused_before_the_body_and_never_reaches_the_receiver() {
    let receiver = Receiver::start(200, "application/json", r#"{"ok":true}"#);
    let server = start(config());
    let addr = server.addr();
    let callback = callback_with(serde_json::json!({
        "callbackUrl": format!("http://127.0.0.1:{}/cb", receiver.port),
        "callbackHost": INJECTED_HOST,
        "callbackBody": "bucket=${bucket}",
    }));
    let (reply, took) = put_head_only_with_callback(addr, "cb-host.txt", &callback);
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), "InvalidArgument");
    assert_eq!(reply.xml("ArgumentName").as_deref(), Some("callback"));
    let message = reply.xml("Message").unwrap();
    assert!(
        message.starts_with("The callbackHost &quot;legit.example\\r\\nX-Injected: yes"),
        "{message}"
    );
    assert!(
        message.ends_with(
            "&quot; is invalid: it contains control characters; it must be a host name or IP address with an optional :port."
        ),
        "{message}"
    );
    assert!(took < PROMPT, "answered after {took:?}");
    assert!(!server.object_exists(BUCKET, "cb-host.txt"));

    // With the whole body sent too, nothing is stored and no callback goes out.
    let reply = Request::object("PUT", addr, "cb-host.txt")
        .header("x-oss-callback", &callback)
        .body(b"hello".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(receiver.requests.lock().unwrap().len(), 0);
    assert!(!server.object_exists(BUCKET, "cb-host.txt"));
    assert_still_serving(addr);
}

#[test]
fn a_valid_callback_host_with_port_becomes_the_host_line_alone() {
    let receiver = Receiver::start(200, "application/json", r#"{"ok":true}"#);
    let server = start(config());
    let addr = server.addr();
    let callback = callback_with(serde_json::json!({
        "callbackUrl": format!("http://127.0.0.1:{}/cb", receiver.port),
        "callbackHost": "legit.example:8080",
        "callbackBody": "bucket=${bucket}",
    }));
    let reply = Request::object("PUT", addr, "cb-ok.txt")
        .header("x-oss-callback", &callback)
        .body(b"hello".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let requests = receiver.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    let head = &requests[0].0;
    assert!(head.contains("\r\nHost: legit.example:8080\r\n"), "{head}");
    assert_eq!(head.matches("Host:").count(), 1, "{head}");
}

#[test]
fn other_callback_fields_carrying_crlf_are_refused_before_the_body() {
    let receiver = Receiver::start(200, "application/json", r#"{"ok":true}"#);
    let server = start(config());
    let addr = server.addr();
    let url = format!("http://127.0.0.1:{}/cb", receiver.port);
    let cases = [
        serde_json::json!({
            "callbackUrl": format!("{url}?a=1\r\nX-Injected: yes"),
            "callbackBody": "bucket=${bucket}",
        }),
        serde_json::json!({
            "callbackUrl": format!("{url}\r\nX-Injected: yes"),
            "callbackBody": "bucket=${bucket}",
        }),
        serde_json::json!({
            "callbackUrl": url,
            "callbackBody": "bucket=${bucket}",
            "callbackBodyType": "application/json\r\nX-Injected: yes",
        }),
        serde_json::json!({
            "callbackUrl": url,
            "callbackBody": "bucket=${bucket}",
            "callbackSNI": "true\r\nX-Injected: yes",
        }),
    ];
    for fields in cases {
        let (reply, took) =
            put_head_only_with_callback(addr, "cb-fields.txt", &callback_with(fields.clone()));
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, "InvalidArgument"),
            "{fields}"
        );
        assert_eq!(reply.xml("ArgumentName").as_deref(), Some("callback"));
        assert!(took < PROMPT, "{fields}: answered after {took:?}");
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(receiver.requests.lock().unwrap().len(), 0);
    assert!(!server.object_exists(BUCKET, "cb-fields.txt"));
    assert_still_serving(addr);
}

// ---- Item 7: arithmetic on request values --------------------------------------------------

/// A server whose access key is literally `AK` with a bucket `bkt`, so the issue's URL replays
/// unchanged.
fn server_for_issue_urls() -> RunningServer {
    start(Config::new("AK", "SK").with_bucket("bkt"))
}

fn raw_get(addr: SocketAddr, target: &str) -> Reply {
    let bytes = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    send_raw(addr, bytes.as_bytes(), false).expect("an answer")
}

#[test]
fn v1_presigned_url_expiring_at_the_smallest_i64_has_expired() {
    let server = server_for_issue_urls();
    let addr = server.addr();
    let reply = raw_get(
        addr,
        "/bkt/x?OSSAccessKeyId=AK&Expires=-9223372036854775808&Signature=x",
    );
    assert_eq!(reply.status, 403);
    assert_eq!(reply.code(), "AccessDenied");
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("Request has expired.")
    );
    assert_eq!(
        reply.xml("Expires").as_deref(),
        Some("-9223372036854775808")
    );
    assert_eq!(reply.header("x-oss-ec"), Some("0002-00000069"));
    // The connection thread survived: the same server answers again.
    let again = raw_get(
        addr,
        "/bkt/x?OSSAccessKeyId=AK&Expires=-9223372036854775808&Signature=x",
    );
    assert_eq!(again.status, 403);
}

#[test]
fn v1_presigned_expiry_that_is_no_64_bit_number_is_invalid_argument() {
    let server = server_for_issue_urls();
    let addr = server.addr();
    for expires in ["99999999999999999999", "-99999999999999999999", "1e9", ""] {
        let reply = raw_get(
            addr,
            &format!("/bkt/x?OSSAccessKeyId=AK&Expires={expires}&Signature=x"),
        );
        assert_eq!(reply.status, 400, "Expires={expires}");
        assert_eq!(reply.code(), "InvalidArgument", "Expires={expires}");
        assert_eq!(reply.xml("ArgumentName").as_deref(), Some("Expires"));
    }
}

#[test]
fn v1_presigned_expiry_at_the_largest_i64_is_judged_by_its_signature() {
    let server = server_for_issue_urls();
    let reply = raw_get(
        server.addr(),
        "/bkt/x?OSSAccessKeyId=AK&Expires=9223372036854775807&Signature=x",
    );
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "SignatureDoesNotMatch")
    );
}

#[test]
fn v4_presigned_expiry_and_date_at_the_extremes_get_oss_errors() {
    let server = start(config());
    let addr = server.addr();
    let scope = |date: &str| format!("{AK}%2F{}%2F{REGION}%2Foss%2Faliyun_v4_request", &date[..8]);
    let url = |date: &str, expires: &str| {
        format!(
            "/{BUCKET}/x?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential={}&x-oss-date={date}&x-oss-expires={expires}&x-oss-signature=00",
            scope(date)
        )
    };
    let now = ossffi::time::iso8601_basic(ossffi::time::now_unix());
    for expires in ["-9223372036854775808", "9223372036854775807", "0", "604801"] {
        let reply = raw_get(addr, &url(&now, expires));
        assert_eq!(reply.status, 400, "x-oss-expires={expires}");
        assert_eq!(reply.code(), "InvalidArgument", "x-oss-expires={expires}");
    }
    let reply = raw_get(addr, &url("99991231T235959Z", "604800"));
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "RequestTimeTooSkewed")
    );
    let reply = raw_get(addr, &url("00000101T000000Z", "604800"));
    assert_eq!((reply.status, reply.code().as_str()), (403, "AccessDenied"));
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("Request has expired.")
    );
    assert_still_serving(addr);
}

#[test]
fn header_signed_dates_at_the_extremes_are_too_skewed() {
    let server = start(config());
    let addr = server.addr();
    for unix in [253_402_300_799, -62_167_219_200] {
        let reply = Request::object("GET", addr, "x")
            .sign_v4_with(&credentials(), unix)
            .send(addr);
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (403, "RequestTimeTooSkewed"),
            "{unix}"
        );
    }
    assert_still_serving(addr);
}

#[test]
fn list_parts_marker_at_the_largest_u32_is_refused_not_overflowed() {
    let server = start(config());
    let addr = server.addr();
    let init = Request::object("POST", addr, "mp")
        .query("uploads", "")
        .sign_v4()
        .send(addr);
    let upload_id = init.xml("UploadId").unwrap();
    for marker in ["4294967295", "4294967296", "-1", "10001"] {
        let reply = Request::object("GET", addr, "mp")
            .query("uploadId", &upload_id)
            .query("part-number-marker", marker)
            .sign_v4()
            .send(addr);
        assert_eq!(reply.status, 400, "part-number-marker={marker}");
        assert_eq!(reply.code(), "InvalidArgument");
        assert_eq!(
            reply.xml("ArgumentName").as_deref(),
            Some("part-number-marker")
        );
    }
    let reply = Request::object("GET", addr, "mp")
        .query("uploadId", &upload_id)
        .query("part-number-marker", "10000")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.xml("IsTruncated").as_deref(), Some("false"));
    assert_still_serving(addr);
}

#[test]
fn ranges_and_positions_at_the_extremes_answer_without_overflow() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "r", b"0123456789").status, 200);
    let expectations = [
        ("bytes=18446744073709551615-", 200, 10),
        ("bytes=-18446744073709551615", 206, 10),
        ("bytes=0-18446744073709551615", 206, 10),
        ("bytes=18446744073709551615-18446744073709551615", 200, 10),
        ("bytes=18446744073709551616-", 200, 10),
        ("bytes=9-9", 206, 1),
    ];
    for (range, status, len) in expectations {
        let reply = Request::object("GET", addr, "r")
            .header("Range", range)
            .sign_v4()
            .send(addr);
        assert_eq!((reply.status, reply.body.len()), (status, len), "{range}");
    }
    let reply = Request::object("POST", addr, "r")
        .query("append", "")
        .query("position", "18446744073709551615")
        .body(b"x".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 409);
    for max_keys in ["18446744073709551616", "0", "1001", "-1"] {
        let reply = Request::new("GET", addr, Some(BUCKET), None)
            .query("max-keys", max_keys)
            .sign_v4()
            .send(addr);
        assert_eq!(reply.status, 400, "max-keys={max_keys}");
        assert_eq!(reply.xml("ArgumentName").as_deref(), Some("max-keys"));
    }
    assert_still_serving(addr);
}

// ---- Item 8: memory reserved from a declared length ----------------------------------------

#[test]
fn put_declaring_4_gib_does_not_abort_an_emulator_under_an_address_space_limit() {
    let (mut child, addr) = start_binary(Some("-v 2097152"), &[]);
    let req = Request::object("PUT", addr, "huge")
        .header("Content-Length", "4294967296")
        .sign_v4();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(&req.to_bytes()).unwrap();
    stream.write_all(b"hello").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 400 "), "{response}");
    assert_eq!(child.try_wait().unwrap(), None, "the emulator exited");
    assert_still_serving(addr);
    assert_eq!(get(addr, "huge").status, 404);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A signed request announcing `length` body bytes, sent as its head only.
fn head_only(addr: SocketAddr, req: Request, length: u64) -> (Reply, Duration) {
    let req = req.header("Content-Length", &length.to_string()).sign_v4();
    let mut conn = Conn::open(addr);
    let started = Instant::now();
    conn.send(&req.to_bytes());
    let reply = conn
        .read_reply(false)
        .expect("an answer before any body byte");
    (reply, started.elapsed())
}

fn assert_entity_too_large(reply: &Reply, took: Duration, max: u64, proposed: u64) {
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.code(), "EntityTooLarge");
    assert_eq!(reply.xml("MaxSizeAllowed"), Some(max.to_string()));
    assert_eq!(reply.xml("ProposedSize"), Some(proposed.to_string()));
    assert!(took < PROMPT, "answered after {took:?}");
}

const FIVE_GIB: u64 = 5 << 30;

#[test]
fn declared_lengths_over_5_gib_are_refused_before_reading() {
    let server = start(config());
    let addr = server.addr();
    let (reply, took) = head_only(addr, Request::object("PUT", addr, "big"), FIVE_GIB + 1);
    assert_entity_too_large(&reply, took, FIVE_GIB, FIVE_GIB + 1);

    let init = Request::object("POST", addr, "big")
        .query("uploads", "")
        .sign_v4()
        .send(addr);
    let upload_id = init.xml("UploadId").unwrap();
    let part = Request::object("PUT", addr, "big")
        .query("partNumber", "1")
        .query("uploadId", &upload_id);
    let (reply, took) = head_only(addr, part, 1 << 62);
    assert_entity_too_large(&reply, took, FIVE_GIB, 1 << 62);

    let append = Request::object("POST", addr, "big-append")
        .query("append", "")
        .query("position", "0");
    let (reply, took) = head_only(addr, append, FIVE_GIB + 1);
    assert_entity_too_large(&reply, took, FIVE_GIB, FIVE_GIB + 1);
    assert!(!server.object_exists(BUCKET, "big"));
    assert!(!server.object_exists(BUCKET, "big-append"));
    assert_still_serving(addr);
}

// ---- Item 9: ListBuckets names the emulator ------------------------------------------------

fn list_buckets(addr: SocketAddr, host: &str, query: &[(&str, &str)]) -> Reply {
    let mut req = Request::new("GET", addr, None, None);
    req.host = host.to_string();
    for (n, v) in query {
        req = req.query(n, v);
    }
    req.sign_v4().send(addr)
}

#[test]
fn list_buckets_names_the_emulator_as_every_bucket_endpoint() {
    let server = start(config().with_bucket("second-bkt"));
    let addr = server.addr();
    let reply = list_buckets(addr, &addr.to_string(), &[]);
    assert_eq!(reply.status, 200);
    let xml = reply.text();
    assert_eq!(all(&xml, "Name"), vec!["second-bkt", BUCKET]);
    let here = addr.to_string();
    assert_eq!(
        all(&xml, "ExtranetEndpoint"),
        vec![here.clone(), here.clone()]
    );
    assert_eq!(all(&xml, "IntranetEndpoint"), vec![here.clone(), here]);
    assert_eq!(all(&xml, "Region"), vec![REGION, REGION]);
    assert_eq!(
        all(&xml, "Location"),
        vec![format!("oss-{REGION}"), format!("oss-{REGION}")]
    );
    assert_eq!(reply.xml("MaxKeys").as_deref(), Some("100"));
    assert_eq!(reply.xml("IsTruncated").as_deref(), Some("false"));
    assert!(reply.xml("NextMarker").is_none());
    let localhost = format!("localhost:{}", addr.port());
    let reply = list_buckets(addr, &localhost, &[]);
    assert_eq!(all(&reply.text(), "ExtranetEndpoint")[0], localhost);
}

#[test]
fn list_buckets_never_names_a_host_off_this_machine() {
    let server = start(config());
    let addr = server.addr();
    let port = addr.port();
    for (host, expected) in [
        (
            format!("oss-cn-hangzhou.aliyuncs.com:{port}"),
            format!("127.0.0.1:{port}"),
        ),
        ("evil.example".to_string(), "127.0.0.1".to_string()),
        (format!("8.8.8.8:{port}"), format!("127.0.0.1:{port}")),
        (format!("0.0.0.0:{port}"), format!("127.0.0.1:{port}")),
    ] {
        let reply = list_buckets(addr, &host, &[]);
        assert_eq!(reply.status, 200, "{host}");
        let xml = reply.text();
        assert_eq!(
            all(&xml, "ExtranetEndpoint"),
            vec![expected.clone()],
            "{host}"
        );
        assert_eq!(all(&xml, "IntranetEndpoint"), vec![expected], "{host}");
    }
}

#[test]
fn list_buckets_pages_with_prefix_marker_and_max_keys() {
    let mut cfg = config();
    for name in ["page-a", "page-b", "page-c", "page-d", "page-e", "other"] {
        cfg = cfg.with_bucket(name);
    }
    let server = start(cfg);
    let addr = server.addr();
    let host = addr.to_string();
    let mut seen = Vec::new();
    let mut marker = String::new();
    let mut pages = 0;
    loop {
        let reply = list_buckets(
            addr,
            &host,
            &[("prefix", "page-"), ("marker", &marker), ("max-keys", "2")],
        );
        assert_eq!(reply.status, 200);
        pages += 1;
        assert_eq!(reply.xml("Prefix").as_deref(), Some("page-"));
        assert_eq!(reply.xml("Marker"), Some(marker.clone()));
        assert_eq!(reply.xml("MaxKeys").as_deref(), Some("2"));
        seen.extend(all(&reply.text(), "Name"));
        if reply.xml("IsTruncated").as_deref() == Some("false") {
            assert!(reply.xml("NextMarker").is_none());
            break;
        }
        marker = reply.xml("NextMarker").unwrap();
        assert_eq!(Some(&marker), seen.last());
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ["page-a", "page-b", "page-c", "page-d", "page-e"]);
    for bad in ["0", "1001", "ten", ""] {
        let reply = list_buckets(addr, &host, &[("max-keys", bad)]);
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, "InvalidArgument"),
            "{bad}"
        );
        assert_eq!(reply.xml("ArgumentName").as_deref(), Some("max-keys"));
    }
}

// ---- Item 10: no silent fall-through to another operation ----------------------------------

fn assert_not_implemented(reply: &Reply, naming: &str, what: &str) {
    assert_eq!(reply.status, 501, "{what}: {}", reply.text());
    assert_eq!(reply.code(), "NotImplemented", "{what}");
    let message = reply.xml("Message").unwrap_or_default();
    assert!(message.contains(naming), "{what}: {message}");
}

const UNIMPLEMENTED: &[&str] = &[
    "stat",
    "regions",
    "retention",
    "tagging",
    "seal",
    "acl",
    "symlink",
    "restore",
    "objectMeta",
    "cors",
    "lifecycle",
    "website",
    "referer",
    "logging",
    "policy",
    "versioning",
    "versions",
    "worm",
    "inventory",
    "replication",
    "encryption",
    "qos",
    "location",
    "bucketInfo",
    "x-oss-process",
    "delete",
];

#[test]
fn unimplemented_sub_resources_on_objects_answer_501_for_every_method() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "obj", b"the object").status, 200);
    for method in ["GET", "HEAD", "PUT", "POST", "DELETE"] {
        // HEAD ?objectMeta is GetObjectMeta (tests/object_basics.rs).
        for name in UNIMPLEMENTED
            .iter()
            .filter(|n| !(method == "HEAD" && **n == "objectMeta"))
        {
            let reply = Request::object(method, addr, "obj")
                .query(name, "")
                .sign_v4()
                .send(addr);
            assert_not_implemented(&reply, &format!("?{name}"), &format!("{method} ?{name}"));
        }
    }
    assert_eq!(get(addr, "obj").body, b"the object");
    assert_still_serving(addr);
}

#[test]
fn unimplemented_sub_resources_on_buckets_and_the_service_answer_501() {
    let server = start(config());
    let addr = server.addr();
    for method in ["GET", "HEAD", "PUT", "POST", "DELETE"] {
        // POST ?delete is DeleteMultipleObjects (tests/object_basics.rs); GET, PUT and DELETE
        // ?cors are the bucket CORS operations (tests/cors.rs).
        for name in UNIMPLEMENTED.iter().filter(|n| {
            **n != "acl"
                && !(method == "POST" && **n == "delete")
                && !(**n == "cors" && matches!(method, "GET" | "PUT" | "DELETE"))
        }) {
            let reply = Request::new(method, addr, Some(BUCKET), None)
                .query(name, "")
                .sign_v4()
                .send(addr);
            assert_not_implemented(
                &reply,
                &format!("?{name}"),
                &format!("{method} bucket ?{name}"),
            );
        }
    }
    for name in ["regions", "tagging", "tag-key"] {
        let reply = Request::new("GET", addr, None, None)
            .query(name, "")
            .sign_v4()
            .send(addr);
        assert_not_implemented(&reply, &format!("?{name}"), &format!("service ?{name}"));
    }
    assert_still_serving(addr);
}

#[test]
fn retention_no_longer_returns_the_objects_bytes() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "kept", b"secret bytes").status, 200);
    let reply = Request::object("GET", addr, "kept")
        .query("retention", "")
        .sign_v4()
        .send(addr);
    assert_not_implemented(&reply, "?retention", "GET ?retention");
    assert!(!reply.text().contains("secret bytes"));
}

#[test]
fn seal_answers_501_instead_of_405() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("POST", addr, "appendable")
        .query("seal", "")
        .sign_v4()
        .send(addr);
    assert_not_implemented(&reply, "?seal", "POST ?seal");
}

#[test]
fn copy_source_on_put_object_answers_501_and_stores_nothing() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "src", b"source bytes").status, 200);
    let reply = Request::object("PUT", addr, "copy")
        .header("x-oss-copy-source", &format!("/{BUCKET}/src"))
        .sign_v4()
        .send(addr);
    assert_not_implemented(&reply, "CopyObject", "CopyObject");
    assert!(!server.object_exists(BUCKET, "copy"));
}

#[test]
fn unknown_query_parameters_answer_501_naming_them() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "obj", b"x").status, 200);
    let reply = Request::object("GET", addr, "obj")
        .query("frobnicate", "1")
        .sign_v4()
        .send(addr);
    assert_not_implemented(&reply, "?frobnicate", "unknown parameter");
    let reply = Request::object("GET", addr, "obj")
        .query("versionId", "CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2")
        .sign_v4()
        .send(addr);
    assert_not_implemented(&reply, "versionId", "a real version id");
    let reply = Request::object("GET", addr, "obj")
        .query("versionId", "null")
        .sign_v4()
        .send(addr);
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"x"[..]));
}

#[test]
fn implemented_operations_keep_their_parameters_and_presigned_urls() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "dir/obj", b"payload").status, 200);
    let now = ossffi::time::now_unix();
    let v4 = Request::object("GET", addr, "dir/obj")
        .query("response-content-type", "text/plain")
        .presign_v4(now, 600)
        .send(addr);
    assert_eq!(
        (v4.status, v4.header("content-type")),
        (200, Some("text/plain"))
    );
    let v1 = Request::object("GET", addr, "dir/obj")
        .presign_v1(now + 600)
        .send(addr);
    assert_eq!(v1.status, 200);
    let listed = Request::new("GET", addr, Some(BUCKET), None)
        .query("list-type", "2")
        .query("prefix", "dir/")
        .query("delimiter", "/")
        .query("max-keys", "10")
        .query("encoding-type", "url")
        .query("fetch-owner", "false")
        .sign_v4()
        .send(addr);
    assert_eq!(listed.status, 200, "{}", listed.text());
    let acl = Request::new("GET", addr, Some(BUCKET), None)
        .query("acl", "")
        .sign_v4()
        .send(addr);
    assert_eq!(acl.status, 200);
    let created = Request::new("PUT", addr, Some("new-bkt"), None)
        .presign_v4(now, 600)
        .send(addr);
    assert_eq!(created.status, 200, "{}", created.text());
}
