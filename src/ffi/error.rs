//! The error object network calls hand back through `ossffi_error **err_out`.

use std::ffi::{CString, c_char};

use super::boundary::{ffi_boundary, free_raw, into_raw, try_bytes, try_out, try_ref};
use super::result::ossffi_result;
use super::strings::c_string;
use crate::error::{Error, ErrorKind, ObjectStored};

/// Whether a failed upload left the object in the bucket: ossffi never leaves you guessing.
// Only C sees these values (functions return them as uint32_t); cbindgen exports the enum.
#[allow(non_camel_case_types, dead_code)]
#[repr(u32)]
pub enum ossffi_object_stored {
    /// Nothing was stored.
    No = 0,
    /// The object is in the bucket (for example: the upload callback failed, HTTP 203).
    Yes = 1,
    /// The request may have reached OSS before the connection broke: check with a HEAD request.
    Unknown = 2,
}

/// Everything known about a failure, for calls that talk to the network. It mirrors the C++
/// SDK's `OssError` (`Code()`, `Message()`, `RequestId()`, `Host()`) and adds the result
/// category, the HTTP status, OSS's EC code, the raw reply and whether the object was stored.
///
/// The caller owns it and frees it with `ossffi_error_free`. Its strings belong to it. It is a
/// single-thread object that may move between threads.
#[allow(non_camel_case_types)]
pub struct ossffi_error {
    inner: Error,
    code: CString,
    message: CString,
    request_id: CString,
    host_id: CString,
    ec: CString,
}

impl ossffi_error {
    pub(crate) fn new(inner: Error) -> Self {
        Self {
            code: c_string(&inner.code),
            message: c_string(&inner.message),
            request_id: c_string(&inner.request_id),
            host_id: c_string(&inner.host_id),
            ec: c_string(&inner.ec),
            inner,
        }
    }
}

pub(crate) fn result_for(kind: ErrorKind) -> ossffi_result {
    match kind {
        ErrorKind::InvalidArgument => ossffi_result::InvalidArgument,
        ErrorKind::InvalidConfig => ossffi_result::InvalidConfig,
        ErrorKind::Validate => ossffi_result::ValidateError,
        ErrorKind::Credentials => ossffi_result::Credentials,
        ErrorKind::Io => ossffi_result::Io,
        ErrorKind::Connect => ossffi_result::Connect,
        ErrorKind::Timeout => ossffi_result::Timeout,
        ErrorKind::Tls => ossffi_result::Tls,
        ErrorKind::Transport => ossffi_result::Transport,
        ErrorKind::Server => ossffi_result::ServerError,
        ErrorKind::CallbackFailed => ossffi_result::CallbackFailed,
        ErrorKind::CrcMismatch => ossffi_result::CrcMismatch,
        ErrorKind::Aborted => ossffi_result::AbortedByCallback,
        ErrorKind::Cancelled => ossffi_result::Cancelled,
        ErrorKind::Parse => ossffi_result::ParseError,
        ErrorKind::CallbackSignatureMalformed => ossffi_result::CallbackSignatureMalformed,
        ErrorKind::CallbackKeyUrlNotAllowed => ossffi_result::CallbackKeyUrlNotAllowed,
        ErrorKind::CallbackKeyFetchFailed => ossffi_result::CallbackKeyFetchFailed,
        ErrorKind::CallbackKeyMalformed => ossffi_result::CallbackKeyMalformed,
        ErrorKind::CallbackSignatureMismatch => ossffi_result::CallbackSignatureMismatch,
    }
}

/// Hands an error to C through an optional `err_out` and returns its result code.
///
/// # Safety
/// `err_out` is NULL or points to writable storage for a pointer.
pub(crate) unsafe fn report(error: Error, err_out: *mut *mut ossffi_error) -> ossffi_result {
    let code = result_for(error.kind);
    if !err_out.is_null() {
        unsafe { *err_out = into_raw(ossffi_error::new(error)) };
    }
    code
}

/// Clears an optional `err_out` at the start of a call, so it reads NULL on success.
///
/// # Safety
/// `err_out` is NULL or points to writable storage for a pointer.
pub(crate) unsafe fn clear(err_out: *mut *mut ossffi_error) {
    if !err_out.is_null() {
        unsafe { *err_out = std::ptr::null_mut() };
    }
}

/// Frees an error. NULL is a no-op; its strings become invalid.
///
/// # Safety
/// `error` is NULL or an error from ossffi not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_free(error: *mut ossffi_error) {
    ffi_boundary! { unsafe { free_raw(error) } }
}

/// The failure's category (an `ossffi_result`, never `OSSFFI_RESULT_OK`), the same value the
/// failing call returned; `OSSFFI_RESULT_NULL_PARAMETER` if `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_result(error: *const ossffi_error) -> ossffi_result {
    ffi_boundary! { result_for(try_ref!(error).inner.kind) }
}

