//! Service and bucket operations: ListBuckets, PutBucket, DeleteBucket, Get/PutBucketAcl,
//! ListObjects (v1, v2).

use std::fmt::Write as _;
use std::io::Read;
use std::net::{IpAddr, UdpSocket};

use ossffi::time::iso8601_millis;
use quick_xml::events::Event;

use super::body::{body_error, check_declared};
use super::subresources::only_signature_params;
use super::xml_body::{malformed, reference_text};
use super::{Ctx, esc};
use crate::error::OssError;
use crate::http::{Body, Framing, Response};
use crate::store::{
    BUCKET_ACLS, BUCKET_STORAGE_CLASSES, BucketRecord, DATA_REDUNDANCY_TYPES, DeleteBucketError,
    known,
};

const OWNER: &str =
    "<Owner>\n    <ID>1234567890</ID>\n    <DisplayName>ossffi-emulator</DisplayName>\n  </Owner>";
/// The owner element inside a listing's `<Contents>`.
const CONTENTS_OWNER: &str = "    <Owner>\n      <ID>1234567890</ID>\n      <DisplayName>ossffi-emulator</DisplayName>\n    </Owner>\n";

fn xml_response(xml: String) -> Response {
    Response::xml(
        200,
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}"),
    )
}

/// The `host[:port]` a client should use to reach this emulator: the Host the request came in
/// on when it names this machine (loopback, an address of a local interface, `localhost` or an
/// emulator domain), else 127.0.0.1 with that port. An SDK that follows the endpoints of a
/// listing must never be sent off the machine (the v2 SDKs build clients from them).
pub(crate) fn local_endpoint(ctx: &Ctx) -> String {
    let host = ctx.header("host").unwrap_or("").trim();
    let (name, port) = split_host_port(host);
    let port = port.map_or(String::new(), |p| format!(":{p}"));
    let name = name.to_ascii_lowercase();
    let local = match name.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        // Binding succeeds only for an address of one of this machine's interfaces.
        Ok(ip) => !ip.is_unspecified() && UdpSocket::bind((ip, 0)).is_ok(),
        Err(_) => {
            name == "localhost"
                || name.ends_with(".localhost")
                || ctx.state.domains.iter().any(|d| {
                    name == *d
                        || name
                            .strip_suffix(d.as_str())
                            .is_some_and(|b| b.ends_with('.'))
                })
        }
    };
    match name.parse::<IpAddr>() {
        _ if !local => format!("127.0.0.1{port}"),
        Ok(IpAddr::V6(v6)) => format!("[{v6}]{port}"),
        _ => format!("{name}{port}"),
    }
}

/// `name` and the port of a Host header value (`[::1]:80` → `::1`, `80`); a port that is not
/// a number from 1 to 65535 counts as none.
fn split_host_port(host: &str) -> (&str, Option<u16>) {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((name, tail)) => (name, tail.strip_prefix(':')),
            None => (rest, None),
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if !name.contains(':') => (name, Some(port)),
            _ => (host, None),
        },
    };
    let port = port
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|p| p.parse::<u16>().ok())
        .filter(|p| *p != 0);
    (name, port)
}

pub(crate) fn list_buckets(ctx: &Ctx) -> Result<Response, OssError> {
    let prefix = ctx.param("prefix").unwrap_or("");
    let marker = ctx.param("marker").unwrap_or("");
    let max_keys = super::page_size(ctx, "max-keys", 100)?;
    let region = &ctx.state.config.region;
    let endpoint = esc(&local_endpoint(ctx));
    let mut matching = ctx
        .state
        .store
        .buckets()
        .into_iter()
        .filter(|(n, _)| n.as_str() > marker && n.starts_with(prefix));
    let shown: Vec<(String, BucketRecord)> = matching.by_ref().take(max_keys).collect();
    let truncated = matching.next().is_some();
    let mut xml = format!(
        "<ListAllMyBucketsResult>\n  <Prefix>{}</Prefix>\n  <Marker>{}</Marker>\n  <MaxKeys>{max_keys}</MaxKeys>\n  <IsTruncated>{truncated}</IsTruncated>\n",
        esc(prefix),
        esc(marker)
    );
    if truncated && let Some((last, _)) = shown.last() {
        let _ = writeln!(xml, "  <NextMarker>{}</NextMarker>", esc(last));
    }
    let _ = write!(xml, "  {OWNER}\n  <Buckets>\n");
    for (name, record) in &shown {
        let _ = write!(
            xml,
            "    <Bucket>\n      <CreationDate>{}</CreationDate>\n      <ExtranetEndpoint>{endpoint}</ExtranetEndpoint>\n      <IntranetEndpoint>{endpoint}</IntranetEndpoint>\n      <Location>oss-{region}</Location>\n      <Name>{}</Name>\n      <Region>{region}</Region>\n      <StorageClass>{}</StorageClass>\n    </Bucket>\n",
            iso8601_millis(record.created.saturating_mul(1000)),
            esc(name),
            record.storage_class
        );
    }
    xml.push_str("  </Buckets>\n</ListAllMyBucketsResult>\n");
    Ok(xml_response(xml))
}

