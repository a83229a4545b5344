//! AppendObject: `POST /key?append&position=P`.

use std::sync::Arc;

use md5::{Digest, Md5};
use ossffi::crc64::combine;
use ossffi::encoding::hex_upper;

use super::body::{Destination, NOT_MD5_HEADER, receive};
use super::put::{content_md5, declared_length, md5_needed, verify_md5};
use super::{Ctx, requested_meta};
use crate::error::OssError;
use crate::http::{Body, Response};
use crate::store::{ObjectData, ObjectMeta, PutError, StoredObject};

const APPENDABLE: &str = "Appendable";

pub(crate) fn append_object(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    body: &mut Body,
) -> Result<Response, OssError> {
    let raw_position = ctx.param("position").unwrap_or("");
    let position: u64 = raw_position.parse().map_err(|_| {
        OssError::invalid_argument_named(
            "position must be the current length of the object (0 to create it).",
            "position",
            raw_position,
        )
    })?;
    let declared = declared_length(body)?;
    let expected_md5 = content_md5(ctx)?;
    let store = &ctx.state.store;
    let existing = store.get(bucket, key);
    if let Some(obj) = &existing
        && obj.meta.object_type != APPENDABLE
    {
        return Err(OssError::new(
            409,
            "ObjectNotAppendable",
            "The object is not appendable: it was written by PutObject or a multipart upload.",
        ));
    }
    let current = existing.as_ref().map_or(0, |o| o.meta.size);
    if position != current {
        let e = OssError::new(
            409,
            "PositionNotEqualToLength",
            "Position is not equal to file length.",
        );
        return Err(e.field("NextAppendPosition", current.to_string()));
    }
    let max = ctx.state.config.max_object_size.saturating_sub(current);
    let destination = if ctx.state.config.sink {
        Destination::Sink
    } else {
        Destination::Memory
    };
    let rec = receive(
        body,
        declared,
        max,
        destination,
        md5_needed(ctx, expected_md5),
    )?;
    verify_md5(ctx, expected_md5, &rec)?;
    let size = current + rec.size;
    let crc = match &existing {
        Some(obj) => combine(obj.meta.crc64, rec.crc64, rec.size),
        None => rec.crc64,
    };
    let mut resp = Response::new(200)
        .header("x-oss-next-append-position", size.to_string())
        .header("x-oss-hash-crc64ecma", crc.to_string());
    let Some(ObjectData::Memory(appended)) = &rec.data else {
        // --sink: nothing is kept, so every append starts a new object.
        let resp = resp.header("ETag", format!("\"{}\"", hex_upper(&rec.etag_digest())));
        return Ok(match rec.md5 {
            Some(_) => resp,
            None => resp.header(NOT_MD5_HEADER.0, NOT_MD5_HEADER.1),
        });
    };
    let mut data = match &existing {
        Some(obj) => obj
            .bytes()
            .map_err(|e| OssError::internal(format!("reading the object failed: {e}")))?,
        None => Vec::new(),
    };
    data.extend_from_slice(appended);
    let etag = format!("\"{}\"", hex_upper(&Md5::digest(&data)));
    let meta = match existing {
        Some(obj) => ObjectMeta {
            etag: etag.clone(),
            crc64: crc,
            content_md5: String::new(),
            size,
            last_modified: ctx.now,
            ..obj.meta.clone()
        },
        None => {
            let m = requested_meta(ctx)?;
            ObjectMeta {
                content_type: m.content_type,
                etag: etag.clone(),
                crc64: crc,
                content_md5: String::new(),
                size,
                last_modified: ctx.now,
                user_meta: m.user_meta,
                http_headers: m.http_headers,
                object_type: APPENDABLE.into(),
                storage_class: m.storage_class,
            }
        }
    };
    let data = match store.temp_file(bucket) {
        Some(path) => {
            std::fs::write(&path, &data)
                .map_err(|e| OssError::internal(format!("writing the object failed: {e}")))?;
            ObjectData::File(path)
        }
        None => ObjectData::Memory(Arc::new(data)),
    };
    match store.put(bucket, key, StoredObject { meta, data }, false) {
        Ok(()) => {}
        Err(PutError::NoSuchBucket) => return Err(OssError::no_such_bucket(bucket)),
        Err(e) => {
            return Err(OssError::internal(format!(
                "storing the object failed: {e:?}"
            )));
        }
    }
    resp.push_header("ETag", etag);
    Ok(resp)
}
