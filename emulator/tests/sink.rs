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

#[test]
fn sink_multipart_answers_md5_part_etags_and_completes_with_the_combined_crc_and_etag() {
    let server = start(config().with_sink(true));
    let addr = server.addr();
    let init = Request::object("POST", addr, "mp")
        .query("uploads", "")
        .sign_v4()
        .send(addr);
    assert_eq!(init.status, 200, "{}", init.text());
    let id = init.xml("UploadId").unwrap();
    let parts = [pattern(100 * 1024), b"tail".to_vec()];
    let mut listed = String::from("<CompleteMultipartUpload>");
    let mut part_md5s = Md5::new();
    for (i, data) in parts.iter().enumerate() {
        let n = i + 1;
        let reply = Request::object("PUT", addr, "mp")
            .query("partNumber", &n.to_string())
            .query("uploadId", &id)
            .body(data.clone())
            .sign_v4()
            .send(addr);
        assert_eq!(reply.status, 200, "{}", reply.text());
        let md5 = Md5::digest(data);
        part_md5s.update(md5);
        let etag = format!("\"{}\"", hex_upper(&md5));
        assert_eq!(reply.header("ETag"), Some(etag.as_str()));
        assert_eq!(
            reply.header("x-oss-hash-crc64ecma"),
            Some(crc64(data).to_string().as_str())
        );
        listed.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    listed.push_str("</CompleteMultipartUpload>");
    let done = Request::object("POST", addr, "mp")
        .query("uploadId", &id)
        .body(listed.into_bytes())
        .sign_v4()
        .send(addr);
    assert_eq!(done.status, 200, "{}", done.text());
    let multipart_etag = format!("\"{}-2\"", hex_upper(&part_md5s.finalize()));
    assert_eq!(done.header("ETag"), Some(multipart_etag.as_str()));
    assert_eq!(
        done.header("x-oss-hash-crc64ecma"),
        Some(crc64(&parts.concat()).to_string().as_str())
    );
    assert!(!server.object_exists(BUCKET, "mp"));
}

// --- `--sink-skip-md5`: no MD5 unless Content-MD5 asks for the check ---

const NOT_MD5: (&str, &str) = ("x-ossffi-emulator-etag", "not-md5");

/// The documented stand-in ETag: CRC-64 then size, 16 upper-case hex digits each, quoted.
fn stand_in_etag(body: &[u8]) -> String {
    format!("\"{:016X}{:016X}\"", crc64(body), body.len() as u64)
}

fn skip_md5_server() -> ossffi_emulator::RunningServer {
    start(config().with_sink(true).with_sink_skip_md5(true))
}

fn pattern(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

#[test]
fn skip_md5_answers_a_marked_crc_and_size_etag_and_the_exact_crc() {
    let server = skip_md5_server();
    let addr = server.addr();
    for size in [0usize, 1, 4096, (256 << 10) + 7, 9 << 20] {
        let body = pattern(size);
        let reply = put(addr, "sunk", &body);
        assert_eq!(reply.status, 200, "{}", reply.text());
        let etag = reply.header("ETag").unwrap();
        assert_eq!(etag, stand_in_etag(&body), "size {size}");
        assert_eq!(etag.len(), 34, "quoted 32 hex digits: {etag}");
        assert_ne!(etag, format!("\"{}\"", hex_upper(&Md5::digest(&body))));
        assert_eq!(reply.header(NOT_MD5.0), Some(NOT_MD5.1), "size {size}");
        assert_eq!(
            reply.header("x-oss-hash-crc64ecma"),
            Some(crc64(&body).to_string().as_str()),
            "size {size}"
        );
        assert_eq!(reply.header("Content-MD5"), None, "no MD5 was computed");
    }
    assert!(!server.object_exists(BUCKET, "sunk"));
}

#[test]
fn skip_md5_digests_chunked_bodies_by_crc() {
    let server = skip_md5_server();
    let addr = server.addr();
    let mut bytes = Request::object("PUT", addr, "c")
        .header("Transfer-Encoding", "chunked")
        .sign_v4()
        .to_bytes();
    bytes.extend_from_slice(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    let reply = send_raw(addr, &bytes, false).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(b"abcde").to_string().as_str())
    );
    assert_eq!(reply.header("ETag"), Some(stand_in_etag(b"abcde").as_str()));
    assert_eq!(reply.header(NOT_MD5.0), Some(NOT_MD5.1));
}

#[test]
fn skip_md5_still_verifies_a_content_md5_and_then_answers_the_real_etag() {
    let server = skip_md5_server();
    let addr = server.addr();
    let body = pattern(9 << 20);
    let md5 = Md5::digest(&body);
    let good = Request::object("PUT", addr, "checked")
        .header("Content-MD5", &ossffi::encoding::base64_encode(&md5))
        .body(body.clone())
        .sign_v4()
        .send(addr);
    assert_eq!(good.status, 200, "{}", good.text());
    assert_eq!(
        good.header("ETag"),
        Some(format!("\"{}\"", hex_upper(&md5)).as_str())
    );
    assert_eq!(good.header(NOT_MD5.0), None, "this ETag is the MD5");
    assert_eq!(
        good.header("Content-MD5"),
        Some(ossffi::encoding::base64_encode(&md5).as_str())
    );

    let bad = Request::object("PUT", addr, "checked")
        .header(
            "Content-MD5",
            &ossffi::encoding::base64_encode(&Md5::digest(b"other")),
        )
        .body(body.clone())
        .sign_v4()
        .send(addr);
    assert_eq!((bad.status, bad.code().as_str()), (400, "InvalidDigest"));
    assert_eq!(
        bad.xml("CalculatedContentMD5"),
        Some(ossffi::encoding::base64_encode(&md5))
    );
}

#[test]
fn skip_md5_marks_parts_and_completes_with_the_replied_etags() {
    let server = skip_md5_server();
    let addr = server.addr();
    let init = Request::object("POST", addr, "mp")
        .query("uploads", "")
        .sign_v4()
        .send(addr);
    assert_eq!(init.status, 200, "{}", init.text());
    let id = init.xml("UploadId").unwrap();
    let parts = [pattern(100 * 1024), b"tail".to_vec()];
    let mut listed = String::from("<CompleteMultipartUpload>");
    for (i, data) in parts.iter().enumerate() {
        let n = i + 1;
        let reply = Request::object("PUT", addr, "mp")
            .query("partNumber", &n.to_string())
            .query("uploadId", &id)
            .body(data.clone())
            .sign_v4()
            .send(addr);
        assert_eq!(reply.status, 200, "{}", reply.text());
        let etag = reply.header("ETag").unwrap().to_string();
        assert_eq!(etag, stand_in_etag(data));
        assert_eq!(reply.header(NOT_MD5.0), Some(NOT_MD5.1));
        assert_eq!(
            reply.header("x-oss-hash-crc64ecma"),
            Some(crc64(data).to_string().as_str())
        );
        listed.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    listed.push_str("</CompleteMultipartUpload>");
    let done = Request::object("POST", addr, "mp")
        .query("uploadId", &id)
        .body(listed.into_bytes())
        .sign_v4()
        .send(addr);
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.header(NOT_MD5.0), Some(NOT_MD5.1));
    assert_eq!(
        done.header("x-oss-hash-crc64ecma"),
        Some(crc64(&parts.concat()).to_string().as_str())
    );
}

#[test]
fn skip_md5_marks_append_replies() {
    let server = skip_md5_server();
    let addr = server.addr();
    let reply = Request::object("POST", addr, "log")
        .query("append", "")
        .query("position", "0")
        .body(b"line1\n".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("ETag"),
        Some(stand_in_etag(b"line1\n").as_str())
    );
    assert_eq!(reply.header(NOT_MD5.0), Some(NOT_MD5.1));
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(b"line1\n").to_string().as_str())
    );
}

#[test]
fn plain_sink_and_skip_md5_without_sink_keep_the_md5_etag_unmarked() {
    let body = pattern(4096);
    let md5_etag = format!("\"{}\"", hex_upper(&Md5::digest(&body)));
    // --sink alone, and the library switch without --sink (ignored: objects are stored).
    for config in [config().with_sink(true), config().with_sink_skip_md5(true)] {
        let server = start(config);
        let reply = put(server.addr(), "k", &body);
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.header("ETag"), Some(md5_etag.as_str()));
        assert_eq!(reply.header(NOT_MD5.0), None);
        assert_eq!(
            reply.header("Content-MD5"),
            Some(ossffi::encoding::base64_encode(&Md5::digest(&body)).as_str())
        );
    }
}