/// True for `PUT /` on a bucket without sub-resources, the one bucket request allowed to name
/// a bucket that does not exist yet.
pub(crate) fn is_put_bucket(method: &str, query: &[(String, String)]) -> bool {
    method == "PUT" && only_signature_params(query)
}

pub(crate) fn dispatch(ctx: &Ctx, bucket: &str, body: &mut Body) -> Result<Response, OssError> {
    let method = ctx.head.method.as_str();
    match method {
        "PUT" if ctx.has_param("acl") => put_bucket_acl(ctx, bucket),
        "PUT" if ctx.has_param("cors") => super::cors::put_bucket_cors(ctx, bucket, body),
        "GET" if ctx.has_param("cors") => super::cors::get_bucket_cors(ctx, bucket),
        "DELETE" if ctx.has_param("cors") => super::cors::delete_bucket_cors(ctx, bucket),
        "PUT" => put_bucket(ctx, bucket, body),
        "GET" if ctx.has_param("acl") => get_bucket_acl(ctx, bucket),
        "GET" => list_objects(ctx, bucket),
        "DELETE" => delete_bucket(ctx, bucket),
        "POST" if ctx.has_param("delete") => {
            super::delete_objects::delete_objects(ctx, bucket, body)
        }
        "POST" => Err(OssError::not_implemented("PostObject (POST on a bucket)")),
        _ => Err(OssError::method_not_allowed(method, "Bucket")),
    }
}

/// The canned ACL `x-oss-acl` asks for; `None` without the header.
fn requested_acl(ctx: &Ctx) -> Result<Option<&'static str>, OssError> {
    let Some(acl) = ctx.header("x-oss-acl") else {
        return Ok(None);
    };
    match known(BUCKET_ACLS, acl) {
        Some(acl) => Ok(Some(acl)),
        // OSS's answer, message and EC as its SDKs' tests record them against the service
        // (alibabacloud-oss-swift-sdk-v2 PutBucketAcl test; aliyun_oss PutBucket doc example).
        None => Err(OssError::invalid_argument_named(
            "no such bucket access control exists",
            "x-oss-acl",
            acl,
        )
        .ec("0015-00000204")),
    }
}

/// PutBucketAcl: sets the ACL named by `x-oss-acl`. Without the header OSS leaves the ACL as
/// it is ("If this header is not included, the ACL settings do not take effect", PutBucketAcl).
fn put_bucket_acl(ctx: &Ctx, bucket: &str) -> Result<Response, OssError> {
    if let Some(acl) = requested_acl(ctx)? {
        let found = ctx
            .state
            .store
            .set_bucket_acl(bucket, acl)
            .map_err(|e| OssError::internal(format!("storing the bucket ACL failed: {e}")))?;
        if !found {
            return Err(OssError::no_such_bucket(bucket));
        }
    }
    Ok(Response::new(200))
}

fn get_bucket_acl(ctx: &Ctx, bucket: &str) -> Result<Response, OssError> {
    let record = ctx
        .state
        .store
        .bucket_record(bucket)
        .ok_or_else(|| OssError::no_such_bucket(bucket))?;
    Ok(xml_response(format!(
        "<AccessControlPolicy>\n  {OWNER}\n  <AccessControlList>\n    <Grant>{}</Grant>\n  </AccessControlList>\n</AccessControlPolicy>\n",
        record.acl
    )))
}

