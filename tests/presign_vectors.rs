//! Presigned URLs (`GeneratePresignedUrl`), byte for byte: every presign vector of
//! `presign_v4.json` and `sign_v1.json` (made with the official Python SDKs, whose URLs keep the
//! request's parameter order), the C++ SDK's verified outputs of `cpp-sdk-surface-2.md` 4.3 and
//! 4.4 (sorted parameters), and URLs made here that the emulator accepts: a PUT with an upload
//! callback, a GET, and expired URLs refused with AccessDenied.
//!
//! A vector with a field this file does not know fails the test instead of being skipped.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use ossffi::config::SignatureVersion;
use ossffi::encoding::{base64_encode, parse_query};
use ossffi::endpoint::Endpoint;
use ossffi::signing::Credentials;
use ossffi::signing::presign::{PresignContext, PresignRequest, QueryOrder, presigned_url};
use ossffi::time::parse_rfc3339;
use serde_json::Value;

const PRESIGN_V4: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/presign_v4.json"
);
const SIGN_V1: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/sign_v1.json"
);

fn vectors(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let file: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}"));
    let vectors = file["vectors"].as_array().expect("a vectors array").clone();
    assert!(!vectors.is_empty(), "{path} has no vectors");
    vectors
}

/// Fails unless every field of `object` is one of `known`.
fn only_known_fields(id: &str, what: &str, object: &Value, known: &[&str]) {
    let object = object
        .as_object()
        .unwrap_or_else(|| panic!("{id}: {what} is not an object"));
    for name in object.keys() {
        assert!(
            known.contains(&name.as_str()),
            "{id}: {what} has the field {name:?}, which this test does not understand"
        );
    }
}

fn text<'v>(id: &str, v: &'v Value, field: &str) -> &'v str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{id}: {field} is not a string"))
}

fn time(id: &str, v: &Value, field: &str) -> i64 {
    parse_rfc3339(text(id, v, field)).unwrap_or_else(|| panic!("{id}: {field} is not a time"))
}

fn credentials(id: &str, v: &Value) -> Credentials {
    only_known_fields(
        id,
        "credentials",
        v,
        &["access_key_id", "access_key_secret", "security_token"],
    );
    let mut c = Credentials::new(
        text(id, v, "access_key_id"),
        text(id, v, "access_key_secret"),
    );
    c.security_token = v["security_token"].as_str().map(str::to_owned);
    c
}

fn pairs(id: &str, v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap_or_else(|| panic!("{id}: not a list of pairs: {v}"))
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().expect("a name").to_owned(),
                pair[1].as_str().expect("a value").to_owned(),
            )
        })
        .collect()
}

fn context<'a>(
    endpoint: &'a Endpoint,
    credentials: &'a Credentials,
    version: SignatureVersion,
    region: &'a str,
    is_path_style: bool,
    now: i64,
) -> PresignContext<'a> {
    PresignContext {
        endpoint,
        credentials,
        signature_version: version,
        region,
        is_cname: false,
        is_path_style,
        now,
    }
}

// presign_v4.json (alibabacloud-oss-v2: parameters as added, `/` kept in the path)

