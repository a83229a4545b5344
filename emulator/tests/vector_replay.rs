//! Replays every signing vector of ../shared/vectors exactly as recorded (same Host, target,
//! headers and body) against an emulator whose clock, domain and keys come from the vector, and
//! checks that each is accepted; then flips each signed element and checks it is refused.

mod common;

use std::net::SocketAddr;

use ossffi::time::{http_date, iso8601_basic, parse_http_date, parse_iso8601_basic, parse_rfc3339};
use ossffi_emulator::{Config, Credential, RunningServer};
use serde_json::Value;

use common::{Reply, send_raw};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/");

fn load(file: &str) -> Vec<Value> {
    let path = format!("{VECTORS}{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

fn body_from_spec(spec: &Value) -> Vec<u8> {
    if spec.is_null() {
        return Vec::new();
    }
    let spec = if spec.get("spec").is_some() {
        &spec["spec"]
    } else {
        spec
    };
    if spec.is_null() {
        return Vec::new();
    }
    if let Some(s) = spec.get("utf8").and_then(Value::as_str) {
        return s.as_bytes().to_vec();
    }
    if let Some(h) = spec.get("hex").and_then(Value::as_str) {
        return (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect();
    }
    let len = spec["length"].as_u64().unwrap() as usize;
    match spec["pattern"].as_str().unwrap() {
        "i%251" => (0..len).map(|i| (i % 251) as u8).collect(),
        "(i*7+3)%256" => (0..len).map(|i| ((i * 7 + 3) % 256) as u8).collect(),
        "0xff" => vec![0xff; len],
        other => panic!("unknown body pattern {other}"),
    }
}

fn host_without_port(endpoint: &str) -> String {
    match endpoint.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h.to_string(),
        _ => endpoint.to_string(),
    }
}

/// An emulator configured from the vector's input.
fn emulator_for(v: &Value) -> RunningServer {
    let input = &v["input"];
    let creds = &input["credentials"];
    let mut config = Config::new("unused-key", "unused-secret");
    config.credentials = vec![Credential {
        access_key_id: creds["access_key_id"].as_str().unwrap().to_string(),
        access_key_secret: creds["access_key_secret"].as_str().unwrap().to_string(),
        security_token: creds["security_token"].as_str().map(str::to_string),
    }];
    config.now = Some(parse_rfc3339(input["signing_time"].as_str().unwrap()).unwrap());
    if let Some(region) = input["region"].as_str() {
        config.region = region.to_string();
    }
    let endpoint = input["endpoint"].as_str().unwrap();
    let bucket = input["bucket"].as_str().unwrap_or("some-bucket");
    if input["address_style_requested"].as_str() == Some("cname") {
        config = config.with_cname(host_without_port(endpoint), bucket);
    } else {
        config = config.with_domain(host_without_port(endpoint));
    }
    common::start(config.with_bucket(bucket))
}

/// A request exactly as recorded.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.target).into_bytes();
        for (n, v) in &self.headers {
            out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }

    fn send(&self, addr: SocketAddr) -> Reply {
        send_raw(addr, &self.to_bytes(), self.method == "HEAD").expect("the emulator answers")
    }

    fn header_mut(&mut self, name: &str) -> &mut String {
        &mut self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap()
            .1
    }
}

/// From a header-signed vector's `expected.http_request`.
fn recorded_header_request(v: &Value) -> Recorded {
    let hr = &v["expected"]["http_request"];
    let headers = hr["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    Recorded {
        method: hr["method"].as_str().unwrap().to_string(),
        target: hr["request_target"].as_str().unwrap().to_string(),
        headers,
        body: body_from_spec(&v["input"]["body"]),
    }
}

/// From a presigned vector: the URL's target and host plus the headers the requester must send.
fn recorded_presigned_request(v: &Value) -> Recorded {
    let e = &v["expected"];
    let url = e["url"].as_str().unwrap();
    let after_scheme = url.split_once("://").unwrap().1;
    let (host, target) = after_scheme.split_at(after_scheme.find('/').unwrap());
    let method = v["input"]["method"].as_str().unwrap().to_string();
    let mut headers = vec![("Host".to_string(), host.to_string())];
    if let Some(map) = e["headers_the_requester_must_send"].as_object() {
        for (n, val) in map {
            headers.push((n.clone(), val.as_str().unwrap().to_string()));
        }
    }
    if method == "PUT" || method == "POST" {
        headers.push(("Content-Length".into(), "0".into()));
    }
    Recorded {
        method,
        target: target.to_string(),
        headers,
        body: Vec::new(),
    }
}

const AUTH_ERRORS: &[&str] = &[
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "AccessDenied",
    "RequestTimeTooSkewed",
    "InvalidSecurityToken",
];

fn assert_accepted(id: &str, reply: &Reply) {
    assert!(
        reply.status != 403
            && !AUTH_ERRORS.contains(&reply.code().as_str())
            && (reply.status < 500 || reply.status == 501),
        "vector {id} was refused: {} {}",
        reply.status,
        reply.text()
    );
    assert!(
        matches!(reply.status, 200 | 203 | 204 | 206 | 404 | 501),
        "vector {id}: unexpected status {} {}",
        reply.status,
        reply.text()
    );
}

/// A changed copy of the request and the error codes that refuse it.
struct Mutation {
    what: String,
    request: Recorded,
    expect: &'static [&'static str],
}

