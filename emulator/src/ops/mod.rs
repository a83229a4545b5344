//! The operations, chosen from method, target and sub-resources.

mod append;
pub(crate) mod body;
mod bucket;
pub(crate) mod cors;
pub(crate) use bucket::{is_put_bucket, parse_create_bucket};
mod delete_objects;
mod get;
pub(crate) use delete_objects::parse_delete;
pub(crate) use get::{Selected, parse_range};
pub(crate) use multipart::parse_part_list;
mod list_uploads;
mod multipart;
mod part_copy;
pub(crate) mod post_object;
mod put;
mod subresources;
mod xml_body;

use ossffi::time::http_date;

use crate::callback::{self, CallbackRequest, ObjectFacts};
use crate::error::OssError;
use crate::http::{Body, RequestHead, Response, ResponseBody};
use crate::route::Target;
use crate::server::State;
use crate::store::{ObjectData, ObjectMeta};

/// Everything an operation needs to know about the request being served.
pub(crate) struct Ctx<'a> {
    pub state: &'a State,
    pub head: &'a RequestHead,
    pub query: &'a [(String, String)],
    pub request_id: &'a str,
    pub host_id: &'a str,
    pub now: i64,
    pub client_ip: String,
}

impl Ctx<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.header(name)
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_param(&self, name: &str) -> bool {
        self.query.iter().any(|(n, _)| n == name)
    }

    fn url_encoded_names(&self) -> bool {
        self.param("encoding-type") == Some("url")
    }

    /// A key, prefix or marker for a result document: URL-encoded when the request asked for
    /// `encoding-type=url` (the v2 SDKs do, to carry keys XML cannot), then XML-escaped.
    pub fn name_out(&self, name: &str) -> String {
        if self.url_encoded_names() {
            esc(&ossffi::encoding::uri_encode(name, false))
        } else {
            esc(name)
        }
    }

    /// The `<EncodingType>` element announcing URL-encoded names, or nothing.
    pub fn encoding_type_element(&self) -> &'static str {
        if self.url_encoded_names() {
            "  <EncodingType>url</EncodingType>\n"
        } else {
            ""
        }
    }
}

/// Runs the operation the request names. The bucket is known to exist (or is being created).
pub(crate) fn dispatch(ctx: &Ctx, target: &Target, body: &mut Body) -> Result<Response, OssError> {
    subresources::check(ctx, target)?;
    run(ctx, target, body)
}

fn run(ctx: &Ctx, target: &Target, body: &mut Body) -> Result<Response, OssError> {
    let method = ctx.head.method.as_str();
    let (bucket, key) = match target {
        Target::Service => {
            return match method {
                "GET" => bucket::list_buckets(ctx),
                _ => Err(OssError::method_not_allowed(method, "Service")),
            };
        }
        Target::Bucket(b) if method == "GET" && ctx.has_param("uploads") => {
            return list_uploads::list_multipart_uploads(ctx, b);
        }
        Target::Bucket(b) => return bucket::dispatch(ctx, b, body),
        Target::Object(b, k) => (b.as_str(), k.as_str()),
    };
    match method {
        "PUT" if ctx.has_param("uploadId") && ctx.header("x-oss-copy-source").is_some() => {
            part_copy::upload_part_copy(ctx, bucket, key)
        }
        "PUT" if ctx.has_param("uploadId") || ctx.has_param("partNumber") => {
            multipart::upload_part(ctx, bucket, key, body)
        }
        "PUT" => put::put_object(ctx, bucket, key, body),
        "GET" if ctx.has_param("uploadId") => multipart::list_parts(ctx, bucket, key),
        "GET" => get::get_object(ctx, bucket, key, false),
        "HEAD" if ctx.has_param("objectMeta") => get::get_object_meta(ctx, bucket, key),
        "HEAD" => get::get_object(ctx, bucket, key, true),
        "DELETE" if ctx.has_param("uploadId") => multipart::abort(ctx, bucket, key),
        "DELETE" => get::delete_object(ctx, bucket, key),
        "POST" if ctx.has_param("uploads") => multipart::initiate(ctx, bucket, key),
        "POST" if ctx.has_param("uploadId") => multipart::complete(ctx, bucket, key, body),
        "POST" if ctx.has_param("append") => append::append_object(ctx, bucket, key, body),
        _ => Err(OssError::method_not_allowed(method, "Object")),
    }
}

/// RFC 9110 field-value characters: visible ASCII, space, tab and bytes of non-ASCII UTF-8.
/// Anything else (CR and LF above all) would end the header line and let the value inject
/// headers or a whole second response.
pub(crate) fn is_field_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// RFC 9110 token characters, as a header name must be.
pub(crate) fn is_field_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A request value that will be echoed in a response header: refused with 400 InvalidArgument
/// when it holds control characters.
pub(crate) fn check_echoed_value(name: &str, value: &str) -> Result<(), OssError> {
    if is_field_value(value) {
        return Ok(());
    }
    Err(OssError::invalid_argument_named(
        format!("{name} must not contain control characters (CR, LF, NUL, ...)."),
        name,
        value,
    ))
}

