//! PutObject, GetObject, HeadObject, DeleteObject and their errors, over real HTTP.

mod common;

use std::time::Duration;

use common::*;
use ossffi::crc64::crc64;
use ossffi::encoding::{base64_encode, hex_upper};

fn md5(data: &[u8]) -> [u8; 16] {
    use md5::{Digest, Md5};
    Md5::digest(data).into()
}

#[test]
fn put_answers_etag_crc_and_content_md5_of_the_body() {
    let server = start(config());
    let body = b"Hello OSS";
    let reply = put(server.addr(), "dir/hello.txt", body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("ETag"),
        Some(format!("\"{}\"", hex_upper(&md5(body))).as_str())
    );
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(body).to_string().as_str())
    );
    assert_eq!(
        reply.header("Content-MD5"),
        Some(base64_encode(&md5(body)).as_str())
    );
    assert_eq!(reply.header("Server"), Some("AliyunOSS"));
    assert!(reply.header("Date").is_some());
    let id = reply.header("x-oss-request-id").unwrap();
    assert!(
        id.len() == 24
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
        "{id}"
    );
    assert_eq!(server.object_bytes(BUCKET, "dir/hello.txt").unwrap(), body);
}

#[test]
fn utf8_metadata_and_overrides_come_back_byte_for_byte() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "utf8-meta.bin")
        .header("x-oss-meta-author", "张三 Ünïcödé")
        .body(b"x".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = get(addr, "utf8-meta.bin");
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(got.header("x-oss-meta-author"), Some("张三 Ünïcödé"));
    let got = Request::object("GET", addr, "utf8-meta.bin")
        .query(
            "response-content-disposition",
            "attachment; filename=\"报告.pdf\"",
        )
        .sign_v4()
        .send(addr);
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(
        got.header("Content-Disposition"),
        Some("attachment; filename=\"报告.pdf\"")
    );
}

#[test]
fn get_returns_the_body_and_stored_headers() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "meta.bin")
        .header("Content-Type", "text/plain")
        .header("x-oss-meta-Author", "Alice")
        .header("Cache-Control", "no-cache")
        .header("Content-Disposition", "attachment; filename=\"m.bin\"")
        .header("Content-Encoding", "identity")
        .header("Expires", "Fri, 15 Mar 2030 08:09:10 GMT")
        .body(b"0123456789".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200);
    let got = get(addr, "meta.bin");
    assert_eq!(got.status, 200);
    assert_eq!(got.body, b"0123456789");
    assert_eq!(got.header("Content-Type"), Some("text/plain"));
    assert_eq!(got.header("x-oss-meta-author"), Some("Alice"));
    assert_eq!(got.header("Cache-Control"), Some("no-cache"));
    assert_eq!(
        got.header("Content-Disposition"),
        Some("attachment; filename=\"m.bin\"")
    );
    assert_eq!(got.header("Content-Encoding"), Some("identity"));
    assert_eq!(got.header("Expires"), Some("Fri, 15 Mar 2030 08:09:10 GMT"));
    assert_eq!(got.header("ETag"), reply.header("ETag"));
    assert_eq!(
        got.header("x-oss-hash-crc64ecma"),
        reply.header("x-oss-hash-crc64ecma")
    );
    assert_eq!(got.header("x-oss-object-type"), Some("Normal"));
    assert!(got.header("Last-Modified").is_some());
}

#[test]
fn content_type_defaults_to_octet_stream() {
    let server = start(config());
    put(server.addr(), "no-type", b"x");
    assert_eq!(
        get(server.addr(), "no-type").header("Content-Type"),
        Some("application/octet-stream")
    );
}

#[test]
fn range_get_answers_206_with_content_range() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "range.txt", b"0123456789");
    let part = Request::object("GET", addr, "range.txt")
        .header("Range", "bytes=2-5")
        .sign_v4()
        .send(addr);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, b"2345");
    assert_eq!(part.header("Content-Range"), Some("bytes 2-5/10"));
    let suffix = Request::object("GET", addr, "range.txt")
        .header("Range", "bytes=-3")
        .sign_v4()
        .send(addr);
    assert_eq!((suffix.status, suffix.body.as_slice()), (206, &b"789"[..]));
    let past_end = Request::object("GET", addr, "range.txt")
        .header("Range", "bytes=20-30")
        .sign_v4()
        .send(addr);
    assert_eq!(
        (past_end.status, past_end.body.len()),
        (200, 10),
        "OSS answers the whole object"
    );
    let standard = Request::object("GET", addr, "range.txt")
        .header("Range", "bytes=20-30")
        .header("x-oss-range-behavior", "standard")
        .sign_v4()
        .send(addr);
    assert_eq!(
        (standard.status, standard.code().as_str()),
        (416, "InvalidRange")
    );
}

