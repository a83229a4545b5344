//! Hostile presigned URLs (issue 15, item 2), beyond the expiry extremes of
//! hostile_requests.rs item 7: parameters given twice, in either order, never lengthen a
//! URL's life or swap its key; thousands of parameters are judged promptly; bad
//! percent-encoding, invalid UTF-8 and impossible dates are refused with OSS's answers and no
//! panic; and a normal signed request is served afterwards.

mod common;

use std::net::SocketAddr;
use std::time::Instant;

use common::*;

/// GETs `target` exactly as given.
fn raw_get(addr: SocketAddr, target: &str) -> Reply {
    let bytes = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    send_raw(addr, bytes.as_bytes(), false).expect("an answer")
}

/// `target` with `extra` (already encoded) inserted as the first query parameter.
fn prepend(target: &str, extra: &str) -> String {
    let (path, query) = target.split_once('?').unwrap();
    format!("{path}?{extra}&{query}")
}

fn assert_refused(reply: &Reply, status: u16, code: &str, what: &str) {
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (status, code),
        "{what}: {}",
        reply.text()
    );
}

#[test]
fn a_v1_parameter_given_twice_never_lengthens_a_url_or_swaps_its_key() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "dup", b"secret").status, 200);
    let now = ossffi::time::now_unix();
    let expired = Request::object("GET", addr, "dup")
        .presign_v1(now - 10)
        .target();
    let later = format!("Expires={}", now + 3600);
    // After the real one: the first Expires counts, and it has passed.
    let reply = raw_get(addr, &format!("{expired}&{later}"));
    assert_refused(&reply, 403, "AccessDenied", "Expires appended");
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("Request has expired.")
    );
    // Before it: the signature covers the first Expires, which is not what was signed.
    let reply = raw_get(addr, &prepend(&expired, &later));
    assert_refused(&reply, 403, "SignatureDoesNotMatch", "Expires prepended");
    let valid = Request::object("GET", addr, "dup")
        .presign_v1(now + 600)
        .target();
    let reply = raw_get(addr, &prepend(&valid, "OSSAccessKeyId=LTAI5tSomeoneElse"));
    assert_refused(&reply, 403, "InvalidAccessKeyId", "another key first");
    let reply = raw_get(addr, &prepend(&valid, "Signature=AAAA"));
    assert_refused(
        &reply,
        403,
        "SignatureDoesNotMatch",
        "a forged signature first",
    );
    assert_eq!(raw_get(addr, &valid).body, b"secret");
    assert_still_serving(addr);
}

#[test]
fn a_v4_parameter_given_twice_is_signed_over_and_never_lengthens_a_url() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "dup4", b"secret").status, 200);
    let now = ossffi::time::now_unix();
    let expired = Request::object("GET", addr, "dup4")
        .presign_v4(now - 120, 60)
        .target();
    let valid = Request::object("GET", addr, "dup4")
        .presign_v4(now, 600)
        .target();
    let reply = raw_get(addr, &format!("{expired}&x-oss-expires=604800"));
    assert_refused(&reply, 403, "AccessDenied", "x-oss-expires appended");
    let reply = raw_get(addr, &prepend(&expired, "x-oss-expires=604800"));
    assert_refused(
        &reply,
        403,
        "SignatureDoesNotMatch",
        "x-oss-expires prepended",
    );
    let later = ossffi::time::iso8601_basic(now + 60);
    for (what, extra) in [
        ("x-oss-date", format!("x-oss-date={later}")),
        ("x-oss-expires", "x-oss-expires=604800".to_owned()),
        (
            "response-content-type",
            "response-content-type=text%2Fhtml".to_owned(),
        ),
    ] {
        for target in [format!("{valid}&{extra}"), prepend(&valid, &extra)] {
            let reply = raw_get(addr, &target);
            assert_refused(&reply, 403, "SignatureDoesNotMatch", what);
        }
    }
    // A forged signature first is the one judged; after the genuine one it changes nothing
    // (the first counts, as for every parameter).
    let reply = raw_get(addr, &prepend(&valid, "x-oss-signature=00"));
    assert_refused(
        &reply,
        403,
        "SignatureDoesNotMatch",
        "x-oss-signature prepended",
    );
    let reply = raw_get(addr, &format!("{expired}&x-oss-signature=00"));
    assert_refused(&reply, 403, "AccessDenied", "x-oss-signature appended");
    assert_eq!(raw_get(addr, &valid).body, b"secret");
    assert_still_serving(addr);
}