/// The HTTP status of the server's reply, or 0 when there was no reply (connection failure,
/// validation error) or `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_http_status(error: *const ossffi_error) -> u32 {
    ffi_boundary! { u32::from(try_ref!(error).inner.http_status) }
}

/// The C++ SDK's `OssError::Code()`: OSS's error code (`AccessDenied`, `NoSuchBucket`,
/// `SignatureDoesNotMatch`, `CallbackFailed`, ...), or the SDK's client-side codes
/// (`ValidateError`, `ClientError:100001` for a CRC-64 mismatch, `ServerError:<status>` for an
/// error reply without a body, `ParseXMLError`, ...). NULL if `error` is NULL. The string belongs
/// to the error.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_code(error: *const ossffi_error) -> *const c_char {
    ffi_boundary! { try_ref!(error).code.as_ptr() }
}

/// A human-readable message: OSS's `Message`, or what went wrong on this side and how to fix it.
/// NULL if `error` is NULL. The string belongs to the error.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_message(error: *const ossffi_error) -> *const c_char {
    ffi_boundary! { try_ref!(error).message.as_ptr() }
}

/// OSS's request id (from the error body or the `x-oss-request-id` header), "" when unknown,
/// NULL if `error` is NULL. Quote it when asking Alibaba Cloud support. Belongs to the error.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_request_id(error: *const ossffi_error) -> *const c_char {
    ffi_boundary! { try_ref!(error).request_id.as_ptr() }
}

/// OSS's `HostId` (the C++ SDK's `OssError::Host()`), "" when unknown, NULL if `error` is NULL.
/// Belongs to the error.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_host_id(error: *const ossffi_error) -> *const c_char {
    ffi_boundary! { try_ref!(error).host_id.as_ptr() }
}

/// OSS's detailed error code (`EC`, such as `0002-00000040`), "" when absent, NULL if `error` is
/// NULL. Belongs to the error.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_ec(error: *const ossffi_error) -> *const c_char {
    ffi_boundary! { try_ref!(error).ec.as_ptr() }
}

/// The raw body of the server's error reply (usually OSS error XML): returns a pointer to its
/// bytes and writes their number to `*len_out`; NULL and 0 when there was no body. The bytes are
/// not NUL-terminated and belong to the error. `len_out` may be NULL.
///
/// # Safety
/// `error` is NULL or a live error; `len_out` is NULL or points to writable storage.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_body(
    error: *const ossffi_error,
    len_out: *mut usize,
) -> *const u8 {
    ffi_boundary! {
        if !len_out.is_null() {
            unsafe { *len_out = 0 };
        }
        let error = try_ref!(error);
        if error.inner.body.is_empty() {
            return std::ptr::null();
        }
        if !len_out.is_null() {
            unsafe { *len_out = error.inner.body.len() };
        }
        error.inner.body.as_ptr()
    }
}

/// Whether the object was stored despite the failure (an `ossffi_object_stored`):
/// `OSSFFI_OBJECT_STORED_YES` for a failed upload callback (HTTP 203) or a CRC-64 mismatch
/// after OSS accepted the bytes, `OSSFFI_OBJECT_STORED_UNKNOWN` when the connection broke after
/// the body was sent, `OSSFFI_OBJECT_STORED_NO` otherwise and when `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_object_stored(error: *const ossffi_error) -> u32 {
    ffi_boundary! {
        match try_ref!(error).inner.object_stored {
            ObjectStored::No => 0,
            ObjectStored::Yes => 1,
            ObjectStored::Unknown => 2,
        }
    }
}

/// Reads a failed reply that reached the program some other way (a presigned PUT sent with curl
/// or from a browser, a reply body kept by the caller) into an error, as ossffi reads its own:
/// the `Code`, `Message`, `RequestId`, `HostId` and `EC` of OSS's error XML; code
/// `ParseXMLError:<n>` with tinyxml2's error name (what the C++ SDK reports) for a body that is
/// not XML the SDK can read, `ParseXMLError` when its root element is not `Error`, and
/// `ServerError:<status>` for an empty body. A 203 (OSS's answer to an upload whose callback
/// failed) says the object was stored (`OSSFFI_OBJECT_STORED_YES`).
///
/// Writes the error to `*error_out` (free it with `ossffi_error_free`). Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` for a NULL `error_out` or a NULL `body` with a non-zero
/// `body_len`, `OSSFFI_RESULT_INVALID_ARGUMENT` for a status outside 100..=599.
///
/// # Safety
/// `body` is NULL or valid for `body_len` bytes; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_error_from_reply(
    http_status: u32,
    body: *const u8,
    body_len: usize,
    error_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        let error_out = try_out!(error_out);
        let body = try_bytes!(body, body_len);
        let Some(status) = u16::try_from(http_status).ok().filter(|s| (100..=599).contains(s)) else {
            return ossffi_result::InvalidArgument;
        };
        let error = crate::client::error_from_reply(status, body.to_vec());
        unsafe { *error_out = into_raw(ossffi_error::new(error)) };
        ossffi_result::Ok
    }
}
