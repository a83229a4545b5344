//! The verbs: one function per operation beyond PutObject, all with one signature
//! `(client, request, response_out, err_out)`. Each checks its arguments, calls the core and maps
//! the typed result into an `ossffi_response`.

use std::ffi::c_void;
use std::io::Write;

use super::boundary::{ffi_boundary, into_raw, try_out, try_ref};
use super::client::ossffi_client;
use super::error::{clear, ossffi_error, report};
use super::request::{Output, ossffi_request};
use super::response::ossffi_response;
use super::result::ossffi_result;
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::object::{
    BucketResult, DeleteObjectResult, DeleteObjectsResult, ListObjectsResult, ObjectMeta,
};

/// The shared body of the verbs: clears the outputs, checks the arguments, runs `operation` and
/// hands its response or its error to C.
///
/// # Safety
/// As for the exported verbs.
pub(crate) unsafe fn run(
    client: *const ossffi_client,
    request: *const ossffi_request,
    response_out: *mut *mut ossffi_response,
    err_out: *mut *mut ossffi_error,
    name: &str,
    operation: impl FnOnce(&Client, &ossffi_request) -> Result<ossffi_response, Error>,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let response_out = try_out!(response_out);
        let client = try_ref!(client);
        let request = try_ref!(request);
        let outcome = request
            .check_c_settings(name)
            .and_then(|()| operation(&client.inner, request));
        match outcome {
            Ok(response) => {
                unsafe { *response_out = into_raw(response) };
                ossffi_result::Ok
            }
            Err(error) => unsafe { report(error, err_out) },
        }
    }
}

/// GetObject: downloads the object. Its bytes go where the request says: to the file set with
/// `ossffi_request_set_output_file`, to the callback set with `ossffi_request_set_output_callback`,
/// or, with neither, into the response (`ossffi_response_body`; the whole object is then held in
/// memory). Reads the request's headers (conditions such as `If-None-Match`), parameters
/// (`versionId`, `response-content-type`, ...), Range, CRC-64 switch and progress callback.
///
/// Fields: `ETag`, `ContentLength`, `ContentType`, `LastModified`, `CRC64`, `VersionId`,
/// `ObjectType`, `StorageClass`; user metadata is in the headers (`x-oss-meta-*`).
///
/// A condition that does not hold fails: `If-None-Match` / `If-Modified-Since` give
/// `OSSFFI_RESULT_SERVER_ERROR` with code `ServerError:304`, `If-Match` /
/// `If-Unmodified-Since` give code `PreconditionFailed` (412). A missing object is `NoSuchKey`.
/// A write or progress callback that returns non-zero stops the download with
/// `OSSFFI_RESULT_ABORTED_BY_CALLBACK`.
///
/// On success writes the response to `*response_out` (free it with `ossffi_response_free`). On
/// failure `*response_out` is NULL and, when `err_out` is not NULL, `*err_out` receives the
/// error (free it with `ossffi_error_free`). Blocks the calling thread; the callbacks run on it.
/// Many threads may call operations with one client at once.
///
/// # Safety
/// `client` and `request` are NULL or live; `response_out` and `err_out` are NULL or writable;
/// the request's callbacks are valid for their userdata.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_get_object(
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
            "GetObject",
            get_object,
        )
    }
}

fn get_object(client: &Client, request: &ossffi_request) -> Result<ossffi_response, Error> {
    download(client, request, Source::Object)
}

/// Where a download comes from: the request's bucket and key, or its presigned URL.
#[derive(Clone, Copy)]
pub(crate) enum Source {
    Object,
    Url,
}

impl Source {
    fn fetch(
        self,
        client: &Client,
        request: &ossffi_request,
        writer: &mut dyn Write,
        progress: Option<&mut crate::put_object::ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        match self {
            Source::Object => client.get_object(&request.inner, writer, progress),
            Source::Url => client.get_object_by_url(&request.inner, writer, progress),
        }
    }

    fn fetch_to_file(
        self,
        client: &Client,
        request: &ossffi_request,
        path: &std::path::Path,
        progress: Option<&mut crate::put_object::ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        match self {
            Source::Object => client.get_object_to_file(&request.inner, path, progress),
            Source::Url => client.get_object_by_url_to_file(&request.inner, path, progress),
        }
    }
}

