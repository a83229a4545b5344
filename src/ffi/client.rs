//! Client configuration and clients for C.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::boundary::{ffi_boundary, free_raw, into_raw, try_mut, try_out, try_ref, try_str};
use super::error::{clear, ossffi_error, report};
use super::result::ossffi_result;
use crate::client::Client;
use crate::config::{ClientConfig, ProxyScheme, SignatureVersion};
use crate::credentials::{
    Credentials, CredentialsProvider, EnvironmentCredentials, StaticCredentials,
};
use crate::error::{Error, ErrorKind};
use crate::pool::Pool;

/// Which signature requests carry (the C++ SDK's `SignatureVersionType`, same numbers).
// Only C sees these values (functions take them as uint32_t); cbindgen exports the enum.
#[allow(non_camel_case_types, dead_code)]
#[repr(u32)]
pub enum ossffi_signature_version {
    /// HMAC-SHA1 (`OSS <id>:<signature>`).
    V1 = 0,
    /// OSS4-HMAC-SHA256, which needs a region. The default.
    V4 = 1,
}

/// Settings for a client, mirroring the C++ SDK's `ClientConfiguration` with its defaults:
/// user agent `ossffi/<version> (<os>)`, 16 pooled connections per host, connect timeout 5000 ms,
/// request (stall) timeout 10000 ms, 3 retries with 300/600/1200 ms backoff, TLS verification
/// on, no proxy, virtual-host addressing, CRC-64 checking on, signature V4 (the C++ SDK defaults
/// to V1), no region.
///
/// A configuration is copied into each client made from it and may then be changed or freed.
/// Single-thread object. Create with `ossffi_client_config_new`, free with
/// `ossffi_client_config_free`.
#[allow(non_camel_case_types)]
pub struct ossffi_client_config {
    pub(crate) inner: ClientConfig,
}

/// Creates a configuration with the defaults. Returns NULL only if ossffi failed internally.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_client_config_new() -> *mut ossffi_client_config {
    ffi_boundary! { into_raw(ossffi_client_config { inner: ClientConfig::default() }) }
}

/// Frees a configuration. NULL is a no-op. Clients made from it are not affected.
///
/// # Safety
/// `config` is NULL or a configuration from `ossffi_client_config_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_free(config: *mut ossffi_client_config) {
    ffi_boundary! { unsafe { free_raw(config) } }
}

/// The shared body of the string setters.
///
/// # Safety
/// As for the exported setters.
unsafe fn set_string(
    config: *mut ossffi_client_config,
    value: *const c_char,
    field: fn(&mut ClientConfig) -> &mut String,
) -> ossffi_result {
    ffi_boundary! {
        let config = try_mut!(config);
        let value = try_str!(value);
        *field(&mut config.inner) = value.to_owned();
        ossffi_result::Ok
    }
}

/// The shared body of the numeric and switch setters.
///
/// # Safety
/// As for the exported setters.
unsafe fn set_value(
    config: *mut ossffi_client_config,
    apply: impl FnOnce(&mut ClientConfig),
) -> ossffi_result {
    ffi_boundary! {
        apply(&mut try_mut!(config).inner);
        ossffi_result::Ok
    }
}

/// Sets the `User-Agent` sent with every request. `value` is copied. Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for a NULL or non-UTF-8 argument.
///
/// # Safety
/// `config` is NULL or a live configuration; `value` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_user_agent(
    config: *mut ossffi_client_config,
    value: *const c_char,
) -> ossffi_result {
    unsafe { set_string(config, value, |c| &mut c.user_agent) }
}

/// Sets the region used in V4 signatures, e.g. `"cn-hangzhou"` (the part after `oss-` in
/// `oss-cn-hangzhou.aliyuncs.com`). Arguments and results as for
/// `ossffi_client_config_set_user_agent`.
///
/// # Safety
/// `config` is NULL or a live configuration; `value` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_region(
    config: *mut ossffi_client_config,
    value: *const c_char,
) -> ossffi_result {
    unsafe { set_string(config, value, |c| &mut c.region) }
}

