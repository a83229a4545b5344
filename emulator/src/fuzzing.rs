//! Entry points for the fuzz targets in `fuzz/` and for the regression tests that replay what
//! they found (the repository's `tests/fuzz_regressions.rs`). Not part of the API: each function
//! takes the fuzzer's bytes, hands them to one of the emulator's readers of untrusted input, and
//! asserts what must hold whatever the input. A panic here is a finding.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use ossffi::callback::CallbackBodyType;
use ossffi::encoding::{base64_encode, parse_query, percent_decode};
use ossffi::signing::{Credentials, v1, v4};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::Runtime;

use crate::auth::{AuthRequest, Authenticator, auth_kind};
use crate::callback::{BodyType, ObjectFacts, Template, parse as parse_callback, render_body};
use crate::config::{Config, Credential};
use crate::form::{self, FormError, FormReader, MAX_FIELD};
use crate::server::State;

/// Every target of this crate by name, as `fuzz/fuzz_targets/<name>.rs` calls it and
/// `fuzz/regressions/<name>/` replays it.
pub const TARGETS: &[(&str, ossffi::fuzzing::Entry)] = &[
    ("emulator_http_request", http_request),
    ("emulator_auth", auth),
    ("emulator_form", form),
    ("emulator_post_policy", post_policy),
    ("emulator_callback_params", callback_params),
    ("emulator_xml_bodies", xml_bodies),
];

const ACCESS_KEY_ID: &str = "fuzz-access-key";
const ACCESS_KEY_SECRET: &str = "fuzz-secret";
const REGION: &str = "cn-hangzhou";
const BUCKET: &str = "fuzz-bucket";
/// The emulator's clock: 2026-01-01T00:00:00Z, fixed so that findings replay.
const NOW: i64 = 1_767_225_600;
/// Signed requests change the store; a fresh server after this many keeps memory bounded.
const SIGNED_PER_STATE: u32 = 256;

/// A request written as text: `METHOD /bucket/key?query`, header lines `name: value`, an empty
/// line, the body. `\r` before `\n` is dropped.
struct RequestText<'a> {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl<'a> RequestText<'a> {
    fn parse(data: &'a [u8]) -> RequestText<'a> {
        let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
            Some(at) => (&data[..at], &data[at + 2..]),
            None => (data, &b""[..]),
        };
        let head = String::from_utf8_lossy(head);
        let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let first = lines.next().unwrap_or("");
        let (method, target) = first.split_once(' ').unwrap_or((first, "/"));
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        RequestText {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers,
            body,
        }
    }

    /// Path-style addressing: the first segment is the bucket, the rest the key.
    fn bucket_and_key(&self) -> (Option<String>, Option<String>) {
        let path = self.path.strip_prefix('/').unwrap_or(&self.path);
        let decode = |s: &str| String::from_utf8_lossy(&percent_decode(s)).into_owned();
        match path.split_once('/') {
            None if path.is_empty() => (None, None),
            None => (Some(decode(path)), None),
            Some((bucket, "")) => (Some(decode(bucket)), None),
            Some((bucket, key)) => (Some(decode(bucket)), Some(decode(key))),
        }
    }

    /// Signs the headers as the client does, V4 or V1, at the emulator's clock.
    fn sign(&mut self, version4: bool) {
        let (bucket, key) = self.bucket_and_key();
        let query = parse_query(&self.query);
        let credentials = Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
        if version4 {
            v4::sign_headers(
                &self.method,
                bucket.as_deref(),
                key.as_deref(),
                &query,
                &mut self.headers,
                &credentials,
                REGION,
                "oss",
                NOW,
                &[],
            );
        } else {
            v1::sign_headers(
                &self.method,
                bucket.as_deref(),
                key.as_deref(),
                &query,
                &mut self.headers,
                &credentials,
                NOW,
            );
        }
    }

    fn to_wire(&self) -> Vec<u8> {
        let mut wire = format!("{} {}", self.method, self.path);
        if !self.query.is_empty() {
            wire.push('?');
            wire.push_str(&self.query);
        }
        wire.push_str(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (name, value) in &self.headers {
            wire.push_str(&format!("{name}: {value}\r\n"));
        }
        let framed = self
            .headers
            .iter()
            .any(|(n, _)| n == "content-length" || n == "transfer-encoding");
        if !framed {
            wire.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        wire.push_str("\r\n");
        let mut wire = wire.into_bytes();
        wire.extend_from_slice(self.body);
        wire
    }
}

fn fuzz_config() -> Config {
    let mut config = Config::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
    config.buckets = vec![BUCKET.to_owned()];
    config.now = Some(NOW);
    config.header_timeout = Duration::from_secs(2);
    config.body_timeout = Duration::from_secs(2);
    config.callback_timeout = Duration::from_secs(1);
    config.max_object_size = 4 << 20;
    // Callbacks fail without a connection: fuzzed URLs must not reach anything on this machine.
    config.faults.callback_fail_next = u32::MAX;
    config
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_io()
            .enable_time()
            .build()
            .expect("a tokio runtime")
    })
}

