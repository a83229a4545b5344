//! UploadPartCopy: a part of an upload made from an object the emulator holds (the whole of it
//! or a byte range), as OSS does it: `PUT ?partNumber=N&uploadId=ID` with `x-oss-copy-source`,
//! no body, the part's ETag the MD5 of the copied bytes, its CRC-64 kept for ListParts and
//! CompleteMultipartUpload.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use ossffi::encoding::percent_decode;
use ossffi::time::iso8601_millis;

use super::body::receive;
use super::get::{Precondition, evaluate_conditions, precondition_failed};
use super::multipart::{
    MAX_PART_SIZE, keep_part, part_number, sequential_check, upload_id, xml_response,
};
use super::put::{destination, md5_needed};
use super::{Ctx, check_echoed_value};
use crate::error::OssError;
use crate::http::Response;
use crate::store::{ObjectData, StoredObject};

const SOURCE: &str = "x-oss-copy-source";
const RANGE: &str = "x-oss-copy-source-range";

pub(crate) fn upload_part_copy(ctx: &Ctx, bucket: &str, key: &str) -> Result<Response, OssError> {
    let number = part_number(ctx)?;
    let id = upload_id(ctx)?;
    let store = &ctx.state.store;
    store
        .with_upload(id, bucket, key, |u| sequential_check(u, number))
        .ok_or_else(|| OssError::no_such_upload(id))??;
    let (source_bucket, source_key) = copy_source(ctx)?;
    // One account: a source the caller may read is one in a bucket that exists.
    if !store.bucket_exists(&source_bucket) {
        return Err(OssError::no_such_bucket(&source_bucket));
    }
    let source = store
        .get(&source_bucket, &source_key)
        .ok_or_else(|| OssError::no_such_key(&source_key))?;
    if source.meta.object_type == "Appendable" {
        return Err(OssError::new(
            400,
            "InvalidArgument",
            "The source object of UploadPartCopy cannot be an appendable object.",
        )
        .field("ArgumentName", SOURCE)
        .field("ArgumentValue", ctx.header(SOURCE).unwrap_or("")));
    }
    // OSS documents 412 for every failed source condition of UploadPartCopy, the two that
    // would be a 304 for GetObject (If-None-Match, If-Modified-Since) included.
    match evaluate_conditions(
        ctx.header("x-oss-copy-source-if-match"),
        ctx.header("x-oss-copy-source-if-unmodified-since"),
        ctx.header("x-oss-copy-source-if-none-match"),
        ctx.header("x-oss-copy-source-if-modified-since"),
        &source.meta,
    ) {
        Precondition::Proceed => {}
        Precondition::Failed(header) => {
            return Err(precondition_failed(&format!("x-oss-copy-source-{header}")));
        }
        Precondition::NotModified => {
            let header = if ctx.header("x-oss-copy-source-if-none-match").is_some() {
                "x-oss-copy-source-If-None-Match"
            } else {
                "x-oss-copy-source-If-Modified-Since"
            };
            return Err(precondition_failed(header));
        }
    }
    let (start, len) = match ctx.header(RANGE) {
        None => (0, source.meta.size),
        Some(value) => copy_range(value, source.meta.size)?,
    };
    if len > MAX_PART_SIZE {
        return Err(OssError::new(
            400,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size.",
        )
        .field("MaxSizeAllowed", MAX_PART_SIZE.to_string()));
    }
    let mut reader = source_reader(&source, start, len)
        .map_err(|e| OssError::internal(format!("reading the copy source failed: {e}")))?;
    let rec = receive(
        &mut reader,
        Some(len),
        len,
        destination(ctx, bucket),
        md5_needed(ctx, None),
    )?;
    let etag = keep_part(ctx, bucket, key, id, number, rec)?;
    Ok(xml_response(format!(
        "<CopyPartResult>\n  <LastModified>{}</LastModified>\n  <ETag>{etag}</ETag>\n</CopyPartResult>\n",
        iso8601_millis(ctx.now.saturating_mul(1000))
    )))
}

/// The source bucket and key of `x-oss-copy-source: /bucket/url-encoded-key`. A version
/// (`?versionId=`) other than `null` is 501 NotImplemented: the emulator keeps no versions.
fn copy_source(ctx: &Ctx) -> Result<(String, String), OssError> {
    let value = ctx.header(SOURCE).unwrap_or("");
    check_echoed_value(SOURCE, value)?;
    let invalid = || {
        OssError::invalid_argument_named(
            "Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.",
            SOURCE,
            value,
        )
    };
    let (path, query) = match value.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (value, None),
    };
    // The one version the emulator has is `null`, as for `?versionId=` elsewhere.
    if let Some(query) = query.filter(|q| *q != "versionId=null") {
        return Err(OssError::not_implemented(&format!(
            "Object versions ({SOURCE} with ?{query})"
        )));
    }
    let path = percent_decode(path);
    let path = String::from_utf8(path).map_err(|_| invalid())?;
    let (bucket, key) = path
        .strip_prefix('/')
        .and_then(|p| p.split_once('/'))
        .ok_or_else(invalid)?;
    if bucket.is_empty() || key.is_empty() {
        return Err(invalid());
    }
    Ok((bucket.to_owned(), key.to_owned()))
}

/// `bytes=first-last` or `bytes=first-` within an object of `size` bytes: the start and length
/// to copy (an end past the object is cut to it). Anything else, or a start past the end, is
/// OSS's 400 InvalidArgument naming the header.
fn copy_range(value: &str, size: u64) -> Result<(u64, u64), OssError> {
    let invalid = || {
        OssError::invalid_argument_named(
            "The x-oss-copy-source-range is invalid: use bytes=first-last within the source object.",
            RANGE,
            value,
        )
    };
    let spec = value.trim().strip_prefix("bytes=").ok_or_else(invalid)?;
    let (first, last) = spec.split_once('-').ok_or_else(invalid)?;
    let first: u64 = first.trim().parse().map_err(|_| invalid())?;
    let last = match last.trim() {
        "" => size.saturating_sub(1),
        text => text.parse::<u64>().map_err(|_| invalid())?,
    };
    if first > last || first >= size {
        return Err(invalid());
    }
    let last = last.min(size - 1);
    Ok((first, last - first + 1))
}

/// A reader of `len` bytes of the stored object from `start`.
fn source_reader(source: &StoredObject, start: u64, len: u64) -> io::Result<Box<dyn Read + '_>> {
    match &source.data {
        ObjectData::Memory(bytes) => {
            let from = usize::try_from(start)
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            let to = usize::try_from(start + len)
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            Ok(Box::new(&bytes[from..to]))
        }
        ObjectData::File(path) => {
            let mut file = File::open(path)?;
            file.seek(SeekFrom::Start(start))?;
            Ok(Box::new(file.take(len)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_cut_to_the_object_and_bad_ones_refused() {
        assert_eq!(copy_range("bytes=0-9", 100).unwrap(), (0, 10));
        assert_eq!(copy_range("bytes=90-200", 100).unwrap(), (90, 10));
        assert_eq!(copy_range("bytes=0-", 100).unwrap(), (0, 100));
        assert_eq!(copy_range("bytes=99-99", 100).unwrap(), (99, 1));
        for bad in [
            "bytes=100-120",
            "bytes=5-2",
            "bytes=a-3",
            "0-3",
            "bytes=-3",
            "bytes=0-0,2-3",
        ] {
            let error = copy_range(bad, 100).unwrap_err();
            assert_eq!(error.status, 400, "{bad}");
            assert_eq!(error.code, "InvalidArgument", "{bad}");
        }
    }
}
