//! Entry points for the fuzz targets in `fuzz/` and for the regression tests that replay what
//! they found (`tests/fuzz_regressions.rs`). Not part of the API: each function takes the
//! fuzzer's bytes, hands them to one of the library's parsers of untrusted input, and asserts
//! what must hold whatever the input (bounded output, round trips where a writer exists). A
//! panic here is a finding.

use std::io::{self, Read};

use crate::callback::{ObjectCallbackBuilder, ObjectCallbackVariableBuilder, json_text};
use crate::encoding::base64_encode;
use crate::http::{ReplySink, Response};
use crate::transfer::checkpoint::Record;

/// A fuzz target's entry: the fuzzer's bytes in, a panic for a finding.
pub type Entry = fn(&[u8]);

/// Every target of this crate by name, as `fuzz/fuzz_targets/<name>.rs` calls it and
/// `fuzz/regressions/<name>/` replays it.
pub const TARGETS: &[(&str, Entry)] = &[
    ("client_http_response", http_response),
    ("client_error_xml", error_xml),
    ("client_result_xml", result_xml),
    ("client_callback_verify", callback_verify),
    ("client_callback_json", callback_json),
    ("checkpoint_record", checkpoint_record),
];

/// A server's bytes, handed out at most `step` bytes per read, so that heads, chunk lines and
/// bodies also arrive split at every place.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
    reads_after_end: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.data.is_empty() {
            self.reads_after_end += 1;
            // A reader that keeps reading past the end would spin forever on a real socket.
            assert!(self.reads_after_end < 64, "read past the end 64 times");
            return Ok(0);
        }
        let n = out.len().min(self.step).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// A download sink that checks the order of calls.
#[derive(Default)]
struct CountingSink {
    begun: bool,
    written: u64,
}

impl ReplySink for CountingSink {
    fn begin(&mut self, _headers: &[(String, String)]) -> io::Result<()> {
        assert!(!self.begun, "begin called twice");
        self.begun = true;
        Ok(())
    }

    fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        assert!(self.begun, "body bytes before begin");
        self.written += chunk.len() as u64;
        Ok(())
    }
}

/// The client's response reader (`http::wire`): status line and headers, interim 1xx heads,
/// chunked, Content-Length and close-delimited bodies, and keep-alive (the next response on the
/// same connection is read while the reader says the connection may be reused).
///
/// The first byte chooses the request method, the read size, the body limit and whether a 2xx
/// body streams to a sink; the rest is what the server sent.
pub fn http_response(data: &[u8]) {
    let Some((&control, wire)) = data.split_first() else {
        return;
    };
    let method = ["GET", "PUT", "HEAD", "POST"][usize::from(control & 3)];
    let step = [1, 2, 7, 64, 512, 4096, 16384, 65536][usize::from((control >> 2) & 7)];
    let max_body = if control & 0x20 != 0 { 100 } else { 1 << 20 };
    let mut stream = Trickle {
        data: wire,
        step,
        reads_after_end: 0,
    };
    for _ in 0..8 {
        let mut sink = CountingSink::default();
        let reply: Option<&mut dyn ReplySink> = if control & 0x40 != 0 {
            Some(&mut sink)
        } else {
            None
        };
        let Ok((response, keep_alive)) =
            crate::http::wire::read_response(&mut stream, method, max_body, reply)
        else {
            return;
        };
        assert!(
            !(100..200).contains(&response.status) || response.status == 101,
            "an interim {} was returned as the response",
            response.status
        );
        assert!(response.body.len() <= max_body, "body over the limit");
        assert!(
            response.body.len() as u64 + sink.written <= wire.len() as u64,
            "more body bytes than the server sent"
        );
        if method == "HEAD" || response.status == 204 || response.status == 304 {
            assert!(response.body.is_empty() && sink.written == 0);
        }
        if !keep_alive || stream.data.is_empty() {
            return;
        }
    }
}

