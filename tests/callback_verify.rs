//! Verifying upload callback requests (oss-protocol.md 4.7): every vector of
//! callback_signature.json, tampering with any byte, the key URL allow-list (refused without a
//! connection), key fetching with its timeout, and the cache.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use ossffi::callback::verify::string_to_sign;
use ossffi::callback::{CallbackKeyCache, CallbackPublicKey, verify_with_key};
use ossffi::encoding::{base64_decode, base64_encode};
use ossffi::error::{Error, ErrorKind};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/callback_signature.json"
));

/// One vector of callback_signature.json.
struct Vector {
    id: String,
    request_target: String,
    path: String,
    query: String,
    body: Vec<u8>,
    public_key_pem: String,
    public_key_url: String,
    string_to_sign: String,
    authorization: String,
    pub_key_url_header: String,
}

fn vectors() -> Vec<Vector> {
    let doc: serde_json::Value = serde_json::from_str(VECTORS).expect("the vectors are JSON");
    let text = |v: &serde_json::Value, field: &str| -> String {
        v[field]
            .as_str()
            .unwrap_or_else(|| panic!("{field} is a string"))
            .to_owned()
    };
    doc["vectors"]
        .as_array()
        .expect("a vectors array")
        .iter()
        .map(|v| Vector {
            id: text(v, "id"),
            request_target: text(&v["input"], "request_target"),
            path: text(&v["input"], "path_as_sent"),
            query: text(&v["input"], "query_as_sent"),
            body: text(&v["input"], "body").into_bytes(),
            public_key_pem: text(&v["input"], "test_public_key_pem"),
            public_key_url: text(&v["input"], "public_key_url"),
            string_to_sign: text(&v["expected"], "string_to_sign"),
            authorization: text(&v["expected"], "authorization_header"),
            pub_key_url_header: text(&v["expected"], "x-oss-pub-key-url_header"),
        })
        .collect()
}

fn first_vector() -> Vector {
    vectors().remove(0)
}