/// PutBucket: creates the bucket with the storage class and data redundancy type of its
/// optional `CreateBucketConfiguration` body (Standard and LRS without one) and the ACL of
/// `x-oss-acl` (private without it).
///
/// On a bucket that exists (the emulator has one owner, so it is always the requester's), OSS
/// treats the request as a change of the bucket's metadata: "the first request creates the
/// bucket, later ones modify its metadata" (PutBucket, help.aliyun.com/document_detail/31959),
/// so it answers 200 and applies `x-oss-acl`. What cannot change is refused with 409
/// BucketAlreadyExists: "Cannot modify existing bucket's storage class" and "Bucket already
/// exists can't modify data redundancy type" (OSS's "HTTP status code 409" page). Only a value
/// the body names is compared; a body that leaves one out asks for no change.
fn put_bucket(ctx: &Ctx, bucket: &str, body: &mut Body) -> Result<Response, OssError> {
    refuse_unimplemented_settings(ctx)?;
    let acl = requested_acl(ctx)?;
    let config = parse_create_bucket(&read_create_bucket_body(body)?)?;
    let defaults = BucketRecord::new(ctx.now);
    let record = BucketRecord {
        storage_class: config.storage_class.unwrap_or(defaults.storage_class),
        data_redundancy: config.data_redundancy.unwrap_or(defaults.data_redundancy),
        acl: acl.unwrap_or(defaults.acl),
        ..defaults
    };
    let store = &ctx.state.store;
    let existing = store
        .create_bucket_with(bucket, record)
        .map_err(|e| OssError::internal(format!("creating the bucket failed: {e}")))?;
    if let Some(existing) = existing {
        let conflict = |message: &str| {
            OssError::new(409, "BucketAlreadyExists", message).field("BucketName", bucket)
        };
        if config
            .storage_class
            .is_some_and(|c| c != existing.storage_class)
        {
            return Err(conflict("Cannot modify existing bucket's storage class."));
        }
        if config
            .data_redundancy
            .is_some_and(|r| r != existing.data_redundancy)
        {
            return Err(conflict(
                "Bucket already exists can't modify data redundancy type.",
            ));
        }
        if let Some(acl) = acl {
            store
                .set_bucket_acl(bucket, acl)
                .map_err(|e| OssError::internal(format!("storing the bucket ACL failed: {e}")))?;
        }
    }
    Ok(Response::new(200).header("Location", format!("/{bucket}")))
}

/// PutBucket headers that make OSS create a different kind of bucket (tags, a resource group,
/// default encryption, a hierarchical namespace, ...) than this emulator keeps, with the value
/// that asks for nothing beyond a plain bucket, if there is one.
const UNIMPLEMENTED_BUCKET_HEADERS: &[(&str, Option<&str>)] = &[
    ("x-oss-bucket-tagging", None),
    ("x-oss-resource-group-id", None),
    ("x-oss-hns-status", Some("disabled")),
    ("x-oss-agentic-bucket", None),
    ("x-oss-server-side-encryption", None),
];

/// 501 NotImplemented for a PutBucket setting the emulator would otherwise drop silently.
fn refuse_unimplemented_settings(ctx: &Ctx) -> Result<(), OssError> {
    for (name, plain) in UNIMPLEMENTED_BUCKET_HEADERS {
        if let Some(value) = ctx.header(name)
            && Some(value) != *plain
        {
            return Err(OssError::not_implemented(&format!("PutBucket with {name}")));
        }
    }
    Ok(())
}

/// The largest PutBucket body read. OSS documents no limit for it; the SDKs' body is under
/// 200 bytes, so 64 KiB leaves room for any formatting while a client cannot make the emulator
/// hold an arbitrary body. Larger ones get the EntityTooLarge of the other XML bodies.
const MAX_CREATE_BUCKET_XML: u64 = 64 << 10;