fn check_v4_vector(v: &Value) -> String {
    let id = text("?", v, "id");
    let input = &v["input"];
    only_known_fields(
        id,
        "input",
        input,
        &[
            "credentials",
            "region",
            "product",
            "signing_time",
            "expiration_time",
            "expires_in_seconds",
            "endpoint",
            "scheme",
            "address_style_requested",
            "method",
            "bucket",
            "key",
            "additional_headers_requested",
            "sdk_call",
            "request_before_signing",
        ],
    );
    assert_eq!(text(id, input, "product"), "oss", "{id}: product");
    let now = time(id, input, "signing_time");
    let expires = time(id, input, "expiration_time");
    assert_eq!(
        Some(expires - now),
        input["expires_in_seconds"].as_i64(),
        "{id}: expires_in_seconds"
    );
    let is_path_style = match text(id, input, "address_style_requested") {
        "virtual" => false,
        "path" => true,
        other => panic!("{id}: unknown address style {other:?}"),
    };
    let before = &input["request_before_signing"];
    only_known_fields(
        id,
        "request_before_signing",
        before,
        &["method", "url", "headers"],
    );
    assert_eq!(text(id, before, "method"), text(id, input, "method"));

    let mut request =
        PresignRequest::new(text(id, input, "bucket"), text(id, input, "key"), expires);
    request.method = text(id, input, "method").to_owned();
    request.headers = pairs(id, &before["headers"]);
    if let Some((_, query)) = text(id, before, "url").split_once('?') {
        for (name, value) in parse_query(query) {
            request.set_parameter(&name, &value);
        }
    }
    request.additional_headers = match &input["additional_headers_requested"] {
        Value::Null => Vec::new(),
        list => list
            .as_array()
            .unwrap_or_else(|| panic!("{id}: additional_headers_requested"))
            .iter()
            .map(|name| name.as_str().expect("a header name").to_owned())
            .collect(),
    };
    request.unencoded_slash = true;
    request.query_order = QueryOrder::AsAdded;

    let endpoint = Endpoint::parse(&format!(
        "{}://{}",
        text(id, input, "scheme"),
        text(id, input, "endpoint")
    ))
    .unwrap();
    let credentials = credentials(id, &input["credentials"]);
    let url = presigned_url(
        &request,
        &context(
            &endpoint,
            &credentials,
            SignatureVersion::V4,
            text(id, input, "region"),
            is_path_style,
            now,
        ),
    )
    .unwrap_or_else(|e| panic!("{id}: {e:?}"));
    assert_eq!(url, text(id, &v["expected"], "url"), "{id}");
    url
}

#[test]
fn every_v4_presign_vector_gives_the_expected_url() {
    let all = vectors(PRESIGN_V4);
    for v in &all {
        check_v4_vector(v);
    }
    assert_eq!(all.len(), 7, "presign_v4.json holds 7 vectors");
}

#[test]
fn v4_vectors_cover_sts_additional_headers_path_style_and_non_ascii_keys() {
    let urls: Vec<String> = vectors(PRESIGN_V4).iter().map(check_v4_vector).collect();
    assert!(urls.iter().any(|u| u.contains("&x-oss-security-token=")));
    assert!(
        urls.iter()
            .any(|u| u.contains("&x-oss-additional-headers=range&"))
    );
    assert!(
        urls.iter().any(
            |u| u.starts_with("https://oss-cn-shanghai.aliyuncs.com/vec-shared-path/%E4%B8%8A")
        )
    );
}

// sign_v1.json presigned-URL vectors (oss2: parameters as added, `/` written %2F)

#[test]
fn every_v1_presign_vector_gives_the_expected_url() {
    let mut checked = 0;
    for v in vectors(SIGN_V1) {
        let id = text("?", &v, "id");
        let expected = &v["expected"];
        match text(id, expected, "mode") {
            "header" => continue,
            "query (presigned URL)" => {}
            other => panic!("{id}: unknown mode {other:?}"),
        }
        let input = &v["input"];
        only_known_fields(
            id,
            "input",
            input,
            &[
                "credentials",
                "signing_time",
                "endpoint",
                "scheme",
                "bucket",
                "key",
                "body",
                "sdk_call",
                "expires_in_seconds",
                "method",
            ],
        );
        assert!(input["body"].is_null(), "{id}: a presigned URL has no body");
        let call = &input["sdk_call"];
        only_known_fields(
            id,
            "sdk_call",
            call,
            &["api", "method", "key", "expires", "headers"],
        );
        assert_eq!(text(id, call, "api"), "oss2.Bucket.sign_url");
        assert_eq!(text(id, call, "method"), text(id, input, "method"));
        assert_eq!(text(id, call, "key"), text(id, input, "key"));
        assert_eq!(call["expires"], input["expires_in_seconds"], "{id}");
        let expires =
            time(id, input, "signing_time") + input["expires_in_seconds"].as_i64().unwrap();
        assert_eq!(
            Some(expires),
            expected["expires_unix"].as_i64(),
            "{id}: expires_unix"
        );

        let mut request =
            PresignRequest::new(text(id, input, "bucket"), text(id, input, "key"), expires);
        request.method = text(id, input, "method").to_owned();
        for (name, value) in call["headers"].as_object().expect("sdk_call.headers") {
            request.set_header(name, value.as_str().expect("a header value"));
        }
        request.query_order = QueryOrder::AsAdded;
        let endpoint = Endpoint::parse(&format!(
            "{}://{}",
            text(id, input, "scheme"),
            text(id, input, "endpoint")
        ))
        .unwrap();
        let credentials = credentials(id, &input["credentials"]);
        let url = presigned_url(
            &request,
            &context(&endpoint, &credentials, SignatureVersion::V1, "", false, 0),
        )
        .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(url, text(id, expected, "url"), "{id}");
        checked += 1;
    }
    assert_eq!(checked, 2, "sign_v1.json holds 2 presign vectors");
}

