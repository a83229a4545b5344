//! The one request object every operation beyond PutObject takes, for C.

use std::ffi::{c_char, c_void};
use std::path::PathBuf;

use super::boundary::{ffi_boundary, free_raw, into_raw, try_mut, try_out, try_str};
use super::put::{ProgressCallback, RequestBody, ossffi_progress_fn};
use super::result::ossffi_result;
use crate::error::Error;
use crate::multipart::CopySource;
use crate::object::{DataRedundancyType, ObjectRequest, StorageClass};

/// Receives a downloaded body as it arrives: `len` bytes at `data` (valid only during the call).
/// Return 0 to go on, non-zero to stop the download (`OSSFFI_RESULT_ABORTED_BY_CALLBACK`). Called
/// only for a successful (2xx) reply, never with an error reply's body. Runs on the calling
/// thread, during `ossffi_client_get_object`; it must not unwind (throw) into ossffi.
#[allow(non_camel_case_types)]
pub type ossffi_write_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, data: *const u8, len: usize) -> i32>;

/// Where GetObject puts the object's bytes.
pub(crate) enum Output {
    /// In the response, read with `ossffi_response_body`.
    Memory,
    File(PathBuf),
    Callback {
        write: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> i32,
        userdata: *mut c_void,
    },
}

/// What an operation is asked to do: bucket, key (none for a bucket operation), headers,
/// query parameters, and the settings only some operations read (a Range, an output, keys to
/// delete, a storage class, an upload id, a part's number and body, a part list, a checkpoint
/// directory, ...). One request type serves every operation beyond PutObject.
///
/// A request is not consumed: it may be sent again, or to another operation. Giving an
/// operation a setting it does not read fails that call with `OSSFFI_RESULT_INVALID_ARGUMENT`
/// and an error naming the setting and the operation; nothing is silently ignored.
///
/// Single-thread object: use it from one thread at a time (it may move between threads).
/// Create with `ossffi_request_new`, free with `ossffi_request_free`.
#[allow(non_camel_case_types)]
pub struct ossffi_request {
    pub(crate) inner: ObjectRequest,
    pub(crate) output: Output,
    pub(crate) progress: ProgressCallback,
    /// UploadPart's body and part number.
    pub(crate) body: RequestBody,
    pub(crate) part_number: Option<u32>,
    /// CompleteMultipartUpload's parts: a list, or every part uploaded.
    pub(crate) parts: Vec<(u32, String)>,
    pub(crate) complete_all: bool,
    /// ResumableUploadObject's settings; `None` until set, so other verbs can refuse them.
    pub(crate) checkpoint_dir: Option<String>,
    pub(crate) part_size: Option<u64>,
    pub(crate) thread_num: Option<u32>,
    /// UploadPartCopy's source and its byte range; `None` until set.
    pub(crate) copy_source: Option<CopySource>,
    pub(crate) copy_source_range: Option<(u64, u64)>,
}

impl ossffi_request {
    fn wrapping(inner: ObjectRequest) -> Self {
        Self {
            inner,
            output: Output::Memory,
            progress: ProgressCallback::NONE,
            body: RequestBody::Empty,
            part_number: None,
            parts: Vec::new(),
            complete_all: false,
            checkpoint_dir: None,
            part_size: None,
            thread_num: None,
            copy_source: None,
            copy_source_range: None,
        }
    }

