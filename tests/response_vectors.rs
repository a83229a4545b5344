//! The client's reading of OSS replies, against every canned response in
//! ../shared/vectors/response_handling.json (what alibabacloud-oss-v2 makes of each). ossffi
//! follows the SDK everywhere except where it follows the C++ SDK on purpose: a 203 to an upload
//! with a callback is the error CallbackFailed (the object stored), not a success.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::error::{ErrorKind, ObjectStored};
use ossffi::put_object::{Body, PutObjectRequest};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/response_handling.json"
    );
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the vectors exist")).unwrap();
    file["vectors"].as_array().expect("a vector list").clone()
}

/// Serves `response` (status, headers, body as recorded) to every request, after reading it.
fn canned_server(response: &Value) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let status = response["status"].as_u64().unwrap();
    let reason = response["reason"].as_str().unwrap_or("");
    let body = response["body"].as_str().unwrap_or("").to_owned();
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for pair in response["headers"].as_array().unwrap() {
        head.push_str(&format!(
            "{}: {}\r\n",
            pair[0].as_str().unwrap(),
            pair[1].as_str().unwrap()
        ));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut seen = Vec::new();
            let mut chunk = [0u8; 4096];
            // The request head, then its Content-Length body (these uploads are 9 bytes).
            while let Ok(n) = stream.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&chunk[..n]);
                if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                    let text = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
                    let length: usize = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map_or(0, |v| v.trim().parse().unwrap());
                    if seen.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    port
}

fn field<'v>(value: &'v Value, name: &str) -> &'v str {
    value[name].as_str().unwrap_or("")
}

#[test]
fn every_canned_response_is_read_as_the_sdks_read_it() {
    let vectors = vectors();
    assert!(
        vectors.len() >= 10,
        "the vector file holds the canned responses"
    );
    // The uploads' body: the vectors' ETag and CRC are those of "Hello OSS".
    let body = b"Hello OSS";
    let mut checked = 0;
    for vector in &vectors {
        let id = field(vector, "id");
        let input = &vector["input"];
        let expected = &vector["expected"]["sdk_outcome"];
        let port = canned_server(&input["http_response"]);
        let config = ClientConfig {
            region: "cn-hangzhou".into(),
            max_retries: 0,
            ..ClientConfig::default()
        };
        let credentials = Arc::new(StaticCredentials(Credentials::new("ak", "sk")));
        let client = Client::new(&format!("http://127.0.0.1:{port}"), credentials, config).unwrap();
        let mut request = PutObjectRequest::new("vec-shared-bkt", "k.txt", Body::Bytes(body));
        let with_callback = input["request"]["with_callback"].as_bool().unwrap_or(false);
        if with_callback {
            request.set_header(
                "x-oss-callback",
                "eyJjYWxsYmFja1VybCI6IjEyNy4wLjAuMSIsImNhbGxiYWNrQm9keSI6IngifQ==",
            );
        }
        let outcome = client.put_object(&mut request);
        let status = input["http_response"]["status"].as_u64().unwrap() as u16;
        match expected["raises"].as_str() {
            None if status == 203 && with_callback => {
                let error = outcome.expect_err(id);
                let result = &expected["result"];
                assert_eq!(error.kind, ErrorKind::CallbackFailed, "{id}");
                assert_eq!(error.code, "CallbackFailed", "{id}");
                assert_eq!(error.http_status, 203, "{id}");
                assert_eq!(error.object_stored, ObjectStored::Yes, "{id}");
                assert_eq!(error.request_id, field(result, "request_id"), "{id}");
                assert_eq!(
                    String::from_utf8_lossy(&error.body),
                    field(result, "callback_result"),
                    "{id}"
                );
            }
            None => {
                let result = outcome.unwrap_or_else(|e| panic!("{id}: {e}"));
                let want = &expected["result"];
                assert_eq!(
                    u64::from(result.http_status),
                    want["status_code"].as_u64().unwrap(),
                    "{id}"
                );
                assert_eq!(result.etag, field(want, "etag").trim_matches('"'), "{id}");
                assert_eq!(result.request_id, field(want, "request_id"), "{id}");
                assert_eq!(result.crc64.to_string(), field(want, "hash_crc64"), "{id}");
                assert_eq!(result.version_id, field(want, "version_id"), "{id}");
                assert_eq!(
                    String::from_utf8_lossy(&result.body),
                    field(want, "callback_result"),
                    "{id}"
                );
            }
            Some("ServiceError") => {
                let error = outcome.expect_err(id);
                let want = &expected["error"];
                assert_eq!(error.kind, ErrorKind::Server, "{id}");
                assert_eq!(
                    u64::from(error.http_status),
                    want["status_code"].as_u64().unwrap(),
                    "{id}"
                );
                assert_eq!(error.code, field(want, "code"), "{id}");
                assert_eq!(error.message, field(want, "message"), "{id}");
                assert_eq!(error.request_id, field(want, "request_id"), "{id}");
                assert_eq!(error.ec, field(want, "ec"), "{id}");
                assert_eq!(
                    error.host_id,
                    field(&want["error_fields"], "HostId"),
                    "{id}"
                );
                assert_eq!(error.object_stored, ObjectStored::No, "{id}");
            }
            Some("InconsistentError") => {
                let error = outcome.expect_err(id);
                let server_crc = input["http_response"]["headers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|h| {
                        h[0].as_str()
                            .unwrap()
                            .eq_ignore_ascii_case("x-oss-hash-crc64ecma")
                    })
                    .map(|h| h[1].as_str().unwrap().to_owned())
                    .unwrap();
                assert_eq!(error.kind, ErrorKind::CrcMismatch, "{id}");
                assert_eq!(error.code, "ClientError:100001", "{id}");
                let client_crc = ossffi::crc64::crc64(body);
                assert!(
                    error.message.starts_with(&format!(
                        "Crc64 validation failed. Expected hash:{server_crc} not equal to calculated hash:{client_crc}. Transferd bytes:9."
                    )),
                    "{id}: {}",
                    error.message
                );
            }
            Some(other) => panic!("{id}: no reading defined for the SDK's {other}"),
        }
        checked += 1;
    }
    assert_eq!(checked, vectors.len());
}
