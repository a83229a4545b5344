//! Multipart upload as OSS answers it: ListMultipartUploads, ListParts' fields, sequential
//! uploads, complete-all and the part checks of CompleteMultipartUpload.

mod common;

use std::net::SocketAddr;

use common::*;
use md5::{Digest, Md5};
use ossffi::crc64::crc64;
use ossffi::encoding::hex_upper;

const PART: usize = 100 * 1024;

fn initiate_with(addr: SocketAddr, key: &str, extra: &[(&str, &str)]) -> String {
    let mut req = Request::object("POST", addr, key).query("uploads", "");
    for (n, v) in extra {
        req = if n.starts_with("x-") {
            req.header(n, v)
        } else {
            req.query(n, v)
        };
    }
    let reply = req.sign_v4().send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.xml("UploadId").unwrap()
}

fn upload_part(addr: SocketAddr, key: &str, id: &str, n: u32, data: &[u8]) -> Reply {
    Request::object("PUT", addr, key)
        .query("partNumber", &n.to_string())
        .query("uploadId", id)
        .body(data.to_vec())
        .sign_v4()
        .send(addr)
}

fn list_uploads(addr: SocketAddr, params: &[(&str, &str)]) -> Reply {
    let mut req = Request::new("GET", addr, Some(BUCKET), None).query("uploads", "");
    for (n, v) in params {
        req = req.query(n, v);
    }
    let reply = req.sign_v4().send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply
}

/// Every `<name>` value in the body, in order.
fn all(reply: &Reply, name: &str) -> Vec<String> {
    let text = reply.text();
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(&open) {
        let from = start + open.len();
        let end = rest[from..].find(&close).unwrap() + from;
        out.push(rest[from..end].to_string());
        rest = &rest[end..];
    }
    out
}

fn complete_all(addr: SocketAddr, key: &str, id: &str, body: &[u8]) -> Reply {
    Request::object("POST", addr, key)
        .query("uploadId", id)
        .header("x-oss-complete-all", "yes")
        .body(body.to_vec())
        .sign_v4()
        .send(addr)
}

#[test]
fn list_multipart_uploads_lists_keys_in_order_with_ids_and_initiation_time() {
    let server = start(config());
    let addr = server.addr();
    let before = ossffi::time::now_unix();
    let b = initiate(addr, "b.bin");
    let a = initiate(addr, "a.bin");
    let after = ossffi::time::now_unix();
    let reply = list_uploads(addr, &[]);
    assert_eq!(all(&reply, "Key"), ["a.bin", "b.bin"]);
    assert_eq!(all(&reply, "UploadId"), [a, b]);
    let times: Vec<String> = (before..=after)
        .map(|t| ossffi::time::iso8601_millis(t * 1000))
        .collect();
    for initiated in all(&reply, "Initiated") {
        assert!(times.contains(&initiated), "{initiated} not in {times:?}");
    }
    assert_eq!(reply.xml("Bucket").as_deref(), Some(BUCKET));
    assert_eq!(reply.xml("MaxUploads").as_deref(), Some("1000"));
    assert_eq!(reply.xml("IsTruncated").as_deref(), Some("false"));
    assert_eq!(reply.xml("NextKeyMarker").as_deref(), Some("b.bin"));
    assert!(
        reply
            .text()
            .contains("<ListMultipartUploadsResult>\n  <Bucket>")
    );
}

#[test]
fn list_multipart_uploads_pages_with_key_and_upload_id_markers() {
    let server = start(config());
    let addr = server.addr();
    let first = initiate(addr, "same");
    let second = initiate(addr, "same");
    let other = initiate(addr, "z");
    let page1 = list_uploads(addr, &[("max-uploads", "1")]);
    assert_eq!(page1.xml("IsTruncated").as_deref(), Some("true"));
    assert_eq!(all(&page1, "UploadId"), [first.as_str()]);
    assert_eq!(page1.xml("NextKeyMarker").as_deref(), Some("same"));
    assert_eq!(
        page1.xml("NextUploadIdMarker").as_deref(),
        Some(first.as_str())
    );
    let page2 = list_uploads(
        addr,
        &[
            ("max-uploads", "1"),
            ("key-marker", "same"),
            ("upload-id-marker", &first),
        ],
    );
    assert_eq!(all(&page2, "UploadId"), [second.as_str()]);
    assert_eq!(page2.xml("KeyMarker").as_deref(), Some("same"));
    assert_eq!(page2.xml("UploadIdMarker").as_deref(), Some(first.as_str()));
    let page3 = list_uploads(
        addr,
        &[("key-marker", "same"), ("upload-id-marker", &second)],
    );
    assert_eq!(all(&page3, "UploadId"), [other]);
    assert_eq!(page3.xml("IsTruncated").as_deref(), Some("false"));
    // key-marker alone skips every upload of that key.
    let after_key = list_uploads(addr, &[("key-marker", "same")]);
    assert_eq!(all(&after_key, "Key"), ["z"]);
}

