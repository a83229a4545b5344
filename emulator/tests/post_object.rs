//! PostObject (browser form upload) over real HTTP with hand-written multipart bodies: every
//! positive vector and every negative case of shared/vectors/postobject.json, the replies
//! (200/201/204, redirect, callback), content-type priority, a 64 MiB file streamed to disk,
//! malformed forms and headers that must be ignored.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

use common::*;
use ossffi::encoding::base64_encode;
use ossffi::signing::{v1, v4};
use ossffi::time::{iso8601_basic, now_unix, parse_rfc3339};
use ossffi_emulator::{Config, RunningServer};
use serde_json::{Value, json};

const BOUNDARY: &str = "----ossffiFormBoundary7MA4YWxkTrZu0gW";

fn vector_file() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/postobject.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn vector(id: &str) -> Value {
    vector_file()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no vector {id}"))
        .clone()
}

fn negative(id: &str) -> Value {
    vector_file()["negative_cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no negative case {id}"))
        .clone()
}

/// A form field, or the file part (`filename`, part content type, bytes).
#[derive(Clone)]
enum Part {
    Field(String, String),
    File(String, Option<String>, Vec<u8>),
}

fn field(name: &str, value: &str) -> Part {
    Part::Field(name.to_owned(), value.to_owned())
}

fn file_bytes(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7 % 251) as u8).collect()
}

fn form_body(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Field(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(value.as_bytes());
            }
            Part::File(filename, content_type, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                    )
                    .as_bytes(),
                );
                if let Some(t) = content_type {
                    body.extend_from_slice(format!("Content-Type: {t}\r\n").as_bytes());
                }
                body.extend_from_slice(b"\r\n");
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The vector's form: its fields in order, the file of its size last.
fn vector_parts(v: &Value) -> Vec<Part> {
    v["expected"]["form_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            if f["name"] == "file" {
                Part::File(
                    f["filename"].as_str().unwrap().to_owned(),
                    f["content_type"].as_str().map(str::to_owned),
                    file_bytes(f["size"].as_u64().unwrap() as usize),
                )
            } else {
                field(f["name"].as_str().unwrap(), f["value"].as_str().unwrap())
            }
        })
        .collect()
}

fn set_field(parts: &mut [Part], name: &str, value: &str) {
    for p in parts.iter_mut() {
        if let Part::Field(n, v) = p
            && n == name
        {
            *v = value.to_owned();
            return;
        }
    }
    panic!("no field {name}");
}

fn remove_field(parts: &mut Vec<Part>, name: &str) {
    parts.retain(|p| !matches!(p, Part::Field(n, _) if n == name));
}

fn set_file(parts: &mut [Part], bytes: Vec<u8>) {
    for p in parts.iter_mut() {
        if let Part::File(_, _, b) = p {
            *b = bytes;
            return;
        }
    }
}

/// The host of the vector's post_url without the bucket: the emulator's base domain.
fn domain(v: &Value) -> String {
    let url = v["expected"]["post_url"].as_str().unwrap();
    let host = url.trim_start_matches("https://").trim_end_matches('/');
    let bucket = v["input"]["bucket"].as_str().unwrap();
    host.strip_prefix(&format!("{bucket}.")).unwrap().to_owned()
}

/// The emulator's clock for a vector: the V4 signing time, or an hour before a V1 policy's
/// expiration.
fn vector_now(v: &Value) -> i64 {
    match v["input"]["signing_time_utc"].as_str() {
        Some(t) => parse_rfc3339(t).unwrap(),
        None => {
            let text = v["input"]["policy_text"].as_str().unwrap();
            let policy: Value = serde_json::from_str(text).unwrap();
            parse_rfc3339(policy["expiration"].as_str().unwrap()).unwrap() - 3600
        }
    }
}

/// An emulator configured as a vector needs: its key (and STS token), region, bucket, domain
/// and clock.
fn vector_server(v: &Value, now: i64) -> RunningServer {
    let input = &v["input"];
    let mut config = Config::new(
        input["access_key_id"].as_str().unwrap(),
        input["access_key_secret"].as_str().unwrap(),
    )
    .with_region(input["region"].as_str().unwrap())
    .with_bucket(input["bucket"].as_str().unwrap())
    .with_domain(domain(v))
    .with_now(now)
    .with_body_timeout(Duration::from_secs(5));
    config.callback_timeout = Duration::from_secs(2);
    if let Some(token) = input["security_token"].as_str() {
        config = config.with_sts_token(token);
    }
    start(config)
}

