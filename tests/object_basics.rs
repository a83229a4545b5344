//! HeadObject and DeleteObject through the Rust core's pipeline against the emulator: each a
//! small declaration, signed with V4 and V1 like PutObject, with OSS's errors read the same way.

mod support;

use std::sync::Arc;

use ossffi::client::Client;
use ossffi::config::{ClientConfig, SignatureVersion};
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::error::Error;
use ossffi::error::ErrorKind;
use ossffi::object::{DataRedundancyType, ObjectMeta, ObjectRequest, StorageClass};
use ossffi::put_object::{Body, PutObjectRequest};
use ossffi_emulator::RunningServer;
use support::local::{self, AK};

const BUCKET: &str = "basics-bucket";

fn emulator() -> RunningServer {
    local::emulator(BUCKET)
}

fn client_signing(server: &RunningServer, signature_version: SignatureVersion) -> Client {
    let config = ClientConfig {
        region: "cn-hangzhou".into(),
        retry_scale_ms: 10,
        signature_version,
        ..ClientConfig::default()
    };
    local::client_at(&local::url(server), config)
}

fn client(server: &RunningServer) -> Client {
    client_signing(server, SignatureVersion::V4)
}

fn put(client: &Client, key: &str, data: &[u8], metadata: &[(&str, &str)]) -> String {
    let mut request = PutObjectRequest::new(BUCKET, key, Body::Bytes(data));
    request.set_header("Content-Type", "text/plain");
    for (name, value) in metadata {
        request.set_user_metadata(name, value);
    }
    client
        .put_object(&mut request)
        .expect("the upload succeeds")
        .etag
}

#[test]
fn head_object_reads_size_type_etag_crc_and_user_metadata() {
    let server = emulator();
    let client = client(&server);
    let data = b"hello, head object";
    let etag = put(&client, "dir/head.txt", data, &[("owner", "ossffi")]);

    let meta = client
        .head_object(&ObjectRequest::new(BUCKET, Some("dir/head.txt")))
        .unwrap();
    assert_eq!(meta.http_status, 200);
    assert_eq!(meta.etag, etag);
    assert_eq!(meta.content_length, data.len() as u64);
    assert_eq!(meta.content_type, "text/plain");
    assert_eq!(meta.crc64, ossffi::crc64::crc64(data));
    assert_eq!(
        meta.user_metadata,
        [("owner".to_owned(), "ossffi".to_owned())]
    );
    assert!(!meta.request_id.is_empty());
    assert!(!meta.last_modified.is_empty());
}

#[test]
fn head_object_signed_with_v1_is_accepted() {
    let server = emulator();
    let client = client_signing(&server, SignatureVersion::V1);
    put(&client, "v1.txt", b"v1", &[]);
    assert_eq!(
        client
            .head_object(&ObjectRequest::new(BUCKET, Some("v1.txt")))
            .unwrap()
            .content_length,
        2
    );
}

#[test]
fn head_object_of_a_missing_key_is_no_such_key_from_the_x_oss_err_header() {
    let server = emulator();
    let error = client(&server)
        .head_object(&ObjectRequest::new(BUCKET, Some("missing")))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.http_status, 404);
    assert_eq!(error.code, "NoSuchKey");
    assert!(!error.request_id.is_empty());
}

#[test]
fn head_object_in_a_missing_bucket_is_no_such_bucket() {
    let server = emulator();
    let error = client(&server)
        .head_object(&ObjectRequest::new("no-such-bucket", Some("key")))
        .unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (404, "NoSuchBucket")
    );
}

#[test]
fn head_object_validates_names_before_sending() {
    let server = emulator();
    let error = client(&server)
        .head_object(&ObjectRequest::new("Bad_Bucket", Some("key")))
        .unwrap_err();
    assert_eq!(error.code, "ValidateError");
    let error = client(&server)
        .head_object(&ObjectRequest::new(BUCKET, Some("")))
        .unwrap_err();
    assert_eq!(error.code, "ValidateError");
}

#[test]
fn delete_object_removes_the_object() {
    let server = emulator();
    let client = client(&server);
    put(&client, "gone.bin", b"soon gone", &[]);

    let result = client
        .delete_object(&ObjectRequest::new(BUCKET, Some("gone.bin")))
        .unwrap();
    assert_eq!(result.http_status, 204);
    assert!(!result.request_id.is_empty());
    assert!(!result.delete_marker);
    assert!(server.object_bytes(BUCKET, "gone.bin").is_none());
    let error = client
        .head_object(&ObjectRequest::new(BUCKET, Some("gone.bin")))
        .unwrap_err();
    assert_eq!(error.code, "NoSuchKey");
}

#[test]
fn delete_object_of_a_missing_key_succeeds_as_on_oss() {
    let server = emulator();
    let result = client(&server)
        .delete_object(&ObjectRequest::new(BUCKET, Some("never-there")))
        .unwrap();
    assert_eq!(result.http_status, 204);
}

#[test]
fn delete_object_signed_with_v1_is_accepted() {
    let server = emulator();
    let client = client_signing(&server, SignatureVersion::V1);
    put(&client, "v1-delete.txt", b"x", &[]);
    assert_eq!(
        client
            .delete_object(&ObjectRequest::new(BUCKET, Some("v1-delete.txt")))
            .unwrap()
            .http_status,
        204
    );
    assert!(server.object_bytes(BUCKET, "v1-delete.txt").is_none());
}

#[test]
fn delete_object_in_a_missing_bucket_is_no_such_bucket() {
    let server = emulator();
    let error = client(&server)
        .delete_object(&ObjectRequest::new("no-such-bucket", Some("key")))
        .unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (404, "NoSuchBucket")
    );
}

