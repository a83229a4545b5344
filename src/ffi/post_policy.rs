//! PostObject policy signing for C: the form fields of a browser upload straight to OSS.

use std::ffi::{CString, c_char};

use super::boundary::{ffi_boundary, free_raw, into_raw, try_mut, try_out, try_ref, try_str};
use super::error::{clear, ossffi_error, report};
use super::result::ossffi_result;
use super::strings::{c_string, pair_at, str_from_c};
use crate::error::Error;
use crate::post_object::{Condition, PostPolicy, PostSignatureVersion, PostSigner};
use crate::signing::Credentials;

/// A PostObject policy being described: what a browser form may upload to OSS, and with which
/// credentials and signature it is signed. `ossffi_post_policy_sign` turns it into the form
/// fields (`ossffi_form_fields`) an application server embeds in its HTML form:
///
/// ```c
/// ossffi_post_policy *p = NULL;
/// ossffi_post_policy_new("examplebucket", now + 3600, &p);   // expires in an hour
/// ossffi_post_policy_require_key_prefix(p, "user/42/");       // key field: user/42/${filename}
/// ossffi_post_policy_require_content_length(p, 1, 10 << 20);
/// ossffi_post_policy_add_field(p, "Content-Type", "image/png");
/// ossffi_post_policy_add_condition(p, "starts-with", "Content-Type", "image/");
/// ossffi_post_policy_set_success_action_status(p, 201);
/// ossffi_post_policy_set_credentials(p, id, secret, NULL);    // or an STS token
/// ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V4, "cn-hangzhou", now);
/// ossffi_form_fields *fields = NULL;
/// ossffi_error *err = NULL;
/// if (ossffi_post_policy_sign(p, &fields, &err) == OSSFFI_RESULT_OK) {
///     for (size_t i = 0; i < ossffi_form_fields_count(fields); i++) {
///         const char *name, *value;
///         ossffi_form_fields_at(fields, i, &name, &value);
///         // <input type="hidden" name="NAME" value="VALUE"> (HTML-escape both)
///     }
///     // then <input type="file" name="file"> last; the form POSTs to
///     // https://examplebucket.oss-cn-hangzhou.aliyuncs.com/ as multipart/form-data
///     ossffi_form_fields_free(fields);
/// } else {
///     ... ossffi_error_message(err) ...
///     ossffi_error_free(err);
/// }
/// ossffi_post_policy_free(p);
/// ```
///
/// The policy pins the bucket, the V4 signature fields, the STS token and the callback itself;
/// the caller's conditions follow in the order added. The output is byte-equal to Alibaba's
/// Node.js SDK (ali-oss) for the same policy. Signing is a pure computation: no I/O, and the
/// signing time is an argument. Single-thread object; create with `ossffi_post_policy_new`,
/// free with `ossffi_post_policy_free`.
#[allow(non_camel_case_types)]
pub struct ossffi_post_policy {
    policy: PostPolicy,
    credentials: Option<Credentials>,
    version: Option<PostSignatureVersion>,
}

/// The signed form fields, in the order the form sends them: `key`, the fields added, `callback`,
/// the `x:` variables, then the signature fields (`x-oss-signature-version`, `x-oss-credential`,
/// `x-oss-date`, `x-oss-security-token` with STS, `policy`, `x-oss-signature` for V4;
/// `OSSAccessKeyId`, `x-oss-security-token`, `policy`, `Signature` for V1). The `file` input goes
/// after all of them. Owned by the caller, freed with `ossffi_form_fields_free`; its strings
/// belong to it. Immutable: any thread may read it, one thread frees it.
#[allow(non_camel_case_types)]
pub struct ossffi_form_fields {
    fields: Vec<(CString, CString)>,
}

