//! The one response object every operation beyond PutObject returns, for C: status, request id,
//! headers, body, and the operation's parsed values as named fields and lists.

use std::ffi::{CString, c_char};
use std::fmt::Display;

use super::boundary::{ffi_boundary, free_raw, try_out, try_ref, try_str};
use super::result::ossffi_result;
use super::strings::{c_string, pair_at};

/// What a successful operation answered: the HTTP status, OSS's request id, every reply
/// header, the body (GetObject without an output), and the values the operation parsed, by
/// their OSS names (`ossffi_response_field`) and as lists of records
/// (`ossffi_response_list_len`, `ossffi_response_list_field`).
///
/// The caller owns it and frees it with `ossffi_response_free`; every string and the body belong
/// to it and stay valid until then. Single-thread object that may move between threads.
#[allow(non_camel_case_types)]
pub struct ossffi_response {
    http_status: u16,
    request_id: CString,
    headers: Vec<(CString, CString)>,
    body: Vec<u8>,
    fields: Record,
    lists: Vec<(&'static str, Vec<Record>)>,
}

/// Named values, in the order the operation lists them.
type Record = Vec<(&'static str, CString)>;

impl ossffi_response {
    pub(crate) fn new(http_status: u16, request_id: &str, headers: &[(String, String)]) -> Self {
        Self {
            http_status,
            request_id: c_string(request_id),
            headers: headers
                .iter()
                .map(|(name, value)| (c_string(name), c_string(value)))
                .collect(),
            body: Vec::new(),
            fields: Vec::new(),
            lists: Vec::new(),
        }
    }

    pub(crate) fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    pub(crate) fn field(mut self, name: &'static str, value: impl Display) -> Self {
        self.fields.push((name, c_string(&value.to_string())));
        self
    }

    /// Adds list `name`, one record per item, each made by `record` as `(field, value)` pairs.
    pub(crate) fn list<T, const N: usize>(
        mut self,
        name: &'static str,
        items: &[T],
        record: impl Fn(&T) -> [(&'static str, String); N],
    ) -> Self {
        let records = items
            .iter()
            .map(|item| {
                record(item)
                    .into_iter()
                    .map(|(field, value)| (field, c_string(&value)))
                    .collect()
            })
            .collect();
        self.lists.push((name, records));
        self
    }

    fn find_list(&self, name: &str) -> Option<&[Record]> {
        self.lists
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, records)| records.as_slice())
    }
}

fn find<'r>(record: &'r Record, name: &str) -> Option<&'r CString> {
    record
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// Frees a response. NULL is a no-op; its strings and body become invalid.
///
/// # Safety
/// `response` is NULL or a response from ossffi not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_free(response: *mut ossffi_response) {
    ffi_boundary! { unsafe { free_raw(response) } }
}

/// The HTTP status of the reply (200, 204, 206 for a Range), or 0 if `response` is NULL.
///
/// # Safety
/// `response` is NULL or a live response.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_http_status(response: *const ossffi_response) -> u32 {
    ffi_boundary! { u32::from(try_ref!(response).http_status) }
}

/// OSS's request id (`x-oss-request-id`), "" if the reply had none, NULL if `response` is NULL.
/// Belongs to the response.
///
/// # Safety
/// `response` is NULL or a live response.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_request_id(
    response: *const ossffi_response,
) -> *const c_char {
    ffi_boundary! { try_ref!(response).request_id.as_ptr() }
}

/// The value of reply header `name` (case-insensitive; the first if repeated), or NULL if the
/// reply had no such header or an argument is NULL or not UTF-8. User metadata is here, as
/// `x-oss-meta-<name>`. Belongs to the response.
///
/// # Safety
/// `response` is NULL or a live response; `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_header(
    response: *const ossffi_response,
    name: *const c_char,
) -> *const c_char {
    ffi_boundary! {
        let response = try_ref!(response);
        let name = try_str!(name);
        response
            .headers
            .iter()
            .find(|(n, _)| n.to_bytes().eq_ignore_ascii_case(name.as_bytes()))
            .map_or(std::ptr::null(), |(_, value)| value.as_ptr())
    }
}

/// How many headers the reply had (0 if `response` is NULL); read each with
/// `ossffi_response_header_at`.
///
/// # Safety
/// `response` is NULL or a live response.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_header_count(response: *const ossffi_response) -> usize {
    ffi_boundary! { try_ref!(response).headers.len() }
}

/// The reply's header number `index` (from 0, in the order received): writes its name to
/// `*name_out` and its value to `*value_out` (both belong to the response). An `index` not below
/// `ossffi_response_header_count` returns `OSSFFI_RESULT_INVALID_ARGUMENT`; on any failure both
/// outputs are NULL.
///
/// # Safety
/// `response` is NULL or a live response; `name_out` and `value_out` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_header_at(
    response: *const ossffi_response,
    index: usize,
    name_out: *mut *const c_char,
    value_out: *mut *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let name_out = try_out!(name_out);
        let value_out = try_out!(value_out);
        let response = try_ref!(response);
        unsafe { pair_at(&response.headers, index, name_out, value_out) }
    }
}