#[test]
fn upload_id_marker_without_key_marker_is_ignored() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    let reply = list_uploads(addr, &[("upload-id-marker", &id)]);
    assert_eq!(all(&reply, "UploadId"), [id]);
    assert_eq!(reply.xml("UploadIdMarker").as_deref(), Some(""));
}

#[test]
fn list_multipart_uploads_groups_by_delimiter_under_a_prefix() {
    let server = start(config());
    let addr = server.addr();
    initiate(addr, "dir/sub/x");
    initiate(addr, "dir/sub/y");
    initiate(addr, "dir/top");
    initiate(addr, "other");
    let reply = list_uploads(addr, &[("prefix", "dir/"), ("delimiter", "/")]);
    assert_eq!(all(&reply, "Key"), ["dir/top"]);
    assert_eq!(all(&reply, "Prefix"), ["dir/", "dir/sub/"]);
    assert_eq!(reply.xml("Delimiter").as_deref(), Some("/"));
}

#[test]
fn list_multipart_uploads_url_encodes_keys_and_markers() {
    let server = start(config());
    let addr = server.addr();
    initiate(addr, "a b/ü");
    let reply = list_uploads(addr, &[("encoding-type", "url"), ("key-marker", "a a")]);
    assert_eq!(reply.xml("EncodingType").as_deref(), Some("url"));
    assert_eq!(all(&reply, "Key"), ["a%20b%2F%C3%BC"]);
    assert_eq!(reply.xml("KeyMarker").as_deref(), Some("a%20a"));
    assert_eq!(
        reply.xml("NextKeyMarker").as_deref(),
        Some("a%20b%2F%C3%BC")
    );
}

#[test]
fn max_uploads_out_of_range_is_invalid_argument() {
    let server = start(config());
    let addr = server.addr();
    for bad in ["0", "1001", "x"] {
        let reply = Request::new("GET", addr, Some(BUCKET), None)
            .query("uploads", "")
            .query("max-uploads", bad)
            .sign_v4()
            .send(addr);
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, "InvalidArgument"),
            "{bad}"
        );
    }
}

#[test]
fn completed_and_aborted_uploads_leave_the_list() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    upload_part(addr, "k", &id, 1, b"x");
    assert_eq!(complete_all(addr, "k", &id, b"").status, 200);
    let aborted = initiate(addr, "k2");
    Request::object("DELETE", addr, "k2")
        .query("uploadId", &aborted)
        .sign_v4()
        .send(addr);
    assert!(all(&list_uploads(addr, &[]), "Upload").is_empty());
}

#[test]
fn list_parts_reports_storage_class_and_client_encryption_fields() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate_with(
        addr,
        "enc",
        &[
            ("x-oss-storage-class", "IA"),
            ("x-oss-meta-client-side-encryption-key", "a2V5"),
            ("x-oss-meta-client-side-encryption-start", "c3RhcnQ="),
            (
                "x-oss-meta-client-side-encryption-cek-alg",
                "AES/CTR/NoPadding",
            ),
            (
                "x-oss-meta-client-side-encryption-wrap-alg",
                "RSA/NONE/PKCS1Padding",
            ),
            ("x-oss-meta-client-side-encryption-data-size", "204800"),
            ("x-oss-meta-client-side-encryption-part-size", "102400"),
        ],
    );
    let data = vec![7u8; 1000];
    upload_part(addr, "enc", &id, 1, &data);
    let reply = Request::object("GET", addr, "enc")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.xml("StorageClass").as_deref(), Some("IA"));
    assert_eq!(reply.xml("ClientEncryptionKey").as_deref(), Some("a2V5"));
    assert_eq!(
        reply.xml("ClientEncryptionStart").as_deref(),
        Some("c3RhcnQ=")
    );
    assert_eq!(
        reply.xml("ClientEncryptionCekAlg").as_deref(),
        Some("AES/CTR/NoPadding")
    );
    assert_eq!(
        reply.xml("ClientEncryptionWrapAlg").as_deref(),
        Some("RSA/NONE/PKCS1Padding")
    );
    assert_eq!(
        reply.xml("ClientEncryptionDataSize").as_deref(),
        Some("204800")
    );
    assert_eq!(
        reply.xml("ClientEncryptionPartSize").as_deref(),
        Some("102400")
    );
    assert_eq!(reply.xml("Size").as_deref(), Some("1000"));
    assert_eq!(reply.xml("HashCrc64ecma"), Some(crc64(&data).to_string()));
    assert_eq!(
        reply.xml("ETag"),
        Some(format!("&quot;{}&quot;", hex_upper(&Md5::digest(&data))))
    );
}

