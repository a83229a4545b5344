//! Multipart upload, each operation a declaration on the client's pipeline plus a reader of its
//! reply, taking an [`ObjectRequest`](crate::object::ObjectRequest) as the object basics do
//! (`upload_id`, `sequential` and `compute_content_md5` are read only by the operations that
//! use them). Results carry the HTTP status, the request id and every reply header.
//!
//! - `initiate`: InitiateMultipartUpload
//! - `upload_part`: UploadPart, with the SDK's part number and size rules
//! - `upload_part_copy`: UploadPartCopy, a part copied by OSS from an object it holds
//! - `complete`: CompleteMultipartUpload (part list or complete-all, upload callback) and
//!   AbortMultipartUpload
//! - `list_parts`: ListParts
//! - `list_uploads`: ListMultipartUploads

mod complete;
mod initiate;
mod list_parts;
mod list_uploads;
mod upload_part;
mod upload_part_copy;

pub(crate) use complete::parse_complete;
pub use complete::{AbortMultipartUploadResult, CompleteMultipartUploadResult, CompleteParts};
pub use initiate::InitiateMultipartUploadResult;
pub(crate) use initiate::parse_initiate;
pub(crate) use list_parts::parse_list_parts;
pub use list_parts::{ListPartsResult, Part};
pub(crate) use list_uploads::parse_uploads;
pub use list_uploads::{ListMultipartUploadsResult, MultipartUpload};
pub use upload_part::UploadPartResult;
pub(crate) use upload_part::{MAX_PART_NUMBER, MAX_PART_SIZE};
pub(crate) use upload_part_copy::parse_copy_part;
pub use upload_part_copy::{CopySource, UploadPartCopyResult};

use crate::error::{Error, ErrorKind};
use crate::http::Response;
use crate::object::{header, leading_integer, url_decoded_if};

/// The SDK's error for a 2xx reply it cannot read (its code and message differ per
/// operation), with the reply's status, request id and body kept for the caller.
fn unreadable_reply(response: Response, code: &str, message: &str) -> Error {
    let mut error = Error::new(ErrorKind::Parse, code, message);
    error.http_status = response.status;
    error.request_id = header(&response, "x-oss-request-id");
    error.body = response.body;
    error
}

/// Whether a reply's `EncodingType` asks for URL-decoded names (the SDK tests the prefix).
fn is_url(encoding_type: &str) -> bool {
    encoding_type
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("url"))
}

/// `strtoul`'s reading of a count, kept to `u32` as the SDK's fields are (0 when out of range).
fn leading_u32(text: &str) -> u32 {
    u32::try_from(leading_integer(text)).unwrap_or(0)
}

/// tinyxml2's `QueryBoolText`: a leading integer is true when non-zero, else only `true` is.
fn xml_bool(text: &str) -> bool {
    let trimmed = text.trim_start();
    let digits = trimmed.trim_start_matches(['-', '+']);
    if digits.starts_with(|c: char| c.is_ascii_digit()) {
        leading_integer(trimmed) != 0
    } else {
        text == "true"
    }
}

fn decoded(url: bool, text: &str) -> String {
    url_decoded_if(url, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_read_as_tinyxml2_reads_them() {
        for (text, expected) in [
            ("true", true),
            ("false", false),
            ("1", true),
            ("0", false),
            ("-3", true),
            ("", false),
            ("True", false),
        ] {
            assert_eq!(xml_bool(text), expected, "{text:?}");
        }
    }

    #[test]
    fn counts_read_as_strtoul_within_u32() {
        assert_eq!(leading_u32("1000"), 1000);
        assert_eq!(leading_u32("12abc"), 12);
        assert_eq!(leading_u32("x"), 0);
        assert_eq!(leading_u32("-1"), 0);
        assert_eq!(leading_u32("99999999999"), 0);
    }

    #[test]
    fn url_encoding_is_recognised_by_its_prefix() {
        assert!(is_url("url"));
        assert!(is_url("URL"));
        assert!(!is_url("ur"));
        assert!(!is_url(""));
    }
}
