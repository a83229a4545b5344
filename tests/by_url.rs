//! PutObjectByUrl and GetObjectByUrl (`cpp-sdk-surface-2.md` 4.6 to 4.8): uploads and downloads
//! through URLs presigned by `Client::generate_presigned_url`, against the emulator (which
//! verifies the URL's signature and performs its callback) and a recording server (the exact
//! wire form: no Authorization, no Date, no default Content-Type).

mod support;

use std::net::TcpListener;
use std::sync::Arc;

use ossffi::client::Client;
use ossffi::config::{ClientConfig, SignatureVersion};
use ossffi::credentials::StaticCredentials;
use ossffi::encoding::base64_encode;
use ossffi::error::{ErrorKind, ObjectStored};
use ossffi::object::ObjectRequest;
use ossffi::put_object::Body;
use ossffi::signing::Credentials;
use ossffi::signing::presign::PresignRequest;
use ossffi_emulator::RunningServer;

const AK: &str = "LTAI5tByUrlTestKey";
const SK: &str = "by-url-test-secret-not-real";
const BUCKET: &str = "by-url-bucket";
const REGION: &str = "cn-hangzhou";

fn emulator() -> RunningServer {
    ossffi_emulator::Server::start(
        ossffi_emulator::Config::new(AK, SK)
            .with_bucket(BUCKET)
            .with_region(REGION),
    )
    .expect("the emulator starts")
}

fn client_for(endpoint: &str, version: SignatureVersion, credentials: Credentials) -> Client {
    Client::new(
        endpoint,
        Arc::new(StaticCredentials(credentials)),
        ClientConfig {
            region: REGION.into(),
            retry_scale_ms: 10,
            signature_version: version,
            ..ClientConfig::default()
        },
    )
    .expect("a valid endpoint")
}

fn signer(server: &RunningServer, version: SignatureVersion) -> Client {
    client_for(
        &format!("http://{}", server.addr()),
        version,
        Credentials::new(AK, SK),
    )
}

/// A client that never signs anything itself: only a URL someone else signed gets it in.
fn uploader(server: &RunningServer) -> Client {
    client_for(
        &format!("http://{}", server.addr()),
        SignatureVersion::V1,
        Credentials::new("", ""),
    )
}

fn presign(
    signer: &Client,
    method: &str,
    key: &str,
    edit: impl FnOnce(&mut PresignRequest),
) -> String {
    let mut request = PresignRequest::new(BUCKET, key, ossffi::time::now_unix() + 600);
    request.method = method.into();
    edit(&mut request);
    signer
        .generate_presigned_url(&request)
        .expect("the URL is signed")
}

fn callback_json(url: &str) -> String {
    format!(
        r#"{{"callbackUrl":"{url}","callbackBody":"bucket=${{bucket}}&object=${{object}}&size=${{size}}&crc=${{crc64}}&who=${{x:who}}","callbackBodyType":"application/x-www-form-urlencoded"}}"#
    )
}

