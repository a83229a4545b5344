//! PutObject requests, the upload itself, and its result, for C.

use std::cell::Cell;
use std::ffi::{CString, c_char, c_void};

use super::boundary::{ffi_boundary, free_raw, into_raw, try_mut, try_out, try_ref, try_str};
use super::client::ossffi_client;
use super::error::{clear, ossffi_error, report};
use super::result::ossffi_result;
use super::strings::c_string;
use crate::error::Error;
use crate::http::BodyError;
use crate::put_object::{Body, BodyReader, PutObjectRequest, PutObjectResult};

/// Produces body bytes: write up to `capacity` bytes to `buffer`, store how many in `*written`
/// and return 0; `*written` = 0 means the body ended (it must not end before the content length
/// given with it: the upload then fails at once with `OSSFFI_RESULT_IO`). Storing more than
/// `capacity` in `*written` is a bug in the callback: the upload fails with `OSSFFI_RESULT_IO`
/// (`ClientError:200026`, the message naming both numbers). Return non-zero to
/// abort the upload (`OSSFFI_RESULT_ABORTED_BY_CALLBACK`). Runs on the uploading thread, during
/// `ossffi_client_put_object`; it must not unwind (throw) into ossffi.
#[allow(non_camel_case_types)]
pub type ossffi_read_fn = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        buffer: *mut u8,
        capacity: usize,
        written: *mut usize,
    ) -> i32,
>;

/// Goes back to the first byte of a body so a failed attempt can be retried; return 0 on
/// success, non-zero if it cannot (the upload then fails with the attempt's error). Runs on the
/// uploading thread.
#[allow(non_camel_case_types)]
pub type ossffi_rewind_fn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> i32>;

/// Reports progress after each chunk: bytes in this chunk, bytes so far in this attempt, and the
/// total (an upload's content length; a download's Content-Length, 0 when the reply has none).
/// An upload reports chunks handed to the connection, a download (`ossffi_client_get_object`)
/// chunks received. Return non-zero to cancel the transfer (`OSSFFI_RESULT_ABORTED_BY_CALLBACK`).
/// Runs on the calling thread, during the call that transfers, except for
/// `ossffi_client_resumable_upload_object`, whose workers call it from their own threads, one
/// call at a time (see there); it must not unwind (throw) into ossffi.
#[allow(non_camel_case_types)]
pub type ossffi_progress_fn = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        increment: u64,
        transferred: u64,
        total: u64,
    ) -> i32,
>;

/// A progress callback with its userdata, as a request keeps them.
#[derive(Clone, Copy)]
pub(crate) struct ProgressCallback {
    progress: ossffi_progress_fn,
    userdata: *mut c_void,
}

impl ProgressCallback {
    pub(crate) const NONE: Self = Self {
        progress: None,
        userdata: std::ptr::null_mut(),
    };

    pub(crate) fn new(progress: ossffi_progress_fn, userdata: *mut c_void) -> Self {
        Self { progress, userdata }
    }

    pub(crate) fn is_set(self) -> bool {
        self.progress.is_some()
    }

    /// Calls the C callback; `Err` with its code when it asked to stop, `Ok` when none is set.
    ///
    /// # Safety
    /// The callback is valid for its userdata.
    pub(crate) unsafe fn call(
        self,
        increment: u64,
        transferred: u64,
        total: u64,
    ) -> Result<(), i64> {
        let Some(progress) = self.progress else {
            return Ok(());
        };
        // SAFETY: the caller promised the callback is valid for `userdata`.
        match unsafe { progress(self.userdata, increment, transferred, total) } {
            0 => Ok(()),
            code => Err(i64::from(code)),
        }
    }

    /// The core's progress function, calling the C callback; `None` when none is set.
    ///
    /// # Safety
    /// The callback is valid for its userdata while the returned function is used.
    pub(crate) unsafe fn as_core(self) -> Option<impl FnMut(u64, u64, u64) -> Result<(), i64>> {
        let progress = self.progress?;
        let userdata = self.userdata;
        Some(move |increment: u64, transferred: u64, total: u64| {
            // SAFETY: the caller of `as_core` promised the callback is valid for `userdata`.
            let code = unsafe { progress(userdata, increment, transferred, total) };
            if code == 0 {
                Ok(())
            } else {
                Err(i64::from(code))
            }
        })
    }
}

/// A request's body as C set it: PutObject's, and UploadPart's on an `ossffi_request`.
pub(crate) enum RequestBody {
    Empty,
    Buffer {
        data: *const u8,
        len: usize,
    },
    File(std::path::PathBuf),
    FileRange {
        path: std::path::PathBuf,
        offset: u64,
        length: u64,
    },
    Callback(CallbackBody),
}

