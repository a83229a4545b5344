//! The client against servers that answer a PUT with hostile replies (issue 10's regression
//! inputs): an overflowing chunk size, with and without a leading NUL, a 2^63-byte
//! Content-Length, bodies and heads and lines that never end. Each reply is followed by endless
//! bytes (up to 96 MiB, for up to 60 s). The upload must fail at once with a clear transport
//! error, and the client must stop reading early: the bytes the server got through before the
//! client closed stay bounded, far below what it would have sent.
//!
//! The same servers are then faced from C (tests/c/scenarios/hostile_replies.c), statically
//! linked under ASan/UBSan, dynamically under valgrind, and plain for a peak-RSS figure.

mod support;

use std::sync::Arc;
use std::time::Duration;

use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::error::{ErrorKind, ObjectStored};
use ossffi::put_object::{Body, PutObjectRequest};
use support::hostile_server::{BUDGET, HostileServer};
use support::native::{self, Linking, Sanitizer};

/// The client's response body limit.
const LIMIT: u64 = 8 << 20;

/// Where the client must have stopped reading.
#[derive(Clone, Copy, Debug)]
enum Stops {
    /// Within the first few KiB: what got through is what the kernel's socket buffers hold.
    Early,
    /// At the 8 MiB body limit, plus socket buffers.
    AtTheLimit,
}

impl Stops {
    /// The most bytes the server may have got through to the client's side before it closed:
    /// what the client read plus what the kernel buffers on both ends. On loopback the sender's
    /// buffer reaches 4 MiB, and a receive buffer that the client drains quickly grows too
    /// (about 4.3 MiB got through in the early cases, 12.8 MiB at the limit, when measured);
    /// the bounds leave room for that and stay far below the 96 MiB a server would send to a
    /// client that kept reading.
    fn bound(self) -> u64 {
        match self {
            Stops::Early => LIMIT,
            Stops::AtTheLimit => LIMIT + (24 << 20),
        }
    }
}

struct Case {
    /// Also the environment variable's suffix for the C program (`OSSFFI_HOSTILE_<name>`).
    name: &'static str,
    prefix: Vec<u8>,
    filler: Vec<u8>,
    code: &'static str,
    message: String,
    stops: Stops,
}

const CHUNKED_HEAD: &str = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

fn weird(detail: &str) -> String {
    format!("Weird server reply. (malformed HTTP response: {detail})")
}

fn too_large(detail: &str) -> String {
    format!("Maximum file size exceeded. (response too large: {detail})")
}

