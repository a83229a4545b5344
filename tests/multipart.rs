//! Multipart upload through the Rust core against the emulator: parts from bytes and file
//! ranges, completion with and without an upload callback, abort, listing, and the exact wire
//! form of what the SDK writes, checked with a recording server.

mod support;

use ossffi::callback::{CallbackBodyType, ObjectCallbackBuilder};
use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::error::{ErrorKind, ObjectStored};
use ossffi::multipart::{CompleteParts, UploadPartResult};
use ossffi::object::ObjectRequest;
use ossffi::put_object::{Body, BodyReader};
use ossffi_emulator::RunningServer;
use support::callback_receiver::Receiver;
use support::local;

const BUCKET: &str = "multipart-bucket";
const KIB: usize = 1024;

fn emulator() -> RunningServer {
    local::emulator(BUCKET)
}

fn client_at(endpoint: &str, max_retries: u32) -> Client {
    local::client_at(
        endpoint,
        ClientConfig {
            retry_scale_ms: 10,
            max_retries,
            ..local::config()
        },
    )
}

fn client(server: &RunningServer) -> Client {
    client_at(&local::url(server), 3)
}

/// Pseudo-random bytes with no short period, different per seed, so that bytes sent from the
/// wrong place never match by chance.
fn data(len: usize, seed: u8) -> Vec<u8> {
    support::pattern(len, seed)
}

fn object(key: &str) -> ObjectRequest {
    ObjectRequest::new(BUCKET, Some(key))
}

fn upload(key: &str, upload_id: &str) -> ObjectRequest {
    let mut request = object(key);
    request.upload_id = Some(upload_id.to_owned());
    request
}

fn initiate(client: &Client, key: &str) -> String {
    client
        .initiate_multipart_upload(&object(key))
        .expect("the upload starts")
        .upload_id
}

fn put_part(client: &Client, key: &str, id: &str, number: u32, bytes: &[u8]) -> UploadPartResult {
    client
        .upload_part(&upload(key, id), number, &mut Body::Bytes(bytes), None)
        .expect("the part is stored")
}

fn get(client: &Client, key: &str) -> (Vec<u8>, ossffi::object::ObjectMeta) {
    let mut bytes = Vec::new();
    let meta = client
        .get_object(&object(key), &mut bytes, None)
        .expect("the object reads back");
    (bytes, meta)
}

fn md5_hex_upper(data: &[u8]) -> String {
    use md5::{Digest, Md5};
    ossffi::encoding::hex_upper(&Md5::digest(data))
}

/// Uploads `parts` as parts 1.. of a new upload and returns its id and the part list.
fn upload_parts(client: &Client, key: &str, parts: &[&[u8]]) -> (String, Vec<(u32, String)>) {
    let id = initiate(client, key);
    let list = parts
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let number = i as u32 + 1;
            (number, put_part(client, key, &id, number, bytes).etag)
        })
        .collect();
    (id, list)
}

#[test]
fn three_parts_complete_into_one_object_with_the_combined_crc64() {
    let server = emulator();
    let client = client(&server);
    let parts = [data(100 * KIB, 1), data(120 * KIB, 2), data(7 * KIB, 3)];
    let key = "big/three.bin";

    let initiated = client.initiate_multipart_upload(&object(key)).unwrap();
    assert_eq!(initiated.http_status, 200);
    assert_eq!(initiated.bucket, BUCKET);
    assert_eq!(initiated.key, key);
    assert!(!initiated.upload_id.is_empty());
    assert!(!initiated.request_id.is_empty());
    let id = initiated.upload_id;

    let mut list = Vec::new();
    let mut combined = 0;
    for (i, bytes) in parts.iter().enumerate() {
        let result = put_part(&client, key, &id, i as u32 + 1, bytes);
        assert_eq!(result.part_number, i as u32 + 1);
        assert_eq!(result.etag, md5_hex_upper(bytes));
        assert_eq!(result.crc64, ossffi::crc64::crc64(bytes));
        combined = ossffi::crc64::combine(combined, result.crc64, bytes.len() as u64);
        list.push((result.part_number, result.etag));
    }

    let completed = client
        .complete_multipart_upload(&upload(key, &id), CompleteParts::List(&list))
        .unwrap();
    let whole = parts.concat();
    assert_eq!(completed.http_status, 200);
    assert_eq!(completed.bucket, BUCKET);
    assert_eq!(completed.key, key);
    assert!(completed.etag.ends_with("-3"), "{}", completed.etag);
    assert!(!completed.etag.starts_with('"'));
    assert!(completed.location.ends_with(key), "{}", completed.location);
    assert_eq!(completed.crc64, ossffi::crc64::crc64(&whole));
    assert_eq!(completed.crc64, combined);
    assert!(completed.body.is_empty(), "no callback, no reply body");

    let (bytes, meta) = get(&client, key);
    assert_eq!(bytes, whole);
    assert_eq!(meta.etag, completed.etag);
    assert_eq!(meta.crc64, combined);
    assert_eq!(meta.content_type, "application/octet-stream");
}