const MISMATCH: &[&str] = &["SignatureDoesNotMatch"];

fn flip_char(s: &str, at: usize) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    chars[at] = if chars[at] == 'a' { 'b' } else { 'a' };
    chars.into_iter().collect()
}

/// A changed query value: numbers move by one (staying valid), other values gain a character.
fn changed_value(value: &str) -> String {
    match value.parse::<i64>() {
        Ok(n) if n > 1 => (n - 1).to_string(),
        Ok(n) => (n + 1).to_string(),
        Err(_) if value.is_empty() => "x".into(),
        Err(_) => format!("{value}x"),
    }
}

/// Every query parameter except the authentication parameters named in `skip`, changed.
fn query_mutations(req: &Recorded, skip: &[&str], out: &mut Vec<Mutation>) {
    let Some((path, query)) = req.target.split_once('?') else {
        return;
    };
    let items: Vec<&str> = query.split('&').collect();
    for (i, item) in items.iter().enumerate() {
        let (name, value) = item.split_once('=').unwrap_or((item, ""));
        if skip.contains(&name) {
            continue;
        }
        let mut changed = items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        changed[i] = format!("{name}={}", changed_value(value));
        let mut request = req.clone();
        request.target = format!("{path}?{}", changed.join("&"));
        out.push(Mutation {
            what: format!("query {name}"),
            request,
            expect: MISMATCH,
        });
    }
}

/// The key (or, for bucket requests, the path) gains a character.
fn path_mutation(v: &Value, req: &Recorded, out: &mut Vec<Mutation>) {
    let (path, query) = req
        .target
        .split_once('?')
        .map_or((req.target.as_str(), None), |(p, q)| (p, Some(q)));
    if v["input"]["bucket"].is_null() {
        // A service request (ListBuckets) has no bucket or key to change.
        return;
    }
    let mut request = req.clone();
    request.target = format!(
        "{path}x{}",
        query.map(|q| format!("?{q}")).unwrap_or_default()
    );
    out.push(Mutation {
        what: "key/path".into(),
        request,
        expect: MISMATCH,
    });
}

fn header_value_mutations(req: &Recorded, signed: impl Fn(&str) -> bool, out: &mut Vec<Mutation>) {
    for (name, value) in &req.headers {
        let lower = name.to_ascii_lowercase();
        if !signed(&lower) || lower == "x-oss-date" || lower == "date" {
            continue;
        }
        let mut request = req.clone();
        *request.header_mut(name) = format!("{value}x");
        let expect: &'static [&'static str] = match lower.as_str() {
            "x-oss-security-token" => &["InvalidSecurityToken"],
            "x-oss-content-sha256" => &["InvalidArgument"],
            _ => MISMATCH,
        };
        out.push(Mutation {
            what: format!("header {name}"),
            request,
            expect,
        });
    }
}