#[test]
fn response_overrides_replace_headers_on_get() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "o.txt", b"x");
    let reply = Request::object("GET", addr, "o.txt")
        .query("response-content-type", "text/html; charset=utf-8")
        .sign_v4()
        .send(addr);
    assert_eq!(
        reply.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn head_answers_headers_without_body() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "h.txt", b"12345");
    let reply = Request::object("HEAD", addr, "h.txt").sign_v4().send(addr);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Content-Length"), Some("5"));
    assert!(reply.body.is_empty());
}

#[test]
fn head_of_missing_key_carries_base64_xml_in_x_oss_err() {
    let server = start(config());
    let reply = Request::object("HEAD", server.addr(), "missing")
        .sign_v4()
        .send(server.addr());
    assert_eq!(reply.status, 404);
    assert!(reply.body.is_empty());
    assert_eq!(reply.code(), "NoSuchKey");
    assert_eq!(reply.header("x-oss-ec"), Some("0026-00000001"));
}

#[test]
fn get_of_missing_key_is_no_such_key_xml() {
    let server = start(config());
    let reply = get(server.addr(), "missing");
    assert_eq!((reply.status, reply.code().as_str()), (404, "NoSuchKey"));
    assert_eq!(reply.header("Content-Type"), Some("application/xml"));
    assert_eq!(
        reply.xml("RequestId").as_deref(),
        reply.header("x-oss-request-id")
    );
    assert_eq!(reply.xml("Key").as_deref(), Some("missing"));
}

#[test]
fn unknown_bucket_is_no_such_bucket() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::new("GET", addr, Some("other-bucket"), Some("k"))
        .sign_v4()
        .send(addr);
    assert_eq!((reply.status, reply.code().as_str()), (404, "NoSuchBucket"));
    assert_eq!(reply.xml("BucketName").as_deref(), Some("other-bucket"));
}

#[test]
fn delete_answers_204_and_removes_the_object() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "d.txt", b"x");
    let reply = Request::object("DELETE", addr, "d.txt")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 204);
    assert!(!server.object_exists(BUCKET, "d.txt"));
    let again = Request::object("DELETE", addr, "d.txt")
        .sign_v4()
        .send(addr);
    assert_eq!(
        again.status, 204,
        "deleting a missing key is not an error on OSS"
    );
}

#[test]
fn virtual_host_addressing_finds_bucket_in_host() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "vh.txt")
        .virtual_host(addr.port())
        .body(b"vh".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(server.object_bytes(BUCKET, "vh.txt").unwrap(), b"vh");
}

#[test]
fn encoded_slash_and_unicode_in_the_path_are_decoded_into_the_key() {
    let server = start(config());
    let addr = server.addr();
    let key = "目录/文件 名+(1).txt";
    assert_eq!(put(addr, key, b"u").status, 200);
    assert!(server.object_exists(BUCKET, key));
    // oss2 encodes '/' as %2F; the key is the same.
    let raw = Request::object("GET", addr, key).sign_v4();
    let mut bytes = raw.to_bytes();
    let text = String::from_utf8(bytes.clone()).unwrap();
    bytes = text
        .replacen("%E7%9B%AE%E5%BD%95/", "%E7%9B%AE%E5%BD%95%2F", 1)
        .into_bytes();
    let reply = send_raw(addr, &bytes, false).unwrap();
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"u"[..]));
}