/// An error reply as the client judges it (`client::error_from_reply`: tinyxml2's verdict, then
/// OSS's error XML), the same body arriving base64 in the `x-oss-err` header of a HEAD reply,
/// and the error XML writer read back by the parser.
///
/// The first two bytes are the status; the rest is the body.
pub fn error_xml(data: &[u8]) {
    let status = match data {
        [a, b, ..] => 100 + u16::from_le_bytes([*a, *b]) % 500,
        _ => return,
    };
    let body = &data[2..];
    let error = crate::client::error_from_reply(status, body.to_vec());
    // The code may be empty: an `<Error>` without `<Code>` reads as the C++ SDK reads it.
    assert_eq!(error.http_status, status);
    assert_eq!(error.body, body);

    let head_reply = crate::client::server_error(
        Response {
            status,
            reason: String::new(),
            headers: vec![("x-oss-err".to_owned(), base64_encode(body))],
            body: Vec::new(),
        },
        false,
    );
    assert_eq!(head_reply.code, error.code, "x-oss-err read differently");
    assert_eq!(head_reply.message, error.message);

    if let Ok(text) = std::str::from_utf8(body) {
        if let Ok(Some(root)) = crate::tinyxml2::root_element(text) {
            assert!(text.get(root).is_some(), "root element span is not text");
        }
        let _ = crate::oss_error::parse_error_xml(text);
    }

    // The writer's output always reads back, each text as written (characters XML cannot
    // carry become U+FFFD).
    let text = String::from_utf8_lossy(body);
    let mut parts = text.splitn(5, '\u{1}');
    let mut next = || parts.next().unwrap_or("");
    let (code, message, request_id, host_id, extra) = (next(), next(), next(), next(), next());
    let xml = crate::oss_error::write_error_xml(
        code,
        message,
        request_id,
        host_id,
        &[("StringToSign", extra)],
    );
    let read = crate::oss_error::parse_error_xml(&xml)
        .unwrap_or_else(|e| panic!("the writer's XML does not read back: {e}\n{xml}"));
    let carried = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if crate::xml_tree::is_xml_char(c) {
                    c
                } else {
                    '\u{FFFD}'
                }
            })
            .collect()
    };
    assert_eq!(read.code, carried(code));
    assert_eq!(read.message, carried(message));
    assert_eq!(read.request_id, carried(request_id));
    assert_eq!(read.host_id, carried(host_id));
    assert_eq!(read.field("StringToSign"), Some(carried(extra).as_str()));
}

/// Every result XML the client reads: ListObjects, DeleteObjects, InitiateMultipartUpload,
/// CompleteMultipartUpload, ListParts, ListMultipartUploads, UploadPartCopy, and the XML tree
/// they share.
pub fn result_xml(data: &[u8]) {
    if let Ok(root) = crate::xml_tree::parse(data) {
        assert!(!root.name.is_empty(), "a root element without a name");
    }
    if let Some(list) = crate::object::parse_list(data) {
        assert!(list.contents.len() + list.common_prefixes.len() <= data.len());
    }
    if let Some(deleted) = crate::object::parse_deleted(data) {
        assert!(deleted.deleted.len() <= data.len());
    }
    let _ = crate::multipart::parse_initiate(data);
    let _ = crate::multipart::parse_complete(data);
    if let Some(parts) = crate::multipart::parse_list_parts(data) {
        assert!(parts.parts.len() <= data.len());
    }
    if let Some(uploads) = crate::multipart::parse_uploads(data) {
        assert!(uploads.uploads.len() + uploads.common_prefixes.len() <= data.len());
    }
    let _ = crate::multipart::parse_copy_part(data);
}

