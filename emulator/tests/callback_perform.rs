//! Performing callbacks against local receivers (oss-protocol.md 4.6 to 4.8), the key server,
//! and injected faults.

mod callback_support;

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::Md5;
use ossffi_emulator::callback::{
    CallbackConfig, CallbackReply, CallbackRequest, Callbacker, ObjectFacts, parse,
};
use rsa::PublicKey;
use rsa::pkcs8::DecodePublicKey as _;
use serde_json::{Value, json};

use callback_support::{ScriptedReceiver, http_response};

const FACTS: ObjectFacts<'static> = ObjectFacts {
    bucket: "bkt",
    object: "dir/a b.txt",
    etag: "5EB63BBBE01EEED093CB22BB8F5ACDC3",
    size: 11,
    mime_type: "text/plain",
    crc64: 5981764153023615706,
    content_md5: "XrY7u+Ae7tCTyyK7j1rNww==",
    client_ip: "127.0.0.1",
    request_id: "0123456789ABCDEF01234567",
    operation: "PutObject",
};

const OK_JSON: &str = r#"{"Status":"OK"}"#;

fn callbacker(timeout: Duration) -> Callbacker {
    Callbacker::start(CallbackConfig {
        timeout,
        ..CallbackConfig::default()
    })
    .unwrap()
}

fn request(callback: Value, vars: Option<Value>) -> CallbackRequest {
    let vars = vars.map(|v| STANDARD.encode(v.to_string()));
    parse(&STANDARD.encode(callback.to_string()), vars.as_deref()).unwrap()
}

fn form_request(url: &str) -> CallbackRequest {
    request(
        json!({"callbackUrl": url, "callbackBody": "object=${object}&v=${x:v}"}),
        Some(json!({"x:v": "1"})),
    )
}

/// A port nothing listens on.
fn dead_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = TcpStream::connect(authority).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {authority}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn reply_200_json_is_ok_with_its_body_and_content_type() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json; charset=utf-8", OK_JSON),
        Duration::ZERO,
    );
    let reply =
        callbacker(Duration::from_secs(5)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(
        reply,
        Ok(CallbackReply {
            body: OK_JSON.as_bytes().to_vec(),
            content_type: "application/json; charset=utf-8".to_owned()
        })
    );
}

#[test]
fn reply_without_content_type_defaults_to_json() {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{OK_JSON}",
        OK_JSON.len()
    );
    let receiver = ScriptedReceiver::start(&response, Duration::ZERO);
    let reply = callbacker(Duration::from_secs(5))
        .perform(&form_request(&receiver.url("/cb")), &FACTS)
        .unwrap();
    assert_eq!(reply.content_type, "application/json");
}

#[test]
fn request_line_and_headers_are_those_oss_sends() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let cb = callbacker(Duration::from_secs(5));
    cb.perform(
        &form_request(&receiver.url("/index%20v2.php?id=1&index=2")),
        &FACTS,
    )
    .unwrap();
    let got = receiver.next_request();
    assert_eq!(got.method, "POST");
    assert_eq!(got.target, "/index%20v2.php?id=1&index=2");
    assert_eq!(
        got.header("Host"),
        Some(format!("127.0.0.1:{}", receiver.port).as_str())
    );
    assert_eq!(
        got.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(got.header("Content-Length"), Some("26"));
    assert_eq!(got.header("User-Agent"), Some("http-client/0.0.1"));
    assert_eq!(got.header("Connection"), Some("close"));
    assert_eq!(got.body, b"object=dir%2Fa%20b.txt&v=1");
}

#[test]
fn pub_key_url_header_is_base64_of_the_key_url() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let cb = callbacker(Duration::from_secs(5));
    cb.perform(&form_request(&receiver.url("/cb")), &FACTS)
        .unwrap();
    let got = receiver.next_request();
    let url = STANDARD
        .decode(got.header("x-oss-pub-key-url").unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(url).unwrap(), cb.public_key_url());
}