fn target(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

fn expect_kind(result: Result<(), Error>, kind: ErrorKind, context: &str) -> Error {
    match result {
        Ok(()) => panic!("{context}: verified, expected {kind:?}"),
        Err(error) => {
            assert_eq!(error.kind, kind, "{context}: {error}");
            error
        }
    }
}

/// A byte changed so that it is still printable ASCII, hence still valid UTF-8 in a path.
fn flip(byte: u8) -> u8 {
    byte ^ 0x01
}

#[test]
fn every_signature_vector_verifies_with_its_test_key() {
    let all = vectors();
    assert_eq!(all.len(), 3, "callback_signature.json has three vectors");
    for v in &all {
        assert_eq!(
            target(&v.path, &v.query),
            v.request_target,
            "{}: path and query make the request target",
            v.id
        );
        assert_eq!(
            string_to_sign(&v.request_target, &v.body),
            v.string_to_sign.as_bytes(),
            "{}: string to sign",
            v.id
        );
        verify_with_key(
            &v.request_target,
            &v.authorization,
            &v.body,
            &v.public_key_pem,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", v.id));
        assert_eq!(
            base64_encode(v.public_key_url.as_bytes()),
            v.pub_key_url_header,
            "{}: x-oss-pub-key-url is base64 of the key URL",
            v.id
        );
    }
}

#[test]
fn changing_any_byte_of_the_path_fails_with_signature_mismatch() {
    for v in vectors() {
        let key = CallbackPublicKey::from_pem(&v.public_key_pem).unwrap();
        for i in 0..v.path.len() {
            let mut path = v.path.clone().into_bytes();
            path[i] = flip(path[i]);
            let path = String::from_utf8(path).unwrap();
            let result = key.verify(&target(&path, &v.query), &v.authorization, &v.body);
            expect_kind(
                result,
                ErrorKind::CallbackSignatureMismatch,
                &format!("{} path {path}", v.id),
            );
        }
    }
}

#[test]
fn changing_any_byte_of_the_query_fails_with_signature_mismatch() {
    let mut checked = 0;
    for v in vectors().into_iter().filter(|v| !v.query.is_empty()) {
        let key = CallbackPublicKey::from_pem(&v.public_key_pem).unwrap();
        for i in 0..v.query.len() {
            let mut query = v.query.clone().into_bytes();
            query[i] = flip(query[i]);
            let query = String::from_utf8(query).unwrap();
            let result = key.verify(&target(&v.path, &query), &v.authorization, &v.body);
            expect_kind(
                result,
                ErrorKind::CallbackSignatureMismatch,
                &format!("{} query {query}", v.id),
            );
            checked += 1;
        }
        // Dropping the query altogether changes what was signed too.
        let result = key.verify(&v.path, &v.authorization, &v.body);
        expect_kind(result, ErrorKind::CallbackSignatureMismatch, &v.id);
    }
    assert_eq!(checked, "id=1&index=2".len() + "tenant=a%2Fb".len());
}

#[test]
fn changing_any_byte_of_the_body_fails_with_signature_mismatch() {
    for v in vectors() {
        let key = CallbackPublicKey::from_pem(&v.public_key_pem).unwrap();
        for i in 0..v.body.len() {
            let mut body = v.body.clone();
            body[i] = flip(body[i]);
            let result = key.verify(&v.request_target, &v.authorization, &body);
            expect_kind(
                result,
                ErrorKind::CallbackSignatureMismatch,
                &format!("{} body byte {i}", v.id),
            );
        }
        let mut longer = v.body.clone();
        longer.push(b'&');
        let shorter = &v.body[..v.body.len() - 1];
        for body in [&longer[..], shorter, b""] {
            let result = key.verify(&v.request_target, &v.authorization, body);
            expect_kind(result, ErrorKind::CallbackSignatureMismatch, &v.id);
        }
    }
}

#[test]
fn changing_any_byte_of_the_signature_fails_with_signature_mismatch() {
    for v in vectors() {
        let key = CallbackPublicKey::from_pem(&v.public_key_pem).unwrap();
        let signature = base64_decode(&v.authorization).unwrap();
        assert_eq!(signature.len(), 128, "{}: a 1024-bit test key", v.id);
        for i in 0..signature.len() {
            let mut forged = signature.clone();
            forged[i] = flip(forged[i]);
            let result = key.verify(&v.request_target, &base64_encode(&forged), &v.body);
            expect_kind(
                result,
                ErrorKind::CallbackSignatureMismatch,
                &format!("{} signature byte {i}", v.id),
            );
        }
    }
}

#[test]
fn signature_of_the_wrong_length_says_the_key_may_be_the_wrong_one() {
    let v = first_vector();
    let short = base64_encode(&[7u8; 64]);
    let error = expect_kind(
        verify_with_key(&v.request_target, &short, &v.body, &v.public_key_pem),
        ErrorKind::CallbackSignatureMismatch,
        "64-byte signature",
    );
    assert_eq!(error.code, "CallbackSignatureMismatch");
    assert!(
        error
            .message
            .contains("the signature is 64 bytes, but a 1024-bit key makes 128-byte signatures"),
        "{}",
        error.message
    );
}

#[test]
fn authorization_that_is_not_standard_base64_fails_as_malformed() {
    let v = first_vector();
    let url_safe = v.authorization.replace('+', "-").replace('/', "_");
    assert_ne!(url_safe, v.authorization, "the vector uses + or /");
    let unpadded = v.authorization.trim_end_matches('=').to_owned();
    for bad in ["", "   ", "not base64!", &url_safe, &unpadded, "===="] {
        let error = expect_kind(
            verify_with_key(&v.request_target, bad, &v.body, &v.public_key_pem),
            ErrorKind::CallbackSignatureMalformed,
            &format!("authorization {bad:?}"),
        );
        assert_eq!(error.code, "CallbackSignatureMalformed");
    }
}

#[test]
fn authorization_with_surrounding_whitespace_still_verifies() {
    let v = first_vector();
    let padded = format!(" {}\t", v.authorization);
    verify_with_key(&v.request_target, &padded, &v.body, &v.public_key_pem).unwrap();
}

#[test]
fn key_that_is_not_a_pem_rsa_public_key_fails_as_malformed() {
    let v = first_vector();
    let truncated = v.public_key_pem.replace("IDAQAB", "");
    let private_label = v.public_key_pem.replace("PUBLIC KEY", "PRIVATE KEY");
    for bad in [
        "",
        "not a key",
        "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
        &truncated,
        &private_label,
    ] {
        let error = expect_kind(
            verify_with_key(&v.request_target, &v.authorization, &v.body, bad),
            ErrorKind::CallbackKeyMalformed,
            &format!("key {bad:?}"),
        );
        assert_eq!(error.code, "CallbackKeyMalformed");
        assert!(
            error
                .message
                .starts_with("the callback public key is unusable: "),
            "{}",
            error.message
        );
    }
}

#[test]
fn pkcs1_rsa_public_key_pem_verifies_like_subject_public_key_info() {
    use rsa::pkcs1::EncodeRsaPublicKey as _;
    use rsa::pkcs8::DecodePublicKey as _;
    let v = first_vector();
    let key = rsa::PublicKey::from_public_key_pem(&v.public_key_pem).unwrap();
    let pkcs1 = key.to_pkcs1_pem(rsa::pkcs8::LineEnding::CRLF).unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PUBLIC KEY-----\r\n"));
    verify_with_key(&v.request_target, &v.authorization, &v.body, &pkcs1).unwrap();
}

#[test]
fn text_before_the_pem_block_is_ignored() {
    let v = first_vector();
    let commented = format!("# OSS callback key\n{}", v.public_key_pem);
    verify_with_key(&v.request_target, &v.authorization, &v.body, &commented).unwrap();
}

/// OSS's own callback key as served at https://gosspublic.alicdn.com/callback_pub_key_v1.pem:
/// 512 bits, below the `rsa` crate's default minimum.
const OSS_PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKs/JBGzwUB2aVht4crBx3oIPBLNsjGs
C0fTXv+nvlmklvkcolvpvXLTjaxUHR3W9LXxQ2EHXAJfCB+6H2YF1k8CAwEAAQ==
-----END PUBLIC KEY-----
";

#[test]
fn callback_signed_by_the_real_oss_verifies_with_its_512_bit_key() {
    // A callback that OSS itself sent, as recorded in the public test suite of the Cloudreve
    // project (its OSS driver's TestVerifyCallbackSignature): no query, a JSON body.
    let target = "/api/v3/callback/oss/TnXx5E5VyfJUyM1UdkdDu1rtnJ34EbmH";
    let authorization =
        "e5LwzwTkP9AFAItT4YzvdJOHd0Y0wqTMWhsV/h5SG90JYGAmMd+8LQyj96R+9qUfJWjMt6suuUh7LaOryR87Dw==";
    let body = br#"{"name":"2f7b2ccf30e9270ea920f1ab8a4037a546a2f0d5.jpg","source_name":"1/1_hFRtDLgM_2f7b2ccf30e9270ea920f1ab8a4037a546a2f0d5.jpg","size":114020,"pic_info":"810,539"}"#;
    let key = CallbackPublicKey::from_pem(OSS_PUBLIC_KEY_PEM).unwrap();
    assert_eq!(key.bits(), 512);
    key.verify(target, authorization, body).unwrap();
    let mut altered = body.to_vec();
    altered[10] = flip(altered[10]);
    expect_kind(
        key.verify(target, authorization, &altered),
        ErrorKind::CallbackSignatureMismatch,
        "altered OSS callback",
    );
}

// ---------------------------------------------------------------------------------------------
// The key cache.

/// What a [`LoopbackServer`] does with each connection.
#[derive(Clone)]
enum Behaviour {
    /// Reads the request head, writes these bytes, closes.
    Answer(Vec<u8>),
    /// Accepts and never answers (keeps the connection open).
    Stall,
}

/// A loopback listener that counts the connections it accepts, for proving that a URL was (or
/// was not) fetched.
struct LoopbackServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    fn start(behaviour: Behaviour) -> LoopbackServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (accepted, stop) = (Arc::clone(&accepted), Arc::clone(&stop));
            thread::spawn(move || {
                let mut stalled = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            accepted.fetch_add(1, Ordering::SeqCst);
                            match &behaviour {
                                Behaviour::Answer(reply) => answer(stream, reply),
                                Behaviour::Stall => stalled.push(stream),
                            }
                        }
                        Err(_) => thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        LoopbackServer {
            port,
            accepted,
            stop,
            thread: Some(thread),
        }
    }

    fn serving_key(pem: &str) -> LoopbackServer {
        LoopbackServer::start(Behaviour::Answer(http_reply("200 OK", pem.as_bytes(), "")))
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    fn prefix(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn key_url_header(&self, path: &str) -> String {
        base64_encode(format!("http://127.0.0.1:{}{path}", self.port).as_bytes())
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn http_reply(status: &str, body: &[u8], extra_headers: &str) -> Vec<u8> {
    let mut reply = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(body);
    reply
}

fn answer(mut stream: TcpStream, reply: &[u8]) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let _ = stream.write_all(reply);
}

/// A cache whose fetches fail fast, so a test that wrongly connects does not hang.
fn cache() -> CallbackKeyCache {
    let cache = CallbackKeyCache::new();
    cache.set_timeout(Duration::from_secs(2)).unwrap();
    cache
}

#[test]
fn default_allowed_prefixes_are_the_two_gosspublic_urls() {
    assert_eq!(
        CallbackKeyCache::new().allowed_prefixes(),
        [
            "https://gosspublic.alicdn.com/",
            "http://gosspublic.alicdn.com/"
        ]
    );
    assert_eq!(CallbackKeyCache::new().timeout(), Duration::from_secs(5));
}

#[test]
fn refused_key_urls_fail_without_any_connection() {
    let v = first_vector();
    let listener = LoopbackServer::serving_key(&v.public_key_pem);
    let port = listener.port;
    let cache = cache();
    let refused = [
        "http://127.0.0.1:1/evil".to_owned(),
        format!("http://127.0.0.1:{port}/callback_pub_key_v1.pem"),
        "file:///etc/passwd".to_owned(),
        format!("gopher://127.0.0.1:{port}/_GET%20/"),
        "https://gosspublic.alicdn.com@evil.example/".to_owned(),
        format!("http://gosspublic.alicdn.com@127.0.0.1:{port}/callback_pub_key_v1.pem"),
        "https://gosspublic.alicdn.com.evil.example/callback_pub_key_v1.pem".to_owned(),
        format!("http://gosspublic.alicdn.com\\@127.0.0.1:{port}/"),
        format!("http://gosspublic.alicdn.com:{port}/callback_pub_key_v1.pem"),
        "ftp://gosspublic.alicdn.com/callback_pub_key_v1.pem".to_owned(),
        "https://gosspublic.alicdn.com/../evil".to_owned(),
        "https://gosspublic.alicdn.com./callback_pub_key_v1.pem".to_owned(),
        "//gosspublic.alicdn.com/callback_pub_key_v1.pem".to_owned(),
    ];
    for url in &refused {
        let started = Instant::now();
        let error = expect_kind(
            cache.verify(
                &v.request_target,
                &v.authorization,
                &base64_encode(url.as_bytes()),
                &v.body,
            ),
            ErrorKind::CallbackKeyUrlNotAllowed,
            url,
        );
        assert_eq!(error.code, "CallbackKeyUrlNotAllowed");
        assert!(
            error.message.contains("no connection was made"),
            "{}",
            error.message
        );
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{url} took {:?}",
            started.elapsed()
        );
    }
    thread::sleep(Duration::from_millis(50));
    assert_eq!(listener.accepted(), 0, "a refused URL was connected to");
}

#[test]
fn refusal_names_the_url_and_the_allowed_prefixes() {
    let v = first_vector();
    let cache = cache();
    let error = expect_kind(
        cache.verify(
            &v.request_target,
            &v.authorization,
            &base64_encode(b"http://127.0.0.1:1/evil"),
            &v.body,
        ),
        ErrorKind::CallbackKeyUrlNotAllowed,
        "loopback URL",
    );
    assert_eq!(
        error.message,
        "the callback public key URL \"http://127.0.0.1:1/evil\" is refused: it does not start \
         with an allowed prefix (\"https://gosspublic.alicdn.com/\", \
         \"http://gosspublic.alicdn.com/\"); no connection was made. Treat the request as \
         forged, or, if you run your own signer (such as the ossffi emulator), allow its key URL \
         prefix explicitly"
    );
}

#[test]
fn key_url_header_that_is_not_base64_is_refused() {
    let v = first_vector();
    for bad in ["", "http://gosspublic.alicdn.com/x.pem", "%%%", "/w=="] {
        expect_kind(
            cache().verify(&v.request_target, &v.authorization, bad, &v.body),
            ErrorKind::CallbackKeyUrlNotAllowed,
            bad,
        );
    }
}

#[test]
fn malformed_signature_is_reported_before_the_key_url_is_looked_at() {
    let v = first_vector();
    expect_kind(
        cache().verify(
            &v.request_target,
            "not base64!",
            &base64_encode(b"file:///etc/passwd"),
            &v.body,
        ),
        ErrorKind::CallbackSignatureMalformed,
        "bad signature, bad URL",
    );
}

#[test]
fn key_is_fetched_once_per_url_and_then_served_from_the_cache() {
    let v = first_vector();
    let server = LoopbackServer::serving_key(&v.public_key_pem);
    let cache = cache();
    cache.allow_prefix(&server.prefix()).unwrap();
    let url = server.key_url_header("/callback_pub_key_v1.pem");
    cache
        .verify(&v.request_target, &v.authorization, &url, &v.body)
        .unwrap();
    assert_eq!(server.accepted(), 1);
    cache
        .verify(&v.request_target, &v.authorization, &url, &v.body)
        .unwrap();
    let mut altered = v.body.clone();
    altered[0] = flip(altered[0]);
    expect_kind(
        cache.verify(&v.request_target, &v.authorization, &url, &altered),
        ErrorKind::CallbackSignatureMismatch,
        "cached key, altered body",
    );
    assert_eq!(
        server.accepted(),
        1,
        "the second and third verify fetched again"
    );
}

#[test]
fn differently_spelled_but_equal_key_urls_share_one_cache_entry() {
    let v = first_vector();
    let server = LoopbackServer::serving_key(&v.public_key_pem);
    let cache = cache();
    cache.allow_prefix(&server.prefix()).unwrap();
    for url in [
        format!("http://127.0.0.1:{}/k.pem", server.port),
        format!("HTTP://127.0.0.1:{}/k.pem", server.port),
    ] {
        cache
            .verify(
                &v.request_target,
                &v.authorization,
                &base64_encode(url.as_bytes()),
                &v.body,
            )
            .unwrap();
    }
    assert_eq!(server.accepted(), 1);
}

#[test]
fn concurrent_first_verifications_share_one_fetch() {
    let v = Arc::new(first_vector());
    let server = LoopbackServer::serving_key(&v.public_key_pem);
    let cache = Arc::new(cache());
    cache.allow_prefix(&server.prefix()).unwrap();
    let url = Arc::new(server.key_url_header("/k.pem"));
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (v, cache, url, barrier) = (
                Arc::clone(&v),
                Arc::clone(&cache),
                Arc::clone(&url),
                Arc::clone(&barrier),
            );
            thread::spawn(move || {
                barrier.wait();
                cache.verify(&v.request_target, &v.authorization, &url, &v.body)
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().unwrap();
    }
    assert_eq!(server.accepted(), 1);
}

#[test]
fn key_fetch_from_a_server_that_never_answers_times_out() {
    let v = first_vector();
    let server = LoopbackServer::start(Behaviour::Stall);
    let cache = CallbackKeyCache::new();
    cache.allow_prefix(&server.prefix()).unwrap();
    cache.set_timeout(Duration::from_millis(300)).unwrap();
    let started = Instant::now();
    let error = expect_kind(
        cache.verify(
            &v.request_target,
            &v.authorization,
            &server.key_url_header("/k.pem"),
            &v.body,
        ),
        ErrorKind::CallbackKeyFetchFailed,
        "stalled key server",
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(3),
        "took {elapsed:?}"
    );
    assert_eq!(server.accepted(), 1);
    assert_eq!(error.code, "CallbackKeyFetchFailed");
    assert_eq!(error.http_status, 0);
    assert!(
        error
            .message
            .contains("no complete answer within the timeout of 300 ms"),
        "{}",
        error.message
    );
}

#[test]
fn key_fetch_answered_with_an_error_status_fails_and_is_retried_next_time() {
    let v = first_vector();
    let server = LoopbackServer::start(Behaviour::Answer(http_reply("404 Not Found", b"", "")));
    let cache = cache();
    cache.allow_prefix(&server.prefix()).unwrap();
    let url = server.key_url_header("/missing.pem");
    for attempt in 1..=2 {
        let error = expect_kind(
            cache.verify(&v.request_target, &v.authorization, &url, &v.body),
            ErrorKind::CallbackKeyFetchFailed,
            "404",
        );
        assert_eq!(error.http_status, 404);
        assert!(
            error
                .message
                .contains("the server answered HTTP 404 instead of 200"),
            "{}",
            error.message
        );
        assert_eq!(server.accepted(), attempt, "a failed fetch is not cached");
    }
}

#[test]
fn key_fetch_does_not_follow_a_redirect() {
    let v = first_vector();
    let target = LoopbackServer::serving_key(&v.public_key_pem);
    let redirect = LoopbackServer::start(Behaviour::Answer(http_reply(
        "302 Found",
        b"",
        &format!("Location: http://127.0.0.1:{}/k.pem\r\n", target.port),
    )));
    let cache = cache();
    cache.allow_prefix(&redirect.prefix()).unwrap();
    cache.allow_prefix(&target.prefix()).unwrap();
    let error = expect_kind(
        cache.verify(
            &v.request_target,
            &v.authorization,
            &redirect.key_url_header("/k.pem"),
            &v.body,
        ),
        ErrorKind::CallbackKeyFetchFailed,
        "redirect",
    );
    assert_eq!(error.http_status, 302);
    assert_eq!(redirect.accepted(), 1);
    assert_eq!(target.accepted(), 0);
}

#[test]
fn key_document_larger_than_64_kib_is_refused() {
    let v = first_vector();
    let mut huge = v.public_key_pem.clone();
    huge.push_str(&"#".repeat(70 * 1024));
    let server = LoopbackServer::serving_key(&huge);
    let cache = cache();
    cache.allow_prefix(&server.prefix()).unwrap();
    let error = expect_kind(
        cache.verify(
            &v.request_target,
            &v.authorization,
            &server.key_url_header("/k.pem"),
            &v.body,
        ),
        ErrorKind::CallbackKeyFetchFailed,
        "70 KiB key",
    );
    assert!(
        error.message.contains(
            "response too large: a declared body of 71952 bytes exceeds the 65536-byte response body limit"
        ),
        "{}",
        error.message
    );
}

#[test]
fn fetched_document_that_is_not_a_key_fails_as_key_malformed() {
    let v = first_vector();
    let server = LoopbackServer::serving_key("<html>not a key</html>");
    let cache = cache();
    cache.allow_prefix(&server.prefix()).unwrap();
    let error = expect_kind(
        cache.verify(
            &v.request_target,
            &v.authorization,
            &server.key_url_header("/k.pem"),
            &v.body,
        ),
        ErrorKind::CallbackKeyMalformed,
        "HTML instead of a key",
    );
    assert!(
        error.message.starts_with(&format!(
            "the document at \"http://127.0.0.1:{}/k.pem\" is not a usable public key: ",
            server.port
        )),
        "{}",
        error.message
    );
}

#[test]
fn key_fetch_from_a_closed_port_fails_as_fetch_failed() {
    let v = first_vector();
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let cache = cache();
    cache
        .allow_prefix(&format!("http://127.0.0.1:{closed}/"))
        .unwrap();
    let error = expect_kind(
        cache.verify(
            &v.request_target,
            &v.authorization,
            &base64_encode(format!("http://127.0.0.1:{closed}/k.pem").as_bytes()),
            &v.body,
        ),
        ErrorKind::CallbackKeyFetchFailed,
        "closed port",
    );
    assert!(
        error.message.contains("Connection refused"),
        "{}",
        error.message
    );
}

#[test]
fn allowed_prefix_does_not_extend_to_other_ports_schemes_or_paths() {
    let v = first_vector();
    let server = LoopbackServer::serving_key(&v.public_key_pem);
    let cache = cache();
    cache
        .allow_prefix(&format!("http://127.0.0.1:{}/keys", server.port))
        .unwrap();
    for url in [
        format!("http://127.0.0.1:{}/keys-evil.pem", server.port),
        format!("https://127.0.0.1:{}/keys/k.pem", server.port),
        format!("http://127.0.0.1:{}/keys/k.pem", server.port + 1),
        format!("http://127.0.0.1:{}/other/k.pem", server.port),
        format!("http://localhost:{}/keys/k.pem", server.port),
    ] {
        expect_kind(
            cache.verify(
                &v.request_target,
                &v.authorization,
                &base64_encode(url.as_bytes()),
                &v.body,
            ),
            ErrorKind::CallbackKeyUrlNotAllowed,
            &url,
        );
    }
    assert_eq!(server.accepted(), 0);
    cache
        .verify(
            &v.request_target,
            &v.authorization,
            &server.key_url_header("/keys/k.pem"),
            &v.body,
        )
        .unwrap();
    assert_eq!(server.accepted(), 1);
}

#[test]
fn allow_prefix_refuses_what_is_not_a_plain_http_url() {
    let cache = CallbackKeyCache::new();
    for bad in [
        "",
        "gosspublic.alicdn.com",
        "ftp://127.0.0.1/",
        "http://user@127.0.0.1/",
        "http://127.0.0.1/?v=1",
        "http://127.0.0.1/#x",
        "http://127.0.0.1:99999/",
    ] {
        let error = cache.allow_prefix(bad).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument, "{bad}");
    }
    assert_eq!(cache.allowed_prefixes().len(), 2);
    cache.allow_prefix("http://127.0.0.1:8080").unwrap();
    cache.allow_prefix("HTTP://127.0.0.1:8080/").unwrap();
    assert_eq!(
        cache.allowed_prefixes()[2..],
        ["http://127.0.0.1:8080/".to_owned()]
    );
}

#[test]
fn zero_timeout_is_refused() {
    let cache = CallbackKeyCache::new();
    let error = cache.set_timeout(Duration::ZERO).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(cache.timeout(), Duration::from_secs(5));
}

#[test]
fn key_cache_is_send_and_sync() {
    fn shared<T: Send + Sync>() {}
    shared::<CallbackKeyCache>();
    shared::<CallbackPublicKey>();
}

// ---------------------------------------------------------------------------------------------
// OSS's key host: always HTTPS. A loopback server stands in for gosspublic.alicdn.com through
// the test-only route; the real host is never resolved or contacted.

const OSS_KEY_URL_HTTP: &str = "http://gosspublic.alicdn.com/callback_pub_key_v1.pem";
const OSS_KEY_URL_HTTPS: &str = "https://gosspublic.alicdn.com/callback_pub_key_v1.pem";

/// What a [`KeyHostStandIn`] saw on one connection.
#[derive(Debug, Clone, Default)]
struct SeenRequest {
    /// The TLS server name the client asked for (`None` for plain connections).
    sni: Option<String>,
    /// The request head as received (decrypted for TLS); empty if none arrived.
    head: String,
}

/// A loopback server answering every request with a key document, over TLS with the given
/// certificate, or over plain HTTP when there is none.
struct KeyHostStandIn {
    address: std::net::SocketAddr,
    seen: Arc<std::sync::Mutex<Vec<SeenRequest>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl KeyHostStandIn {
    fn start(pem: &str, tls: Option<&support::certs::TestCertificates>) -> KeyHostStandIn {
        let tls = tls.map(|certs| Arc::new(tls_server_config(certs)));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let address = listener.local_addr().unwrap();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let reply = http_reply("200 OK", pem.as_bytes(), "");
        let thread = {
            let (seen, stop) = (Arc::clone(&seen), Arc::clone(&stop));
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let Ok((tcp, _)) = listener.accept() else {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    tcp.set_nonblocking(false).unwrap();
                    tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    let record = |request: SeenRequest| seen.lock().unwrap().push(request);
                    match &tls {
                        Some(config) => serve_tls(tcp, Arc::clone(config), &reply, record),
                        None => serve_plain(tcp, &reply, record),
                    }
                }
            })
        };
        KeyHostStandIn {
            address,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    /// The connections seen so far, once at least `count` have been (or after 5 seconds).
    fn seen(&self, count: usize) -> Vec<SeenRequest> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let seen = self.seen.lock().unwrap().clone();
            if seen.len() >= count || Instant::now() > deadline {
                return seen;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for KeyHostStandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn tls_server_config(certs: &support::certs::TestCertificates) -> rustls::ServerConfig {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&certs.server_cert)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(&certs.server_key).unwrap();
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap()
}

/// Reads a request head from `stream` (up to the empty line, EOF or an error).
fn read_request_head(stream: &mut impl Read) -> String {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Records what arrived before answering, so a test sees it as soon as its fetch returns.
fn serve_tls(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    reply: &[u8],
    record: impl FnOnce(SeenRequest),
) {
    let connection = rustls::ServerConnection::new(config).unwrap();
    let mut stream = rustls::StreamOwned::new(connection, tcp);
    let head = read_request_head(&mut stream);
    let sni = stream.conn.server_name().map(str::to_owned);
    let answer = !head.is_empty();
    record(SeenRequest { sni, head });
    if answer {
        let _ = stream.write_all(reply);
        stream.conn.send_close_notify();
        let _ = stream.flush();
    }
}

/// Answers whatever arrives first with the key over plain HTTP, as a downgrading attacker
/// would; records the first bytes received.
fn serve_plain(mut tcp: TcpStream, reply: &[u8], record: impl FnOnce(SeenRequest)) {
    let mut buf = [0u8; 4096];
    let n = tcp.read(&mut buf).unwrap_or(0);
    record(SeenRequest {
        sni: None,
        head: String::from_utf8_lossy(&buf[..n]).into_owned(),
    });
    let _ = tcp.write_all(reply);
}

fn oss_key_host_certificates(name: &str) -> support::certs::TestCertificates {
    support::certs::make_for(name, "DNS:gosspublic.alicdn.com")
}

/// A cache whose fetches for gosspublic.alicdn.com go to `stand_in`, trusting `ca`.
fn cache_routed_to(stand_in: &KeyHostStandIn, ca: &std::path::Path) -> CallbackKeyCache {
    let cache = cache();
    cache
        .route_oss_key_host_for_tests(stand_in.address, ca)
        .unwrap();
    cache
}

#[test]
fn oss_key_named_with_http_is_fetched_over_https_and_verifies() {
    let v = first_vector();
    let certs = oss_key_host_certificates("oss-key-host");
    let stand_in = KeyHostStandIn::start(&v.public_key_pem, Some(&certs));
    let cache = cache_routed_to(&stand_in, &certs.ca);
    let http_header = base64_encode(OSS_KEY_URL_HTTP.as_bytes());
    cache
        .verify(&v.request_target, &v.authorization, &http_header, &v.body)
        .unwrap();
    let seen = stand_in.seen(1);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].sni.as_deref(), Some("gosspublic.alicdn.com"));
    assert!(
        seen[0].head.starts_with(
            "GET /callback_pub_key_v1.pem HTTP/1.1\r\nHost: gosspublic.alicdn.com\r\n"
        ),
        "{:?}",
        seen[0].head
    );
    // The https:// spelling is the same key: served from the cache, no second fetch (a fetch
    // is recorded before it is answered, so it would show by now).
    let https_header = base64_encode(OSS_KEY_URL_HTTPS.as_bytes());
    cache
        .verify(&v.request_target, &v.authorization, &https_header, &v.body)
        .unwrap();
    assert_eq!(stand_in.seen(1).len(), 1);
}

#[test]
fn oss_key_named_with_https_is_fetched_over_https_too() {
    let v = first_vector();
    let certs = oss_key_host_certificates("oss-key-host-https");
    let stand_in = KeyHostStandIn::start(&v.public_key_pem, Some(&certs));
    let cache = cache_routed_to(&stand_in, &certs.ca);
    let header = base64_encode(OSS_KEY_URL_HTTPS.as_bytes());
    cache
        .verify(&v.request_target, &v.authorization, &header, &v.body)
        .unwrap();
    let seen = stand_in.seen(1);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].sni.as_deref(), Some("gosspublic.alicdn.com"));
}

#[test]
fn oss_key_host_answering_in_plain_http_is_never_trusted() {
    let v = first_vector();
    let certs = oss_key_host_certificates("oss-key-host-plain");
    let stand_in = KeyHostStandIn::start(&v.public_key_pem, None);
    let cache = cache_routed_to(&stand_in, &certs.ca);
    let header = base64_encode(OSS_KEY_URL_HTTP.as_bytes());
    let error = expect_kind(
        cache.verify(&v.request_target, &v.authorization, &header, &v.body),
        ErrorKind::CallbackKeyFetchFailed,
        "plain HTTP in place of the OSS key host",
    );
    assert!(
        error.message.starts_with(
            "cannot fetch the callback public key from \"https://gosspublic.alicdn.com/callback_pub_key_v1.pem\": TLS failed:"
        ),
        "{}",
        error.message
    );
    // What reached the stand-in was a TLS ClientHello (record type 22), not an HTTP request.
    let seen = stand_in.seen(1);
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].head.as_bytes().first() == Some(&0x16),
        "{:?}",
        seen[0].head
    );
    assert!(!seen[0].head.contains("GET "));
}