/// A writer that accepts `room` bytes, then fails.
struct FullDisk {
    written: Vec<u8>,
    room: usize,
}

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written.len() + buf.len() > self.room {
            return Err(std::io::Error::other("disk full"));
        }
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn get_object_streams_the_body_to_the_writer_with_progress_and_crc() {
    let server = emulator();
    let client = client(&server);
    let data: Vec<u8> = (0..3 * 1024 * 1024 + 17)
        .map(|i| (i * 31 % 251) as u8)
        .collect();
    let etag = put(&client, "big.bin", &data, &[("kind", "big")]);

    let mut out = Vec::new();
    let mut calls: Vec<(u64, u64, u64)> = Vec::new();
    let mut progress = |increment, received, total| {
        calls.push((increment, received, total));
        Ok(())
    };
    let meta = client
        .get_object(
            &ObjectRequest::new(BUCKET, Some("big.bin")),
            &mut out,
            Some(&mut progress),
        )
        .unwrap();
    assert!(out == data, "the bytes written are the object's");
    assert_eq!(meta.http_status, 200);
    assert_eq!(meta.etag, etag);
    assert_eq!(meta.crc64, ossffi::crc64::crc64(&data));
    assert_eq!(meta.user_metadata, [("kind".to_owned(), "big".to_owned())]);
    let total = data.len() as u64;
    assert_eq!(calls.iter().map(|c| c.0).sum::<u64>(), total);
    assert_eq!(
        calls.last().copied().map(|c| (c.1, c.2)),
        Some((total, total))
    );
}

#[test]
fn get_object_of_a_missing_key_is_no_such_key_and_writes_nothing() {
    let server = emulator();
    let mut out = Vec::new();
    let error = client(&server)
        .get_object(&ObjectRequest::new(BUCKET, Some("missing")), &mut out, None)
        .unwrap_err();
    assert_eq!((error.http_status, error.code.as_str()), (404, "NoSuchKey"));
    assert!(out.is_empty());
}

#[test]
fn get_object_with_a_wrong_crc_is_client_error_100001() {
    let server = emulator();
    let client = client(&server);
    put(&client, "crc.bin", b"checked on the way in", &[]);
    server.faults().wrong_crc_next(1);
    let mut out = Vec::new();
    let error = client
        .get_object(&ObjectRequest::new(BUCKET, Some("crc.bin")), &mut out, None)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::CrcMismatch);
    assert_eq!(error.code, "ClientError:100001");
    assert!(
        error.message.contains("Transferd bytes:21."),
        "{}",
        error.message
    );
}

#[test]
fn get_object_into_a_failing_writer_is_client_error_200023_without_retry() {
    let server = emulator();
    let client = client(&server);
    let data = vec![7u8; 256 * 1024];
    put(&client, "full.bin", &data, &[]);
    let mut out = FullDisk {
        written: Vec::new(),
        room: 100_000,
    };
    let error = client
        .get_object(
            &ObjectRequest::new(BUCKET, Some("full.bin")),
            &mut out,
            None,
        )
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Io);
    assert_eq!(error.code, "ClientError:200023");
    assert!(error.message.contains("disk full"), "{}", error.message);
    assert!(out.written.len() <= 100_000 && out.written.iter().all(|&b| b == 7));
}

#[test]
fn get_object_stopped_by_progress_is_aborted() {
    let server = emulator();
    let client = client(&server);
    put(&client, "stop.bin", &vec![1u8; 200_000], &[]);
    let mut out = Vec::new();
    let mut progress = |_, _, _| Err(9);
    let error = client
        .get_object(
            &ObjectRequest::new(BUCKET, Some("stop.bin")),
            &mut out,
            Some(&mut progress),
        )
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Aborted);
    assert_eq!(error.code, "ClientError:200042");
}

#[test]
fn get_object_cut_off_mid_body_is_an_error_that_says_so() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nx-oss-request-id: cut\r\n\r\n0123456789",
            );
        }
    });
    let client = local::client_at(
        &format!("http://127.0.0.1:{port}"),
        ClientConfig {
            retry_scale_ms: 10,
            ..local::config()
        },
    );
    let mut out = Vec::new();
    let error = client
        .get_object(&ObjectRequest::new(BUCKET, Some("cut.bin")), &mut out, None)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Transport);
    assert!(
        error.message.contains("after 10 of 100 body bytes"),
        "{}",
        error.message
    );
    assert_eq!(
        out, b"0123456789",
        "not retried: the writer holds one attempt's bytes"
    );
}

/// Counts and checksums what it is given, keeping none of it.
struct Counting {
    bytes: u64,
    crc: ossffi::crc64::Crc64,
}

impl std::io::Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        self.crc.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn get_object_larger_than_the_in_memory_reply_limit_streams_through() {
    let server = emulator();
    let client = client(&server);
    // Above the 8 MiB the client ever holds of a reply in memory.
    let data: Vec<u8> = (0..9 * 1024 * 1024).map(|i| (i % 253) as u8).collect();
    put(&client, "nine.bin", &data, &[]);
    let mut out = Counting {
        bytes: 0,
        crc: ossffi::crc64::Crc64::new(),
    };
    let meta = client
        .get_object(
            &ObjectRequest::new(BUCKET, Some("nine.bin")),
            &mut out,
            None,
        )
        .unwrap();
    assert_eq!(out.bytes, data.len() as u64);
    assert_eq!(out.crc.value(), ossffi::crc64::crc64(&data));
    assert_eq!(meta.content_length, data.len() as u64);
}

fn object(key: &str) -> ObjectRequest {
    ObjectRequest::new(BUCKET, Some(key))
}

fn get_bytes(client: &Client, request: &ObjectRequest) -> Result<(Vec<u8>, ObjectMeta), Error> {
    let mut out = Vec::new();
    let meta = client.get_object(request, &mut out, None)?;
    Ok((out, meta))
}

#[test]
fn get_object_with_if_none_match_of_the_current_etag_is_server_error_304() {
    let server = emulator();
    let client = client(&server);
    let etag = put(&client, "cond.txt", b"conditional", &[]);
    let mut request = object("cond.txt");
    request.set_header("If-None-Match", &format!("\"{etag}\""));
    let error = get_bytes(&client, &request).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (304, "ServerError:304")
    );
}

#[test]
fn get_object_with_a_failing_if_match_is_precondition_failed() {
    let server = emulator();
    let client = client(&server);
    put(&client, "cond.txt", b"conditional", &[]);
    let mut request = object("cond.txt");
    request.set_header("If-Match", "\"0123456789ABCDEF0123456789ABCDEF\"");
    let error = get_bytes(&client, &request).unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (412, "PreconditionFailed")
    );
}

