//! Multipart upload: Initiate, UploadPart, Complete (with callback), Abort, ListParts
//! (UploadPartCopy is in `part_copy`).

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::ops::Bound;
use std::sync::Arc;

use md5::{Digest, Md5};
use ossffi::crc64::combine;
use ossffi::encoding::hex_upper;
use ossffi::time::iso8601_millis;

use super::body::{NOT_MD5_HEADER, Received, body_error, grow, receive};
use super::put::{
    content_md5, declared_length, destination, digest_header, md5_needed, verify_md5,
};
use super::{Ctx, esc, finish_with_callback, requested_callback, requested_meta};
use crate::callback::ObjectFacts;
use crate::error::OssError;
use crate::http::{Body, Framing, Response};
use crate::store::{ObjectData, ObjectMeta, Part, PutError, StoredObject, Upload, discard};

/// OSS refuses to complete an upload whose parts (all but the last) are smaller than this.
const MIN_PART_SIZE: u64 = 100 * 1024;
pub(crate) const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;
const MAX_COMPLETE_XML: u64 = 4 * 1024 * 1024;

pub(crate) fn xml_response(xml: String) -> Response {
    Response::xml(
        200,
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}"),
    )
}

pub(crate) fn upload_id<'a>(ctx: &'a Ctx) -> Result<&'a str, OssError> {
    match ctx.param("uploadId") {
        Some(id) if !id.is_empty() => Ok(id),
        _ => Err(OssError::invalid_argument_named(
            "uploadId must not be empty.",
            "uploadId",
            "",
        )),
    }
}

pub(crate) fn initiate(ctx: &Ctx, bucket: &str, key: &str) -> Result<Response, OssError> {
    let meta = requested_meta(ctx)?;
    let id = ctx.state.new_id(32);
    ctx.state
        .store
        .add_upload(
            &id,
            Upload {
                bucket: bucket.to_string(),
                key: key.to_string(),
                content_type: meta.content_type,
                user_meta: meta.user_meta,
                http_headers: meta.http_headers,
                storage_class: meta.storage_class,
                initiated: ctx.now,
                order: 0,
                sequential: ctx.has_param("sequential"),
                parts: Default::default(),
            },
        )
        .map_err(|e| OssError::internal(format!("recording the upload failed: {e}")))?;
    Ok(xml_response(format!(
        "<InitiateMultipartUploadResult>\n{}  <Bucket>{}</Bucket>\n  <Key>{}</Key>\n  <UploadId>{id}</UploadId>\n</InitiateMultipartUploadResult>\n",
        ctx.encoding_type_element(),
        esc(bucket),
        ctx.name_out(key)
    )))
}

/// The `partNumber` of an UploadPart or UploadPartCopy: 1 to 10000.
pub(crate) fn part_number(ctx: &Ctx) -> Result<u32, OssError> {
    let raw_number = ctx.param("partNumber").unwrap_or("");
    raw_number
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(|| {
            OssError::invalid_argument_named(
                "Part number must be an integer between 1 and 10000, inclusive.",
                "partNumber",
                raw_number,
            )
        })
}

pub(crate) fn upload_part(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    body: &mut Body,
) -> Result<Response, OssError> {
    let number = part_number(ctx)?;
    let id = upload_id(ctx)?;
    let declared = declared_length(body)?;
    let store = &ctx.state.store;
    store
        .with_upload(id, bucket, key, |u| sequential_check(u, number))
        .ok_or_else(|| OssError::no_such_upload(id))??;
    let expected_md5 = content_md5(ctx)?;
    let max = MAX_PART_SIZE.min(ctx.state.config.max_object_size);
    let with_md5 = md5_needed(ctx, expected_md5);
    let rec = receive(body, declared, max, destination(ctx, bucket), with_md5)?;
    verify_md5(ctx, expected_md5, &rec)?;
    let crc64 = rec.crc64;
    let md5 = rec.md5;
    let etag = keep_part(ctx, bucket, key, id, number, rec)?;
    let resp = Response::new(200)
        .header("ETag", etag)
        .header("x-oss-hash-crc64ecma", crc64.to_string());
    Ok(digest_header(resp, md5))
}

