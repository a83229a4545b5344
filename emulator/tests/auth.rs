//! Authentication forms and their refusals.

mod common;

use common::*;
use ossffi::signing::Credentials;
use ossffi::time::now_unix;

#[test]
fn v1_header_signed_put_is_accepted() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "v1.txt")
        .header("Content-Type", "text/plain")
        .body(b"v1".to_vec())
        .sign_v1()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn v4_presigned_get_is_accepted() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "p.txt", b"presigned");
    let reply = Request::object("GET", addr, "p.txt")
        .presign_v4(now_unix(), 60)
        .send(addr);
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (200, &b"presigned"[..]),
        "{}",
        reply.text()
    );
}

#[test]
fn v1_presigned_get_is_accepted_and_refused_once_expired() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "p.txt", b"presigned");
    let ok = Request::object("GET", addr, "p.txt")
        .presign_v1(now_unix() + 60)
        .send(addr);
    assert_eq!(ok.status, 200, "{}", ok.text());
    let expired = Request::object("GET", addr, "p.txt")
        .presign_v1(now_unix() - 60)
        .send(addr);
    assert_eq!(
        (expired.status, expired.code().as_str()),
        (403, "AccessDenied")
    );
}

#[test]
fn anonymous_request_is_access_denied() {
    let server = start(config());
    let reply = Request::object("GET", server.addr(), "x").send(server.addr());
    assert_eq!((reply.status, reply.code().as_str()), (403, "AccessDenied"));
}

#[test]
fn unknown_access_key_is_invalid_access_key_id() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("GET", addr, "x")
        .sign_v4_with(&Credentials::new("NOPE", SK), now_unix())
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "InvalidAccessKeyId")
    );
}

#[test]
fn wrong_secret_is_signature_does_not_match() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("GET", addr, "x")
        .sign_v4_with(&Credentials::new(AK, "wrong"), now_unix())
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "SignatureDoesNotMatch")
    );
    assert!(
        reply
            .xml("CanonicalRequest")
            .unwrap()
            .starts_with("GET\n/test-bkt/x\n")
    );
}

#[test]
fn request_sixteen_minutes_old_is_request_time_too_skewed() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("GET", addr, "x")
        .sign_v4_with(&credentials(), now_unix() - 16 * 60)
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "RequestTimeTooSkewed")
    );
    assert!(reply.xml("ServerTime").is_some());
    assert_eq!(
        reply.xml("MaxAllowedSkewMilliseconds").as_deref(),
        Some("900000")
    );
}

#[test]
fn pinned_clock_accepts_requests_signed_at_that_time() {
    let server = start(config().with_now(1_700_000_000));
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "x")
        .sign_v4_with(&credentials(), 1_700_000_000 + 60)
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("Date"), Some("Tue, 14 Nov 2023 22:13:20 GMT"));
}

#[test]
fn content_sha256_other_than_unsigned_payload_is_refused() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("GET", addr, "x")
        .header("x-oss-content-sha256", "abc")
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert_eq!(reply.header("x-oss-ec"), Some("0002-00000214"));
}

#[test]
fn sts_key_requires_its_token() {
    let server = start(config().with_sts_token("token-1"));
    let addr = server.addr();
    let good = Request::object("PUT", addr, "x")
        .sign_v4_with(
            &Credentials::with_security_token(AK, SK, "token-1"),
            now_unix(),
        )
        .send(addr);
    assert_eq!(good.status, 200, "{}", good.text());
    let missing = Request::object("PUT", addr, "x").sign_v4().send(addr);
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (403, "InvalidSecurityToken")
    );
    let wrong = Request::object("PUT", addr, "x")
        .sign_v4_with(
            &Credentials::with_security_token(AK, SK, "token-2"),
            now_unix(),
        )
        .send(addr);
    assert_eq!(
        (wrong.status, wrong.code().as_str()),
        (403, "InvalidSecurityToken")
    );
}

#[test]
fn authorization_items_are_accepted_in_any_order_with_spaces() {
    let server = start(config());
    let addr = server.addr();
    let mut req = Request::object("PUT", addr, "order.txt").sign_v4();
    let auth = req
        .headers
        .iter_mut()
        .find(|(n, _)| n == "Authorization")
        .unwrap();
    let rest = auth
        .1
        .strip_prefix("OSS4-HMAC-SHA256 ")
        .unwrap()
        .to_string();
    let items: Vec<&str> = rest.split(',').collect();
    auth.1 = format!("OSS4-HMAC-SHA256 {}, {}", items[1], items[0]);
    assert_eq!(req.send(addr).status, 200);
}

#[test]
fn signature_in_both_header_and_query_is_refused() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("GET", addr, "x")
        .query("Signature", "abc")
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
}

#[test]
fn region_other_than_the_configured_one_is_refused_with_a_hint() {
    let server = start(config().with_region("cn-shanghai"));
    let reply = Request::object("GET", server.addr(), "x")
        .sign_v4()
        .send(server.addr());
    assert_eq!(reply.code(), "InvalidArgument");
    assert!(
        reply.xml("Message").unwrap().contains("--region"),
        "{}",
        reply.text()
    );
}