/// Creates a policy for `bucket` (always pinned as `{"bucket":...}`) that expires at
/// `expiration`, unix seconds (written `2025-01-15T09:30:00.000Z`; a V4 policy must expire after
/// its signing time), and writes it to `*policy_out`: no key, no conditions, no credentials and
/// no signature version yet. The bucket name is checked when signing.
///
/// Returns `OSSFFI_RESULT_NULL_PARAMETER` if `bucket` or `policy_out` is NULL,
/// `OSSFFI_RESULT_INVALID_UTF8` if `bucket` is not UTF-8. The caller owns the policy and frees it
/// with `ossffi_post_policy_free`.
///
/// # Safety
/// `bucket` is NULL or a NUL-terminated string; `policy_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_new(
    bucket: *const c_char,
    expiration: i64,
    policy_out: *mut *mut ossffi_post_policy,
) -> ossffi_result {
    ffi_boundary! {
        let policy_out = try_out!(policy_out);
        let bucket = try_str!(bucket);
        let policy = ossffi_post_policy {
            policy: PostPolicy::new(bucket, expiration),
            credentials: None,
            version: None,
        };
        unsafe { *policy_out = into_raw(policy) };
        ossffi_result::Ok
    }
}

/// Frees a policy. NULL is a no-op. Form fields it produced stay valid.
///
/// # Safety
/// `policy` is NULL or a policy from `ossffi_post_policy_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_free(policy: *mut ossffi_post_policy) {
    ffi_boundary! { unsafe { free_raw(policy) } }
}

/// The shared body of the one-string setters.
///
/// # Safety
/// As for the exported setters.
unsafe fn set_one(
    policy: *mut ossffi_post_policy,
    value: *const c_char,
    apply: fn(&mut PostPolicy, &str),
) -> ossffi_result {
    ffi_boundary! {
        let policy = try_mut!(policy);
        let value = try_str!(value);
        apply(&mut policy.policy, value);
        ossffi_result::Ok
    }
}

/// The shared body of the name + value setters.
///
/// # Safety
/// As for the exported setters.
unsafe fn set_two(
    policy: *mut ossffi_post_policy,
    name: *const c_char,
    value: *const c_char,
    apply: fn(&mut PostPolicy, &str, &str),
) -> ossffi_result {
    ffi_boundary! {
        let policy = try_mut!(policy);
        let name = try_str!(name);
        let value = try_str!(value);
        apply(&mut policy.policy, name, value);
        ossffi_result::Ok
    }
}

/// Sets the `key` field's value (it may contain `${filename}`) without adding a condition; use
/// it with `ossffi_post_policy_require_key_prefix` or `ossffi_post_policy_add_condition`.
///
/// Like every string setter below: returns `OSSFFI_RESULT_NULL_PARAMETER` if an argument is NULL
/// and `OSSFFI_RESULT_INVALID_UTF8` if a string is not UTF-8, copies the strings, and leaves
/// checking their values to `ossffi_post_policy_sign`, whose error says what is wrong.
///
/// # Safety
/// `policy` is NULL or a live policy; `key` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_set_key(
    policy: *mut ossffi_post_policy,
    key: *const c_char,
) -> ossffi_result {
    unsafe {
        set_one(policy, key, |p, v| {
            p.key(v);
        })
    }
}

/// Allows exactly one object: sets the `key` field and adds `["eq","$key",key]`.
///
/// # Safety
/// `policy` is NULL or a live policy; `key` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_require_key(
    policy: *mut ossffi_post_policy,
    key: *const c_char,
) -> ossffi_result {
    unsafe {
        set_one(policy, key, |p, v| {
            p.key_equals(v);
        })
    }
}

/// Allows any object under `prefix`: adds `["starts-with","$key",prefix]`. Unless
/// `ossffi_post_policy_set_key` sets it, the `key` field is `prefix` + `${filename}`, which OSS
/// replaces with the uploaded file's name. "" allows any key in the bucket. Signing refuses a
/// policy whose key is not limited by one of these or by a condition on `key`.
///
/// # Safety
/// `policy` is NULL or a live policy; `prefix` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_require_key_prefix(
    policy: *mut ossffi_post_policy,
    prefix: *const c_char,
) -> ossffi_result {
    unsafe {
        set_one(policy, prefix, |p, v| {
            p.key_starts_with(v);
        })
    }
}