#[test]
fn initiate_takes_content_type_from_the_headers_or_the_key() {
    let server = emulator();
    let client = client(&server);
    for (key, given, expected) in [
        ("page.html", None, "text/html"),
        ("notes.bin", Some("text/x-notes"), "text/x-notes"),
    ] {
        let mut request = object(key);
        if let Some(content_type) = given {
            request.set_header("Content-Type", content_type);
        }
        request.set_header("x-oss-meta-owner", "ossffi");
        let id = client
            .initiate_multipart_upload(&request)
            .unwrap()
            .upload_id;
        let etag = put_part(&client, key, &id, 1, b"tiny last part").etag;
        client
            .complete_multipart_upload(&upload(key, &id), CompleteParts::List(&[(1, etag)]))
            .unwrap();
        let (_, meta) = get(&client, key);
        assert_eq!(meta.content_type, expected, "{key}");
        assert_eq!(
            meta.user_metadata,
            [("owner".to_owned(), "ossffi".to_owned())]
        );
    }
}

struct Scratch(std::path::PathBuf);

impl Scratch {
    fn file(name: &str, bytes: &[u8]) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("ossffi-multipart-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn parts_from_file_ranges_make_the_file() {
    let server = emulator();
    let client = client(&server);
    let content = data(250 * KIB, 9);
    let file = Scratch::file("ranges.bin", &content);
    let key = "from/file.bin";
    let id = initiate(&client, key);
    let mut list = Vec::new();
    for (number, offset, length) in [(1, 0, 150 * KIB), (2, 150 * KIB, 100 * KIB)] {
        let mut body = Body::FileRange {
            path: file.0.clone(),
            offset: offset as u64,
            length: length as u64,
        };
        let mut calls = Vec::new();
        let mut progress = |increment, sent, total| {
            calls.push((increment, sent, total));
            Ok(())
        };
        let result = client
            .upload_part(&upload(key, &id), number, &mut body, Some(&mut progress))
            .unwrap();
        let range = &content[offset..offset + length];
        assert_eq!(result.etag, md5_hex_upper(range));
        assert_eq!(result.crc64, ossffi::crc64::crc64(range));
        assert_eq!(
            calls.last(),
            Some(&(calls.last().unwrap().0, length as u64, length as u64))
        );
        list.push((number, result.etag));
    }
    client
        .complete_multipart_upload(&upload(key, &id), CompleteParts::List(&list))
        .unwrap();
    assert_eq!(get(&client, key).0, content);
}

#[test]
fn a_file_range_past_the_end_of_the_file_is_refused_before_sending() {
    let server = emulator();
    let client = client(&server);
    let file = Scratch::file("short.bin", &[7; 100]);
    let id = initiate(&client, "short");
    let mut body = Body::FileRange {
        path: file.0.clone(),
        offset: 60,
        length: 41,
    };
    let error = client
        .upload_part(&upload("short", &id), 1, &mut body, None)
        .unwrap_err();
    assert_eq!(error.code, "ValidateError");
    assert!(
        error
            .message
            .contains("has 100 bytes; the range of 41 bytes from offset 60"),
        "{}",
        error.message
    );
    let listed = client.list_parts(&upload("short", &id)).unwrap();
    assert!(listed.parts.is_empty(), "nothing was sent");
}

/// A reader that can start over, counting how often it did.
struct Rewinding<'d> {
    data: &'d [u8],
    at: usize,
}

impl BodyReader for Rewinding<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ossffi::http::BodyError> {
        let n = buf.len().min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }

    fn rewind(&mut self) -> Option<Result<(), ossffi::http::BodyError>> {
        self.at = 0;
        Some(Ok(()))
    }
}

