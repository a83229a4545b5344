//! UploadPartCopy through the Rust core: parts copied by the emulator from objects it holds
//! (ranges, another bucket, conditions), the SDK's validation, and the exact wire form checked
//! with a recording server.

mod support;

use std::sync::Arc;

use md5::{Digest, Md5};
use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::error::ErrorKind;
use ossffi::multipart::{CompleteParts, CopySource};
use ossffi::object::ObjectRequest;
use ossffi::put_object::{Body, PutObjectRequest};
use ossffi_emulator::{Config, RunningServer, Server};

const AK: &str = "LTAI5tTestAccessKey01";
const SK: &str = "TestSecretKeyForTheEmulator0001";
const BUCKET: &str = "copy-bucket";
const SOURCE_BUCKET: &str = "copy-source-bucket";
const PART: usize = 100 * 1024;

fn emulator() -> RunningServer {
    Server::start(
        Config::new(AK, SK)
            .with_bucket(BUCKET)
            .with_bucket(SOURCE_BUCKET)
            .with_region("cn-hangzhou"),
    )
    .expect("the emulator starts")
}

fn client_at(endpoint: &str) -> Client {
    Client::new(
        endpoint,
        Arc::new(StaticCredentials(Credentials::new(AK, SK))),
        ClientConfig {
            region: "cn-hangzhou".into(),
            retry_scale_ms: 10,
            max_retries: 0,
            ..ClientConfig::default()
        },
    )
    .expect("a valid endpoint")
}

/// Bytes with no short period, so a part copied from the wrong offset never matches.
fn data(len: usize, seed: u8) -> Vec<u8> {
    support::pattern(len, seed)
}

fn put(client: &Client, bucket: &str, key: &str, bytes: &[u8]) {
    client
        .put_object(&mut PutObjectRequest::new(bucket, key, Body::Bytes(bytes)))
        .expect("the source is stored");
}

fn upload(key: &str, upload_id: &str) -> ObjectRequest {
    let mut request = ObjectRequest::new(BUCKET, Some(key));
    request.upload_id = Some(upload_id.to_owned());
    request
}

fn md5_hex_upper(bytes: &[u8]) -> String {
    ossffi::encoding::hex_upper(&Md5::digest(bytes))
}

fn ranged(bucket: &str, key: &str, begin: u64, end: u64) -> CopySource {
    let mut source = CopySource::new(bucket, key);
    source.range = Some((begin, end));
    source
}

#[test]
fn two_ranges_of_an_object_in_another_bucket_become_the_parts_of_a_new_object() {
    let server = emulator();
    let client = client_at(&format!("http://{}", server.addr()));
    let source = data(PART + 777, 1);
    put(&client, SOURCE_BUCKET, "dir/the source.bin", &source);
    let id = client
        .initiate_multipart_upload(&ObjectRequest::new(BUCKET, Some("joined.bin")))
        .unwrap()
        .upload_id;
    let request = upload("joined.bin", &id);
    let last = source.len() as u64 - 1;
    let first = client
        .upload_part_copy(
            &request,
            1,
            &ranged(SOURCE_BUCKET, "dir/the source.bin", 0, PART as u64 - 1),
        )
        .unwrap();
    let second = client
        .upload_part_copy(
            &request,
            2,
            &ranged(SOURCE_BUCKET, "dir/the source.bin", PART as u64, last),
        )
        .unwrap();
    assert_eq!(first.etag, md5_hex_upper(&source[..PART]));
    assert_eq!(second.etag, md5_hex_upper(&source[PART..]));
    assert_eq!(first.part_number, 1);
    assert_eq!(first.http_status, 200);
    assert!(!first.request_id.is_empty());
    assert_eq!(first.last_modified.len(), 24, "{}", first.last_modified);
    assert!(first.last_modified.ends_with(".000Z"));
    assert_eq!(
        first.source_version_id, "",
        "the emulator keeps no versions"
    );

    let parts = [(1, first.etag), (2, second.etag)];
    let done = client
        .complete_multipart_upload(&request, CompleteParts::List(&parts))
        .unwrap();
    assert_eq!(done.crc64, ossffi::crc64::crc64(&source));
    let mut bytes = Vec::new();
    client
        .get_object(
            &ObjectRequest::new(BUCKET, Some("joined.bin")),
            &mut bytes,
            None,
        )
        .unwrap();
    assert_eq!(bytes, source);
}