#[test]
fn authorization_verifies_with_the_served_public_key() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let cb = callbacker(Duration::from_secs(5));
    cb.perform(&form_request(&receiver.url("/index%20v2.php?id=1")), &FACTS)
        .unwrap();
    let got = receiver.next_request();
    let served = http_get(cb.public_key_url());
    let pem = &served[served.find("-----BEGIN").unwrap()..];
    let key = PublicKey::from_public_key_pem(pem).unwrap();
    let mut message = b"/index v2.php?id=1\n".to_vec();
    message.extend_from_slice(&got.body);
    let signature = STANDARD
        .decode(got.header("Authorization").unwrap())
        .unwrap();
    key.pkcs1v15_verify::<Md5>(&message, &signature).unwrap();
}

#[test]
fn callback_host_is_the_host_header() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let req = request(
        json!({"callbackUrl": receiver.url("/cb"), "callbackHost": "api.example.com", "callbackBody": "a=1"}),
        None,
    );
    callbacker(Duration::from_secs(5))
        .perform(&req, &FACTS)
        .unwrap();
    assert_eq!(
        receiver.next_request().header("Host"),
        Some("api.example.com")
    );
}

#[test]
fn json_body_type_is_the_content_type() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let req = request(
        json!({"callbackUrl": receiver.url("/cb"), "callbackBody": "{\"o\":${object}}", "callbackBodyType": "application/json"}),
        None,
    );
    callbacker(Duration::from_secs(5))
        .perform(&req, &FACTS)
        .unwrap();
    let got = receiver.next_request();
    assert_eq!(got.header("Content-Type"), Some("application/json"));
    assert_eq!(got.body, br#"{"o":"dir/a b.txt"}"#);
}

#[test]
fn status_500_fails_with_its_status() {
    let receiver = ScriptedReceiver::start(
        &http_response("500 Internal Server Error", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(result, Err("Error status : 500.".to_owned()));
}

#[test]
fn status_204_fails_because_only_200_succeeds() {
    let receiver = ScriptedReceiver::start("HTTP/1.1 204 No Content\r\n\r\n", Duration::ZERO);
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(result, Err("Error status : 204.".to_owned()));
}

#[test]
fn non_json_reply_fails() {
    let receiver =
        ScriptedReceiver::start(&http_response("200 OK", "text/plain", "OK"), Duration::ZERO);
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(
        result,
        Err("Response body is not valid json format.".to_owned())
    );
}

#[test]
fn reply_with_utf8_bom_fails_as_non_json() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", "\u{feff}{}"),
        Duration::ZERO,
    );
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(
        result,
        Err("Response body is not valid json format.".to_owned())
    );
}

#[test]
fn reply_over_1_mb_fails() {
    let receiver = ScriptedReceiver::start(
        "HTTP/1.1 200 OK\r\nContent-Length: 1048577\r\n\r\n{}",
        Duration::ZERO,
    );
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(
        result,
        Err("Error status : 400.User server return too long content-length value".to_owned())
    );
}

#[test]
fn reply_without_content_length_fails() {
    let receiver = ScriptedReceiver::start(
        "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
        Duration::ZERO,
    );
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(
        result,
        Err(
            "Error status : 200. The callback server's response has no valid Content-Length."
                .to_owned()
        )
    );
}

#[test]
fn dead_port_fails_to_connect() {
    let url = format!("http://127.0.0.1:{}/cb", dead_port());
    let result = callbacker(Duration::from_secs(5)).perform(&form_request(&url), &FACTS);
    assert_eq!(
        result,
        Err(
            "Error status : -1. OSS can not connect to your callbackUrl, please check it."
                .to_owned()
        )
    );
}

