//! ObjectCallbackBuilder and ObjectCallbackVariableBuilder for C.

use std::ffi::{CString, c_char};

use super::boundary::{ffi_boundary, free_raw, into_raw, try_mut, try_out, try_ref, try_str};
use super::result::ossffi_result;
use super::strings::{c_string, owned_c_string};
use crate::callback::{CallbackBodyType, ObjectCallbackBuilder, ObjectCallbackVariableBuilder};

/// How OSS encodes the body it POSTs to the callback server (the C++ SDK's
/// `ObjectCallbackBuilder::Type`, same numbers).
// Only C sees these values (functions take them as uint32_t); cbindgen exports the enum.
#[allow(non_camel_case_types, dead_code)]
#[repr(u32)]
pub enum ossffi_callback_body_type {
    /// `application/x-www-form-urlencoded`, OSS's default. `callbackBodyType` is left out of the
    /// JSON, as the C++ SDK does.
    Url = 0,
    /// `application/json`.
    Json = 1,
}

/// Whether OSS sends TLS SNI to an https callback URL (`callbackSNI`; the C++ SDK cannot set it).
// Only C sees these values (functions take them as uint32_t); cbindgen exports the enum.
#[allow(non_camel_case_types, dead_code)]
#[repr(u32)]
pub enum ossffi_callback_sni {
    /// `callbackSNI` is left out of the JSON (OSS then sends no SNI). The default.
    Unset = 0,
    /// `"callbackSNI":true`.
    On = 1,
    /// `"callbackSNI":false`.
    Off = 2,
}

/// Builds the `x-oss-callback` header value, like the C++ SDK's `ObjectCallbackBuilder`.
///
/// The output is the SDK's byte for byte: standard base64 of compact JSON with the fields
/// `callbackUrl`, `callbackHost` (only when not empty), `callbackBody`, `callbackBodyType` (only
/// for JSON), in that order, plus `callbackSNI` last when set.
///
/// Deviation from the C++ SDK: the SDK pastes the strings into the JSON without escaping, so a
/// `"`, a `\` or a control character in them yields invalid JSON that OSS rejects. ossffi escapes
/// exactly those characters and nothing else, so text that is valid inside a JSON string (such as
/// OSS's documented pre-escaped form `{\"size\":${size}}`) comes out unchanged, byte-identical to
/// the SDK, while `{"size":${size}}` becomes `{\"size\":${size}}` instead of broken JSON. A
/// backslash that starts a valid JSON escape (`\n`, `\"`, `\u00e9`, ...) is kept as that escape.
///
/// A builder is a single-thread object: use it from one thread at a time (it may move between
/// threads). Create it with `ossffi_callback_builder_new`, free it with
/// `ossffi_callback_builder_free`.
#[allow(non_camel_case_types)]
pub struct ossffi_callback_builder {
    inner: ObjectCallbackBuilder,
    url: CString,
    body: CString,
    host: CString,
}

impl ossffi_callback_builder {
    fn refresh_strings(&mut self) {
        self.url = c_string(&self.inner.url);
        self.body = c_string(&self.inner.body);
        self.host = c_string(&self.inner.host);
    }
}

/// Creates a builder with an empty URL, body and host, body type
/// `OSSFFI_CALLBACK_BODY_TYPE_URL` and SNI unset. Returns NULL only if ossffi failed internally.
/// The caller owns the builder and frees it with `ossffi_callback_builder_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_callback_builder_new() -> *mut ossffi_callback_builder {
    ffi_boundary! {
        let mut builder = ossffi_callback_builder {
            inner: ObjectCallbackBuilder::default(),
            url: CString::default(),
            body: CString::default(),
            host: CString::default(),
        };
        builder.refresh_strings();
        into_raw(builder)
    }
}