#[test]
fn oss_key_host_certificate_must_be_for_that_host_and_from_a_trusted_ca() {
    let v = first_vector();
    let header = base64_encode(OSS_KEY_URL_HTTP.as_bytes());
    // Signed by the trusted CA, but for 127.0.0.1/localhost rather than gosspublic.alicdn.com.
    let wrong_name = support::certs::make("oss-key-host-wrong-name");
    let stand_in = KeyHostStandIn::start(&v.public_key_pem, Some(&wrong_name));
    let cache = cache_routed_to(&stand_in, &wrong_name.ca);
    let error = expect_kind(
        cache.verify(&v.request_target, &v.authorization, &header, &v.body),
        ErrorKind::CallbackKeyFetchFailed,
        "certificate for another name",
    );
    assert!(error.message.contains("TLS failed:"), "{}", error.message);
    let seen = stand_in.seen(1);
    assert!(
        seen[0].head.is_empty(),
        "no request after a failed handshake: {seen:?}"
    );
    // For the right name, but from a CA the client was not told to trust.
    let right_name = oss_key_host_certificates("oss-key-host-other-ca");
    let other_ca = oss_key_host_certificates("oss-key-host-trusted-ca");
    let stand_in = KeyHostStandIn::start(&v.public_key_pem, Some(&right_name));
    let cache = cache_routed_to(&stand_in, &other_ca.ca);
    let error = expect_kind(
        cache.verify(&v.request_target, &v.authorization, &header, &v.body),
        ErrorKind::CallbackKeyFetchFailed,
        "untrusted CA",
    );
    assert!(error.message.contains("TLS failed:"), "{}", error.message);
}