#[test]
fn chunked_put_is_stored_whole() {
    let server = start(config());
    let addr = server.addr();
    let req = Request::object("PUT", addr, "chunked.bin")
        .header("Transfer-Encoding", "chunked")
        .sign_v4();
    let mut bytes = req.to_bytes();
    bytes.extend_from_slice(b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
    let mut conn = Conn::open(addr);
    conn.send(&bytes);
    let reply = conn.read_reply(false).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        server.object_bytes(BUCKET, "chunked.bin").unwrap(),
        b"hello world"
    );
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(b"hello world").to_string().as_str())
    );
    // The connection stays usable after a chunked body.
    let again = conn.roundtrip(&Request::object("GET", addr, "chunked.bin").sign_v4());
    assert_eq!(again.body, b"hello world");
}

#[test]
fn expect_100_continue_gets_continue_then_the_answer() {
    let server = start(config());
    let addr = server.addr();
    let req = Request::object("PUT", addr, "expect.txt")
        .header("Expect", "100-continue")
        .header("Content-Length", "4")
        .sign_v4();
    let mut conn = Conn::open(addr);
    conn.send(&req.to_bytes());
    let mut first = [0u8; 25];
    std::io::Read::read_exact(&mut conn.stream, &mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 100 Continue\r\n\r\n");
    conn.send(b"abcd");
    assert_eq!(conn.read_reply(false).unwrap().status, 200);
    assert_eq!(server.object_bytes(BUCKET, "expect.txt").unwrap(), b"abcd");
}

#[test]
fn put_without_length_or_chunking_is_missing_content_length() {
    let server = start(config());
    let addr = server.addr();
    let req = Request::object("PUT", addr, "nolen").sign_v4();
    let text = String::from_utf8(req.to_bytes())
        .unwrap()
        .replace("Content-Length: 0\r\n", "");
    let reply = send_raw(addr, text.as_bytes(), false).unwrap();
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (411, "MissingContentLength")
    );
}

#[test]
fn wrong_content_md5_is_invalid_digest_and_nothing_is_stored() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "md5.txt")
        .header("Content-MD5", &base64_encode(&md5(b"other")))
        .body(b"body".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidDigest")
    );
    assert!(!server.object_exists(BUCKET, "md5.txt"));
    let ok = Request::object("PUT", addr, "md5.txt")
        .header("Content-MD5", &base64_encode(&md5(b"body")))
        .body(b"body".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(ok.status, 200);
}

#[test]
fn malformed_content_md5_is_invalid_digest() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("PUT", addr, "md5.txt")
        .header("Content-MD5", "not-base64!")
        .body(b"b".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidDigest")
    );
}

#[test]
fn forbid_overwrite_refuses_an_existing_key() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "once.txt", b"first");
    let reply = Request::object("PUT", addr, "once.txt")
        .header("x-oss-forbid-overwrite", "true")
        .body(b"second".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (409, "FileAlreadyExists")
    );
    assert_eq!(server.object_bytes(BUCKET, "once.txt").unwrap(), b"first");
}

#[test]
fn object_over_the_size_limit_is_entity_too_large() {
    let mut cfg = config();
    cfg.max_object_size = 10;
    let server = start(cfg);
    let reply = put(server.addr(), "big", &[0u8; 11]);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "EntityTooLarge")
    );
}

#[test]
fn key_longer_than_1023_bytes_is_invalid_object_name() {
    let server = start(config());
    let reply = put(server.addr(), &"k".repeat(1024), b"x");
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidObjectName")
    );
}

#[test]
fn body_shorter_than_content_length_is_request_timeout() {
    let server = start(config().with_body_timeout(Duration::from_millis(300)));
    let addr = server.addr();
    let req = Request::object("PUT", addr, "short")
        .header("Content-Length", "100")
        .sign_v4();
    let mut conn = Conn::open(addr);
    conn.send(&req.to_bytes());
    conn.send(b"only ten b");
    let reply = conn.read_reply(false).unwrap();
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "RequestTimeout")
    );
    assert!(!server.object_exists(BUCKET, "short"));
}

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let server = start(config());
    let addr = server.addr();
    let mut conn = Conn::open(addr);
    let mut ids = std::collections::HashSet::new();
    for i in 0..20 {
        let key = format!("k{i}");
        let put = conn.roundtrip(
            &Request::object("PUT", addr, &key)
                .body(key.clone().into_bytes())
                .sign_v4(),
        );
        assert_eq!(put.status, 200);
        ids.insert(put.header("x-oss-request-id").unwrap().to_string());
        let got = conn.roundtrip(&Request::object("GET", addr, &key).sign_v4());
        assert_eq!(got.body, key.as_bytes());
        ids.insert(got.header("x-oss-request-id").unwrap().to_string());
    }
    assert_eq!(ids.len(), 40, "request ids are unique");
}