/// Frees a builder. NULL is a no-op. Strings returned by the builder's getters become invalid;
/// strings returned by `ossffi_callback_builder_build` stay valid (the caller owns them).
///
/// # Safety
/// `builder` is NULL or a builder from `ossffi_callback_builder_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_free(builder: *mut ossffi_callback_builder) {
    ffi_boundary! { unsafe { free_raw(builder) } }
}

/// The shared body of the string setters: validate, copy, refresh the getter strings.
///
/// # Safety
/// As for the exported setters.
unsafe fn set_string(
    builder: *mut ossffi_callback_builder,
    value: *const c_char,
    field: fn(&mut ObjectCallbackBuilder) -> &mut String,
) -> ossffi_result {
    ffi_boundary! {
        let builder = try_mut!(builder);
        let value = try_str!(value);
        *field(&mut builder.inner) = value.to_owned();
        builder.refresh_strings();
        ossffi_result::Ok
    }
}

/// Sets `callbackUrl`: one URL, or up to five separated by `;` that OSS tries in order.
///
/// `value` is NUL-terminated UTF-8, copied. Returns `OSSFFI_RESULT_NULL_PARAMETER` if `builder`
/// or `value` is NULL and `OSSFFI_RESULT_INVALID_UTF8` if `value` is not UTF-8; the builder is then
/// unchanged. On success the string earlier returned by `ossffi_callback_builder_url` becomes
/// invalid.
///
/// # Safety
/// `builder` is NULL or a live builder; `value` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_set_url(
    builder: *mut ossffi_callback_builder,
    value: *const c_char,
) -> ossffi_result {
    unsafe { set_string(builder, value, |b| &mut b.url) }
}

/// Sets `callbackBody`, the template OSS fills in: `${bucket}`, `${object}`, `${etag}`, `${size}`,
/// `${mimeType}`, ... and `${x:name}` custom variables.
///
/// Arguments, results and invalidation as for `ossffi_callback_builder_set_url`; on success the
/// string earlier returned by `ossffi_callback_builder_body` becomes invalid.
///
/// # Safety
/// `builder` is NULL or a live builder; `value` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_set_body(
    builder: *mut ossffi_callback_builder,
    value: *const c_char,
) -> ossffi_result {
    unsafe { set_string(builder, value, |b| &mut b.body) }
}

/// Sets `callbackHost`, the Host header of the callback request; "" leaves the field out.
///
/// Arguments, results and invalidation as for `ossffi_callback_builder_set_url`; on success the
/// string earlier returned by `ossffi_callback_builder_host` becomes invalid.
///
/// # Safety
/// `builder` is NULL or a live builder; `value` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_set_host(
    builder: *mut ossffi_callback_builder,
    value: *const c_char,
) -> ossffi_result {
    unsafe { set_string(builder, value, |b| &mut b.host) }
}

/// The `callbackUrl` set so far ("" initially), or NULL if `builder` is NULL. The string belongs
/// to the builder: valid until the builder is freed or the URL is set again; do not free it.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_url(
    builder: *const ossffi_callback_builder,
) -> *const c_char {
    ffi_boundary! { try_ref!(builder).url.as_ptr() }
}

/// The `callbackBody` set so far, like `ossffi_callback_builder_url`.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_body(
    builder: *const ossffi_callback_builder,
) -> *const c_char {
    ffi_boundary! { try_ref!(builder).body.as_ptr() }
}

/// The `callbackHost` set so far, like `ossffi_callback_builder_url`.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_host(
    builder: *const ossffi_callback_builder,
) -> *const c_char {
    ffi_boundary! { try_ref!(builder).host.as_ptr() }
}

/// Sets the body type, an `ossffi_callback_body_type`. Returns `OSSFFI_RESULT_INVALID_ARGUMENT`
/// for any other value (the builder is then unchanged) and `OSSFFI_RESULT_NULL_PARAMETER` if
/// `builder` is NULL.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_set_body_type(
    builder: *mut ossffi_callback_builder,
    body_type: u32,
) -> ossffi_result {
    ffi_boundary! {
        let builder = try_mut!(builder);
        match CallbackBodyType::from_code(body_type) {
            Some(body_type) => {
                builder.inner.body_type = body_type;
                ossffi_result::Ok
            }
            None => ossffi_result::InvalidArgument,
        }
    }
}