#[test]
fn oss_key_host_route_is_loopback_only_and_leaves_other_prefixes_alone() {
    let v = first_vector();
    let cache = cache();
    let ca = std::path::Path::new("/nonexistent/ca.pem");
    let error = cache
        .route_oss_key_host_for_tests("192.0.2.1:443".parse().unwrap(), ca)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(
        error.message,
        "the OSS key host can only be routed to a loopback address, not 192.0.2.1:443"
    );
    // An explicitly allowed http:// prefix is still fetched over plain HTTP, route or not.
    let server = LoopbackServer::serving_key(&v.public_key_pem);
    let certs = oss_key_host_certificates("oss-key-host-route-other");
    let stand_in = KeyHostStandIn::start(&v.public_key_pem, Some(&certs));
    let cache = cache_routed_to(&stand_in, &certs.ca);
    cache.allow_prefix(&server.prefix()).unwrap();
    cache
        .verify(
            &v.request_target,
            &v.authorization,
            &server.key_url_header("/callback_pub_key_v1.pem"),
            &v.body,
        )
        .unwrap();
    assert_eq!(server.accepted(), 1);
    assert!(stand_in.seen(0).is_empty());
}

// ---------------------------------------------------------------------------------------------
// examples_c/callback_server.c: end to end with the emulator, forged callbacks, and its HTTP.