fn v4_header_mutations(v: &Value) -> Vec<Mutation> {
    let req = recorded_header_request(v);
    let additional: Vec<String> = v["expected"]["additional_headers_effective"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    header_value_mutations(
        &req,
        |n| {
            n == "content-type"
                || n == "content-md5"
                || n.starts_with("x-oss-")
                || additional.iter().any(|a| a == n)
        },
        &mut out,
    );
    path_mutation(v, &req, &mut out);
    query_mutations(&req, &[], &mut out);
    // The signature.
    let mut request = req.clone();
    let auth = request.header_mut("authorization");
    let at = auth.find("Signature=").unwrap() + "Signature=".len();
    *auth = flip_char(auth, at);
    out.push(Mutation {
        what: "signature".into(),
        request,
        expect: MISMATCH,
    });
    // The date: a second (same scope day) breaks the signature, an hour is too skewed.
    let date = parse_iso8601_basic(
        &req.headers
            .iter()
            .find(|(n, _)| n == "x-oss-date")
            .unwrap()
            .1,
    )
    .unwrap();
    let second = if iso8601_basic(date + 1)[..8] == iso8601_basic(date)[..8] {
        date + 1
    } else {
        date - 1
    };
    for (shift, expect) in [
        (second, MISMATCH),
        (date + 3600, &["RequestTimeTooSkewed"][..]),
    ] {
        let mut request = req.clone();
        *request.header_mut("x-oss-date") = iso8601_basic(shift);
        out.push(Mutation {
            what: format!("x-oss-date {}", shift - date),
            request,
            expect,
        });
    }
    out
}

fn v1_header_mutations(v: &Value) -> Vec<Mutation> {
    let req = recorded_header_request(v);
    let mut out = Vec::new();
    header_value_mutations(
        &req,
        |n| n == "content-type" || n == "content-md5" || n.starts_with("x-oss-"),
        &mut out,
    );
    path_mutation(v, &req, &mut out);
    let sub_resources: Vec<&str> = ossffi::signing::v1::SUB_RESOURCES.to_vec();
    let mut queries = Vec::new();
    query_mutations(&req, &[], &mut queries);
    // V1 signs only sub-resources; other parameters may change freely.
    out.extend(
        queries
            .into_iter()
            .filter(|m| sub_resources.contains(&m.what.trim_start_matches("query "))),
    );
    let mut request = req.clone();
    let auth = request.header_mut("authorization");
    let at = auth.find(':').unwrap() + 1;
    *auth = flip_char(auth, at);
    out.push(Mutation {
        what: "signature".into(),
        request,
        expect: MISMATCH,
    });
    let date = parse_http_date(
        &req.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("date"))
            .unwrap()
            .1,
    )
    .unwrap();
    for (shift, expect) in [
        (date + 1, MISMATCH),
        (date + 3600, &["RequestTimeTooSkewed"][..]),
    ] {
        let mut request = req.clone();
        *request.header_mut("date") = http_date(shift);
        out.push(Mutation {
            what: format!("Date +{}", shift - date),
            request,
            expect,
        });
    }
    out
}

fn presigned_mutations(v: &Value, v4: bool) -> Vec<Mutation> {
    let req = recorded_presigned_request(v);
    let mut out = Vec::new();
    header_value_mutations(&req, |n| n != "host" && n != "content-length", &mut out);
    path_mutation(v, &req, &mut out);
    let skip: &[&str] = if v4 {
        &[
            "x-oss-signature",
            "x-oss-credential",
            "x-oss-signature-version",
            "x-oss-security-token",
            "x-oss-date",
        ]
    } else {
        &["Signature", "OSSAccessKeyId", "security-token"]
    };
    let mut queries = Vec::new();
    query_mutations(&req, skip, &mut queries);
    if !v4 {
        let subs = ossffi::signing::v1::SUB_RESOURCES;
        queries.retain(|m| {
            let name = m.what.trim_start_matches("query ");
            name == "Expires" || subs.contains(&name)
        });
    }
    out.extend(queries);
    let (path, query) = req.target.split_once('?').unwrap();
    let sig_name = if v4 { "x-oss-signature=" } else { "Signature=" };
    let flipped: Vec<String> = query
        .split('&')
        .map(|item| {
            if item.starts_with(sig_name) {
                flip_char(item, sig_name.len())
            } else {
                item.to_string()
            }
        })
        .collect();
    let mut request = req.clone();
    request.target = format!("{path}?{}", flipped.join("&"));
    out.push(Mutation {
        what: "signature".into(),
        request,
        expect: MISMATCH,
    });
    if v4 {
        let flipped: Vec<String> = query
            .split('&')
            .map(|item| match item.strip_prefix("x-oss-date=") {
                Some(d) => format!(
                    "x-oss-date={}",
                    iso8601_basic(parse_iso8601_basic(d).unwrap() + 1)
                ),
                None => item.to_string(),
            })
            .collect();
        let mut request = req.clone();
        request.target = format!("{path}?{}", flipped.join("&"));
        out.push(Mutation {
            what: "x-oss-date +1".into(),
            request,
            expect: MISMATCH,
        });
    }
    out
}