#[test]
fn a_part_from_a_reader_with_a_computed_content_md5() {
    let server = emulator();
    let client = client(&server);
    let bytes = data(3000, 4);
    let id = initiate(&client, "reader.bin");
    let mut reader = Rewinding {
        data: &bytes,
        at: 0,
    };
    let mut request = upload("reader.bin", &id);
    request.compute_content_md5 = true;
    let mut body = Body::Reader {
        reader: &mut reader,
        length: bytes.len() as u64,
    };
    let result = client.upload_part(&request, 1, &mut body, None).unwrap();
    assert_eq!(result.etag, md5_hex_upper(&bytes));

    let mut wrong = upload("reader.bin", &id);
    wrong.set_header("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==");
    let error = client
        .upload_part(&wrong, 2, &mut Body::Bytes(&bytes), None)
        .unwrap_err();
    assert_eq!(
        error.code, "InvalidDigest",
        "OSS checks the Content-MD5 given"
    );
}

#[test]
fn complete_all_completes_every_part_uploaded() {
    let server = emulator();
    let client = client(&server);
    let parts = [data(100 * KIB, 5), data(10, 6)];
    let (id, _) = upload_parts(&client, "all.bin", &[&parts[0], &parts[1]]);
    let completed = client
        .complete_multipart_upload(&upload("all.bin", &id), CompleteParts::All)
        .unwrap();
    assert!(completed.etag.ends_with("-2"), "{}", completed.etag);
    assert_eq!(get(&client, "all.bin").0, parts.concat());
}

fn callback_for(url: String) -> String {
    ObjectCallbackBuilder {
        url,
        body: "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}".into(),
        body_type: CallbackBodyType::Url,
        ..ObjectCallbackBuilder::default()
    }
    .build()
}

#[test]
fn complete_with_a_callback_returns_the_receivers_reply() {
    let server = emulator();
    let client = client(&server);
    let receiver = Receiver::start();
    let parts = [data(100 * KIB, 7), data(5, 8)];
    let key = "called/back.bin";
    let (id, list) = upload_parts(&client, key, &[&parts[0], &parts[1]]);
    let mut request = upload(key, &id);
    request.set_header("x-oss-callback", &callback_for(receiver.url()));
    let completed = client
        .complete_multipart_upload(&request, CompleteParts::List(&list))
        .expect("the upload and its callback succeed");

    assert_eq!(completed.http_status, 200);
    assert_eq!(
        completed.body,
        format!(r#"{{"Status":"OK","object":"{key}"}}"#).as_bytes()
    );
    assert!(completed.etag.ends_with("-2"), "{}", completed.etag);
    assert_eq!(completed.crc64, ossffi::crc64::crc64(&parts.concat()));
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].verified, "the callback signature verifies");
    let form = received[0].form();
    assert_eq!(form[1], ("object".to_owned(), key.to_owned()));
    assert_eq!(form[2], ("etag".to_owned(), completed.etag.clone()));
    assert_eq!(form[3], ("size".to_owned(), (100 * KIB + 5).to_string()));
    assert_eq!(server.object_bytes(BUCKET, key).unwrap(), parts.concat());
}

#[test]
fn a_dead_callback_receiver_is_callback_failed_with_the_object_stored() {
    let server = emulator();
    let client = client(&server);
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/cb", dead.local_addr().unwrap());
    drop(dead);
    let (id, list) = upload_parts(&client, "kept.bin", &[b"stored anyway"]);
    let mut request = upload("kept.bin", &id);
    request.set_header("x-oss-callback", &callback_for(dead_url));
    let error = client
        .complete_multipart_upload(&request, CompleteParts::List(&list))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::CallbackFailed);
    assert_eq!(error.code, "CallbackFailed");
    assert_eq!(error.http_status, 203);
    assert_eq!(error.object_stored, ObjectStored::Yes);
    assert!(!error.request_id.is_empty());
    assert_eq!(
        server.object_bytes(BUCKET, "kept.bin").unwrap(),
        b"stored anyway"
    );
}