/// Records the received bytes as part `number` of upload `id` (replacing an earlier part of
/// that number) and returns the part's ETag; what was received is discarded when the upload
/// is gone or refuses the part.
pub(crate) fn keep_part(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    id: &str,
    number: u32,
    rec: Received,
) -> Result<String, OssError> {
    let store = &ctx.state.store;
    let part = Part {
        number,
        // With --sink-skip-md5 the stand-in digest, so that Complete matches the ETag replied.
        md5: rec.etag_digest(),
        crc64: rec.crc64,
        size: rec.size,
        last_modified: ctx.now,
        data: rec.data,
    };
    let etag = part.etag();
    let kept = store.update_upload(id, bucket, key, |u| {
        // Checked again: another request may have added this part while the body arrived.
        sequential_check(u, number)?;
        let mut part = part.clone();
        // With --data-dir the part moves into the upload's directory, where a restart finds it.
        if let (Some(ObjectData::File(temp)), Some(path)) =
            (&part.data, store.part_file(bucket, id, number, &part.md5))
        {
            std::fs::rename(temp, &path)
                .map_err(|e| OssError::internal(format!("keeping the part failed: {e}")))?;
            part.data = Some(ObjectData::File(path));
        }
        let new_path = part.data.clone();
        if let Some(old) = u.parts.insert(number, part)
            && let Some(data) = &old.data
            && !same_file(Some(data), new_path.as_ref())
        {
            discard(data);
        }
        Ok(())
    });
    let refused = match kept {
        Some(Ok(Ok(()))) => None,
        Some(Ok(Err(e))) => Some(e),
        Some(Err(e)) => Some(OssError::internal(format!(
            "recording the part failed: {e}"
        ))),
        None => Some(OssError::no_such_upload(id)),
    };
    if let Some(e) = refused {
        if let Some(data) = &part.data {
            discard(data);
        }
        return Err(e);
    }
    Ok(etag)
}

/// True when both are the same file on disk (a part sent again with the same bytes).
fn same_file(a: Option<&ObjectData>, b: Option<&ObjectData>) -> bool {
    matches!((a, b), (Some(ObjectData::File(x)), Some(ObjectData::File(y))) if x == y)
}

/// A sequential upload (`?sequential` on Initiate) takes part N only right after part N-1 and
/// never replaces a part. OSS's two refusals, as services built on OSS relay them (no OSS
/// reference page names them; aliyun drive's `PartNotSequential`, tickstep/aliyunpan#133, and
/// OSS's own `PartAlreadyExist` with EC 0042-00000108, wiserain/rclone#41 and the 0042-00000108
/// help page "the part already exists and cannot be overwritten").
pub(crate) fn sequential_check(upload: &Upload, number: u32) -> Result<(), OssError> {
    if !upload.sequential {
        return Ok(());
    }
    if upload.parts.contains_key(&number) {
        return Err(OssError::new(
            409,
            "PartAlreadyExist",
            "For sequential multipart upload, you can't overwrite uploaded parts.",
        )
        .ec("0042-00000108"));
    }
    let next = upload.parts.keys().next_back().map_or(1, |n| n + 1);
    if number != next {
        return Err(not_sequential(number));
    }
    Ok(())
}

/// The 400 of a sequential upload given a part out of order (EC unknown: none is published).
fn not_sequential(number: u32) -> OssError {
    OssError::new(
        400,
        "PartNotSequential",
        "For sequential multipart upload, you must upload or complete parts with sequential part number.",
    )
    .field("PartNumber", number.to_string())
}

/// The (part number, ETag) pairs of a CompleteMultipartUpload body.
pub(crate) fn parse_part_list(xml: &str) -> Result<Vec<(u32, String)>, OssError> {
    let malformed = || {
        OssError::new(
            400,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema.",
        )
    };
    let element = |text: &str, name: &str| -> Option<String> {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&close)? + start;
        Some(text[start..end].trim().to_string())
    };
    if !xml.contains("<CompleteMultipartUpload") {
        return Err(malformed());
    }
    let mut parts = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<Part>") {
        let end = rest[start..].find("</Part>").ok_or_else(malformed)? + start;
        let part = &rest[start + 6..end];
        let number = element(part, "PartNumber")
            .and_then(|n| n.parse::<u32>().ok())
            .ok_or_else(malformed)?;
        let etag = element(part, "ETag").ok_or_else(malformed)?;
        let etag = etag.replace("&quot;", "\"").replace("&#34;", "\"");
        parts.push((number, etag.trim_matches('"').to_ascii_uppercase()));
        rest = &rest[end + 7..];
    }
    if parts.is_empty() {
        return Err(malformed());
    }
    Ok(parts)
}