/// The server state requests go to; a fresh one after [`SIGNED_PER_STATE`] signed requests.
fn state(signed: bool) -> Arc<State> {
    static STATE: Mutex<Option<(Arc<State>, u32)>> = Mutex::new(None);
    let mut slot = STATE.lock().unwrap_or_else(PoisonError::into_inner);
    if slot.as_ref().is_none_or(|(_, n)| *n >= SIGNED_PER_STATE) {
        *slot = None;
        let state = State::new(fuzz_config()).expect("the emulator's state");
        *slot = Some((Arc::new(state), 0));
    }
    let (state, count) = slot.as_mut().expect("set above");
    if signed {
        *count += 1;
    }
    state.clone()
}

/// The emulator's whole request path on one connection: hyper's HTTP/1 reader with the
/// emulator's limits, then routing, authentication and every operation behind it.
///
/// The first byte: bit 0 set means the rest is a [`RequestText`] that is signed (V4, or V1 with
/// bit 1) before it is sent, so mutations reach the operations behind the signature check;
/// otherwise the rest goes to the connection as it is. Bits 2-4 choose the write size. The
/// answer must be HTTP, and never the emulator's "a bug in ossffi-emulator" 500.
pub fn http_request(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let signed = control & 1 == 1;
    let wire = if signed {
        let mut request = RequestText::parse(rest);
        request.sign(control & 2 == 0);
        request.to_wire()
    } else {
        rest.to_vec()
    };
    let step = [1, 3, 16, 100, 1024, 8192, 65536, usize::MAX][usize::from((control >> 2) & 7)];
    let state = state(signed);
    let output = runtime().block_on(async move {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let mut http = crate::listener::http_builder(&state);
        // The whole request is written before the answer is read, then the write side closes:
        // hyper must answer what it read instead of dropping a half-closed connection.
        http.half_close(true);
        let peer = SocketAddr::from(([127, 0, 0, 1], 40000));
        let served = tokio::spawn(async move {
            crate::listener::serve_http(server, peer, state, &http).await;
        });
        let (mut from_server, mut to_server) = tokio::io::split(client);
        let send = async move {
            for chunk in wire.chunks(step.max(1)) {
                if to_server.write_all(chunk).await.is_err() {
                    break;
                }
            }
            let _ = to_server.shutdown().await;
        };
        let receive = async move {
            let mut output = Vec::new();
            let _ = from_server.read_to_end(&mut output).await;
            output
        };
        let exchange = async {
            let sender = tokio::spawn(send);
            let output = receive.await;
            let _ = sender.await;
            output
        };
        let output = tokio::time::timeout(Duration::from_secs(20), exchange)
            .await
            .expect("the emulator answered within 20 s");
        served.await.expect("the connection task did not panic");
        output
    });
    if !output.is_empty() {
        assert!(
            output.starts_with(b"HTTP/1.1 ") || output.starts_with(b"HTTP/1.0 "),
            "the answer is not HTTP: {:?}",
            String::from_utf8_lossy(&output[..output.len().min(200)])
        );
    }
    let bug = b"a bug in ossffi-emulator";
    assert!(
        !output.windows(bug.len()).any(|w| w == bug),
        "the emulator caught a panic: {}",
        String::from_utf8_lossy(&output)
    );
}

