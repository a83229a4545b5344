//! UploadPart: `PUT ?partNumber=N&uploadId=...`, one part's bytes streamed with their CRC-64
//! checked against OSS's.

use crate::client::Client;
use crate::error::Error;
use crate::object::{ObjectRequest, Verb, declare, header, set_parameter};
use crate::operation::Operation;
use crate::put_object::{Body, ProgressFn};

/// The largest part OSS takes: 5 GiB.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// Part numbers run from 1 to this.
pub const MAX_PART_NUMBER: u32 = 10_000;

/// What UploadPart returns: the part's ETag, to list in CompleteMultipartUpload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPartResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    pub part_number: u32,
    /// `ETag` without its quotes.
    pub etag: String,
    /// `x-oss-hash-crc64ecma` of the part, 0 when absent.
    pub crc64: u64,
    pub version_id: String,
}

impl UploadPartResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

impl Client {
    /// Uploads part `part_number` of the upload `request.upload_id` from `body` (bytes, a file,
    /// a file range or a reader), streamed, never loaded whole. The CRC-64 of the bytes sent is
    /// checked against OSS's when the client enables CRC-64 (`ClientError:100001` otherwise).
    /// With `request.compute_content_md5` the part's Content-MD5 is computed and sent (a second
    /// read of the body); a `Content-MD5` header is sent as given. `progress` sees
    /// `(increment, sent, part size)` and may stop the upload.
    ///
    /// # Errors
    /// The SDK's `ValidateError` before anything is sent for a part number outside 1..=10000
    /// ("PartNumber should not be less than 1 or greater than 10000.") or a part over 5 GiB
    /// ("PartSize should not be less than 100*1024 or greater than 5*1024*1024*1024."; OSS,
    /// not the client, enforces the 100 KiB minimum, and only for parts that are not last).
    pub fn upload_part<'a>(
        &self,
        request: &ObjectRequest,
        part_number: u32,
        body: &mut Body<'a>,
        progress: Option<&mut ProgressFn<'a>>,
    ) -> Result<UploadPartResult, Error> {
        let declared = declare(request, Verb::UploadPart, "PUT")?;
        check_part_number(part_number)?;
        if declared_length(body).is_some_and(|length| length > MAX_PART_SIZE) {
            return Err(part_size_error());
        }
        let mut parameters = request.parameters.clone();
        set_parameter(
            &mut parameters,
            "partNumber",
            Some(&part_number.to_string()),
        );
        set_parameter(&mut parameters, "uploadId", request.upload_id.as_deref());
        let mut headers = declared.headers.clone();
        // The SDK sends a part with no Content-Type (signed as empty) rather than the
        // `application/xml` every other request gets.
        if request.header("content-type").is_none() {
            headers.push(("Content-Type".to_owned(), String::new()));
        }
        let response = self.invoke(Operation {
            parameters: &parameters,
            headers,
            body: Some(body),
            compute_content_md5: request.compute_content_md5,
            progress,
            check_crc64: true,
            ..declared
        })?;
        Ok(UploadPartResult {
            http_status: response.status,
            request_id: header(&response, "x-oss-request-id"),
            part_number,
            etag: header(&response, "etag").trim_matches('"').to_owned(),
            crc64: header(&response, "x-oss-hash-crc64ecma")
                .parse()
                .unwrap_or(0),
            version_id: header(&response, "x-oss-version-id"),
            headers: response.headers,
        })
    }
}

/// The SDK's part-number rule, shared by UploadPart and UploadPartCopy.
pub(super) fn check_part_number(part_number: u32) -> Result<(), Error> {
    if (1..=MAX_PART_NUMBER).contains(&part_number) {
        Ok(())
    } else {
        Err(Error::validate(
            "PartNumber should not be less than 1 or greater than 10000.",
        ))
    }
}

/// The SDK's error for a part over 5 GiB, shared by UploadPart and UploadPartCopy.
pub(super) fn part_size_error() -> Error {
    Error::validate("PartSize should not be less than 100*1024 or greater than 5*1024*1024*1024.")
}

/// The part's size as far as it is known before sending; a file that cannot be read is left
/// to the pipeline, which says why.
fn declared_length(body: &Body<'_>) -> Option<u64> {
    match body {
        Body::Bytes(bytes) => Some(bytes.len() as u64),
        Body::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
        Body::FileRange { length, .. } => Some(*length),
        Body::Reader { length, .. } => Some(*length),
    }
}