#[test]
fn after_abort_the_upload_is_no_such_upload() {
    let server = emulator();
    let client = client(&server);
    let (id, list) = upload_parts(&client, "gone.bin", &[b"part one"]);
    let aborted = client
        .abort_multipart_upload(&upload("gone.bin", &id))
        .unwrap();
    assert_eq!(aborted.http_status, 204);
    assert!(!aborted.request_id.is_empty());

    let error = client.list_parts(&upload("gone.bin", &id)).unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (404, "NoSuchUpload")
    );
    let error = client
        .upload_part(&upload("gone.bin", &id), 2, &mut Body::Bytes(b"x"), None)
        .unwrap_err();
    assert_eq!(error.code, "NoSuchUpload");
    let error = client
        .complete_multipart_upload(&upload("gone.bin", &id), CompleteParts::List(&list))
        .unwrap_err();
    assert_eq!(error.code, "NoSuchUpload");
    let error = client
        .abort_multipart_upload(&upload("gone.bin", &id))
        .unwrap_err();
    assert_eq!(error.code, "NoSuchUpload");
}

#[test]
fn a_small_part_before_the_last_is_entity_too_small() {
    let server = emulator();
    let client = client(&server);
    let (id, list) = upload_parts(&client, "small.bin", &[b"too small", b"last"]);
    let error = client
        .complete_multipart_upload(&upload("small.bin", &id), CompleteParts::List(&list))
        .unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (400, "EntityTooSmall")
    );
}

#[test]
fn list_parts_pages_with_max_parts_and_the_part_number_marker() {
    let server = emulator();
    let client = client(&server);
    let parts = [b"one".as_slice(), b"two2", b"three"];
    let (id, list) = upload_parts(&client, "dir/listed part.bin", &parts);

    let mut request = upload("dir/listed part.bin", &id);
    request.set_parameter("max-parts", Some("2"));
    let first = client.list_parts(&request).unwrap();
    assert_eq!(first.bucket, BUCKET);
    assert_eq!(first.key, "dir/listed part.bin");
    assert_eq!(first.upload_id, id);
    assert_eq!(first.max_parts, 2);
    assert!(first.is_truncated);
    assert_eq!(first.next_part_number_marker, 2);
    let numbers: Vec<u32> = first.parts.iter().map(|p| p.part_number).collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(first.parts[1].etag, list[1].1);
    assert_eq!(first.parts[1].size, 4);
    assert_eq!(first.parts[1].crc64, ossffi::crc64::crc64(b"two2"));
    assert!(!first.parts[1].last_modified.is_empty());

    request.set_parameter("part-number-marker", Some("2"));
    request.set_parameter("encoding-type", Some("url"));
    let second = client.list_parts(&request).unwrap();
    assert!(!second.is_truncated);
    assert_eq!(second.part_number_marker, 2);
    assert_eq!(second.encoding_type, "url");
    assert_eq!(second.key, "dir/listed part.bin", "decoded");
    assert_eq!(second.parts.len(), 1);
    assert_eq!(second.parts[0].part_number, 3);
    assert_eq!(second.parts[0].etag, md5_hex_upper(b"three"));
}

#[test]
fn list_multipart_uploads_pages_rolls_up_and_decodes() {
    let server = emulator();
    let client = client(&server);
    let a = initiate(&client, "a/one");
    let a2 = initiate(&client, "a/one");
    let b = initiate(&client, "b two");
    let c = initiate(&client, "c/sub/x");

    let mut request = ObjectRequest::new(BUCKET, None);
    request.set_parameter("max-uploads", Some("2"));
    let first = client.list_multipart_uploads(&request).unwrap();
    assert_eq!(first.bucket, BUCKET);
    assert_eq!(first.max_uploads, 2);
    assert!(first.is_truncated);
    let seen: Vec<(&str, &str)> = first
        .uploads
        .iter()
        .map(|u| (u.key.as_str(), u.upload_id.as_str()))
        .collect();
    assert_eq!(seen, [("a/one", a.as_str()), ("a/one", a2.as_str())]);
    assert!(!first.uploads[0].initiated.is_empty());
    assert_eq!(first.next_key_marker, "a/one");
    assert_eq!(first.next_upload_id_marker, a2);

    request.set_parameter("key-marker", Some(&first.next_key_marker));
    request.set_parameter("upload-id-marker", Some(&first.next_upload_id_marker));
    request.set_parameter("encoding-type", Some("url"));
    let second = client.list_multipart_uploads(&request).unwrap();
    assert!(!second.is_truncated);
    assert_eq!(second.key_marker, "a/one");
    let seen: Vec<(&str, &str)> = second
        .uploads
        .iter()
        .map(|u| (u.key.as_str(), u.upload_id.as_str()))
        .collect();
    assert_eq!(seen, [("b two", b.as_str()), ("c/sub/x", c.as_str())]);

    let mut rolled = ObjectRequest::new(BUCKET, None);
    rolled.set_parameter("delimiter", Some("/"));
    rolled.set_parameter("prefix", Some(""));
    let rolled = client.list_multipart_uploads(&rolled).unwrap();
    assert_eq!(rolled.common_prefixes, ["a/", "c/"]);
    assert_eq!(rolled.uploads.len(), 1);
    assert_eq!(rolled.uploads[0].key, "b two");
    assert_eq!(rolled.delimiter, "/");
}