#[test]
fn a_presigned_put_with_a_callback_returns_the_receivers_reply_and_the_get_returns_the_bytes() {
    let server = emulator();
    let receiver = support::callback_receiver::Receiver::start();
    for version in [SignatureVersion::V1, SignatureVersion::V4] {
        let signer = signer(&server, version);
        let key = format!("by-url/{version:?}/a b+c.bin");
        let data = support::pattern(300_000, 3);
        let url = presign(&signer, "PUT", &key, |r| {
            r.set_header("Content-Type", "application/octet-stream");
            r.set_user_metadata("Author", "by-url");
            r.set_callback(
                &base64_encode(callback_json(&receiver.url()).as_bytes()),
                &base64_encode(br#"{"x:who":"app"}"#),
            );
        });
        let mut request = ObjectRequest::for_url(&url);
        request.set_header("Content-Type", "application/octet-stream");
        request.set_header("x-oss-meta-author", "by-url");
        let mut progress_calls = 0u64;
        let mut last = (0, 0);
        let mut progress = |_: u64, sent: u64, total: u64| {
            progress_calls += 1;
            last = (sent, total);
            Ok(())
        };
        let result = uploader(&server)
            .put_object_by_url(&request, &mut Body::Bytes(&data), Some(&mut progress))
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        assert!(progress_calls > 0);
        assert_eq!(last, (data.len() as u64, data.len() as u64));
        assert_eq!(result.http_status, 200);
        assert_eq!(
            String::from_utf8_lossy(&result.body),
            format!("{{\"Status\":\"OK\",\"object\":\"{key}\"}}"),
            "{version:?}: the callback server's reply is the result's body"
        );
        assert_eq!(result.crc64, ossffi::crc64::crc64(&data));
        assert!(!result.request_id.is_empty());
        let stored = server.object_meta(BUCKET, &key).expect("stored");
        assert_eq!(result.etag, stored.etag.trim_matches('"'));
        assert_eq!(server.object_bytes(BUCKET, &key).unwrap(), data);

        let callback = receiver.received().last().cloned().expect("a callback");
        let form = callback.form();
        assert!(form.contains(&("who".into(), "app".into())), "{form:?}");
        assert!(form.contains(&("object".into(), key.clone())), "{form:?}");
        assert!(
            form.contains(&("size".into(), data.len().to_string())),
            "{form:?}"
        );

        // GET through a presigned URL: into memory, then into a file.
        let get = ObjectRequest::for_url(&presign(&signer, "GET", &key, |_| {}));
        let mut body = Vec::new();
        let meta = uploader(&server)
            .get_object_by_url(&get, &mut body, None)
            .expect("the download succeeds");
        assert_eq!(body, data);
        assert_eq!(meta.etag, result.etag);
        assert_eq!(meta.crc64, result.crc64);
        assert_eq!(meta.user_metadata, [("author".into(), "by-url".into())]);
        let path = std::env::temp_dir().join(format!(
            "ossffi-by-url-{}-{version:?}.bin",
            std::process::id()
        ));
        uploader(&server)
            .get_object_by_url_to_file(&get, &path, None)
            .expect("the download to a file succeeds");
        assert_eq!(std::fs::read(&path).unwrap(), data);
        std::fs::remove_file(&path).unwrap();
    }
    assert_eq!(receiver.received().len(), 2);
}

#[test]
fn a_range_header_fetches_part_of_the_object_through_a_get_url() {
    let server = emulator();
    let signer = signer(&server, SignatureVersion::V4);
    let data = support::pattern(1000, 9);
    let put = ObjectRequest::for_url(&presign(&signer, "PUT", "ranged", |_| {}));
    uploader(&server)
        .put_object_by_url(&put, &mut Body::Bytes(&data), None)
        .expect("stored");
    let mut get = ObjectRequest::for_url(&presign(&signer, "GET", "ranged", |_| {}));
    get.set_range(100, 199, false).unwrap();
    let mut body = Vec::new();
    let meta = uploader(&server)
        .get_object_by_url(&get, &mut body, None)
        .expect("a ranged download");
    assert_eq!(meta.http_status, 206);
    assert_eq!(body, &data[100..200]);
}

#[test]
fn without_a_callback_the_result_has_no_body() {
    let server = emulator();
    let signer = signer(&server, SignatureVersion::V1);
    let put = ObjectRequest::for_url(&presign(&signer, "PUT", "plain", |_| {}));
    let result = uploader(&server)
        .put_object_by_url(&put, &mut Body::Bytes(b"plain bytes"), None)
        .expect("stored");
    assert!(result.body.is_empty());
    assert_eq!(
        server.object_bytes(BUCKET, "plain").unwrap(),
        b"plain bytes"
    );
}

/// The SDK's negative callback tests (PutPreSignedCallbackNegativeTest and the PutObject ones)
/// through a URL: a callback that is not base64, not JSON, or whose server is down.
#[test]
fn bad_callbacks_in_the_url_give_osss_errors() {
    let server = emulator();
    let signer = signer(&server, SignatureVersion::V4);
    let upload = |key: &str, callback: &str| {
        let url = presign(&signer, "PUT", key, |r| r.set_callback(callback, ""));
        uploader(&server).put_object_by_url(
            &ObjectRequest::for_url(&url),
            &mut Body::Bytes(b"data"),
            None,
        )
    };

    let error = upload("not-base64", "error argument").unwrap_err();
    assert_eq!(error.code, "InvalidArgument");
    assert_eq!(
        error.message,
        "The callback configuration is not base64 encoded."
    );
    assert_eq!(error.http_status, 400);
    assert!(!server.object_exists(BUCKET, "not-base64"));

    let error = upload("not-json", &base64_encode(b"error argument")).unwrap_err();
    assert_eq!(error.code, "InvalidArgument");
    assert_eq!(
        error.message,
        "The callback configuration is not json format."
    );
    assert!(!server.object_exists(BUCKET, "not-json"));

    let dead = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/callback", listener.local_addr().unwrap())
    };
    let error = upload(
        "dead-receiver",
        &base64_encode(callback_json(&dead).as_bytes()),
    )
    .unwrap_err();
    assert_eq!(error.code, "CallbackFailed", "{error}");
    assert_eq!(error.kind, ErrorKind::CallbackFailed);
    assert_eq!(error.http_status, 203);
    assert!(!error.request_id.is_empty());
    assert_eq!(error.object_stored, ObjectStored::Yes);
    assert!(server.object_exists(BUCKET, "dead-receiver"));
}