/// Adds `["content-length-range",min,max]`: the file's size in bytes, both bounds included;
/// signing refuses `max < min`.
///
/// # Safety
/// `policy` is NULL or a live policy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_require_content_length(
    policy: *mut ossffi_post_policy,
    min: u64,
    max: u64,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(policy).policy.content_length_range(min, max);
        ossffi_result::Ok
    }
}

/// Adds a condition on a form field, written after the conditions added before it. `op` is the
/// policy's own word: `"eq"` (`["eq","$field","value"]`), `"starts-with"`
/// (`["starts-with","$field","prefix"]`, "" allows any value) or `"exact"` (the object form
/// `{"field":"value"}`, which OSS reads as `eq`). `field` is the form field's name without `$`
/// (`Content-Type`, `x-oss-meta-tag`); OSS matches names case-insensitively. Any other `op`
/// returns `OSSFFI_RESULT_INVALID_ARGUMENT`; lists go through
/// `ossffi_post_policy_add_list_condition`.
///
/// # Safety
/// `policy` is NULL or a live policy; `op`, `field` and `value` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_add_condition(
    policy: *mut ossffi_post_policy,
    op: *const c_char,
    field: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let policy = try_mut!(policy);
        let op = try_str!(op);
        let field = try_str!(field).to_owned();
        let value = try_str!(value).to_owned();
        let condition = match op {
            "exact" => Condition::Exact { field, value },
            "eq" => Condition::Eq { field, value },
            "starts-with" => Condition::StartsWith { field, prefix: value },
            _ => return ossffi_result::InvalidArgument,
        };
        policy.policy.condition(condition);
        ossffi_result::Ok
    }
}

/// Adds `["in","$field",[...]]` (`op` `"in"`) or `["not-in","$field",[...]]` (`op` `"not-in"`)
/// with the `count` strings of `values`; any other `op` returns `OSSFFI_RESULT_INVALID_ARGUMENT`.
/// Signing refuses an empty list.
///
/// # Safety
/// `policy` is NULL or a live policy; `op` and `field` are NULL or NUL-terminated strings;
/// `values` is NULL (only with `count` 0) or points to `count` pointers, each NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_add_list_condition(
    policy: *mut ossffi_post_policy,
    op: *const c_char,
    field: *const c_char,
    values: *const *const c_char,
    count: usize,
) -> ossffi_result {
    ffi_boundary! {
        let policy = try_mut!(policy);
        let op = try_str!(op);
        let field = try_str!(field).to_owned();
        let pointers: &[*const c_char] = match count {
            0 => &[],
            _ if values.is_null() => return ossffi_result::NullParameter,
            _ if isize::try_from(count).is_err() => return ossffi_result::InvalidArgument,
            _ => unsafe { std::slice::from_raw_parts(values, count) },
        };
        let mut list = Vec::with_capacity(pointers.len());
        for &pointer in pointers {
            match unsafe { str_from_c(pointer) } {
                Ok(value) => list.push(value.to_owned()),
                Err(code) => return code,
            }
        }
        let condition = match op {
            "in" => Condition::In { field, values: list },
            "not-in" => Condition::NotIn { field, values: list },
            _ => return ossffi_result::InvalidArgument,
        };
        policy.policy.condition(condition);
        ossffi_result::Ok
    }
}

/// Sets the `success_action_status` field and pins it with `eq`: OSS answers a successful upload
/// with 200 or 204 and an empty body, or 201 with an XML body; signing refuses other values. An
/// upload callback's reply replaces that answer.
///
/// # Safety
/// `policy` is NULL or a live policy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_set_success_action_status(
    policy: *mut ossffi_post_policy,
    status: u32,
) -> ossffi_result {
    ffi_boundary! {
        try_mut!(policy).policy.success_action_status(status);
        ossffi_result::Ok
    }
}

