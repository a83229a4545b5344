//! PutObject through the Rust core against the emulator: callbacks, failures, retries,
//! integrity checks, TLS, and a client shared by threads.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use ossffi::callback::{CallbackBodyType, ObjectCallbackBuilder, ObjectCallbackVariableBuilder};
use ossffi::client::Client;
use ossffi::config::{ClientConfig, SignatureVersion};
use ossffi::credentials::{Credentials, CredentialsProvider};
use ossffi::error::{Error, ErrorKind, ObjectStored};
use ossffi::put_object::{Body, PutObjectRequest};
use ossffi_emulator::RunningServer;
use support::callback_receiver::Receiver;
use support::local::{self, AK, SK};

const BUCKET: &str = "e2e-bucket";

fn emulator() -> RunningServer {
    local::emulator(BUCKET)
}

fn client_with(
    server: &RunningServer,
    provider: Arc<dyn CredentialsProvider>,
    config: ClientConfig,
) -> Client {
    Client::new(&local::url(server), provider, config).expect("a valid endpoint")
}

fn client(server: &RunningServer) -> Client {
    local::client_at(&local::url(server), local::config())
}

/// Counts credential requests: one per attempt.
struct CountingCredentials {
    attempts: AtomicU32,
    secret: &'static str,
}

impl CredentialsProvider for CountingCredentials {
    fn credentials(&self) -> Result<Credentials, Error> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        Ok(Credentials::new(AK, self.secret))
    }
}

fn counting(secret: &'static str) -> Arc<CountingCredentials> {
    Arc::new(CountingCredentials {
        attempts: AtomicU32::new(0),
        secret,
    })
}

fn callback_headers(
    receiver: &Receiver,
    body: &str,
    body_type: CallbackBodyType,
) -> (String, String) {
    let callback = ObjectCallbackBuilder {
        url: receiver.url(),
        body: body.into(),
        body_type,
        ..ObjectCallbackBuilder::default()
    };
    let mut vars = ObjectCallbackVariableBuilder::new();
    vars.add("x:var1", "value one").unwrap();
    (callback.build(), vars.build())
}

fn put_bytes<'a>(key: &str, data: &'a [u8]) -> PutObjectRequest<'a> {
    PutObjectRequest::new(BUCKET, key, Body::Bytes(data))
}

fn md5_hex_upper(data: &[u8]) -> String {
    use md5::{Digest, Md5};
    ossffi::encoding::hex_upper(&Md5::digest(data))
}

#[test]
fn form_callback_reaches_a_verifying_receiver_and_its_reply_comes_back() {
    let server = emulator();
    let receiver = Receiver::start();
    let (callback, vars) = callback_headers(
        &receiver,
        "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}",
        CallbackBodyType::Url,
    );
    let data = b"hello callback".to_vec();
    let mut request = put_bytes("dir/photo.jpg", &data);
    request.set_header("x-oss-callback", &callback);
    request.set_header("x-oss-callback-var", &vars);
    let result = client(&server)
        .put_object(&mut request)
        .expect("the upload succeeds");

    assert_eq!(result.http_status, 200);
    assert_eq!(result.body, br#"{"Status":"OK","object":"dir/photo.jpg"}"#);
    assert_eq!(result.etag, md5_hex_upper(&data));
    assert_eq!(result.crc64, ossffi::crc64::crc64(&data));
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].verified, "the callback signature verifies");
    assert_eq!(received[0].request_target, "/oss/callback?from=ossffi-test");
    assert_eq!(
        received[0].form(),
        vec![
            ("bucket".to_owned(), BUCKET.to_owned()),
            ("object".to_owned(), "dir/photo.jpg".to_owned()),
            ("etag".to_owned(), md5_hex_upper(&data)),
            ("size".to_owned(), data.len().to_string()),
            ("mimeType".to_owned(), "image/jpeg".to_owned()),
            ("my_var1".to_owned(), "value one".to_owned()),
        ]
    );
    assert_eq!(server.object_bytes(BUCKET, "dir/photo.jpg").unwrap(), data);
}