// The C++ SDK's verified outputs (cpp-sdk-surface-2.md 4.3 and 4.4): sorted parameters.

const CPP_AK: &str = "AKIDEXAMPLE";
const CPP_SK: &str = "SECRETEXAMPLE";
const CPP_EXPIRES: i64 = 1_700_000_000;

fn cpp_url(request: &PresignRequest, endpoint: &str, credentials: &Credentials) -> String {
    let endpoint = Endpoint::parse(endpoint).unwrap();
    presigned_url(
        request,
        &context(&endpoint, credentials, SignatureVersion::V1, "", false, 0),
    )
    .unwrap()
}

fn cpp_v1(request: &PresignRequest) -> String {
    cpp_url(
        request,
        "oss-cn-hangzhou.aliyuncs.com",
        &Credentials::new(CPP_AK, CPP_SK),
    )
}

#[test]
fn cpp_sdk_v1_get_encodes_slash_space_and_plus_in_the_key() {
    assert_eq!(
        cpp_v1(&PresignRequest::new(
            "my-bucket",
            "dir/a b+c.txt",
            CPP_EXPIRES
        )),
        "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/dir%2Fa%20b%2Bc.txt?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE&Signature=lohTUMr%2Fl86GE%2BKsHRAYLIBhdQ8%3D"
    );
}

#[test]
fn cpp_sdk_v1_put() {
    let mut request = PresignRequest::new("my-bucket", "obj.txt", CPP_EXPIRES);
    request.method = "PUT".into();
    assert_eq!(
        cpp_v1(&request),
        "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/obj.txt?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE&Signature=3mFJCGV5q%2FIa%2F5sdKdwcbdyJm0M%3D"
    );
}

#[test]
fn cpp_sdk_v1_put_with_every_setting_signs_headers_metadata_and_sub_resources() {
    let mut request = PresignRequest::new("my-bucket", "obj.txt", CPP_EXPIRES);
    request.method = "PUT".into();
    request.set_header("Content-Type", "text/plain");
    request.set_header("Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww==");
    request.set_user_metadata("Author", "oss");
    request.set_parameter("x-param", "v v");
    request.set_parameter("acl", "");
    request.set_parameter("x-oss-process", "image/resize,w_100");
    request.set_parameter("x-oss-traffic-limit", "819200");
    request.set_parameter("versionId", "CAEQ");
    request.set_parameter("x-oss-request-payer", "requester");
    request.set_parameter("response-content-disposition", "attachment; filename=x.txt");
    assert_eq!(
        cpp_v1(&request),
        "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/obj.txt?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE&Signature=2AaIDTJ6LfNtuEo93uwKHo9fsSc%3D&acl&response-content-disposition=attachment%3B%20filename%3Dx.txt&versionId=CAEQ&x-oss-process=image%2Fresize%2Cw_100&x-oss-request-payer=requester&x-oss-traffic-limit=819200&x-param=v%20v"
    );
}

