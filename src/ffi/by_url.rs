//! PutObjectByUrl and GetObjectByUrl: requests made with `ossffi_request_new_url`, sent to a
//! presigned URL.

use super::client::ossffi_client;
use super::error::ossffi_error;
use super::operations::{Source, download, run};
use super::request::ossffi_request;
use super::response::ossffi_response;
use super::result::ossffi_result;
use crate::client::Client;
use crate::error::Error;

/// PutObjectByUrl: uploads the request's body (`ossffi_request_set_body_bytes`, `_file` or
/// `_callback`; none uploads an empty object) to the presigned PUT URL of a request made with
/// `ossffi_request_new_url`, unsigned, with the request's headers (the ones the URL was signed
/// with). The CRC-64 of the bytes sent is checked against OSS's (`ClientError:100001` on a
/// mismatch, the object then stored). A progress callback reports the bytes sent.
///
/// When the URL's query carries `callback` (see `ossffi_presign_request_set_callback`), OSS
/// calls the callback server before answering: `ossffi_response_body` is then the server's reply,
/// and a failed callback is code `CallbackFailed` with `ossffi_error_object_stored` = YES.
///
/// Fields: `ETag` (without quotes), `CRC64`, `VersionId`. An expired URL gives `AccessDenied`, a
/// header the URL was not signed with `SignatureDoesNotMatch`, a URL that cannot be sent code
/// `ClientError:200003`. Server errors (5xx) are retried, the body read again from its start;
/// a URL with a callback whose whole body reached OSS without an answer is not sent again (as
/// for `ossffi_client_put_object`).
/// A request made with `ossffi_request_new` is refused with `OSSFFI_RESULT_INVALID_ARGUMENT`.
/// Otherwise as `ossffi_client_get_object`; the client's credentials are not used.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_put_object_by_url(
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
            "PutObjectByUrl",
            put_object_by_url,
        )
    }
}

fn put_object_by_url(client: &Client, request: &ossffi_request) -> Result<ossffi_response, Error> {
    let r = request
        .with_body(|body, progress| client.put_object_by_url(&request.inner, body, progress))?;
    Ok(
        ossffi_response::new(r.http_status, &r.request_id, &r.headers)
            .field("ETag", r.etag)
            .field("CRC64", r.crc64)
            .field("VersionId", r.version_id)
            .with_body(r.body),
    )
}

/// GetObjectByUrl: downloads from the presigned GET URL of a request made with
/// `ossffi_request_new_url`, unsigned, with the request's headers (a `Range` from
/// `ossffi_request_set_range` is sent and turns the CRC-64 check off). The bytes go where
/// `ossffi_client_get_object` sends them (a file, a write callback, or the response), with the
/// same fields and errors; the client's credentials are not used. A request made with
/// `ossffi_request_new` is refused with `OSSFFI_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// As for `ossffi_client_get_object`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_get_object_by_url(
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
            "GetObjectByUrl",
            |client, request| download(client, request, Source::Url),
        )
    }
}
