//! Upload callbacks through PutObject and CompleteMultipartUpload.

mod common;

use common::*;
use ossffi::encoding::base64_encode;

const FORM: &str = "application/x-www-form-urlencoded";

#[test]
fn successful_callback_reply_becomes_the_put_response() {
    let server = start(config());
    let addr = server.addr();
    let receiver = Receiver::start(200, "application/json", "{\"ok\":true}");
    let cb = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "bucket=${bucket}&object=${object}&my=${x:my}",
        FORM,
    );
    let var = base64_encode(br#"{"x:my":"v 1"}"#);
    let reply = Request::object("PUT", addr, "cb.txt")
        .header("x-oss-callback", &cb)
        .header("x-oss-callback-var", &var)
        .body(b"data".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), "{\"ok\":true}");
    assert_eq!(reply.header("Content-Type"), Some("application/json"));
    assert!(reply.header("ETag").is_some() && reply.header("x-oss-hash-crc64ecma").is_some());
    let requests = receiver.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    let (head, body) = &requests[0];
    assert_eq!(
        String::from_utf8_lossy(body),
        format!("bucket={BUCKET}&object=cb.txt&my=v%201")
    );
    assert!(
        head.to_ascii_lowercase().contains("x-oss-pub-key-url:"),
        "{head}"
    );
    assert!(server.object_exists(BUCKET, "cb.txt"));
}

#[test]
fn callback_in_the_query_string_works_too() {
    let server = start(config());
    let addr = server.addr();
    let receiver = Receiver::start(200, "application/json", "{}");
    let cb = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "size=${size}",
        FORM,
    );
    let reply = Request::object("PUT", addr, "q.txt")
        .query("callback", &cb)
        .body(b"12345".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(receiver.requests.lock().unwrap()[0].1, b"size=5");
}

#[test]
fn dead_receiver_gives_203_callback_failed_and_keeps_the_object() {
    let server = start(config());
    let addr = server.addr();
    let cb = callback_param(
        &format!("http://127.0.0.1:{}/cb", dead_port()),
        "b=${bucket}",
        FORM,
    );
    let reply = Request::object("PUT", addr, "dead.txt")
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
    assert!(reply.header("ETag").is_some());
    assert!(server.object_exists(BUCKET, "dead.txt"));
}

#[test]
fn invalid_callback_is_invalid_argument_and_nothing_is_stored() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "bad.txt")
        .header("x-oss-callback", "!!!not base64")
        .body(b"x".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument"),
        "{}",
        reply.text()
    );
    assert_eq!(reply.xml("ArgumentName").as_deref(), Some("callback"));
    assert!(!server.object_exists(BUCKET, "bad.txt"));
}

#[test]
fn callback_in_header_and_query_together_is_invalid_argument() {
    let server = start(config());
    let addr = server.addr();
    let cb = callback_param("http://127.0.0.1:1/cb", "b=${bucket}", FORM);
    let reply = Request::object("PUT", addr, "both.txt")
        .header("x-oss-callback", &cb)
        .query("callback", &cb)
        .body(b"x".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert!(!server.object_exists(BUCKET, "both.txt"));
}

#[test]
fn complete_multipart_upload_performs_the_callback() {
    let server = start(config());
    let addr = server.addr();
    let receiver = Receiver::start(200, "application/json", "{\"done\":1}");
    let init = Request::object("POST", addr, "mp.bin")
        .query("uploads", "")
        .sign_v4()
        .send(addr);
    let id = init.xml("UploadId").unwrap();
    let part = Request::object("PUT", addr, "mp.bin")
        .query("partNumber", "1")
        .query("uploadId", &id)
        .body(b"abc".to_vec())
        .sign_v4()
        .send(addr);
    let etag = part.header("ETag").unwrap().to_string();
    let cb = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "{\"size\":${size},\"op\":${operation}}",
        "application/json",
    );
    let xml = format!(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>"
    );
    let reply = Request::object("POST", addr, "mp.bin")
        .query("uploadId", &id)
        .header("x-oss-callback", &cb)
        .body(xml.into_bytes())
        .sign_v4()
        .send(addr);
    assert_eq!((reply.status, reply.text().as_str()), (200, "{\"done\":1}"));
    let sent = String::from_utf8(receiver.requests.lock().unwrap()[0].1.clone()).unwrap();
    let sent: serde_json::Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent["op"], "CompleteMultipartUpload");
    assert!(server.object_exists(BUCKET, "mp.bin"));
}

#[test]
fn an_empty_callback_url_is_a_plain_upload_answered_200() {
    let server = start(config());
    let addr = server.addr();
    let cb = base64_encode(br#"{"callbackUrl":"","callbackBody":"object=${object}"}"#);
    let reply = Request::object("PUT", addr, "no-callback.txt")
        .header("x-oss-callback", &cb)
        .body(b"plain".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), "");
    assert!(server.object_exists(BUCKET, "no-callback.txt"));
}