/// Sets the `success_action_redirect` field (the URL the browser goes to after a successful
/// upload) and pins it with `eq`.
///
/// # Safety
/// `policy` is NULL or a live policy; `url` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_set_success_action_redirect(
    policy: *mut ossffi_post_policy,
    url: *const c_char,
) -> ossffi_result {
    unsafe {
        set_one(policy, url, |p, v| {
            p.success_action_redirect(v);
        })
    }
}

/// Adds a form field without a condition (`Content-Type`, `Content-Disposition`,
/// `x-oss-meta-*`, ...), sent in the order added; pin it with `ossffi_post_policy_add_condition`.
/// Signing refuses the fields it writes itself (`key`, `policy`, the signature fields,
/// `callback`), `x:` names, and a name given twice.
///
/// # Safety
/// `policy` is NULL or a live policy; `name` and `value` are NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_add_field(
    policy: *mut ossffi_post_policy,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    unsafe {
        set_two(policy, name, value, |p, n, v| {
            p.field(n, v);
        })
    }
}

/// Sets the upload callback: the base64 callback JSON, as `ossffi_callback_builder_build`
/// returns it. It is sent as the `callback` field and pinned in the policy, so the page cannot
/// change it; signing refuses a value that is not base64 of JSON with `callbackUrl` and
/// `callbackBody`.
///
/// # Safety
/// `policy` is NULL or a live policy; `callback` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_set_callback(
    policy: *mut ossffi_post_policy,
    callback: *const c_char,
) -> ossffi_result {
    unsafe {
        set_one(policy, callback, |p, v| {
            p.callback(v);
        })
    }
}

/// Adds a custom callback variable (`${x:name}` in the callback body), sent as its own plain
/// `x:name` field in the order added (PostObject does not use `x-oss-callback-var`). Signing
/// refuses names that do not start with `x:` or are not lower case.
///
/// # Safety
/// `policy` is NULL or a live policy; `name` and `value` are NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_add_callback_var(
    policy: *mut ossffi_post_policy,
    name: *const c_char,
    value: *const c_char,
) -> ossffi_result {
    unsafe {
        set_two(policy, name, value, |p, n, v| {
            p.callback_var(n, v);
        })
    }
}

/// Sets the credentials that sign the form. `security_token` is NULL for long-term keys; with
/// STS credentials it is sent as `x-oss-security-token` and pinned in the policy. The secret
/// never appears in the fields.
///
/// # Safety
/// `policy` is NULL or a live policy; the strings are NULL (only `security_token` may be) or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_set_credentials(
    policy: *mut ossffi_post_policy,
    access_key_id: *const c_char,
    access_key_secret: *const c_char,
    security_token: *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let policy = try_mut!(policy);
        let id = try_str!(access_key_id);
        let secret = try_str!(access_key_secret);
        let token = match security_token.is_null() {
            true => None,
            false => Some(try_str!(security_token).to_owned()),
        };
        policy.credentials = Some(Credentials {
            access_key_id: id.to_owned(),
            access_key_secret: secret.to_owned(),
            security_token: token,
        });
        ossffi_result::Ok
    }
}

/// Sets the signature: `version` is an `ossffi_signature_version`. For
/// `OSSFFI_SIGNATURE_VERSION_V4`, `region` is the bucket's region id (`cn-hangzhou`; an `oss-`
/// prefix is dropped) and `signing_time` the current time in unix seconds, which becomes
/// `x-oss-date` (UTC); OSS accepts the form for 7 days from it at most. For
/// `OSSFFI_SIGNATURE_VERSION_V1` both are ignored (`region` may be NULL). An unknown version
/// returns `OSSFFI_RESULT_INVALID_ARGUMENT`, a NULL `region` with V4 `OSSFFI_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `policy` is NULL or a live policy; `region` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_set_signature(
    policy: *mut ossffi_post_policy,
    version: u32,
    region: *const c_char,
    signing_time: i64,
) -> ossffi_result {
    ffi_boundary! {
        let policy = try_mut!(policy);
        policy.version = Some(match version {
            0 => PostSignatureVersion::V1,
            1 => PostSignatureVersion::V4 { region: try_str!(region).to_owned(), signing_time },
            _ => return ossffi_result::InvalidArgument,
        });
        ossffi_result::Ok
    }
}