#[test]
fn list_parts_without_encryption_has_no_client_encryption_fields() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "plain");
    let reply = Request::object("GET", addr, "plain")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert_eq!(reply.xml("StorageClass").as_deref(), Some("Standard"));
    assert!(
        !reply.text().contains("ClientEncryption"),
        "{}",
        reply.text()
    );
}

#[test]
fn list_parts_pages_with_max_parts_and_part_number_marker() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    for n in [1, 3, 5] {
        upload_part(addr, "k", &id, n, b"p");
    }
    let reply = Request::object("GET", addr, "k")
        .query("uploadId", &id)
        .query("max-parts", "1")
        .query("part-number-marker", "1")
        .sign_v4()
        .send(addr);
    assert_eq!(all(&reply, "PartNumber"), ["3"]);
    assert_eq!(reply.xml("NextPartNumberMarker").as_deref(), Some("3"));
    assert_eq!(reply.xml("IsTruncated").as_deref(), Some("true"));
}

#[test]
fn sequential_upload_refuses_a_part_out_of_order() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate_with(addr, "seq", &[("sequential", "")]);
    assert_eq!(upload_part(addr, "seq", &id, 1, b"one").status, 200);
    let skipped = upload_part(addr, "seq", &id, 3, b"three");
    assert_eq!(
        (skipped.status, skipped.code().as_str()),
        (400, "PartNotSequential")
    );
    assert_eq!(skipped.xml("PartNumber").as_deref(), Some("3"));
    assert_eq!(upload_part(addr, "seq", &id, 2, b"two").status, 200);
}

#[test]
fn sequential_upload_refuses_to_replace_a_part() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate_with(addr, "seq", &[("sequential", "")]);
    upload_part(addr, "seq", &id, 1, b"one");
    let again = upload_part(addr, "seq", &id, 1, b"uno");
    assert_eq!(
        (again.status, again.code().as_str()),
        (409, "PartAlreadyExist")
    );
    assert_eq!(again.xml("EC").as_deref(), Some("0042-00000108"));
}

#[test]
fn sequential_upload_must_start_at_part_one() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate_with(addr, "seq", &[("sequential", "")]);
    let reply = upload_part(addr, "seq", &id, 2, b"two");
    assert_eq!(reply.code(), "PartNotSequential");
}

#[test]
fn an_upload_without_sequential_takes_parts_in_any_order_and_replaces_them() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "any");
    assert_eq!(upload_part(addr, "any", &id, 3, b"three").status, 200);
    assert_eq!(upload_part(addr, "any", &id, 1, b"one").status, 200);
    assert_eq!(upload_part(addr, "any", &id, 1, b"uno").status, 200);
}

#[test]
fn complete_all_assembles_every_part_in_order_with_combined_crc() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "all");
    let p1 = vec![1u8; PART];
    let p2 = vec![2u8; PART];
    let p3 = b"tail".to_vec();
    // Sent out of order: complete-all orders them by part number.
    upload_part(addr, "all", &id, 3, &p3);
    upload_part(addr, "all", &id, 1, &p1);
    upload_part(addr, "all", &id, 2, &p2);
    let reply = complete_all(addr, "all", &id, b"");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let whole = [p1.as_slice(), &p2, &p3].concat();
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(&whole).to_string().as_str())
    );
    let mut md5s = Md5::new();
    for p in [&p1, &p2, &p3] {
        md5s.update(Md5::digest(p));
    }
    let etag = format!("\"{}-3\"", hex_upper(&md5s.finalize()));
    assert_eq!(reply.header("ETag"), Some(etag.as_str()));
    assert_eq!(server.object_bytes(BUCKET, "all").unwrap(), whole);
}