/// The body type (an `ossffi_callback_body_type`); `OSSFFI_CALLBACK_BODY_TYPE_URL` if `builder`
/// is NULL.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_body_type(
    builder: *const ossffi_callback_builder,
) -> u32 {
    ffi_boundary! { try_ref!(builder).inner.body_type.code() }
}

/// Sets `callbackSNI`, an `ossffi_callback_sni`. Returns `OSSFFI_RESULT_INVALID_ARGUMENT` for any
/// other value (the builder is then unchanged) and `OSSFFI_RESULT_NULL_PARAMETER` if `builder` is
/// NULL.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_set_sni(
    builder: *mut ossffi_callback_builder,
    sni: u32,
) -> ossffi_result {
    ffi_boundary! {
        let builder = try_mut!(builder);
        builder.inner.sni = match sni {
            0 => None,
            1 => Some(true),
            2 => Some(false),
            _ => return ossffi_result::InvalidArgument,
        };
        ossffi_result::Ok
    }
}

/// The SNI setting (an `ossffi_callback_sni`); `OSSFFI_CALLBACK_SNI_UNSET` if `builder` is NULL.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_sni(
    builder: *const ossffi_callback_builder,
) -> u32 {
    ffi_boundary! {
        match try_ref!(builder).inner.sni {
            None => 0,
            Some(true) => 1,
            Some(false) => 2,
        }
    }
}

/// Builds the `x-oss-callback` header value into `*out`: a new NUL-terminated string the caller
/// frees with `ossffi_string_free` (never libc `free`). As in the C++ SDK, the value is the empty
/// string "" when the URL or the body is empty (then send no callback header).
///
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` if `builder` or `out` is NULL. On any failure `*out`
/// (when `out` is not NULL) is set to NULL. The builder is not changed and may be built again.
///
/// # Safety
/// `builder` is NULL or a live builder; `out` is NULL or points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_builder_build(
    builder: *const ossffi_callback_builder,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let builder = try_ref!(builder);
        let value = owned_c_string(&builder.inner.build());
        unsafe { *out = value };
        ossffi_result::Ok
    }
}

/// Builds the `x-oss-callback-var` header value, like the C++ SDK's
/// `ObjectCallbackVariableBuilder`: standard base64 of a compact JSON object of the variables.
///
/// Variables are kept as the SDK keeps them: ordered by ASCII case-insensitive comparison of the
/// keys; adding a key that equals an existing one case-insensitively replaces the value and keeps
/// the first spelling of the key. Keys and values are escaped as described for
/// `ossffi_callback_builder` (only what would make the JSON invalid).
///
/// A builder is a single-thread object: use it from one thread at a time (it may move between
/// threads). Create it with `ossffi_callback_var_builder_new`, free it with
/// `ossffi_callback_var_builder_free`.
#[allow(non_camel_case_types)]
pub struct ossffi_callback_var_builder {
    inner: ObjectCallbackVariableBuilder,
    c_entries: Vec<(CString, CString)>,
}

/// Creates an empty variable builder. Returns NULL only if ossffi failed internally. The caller
/// owns it and frees it with `ossffi_callback_var_builder_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_callback_var_builder_new() -> *mut ossffi_callback_var_builder {
    ffi_boundary! {
        into_raw(ossffi_callback_var_builder {
            inner: ObjectCallbackVariableBuilder::new(),
            c_entries: Vec::new(),
        })
    }
}

/// Frees a variable builder. NULL is a no-op. Strings returned by its getters become invalid.
///
/// # Safety
/// `builder` is NULL or a builder from `ossffi_callback_var_builder_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_var_builder_free(
    builder: *mut ossffi_callback_var_builder,
) {
    ffi_boundary! { unsafe { free_raw(builder) } }
}