    /// Calls `send` with the request's body and progress callback as the core takes them
    /// (UploadPart, PutObjectByUrl).
    pub(crate) fn with_body<T>(
        &self,
        send: impl for<'a> FnOnce(
            &mut crate::put_object::Body<'a>,
            Option<&mut crate::put_object::ProgressFn<'a>>,
        ) -> Result<T, Error>,
    ) -> Result<T, Error> {
        // SAFETY: the caller keeps the progress callback valid for its userdata.
        let mut progress = unsafe { self.progress.as_core() };
        let progress = progress
            .as_mut()
            .map(|p| p as &mut crate::put_object::ProgressFn<'_>);
        let mut reader = self.body.reader()?;
        // SAFETY: the caller keeps a borrowed buffer valid.
        let mut body = unsafe { self.body.as_core(reader.as_mut()) };
        send(&mut body, progress)
    }

    /// Refuses the C-side settings (output, progress, body, part number, parts, checkpoint
    /// directory, part size, thread count, copy source and range) an operation that does not read them would ignore;
    /// the core checks the rest.
    pub(crate) fn check_c_settings(&self, operation: &str) -> Result<(), Error> {
        let refuse = |setting: &str, only: &str| {
            Err(Error::invalid_argument(format!(
                "{operation} does not take {setting}; only {only}"
            )))
        };
        if !matches!(operation, "GetObject" | "GetObjectByUrl") {
            const ONLY: &str = "GetObject and GetObjectByUrl do";
            match self.output {
                Output::File(_) => return refuse("an output file", ONLY),
                Output::Callback { .. } => return refuse("an output callback", ONLY),
                Output::Memory => {}
            }
        }
        if self.progress.is_set()
            && !matches!(
                operation,
                "GetObject"
                    | "UploadPart"
                    | "ResumableUploadObject"
                    | "PutObjectByUrl"
                    | "GetObjectByUrl"
            )
        {
            return refuse(
                "a progress callback",
                "GetObject, UploadPart, ResumableUploadObject, PutObjectByUrl and GetObjectByUrl do",
            );
        }
        if !matches!(self.body, RequestBody::Empty)
            && !matches!(
                operation,
                "UploadPart" | "ResumableUploadObject" | "PutObjectByUrl"
            )
        {
            return refuse(
                "a body",
                "UploadPart, ResumableUploadObject and PutObjectByUrl do",
            );
        }
        if !matches!(operation, "UploadPart" | "UploadPartCopy") && self.part_number.is_some() {
            return refuse("a part number", "UploadPart and UploadPartCopy do");
        }
        if operation != "UploadPartCopy" {
            if self.copy_source.is_some() {
                return refuse("a copy source", "UploadPartCopy does");
            }
            if self.copy_source_range.is_some() {
                return refuse("a copy source range", "UploadPartCopy does");
            }
        }
        if operation != "ResumableUploadObject" {
            if self.checkpoint_dir.is_some() {
                return refuse("a checkpoint directory", "ResumableUploadObject does");
            }
            if self.part_size.is_some() {
                return refuse("a part size", "ResumableUploadObject does");
            }
            if self.thread_num.is_some() {
                return refuse("a thread count", "ResumableUploadObject does");
            }
        }
        if operation != "CompleteMultipartUpload" {
            if !self.parts.is_empty() {
                return refuse("a part list", "CompleteMultipartUpload does");
            }
            if self.complete_all {
                return refuse("complete-all", "CompleteMultipartUpload does");
            }
        }
        Ok(())
    }
}

/// Creates a request for `key` in `bucket`; `key` is NULL for a bucket operation (ListObjects,
/// DeleteObjects, CreateBucket, DeleteBucket, ListMultipartUploads). An object operation given
/// a request without a key, or a bucket operation given one with a key, fails with
/// `OSSFFI_RESULT_INVALID_ARGUMENT`.
/// Both strings are copied; the names are checked when an operation runs (a bad bucket or key
/// then gives `OSSFFI_RESULT_VALIDATE_ERROR` with the C++ SDK's message).
///
/// Writes the request to `*request_out` (free it with `ossffi_request_free`); on failure
/// `*request_out` is NULL. Returns `OSSFFI_RESULT_NULL_PARAMETER` for a NULL `bucket` or
/// `request_out`, `OSSFFI_RESULT_INVALID_UTF8` for a string that is not UTF-8.
///
/// # Safety
/// `bucket` and `key` are NULL or NUL-terminated; `request_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_new(
    bucket: *const c_char,
    key: *const c_char,
    request_out: *mut *mut ossffi_request,
) -> ossffi_result {
    ffi_boundary! {
        let request_out = try_out!(request_out);
        let bucket = try_str!(bucket);
        let key = if key.is_null() { None } else { Some(try_str!(key)) };
        unsafe { *request_out = into_raw(ossffi_request::wrapping(ObjectRequest::new(bucket, key))) };
        ossffi_result::Ok
    }
}