#[test]
fn cpp_sdk_v1_unencoded_slash_keeps_slashes_in_the_path() {
    let mut request = PresignRequest::new("my-bucket", "a/b/c", CPP_EXPIRES);
    request.unencoded_slash = true;
    assert_eq!(
        cpp_v1(&request),
        "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/a/b/c?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE&Signature=dsRNWS4gURVYKvJEm9bsw%2FDWNUc%3D"
    );
}

#[test]
fn cpp_sdk_v1_sts_token_is_a_sorted_signed_parameter() {
    assert_eq!(
        cpp_url(
            &PresignRequest::new("my-bucket", "k", CPP_EXPIRES),
            "https://oss-cn-hangzhou.aliyuncs.com",
            &Credentials::with_security_token(CPP_AK, CPP_SK, "STSTOKEN"),
        ),
        "https://my-bucket.oss-cn-hangzhou.aliyuncs.com/k?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE&Signature=RvDacvbl%2ByWb12TRYQMy7ymseA8%3D&security-token=STSTOKEN"
    );
}

#[test]
fn cpp_sdk_v1_ip_cname_and_path_style_endpoints_sign_alike() {
    let request = PresignRequest::new("my-bucket", "k", CPP_EXPIRES);
    let credentials = Credentials::new(CPP_AK, CPP_SK);
    let query =
        "?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE&Signature=cToGsXIkvMaKDo5wCy1oT0jfvLo%3D";
    assert_eq!(
        cpp_url(&request, "http://127.0.0.1:8080", &credentials),
        format!("http://127.0.0.1:8080/my-bucket/k{query}")
    );
    for (cname, path_style, expected) in [
        (true, false, "http://cdn.example.com/k"),
        (false, true, "http://cdn.example.com/my-bucket/k"),
    ] {
        let endpoint = Endpoint::parse("http://cdn.example.com").unwrap();
        let mut ctx = context(
            &endpoint,
            &credentials,
            SignatureVersion::V1,
            "",
            path_style,
            0,
        );
        ctx.is_cname = cname;
        assert_eq!(
            presigned_url(&request, &ctx).unwrap(),
            format!("{expected}{query}")
        );
    }
}

#[test]
fn cpp_sdk_v1_callback_parameter_is_signed() {
    // The spec elides the method; the signature is the one of a PUT.
    let mut request = PresignRequest::new("my-bucket", "k", CPP_EXPIRES);
    request.method = "PUT".into();
    request.set_parameter(
        "callback",
        "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbSJ9",
    );
    assert_eq!(
        cpp_v1(&request),
        "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/k?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE&Signature=deBy5ihzucHEzsQmtI1NKd5tlLM%3D&callback=eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbSJ9"
    );
}

#[test]
fn cpp_sdk_v4_get_sorts_the_signature_parameters_and_counts_expiry_from_the_signing_time() {
    let now = parse_rfc3339("2026-12-01T13:57:23Z").unwrap();
    let endpoint = Endpoint::parse("https://oss-cn-hangzhou.aliyuncs.com").unwrap();
    let credentials = Credentials::new(CPP_AK, CPP_SK);
    let url = presigned_url(
        &PresignRequest::new("my-bucket", "dir/a b.txt", now + 900),
        &context(
            &endpoint,
            &credentials,
            SignatureVersion::V4,
            "cn-hangzhou",
            false,
            now,
        ),
    )
    .unwrap();
    assert_eq!(
        url,
        "https://my-bucket.oss-cn-hangzhou.aliyuncs.com/dir%2Fa%20b.txt?x-oss-credential=AKIDEXAMPLE%2F20261201%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20261201T135723Z&x-oss-expires=900&x-oss-signature=4551a55c094d58ca30db78f010d1e99f849d42dfd61b6fc8c89536db2d990953&x-oss-signature-version=OSS4-HMAC-SHA256"
    );
}