#[test]
fn slow_receiver_times_out() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::from_secs(2),
    );
    let started = Instant::now();
    let result =
        callbacker(Duration::from_millis(300)).perform(&form_request(&receiver.url("/cb")), &FACTS);
    assert_eq!(result, Err("Cost too long time".to_owned()));
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn first_url_dead_second_url_answers() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let urls = format!(
        "http://127.0.0.1:{}/dead;{}",
        dead_port(),
        receiver.url("/live")
    );
    let reply = callbacker(Duration::from_secs(5))
        .perform(&form_request(&urls), &FACTS)
        .unwrap();
    assert_eq!(reply.body, OK_JSON.as_bytes());
    assert_eq!(receiver.next_request().target, "/live");
}

#[test]
fn all_urls_failing_reports_the_last_failure() {
    let receiver = ScriptedReceiver::start(
        &http_response("502 Bad Gateway", "text/plain", ""),
        Duration::ZERO,
    );
    let urls = format!(
        "http://127.0.0.1:{}/dead;{}",
        dead_port(),
        receiver.url("/cb")
    );
    let result = callbacker(Duration::from_secs(5)).perform(&form_request(&urls), &FACTS);
    assert_eq!(result, Err("Error status : 502.".to_owned()));
}

#[test]
fn localhost_is_a_loopback_target() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let url = format!("http://localhost:{}/cb", receiver.port);
    assert!(
        callbacker(Duration::from_secs(5))
            .perform(&form_request(&url), &FACTS)
            .is_ok()
    );
}

#[test]
fn private_address_fails_without_a_connection() {
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request("http://192.168.1.1/cb"), &FACTS);
    assert_eq!(
        result,
        Err("Private address is forbidden to callback.".to_owned())
    );
}

#[test]
fn check_targets_refuses_a_private_address_like_oss() {
    let err = callbacker(Duration::from_secs(5))
        .check_targets(&form_request("http://192.168.1.1/cb"))
        .unwrap_err();
    assert_eq!(err.message, "Private address is forbidden to callback.");
    assert_eq!(err.argument_name, "callback");
}

#[test]
fn check_targets_accepts_loopback_and_public_hosts() {
    let req = form_request("http://127.0.0.1:9/a;http://oss-cn-hangzhou.aliyuncs.com/b");
    assert!(
        callbacker(Duration::from_secs(5))
            .check_targets(&req)
            .is_ok()
    );
}

#[test]
fn host_not_allowed_fails_without_a_connection() {
    let result = callbacker(Duration::from_secs(5)).perform(
        &form_request("http://oss-cn-hangzhou.aliyuncs.com/cb"),
        &FACTS,
    );
    assert_eq!(
        result,
        Err("The emulator only sends callbacks to loopback addresses; \"oss-cn-hangzhou.aliyuncs.com\" was not named with --allow-callback-host.".to_owned())
    );
}

#[test]
fn allowed_host_is_contacted() {
    // 192.0.2.0/24 is reserved for documentation: the attempt can only fail to connect, which
    // shows the emulator tried instead of refusing the host.
    let cb = Callbacker::start(CallbackConfig {
        allowed_hosts: vec!["192.0.2.1".to_owned()],
        timeout: Duration::from_millis(300),
        ..CallbackConfig::default()
    })
    .unwrap();
    let result = cb.perform(&form_request("http://192.0.2.1:9/cb"), &FACTS);
    assert_eq!(
        result,
        Err(
            "Error status : -1. OSS can not connect to your callbackUrl, please check it."
                .to_owned()
        )
    );
}

#[test]
fn allowed_private_address_passes_check_targets() {
    let cb = Callbacker::start(CallbackConfig {
        allowed_hosts: vec!["192.168.1.1".to_owned()],
        ..CallbackConfig::default()
    })
    .unwrap();
    assert!(
        cb.check_targets(&form_request("http://192.168.1.1/cb"))
            .is_ok()
    );
}