/// Creates a request for a presigned URL, for `ossffi_client_put_object_by_url` and
/// `ossffi_client_get_object_by_url` (the only operations that take one). The URL is copied and
/// sent as given: its path and query are not re-encoded, because its signature covers them.
/// Give the request exactly the headers the URL was signed with (`Content-Type`,
/// `Content-MD5`, `x-oss-meta-*`, ...; none when none were signed) with
/// `ossffi_request_set_header`; query parameters cannot be added.
///
/// A URL that cannot be sent (not `http://` or `https://`, no host, a space) fails the operation
/// with code `ClientError:200003`, as in the C++ SDK.
///
/// Writes the request to `*request_out` (free it with `ossffi_request_free`); on failure
/// `*request_out` is NULL. Returns `OSSFFI_RESULT_NULL_PARAMETER` for a NULL argument,
/// `OSSFFI_RESULT_INVALID_UTF8` for a URL that is not UTF-8.
///
/// # Safety
/// `url` is NULL or NUL-terminated; `request_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_new_url(
    url: *const c_char,
    request_out: *mut *mut ossffi_request,
) -> ossffi_result {
    ffi_boundary! {
        let request_out = try_out!(request_out);
        let url = try_str!(url);
        unsafe { *request_out = into_raw(ossffi_request::wrapping(ObjectRequest::for_url(url))) };
        ossffi_result::Ok
    }
}

/// Frees a request. NULL is a no-op. Callback userdata is not touched.
///
/// # Safety
/// `request` is NULL or a request from `ossffi_request_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_free(request: *mut ossffi_request) {
    ffi_boundary! { unsafe { free_raw(request) } }
}

/// Sets a header to send, replacing any header of that name (names are case-insensitive; the
/// first spelling is kept): `If-Match`, `If-None-Match`, `If-Modified-Since`,
/// `If-Unmodified-Since`, `x-oss-traffic-limit`, `x-oss-request-payer`, `x-oss-acl`, or any
/// other. Both strings are copied; a bad name or a value with a line break fails the operation
/// with `OSSFFI_RESULT_INVALID_ARGUMENT`. `Content-Length` and `Host` are the library's and
/// ignored.
///
/// # Safety
/// `request` is NULL or a live request; `name` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_header(
    request: *mut ossffi_request,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let name = try_str!(name);
        let value = try_str!(value);
        request.inner.set_header(name, value);
        ossffi_result::Ok
    }
}

/// Removes a header set earlier (case-insensitive); no error if it was not set.
///
/// # Safety
/// `request` is NULL or a live request; `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_remove_header(
    request: *mut ossffi_request,
    name: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let name = try_str!(name);
        request.inner.remove_header(name);
        ossffi_result::Ok
    }
}

/// Sets a query parameter: `prefix`, `marker`, `delimiter`, `max-keys`, `encoding-type`
/// (ListObjects); `versionId`, `x-oss-process`, `response-content-type` and the other
/// `response-*` overrides (GetObject); or any other. Parameters are kept sorted by name
/// (byte-wise, case-sensitive), as the C++ SDK's map keeps them; setting a name again replaces
/// its value. "" is sent as the bare name (`?prefix`); `value` NULL removes the parameter. Both
/// strings are copied.
///
/// # Safety
/// `request` is NULL or a live request; `name` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_parameter(
    request: *mut ossffi_request,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let name = try_str!(name);
        let value = if value.is_null() { None } else { Some(try_str!(value)) };
        request.inner.set_parameter(name, value);
        ossffi_result::Ok
    }
}

/// GetObject: asks for bytes `start` to `end` inclusive (`Range: bytes=start-end`); `end` -1
/// means to the end of the object. Non-zero `standard` adds `x-oss-range-behavior: standard`
/// (a range beyond the object is then an error instead of the whole object). A ranged download
/// is not CRC-64 checked, as in the C++ SDK. `start < 0`, `end < -1`, or `end` before `start`
/// returns `OSSFFI_RESULT_INVALID_ARGUMENT` and leaves the request unchanged.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_range(
    request: *mut ossffi_request,
    start: i64,
    end: i64,
    standard: u32,
) -> ossffi_result {
    ffi_boundary! {
        match try_mut!(request).inner.set_range(start, end, standard != 0) {
            Ok(()) => ossffi_result::Ok,
            Err(_) => ossffi_result::InvalidArgument,
        }
    }
}

