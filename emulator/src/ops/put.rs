//! PutObject.

use ossffi::encoding::{base64_decode, base64_encode, hex_upper};

use super::body::{Destination, NOT_MD5_HEADER, Received, check_declared, receive};
use super::{Ctx, RequestedMeta, finish_with_callback, requested_callback, requested_meta};
use crate::callback::ObjectFacts;
use crate::error::OssError;
use crate::http::{Body, Framing, Response};
use crate::store::{ObjectMeta, PutError, StoredObject, discard};

pub(crate) fn missing_content_length() -> OssError {
    OssError::new(
        411,
        "MissingContentLength",
        "You must provide the Content-Length HTTP header.",
    )
}

/// The declared body length, `None` for chunked bodies; 411 when the body has no framing.
pub(crate) fn declared_length(body: &Body) -> Result<Option<u64>, OssError> {
    match body.framing() {
        Framing::None => Err(missing_content_length()),
        Framing::Length(n) => Ok(Some(n)),
        Framing::Chunked => Ok(None),
    }
}

/// The MD5 a `Content-MD5` header promises, if any.
pub(crate) fn content_md5(ctx: &Ctx) -> Result<Option<[u8; 16]>, OssError> {
    let Some(value) = ctx.header("content-md5") else {
        return Ok(None);
    };
    base64_decode(value)
        .and_then(|b| <[u8; 16]>::try_from(b.as_slice()).ok())
        .map(Some)
        .ok_or_else(|| {
            OssError::new(400, "InvalidDigest", "The Content-MD5 you specified is not valid: it must be the base64 of the 16-byte MD5 of the body.")
                .field("Content-MD5", value)
        })
}

/// Whether the body's MD5 must be computed: always, except with `--sink-skip-md5` when the
/// request has no `Content-MD5` to check.
pub(crate) fn md5_needed(ctx: &Ctx, expected: Option<[u8; 16]>) -> bool {
    expected.is_some() || !ctx.state.config.skips_md5()
}

/// The reply headers that follow from the received body: `Content-MD5` when its MD5 was
/// computed, else the marker that the ETag is not an MD5.
pub(crate) fn digest_header(resp: Response, md5: Option<[u8; 16]>) -> Response {
    match md5 {
        Some(md5) => resp.header("Content-MD5", base64_encode(&md5)),
        None => resp.header(NOT_MD5_HEADER.0, NOT_MD5_HEADER.1),
    }
}

/// Fails when the received body does not match `Content-MD5`, discarding what was received.
pub(crate) fn verify_md5(
    ctx: &Ctx,
    expected: Option<[u8; 16]>,
    rec: &Received,
) -> Result<(), OssError> {
    // `md5_needed` made sure the MD5 was computed whenever one is expected.
    let got = rec.md5.unwrap_or_default();
    match expected {
        Some(md5) if md5 != got => {
            if let Some(data) = &rec.data {
                discard(data);
            }
            Err(OssError::new(
                400,
                "InvalidDigest",
                "The Content-MD5 you specified was invalid.",
            )
            .field("Content-MD5", ctx.header("content-md5").unwrap_or(""))
            .field("CalculatedContentMD5", base64_encode(&got)))
        }
        _ => Ok(()),
    }
}

pub(crate) fn destination(ctx: &Ctx, bucket: &str) -> Destination {
    if ctx.state.config.sink {
        return Destination::Sink;
    }
    match ctx.state.store.temp_file(bucket) {
        Some(path) => Destination::File(path),
        None => Destination::Memory,
    }
}

fn check_traffic_limit(ctx: &Ctx) -> Result<(), OssError> {
    let Some(value) = ctx.header("x-oss-traffic-limit") else {
        return Ok(());
    };
    match value.parse::<u64>() {
        Ok(bits) if (819_200..=838_860_800).contains(&bits) => Ok(()),
        _ => Err(OssError::invalid_argument_named(
            "x-oss-traffic-limit must be 819200 to 838860800 (bit/s).",
            "x-oss-traffic-limit",
            value,
        )
        .ec("0004-00000502")),
    }
}