// Against the emulator, with a plain HTTP client

const AK: &str = "LTAI5tTestAccessKey01";
const SK: &str = "TestSecretKeyForTheEmulator0001";
const BUCKET: &str = "presign-bucket";
const REGION: &str = "cn-hangzhou";

struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method url` with `headers` and `body` over a fresh connection, as curl would.
fn send(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (authority, target) = rest.split_at(rest.find('/').expect("a path"));
    let mut stream = TcpStream::connect(authority).expect("connect to the emulator");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("read the reply");
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a reply head");
    let head = String::from_utf8_lossy(&reply[..split]).into_owned();
    let status = head[9..12].parse().expect("a status code");
    let mut body = reply[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Reply { status, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 4 + size..];
    }
}

fn emulator() -> ossffi_emulator::RunningServer {
    ossffi_emulator::Server::start(
        ossffi_emulator::Config::new(AK, SK)
            .with_bucket(BUCKET)
            .with_region(REGION),
    )
    .expect("the emulator starts")
}

fn sign(
    server: &ossffi_emulator::RunningServer,
    version: SignatureVersion,
    request: &PresignRequest,
    now: i64,
) -> String {
    let endpoint = Endpoint::parse(&format!("http://{}", server.addr())).unwrap();
    let credentials = Credentials::new(AK, SK);
    presigned_url(
        request,
        &context(&endpoint, &credentials, version, REGION, false, now),
    )
    .unwrap()
}

#[test]
fn a_presigned_put_with_a_callback_and_a_presigned_get_are_accepted_by_the_emulator() {
    let server = emulator();
    let receiver = support::callback_receiver::Receiver::start();
    let now = ossffi::time::now_unix();
    for version in [SignatureVersion::V1, SignatureVersion::V4] {
        let key = format!("presigned/{version:?} upload.txt");
        let data = support::pattern(5000, 7);
        let callback = format!(
            r#"{{"callbackUrl":"{}","callbackBody":"bucket=${{bucket}}&object=${{object}}&size=${{size}}&who=${{x:who}}","callbackBodyType":"application/x-www-form-urlencoded"}}"#,
            receiver.url()
        );
        let mut put = PresignRequest::new(BUCKET, &key, now + 600);
        put.method = "PUT".into();
        put.set_header("Content-Type", "text/plain");
        put.set_user_metadata("Author", "presign");
        put.set_callback(
            &base64_encode(callback.as_bytes()),
            &base64_encode(br#"{"x:who":"browser"}"#),
        );
        let url = sign(&server, version, &put, now);
        let reply = send(
            "PUT",
            &url,
            &[
                ("Content-Type", "text/plain"),
                ("x-oss-meta-author", "presign"),
            ],
            &data,
        );
        assert_eq!(reply.status, 200, "{version:?}: {}", reply.text());
        assert_eq!(
            reply.text(),
            format!("{{\"Status\":\"OK\",\"object\":\"{key}\"}}"),
            "{version:?}: the callback server's reply comes back"
        );
        let form = receiver.received().last().expect("a callback").form();
        assert!(form.contains(&("who".into(), "browser".into())), "{form:?}");
        assert!(form.contains(&("size".into(), "5000".into())), "{form:?}");

        let get = PresignRequest::new(BUCKET, &key, now + 600);
        let reply = send("GET", &sign(&server, version, &get, now), &[], &[]);
        assert_eq!(reply.status, 200, "{version:?}: {}", reply.text());
        assert_eq!(reply.body, data, "{version:?}: the stored bytes");
    }
    assert_eq!(receiver.received().len(), 2);
}

#[test]
fn a_presigned_put_without_its_signed_header_is_refused() {
    let server = emulator();
    let now = ossffi::time::now_unix();
    let mut put = PresignRequest::new(BUCKET, "k", now + 600);
    put.method = "PUT".into();
    put.set_header("Content-Type", "text/plain");
    let reply = send(
        "PUT",
        &sign(&server, SignatureVersion::V4, &put, now),
        &[],
        b"x",
    );
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert!(
        reply.text().contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        reply.text()
    );
}

#[test]
fn an_expired_url_gets_access_denied() {
    let server = emulator();
    let now = ossffi::time::now_unix();
    // V1 URLs end at an absolute time; V4 ones a number of seconds after they were signed.
    for (version, signed_at, expires) in [
        (SignatureVersion::V1, now, now - 60),
        (SignatureVersion::V4, now - 3600, now - 3540),
    ] {
        let get = PresignRequest::new(BUCKET, "any-key", expires);
        let reply = send("GET", &sign(&server, version, &get, signed_at), &[], &[]);
        assert_eq!(reply.status, 403, "{version:?}: {}", reply.text());
        assert!(
            reply.text().contains("<Code>AccessDenied</Code>"),
            "{}",
            reply.text()
        );
        assert!(
            reply.text().contains("Request has expired."),
            "{}",
            reply.text()
        );
    }
}

/// examples_c/presign_put.c, which `make demo` runs before a plain `curl -T`: built under
/// AddressSanitizer + UBSan, it prints a URL with the callback signed in; a credential-less PUT
/// to it stores the object, OSS calls the receiver with the signed variables, and the uploader
/// gets the receiver's reply.
#[test]
fn the_presign_put_example_prints_a_url_a_plain_put_can_use() {
    use support::native::{self, Linking, Sanitizer, Services};
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("presign_example");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join("presign_put");
    native::compile_to(
        &native::repo_root().join("examples_c/presign_put.c"),
        &exe,
        "cc",
        &["-std=c99", "-Wall", "-Wextra", "-Werror", "-g"],
        Linking::Static,
        Sanitizer::AddressAndUndefined,
    );
    let services = Services::start();
    let endpoint = format!("http://{}", services.emulator.addr());
    let envs: Vec<(String, String)> = vec![
        ("OSS_ENDPOINT".into(), endpoint),
        ("OSS_REGION".into(), native::TEST_REGION.into()),
        ("OSS_BUCKET".into(), native::TEST_BUCKET.into()),
        ("OSS_CALLBACK_URL".into(), services.receiver.url()),
        (
            "OSS_ACCESS_KEY_ID".into(),
            native::TEST_ACCESS_KEY_ID.into(),
        ),
        (
            "OSS_ACCESS_KEY_SECRET".into(),
            native::TEST_ACCESS_KEY_SECRET.into(),
        ),
    ];
    let output = native::run(
        &exe,
        Sanitizer::AddressAndUndefined,
        &envs,
        &["demo/by url.txt"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "presign_put failed: {stderr}");
    let url = String::from_utf8(output.stdout).unwrap();
    let url = url.trim();
    assert!(url.contains("callback="), "{url}");
    assert!(
        url.contains("x-oss-signature-version=OSS4-HMAC-SHA256"),
        "{url}"
    );

    let body = b"uploaded through a presigned URL\n";
    let reply = send("PUT", url, &[], body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.text(),
        r#"{"Status":"OK","object":"demo/by url.txt"}"#
    );
    assert_eq!(
        services
            .emulator
            .object_bytes(native::TEST_BUCKET, "demo/by url.txt")
            .as_deref(),
        Some(&body[..])
    );
    let received = services.receiver.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].verified, "the callback signature verifies");
    let form = received[0].form();
    assert!(
        form.contains(&("via".into(), "presigned URL".into())),
        "{form:?}"
    );
    assert!(
        form.contains(&("size".into(), body.len().to_string())),
        "{form:?}"
    );

    // The callback is part of the signature: a URL whose callback was swapped is refused.
    let swapped = url.replacen("callback=", "callback=e30%3D&x=", 1);
    let reply = send("PUT", &swapped, &[], body);
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert_eq!(services.receiver.received().len(), 1);
}
