//! Multipart upload for C: the request settings its operations read and one verb per
//! operation, all with the verbs' one signature `(client, request, response_out, err_out)`.

use std::ffi::{c_char, c_void};

use super::boundary::{ffi_boundary, try_mut, try_str};
use super::client::ossffi_client;
use super::error::ossffi_error;
use super::operations::run;
use super::put::{CallbackBody, RequestBody, ossffi_read_fn, ossffi_rewind_fn};
use super::request::ossffi_request;
use super::response::ossffi_response;
use super::result::ossffi_result;
use crate::client::Client;
use crate::error::Error;
use crate::multipart::{CompleteParts, CopySource};

/// UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts: the upload's id, as
/// InitiateMultipartUpload returned it (field `UploadId`); copied. Other verbs refuse a request
/// with an upload id (`OSSFFI_RESULT_INVALID_ARGUMENT`).
///
/// # Safety
/// `request` is NULL or a live request; `upload_id` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_upload_id(
    request: *mut ossffi_request,
    upload_id: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let upload_id = try_str!(upload_id);
        request.inner.upload_id = Some(upload_id.to_owned());
        ossffi_result::Ok
    }
}

/// UploadPart and UploadPartCopy: the part's number, 1 to 10000 (checked when the part is
/// sent: another number gives `OSSFFI_RESULT_VALIDATE_ERROR`). Those verbs without one fail
/// with `OSSFFI_RESULT_INVALID_ARGUMENT`; other verbs refuse a request with one.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_part_number(
    request: *mut ossffi_request,
    part_number: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).part_number = Some(part_number);
        ossffi_result::Ok
    }
}

/// UploadPartCopy: the object the part is copied from, `source_key` in `source_bucket` (any
/// bucket the credentials can read), and `version_id` to copy that version of it (NULL: the
/// current one; sent as `?versionId=` in `x-oss-copy-source`, never as a query parameter of the
/// request). All three are copied. A NULL `source_bucket` clears the source (the key and version
/// are then not read); otherwise a NULL `source_key` is `OSSFFI_RESULT_NULL_PARAMETER`. The
/// names are checked when the part is copied (`OSSFFI_RESULT_VALIDATE_ERROR` with the C++
/// SDK's messages). The source's conditions are headers set with `ossffi_request_set_header`:
/// `x-oss-copy-source-if-match`, `-if-none-match`, `-if-modified-since`,
/// `-if-unmodified-since` (OSS answers `PreconditionFailed` when one does not hold). Other
/// verbs refuse a request with a copy source (`OSSFFI_RESULT_INVALID_ARGUMENT`).
///
/// # Safety
/// `request` is NULL or a live request; the strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_copy_source(
    request: *mut ossffi_request,
    source_bucket: *const c_char,
    source_key: *const c_char,
    version_id: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        if source_bucket.is_null() {
            request.copy_source = None;
            return ossffi_result::Ok;
        }
        let bucket = try_str!(source_bucket);
        let key = try_str!(source_key);
        let version_id = if version_id.is_null() { None } else { Some(try_str!(version_id)) };
        let mut source = CopySource::new(bucket, key);
        source.version_id = version_id.map(str::to_owned);
        request.copy_source = Some(source);
        ossffi_result::Ok
    }
}

/// UploadPartCopy: copies bytes `begin` to `end` inclusive of the source
/// (`x-oss-copy-source-range: bytes=begin-end`) instead of the whole object. As the C++ SDK
/// writes it, an `end` of 0 is sent open (`bytes=begin-`), and the SDK's check (made when the
/// part is copied: `OSSFFI_RESULT_VALIDATE_ERROR`, "PartSize should not be less than
/// 100*1024 or greater than 5*1024*1024*1024.") refuses an `end` before `begin` or a range over
/// 5 GiB, so `(0, 0)` copies the whole object. Other verbs refuse a request with a copy source
/// range (`OSSFFI_RESULT_INVALID_ARGUMENT`).
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_copy_source_range(
    request: *mut ossffi_request,
    begin: u64,
    end: u64,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).copy_source_range = Some((begin, end));
        ossffi_result::Ok
    }
}

/// UploadPart: uses `len` bytes at `data` as the part. The bytes are BORROWED, as for
/// `ossffi_put_request_set_body_buffer`: valid and unchanged until the last upload of this
/// request returns or another body is set. `{NULL, 0}` is an empty part; NULL with a non-zero
/// length is `OSSFFI_RESULT_NULL_PARAMETER`. Replaces a body set earlier. PutObjectByUrl takes
/// every body setter's body as the object; other verbs refuse a request with a body.
///
/// # Safety
/// `request` is NULL or a live request; `data` is NULL or valid for `len` bytes as above.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_body_buffer(
    request: *mut ossffi_request,
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