/// What a callback receiver reads from OSS's callback request: the `x-oss-pub-key-url` header
/// (base64 of a URL, parsed strictly; a URL that parses prints as one that parses back to the
/// same), the `Authorization` header (base64 of the signature), the PEM public key, and the
/// string to sign from the request target.
///
/// The input is split at 0x01 into the key URL header, the Authorization header, the request
/// target and the PEM; the rest is the body.
pub fn callback_verify(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.splitn(5, '\u{1}');
    let mut next = || fields.next().unwrap_or("");
    let (key_url_b64, authorization, target, pem, body) = (next(), next(), next(), next(), next());

    for url in [
        key_url_b64.to_owned(),
        base64_encode(key_url_b64.as_bytes()),
    ] {
        if let Ok(parsed) = crate::callback::key_cache::decode_key_url(&url) {
            let printed = parsed.to_string();
            let again = crate::callback::key_cache::KeyUrl::parse(&printed)
                .unwrap_or_else(|e| panic!("{printed:?} does not parse back: {e}"));
            assert_eq!(again, parsed, "{printed:?} parses back differently");
        }
    }
    let _ = crate::callback::verify::string_to_sign(target, body.as_bytes());
    let _ = crate::callback::verify_with_key(target, authorization, body.as_bytes(), pem);
    let _ = crate::callback::CallbackPublicKey::from_pem(pem);
}

/// The callback builders (`x-oss-callback`, `x-oss-callback-var`) over any caller text: the
/// JSON they write is always valid, and `json_text` keeps text that already is a valid JSON
/// string body byte for byte.
///
/// The input is split at `\u{1}` into URL, host, body, and variable key/value pairs.
pub fn callback_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let json_body = data.first().is_some_and(|b| b & 1 == 1);
    let (builder, variables) = callback_builders(&text, json_body);
    let json = builder.json();
    if !json.is_empty() {
        let value: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("the callback builder wrote invalid JSON ({e}): {json}"));
        assert!(value.is_object());
    }
    let json = variables.json();
    if !json.is_empty() {
        let value: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("the variable builder wrote invalid JSON ({e}): {json}"));
        assert!(value.is_object());
    }

    let mut body = String::new();
    json_text::push_json_string_body(&mut body, &text);
    let quoted = format!("\"{body}\"");
    if let Err(e) = serde_json::from_str::<String>(&quoted) {
        panic!("push_json_string_body wrote invalid JSON ({e}): {quoted}");
    }
    if serde_json::from_str::<String>(&format!("\"{text}\"")).is_ok() {
        assert_eq!(body, text, "a valid JSON string body was changed");
    }
}

/// The callback and variable builders a fuzz input describes, as a caller would fill them: the
/// text split at `\u{1}` into URL, host, body, then variable key/value pairs up to the first
/// empty key; the body type JSON when `json_body`. The emulator's callback target reads its
/// inputs the same way.
pub fn callback_builders(
    text: &str,
    json_body: bool,
) -> (ObjectCallbackBuilder, ObjectCallbackVariableBuilder) {
    let mut fields = text.split('\u{1}');
    let mut next = || fields.next().unwrap_or("").to_owned();
    let mut builder = ObjectCallbackBuilder::new(next(), String::new());
    builder.host = next();
    builder.body = next();
    if json_body {
        builder.body_type = crate::callback::CallbackBodyType::Json;
    }
    let mut variables = ObjectCallbackVariableBuilder::new();
    loop {
        let key = next();
        if key.is_empty() {
            break;
        }
        let _ = variables.add(&key, &next());
    }
    (builder, variables)
}

/// The resumable upload's checkpoint record: any file reads as a record or as nothing, and a
/// record that reads back from its own text is the same record (the writer is the C++ SDK's
/// jsoncpp layout).
pub fn checkpoint_record(data: &[u8]) {
    let Some(record) = Record::parse(data) else {
        return;
    };
    let _ = record.is_intact();
    let text = record.to_text();
    let again = Record::parse(text.as_bytes())
        .unwrap_or_else(|| panic!("a record's own text does not read back: {text}"));
    assert_eq!(again, record, "the record reads back differently");
    let fresh = Record::new(
        &record.bucket,
        &record.key,
        &record.file_path,
        &record.mtime,
        record.size,
        record.part_size.max(1),
        if record.upload_id.is_empty() {
            "id"
        } else {
            &record.upload_id
        },
    );
    assert!(fresh.is_intact(), "a new record is not intact");
    assert_eq!(Record::parse(fresh.to_text().as_bytes()), Some(fresh));
}