/// V1/V4 Authorization headers and presigned query parameters as the emulator checks them.
/// Every refusal is OSS error XML that the client's error parser reads back with the same
/// code, and a request the client signed (bit 0 of the first byte; V4, or V1 with bit 1) is
/// accepted unless the fuzzer added authentication fields of its own.
///
/// The rest of the input is a [`RequestText`].
pub fn auth(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let mut request = RequestText::parse(rest);
    let reserved = request.headers.iter().any(|(n, _)| {
        matches!(
            n.as_str(),
            "authorization"
                | "date"
                | "x-oss-date"
                | "x-oss-content-sha256"
                | "x-oss-security-token"
                | "security-token"
        )
    }) || parse_query(&request.query).iter().any(|(n, _)| {
        n.starts_with("x-oss-")
            || matches!(
                n.as_str(),
                "OSSAccessKeyId" | "Signature" | "Expires" | "security-token"
            )
    });
    let signed = control & 1 == 1;
    if signed {
        request.sign(control & 2 == 0);
    }
    let (bucket, key) = request.bucket_and_key();
    let query = parse_query(&request.query);
    let authenticator = Authenticator::new(
        vec![Credential {
            access_key_id: ACCESS_KEY_ID.to_owned(),
            access_key_secret: ACCESS_KEY_SECRET.to_owned(),
            security_token: None,
        }],
        REGION.to_owned(),
        900,
    );
    let outcome = auth_kind(&request.headers, &query).and_then(|kind| {
        authenticator.authenticate(
            kind,
            &AuthRequest {
                method: &request.method,
                bucket: bucket.as_deref(),
                key: key.as_deref(),
                query: &query,
                headers: &request.headers,
                now: NOW,
            },
        )
    });
    match outcome {
        Ok(access_key_id) => assert_eq!(access_key_id, ACCESS_KEY_ID),
        Err(e) => {
            assert!(
                !signed || reserved,
                "a request the client signed is refused: {} {}\n{:?}",
                e.code,
                e.message,
                request.headers
            );
            let xml = e.to_xml("request-id", "host-id");
            let read = ossffi::oss_error::parse_error_xml(&xml)
                .unwrap_or_else(|why| panic!("the client cannot read the error ({why}): {xml}"));
            assert_eq!(read.code, e.code);
        }
    }
}

/// A request body handed out at most `step` bytes per read.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = out.len().min(self.step).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Form fields in order: name and value.
type Fields = Vec<(String, Vec<u8>)>;

/// Reads a form as PostObject does: the fields before `file` with their limits, the file
/// streamed, the rest skipped. Returns the fields and the file's bytes.
fn read_form(body: &[u8], boundary: &str, step: usize) -> Result<(Fields, Vec<u8>), FormError> {
    let mut form = FormReader::new(Trickle { data: body, step }, boundary);
    let mut fields = Vec::new();
    let mut file = Vec::new();
    while let Some(part) = form.next_part()? {
        if part.name.eq_ignore_ascii_case("file") {
            form.body_stream()
                .read_to_end(&mut file)
                .map_err(FormError::Io)?;
            if let Some(why) = form.malformed.take() {
                return Err(FormError::Malformed(why));
            }
            break;
        }
        let value = form.read_field(&part.name, MAX_FIELD)?;
        assert!(value.len() <= MAX_FIELD, "a field over its limit");
        fields.push((part.name, value));
    }
    form.finish()?;
    assert!(
        form.consumed <= body.len() + 2,
        "consumed more than the body"
    );
    Ok((fields, file))
}