mod support;

use ossffi::callback::{CallbackBodyType, ObjectCallbackBuilder, ObjectCallbackVariableBuilder};
use ossffi::signing::{Credentials, v4};
use ossffi_emulator::callback::{CallbackSigner, TEST_PRIVATE_KEY_PEM};
use support::callback_server::CallbackServer;
use support::native::Sanitizer;

const AK: &str = "LTAI5tCallbackE2E0001";
const SK: &str = "CallbackE2ESecretForTheEmulator01";
const BUCKET: &str = "cb-e2e-bkt";

/// An HTTP response as read off the wire.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One client connection that reads responses with Content-Length bodies, keeping what follows
/// (a pipelined response) for the next read.
struct Client {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    fn connect(addr: std::net::SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Client {
            stream,
            buf: Vec::new(),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 8192];
        match self.stream.read(&mut chunk) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// The next response, or `None` when the server closed the connection first.
    fn response(&mut self) -> Option<Response> {
        let head_end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            if !self.fill() {
                return None;
            }
        };
        let head = String::from_utf8(self.buf[..head_end].to_vec()).unwrap();
        self.buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().unwrap()[9..12].parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.to_owned(), v.trim().to_owned())
            })
            .collect();
        let len: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        while self.buf.len() < len {
            if !self.fill() {
                return None;
            }
        }
        let body = String::from_utf8(self.buf.drain(..len).collect()).unwrap();
        Some(Response {
            status,
            headers,
            body,
        })
    }

    /// Whether the server closed the connection (reads end of stream, nothing buffered).
    fn closed_by_server(&mut self) -> bool {
        self.buf.is_empty() && !self.fill()
    }
}