/// The body kept in the response: a GetObject's bytes when the request set no output file or
/// callback, or the callback server's reply to a CompleteMultipartUpload or ResumableUploadObject
/// with an upload callback.
/// Returns a pointer to the bytes and writes their number to `*len_out` (`len_out` may
/// be NULL). For every other response the body is empty: length 0 and a pointer that is not
/// NULL but must not be read. NULL and 0 if `response` is NULL. Not NUL-terminated; belongs to
/// the response.
///
/// # Safety
/// `response` is NULL or a live response; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_body(
    response: *const ossffi_response,
    len_out: *mut usize,
) -> *const u8 {
    ffi_boundary! {
        if !len_out.is_null() {
            unsafe { *len_out = 0 };
        }
        let response = try_ref!(response);
        if !len_out.is_null() {
            unsafe { *len_out = response.body.len() };
        }
        response.body.as_ptr()
    }
}

/// A value the operation parsed, by its OSS name (case-insensitive), as text; NULL if the
/// operation has no such field or an argument is NULL or not UTF-8. Belongs to the response.
///
/// - GetObject, HeadObject, GetObjectMeta: `ETag` (without quotes), `ContentLength` (decimal,
///   of the range for a ranged GetObject), `ContentType`, `LastModified` (RFC 1123), `CRC64`
///   (decimal, "0" when OSS sent none), `VersionId`, `ObjectType`, `StorageClass` ("" when the
///   reply did not say).
/// - DeleteObject: `DeleteMarker` ("true"/"false"), `VersionId`.
/// - ListObjects: `Name`, `Prefix`, `Marker`, `NextMarker`, `Delimiter`, `MaxKeys`,
///   `IsTruncated` ("true"/"false"), `EncodingType`; URL-decoded when the request set
///   `encoding-type=url`.
/// - DeleteObjects: `EncodingType`, `Quiet` ("true"/"false").
/// - CreateBucket, DeleteBucket, AbortMultipartUpload: none.
/// - InitiateMultipartUpload: `Bucket`, `Key`, `UploadId`, `EncodingType`.
/// - UploadPart: `PartNumber`, `ETag` (without quotes), `CRC64` (decimal), `VersionId`.
/// - CompleteMultipartUpload: `Bucket`, `Key`, `Location`, `ETag` (without quotes),
///   `EncodingType`, `CRC64` (decimal, of the whole object), `VersionId`.
/// - ListParts: `Bucket`, `Key`, `UploadId`, `EncodingType`, `PartNumberMarker`,
///   `NextPartNumberMarker`, `MaxParts`, `IsTruncated` ("true"/"false").
/// - ListMultipartUploads: `Bucket`, `EncodingType`, `Prefix`, `Delimiter`, `KeyMarker`,
///   `UploadIdMarker`, `NextKeyMarker`, `NextUploadIdMarker`, `MaxUploads`, `IsTruncated`.
/// - ResumableUploadObject: `ETag` (without quotes; `<hex>-<part count>` for a multipart
///   upload), `CRC64` (decimal, of the whole object), `VersionId`.
///
/// # Safety
/// `response` is NULL or a live response; `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_field(
    response: *const ossffi_response,
    name: *const c_char,
) -> *const c_char {
    ffi_boundary! {
        let response = try_ref!(response);
        let name = try_str!(name);
        find(&response.fields, name).map_or(std::ptr::null(), |value| value.as_ptr())
    }
}

/// How many records list `list` (case-insensitive) holds; 0 if the operation has no such list
/// or an argument is NULL or not UTF-8.
///
/// - ListObjects: `Contents` (one record per object) and `CommonPrefixes`.
/// - DeleteObjects: `Deleted` (empty in quiet mode).
/// - ListParts: `Part` (one record per part).
/// - ListMultipartUploads: `Upload` (one record per upload) and `CommonPrefixes`.
///
/// # Safety
/// `response` is NULL or a live response; `list` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_list_len(
    response: *const ossffi_response,
    list: *const c_char,
) -> usize {
    ffi_boundary! {
        let response = try_ref!(response);
        let list = try_str!(list);
        response.find_list(list).map_or(0, <[Record]>::len)
    }
}

/// Field `field` of record `index` (from 0) of list `list`, as text (names case-insensitive);
/// NULL if there is no such list, record or field, or an argument is NULL or not UTF-8.
/// Belongs to the response.
///
/// - ListObjects `Contents`: `Key`, `ETag` (without quotes), `Size` (decimal), `LastModified`,
///   `StorageClass`, `Type`, `OwnerID`, `OwnerDisplayName`, `RestoreInfo`; `CommonPrefixes`:
///   `Prefix`. Keys and prefixes are URL-decoded when the request set `encoding-type=url`.
/// - DeleteObjects `Deleted`: `Key` (URL-decoded when the reply was URL-encoded).
/// - ListParts `Part`: `PartNumber`, `ETag` (without quotes), `Size` (decimal), `LastModified`,
///   `HashCrc64ecma` (decimal, "0" when absent).
/// - ListMultipartUploads `Upload`: `Key`, `UploadId`, `Initiated`; `CommonPrefixes`: `Prefix`.
///
/// # Safety
/// `response` is NULL or a live response; `list` and `field` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_response_list_field(
    response: *const ossffi_response,
    list: *const c_char,
    index: usize,
    field: *const c_char,
) -> *const c_char {
    ffi_boundary! {
        let response = try_ref!(response);
        let list = try_str!(list);
        let field = try_str!(field);
        response
            .find_list(list)
            .and_then(|records| records.get(index))
            .and_then(|record| find(record, field))
            .map_or(std::ptr::null(), |value| value.as_ptr())
    }
}