#[test]
fn json_callback_body_is_rendered_as_json() {
    let server = emulator();
    let receiver = Receiver::start();
    let (callback, vars) = callback_headers(
        &receiver,
        r#"{"bucket":${bucket},"object":${object},"var":${x:var1}}"#,
        CallbackBodyType::Json,
    );
    let mut request = put_bytes("notes.txt", b"{}");
    request.set_header("x-oss-callback", &callback);
    request.set_header("x-oss-callback-var", &vars);
    let result = client(&server)
        .put_object(&mut request)
        .expect("the upload succeeds");
    assert!(!result.body.is_empty());
    let received = receiver.received();
    assert!(received[0].verified);
    assert_eq!(received[0].header("content-type"), Some("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&received[0].body).expect("a JSON body");
    assert_eq!(json["bucket"], BUCKET);
    assert_eq!(json["object"], "notes.txt");
    assert_eq!(json["var"], "value one");
}

#[test]
fn a_dead_receiver_gives_callback_failed_and_the_object_is_stored() {
    let server = emulator();
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/cb", dead.local_addr().unwrap());
    drop(dead);
    let callback = ObjectCallbackBuilder::new(dead_url, "object=${object}").build();
    let provider = counting(SK);
    let mut request = put_bytes("kept.bin", b"stored anyway");
    request.set_header("x-oss-callback", &callback);
    let error = client_with(&server, provider.clone(), local::config())
        .put_object(&mut request)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::CallbackFailed);
    assert_eq!(error.code, "CallbackFailed");
    assert_eq!(error.http_status, 203);
    assert_eq!(error.object_stored, ObjectStored::Yes);
    assert!(
        error.message.contains("the object was stored"),
        "{}",
        error.message
    );
    assert!(!error.request_id.is_empty());
    assert_eq!(
        provider.attempts.load(Ordering::SeqCst),
        1,
        "a failed callback is not retried"
    );
    assert_eq!(
        server.object_bytes(BUCKET, "kept.bin").unwrap(),
        b"stored anyway"
    );
}

#[test]
fn a_wrong_crc_from_the_server_is_client_error_100001() {
    let server = emulator();
    server.faults().wrong_crc_next(1);
    let mut request = put_bytes("crc.bin", b"integrity matters");
    let error = client(&server).put_object(&mut request).unwrap_err();
    assert_eq!(error.kind, ErrorKind::CrcMismatch);
    assert_eq!(error.code, "ClientError:100001");
    assert!(
        error
            .message
            .starts_with("Crc64 validation failed. Expected hash:")
            && error.message.contains(&format!(
                "not equal to calculated hash:{}. Transferd bytes:17. RequestId:",
                ossffi::crc64::crc64(b"integrity matters")
            )),
        "{}",
        error.message
    );
    assert_eq!(error.object_stored, ObjectStored::Yes);
}

#[test]
fn crc_checking_can_be_turned_off() {
    let server = emulator();
    server.faults().wrong_crc_next(1);
    let config = ClientConfig {
        enable_crc64: false,
        ..local::config()
    };
    let client = local::client_at(&local::url(&server), config);
    client
        .put_object(&mut put_bytes("nocrc.bin", b"x"))
        .expect("no CRC check, no error");
}

#[test]
fn two_503s_then_success_store_exactly_one_object() {
    let server = emulator();
    server.faults().fail_next(2, 503);
    let provider = counting(SK);
    let data = vec![7u8; 100_000];
    let result = client_with(&server, provider.clone(), local::config())
        .put_object(&mut put_bytes("retried.bin", &data))
        .expect("the third attempt succeeds");
    assert_eq!(provider.attempts.load(Ordering::SeqCst), 3);
    assert_eq!(result.etag, md5_hex_upper(&data));
    assert_eq!(server.object_bytes(BUCKET, "retried.bin").unwrap(), data);
}

#[test]
fn an_upload_with_a_callback_whose_answer_is_lost_is_not_sent_again() {
    let server = emulator();
    let receiver = Receiver::start();
    // OSS stores the object and makes the callback; its answer then comes too late.
    server
        .faults()
        .stall_next(1, std::time::Duration::from_millis(1500));
    let callback = ObjectCallbackBuilder::new(receiver.url(), "object=${object}").build();
    let mut request = put_bytes("once.bin", b"called back once");
    request.set_header("x-oss-callback", &callback);
    let config = ClientConfig {
        request_timeout_ms: 500,
        ..local::config()
    };
    let client = local::client_at(&local::url(&server), config);
    let error = client.put_object(&mut request).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Timeout);
    assert_eq!(error.object_stored, ObjectStored::Unknown);
    assert_eq!(server.faults().requests_seen(), 1, "not sent again");
    assert_eq!(receiver.received().len(), 1, "one callback");
    assert_eq!(
        server.object_bytes(BUCKET, "once.bin").unwrap(),
        b"called back once"
    );
}