/// Sets a PEM file of CA certificates to trust instead of the built-in Mozilla roots (the C++
/// SDK's caFile). "" restores the default. Arguments and results as for
/// `ossffi_client_config_set_user_agent`.
///
/// # Safety
/// `config` is NULL or a live configuration; `value` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_ca_file(
    config: *mut ossffi_client_config,
    value: *const c_char,
) -> ossffi_result {
    unsafe { set_string(config, value, |c| &mut c.ca_file) }
}

/// Sets a directory of PEM CA certificates to trust (the C++ SDK's caPath). Arguments and
/// results as for `ossffi_client_config_set_user_agent`.
///
/// # Safety
/// `config` is NULL or a live configuration; `value` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_ca_path(
    config: *mut ossffi_client_config,
    value: *const c_char,
) -> ossffi_result {
    unsafe { set_string(config, value, |c| &mut c.ca_path) }
}

/// Sends requests through the HTTP proxy `host:port` (HTTPS goes through it with CONNECT);
/// `host` "" turns the proxy off; `port` 0 means 80. `host` is copied. Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for a NULL or non-UTF-8 argument.
///
/// # Safety
/// `config` is NULL or a live configuration; `host` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_proxy(
    config: *mut ossffi_client_config,
    host: *const c_char,
    port: u16,
) -> ossffi_result {
    ffi_boundary! {
        let config = try_mut!(config);
        let host = try_str!(host);
        config.inner.proxy_host = host.to_owned();
        config.inner.proxy_port = port;
        config.inner.proxy_scheme = ProxyScheme::Http;
        ossffi_result::Ok
    }
}

/// Sets the proxy's user name and password (Basic authentication). Both are copied; "" for
/// none. Returns `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for a NULL or
/// non-UTF-8 argument.
///
/// # Safety
/// `config` is NULL or a live configuration; the strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_proxy_credentials(
    config: *mut ossffi_client_config,
    username: *const c_char,
    password: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let config = try_mut!(config);
        let username = try_str!(username);
        let password = try_str!(password);
        config.inner.proxy_username = username.to_owned();
        config.inner.proxy_password = password.to_owned();
        ossffi_result::Ok
    }
}

/// Non-zero: when no proxy is set, take one from `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`,
/// honouring `NO_PROXY`. Off by default, so the environment never redirects uploads unasked.
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_proxy_from_env(
    config: *mut ossffi_client_config,
    enabled: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.proxy_from_env = enabled != 0) }
}

/// Idle keep-alive connections kept per host (the C++ SDK's maxConnections, default 16; 0 is
/// taken as 1). Returns `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_max_connections(
    config: *mut ossffi_client_config,
    value: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.max_connections = value) }
}

/// Connect timeout in milliseconds (default 5000). Returns `OSSFFI_RESULT_NULL_PARAMETER` if
/// `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_connect_timeout_ms(
    config: *mut ossffi_client_config,
    value: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.connect_timeout_ms = u64::from(value)) }
}

/// Request timeout in milliseconds (default 10000): a request fails when the server neither
/// takes nor sends a byte for this long, so a silent server cannot hang the caller, while a slow
/// but moving upload of any size continues. Returns `OSSFFI_RESULT_NULL_PARAMETER` if `config`
/// is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_request_timeout_ms(
    config: *mut ossffi_client_config,
    value: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.request_timeout_ms = u64::from(value)) }
}

/// Retries after a failed attempt (default 3; 0 disables retrying). Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_max_retries(
    config: *mut ossffi_client_config,
    value: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.max_retries = value) }
}

/// The backoff scale: retry n waits (1 << n) * `value` ms (default 300). Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_retry_scale_ms(
    config: *mut ossffi_client_config,
    value: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.retry_scale_ms = u64::from(value)) }
}

/// Non-zero (the default) checks TLS certificates and host names; 0 accepts any certificate
/// (testing only). Returns `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_verify_ssl(
    config: *mut ossffi_client_config,
    enabled: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.verify_ssl = enabled != 0) }
}