fn read_small_body(body: &mut Body) -> Result<String, OssError> {
    let mut text = Vec::new();
    (&mut *body)
        .take(MAX_COMPLETE_XML + 1)
        .read_to_end(&mut text)
        .map_err(body_error)?;
    if text.len() as u64 > MAX_COMPLETE_XML {
        return Err(OssError::invalid_argument(
            "The CompleteMultipartUpload body is larger than 4 MB.",
        ));
    }
    String::from_utf8(text)
        .map_err(|_| OssError::invalid_argument("The CompleteMultipartUpload body is not UTF-8."))
}

/// The parts to assemble, in order, checked against what was uploaded.
fn chosen_parts(ctx: &Ctx, upload: &Upload, body: &mut Body) -> Result<Vec<Part>, OssError> {
    if ctx
        .header("x-oss-complete-all")
        .is_some_and(|v| v.eq_ignore_ascii_case("yes"))
    {
        // EC 0042-00000216 (help page of that EC: "if x-oss-complete-all is yes, the request
        // may not carry a body"); the page does not show the Code, InvalidArgument is a guess.
        if body.framing() != Framing::None && body.framing() != Framing::Length(0) {
            return Err(OssError::invalid_argument(
                "With x-oss-complete-all: yes the request must have no body.",
            )
            .ec("0042-00000216"));
        }
        if upload.parts.is_empty() {
            return Err(OssError::new(
                400,
                "InvalidPart",
                "The upload has no parts to complete.",
            ));
        }
        let parts: Vec<Part> = upload.parts.values().cloned().collect();
        check_sizes(&parts)?;
        return Ok(parts);
    }
    let listed = parse_part_list(&read_small_body(body)?)?;
    let mut parts = Vec::with_capacity(listed.len());
    let mut previous = 0;
    for (number, etag) in listed {
        if number <= previous {
            return Err(OssError::new(
                400,
                "InvalidPartOrder",
                "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
            ));
        }
        previous = number;
        if upload.sequential && number as usize != parts.len() + 1 {
            return Err(not_sequential(number));
        }
        let part = upload
            .parts
            .get(&number)
            .filter(|p| hex_upper(&p.md5) == etag)
            .ok_or_else(|| {
                OssError::new(
                    400,
                    "InvalidPart",
                    "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
                )
                .field("PartNumber", number.to_string())
                .field("ETag", format!("\"{etag}\""))
            })?;
        parts.push(part.clone());
    }
    check_sizes(&parts)?;
    Ok(parts)
}

fn check_sizes(parts: &[Part]) -> Result<(), OssError> {
    if let Some(small) = parts[..parts.len() - 1]
        .iter()
        .find(|p| p.size < MIN_PART_SIZE)
    {
        return Err(OssError::new(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size.",
        )
        .field("MinSizeAllowed", MIN_PART_SIZE.to_string())
        .field("ProposedSize", small.size.to_string())
        .field("PartNumber", small.number.to_string()));
    }
    Ok(())
}

/// Concatenates the parts' bytes into the object's data.
fn assemble(
    ctx: &Ctx,
    bucket: &str,
    parts: &[Part],
    size: u64,
) -> Result<Option<ObjectData>, OssError> {
    if ctx.state.config.sink {
        return Ok(None);
    }
    let io_err =
        |e: std::io::Error| OssError::internal(format!("assembling the object failed: {e}"));
    match ctx.state.store.temp_file(bucket) {
        Some(path) => {
            let mut out = std::fs::File::create(&path).map_err(io_err)?;
            for p in parts {
                if let Some(ObjectData::File(src)) = &p.data {
                    std::io::copy(&mut std::fs::File::open(src).map_err(io_err)?, &mut out)
                        .map_err(io_err)?;
                }
            }
            out.flush().map_err(io_err)?;
            Ok(Some(ObjectData::File(path)))
        }
        None => {
            let mut data = Vec::new();
            grow(&mut data, usize::try_from(size).unwrap_or(usize::MAX))?;
            for p in parts {
                if let Some(ObjectData::Memory(v)) = &p.data {
                    data.extend_from_slice(v);
                }
            }
            Ok(Some(ObjectData::Memory(Arc::new(data))))
        }
    }
}

