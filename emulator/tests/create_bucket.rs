//! PutBucket (CreateBucket) over the wire: the CreateBucketConfiguration body, x-oss-acl, what
//! ListBuckets and GetBucketAcl then report, and a second PutBucket on an existing bucket.

mod common;

use std::net::SocketAddr;

use common::*;

const SDK_BODY_IA_ZRS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\n<StorageClass>IA</StorageClass>\n<DataRedundancyType>ZRS</DataRedundancyType>\n</CreateBucketConfiguration>";

fn body_with_class(class: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\n<StorageClass>{class}</StorageClass>\n</CreateBucketConfiguration>"
    )
}

fn put_bucket(addr: SocketAddr, bucket: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::new("PUT", addr, Some(bucket), None).body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.sign_v4().send(addr)
}

/// The `<StorageClass>` ListBuckets shows for `bucket`, or `None` if it is not listed.
fn listed_storage_class(addr: SocketAddr, bucket: &str) -> Option<String> {
    let listed = Request::new("GET", addr, None, None)
        .query("prefix", bucket)
        .sign_v4()
        .send(addr);
    assert_eq!(listed.status, 200, "{}", listed.text());
    let text = listed.text();
    let entry = text
        .split("<Bucket>")
        .find(|b| b.contains(&format!("<Name>{bucket}</Name>")))?;
    let start = entry.find("<StorageClass>")? + "<StorageClass>".len();
    let end = entry.find("</StorageClass>")?;
    Some(entry[start..end].to_string())
}

/// The error message, with the one XML escape these messages need undone.
fn message(reply: &Reply) -> String {
    reply
        .xml("Message")
        .unwrap_or_default()
        .replace("&apos;", "'")
}

fn bucket_acl(addr: SocketAddr, bucket: &str) -> String {
    let reply = Request::new("GET", addr, Some(bucket), None)
        .query("acl", "")
        .sign_v4()
        .send(addr);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.xml("Grant").expect("a Grant")
}

#[test]
fn the_sdk_body_creates_an_ia_bucket_that_list_buckets_reports() {
    let server = start(config());
    let addr = server.addr();
    let created = put_bucket(addr, "ia-bucket", SDK_BODY_IA_ZRS, &[]);
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(created.header("Location"), Some("/ia-bucket"));
    assert_eq!(
        listed_storage_class(addr, "ia-bucket").as_deref(),
        Some("IA")
    );
    assert_eq!(
        listed_storage_class(addr, BUCKET).as_deref(),
        Some("Standard")
    );
}

#[test]
fn every_storage_class_oss_offers_is_kept() {
    let server = start(config());
    let addr = server.addr();
    for (bucket, class) in [
        ("class-standard", "Standard"),
        ("class-ia", "IA"),
        ("class-archive", "Archive"),
        ("class-cold", "ColdArchive"),
        ("class-deep-cold", "DeepColdArchive"),
    ] {
        let created = put_bucket(addr, bucket, &body_with_class(class), &[]);
        assert_eq!(created.status, 200, "{class}: {}", created.text());
        assert_eq!(listed_storage_class(addr, bucket).as_deref(), Some(class));
    }
}

#[test]
fn no_body_makes_a_standard_private_bucket() {
    let server = start(config());
    let addr = server.addr();
    let created = put_bucket(addr, "plain-bucket", "", &[]);
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(
        listed_storage_class(addr, "plain-bucket").as_deref(),
        Some("Standard")
    );
    assert_eq!(bucket_acl(addr, "plain-bucket"), "private");
}

#[test]
fn malformed_xml_is_refused_and_creates_nothing() {
    let server = start(config());
    let addr = server.addr();
    let reply = put_bucket(
        addr,
        "broken-bucket",
        "<CreateBucketConfiguration><StorageClass>IA</StorageClass>",
        &[],
    );
    assert_eq!((reply.status, reply.code().as_str()), (400, "MalformedXML"));
    assert_eq!(listed_storage_class(addr, "broken-bucket"), None);
}

#[test]
fn an_unknown_storage_class_is_invalid_argument_and_creates_nothing() {
    let server = start(config());
    let addr = server.addr();
    let reply = put_bucket(addr, "odd-bucket", &body_with_class("Glacier"), &[]);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert_eq!(reply.xml("ArgumentName").as_deref(), Some("StorageClass"));
    assert_eq!(reply.xml("ArgumentValue").as_deref(), Some("Glacier"));
    assert_eq!(listed_storage_class(addr, "odd-bucket"), None);
}