/// A callback POST as OSS sends it.
fn callback_post(
    version: &str,
    target: &str,
    authorization: &str,
    pub_key_url_b64: &str,
    body: &[u8],
    extra_headers: &str,
) -> Vec<u8> {
    let mut request = format!(
        "POST {target} {version}\r\nHost: receiver\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\nAuthorization: \
         {authorization}\r\nx-oss-pub-key-url: {pub_key_url_b64}\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

fn vector_post(v: &Vector, version: &str, extra_headers: &str) -> Vec<u8> {
    callback_post(
        version,
        &v.request_target,
        &v.authorization,
        &v.pub_key_url_header,
        &v.body,
        extra_headers,
    )
}

const VECTOR_ONE_REPLY: &str =
    r#"{"Status":"OK","Bucket":"vec-shared-bkt","Object":"uploads/photo.jpg"}"#;

/// The receiver, verifying with the vectors' test key.
fn receiver_with_vector_key(sanitizer: Sanitizer, extra: &[&str]) -> CallbackServer {
    // Written once: tests run in parallel and must never read a half-written file.
    static PEM_PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let pem_path = PEM_PATH.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("vector_public_key-{}.pem", std::process::id()));
        std::fs::write(&path, first_vector().public_key_pem).unwrap();
        path
    });
    let mut args = vec!["--public-key", pem_path.to_str().unwrap()];
    args.extend_from_slice(extra);
    CallbackServer::start(sanitizer, &args)
}

/// `http://127.0.0.1:PORT/` for the emulator's key URL.
fn emulator_key_prefix(server: &ossffi_emulator::RunningServer) -> String {
    let url = server.public_key_url();
    let after_scheme = url.strip_prefix("http://").expect("a plain HTTP key URL");
    let host_end = after_scheme.find('/').expect("a path");
    format!("http://{}/", &after_scheme[..host_end])
}

/// PutObject with callback headers, signed with V4, sent raw (the C client is not involved).
fn put_with_callback(
    emulator: &ossffi_emulator::RunningServer,
    key: &str,
    body: &[u8],
    callback: &str,
    callback_var: &str,
) -> Response {
    let mut headers = vec![
        ("x-oss-callback".to_owned(), callback.to_owned()),
        ("x-oss-callback-var".to_owned(), callback_var.to_owned()),
    ];
    v4::sign_headers(
        "PUT",
        Some(BUCKET),
        Some(key),
        &[],
        &mut headers,
        &Credentials::new(AK, SK),
        "cn-hangzhou",
        "oss",
        ossffi::time::now_unix(),
        &[],
    );
    let mut request = format!(
        "PUT /{BUCKET}/{} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        ossffi::encoding::uri_encode(key, true),
        emulator.addr(),
        body.len()
    );
    for (name, value) in &headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut client = Client::connect(emulator.addr());
    client.send(request.as_bytes());
    client.send(body);
    client.response().expect("the emulator answers the PUT")
}

fn start_emulator() -> ossffi_emulator::RunningServer {
    ossffi_emulator::Server::start(ossffi_emulator::Config::new(AK, SK).with_bucket(BUCKET))
        .expect("the emulator starts")
}

#[test]
fn emulator_callback_is_verified_by_the_c_receiver_and_its_reply_is_the_put_result() {
    let emulator = start_emulator();
    let prefix = emulator_key_prefix(&emulator);
    let receiver = CallbackServer::start(
        Sanitizer::AddressAndUndefined,
        &["--allow-key-url-prefix", &prefix],
    );
    let callback = ObjectCallbackBuilder::new(
        format!("http://{}/oss/callback?src=e2e", receiver.addr),
        "bucket=${bucket}&object=${object}&size=${size}&my=${x:my}",
    )
    .build();
    let mut vars = ObjectCallbackVariableBuilder::new();
    vars.add("x:my", "v 1&2").unwrap();

    let reply = put_with_callback(
        &emulator,
        "photos/cat 1.jpg",
        b"hello",
        &callback,
        &vars.build(),
    );

    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body,
        r#"{"Status":"OK","Bucket":"cb-e2e-bkt","Object":"photos/cat 1.jpg"}"#
    );
    assert!(reply.header("ETag").is_some());
    assert!(emulator.object_exists(BUCKET, "photos/cat 1.jpg"));
    let finished = receiver.stop();
    finished.assert_clean();
    let out = &finished.stdout;
    assert!(out.contains(" /oss/callback?src=e2e HTTP/1."), "{out}");
    assert!(
        out.contains(
            "  verified: the signature matches\n  bucket=cb-e2e-bkt\n  object=photos/cat 1.jpg\n  \
             size=5\n  my=v 1&2\n"
        ),
        "{out}"
    );
}

