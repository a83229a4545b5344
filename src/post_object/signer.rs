//! Who signs a PostObject policy, and the form fields that carry the signature.

use crate::encoding::base64_encode;
use crate::error::Error;
use crate::signing::{Credentials, v1, v4};
use crate::time::iso8601_basic;

/// `x-oss-signature-version` of a V4 form.
pub const V4_SIGNATURE_VERSION: &str = "OSS4-HMAC-SHA256";

/// The signature a form carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostSignatureVersion {
    /// `OSSAccessKeyId`, `policy`, `Signature` (base64 HMAC-SHA1 of the policy field).
    V1,
    /// `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `policy`, `x-oss-signature`
    /// (hex HMAC-SHA256 under the V4 signing key of `signing_time`'s UTC day and `region`).
    V4 {
        /// The bucket's region id, `cn-hangzhou` (an `oss-` prefix is dropped, as ali-oss does).
        region: String,
        /// The signing instant, unix seconds; it becomes `x-oss-date` in UTC.
        signing_time: i64,
    },
}

/// Credentials and signature version: everything about a form's signature except the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostSigner {
    credentials: Credentials,
    version: PostSignatureVersion,
}

impl PostSigner {
    /// Checks the credentials and the region; an STS token is sent as `x-oss-security-token`.
    pub fn new(credentials: Credentials, version: PostSignatureVersion) -> Result<Self, Error> {
        if credentials.access_key_id.is_empty() || credentials.access_key_secret.is_empty() {
            return Err(Error::invalid_argument(
                "PostObject signing needs an AccessKey ID and secret; both must be non-empty",
            ));
        }
        if credentials.security_token.as_deref() == Some("") {
            return Err(Error::invalid_argument(
                "the STS security token is empty; give none for long-term credentials",
            ));
        }
        let version = match version {
            PostSignatureVersion::V4 {
                region,
                signing_time,
            } => {
                let region = region.strip_prefix("oss-").unwrap_or(&region).to_owned();
                if region.is_empty() || region.contains('/') {
                    return Err(Error::invalid_argument(format!(
                        "V4 PostObject signing needs the bucket's region id, such as \"cn-hangzhou\"; got \"{region}\""
                    )));
                }
                PostSignatureVersion::V4 {
                    region,
                    signing_time,
                }
            }
            v1 => v1,
        };
        Ok(PostSigner {
            credentials,
            version,
        })
    }

    pub fn version(&self) -> &PostSignatureVersion {
        &self.version
    }

    pub(crate) fn security_token(&self) -> Option<&str> {
        self.credentials.security_token.as_deref()
    }

    /// The V4 values pinned in the policy and sent as fields: `(x-oss-credential, x-oss-date)`.
    pub(crate) fn v4_credential_and_date(&self) -> Option<(String, String)> {
        let PostSignatureVersion::V4 {
            region,
            signing_time,
        } = &self.version
        else {
            return None;
        };
        let date_time = iso8601_basic(*signing_time);
        let scope = v4::scope(&date_time[..8], region, "oss");
        let credential = format!("{}/{scope}", self.credentials.access_key_id);
        Some((credential, date_time))
    }

    /// The fields that authenticate `policy_text`, signed byte for byte as given (never
    /// re-serialised), in the order a form sends them:
    /// V4 `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, [`x-oss-security-token`],
    /// `policy`, `x-oss-signature`; V1 `OSSAccessKeyId`, [`x-oss-security-token`], `policy`,
    /// `Signature`.
    ///
    /// For V4 the policy should pin the same credential and date (see [`super::PostPolicy`]).
    pub fn auth_fields(&self, policy_text: &str) -> Vec<(String, String)> {
        let policy = base64_encode(policy_text.as_bytes());
        let mut fields = Vec::with_capacity(6);
        let token = self
            .security_token()
            .map(|t| ("x-oss-security-token".to_owned(), t.to_owned()));
        match &self.version {
            PostSignatureVersion::V1 => {
                let signature = v1::signature(&self.credentials.access_key_secret, &policy);
                fields.push((
                    "OSSAccessKeyId".to_owned(),
                    self.credentials.access_key_id.clone(),
                ));
                fields.extend(token);
                fields.push(("policy".to_owned(), policy));
                fields.push(("Signature".to_owned(), signature));
            }
            PostSignatureVersion::V4 { region, .. } => {
                let (credential, date_time) = self
                    .v4_credential_and_date()
                    .expect("a V4 signer has a date");
                let key = v4::signing_key(
                    &self.credentials.access_key_secret,
                    &date_time[..8],
                    region,
                    "oss",
                );
                let signature = v4::signature(&key, &policy);
                fields.push((
                    "x-oss-signature-version".to_owned(),
                    V4_SIGNATURE_VERSION.to_owned(),
                ));
                fields.push(("x-oss-credential".to_owned(), credential));
                fields.push(("x-oss-date".to_owned(), date_time));
                fields.extend(token);
                fields.push(("policy".to_owned(), policy));
                fields.push(("x-oss-signature".to_owned(), signature));
            }
        }
        fields
    }
}
