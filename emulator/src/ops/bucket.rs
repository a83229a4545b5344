//! Service and bucket operations: ListBuckets, PutBucket, DeleteBucket, Get/PutBucketAcl,
//! ListObjects (v1, v2).

use std::fmt::Write as _;
use std::net::{IpAddr, UdpSocket};

use ossffi::time::iso8601_millis;

use super::subresources::only_signature_params;
use super::{Ctx, esc};
use crate::error::OssError;
use crate::http::{Body, Response};
use crate::store::DeleteBucketError;

const OWNER: &str =
    "<Owner>\n    <ID>1234567890</ID>\n    <DisplayName>ossffi-emulator</DisplayName>\n  </Owner>";
/// The owner element inside a listing's `<Contents>`.
const CONTENTS_OWNER: &str = "    <Owner>\n      <ID>1234567890</ID>\n      <DisplayName>ossffi-emulator</DisplayName>\n    </Owner>\n";
const BUCKET_ACLS: &[&str] = &["private", "public-read", "public-read-write"];

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
    let shown: Vec<(String, i64)> = matching.by_ref().take(max_keys).collect();
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
    for (name, created) in &shown {
        let _ = write!(
            xml,
            "    <Bucket>\n      <CreationDate>{}</CreationDate>\n      <ExtranetEndpoint>{endpoint}</ExtranetEndpoint>\n      <IntranetEndpoint>{endpoint}</IntranetEndpoint>\n      <Location>oss-{region}</Location>\n      <Name>{}</Name>\n      <Region>{region}</Region>\n      <StorageClass>Standard</StorageClass>\n    </Bucket>\n",
            iso8601_millis(created.saturating_mul(1000)),
            esc(name)
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
        "PUT" if ctx.has_param("acl") => {
            let acl = ctx.header("x-oss-acl").unwrap_or("private");
            if !BUCKET_ACLS.contains(&acl) {
                return Err(OssError::invalid_argument_named(
                    format!(
                        "Invalid bucket ACL {acl:?}; use one of {}.",
                        BUCKET_ACLS.join(", ")
                    ),
                    "x-oss-acl",
                    acl,
                ));
            }
            Ok(Response::new(200))
        }
        "PUT" => {
            ctx.state
                .store
                .create_bucket(bucket, ctx.now)
                .map_err(|e| OssError::internal(format!("creating the bucket failed: {e}")))?;
            Ok(Response::new(200).header("Location", format!("/{bucket}")))
        }
        "GET" if ctx.has_param("acl") => Ok(xml_response(format!(
            "<AccessControlPolicy>\n  {OWNER}\n  <AccessControlList>\n    <Grant>private</Grant>\n  </AccessControlList>\n</AccessControlPolicy>\n"
        ))),
        "GET" => list_objects(ctx, bucket),
        "DELETE" => delete_bucket(ctx, bucket),
        "POST" if ctx.has_param("delete") => {
            super::delete_objects::delete_objects(ctx, bucket, body)
        }
        "POST" => Err(OssError::not_implemented("PostObject (POST on a bucket)")),
        _ => Err(OssError::method_not_allowed(method, "Bucket")),
    }
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
    let entries = ctx.state.store.list(bucket, prefix, after);
    let mut contents = String::new();
    let mut prefixes = String::new();
    let (mut count, mut i, mut last_key) = (0usize, 0usize, String::new());
    let mut truncated = false;
    while i < entries.len() {
        if count == max_keys {
            truncated = true;
            break;
        }
        let (key, meta) = &entries[i];
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
            while i < entries.len() && entries[i].0.starts_with(common) {
                last_key = entries[i].0.clone();
                i += 1;
            }
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
            last_key = key.clone();
            i += 1;
        }
        count += 1;
    }
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
