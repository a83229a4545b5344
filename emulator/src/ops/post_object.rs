//! PostObject: a browser form upload (`multipart/form-data`) to the bucket URL
//! (spec/postobject.md).
//!
//! The form authenticates itself: headers and URL signatures are ignored. The checks run in the
//! order of the spec's §6: the form (MalformedPOSTRequest), `key` before `file`, the auth fields
//! (InvalidArgument), the policy (InvalidPolicyDocument), the AccessKey and the signature over
//! the `policy` field exactly as received, the expiration and the V4 date, every condition, then
//! the file is streamed into the store with content-length-range enforced on the way. Only a
//! form that passed every check is stored; then the callback runs and the reply is built.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::net::IpAddr;

use md5::{Digest, Md5};
use ossffi::encoding::{base64_encode, uri_encode};
use ossffi::signing::{v1, v4};
use ossffi::time::parse_iso8601_basic;

use super::body::receive;
use super::put::{destination, digest_header, md5_needed, store_received};
use super::{Ctx, OBJECT_ACLS, RequestedMeta, check_echoed_value, esc, finish_with_callback};
use crate::callback::{self, CallbackRequest, ObjectFacts};
use crate::config::Credential;
use crate::error::OssError;
use crate::form::{self, FormError, FormReader, MAX_FIELD, MAX_FIELDS_TOTAL};
use crate::http::{Body, RequestHead, Response};
use crate::post_policy::{self, Policy};
use crate::route::{self, Target};
use crate::store::discard;

const MALFORMED: &str = "The body of your POST request is not well-formed multipart/form-data";
const KEY_MISSING: &str = "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields";
const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
const V4_ALGORITHM: &str = "OSS4-HMAC-SHA256";
/// A V4 form is valid for at most 7 days from its `x-oss-date`.
const V4_MAX_AGE: i64 = 7 * 24 * 3600;

/// Whether the request is a PostObject: a POST to a bucket with a multipart/form-data body.
pub(crate) fn is_post_object(head: &RequestHead, target: &Target) -> bool {
    head.method == "POST"
        && matches!(target, Target::Bucket(_))
        && head
            .header("content-type")
            .is_some_and(|ct| form::boundary(ct).is_some())
}

/// Whether a request might be a PostObject, whose form may ask for a callback (and so block),
/// judged from its head alone.
pub(crate) fn may_be_post_object(parts: &hyper::http::request::Parts) -> bool {
    parts.method == hyper::Method::POST
        && parts
            .headers
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|t| t.to_str().ok())
            .is_some_and(|t| form::boundary(t).is_some())
}

fn malformed(why: &str) -> OssError {
    OssError::new(400, "MalformedPOSTRequest", MALFORMED).field("Hint", why)
}

fn form_error(e: FormError) -> OssError {
    match e {
        FormError::Malformed(why) => malformed(&why),
        FormError::TooLarge(message) => OssError::invalid_argument(message),
        FormError::Io(e) => super::body::body_error(e),
    }
}

/// The form fields before `file`, in order, each name once (the first of repeated ones);
/// names are matched case-insensitively.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A field's value, `None` when absent or empty.
    fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

/// How the form is signed.
enum Signature<'a> {
    V1 {
        access_key_id: &'a str,
        signature: &'a str,
    },
    V4 {
        credential: &'a str,
        date: &'a str,
        signature: &'a str,
    },
}

