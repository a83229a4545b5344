//! The object basics next to uploads, over real HTTP: DeleteBucket, GetObjectMeta,
//! DeleteMultipleObjects, ListObjects with encoding-type=url, and conditional GET/HEAD.

mod common;

use std::net::SocketAddr;

use common::*;
use ossffi::crc64::crc64;
use ossffi::encoding::{base64_encode, hex_upper};
use ossffi::time::{http_date, iso8601_millis, now_unix};

fn md5(data: &[u8]) -> [u8; 16] {
    use md5::{Digest, Md5};
    Md5::digest(data).into()
}

fn etag_of(body: &[u8]) -> String {
    format!("\"{}\"", hex_upper(&md5(body)))
}

/// An emulator whose clock is fixed at a whole second near now, so Last-Modified values are
/// known and signed requests stay within the allowed skew.
fn start_at_fixed_time() -> (ossffi_emulator::RunningServer, i64) {
    let now = now_unix();
    (start(config().with_now(now)), now)
}

fn put_keys(addr: SocketAddr, keys: &[&str]) {
    for key in keys {
        let reply = put(addr, key, b"v");
        assert_eq!(reply.status, 200, "{key}: {}", reply.text());
    }
}

// ---- DeleteBucket ------------------------------------------------------------------------

fn bucket_request(method: &str, addr: SocketAddr, bucket: &str) -> Request {
    Request::new(method, addr, Some(bucket), None)
}

