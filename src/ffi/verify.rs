//! Verifying upload callback requests for C: the receiving end of an upload callback.

use std::ffi::c_char;
use std::time::Duration;

use super::boundary::{ffi_boundary, free_raw, into_raw, try_bytes, try_ref, try_str};
use super::error::{clear, ossffi_error, report};
use super::result::ossffi_result;
use crate::callback::{CallbackKeyCache, verify_with_key};

/// Verifies that a callback request was signed by the holder of `public_key_pem`, the RSA key
/// OSS signs callbacks with (use this when you keep OSS's public key yourself; otherwise use an
/// `ossffi_callback_key_cache`).
///
/// Pass the request exactly as received:
/// - `request_target`: the path with the raw query from the request line, such as
///   `/callback?id=1` (not decoded, not re-encoded);
/// - `authorization`: the value of the `Authorization` header;
/// - `body`, `body_len`: the exact body bytes; `{NULL, 0}` is an empty body;
/// - `public_key_pem`: a PEM RSA public key, `-----BEGIN PUBLIC KEY-----` or
///   `-----BEGIN RSA PUBLIC KEY-----`, 512 to 8192 bits (OSS's own key has 512).
///
/// OSS signs `url_decode(path) + "?" + query + "\n" + body` (the `?` and query only when
/// present) with RSA PKCS#1 v1.5 and MD5. Returns `OSSFFI_RESULT_OK` only when the signature
/// matches; then the body can be trusted. Otherwise, do not act on the request:
/// - `OSSFFI_RESULT_CALLBACK_SIGNATURE_MALFORMED`: `authorization` is not base64;
/// - `OSSFFI_RESULT_CALLBACK_KEY_MALFORMED`: `public_key_pem` is not a usable RSA public key;
/// - `OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH`: forged, or altered on the way;
/// - `OSSFFI_RESULT_NULL_PARAMETER` if a string is NULL or `body` is NULL with `body_len > 0`,
///   `OSSFFI_RESULT_INVALID_UTF8` if a string is not UTF-8.
///
/// `err_out` may be NULL. Otherwise `*err_out` is set to NULL on entry and, for the three
/// verification failures, to a new `ossffi_error` (code, message saying what to do) that the
/// caller frees with `ossffi_error_free`; for argument errors it stays NULL.
///
/// All inputs are copied or used only during the call. Any thread may call it; it does no I/O.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `body` is NULL or points to `body_len` readable
/// bytes; `err_out` is NULL or points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_verify(
    request_target: *const c_char,
    authorization: *const c_char,
    body: *const u8,
    body_len: usize,
    public_key_pem: *const c_char,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let request_target = try_str!(request_target);
        let authorization = try_str!(authorization);
        let body = try_bytes!(body, body_len);
        let public_key_pem = try_str!(public_key_pem);
        match verify_with_key(request_target, authorization, body, public_key_pem) {
            Ok(()) => ossffi_result::Ok,
            Err(error) => unsafe { report(error, err_out) },
        }
    }
}

/// Verifies callback requests with the public key their `x-oss-pub-key-url` header names,
/// fetching each key once and keeping it.
///
/// Only key URLs under an allowed prefix are fetched; by default these are
/// `https://gosspublic.alicdn.com/` and `http://gosspublic.alicdn.com/`, where OSS publishes its
/// key. Any other URL is refused before a connection is made, because whoever sends a request
/// chooses that header: a forger would name a key of their own. Keys on `gosspublic.alicdn.com`
/// are always fetched over HTTPS with the certificate checked, although OSS names its key
/// `http://gosspublic.alicdn.com/...`: over plain HTTP anyone on the path could substitute a key
/// and forge callbacks that verify. Prefixes added with
/// `ossffi_callback_key_cache_allow_prefix` are fetched with the scheme they name (the emulator
/// serves its key over `http://` on loopback). Fetches use no proxy (whatever
/// the environment says), follow no redirect, read at most 64 KiB and time out after 5 seconds
/// unless `ossffi_callback_key_cache_set_timeout_ms` says otherwise. A failed fetch is not
/// cached; the next request for that URL tries again.
///
/// Threads: a cache is safe to share between threads. Every function below except
/// `ossffi_callback_key_cache_free` may be called on the same cache from any number of threads
/// at once; create one cache for a whole callback server. Create it with
/// `ossffi_callback_key_cache_new`, free it with `ossffi_callback_key_cache_free` once no thread
/// uses it any more.
#[allow(non_camel_case_types)]
pub struct ossffi_callback_key_cache {
    inner: CallbackKeyCache,
}

/// Creates an empty key cache that allows the default OSS prefixes and fetches with a 5 second
/// timeout. Returns NULL only if ossffi failed internally. The caller owns the cache and frees
/// it with `ossffi_callback_key_cache_free`. Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_callback_key_cache_new() -> *mut ossffi_callback_key_cache {
    ffi_boundary! {
        into_raw(ossffi_callback_key_cache {
            inner: CallbackKeyCache::new(),
        })
    }
}

/// Frees a key cache and the keys it holds. NULL is a no-op. No other thread may be using the
/// cache during or after this call.
///
/// # Safety
/// `cache` is NULL or a cache from `ossffi_callback_key_cache_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_key_cache_free(cache: *mut ossffi_callback_key_cache) {
    ffi_boundary! { unsafe { free_raw(cache) } }
}