/// Non-zero: the endpoint is a custom domain bound to the bucket (no `bucket.` prefix).
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_cname(
    config: *mut ossffi_client_config,
    enabled: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.is_cname = enabled != 0) }
}

/// Non-zero: address buckets as `endpoint/bucket/key`. IP endpoints always are. Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_path_style(
    config: *mut ossffi_client_config,
    enabled: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.is_path_style = enabled != 0) }
}

/// Non-zero (the default): compare the CRC-64 computed while sending with the server's
/// `x-oss-hash-crc64ecma`; a mismatch fails the upload with `OSSFFI_RESULT_CRC_MISMATCH`.
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_crc64(
    config: *mut ossffi_client_config,
    enabled: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.enable_crc64 = enabled != 0) }
}

/// Non-zero (the default): after OSS answers RequestTimeTooSkewed, sign later requests with the
/// server's clock (the C++ SDK's enableDateSkewAdjustment). Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` if `config` is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_date_skew_adjustment(
    config: *mut ossffi_client_config,
    enabled: u32,
) -> ossffi_result {
    unsafe { set_value(config, |c| c.enable_date_skew_adjustment = enabled != 0) }
}

/// Sets the signature version, an `ossffi_signature_version`. Returns
/// `OSSFFI_RESULT_INVALID_ARGUMENT` for another value, `OSSFFI_RESULT_NULL_PARAMETER` if `config`
/// is NULL.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_signature_version(
    config: *mut ossffi_client_config,
    version: u32,
) -> ossffi_result {
    ffi_boundary! {
        let config = try_mut!(config);
        config.inner.signature_version = match version {
            0 => SignatureVersion::V1,
            1 => SignatureVersion::V4,
            _ => return ossffi_result::InvalidArgument,
        };
        ossffi_result::Ok
    }
}

/// A client: endpoint, credentials, settings and a pool of keep-alive connections.
///
/// Thread-safe: one client may be used by many threads at once for concurrent uploads, sharing
/// its connections. Create it with `ossffi_client_new` (or `_new_from_env`,
/// `_new_with_credentials_callback`); free it with `ossffi_client_free` once no call is using it.
#[allow(non_camel_case_types)]
#[derive(Clone)]
pub struct ossffi_client {
    pub(crate) inner: Arc<Client>,
    /// Where `ossffi_client_submit` runs calls; each running call holds a clone of the client.
    pub(crate) pool: Arc<Pool>,
    /// How many times `ossffi_client_cancel_all` was called: a call submitted before the count
    /// changed is cancelled (it looks at the count when it starts and between chunks), so no list
    /// of the calls in flight is kept.
    pub(crate) cancel_epoch: Arc<std::sync::atomic::AtomicU64>,
}

/// Receives the credentials a credentials callback supplies, through
/// `ossffi_credentials_set`. Valid only during the callback.
#[allow(non_camel_case_types)]
pub struct ossffi_credentials {
    inner: Option<Credentials>,
}

/// Supplies credentials for one request attempt: call `ossffi_credentials_set(out, ...)` and
/// return 0, or return non-zero to fail the upload with `OSSFFI_RESULT_CREDENTIALS`.
///
/// Called once per attempt (so rotated STS credentials take effect on the next attempt), on the
/// thread that is uploading; with a client shared by several threads it may run on several
/// threads at once, so it must be thread-safe. It must not unwind (throw) into ossffi.
#[allow(non_camel_case_types)]
pub type ossffi_credentials_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, out: *mut ossffi_credentials) -> i32>;

/// Releases a callback's userdata when the client that owns it is freed.
#[allow(non_camel_case_types)]
pub type ossffi_destroy_fn = Option<unsafe extern "C" fn(userdata: *mut c_void)>;

/// Gives the credentials from inside an `ossffi_credentials_fn`. `access_key_id` and
/// `access_key_secret` are required; `security_token` may be NULL or "" for long-term keys. All
/// are copied. Returns `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for a NULL
/// or non-UTF-8 argument.
///
/// # Safety
/// `out` is the pointer the callback received; the strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_credentials_set(
    out: *mut ossffi_credentials,
    access_key_id: *const c_char,
    access_key_secret: *const c_char,
    security_token: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_mut!(out);
        let id = try_str!(access_key_id);
        let secret = try_str!(access_key_secret);
        let token = if security_token.is_null() { "" } else { try_str!(security_token) };
        out.inner = Some(Credentials {
            access_key_id: id.to_owned(),
            access_key_secret: secret.to_owned(),
            security_token: (!token.is_empty()).then(|| token.to_owned()),
        });
        ossffi_result::Ok
    }
}