#[test]
fn get_object_with_a_matching_if_match_returns_the_object() {
    let server = emulator();
    let client = client(&server);
    let etag = put(&client, "cond.txt", b"conditional", &[]);
    let mut request = object("cond.txt");
    request.set_header("If-Match", &format!("\"{etag}\""));
    let (bytes, meta) = get_bytes(&client, &request).unwrap();
    assert_eq!(bytes, b"conditional");
    assert_eq!(meta.http_status, 200);
}

#[test]
fn get_object_with_a_range_returns_206_and_those_bytes_without_a_crc_check() {
    let server = emulator();
    let client = client(&server);
    put(&client, "range.txt", b"0123456789", &[]);
    // A wrong whole-object CRC must not fail a ranged read: the SDK compares only whole objects.
    server.faults().set_wrong_crc_always(true);
    let mut request = object("range.txt");
    request.set_range(2, 5, false).unwrap();
    let (bytes, meta) = get_bytes(&client, &request).unwrap();
    assert_eq!(bytes, b"2345");
    assert_eq!(meta.http_status, 206);
    assert_eq!(meta.content_length, 4);
    assert_eq!(meta.header("Content-Range"), Some("bytes 2-5/10"));
}

#[test]
fn get_object_with_an_open_range_reads_to_the_end() {
    let server = emulator();
    let client = client(&server);
    put(&client, "range.txt", b"0123456789", &[]);
    let mut request = object("range.txt");
    request.set_range(6, -1, false).unwrap();
    assert_eq!(get_bytes(&client, &request).unwrap().0, b"6789");
}

#[test]
fn get_object_with_a_standard_range_past_the_end_is_invalid_range() {
    let server = emulator();
    let client = client(&server);
    put(&client, "range.txt", b"0123456789", &[]);
    let mut request = object("range.txt");
    request.set_range(20, 30, true).unwrap();
    let error = get_bytes(&client, &request).unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (416, "InvalidRange")
    );
    // Without standard behaviour OSS answers the whole object instead.
    request.set_range(20, 30, false).unwrap();
    let (bytes, meta) = get_bytes(&client, &request).unwrap();
    assert_eq!(
        (bytes.as_slice(), meta.http_status),
        (&b"0123456789"[..], 200)
    );
}

#[test]
fn get_object_response_parameters_override_the_reply_headers() {
    let server = emulator();
    let client = client(&server);
    put(&client, "override.txt", b"x", &[]);
    let mut request = object("override.txt");
    request.set_parameter("response-content-type", Some("text/x-override"));
    request.set_parameter(
        "response-content-disposition",
        Some("attachment; filename=\"a b.txt\""),
    );
    let (_, meta) = get_bytes(&client, &request).unwrap();
    assert_eq!(meta.content_type, "text/x-override");
    assert_eq!(
        meta.header("content-disposition"),
        Some("attachment; filename=\"a b.txt\"")
    );
}

#[test]
fn get_object_of_an_empty_object_writes_nothing_and_succeeds() {
    let server = emulator();
    let client = client(&server);
    put(&client, "empty.txt", b"", &[]);
    let (bytes, meta) = get_bytes(&client, &object("empty.txt")).unwrap();
    assert!(bytes.is_empty());
    assert_eq!((meta.http_status, meta.content_length), (200, 0));
}

#[test]
fn get_object_with_crc_checking_off_accepts_a_wrong_crc() {
    let server = emulator();
    let client = client(&server);
    put(&client, "nocrc.txt", b"unchecked", &[]);
    server.faults().wrong_crc_next(1);
    let mut request = object("nocrc.txt");
    request.check_crc64 = false;
    assert_eq!(get_bytes(&client, &request).unwrap().0, b"unchecked");
}

#[test]
fn get_object_in_a_missing_bucket_is_no_such_bucket() {
    let server = emulator();
    let error = get_bytes(
        &client(&server),
        &ObjectRequest::new("no-such-bucket", Some("k")),
    )
    .unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (404, "NoSuchBucket")
    );
}

#[test]
fn misapplied_request_fields_are_refused_before_sending() {
    let server = emulator();
    let client = client(&server);
    put(&client, "k.txt", b"k", &[]);

    let mut with_keys = object("k.txt");
    with_keys.keys.push("other".into());
    let error = get_bytes(&client, &with_keys).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(
        error.message,
        "GetObject does not take a list of keys; only DeleteObjects does"
    );

    let mut with_range = object("k.txt");
    with_range.set_range(0, 0, false).unwrap();
    let error = client.head_object(&with_range).unwrap_err();
    assert_eq!(
        error.message,
        "HeadObject does not take a Range; only GetObject and GetObjectByUrl do"
    );
    let error = client.delete_object(&with_range).unwrap_err();
    assert_eq!(
        error.message,
        "DeleteObject does not take a Range; only GetObject and GetObjectByUrl do"
    );

    let mut with_class = object("k.txt");
    with_class.storage_class = Some(StorageClass::IA);
    let error = client.delete_object(&with_class).unwrap_err();
    assert_eq!(
        error.message,
        "DeleteObject does not take a storage class; only CreateBucket does"
    );
    assert!(server.object_exists(BUCKET, "k.txt"), "nothing was sent");

    let error = client
        .head_object(&ObjectRequest::new(BUCKET, None))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(
        error.message,
        "HeadObject needs an object key; the request has none"
    );
}

fn client_for_port(port: u16) -> Client {
    local::client_at(
        &format!("http://127.0.0.1:{port}"),
        ClientConfig {
            retry_scale_ms: 10,
            max_retries: 0,
            ..local::config()
        },
    )
}

const EMPTY_200: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nx-oss-request-id: rec\r\nConnection: close\r\n\r\n";

#[test]
fn version_id_and_other_parameters_go_on_the_request_line_sorted() {
    let (port, seen) = support::recording_server::start(EMPTY_200);
    let client = client_for_port(port);
    let mut request = ObjectRequest::new(BUCKET, Some("dir/a b.txt"));
    request.set_parameter("versionId", Some("CAEQ1"));
    request.set_parameter("response-content-type", Some("text/x"));
    request.set_header("x-oss-traffic-limit", "819200");
    get_bytes(&client, &request).unwrap();
    let head = seen.recv().unwrap();
    assert!(
        head.starts_with(&format!(
            "GET /{BUCKET}/dir/a%20b.txt?response-content-type=text%2Fx&versionId=CAEQ1 HTTP/1.1\r\n"
        )),
        "{head}"
    );
    assert!(
        head.contains("\r\nx-oss-traffic-limit: 819200\r\n"),
        "{head}"
    );
}

