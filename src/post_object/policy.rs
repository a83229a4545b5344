//! `PostPolicy`: what a browser form may upload, written as the policy JSON and signed.

use super::condition::Condition;
use super::signer::{PostSigner, V4_SIGNATURE_VERSION};
use crate::client::{validate_bucket, validate_key};
use crate::encoding::base64_decode;
use crate::error::Error;
use crate::time::iso8601_millis;

/// Form fields the signer writes itself; [`PostPolicy::field`] refuses them.
const SIGNER_FIELDS: &[&str] = &[
    "key",
    "file",
    "policy",
    "callback",
    "OSSAccessKeyId",
    "Signature",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-signature",
    "x-oss-security-token",
];

/// A PostObject policy and the form fields that go with it.
///
/// The policy text is compact JSON in the order ali-oss writes it (`JSON.stringify`: no spaces,
/// non-ASCII raw): `expiration`, then `conditions` = `{"bucket"}`, for V4 the three pinned V4
/// fields, `{"x-oss-security-token"}` with STS credentials, `{"callback"}` when there is a
/// callback, then the caller's conditions in the order they were added.
///
/// The form fields come out as `key`, the caller's fields in the order added, `callback`, the
/// `x:` variables in the order added, then the signature fields ([`PostSigner::auth_fields`]).
/// The HTML form appends the `file` input last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostPolicy {
    bucket: String,
    expiration: i64,
    key: Option<String>,
    conditions: Vec<Condition>,
    fields: Vec<(String, String)>,
    callback: Option<String>,
    callback_vars: Vec<(String, String)>,
}

impl PostPolicy {
    /// A policy for `bucket` that expires at `expiration` (unix seconds; written
    /// `2025-01-15T09:30:00.000Z`). The bucket is always pinned with `{"bucket":...}`.
    pub fn new(bucket: impl Into<String>, expiration: i64) -> Self {
        PostPolicy {
            bucket: bucket.into(),
            expiration,
            key: None,
            conditions: Vec::new(),
            fields: Vec::new(),
            callback: None,
            callback_vars: Vec::new(),
        }
    }

    /// Replaces the bucket given to [`new`](Self::new).
    pub fn bucket(&mut self, bucket: impl Into<String>) -> &mut Self {
        self.bucket = bucket.into();
        self
    }

    /// Replaces the expiration given to [`new`](Self::new) (unix seconds).
    pub fn expiration(&mut self, expiration: i64) -> &mut Self {
        self.expiration = expiration;
        self
    }

    /// The `key` field's value (it may contain `${filename}`), with no condition of its own.
    pub fn key(&mut self, key: impl Into<String>) -> &mut Self {
        self.key = Some(key.into());
        self
    }

    /// Exactly this object: the `key` field and `["eq","$key",key]`.
    pub fn key_equals(&mut self, key: impl Into<String>) -> &mut Self {
        let key = key.into();
        self.key = Some(key.clone());
        self.condition(Condition::Eq {
            field: "key".into(),
            value: key,
        })
    }

    /// Any object under `prefix`: `["starts-with","$key",prefix]`. Unless [`key`](Self::key)
    /// sets it, the `key` field is `prefix` + `${filename}` (OSS puts the file's name there).
    /// An empty prefix allows any key in the bucket.
    pub fn key_starts_with(&mut self, prefix: impl Into<String>) -> &mut Self {
        self.condition(Condition::StartsWith {
            field: "key".into(),
            prefix: prefix.into(),
        })
    }

    /// `["content-length-range",min,max]`: the file's size in bytes, both bounds included.
    pub fn content_length_range(&mut self, min: u64, max: u64) -> &mut Self {
        self.condition(Condition::ContentLengthRange { min, max })
    }

    /// The `success_action_status` field (200, 201 or 204) and its `eq` condition.
    pub fn success_action_status(&mut self, status: u32) -> &mut Self {
        self.pinned_field("success_action_status", &status.to_string())
    }

    /// The `success_action_redirect` field and its `eq` condition.
    pub fn success_action_redirect(&mut self, url: impl Into<String>) -> &mut Self {
        self.pinned_field("success_action_redirect", &url.into())
    }

    /// The `Content-Type` field and its `eq` condition.
    pub fn content_type(&mut self, content_type: impl Into<String>) -> &mut Self {
        self.pinned_field("Content-Type", &content_type.into())
    }