pub(crate) struct CallbackBody {
    read: unsafe extern "C" fn(*mut c_void, *mut u8, usize, *mut usize) -> i32,
    rewind: ossffi_rewind_fn,
    userdata: *mut c_void,
    length: u64,
    /// A callback body already read by an earlier upload of this request must rewind first.
    used: Cell<bool>,
}

impl CallbackBody {
    pub(crate) fn new(
        read: unsafe extern "C" fn(*mut c_void, *mut u8, usize, *mut usize) -> i32,
        rewind: ossffi_rewind_fn,
        userdata: *mut c_void,
        length: u64,
    ) -> Self {
        Self {
            read,
            rewind,
            userdata,
            length,
            used: Cell::new(false),
        }
    }
}

/// A callback body being read by one upload.
pub(crate) struct CallbackReader<'b>(&'b CallbackBody);

impl RequestBody {
    /// The reader of a callback body, rewound first when an earlier upload read it; `None` for
    /// the other bodies.
    pub(crate) fn reader(&self) -> Result<Option<CallbackReader<'_>>, Error> {
        let RequestBody::Callback(callback) = self else {
            return Ok(None);
        };
        let mut reader = CallbackReader(callback);
        if callback.used.get() {
            match reader.rewind() {
                Some(Ok(())) => {}
                Some(Err(e)) => return Err(crate::upload_body::body_error(e)),
                None => {
                    return Err(Error::invalid_argument(
                        "this request's read callback was consumed by an earlier upload and has no rewind function; set the body again",
                    ));
                }
            }
        }
        Ok(Some(reader))
    }

    /// The core's body; `reader` is what [`RequestBody::reader`] returned.
    ///
    /// # Safety
    /// A borrowed buffer is valid, as the body setters require.
    pub(crate) unsafe fn as_core<'a>(
        &'a self,
        reader: Option<&'a mut CallbackReader<'_>>,
    ) -> Body<'a> {
        match (self, reader) {
            (RequestBody::Buffer { data, len }, _) if *len != 0 => {
                // SAFETY: the caller keeps the buffer valid while the request may be uploaded.
                Body::Bytes(unsafe { std::slice::from_raw_parts(*data, *len) })
            }
            (RequestBody::File(path), _) => Body::File(path.clone()),
            (
                RequestBody::FileRange {
                    path,
                    offset,
                    length,
                },
                _,
            ) => Body::FileRange {
                path: path.clone(),
                offset: *offset,
                length: *length,
            },
            (RequestBody::Callback(callback), Some(reader)) => Body::Reader {
                length: callback.length,
                reader,
            },
            _ => Body::Bytes(&[]),
        }
    }
}

impl BodyReader for CallbackReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, BodyError> {
        let body = self.0;
        body.used.set(true);
        let mut written = 0usize;
        // SAFETY: the caller promised `read` is valid for `userdata` and writes at most
        // `capacity` bytes into the buffer it is given.
        let code = unsafe { (body.read)(body.userdata, buf.as_mut_ptr(), buf.len(), &mut written) };
        if code != 0 {
            return Err(BodyError::Aborted(
                i64::from(code),
                "the read callback".to_owned(),
            ));
        }
        // A count beyond `buf.len()` is the callback's bug; the core reports it with the numbers.
        Ok(written)
    }

    fn rewind(&mut self) -> Option<Result<(), BodyError>> {
        let rewind = self.0.rewind?;
        // SAFETY: as for `read`.
        let code = unsafe { rewind(self.0.userdata) };
        Some(if code == 0 {
            Ok(())
        } else {
            Err(BodyError::Aborted(
                i64::from(code),
                "the rewind callback".to_owned(),
            ))
        })
    }
}

/// A PutObject request: bucket, key, body, headers (Content-Type, x-oss-callback, ...), user
/// metadata, and optional progress reporting, like the C++ SDK's `PutObjectRequest`. It can be
/// uploaded more than once.
///
/// Single-thread object: use it from one thread at a time (it may move between threads). Create
/// with `ossffi_put_request_new`, free with `ossffi_put_request_free`.
#[allow(non_camel_case_types)]
pub struct ossffi_put_request {
    bucket: String,
    key: String,
    headers: Vec<(String, String)>,
    user_metadata: Vec<(String, String)>,
    body: RequestBody,
    compute_content_md5: bool,
    progress: ProgressCallback,
}