/// Headers stored with an object and returned on GET/HEAD, besides Content-Type and x-oss-meta-*.
const STORED_HTTP_HEADERS: &[&str] = &[
    "Cache-Control",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Expires",
];

const STORAGE_CLASSES: &[&str] = &[
    "Standard",
    "IA",
    "Archive",
    "ColdArchive",
    "DeepColdArchive",
];
const OBJECT_ACLS: &[&str] = &["private", "public-read", "public-read-write", "default"];

/// Metadata a PutObject or InitiateMultipartUpload request sets on its object.
pub(crate) struct RequestedMeta {
    pub content_type: String,
    pub user_meta: Vec<(String, String)>,
    pub http_headers: Vec<(String, String)>,
    pub storage_class: String,
}

/// What PutObject (from headers) and PostObject (from form fields) store with an object: the
/// `x-oss-meta-*` among `fields` (names lower-cased, valid header names, 8 KB in all) and the
/// stored HTTP headers `value_of` finds, each safe to echo in a reply header.
pub(crate) type StoredFields = (Vec<(String, String)>, Vec<(String, String)>);

pub(crate) fn stored_fields<'a>(
    fields: impl Iterator<Item = (&'a str, &'a str)>,
    value_of: impl Fn(&str) -> Option<&'a str>,
) -> Result<StoredFields, OssError> {
    let user_meta: Vec<(String, String)> = fields
        .filter(|(n, _)| n.len() > 11 && n[..11].eq_ignore_ascii_case("x-oss-meta-"))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
        .collect();
    for (name, value) in &user_meta {
        if !is_field_name(name) {
            return Err(OssError::invalid_argument_named(
                "A metadata field name must be a valid HTTP header name.",
                name,
                value,
            ));
        }
        check_echoed_value(name, value)?;
    }
    let meta_size: usize = user_meta.iter().map(|(n, v)| n.len() + v.len()).sum();
    if meta_size > 8 * 1024 {
        return Err(OssError::invalid_argument(format!(
            "User metadata (x-oss-meta-*) totals {meta_size} bytes; OSS allows at most 8 KB."
        )));
    }
    let http_headers: Vec<(String, String)> = STORED_HTTP_HEADERS
        .iter()
        .filter_map(|name| value_of(name).map(|v| (name.to_string(), v.to_string())))
        .collect();
    for (name, value) in &http_headers {
        check_echoed_value(name, value)?;
    }
    Ok((user_meta, http_headers))
}

/// The `x-oss-storage-class` of a new object (Standard when not given), refused unless OSS
/// knows it.
pub(crate) fn storage_class(value: Option<&str>) -> Result<&str, OssError> {
    let storage_class = value.unwrap_or("Standard");
    if !STORAGE_CLASSES.contains(&storage_class) {
        return Err(OssError::invalid_argument_named(
            format!(
                "Invalid storage class {storage_class:?}; use one of {}.",
                STORAGE_CLASSES.join(", ")
            ),
            "x-oss-storage-class",
            storage_class,
        ));
    }
    Ok(storage_class)
}

pub(crate) fn requested_meta(ctx: &Ctx) -> Result<RequestedMeta, OssError> {
    let storage_class = storage_class(ctx.header("x-oss-storage-class"))?;
    if let Some(acl) = ctx.header("x-oss-object-acl")
        && !OBJECT_ACLS.contains(&acl)
    {
        return Err(OssError::invalid_argument_named(
            format!(
                "Invalid object ACL {acl:?}; use one of {}.",
                OBJECT_ACLS.join(", ")
            ),
            "x-oss-object-acl",
            acl,
        ));
    }
    let (user_meta, http_headers) = stored_fields(
        ctx.head
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str())),
        |name| ctx.header(name),
    )?;
    let content_type = ctx
        .header("content-type")
        .unwrap_or("application/octet-stream");
    check_echoed_value("Content-Type", content_type)?;
    Ok(RequestedMeta {
        content_type: content_type.to_string(),
        user_meta,
        http_headers,
        storage_class: storage_class.to_string(),
    })
}