#[test]
fn source_conditions_that_fail_are_precondition_failed() {
    let server = emulator();
    let client = client_at(&format!("http://{}", server.addr()));
    put(&client, BUCKET, "cond-src", b"condition source");
    let id = client
        .initiate_multipart_upload(&ObjectRequest::new(BUCKET, Some("cond-dst")))
        .unwrap()
        .upload_id;
    let source = CopySource::new(BUCKET, "cond-src");
    let mut request = upload("cond-dst", &id);
    request.set_header("x-oss-copy-source-if-match", "\"0123\"");
    let error = client.upload_part_copy(&request, 1, &source).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.http_status, 412);
    assert_eq!(error.code, "PreconditionFailed");

    let etag = format!("\"{}\"", md5_hex_upper(b"condition source"));
    request.set_header("x-oss-copy-source-if-match", &etag);
    let result = client.upload_part_copy(&request, 1, &source).unwrap();
    assert_eq!(result.etag, md5_hex_upper(b"condition source"));

    let missing = CopySource::new(BUCKET, "no-such-source");
    let error = client
        .upload_part_copy(&upload("cond-dst", &id), 2, &missing)
        .unwrap_err();
    assert_eq!((error.http_status, error.code.as_str()), (404, "NoSuchKey"));
}

#[test]
fn the_sdks_checks_refuse_before_sending_in_its_order() {
    // Nothing listens here: every case must fail before a connection is tried.
    let client = client_at("http://127.0.0.1:1");
    let request = upload("k", "U");
    let part_size = "PartSize should not be less than 100*1024 or greater than 5*1024*1024*1024.";
    let cases = [
        (
            CopySource::new("Bad_Bucket", "k"),
            1,
            "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or dash(-) with 3-63 characters long.",
        ),
        (
            CopySource::new(BUCKET, ""),
            1,
            "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin with '/' or '\\'",
        ),
        (ranged(BUCKET, "k", 10, 9), 1, part_size),
        (ranged(BUCKET, "k", 0, 5 * 1024 * 1024 * 1024), 1, part_size),
        (ranged(BUCKET, "k", 1, 0), 1, part_size),
        (
            CopySource::new(BUCKET, "k"),
            0,
            "PartNumber should not be less than 1 or greater than 10000.",
        ),
        (
            CopySource::new(BUCKET, "k"),
            10001,
            "PartNumber should not be less than 1 or greater than 10000.",
        ),
    ];
    for (source, number, message) in cases {
        let error = client
            .upload_part_copy(&request, number, &source)
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Validate, "{source:?}");
        assert_eq!(error.code, "ValidateError");
        assert_eq!(error.message, message, "{source:?} part {number}");
    }
    // The destination is checked first.
    let mut bad = upload("k", "U");
    bad.bucket = "X".into();
    let error = client
        .upload_part_copy(&bad, 0, &CopySource::new("Y", ""))
        .unwrap_err();
    assert!(error.message.starts_with("The bucket name is invalid."));

    let error = client
        .upload_part_copy(
            &ObjectRequest::new(BUCKET, Some("k")),
            1,
            &CopySource::new(BUCKET, "k"),
        )
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(
        error.message,
        "UploadPartCopy needs the upload id that InitiateMultipartUpload returned; the request has none"
    );
    let mut with_md5 = upload("k", "U");
    with_md5.compute_content_md5 = true;
    let error = client
        .upload_part_copy(&with_md5, 1, &CopySource::new(BUCKET, "k"))
        .unwrap_err();
    assert_eq!(
        error.message,
        "UploadPartCopy does not take a computed Content-MD5; only UploadPart does"
    );
}