#[test]
fn delete_object_sends_the_version_id_and_reads_the_delete_marker() {
    let (port, seen) = support::recording_server::start(
        b"HTTP/1.1 204 No Content\r\nx-oss-request-id: rec\r\nx-oss-delete-marker: true\r\nx-oss-version-id: V2\r\nConnection: close\r\n\r\n",
    );
    let client = client_for_port(port);
    let mut request = object("k");
    request.set_parameter("versionId", Some("V1"));
    let result = client.delete_object(&request).unwrap();
    assert!(
        seen.recv()
            .unwrap()
            .starts_with(&format!("DELETE /{BUCKET}/k?versionId=V1 HTTP/1.1"))
    );
    assert!(result.delete_marker);
    assert_eq!(result.version_id, "V2");
    assert_eq!(result.request_id, "rec");
    assert_eq!(result.header("x-oss-delete-marker"), Some("true"));
}

#[test]
fn get_object_meta_reads_etag_size_and_crc_with_the_object_meta_sub_resource() {
    let server = emulator();
    let client = client(&server);
    let data = b"meta only";
    let etag = put(&client, "meta.txt", data, &[("hidden", "yes")]);
    let meta = client.get_object_meta(&object("meta.txt")).unwrap();
    assert_eq!(meta.http_status, 200);
    assert_eq!(meta.etag, etag);
    assert_eq!(meta.content_length, data.len() as u64);
    assert_eq!(meta.crc64, ossffi::crc64::crc64(data));
    assert!(!meta.last_modified.is_empty());
    assert!(
        meta.user_metadata.is_empty(),
        "GetObjectMeta answers without user metadata: {:?}",
        meta.user_metadata
    );
}

#[test]
fn get_object_meta_sends_object_meta_next_to_the_callers_parameters() {
    let (port, seen) = support::recording_server::start(EMPTY_200);
    let client = client_for_port(port);
    let mut request = object("k");
    request.set_parameter("versionId", Some("V9"));
    client.get_object_meta(&request).unwrap();
    let head = seen.recv().unwrap();
    assert!(
        head.starts_with(&format!(
            "HEAD /{BUCKET}/k?objectMeta&versionId=V9 HTTP/1.1\r\n"
        )),
        "{head}"
    );
}

#[test]
fn get_object_meta_of_a_missing_key_is_no_such_key() {
    let server = emulator();
    let error = client(&server)
        .get_object_meta(&object("missing"))
        .unwrap_err();
    assert_eq!((error.http_status, error.code.as_str()), (404, "NoSuchKey"));
}

#[test]
fn does_object_exist_is_true_for_a_stored_object_and_false_for_a_missing_one() {
    let server = emulator();
    let client = client(&server);
    put(&client, "here.txt", b"here", &[]);
    assert!(client.does_object_exist(&object("here.txt")).unwrap());
    assert!(!client.does_object_exist(&object("not-here.txt")).unwrap());
}