#[test]
fn part_numbers_and_sizes_outside_the_sdks_rules_are_refused_with_its_messages() {
    // Nothing listens here: an error other than ValidateError would mean a request went out.
    let client = client_at("http://127.0.0.1:1", 0);
    let request = upload("k", "U");
    for number in [0, 10_001] {
        let error = client
            .upload_part(&request, number, &mut Body::Bytes(b"x"), None)
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Validate);
        assert_eq!(error.code, "ValidateError");
        assert_eq!(
            error.message,
            "PartNumber should not be less than 1 or greater than 10000."
        );
    }
    struct Endless;
    impl BodyReader for Endless {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, ossffi::http::BodyError> {
            Ok(buf.len())
        }
        fn rewind(&mut self) -> Option<Result<(), ossffi::http::BodyError>> {
            None
        }
    }
    let mut reader = Endless;
    let mut body = Body::Reader {
        reader: &mut reader,
        length: 5 * 1024 * 1024 * 1024 + 1,
    };
    let error = client
        .upload_part(&request, 1, &mut body, None)
        .unwrap_err();
    assert_eq!(error.code, "ValidateError");
    assert_eq!(
        error.message,
        "PartSize should not be less than 100*1024 or greater than 5*1024*1024*1024."
    );
    let error = client
        .complete_multipart_upload(&request, CompleteParts::List(&[]))
        .unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.message.as_str()),
        ("ValidateError", "PartList is empty.")
    );
}

#[test]
fn fields_a_multipart_operation_does_not_read_are_refused() {
    let client = client_at("http://127.0.0.1:1", 0);
    let error = client
        .initiate_multipart_upload(&upload("k", "U"))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(
        error.message,
        "InitiateMultipartUpload does not take an upload id; only UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts do"
    );
    let error = client
        .complete_multipart_upload(&object("k"), CompleteParts::All)
        .unwrap_err();
    assert_eq!(
        error.message,
        "CompleteMultipartUpload needs the upload id that InitiateMultipartUpload returned; the request has none"
    );
    let mut sequential = upload("k", "U");
    sequential.sequential = true;
    let error = client
        .upload_part(&sequential, 1, &mut Body::Bytes(b"x"), None)
        .unwrap_err();
    assert_eq!(
        error.message,
        "UploadPart does not take sequential mode; only InitiateMultipartUpload does"
    );
    let mut md5 = upload("k", "U");
    md5.compute_content_md5 = true;
    let error = client.list_parts(&md5).unwrap_err();
    assert_eq!(
        error.message,
        "ListParts does not take a computed Content-MD5; only UploadPart does"
    );
    let error = client.list_multipart_uploads(&object("k")).unwrap_err();
    assert!(
        error
            .message
            .starts_with("ListMultipartUploads is a bucket operation"),
        "{}",
        error.message
    );
    let mut both = upload("k", "U");
    both.set_header("x-oss-complete-all", "yes");
    let error = client
        .complete_multipart_upload(&both, CompleteParts::List(&[(1, "E".into())]))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
}

/// A 200 reply with `headers` and `body`, its Content-Length counted, closing the connection.
fn reply(headers: &str, body: &str) -> &'static [u8] {
    let text = format!(
        "HTTP/1.1 200 OK\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    Box::leak(text.into_bytes().into_boxed_slice())
}

fn recorded_client(port: u16) -> Client {
    client_at(&format!("http://127.0.0.1:{port}"), 0)
}