#[test]
fn complete_all_with_a_body_is_refused() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    let e1 = upload_part(addr, "k", &id, 1, b"x")
        .header("ETag")
        .unwrap()
        .to_string();
    let body = format!(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{e1}</ETag></Part></CompleteMultipartUpload>"
    );
    let reply = complete_all(addr, "k", &id, body.as_bytes());
    assert_eq!(reply.status, 400);
    assert_eq!(reply.xml("EC").as_deref(), Some("0042-00000216"));
    assert!(!server.object_exists(BUCKET, "k"));
}

#[test]
fn complete_all_checks_part_sizes_too() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    upload_part(addr, "k", &id, 1, b"small");
    upload_part(addr, "k", &id, 2, b"last");
    let reply = complete_all(addr, "k", &id, b"");
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "EntityTooSmall")
    );
    assert_eq!(reply.xml("ProposedSize").as_deref(), Some("5"));
    assert_eq!(reply.xml("MinSizeAllowed").as_deref(), Some("102400"));
}

#[test]
fn complete_with_a_wrong_etag_names_the_part() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    upload_part(addr, "k", &id, 1, b"x");
    let reply = Request::object("POST", addr, "k")
        .query("uploadId", &id)
        .body(
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"00000000000000000000000000000000\"</ETag></Part></CompleteMultipartUpload>",
        )
        .sign_v4()
        .send(addr);
    assert_eq!((reply.status, reply.code().as_str()), (400, "InvalidPart"));
    assert_eq!(reply.xml("PartNumber").as_deref(), Some("1"));
}