#[test]
fn error_reply_on_a_keep_alive_connection_leaves_it_usable() {
    let server = start(config());
    let addr = server.addr();
    let mut conn = Conn::open(addr);
    let bad = conn.roundtrip(&Request::object("PUT", addr, "x").body(vec![1u8; 1000]));
    assert_eq!(bad.code(), "AccessDenied");
    let good = conn.roundtrip(
        &Request::object("PUT", addr, "x")
            .body(vec![1u8; 1000])
            .sign_v4(),
    );
    assert_eq!(good.status, 200);
}

#[test]
fn put_bucket_creates_a_bucket_and_list_buckets_shows_it() {
    let server = start(config());
    let addr = server.addr();
    let created = Request::new("PUT", addr, Some("new-bucket"), None)
        .sign_v4()
        .send(addr);
    assert_eq!(created.status, 200, "{}", created.text());
    let listed = Request::new("GET", addr, None, None).sign_v4().send(addr);
    assert!(
        listed.text().contains("<Name>new-bucket</Name>"),
        "{}",
        listed.text()
    );
    assert!(listed.text().contains(&format!("<Name>{BUCKET}</Name>")));
}

#[test]
fn list_objects_v2_groups_common_prefixes() {
    let server = start(config());
    let addr = server.addr();
    for key in ["a/1", "a/2", "b", "c/x/y"] {
        put(addr, key, b"x");
    }
    let reply = Request::new("GET", addr, Some(BUCKET), None)
        .query("list-type", "2")
        .query("delimiter", "/")
        .sign_v4()
        .send(addr);
    let text = reply.text();
    assert!(text.contains("<Key>b</Key>"), "{text}");
    assert!(
        text.contains("<Prefix>a/</Prefix>") && text.contains("<Prefix>c/</Prefix>"),
        "{text}"
    );
    assert_eq!(reply.xml("KeyCount").as_deref(), Some("3"));
}