#[test]
fn delete_bucket_refuses_while_objects_or_uploads_remain_then_deletes() {
    let server = start(config());
    let addr = server.addr();
    let bucket = "doomed-bkt";
    let created = bucket_request("PUT", addr, bucket).sign_v4().send(addr);
    assert_eq!(created.status, 200, "{}", created.text());
    let put = Request::new("PUT", addr, Some(bucket), Some("k"))
        .body(b"x".to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(put.status, 200, "{}", put.text());

    let refused = bucket_request("DELETE", addr, bucket).sign_v4().send(addr);
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert_eq!(refused.code(), "BucketNotEmpty");
    assert_eq!(
        refused.xml("Message").as_deref(),
        Some("The bucket you tried to delete is not empty.")
    );
    assert_eq!(refused.xml("BucketName").as_deref(), Some(bucket));
    assert_eq!(refused.header("Content-Type"), Some("application/xml"));

    let gone = Request::new("DELETE", addr, Some(bucket), Some("k"))
        .sign_v4()
        .send(addr);
    assert_eq!(gone.status, 204);
    // A multipart upload in progress keeps the bucket too.
    let init = Request::new("POST", addr, Some(bucket), Some("big"))
        .query("uploads", "")
        .sign_v4()
        .send(addr);
    assert_eq!(init.status, 200, "{}", init.text());
    let upload_id = init.xml("UploadId").unwrap();
    let refused = bucket_request("DELETE", addr, bucket).sign_v4().send(addr);
    assert_eq!(
        (refused.status, refused.code()),
        (409, "BucketNotEmpty".into())
    );
    let aborted = Request::new("DELETE", addr, Some(bucket), Some("big"))
        .query("uploadId", &upload_id)
        .sign_v4()
        .send(addr);
    assert_eq!(aborted.status, 204, "{}", aborted.text());

    let deleted = bucket_request("DELETE", addr, bucket).sign_v4().send(addr);
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    assert!(deleted.body.is_empty());
    assert!(deleted.header("x-oss-request-id").is_some());

    let again = bucket_request("DELETE", addr, bucket).sign_v4().send(addr);
    assert_eq!(again.status, 404);
    assert_eq!(again.code(), "NoSuchBucket");
    assert_eq!(again.xml("BucketName").as_deref(), Some(bucket));
    let list = bucket_request("GET", addr, bucket).sign_v4().send(addr);
    assert_eq!((list.status, list.code()), (404, "NoSuchBucket".into()));
    let listed = Request::new("GET", addr, None, None).sign_v4().send(addr);
    assert!(!listed.text().contains(bucket), "{}", listed.text());
}

#[test]
fn delete_bucket_with_a_data_dir_removes_its_directory() {
    let dir = std::env::temp_dir().join(format!(
        "ossffi-emulator-delete-bucket-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let server = start(config().with_data_dir(&dir));
    let addr = server.addr();
    let bucket = "disk-bkt";
    assert_eq!(
        bucket_request("PUT", addr, bucket)
            .sign_v4()
            .send(addr)
            .status,
        200
    );
    assert!(dir.join(bucket).is_dir());
    let deleted = bucket_request("DELETE", addr, bucket).sign_v4().send(addr);
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    assert!(!dir.join(bucket).exists());
    drop(server);
    // Nothing of the bucket comes back at the next start.
    let server = start(config().with_data_dir(&dir));
    let addr = server.addr();
    let list = bucket_request("GET", addr, bucket).sign_v4().send(addr);
    assert_eq!(list.code(), "NoSuchBucket");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- GetObjectMeta -----------------------------------------------------------------------

#[test]
fn get_object_meta_answers_size_etag_time_and_crc_only() {
    let (server, now) = start_at_fixed_time();
    let addr = server.addr();
    let body = b"meta body";
    let put = Request::object("PUT", addr, "dir/m.txt")
        .header("Content-Type", "text/plain")
        .header("x-oss-meta-author", "ann")
        .header("Cache-Control", "no-cache")
        .body(body.to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(put.status, 200, "{}", put.text());
    for signed in [
        Request::object("HEAD", addr, "dir/m.txt")
            .query("objectMeta", "")
            .sign_v4(),
        Request::object("HEAD", addr, "dir/m.txt")
            .query("objectMeta", "")
            .sign_v1(),
    ] {
        let reply = signed.send(addr);
        assert_eq!(reply.status, 200, "{:?}", reply.headers);
        assert!(reply.body.is_empty());
        assert_eq!(reply.header("Content-Length"), Some("9"));
        assert_eq!(reply.header("ETag"), Some(etag_of(body).as_str()));
        assert_eq!(reply.header("Last-Modified"), Some(http_date(now).as_str()));
        assert_eq!(
            reply.header("x-oss-hash-crc64ecma"),
            Some(crc64(body).to_string().as_str())
        );
        // Only what GetObjectMeta returns: no metadata, type or storage class.
        for absent in [
            "Content-Type",
            "x-oss-meta-author",
            "Cache-Control",
            "x-oss-object-type",
            "x-oss-storage-class",
            "Accept-Ranges",
        ] {
            assert_eq!(reply.header(absent), None, "{absent}");
        }
    }
    let missing = Request::object("HEAD", addr, "nope")
        .query("objectMeta", "")
        .sign_v4()
        .send(addr);
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
    assert_eq!(missing.code(), "NoSuchKey");
    assert_eq!(missing.header("x-oss-ec"), Some("0026-00000001"));
}

// ---- DeleteMultipleObjects -----------------------------------------------------------------

/// The body the C++ SDK sends, byte for byte (spec-2 section 1.6).
fn delete_body(quiet: bool, keys: &[&str]) -> Vec<u8> {
    let mut xml =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete>\n  <Quiet>{quiet}</Quiet>\n");
    for key in keys {
        let escaped = key
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;")
            .replace('\r', "&#13;");
        xml.push_str(&format!(
            "  <Object>\n    <Key>{escaped}</Key>\n  </Object>\n"
        ));
    }
    xml.push_str("</Delete>\n");
    xml.into_bytes()
}

fn delete_objects(addr: SocketAddr, body: Vec<u8>, extra: &[(&str, &str)]) -> Reply {
    let mut req = Request::new("POST", addr, Some(BUCKET), None)
        .query("delete", "")
        .header("Content-Type", "application/xml")
        .header("Content-MD5", &base64_encode(&md5(&body)));
    for (name, value) in extra {
        req = req.query(name, value);
    }
    req.body(body).sign_v4().send(addr)
}

#[test]
fn delete_objects_verbose_lists_every_key_including_absent_ones() {
    let server = start(config());
    let addr = server.addr();
    let odd = "sp ace&<\"'>";
    put_keys(addr, &["a", "b/c", odd]);
    let reply = delete_objects(addr, delete_body(false, &["a", odd, "never-was"]), &[]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("Content-Type"), Some("application/xml"));
    assert_eq!(
        reply.text(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult>\n  <Deleted>\n    <Key>a</Key>\n  </Deleted>\n  <Deleted>\n    <Key>sp ace&amp;&lt;&quot;&apos;&gt;</Key>\n  </Deleted>\n  <Deleted>\n    <Key>never-was</Key>\n  </Deleted>\n</DeleteResult>\n"
    );
    assert!(!server.object_exists(BUCKET, "a"));
    assert!(!server.object_exists(BUCKET, odd));
    assert!(server.object_exists(BUCKET, "b/c"));
}

#[test]
fn delete_objects_url_encodes_keys_when_asked() {
    let server = start(config());
    let addr = server.addr();
    put_keys(addr, &["dir/a b+c", "x\u{7}y"]);
    let reply = delete_objects(
        addr,
        delete_body(false, &["dir/a b+c", "x\u{7}y"]),
        &[("encoding-type", "url")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.text(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult>\n  <EncodingType>url</EncodingType>\n  <Deleted>\n    <Key>dir%2Fa%20b%2Bc</Key>\n  </Deleted>\n  <Deleted>\n    <Key>x%07y</Key>\n  </Deleted>\n</DeleteResult>\n"
    );
    assert!(!server.object_exists(BUCKET, "x\u{7}y"));
}

#[test]
fn delete_objects_quiet_answers_with_no_body() {
    let server = start(config());
    let addr = server.addr();
    put_keys(addr, &["q1", "q2"]);
    let reply = delete_objects(addr, delete_body(true, &["q1", "q2"]), &[]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.body.is_empty(), "{}", reply.text());
    assert_eq!(reply.header("Content-Length"), Some("0"));
    assert!(!server.object_exists(BUCKET, "q1"));
    assert!(!server.object_exists(BUCKET, "q2"));
}

#[test]
fn delete_objects_requires_a_content_md5_that_matches() {
    let server = start(config());
    let addr = server.addr();
    put_keys(addr, &["keep"]);
    let body = delete_body(false, &["keep"]);

    let missing = Request::new("POST", addr, Some(BUCKET), None)
        .query("delete", "")
        .body(body.clone())
        .sign_v4()
        .send(addr);
    assert_eq!(missing.status, 400, "{}", missing.text());
    assert_eq!(missing.code(), "MissingArgument");
    assert_eq!(
        missing.xml("Message").as_deref(),
        Some("Missing Some Required Arguments.")
    );
    assert_eq!(missing.xml("ArgumentName").as_deref(), Some("Content-MD5"));
    assert_eq!(missing.xml("EC").as_deref(), Some("0016-00000606"));
    assert_eq!(missing.header("x-oss-ec"), Some("0016-00000606"));

    let wrong = Request::new("POST", addr, Some(BUCKET), None)
        .query("delete", "")
        .header("Content-MD5", &base64_encode(&md5(b"something else")))
        .body(body.clone())
        .sign_v4()
        .send(addr);
    assert_eq!(wrong.status, 400, "{}", wrong.text());
    assert_eq!(wrong.code(), "InvalidDigest");
    assert_eq!(
        wrong.xml("Message").as_deref(),
        Some("The Content-MD5 you specified was invalid.")
    );
    assert_eq!(
        wrong.xml("CalculatedContentMD5"),
        Some(base64_encode(&md5(&body)))
    );

    let garbled = Request::new("POST", addr, Some(BUCKET), None)
        .query("delete", "")
        .header("Content-MD5", "not-base64!")
        .body(body)
        .sign_v4()
        .send(addr);
    assert_eq!(
        (garbled.status, garbled.code()),
        (400, "InvalidDigest".into())
    );
    assert!(server.object_exists(BUCKET, "keep"));
}

#[test]
fn delete_objects_refuses_bad_documents_and_over_a_thousand_keys() {
    let server = start(config());
    let addr = server.addr();
    put_keys(addr, &["k0"]);
    let names: Vec<String> = (0..1001).map(|i| format!("k{i}")).collect();
    let keys: Vec<&str> = names.iter().map(String::as_str).collect();
    let over = delete_objects(addr, delete_body(false, &keys), &[]);
    assert_eq!(over.status, 400, "{}", over.text());
    assert_eq!(over.code(), "MalformedXML");
    assert!(server.object_exists(BUCKET, "k0"), "nothing is deleted");

    let exactly = delete_objects(addr, delete_body(true, &keys[..1000]), &[]);
    assert_eq!(exactly.status, 200, "{}", exactly.text());
    assert!(!server.object_exists(BUCKET, "k0"));

    for bad in [
        &b"<Delete><Quiet>false</Quiet></Delete>"[..],
        b"<Delete><Object><Key>a</Key></Object>",
        b"not xml at all",
        b"<Delete><Object><Name>a</Name></Object></Delete>",
    ] {
        let reply = delete_objects(addr, bad.to_vec(), &[]);
        assert_eq!(reply.status, 400, "{}", reply.text());
        assert_eq!(
            reply.code(),
            "MalformedXML",
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
    let empty_body = delete_objects(addr, Vec::new(), &[]);
    assert_eq!(empty_body.code(), "MalformedXML");

    let bad_key = delete_objects(addr, delete_body(false, &["/abs"]), &[]);
    assert_eq!(
        (bad_key.status, bad_key.code()),
        (400, "InvalidObjectName".into())
    );

    let coding = delete_objects(
        addr,
        delete_body(false, &["a"]),
        &[("encoding-type", "base64")],
    );
    assert_eq!(coding.status, 400);
    assert_eq!(coding.code(), "InvalidArgument");
    assert_eq!(coding.xml("ArgumentName").as_deref(), Some("encoding-type"));
}

#[test]
fn delete_objects_bounds_the_body() {
    let server = start(config());
    let addr = server.addr();
    let mut body = delete_body(false, &["a"]);
    body.extend(std::iter::repeat_n(b' ', 2 << 20));
    let reply = delete_objects(addr, body, &[]);
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.code(), "EntityTooLarge");
    assert_eq!(reply.xml("MaxSizeAllowed").as_deref(), Some("2097152"));
}

#[test]
fn delete_objects_on_a_missing_bucket_and_post_without_delete() {
    let server = start(config());
    let addr = server.addr();
    let body = delete_body(false, &["a"]);
    let reply = Request::new("POST", addr, Some("no-such-bkt"), None)
        .query("delete", "")
        .header("Content-MD5", &base64_encode(&md5(&body)))
        .body(body)
        .sign_v4()
        .send(addr);
    assert_eq!((reply.status, reply.code()), (404, "NoSuchBucket".into()));
    let post_object = Request::new("POST", addr, Some(BUCKET), None)
        .sign_v4()
        .send(addr);
    assert_eq!(post_object.status, 501, "{}", post_object.text());
    assert_eq!(post_object.code(), "NotImplemented");
}

// ---- ListObjects -------------------------------------------------------------------------

fn list(addr: SocketAddr, query: &[(&str, &str)]) -> Reply {
    let mut req = Request::new("GET", addr, Some(BUCKET), None);
    for (name, value) in query {
        req = req.query(name, value);
    }
    req.sign_v4().send(addr)
}

fn contents(key_out: &str, now: i64) -> String {
    format!(
        "  <Contents>\n    <Key>{key_out}</Key>\n    <LastModified>{}</LastModified>\n    <ETag>{}</ETag>\n    <Type>Normal</Type>\n    <Size>1</Size>\n    <StorageClass>Standard</StorageClass>\n    <Owner>\n      <ID>1234567890</ID>\n      <DisplayName>ossffi-emulator</DisplayName>\n    </Owner>\n  </Contents>\n",
        iso8601_millis(now * 1000),
        etag_of(b"v").replace('"', "&quot;")
    )
}

#[test]
fn list_objects_with_delimiter_and_url_encoding_is_exact() {
    let (server, now) = start_at_fixed_time();
    let addr = server.addr();
    put_keys(
        addr,
        &["dir/a b.txt", "dir/sub/x", "dir/sub/y", "dir/z&", "other"],
    );
    let reply = list(
        addr,
        &[
            ("prefix", "dir/"),
            ("delimiter", "/"),
            ("encoding-type", "url"),
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("Content-Type"), Some("application/xml"));
    let expected = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult>\n  <Name>{BUCKET}</Name>\n  <Prefix>dir%2F</Prefix>\n  <MaxKeys>100</MaxKeys>\n  <Delimiter>%2F</Delimiter>\n  <IsTruncated>false</IsTruncated>\n  <Marker></Marker>\n  <EncodingType>url</EncodingType>\n{}{}  <CommonPrefixes>\n    <Prefix>dir%2Fsub%2F</Prefix>\n  </CommonPrefixes>\n</ListBucketResult>\n",
        contents("dir%2Fa%20b.txt", now),
        contents("dir%2Fz%26", now),
    );
    assert_eq!(reply.text(), expected);

    // Without encoding-type the same names are only XML-escaped.
    let plain = list(addr, &[("prefix", "dir/"), ("delimiter", "/")]);
    let text = plain.text();
    assert!(text.contains("<Key>dir/z&amp;</Key>"), "{text}");
    assert!(text.contains("<Prefix>dir/sub/</Prefix>"), "{text}");
    assert!(!text.contains("EncodingType"), "{text}");
}

#[test]
fn list_objects_pages_with_marker_and_next_marker() {
    let server = start(config());
    let addr = server.addr();
    put_keys(addr, &["a 1", "a 2", "b/1", "b/2", "c"]);
    let first = list(
        addr,
        &[
            ("max-keys", "2"),
            ("delimiter", "/"),
            ("encoding-type", "url"),
        ],
    );
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.xml("IsTruncated").as_deref(), Some("true"));
    assert_eq!(first.xml("MaxKeys").as_deref(), Some("2"));
    assert_eq!(first.xml("NextMarker").as_deref(), Some("a%202"));
    // The second page starts after the marker; a common prefix counts as one entry and
    // its NextMarker is past every key it rolls up.
    let second = list(
        addr,
        &[
            ("max-keys", "1"),
            ("delimiter", "/"),
            ("marker", "a 2"),
            ("encoding-type", "url"),
        ],
    );
    let text = second.text();
    assert_eq!(second.xml("Marker").as_deref(), Some("a%202"));
    assert!(text.contains("<Prefix>b%2F</Prefix>"), "{text}");
    assert!(!text.contains("<Contents>"), "{text}");
    assert_eq!(second.xml("NextMarker").as_deref(), Some("b%2F2"));
    let last = list(addr, &[("marker", "b/2")]);
    assert_eq!(last.xml("IsTruncated").as_deref(), Some("false"));
    assert!(last.xml("NextMarker").is_none());
    assert_eq!(last.xml("Key").as_deref(), Some("c"));
}

#[test]
fn list_objects_max_keys_and_encoding_type_are_checked() {
    let server = start(config());
    let addr = server.addr();
    for bad in ["0", "1001", "-5", "ten"] {
        let reply = list(addr, &[("max-keys", bad)]);
        assert_eq!(reply.status, 400, "{bad}");
        assert_eq!(reply.code(), "InvalidArgument");
        assert_eq!(reply.xml("ArgumentName").as_deref(), Some("max-keys"));
        assert_eq!(reply.xml("ArgumentValue").as_deref(), Some(bad));
    }
    assert_eq!(list(addr, &[("max-keys", "1000")]).status, 200);
    let coding = list(addr, &[("encoding-type", "URL2")]);
    assert_eq!(
        (coding.status, coding.code()),
        (400, "InvalidArgument".into())
    );
}

// ---- Conditional GET and HEAD -----------------------------------------------------------

fn get_with(addr: SocketAddr, method: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::object(method, addr, "cond.txt");
    for (name, value) in headers {
        req = req.header(name, value);
    }
    req.sign_v4().send(addr)
}

#[test]
fn conditional_get_answers_304_and_412_as_oss_does() {
    let (server, now) = start_at_fixed_time();
    let addr = server.addr();
    let body = b"conditional body";
    assert_eq!(put(addr, "cond.txt", body).status, 200);
    let etag = etag_of(body);
    let unquoted = etag.trim_matches('"').to_string();
    let at = http_date(now);
    let before = http_date(now - 60);

    for headers in [
        vec![("If-Match", etag.as_str())],
        vec![("If-Match", unquoted.as_str())],
        vec![("If-Match", "\"OTHER\",*")],
        vec![("If-None-Match", "\"OTHER\"")],
        vec![("If-Modified-Since", before.as_str())],
        vec![("If-Unmodified-Since", at.as_str())],
        // If-Match holding makes If-Unmodified-Since irrelevant (RFC 9110 13.2.2).
        vec![
            ("If-Match", etag.as_str()),
            ("If-Unmodified-Since", before.as_str()),
        ],
        // If-None-Match not matching makes If-Modified-Since irrelevant.
        vec![
            ("If-None-Match", "\"OTHER\""),
            ("If-Modified-Since", at.as_str()),
        ],
    ] {
        let reply = get_with(addr, "GET", &headers);
        assert_eq!(reply.status, 200, "{headers:?}: {}", reply.text());
        assert_eq!(reply.body, body);
    }

    for headers in [
        vec![("If-None-Match", etag.as_str())],
        vec![("If-None-Match", unquoted.as_str())],
        vec![("If-Modified-Since", at.as_str())],
        vec![
            ("If-Match", etag.as_str()),
            ("If-None-Match", etag.as_str()),
        ],
    ] {
        let reply = get_with(addr, "GET", &headers);
        assert_eq!(reply.status, 304, "{headers:?}: {}", reply.text());
        assert!(reply.body.is_empty());
        assert_eq!(reply.header("Content-Length"), None);
        assert_eq!(reply.header("ETag"), Some(etag.as_str()));
        assert_eq!(reply.header("Last-Modified"), Some(at.as_str()));
        assert!(reply.header("x-oss-request-id").is_some());
    }

    for (headers, condition) in [
        (vec![("If-Match", "\"OTHER\"")], "If-Match"),
        (
            vec![("If-Unmodified-Since", before.as_str())],
            "If-Unmodified-Since",
        ),
        // 412 is decided before 304.
        (
            vec![("If-Match", "\"OTHER\""), ("If-None-Match", etag.as_str())],
            "If-Match",
        ),
    ] {
        let reply = get_with(addr, "GET", &headers);
        assert_eq!(reply.status, 412, "{headers:?}");
        assert_eq!(reply.header("Content-Type"), Some("application/xml"));
        assert_eq!(reply.code(), "PreconditionFailed");
        assert_eq!(
            reply.xml("Message").as_deref(),
            Some("At least one of the pre-conditions you specified did not hold.")
        );
        assert_eq!(reply.xml("Condition").as_deref(), Some(condition));
    }

    // Conditions are judged before the Range is applied.
    let ranged = get_with(
        addr,
        "GET",
        &[("If-Match", etag.as_str()), ("Range", "bytes=0-3")],
    );
    assert_eq!(ranged.status, 206);
    assert_eq!(ranged.body, b"cond");
    let ranged = get_with(
        addr,
        "GET",
        &[("If-None-Match", etag.as_str()), ("Range", "bytes=0-3")],
    );
    assert_eq!(ranged.status, 304);
}

#[test]
fn conditional_head_answers_304_and_412_with_the_error_in_x_oss_err() {
    let (server, now) = start_at_fixed_time();
    let addr = server.addr();
    assert_eq!(put(addr, "cond.txt", b"abc").status, 200);
    let etag = etag_of(b"abc");

    let ok = get_with(addr, "HEAD", &[("If-Match", etag.as_str())]);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("Content-Length"), Some("3"));

    let not_modified = get_with(addr, "HEAD", &[("If-None-Match", etag.as_str())]);
    assert_eq!(not_modified.status, 304);
    assert_eq!(not_modified.header("ETag"), Some(etag.as_str()));
    assert_eq!(not_modified.header("x-oss-err"), None);

    let failed = get_with(
        addr,
        "HEAD",
        &[("If-Unmodified-Since", http_date(now - 1).as_str())],
    );
    assert_eq!(failed.status, 412);
    assert!(failed.body.is_empty());
    assert!(failed.header("x-oss-err").is_some());
    assert_eq!(failed.code(), "PreconditionFailed");
    assert_eq!(
        failed.xml("Condition").as_deref(),
        Some("If-Unmodified-Since")
    );

    // A missing object is 404 whatever the conditions say.
    let missing = Request::object("HEAD", addr, "nope")
        .header("If-None-Match", "*")
        .sign_v4()
        .send(addr);
    assert_eq!((missing.status, missing.code()), (404, "NoSuchKey".into()));
}

#[test]
fn range_behavior_standard_refuses_what_the_default_serves_whole() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "cond.txt", b"0123456789").status, 200);
    let default = get_with(addr, "GET", &[("Range", "bytes=20-30")]);
    assert_eq!(default.status, 200);
    assert_eq!(default.body, b"0123456789");
    let standard = get_with(
        addr,
        "GET",
        &[
            ("Range", "bytes=20-30"),
            ("x-oss-range-behavior", "standard"),
        ],
    );
    assert_eq!(standard.status, 416);
    assert_eq!(standard.code(), "InvalidRange");
    let open = get_with(
        addr,
        "GET",
        &[("Range", "bytes=6-"), ("x-oss-range-behavior", "standard")],
    );
    assert_eq!(open.status, 206);
    assert_eq!(open.header("Content-Range"), Some("bytes 6-9/10"));
    assert_eq!(open.body, b"6789");
}