#[test]
fn an_expired_url_is_access_denied_for_put_and_get() {
    let server = emulator();
    let signer = signer(&server, SignatureVersion::V1);
    let expired = |method: &str| {
        let mut request = PresignRequest::new(BUCKET, "late", ossffi::time::now_unix() - 60);
        request.method = method.into();
        ObjectRequest::for_url(&signer.generate_presigned_url(&request).unwrap())
    };
    let error = uploader(&server)
        .put_object_by_url(&expired("PUT"), &mut Body::Bytes(b"x"), None)
        .unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.http_status),
        ("AccessDenied", 403)
    );
    assert!(error.message.contains("expired"), "{}", error.message);
    assert!(!server.object_exists(BUCKET, "late"));
    let error = uploader(&server)
        .get_object_by_url(&expired("GET"), &mut Vec::new(), None)
        .unwrap_err();
    assert_eq!(error.code, "AccessDenied");
}

#[test]
fn a_header_the_url_was_not_signed_with_is_signature_does_not_match() {
    let server = emulator();
    let signer = signer(&server, SignatureVersion::V1);
    let mut request = ObjectRequest::for_url(&presign(&signer, "PUT", "k", |_| {}));
    request.set_header("Content-Type", "text/plain");
    let error = uploader(&server)
        .put_object_by_url(&request, &mut Body::Bytes(b"x"), None)
        .unwrap_err();
    assert_eq!(error.code, "SignatureDoesNotMatch");
}

#[test]
fn a_server_error_is_retried_with_the_body_sent_again() {
    let server = emulator();
    let signer = signer(&server, SignatureVersion::V4);
    let url = presign(&signer, "PUT", "retried", |_| {});
    server.faults().fail_next(2, 503);
    let data = support::pattern(70_000, 5);
    uploader(&server)
        .put_object_by_url(&ObjectRequest::for_url(&url), &mut Body::Bytes(&data), None)
        .expect("the third attempt succeeds");
    assert_eq!(server.object_bytes(BUCKET, "retried").unwrap(), data);
}