/// Also allows key URLs that start with `prefix`, for a signer other than OSS such as the ossffi
/// emulator (`http://127.0.0.1:PORT/`). OSS itself needs no call to this function.
///
/// `prefix` is NUL-terminated UTF-8, copied: an `http://` or `https://` URL with a host, an
/// optional port and path, and no user info, query or fragment. A key URL is under it when
/// scheme, host (case-insensitive) and port (default ports filled in) are equal and the URL's
/// path starts with the prefix's path; a path not ending in `/` matches whole segments only.
///
/// Returns `OSSFFI_RESULT_INVALID_ARGUMENT` for a prefix that is not such a URL (the cache is
/// then unchanged), `OSSFFI_RESULT_NULL_PARAMETER` if an argument is NULL,
/// `OSSFFI_RESULT_INVALID_UTF8` if `prefix` is not UTF-8. Allowing a prefix twice is harmless.
/// Any thread may call it, also while other threads verify with the same cache.
///
/// # Safety
/// `cache` is NULL or a live cache; `prefix` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_key_cache_allow_prefix(
    cache: *mut ossffi_callback_key_cache,
    prefix: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let cache = try_ref!(cache);
        let prefix = try_str!(prefix);
        match cache.inner.allow_prefix(prefix) {
            Ok(()) => ossffi_result::Ok,
            Err(_) => ossffi_result::InvalidArgument,
        }
    }
}

/// Sets how long one key fetch may take (connecting, then request to last byte, each within
/// it), in milliseconds (default
/// 5000; OSS waits at most 5 seconds for the whole callback). It applies to fetches that start
/// afterwards. Returns `OSSFFI_RESULT_INVALID_ARGUMENT` for 0 (the timeout is then unchanged)
/// and `OSSFFI_RESULT_NULL_PARAMETER` if `cache` is NULL. Any thread may call it, also while
/// other threads verify with the same cache.
///
/// # Safety
/// `cache` is NULL or a live cache.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_key_cache_set_timeout_ms(
    cache: *mut ossffi_callback_key_cache,
    timeout_ms: u32,
) -> ossffi_result {
    ffi_boundary! {
        let cache = try_ref!(cache);
        match cache.inner.set_timeout(Duration::from_millis(u64::from(timeout_ms))) {
            Ok(()) => ossffi_result::Ok,
            Err(_) => ossffi_result::InvalidArgument,
        }
    }
}

/// Verifies a callback request with the key named by its `x-oss-pub-key-url` header, fetching
/// that key the first time a URL is seen.
///
/// Pass the request exactly as received: `request_target` is the path with the raw query from
/// the request line (`/callback?id=1`); `authorization` the `Authorization` header;
/// `pub_key_url_b64` the `x-oss-pub-key-url` header as sent (base64 of the key URL); `body`,
/// `body_len` the exact body bytes (`{NULL, 0}` is an empty body).
///
/// Returns `OSSFFI_RESULT_OK` only when the signature matches; then the body can be trusted.
/// Otherwise do not act on the request. The checks run in this order:
/// - `OSSFFI_RESULT_CALLBACK_SIGNATURE_MALFORMED`: `authorization` is not base64;
/// - `OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED`: the key URL is not base64 of an `http://` or
///   `https://` URL under an allowed prefix; no connection was made;
/// - `OSSFFI_RESULT_CALLBACK_KEY_FETCH_FAILED`: the key could not be fetched (connection refused,
///   timeout, HTTP status other than 200; the error holds the status);
/// - `OSSFFI_RESULT_CALLBACK_KEY_MALFORMED`: the fetched document is not a PEM RSA public key;
/// - `OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH`: forged, or altered on the way;
/// - `OSSFFI_RESULT_NULL_PARAMETER` if `cache` or a string is NULL or `body` is NULL with
///   `body_len > 0`, `OSSFFI_RESULT_INVALID_UTF8` if a string is not UTF-8.
///
/// `err_out` may be NULL. Otherwise `*err_out` is set to NULL on entry and, for the five
/// verification failures, to a new `ossffi_error` (its message names the URL, the allowed
/// prefixes or the reason a fetch failed) that the caller frees with `ossffi_error_free`; for
/// argument errors it stays NULL.
///
/// Blocks for up to the fetch timeout when the key is not cached yet; requests for a URL whose
/// key another thread is fetching wait for that fetch. Any thread may call it, concurrently
/// with other calls on the same cache. All inputs are used only during the call.
///
/// # Safety
/// `cache` is NULL or a live cache; the strings are NULL or NUL-terminated; `body` is NULL or
/// points to `body_len` readable bytes; `err_out` is NULL or points to writable storage for a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_key_cache_verify(
    cache: *const ossffi_callback_key_cache,
    request_target: *const c_char,
    authorization: *const c_char,
    pub_key_url_b64: *const c_char,
    body: *const u8,
    body_len: usize,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let cache = try_ref!(cache);
        let request_target = try_str!(request_target);
        let authorization = try_str!(authorization);
        let pub_key_url_b64 = try_str!(pub_key_url_b64);
        let body = try_bytes!(body, body_len);
        match cache.inner.verify(request_target, authorization, pub_key_url_b64, body) {
            Ok(()) => ossffi_result::Ok,
            Err(error) => unsafe { report(error, err_out) },
        }
    }
}