#[test]
fn does_object_exist_is_an_error_when_it_cannot_ask() {
    let server = emulator();
    let client = client(&server);
    let error = client
        .does_object_exist(&ObjectRequest::new("no-such-bucket", Some("k")))
        .unwrap_err();
    assert_eq!(error.code, "NoSuchBucket");
    let error = client
        .does_object_exist(&ObjectRequest::new("Bad_Bucket", Some("k")))
        .unwrap_err();
    assert_eq!(error.code, "ValidateError");
    let wrong_key = Client::new(
        &local::url(&server),
        Arc::new(StaticCredentials(Credentials::new(AK, "not-the-secret"))),
        ClientConfig {
            region: "cn-hangzhou".into(),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    let error = wrong_key.does_object_exist(&object("k")).unwrap_err();
    assert_eq!(error.http_status, 403);
}

#[test]
fn does_object_exist_of_a_bare_404_is_false() {
    let (port, _seen) = support::recording_server::start(
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nx-oss-request-id: r\r\nConnection: close\r\n\r\n",
    );
    assert!(
        !client_for_port(port)
            .does_object_exist(&object("k"))
            .unwrap()
    );
}

fn bucket_request() -> ObjectRequest {
    ObjectRequest::new(BUCKET, None)
}

#[test]
fn list_objects_reads_keys_sizes_etags_and_owner() {
    let server = emulator();
    let client = client(&server);
    let etag = put(&client, "a.txt", b"alpha", &[]);
    put(&client, "b.txt", b"bravo!", &[]);
    let page = client.list_objects(&bucket_request()).unwrap();
    assert_eq!(page.http_status, 200);
    assert!(!page.request_id.is_empty());
    assert_eq!(page.name, BUCKET);
    assert!(!page.is_truncated);
    let keys: Vec<(&str, i64)> = page
        .contents
        .iter()
        .map(|c| (c.key.as_str(), c.size))
        .collect();
    assert_eq!(keys, [("a.txt", 5), ("b.txt", 6)]);
    let first = &page.contents[0];
    assert_eq!(first.etag, etag);
    assert_eq!(first.storage_class, "Standard");
    assert_eq!(first.object_type, "Normal");
    assert!(!first.owner_id.is_empty());
    assert!(
        first.last_modified.ends_with('Z'),
        "{}",
        first.last_modified
    );
}

#[test]
fn list_objects_pages_with_prefix_marker_and_max_keys() {
    let server = emulator();
    let client = client(&server);
    for key in ["p/1", "p/2", "p/3", "p/4", "q/1"] {
        put(&client, key, b"x", &[]);
    }
    let mut request = bucket_request();
    request.set_parameter("prefix", Some("p/"));
    request.set_parameter("max-keys", Some("3"));
    let first = client.list_objects(&request).unwrap();
    assert_eq!(
        first
            .contents
            .iter()
            .map(|c| c.key.as_str())
            .collect::<Vec<_>>(),
        ["p/1", "p/2", "p/3"]
    );
    assert_eq!((first.max_keys, first.is_truncated), (3, true));
    assert_eq!(first.next_marker, "p/3");
    assert_eq!(first.prefix, "p/");

    request.set_parameter("marker", Some(&first.next_marker));
    let second = client.list_objects(&request).unwrap();
    assert_eq!(
        second
            .contents
            .iter()
            .map(|c| c.key.as_str())
            .collect::<Vec<_>>(),
        ["p/4"]
    );
    assert!(!second.is_truncated);
    assert_eq!(second.marker, "p/3");
}

#[test]
fn list_objects_with_a_delimiter_rolls_keys_up_into_common_prefixes() {
    let server = emulator();
    let client = client(&server);
    for key in ["top.txt", "dir/a", "dir/b", "dir/sub/c", "other/d"] {
        put(&client, key, b"x", &[]);
    }
    let mut request = bucket_request();
    request.set_parameter("delimiter", Some("/"));
    let page = client.list_objects(&request).unwrap();
    assert_eq!(page.delimiter, "/");
    assert_eq!(page.common_prefixes, ["dir/", "other/"]);
    assert_eq!(
        page.contents
            .iter()
            .map(|c| c.key.as_str())
            .collect::<Vec<_>>(),
        ["top.txt"]
    );
    request.set_parameter("prefix", Some("dir/"));
    let inner = client.list_objects(&request).unwrap();
    assert_eq!(inner.common_prefixes, ["dir/sub/"]);
    assert_eq!(
        inner
            .contents
            .iter()
            .map(|c| c.key.as_str())
            .collect::<Vec<_>>(),
        ["dir/a", "dir/b"]
    );
}

const AWKWARD_KEYS: [&str; 5] = [
    "a b/c d.txt",
    "x&y<z>.txt",
    "中文/ключ é.bin",
    "plus+sign%25.txt",
    "quote\"apos'.txt",
];

#[test]
fn list_objects_with_url_encoding_decodes_awkward_names() {
    let server = emulator();
    let client = client(&server);
    for key in AWKWARD_KEYS {
        put(&client, key, b"x", &[]);
    }
    let mut request = bucket_request();
    request.set_parameter("encoding-type", Some("url"));
    request.set_parameter("max-keys", Some("2"));
    let mut keys = Vec::new();
    loop {
        let page = client.list_objects(&request).unwrap();
        assert_eq!(page.encoding_type, "url");
        keys.extend(page.contents.into_iter().map(|c| c.key));
        if !page.is_truncated {
            break;
        }
        // The decoded marker goes back as a parameter, encoded again on the wire.
        request.set_parameter("marker", Some(&page.next_marker));
    }
    let mut expected: Vec<String> = AWKWARD_KEYS.iter().map(|k| k.to_string()).collect();
    expected.sort();
    assert_eq!(keys, expected);

    let mut by_prefix = bucket_request();
    by_prefix.set_parameter("encoding-type", Some("url"));
    by_prefix.set_parameter("prefix", Some("中文/"));
    by_prefix.set_parameter("delimiter", Some(" "));
    let page = client.list_objects(&by_prefix).unwrap();
    assert_eq!(page.prefix, "中文/");
    assert_eq!(page.delimiter, " ");
    assert_eq!(page.common_prefixes, ["中文/ключ "]);
}

#[test]
fn list_objects_without_url_encoding_reads_escaped_xml_names() {
    let server = emulator();
    let client = client(&server);
    put(&client, "x&y<z>.txt", b"x", &[]);
    let page = client.list_objects(&bucket_request()).unwrap();
    assert_eq!(page.contents[0].key, "x&y<z>.txt");
}

#[test]
fn list_objects_of_a_missing_bucket_is_no_such_bucket() {
    let server = emulator();
    let error = client(&server)
        .list_objects(&ObjectRequest::new("no-such-bucket", None))
        .unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (404, "NoSuchBucket")
    );
}

#[test]
fn list_objects_with_an_unknown_encoding_type_is_invalid_argument_from_oss() {
    let server = emulator();
    let mut request = bucket_request();
    request.set_parameter("encoding-type", Some("base64"));
    let error = client(&server).list_objects(&request).unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (400, "InvalidArgument")
    );
}

#[test]
fn list_objects_refuses_a_key() {
    let server = emulator();
    let error = client(&server).list_objects(&object("k")).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(
        error.message,
        "ListObjects is a bucket operation and takes no object key; the request has key \"k\""
    );
}

fn reply_with_body(body: &str) -> &'static [u8] {
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nx-oss-request-id: parse-id\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    Box::leak(reply.into_bytes().into_boxed_slice())
}

#[test]
fn list_objects_with_an_empty_or_malformed_body_is_the_sdks_parse_error() {
    for body in [
        "",
        "garbage body",
        "<ListBucketResult><Name>x</ListBucketResult>",
    ] {
        let (port, _seen) = support::recording_server::start(reply_with_body(body));
        let error = client_for_port(port)
            .list_objects(&bucket_request())
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Parse, "{body:?}");
        assert_eq!(error.code, "ParseXMLError");
        assert_eq!(error.message, "Parsing ListObject result fail.");
        assert_eq!(
            (error.http_status, error.request_id.as_str()),
            (200, "parse-id")
        );
        assert_eq!(error.body, body.as_bytes());
    }
}

#[test]
fn list_objects_with_another_root_is_an_empty_success() {
    let (port, _seen) =
        support::recording_server::start(reply_with_body("<Other><Name>x</Name></Other>"));
    let page = client_for_port(port)
        .list_objects(&bucket_request())
        .unwrap();
    assert_eq!(page.name, "");
    assert!(page.contents.is_empty());
    assert_eq!(page.request_id, "parse-id");
}

#[test]
fn list_objects_sends_only_the_parameters_set_sorted_and_encoded() {
    let (port, seen) = support::recording_server::start(reply_with_body("<ListBucketResult/>"));
    let client = client_for_port(port);
    let mut request = bucket_request();
    request.set_parameter("prefix", Some("p/"));
    request.set_parameter("marker", Some("m k"));
    request.set_parameter("max-keys", Some("100"));
    request.set_parameter("encoding-type", Some("url"));
    request.set_parameter("delimiter", Some("/"));
    client.list_objects(&request).unwrap();
    let head = seen.recv().unwrap();
    assert!(
        head.starts_with(&format!(
            "GET /{BUCKET}/?delimiter=%2F&encoding-type=url&marker=m%20k&max-keys=100&prefix=p%2F HTTP/1.1\r\n"
        )),
        "{head}"
    );
    client.list_objects(&bucket_request()).unwrap();
    assert!(
        seen.recv()
            .unwrap()
            .starts_with(&format!("GET /{BUCKET}/ HTTP/1.1\r\n"))
    );
}