pub(crate) fn complete(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    body: &mut Body,
) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    let store = &ctx.state.store;
    let upload = store
        .with_upload(id, bucket, key, |u| u.clone())
        .ok_or_else(|| OssError::no_such_upload(id))?;
    let callback = requested_callback(ctx)?;
    let parts = chosen_parts(ctx, &upload, body)?;

    let mut md5s = Md5::new();
    let mut crc = 0u64;
    let mut size = 0u64;
    for p in &parts {
        md5s.update(p.md5);
        crc = combine(crc, p.crc64, p.size);
        // At most 10,000 parts of at most 5 GiB each: the sum fits, but say so.
        size = size.saturating_add(p.size);
    }
    let etag_hex = format!("{}-{}", hex_upper(&md5s.finalize()), parts.len());
    let data = assemble(ctx, bucket, &parts, size)?;
    if store.remove_upload(id, bucket, key).is_none() {
        if let Some(d) = &data {
            discard(d);
        }
        return Err(OssError::no_such_upload(id));
    }
    let meta = ObjectMeta {
        content_type: upload.content_type.clone(),
        etag: format!("\"{etag_hex}\""),
        crc64: crc,
        content_md5: String::new(),
        size,
        last_modified: ctx.now,
        user_meta: upload.user_meta.clone(),
        http_headers: upload.http_headers.clone(),
        object_type: "Multipart".into(),
        storage_class: upload.storage_class.clone(),
    };
    if let Some(data) = data {
        match store.put(bucket, key, StoredObject { meta, data }, false) {
            Ok(()) => {}
            Err(PutError::NoSuchBucket) => return Err(OssError::no_such_bucket(bucket)),
            Err(e) => {
                return Err(OssError::internal(format!(
                    "storing the object failed: {e:?}"
                )));
            }
        }
    }
    for p in upload.parts.values() {
        if let Some(d) = &p.data {
            discard(d);
        }
    }
    let location = object_location(ctx, bucket, key);
    let resp = xml_response(format!(
        "<CompleteMultipartUploadResult>\n{}  <Location>{}</Location>\n  <Bucket>{}</Bucket>\n  <Key>{}</Key>\n  <ETag>&quot;{etag_hex}&quot;</ETag>\n</CompleteMultipartUploadResult>\n",
        ctx.encoding_type_element(),
        esc(&location),
        esc(bucket),
        ctx.name_out(key)
    ))
    .header("ETag", format!("\"{etag_hex}\""))
    .header("x-oss-hash-crc64ecma", crc.to_string());
    // The part ETags it is made of may be stand-ins (which parts, is not kept).
    let resp = if ctx.state.config.skips_md5() {
        resp.header(NOT_MD5_HEADER.0, NOT_MD5_HEADER.1)
    } else {
        resp
    };
    match callback {
        None => Ok(resp),
        Some(cb) => {
            let facts = ObjectFacts {
                bucket,
                object: key,
                etag: &etag_hex,
                size,
                mime_type: &upload.content_type,
                crc64: crc,
                content_md5: "",
                client_ip: &ctx.client_ip,
                request_id: ctx.request_id,
                operation: "CompleteMultipartUpload",
            };
            Ok(finish_with_callback(ctx, &cb, &facts, resp))
        }
    }
}

/// The object's URL for CompleteMultipartUpload's `<Location>`: on this emulator, in the
/// addressing style the request used.
fn object_location(ctx: &Ctx, bucket: &str, key: &str) -> String {
    let endpoint = super::bucket::local_endpoint(ctx);
    let key = ossffi::encoding::uri_encode(key, true);
    if endpoint.starts_with(&format!("{bucket}.")) {
        format!("http://{endpoint}/{key}")
    } else {
        format!("http://{endpoint}/{bucket}/{key}")
    }
}

pub(crate) fn abort(ctx: &Ctx, bucket: &str, key: &str) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    let upload = ctx
        .state
        .store
        .remove_upload(id, bucket, key)
        .ok_or_else(|| OssError::no_such_upload(id))?;
    for p in upload.parts.values() {
        if let Some(d) = &p.data {
            discard(d);
        }
    }
    Ok(Response::new(204))
}