#[test]
fn upload_part_copy_sends_the_sdks_request_and_reads_its_reply() {
    let reply: &'static [u8] = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nx-oss-request-id: rec\r\nx-oss-copy-source-version-id: V9\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            BODY.len(),
            BODY
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    const BODY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult>\n  <LastModified>2024-05-06T07:08:09.000Z</LastModified>\n  <ETag>\"5B2D5B8A2B5E1B36D0A1E6F7C2C8A3B4\"</ETag>\n</CopyPartResult>";
    let (port, seen) = support::recording_server::start(reply);
    let client = client_at(&format!("http://127.0.0.1:{port}"));
    let mut request = upload("dst/part copy.bin", "UP 1");
    request.set_header("x-oss-copy-source-if-match", "\"E1\"");
    request.set_header("x-oss-copy-source-if-none-match", "\"E2\"");
    request.set_header(
        "x-oss-copy-source-if-modified-since",
        "Mon, 01 Jan 2024 00:00:00 GMT",
    );
    request.set_header(
        "x-oss-copy-source-if-unmodified-since",
        "Tue, 02 Jan 2024 00:00:00 GMT",
    );
    request.set_header("x-oss-traffic-limit", "819200");
    let mut source = ranged("src-bkt", "dir/a b+c.txt", 100, 199);
    source.version_id = Some("CAEQ".into());
    let result = client.upload_part_copy(&request, 4, &source).unwrap();
    assert_eq!(result.etag, "5B2D5B8A2B5E1B36D0A1E6F7C2C8A3B4");
    assert_eq!(result.last_modified, "2024-05-06T07:08:09.000Z");
    assert_eq!(result.source_version_id, "V9");
    assert_eq!(result.request_id, "rec");
    assert_eq!(result.part_number, 4);
    assert_eq!(result.header("x-oss-copy-source-version-id"), Some("V9"));

    let recorded = seen.recv().unwrap();
    let (head, body) = recorded.split_once("\r\n\r\n").unwrap();
    assert_eq!(body, "");
    assert!(
        head.starts_with(&format!(
            "PUT /{BUCKET}/dst/part%20copy.bin?partNumber=4&uploadId=UP%201 HTTP/1.1\r\n"
        )),
        "{head}"
    );
    for line in [
        "\r\nx-oss-copy-source: /src-bkt/dir%2Fa%20b%2Bc.txt?versionId=CAEQ\r\n",
        "\r\nx-oss-copy-source-range: bytes=100-199\r\n",
        "\r\nx-oss-copy-source-if-match: \"E1\"\r\n",
        "\r\nx-oss-copy-source-if-none-match: \"E2\"\r\n",
        "\r\nx-oss-copy-source-if-modified-since: Mon, 01 Jan 2024 00:00:00 GMT\r\n",
        "\r\nx-oss-copy-source-if-unmodified-since: Tue, 02 Jan 2024 00:00:00 GMT\r\n",
        "\r\nx-oss-traffic-limit: 819200\r\n",
        "\r\nContent-Type: application/xml\r\n",
    ] {
        assert!(head.contains(line), "{line:?} in {head}");
    }
    assert!(head.ends_with("\r\nContent-Length: 0"), "{head}");
    assert!(
        !head.contains("versionId=CAEQ HTTP"),
        "not a query parameter"
    );
}

#[test]
fn a_range_ending_at_zero_is_sent_open_and_an_unreadable_reply_is_not_an_error() {
    let (port, seen) = support::recording_server::start(
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot xml<<",
    );
    let client = client_at(&format!("http://127.0.0.1:{port}"));
    let result = client
        .upload_part_copy(&upload("k", "U"), 1, &ranged("src-bkt", "k", 0, 0))
        .unwrap();
    assert_eq!(result.etag, "");
    assert_eq!(result.last_modified, "");
    let head = seen.recv().unwrap();
    assert!(
        head.contains("\r\nx-oss-copy-source-range: bytes=0-\r\n"),
        "{head}"
    );
    assert!(
        head.contains("\r\nx-oss-copy-source: /src-bkt/k\r\n"),
        "{head}"
    );
}