/// The body, at most [`MAX_CREATE_BUCKET_XML`] bytes (declared or chunked); empty if none.
fn read_create_bucket_body(body: &mut Body) -> Result<Vec<u8>, OssError> {
    if let Framing::Length(n) = body.framing() {
        check_declared(Some(n), MAX_CREATE_BUCKET_XML)?;
    }
    let mut xml = Vec::new();
    (&mut *body)
        .take(MAX_CREATE_BUCKET_XML + 1)
        .read_to_end(&mut xml)
        .map_err(body_error)?;
    check_declared(Some(xml.len() as u64), MAX_CREATE_BUCKET_XML)?;
    Ok(xml)
}

/// What a PutBucket body asks for; `None` for an element it leaves out.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct CreateBucketConfiguration {
    storage_class: Option<&'static str>,
    data_redundancy: Option<&'static str>,
}

/// Where the parser is in `<CreateBucketConfiguration><StorageClass/><DataRedundancyType/>
/// </CreateBucketConfiguration>`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Top,
    Configuration,
    StorageClass,
    DataRedundancyType,
    Done,
}

/// Parses a PutBucket body with a real XML parser. An empty body (or only white space) is no
/// configuration. Anything that is not XML, or not this document, is MalformedXML; an element
/// of CreateBucketConfiguration the emulator does not know is 501 NotImplemented naming it,
/// because OSS may act on it.
pub(crate) fn parse_create_bucket(xml: &[u8]) -> Result<CreateBucketConfiguration, OssError> {
    if xml.iter().all(u8::is_ascii_whitespace) {
        return Ok(CreateBucketConfiguration::default());
    }
    let xml = std::str::from_utf8(xml).map_err(|_| malformed("the body is not UTF-8"))?;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut at = At::Top;
    let mut text = String::new();
    let mut config = CreateBucketConfiguration::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(&format!("{e}")))?;
        let in_value = matches!(at, At::StorageClass | At::DataRedundancyType);
        match event {
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err(malformed("a DOCTYPE is not allowed")),
            Event::Start(e) => {
                let name = e.name();
                at = match (at, name.as_ref()) {
                    (At::Top, "CreateBucketConfiguration") => At::Configuration,
                    (At::Configuration, "StorageClass") if config.storage_class.is_none() => {
                        At::StorageClass
                    }
                    (At::Configuration, "DataRedundancyType")
                        if config.data_redundancy.is_none() =>
                    {
                        At::DataRedundancyType
                    }
                    (At::Configuration, other) => return Err(configuration_element(other)),
                    (_, other) => {
                        return Err(malformed(&format!("unexpected element <{other}>")));
                    }
                };
                text.clear();
            }
            Event::Empty(e) => {
                let name = e.name();
                match (at, name.as_ref()) {
                    // <CreateBucketConfiguration/>: a configuration that sets nothing.
                    (At::Top, "CreateBucketConfiguration") => at = At::Done,
                    (At::Configuration, "StorageClass") if config.storage_class.is_none() => {
                        config.storage_class = Some(storage_class("")?);
                    }
                    (At::Configuration, "DataRedundancyType")
                        if config.data_redundancy.is_none() =>
                    {
                        config.data_redundancy = Some(data_redundancy("")?);
                    }
                    (At::Configuration, other)
                        if other != "StorageClass" && other != "DataRedundancyType" =>
                    {
                        return Err(configuration_element(other));
                    }
                    (_, other) => {
                        return Err(malformed(&format!("unexpected element <{other}>")));
                    }
                }
            }
            Event::Text(t) => {
                if in_value {
                    text.push_str(&t.xml10_content());
                } else if !t.trim().is_empty() {
                    return Err(malformed("text outside an element"));
                }
            }
            Event::CData(c) => {
                if !in_value {
                    return Err(malformed("CDATA outside an element"));
                }
                text.push_str(&c.xml10_content());
            }
            Event::GeneralRef(r) => {
                if !in_value {
                    return Err(malformed("a reference outside an element"));
                }
                text.push_str(&reference_text(&r)?);
            }
            Event::End(_) => {
                at = match at {
                    At::StorageClass => {
                        config.storage_class = Some(storage_class(&text)?);
                        At::Configuration
                    }
                    At::DataRedundancyType => {
                        config.data_redundancy = Some(data_redundancy(&text)?);
                        At::Configuration
                    }
                    At::Configuration => At::Done,
                    At::Top | At::Done => return Err(malformed("an unexpected end tag")),
                };
            }
            Event::Eof => break,
        }
    }
    if at != At::Done {
        return Err(malformed("the document ends early"));
    }
    Ok(config)
}