/// The headers describing a stored object on GET and HEAD.
pub(crate) fn object_headers(resp: &mut Response, meta: &ObjectMeta) {
    let content_type = if is_field_value(&meta.content_type) {
        meta.content_type.as_str()
    } else {
        "application/octet-stream"
    };
    resp.push_header("Content-Type", content_type.to_string());
    resp.push_header("ETag", meta.etag.clone());
    resp.push_header("Last-Modified", http_date(meta.last_modified));
    resp.push_header("Accept-Ranges", "bytes");
    resp.push_header("x-oss-object-type", meta.object_type.clone());
    resp.push_header("x-oss-storage-class", meta.storage_class.clone());
    resp.push_header("x-oss-hash-crc64ecma", meta.crc64.to_string());
    if !meta.content_md5.is_empty() {
        resp.push_header("Content-MD5", meta.content_md5.clone());
    }
    // Metadata read back from --data-dir may have been edited by hand: a pair that is not a
    // valid header is left out rather than written into the response.
    for (name, value) in meta.user_meta.iter().chain(meta.http_headers.iter()) {
        if is_field_name(name) && is_field_value(value) {
            resp.push_header(name.clone(), value.clone());
        }
    }
}

/// The upload callback a request asks for, validated before any body byte is read.
pub(crate) fn requested_callback(ctx: &Ctx) -> Result<Option<CallbackRequest>, OssError> {
    let pick = |header: &str, param: &str| -> Result<Option<String>, OssError> {
        match (ctx.header(header), ctx.param(param)) {
            (Some(_), Some(_)) => Err(OssError::invalid_argument_named(
                format!("Specify {param} in either the {header} header or the {param} query parameter, not both."),
                param,
                "",
            )
            .ec("0007-00000027")),
            (Some(v), None) | (None, Some(v)) => Ok(Some(v.to_string())),
            (None, None) => Ok(None),
        }
    };
    let callback_b64 = pick("x-oss-callback", "callback")?;
    let var_b64 = pick("x-oss-callback-var", "callback-var")?;
    let Some(callback_b64) = callback_b64 else {
        return Ok(None);
    };
    let to_error = |e: callback::CallbackParamError| {
        OssError::invalid_argument_named(e.message, &e.argument_name, &e.argument_value)
    };
    let request = callback::parse(&callback_b64, var_b64.as_deref()).map_err(to_error)?;
    // OSS reads an absent or empty callbackUrl as "no callback": a plain upload, answered 200.
    if !request.is_configured() {
        return Ok(None);
    }
    ctx.state
        .callbacker
        .check_targets(&request)
        .map_err(to_error)?;
    Ok(Some(request))
}

/// Performs a callback after the object was stored: 200 with the receiver's reply, or 203
/// CallbackFailed. `resp` already carries the upload headers.
pub(crate) fn finish_with_callback(
    ctx: &Ctx,
    cb: &CallbackRequest,
    facts: &ObjectFacts,
    mut resp: Response,
) -> Response {
    match ctx.state.callbacker.perform(cb, facts) {
        Ok(reply) => {
            resp.status = 200;
            resp.headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            resp.push_header("Content-Type", reply.content_type);
            resp.body = ResponseBody::Bytes(reply.body);
        }
        Err(message) => {
            let xml =
                OssError::new(203, "CallbackFailed", message).to_xml(ctx.request_id, ctx.host_id);
            resp.status = 203;
            resp.headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            resp.push_header("Content-Type", "application/xml");
            resp.body = ResponseBody::Bytes(xml.into_bytes());
        }
    }
    resp
}

/// A response body holding `len` bytes of an object from `start`, clamped to what exists.
pub(crate) fn object_body(data: &ObjectData, start: u64, len: u64) -> ResponseBody {
    match data {
        ObjectData::Memory(v) => {
            let start = usize::try_from(start).map_or(v.len(), |s| s.min(v.len()));
            let len = usize::try_from(len)
                .map_or(usize::MAX, |l| l)
                .min(v.len() - start);
            ResponseBody::Shared {
                data: v.clone(),
                start,
                len,
            }
        }
        ObjectData::File(p) => ResponseBody::File {
            path: p.clone(),
            start,
            len,
        },
    }
}

/// A page size parameter (`max-keys`, `max-parts`): an integer from 1 to 1000, `default` when
/// absent.
pub(crate) fn page_size(ctx: &Ctx, name: &str, default: usize) -> Result<usize, OssError> {
    match ctx.param(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                OssError::invalid_argument_named(
                    format!("{name} must be an integer from 1 to 1000."),
                    name,
                    v,
                )
            }),
    }
}

/// Minimal XML text escaping for the result documents.
pub(crate) fn esc(s: &str) -> String {
    ossffi::oss_error::xml_escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_values_allow_text_tab_and_utf8_but_no_control_characters() {
        assert!(is_field_value("attachment; filename=\"a\tb.txt\""));
        assert!(is_field_value("报告.pdf"));
        for bad in ["a\rb", "a\nb", "a\0b", "a\x1bb", "a\x7fb"] {
            assert!(!is_field_value(bad), "{bad:?}");
        }
    }
}