#[test]
fn data_dir_keeps_objects_across_restarts() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("data-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let server = start(config().with_data_dir(&dir));
        let reply = Request::object("PUT", server.addr(), "kept.txt")
            .header("x-oss-meta-a", "1")
            .body(b"persisted".to_vec())
            .sign_v4()
            .send(server.addr());
        assert_eq!(reply.status, 200);
    }
    let server = start(config().with_data_dir(&dir));
    let reply = get(server.addr(), "kept.txt");
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (200, &b"persisted"[..])
    );
    assert_eq!(reply.header("x-oss-meta-a"), Some("1"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let server = start(config());
    let addr = server.addr();
    let mut bytes = Request::object("PUT", addr, "p1")
        .body(b"one".to_vec())
        .sign_v4()
        .to_bytes();
    bytes.extend(Request::object("HEAD", addr, "p1").sign_v4().to_bytes());
    bytes.extend(Request::object("GET", addr, "p1").sign_v4().to_bytes());
    let mut conn = Conn::open(addr);
    conn.send(&bytes);
    assert_eq!(conn.read_reply(false).unwrap().status, 200);
    let head = conn.read_reply(true).unwrap();
    assert_eq!(
        (head.status, head.header("Content-Length")),
        (200, Some("3"))
    );
    assert_eq!(conn.read_reply(false).unwrap().body, b"one");
}

#[test]
fn chunked_put_with_expect_continue_is_stored() {
    let server = start(config());
    let addr = server.addr();
    let req = Request::object("PUT", addr, "ce")
        .header("Transfer-Encoding", "chunked")
        .header("Expect", "100-continue")
        .sign_v4();
    let mut conn = Conn::open(addr);
    conn.send(&req.to_bytes());
    let mut first = [0u8; 25];
    std::io::Read::read_exact(&mut conn.stream, &mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 100 Continue\r\n\r\n");
    conn.send(b"4\r\nabcd\r\n0\r\n\r\n");
    assert_eq!(conn.read_reply(false).unwrap().status, 200);
    assert_eq!(server.object_bytes(BUCKET, "ce").unwrap(), b"abcd");
}

#[test]
fn refused_expect_continue_request_gets_its_error_without_continue() {
    let server = start(config());
    let addr = server.addr();
    let req = Request::object("PUT", addr, "x")
        .header("Expect", "100-continue")
        .header("Content-Length", "1000");
    let mut conn = Conn::open(addr);
    conn.send(&req.to_bytes());
    let reply = conn.read_reply(false).unwrap();
    assert_eq!((reply.status, reply.code().as_str()), (403, "AccessDenied"));
    assert_eq!(reply.header("Connection"), Some("close"));
}

#[test]
fn malformed_request_head_gets_400_and_the_connection_closes() {
    let server = start(config());
    let reply = send_raw(
        server.addr(),
        b"PUT /x HTTP/1.1\r\nBad Header\r\n\r\n",
        false,
    )
    .unwrap();
    // hyper answers a head it cannot parse itself: a bare 400, then it closes.
    assert_eq!(reply.status, 400);
    assert_eq!(reply.header("Connection"), Some("close"));
}

#[test]
fn transfer_encoding_not_ending_in_chunked_is_400() {
    let server = start(config());
    let addr = server.addr();
    let bytes = Request::object("PUT", addr, "gz")
        .header("Transfer-Encoding", "gzip")
        .sign_v4()
        .to_bytes();
    // The body's length is unknowable (RFC 9112 6.3): hyper refuses the head itself.
    let reply = send_raw(addr, &bytes, false).unwrap();
    assert_eq!(reply.status, 400);
    assert!(!server.object_exists(BUCKET, "gz"));
}

#[test]
fn list_objects_pages_with_max_keys_and_marker() {
    let server = start(config());
    let addr = server.addr();
    for key in ["k1", "k2", "k3"] {
        put(addr, key, b"x");
    }
    let first = Request::new("GET", addr, Some(BUCKET), None)
        .query("max-keys", "2")
        .sign_v4()
        .send(addr);
    assert_eq!(first.xml("IsTruncated").as_deref(), Some("true"));
    assert_eq!(first.xml("NextMarker").as_deref(), Some("k2"));
    let second = Request::new("GET", addr, Some(BUCKET), None)
        .query("max-keys", "2")
        .query("marker", "k2")
        .sign_v4()
        .send(addr);
    assert_eq!(second.xml("IsTruncated").as_deref(), Some("false"));
    assert_eq!(second.xml("Key").as_deref(), Some("k3"));
}

fn append(addr: std::net::SocketAddr, key: &str, position: u64, data: &[u8]) -> Reply {
    Request::object("POST", addr, key)
        .query("append", "")
        .query("position", &position.to_string())
        .body(data.to_vec())
        .sign_v4()
        .send(addr)
}

#[test]
fn append_object_grows_the_object_at_the_given_position() {
    let server = start(config());
    let addr = server.addr();
    let first = append(addr, "log", 0, b"line1\n");
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("x-oss-next-append-position"), Some("6"));
    let second = append(addr, "log", 6, b"line2\n");
    assert_eq!(second.header("x-oss-next-append-position"), Some("12"));
    assert_eq!(
        second.header("x-oss-hash-crc64ecma"),
        Some(crc64(b"line1\nline2\n").to_string().as_str())
    );
    assert_eq!(
        server.object_bytes(BUCKET, "log").unwrap(),
        b"line1\nline2\n"
    );
    assert_eq!(
        get(addr, "log").header("x-oss-object-type"),
        Some("Appendable")
    );
}

#[test]
fn append_at_the_wrong_position_or_to_a_normal_object_is_refused() {
    let server = start(config());
    let addr = server.addr();
    append(addr, "log", 0, b"abc");
    let wrong = append(addr, "log", 1, b"x");
    assert_eq!(
        (wrong.status, wrong.code().as_str()),
        (409, "PositionNotEqualToLength")
    );
    assert_eq!(wrong.xml("NextAppendPosition").as_deref(), Some("3"));
    put(addr, "normal", b"x");
    let normal = append(addr, "normal", 1, b"x");
    assert_eq!(
        (normal.status, normal.code().as_str()),
        (409, "ObjectNotAppendable")
    );
}