    /// A form field with no condition of its own (`Content-Disposition`, `x-oss-meta-*`, ...);
    /// add a [`condition`](Self::condition) to pin it.
    pub fn field(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Adds a condition after the ones already added.
    pub fn condition(&mut self, condition: Condition) -> &mut Self {
        self.conditions.push(condition);
        self
    }

    /// The upload callback: the base64 callback JSON (what `ObjectCallbackBuilder::build`
    /// returns). It is sent as the `callback` field and pinned as `{"callback":...}`.
    pub fn callback(&mut self, callback_base64: impl Into<String>) -> &mut Self {
        self.callback = Some(callback_base64.into());
        self
    }

    /// A custom callback variable (`${x:name}` in the callback body), sent as its own plain
    /// `x:name` field; the name starts with `x:` and is lower case.
    pub fn callback_var(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.callback_vars.push((name.into(), value.into()));
        self
    }

    fn pinned_field(&mut self, name: &str, value: &str) -> &mut Self {
        self.field(name, value);
        self.condition(Condition::Eq {
            field: name.into(),
            value: value.into(),
        })
    }

    /// The `key` field's value: as set, else the `starts-with` prefix + `${filename}`.
    fn key_value(&self) -> Option<String> {
        self.key.clone().or_else(|| {
            self.conditions.iter().find_map(|c| match c {
                Condition::StartsWith { field, prefix } if field.eq_ignore_ascii_case("key") => {
                    Some(format!("{prefix}${{filename}}"))
                }
                _ => None,
            })
        })
    }

    /// The policy JSON text that [`sign`](Self::sign) encodes and signs.
    pub fn policy_text(&self, signer: &PostSigner) -> Result<String, Error> {
        self.validate(signer)?;
        let mut out = String::with_capacity(512);
        out.push_str("{\"expiration\":\"");
        out.push_str(&iso8601_millis(self.expiration.saturating_mul(1000)));
        out.push_str("\",\"conditions\":[");
        for (i, condition) in self.all_conditions(signer).iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            condition.write_json(&mut out);
        }
        out.push_str("]}");
        Ok(out)
    }

    /// Every form field to embed in the HTML form, in order (the `file` input goes after them).
    pub fn sign(&self, signer: &PostSigner) -> Result<Vec<(String, String)>, Error> {
        let policy_text = self.policy_text(signer)?;
        let mut fields = Vec::with_capacity(self.fields.len() + self.callback_vars.len() + 8);
        fields.push(("key".to_owned(), self.key_value().expect("validated")));
        fields.extend(self.fields.iter().cloned());
        if let Some(callback) = &self.callback {
            fields.push(("callback".to_owned(), callback.clone()));
        }
        fields.extend(self.callback_vars.iter().cloned());
        fields.extend(signer.auth_fields(&policy_text));
        Ok(fields)
    }

    fn all_conditions(&self, signer: &PostSigner) -> Vec<Condition> {
        let exact = |field: &str, value: &str| Condition::Exact {
            field: field.to_owned(),
            value: value.to_owned(),
        };
        let mut all = vec![exact("bucket", &self.bucket)];
        if let Some((credential, date)) = signer.v4_credential_and_date() {
            all.push(exact("x-oss-signature-version", V4_SIGNATURE_VERSION));
            all.push(exact("x-oss-credential", &credential));
            all.push(exact("x-oss-date", &date));
        }
        if let Some(token) = signer.security_token() {
            all.push(exact("x-oss-security-token", token));
        }
        if let Some(callback) = &self.callback {
            all.push(exact("callback", callback));
        }
        all.extend(self.conditions.iter().cloned());
        all
    }

    fn validate(&self, signer: &PostSigner) -> Result<(), Error> {
        validate_bucket(&self.bucket)?;
        if let Some((_, date)) = signer.v4_credential_and_date() {
            let signing_time = crate::time::parse_iso8601_basic(&date).expect("we wrote it");
            if self.expiration <= signing_time {
                return Err(Error::invalid_argument(format!(
                    "the policy expires at {} but is signed at {}; OSS refuses an expired policy, so give an expiration after the signing time",
                    iso8601_millis(self.expiration.saturating_mul(1000)),
                    iso8601_millis(signing_time * 1000)
                )));
            }
        }
        let Some(key) = self.key_value() else {
            return Err(Error::invalid_argument(
                "the form has no key field; give the object's key, or a key prefix",
            ));
        };
        validate_key(&key)?;
        if !self.conditions.iter().any(|c| names(c.field(), "key")) {
            return Err(Error::invalid_argument(
                "the policy does not limit the object key, so the form could overwrite any object in the bucket; give the exact key or a key prefix (an empty prefix allows any key)",
            ));
        }
        for condition in &self.conditions {
            condition.validate()?;
        }
        self.validate_fields()?;
        if let Some(callback) = &self.callback {
            validate_callback(callback)?;
        }
        for condition in &self.conditions {
            let Some(field) = condition.field() else {
                continue;
            };
            if let Some(value) = self.form_value(&key, field)
                && !condition.accepts(value)
            {
                return Err(Error::invalid_argument(format!(
                    "the form field \"{field}\" = \"{value}\" fails the policy's own condition {}; OSS would refuse the upload",
                    condition.to_json()
                )));
            }
        }
        Ok(())
    }