fn file_exists() -> OssError {
    OssError::new(
        409,
        "FileAlreadyExists",
        "The object you specified already exists and can not be overwritten.",
    )
}

/// What storing a received body gives the reply and the callback.
pub(crate) struct Stored {
    /// The ETag's hex digits, without quotes.
    pub etag_hex: String,
    /// The body's Content-MD5 in base64; empty when the MD5 was skipped (sink only: nothing
    /// is stored then).
    pub md5_b64: String,
    pub mime_type: String,
}

/// Stores the body `rec` received (PutObject, PostObject) under `key` with `meta`, unless it
/// went to the sink; `forbid` refuses to replace an object (FileAlreadyExists).
pub(crate) fn store_received(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    rec: &mut Received,
    meta: RequestedMeta,
    forbid: bool,
) -> Result<Stored, OssError> {
    let etag_hex = hex_upper(&rec.etag_digest());
    let md5_b64 = rec.md5.map(|m| base64_encode(&m)).unwrap_or_default();
    let mime_type = meta.content_type.clone();
    let object_meta = ObjectMeta {
        content_type: meta.content_type,
        etag: format!("\"{etag_hex}\""),
        crc64: rec.crc64,
        content_md5: md5_b64.clone(),
        size: rec.size,
        last_modified: ctx.now,
        user_meta: meta.user_meta,
        http_headers: meta.http_headers,
        object_type: "Normal".into(),
        storage_class: meta.storage_class,
    };
    if let Some(data) = rec.data.take() {
        let stored = StoredObject {
            meta: object_meta,
            data,
        };
        match ctx.state.store.put(bucket, key, stored, forbid) {
            Ok(()) => {}
            Err(PutError::Exists) => return Err(file_exists()),
            Err(PutError::NoSuchBucket) => return Err(OssError::no_such_bucket(bucket)),
            Err(PutError::Io(e)) => {
                return Err(OssError::internal(format!(
                    "storing the object failed: {e}"
                )));
            }
        }
    }
    Ok(Stored {
        etag_hex,
        md5_b64,
        mime_type,
    })
}

pub(crate) fn put_object(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    body: &mut Body,
) -> Result<Response, OssError> {
    let declared = declared_length(body)?;
    let max = ctx.state.config.max_object_size;
    check_declared(declared, max)?;
    let expected_md5 = content_md5(ctx)?;
    check_traffic_limit(ctx)?;
    let meta = requested_meta(ctx)?;
    let forbid = ctx
        .header("x-oss-forbid-overwrite")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let store = &ctx.state.store;
    if forbid && store.exists(bucket, key) {
        return Err(file_exists());
    }
    let callback = requested_callback(ctx)?;

    let with_md5 = md5_needed(ctx, expected_md5);
    let mut rec = receive(body, declared, max, destination(ctx, bucket), with_md5)?;
    verify_md5(ctx, expected_md5, &rec)?;
    let Stored {
        etag_hex,
        md5_b64,
        mime_type,
    } = store_received(ctx, bucket, key, &mut rec, meta, forbid)?;
    let resp = Response::new(200)
        .header("ETag", format!("\"{etag_hex}\""))
        .header("x-oss-hash-crc64ecma", rec.crc64.to_string());
    let resp = digest_header(resp, rec.md5);
    match callback {
        None => Ok(resp),
        Some(cb) => {
            let facts = ObjectFacts {
                bucket,
                object: key,
                etag: &etag_hex,
                size: rec.size,
                mime_type: &mime_type,
                crc64: rec.crc64,
                content_md5: &md5_b64,
                client_ip: &ctx.client_ip,
                request_id: ctx.request_id,
                operation: "PutObject",
            };
            Ok(finish_with_callback(ctx, &cb, &facts, resp))
        }
    }
}