fn delete_request(keys: &[&str], quiet: bool) -> ObjectRequest {
    let mut request = bucket_request();
    request.keys = keys.iter().map(|k| k.to_string()).collect();
    request.quiet = quiet;
    request
}

#[test]
fn delete_objects_verbose_lists_every_key_including_absent_ones() {
    let server = emulator();
    let client = client(&server);
    for key in AWKWARD_KEYS {
        put(&client, key, b"x", &[]);
    }
    put(&client, "kept.txt", b"x", &[]);
    let mut keys: Vec<&str> = AWKWARD_KEYS.to_vec();
    keys.push("never-was");
    let result = client
        .delete_objects(&delete_request(&keys, false))
        .unwrap();
    assert_eq!(result.http_status, 200);
    assert!(!result.quiet);
    assert!(!result.request_id.is_empty());
    let mut deleted = result.deleted.clone();
    deleted.sort();
    let mut expected: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    expected.sort();
    assert_eq!(deleted, expected);
    for key in AWKWARD_KEYS {
        assert!(!server.object_exists(BUCKET, key), "{key} is gone");
    }
    assert!(server.object_exists(BUCKET, "kept.txt"));
}

#[test]
fn delete_objects_with_url_encoding_decodes_the_deleted_keys() {
    let server = emulator();
    let client = client(&server);
    for key in AWKWARD_KEYS {
        put(&client, key, b"x", &[]);
    }
    let mut request = delete_request(&AWKWARD_KEYS, false);
    request.set_parameter("encoding-type", Some("url"));
    let result = client.delete_objects(&request).unwrap();
    assert_eq!(result.encoding_type, "url");
    let mut deleted = result.deleted.clone();
    deleted.sort();
    let mut expected: Vec<String> = AWKWARD_KEYS.iter().map(|k| k.to_string()).collect();
    expected.sort();
    assert_eq!(deleted, expected);
}

#[test]
fn delete_objects_quiet_deletes_and_reports_quiet_with_no_keys() {
    let server = emulator();
    let client = client(&server);
    put(&client, "q1", b"x", &[]);
    put(&client, "q 2&", b"x", &[]);
    let result = client
        .delete_objects(&delete_request(&["q1", "q 2&"], true))
        .unwrap();
    assert!(result.quiet);
    assert!(result.deleted.is_empty());
    assert!(!server.object_exists(BUCKET, "q1"));
    assert!(!server.object_exists(BUCKET, "q 2&"));
}

#[test]
fn delete_objects_in_a_missing_bucket_is_no_such_bucket() {
    let server = emulator();
    let mut request = delete_request(&["a"], false);
    request.bucket = "no-such-bucket".into();
    let error = client(&server).delete_objects(&request).unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (404, "NoSuchBucket")
    );
}

#[test]
fn delete_objects_sends_the_sdks_body_with_its_content_md5() {
    let (port, seen) = support::recording_server::start(EMPTY_200);
    let client = client_for_port(port);
    client
        .delete_objects(&delete_request(&["a/b", "c<&>"], false))
        .unwrap();
    let wire = seen.recv().unwrap();
    assert!(
        wire.starts_with(&format!("POST /{BUCKET}/?delete HTTP/1.1\r\n")),
        "{wire}"
    );
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete>\n  <Quiet>false</Quiet>\n  <Object>\n    <Key>a/b</Key>\n  </Object>\n  <Object>\n    <Key>c&lt;&amp;&gt;</Key>\n  </Object>\n</Delete>\n";
    assert!(wire.ends_with(&format!("\r\n\r\n{body}")), "{wire}");
    let md5 = ossffi::digest::md5_of(body.as_bytes()).content_md5();
    assert!(
        wire.to_ascii_lowercase().contains(&format!(
            "\r\ncontent-md5: {}\r\n",
            md5.to_ascii_lowercase()
        )),
        "{wire}"
    );
}

#[test]
fn delete_objects_with_a_malformed_body_is_the_sdks_parse_error() {
    let (port, _seen) =
        support::recording_server::start(reply_with_body("<DeleteResult><Deleted>"));
    let error = client_for_port(port)
        .delete_objects(&delete_request(&["a"], false))
        .unwrap_err();
    assert_eq!(error.code, "ParseXMLError");
    assert_eq!(error.message, "Parsing DeleteObjects result fail.");
    assert_eq!(error.request_id, "parse-id");
}

#[test]
fn delete_objects_with_another_root_is_a_success_with_no_keys() {
    let (port, _seen) = support::recording_server::start(reply_with_body(
        "<Other><Deleted><Key>a</Key></Deleted></Other>",
    ));
    let result = client_for_port(port)
        .delete_objects(&delete_request(&["a"], false))
        .unwrap();
    assert!(result.deleted.is_empty());
    assert!(!result.quiet);
}

#[test]
fn keys_and_quiet_are_refused_outside_delete_objects() {
    let server = emulator();
    let client = client(&server);
    let error = client
        .list_objects(&delete_request(&["a"], false))
        .unwrap_err();
    assert_eq!(
        error.message,
        "ListObjects does not take a list of keys; only DeleteObjects does"
    );
    let error = client.list_objects(&delete_request(&[], true)).unwrap_err();
    assert_eq!(
        error.message,
        "ListObjects does not take quiet mode; only DeleteObjects does"
    );
}

#[test]
fn create_bucket_with_a_storage_class_makes_a_bucket_that_takes_objects() {
    let server = emulator();
    let client = client(&server);
    let mut request = ObjectRequest::new("fresh-bucket", None);
    request.storage_class = Some(StorageClass::IA);
    request.data_redundancy = Some(DataRedundancyType::LRS);
    let result = client.create_bucket(&request).unwrap();
    assert_eq!(result.http_status, 200);
    assert!(!result.request_id.is_empty());
    let page = client
        .list_objects(&ObjectRequest::new("fresh-bucket", None))
        .unwrap();
    assert_eq!(
        (page.name.as_str(), page.contents.len()),
        ("fresh-bucket", 0)
    );
}