/// The PostObject `multipart/form-data` reader. The first byte chooses the read size and the
/// mode: a form as the fuzzer wrote it (first line the Content-Type, the rest the body), or a
/// well-formed form written from the fuzzer's fields, which must read back exactly.
pub fn form(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let step = [1, 2, 5, 70, 512, 4096, 65536, usize::MAX][usize::from(control & 7)];
    if control & 8 == 0 {
        let (content_type, body) = match rest.iter().position(|&b| b == b'\n') {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &b""[..]),
        };
        let content_type = String::from_utf8_lossy(content_type);
        if let Some(Ok(boundary)) = form::boundary(&content_type) {
            assert!((1..=70).contains(&boundary.len()));
            let _ = read_form(body, &boundary, step);
        }
        return;
    }
    // Fields split at 0x01 into name/value pairs; the last value is the file.
    let boundary = "fuzzBoundary7MA4YWxkTrZu0gW";
    let text = String::from_utf8_lossy(rest);
    let items: Vec<&str> = text.split('\u{1}').collect();
    let mut fields: Fields = Vec::new();
    for pair in items.chunks(2) {
        let name = pair[0];
        let value = pair.get(1).copied().unwrap_or("");
        let plain = |s: &str| {
            !s.contains(['"', '\\', ';'] as [char; 3])
                && !s.chars().any(char::is_control)
                && !s.contains(boundary)
        };
        if name.is_empty() || !plain(name) || value.contains(boundary) {
            return;
        }
        if name.eq_ignore_ascii_case("file") || name.trim() != name || value.len() > MAX_FIELD {
            return;
        }
        fields.push((name.to_owned(), value.as_bytes().to_vec()));
    }
    let file = b"file bytes\r\n--not the boundary\r\n";
    let mut body = Vec::new();
    for (name, value) in &fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    if fields
        .iter()
        .map(|(n, v)| n.len() + v.len() + 100)
        .sum::<usize>()
        > 512 * 1024
    {
        return;
    }
    match read_form(&body, boundary, step) {
        Ok((read, read_file)) => {
            assert_eq!(read, fields, "the fields read back differently");
            assert_eq!(read_file, file, "the file reads back differently");
        }
        Err(FormError::Malformed(why) | FormError::TooLarge(why)) => {
            panic!("a well-formed form is refused: {why}")
        }
        Err(FormError::Io(e)) => panic!("reading memory failed: {e}"),
    }
}

/// The PostObject policy (`policy` field: base64 of a JSON document) and its conditions. The
/// first byte: bit 0 set means the rest is the field as sent, otherwise the rest is the JSON
/// document (base64-encoded here, so that mutations reach the JSON reader).
pub fn post_policy(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let field = if control & 1 == 1 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        base64_encode(rest)
    };
    let Ok(policy) = crate::post_policy::decode(&field) else {
        return;
    };
    let _ = policy.length_range();
    let fields: BTreeMap<&str, &str> = [("bucket", BUCKET), ("key", "a/b.txt"), ("x:var", "v")]
        .into_iter()
        .collect();
    if let Err(e) = policy.check(|name| fields.get(name.to_ascii_lowercase().as_str()).copied()) {
        let xml = e.to_xml("request-id", "host-id");
        let read = ossffi::oss_error::parse_error_xml(&xml)
            .unwrap_or_else(|why| panic!("the client cannot read the error ({why}): {xml}"));
        assert_eq!(read.code, e.code);
    }
}