fn cases() -> Vec<Case> {
    let case = |name, prefix: &[u8], filler: &[u8], code, message, stops| Case {
        name,
        prefix: prefix.to_vec(),
        filler: filler.to_vec(),
        code,
        message,
        stops,
    };
    let mut one_mib_line = b"HTTP/1.1 200 OK\r\nX-Long: ".to_vec();
    one_mib_line.extend(std::iter::repeat_n(b'l', 1 << 20));
    one_mib_line.extend_from_slice(b"\r\n\r\n");
    let mut full_chunk = b"10000\r\n".to_vec();
    full_chunk.extend(std::iter::repeat_n(b'c', 64 * 1024));
    full_chunk.extend_from_slice(b"\r\n");
    vec![
        case(
            "CHUNK_OVERFLOW_NUL",
            b"\x00HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\nffffffffffffffff\r\n",
            b"x",
            "ClientError:200008",
            weird("invalid HTTP version in the response head"),
            Stops::Early,
        ),
        case(
            "CHUNK_OVERFLOW",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\nffffffffffffffff\r\n",
            b"x",
            "ClientError:200063",
            too_large(
                "a chunk of 18446744073709551615 bytes after 1 body bytes exceeds the \
                 8388608-byte response body limit",
            ),
            Stops::Early,
        ),
        case(
            "CONTENT_LENGTH_2_POW_63",
            b"HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n",
            b"b",
            "ClientError:200063",
            too_large(
                "a declared body of 9223372036854775808 bytes exceeds the 8388608-byte \
                 response body limit",
            ),
            Stops::Early,
        ),
        case(
            "BODY_UNTIL_CLOSE",
            b"HTTP/1.1 200 OK\r\n\r\n",
            b"u",
            "ClientError:200063",
            too_large("a body delimited by closing exceeds the 8388608-byte response body limit"),
            Stops::AtTheLimit,
        ),
        case(
            "CHUNKS_PAST_THE_LIMIT",
            CHUNKED_HEAD.as_bytes(),
            &full_chunk,
            "ClientError:200063",
            too_large(
                "a chunk of 65536 bytes after 8388608 body bytes exceeds the 8388608-byte \
                 response body limit",
            ),
            Stops::AtTheLimit,
        ),
        case(
            "HEAD_NEVER_ENDS",
            b"HTTP/1.1 200 OK\r\n",
            format!("X-Pad: {}\r\n", "p".repeat(2000)).as_bytes(),
            "ClientError:200008",
            weird("response head larger than 64 KiB"),
            Stops::Early,
        ),
        case(
            "HEADER_LINE_OF_1_MIB",
            &one_mib_line,
            b"h",
            "ClientError:200008",
            weird("response head larger than 64 KiB"),
            Stops::Early,
        ),
        case(
            "ENDLESS_100_CONTINUE",
            b"",
            b"HTTP/1.1 100 Continue\r\n\r\n",
            "ClientError:200008",
            weird("response head larger than 64 KiB"),
            Stops::Early,
        ),
        case(
            "ENDLESS_HEADERS",
            b"HTTP/1.1 200 OK\r\n",
            b"X-H: 1\r\n",
            "ClientError:200008",
            weird("more than 64 response headers"),
            Stops::Early,
        ),
        case(
            "CHUNK_SIZE_LINE_NEVER_ENDS",
            format!("{CHUNKED_HEAD}1;").as_bytes(),
            b"e",
            "ClientError:200008",
            weird("a chunk-size or trailer line longer than 4096 bytes"),
            Stops::Early,
        ),
        case(
            "ENDLESS_TRAILERS",
            format!("{CHUNKED_HEAD}0\r\n").as_bytes(),
            b"X-Trailer: 1\r\n",
            "ClientError:200008",
            weird("more than 64 trailer fields after the chunked body"),
            Stops::Early,
        ),
        case(
            "ENDLESS_CHUNK_EXTENSIONS",
            CHUNKED_HEAD.as_bytes(),
            format!("1;{}\r\nq\r\n", "e".repeat(4000)).as_bytes(),
            "ClientError:200008",
            weird("more than 1024 KiB of chunk-size and trailer lines"),
            Stops::Early,
        ),
    ]
}

fn case(name: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

fn start(case: &Case) -> HostileServer {
    HostileServer::start(case.prefix.clone(), case.filler.clone())
}

/// Checks that the server's one connection ended because the client closed it, within the
/// case's bound; returns the bytes it got through.
fn assert_client_stopped_early(server: &HostileServer, case: &Case, context: &str) -> u64 {
    let connections = server.connections(1, Duration::from_secs(70));
    assert_eq!(connections.len(), 1, "{context} {}: one attempt", case.name);
    let connection = &connections[0];
    assert!(
        connection.client_closed,
        "{context} {}: the client kept reading until the server stopped: {connection:?}",
        case.name
    );
    assert!(
        connection.sent < case.stops.bound() && connection.sent < BUDGET,
        "{context} {}: {} bytes got through, more than {} ({:?})",
        case.name,
        connection.sent,
        case.stops.bound(),
        case.stops
    );
    println!(
        "{context} {}: the server got {} bytes through in {:?} before the client closed",
        case.name, connection.sent, connection.elapsed
    );
    connection.sent
}

fn upload_from_rust(name: &str) {
    let case = case(name);
    let server = start(&case);
    let config = ClientConfig {
        region: native::TEST_REGION.into(),
        max_retries: 0,
        ..ClientConfig::default()
    };
    let credentials = Credentials::new(native::TEST_ACCESS_KEY_ID, native::TEST_ACCESS_KEY_SECRET);
    let client = Client::new(
        &server.endpoint(),
        Arc::new(StaticCredentials(credentials)),
        config,
    )
    .unwrap();
    let data = vec![7u8; 1024];
    let mut request =
        PutObjectRequest::new(native::TEST_BUCKET, "hostile/reply.bin", Body::Bytes(&data));
    let error = client.put_object(&mut request).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Transport, "{name}: {error}");
    assert_eq!(error.code, case.code, "{name}");
    assert_eq!(error.message, case.message, "{name}");
    assert_eq!(error.http_status, 0, "{name}");
    assert_eq!(error.object_stored, ObjectStored::Unknown, "{name}");
    assert_client_stopped_early(&server, &case, "Rust");
}

#[test]
fn chunk_size_overflow_after_a_nul_is_a_weird_reply_read_no_further() {
    upload_from_rust("CHUNK_OVERFLOW_NUL");
}