#[test]
fn initiate_sends_the_sdks_request_line_and_headers() {
    let (port, seen) = support::recording_server::start(reply(
        "Content-Type: application/xml\r\nx-oss-request-id: rec\r\n",
        "<InitiateMultipartUploadResult><EncodingType>url</EncodingType><Bucket>multipart-bucket</Bucket><Key>dir%2Fbig%20file.bin</Key><UploadId>UP1</UploadId></InitiateMultipartUploadResult>",
    ));
    let mut request = object("dir/big file.bin");
    request.sequential = true;
    request.set_parameter("encoding-type", Some("url"));
    request.set_header("Cache-Control", "no-cache");
    request.set_header("x-oss-meta-k1", "v1");
    let result = recorded_client(port)
        .initiate_multipart_upload(&request)
        .unwrap();
    assert_eq!(result.key, "dir/big file.bin");
    assert_eq!(result.upload_id, "UP1");
    assert_eq!(result.request_id, "rec");
    let head = seen.recv().unwrap();
    assert!(
        head.starts_with(&format!(
            "POST /{BUCKET}/dir/big%20file.bin?encoding-type=url&sequential&uploads HTTP/1.1\r\n"
        )),
        "{head}"
    );
    for line in [
        "\r\nContent-Type: application/octet-stream\r\n",
        "\r\nCache-Control: no-cache\r\n",
        "\r\nx-oss-meta-k1: v1\r\n",
        "\r\nContent-Length: 0\r\n",
    ] {
        assert!(head.contains(line), "{line:?} in {head}");
    }
}

#[test]
fn complete_sends_the_sdks_body_with_its_content_md5() {
    let (port, seen) = support::recording_server::start(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 0\r\nETag: \"E-2\"\r\nx-oss-request-id: rec\r\nConnection: close\r\n\r\n",
    );
    let parts = [(1, "ETAG1".to_owned()), (2, "ETAG2".to_owned())];
    let mut request = upload("k.bin", "UP 1");
    request.set_header("x-oss-object-acl", "private");
    let result = recorded_client(port)
        .complete_multipart_upload(&request, CompleteParts::List(&parts))
        .unwrap();
    assert_eq!(result.etag, "E-2", "from the header when the body is empty");
    let recorded = seen.recv().unwrap();
    let (head, body) = recorded.split_once("\r\n\r\n").unwrap();
    let expected = "<CompleteMultipartUpload>\n<Part>\n  <PartNumber>1</PartNumber>\n  <ETag>ETAG1</ETag>\n</Part><Part>\n  <PartNumber>2</PartNumber>\n  <ETag>ETAG2</ETag>\n</Part></CompleteMultipartUpload>";
    assert_eq!(body, expected);
    assert!(
        head.starts_with(&format!(
            "POST /{BUCKET}/k.bin?uploadId=UP%201 HTTP/1.1\r\n"
        )),
        "{head}"
    );
    use md5::{Digest, Md5};
    let md5 = ossffi::encoding::base64_encode(&Md5::digest(expected.as_bytes()));
    assert!(
        head.contains(&format!("\r\nContent-MD5: {md5}\r\n")),
        "{head}"
    );
    assert!(
        head.contains("\r\nContent-Type: application/xml\r\n"),
        "{head}"
    );
    assert!(head.contains("\r\nx-oss-object-acl: private\r\n"), "{head}");
}

