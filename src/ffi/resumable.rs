//! The resumable upload for C: the request settings only it reads and its verb, with the verbs'
//! one signature `(client, request, response_out, err_out)`.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_mut, try_str};
use super::client::ossffi_client;
use super::error::ossffi_error;
use super::operations::run;
use super::put::{ProgressCallback, RequestBody};
use super::request::ossffi_request;
use super::response::ossffi_response;
use super::result::ossffi_result;
use crate::client::Client;
use crate::error::Error;
use crate::transfer::{ResumableProgressFn, ResumableUploadRequest};

const OPERATION: &str = "ResumableUploadObject";

/// ResumableUploadObject: the directory for the upload's checkpoint record (copied; it must
/// exist when the upload runs, or the upload fails with `OSSFFI_RESULT_VALIDATE_ERROR` "Checkpoint
/// directory is not exist."). NULL (the default) keeps no record. Other verbs refuse a request
/// with a checkpoint directory (`OSSFFI_RESULT_INVALID_ARGUMENT`).
///
/// # Safety
/// `request` is NULL or a live request; `dir` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_checkpoint_dir(
    request: *mut ossffi_request,
    dir: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        request.checkpoint_dir = if dir.is_null() { None } else { Some(try_str!(dir).to_owned()) };
        ossffi_result::Ok
    }
}

/// ResumableUploadObject: the size of each part, in bytes; 8 MiB (8388608, the C++ SDK's
/// `DefaultPartSize`) unless set. Under 100 KiB (102400) fails the upload with
/// `OSSFFI_RESULT_VALIDATE_ERROR` "The part size is less than 100KB."; doubled while the file
/// would need more than 10000 parts. Other verbs refuse a request with a part size.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_part_size(
    request: *mut ossffi_request,
    part_size: u64,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).part_size = Some(part_size);
        ossffi_result::Ok
    }
}

/// ResumableUploadObject: how many parts are sent at once, each by its own worker thread; 3
/// (the C++ SDK's `DefaultResumableThreadNum`) unless set. 0 fails the upload with
/// `OSSFFI_RESULT_VALIDATE_ERROR` "The thread num is less than 1."; at most 64 threads run, and
/// never more than there are parts left to send. Other verbs refuse a request with a thread
/// count.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_thread_num(
    request: *mut ossffi_request,
    thread_num: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).thread_num = Some(thread_num);
        ossffi_result::Ok
    }
}