    fn validate_fields(&self) -> Result<(), Error> {
        let mut seen: Vec<&str> = vec!["key"];
        if self.callback.is_some() {
            seen.push("callback");
        }
        for (name, value) in &self.fields {
            if name.is_empty() {
                return Err(Error::invalid_argument("a form field has an empty name"));
            }
            if SIGNER_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(name)) {
                return Err(Error::invalid_argument(format!(
                    "the form field \"{name}\" is written by the policy signer; use its own setter (key, callback, credentials)"
                )));
            }
            if name.len() >= 2 && name[..2].eq_ignore_ascii_case("x:") {
                return Err(Error::invalid_argument(format!(
                    "\"{name}\" is a callback variable; add it as a callback variable"
                )));
            }
            if name.eq_ignore_ascii_case("success_action_status")
                && !matches!(value.as_str(), "200" | "201" | "204")
            {
                return Err(Error::invalid_argument(format!(
                    "success_action_status must be 200, 201 or 204; got \"{value}\""
                )));
            }
            check_unique(&mut seen, name)?;
        }
        for (name, _) in &self.callback_vars {
            let valid = name.starts_with("x:")
                && name.len() > 2
                && !name.bytes().any(|b| b.is_ascii_uppercase());
            if !valid {
                return Err(Error::invalid_argument(format!(
                    "callback variable \"{name}\" must start with \"x:\" and be lower case, such as \"x:uid\""
                )));
            }
            check_unique(&mut seen, name)?;
        }
        Ok(())
    }

    /// The value the form sends for `field` (names match ASCII case-insensitively).
    fn form_value<'a>(&'a self, key: &'a str, field: &str) -> Option<&'a str> {
        if field.eq_ignore_ascii_case("key") {
            return Some(key);
        }
        if field.eq_ignore_ascii_case("bucket") {
            return Some(&self.bucket);
        }
        if field.eq_ignore_ascii_case("callback") {
            return self.callback.as_deref();
        }
        self.fields
            .iter()
            .chain(&self.callback_vars)
            .find(|(name, _)| name.eq_ignore_ascii_case(field))
            .map(|(_, value)| value.as_str())
    }
}

fn names(field: Option<&str>, name: &str) -> bool {
    field.is_some_and(|f| f.eq_ignore_ascii_case(name))
}

fn check_unique<'a>(seen: &mut Vec<&'a str>, name: &'a str) -> Result<(), Error> {
    if seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
        return Err(Error::invalid_argument(format!(
            "the form field \"{name}\" is given twice (OSS matches field names case-insensitively)"
        )));
    }
    seen.push(name);
    Ok(())
}

/// OSS answers `InvalidArgument` to a callback that is not base64 of a JSON object with a
/// `callbackUrl` and a non-empty `callbackBody`; say so before the form is ever sent.
fn validate_callback(callback: &str) -> Result<(), Error> {
    let invalid = |why: &str| {
        Error::invalid_argument(format!(
            "the callback must be the base64 of a JSON object with callbackUrl and callbackBody (as ObjectCallbackBuilder builds it): {why}"
        ))
    };
    let json = base64_decode(callback).ok_or_else(|| invalid("it is not base64"))?;
    let value: serde_json::Value =
        serde_json::from_slice(&json).map_err(|_| invalid("it is not JSON"))?;
    for name in ["callbackUrl", "callbackBody"] {
        match value.get(name).and_then(|v| v.as_str()) {
            Some(text) if !text.is_empty() => {}
            _ => return Err(invalid(&format!("{name} is missing or empty"))),
        }
    }
    Ok(())
}