#[test]
fn complete_all_sends_the_header_and_no_body() {
    let (port, seen) = support::recording_server::start(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 0\r\nETag: \"E-9\"\r\nConnection: close\r\n\r\n",
    );
    recorded_client(port)
        .complete_multipart_upload(&upload("k.bin", "U"), CompleteParts::All)
        .unwrap();
    let head = seen.recv().unwrap();
    assert!(
        head.starts_with(&format!("POST /{BUCKET}/k.bin?uploadId=U HTTP/1.1\r\n")),
        "{head}"
    );
    assert!(head.contains("\r\nx-oss-complete-all: yes\r\n"), "{head}");
    assert!(!head.contains("Content-MD5"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "no body: {head}");
}

#[test]
fn upload_part_sends_part_number_and_upload_id_without_a_content_type() {
    let (port, seen) = support::recording_server::start(
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nETag: \"PARTETAG\"\r\nConnection: close\r\n\r\n",
    );
    let result = recorded_client(port)
        .upload_part(
            &upload("k.bin", "U"),
            3,
            &mut Body::Bytes(b"part bytes"),
            None,
        )
        .unwrap();
    assert_eq!(result.etag, "PARTETAG");
    assert_eq!(result.part_number, 3);
    let recorded = seen.recv().unwrap();
    let (head, body) = recorded.split_once("\r\n\r\n").unwrap();
    assert!(
        head.starts_with(&format!(
            "PUT /{BUCKET}/k.bin?partNumber=3&uploadId=U HTTP/1.1\r\n"
        )),
        "{head}"
    );
    // As the SDK sends it: no Content-Type line at all (signed as empty), not an empty one.
    assert!(
        !head.to_ascii_lowercase().contains("\r\ncontent-type:"),
        "{head}"
    );
    assert_eq!(body, "part bytes");
}

#[test]
fn list_requests_send_their_sub_resources_and_parameters_sorted() {
    let (port, seen) = support::recording_server::start(reply(
        "",
        "<ListMultipartUploadsResult><Bucket>b</Bucket></ListMultipartUploadsResult>",
    ));
    let client = recorded_client(port);
    let mut request = ObjectRequest::new(BUCKET, None);
    request.set_parameter("prefix", Some("p/"));
    request.set_parameter("max-uploads", Some("5"));
    request.set_parameter("key-marker", Some("k m"));
    let listed = client.list_multipart_uploads(&request).unwrap();
    assert_eq!(listed.bucket, "b");
    let head = seen.recv().unwrap();
    assert!(
        head.starts_with(&format!(
            "GET /{BUCKET}/?key-marker=k%20m&max-uploads=5&prefix=p%2F&uploads HTTP/1.1\r\n"
        )),
        "{head}"
    );

    let mut parts = upload("k", "U");
    parts.set_parameter("max-parts", Some("10"));
    parts.set_parameter("part-number-marker", Some("0"));
    let listed = client.list_parts(&parts).unwrap();
    assert_eq!(listed.bucket, "", "another root reads as an empty page");
    let head = seen.recv().unwrap();
    assert!(
        head.starts_with(&format!(
            "GET /{BUCKET}/k?max-parts=10&part-number-marker=0&uploadId=U HTTP/1.1\r\n"
        )),
        "{head}"
    );
}

#[test]
fn a_file_range_part_sent_again_after_a_dropped_connection_starts_at_its_offset() {
    let server = emulator();
    let client = client(&server);
    // Several chunks, so that the first attempt reports progress before the server hangs up
    // half-way through the part.
    let content = data(4096 * KIB, 11);
    let file = Scratch::file("retried.bin", &content);
    let id = initiate(&client, "retried.bin");
    server.faults().drop_next(1);
    let mut body = Body::FileRange {
        path: file.0.clone(),
        offset: 100 * KIB as u64,
        length: 3072 * KIB as u64,
    };
    let mut attempts = 0;
    let mut last_sent = u64::MAX;
    let mut progress = |_, sent, _| {
        if sent < last_sent {
            attempts += 1;
        }
        last_sent = sent;
        Ok(())
    };
    let result = client
        .upload_part(
            &upload("retried.bin", &id),
            1,
            &mut body,
            Some(&mut progress),
        )
        .expect("the second attempt succeeds");
    assert_eq!(attempts, 2, "the part was sent twice");
    let range = &content[100 * KIB..3172 * KIB];
    assert_eq!(result.etag, md5_hex_upper(range));
    assert_eq!(result.crc64, ossffi::crc64::crc64(range));
}

#[test]
fn a_sequential_upload_refuses_a_part_out_of_order() {
    let server = emulator();
    let client = client(&server);
    let mut request = object("seq.bin");
    request.sequential = true;
    let id = client
        .initiate_multipart_upload(&request)
        .unwrap()
        .upload_id;
    put_part(&client, "seq.bin", &id, 1, b"first");
    let error = client
        .upload_part(&upload("seq.bin", &id), 3, &mut Body::Bytes(b"third"), None)
        .unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (400, "PartNotSequential")
    );
    put_part(&client, "seq.bin", &id, 2, b"second");
}

#[test]
fn every_multipart_operation_signed_with_v1_is_accepted() {
    let server = emulator();
    let client = local::client_at(
        &local::url(&server),
        ClientConfig {
            signature_version: ossffi::config::SignatureVersion::V1,
            retry_scale_ms: 10,
            ..local::config()
        },
    );
    let mut request = object("v1.bin");
    request.sequential = true;
    let id = client
        .initiate_multipart_upload(&request)
        .unwrap()
        .upload_id;
    let etag = put_part(&client, "v1.bin", &id, 1, b"v1 part").etag;
    let listed = client.list_parts(&upload("v1.bin", &id)).unwrap();
    assert_eq!(listed.parts[0].etag, etag);
    let uploads = client
        .list_multipart_uploads(&ObjectRequest::new(BUCKET, None))
        .unwrap();
    assert_eq!(uploads.uploads[0].upload_id, id);
    client
        .complete_multipart_upload(&upload("v1.bin", &id), CompleteParts::List(&[(1, etag)]))
        .unwrap();
    let other = initiate(&client, "v1-aborted.bin");
    client
        .abort_multipart_upload(&upload("v1-aborted.bin", &other))
        .unwrap();
    assert_eq!(get(&client, "v1.bin").0, b"v1 part");
}

