//! Bucket CORS over the wire: PutBucketCors / GetBucketCors / DeleteBucketCors, the OPTIONS
//! preflight a browser sends without credentials, and the Access-Control-* headers on the
//! answers to cross-origin requests (errors and callback replies included).

mod common;

use std::net::SocketAddr;

use common::*;

const PAGE: &str = "http://127.0.0.1:8080";

const RULES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CORSConfiguration>\
<CORSRule><AllowedOrigin>http://127.0.0.1:8080</AllowedOrigin><AllowedOrigin>https://*.example.com</AllowedOrigin>\
<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>\
<AllowedHeader>content-type</AllowedHeader><AllowedHeader>x-oss-meta-*</AllowedHeader>\
<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-oss-request-id</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>\
<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule>\
<ResponseVary>false</ResponseVary></CORSConfiguration>";

const NOT_ALLOWED: &str = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource&apos;s CORS spec.";

fn put_cors(addr: SocketAddr, xml: &str) -> Reply {
    Request::new("PUT", addr, Some(BUCKET), None)
        .query("cors", "")
        .header("Content-Type", "application/xml")
        .body(xml)
        .sign_v4()
        .send(addr)
}

fn preflight(addr: SocketAddr, key: Option<&str>, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::new("OPTIONS", addr, Some(BUCKET), key);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.send(addr)
}

fn with_rules() -> ossffi_emulator::RunningServer {
    let server = start(config());
    let reply = put_cors(server.addr(), RULES);
    assert_eq!(reply.status, 200, "{}", reply.text());
    server
}

#[test]
fn get_bucket_cors_returns_the_rules_put() {
    let server = with_rules();
    let addr = server.addr();
    let reply = Request::new("GET", addr, Some(BUCKET), None)
        .query("cors", "")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.text(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CORSConfiguration>\n  <CORSRule>\n    \
<AllowedOrigin>http://127.0.0.1:8080</AllowedOrigin>\n    <AllowedOrigin>https://*.example.com</AllowedOrigin>\n    \
<AllowedMethod>PUT</AllowedMethod>\n    <AllowedMethod>GET</AllowedMethod>\n    \
<AllowedHeader>content-type</AllowedHeader>\n    <AllowedHeader>x-oss-meta-*</AllowedHeader>\n    \
<ExposeHeader>ETag</ExposeHeader>\n    <ExposeHeader>x-oss-request-id</ExposeHeader>\n    \
<MaxAgeSeconds>600</MaxAgeSeconds>\n  </CORSRule>\n  <CORSRule>\n    <AllowedOrigin>*</AllowedOrigin>\n    \
<AllowedMethod>HEAD</AllowedMethod>\n    <AllowedHeader>*</AllowedHeader>\n  </CORSRule>\n  \
<ResponseVary>false</ResponseVary>\n</CORSConfiguration>\n"
    );
}

#[test]
fn get_bucket_cors_without_rules_is_no_such_cors_configuration() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::new("GET", addr, Some(BUCKET), None)
        .query("cors", "")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 404);
    assert_eq!(reply.code(), "NoSuchCORSConfiguration");
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("The CORS Configuration does not exist.")
    );
}

#[test]
fn delete_bucket_cors_turns_preflights_away_again() {
    let server = with_rules();
    let addr = server.addr();
    let deleted = Request::new("DELETE", addr, Some(BUCKET), None)
        .query("cors", "")
        .sign_v4()
        .send(addr);
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let reply = preflight(
        addr,
        Some("k"),
        &[("Origin", PAGE), ("Access-Control-Request-Method", "PUT")],
    );
    assert_eq!(reply.status, 403);
    assert_eq!(reply.code(), "AccessForbidden");
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("CORSResponse: CORS is not enabled for this bucket.")
    );
}

#[test]
fn put_bucket_cors_needs_a_signature() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::new("PUT", addr, Some(BUCKET), None)
        .query("cors", "")
        .body(RULES)
        .send(addr);
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert_eq!(reply.code(), "AccessDenied");
}