/// POSTs `body` as a form to `path` with `Host: host`.
fn post_raw(
    addr: SocketAddr,
    host: &str,
    path: &str,
    body: &[u8],
    headers: &[(&str, &str)],
) -> Reply {
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    send_raw(addr, &bytes, false).expect("a reply")
}

/// POSTs a vector's (possibly changed) form to its bucket's virtual host.
fn post_vector(server: &RunningServer, v: &Value, parts: &[Part]) -> Reply {
    let host = format!(
        "{}.{}:{}",
        v["input"]["bucket"].as_str().unwrap(),
        domain(v),
        server.addr().port()
    );
    post_raw(server.addr(), &host, "/", &form_body(parts), &[])
}

/// The text of `<name>` with XML escapes resolved.
fn xml_text(reply: &Reply, name: &str) -> Option<String> {
    reply.xml(name).map(|t| {
        t.replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    })
}

fn assert_error(reply: &Reply, status: u16, code: &str, message: Option<&str>) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.code(), code, "{}", reply.text());
    if let Some(m) = message {
        assert_eq!(
            xml_text(reply, "Message").as_deref(),
            Some(m),
            "{}",
            reply.text()
        );
    }
}

fn assert_negative(reply: &Reply, case: &Value) {
    let e = &case["expected"];
    let message = e["message"].as_str().filter(|m| !m.ends_with("..."));
    assert_error(
        reply,
        e["http_status"].as_u64().unwrap() as u16,
        e["code"].as_str().unwrap(),
        message,
    );
    if let Some(prefix) = e["message"].as_str().and_then(|m| m.strip_suffix("...")) {
        let got = xml_text(reply, "Message").unwrap_or_default();
        assert!(
            got.starts_with(prefix),
            "{got:?} does not start with {prefix:?}"
        );
    }
}

fn vector_key(v: &Value) -> String {
    let fields = v["expected"]["form_fields"].as_array().unwrap();
    let key = fields.iter().find(|f| f["name"] == "key").unwrap()["value"]
        .as_str()
        .unwrap();
    let file = fields.iter().find(|f| f["name"] == "file").unwrap();
    key.replace("${filename}", file["filename"].as_str().unwrap())
}

fn form_value<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v["expected"]["form_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|f| f["value"].as_str())
}