#[test]
fn an_upload_without_a_callback_whose_answer_is_lost_is_sent_again() {
    let server = emulator();
    server
        .faults()
        .stall_next(1, std::time::Duration::from_millis(1500));
    let config = ClientConfig {
        request_timeout_ms: 500,
        ..local::config()
    };
    let client = local::client_at(&local::url(&server), config);
    client
        .put_object(&mut put_bytes("twice.bin", b"same bytes"))
        .expect("the second attempt succeeds");
    assert_eq!(server.faults().requests_seen(), 2);
    assert_eq!(
        server.object_bytes(BUCKET, "twice.bin").unwrap(),
        b"same bytes"
    );
}

#[test]
fn a_connection_dropped_mid_body_is_retried_from_a_file() {
    let server = emulator();
    server.faults().drop_next(1);
    let dir = std::env::temp_dir().join(format!("ossffi-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("dropped.bin");
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let provider = counting(SK);
    let mut request = PutObjectRequest::new(BUCKET, "dropped.bin", Body::File(path.clone()));
    client_with(&server, provider.clone(), local::config())
        .put_object(&mut request)
        .expect("the retry succeeds");
    assert_eq!(provider.attempts.load(Ordering::SeqCst), 2);
    assert_eq!(server.object_bytes(BUCKET, "dropped.bin").unwrap(), data);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_wrong_secret_is_signature_does_not_match_without_retries() {
    let server = emulator();
    let provider = counting("not-the-secret");
    let error = client_with(&server, provider.clone(), local::config())
        .put_object(&mut put_bytes("denied.txt", b"x"))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.code, "SignatureDoesNotMatch");
    assert_eq!(error.http_status, 403);
    assert_eq!(error.object_stored, ObjectStored::No);
    assert!(String::from_utf8_lossy(&error.body).contains("<StringToSign>"));
    assert_eq!(provider.attempts.load(Ordering::SeqCst), 1);
    assert!(!server.object_exists(BUCKET, "denied.txt"));
}

#[test]
fn v1_signatures_are_accepted() {
    let server = emulator();
    let config = ClientConfig {
        signature_version: SignatureVersion::V1,
        region: String::new(),
        ..local::config()
    };
    let client = local::client_at(&local::url(&server), config);
    client
        .put_object(&mut put_bytes("v1/key with space+plus.txt", b"v1"))
        .expect("V1 works");
    assert!(server.object_exists(BUCKET, "v1/key with space+plus.txt"));
}

#[test]
fn v4_without_a_region_fails_before_any_request() {
    let server = emulator();
    let provider = counting(SK);
    let config = ClientConfig {
        region: String::new(),
        ..local::config()
    };
    let error = client_with(&server, provider.clone(), config)
        .put_object(&mut put_bytes("x.txt", b"x"))
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidConfig);
    assert!(error.message.contains("region"), "{}", error.message);
    assert_eq!(provider.attempts.load(Ordering::SeqCst), 0);
}

#[test]
fn invalid_bucket_and_key_are_validate_errors_with_the_sdk_messages() {
    let server = emulator();
    let client = client(&server);
    let error = client
        .put_object(&mut PutObjectRequest::new(
            "Bad_Bucket",
            "k",
            Body::Bytes(b""),
        ))
        .unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_str()),
        (ErrorKind::Validate, "ValidateError")
    );
    assert!(error.message.starts_with("The bucket name is invalid."));
    let error = client
        .put_object(&mut PutObjectRequest::new(BUCKET, "\\k", Body::Bytes(b"")))
        .unwrap_err();
    assert!(error.message.starts_with("The object key is invalid."));
}

#[test]
fn a_missing_file_is_a_validate_error_naming_it() {
    let server = emulator();
    let mut request =
        PutObjectRequest::new(BUCKET, "k", Body::File("/nonexistent/ossffi.bin".into()));
    let error = client(&server).put_object(&mut request).unwrap_err();
    assert_eq!(error.code, "ValidateError");
    assert!(
        error.message.contains("/nonexistent/ossffi.bin"),
        "{}",
        error.message
    );
}