/// An element inside CreateBucketConfiguration: a repeated one is MalformedXML, any other is
/// a setting the emulator does not implement.
fn configuration_element(name: &str) -> OssError {
    if name == "StorageClass" || name == "DataRedundancyType" {
        return malformed(&format!("<{name}> appears more than once"));
    }
    OssError::not_implemented(&format!("PutBucket's <{name}> element"))
}

// OSS's PutBucket documentation names the valid values of both elements but not the error for
// any other; InvalidArgument (as for an invalid x-oss-storage-class, EC 0013-00000101) with the
// element as ArgumentName is this emulator's choice, not a recorded OSS answer. White space
// around the value is ignored.

fn storage_class(value: &str) -> Result<&'static str, OssError> {
    known(BUCKET_STORAGE_CLASSES, value.trim()).ok_or_else(|| {
        OssError::invalid_argument_named(
            format!(
                "Invalid storage class {value:?} in CreateBucketConfiguration; use one of {}.",
                BUCKET_STORAGE_CLASSES.join(", ")
            ),
            "StorageClass",
            value,
        )
    })
}

fn data_redundancy(value: &str) -> Result<&'static str, OssError> {
    known(DATA_REDUNDANCY_TYPES, value.trim()).ok_or_else(|| {
        OssError::invalid_argument_named(
            format!(
                "Invalid data redundancy type {value:?} in CreateBucketConfiguration; use one of {}.",
                DATA_REDUNDANCY_TYPES.join(", ")
            ),
            "DataRedundancyType",
            value,
        )
    })
}

/// DeleteBucket: 204, or 409 BucketNotEmpty while objects or multipart uploads remain.
fn delete_bucket(ctx: &Ctx, bucket: &str) -> Result<Response, OssError> {
    match ctx.state.store.delete_bucket(bucket) {
        Ok(()) => Ok(Response::new(204)),
        Err(DeleteBucketError::NoSuchBucket) => Err(OssError::no_such_bucket(bucket)),
        Err(DeleteBucketError::NotEmpty) => Err(OssError::new(
            409,
            "BucketNotEmpty",
            "The bucket you tried to delete is not empty.",
        )
        .field("BucketName", bucket)),
        Err(DeleteBucketError::Io(e)) => Err(OssError::internal(format!(
            "deleting the bucket failed: {e}"
        ))),
    }
}

/// `encoding-type`: absent, or `url` (the only coding OSS offers).
pub(crate) fn check_encoding_type(ctx: &Ctx) -> Result<(), OssError> {
    match ctx.param("encoding-type") {
        None | Some("url") => Ok(()),
        Some(other) => Err(OssError::invalid_argument_named(
            "The encoding-type parameter only accepts url.",
            "encoding-type",
            other,
        )),
    }
}