#[test]
fn an_unknown_redundancy_type_is_invalid_argument() {
    let server = start(config());
    let addr = server.addr();
    let body = "<CreateBucketConfiguration><StorageClass>IA</StorageClass><DataRedundancyType>GRS</DataRedundancyType></CreateBucketConfiguration>";
    let reply = put_bucket(addr, "odd-bucket", body, &[]);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert_eq!(
        reply.xml("ArgumentName").as_deref(),
        Some("DataRedundancyType")
    );
    assert_eq!(listed_storage_class(addr, "odd-bucket"), None);
}

#[test]
fn an_unknown_acl_is_oss_invalid_argument_and_creates_nothing() {
    let server = start(config());
    let addr = server.addr();
    let reply = put_bucket(
        addr,
        "acl-bucket",
        SDK_BODY_IA_ZRS,
        &[("x-oss-acl", "authenticated-read")],
    );
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "InvalidArgument")
    );
    assert_eq!(message(&reply), "no such bucket access control exists");
    assert_eq!(reply.xml("ArgumentName").as_deref(), Some("x-oss-acl"));
    assert_eq!(
        reply.xml("ArgumentValue").as_deref(),
        Some("authenticated-read")
    );
    assert_eq!(reply.xml("EC").as_deref(), Some("0015-00000204"));
    assert_eq!(listed_storage_class(addr, "acl-bucket"), None);
}

#[test]
fn the_acl_header_is_kept_and_get_bucket_acl_reports_it() {
    let server = start(config());
    let addr = server.addr();
    for (bucket, acl) in [
        ("acl-private", "private"),
        ("acl-read", "public-read"),
        ("acl-read-write", "public-read-write"),
    ] {
        let created = put_bucket(addr, bucket, "", &[("x-oss-acl", acl)]);
        assert_eq!(created.status, 200, "{}", created.text());
        assert_eq!(bucket_acl(addr, bucket), acl);
    }
}

#[test]
fn put_bucket_acl_changes_the_acl_and_without_the_header_leaves_it() {
    let server = start(config());
    let addr = server.addr();
    let set = |headers: &[(&str, &str)]| {
        let mut request = Request::new("PUT", addr, Some(BUCKET), None).query("acl", "");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.sign_v4().send(addr)
    };
    assert_eq!(set(&[("x-oss-acl", "public-read")]).status, 200);
    assert_eq!(bucket_acl(addr, BUCKET), "public-read");
    assert_eq!(set(&[]).status, 200);
    assert_eq!(bucket_acl(addr, BUCKET), "public-read");
    let refused = set(&[("x-oss-acl", "everyone")]);
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (400, "InvalidArgument")
    );
    assert_eq!(refused.xml("EC").as_deref(), Some("0015-00000204"));
    assert_eq!(bucket_acl(addr, BUCKET), "public-read");
}

#[test]
fn putting_an_existing_bucket_again_succeeds_and_updates_its_acl() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put_bucket(addr, "again", SDK_BODY_IA_ZRS, &[]).status, 200);
    let again = put_bucket(
        addr,
        "again",
        SDK_BODY_IA_ZRS,
        &[("x-oss-acl", "public-read")],
    );
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(bucket_acl(addr, "again"), "public-read");
    // A body that names no storage class asks for no change.
    assert_eq!(put_bucket(addr, "again", "", &[]).status, 200);
    assert_eq!(listed_storage_class(addr, "again").as_deref(), Some("IA"));
}

#[test]
fn an_existing_bucket_keeps_its_storage_class_with_409_bucket_already_exists() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(
        put_bucket(addr, "kept-ia", SDK_BODY_IA_ZRS, &[]).status,
        200
    );
    let reply = put_bucket(
        addr,
        "kept-ia",
        &body_with_class("Standard"),
        &[("x-oss-acl", "public-read")],
    );
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (409, "BucketAlreadyExists")
    );
    assert_eq!(
        message(&reply),
        "Cannot modify existing bucket's storage class."
    );
    assert_eq!(reply.xml("BucketName").as_deref(), Some("kept-ia"));
    assert_eq!(listed_storage_class(addr, "kept-ia").as_deref(), Some("IA"));
    assert_eq!(bucket_acl(addr, "kept-ia"), "private", "nothing changed");
}