/// UploadPart: sends the whole file at `path` (copied) as the part, streamed from disk. A
/// missing or unreadable file fails the upload with `OSSFFI_RESULT_VALIDATE_ERROR`.
/// ResumableUploadObject: the file to upload, its path kept as given (the checkpoint record
/// names it so); the only body that verb takes.
///
/// # Safety
/// `request` is NULL or a live request; `path` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_body_file(
    request: *mut ossffi_request,
    path: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let path = try_str!(path);
        request.body = RequestBody::File(path.into());
        ossffi_result::Ok
    }
}

/// UploadPart: sends `length` bytes of the file at `path` (copied) from byte `offset` as the
/// part, streamed from disk; a retried attempt starts again at `offset`. A file shorter than
/// `offset + length` is refused before anything is sent.
///
/// # Safety
/// `request` is NULL or a live request; `path` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_body_file_range(
    request: *mut ossffi_request,
    path: *const c_char,
    offset: u64,
    length: u64,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let path = try_str!(path);
        request.body = RequestBody::FileRange { path: path.into(), offset, length };
        ossffi_result::Ok
    }
}

/// UploadPart: takes the part from `read`, which must produce exactly `content_length` bytes,
/// as for `ossffi_put_request_set_body_callback` (`rewind` may be NULL: a failed attempt is then
/// not retried, and the request cannot be sent again). Returns `OSSFFI_RESULT_NULL_PARAMETER`
/// if `request` or `read` is NULL.
///
/// # Safety
/// `request` is NULL or a live request; the functions are valid for `userdata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_body_callback(
    request: *mut ossffi_request,
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

/// UploadPart: non-zero computes the part's Content-MD5 before sending (one extra read of the
/// body; a callback body then needs a rewind function) unless a `Content-MD5` header is set.
/// Other verbs refuse a request with it on.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_compute_content_md5(
    request: *mut ossffi_request,
    enabled: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.compute_content_md5 = enabled != 0;
        ossffi_result::Ok
    }
}

/// InitiateMultipartUpload: non-zero asks for a sequential upload (the `sequential`
/// parameter). Other verbs refuse a request with it on.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_sequential(
    request: *mut ossffi_request,
    enabled: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.sequential = enabled != 0;
        ossffi_result::Ok
    }
}

/// CompleteMultipartUpload: adds part `part_number` with the `etag` UploadPart returned
/// (copied). Parts are sent in the order added; OSS wants ascending numbers.
///
/// # Safety
/// `request` is NULL or a live request; `etag` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_add_part(
    request: *mut ossffi_request,
    part_number: u32,
    etag: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let etag = try_str!(etag);
        request.parts.push((part_number, etag.to_owned()));
        ossffi_result::Ok
    }
}

/// CompleteMultipartUpload: non-zero completes with every part uploaded so far, in part-number
/// order (`x-oss-complete-all: yes`), instead of a part list; a request with both fails with
/// `OSSFFI_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_complete_all(
    request: *mut ossffi_request,
    enabled: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).complete_all = enabled != 0;
        ossffi_result::Ok
    }
}

/// CompleteMultipartUpload's and ResumableUploadObject's upload callback, as
/// `ossffi_put_request_set_callback`: removes
/// `x-oss-callback` and `x-oss-callback-var`, then sets each one whose value is not "" (copied).
///
/// # Safety
/// `request` is NULL or a live request; the strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_request_set_callback(
    request: *mut ossffi_request,
    callback: *const c_char,
    callback_var: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let callback = try_str!(callback);
        let callback_var = try_str!(callback_var);
        crate::headers::set_callback(&mut request.inner.headers, callback, callback_var);
        ossffi_result::Ok
    }
}

/// InitiateMultipartUpload: starts an upload of the request's key (`POST ?uploads`). Headers
/// such as `Content-Type`, `x-oss-storage-class`, `x-oss-object-acl` and `x-oss-meta-*` apply
/// to the object completed from it. Fields: `Bucket`, `Key`, `UploadId` (give it to
/// `ossffi_request_set_upload_id`), `EncodingType`. Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_initiate_multipart_upload(
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
            "InitiateMultipartUpload",
            |client, request| {
                let r = client.initiate_multipart_upload(&request.inner)?;
                Ok(
                    ossffi_response::new(r.http_status, &r.request_id, &r.headers)
                        .field("Bucket", r.bucket)
                        .field("Key", r.key)
                        .field("UploadId", r.upload_id)
                        .field("EncodingType", r.encoding_type),
                )
            },
        )
    }
}