#[test]
fn every_positive_vector_is_accepted_as_signed() {
    for v in vector_file()["vectors"].as_array().unwrap() {
        let id = v["id"].as_str().unwrap();
        let server = vector_server(v, vector_now(v));
        let bucket = v["input"]["bucket"].as_str().unwrap();
        let reply = post_vector(&server, v, &vector_parts(v));
        let key = vector_key(v);
        let file = &v["input"]["file"];
        let redirect = form_value(v, "success_action_redirect");
        let callback = form_value(v, "callback");
        if let Some(url) = redirect {
            // Every check passed up to the redirect, which leads off this machine.
            assert_error(&reply, 501, "NotImplemented", None);
            assert!(reply.text().contains(url), "{id}: {}", reply.text());
            assert!(!server.object_exists(bucket, &key), "{id}: stored");
            continue;
        }
        if callback.is_some() {
            // The callback URL (app.example.com) is off this machine: the object is stored
            // and the reply is 203 CallbackFailed, as OSS answers an unreachable receiver.
            assert_error(&reply, 203, "CallbackFailed", None);
            assert!(reply.header("ETag").is_some(), "{id}");
        } else {
            let want = match form_value(v, "success_action_status") {
                Some("200") => 200,
                Some("201") => 201,
                _ => 204,
            };
            assert_eq!(reply.status, want, "{id}: {}", reply.text());
        }
        let bytes = server
            .object_bytes(bucket, &key)
            .unwrap_or_else(|| panic!("{id}: {key} not stored"));
        assert_eq!(
            bytes,
            file_bytes(file["size"].as_u64().unwrap() as usize),
            "{id}"
        );
        let meta = server.object_meta(bucket, &key).unwrap();
        assert_eq!(
            meta.content_type,
            file["content_type"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(reply.header("ETag"), Some(meta.etag.as_str()), "{id}");
        for f in v["expected"]["form_fields"].as_array().unwrap() {
            let name = f["name"].as_str().unwrap();
            if let Some(meta_name) = name.strip_prefix("x-oss-meta-") {
                let stored = meta
                    .user_meta
                    .iter()
                    .find(|(n, _)| n == &format!("x-oss-meta-{meta_name}"));
                assert_eq!(stored.map(|(_, v)| v.as_str()), f["value"].as_str(), "{id}");
            }
            if name == "Content-Disposition" || name == "Cache-Control" {
                let stored = meta.http_headers.iter().find(|(n, _)| n == name);
                assert_eq!(stored.map(|(_, v)| v.as_str()), f["value"].as_str(), "{id}");
            }
        }
        if reply.status == 201 {
            assert_eq!(reply.xml("Bucket").as_deref(), Some(bucket));
            assert_eq!(reply.xml("Key").as_deref(), Some(key.as_str()));
            assert_eq!(
                xml_text(&reply, "ETag").as_deref(),
                Some(meta.etag.as_str())
            );
            assert!(reply.xml("Location").unwrap().ends_with("/user/cat.jpg"));
        }
    }
}

/// Builds the negative case's request and checks the emulator's answer; returns the server
/// and the key that must not have been stored.
fn run_negative(id: &str) {
    let case = negative(id);
    let base = vector(case["base_vector"].as_str().unwrap());
    let bucket = base["input"]["bucket"].as_str().unwrap();
    let mut now = vector_now(&base);
    let mut parts = vector_parts(&base);
    let mut host_bucket = bucket.to_owned();
    match id {
        "expired-policy" => now = parse_rfc3339("2014-12-01T12:00:00Z").unwrap(),
        "signature-mismatch" => {
            let other = vector("v1-singapore-redirect-meta-nonascii");
            set_field(&mut parts, "Signature", form_value(&other, "Signature").unwrap());
        }
        "v4-signature-mismatch" => {
            let key = v4::signing_key(
                base["input"]["access_key_secret"].as_str().unwrap(),
                "20250115",
                "cn-shanghai",
                "oss",
            );
            let sig = v4::signature(&key, form_value(&base, "policy").unwrap());
            set_field(&mut parts, "x-oss-signature", &sig);
        }
        "key-outside-prefix" => set_field(&mut parts, "key", "user/bob/notes.txt"),
        "bucket-mismatch" => host_bucket = "otherbucket".to_owned(),
        "meta-condition-failed" => set_field(&mut parts, "x-oss-meta-tag", "holiday"),
        "missing-field-named-in-policy" => remove_field(&mut parts, "success_action_status"),
        "file-too-large" => set_file(&mut parts, file_bytes(10_485_761)),
        "file-too-small" => set_file(&mut parts, Vec::new()),
        "auth-field-incomplete" => remove_field(&mut parts, "Signature"),
        "unknown-access-key" => set_field(&mut parts, "OSSAccessKeyId", "LTAI5tUNKNOWNKEYID0"),
        "policy-invalid-json" => set_field(
            &mut parts,
            "policy",
            &base64_encode(br#"{"expiration": "2025-01-15T09:30:00.000Z", "conditions": [ ] "#),
        ),
        "policy-simple-condition-two-properties" => set_field(
            &mut parts,
            "policy",
            &base64_encode(
                br#"{"expiration":"2025-01-15T09:30:00.000Z","conditions":[{"bucket":"examplebucket","key":"a"}]}"#,
            ),
        ),
        other => panic!("no mutation for {other}"),
    }
    let server = vector_server(&base, now);
    server.create_bucket("otherbucket").unwrap();
    let host = format!("{host_bucket}.{}:{}", domain(&base), server.addr().port());
    let reply = post_raw(server.addr(), &host, "/", &form_body(&parts), &[]);
    assert_negative(&reply, &case);
    let key = vector_key(&base);
    for b in [bucket, "otherbucket"] {
        assert!(!server.object_exists(b, &key), "{id}: stored in {b}");
        assert!(!server.object_exists(b, "user/bob/notes.txt"), "{id}");
    }
}

#[test]
fn negative_cases_from_the_vectors() {
    for id in [
        "expired-policy",
        "signature-mismatch",
        "v4-signature-mismatch",
        "key-outside-prefix",
        "bucket-mismatch",
        "meta-condition-failed",
        "missing-field-named-in-policy",
        "file-too-large",
        "file-too-small",
        "auth-field-incomplete",
        "unknown-access-key",
        "policy-invalid-json",
        "policy-simple-condition-two-properties",
    ] {
        run_negative(id);
    }
}

#[test]
fn key_missing_or_after_the_file_is_invalid_argument() {
    let case = negative("key-missing-or-after-file");
    let base = vector("v1-hangzhou-basic");
    let server = vector_server(&base, vector_now(&base));
    let mut without_key = vector_parts(&base);
    remove_field(&mut without_key, "key");
    let mut key_after = without_key.clone();
    key_after.push(field("key", "user/eric/notes.txt"));
    for parts in [without_key, key_after] {
        let reply = post_vector(&server, &base, &parts);
        assert_negative(&reply, &case);
    }
    assert!(!server.object_exists("examplebucket", "user/eric/notes.txt"));
}

#[test]
fn each_auth_field_alone_is_incomplete() {
    let case = negative("auth-field-incomplete");
    let base = vector("v1-hangzhou-basic");
    let server = vector_server(&base, vector_now(&base));
    for keep in ["OSSAccessKeyId", "policy", "Signature"] {
        let mut parts = vector_parts(&base);
        for drop in ["OSSAccessKeyId", "policy", "Signature"] {
            if drop != keep {
                remove_field(&mut parts, drop);
            }
        }
        let reply = post_vector(&server, &base, &parts);
        assert_negative(&reply, &case);
    }
    // A V4 form without its x-oss-date.
    let base = vector("v4-hangzhou-minimal-eq-key");
    let server = vector_server(&base, vector_now(&base));
    let mut parts = vector_parts(&base);
    remove_field(&mut parts, "x-oss-date");
    assert_error(
        &post_vector(&server, &base, &parts),
        400,
        "InvalidArgument",
        None,
    );
}

#[test]
fn malformed_multipart_is_malformed_post_request() {
    let case = negative("malformed-multipart");
    let base = vector("v1-hangzhou-basic");
    let server = vector_server(&base, vector_now(&base));
    let good = form_body(&vector_parts(&base));
    let mut no_closing = good.clone();
    no_closing.truncate(good.len() - BOUNDARY.len() - 8);
    let disposition = b"Content-Disposition: form-data; name=\"key\"";
    let bad_header = replace_bytes(&good, disposition, b"Content-Disposition form-data");
    let no_disposition = replace_bytes(&good, disposition, b"X-Other: 1");
    let bodies: Vec<Vec<u8>> = vec![
        b"this is not multipart at all".to_vec(),
        no_closing,
        bad_header,
        no_disposition,
    ];
    for body in bodies {
        let host = format!("examplebucket.{}:{}", domain(&base), server.addr().port());
        let reply = post_raw(server.addr(), &host, "/", &body, &[]);
        assert_negative(&reply, &case);
    }
    assert!(!server.object_exists("examplebucket", "user/eric/notes.txt"));
}

/// `hay` with the first `from` replaced by `to`.
fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let i = hay.windows(from.len()).position(|w| w == from).unwrap();
    [&hay[..i], to, &hay[i + from.len()..]].concat()
}

// ---- Forms signed here, with policies of our own. ----

struct Signed {
    server: RunningServer,
}

/// V4 fields for `policy_text` signed now with the test key.
fn v4_fields(policy_text: &str, now: i64) -> Vec<Part> {
    let date = iso8601_basic(now);
    let day = &date[..8];
    let credential = format!("{AK}/{day}/{REGION}/oss/aliyun_v4_request");
    let policy = base64_encode(policy_text.as_bytes());
    let key = v4::signing_key(SK, day, REGION, "oss");
    vec![
        field("x-oss-signature-version", "OSS4-HMAC-SHA256"),
        field("x-oss-credential", &credential),
        field("x-oss-date", &date),
        field("policy", &policy),
        field("x-oss-signature", &v4::signature(&key, &policy)),
    ]
}

fn v1_fields(policy_text: &str) -> Vec<Part> {
    let policy = base64_encode(policy_text.as_bytes());
    vec![
        field("OSSAccessKeyId", AK),
        field("policy", &policy),
        field("Signature", &v1::signature(SK, &policy)),
    ]
}

fn policy_text(now: i64, conditions: Value) -> String {
    json!({
        "expiration": ossffi::time::iso8601_millis((now + 600) * 1000),
        "conditions": conditions,
    })
    .to_string()
}

impl Signed {
    fn new() -> Signed {
        let mut config = config();
        config.callback_timeout = Duration::from_secs(2);
        Signed {
            server: start(config),
        }
    }

    /// POSTs `fields` + auth fields (V4 unless `v1`) + the file, path-style to 127.0.0.1.
    fn post(&self, fields: &[Part], conditions: Value, file: Part, v1: bool) -> Reply {
        let now = now_unix();
        let text = policy_text(now, conditions);
        let mut parts = fields.to_vec();
        parts.extend(if v1 {
            v1_fields(&text)
        } else {
            v4_fields(&text, now)
        });
        parts.push(file);
        let host = format!("127.0.0.1:{}", self.server.addr().port());
        post_raw(
            self.server.addr(),
            &host,
            &format!("/{BUCKET}"),
            &form_body(&parts),
            &[],
        )
    }
}

fn small_file() -> Part {
    Part::File(
        "a.txt".into(),
        Some("text/plain".into()),
        b"hello form".to_vec(),
    )
}

#[test]
fn success_action_status_chooses_the_reply() {
    let s = Signed::new();
    for (status, want) in [
        ("200", 200),
        ("201", 201),
        ("204", 204),
        ("", 204),
        ("302", 204),
    ] {
        let key = format!("status/{want}-{status}");
        let mut fields = vec![field("key", &key)];
        if !status.is_empty() {
            fields.push(field("success_action_status", status));
        }
        for v1 in [false, true] {
            let reply = s.post(&fields, json!([{"bucket": BUCKET}]), small_file(), v1);
            assert_eq!(reply.status, want, "{status}: {}", reply.text());
            assert!(reply.header("ETag").is_some());
            assert!(reply.header("x-oss-request-id").is_some());
            assert!(reply.header("x-oss-hash-crc64ecma").is_some());
            if want == 201 {
                assert_eq!(reply.xml("Key").as_deref(), Some(key.as_str()));
                assert_eq!(
                    reply.xml("Location"),
                    Some(format!(
                        "http://127.0.0.1:{}/{BUCKET}/{key}",
                        s.server.addr().port()
                    ))
                );
            } else {
                assert!(reply.body.is_empty());
            }
            assert_eq!(s.server.object_bytes(BUCKET, &key).unwrap(), b"hello form");
        }
    }
}

#[test]
fn every_condition_kind_fails_once_with_its_echo() {
    let s = Signed::new();
    let base = || {
        vec![
            field("key", "docs/a.txt"),
            field("Content-Type", "text/plain"),
        ]
    };
    let cases = [
        (
            json!([["eq", "$key", "docs/b.txt"]]),
            r#"["eq", "$key", "docs/b.txt"]"#,
        ),
        (
            json!([["starts-with", "$key", "img/"]]),
            r#"["starts-with", "$key", "img/"]"#,
        ),
        (
            json!([["in", "$Content-Type", ["image/png", "image/jpeg"]]]),
            r#"["in", "$Content-Type", ["image/png", "image/jpeg"]]"#,
        ),
        (
            json!([["not-in", "$content-type", ["text/plain"]]]),
            r#"["not-in", "$content-type", ["text/plain"]]"#,
        ),
        (
            json!([{"bucket": "another-bkt"}]),
            r#"["eq", "$bucket", "another-bkt"]"#,
        ),
        (
            json!([{"x-oss-meta-a": "1"}]),
            r#"["eq", "$x-oss-meta-a", "1"]"#,
        ),
    ];
    for (conditions, echo) in cases {
        for v1 in [false, true] {
            let reply = s.post(&base(), conditions.clone(), small_file(), v1);
            assert_error(
                &reply,
                403,
                "AccessDenied",
                Some(&format!(
                    "Invalid according to Policy: Policy Condition failed: {echo}"
                )),
            );
        }
    }
    // Size: too large while streaming, too small at the end; nothing stored.
    let big = Part::File("a.txt".into(), None, vec![1u8; 11]);
    let reply = s.post(
        &base(),
        json!([["content-length-range", 1, 10]]),
        big,
        false,
    );
    assert_error(&reply, 400, "EntityTooLarge", None);
    let reply = s.post(
        &base(),
        json!([["content-length-range", 20, 30]]),
        small_file(),
        true,
    );
    assert_error(&reply, 400, "EntityTooSmall", None);
    // Expired (V1 and V4 alike).
    let now = now_unix();
    let text = json!({"expiration": ossffi::time::iso8601_millis((now - 1) * 1000), "conditions": [{"bucket": BUCKET}]}).to_string();
    for auth in [v1_fields(&text), v4_fields(&text, now)] {
        let mut parts = base();
        parts.extend(auth);
        parts.push(small_file());
        let host = format!("127.0.0.1:{}", s.server.addr().port());
        let reply = post_raw(
            s.server.addr(),
            &host,
            &format!("/{BUCKET}/"),
            &form_body(&parts),
            &[],
        );
        assert_error(
            &reply,
            403,
            "AccessDenied",
            Some("Invalid according to Policy: Policy expired."),
        );
    }
    assert!(!s.server.object_exists(BUCKET, "docs/a.txt"));
    // All of them satisfied.
    let all = json!([
        {"bucket": BUCKET},
        ["eq", "$key", "docs/a.txt"],
        ["starts-with", "$key", "docs/"],
        ["in", "$Content-Type", ["text/plain"]],
        ["not-in", "$content-type", ["image/png"]],
        ["content-length-range", 10, 10],
    ]);
    let reply = s.post(&base(), all, small_file(), false);
    assert_eq!(reply.status, 204, "{}", reply.text());
}

#[test]
fn redirects_only_to_loopback() {
    let s = Signed::new();
    let url = "http://127.0.0.1:9/done?from=oss";
    let fields = [
        field("key", "r/ok.txt"),
        field("success_action_redirect", url),
    ];
    let reply = s.post(
        &fields,
        json!([[
            "starts-with",
            "$success_action_redirect",
            "http://127.0.0.1"
        ]]),
        small_file(),
        false,
    );
    assert_eq!(reply.status, 303, "{}", reply.text());
    let etag = s.server.object_meta(BUCKET, "r/ok.txt").unwrap().etag;
    let location = reply.header("Location").unwrap();
    assert_eq!(
        location,
        format!(
            "{url}&bucket={BUCKET}&key=r%2Fok.txt&etag={}",
            etag.replace('"', "%22")
        )
    );
    for off in [
        "https://app.example.com/done",
        "http://10.0.0.8/x",
        "http://127.0.0.1.nip.example/",
    ] {
        let fields = [
            field("key", "r/off.txt"),
            field("success_action_redirect", off),
        ];
        let reply = s.post(&fields, json!([{"bucket": BUCKET}]), small_file(), true);
        assert_error(&reply, 501, "NotImplemented", None);
        assert!(xml_text(&reply, "Message").unwrap().contains("loopback"));
        assert!(!s.server.object_exists(BUCKET, "r/off.txt"), "{off}");
    }
}

#[test]
fn filename_variable_and_content_type_priority() {
    let s = Signed::new();
    let file = |ct: Option<&str>| {
        Part::File(
            "photo 1.jpg".into(),
            ct.map(str::to_owned),
            b"jpeg".to_vec(),
        )
    };
    type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>, &'a str);
    let cases: [Case; 4] = [
        (
            &[
                ("x-oss-content-type", "image/x-a"),
                ("Content-Type", "image/x-c"),
            ],
            Some("image/x-b"),
            "image/x-a",
        ),
        (
            &[("Content-Type", "image/x-c")],
            Some("image/x-b"),
            "image/x-b",
        ),
        (&[("Content-Type", "image/x-c")], None, "image/x-c"),
        (&[], None, "application/octet-stream"),
    ];
    for (i, (extra, part_type, want)) in cases.iter().enumerate() {
        let mut fields = vec![field("key", &format!("up/{i}/${{filename}}"))];
        fields.extend(extra.iter().map(|(n, v)| field(n, v)));
        // The policy sees the key before ${filename} is replaced.
        let conditions = json!([["starts-with", "$key", format!("up/{i}/$")]]);
        let reply = s.post(&fields, conditions, file(*part_type), i % 2 == 0);
        assert_eq!(reply.status, 204, "{}", reply.text());
        let meta = s
            .server
            .object_meta(BUCKET, &format!("up/{i}/photo 1.jpg"))
            .unwrap();
        assert_eq!(meta.content_type, *want, "case {i}");
    }
}

#[test]
fn callback_gets_the_x_variables_and_its_reply_is_returned() {
    let s = Signed::new();
    let receiver = Receiver::start(200, "application/json", "{\"from\":\"receiver\"}");
    let callback = callback_param(
        &format!("http://127.0.0.1:{}/cb", receiver.port),
        "bucket=${bucket}&object=${object}&size=${size}&mimeType=${mimeType}&uid=${x:uid}&source=${x:source}",
        "application/x-www-form-urlencoded",
    );
    let fields = [
        field("key", "cb/42.png"),
        field("callback", &callback),
        field("x:uid", "42"),
        field("x:source", "web form"),
        field("success_action_status", "201"),
    ];
    let file = Part::File("42.png".into(), Some("image/png".into()), vec![9u8; 3072]);
    let reply = s.post(
        &fields,
        json!([{"callback": callback}, {"bucket": BUCKET}]),
        file,
        false,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), "{\"from\":\"receiver\"}");
    assert!(reply.header("ETag").is_some());
    let requests = receiver.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        String::from_utf8_lossy(&requests[0].1),
        format!(
            "bucket={BUCKET}&object=cb%2F42.png&size=3072&mimeType=image%2Fpng&uid=42&source=web%20form"
        )
    );
    assert!(s.server.object_exists(BUCKET, "cb/42.png"));
}