#[test]
fn presigned_urls_with_a_thousand_parameters_are_judged_promptly() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "many", b"many params").status, 200);
    let now = ossffi::time::now_unix();
    let mut req = Request::object("GET", addr, "many");
    for i in 0..1_000 {
        req = req.query("response-cache-control", &format!("max-age={i}"));
    }
    for (what, signed) in [
        ("V4", req.clone().presign_v4(now, 600)),
        ("V1", req.clone().presign_v1(now + 600)),
    ] {
        let target = signed.target();
        assert!(target.len() > 24 * 1024, "{}", target.len());
        let started = Instant::now();
        let reply = raw_get(addr, &target);
        assert!(
            started.elapsed() < PROMPT,
            "{what}: {:?}",
            started.elapsed()
        );
        assert_eq!(reply.status, 200, "{what}: {}", reply.text());
        assert_eq!(reply.body, b"many params");
        // The same thousand parameters with the signature broken.
        let broken = target
            .replace("Signature=", "Signature=0")
            .replace("x-oss-signature=", "x-oss-signature=0");
        let reply = raw_get(addr, &broken);
        assert_refused(&reply, 403, "SignatureDoesNotMatch", what);
    }
    // A thousand parameters no operation knows: 501 naming the first.
    let mut unknown = Request::object("GET", addr, "many");
    for i in 0..1_000 {
        unknown = unknown.query(&format!("junk{i}"), "1");
    }
    let started = Instant::now();
    let reply = unknown.presign_v4(now, 600).send(addr);
    assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
    assert_refused(&reply, 501, "NotImplemented", "unknown parameters");
    assert!(reply.xml("Message").unwrap().contains("?junk0"));
    assert_still_serving(addr);
}

#[test]
fn bad_percent_encoding_and_invalid_utf8_in_presign_parameters_are_refused_without_panic() {
    let server = start(config());
    let addr = server.addr();
    let now = ossffi::time::now_unix();
    let date = ossffi::time::iso8601_basic(now);
    let scope = format!("{AK}%2F{}%2F{REGION}%2Foss%2Faliyun_v4_request", &date[..8]);
    let v4 = |version: &str, credential: &str, date: &str, expires: &str| {
        format!(
            "/{BUCKET}/x?x-oss-signature-version={version}&x-oss-credential={credential}&x-oss-date={date}&x-oss-expires={expires}&x-oss-signature=00"
        )
    };
    let cases: Vec<(String, u16, &str)> = vec![
        (
            format!(
                "/{BUCKET}/x?OSSAccessKeyId=%zz&Expires={}&Signature=%",
                now + 60
            ),
            403,
            "InvalidAccessKeyId",
        ),
        (
            format!(
                "/{BUCKET}/x?OSSAccessKeyId=%FF%FE&Expires={}&Signature=x",
                now + 60
            ),
            403,
            "InvalidAccessKeyId",
        ),
        (
            format!("/{BUCKET}/x?OSSAccessKeyId={AK}&Expires=1%00&Signature=x"),
            400,
            "InvalidArgument",
        ),
        (
            format!("/{BUCKET}/x?OSSAccessKeyId={AK}&Expires=%31%32%FF&Signature=x"),
            400,
            "InvalidArgument",
        ),
        (
            v4("OSS4-HMAC-SHA256%00", &scope, &date, "60"),
            400,
            "InvalidArgument",
        ),
        (
            v4("OSS4-HMAC-SHA256", "%E9%zz", &date, "60"),
            400,
            "InvalidArgument",
        ),
        (
            v4("OSS4-HMAC-SHA256", &format!("%FF{scope}"), &date, "60"),
            403,
            "InvalidAccessKeyId",
        ),
        (
            v4("OSS4-HMAC-SHA256", &scope, "%FF%FE", "60"),
            400,
            "InvalidArgument",
        ),
        (
            v4("OSS4-HMAC-SHA256", &scope, &date, "6%0"),
            400,
            "InvalidArgument",
        ),
        (
            v4("OSS4-HMAC-SHA256", &scope, &date, "%"),
            400,
            "InvalidArgument",
        ),
    ];
    for (target, status, code) in cases {
        let reply = raw_get(addr, &target);
        assert_refused(&reply, status, code, &target);
    }
    assert_still_serving(addr);
}

#[test]
fn impossible_v4_dates_are_invalid_argument() {
    let server = start(config());
    let addr = server.addr();
    for date in [
        "20241301T000000Z",
        "20240230T000000Z",
        "20240101T246060Z",
        "20240101T000000",
        "2024-01-01T00:00:00Z",
        "+2024101T000000Z",
        "99999999T999999Z",
    ] {
        let target = format!(
            "/{BUCKET}/x?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential={AK}%2F20240101%2F{REGION}%2Foss%2Faliyun_v4_request&x-oss-date={date}&x-oss-expires=60&x-oss-signature=00"
        );
        let reply = raw_get(addr, &target);
        assert_refused(&reply, 400, "InvalidArgument", date);
    }
    assert_still_serving(addr);
}