/// ResumableUploadObject: uploads the file set with `ossffi_request_set_body_file` to the
/// request's key, as the C++ SDK's `OssClient::ResumableUploadObject` does.
///
/// Reads: the file (`ossffi_request_set_body_file`; any other body, or none, is
/// `OSSFFI_RESULT_INVALID_ARGUMENT`), `ossffi_request_set_checkpoint_dir` (default: none),
/// `ossffi_request_set_part_size` (default 8 MiB), `ossffi_request_set_thread_num` (default 3),
/// the headers as the object's metadata (`Content-Type`, `Cache-Control`, `x-oss-meta-*`,
/// `x-oss-object-acl`, `x-oss-tagging`, ...; `x-oss-request-payer` and `x-oss-traffic-limit`
/// also go to every part), the upload callback (`ossffi_request_set_callback`), the parameter
/// `encoding-type`, and the progress callback. Any other setting is refused with
/// `OSSFFI_RESULT_INVALID_ARGUMENT` naming it.
///
/// Validation, before anything is sent, fails with `OSSFFI_RESULT_VALIDATE_ERROR` and the C++
/// SDK's message (the first failing rule wins): the bucket and key names; "The part size is
/// less than 100KB."; "The thread num is less than 1."; "Checkpoint directory is not exist.";
/// "Open upload file failed." (a file that is missing or not a regular file).
///
/// Two paths, as in the SDK:
/// - A file no larger than the part size is one PutObject with every header; no checkpoint
///   record is written, and the thread count is not used.
/// - A larger file is a multipart upload: InitiateMultipartUpload with every header, the parts
///   streamed from their ranges of the file by up to `thread_num` worker threads, then
///   CompleteMultipartUpload carrying `x-oss-object-acl` and the callback headers. The parts'
///   CRC-64s are combined and compared with the object's (`OSSFFI_RESULT_CRC_MISMATCH`, code
///   `CrcCheckError`, object stored) when the client enables CRC-64.
///
/// Progress: the callback sees `(increment, transferred, total)` with `transferred` counted
/// across all parts (those found already uploaded on a resume included) and `total` the file's
/// size. On the multipart path it is called from ossffi's worker threads, not the calling
/// thread, one call at a time (never concurrently) and with `transferred` never going back;
/// its userdata must allow that. On the simple path it runs on the calling thread. Returning
/// non-zero stops every worker before its next chunk: `OSSFFI_RESULT_ABORTED_BY_CALLBACK`
/// (code `ClientError:200042`).
///
/// With a checkpoint directory the record is written right after InitiateMultipartUpload, named
/// and written byte for byte as the C++ SDK writes it (`<dir>/<MD5 of the file path>--<MD5 of
/// "oss://bucket/key">`), so an upload started by either library resumes under the other. A
/// later call for the same file, unchanged in size and modification time, lists the parts the
/// server holds and sends only the others; a damaged, stale or foreign record, or one whose
/// upload is gone, is deleted and a new upload started.
///
/// | Outcome | With a checkpoint directory | Without one |
/// |---|---|---|
/// | validation error | nothing sent, record untouched | nothing sent |
/// | InitiateMultipartUpload fails | no upload, no record | no upload |
/// | a part fails (after its retries), or the progress callback cancels | no new part starts; upload kept and record kept: call again to resume | no new part starts; the upload is aborted, so no parts are left behind |
/// | the file changes while uploading (`OSSFFI_RESULT_IO`) | upload and record kept | upload aborted |
/// | CompleteMultipartUpload fails | upload and record kept | upload aborted |
/// | callback fails (203, `OSSFFI_RESULT_CALLBACK_FAILED`) or CRC-64 differs | object stored, record kept | object stored |
/// | success | object stored, record deleted | object stored |
///
/// A failed part's error is that part's (its message names the part and what became of the
/// upload). Fields, as PutObject's result: `ETag` (without quotes; `<hex>-<part count>` on the
/// multipart path), `CRC64` (decimal, of the whole object), `VersionId`; the request id, the
/// headers of the last reply (PutObject's or CompleteMultipartUpload's), and, with an upload
/// callback, the callback server's reply as `ossffi_response_body`. Otherwise as
/// `ossffi_client_get_object`; blocks the calling thread until the workers are done.
///
/// # Safety
/// As for `ossffi_client_get_object`; the progress callback may be called from other threads
/// during the call, as above.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_resumable_upload_object(
    client: *const ossffi_client,
    request: *const ossffi_request,
    response_out: *mut *mut ossffi_response,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    unsafe {
        run(
            client,
            request,
            response_out,
            err_out,
            OPERATION,
            resumable_upload_object,
        )
    }
}