/// Adds the custom variable `key` = `value`, or replaces the value of a key that equals `key`
/// case-insensitively. `key` must start with lower-case `x:` (as in the C++ SDK, where
/// `addCallbackVariable` returns false otherwise): any other key gives
/// `OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY` and the builder is unchanged.
///
/// Both strings are NUL-terminated UTF-8, copied. Returns `OSSFFI_RESULT_NULL_PARAMETER` if any
/// pointer is NULL, `OSSFFI_RESULT_INVALID_UTF8` for invalid UTF-8. On success, strings earlier
/// returned by `ossffi_callback_var_builder_key`, `_value` and `_get` become invalid.
///
/// # Safety
/// `builder` is NULL or a live builder; `key` and `value` are NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_var_builder_add(
    builder: *mut ossffi_callback_var_builder,
    key: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let builder = try_mut!(builder);
        let key = try_str!(key);
        let value = try_str!(value);
        if builder.inner.add(key, value).is_err() {
            return ossffi_result::InvalidCallbackVariableKey;
        }
        builder.c_entries = builder
            .inner
            .entries()
            .iter()
            .map(|(k, v)| (c_string(k), c_string(v)))
            .collect();
        ossffi_result::Ok
    }
}

/// The number of variables; 0 if `builder` is NULL.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_var_builder_len(
    builder: *const ossffi_callback_var_builder,
) -> usize {
    ffi_boundary! { try_ref!(builder).c_entries.len() }
}

/// The key of the variable at `index` (0-based, in the SDK's order), or NULL if `builder` is
/// NULL or `index` is out of range. The string belongs to the builder: valid until the builder is
/// freed or a variable is added; do not free it.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_var_builder_key(
    builder: *const ossffi_callback_var_builder,
    index: usize,
) -> *const c_char {
    ffi_boundary! {
        let builder = try_ref!(builder);
        builder.c_entries.get(index).map_or(std::ptr::null(), |(key, _)| key.as_ptr())
    }
}

/// The value of the variable at `index`, like `ossffi_callback_var_builder_key`.
///
/// # Safety
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_var_builder_value(
    builder: *const ossffi_callback_var_builder,
    index: usize,
) -> *const c_char {
    ffi_boundary! {
        let builder = try_ref!(builder);
        builder.c_entries.get(index).map_or(std::ptr::null(), |(_, value)| value.as_ptr())
    }
}

/// The value of the variable whose key equals `key` case-insensitively, or NULL if there is none
/// or an argument is NULL or not UTF-8. The string belongs to the builder: valid until the builder
/// is freed or a variable is added; do not free it.
///
/// # Safety
/// `builder` is NULL or a live builder; `key` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_var_builder_get(
    builder: *const ossffi_callback_var_builder,
    key: *const c_char,
) -> *const c_char {
    ffi_boundary! {
        let builder = try_ref!(builder);
        let key = try_str!(key);
        let found = builder
            .inner
            .entries()
            .iter()
            .position(|(existing, _)| existing.eq_ignore_ascii_case(key));
        found.map_or(std::ptr::null(), |i| builder.c_entries[i].1.as_ptr())
    }
}

/// Builds the `x-oss-callback-var` header value into `*out`: a new NUL-terminated string the
/// caller frees with `ossffi_string_free`. The empty string "" when there are no variables (as in
/// the C++ SDK; then send no header).
///
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` if `builder` or `out` is NULL; `*out` (when `out` is
/// not NULL) is then set to NULL.
///
/// # Safety
/// `builder` is NULL or a live builder; `out` is NULL or points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_callback_var_builder_build(
    builder: *const ossffi_callback_var_builder,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let builder = try_ref!(builder);
        let value = owned_c_string(&builder.inner.build());
        unsafe { *out = value };
        ossffi_result::Ok
    }
}