/// Creates a request to store `key` in `bucket`, with an empty body until one is set. Both
/// strings are copied; they are checked when uploading (a bad bucket or key then gives
/// `OSSFFI_RESULT_VALIDATE_ERROR` with the C++ SDK's message). Writes the request to
/// `*request_out` (the caller frees it with `ossffi_put_request_free`); on failure
/// `*request_out` is NULL. Returns `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8`
/// for NULL or non-UTF-8 arguments.
///
/// # Safety
/// `bucket` and `key` are NULL or NUL-terminated; `request_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_new(
    bucket: *const c_char,
    key: *const c_char,
    request_out: *mut *mut ossffi_put_request,
) -> ossffi_result {
    ffi_boundary! {
        let request_out = try_out!(request_out);
        let bucket = try_str!(bucket);
        let key = try_str!(key);
        let request = ossffi_put_request {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            headers: Vec::new(),
            user_metadata: Vec::new(),
            body: RequestBody::Empty,
            compute_content_md5: false,
            progress: ProgressCallback::NONE,
        };
        unsafe { *request_out = into_raw(request) };
        ossffi_result::Ok
    }
}

/// Frees a request. NULL is a no-op. A borrowed body buffer is not touched.
///
/// # Safety
/// `request` is NULL or a request from ossffi not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_free(request: *mut ossffi_put_request) {
    ffi_boundary! { unsafe { free_raw(request) } }
}

/// Uses `len` bytes at `data` as the body. The bytes are BORROWED, not copied: they must stay
/// valid and unchanged until the last upload of this request returns, or another body is set.
/// `{NULL, 0}` is an empty body; NULL with a non-zero length is `OSSFFI_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `request` is NULL or a live request; `data` is NULL or valid for `len` bytes as above.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_body_buffer(
    request: *mut ossffi_put_request,
    data: *const u8,
    len: usize,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        if data.is_null() && len != 0 {
            return ossffi_result::NullParameter;
        }
        request.body = RequestBody::Buffer { data, len };
        ossffi_result::Ok
    }
}

/// Uploads the file at `path` (copied), streamed from disk and never read whole into memory. Its
/// length is taken when the upload starts; a missing or unreadable file then fails with
/// `OSSFFI_RESULT_VALIDATE_ERROR`. Returns `OSSFFI_RESULT_NULL_PARAMETER` /
/// `OSSFFI_RESULT_INVALID_UTF8` for a NULL or non-UTF-8 path.
///
/// # Safety
/// `request` is NULL or a live request; `path` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_body_file(
    request: *mut ossffi_put_request,
    path: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let path = try_str!(path);
        request.body = RequestBody::File(path.into());
        ossffi_result::Ok
    }
}

/// Takes the body from `read`, which must produce exactly `content_length` bytes (sent as
/// Content-Length; never chunked). `rewind` may be NULL: then a failed attempt is not retried.
/// `userdata` is passed to both unchanged and must stay valid while the request may be uploaded.
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` if `request` or `read` is NULL.
///
/// # Safety
/// `request` is NULL or a live request; the functions are valid for `userdata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_body_callback(
    request: *mut ossffi_put_request,
    read: ossffi_read_fn,
    rewind: ossffi_rewind_fn,
    userdata: *mut c_void,
    content_length: u64,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let Some(read) = read else { return ossffi_result::NullParameter };
        request.body = RequestBody::Callback(CallbackBody::new(read, rewind, userdata, content_length));
        ossffi_result::Ok
    }
}

/// Sets an HTTP header to send: `Content-Type` (guessed from the key's extension when not set,
/// as in the C++ SDK), `Cache-Control`, `Content-Disposition`, `Content-Encoding`, `Expires`,
/// `Content-MD5`, `x-oss-object-acl`, `x-oss-storage-class`, `x-oss-tagging`,
/// `x-oss-traffic-limit`, `x-oss-callback`, `x-oss-callback-var`, or any other. Names are
/// case-insensitive: setting a name again replaces its value and keeps the first spelling. Both
/// strings are copied; a bad name or a value with a line break fails the upload with
/// `OSSFFI_RESULT_INVALID_ARGUMENT`. `Content-Length` and `Host` are the library's and ignored.
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for NULL or non-UTF-8.
///
/// # Safety
/// `request` is NULL or a live request; `name` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_header(
    request: *mut ossffi_put_request,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let name = try_str!(name);
        let value = try_str!(value);
        crate::headers::set(&mut request.headers, name, value);
        ossffi_result::Ok
    }
}