struct CallbackCredentials {
    callback: unsafe extern "C" fn(*mut c_void, *mut ossffi_credentials) -> i32,
    userdata: *mut c_void,
    destroy: ossffi_destroy_fn,
}

// SAFETY: the header requires the callback to be thread-safe for its userdata, which ossffi only
// passes back to it (and to the destroy function, once, when the client is freed).
unsafe impl Send for CallbackCredentials {}
unsafe impl Sync for CallbackCredentials {}

impl CredentialsProvider for CallbackCredentials {
    fn credentials(&self) -> Result<Credentials, Error> {
        let mut out = ossffi_credentials { inner: None };
        // SAFETY: the caller promised a valid callback for this userdata.
        let code = unsafe { (self.callback)(self.userdata, &mut out) };
        if code != 0 {
            return Err(Error::new(
                ErrorKind::Credentials,
                "InvalidCredentials",
                format!("the credentials callback returned {code}"),
            ));
        }
        out.inner.ok_or_else(|| {
            Error::new(
                ErrorKind::Credentials,
                "InvalidCredentials",
                "the credentials callback returned 0 without calling ossffi_credentials_set",
            )
        })
    }
}

impl Drop for CallbackCredentials {
    fn drop(&mut self) {
        if let Some(destroy) = self.destroy {
            // SAFETY: called once, as the header promises, when the client is freed.
            unsafe { destroy(self.userdata) };
        }
    }
}

/// # Safety
/// The pointers are as the exported constructors document.
unsafe fn new_client(
    endpoint: *const c_char,
    provider: Arc<dyn CredentialsProvider>,
    config: *const ossffi_client_config,
    client_out: *mut *mut ossffi_client,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let client_out = try_out!(client_out);
        let endpoint = try_str!(endpoint);
        let config = match unsafe { config.as_ref() } {
            Some(config) => config.inner.clone(),
            None => ClientConfig::default(),
        };
        let pool = Pool::new(config.async_threads(), config.async_queue_capacity as usize);
        match Client::new(endpoint, provider, config) {
            Ok(client) => {
                let client = ossffi_client {
                    inner: Arc::new(client),
                    pool: Arc::new(pool),
                    cancel_epoch: Arc::default(),
                };
                unsafe { *client_out = into_raw(client) };
                ossffi_result::Ok
            }
            Err(error) => unsafe { report(error, err_out) },
        }
    }
}

/// Creates a client for `endpoint` (`https://oss-cn-hangzhou.aliyuncs.com`; without a scheme,
/// `http://` as in the C++ SDK; an IP endpoint such as `http://127.0.0.1:9000` is addressed
/// path-style) with fixed credentials. `security_token` may be NULL or "" for long-term keys.
/// `config` may be NULL for the defaults; it is copied. Strings are copied.
///
/// On success writes the new client to `*client_out` (the caller frees it with
/// `ossffi_client_free`). On failure `*client_out` is NULL and, when `err_out` is not NULL,
/// `*err_out` receives an error object the caller frees with `ossffi_error_free`: an invalid
/// endpoint is `OSSFFI_RESULT_VALIDATE_ERROR` (code `ValidateError`). No I/O happens here.
///
/// # Safety
/// String arguments are NULL or NUL-terminated; `config` is NULL or live; `client_out` and
/// `err_out` are NULL or point to writable storage.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_new(
    endpoint: *const c_char,
    access_key_id: *const c_char,
    access_key_secret: *const c_char,
    security_token: *const c_char,
    config: *const ossffi_client_config,
    client_out: *mut *mut ossffi_client,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        if !client_out.is_null() {
            unsafe { *client_out = std::ptr::null_mut() };
        }
        let id = try_str!(access_key_id);
        let secret = try_str!(access_key_secret);
        let token = if security_token.is_null() { "" } else { try_str!(security_token) };
        let credentials = Credentials {
            access_key_id: id.to_owned(),
            access_key_secret: secret.to_owned(),
            security_token: (!token.is_empty()).then(|| token.to_owned()),
        };
        unsafe { new_client(endpoint, Arc::new(StaticCredentials(credentials)), config, client_out, err_out) }
    }
}