fn list_objects(ctx: &Ctx, bucket: &str) -> Result<Response, OssError> {
    check_encoding_type(ctx)?;
    let v2 = ctx.param("list-type") == Some("2");
    // ListObjects (v1) names each object's owner; v2 only when asked with fetch-owner=true.
    let owner = if !v2 || ctx.param("fetch-owner") == Some("true") {
        CONTENTS_OWNER
    } else {
        ""
    };
    let prefix = ctx.param("prefix").unwrap_or("");
    let delimiter = ctx.param("delimiter").unwrap_or("");
    let max_keys = super::page_size(ctx, "max-keys", 100)?;
    let after = if v2 {
        ctx.param("continuation-token")
            .or(ctx.param("start-after"))
            .unwrap_or("")
    } else {
        ctx.param("marker").unwrap_or("")
    };
    let mut contents = String::new();
    let mut prefixes = String::new();
    let (mut count, mut last_key) = (0usize, String::new());
    let mut truncated = false;
    // The common prefix whose keys are being passed over: a group is one entry.
    let mut group: Option<String> = None;
    ctx.state.store.scan(bucket, prefix, after, |key, meta| {
        if let Some(common) = &group {
            if key.starts_with(common.as_str()) {
                last_key.clear();
                last_key.push_str(key);
                return true;
            }
            group = None;
        }
        if count == max_keys {
            truncated = true;
            return false;
        }
        let rest = &key[prefix.len()..];
        if let Some(pos) = (!delimiter.is_empty())
            .then(|| rest.find(delimiter))
            .flatten()
        {
            let common = &key[..prefix.len() + pos + delimiter.len()];
            let _ = write!(
                prefixes,
                "  <CommonPrefixes>\n    <Prefix>{}</Prefix>\n  </CommonPrefixes>\n",
                ctx.name_out(common)
            );
            group = Some(common.to_owned());
        } else {
            let _ = write!(
                contents,
                "  <Contents>\n    <Key>{}</Key>\n    <LastModified>{}</LastModified>\n    <ETag>{}</ETag>\n    <Type>{}</Type>\n    <Size>{}</Size>\n    <StorageClass>{}</StorageClass>\n{owner}  </Contents>\n",
                ctx.name_out(key),
                iso8601_millis(meta.last_modified.saturating_mul(1000)),
                esc(&meta.etag),
                meta.object_type,
                meta.size,
                meta.storage_class
            );
        }
        last_key.clear();
        last_key.push_str(key);
        count += 1;
        true
    });
    let mut xml = String::new();
    let root = "ListBucketResult";
    let _ = write!(
        xml,
        "<{root}>\n  <Name>{}</Name>\n  <Prefix>{}</Prefix>\n  <MaxKeys>{max_keys}</MaxKeys>\n  <Delimiter>{}</Delimiter>\n  <IsTruncated>{truncated}</IsTruncated>\n",
        esc(bucket),
        ctx.name_out(prefix),
        ctx.name_out(delimiter)
    );
    if v2 {
        if let Some(t) = ctx.param("continuation-token") {
            let _ = writeln!(xml, "  <ContinuationToken>{}</ContinuationToken>", esc(t));
        }
        if let Some(s) = ctx.param("start-after") {
            let _ = writeln!(xml, "  <StartAfter>{}</StartAfter>", ctx.name_out(s));
        }
        if truncated {
            let _ = writeln!(
                xml,
                "  <NextContinuationToken>{}</NextContinuationToken>",
                esc(&last_key)
            );
        }
        let _ = writeln!(xml, "  <KeyCount>{count}</KeyCount>");
    } else {
        let _ = writeln!(xml, "  <Marker>{}</Marker>", ctx.name_out(after));
        if truncated {
            let _ = writeln!(
                xml,
                "  <NextMarker>{}</NextMarker>",
                ctx.name_out(&last_key)
            );
        }
    }
    xml.push_str(ctx.encoding_type_element());
    xml.push_str(&contents);
    xml.push_str(&prefixes);
    let _ = writeln!(xml, "</{root}>");
    Ok(xml_response(xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Result<CreateBucketConfiguration, OssError> {
        parse_create_bucket(xml.as_bytes())
    }

    fn code_of(xml: &str) -> (u16, &'static str) {
        let e = parse(xml).unwrap_err();
        (e.status, e.code)
    }

    #[test]
    fn the_cpp_sdk_body_gives_both_values() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\n<StorageClass>ColdArchive</StorageClass>\n<DataRedundancyType>ZRS</DataRedundancyType>\n</CreateBucketConfiguration>";
        assert_eq!(
            parse(xml).unwrap(),
            CreateBucketConfiguration {
                storage_class: Some("ColdArchive"),
                data_redundancy: Some("ZRS"),
            }
        );
    }

    #[test]
    fn no_body_white_space_or_an_empty_root_sets_nothing() {
        for xml in [
            "",
            " \r\n\t",
            "<CreateBucketConfiguration/>",
            "<CreateBucketConfiguration></CreateBucketConfiguration>",
        ] {
            assert_eq!(
                parse(xml).unwrap(),
                CreateBucketConfiguration::default(),
                "{xml:?}"
            );
        }
    }

    #[test]
    fn every_oss_storage_class_is_accepted_and_redundancy_may_be_left_out() {
        for class in [
            "Standard",
            "IA",
            "Archive",
            "ColdArchive",
            "DeepColdArchive",
        ] {
            let xml = format!(
                "<CreateBucketConfiguration><StorageClass>{class}</StorageClass></CreateBucketConfiguration>"
            );
            assert_eq!(
                parse(&xml).unwrap(),
                CreateBucketConfiguration {
                    storage_class: Some(class),
                    data_redundancy: None,
                }
            );
        }
    }

    #[test]
    fn an_unknown_or_miscased_storage_class_is_invalid_argument_naming_it() {
        for class in ["ia", "STANDARD", "Glacier", ""] {
            let xml = format!(
                "<CreateBucketConfiguration><StorageClass>{class}</StorageClass></CreateBucketConfiguration>"
            );
            let e = parse(&xml).unwrap_err();
            assert_eq!((e.status, e.code), (400, "InvalidArgument"), "{class:?}");
            assert_eq!(
                e.fields,
                vec![
                    ("ArgumentName", "StorageClass".to_string()),
                    ("ArgumentValue", class.to_string())
                ]
            );
        }
        assert_eq!(
            code_of("<CreateBucketConfiguration><StorageClass/></CreateBucketConfiguration>"),
            (400, "InvalidArgument")
        );
    }

    #[test]
    fn an_unknown_redundancy_type_is_invalid_argument_naming_it() {
        let e = parse("<CreateBucketConfiguration><DataRedundancyType>GRS</DataRedundancyType></CreateBucketConfiguration>").unwrap_err();
        assert_eq!((e.status, e.code), (400, "InvalidArgument"));
        assert_eq!(
            e.fields,
            vec![
                ("ArgumentName", "DataRedundancyType".to_string()),
                ("ArgumentValue", "GRS".to_string())
            ]
        );
    }

    #[test]
    fn values_may_be_escaped_or_surrounded_by_white_space() {
        let xml = "<CreateBucketConfiguration>\n  <StorageClass>\n    &#73;A\n  </StorageClass>\n  <DataRedundancyType><![CDATA[LRS]]></DataRedundancyType>\n</CreateBucketConfiguration>\n";
        assert_eq!(
            parse(xml).unwrap(),
            CreateBucketConfiguration {
                storage_class: Some("IA"),
                data_redundancy: Some("LRS"),
            }
        );
    }

    #[test]
    fn what_is_not_the_document_is_malformed_xml() {
        for xml in [
            "not xml",
            "<CreateBucketConfiguration><StorageClass>IA</StorageClass>",
            "<CreateBucketConfiguration><StorageClass>IA</DataRedundancyType></CreateBucketConfiguration>",
            "<Configuration><StorageClass>IA</StorageClass></Configuration>",
            "<CreateBucketConfiguration><StorageClass>IA</StorageClass><StorageClass>IA</StorageClass></CreateBucketConfiguration>",
            "<CreateBucketConfiguration>text</CreateBucketConfiguration>",
            "<CreateBucketConfiguration/><CreateBucketConfiguration/>",
            "<CreateBucketConfiguration><StorageClass><IA/></StorageClass></CreateBucketConfiguration>",
            "<!DOCTYPE x [<!ENTITY a \"IA\">]><CreateBucketConfiguration/>",
            "<CreateBucketConfiguration><StorageClass>&unknown;</StorageClass></CreateBucketConfiguration>",
        ] {
            assert_eq!(code_of(xml), (400, "MalformedXML"), "{xml:?}");
        }
        assert_eq!(
            parse_create_bucket(b"<CreateBucketConfiguration>\xff</CreateBucketConfiguration>")
                .unwrap_err()
                .code,
            "MalformedXML"
        );
    }

    #[test]
    fn a_setting_the_emulator_lacks_is_not_implemented_naming_it() {
        let e = parse("<CreateBucketConfiguration><LocationConstraint>oss-cn-hangzhou</LocationConstraint></CreateBucketConfiguration>").unwrap_err();
        assert_eq!((e.status, e.code), (501, "NotImplemented"));
        assert!(e.message.contains("<LocationConstraint>"), "{}", e.message);
    }
}