/// GetObject and GetObjectByUrl: the bytes go to the request's output.
pub(crate) fn download(
    client: &Client,
    request: &ossffi_request,
    source: Source,
) -> Result<ossffi_response, Error> {
    // SAFETY: the caller keeps the progress callback valid for its userdata.
    let mut progress = unsafe { request.progress.as_core() };
    let progress = progress
        .as_mut()
        .map(|p| p as &mut crate::put_object::ProgressFn<'_>);
    match &request.output {
        Output::Memory => {
            let mut body = Vec::new();
            let meta = source.fetch(client, request, &mut body, progress)?;
            Ok(object_response(meta).with_body(body))
        }
        Output::File(path) => {
            let meta = source.fetch_to_file(client, request, path, progress)?;
            Ok(object_response(meta))
        }
        Output::Callback { write, userdata } => {
            let mut writer = CallbackWriter {
                write: *write,
                userdata: *userdata,
                stopped_with: None,
            };
            let outcome = source.fetch(client, request, &mut writer, progress);
            match (outcome, writer.stopped_with) {
                (Err(mut error), Some(code)) => {
                    error.kind = ErrorKind::Aborted;
                    error.code = "ClientError:200042".to_owned();
                    error.message = format!(
                        "Operation was aborted by an application callback. (the write callback returned {code})"
                    );
                    Err(error)
                }
                (outcome, _) => Ok(object_response(outcome?)),
            }
        }
    }
}

/// The request's write callback as the core's writer; remembers the code it stopped with.
struct CallbackWriter {
    write: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> i32,
    userdata: *mut c_void,
    stopped_with: Option<i32>,
}

impl Write for CallbackWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // SAFETY: the caller of the verb keeps `write` valid for `userdata`.
        let code = unsafe { (self.write)(self.userdata, buf.as_ptr(), buf.len()) };
        if code != 0 {
            self.stopped_with = Some(code);
            return Err(std::io::Error::other(
                "the write callback stopped the download",
            ));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// HeadObject: the object's metadata without its content (`HEAD`). Fields as for GetObject;
/// user metadata is in the headers (`x-oss-meta-*`). A missing object is `NoSuchKey`.
/// Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_head_object(
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
            "HeadObject",
            |client, request| Ok(object_response(client.head_object(&request.inner)?)),
        )
    }
}

/// GetObjectMeta: the object's basic metadata (`HEAD ?objectMeta`: ETag, size, Last-Modified,
/// version), cheaper than HeadObject on OSS. Fields as for GetObject. A missing object is
/// `ServerError:404` (or `NoSuchKey` when OSS explains it in `x-oss-err`). Otherwise as
/// `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_get_object_meta(
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
            "GetObjectMeta",
            |client, request| Ok(object_response(client.get_object_meta(&request.inner)?)),
        )
    }
}

/// DeleteObject: deletes the object (`versionId` as a parameter deletes one version). Deleting
/// an object that does not exist succeeds (204), as on OSS. Fields: `DeleteMarker`, `VersionId`.
/// Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_delete_object(
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
            "DeleteObject",
            |client, request| {
                let DeleteObjectResult {
                    http_status,
                    request_id,
                    version_id,
                    delete_marker,
                    headers,
                } = client.delete_object(&request.inner)?;
                Ok(ossffi_response::new(http_status, &request_id, &headers)
                    .field("DeleteMarker", delete_marker)
                    .field("VersionId", version_id))
            },
        )
    }
}

/// DeleteObjects: deletes the keys added with `ossffi_request_add_key` in one request (the
/// request has no object key). Keys that do not exist count as deleted, as on OSS. Fields:
/// `EncodingType`, `Quiet` ("true" when the reply had no body); list `Deleted` with field `Key`:
/// every deleted key, or none with `ossffi_request_set_quiet` (OSS then lists only failures).
/// With the parameter `encoding-type` set to `url`, OSS encodes the keys and they are decoded.
/// Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_delete_objects(
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
            "DeleteObjects",
            |client, request| {
                let DeleteObjectsResult {
                    http_status,
                    request_id,
                    headers,
                    quiet,
                    encoding_type,
                    deleted,
                } = client.delete_objects(&request.inner)?;
                Ok(ossffi_response::new(http_status, &request_id, &headers)
                    .field("EncodingType", encoding_type)
                    .field("Quiet", quiet)
                    .list("Deleted", &deleted, |key| [("Key", key.clone())]))
            },
        )
    }
}

/// ListObjects: one page of the bucket's objects (the request has no object key). The
/// parameters `prefix`, `marker`, `delimiter`, `max-keys` and `encoding-type` are sent when set.
/// Fields: `Name`, `Prefix`, `Marker`, `NextMarker` (pass it as `marker` for the next page while
/// `IsTruncated` is "true"), `Delimiter`, `MaxKeys`, `IsTruncated`, `EncodingType`. List
/// `Contents`, one record per object: `Key`, `ETag`, `Size`, `LastModified`, `StorageClass`,
/// `Type`, `OwnerID`, `OwnerDisplayName`, `RestoreInfo`; list `CommonPrefixes` with field
/// `Prefix`: the keys rolled up under `delimiter`. With `encoding-type=url` the names come back
/// decoded. Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_list_objects(
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
            "ListObjects",
            |client, request| Ok(list_response(client.list_objects(&request.inner)?)),
        )
    }
}

