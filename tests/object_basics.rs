//! HeadObject and DeleteObject through the Rust core's pipeline against the emulator: each a
//! small declaration, signed with V4 and V1 like PutObject, with OSS's errors read the same way.

use std::sync::Arc;

use ossffi::client::Client;
use ossffi::config::{ClientConfig, SignatureVersion};
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::error::ErrorKind;
use ossffi::put_object::{Body, PutObjectRequest};
use ossffi_emulator::{Config, RunningServer, Server};

const AK: &str = "LTAI5tTestAccessKey01";
const SK: &str = "TestSecretKeyForTheEmulator0001";
const BUCKET: &str = "basics-bucket";

fn emulator() -> RunningServer {
    Server::start(
        Config::new(AK, SK)
            .with_bucket(BUCKET)
            .with_region("cn-hangzhou"),
    )
    .expect("the emulator starts")
}

fn client_signing(server: &RunningServer, signature_version: SignatureVersion) -> Client {
    let config = ClientConfig {
        region: "cn-hangzhou".into(),
        retry_scale_ms: 10,
        signature_version,
        ..ClientConfig::default()
    };
    Client::new(
        &format!("http://{}", server.addr()),
        Arc::new(StaticCredentials(Credentials::new(AK, SK))),
        config,
    )
    .expect("a valid endpoint")
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

    let meta = client.head_object(BUCKET, "dir/head.txt").unwrap();
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
        client.head_object(BUCKET, "v1.txt").unwrap().content_length,
        2
    );
}

#[test]
fn head_object_of_a_missing_key_is_no_such_key_from_the_x_oss_err_header() {
    let server = emulator();
    let error = client(&server).head_object(BUCKET, "missing").unwrap_err();
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.http_status, 404);
    assert_eq!(error.code, "NoSuchKey");
    assert!(!error.request_id.is_empty());
}

#[test]
fn head_object_in_a_missing_bucket_is_no_such_bucket() {
    let server = emulator();
    let error = client(&server)
        .head_object("no-such-bucket", "key")
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
        .head_object("Bad_Bucket", "key")
        .unwrap_err();
    assert_eq!(error.code, "ValidateError");
    let error = client(&server).head_object(BUCKET, "").unwrap_err();
    assert_eq!(error.code, "ValidateError");
}

#[test]
fn delete_object_removes_the_object() {
    let server = emulator();
    let client = client(&server);
    put(&client, "gone.bin", b"soon gone", &[]);

    let result = client.delete_object(BUCKET, "gone.bin").unwrap();
    assert_eq!(result.http_status, 204);
    assert!(!result.request_id.is_empty());
    assert!(!result.delete_marker);
    assert!(server.object_bytes(BUCKET, "gone.bin").is_none());
    let error = client.head_object(BUCKET, "gone.bin").unwrap_err();
    assert_eq!(error.code, "NoSuchKey");
}

#[test]
fn delete_object_of_a_missing_key_succeeds_as_on_oss() {
    let server = emulator();
    let result = client(&server)
        .delete_object(BUCKET, "never-there")
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
            .delete_object(BUCKET, "v1-delete.txt")
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
        .delete_object("no-such-bucket", "key")
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
        .get_object_to(BUCKET, "big.bin", &mut out, Some(&mut progress))
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
        .get_object_to(BUCKET, "missing", &mut out, None)
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
        .get_object_to(BUCKET, "crc.bin", &mut out, None)
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
        .get_object_to(BUCKET, "full.bin", &mut out, None)
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
        .get_object_to(BUCKET, "stop.bin", &mut out, Some(&mut progress))
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
    let client = Client::new(
        &format!("http://127.0.0.1:{port}"),
        Arc::new(StaticCredentials(Credentials::new(AK, SK))),
        ClientConfig {
            region: "cn-hangzhou".into(),
            retry_scale_ms: 10,
            ..ClientConfig::default()
        },
    )
    .unwrap();
    let mut out = Vec::new();
    let error = client
        .get_object_to(BUCKET, "cut.bin", &mut out, None)
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
        .get_object_to(BUCKET, "nine.bin", &mut out, None)
        .unwrap();
    assert_eq!(out.bytes, data.len() as u64);
    assert_eq!(out.crc.value(), ossffi::crc64::crc64(&data));
    assert_eq!(meta.content_length, data.len() as u64);
}