pub(crate) fn list_parts(ctx: &Ctx, bucket: &str, key: &str) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    let max_parts = super::page_size(ctx, "max-parts", 1000)?;
    let marker: u32 = match ctx.param("part-number-marker") {
        None => 0,
        Some(v) => v.parse().ok().filter(|n| *n <= 10_000).ok_or_else(|| {
            OssError::invalid_argument_named(
                "part-number-marker must be an integer from 0 to 10000.",
                "part-number-marker",
                v,
            )
        })?,
    };
    let (parts, storage_class, user_meta): (Vec<Part>, String, Vec<(String, String)>) = ctx
        .state
        .store
        .with_upload(id, bucket, key, |u| {
            let parts = u
                .parts
                .range((Bound::Excluded(marker), Bound::Unbounded))
                .map(|(_, p)| p.clone())
                .collect();
            (parts, u.storage_class.clone(), u.user_meta.clone())
        })
        .ok_or_else(|| OssError::no_such_upload(id))?;
    let truncated = parts.len() > max_parts;
    let shown = &parts[..parts.len().min(max_parts)];
    let next = shown.last().map_or(marker, |p| p.number);
    // The fields are those of OSS's ListParts reference and of the v2 SDKs' ListPartsResult
    // (which reads StorageClass and the ClientEncryption* fields besides the markers and
    // parts). Their order among the header fields is not confirmed against the service; the
    // SDKs read them by name.
    let mut xml = format!(
        "<ListPartsResult>\n{}  <Bucket>{}</Bucket>\n  <Key>{}</Key>\n  <UploadId>{}</UploadId>\n  <PartNumberMarker>{marker}</PartNumberMarker>\n  <NextPartNumberMarker>{next}</NextPartNumberMarker>\n  <MaxParts>{max_parts}</MaxParts>\n  <IsTruncated>{truncated}</IsTruncated>\n  <StorageClass>{}</StorageClass>\n",
        ctx.encoding_type_element(),
        esc(bucket),
        ctx.name_out(key),
        esc(id),
        esc(&storage_class)
    );
    xml.push_str(&client_encryption_elements(&user_meta));
    for p in shown {
        let _ = write!(
            xml,
            "  <Part>\n    <PartNumber>{}</PartNumber>\n    <LastModified>{}</LastModified>\n    <ETag>&quot;{}&quot;</ETag>\n    <HashCrc64ecma>{}</HashCrc64ecma>\n    <Size>{}</Size>\n  </Part>\n",
            p.number,
            iso8601_millis(p.last_modified.saturating_mul(1000)),
            hex_upper(&p.md5),
            p.crc64,
            p.size
        );
    }
    xml.push_str("</ListPartsResult>\n");
    let resp = xml_response(xml);
    Ok(if ctx.state.config.skips_md5() {
        resp.header(NOT_MD5_HEADER.0, NOT_MD5_HEADER.1)
    } else {
        resp
    })
}

/// ListParts' client-side-encryption elements: OSS reports the `x-oss-meta-client-side-
/// encryption-*` headers an Initiate carried (ListParts response elements ClientEncryptionKey
/// ... ClientEncryptionPartSize; the v2 SDKs' ListPartsResult reads the same six). The emulator
/// keeps them as the upload's user metadata, so they are echoed from there, as sent.
fn client_encryption_elements(user_meta: &[(String, String)]) -> String {
    const FIELDS: &[(&str, &str)] = &[
        ("key", "ClientEncryptionKey"),
        ("start", "ClientEncryptionStart"),
        ("cek-alg", "ClientEncryptionCekAlg"),
        ("wrap-alg", "ClientEncryptionWrapAlg"),
        ("data-size", "ClientEncryptionDataSize"),
        ("part-size", "ClientEncryptionPartSize"),
    ];
    let mut out = String::new();
    for (suffix, element) in FIELDS {
        let header = format!("x-oss-meta-client-side-encryption-{suffix}");
        if let Some((_, v)) = user_meta.iter().find(|(n, _)| *n == header) {
            let _ = writeln!(out, "  <{element}>{}</{element}>", esc(v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_list_accepts_quoted_and_entity_etags() {
        let xml = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"ab\"</ETag></Part>\
                   <Part><PartNumber>2</PartNumber><ETag>&quot;cd&quot;</ETag></Part></CompleteMultipartUpload>";
        assert_eq!(
            parse_part_list(xml).unwrap(),
            vec![(1, "AB".to_string()), (2, "CD".to_string())]
        );
    }

    #[test]
    fn part_list_without_parts_is_malformed() {
        assert_eq!(
            parse_part_list("<CompleteMultipartUpload/>")
                .unwrap_err()
                .code,
            "MalformedXML"
        );
    }
}