#[test]
fn sequential_complete_with_a_gap_is_part_not_sequential() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate_with(addr, "seq", &[("sequential", "")]);
    let e1 = upload_part(addr, "seq", &id, 1, &vec![0u8; PART])
        .header("ETag")
        .unwrap()
        .to_string();
    let e2 = upload_part(addr, "seq", &id, 2, b"x")
        .header("ETag")
        .unwrap()
        .to_string();
    // Part 1 left out: the list starts at 2.
    let reply = Request::object("POST", addr, "seq")
        .query("uploadId", &id)
        .body(format!(
            "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>{e2}</ETag></Part></CompleteMultipartUpload>"
        ))
        .sign_v4()
        .send(addr);
    assert_eq!(reply.code(), "PartNotSequential");
    let ok = Request::object("POST", addr, "seq")
        .query("uploadId", &id)
        .body(format!(
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{e1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>{e2}</ETag></Part></CompleteMultipartUpload>"
        ))
        .sign_v4()
        .send(addr);
    assert_eq!(ok.status, 200, "{}", ok.text());
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn an_upload_in_progress_survives_a_restart_with_a_data_dir() {
    let dir = temp_dir("mpu-restart");
    let p1 = vec![1u8; PART];
    let p2 = vec![2u8; PART];
    let (id, e1) = {
        let server = start(config().with_data_dir(&dir));
        let addr = server.addr();
        let id = initiate_with(
            addr,
            "kept.bin",
            &[("x-oss-storage-class", "IA"), ("x-oss-meta-owner", "me")],
        );
        // Part 1 is sent twice; the second one is the part that counts.
        upload_part(addr, "kept.bin", &id, 1, b"first try");
        let e1 = upload_part(addr, "kept.bin", &id, 1, &p1)
            .header("ETag")
            .unwrap()
            .to_string();
        (id, e1)
    };
    let server = start(config().with_data_dir(&dir));
    let addr = server.addr();
    assert_eq!(all(&list_uploads(addr, &[]), "UploadId"), [id.as_str()]);
    let parts = Request::object("GET", addr, "kept.bin")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert_eq!(all(&parts, "PartNumber"), ["1"]);
    assert_eq!(parts.xml("ETag"), Some(e1.replace('"', "&quot;")));
    assert_eq!(parts.xml("Size"), Some(PART.to_string()));
    assert_eq!(parts.xml("HashCrc64ecma"), Some(crc64(&p1).to_string()));
    assert_eq!(parts.xml("StorageClass").as_deref(), Some("IA"));
    upload_part(addr, "kept.bin", &id, 2, &p2);
    let done = complete_all(addr, "kept.bin", &id, b"");
    assert_eq!(done.status, 200, "{}", done.text());
    let whole = [p1.as_slice(), &p2].concat();
    assert_eq!(server.object_bytes(BUCKET, "kept.bin").unwrap(), whole);
    let meta = server.object_meta(BUCKET, "kept.bin").unwrap();
    assert_eq!(meta.crc64, crc64(&whole));
    assert_eq!(meta.storage_class, "IA");
    assert_eq!(
        meta.user_meta,
        [("x-oss-meta-owner".to_string(), "me".to_string())]
    );
    // Completed: nothing of the upload is left on disk.
    assert!(!dir.join(BUCKET).join(".uploads").join(&id).exists());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_sequential_upload_stays_sequential_after_a_restart() {
    let dir = temp_dir("mpu-restart-seq");
    let id = {
        let server = start(config().with_data_dir(&dir));
        let addr = server.addr();
        let id = initiate_with(addr, "seq", &[("sequential", "")]);
        upload_part(addr, "seq", &id, 1, b"one");
        id
    };
    let server = start(config().with_data_dir(&dir));
    let addr = server.addr();
    assert_eq!(
        upload_part(addr, "seq", &id, 3, b"x").code(),
        "PartNotSequential"
    );
    assert_eq!(
        upload_part(addr, "seq", &id, 1, b"x").code(),
        "PartAlreadyExist"
    );
    assert_eq!(upload_part(addr, "seq", &id, 2, b"two").status, 200);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_aborted_upload_is_gone_after_a_restart() {
    let dir = temp_dir("mpu-restart-abort");
    {
        let server = start(config().with_data_dir(&dir));
        let addr = server.addr();
        let id = initiate(addr, "gone");
        upload_part(addr, "gone", &id, 1, b"x");
        let reply = Request::object("DELETE", addr, "gone")
            .query("uploadId", &id)
            .sign_v4()
            .send(addr);
        assert_eq!(reply.status, 204);
    }
    let server = start(config().with_data_dir(&dir));
    assert!(all(&list_uploads(server.addr(), &[]), "Upload").is_empty());
    let leftovers: Vec<_> = std::fs::read_dir(dir.join(BUCKET).join(".uploads"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

const SOURCE_BUCKET: &str = "source-bkt";

/// Bytes with no short period, so a part copied from the wrong offset never matches.
fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn put_in(addr: SocketAddr, bucket: &str, key: &str, body: &[u8]) {
    let reply = Request::new("PUT", addr, Some(bucket), Some(key))
        .body(body.to_vec())
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
}

fn copy_part(addr: SocketAddr, key: &str, id: &str, n: u32, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::object("PUT", addr, key)
        .query("partNumber", &n.to_string())
        .query("uploadId", id);
    for (name, value) in headers {
        req = req.header(name, value);
    }
    req.sign_v4().send(addr)
}

fn quoted_md5(bytes: &[u8]) -> String {
    format!("\"{}\"", hex_upper(&Md5::digest(bytes)))
}

#[test]
fn upload_part_copy_copies_ranges_of_an_object_in_another_bucket_into_parts() {
    let server = start(config().with_bucket(SOURCE_BUCKET));
    let addr = server.addr();
    let source = pattern(PART + 5000, 1);
    put_in(addr, SOURCE_BUCKET, "dir/src object.bin", &source);
    let id = initiate(addr, "copied");
    let copy_source = format!("/{SOURCE_BUCKET}/dir%2Fsrc%20object.bin");
    let ranges = [(0, PART - 1), (PART, source.len() - 1)];
    for (i, (first, last)) in ranges.iter().enumerate() {
        let range = format!("bytes={first}-{last}");
        let reply = copy_part(
            addr,
            "copied",
            &id,
            i as u32 + 1,
            &[
                ("x-oss-copy-source", &copy_source),
                ("x-oss-copy-source-range", &range),
            ],
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        let text = reply.text();
        assert!(text.contains("<CopyPartResult>"), "{text}");
        let etag = quoted_md5(&source[*first..=*last]);
        assert_eq!(reply.xml("ETag").as_deref(), Some(etag.as_str()), "{text}");
        let modified = reply.xml("LastModified").unwrap();
        let now = ossffi::time::iso8601_millis(ossffi::time::now_unix() * 1000);
        assert_eq!(modified.len(), 24, "{modified}");
        assert_eq!(modified[..10], now[..10], "ISO 8601 of today: {modified}");
        assert!(modified.ends_with(".000Z"), "{modified}");
    }
    let parts = Request::object("GET", addr, "copied")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert_eq!(all(&parts, "Size"), [PART.to_string(), 5000.to_string()]);
    assert_eq!(
        all(&parts, "HashCrc64ecma"),
        [
            crc64(&source[..PART]).to_string(),
            crc64(&source[PART..]).to_string()
        ]
    );
    let reply = complete_all(addr, "copied", &id, b"");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(&source).to_string().as_str())
    );
    assert_eq!(server.object_bytes(BUCKET, "copied").unwrap(), source);
}

#[test]
fn upload_part_copy_without_a_range_copies_the_whole_object() {
    let server = start(config());
    let addr = server.addr();
    let source = pattern(3000, 2);
    put(addr, "whole-src", &source);
    let id = initiate(addr, "whole-dst");
    let reply = copy_part(
        addr,
        "whole-dst",
        &id,
        7,
        &[("x-oss-copy-source", &format!("/{BUCKET}/whole-src"))],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.xml("ETag"), Some(quoted_md5(&source)));
    let parts = Request::object("GET", addr, "whole-dst")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert_eq!(all(&parts, "PartNumber"), ["7"]);
    // ListParts writes the quotes as entities.
    assert_eq!(
        all(&parts, "ETag"),
        [quoted_md5(&source).replace('"', "&quot;")]
    );
}

#[test]
fn upload_part_copy_errors_are_oss_errors_and_store_no_part() {
    let server = start(config());
    let addr = server.addr();
    put(addr, "err-src", b"0123456789");
    let id = initiate(addr, "err-dst");
    let src = format!("/{BUCKET}/err-src");
    // (headers, upload id when not the real one, status, code)
    type Case<'a> = (Vec<(&'a str, String)>, &'a str, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![("x-oss-copy-source", format!("/{BUCKET}/missing"))],
            "",
            404,
            "NoSuchKey",
        ),
        (
            vec![("x-oss-copy-source", "/no-such-bucket/err-src".to_owned())],
            "",
            404,
            "NoSuchBucket",
        ),
        (
            vec![("x-oss-copy-source", src.clone())],
            "not-an-upload",
            404,
            "NoSuchUpload",
        ),
        (
            vec![("x-oss-copy-source", "/only-a-bucket".to_owned())],
            "",
            400,
            "InvalidArgument",
        ),
        (
            vec![
                ("x-oss-copy-source", src.clone()),
                ("x-oss-copy-source-range", "bytes=10-12".to_owned()),
            ],
            "",
            400,
            "InvalidArgument",
        ),
        (
            vec![
                ("x-oss-copy-source", src.clone()),
                ("x-oss-copy-source-if-match", "\"0000\"".to_owned()),
            ],
            "",
            412,
            "PreconditionFailed",
        ),
        (
            vec![
                ("x-oss-copy-source", src.clone()),
                ("x-oss-copy-source-if-none-match", quoted_md5(b"0123456789")),
            ],
            "",
            412,
            "PreconditionFailed",
        ),
        (
            vec![
                ("x-oss-copy-source", src.clone()),
                (
                    "x-oss-copy-source-if-modified-since",
                    "Fri, 01 Jan 2100 00:00:00 GMT".to_owned(),
                ),
            ],
            "",
            412,
            "PreconditionFailed",
        ),
        (
            vec![
                ("x-oss-copy-source", src.clone()),
                (
                    "x-oss-copy-source-if-unmodified-since",
                    "Thu, 01 Jan 2015 00:00:00 GMT".to_owned(),
                ),
            ],
            "",
            412,
            "PreconditionFailed",
        ),
    ];
    for (headers, upload, status, code) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let upload = if upload.is_empty() {
            id.as_str()
        } else {
            upload
        };
        let reply = copy_part(addr, "err-dst", upload, 1, &headers);
        assert_eq!(reply.status, status, "{headers:?}: {}", reply.text());
        assert_eq!(reply.code(), code, "{headers:?}");
    }
    let parts = Request::object("GET", addr, "err-dst")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert!(all(&parts, "PartNumber").is_empty(), "{}", parts.text());

    // Conditions that hold let the copy through.
    let reply = copy_part(
        addr,
        "err-dst",
        &id,
        1,
        &[
            ("x-oss-copy-source", &src),
            ("x-oss-copy-source-range", "bytes=2-5"),
            ("x-oss-copy-source-if-match", &quoted_md5(b"0123456789")),
            ("x-oss-copy-source-if-none-match", "\"0000\""),
            (
                "x-oss-copy-source-if-unmodified-since",
                "Fri, 01 Jan 2100 00:00:00 GMT",
            ),
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.xml("ETag"), Some(quoted_md5(b"2345")));
}