#[test]
fn callback_failures_answer_203_with_the_object_stored() {
    let s = Signed::new();
    // The vector's case: the receiver answers 301.
    let case = negative("callback-server-error");
    let receiver = Receiver::start(301, "text/html", "moved");
    let dead = dead_port();
    for (i, url) in [
        format!("http://127.0.0.1:{}/cb", receiver.port),
        format!("http://127.0.0.1:{dead}/cb"),
    ]
    .iter()
    .enumerate()
    {
        let callback = callback_param(url, "object=${object}", "application/x-www-form-urlencoded");
        let key = format!("cbfail/{i}");
        let fields = [field("key", &key), field("callback", &callback)];
        let reply = s.post(&fields, json!([{"bucket": BUCKET}]), small_file(), i == 1);
        assert_error(&reply, 203, "CallbackFailed", None);
        assert!(reply.header("ETag").is_some());
        if i == 0 {
            let want = case["expected"]["message"].as_str().unwrap();
            assert!(
                want.starts_with(&xml_text(&reply, "Message").unwrap()),
                "{}",
                reply.text()
            );
        } else {
            assert!(
                xml_text(&reply, "Message")
                    .unwrap()
                    .contains("Error status : -1"),
                "{}",
                reply.text()
            );
        }
        assert_eq!(s.server.object_bytes(BUCKET, &key).unwrap(), b"hello form");
    }
}