/// GetObject: non-zero (the default) checks the CRC-64 of a whole-object download against
/// OSS's `x-oss-hash-crc64ecma` when the client configuration enables CRC-64
/// (`OSSFFI_RESULT_CRC_MISMATCH` on a difference); 0 skips the check. Other verbs refuse a
/// request whose check is turned off (`OSSFFI_RESULT_INVALID_ARGUMENT`).
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_check_crc64(
    request: *mut ossffi_request,
    enabled: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.check_crc64 = enabled != 0;
        ossffi_result::Ok
    }
}

/// GetObject and GetObjectByUrl: write the object to the file at `path` (copied) instead of keeping it in the
/// response. The bytes go to a temporary file beside it, renamed over `path` only when the whole
/// body arrived (and its CRC-64 matched); on any failure `path` is untouched. A `path` that
/// exists and is not a regular file (`/dev/null`, a FIFO) is written directly. Replaces an
/// output callback set earlier.
///
/// # Safety
/// `request` is NULL or a live request; `path` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_output_file(
    request: *mut ossffi_request,
    path: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let path = try_str!(path);
        request.output = Output::File(path.into());
        ossffi_result::Ok
    }
}

/// GetObject and GetObjectByUrl: hand the object's bytes to `write` as they arrive instead of keeping them in the
/// response (see `ossffi_write_fn`); `userdata` is passed to it unchanged and must stay valid
/// while the request may be sent. Replaces an output file set earlier; `write` NULL goes back
/// to keeping the body in the response. Once bytes reached `write`, a broken download is not
/// retried (they cannot be taken back).
///
/// # Safety
/// `request` is NULL or a live request; `write` is valid for `userdata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_output_callback(
    request: *mut ossffi_request,
    write: ossffi_write_fn,
    userdata: *mut c_void,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        request.output = match write {
            Some(write) => Output::Callback { write, userdata },
            None => Output::Memory,
        };
        ossffi_result::Ok
    }
}

/// GetObject, GetObjectByUrl, UploadPart, ResumableUploadObject and PutObjectByUrl: reports
/// download (GetObject, GetObjectByUrl) or upload progress to `progress` (NULL turns it off), with `userdata` passed unchanged; see
/// `ossffi_progress_fn` (and `ossffi_client_resumable_upload_object` for the threads that call
/// it there).
///
/// # Safety
/// `request` is NULL or a live request; `progress` is valid for `userdata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_progress(
    request: *mut ossffi_request,
    progress: ossffi_progress_fn,
    userdata: *mut c_void,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).progress = ProgressCallback::new(progress, userdata);
        ossffi_result::Ok
    }
}

/// DeleteObjects: adds a key to delete (copied); keys are sent in the order added.
///
/// # Safety
/// `request` is NULL or a live request; `key` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_add_key(
    request: *mut ossffi_request,
    key: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let key = try_str!(key);
        request.inner.keys.push(key.to_owned());
        ossffi_result::Ok
    }
}

/// DeleteObjects: non-zero asks OSS to list only the keys it failed to delete (quiet mode); 0
/// (the default) lists every deleted key.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_quiet(
    request: *mut ossffi_request,
    quiet: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.quiet = quiet != 0;
        ossffi_result::Ok
    }
}

/// CreateBucket: the bucket's storage class, `"Standard"` (the default), `"IA"`, `"Archive"` or
/// `"ColdArchive"`; any other name returns `OSSFFI_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// `request` is NULL or a live request; `storage_class` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_storage_class(
    request: *mut ossffi_request,
    storage_class: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        match try_str!(storage_class).parse::<StorageClass>() {
            Ok(class) => {
                request.inner.storage_class = Some(class);
                ossffi_result::Ok
            }
            Err(_) => ossffi_result::InvalidArgument,
        }
    }
}

/// CreateBucket: the bucket's data redundancy type, `"LRS"` (one zone) or `"ZRS"` (across
/// zones); any other name returns `OSSFFI_RESULT_INVALID_ARGUMENT`. Not sent unless set.
///
/// # Safety
/// `request` is NULL or a live request; `data_redundancy_type` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_data_redundancy_type(
    request: *mut ossffi_request,
    data_redundancy_type: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        match try_str!(data_redundancy_type).parse::<DataRedundancyType>() {
            Ok(kind) => {
                request.inner.data_redundancy = Some(kind);
                ossffi_result::Ok
            }
            Err(_) => ossffi_result::InvalidArgument,
        }
    }
}