fn check_mutations(id: &str, addr: SocketAddr, mutations: Vec<Mutation>) -> usize {
    assert!(mutations.len() >= 3, "vector {id}: too few mutations");
    for m in &mutations {
        let reply = m.request.send(addr);
        assert!(
            m.expect.contains(&reply.code().as_str()),
            "vector {id}, mutated {}: expected {:?}, got {} {}",
            m.what,
            m.expect,
            reply.status,
            reply.text()
        );
        if m.expect == MISMATCH {
            assert_eq!(reply.status, 403, "vector {id}, mutated {}", m.what);
        }
    }
    mutations.len()
}

#[test]
fn every_v4_header_vector_is_accepted_and_every_mutation_refused() {
    let vectors = load("sign_v4_header.json");
    assert_eq!(vectors.len(), 20);
    let mut mutated = 0;
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let server = emulator_for(v);
        assert_accepted(id, &recorded_header_request(v).send(server.addr()));
        mutated += check_mutations(id, server.addr(), v4_header_mutations(v));
    }
    assert!(mutated >= 20 * 4, "only {mutated} mutations");
}

#[test]
fn every_v4_presigned_vector_is_accepted_and_every_mutation_refused() {
    let vectors = load("presign_v4.json");
    assert_eq!(vectors.len(), 7);
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let server = emulator_for(v);
        assert_accepted(id, &recorded_presigned_request(v).send(server.addr()));
        check_mutations(id, server.addr(), presigned_mutations(v, true));
    }
}

#[test]
fn every_v1_vector_is_accepted_and_every_mutation_refused() {
    let vectors = load("sign_v1.json");
    assert_eq!(vectors.len(), 10);
    let (mut header, mut query) = (0, 0);
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let server = emulator_for(v);
        if v["expected"]["mode"].as_str() == Some("header") {
            header += 1;
            assert_accepted(id, &recorded_header_request(v).send(server.addr()));
            check_mutations(id, server.addr(), v1_header_mutations(v));
        } else {
            query += 1;
            assert_accepted(id, &recorded_presigned_request(v).send(server.addr()));
            check_mutations(id, server.addr(), presigned_mutations(v, false));
        }
    }
    assert_eq!((header, query), (8, 2));
}

#[test]
fn presigned_url_is_refused_after_it_expires() {
    let v = load("presign_v4.json")
        .into_iter()
        .find(|v| v["id"] == "p4-get-basic")
        .unwrap();
    let mut config_vector = v.clone();
    // The same URL, one second after its validity ends.
    let start = parse_rfc3339(v["input"]["signing_time"].as_str().unwrap()).unwrap();
    let expires = v["input"]["expires_in_seconds"].as_i64().unwrap();
    config_vector["input"]["signing_time"] =
        Value::String(ossffi::time::iso8601_millis((start + expires + 1) * 1000));
    let server = emulator_for(&config_vector);
    let reply = recorded_presigned_request(&v).send(server.addr());
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "AccessDenied"),
        "{}",
        reply.text()
    );
    assert_eq!(
        reply.xml("Message").as_deref(),
        Some("Request has expired.")
    );
}

#[test]
fn v4_mismatch_carries_string_to_sign_and_canonical_request() {
    let v = &load("sign_v4_header.json")[0];
    let server = emulator_for(v);
    let mut req = recorded_header_request(v);
    *req.header_mut("content-type") = "text/html".into();
    let reply = req.send(server.addr());
    assert_eq!(reply.status, 403);
    assert_eq!(reply.header("x-oss-ec"), Some("0002-00000201"));
    let canonical = reply.xml("CanonicalRequest").unwrap();
    assert!(canonical.contains("content-type:text/html"), "{canonical}");
    assert!(
        reply
            .xml("StringToSign")
            .unwrap()
            .starts_with("OSS4-HMAC-SHA256\n20240315T080910Z\n")
    );
    assert_eq!(
        reply.xml("OSSAccessKeyId").as_deref(),
        Some("LTAI5tVecSharedAk0001")
    );
    assert_eq!(
        reply.xml("SignatureProvided").as_deref(),
        Some(v["expected"]["signature"].as_str().unwrap())
    );
}

#[test]
fn v1_mismatch_carries_string_to_sign_bytes() {
    let v = &load("sign_v1.json")[0];
    let server = emulator_for(v);
    let mut req = recorded_header_request(v);
    *req.header_mut("content-type") = "text/html".into();
    let reply = req.send(server.addr());
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "SignatureDoesNotMatch")
    );
    assert_eq!(reply.header("x-oss-ec"), Some("0002-00000040"));
    assert!(
        reply
            .xml("StringToSignBytes")
            .unwrap()
            .starts_with("50 55 54 0a")
    );
}