#[test]
fn the_request_goes_out_as_given_unsigned_without_date_or_default_content_type() {
    let (port, requests) = support::recording_server::start(
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nETag: \"E\"\r\nConnection: close\r\n\r\n",
    );
    let client = client_for(
        "http://127.0.0.1:1",
        SignatureVersion::V4,
        Credentials::new(AK, SK),
    );
    let url = format!(
        "HTTP://127.0.0.1:{port}/dir%2Fa%20b?Expires=1700000000&OSSAccessKeyId=AK&Signature=a%2Bb%3D"
    );
    let mut request = ObjectRequest::for_url(&url);
    request.set_header("x-oss-meta-Author", "oss");
    request.set_header("Content-MD5", "");
    let result = client
        .put_object_by_url(&request, &mut Body::Bytes(b"hello"), None)
        .expect("the recording server says 200");
    assert_eq!(result.etag, "E");
    let sent = requests.recv().unwrap();
    let head = sent.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
    assert!(
        sent.starts_with(
            "PUT /dir%2Fa%20b?Expires=1700000000&OSSAccessKeyId=AK&Signature=a%2Bb%3D HTTP/1.1\r\n"
        ),
        "{sent}"
    );
    assert!(
        head.contains(&format!("\r\nhost: 127.0.0.1:{port}")),
        "{sent}"
    );
    assert!(head.contains("\r\nx-oss-meta-author: oss"), "{sent}");
    assert!(head.contains("\r\ncontent-length: 5"), "{sent}");
    assert!(head.contains("\r\nuser-agent: "), "{sent}");
    for absent in [
        "authorization",
        "date",
        "content-type",
        "content-md5",
        "x-oss-date",
    ] {
        assert!(
            !head.contains(&format!("\r\n{absent}:")),
            "{absent} must not be sent: {sent}"
        );
    }
    assert!(sent.ends_with("\r\n\r\nhello"), "{sent}");
}

#[test]
fn requests_are_checked_for_the_operation_they_are_given_to() {
    let client = client_for(
        "http://127.0.0.1:1",
        SignatureVersion::V1,
        Credentials::new(AK, SK),
    );
    let by_bucket = ObjectRequest::new(BUCKET, Some("k"));
    let error = client
        .put_object_by_url(&by_bucket, &mut Body::Bytes(b""), None)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert!(error.message.contains("needs a presigned URL"), "{error}");

    let by_url = ObjectRequest::for_url("http://127.0.0.1:1/k?Expires=1");
    let error = client
        .get_object(&by_url, &mut Vec::new(), None)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert!(
        error
            .message
            .contains("only PutObjectByUrl and GetObjectByUrl"),
        "{error}"
    );

    let mut with_parameter = by_url.clone();
    with_parameter.set_parameter("versionId", Some("v"));
    let error = client
        .get_object_by_url(&with_parameter, &mut Vec::new(), None)
        .unwrap_err();
    assert!(
        error.message.contains("part of the presigned URL"),
        "{error}"
    );

    for url in [
        "",
        "my-bucket.example.com/k",
        "http://bad host/k",
        "http://h/a b",
    ] {
        let error = client
            .get_object_by_url(&ObjectRequest::for_url(url), &mut Vec::new(), None)
            .unwrap_err();
        assert_eq!(error.code, "ClientError:200003", "{url:?}: {error}");
    }
}

#[test]
fn an_unreachable_url_is_a_connection_error_and_nothing_is_stored() {
    let client = client_for(
        "http://127.0.0.1:1",
        SignatureVersion::V1,
        Credentials::new(AK, SK),
    );
    let dead = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = client
        .put_object_by_url(
            &ObjectRequest::for_url(&format!("http://127.0.0.1:{dead}/k?Expires=1")),
            &mut Body::Bytes(b"x"),
            None,
        )
        .unwrap_err();
    assert_eq!(error.code, "ClientError:200007", "{error}");
    assert_eq!(error.object_stored, ObjectStored::No);
}