fn resumable_upload_object(
    client: &Client,
    request: &ossffi_request,
) -> Result<ossffi_response, Error> {
    check_object_settings(request)?;
    let key = request.inner.key.as_deref().unwrap_or_default();
    let mut core = ResumableUploadRequest::new(&request.inner.bucket, key, file_path(request)?);
    core.checkpoint_dir.clone_from(&request.checkpoint_dir);
    if let Some(part_size) = request.part_size {
        core.part_size = part_size;
    }
    if let Some(thread_num) = request.thread_num {
        core.thread_num = thread_num;
    }
    core.headers.clone_from(&request.inner.headers);
    core.encoding_type = request.inner.parameter("encoding-type").map(str::to_owned);
    let mut progress = WorkerProgress(request.progress);
    let mut forward = move |increment: u64, transferred: u64, total: u64| {
        // SAFETY: the caller keeps the progress callback valid for its userdata during the call.
        unsafe { progress.call(increment, transferred, total) }
    };
    if request.progress.is_set() {
        core.progress = Some(&mut forward as &mut ResumableProgressFn<'_>);
    }
    let r = client.resumable_upload_object(&mut core)?;
    Ok(
        ossffi_response::new(r.http_status, &r.request_id, &r.headers)
            .field("ETag", r.etag)
            .field("CRC64", r.crc64)
            .field("VersionId", r.version_id)
            .with_body(r.body),
    )
}

/// The C progress callback as the workers call it.
struct WorkerProgress(ProgressCallback);

// SAFETY: the callback and its userdata are only used by the worker threads of one
// `ossffi_client_resumable_upload_object` call, one call at a time (the core calls its progress
// function under a lock), and the header documents that the callback is called from ossffi's
// worker threads; the caller accepts that by setting it.
unsafe impl Send for WorkerProgress {}

impl WorkerProgress {
    /// # Safety
    /// The callback is valid for its userdata.
    unsafe fn call(&mut self, increment: u64, transferred: u64, total: u64) -> Result<(), i64> {
        unsafe { self.0.call(increment, transferred, total) }
    }
}

/// The path of the file to upload: the request's body must be a whole file.
fn file_path(request: &ossffi_request) -> Result<&str, Error> {
    let other = match &request.body {
        RequestBody::File(path) => {
            // The path came from a C string checked as UTF-8.
            return path
                .to_str()
                .ok_or_else(|| Error::invalid_argument("the file path is not UTF-8".to_owned()));
        }
        RequestBody::Empty => {
            return Err(Error::invalid_argument(
                "ResumableUploadObject needs the file to upload; set it with ossffi_request_set_body_file",
            ));
        }
        RequestBody::Buffer { .. } => "a buffer",
        RequestBody::FileRange { .. } => "a file range",
        RequestBody::Callback(_) => "a read callback",
    };
    Err(Error::invalid_argument(format!(
        "ResumableUploadObject uploads a whole file, set with ossffi_request_set_body_file; the request's body is {other}"
    )))
}

/// Refuses what the request holds for other verbs (the object request's own check knows the
/// verbs of single operations only).
fn check_object_settings(request: &ossffi_request) -> Result<(), Error> {
    let refuse = |setting: &str, only: &str| {
        Err(Error::invalid_argument(format!(
            "{OPERATION} does not take {setting}; only {only}"
        )))
    };
    let inner = &request.inner;
    if inner.key.is_none() {
        return Err(Error::invalid_argument(format!(
            "{OPERATION} needs an object key; the request has none"
        )));
    }
    if !inner.keys.is_empty() {
        return refuse("a list of keys", "DeleteObjects does");
    }
    if inner.quiet {
        return refuse("quiet mode", "DeleteObjects does");
    }
    if inner.storage_class.is_some() {
        return refuse("a storage class", "CreateBucket does");
    }
    if inner.data_redundancy.is_some() {
        return refuse("a data redundancy type", "CreateBucket does");
    }
    if inner.url.is_some() {
        return refuse("a presigned URL", "PutObjectByUrl and GetObjectByUrl do");
    }
    if inner.header("range").is_some() {
        return refuse("a Range", "GetObject and GetObjectByUrl do");
    }
    if inner.header("x-oss-range-behavior").is_some() {
        return refuse("x-oss-range-behavior", "GetObject and GetObjectByUrl do");
    }
    if !inner.check_crc64 {
        return refuse("a CRC-64 switch", "GetObject and GetObjectByUrl do");
    }
    if inner.upload_id.is_some() {
        return refuse(
            "an upload id (it starts or resumes its own)",
            "UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts do",
        );
    }
    if inner.sequential {
        return refuse("sequential mode", "InitiateMultipartUpload does");
    }
    if inner.compute_content_md5 {
        return refuse("a computed Content-MD5", "UploadPart does");
    }
    if let Some((name, _)) = inner
        .parameters
        .iter()
        .find(|(name, _)| name != "encoding-type")
    {
        return Err(Error::invalid_argument(format!(
            "{OPERATION} does not take the parameter {name:?}; its only parameter is encoding-type"
        )));
    }
    Ok(())
}