#[test]
fn content_type_is_guessed_from_the_key_and_headers_round_trip() {
    let server = emulator();
    let mut request = put_bytes("page.html", b"<p>");
    request.set_header("Cache-Control", "no-cache");
    request.set_user_metadata("Author", "alice");
    client(&server).put_object(&mut request).unwrap();
    let meta = server.object_meta(BUCKET, "page.html").unwrap();
    assert_eq!(meta.content_type, "text/html");
    let debug = format!("{meta:?}");
    assert!(
        debug.contains("alice") && debug.contains("no-cache"),
        "{debug}"
    );
}

#[test]
fn computed_content_md5_is_sent_and_checked() {
    let server = emulator();
    let mut request = put_bytes("md5.bin", b"checked by the server");
    request.compute_content_md5 = true;
    client(&server)
        .put_object(&mut request)
        .expect("a correct Content-MD5 is accepted");
    let mut wrong = put_bytes("md5-wrong.bin", b"checked by the server");
    wrong.set_header("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==");
    let error = client(&server).put_object(&mut wrong).unwrap_err();
    assert_eq!(error.code, "InvalidDigest");
    assert!(!server.object_exists(BUCKET, "md5-wrong.bin"));
}

#[test]
fn progress_reports_every_byte_and_can_cancel() {
    let server = emulator();
    let data = vec![1u8; 5_000_000];
    let mut calls = Vec::new();
    let mut record = |increment: u64, transferred: u64, total: u64| {
        calls.push((increment, transferred, total));
        Ok(())
    };
    let mut request = put_bytes("progress.bin", &data);
    request.progress = Some(&mut record);
    client(&server).put_object(&mut request).unwrap();
    assert!(calls.len() > 1);
    assert_eq!(calls.iter().map(|c| c.0).sum::<u64>(), 5_000_000);
    assert_eq!(calls.last().unwrap().1, 5_000_000);
    assert!(calls.iter().all(|c| c.2 == 5_000_000));

    let mut cancel = |_: u64, transferred: u64, _: u64| {
        if transferred > 1_000_000 {
            Err(42)
        } else {
            Ok(())
        }
    };
    let mut request = put_bytes("cancelled.bin", &data);
    request.progress = Some(&mut cancel);
    let error = client(&server).put_object(&mut request).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Aborted);
    assert_eq!(error.code, "ClientError:200042");
    assert!(error.message.contains("returned 42"), "{}", error.message);
    assert_eq!(
        error.object_stored,
        ObjectStored::No,
        "the body was cut short"
    );
    assert!(!server.object_exists(BUCKET, "cancelled.bin"));

    // A cancel that comes after the last chunk: the server has every byte and stores the
    // object, so the error cannot say it was not stored.
    let small = b"one chunk";
    let mut late = |_: u64, _: u64, _: u64| Err(43);
    let mut request = put_bytes("late-cancel.bin", small);
    request.progress = Some(&mut late);
    let error = client(&server).put_object(&mut request).unwrap_err();
    assert_eq!(error.code, "ClientError:200042");
    assert_eq!(error.object_stored, ObjectStored::Unknown, "{error}");
    assert!(
        error.message.contains("whole body was sent"),
        "{}",
        error.message
    );
}

#[test]
fn eight_threads_share_one_client() {
    let server = emulator();
    let client = Arc::new(client(&server));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                for i in 0..200 {
                    let data = format!("thread {t} object {i}").into_bytes();
                    let key = format!("threads/{t}/{i}.txt");
                    let result = client
                        .put_object(&mut put_bytes(&key, &data))
                        .expect("upload");
                    assert_eq!(result.etag, md5_hex_upper(&data));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no thread panicked");
    }
    for t in 0..8 {
        for i in 0..200 {
            let expected = format!("thread {t} object {i}").into_bytes();
            assert_eq!(
                server
                    .object_bytes(BUCKET, &format!("threads/{t}/{i}.txt"))
                    .unwrap(),
                expected
            );
        }
    }
}