#[test]
fn an_existing_bucket_keeps_its_redundancy_type_with_409_bucket_already_exists() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(
        put_bucket(addr, "kept-zrs", SDK_BODY_IA_ZRS, &[]).status,
        200
    );
    let body = "<CreateBucketConfiguration><StorageClass>IA</StorageClass><DataRedundancyType>LRS</DataRedundancyType></CreateBucketConfiguration>";
    let reply = put_bucket(addr, "kept-zrs", body, &[]);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (409, "BucketAlreadyExists")
    );
    assert_eq!(
        message(&reply),
        "Bucket already exists can't modify data redundancy type."
    );
}

#[test]
fn a_body_declared_over_64_kib_is_entity_too_large() {
    let server = start(config());
    let addr = server.addr();
    let padding = " ".repeat(64 << 10);
    let body = format!("{}{padding}", body_with_class("IA"));
    let reply = put_bucket(addr, "huge-bucket", &body, &[]);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "EntityTooLarge")
    );
    assert_eq!(reply.xml("MaxSizeAllowed").as_deref(), Some("65536"));
    assert_eq!(
        reply.xml("ProposedSize").as_deref(),
        Some(body.len().to_string().as_str())
    );
    assert_eq!(listed_storage_class(addr, "huge-bucket"), None);
}

#[test]
fn a_chunked_body_over_64_kib_is_entity_too_large() {
    let server = start(config());
    let addr = server.addr();
    let body = format!("{}{}", body_with_class("IA"), " ".repeat(64 << 10));
    let chunked = format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
    let reply = Request::new("PUT", addr, Some("huge-bucket"), None)
        .header("Transfer-Encoding", "chunked")
        .body(chunked)
        .sign_v4()
        .send(addr);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (400, "EntityTooLarge")
    );
    assert_eq!(listed_storage_class(addr, "huge-bucket"), None);
}

#[test]
fn a_setting_the_emulator_does_not_keep_is_not_implemented() {
    let server = start(config());
    let addr = server.addr();
    let reply = put_bucket(addr, "tagged", "", &[("x-oss-bucket-tagging", "k=v")]);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (501, "NotImplemented")
    );
    assert!(
        reply
            .xml("Message")
            .unwrap()
            .contains("x-oss-bucket-tagging"),
        "{}",
        reply.text()
    );
    let body = "<CreateBucketConfiguration><LocationConstraint>oss-cn-beijing</LocationConstraint></CreateBucketConfiguration>";
    let reply = put_bucket(addr, "located", body, &[]);
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (501, "NotImplemented")
    );
    assert_eq!(listed_storage_class(addr, "tagged"), None);
    assert_eq!(listed_storage_class(addr, "located"), None);
    let plain = put_bucket(addr, "flat", "", &[("x-oss-hns-status", "disabled")]);
    assert_eq!(plain.status, 200, "{}", plain.text());
}

#[test]
fn a_data_dir_keeps_the_storage_class_and_acl_across_restarts() {
    let dir = std::env::temp_dir().join(format!(
        "ossffi-create-bucket-{}-{}",
        std::process::id(),
        ossffi::time::now_unix()
    ));
    {
        let server = start(config().with_data_dir(&dir));
        let addr = server.addr();
        let created = put_bucket(
            addr,
            "kept-bucket",
            &body_with_class("Archive"),
            &[("x-oss-acl", "public-read")],
        );
        assert_eq!(created.status, 200, "{}", created.text());
    }
    {
        let server = start(config().with_data_dir(&dir));
        let addr = server.addr();
        assert_eq!(
            listed_storage_class(addr, "kept-bucket").as_deref(),
            Some("Archive")
        );
        assert_eq!(bucket_acl(addr, "kept-bucket"), "public-read");
        let listed = Request::new("GET", addr, Some("kept-bucket"), None)
            .sign_v4()
            .send(addr);
        assert_eq!(listed.status, 200, "{}", listed.text());
        assert!(
            !listed.text().contains("<Contents>"),
            "the record file is not an object: {}",
            listed.text()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