/// The auth fields, all present or all absent (InvalidArgument otherwise); `None` = unsigned.
fn auth_fields(fields: &Fields) -> Result<Option<(Signature<'_>, &str)>, OssError> {
    const V4_FIELDS: [&str; 4] = [
        "x-oss-signature-version",
        "x-oss-credential",
        "x-oss-date",
        "x-oss-signature",
    ];
    let incomplete = |names: &[&str], missing: &str, ec: &'static str| {
        OssError::invalid_argument_named(
            format!(
                "A signed PostObject form must contain all of {}; {missing} is missing.",
                names.join(", ")
            ),
            missing,
            "",
        )
        .ec(ec)
    };
    if V4_FIELDS.iter().any(|n| fields.get(n).is_some()) {
        let names = [&V4_FIELDS[..], &["policy"]].concat();
        if let Some(missing) = names.iter().find(|n| fields.non_empty(n).is_none()) {
            return Err(incomplete(&names, missing, "0002-00000703"));
        }
        let version = fields.get("x-oss-signature-version").unwrap_or("");
        if version != V4_ALGORITHM {
            return Err(OssError::invalid_argument_named(
                format!("x-oss-signature-version must be {V4_ALGORITHM}."),
                "x-oss-signature-version",
                version,
            ));
        }
        let signature = Signature::V4 {
            credential: fields.get("x-oss-credential").unwrap_or(""),
            date: fields.get("x-oss-date").unwrap_or(""),
            signature: fields.get("x-oss-signature").unwrap_or(""),
        };
        return Ok(Some((signature, fields.get("policy").unwrap_or(""))));
    }
    let names = ["OSSAccessKeyId", "policy", "Signature"];
    if !names.iter().any(|n| fields.non_empty(n).is_some()) {
        return Ok(None);
    }
    if let Some(missing) = names.iter().find(|n| fields.non_empty(n).is_none()) {
        let ec = if *missing == "policy" {
            "0002-00000702"
        } else {
            "0002-00000703"
        };
        return Err(incomplete(&names, missing, ec));
    }
    let signature = Signature::V1 {
        access_key_id: fields.get("OSSAccessKeyId").unwrap_or(""),
        signature: fields.get("Signature").unwrap_or(""),
    };
    Ok(Some((signature, fields.get("policy").unwrap_or(""))))
}

fn credential<'a>(ctx: &'a Ctx, access_key_id: &str) -> Result<&'a Credential, OssError> {
    ctx.state
        .config
        .credentials
        .iter()
        .find(|c| c.access_key_id == access_key_id)
        .ok_or_else(|| {
            OssError::new(
                403,
                "InvalidAccessKeyId",
                "The OSS Access Key Id you provided does not exist in our records.",
            )
            .field("OSSAccessKeyId", access_key_id)
            .ec("0002-00000902")
        })
}

fn check_token(credential: &Credential, fields: &Fields) -> Result<(), OssError> {
    let provided = fields.get("x-oss-security-token");
    match &credential.security_token {
        Some(expected) if provided != Some(expected.as_str()) => Err(OssError::new(
            403,
            "InvalidSecurityToken",
            if provided.is_some() {
                "The security token you provided is invalid."
            } else {
                "This access key is temporary (STS): send its security token in the x-oss-security-token field."
            },
        )),
        _ => Ok(()),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn mismatch(access_key_id: &str, provided: &str, policy: &str, ec: &'static str) -> OssError {
    OssError::new(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH)
        .field("OSSAccessKeyId", access_key_id)
        .field("SignatureProvided", provided)
        .field("StringToSign", policy)
        .ec(ec)
}

/// Checks the signature over `policy` exactly as received; V4 also its credential scope and
/// time window.
fn verify(ctx: &Ctx, signature: &Signature, policy: &str, fields: &Fields) -> Result<(), OssError> {
    match signature {
        Signature::V1 {
            access_key_id,
            signature,
        } => {
            let cred = credential(ctx, access_key_id)?;
            check_token(cred, fields)?;
            let expected = v1::signature(&cred.access_key_secret, policy);
            if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
                return Err(mismatch(access_key_id, signature, policy, "0002-00000040"));
            }
            Ok(())
        }
        Signature::V4 {
            credential: scope,
            date,
            signature,
        } => {
            let bad_credential = |why: &str| {
                OssError::invalid_argument_named(
                    format!(
                        "Invalid x-oss-credential: {why}; expected <AccessKeyId>/<yyyymmdd>/<region>/oss/aliyun_v4_request."
                    ),
                    "x-oss-credential",
                    scope,
                )
            };
            let parts: Vec<&str> = scope.split('/').collect();
            if parts.len() != 5 || parts[0].is_empty() {
                return Err(bad_credential("it must have five '/'-separated parts"));
            }
            let (access_key_id, day, region) = (parts[0], parts[1], parts[2]);
            if parts[3] != "oss" || parts[4] != "aliyun_v4_request" {
                return Err(bad_credential(
                    "the product must be oss and the terminator aliyun_v4_request",
                )
                .ec("0002-00000710"));
            }
            let Some(signed_at) = parse_iso8601_basic(date) else {
                return Err(OssError::invalid_argument_named(
                    "x-oss-date must be yyyymmddTHHMMSSZ (UTC).",
                    "x-oss-date",
                    date,
                ));
            };
            if day.len() != 8 || !date.starts_with(day) {
                return Err(bad_credential("its date must be the day of x-oss-date"));
            }
            if region != ctx.state.config.region {
                return Err(bad_credential(&format!(
                    "region {region} is not the region this emulator serves ({}, set with --region)",
                    ctx.state.config.region
                )));
            }
            let cred = credential(ctx, access_key_id)?;
            check_token(cred, fields)?;
            let key = v4::signing_key(&cred.access_key_secret, day, region, "oss");
            let expected = v4::signature(&key, policy);
            if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
                return Err(mismatch(access_key_id, signature, policy, "0002-00000201"));
            }
            let skew = ctx.state.config.max_clock_skew.as_secs() as i64;
            if signed_at > ctx.now.saturating_add(skew) {
                return Err(OssError::new(
                    403,
                    "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.",
                )
                .field("RequestTime", date.to_string())
                .ec("0002-00000504"));
            }
            if ctx.now.saturating_sub(signed_at) > V4_MAX_AGE {
                return Err(OssError::access_denied(
                    "Request has expired: a V4 PostObject signature is valid for 7 days from x-oss-date.",
                )
                .field("RequestTime", date.to_string())
                .ec("0002-00000069"));
            }
            Ok(())
        }
    }
}