#[test]
fn an_unreachable_server_is_a_connect_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let config = ClientConfig {
        max_retries: 1,
        ..local::config()
    };
    let client = local::client_at(&endpoint, config);
    let error = client.put_object(&mut put_bytes("k", b"x")).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Connect);
    assert_eq!(error.code, "ClientError:200007");
    assert_eq!(error.object_stored, ObjectStored::No);
}

#[test]
fn a_silent_server_times_out_instead_of_hanging() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", silent.local_addr().unwrap());
    let config = ClientConfig {
        request_timeout_ms: 300,
        max_retries: 0,
        ..local::config()
    };
    let client = local::client_at(&endpoint, config);
    let error = client.put_object(&mut put_bytes("k", b"x")).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Timeout);
    assert_eq!(error.code, "ClientError:200028");
    assert_eq!(error.object_stored, ObjectStored::Unknown);
    drop(silent);
}

#[test]
fn debug_logs_name_each_attempt_and_never_the_secret() {
    let lines = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&lines);
    ossffi::log::set_sink(Some(Arc::new(move |_, line: &str| {
        sink.lock().unwrap().push(line.to_owned())
    })));
    ossffi::log::set_level(ossffi::log::LogLevel::Debug);
    let server = emulator();
    client(&server)
        .put_object(&mut put_bytes("logged.txt", b"log me"))
        .unwrap();
    ossffi::log::reset();
    let lines = lines.lock().unwrap();
    assert!(
        lines.iter().any(|l| l.starts_with("PUT http://")
            && l.contains("/logged.txt (6 bytes, attempt 1): HTTP 200")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .all(|l| !l.contains(SK) && !l.contains("Signature=")),
        "{lines:?}"
    );
}

#[test]
fn a_pooled_connection_the_server_closed_is_not_reused() {
    use std::io::{Read, Write};
    // Answers one request per connection with keep-alive headers, then closes the connection:
    // the client must notice before reusing it, since with no retries a stale one would fail.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicU32::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            let mut seen = Vec::new();
            let mut chunk = [0u8; 1024];
            while !seen.ends_with(b"x") {
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&chunk[..n]),
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nx-oss-request-id: R\r\n\r\n");
        }
    });
    let config = ClientConfig {
        max_retries: 0,
        enable_crc64: false,
        ..local::config()
    };
    let client = local::client_at(&format!("http://127.0.0.1:{port}"), config);
    for _ in 0..3 {
        client
            .put_object(&mut put_bytes("k", b"x"))
            .expect("each upload finds a live connection");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

/// A server that answers every request with `reply`, verbatim, then closes.
fn answering_with(reply: &'static [u8]) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut chunk = [0u8; 4096];
            let _ = stream.read(&mut chunk);
            let _ = stream.write_all(reply);
        }
    });
    endpoint
}

fn put_to(endpoint: &str) -> Error {
    let config = ClientConfig {
        max_retries: 0,
        ..local::config()
    };
    let client = local::client_at(endpoint, config);
    client.put_object(&mut put_bytes("k", b"x")).unwrap_err()
}

#[test]
fn a_reply_that_is_not_http_is_a_clear_transport_error() {
    let error = put_to(&answering_with(b"SSH-2.0-OpenSSH_9.2\r\n\r\n"));
    assert_eq!(error.kind, ErrorKind::Transport);
    assert_eq!(error.code, "ClientError:200008");
    assert!(
        error
            .message
            .starts_with("Weird server reply. (malformed HTTP response:"),
        "{}",
        error.message
    );
    assert_eq!(error.object_stored, ObjectStored::Unknown);
}

#[test]
fn an_error_reply_that_is_not_oss_xml_is_a_parse_error_keeping_the_body() {
    let error = put_to(&answering_with(
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 21\r\nx-oss-request-id: RID\r\n\r\n<html>gateway</html>\n",
    ));
    assert_eq!(error.kind, ErrorKind::Parse);
    assert_eq!(error.code, "ParseXMLError");
    assert_eq!(error.http_status, 502);
    assert_eq!(error.request_id, "RID");
    assert_eq!(error.body, b"<html>gateway</html>\n");
}

#[test]
fn a_bodiless_error_reply_is_server_error_with_its_status() {
    let error = put_to(&answering_with(
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
    ));
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.code, "ServerError:404");
    assert_eq!(error.http_status, 404);
}