/// UploadPart: sends part `ossffi_request_set_part_number` of upload
/// `ossffi_request_set_upload_id` from the request's body (buffer, file, file range or read
/// callback; empty when none is set), streamed, with its CRC-64 checked against OSS's when the
/// client enables CRC-64 (`OSSFFI_RESULT_CRC_MISMATCH`). The progress callback sees
/// `(increment, sent, part size)`. Fields: `PartNumber`, `ETag` (without quotes; give it to
/// `ossffi_request_add_part`), `CRC64` (decimal), `VersionId`. A part number outside 1..10000
/// or a part over 5 GiB is `OSSFFI_RESULT_VALIDATE_ERROR`; an unknown upload is `NoSuchUpload`.
/// Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`; a borrowed body buffer is valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_upload_part(
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
            "UploadPart",
            upload_part,
        )
    }
}

fn upload_part(client: &Client, request: &ossffi_request) -> Result<ossffi_response, Error> {
    let Some(part_number) = request.part_number else {
        return Err(Error::invalid_argument(
            "UploadPart needs a part number; set it with ossffi_request_set_part_number",
        ));
    };
    let r = request.with_body(|body, progress| {
        client.upload_part(&request.inner, part_number, body, progress)
    })?;
    Ok(
        ossffi_response::new(r.http_status, &r.request_id, &r.headers)
            .field("PartNumber", r.part_number)
            .field("ETag", r.etag)
            .field("CRC64", r.crc64)
            .field("VersionId", r.version_id),
    )
}

/// UploadPartCopy: makes part `ossffi_request_set_part_number` of upload
/// `ossffi_request_set_upload_id` from the source set with `ossffi_request_set_copy_source`
/// (the whole object, or `ossffi_request_set_copy_source_range`), copied by OSS: the request
/// has no body. `x-oss-traffic-limit` and the source's conditions are headers. Fields: `ETag`
/// (without quotes; give it to `ossffi_request_add_part`), `LastModified` (ISO 8601, as OSS
/// wrote it), `SourceVersionId` (`x-oss-copy-source-version-id`, "" without versioning). A reply
/// whose body cannot be read is a success with those fields empty, as in the C++ SDK. Without
/// a copy source or a part number, `OSSFFI_RESULT_INVALID_ARGUMENT`; names, range and part
/// number outside the SDK's rules, `OSSFFI_RESULT_VALIDATE_ERROR`; a missing source is
/// `NoSuchKey`, a condition that does not hold `PreconditionFailed`. Otherwise as
/// `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_upload_part_copy(
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
            "UploadPartCopy",
            upload_part_copy,
        )
    }
}

fn upload_part_copy(client: &Client, request: &ossffi_request) -> Result<ossffi_response, Error> {
    let Some(mut source) = request.copy_source.clone() else {
        return Err(Error::invalid_argument(
            "UploadPartCopy needs a copy source; set it with ossffi_request_set_copy_source",
        ));
    };
    let Some(part_number) = request.part_number else {
        return Err(Error::invalid_argument(
            "UploadPartCopy needs a part number; set it with ossffi_request_set_part_number",
        ));
    };
    source.range = request.copy_source_range;
    let r = client.upload_part_copy(&request.inner, part_number, &source)?;
    Ok(
        ossffi_response::new(r.http_status, &r.request_id, &r.headers)
            .field("PartNumber", r.part_number)
            .field("ETag", r.etag)
            .field("LastModified", r.last_modified)
            .field("SourceVersionId", r.source_version_id),
    )
}

/// CompleteMultipartUpload: makes the object from the parts added with `ossffi_request_add_part`
/// or, with `ossffi_request_set_complete_all`, from every part uploaded. With neither, fails
/// with `OSSFFI_RESULT_VALIDATE_ERROR` ("PartList is empty.") before sending. With an upload
/// callback (`ossffi_request_set_callback`) the callback server's reply is the response body
/// (`ossffi_response_body`); a failed callback (OSS's 203) is `OSSFFI_RESULT_CALLBACK_FAILED`
/// with `ossffi_error_object_stored` saying the object was stored. Fields: `Bucket`, `Key`,
/// `Location`, `ETag` (without quotes: `<hex>-<part count>`), `EncodingType`, `CRC64`
/// (decimal, of the whole object), `VersionId`. Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_complete_multipart_upload(
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
            "CompleteMultipartUpload",
            |client, request| {
                let parts = if request.complete_all {
                    if !request.parts.is_empty() {
                        return Err(Error::invalid_argument(
                            "CompleteMultipartUpload takes a part list or complete-all, not both",
                        ));
                    }
                    CompleteParts::All
                } else {
                    CompleteParts::List(&request.parts)
                };
                let r = client.complete_multipart_upload(&request.inner, parts)?;
                Ok(
                    ossffi_response::new(r.http_status, &r.request_id, &r.headers)
                        .field("Bucket", r.bucket)
                        .field("Key", r.key)
                        .field("Location", r.location)
                        .field("ETag", r.etag)
                        .field("EncodingType", r.encoding_type)
                        .field("CRC64", r.crc64)
                        .field("VersionId", r.version_id)
                        .with_body(r.body),
                )
            },
        )
    }
}