fn list_response(page: ListObjectsResult) -> ossffi_response {
    ossffi_response::new(page.http_status, &page.request_id, &page.headers)
        .field("Name", page.name)
        .field("Prefix", page.prefix)
        .field("Marker", page.marker)
        .field("NextMarker", page.next_marker)
        .field("Delimiter", page.delimiter)
        .field("MaxKeys", page.max_keys)
        .field("IsTruncated", page.is_truncated)
        .field("EncodingType", page.encoding_type)
        .list("Contents", &page.contents, |object| {
            [
                ("Key", object.key.clone()),
                ("ETag", object.etag.clone()),
                ("Size", object.size.to_string()),
                ("LastModified", object.last_modified.clone()),
                ("StorageClass", object.storage_class.clone()),
                ("Type", object.object_type.clone()),
                ("OwnerID", object.owner_id.clone()),
                ("OwnerDisplayName", object.owner_display_name.clone()),
                ("RestoreInfo", object.restore_info.clone()),
            ]
        })
        .list("CommonPrefixes", &page.common_prefixes, |prefix| {
            [("Prefix", prefix.clone())]
        })
}

/// CreateBucket: creates the request's bucket (the request has no object key), with the storage
/// class from `ossffi_request_set_storage_class` (Standard when unset), the redundancy type from
/// `ossffi_request_set_data_redundancy_type` when set, and the ACL of an `x-oss-acl` header
/// (`private`, `public-read`, `public-read-write`). No fields. Otherwise as
/// `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_create_bucket(
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
            "CreateBucket",
            |client, request| Ok(bucket_response(client.create_bucket(&request.inner)?)),
        )
    }
}

/// DeleteBucket: deletes the request's bucket (the request has no object key). OSS refuses a
/// bucket that still holds objects (`BucketNotEmpty`, 409); a missing bucket is `NoSuchBucket`
/// (404). No fields. Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_delete_bucket(
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
            "DeleteBucket",
            |client, request| Ok(bucket_response(client.delete_bucket(&request.inner)?)),
        )
    }
}

fn bucket_response(result: BucketResult) -> ossffi_response {
    ossffi_response::new(result.http_status, &result.request_id, &result.headers)
}

/// DoesObjectExist: whether the object exists, asked with GetObjectMeta. Writes true or false
/// to `*exists_out` and returns `OSSFFI_RESULT_OK`: false means OSS answered that the key is not
/// there (404 `NoSuchKey`, or a 404 without details). Any other failure (a missing bucket, 403,
/// no connection, a bad name) is an error, so "absent" and "could not ask" stay apart (the C++
/// SDK's `DoesObjectExist` returns false for both). On failure `*exists_out` is
/// false and `*err_out`, when `err_out` is not NULL, receives the error.
///
/// # Safety
/// `client` and `request` are NULL or live; `exists_out` and `err_out` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_does_object_exist(
    client: *const ossffi_client,
    request: *const ossffi_request,
    exists_out: *mut bool,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        if exists_out.is_null() {
            return ossffi_result::NullParameter;
        }
        unsafe { *exists_out = false };
        let client = try_ref!(client);
        let request = try_ref!(request);
        let outcome = request
            .check_c_settings("DoesObjectExist")
            .and_then(|()| client.inner.does_object_exist(&request.inner));
        match outcome {
            Ok(exists) => {
                unsafe { *exists_out = exists };
                ossffi_result::Ok
            }
            Err(error) => unsafe { report(error, err_out) },
        }
    }
}

/// The response of GetObject, HeadObject and GetObjectMeta.
pub(crate) fn object_response(meta: ObjectMeta) -> ossffi_response {
    let object_type = meta.header("x-oss-object-type").unwrap_or("").to_owned();
    let storage_class = meta.header("x-oss-storage-class").unwrap_or("").to_owned();
    ossffi_response::new(meta.http_status, &meta.request_id, &meta.headers)
        .field("ETag", meta.etag)
        .field("ContentLength", meta.content_length)
        .field("ContentType", meta.content_type)
        .field("LastModified", meta.last_modified)
        .field("CRC64", meta.crc64)
        .field("VersionId", meta.version_id)
        .field("ObjectType", object_type)
        .field("StorageClass", storage_class)
}
