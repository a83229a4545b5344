//! Presigned URLs for C: the C++ SDK's `GeneratePresignedUrl`, with or without a client.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, free_raw, into_raw, try_mut, try_out, try_ref, try_str};
use super::client::{ossffi_client, ossffi_client_config};
use super::error::{clear, ossffi_error, report};
use super::result::ossffi_result;
use super::strings::owned_c_string;
use crate::config::ClientConfig;
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::signing::presign::{
    DEFAULT_EXPIRY_SECONDS, PresignContext, PresignRequest, QueryOrder, presigned_url,
};
use crate::time::now_unix;

/// What a presigned URL allows (the C++ SDK's `GeneratePresignedUrlRequest`): a method on one
/// object until an expiry time, with the headers the requester must send and the query
/// parameters the URL carries. Defaults: GET, expiring 900 s after `ossffi_presign_request_new`,
/// `/` in the key written `%2F`, parameters sorted, keys starting with `?` refused.
///
/// Single-thread object: use it from one thread at a time (it may move between threads).
/// Create with `ossffi_presign_request_new`, free with `ossffi_presign_request_free`.
#[allow(non_camel_case_types)]
pub struct ossffi_presign_request {
    inner: PresignRequest,
}

/// Creates a request to presign a GET of `key` in `bucket`, valid for 900 seconds from now
/// (the C++ SDK's default, counted from construction). Both strings are copied; the names are
/// checked when the URL is made.
///
/// Writes the request to `*request_out` (free it with `ossffi_presign_request_free`); on
/// failure `*request_out` is NULL. Returns `OSSFFI_RESULT_NULL_PARAMETER` for a NULL argument,
/// `OSSFFI_RESULT_INVALID_UTF8` for a string that is not UTF-8.
///
/// # Safety
/// `bucket` and `key` are NULL or NUL-terminated; `request_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_new(
    bucket: *const c_char,
    key: *const c_char,
    request_out: *mut *mut ossffi_presign_request,
) -> ossffi_result {
    ffi_boundary! {
        let request_out = try_out!(request_out);
        let bucket = try_str!(bucket);
        let key = try_str!(key);
        let inner = PresignRequest::new(bucket, key, now_unix().saturating_add(DEFAULT_EXPIRY_SECONDS));
        unsafe { *request_out = into_raw(ossffi_presign_request { inner }) };
        ossffi_result::Ok
    }
}

/// Frees a presign request. NULL is a no-op.
///
/// # Safety
/// `request` is NULL or a request from `ossffi_presign_request_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_free(request: *mut ossffi_presign_request) {
    ffi_boundary! { unsafe { free_raw(request) } }
}

/// Sets the HTTP method the URL allows: `GET` (the default), `PUT`, `HEAD`, `POST`, `DELETE`
/// (any case; copied). A method that is not a word fails the URL with
/// `OSSFFI_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// `request` is NULL or a live request; `method` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_method(
    request: *mut ossffi_presign_request,
    method: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        request.inner.method = try_str!(method).to_owned();
        ossffi_result::Ok
    }
}

/// Sets when the URL stops working, as absolute Unix seconds (the SDK's `setExpires`). Not
/// checked: a time in the past gives a URL OSS refuses with `AccessDenied`; V4 URLs may last at
/// most 7 days after they are signed.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_expires(
    request: *mut ossffi_presign_request,
    unix_time: i64,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.expires = unix_time;
        ossffi_result::Ok
    }
}

/// Signs as of `unix_time` instead of the clock at the time of the call (0 goes back to the
/// clock). A V4 URL is valid from then until the expiry; V1 URLs do not depend on it. For
/// reproducible URLs (tests) and for URLs that become valid later.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_signing_time(
    request: *mut ossffi_presign_request,
    unix_time: i64,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.signing_time = (unix_time != 0).then_some(unix_time);
        ossffi_result::Ok
    }
}