#[test]
fn a_matching_preflight_on_an_object_is_answered_without_credentials() {
    let server = with_rules();
    let reply = preflight(
        server.addr(),
        Some("uploads/a.txt"),
        &[
            ("Origin", PAGE),
            ("Access-Control-Request-Method", "PUT"),
            (
                "Access-Control-Request-Headers",
                "Content-Type, x-oss-meta-who",
            ),
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some(PAGE));
    assert_eq!(
        reply.header("Access-Control-Allow-Methods"),
        Some("PUT, GET")
    );
    assert_eq!(
        reply.header("Access-Control-Allow-Headers"),
        Some("Content-Type, x-oss-meta-who")
    );
    assert_eq!(
        reply.header("Access-Control-Expose-Headers"),
        Some("ETag, x-oss-request-id")
    );
    assert_eq!(reply.header("Access-Control-Max-Age"), Some("600"));
    assert_eq!(reply.header("Vary"), None);
}

#[test]
fn a_wildcard_origin_rule_answers_star() {
    let server = with_rules();
    let reply = preflight(
        server.addr(),
        None,
        &[
            ("Origin", "http://anywhere.test"),
            ("Access-Control-Request-Method", "HEAD"),
            ("Access-Control-Request-Headers", "range"),
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(reply.header("Access-Control-Allow-Methods"), Some("HEAD"));
    assert_eq!(reply.header("Access-Control-Max-Age"), None);
}

#[test]
fn one_wildcard_in_an_origin_matches_subdomains_only() {
    let server = with_rules();
    let addr = server.addr();
    let method = ("Access-Control-Request-Method", "GET");
    let sub = preflight(
        addr,
        Some("k"),
        &[("Origin", "https://a.b.example.com"), method],
    );
    assert_eq!(sub.status, 200, "{}", sub.text());
    assert_eq!(
        sub.header("Access-Control-Allow-Origin"),
        Some("https://a.b.example.com")
    );
    let other = preflight(
        addr,
        Some("k"),
        &[("Origin", "https://example.org"), method],
    );
    assert_eq!(other.status, 403);
}

#[test]
fn a_preflight_no_rule_matches_is_refused_with_oss_text() {
    let server = with_rules();
    let addr = server.addr();
    let cases: [&[(&str, &str)]; 3] = [
        // The origin is not listed for PUT, and the `*` rule allows only HEAD.
        &[
            ("Origin", "http://other:1"),
            ("Access-Control-Request-Method", "PUT"),
        ],
        // A method no rule allows.
        &[
            ("Origin", PAGE),
            ("Access-Control-Request-Method", "DELETE"),
        ],
        // A header the first rule does not allow.
        &[
            ("Origin", PAGE),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
    ];
    for headers in cases {
        let reply = preflight(addr, Some("k"), headers);
        assert_eq!(reply.status, 403, "{headers:?}");
        assert_eq!(reply.code(), "AccessForbidden");
        assert!(reply.text().contains(NOT_ALLOWED), "{}", reply.text());
        assert_eq!(reply.header("Access-Control-Allow-Origin"), None);
    }
}

#[test]
fn a_preflight_without_origin_or_method_is_a_bad_request() {
    let server = with_rules();
    let addr = server.addr();
    let no_origin = preflight(addr, Some("k"), &[("Access-Control-Request-Method", "PUT")]);
    assert_eq!(no_origin.status, 400);
    assert_eq!(no_origin.code(), "BadRequest");
    assert_eq!(
        no_origin.xml("Message").as_deref(),
        Some("Insufficient information. Origin request header needed")
    );
    let no_method = preflight(addr, Some("k"), &[("Origin", PAGE)]);
    assert_eq!(no_method.status, 400);
    assert_eq!(
        no_method.xml("Message").as_deref(),
        Some("Insufficient information. Request Access-Control-Request-Method header needed")
    );
}

#[test]
fn a_preflight_on_a_missing_bucket_is_no_such_bucket() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::new("OPTIONS", addr, Some("no-such-bkt"), Some("k"))
        .header("Origin", PAGE)
        .header("Access-Control-Request-Method", "PUT")
        .send(addr);
    assert_eq!(reply.status, 404);
    assert_eq!(reply.code(), "NoSuchBucket");
}

#[test]
fn a_cross_origin_put_and_its_error_carry_the_allow_headers() {
    let server = with_rules();
    let addr = server.addr();
    let put = Request::object("PUT", addr, "a.txt")
        .header("Origin", PAGE)
        .body("abc")
        .sign_v4()
        .send(addr);
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(put.header("Access-Control-Allow-Origin"), Some(PAGE));
    assert_eq!(put.header("Access-Control-Allow-Methods"), Some("PUT, GET"));
    assert_eq!(
        put.header("Access-Control-Expose-Headers"),
        Some("ETag, x-oss-request-id")
    );
    // An unsigned PUT fails, and the page must still be able to read why.
    let refused = Request::object("PUT", addr, "b.txt")
        .header("Origin", PAGE)
        .body("abc")
        .send(addr);
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("Access-Control-Allow-Origin"), Some(PAGE));
}

#[test]
fn a_request_from_an_origin_no_rule_admits_gets_no_allow_headers() {
    let server = with_rules();
    let addr = server.addr();
    let put = Request::object("PUT", addr, "a.txt")
        .header("Origin", "http://evil.test")
        .body("abc")
        .sign_v4()
        .send(addr);
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(put.header("Access-Control-Allow-Origin"), None);
    let same_origin = Request::object("GET", addr, "a.txt").sign_v4().send(addr);
    assert_eq!(same_origin.header("Access-Control-Allow-Origin"), None);
}

#[test]
fn response_vary_adds_vary_origin_to_every_answer() {
    let server = start(config());
    let addr = server.addr();
    let xml = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>";
    assert_eq!(put_cors(addr, xml).status, 200);
    let missing = Request::object("GET", addr, "none").sign_v4().send(addr);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("Vary"), Some("Origin"));
    assert_eq!(missing.header("Access-Control-Allow-Origin"), None);
}

#[test]
fn the_callback_reply_of_a_cross_origin_put_carries_the_allow_headers() {
    let server = with_rules();
    let addr = server.addr();
    let receiver = Receiver::start(200, "application/json", "{\"Status\":\"OK\"}");
    let callback = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "object=${object}",
        "application/x-www-form-urlencoded",
    );
    let reply = Request::object("PUT", addr, "cb.txt")
        .header("Origin", PAGE)
        .header("x-oss-callback", &callback)
        .body("abc")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), "{\"Status\":\"OK\"}");
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some(PAGE));
}