/// Removes a header set earlier (case-insensitive); no error if it was not set. Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for NULL or non-UTF-8.
///
/// # Safety
/// `request` is NULL or a live request; `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_remove_header(
    request: *mut ossffi_put_request,
    name: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let name = try_str!(name);
        crate::headers::remove(&mut request.headers, name);
        ossffi_result::Ok
    }
}

/// Sets user metadata, sent as `x-oss-meta-<name>: <value>` (the C++ SDK's `addUserHeader`).
/// Arguments and results as for `ossffi_put_request_set_header`.
///
/// # Safety
/// `request` is NULL or a live request; `name` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_user_metadata(
    request: *mut ossffi_put_request,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let name = try_str!(name);
        let value = try_str!(value);
        crate::headers::set(&mut request.user_metadata, name, value);
        ossffi_result::Ok
    }
}

/// The C++ SDK's `PutObjectRequest::setCallback`: removes `x-oss-callback` and
/// `x-oss-callback-var`, then sets each one whose value is not "" (typically the outputs of
/// `ossffi_callback_builder_build` and `ossffi_callback_var_builder_build`). Both are copied.
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for NULL or non-UTF-8.
///
/// # Safety
/// `request` is NULL or a live request; the strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_callback(
    request: *mut ossffi_put_request,
    callback: *const c_char,
    callback_var: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let callback = try_str!(callback);
        let callback_var = try_str!(callback_var);
        crate::headers::set_callback(&mut request.headers, callback, callback_var);
        ossffi_result::Ok
    }
}

/// Non-zero: compute Content-MD5 of the body before sending (one extra read of a file or
/// callback body; a callback body then needs a rewind function) unless `Content-MD5` is set.
/// OSS then rejects a body that changed on the way. Returns `OSSFFI_RESULT_NULL_PARAMETER` if
/// `request` is NULL.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_compute_content_md5(
    request: *mut ossffi_put_request,
    enabled: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).compute_content_md5 = enabled != 0;
        ossffi_result::Ok
    }
}

/// Reports progress to `progress` (NULL turns it off), with `userdata` passed unchanged; see
/// `ossffi_progress_fn`. Returns `OSSFFI_RESULT_NULL_PARAMETER` if `request` is NULL.
///
/// # Safety
/// `request` is NULL or a live request; `progress` is valid for `userdata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_request_set_progress(
    request: *mut ossffi_put_request,
    progress: ossffi_progress_fn,
    userdata: *mut c_void,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).progress = ProgressCallback::new(progress, userdata);
        ossffi_result::Ok
    }
}

/// The outcome of a successful upload.
///
/// The caller owns it and frees it with `ossffi_put_result_free`; its strings and body belong to
/// it. Single-thread object that may move between threads.
#[allow(non_camel_case_types)]
pub struct ossffi_put_result {
    inner: PutObjectResult,
    etag: CString,
    request_id: CString,
    version_id: CString,
    header_values: Vec<CString>,
}

/// Uploads `request` with `client`: the body streams to OSS with the CRC-64 computed on the way
/// (and checked against OSS's when enabled), failed attempts are retried as configured
/// (5xx, RequestTimeTooSkewed, connection failures; never 4xx or a failed callback), and, when
/// the request carries an upload callback, OSS calls the application server before answering.
/// An upload with a callback whose whole body reached OSS without an answer (a timeout, or the
/// connection lost while waiting) is not sent again: OSS may have stored it and called the
/// server, and a retry would do both twice; it fails with `ossffi_error_object_stored`
/// `OSSFFI_OBJECT_STORED_UNKNOWN`.
///
/// On success writes a result to `*result_out` (free it with `ossffi_put_result_free`); its body
/// is the callback server's reply. On failure returns the category, leaves `*result_out` NULL and,
/// when `err_out` is not NULL, writes an error object to `*err_out` (free it with
/// `ossffi_error_free`) with OSS's code and message, the HTTP status, and whether the object was
/// stored: a failed upload callback is `OSSFFI_RESULT_CALLBACK_FAILED` with the object stored.
///
/// Blocks the calling thread; body, rewind, progress and credentials callbacks run on it. Many
/// threads may upload with one client at once, each with its own request.
///
/// # Safety
/// `client` and `request` are NULL or live; `result_out` and `err_out` are NULL or writable; a
/// borrowed body buffer and callback userdata are valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_put_object(
    client: *const ossffi_client,
    request: *mut ossffi_put_request,
    result_out: *mut *mut ossffi_put_result,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let result_out = try_out!(result_out);
        let client = try_ref!(client);
        let request = try_mut!(request);
        match unsafe { put(client, request) } {
            Ok(result) => {
                unsafe { *result_out = into_raw(result) };
                ossffi_result::Ok
            }
            Err(error) => unsafe { report(error, err_out) },
        }
    }
}