/// The callback parameters (`x-oss-callback`, `x-oss-callback-var`): decoded and checked as the
/// emulator does, the body template rendered, and the client's builders read back.
///
/// The first byte chooses the mode. Raw: the rest is split at `\n` into the two header values.
/// JSON: the two JSON documents, base64-encoded here. Builders: the client's builders are fed
/// URL, host, body and variables (split at 0x01); whatever they write that the emulator
/// accepts must read back as written.
pub fn callback_params(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match control % 3 {
        0 | 1 => {
            let (callback, var) = text.split_once('\n').unwrap_or((&text, ""));
            let (callback, var) = if control % 3 == 0 {
                (callback.to_owned(), var.to_owned())
            } else {
                (
                    base64_encode(callback.as_bytes()),
                    base64_encode(var.as_bytes()),
                )
            };
            if let Ok(request) = parse_callback(&callback, Some(&var)) {
                render(&request);
            }
            let _ = Template::parse(&text);
        }
        _ => builders(&text, control),
    }
}

fn render(request: &crate::callback::CallbackRequest) {
    let facts = ObjectFacts {
        bucket: BUCKET,
        object: "a/b c.txt",
        etag: "5EB63BBBE01EEED093CB22BB8F5ACDC3",
        size: 11,
        mime_type: "text/plain",
        crc64: 5_981_764_153_023_615_706,
        content_md5: "XrY7u+Ae7tCTyyK7j1rNww==",
        client_ip: "127.0.0.1",
        request_id: "request-id",
        operation: "PutObject",
    };
    let _ = render_body(request, &facts);
}

fn builders(text: &str, control: u8) {
    let (builder, variables) = ossffi::fuzzing::callback_builders(text, control & 8 != 0);
    let (callback, var) = (builder.build(), variables.build());
    let Ok(request) = parse_callback(&callback, Some(&var)) else {
        return;
    };
    assert_eq!(
        request.json(),
        builder.json(),
        "the callback JSON reads differently"
    );
    let json_body = builder.body_type == CallbackBodyType::Json;
    assert_eq!(request.body_type() == BodyType::Json, json_body);
    if !var.is_empty() {
        let written: BTreeMap<String, String> = serde_json::from_str(&variables.json())
            .unwrap_or_else(|e| panic!("the variable builder wrote invalid JSON: {e}"));
        assert_eq!(request.vars(), &written, "the variables read differently");
    }
    render(&request);
}

/// The request bodies and values the operations read: CreateBucketConfiguration,
/// DeleteMultipleObjects, CompleteMultipartUpload's part list, the CORS configuration, and the
/// Range header (the first 8 bytes are the object size). Every refusal is error XML the client
/// reads back with the same code; a range lies inside the object.
pub fn xml_bodies(data: &[u8]) {
    let refusal = |e: crate::error::OssError| {
        let xml = e.to_xml("request-id", "host-id");
        let read = ossffi::oss_error::parse_error_xml(&xml)
            .unwrap_or_else(|why| panic!("the client cannot read the error ({why}): {xml}"));
        assert_eq!(read.code, e.code);
    };
    if let Err(e) = crate::ops::parse_create_bucket(data) {
        refusal(e);
    }
    if let Err(e) = crate::ops::cors::parse_cors(data) {
        refusal(e);
    }
    let text = String::from_utf8_lossy(data);
    match crate::ops::parse_delete(&text) {
        Ok(request) => assert!(request.keys.len() <= data.len()),
        Err(e) => refusal(e),
    }
    match crate::ops::parse_part_list(&text) {
        Ok(parts) => assert!(parts.len() <= data.len()),
        Err(e) => refusal(e),
    }
    if let Some((size, range)) = data.split_first_chunk::<8>() {
        let size = u64::from_le_bytes(*size) >> (size[0] % 64);
        let range = String::from_utf8_lossy(range);
        if let crate::ops::Selected::Part(first, last) = crate::ops::parse_range(&range, size) {
            assert!(
                first <= last && last < size,
                "{range:?} of {size} bytes gave {first}-{last}"
            );
        }
    }
}