#[test]
fn a_bad_callback_field_is_refused_before_storing() {
    let s = Signed::new();
    let fields = [field("key", "cbbad/x"), field("callback", "not base64 !")];
    let reply = s.post(&fields, json!([{"bucket": BUCKET}]), small_file(), false);
    assert_error(&reply, 400, "InvalidArgument", None);
    assert!(!s.server.object_exists(BUCKET, "cbbad/x"));
}

#[test]
fn headers_and_url_signatures_are_ignored() {
    let s = Signed::new();
    let now = now_unix();
    let text = policy_text(now, json!([{"bucket": BUCKET}]));
    let mut parts = vec![field("key", "ignored/auth.txt")];
    parts.extend(v4_fields(&text, now));
    parts.push(small_file());
    let host = format!("127.0.0.1:{}", s.server.addr().port());
    let reply = post_raw(
        s.server.addr(),
        &host,
        &format!("/{BUCKET}?OSSAccessKeyId=nobody&Signature=bogus&Expires=1"),
        &form_body(&parts),
        &[
            ("Authorization", "OSS nobody:bogus"),
            ("x-oss-date", "20000101T000000Z"),
        ],
    );
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert!(s.server.object_exists(BUCKET, "ignored/auth.txt"));
    // A form without any signature is refused: the emulator has no public-read-write buckets.
    let parts = vec![field("key", "ignored/anon.txt"), small_file()];
    let reply = post_raw(
        s.server.addr(),
        &host,
        &format!("/{BUCKET}/"),
        &form_body(&parts),
        &[],
    );
    assert_error(&reply, 403, "AccessDenied", None);
}

