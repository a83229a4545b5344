//! Multipart upload: initiate, parts, list, complete, abort, and their errors.

mod common;

use common::*;
use md5::{Digest, Md5};
use ossffi::crc64::crc64;
use ossffi::encoding::hex_upper;

const PART: usize = 100 * 1024;

fn initiate(addr: std::net::SocketAddr, key: &str) -> String {
    let reply = Request::object("POST", addr, key)
        .query("uploads", "")
        .header("Content-Type", "text/csv")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.xml("UploadId").unwrap()
}

fn upload_part(addr: std::net::SocketAddr, key: &str, id: &str, n: u32, data: &[u8]) -> Reply {
    Request::object("PUT", addr, key)
        .query("partNumber", &n.to_string())
        .query("uploadId", id)
        .body(data.to_vec())
        .sign_v4()
        .send(addr)
}

fn complete_xml(parts: &[(u32, &str)]) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload>");
    for (n, etag) in parts {
        xml.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    xml.push_str("</CompleteMultipartUpload>");
    xml
}

fn complete(addr: std::net::SocketAddr, key: &str, id: &str, xml: String) -> Reply {
    Request::object("POST", addr, key)
        .query("uploadId", id)
        .body(xml.into_bytes())
        .sign_v4()
        .send(addr)
}

#[test]
fn multipart_upload_assembles_parts_with_oss_etag_and_crc() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "big.csv");
    assert_eq!(id.len(), 32);
    let p1 = vec![1u8; PART];
    let p2 = b"tail".to_vec();
    let r1 = upload_part(addr, "big.csv", &id, 1, &p1);
    let r2 = upload_part(addr, "big.csv", &id, 2, &p2);
    assert_eq!((r1.status, r2.status), (200, 200));
    let e1 = r1.header("ETag").unwrap().to_string();
    let e2 = r2.header("ETag").unwrap().to_string();
    assert_eq!(e1, format!("\"{}\"", hex_upper(&Md5::digest(&p1))));
    assert_eq!(
        r1.header("x-oss-hash-crc64ecma"),
        Some(crc64(&p1).to_string().as_str())
    );

    let listed = Request::object("GET", addr, "big.csv")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert_eq!(listed.status, 200);
    assert_eq!(
        listed.text().matches("<Part>").count(),
        2,
        "{}",
        listed.text()
    );

    let reply = complete(addr, "big.csv", &id, complete_xml(&[(1, &e1), (2, &e2)]));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let mut md5s = Md5::new();
    md5s.update(Md5::digest(&p1));
    md5s.update(Md5::digest(&p2));
    let etag = format!("\"{}-2\"", hex_upper(&md5s.finalize()));
    assert_eq!(reply.header("ETag"), Some(etag.as_str()));
    assert_eq!(reply.xml("ETag").unwrap(), etag.replace('"', "&quot;"));
    let whole = [p1.as_slice(), p2.as_slice()].concat();
    assert_eq!(
        reply.header("x-oss-hash-crc64ecma"),
        Some(crc64(&whole).to_string().as_str())
    );
    assert_eq!(server.object_bytes(BUCKET, "big.csv").unwrap(), whole);
    let got = get(addr, "big.csv");
    assert_eq!(got.header("Content-Type"), Some("text/csv"));
    assert_eq!(got.header("x-oss-object-type"), Some("Multipart"));
}

#[test]
fn complete_with_unknown_part_is_invalid_part() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    upload_part(addr, "k", &id, 1, b"x");
    let reply = complete(
        addr,
        "k",
        &id,
        complete_xml(&[(1, "\"00000000000000000000000000000000\"")]),
    );
    assert_eq!((reply.status, reply.code().as_str()), (400, "InvalidPart"));
}

#[test]
fn complete_with_parts_out_of_order_is_invalid_part_order() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    let e1 = upload_part(addr, "k", &id, 1, &vec![0u8; PART])
        .header("ETag")
        .unwrap()
        .to_string();
    let e2 = upload_part(addr, "k", &id, 2, b"x")
        .header("ETag")
        .unwrap()
        .to_string();
    let reply = complete(addr, "k", &id, complete_xml(&[(2, &e2), (1, &e1)]));
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidPartOrder")
    );
}

#[test]
fn small_part_before_the_last_is_entity_too_small() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    let e1 = upload_part(addr, "k", &id, 1, b"small")
        .header("ETag")
        .unwrap()
        .to_string();
    let e2 = upload_part(addr, "k", &id, 2, b"x")
        .header("ETag")
        .unwrap()
        .to_string();
    let reply = complete(addr, "k", &id, complete_xml(&[(1, &e1), (2, &e2)]));
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "EntityTooSmall")
    );
}

#[test]
fn abort_removes_the_upload() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    let reply = Request::object("DELETE", addr, "k")
        .query("uploadId", &id)
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 204);
    let part = upload_part(addr, "k", &id, 1, b"x");
    assert_eq!((part.status, part.code().as_str()), (404, "NoSuchUpload"));
}

#[test]
fn part_number_out_of_range_is_invalid_argument() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    let reply = upload_part(addr, "k", &id, 10_001, b"x");
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
}

#[test]
fn malformed_complete_body_is_malformed_xml() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    let reply = complete(addr, "k", &id, "<nope/>".into());
    assert_eq!((reply.status, reply.code().as_str()), (400, "MalformedXML"));
}

#[test]
fn encoding_type_url_encodes_keys_in_results() {
    let server = start(config());
    let addr = server.addr();
    let reply = Request::object("POST", addr, "a b/ü.txt")
        .query("uploads", "")
        .query("encoding-type", "url")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.xml("EncodingType").as_deref(), Some("url"));
    assert_eq!(reply.xml("Key").as_deref(), Some("a%20b%2F%C3%BC.txt"));
}

#[test]
fn multipart_upload_works_with_a_data_dir_and_leaves_no_part_files() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("mpu-data-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = start(config().with_data_dir(&dir));
    let addr = server.addr();
    let id = initiate(addr, "disk.bin");
    let p1 = vec![3u8; PART];
    upload_part(addr, "disk.bin", &id, 1, b"replaced below");
    let e1 = upload_part(addr, "disk.bin", &id, 1, &p1)
        .header("ETag")
        .unwrap()
        .to_string();
    let e2 = upload_part(addr, "disk.bin", &id, 2, b"end")
        .header("ETag")
        .unwrap()
        .to_string();
    let reply = complete(addr, "disk.bin", &id, complete_xml(&[(1, &e1), (2, &e2)]));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        server.object_bytes(BUCKET, "disk.bin").unwrap(),
        [p1.as_slice(), b"end"].concat()
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join(BUCKET))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