#[test]
fn a_part_whose_crc64_differs_from_the_servers_is_client_error_100001() {
    let server = emulator();
    let client = client(&server);
    let id = initiate(&client, "crc.bin");
    server.faults().wrong_crc_next(1);
    let error = client
        .upload_part(
            &upload("crc.bin", &id),
            1,
            &mut Body::Bytes(b"part bytes"),
            None,
        )
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::CrcMismatch);
    assert_eq!(error.code, "ClientError:100001");
    assert!(
        error.message.contains(&format!(
            "not equal to calculated hash:{}. Transferd bytes:10. RequestId:",
            ossffi::crc64::crc64(b"part bytes")
        )),
        "{}",
        error.message
    );
}

#[test]
fn the_callback_carries_custom_variables() {
    let server = emulator();
    let client = client(&server);
    let receiver = Receiver::start();
    let (id, list) = upload_parts(&client, "vars.txt", &[b"with variables"]);
    let mut request = upload("vars.txt", &id);
    let callback = ObjectCallbackBuilder {
        url: receiver.url(),
        body: r#"{"object":${object},"mime":${mimeType},"who":${x:who}}"#.into(),
        body_type: CallbackBodyType::Json,
        ..ObjectCallbackBuilder::default()
    }
    .build();
    let mut vars = ossffi::callback::ObjectCallbackVariableBuilder::new();
    vars.add("x:who", "multipart").unwrap();
    request.set_header("x-oss-callback", &callback);
    request.set_header("x-oss-callback-var", &vars.build());
    let completed = client
        .complete_multipart_upload(&request, CompleteParts::List(&list))
        .unwrap();
    let reply: serde_json::Value = serde_json::from_slice(&completed.body).unwrap();
    assert_eq!(reply["Status"], "OK", "the receiver's reply comes back");
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].verified);
    let json: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(json["object"], "vars.txt");
    assert_eq!(json["mime"], "text/plain");
    assert_eq!(json["who"], "multipart");
}

#[test]
fn url_encoding_type_decodes_the_keys_initiate_and_complete_return() {
    let server = emulator();
    let client = client(&server);
    let key = "dir/a b&c\u{4e2d}.bin";
    let mut request = object(key);
    request.set_parameter("encoding-type", Some("url"));
    let initiated = client.initiate_multipart_upload(&request).unwrap();
    assert_eq!(initiated.encoding_type, "url");
    assert_eq!(initiated.key, key);
    let etag = put_part(&client, key, &initiated.upload_id, 1, b"awkward").etag;
    let mut complete = upload(key, &initiated.upload_id);
    complete.set_parameter("encoding-type", Some("url"));
    let completed = client
        .complete_multipart_upload(&complete, CompleteParts::List(&[(1, etag)]))
        .unwrap();
    assert_eq!(completed.encoding_type, "url");
    assert_eq!(completed.key, key);
    assert!(
        completed.location.ends_with(".bin"),
        "{}",
        completed.location
    );
    assert_eq!(get(&client, key).0, b"awkward");
}

#[test]
fn a_complete_retried_after_its_answer_was_lost_says_the_object_may_be_stored() {
    let server = emulator();
    let client = local::client_at(
        &local::url(&server),
        ClientConfig {
            retry_scale_ms: 10,
            request_timeout_ms: 500,
            ..local::config()
        },
    );
    let key = "lost-answer.bin";
    let id = initiate(&client, key);
    let part = data(100 * KIB, 3);
    let etag = put_part(&client, key, &id, 1, &part).etag;
    // OSS completes the upload; its answer comes too late, and the retry finds it gone.
    server
        .faults()
        .stall_next(1, std::time::Duration::from_millis(1500));
    let error = client
        .complete_multipart_upload(&upload(key, &id), CompleteParts::List(&[(1, etag)]))
        .unwrap_err();
    assert_eq!(error.code, "NoSuchUpload");
    assert_eq!(error.object_stored, ObjectStored::Unknown);
    assert_eq!(server.object_bytes(BUCKET, key).unwrap(), part);
}