/// The `success_action_redirect` host, when the URL is http(s).
fn redirect_host(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split(']').next();
    }
    host_port.split(':').next().filter(|h| !h.is_empty())
}

/// Loopback: 127.0.0.0/8, ::1, `localhost` and `*.localhost`.
fn is_loopback_host(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    lower == "localhost"
        || lower.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `url` with `bucket`, `key` and `etag` appended to its query, before any fragment.
fn redirect_location(url: &str, bucket: &str, key: &str, etag: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!(
        "{base}{sep}bucket={}&key={}&etag={}",
        uri_encode(bucket, false),
        uri_encode(key, false),
        uri_encode(etag, false)
    );
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The object's address, for the 201 PostResponse.
fn location(ctx: &Ctx, bucket: &str, key: &str) -> String {
    let scheme = if ctx.state.config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let host = ctx.header("host").unwrap_or("");
    let name = route::host_name(host);
    let virtual_host = name.starts_with(&format!("{bucket}."))
        || ctx
            .state
            .config
            .cnames
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case(&name));
    let key = uri_encode(key, true);
    if virtual_host {
        format!("{scheme}://{host}/{key}")
    } else {
        format!("{scheme}://{host}/{bucket}/{key}")
    }
}

fn form_meta(fields: &Fields, file_content_type: Option<&str>) -> Result<RequestedMeta, OssError> {
    let storage_class = super::storage_class(fields.get("x-oss-storage-class"))?;
    if let Some(acl) = fields.get("x-oss-object-acl") {
        if !OBJECT_ACLS.contains(&acl) {
            return Err(OssError::invalid_argument_named(
                format!(
                    "Invalid object ACL {acl:?}; use one of {}.",
                    OBJECT_ACLS.join(", ")
                ),
                "x-oss-object-acl",
                acl,
            ));
        }
        if acl != "default" && acl != "private" {
            return Err(OssError::not_implemented(&format!(
                "PostObject with x-oss-object-acl={acl} (object ACLs)"
            )));
        }
    }
    if let Some(sse) = fields.get("x-oss-server-side-encryption") {
        if !matches!(sse, "AES256" | "KMS" | "SM4") {
            return Err(OssError::new(
                400,
                "InvalidEncryptionAlgorithmError",
                "The encryption request you specified is not valid. Supported value: AES256/KMS/SM4",
            )
            .field("ArgumentName", "x-oss-server-side-encryption")
            .field("ArgumentValue", sse));
        }
        return Err(OssError::not_implemented(&format!(
            "PostObject with x-oss-server-side-encryption={sse} (server-side encryption)"
        )));
    }
    for name in [
        "x-oss-server-side-encryption-key-id",
        "x-oss-server-side-data-encryption",
        "x-oss-tagging",
    ] {
        if fields.get(name).is_some() {
            return Err(OssError::not_implemented(&format!(
                "PostObject with the {name} field"
            )));
        }
    }
    let (user_meta, http_headers) = super::stored_fields(
        fields.0.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        |name| fields.get(name),
    )?;
    // x-oss-content-type, then the file part's Content-Type, then the Content-Type field.
    let content_type = fields
        .non_empty("x-oss-content-type")
        .or(file_content_type.filter(|t| !t.is_empty()))
        .or(fields.non_empty("Content-Type"))
        .unwrap_or("application/octet-stream");
    check_echoed_value("Content-Type", content_type)?;
    Ok(RequestedMeta {
        content_type: content_type.to_string(),
        user_meta,
        http_headers,
        storage_class: storage_class.to_string(),
    })
}

/// The form's `callback` with its `x:` fields as custom variables; `None` without a callback.
fn form_callback(ctx: &Ctx, fields: &Fields) -> Result<Option<CallbackRequest>, OssError> {
    let Some(callback_b64) = fields.non_empty("callback") else {
        return Ok(None);
    };
    if ctx.header("x-oss-callback").is_some() || ctx.param("callback").is_some() {
        return Err(OssError::invalid_argument_named(
            "Give the callback in one place only: the form's callback field, or the x-oss-callback header, or the callback query parameter.",
            "callback",
            "",
        )
        .ec("0007-00000027"));
    }
    let to_error = |e: callback::CallbackParamError| {
        OssError::invalid_argument_named(e.message, &e.argument_name, &e.argument_value)
    };
    let mut vars = BTreeMap::new();
    for (name, value) in &fields.0 {
        if name.len() > 2 && name[..2].eq_ignore_ascii_case("x:") {
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                return Err(OssError::invalid_argument_named(
                    format!("The callback variable {name:?} must be lower-case."),
                    name,
                    value,
                ));
            }
            vars.insert(name.clone(), value.clone());
        }
    }
    let request = callback::parse(callback_b64, None)
        .map_err(to_error)?
        .with_vars(vars);
    if !request.is_configured() {
        return Ok(None);
    }
    ctx.state
        .callbacker
        .check_targets(&request)
        .map_err(to_error)?;
    Ok(Some(request))
}

