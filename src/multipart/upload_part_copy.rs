//! UploadPartCopy: `PUT ?partNumber=N&uploadId=...` with no body and an `x-oss-copy-source`
//! header; OSS copies the part from an object it already holds (whole or a byte range).

use super::upload_part::{MAX_PART_SIZE, check_part_number, part_size_error};
use crate::client::{Client, validate_bucket, validate_key};
use crate::error::Error;
use crate::object::{ObjectRequest, Verb, declare, header, set_parameter};
use crate::operation::Operation;

/// The object a part is copied from. The source's conditions are headers of the request
/// (`x-oss-copy-source-if-match`, `-if-none-match`, `-if-modified-since`,
/// `-if-unmodified-since`), as are `x-oss-traffic-limit` and `x-oss-request-payer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySource {
    pub bucket: String,
    pub key: String,
    /// Copies this version of the source (`?versionId=` in `x-oss-copy-source`).
    pub version_id: Option<String>,
    /// The bytes `begin` to `end` inclusive of the source (`x-oss-copy-source-range`); `None`
    /// copies the whole object. As the SDK writes it, an `end` of 0 is left open
    /// (`bytes=begin-`), which its check lets through only for `begin` 0.
    pub range: Option<(u64, u64)>,
}

impl CopySource {
    pub fn new(bucket: &str, key: &str) -> Self {
        Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            version_id: None,
            range: None,
        }
    }

    /// `x-oss-copy-source`: `/bucket/` then the key URL-encoded with `/` as `%2F` (the SDK's
    /// `UrlEncode`), then `?versionId=` and the version as given.
    pub fn header_value(&self) -> String {
        let mut value = format!(
            "/{}/{}",
            self.bucket,
            crate::encoding::uri_encode(&self.key, false)
        );
        if let Some(version) = self.version_id.as_deref().filter(|v| !v.is_empty()) {
            value.push_str("?versionId=");
            value.push_str(version);
        }
        value
    }

    /// `x-oss-copy-source-range`, when a range is set.
    pub fn range_value(&self) -> Option<String> {
        self.range.map(|(begin, end)| {
            if end > 0 {
                format!("bytes={begin}-{end}")
            } else {
                format!("bytes={begin}-")
            }
        })
    }
}

/// What UploadPartCopy returns: the part's ETag, to list in CompleteMultipartUpload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPartCopyResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    pub part_number: u32,
    /// `CopyPartResult/ETag` without its quotes ("" when the reply cannot be read: the SDK does
    /// not report that).
    pub etag: String,
    /// `CopyPartResult/LastModified` as OSS wrote it (ISO 8601).
    pub last_modified: String,
    /// `x-oss-copy-source-version-id`: the version of the source that was copied.
    pub source_version_id: String,
}

impl UploadPartCopyResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

impl Client {
    /// Makes part `part_number` of the upload `request.upload_id` from `source` (the whole
    /// object or its range), copied by OSS: nothing but the request head is sent.
    ///
    /// # Errors
    /// The SDK's `ValidateError`, in its order, before anything is sent: the bucket and key,
    /// then the source's bucket and key (the same messages), a range whose end is before its
    /// start or that spans more than 5 GiB ("PartSize should not be less than 100*1024 or
    /// greater than 5*1024*1024*1024."), a part number outside 1..=10000. OSS answers a
    /// missing source with `NoSuchKey`, a failed source condition with `PreconditionFailed`.
    pub fn upload_part_copy(
        &self,
        request: &ObjectRequest,
        part_number: u32,
        source: &CopySource,
    ) -> Result<UploadPartCopyResult, Error> {
        let declared = declare(request, Verb::UploadPartCopy, "PUT")?;
        validate_bucket(&request.bucket)?;
        validate_key(request.key.as_deref().unwrap_or(""))?;
        validate_bucket(&source.bucket)?;
        validate_key(&source.key)?;
        if let Some((begin, end)) = source.range
            && (end < begin || end - begin >= MAX_PART_SIZE)
        {
            return Err(part_size_error());
        }
        check_part_number(part_number)?;
        let mut parameters = request.parameters.clone();
        set_parameter(
            &mut parameters,
            "partNumber",
            Some(&part_number.to_string()),
        );
        set_parameter(&mut parameters, "uploadId", request.upload_id.as_deref());
        let mut headers = declared.headers.clone();
        crate::headers::set(&mut headers, "x-oss-copy-source", &source.header_value());
        match source.range_value() {
            Some(range) => crate::headers::set(&mut headers, "x-oss-copy-source-range", &range),
            None => crate::headers::remove(&mut headers, "x-oss-copy-source-range"),
        }
        let response = self.invoke(Operation {
            parameters: &parameters,
            headers,
            ..declared
        })?;
        let (etag, last_modified) = parse_copy_part(&response.body);
        Ok(UploadPartCopyResult {
            http_status: response.status,
            request_id: header(&response, "x-oss-request-id"),
            part_number,
            etag,
            last_modified,
            source_version_id: header(&response, "x-oss-copy-source-version-id"),
            headers: response.headers,
        })
    }
}

/// The ETag and LastModified of a `CopyPartResult`. As the SDK: a reply it cannot read is a
/// success with empty fields.
pub(crate) fn parse_copy_part(body: &[u8]) -> (String, String) {
    crate::xml_tree::parse(body)
        .ok()
        .filter(|root| root.name == "CopyPartResult")
        .map(|root| {
            (
                root.child_text("ETag").trim_matches('"').to_owned(),
                root.child_text("LastModified").to_owned(),
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_header_encodes_the_key_slashes_included_and_adds_the_version() {
        let mut source = CopySource::new("src-bkt", "dir/a b+c.txt");
        assert_eq!(source.header_value(), "/src-bkt/dir%2Fa%20b%2Bc.txt");
        source.version_id = Some("CAEQ".into());
        assert_eq!(
            source.header_value(),
            "/src-bkt/dir%2Fa%20b%2Bc.txt?versionId=CAEQ"
        );
    }

    #[test]
    fn a_range_ending_at_zero_is_left_open_as_the_sdk_writes_it() {
        let mut source = CopySource::new("b", "k");
        assert_eq!(source.range_value(), None);
        source.range = Some((100, 199));
        assert_eq!(source.range_value().as_deref(), Some("bytes=100-199"));
        source.range = Some((0, 0));
        assert_eq!(source.range_value().as_deref(), Some("bytes=0-"));
    }
}