#[test]
fn emulator_json_callback_is_verified_and_echoed_by_the_c_receiver() {
    let emulator = start_emulator();
    let prefix = emulator_key_prefix(&emulator);
    let receiver = CallbackServer::start(
        Sanitizer::AddressAndUndefined,
        &["--allow-key-url-prefix", &prefix],
    );
    let mut callback = ObjectCallbackBuilder::new(
        format!("http://{}/cb/json", receiver.addr),
        r#"{"bucket":${bucket},"object":${object},"uid":${x:uid}}"#,
    );
    callback.body_type = CallbackBodyType::Json;
    let mut vars = ObjectCallbackVariableBuilder::new();
    vars.add("x:uid", "42").unwrap();

    let reply = put_with_callback(
        &emulator,
        "docs/report.json",
        b"{}",
        &callback.build(),
        &vars.build(),
    );

    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body,
        r#"{"Status":"OK","Bucket":"cb-e2e-bkt","Object":"docs/report.json"}"#
    );
    let finished = receiver.stop();
    finished.assert_clean();
    assert!(
        finished.stdout.contains(
            "  verified: the signature matches\n  \
             {\"bucket\":\"cb-e2e-bkt\",\"object\":\"docs/report.json\",\"uid\":\"42\"}\n"
        ),
        "{}",
        finished.stdout
    );
}

#[test]
fn receiver_that_does_not_trust_the_emulator_key_fails_the_upload_callback_with_203() {
    let emulator = start_emulator();
    // No --allow-key-url-prefix: the emulator's loopback key URL is not OSS's.
    let receiver = CallbackServer::start(Sanitizer::AddressAndUndefined, &[]);
    let callback = ObjectCallbackBuilder::new(
        format!("http://{}/oss/callback", receiver.addr),
        "object=${object}",
    )
    .build();

    let reply = put_with_callback(&emulator, "untrusted.txt", b"x", &callback, "");

    assert_eq!(reply.status, 203, "{}", reply.body);
    assert!(
        reply.body.contains("<Code>CallbackFailed</Code>"),
        "{}",
        reply.body
    );
    assert!(emulator.object_exists(BUCKET, "untrusted.txt"));
    let finished = receiver.stop();
    finished.assert_clean();
    assert!(
        finished
            .stdout
            .contains("  refused: OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED: "),
        "{}",
        finished.stdout
    );
}

#[test]
fn forged_callbacks_posted_directly_to_the_c_receiver_get_403() {
    let emulator = start_emulator();
    let receiver = CallbackServer::start(
        Sanitizer::AddressAndUndefined,
        &["--allow-key-url-prefix", &emulator_key_prefix(&emulator)],
    );
    let signer = CallbackSigner::from_pem(TEST_PRIVATE_KEY_PEM).unwrap();
    let emulator_key_url = base64_encode(emulator.public_key_url().as_bytes());
    let body = b"bucket=cb-e2e-bkt&object=paid-invoice.pdf";
    let signature = signer.sign("/oss/callback", None, body);

    // Control: signed with the emulator's key and naming its key URL, it is accepted.
    let mut client = Client::connect(receiver.addr);
    client.send(&callback_post(
        "HTTP/1.1",
        "/oss/callback",
        &signature,
        &emulator_key_url,
        body,
        "",
    ));
    let accepted = client.response().unwrap();
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(
        accepted.body,
        r#"{"Status":"OK","Bucket":"cb-e2e-bkt","Object":"paid-invoice.pdf"}"#
    );

    // The same signature on a different body: the signature does not match.
    let altered = b"bucket=cb-e2e-bkt&object=free-invoice.pdf";
    client.send(&callback_post(
        "HTTP/1.1",
        "/oss/callback",
        &signature,
        &emulator_key_url,
        altered,
        "",
    ));
    let mismatch = client.response().unwrap();
    assert_eq!(mismatch.status, 403);
    assert_eq!(mismatch.header("Content-Type"), Some("application/json"));
    assert!(
        mismatch.body.starts_with(
            r#"{"Status":"Forbidden","Reason":"OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH: "#
        ),
        "{}",
        mismatch.body
    );

    // A forger's own key: a valid signature, but the key URL is not trusted, and the forger's
    // key server is never contacted.
    let forger = LoopbackServer::serving_key(signer.public_key_pem());
    client.send(&callback_post(
        "HTTP/1.1",
        "/oss/callback",
        &signature,
        &forger.key_url_header("/callback_pub_key_v1.pem"),
        body,
        "Connection: close\r\n",
    ));
    let refused = client.response().unwrap();
    assert_eq!(refused.status, 403);
    assert!(
        refused.body.starts_with(
            r#"{"Status":"Forbidden","Reason":"OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED: "#
        ),
        "{}",
        refused.body
    );
    assert!(client.closed_by_server());
    assert_eq!(forger.accepted(), 0);

    let finished = receiver.stop();
    finished.assert_clean();
    assert_eq!(
        finished
            .stdout
            .matches("  verified: the signature matches\n")
            .count(),
        1,
        "{}",
        finished.stdout
    );
    assert!(
        !finished.stdout.contains("object=free-invoice.pdf"),
        "a refused body was acted on:\n{}",
        finished.stdout
    );
}

#[test]
fn receiver_keeps_http11_connections_alive_and_answers_pipelined_requests_in_order() {
    let receiver = receiver_with_vector_key(Sanitizer::AddressAndUndefined, &[]);
    let v = first_vector();
    let mut client = Client::connect(receiver.addr);
    client.send(&vector_post(&v, "HTTP/1.1", ""));
    let first = client.response().unwrap();
    assert_eq!((first.status, first.body.as_str()), (200, VECTOR_ONE_REPLY));
    assert_eq!(first.header("Connection"), Some("keep-alive"));
    assert_eq!(
        first.header("Content-Length"),
        Some(VECTOR_ONE_REPLY.len().to_string().as_str())
    );
    // Two requests in one write; the second asks to close.
    let mut pipelined = vector_post(&v, "HTTP/1.1", "");
    pipelined.extend(vector_post(&v, "HTTP/1.1", "Connection: close\r\n"));
    client.send(&pipelined);
    for expected_connection in ["keep-alive", "close"] {
        let response = client.response().unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, VECTOR_ONE_REPLY);
        assert_eq!(response.header("Connection"), Some(expected_connection));
    }
    assert!(client.closed_by_server());
    receiver.stop().assert_clean();
}

#[test]
fn receiver_closes_http10_connections_unless_asked_to_keep_them() {
    let receiver = receiver_with_vector_key(Sanitizer::AddressAndUndefined, &[]);
    let v = first_vector();
    let mut client = Client::connect(receiver.addr);
    client.send(&vector_post(&v, "HTTP/1.0", "Connection: keep-alive\r\n"));
    let kept = client.response().unwrap();
    assert_eq!(kept.header("Connection"), Some("keep-alive"));
    client.send(&vector_post(&v, "HTTP/1.0", ""));
    let last = client.response().unwrap();
    assert_eq!((last.status, last.body.as_str()), (200, VECTOR_ONE_REPLY));
    assert_eq!(last.header("Connection"), Some("close"));
    assert!(client.closed_by_server());
    receiver.stop().assert_clean();
}