#[test]
fn chunk_size_of_2_pow_64_minus_1_is_too_large_and_read_no_further() {
    upload_from_rust("CHUNK_OVERFLOW");
}

#[test]
fn content_length_of_2_pow_63_is_too_large_and_read_no_further() {
    upload_from_rust("CONTENT_LENGTH_2_POW_63");
}

#[test]
fn body_delimited_by_close_stops_at_8_mib() {
    upload_from_rust("BODY_UNTIL_CLOSE");
}

#[test]
fn endless_64_kib_chunks_stop_at_8_mib() {
    upload_from_rust("CHUNKS_PAST_THE_LIMIT");
}

#[test]
fn head_that_never_ends_stops_at_64_kib() {
    upload_from_rust("HEAD_NEVER_ENDS");
}

#[test]
fn header_line_of_1_mib_stops_at_64_kib() {
    upload_from_rust("HEADER_LINE_OF_1_MIB");
}

#[test]
fn endless_100_continue_heads_stop_at_64_kib() {
    upload_from_rust("ENDLESS_100_CONTINUE");
}

#[test]
fn endless_header_fields_stop_at_64() {
    upload_from_rust("ENDLESS_HEADERS");
}

#[test]
fn chunk_size_line_that_never_ends_stops_at_4_kib() {
    upload_from_rust("CHUNK_SIZE_LINE_NEVER_ENDS");
}

#[test]
fn endless_trailers_stop_at_64() {
    upload_from_rust("ENDLESS_TRAILERS");
}

#[test]
fn endless_chunk_extensions_stop_at_1_mib_of_framing() {
    upload_from_rust("ENDLESS_CHUNK_EXTENSIONS");
}

// ---------------------------------------------------------------------------------------------
// The same replies through the C API.

fn run_c_program(linking: Linking, sanitizer: Sanitizer, max_rss_growth_kib: u64) {
    let program = native::repo_root().join("tests/c/scenarios/hostile_replies.c");
    let exe = native::compile(&program, "c", linking, sanitizer);
    let cases = cases();
    let servers: Vec<HostileServer> = cases.iter().map(start).collect();
    let mut envs: Vec<(String, String)> = cases
        .iter()
        .zip(&servers)
        .map(|(case, server)| (format!("OSSFFI_HOSTILE_{}", case.name), server.endpoint()))
        .collect();
    envs.extend([
        (
            "OSSFFI_TEST_REGION".to_owned(),
            native::TEST_REGION.to_owned(),
        ),
        (
            "OSSFFI_TEST_BUCKET".to_owned(),
            native::TEST_BUCKET.to_owned(),
        ),
        (
            "OSS_ACCESS_KEY_ID".to_owned(),
            native::TEST_ACCESS_KEY_ID.to_owned(),
        ),
        (
            "OSS_ACCESS_KEY_SECRET".to_owned(),
            native::TEST_ACCESS_KEY_SECRET.to_owned(),
        ),
        (
            "OSSFFI_TEST_MAX_RSS_GROWTH_KIB".to_owned(),
            max_rss_growth_kib.to_string(),
        ),
    ]);
    native::check_compiled(&exe, &program, linking, sanitizer, &envs, &[]);
    let context = format!("C ({linking:?}, {sanitizer:?})");
    for (case, server) in cases.iter().zip(&servers) {
        assert_client_stopped_early(server, case, &context);
    }
}

/// ASan keeps freed memory in quarantine and valgrind adds its own, so under them the peak
/// grows by what all twelve exchanges allocated (about 54 MiB and 38 MiB when measured); 80 MiB
/// is still below the 96 MiB that any one server sends to a client that keeps reading.
const SANITIZED_RSS_GROWTH_KIB: u64 = 80 * 1024;

#[test]
fn hostile_replies_from_c_under_address_and_undefined_sanitizers() {
    run_c_program(
        Linking::Static,
        Sanitizer::AddressAndUndefined,
        SANITIZED_RSS_GROWTH_KIB,
    );
}

#[test]
fn hostile_replies_from_c_under_valgrind() {
    run_c_program(
        Linking::Dynamic,
        Sanitizer::Valgrind,
        SANITIZED_RSS_GROWTH_KIB,
    );
}

/// Without sanitizers the figure is the library's own: 10 to 15 MiB for all twelve replies
/// when measured (two are read up to the 8 MiB limit, and a growing buffer briefly holds its
/// old and new copies), against 96 MiB per reply for a client that kept reading.
#[test]
fn hostile_replies_from_c_leave_peak_rss_within_32_mib() {
    run_c_program(Linking::Static, Sanitizer::None, 32 * 1024);
}