#[test]
fn put_bucket_cors_refuses_what_oss_refuses() {
    let server = start(config());
    let addr = server.addr();
    let rule = |inner: &str| {
        format!("<CORSConfiguration><CORSRule>{inner}</CORSRule></CORSConfiguration>")
    };
    let bad_method = put_cors(
        addr,
        &rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>TEST</AllowedMethod>"),
    );
    assert_eq!(bad_method.status, 400);
    assert_eq!(bad_method.code(), "InvalidArgument");
    assert_eq!(bad_method.xml("EC").as_deref(), Some("0034-00000011"));
    let two_stars = put_cors(
        addr,
        &rule("<AllowedOrigin>http://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"),
    );
    assert_eq!(two_stars.code(), "InvalidArgument");
    let star_exposed = put_cors(
        addr,
        &rule(
            "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>*</ExposeHeader>",
        ),
    );
    assert_eq!(star_exposed.code(), "InvalidArgument");
    let no_rule = put_cors(addr, "<CORSConfiguration></CORSConfiguration>");
    assert_eq!(no_rule.status, 400);
    assert_eq!(no_rule.code(), "MalformedXML");
    assert_eq!(no_rule.xml("EC").as_deref(), Some("0034-00000002"));
    let eleven =
        "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"
            .repeat(11);
    let too_many = put_cors(
        addr,
        &format!("<CORSConfiguration>{eleven}</CORSConfiguration>"),
    );
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.code(), "TooManyCORSRules");
    // Nothing refused was stored.
    let get = Request::new("GET", addr, Some(BUCKET), None)
        .query("cors", "")
        .sign_v4()
        .send(addr);
    assert_eq!(get.status, 404);
}

#[test]
fn a_deleted_and_recreated_bucket_has_no_rules() {
    let server = with_rules();
    let addr = server.addr();
    let deleted = Request::new("DELETE", addr, Some(BUCKET), None)
        .sign_v4()
        .send(addr);
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    server.create_bucket(BUCKET).unwrap();
    let reply = preflight(
        addr,
        None,
        &[("Origin", PAGE), ("Access-Control-Request-Method", "PUT")],
    );
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("CORSResponse: CORS is not enabled for this bucket.")
    );
}

#[test]
fn a_data_dir_keeps_the_rules_across_restarts_until_they_are_deleted() {
    let dir = std::env::temp_dir().join(format!(
        "ossffi-cors-{}-{}",
        std::process::id(),
        ossffi::time::now_unix()
    ));
    let get_rules = |addr: SocketAddr| {
        Request::new("GET", addr, Some(BUCKET), None)
            .query("cors", "")
            .sign_v4()
            .send(addr)
    };
    let before = {
        let server = start(config().with_data_dir(&dir));
        assert_eq!(put_cors(server.addr(), RULES).status, 200);
        get_rules(server.addr()).text()
    };
    {
        let server = start(config().with_data_dir(&dir));
        let addr = server.addr();
        assert_eq!(get_rules(addr).text(), before);
        let reply = preflight(
            addr,
            Some("k"),
            &[("Origin", PAGE), ("Access-Control-Request-Method", "PUT")],
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        let deleted = Request::new("DELETE", addr, Some(BUCKET), None)
            .query("cors", "")
            .sign_v4()
            .send(addr);
        assert_eq!(deleted.status, 204);
    }
    {
        let server = start(config().with_data_dir(&dir));
        assert_eq!(get_rules(server.addr()).status, 404);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