#[test]
fn receiver_assembles_a_request_that_arrives_a_few_bytes_at_a_time() {
    let receiver = receiver_with_vector_key(Sanitizer::AddressAndUndefined, &[]);
    let v = first_vector();
    let mut client = Client::connect(receiver.addr);
    client.stream.set_nodelay(true).unwrap();
    for piece in vector_post(&v, "HTTP/1.1", "Connection: close\r\n").chunks(7) {
        client.send(piece);
        thread::sleep(Duration::from_millis(2));
    }
    let response = client.response().unwrap();
    assert_eq!(
        (response.status, response.body.as_str()),
        (200, VECTOR_ONE_REPLY)
    );
    receiver.stop().assert_clean();
}

#[test]
fn receiver_answers_expect_100_continue_before_the_body() {
    let receiver = receiver_with_vector_key(Sanitizer::AddressAndUndefined, &[]);
    let v = first_vector();
    let request = vector_post(
        &v,
        "HTTP/1.1",
        "Expect: 100-continue\r\nConnection: close\r\n",
    );
    let head_len = request.len() - v.body.len();
    let mut client = Client::connect(receiver.addr);
    client.send(&request[..head_len]);
    let interim = client.response().unwrap();
    assert_eq!(interim.status, 100);
    client.send(&request[head_len..]);
    let response = client.response().unwrap();
    assert_eq!(
        (response.status, response.body.as_str()),
        (200, VECTOR_ONE_REPLY)
    );
    receiver.stop().assert_clean();
}

#[test]
fn receiver_refuses_an_oversize_body_with_413_without_reading_it() {
    let receiver =
        receiver_with_vector_key(Sanitizer::AddressAndUndefined, &["--max-body-bytes", "64"]);
    let v = first_vector();
    let mut client = Client::connect(receiver.addr);
    client.send(&vector_post(&v, "HTTP/1.1", ""));
    let response = client.response().unwrap();
    assert_eq!(response.status, 413);
    assert_eq!(
        response.body,
        r#"{"Status":"PayloadTooLarge","Reason":"the body is larger than 64 bytes"}"#
    );
    assert_eq!(response.header("Connection"), Some("close"));
    let finished = receiver.stop();
    finished.assert_clean();
    assert!(!finished.stdout.contains("verified"), "{}", finished.stdout);
}

#[test]
fn receiver_refuses_oversize_headers_with_431() {
    let receiver = receiver_with_vector_key(Sanitizer::AddressAndUndefined, &[]);
    let v = first_vector();
    let huge = format!("X-Padding: {}\r\n", "a".repeat(20 * 1024));
    let mut client = Client::connect(receiver.addr);
    client.send(&vector_post(&v, "HTTP/1.1", &huge));
    let response = client.response().unwrap();
    assert_eq!(response.status, 431);
    assert_eq!(
        response.body,
        r#"{"Status":"HeadersTooLarge","Reason":"the request line and headers are too large"}"#
    );
    receiver.stop().assert_clean();
}

#[test]
fn receiver_answers_malformed_requests_with_400_and_other_methods_with_405() {
    let receiver = receiver_with_vector_key(Sanitizer::AddressAndUndefined, &[]);
    for (request, status) in [
        (&b"GARBAGE\r\n\r\n"[..], 400),
        (b"POST /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400),
        (
            b"POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            400,
        ),
        (b"POST /x HTTP/2.0\r\n\r\n", 505),
        (b"GET /x HTTP/1.1\r\n\r\n", 405),
        (
            b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            501,
        ),
    ] {
        let mut client = Client::connect(receiver.addr);
        client.send(request);
        let response = client.response().unwrap();
        assert_eq!(
            response.status,
            status,
            "{}: {}",
            String::from_utf8_lossy(request),
            response.body
        );
        assert!(
            response.body.starts_with("{\"Status\":\""),
            "{}",
            response.body
        );
    }
    receiver.stop().assert_clean();
}

#[test]
fn receiver_exits_cleanly_after_max_requests() {
    let receiver =
        receiver_with_vector_key(Sanitizer::AddressAndUndefined, &["--max-requests", "1"]);
    let v = first_vector();
    let mut client = Client::connect(receiver.addr);
    client.send(&vector_post(&v, "HTTP/1.1", ""));
    assert_eq!(client.response().unwrap().status, 200);
    let finished = receiver.wait();
    finished.assert_clean();
    assert!(
        finished.stderr.contains("stopped after 1 answers"),
        "{}",
        finished.stderr
    );
}

#[test]
fn receiver_exits_cleanly_on_sigint_while_a_connection_is_idle() {
    let receiver = receiver_with_vector_key(Sanitizer::AddressAndUndefined, &[]);
    let v = first_vector();
    let mut client = Client::connect(receiver.addr);
    client.send(&vector_post(&v, "HTTP/1.1", ""));
    assert_eq!(client.response().unwrap().status, 200);
    // The keep-alive connection stays open and idle while the signal arrives.
    let finished = receiver.stop_with("INT");
    finished.assert_clean();
    assert!(
        finished.stderr.contains("stopped after 1 answers"),
        "{}",
        finished.stderr
    );
    assert!(client.closed_by_server());
}

#[test]
fn receiver_runs_clean_under_valgrind_with_pem_and_with_fetched_keys() {
    // With the PEM: one verified, one forged request on a keep-alive connection.
    let receiver = receiver_with_vector_key(Sanitizer::Valgrind, &[]);
    let v = first_vector();
    let mut client = Client::connect(receiver.addr);
    client.send(&vector_post(&v, "HTTP/1.1", ""));
    assert_eq!(client.response().unwrap().body, VECTOR_ONE_REPLY);
    let mut forged = v.body.clone();
    forged[0] = flip(forged[0]);
    client.send(&callback_post(
        "HTTP/1.1",
        &v.request_target,
        &v.authorization,
        &v.pub_key_url_header,
        &forged,
        "",
    ));
    assert_eq!(client.response().unwrap().status, 403);
    drop(client);
    receiver.stop().assert_clean();

    // With the key cache: the key is fetched from the emulator's key server.
    let emulator = start_emulator();
    let receiver = CallbackServer::start(
        Sanitizer::Valgrind,
        &["--allow-key-url-prefix", &emulator_key_prefix(&emulator)],
    );
    let signer = CallbackSigner::from_pem(TEST_PRIVATE_KEY_PEM).unwrap();
    let body = b"bucket=cb-e2e-bkt&object=valgrind.txt";
    let mut client = Client::connect(receiver.addr);
    for _ in 0..2 {
        client.send(&callback_post(
            "HTTP/1.1",
            "/cb?q=1",
            &signer.sign("/cb", Some("q=1"), body),
            &base64_encode(emulator.public_key_url().as_bytes()),
            body,
            "",
        ));
        let response = client.response().unwrap();
        assert_eq!(response.status, 200, "{}", response.body);
    }
    drop(client);
    receiver.stop().assert_clean();
}