#[test]
fn create_bucket_sends_the_sdks_body_and_the_acl_header() {
    let (port, seen) = support::recording_server::start(EMPTY_200);
    let client = client_for_port(port);
    let mut request = ObjectRequest::new("new-bucket", None);
    request.storage_class = Some(StorageClass::Archive);
    request.data_redundancy = Some(DataRedundancyType::ZRS);
    request.set_header("x-oss-acl", "private");
    client.create_bucket(&request).unwrap();
    let wire = seen.recv().unwrap();
    assert!(wire.starts_with("PUT /new-bucket/ HTTP/1.1\r\n"), "{wire}");
    assert!(wire.contains("\r\nx-oss-acl: private\r\n"), "{wire}");
    assert!(
        wire.ends_with("\r\n\r\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\n<StorageClass>Archive</StorageClass>\n<DataRedundancyType>ZRS</DataRedundancyType>\n</CreateBucketConfiguration>"),
        "{wire}"
    );
    client
        .create_bucket(&ObjectRequest::new("new-bucket", None))
        .unwrap();
    let wire = seen.recv().unwrap();
    assert!(
        wire.ends_with("<StorageClass>Standard</StorageClass>\n</CreateBucketConfiguration>"),
        "Standard when no class is set: {wire}"
    );
}

#[test]
fn create_bucket_validates_the_name() {
    let server = emulator();
    let error = client(&server)
        .create_bucket(&ObjectRequest::new("-bad-", None))
        .unwrap_err();
    assert_eq!(error.code, "ValidateError");
    assert_eq!(
        error.message,
        "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or dash(-) with 3-63 characters long."
    );
}

#[test]
fn delete_bucket_refuses_a_bucket_with_objects_then_deletes_it_empty() {
    let server = emulator();
    let client = client(&server);
    put(&client, "left.txt", b"x", &[]);
    let error = client.delete_bucket(&bucket_request()).unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (409, "BucketNotEmpty")
    );
    client.delete_object(&object("left.txt")).unwrap();
    let result = client.delete_bucket(&bucket_request()).unwrap();
    assert_eq!(result.http_status, 204);
    assert!(!result.request_id.is_empty());
    let error = client.list_objects(&bucket_request()).unwrap_err();
    assert_eq!(error.code, "NoSuchBucket");
}

#[test]
fn delete_bucket_of_a_missing_bucket_is_no_such_bucket() {
    let server = emulator();
    let error = client(&server)
        .delete_bucket(&ObjectRequest::new("no-such-bucket", None))
        .unwrap_err();
    assert_eq!(
        (error.http_status, error.code.as_str()),
        (404, "NoSuchBucket")
    );
}

#[test]
fn storage_class_and_redundancy_are_refused_outside_create_bucket() {
    let server = emulator();
    let client = client(&server);
    let mut request = bucket_request();
    request.data_redundancy = Some(DataRedundancyType::ZRS);
    let error = client.delete_bucket(&request).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(
        error.message,
        "DeleteBucket does not take a data redundancy type; only CreateBucket does"
    );
    let error = client
        .create_bucket(&ObjectRequest::new(BUCKET, Some("k")))
        .unwrap_err();
    assert_eq!(
        error.message,
        "CreateBucket is a bucket operation and takes no object key; the request has key \"k\""
    );
    assert!(
        client.list_objects(&bucket_request()).is_ok(),
        "the bucket is still there"
    );
}

/// A fresh directory under the system's temporary directory, removed at the end of the test.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "ossffi-object-basics-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }

    /// Every file name in the directory, sorted: shows whether a temporary file was left.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn get_object_to_file_replaces_the_target_with_the_whole_object() {
    let server = emulator();
    let client = client(&server);
    let data: Vec<u8> = (0..300_000).map(|i| (i % 249) as u8).collect();
    put(&client, "file.bin", &data, &[]);
    let dir = Scratch::new("replace");
    let target = dir.path("out.bin");
    std::fs::write(
        &target,
        b"an older, longer content that must disappear entirely",
    )
    .unwrap();
    let mut calls = 0u32;
    let mut progress = |_, _, _| {
        calls += 1;
        Ok(())
    };
    let meta = client
        .get_object_to_file(&object("file.bin"), &target, Some(&mut progress))
        .unwrap();
    assert_eq!(meta.content_length, data.len() as u64);
    assert!(std::fs::read(&target).unwrap() == data);
    assert!(calls > 0);
    assert_eq!(dir.names(), ["out.bin"], "no temporary file is left");
}

#[test]
fn get_object_to_file_of_a_missing_key_leaves_the_target_untouched() {
    let server = emulator();
    let dir = Scratch::new("missing");
    let target = dir.path("keep.txt");
    std::fs::write(&target, b"keep me").unwrap();
    let error = client(&server)
        .get_object_to_file(&object("missing"), &target, None)
        .unwrap_err();
    assert_eq!(error.code, "NoSuchKey");
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    assert_eq!(dir.names(), ["keep.txt"]);

    let absent = dir.path("never.txt");
    client(&server)
        .get_object_to_file(&object("missing"), &absent, None)
        .unwrap_err();
    assert!(!absent.exists(), "a failed download creates no file");
    assert_eq!(dir.names(), ["keep.txt"]);
}

#[test]
fn get_object_to_file_with_a_wrong_crc_leaves_the_target_untouched() {
    let server = emulator();
    let client = client(&server);
    put(&client, "crc.bin", b"the new content", &[]);
    let dir = Scratch::new("crc");
    let target = dir.path("crc.bin");
    std::fs::write(&target, b"old").unwrap();
    server.faults().wrong_crc_next(1);
    let error = client
        .get_object_to_file(&object("crc.bin"), &target, None)
        .unwrap_err();
    assert_eq!(error.code, "ClientError:100001");
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    assert_eq!(dir.names(), ["crc.bin"]);
}