/// AbortMultipartUpload: abandons the upload, discarding its parts; later calls on it are
/// `NoSuchUpload`. No fields. Otherwise as `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_abort_multipart_upload(
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
            "AbortMultipartUpload",
            |client, request| {
                let r = client.abort_multipart_upload(&request.inner)?;
                Ok(ossffi_response::new(
                    r.http_status,
                    &r.request_id,
                    &r.headers,
                ))
            },
        )
    }
}

/// ListParts: one page of the parts uploaded so far. The parameters `max-parts`,
/// `part-number-marker` and `encoding-type` are sent when set. Fields: `Bucket`, `Key`,
/// `UploadId`, `EncodingType`, `PartNumberMarker`, `NextPartNumberMarker` (pass it as
/// `part-number-marker` for the next page while `IsTruncated` is "true"), `MaxParts`,
/// `IsTruncated`. List `Part`, one record per part: `PartNumber`, `ETag` (without quotes),
/// `Size`, `LastModified`, `HashCrc64ecma` (decimal, "0" when absent). Otherwise as
/// `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_list_parts(
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
            "ListParts",
            |client, request| {
                let r = client.list_parts(&request.inner)?;
                Ok(
                    ossffi_response::new(r.http_status, &r.request_id, &r.headers)
                        .field("Bucket", r.bucket)
                        .field("Key", r.key)
                        .field("UploadId", r.upload_id)
                        .field("EncodingType", r.encoding_type)
                        .field("PartNumberMarker", r.part_number_marker)
                        .field("NextPartNumberMarker", r.next_part_number_marker)
                        .field("MaxParts", r.max_parts)
                        .field("IsTruncated", r.is_truncated)
                        .list("Part", &r.parts, |part| {
                            [
                                ("PartNumber", part.part_number.to_string()),
                                ("ETag", part.etag.clone()),
                                ("Size", part.size.to_string()),
                                ("LastModified", part.last_modified.clone()),
                                ("HashCrc64ecma", part.crc64.to_string()),
                            ]
                        }),
                )
            },
        )
    }
}

/// ListMultipartUploads: one page of the bucket's uploads in progress (the request has no
/// object key). The parameters `prefix`, `delimiter`, `key-marker`, `upload-id-marker`,
/// `max-uploads` and `encoding-type` are sent when set. Fields: `Bucket`, `EncodingType`,
/// `Prefix`, `Delimiter`, `KeyMarker`, `UploadIdMarker`, `NextKeyMarker` and
/// `NextUploadIdMarker` (pass them as `key-marker` and `upload-id-marker` for the next page
/// while `IsTruncated` is "true"), `MaxUploads`, `IsTruncated`. List `Upload`: `Key`,
/// `UploadId`, `Initiated`; list `CommonPrefixes`: `Prefix`. Otherwise as
/// `ossffi_client_get_object`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_list_multipart_uploads(
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
            "ListMultipartUploads",
            |client, request| {
                let r = client.list_multipart_uploads(&request.inner)?;
                Ok(
                    ossffi_response::new(r.http_status, &r.request_id, &r.headers)
                        .field("Bucket", r.bucket)
                        .field("EncodingType", r.encoding_type)
                        .field("Prefix", r.prefix)
                        .field("Delimiter", r.delimiter)
                        .field("KeyMarker", r.key_marker)
                        .field("UploadIdMarker", r.upload_id_marker)
                        .field("NextKeyMarker", r.next_key_marker)
                        .field("NextUploadIdMarker", r.next_upload_id_marker)
                        .field("MaxUploads", r.max_uploads)
                        .field("IsTruncated", r.is_truncated)
                        .list("Upload", &r.uploads, |upload| {
                            [
                                ("Key", upload.key.clone()),
                                ("UploadId", upload.upload_id.clone()),
                                ("Initiated", upload.initiated.clone()),
                            ]
                        })
                        .list("CommonPrefixes", &r.common_prefixes, |prefix| {
                            [("Prefix", prefix.clone())]
                        }),
                )
            },
        )
    }
}
