//! `--sink`: bodies are read, digested and verified, never stored.

mod common;

use common::*;
use md5::{Digest, Md5};
use ossffi::crc64::crc64;
use ossffi::encoding::hex_upper;

#[test]
fn sink_answers_the_right_etag_and_crc_but_stores_nothing() {
    let server = start(config().with_sink(true));
    let addr = server.addr();
    for size in [0usize, 4096, 9 << 20] {
        let body: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let reply = put(addr, "sunk", &body);
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            reply.header("ETag"),
            Some(format!("\"{}\"", hex_upper(&Md5::digest(&body))).as_str()),
            "size {size}"
        );
        assert_eq!(
            reply.header("x-oss-hash-crc64ecma"),
            Some(crc64(&body).to_string().as_str()),
            "size {size}"
        );
    }
    assert!(!server.object_exists(BUCKET, "sunk"));
}

#[test]
fn sink_still_verifies_signatures() {
    let server = start(config().with_sink(true));
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "x")
        .body(b"x".to_vec())
        .sign_v4_with(
            &ossffi::signing::Credentials::new(AK, "bad"),
            ossffi::time::now_unix(),
        )
        .send(addr);
    assert_eq!(reply.code(), "SignatureDoesNotMatch");
}

#[test]
fn sink_digests_chunked_bodies() {
    let server = start(config().with_sink(true));
    let addr = server.addr();
    let mut bytes = Request::object("PUT", addr, "c")
        .header("Transfer-Encoding", "chunked")
        .sign_v4()
        .to_bytes();
    bytes.extend_from_slice(b"3\r\nabc\r\n0\r\n\r\n");
    let reply = send_raw(addr, &bytes, false).unwrap();
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(b"abc").to_string().as_str())
    );
}