/// What the client gets when no callback answers for the upload.
enum Reply {
    Redirect(String),
    Status(u16),
}

/// A reader that computes the MD5 of everything read through it, when asked to.
struct Md5Reader<'a> {
    inner: &'a mut Body,
    md5: Option<Md5>,
}

impl Read for Md5Reader<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        if let Some(m) = &mut self.md5 {
            m.update(&out[..n]);
        }
        Ok(n)
    }
}

fn file_exists() -> OssError {
    OssError::new(
        409,
        "FileAlreadyExists",
        "The object you specified already exists and can not be overwritten.",
    )
}

pub(crate) fn post_object(ctx: &Ctx, bucket: &str, body: &mut Body) -> Result<Response, OssError> {
    let content_type = ctx.header("content-type").unwrap_or("");
    let boundary = match form::boundary(content_type) {
        Some(Ok(b)) => b,
        Some(Err(why)) => return Err(malformed(&why)),
        None => return Err(malformed("the Content-Type is not multipart/form-data")),
    };
    let expected_md5 = super::put::content_md5(ctx)?;
    let mut form = FormReader::new(
        Md5Reader {
            inner: body,
            md5: expected_md5.map(|_| Md5::new()),
        },
        &boundary,
    );

    // 1. The fields before `file`.
    let mut list = Vec::new();
    let mut seen = HashSet::new();
    let file = loop {
        match form.next_part().map_err(form_error)? {
            None => break None,
            Some(part) if part.name.eq_ignore_ascii_case("file") => break Some(part),
            Some(part) => {
                let value = form.read_field(&part.name, MAX_FIELD).map_err(form_error)?;
                if form.consumed > MAX_FIELDS_TOTAL {
                    return Err(OssError::invalid_argument(format!(
                        "The form fields before the file take more than {MAX_FIELDS_TOTAL} bytes, the most ossffi-emulator accepts."
                    )));
                }
                let value = String::from_utf8(value).map_err(|_| {
                    malformed(&format!("the value of field {:?} is not UTF-8", part.name))
                })?;
                // A repeated field counts once, the first time: the policy is checked against
                // the value that is then used, never one copy checked and another stored or
                // sent to the callback.
                if seen.insert(part.name.to_ascii_lowercase()) {
                    list.push((part.name, value));
                }
            }
        }
    };
    let fields = Fields(list);

    // 2. `key` before `file`.
    let Some(raw_key) = fields.non_empty("key") else {
        return Err(OssError::invalid_argument(KEY_MISSING));
    };
    let Some(file) = file else {
        return Err(OssError::invalid_argument(
            "The body of your POST request must contain a file field (the last field of the form).",
        ));
    };

    // 3-6. The auth fields, the policy, the signature, the expiration.
    let Some((signature, policy_field)) = auth_fields(&fields)? else {
        return Err(OssError::access_denied(
            "You have no right to access this object because of bucket acl.",
        )
        .field(
            "Hint",
            "ossffi-emulator refuses unsigned PostObject forms; sign the policy with a configured access key.",
        ));
    };
    let policy: Policy = post_policy::decode(policy_field)?;
    verify(ctx, &signature, policy_field, &fields)?;
    if ctx.now.saturating_mul(1000) >= policy.expiration_ms {
        return Err(OssError::access_denied(
            "Invalid according to Policy: Policy expired.",
        ));
    }

    // 7. The conditions (the key before ${filename} is expanded).
    policy.check(|name| {
        if name.eq_ignore_ascii_case("bucket") {
            Some(bucket)
        } else {
            fields.get(name)
        }
    })?;

    // The rest of the request, before anything is read of the file.
    let filename = file.filename.clone().unwrap_or_default();
    let key = raw_key.replace("${filename}", &filename);
    route::check_key(&key)?;
    let meta = form_meta(&fields, file.content_type.as_deref())?;
    let forbid = fields
        .get("x-oss-forbid-overwrite")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let store = &ctx.state.store;
    if forbid && store.exists(bucket, &key) {
        return Err(file_exists());
    }
    let callback = form_callback(ctx, &fields)?;
    let reply = match fields.non_empty("success_action_redirect") {
        Some(url) if callback.is_none() => {
            if !redirect_host(url).is_some_and(is_loopback_host) || !super::is_field_value(url) {
                return Err(OssError::new(
                    501,
                    "NotImplemented",
                    format!(
                        "success_action_redirect {url:?} is refused: ossffi-emulator only redirects to \
                         loopback addresses (127.0.0.0/8, ::1, localhost, *.localhost), so that it never \
                         sends a client to another machine. Nothing was stored."
                    ),
                )
                .field("ArgumentName", "success_action_redirect")
                .field("ArgumentValue", url));
            }
            Reply::Redirect(url.to_owned())
        }
        _ => Reply::Status(match fields.get("success_action_status") {
            Some("200") => 200,
            Some("201") => 201,
            _ => 204,
        }),
    };

    // 8. The file, streamed, within content-length-range and the object size limit.
    let max_object = ctx.state.config.max_object_size;
    let (min, max) = match policy.length_range() {
        Some((lo, hi)) => (lo, hi.min(max_object)),
        None => (0, max_object),
    };
    let dest = destination(ctx, bucket);
    let with_md5 = md5_needed(ctx, None);
    let received = receive(&mut form.body_stream(), None, max, dest, with_md5);
    let mut rec = match received {
        Ok(rec) => rec,
        Err(e) => {
            return Err(match form.malformed.take() {
                Some(why) => malformed(&why),
                None => e,
            });
        }
    };
    let drop_data = |rec: &super::body::Received| {
        if let Some(data) = &rec.data {
            discard(data);
        }
    };
    if rec.size < min {
        drop_data(&rec);
        return Err(OssError::new(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size.",
        )
        .field("MinSizeAllowed", min.to_string())
        .field("ProposedSize", rec.size.to_string()));
    }
    // The parts after `file` are skipped, but the form must still end properly.
    if let Err(e) = form.finish() {
        drop_data(&rec);
        return Err(form_error(e));
    }
    if let Some(expected) = expected_md5 {
        let mut rest = [0u8; 8192];
        let mut src = form.into_inner();
        loop {
            match src.read(&mut rest) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    drop_data(&rec);
                    return Err(super::body::body_error(e));
                }
            }
        }
        let got: [u8; 16] = src.md5.take().unwrap_or_default().finalize().into();
        if got != expected {
            drop_data(&rec);
            return Err(OssError::new(
                400,
                "InvalidDigest",
                "The Content-MD5 you specified was invalid.",
            )
            .field("Content-MD5", ctx.header("content-md5").unwrap_or(""))
            .field("CalculatedContentMD5", base64_encode(&got)));
        }
    }

    // 10. Store, then the callback or the reply.
    let stored = store_received(ctx, bucket, &key, &mut rec, meta, forbid)?;
    let (etag_hex, md5_b64, mime_type) = (stored.etag_hex, stored.md5_b64, stored.mime_type);
    let etag = format!("\"{etag_hex}\"");
    let resp = Response::new(200)
        .header("ETag", etag.clone())
        .header("x-oss-hash-crc64ecma", rec.crc64.to_string());
    let mut resp = digest_header(resp, rec.md5);
    if let Some(cb) = callback {
        let facts = ObjectFacts {
            bucket,
            object: &key,
            etag: &etag_hex,
            size: rec.size,
            mime_type: &mime_type,
            crc64: rec.crc64,
            content_md5: &md5_b64,
            client_ip: &ctx.client_ip,
            request_id: ctx.request_id,
            operation: "PostObject",
        };
        return Ok(finish_with_callback(ctx, &cb, &facts, resp));
    }
    match reply {
        Reply::Redirect(url) => {
            resp.status = 303;
            resp.push_header("Location", redirect_location(&url, bucket, &key, &etag));
            Ok(resp)
        }
        Reply::Status(201) => {
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse>\n  <Bucket>{}</Bucket>\n  <Location>{}</Location>\n  <Key>{}</Key>\n  <ETag>{}</ETag>\n</PostResponse>\n",
                esc(bucket),
                esc(&location(ctx, bucket, &key)),
                esc(&key),
                // Hex digits in quotes: written as OSS shows it, nothing to escape.
                etag
            );
            let mut xml_resp = Response::xml(201, xml);
            for (n, v) in resp.headers {
                xml_resp.push_header(n, v);
            }
            Ok(xml_resp)
        }
        Reply::Status(status) => {
            resp.status = status;
            Ok(resp)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_redirects_are_followed() {
        for url in [
            "http://127.0.0.1:8080/done",
            "https://127.1.2.3/x?y=1",
            "http://[::1]:9/",
            "http://localhost/",
            "http://app.localhost:3000/ok",
            "http://user@127.0.0.1/",
        ] {
            assert!(redirect_host(url).is_some_and(is_loopback_host), "{url}");
        }
        for url in [
            "https://app.example.com/done",
            "http://127.0.0.1.example.com/",
            "http://example.com@evil.example/",
            "javascript:alert(1)",
            "//127.0.0.1/",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
        ] {
            assert!(!redirect_host(url).is_some_and(is_loopback_host), "{url}");
        }
    }

    #[test]
    fn redirect_location_appends_bucket_key_and_etag() {
        assert_eq!(
            redirect_location("http://127.0.0.1/done?from=oss#top", "b", "a b/c", "\"E\""),
            "http://127.0.0.1/done?from=oss&bucket=b&key=a%20b%2Fc&etag=%22E%22#top"
        );
    }
}