/// Creates a client whose credentials come from the environment on every attempt:
/// `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET` and optionally `OSS_SESSION_TOKEN` (the C++
/// SDK's `EnvironmentVariableCredentialsProvider`). A missing `OSS_ACCESS_KEY_ID` fails the
/// upload with `OSSFFI_RESULT_CREDENTIALS`. Otherwise as `ossffi_client_new`.
///
/// # Safety
/// As for `ossffi_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_new_from_env(
    endpoint: *const c_char,
    config: *const ossffi_client_config,
    client_out: *mut *mut ossffi_client,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    unsafe {
        new_client(
            endpoint,
            Arc::new(EnvironmentCredentials),
            config,
            client_out,
            err_out,
        )
    }
}

/// Creates a client that asks `callback` for credentials on every attempt (see
/// `ossffi_credentials_fn` for when and on which threads it runs). `userdata` is passed to it
/// unchanged and must stay valid until the client is freed; `destroy` (may be NULL) is called
/// with `userdata` exactly once when the client is freed, or right away if creation fails.
/// Otherwise as `ossffi_client_new`; `callback` NULL is `OSSFFI_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// As for `ossffi_client_new`; `callback` and `destroy` are valid for `userdata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_new_with_credentials_callback(
    endpoint: *const c_char,
    callback: ossffi_credentials_fn,
    userdata: *mut c_void,
    destroy: ossffi_destroy_fn,
    config: *const ossffi_client_config,
    client_out: *mut *mut ossffi_client,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        if !client_out.is_null() {
            unsafe { *client_out = std::ptr::null_mut() };
        }
        let Some(callback) = callback else {
            if let Some(destroy) = destroy {
                unsafe { destroy(userdata) };
            }
            return ossffi_result::NullParameter;
        };
        // From here the provider owns userdata: dropping it (on any failure) calls destroy.
        let provider = Arc::new(CallbackCredentials { callback, userdata, destroy });
        unsafe { new_client(endpoint, provider, config, client_out, err_out) }
    }
}

/// Sets the V4 signing region of an existing client (the C++ SDK's `OssClient::SetRegion`);
/// takes effect for uploads that start afterwards. Thread-safe. Returns
/// `OSSFFI_RESULT_NULL_PARAMETER` / `OSSFFI_RESULT_INVALID_UTF8` for a NULL or non-UTF-8 argument.
///
/// # Safety
/// `client` is NULL or a live client; `region` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_set_region(
    client: *const ossffi_client,
    region: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let client = try_ref!(client);
        let region = try_str!(region);
        client.inner.set_region(region);
        ossffi_result::Ok
    }
}

/// Frees a client and its idle connections. NULL is a no-op. No synchronous call may be using
/// the client.
///
/// Asynchronous calls (`ossffi_client_submit`) are not lost: the client first takes no more of
/// them (a submission then fails with `OSSFFI_RESULT_CLIENT_CLOSING`), lets every queued call
/// run, and waits until the running ones and their completion callbacks have returned. To
/// cancel them instead of waiting, call `ossffi_client_cancel_all` first. Called from one of the
/// client's own completion callbacks, it waits for the other pool threads but not its own: the
/// client pointer is invalid once it returns, and that callback then finishes normally.
///
/// # Safety
/// `client` is NULL or a client from ossffi not yet freed and not in use by a synchronous call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_free(client: *mut ossffi_client) {
    ffi_boundary! {
        if let Some(live) = unsafe { client.as_ref() } {
            live.pool.shutdown();
        }
        unsafe { free_raw(client) }
    }
}