/// Signs the policy and writes the form fields to `*fields_out` (the caller frees them with
/// `ossffi_form_fields_free`). The policy is not consumed and may be changed and signed again.
///
/// Fails with `OSSFFI_RESULT_NULL_PARAMETER` if `policy` or `fields_out` is NULL; with
/// `OSSFFI_RESULT_INVALID_ARGUMENT` (or `OSSFFI_RESULT_VALIDATE_ERROR` for an invalid bucket or
/// key name) when the policy cannot work: no credentials or signature version set, a V4 policy
/// that expires before its signing time, no limit on the key, a key that fails its own
/// condition, an invalid condition, field, callback or callback variable. `err_out` may be NULL;
/// otherwise it is set to NULL on entry and, for those failures, to an `ossffi_error` whose
/// message says what to change (free it with `ossffi_error_free`).
///
/// Any thread may call it; it does no I/O.
///
/// # Safety
/// `policy` is NULL or a live policy; `fields_out` and `err_out` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_post_policy_sign(
    policy: *const ossffi_post_policy,
    fields_out: *mut *mut ossffi_form_fields,
    err_out: *mut *mut ossffi_error,
) -> ossffi_result {
    ffi_boundary! {
        unsafe { clear(err_out) };
        let fields_out = try_out!(fields_out);
        let policy = try_ref!(policy);
        match sign(policy) {
            Ok(fields) => {
                let fields = fields.iter().map(|(n, v)| (c_string(n), c_string(v))).collect();
                unsafe { *fields_out = into_raw(ossffi_form_fields { fields }) };
                ossffi_result::Ok
            }
            Err(error) => unsafe { report(error, err_out) },
        }
    }
}

fn sign(policy: &ossffi_post_policy) -> Result<Vec<(String, String)>, Error> {
    let credentials = policy.credentials.clone().ok_or_else(|| {
        Error::invalid_argument("no credentials: call ossffi_post_policy_set_credentials")
    })?;
    let version = policy.version.clone().ok_or_else(|| {
        Error::invalid_argument("no signature version: call ossffi_post_policy_set_signature")
    })?;
    policy.policy.sign(&PostSigner::new(credentials, version)?)
}

/// Frees form fields. NULL is a no-op; their strings become invalid.
///
/// # Safety
/// `fields` is NULL or form fields from `ossffi_post_policy_sign` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_form_fields_free(fields: *mut ossffi_form_fields) {
    ffi_boundary! { unsafe { free_raw(fields) } }
}

/// How many fields there are (0 if `fields` is NULL); read each with `ossffi_form_fields_at`.
///
/// # Safety
/// `fields` is NULL or live form fields.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_form_fields_count(fields: *const ossffi_form_fields) -> usize {
    ffi_boundary! { try_ref!(fields).fields.len() }
}

/// Field number `index` (from 0, in form order): writes its name to `*name_out` and its value to
/// `*value_out`, both belonging to `fields`. Values are raw text: HTML-escape them when writing
/// them into a page. An `index` not below `ossffi_form_fields_count` returns
/// `OSSFFI_RESULT_INVALID_ARGUMENT`; on any failure both outputs are NULL.
///
/// # Safety
/// `fields` is NULL or live form fields; `name_out` and `value_out` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_form_fields_at(
    fields: *const ossffi_form_fields,
    index: usize,
    name_out: *mut *const c_char,
    value_out: *mut *const c_char,
) -> ossffi_result {
    ffi_boundary! {
        let name_out = try_out!(name_out);
        let value_out = try_out!(value_out);
        let fields = try_ref!(fields);
        unsafe { pair_at(&fields.fields, index, name_out, value_out) }
    }
}