/// Sets a header the requester will send, replacing one of the same name (case-insensitive):
/// `Content-Type` and `Content-MD5` (the SDK's `setContentType` / `setContentMd5`) and every
/// `x-oss-*` header are signed, so the requester must send them with exactly these values;
/// other headers are not signed. Both strings are copied.
///
/// # Safety
/// `request` is NULL or a live request; `name` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_header(
    request: *mut ossffi_presign_request,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        request.inner.set_header(try_str!(name), try_str!(value));
        ossffi_result::Ok
    }
}

/// Sets a query parameter the URL carries, replacing an earlier value of the same name (the
/// SDK's `addParameter`): `response-content-type` and the other `response-*` overrides,
/// `x-oss-process`, `versionId`, `x-oss-traffic-limit`, `x-oss-request-payer`, `acl`, ... or
/// any other. "" gives the bare name (`?acl`). In V1 only OSS's sub-resources are signed; in V4
/// every parameter is. Both strings are copied.
///
/// # Safety
/// `request` is NULL or a live request; `name` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_parameter(
    request: *mut ossffi_presign_request,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        request.inner.set_parameter(try_str!(name), try_str!(value));
        ossffi_result::Ok
    }
}

/// Sets user metadata `name` (without the `x-oss-meta-` prefix; case-insensitive), signed as
/// the header `x-oss-meta-<name>`, which the requester must then send with this value. Both
/// strings are copied.
///
/// # Safety
/// `request` is NULL or a live request; `name` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_user_metadata(
    request: *mut ossffi_presign_request,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        request.inner.set_user_metadata(try_str!(name), try_str!(value));
        ossffi_result::Ok
    }
}

/// Puts an upload callback in the URL: the `callback` parameter (base64 of the callback JSON,
/// e.g. from `ossffi_callback_builder_build`) and `callback-var` (base64 of the `x:`
/// variables; NULL or "" for none). Both are signed, so whoever uploads with the URL cannot
/// change them; OSS then calls the callback server and returns its reply to the uploader.
///
/// # Safety
/// `request` is NULL or a live request; `callback` and `callback_var` are NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_callback(
    request: *mut ossffi_presign_request,
    callback: *const c_char,
    callback_var: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let request = try_mut!(request);
        let callback = try_str!(callback);
        let callback_var = if callback_var.is_null() { "" } else { try_str!(callback_var) };
        request.inner.set_callback(callback, callback_var);
        ossffi_result::Ok
    }
}

/// Non-zero keeps `/` in the key literal in the URL's path (the SDK's
/// `setUnencodedSlash(true)`); 0, the default, writes it `%2F`. The signature is the same.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_unencoded_slash(
    request: *mut ossffi_presign_request,
    enabled: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.unencoded_slash = enabled != 0;
        ossffi_result::Ok
    }
}

/// Non-zero (the default, the SDK's `isVerifyObjectStrict`) refuses keys starting with `?`
/// besides the usual key rules; 0 accepts them (`?123` is written `%3F123`).
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_verify_object_strict(
    request: *mut ossffi_presign_request,
    enabled: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.verify_object_strict = enabled != 0;
        ossffi_result::Ok
    }
}

/// Non-zero (the default) writes the URL's query parameters sorted by name, byte-wise, as the
/// C++ SDK does (`?Expires=...&OSSAccessKeyId=...&Signature=...&callback=...`); 0 writes the
/// request's parameters in the order first set, then the signature parameters in signing order,
/// as the Python SDKs (oss2, alibabacloud-oss-v2) do. OSS accepts both; the signature is the
/// same.
///
/// # Safety
/// `request` is NULL or a live request.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_request_set_sorted_query(
    request: *mut ossffi_presign_request,
    sorted: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(request).inner.query_order =
            if sorted != 0 { QueryOrder::Sorted } else { QueryOrder::AsAdded };
        ossffi_result::Ok
    }
}