#[test]
fn https_url_fails_with_a_clear_message() {
    let result =
        callbacker(Duration::from_secs(5)).perform(&form_request("https://127.0.0.1:9/cb"), &FACTS);
    assert_eq!(
        result,
        Err("The emulator cannot send callbacks over https (https://127.0.0.1:9/cb); use an http callbackUrl.".to_owned())
    );
}

#[test]
fn fail_fault_fails_the_next_callbacks_without_contacting_the_receiver() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let cb = callbacker(Duration::from_secs(5));
    cb.fail_next(2);
    let req = form_request(&receiver.url("/cb"));
    for _ in 0..2 {
        assert_eq!(
            cb.perform(&req, &FACTS),
            Err("Error status : -1. OSS can not connect to your callbackUrl, please check it. (failure injected by the emulator)".to_owned())
        );
    }
    assert!(receiver.requests.try_recv().is_err());
    assert!(cb.perform(&req, &FACTS).is_ok());
}

#[test]
fn stall_fault_as_long_as_the_timeout_times_out() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let cb = callbacker(Duration::from_millis(300));
    cb.stall_next(1, Duration::from_millis(300));
    let req = form_request(&receiver.url("/cb"));
    let started = Instant::now();
    assert_eq!(
        cb.perform(&req, &FACTS),
        Err("Cost too long time".to_owned())
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(cb.perform(&req, &FACTS).is_ok());
}

#[test]
fn stall_fault_shorter_than_the_timeout_delays_a_successful_callback() {
    let receiver = ScriptedReceiver::start(
        &http_response("200 OK", "application/json", OK_JSON),
        Duration::ZERO,
    );
    let cb = callbacker(Duration::from_secs(5));
    cb.stall_next(1, Duration::from_millis(200));
    let started = Instant::now();
    assert!(
        cb.perform(&form_request(&receiver.url("/cb")), &FACTS)
            .is_ok()
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[test]
fn key_server_serves_the_public_key_pem() {
    let cb = callbacker(Duration::from_secs(5));
    let response = http_get(cb.public_key_url());
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.ends_with(cb.public_key_pem()));
    assert!(
        cb.public_key_pem()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
}

#[test]
fn key_url_names_the_oss_key_file_on_loopback() {
    let cb = callbacker(Duration::from_secs(5));
    assert!(cb.public_key_url().starts_with("http://127.0.0.1:"));
    assert!(cb.public_key_url().ends_with("/callback_pub_key_v1.pem"));
}

#[test]
fn key_server_answers_404_for_other_paths() {
    let cb = callbacker(Duration::from_secs(5));
    let url = cb
        .public_key_url()
        .replace("callback_pub_key_v1.pem", "other");
    assert!(http_get(&url).starts_with("HTTP/1.1 404 Not Found\r\n"));
}

#[test]
fn key_server_answers_while_another_connection_is_idle() {
    let cb = callbacker(Duration::from_secs(5));
    let authority = cb.public_key_url()["http://".len()..]
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    // A client that connects and says nothing must not block the receiver's key fetch.
    let _idle = TcpStream::connect(&authority).unwrap();
    assert!(http_get(cb.public_key_url()).starts_with("HTTP/1.1 200 OK\r\n"));
}

#[test]
fn receiver_can_fetch_the_key_while_the_callback_waits() {
    // The receiver fetches the key inside its handler, as a verifying receiver does.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let cb = callbacker(Duration::from_secs(5));
    let key_url = cb.public_key_url().to_owned();
    let handler = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf).unwrap();
        let key = http_get(&key_url);
        let ok = if key.contains("BEGIN PUBLIC KEY") {
            "200 OK"
        } else {
            "500 Internal Server Error"
        };
        stream
            .write_all(http_response(ok, "application/json", OK_JSON).as_bytes())
            .unwrap();
    });
    let url = format!("http://127.0.0.1:{port}/cb");
    assert!(cb.perform(&form_request(&url), &FACTS).is_ok());
    handler.join().unwrap();
}

#[test]
fn callbacker_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Callbacker>();
}