#[test]
fn get_object_to_file_of_an_empty_object_makes_an_empty_file() {
    let server = emulator();
    let client = client(&server);
    put(&client, "empty", b"", &[]);
    let dir = Scratch::new("empty");
    let fresh = dir.path("fresh");
    client
        .get_object_to_file(&object("empty"), &fresh, None)
        .unwrap();
    assert_eq!(std::fs::read(&fresh).unwrap(), b"");
    let existing = dir.path("existing");
    std::fs::write(&existing, b"not empty").unwrap();
    client
        .get_object_to_file(&object("empty"), &existing, None)
        .unwrap();
    assert_eq!(std::fs::read(&existing).unwrap(), b"");
    assert_eq!(dir.names(), ["existing", "fresh"]);
}

#[cfg(unix)]
#[test]
fn get_object_to_file_writes_a_device_in_place() {
    let server = emulator();
    let client = client(&server);
    put(&client, "to-null", b"discarded", &[]);
    let meta = client
        .get_object_to_file(&object("to-null"), std::path::Path::new("/dev/null"), None)
        .unwrap();
    assert_eq!(meta.content_length, 9);
    assert!(std::path::Path::new("/dev/null").exists());
}

#[test]
fn get_object_to_file_in_a_missing_directory_names_the_path() {
    let server = emulator();
    let client = client(&server);
    put(&client, "k", b"k", &[]);
    let dir = Scratch::new("nodir");
    let target = dir.path("no/such/dir/out.bin");
    let error = client
        .get_object_to_file(&object("k"), &target, None)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Io);
    assert_eq!(error.code, "ClientError:200023");
    assert!(
        error.message.contains(&target.display().to_string()),
        "{}",
        error.message
    );
    let error = client
        .get_object_to_file(&object("k"), &dir.0, None)
        .unwrap_err();
    assert!(
        error.message.contains("is a directory"),
        "{}",
        error.message
    );
}

/// Serves GET replies that break off after 10 of 100 body bytes for the first `cut`
/// connections, then the whole 100 bytes; counts the requests.
fn flaky_server(cut: usize) -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let body: Vec<u8> = (0..100u8).collect();
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nx-oss-request-id: flaky\r\nConnection: close\r\n\r\n",
            );
            let _ = stream.write_all(if n < cut { &body[..10] } else { &body });
        }
    });
    (port, count)
}

fn client_with_retries(port: u16) -> Client {
    local::client_at(
        &format!("http://127.0.0.1:{port}"),
        ClientConfig {
            retry_scale_ms: 1,
            ..local::config()
        },
    )
}

#[test]
fn get_object_to_file_retries_a_reply_that_broke_off_from_a_clean_file() {
    let (port, requests) = flaky_server(2);
    let dir = Scratch::new("retry");
    let target = dir.path("out");
    client_with_retries(port)
        .get_object_to_file(&object("k"), &target, None)
        .unwrap();
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 3);
    assert_eq!(
        std::fs::read(&target).unwrap(),
        (0..100u8).collect::<Vec<_>>(),
        "the broken attempts' bytes are not in the file"
    );
    assert_eq!(dir.names(), ["out"]);
}

#[test]
fn get_object_to_file_that_keeps_breaking_off_says_how_many_bytes_arrived() {
    let (port, requests) = flaky_server(usize::MAX);
    let dir = Scratch::new("cut");
    let target = dir.path("out");
    std::fs::write(&target, b"previous").unwrap();
    let error = client_with_retries(port)
        .get_object_to_file(&object("k"), &target, None)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Transport);
    assert!(
        error.message.contains("after 10 of 100 body bytes"),
        "{}",
        error.message
    );
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 4);
    assert_eq!(std::fs::read(&target).unwrap(), b"previous");
    assert_eq!(dir.names(), ["out"]);
}

#[test]
fn get_object_to_a_writer_is_not_retried_once_bytes_arrived() {
    let (port, requests) = flaky_server(1);
    let mut out = Vec::new();
    let error = client_with_retries(port)
        .get_object(&object("k"), &mut out, None)
        .unwrap_err();
    assert!(
        error.message.contains("after 10 of 100 body bytes"),
        "{}",
        error.message
    );
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(out, (0..10u8).collect::<Vec<_>>());
}

#[cfg(unix)]
#[test]
fn get_object_to_file_through_a_symbolic_link_replaces_the_linked_file() {
    let server = emulator();
    let client = client(&server);
    put(&client, "linked", b"new bytes", &[]);
    let dir = Scratch::new("symlink");
    let real = dir.path("real.bin");
    std::fs::write(&real, b"old").unwrap();
    let link = dir.path("link.bin");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    client
        .get_object_to_file(&object("linked"), &link, None)
        .unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&real).unwrap(), b"new bytes");
    assert_eq!(dir.names(), ["link.bin", "real.bin"]);
}

#[cfg(unix)]
#[test]
fn get_object_to_file_streams_into_a_fifo_in_place() {
    let server = emulator();
    let client = client(&server);
    let data: Vec<u8> = (0..200_000).map(|i| (i % 241) as u8).collect();
    put(&client, "piped", &data, &[]);
    let dir = Scratch::new("fifo");
    let fifo = dir.path("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; skipped");
        return;
    }
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::read(reader_path).unwrap());
    client
        .get_object_to_file(&object("piped"), &fifo, None)
        .unwrap();
    assert!(reader.join().unwrap() == data, "the reader got the object");
    assert_eq!(dir.names(), ["pipe"], "no temporary file beside the FIFO");
}

#[test]
fn every_operation_signed_with_v1_is_accepted() {
    let server = emulator();
    let client = client_signing(&server, SignatureVersion::V1);
    put(&client, "v1/a b", b"v1", &[]);
    let mut meta = object("v1/a b");
    meta.set_parameter("versionId", Some("null"));
    assert_eq!(client.get_object_meta(&meta).unwrap().content_length, 2);
    let mut list = bucket_request();
    list.set_parameter("prefix", Some("v1/"));
    list.set_parameter("encoding-type", Some("url"));
    assert_eq!(
        client.list_objects(&list).unwrap().contents[0].key,
        "v1/a b"
    );
    let deleted = client
        .delete_objects(&delete_request(&["v1/a b"], false))
        .unwrap();
    assert_eq!(deleted.deleted, ["v1/a b"]);
    let bucket = ObjectRequest::new("v1-bucket", None);
    assert_eq!(client.create_bucket(&bucket).unwrap().http_status, 200);
    assert_eq!(client.delete_bucket(&bucket).unwrap().http_status, 204);
}