/// Hands a URL or an error to C.
///
/// # Safety
/// `url_out` is writable; `err_out` is NULL or writable.
unsafe fn give_url(
    url: Result<String, Error>,
    url_out: *mut *mut c_char,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    match url {
        Ok(url) => {
            unsafe { *url_out = owned_c_string(&url) };
            ossffi_result::Ok
        }
        Err(error) => unsafe { report(error, err_out) },
    }
}

/// Makes a presigned URL without a client: a pure computation, no I/O. `endpoint` as for
/// `ossffi_client_new` (`https://oss-cn-hangzhou.aliyuncs.com`; an IP endpoint is addressed
/// path-style); `security_token` may be NULL or "" for long-term keys; `config` (may be NULL
/// for the defaults) gives the signature version (V4 by default, which needs a region), the
/// region, and the path-style and CNAME settings; its other settings do not matter here. All
/// arguments are only read during the call.
///
/// On success `*url_out` receives the URL, which the caller frees with `ossffi_string_free`.
/// On failure `*url_out` is NULL and, when `err_out` is not NULL, `*err_out` receives an error
/// the caller frees with `ossffi_error_free`: a bad bucket name or key is
/// `OSSFFI_RESULT_VALIDATE_ERROR` with the SDK's code `ValidateError` and message `The Bucket or
/// Key is invalid.`; an invalid endpoint is `OSSFFI_RESULT_VALIDATE_ERROR`; V4 without a region
/// is `OSSFFI_RESULT_INVALID_CONFIG`; a bad method is `OSSFFI_RESULT_INVALID_ARGUMENT`.
///
/// Thread-safe as long as `request` is not changed meanwhile.
///
/// # Safety
/// String arguments are NULL or NUL-terminated; `config` is NULL or live; `request` is NULL or
/// live; `url_out` and `err_out` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_presign_url(
    endpoint: *const c_char,
    access_key_id: *const c_char,
    access_key_secret: *const c_char,
    security_token: *const c_char,
    config: *const ossffi_client_config,
    request: *const ossffi_presign_request,
    url_out: *mut *mut c_char,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let url_out = try_out!(url_out);
        let endpoint = try_str!(endpoint);
        let access_key_id = try_str!(access_key_id);
        let access_key_secret = try_str!(access_key_secret);
        let token = if security_token.is_null() { "" } else { try_str!(security_token) };
        let request = try_ref!(request);
        let defaults;
        let config = match unsafe { config.as_ref() } {
            Some(config) => &config.inner,
            None => {
                defaults = ClientConfig::default();
                &defaults
            }
        };
        let credentials = Credentials {
            access_key_id: access_key_id.to_owned(),
            access_key_secret: access_key_secret.to_owned(),
            security_token: (!token.is_empty()).then(|| token.to_owned()),
        };
        let url = Endpoint::parse(endpoint).and_then(|endpoint| {
            presigned_url(
                &request.inner,
                &PresignContext {
                    endpoint: &endpoint,
                    credentials: &credentials,
                    signature_version: config.signature_version,
                    region: &config.region,
                    is_cname: config.is_cname,
                    is_path_style: config.is_path_style,
                    now: now_unix(),
                },
            )
        });
        unsafe { give_url(url, url_out, err_out) }
    }
}

/// Makes a presigned URL with a client's endpoint, settings, region, clock offset and
/// credentials (asked once from its credentials provider, the only possible I/O). Nothing is
/// sent. Results and errors as for `ossffi_presign_url`; a credentials provider that fails gives
/// `OSSFFI_RESULT_CREDENTIALS`. Thread-safe: the client may be in use by other threads.
///
/// # Safety
/// `client` and `request` are NULL or live; `url_out` and `err_out` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_presign_url(
    client: *const ossffi_client,
    request: *const ossffi_presign_request,
    url_out: *mut *mut c_char,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let url_out = try_out!(url_out);
        let client = try_ref!(client);
        let request = try_ref!(request);
        let url = client.inner.generate_presigned_url(&request.inner);
        unsafe { give_url(url, url_out, err_out) }
    }
}