/// # Safety
/// A borrowed buffer body is valid, as `ossffi_put_request_set_body_buffer` requires.
unsafe fn put(
    client: &ossffi_client,
    request: &mut ossffi_put_request,
) -> Result<ossffi_put_result, Error> {
    // SAFETY: the caller keeps the progress callback valid for its userdata.
    let mut progress = unsafe { request.progress.as_core() };
    let mut reader = request.body.reader()?;
    // SAFETY: the caller keeps a borrowed buffer valid.
    let body = unsafe { request.body.as_core(reader.as_mut()) };
    let mut core = PutObjectRequest::new(request.bucket.clone(), request.key.clone(), body);
    core.headers = request.headers.clone();
    core.user_metadata = request.user_metadata.clone();
    core.compute_content_md5 = request.compute_content_md5;
    if let Some(progress) = progress.as_mut() {
        core.progress = Some(progress);
    }
    let result = client.inner.put_object(&mut core)?;
    Ok(ossffi_put_result {
        etag: c_string(&result.etag),
        request_id: c_string(&result.request_id),
        version_id: c_string(&result.version_id),
        header_values: result.headers.iter().map(|(_, v)| c_string(v)).collect(),
        inner: result,
    })
}

/// Frees a result. NULL is a no-op; its strings and body become invalid.
///
/// # Safety
/// `result` is NULL or a result from ossffi not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_free(result: *mut ossffi_put_result) {
    ffi_boundary! { unsafe { free_raw(result) } }
}

/// The HTTP status of the reply (200), or 0 if `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_http_status(result: *const ossffi_put_result) -> u32 {
    ffi_boundary! { u32::from(try_ref!(result).inner.http_status) }
}

/// The object's ETag without quotes (upper-case hex MD5 for a simple upload), or NULL if
/// `result` is NULL. Belongs to the result.
///
/// # Safety
/// `result` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_etag(result: *const ossffi_put_result) -> *const c_char {
    ffi_boundary! { try_ref!(result).etag.as_ptr() }
}

/// OSS's request id (`x-oss-request-id`), "" if absent, NULL if `result` is NULL. Belongs to the
/// result.
///
/// # Safety
/// `result` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_request_id(
    result: *const ossffi_put_result,
) -> *const c_char {
    ffi_boundary! { try_ref!(result).request_id.as_ptr() }
}

/// The version id on a versioned bucket (`x-oss-version-id`), "" otherwise, NULL if `result` is
/// NULL. Belongs to the result.
///
/// # Safety
/// `result` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_version_id(
    result: *const ossffi_put_result,
) -> *const c_char {
    ffi_boundary! { try_ref!(result).version_id.as_ptr() }
}

/// The object's CRC-64 as OSS reported it (`x-oss-hash-crc64ecma`); 0 when absent or `result`
/// is NULL.
///
/// # Safety
/// `result` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_crc64(result: *const ossffi_put_result) -> u64 {
    ffi_boundary! { try_ref!(result).inner.crc64 }
}

/// The value of response header `name` (case-insensitive, the first if repeated), or NULL if
/// absent or an argument is NULL or not UTF-8. Belongs to the result.
///
/// # Safety
/// `result` is NULL or a live result; `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_header(
    result: *const ossffi_put_result,
    name: *const c_char,
) -> *const c_char {
    ffi_boundary! {
        let result = try_ref!(result);
        let name = try_str!(name);
        let found = result.inner.headers.iter().position(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map_or(std::ptr::null(), |i| result.header_values[i].as_ptr())
    }
}

/// The reply body, which for an upload with a callback is the callback server's reply: returns
/// a pointer to its bytes and writes their number to `*len_out` (`len_out` may be NULL). NULL
/// and 0 when the body is empty (no callback) or `result` is NULL. Not NUL-terminated; belongs
/// to the result.
///
/// # Safety
/// `result` is NULL or a live result; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_put_result_body(
    result: *const ossffi_put_result,
    len_out: *mut usize,
) -> *const u8 {
    ffi_boundary! {
        if !len_out.is_null() {
            unsafe { *len_out = 0 };
        }
        let result = try_ref!(result);
        if result.inner.body.is_empty() {
            return std::ptr::null();
        }
        if !len_out.is_null() {
            unsafe { *len_out = result.inner.body.len() };
        }
        result.inner.body.as_ptr()
    }
}