#[test]
fn forbid_overwrite_and_unsupported_fields() {
    let s = Signed::new();
    let fields = [
        field("key", "fo/a"),
        field("x-oss-forbid-overwrite", "true"),
    ];
    assert_eq!(
        s.post(&fields, json!([{"bucket": BUCKET}]), small_file(), false)
            .status,
        204
    );
    let reply = s.post(&fields, json!([{"bucket": BUCKET}]), small_file(), false);
    assert_error(&reply, 409, "FileAlreadyExists", None);
    for (name, value, status, code) in [
        ("x-oss-server-side-encryption", "KMS", 501, "NotImplemented"),
        (
            "x-oss-server-side-encryption",
            "DES",
            400,
            "InvalidEncryptionAlgorithmError",
        ),
        ("x-oss-object-acl", "public-read", 501, "NotImplemented"),
    ] {
        let fields = [field("key", "fo/b"), field(name, value)];
        let reply = s.post(&fields, json!([{"bucket": BUCKET}]), small_file(), true);
        assert_error(&reply, status, code, None);
        assert!(!s.server.object_exists(BUCKET, "fo/b"));
    }
}

#[test]
fn a_64_mib_file_is_streamed_to_disk() {
    let dir = std::env::temp_dir().join(format!("ossffi-post-object-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (mut child, addr) = start_binary(None, &["--data-dir", dir.to_str().unwrap()]);
    let before = proc_status(child.id(), "VmHWM:");
    let size: usize = 64 << 20;
    let now = now_unix();
    let text = policy_text(
        now,
        json!([{"bucket": BUCKET}, ["content-length-range", 1, size]]),
    );
    let mut parts = vec![field("key", "big/64mib.bin")];
    parts.extend(v4_fields(&text, now));
    let mut head = form_body(&parts);
    // form_body closes the form: reopen it for the file, which is written in chunks.
    head.truncate(head.len() - BOUNDARY.len() - 6);
    head.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n").as_bytes(),
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let total = head.len() + size + tail.len();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "POST /{BUCKET} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {total}\r\n\r\n"
    )
    .unwrap();
    stream.write_all(&head).unwrap();
    let chunk: Vec<u8> = (0..1 << 20).map(|i: usize| (i % 253) as u8).collect();
    let mut md5 = md5_of_chunks();
    for _ in 0..size / chunk.len() {
        stream.write_all(&chunk).unwrap();
        md5.push(&chunk);
    }
    stream.write_all(tail.as_bytes()).unwrap();
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    while !reply.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0);
        reply.extend_from_slice(&buf[..n]);
    }
    let head_text = String::from_utf8_lossy(&reply);
    assert!(head_text.starts_with("HTTP/1.1 204"), "{head_text}");
    let peak = proc_status(child.id(), "VmHWM:");
    // Read it back and compare the size and the ETag (the MD5).
    let got = Request::object("HEAD", addr, "big/64mib.bin")
        .sign_v4()
        .send(addr);
    assert_eq!(
        got.header("Content-Length"),
        Some(size.to_string().as_str())
    );
    assert_eq!(
        got.header("ETag").unwrap(),
        format!("\"{}\"", md5.hex_upper())
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let grew_mib = peak.saturating_sub(before) / 1024;
    eprintln!("the emulator's peak memory grew by {grew_mib} MiB for a 64 MiB file");
    assert!(
        grew_mib < 48,
        "the emulator's peak memory grew by {grew_mib} MiB for a 64 MiB file"
    );
}

/// The MD5 of the chunks pushed, via the library's digest.
struct ChunkMd5(ossffi::digest::Md5Digest);

fn md5_of_chunks() -> ChunkMd5 {
    ChunkMd5(ossffi::digest::Md5Digest::new())
}

impl ChunkMd5 {
    fn push(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    fn hex_upper(&self) -> String {
        ossffi::encoding::hex_upper(&self.0.bytes())
    }
}
