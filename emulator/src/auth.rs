//! Request authentication: V4 (header and presigned query), V1 (header and presigned query) and
//! STS tokens, verified with the same `ossffi::signing` code the client signs with. A mismatch
//! answers what OSS answers: 403 SignatureDoesNotMatch carrying the server's string to sign
//! (and, for V4, its canonical request) so a client can diff.

use std::collections::HashMap;
use std::sync::Mutex;

use ossffi::signing::{SignableRequest, constant_time_eq, v1, v4};
use ossffi::time::{iso8601_millis, parse_http_date, parse_iso8601_basic};

use crate::config::Credential;
use crate::error::OssError;

/// How a request is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthKind {
    V4Header,
    V4Query,
    V1Header,
    V1Query,
    Anonymous,
}

/// Which authentication form a request uses (several forms at once is an error).
pub(crate) fn auth_kind(
    headers: &[(String, String)],
    query: &[(String, String)],
) -> Result<AuthKind, OssError> {
    let header = header(headers, "authorization").map(|v| {
        if v.starts_with(v4::ALGORITHM) {
            AuthKind::V4Header
        } else {
            AuthKind::V1Header
        }
    });
    let has = |name: &str| query.iter().any(|(n, _)| n == name);
    let in_query = if has("x-oss-signature") || has("x-oss-signature-version") {
        Some(AuthKind::V4Query)
    } else if has("OSSAccessKeyId") || has("Signature") {
        Some(AuthKind::V1Query)
    } else {
        None
    };
    match (header, in_query) {
        (Some(_), Some(_)) => Err(OssError::invalid_argument(
            "The request carries both an Authorization header and a signature in the query string; use one.",
        )),
        (Some(k), None) | (None, Some(k)) => Ok(k),
        (None, None) => Ok(AuthKind::Anonymous),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn query_param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The request as the authenticator sees it.
pub(crate) struct AuthRequest<'a> {
    pub method: &'a str,
    pub bucket: Option<&'a str>,
    pub key: Option<&'a str>,
    pub query: &'a [(String, String)],
    pub headers: &'a [(String, String)],
    pub now: i64,
}

impl AuthRequest<'_> {
    fn signable(&self) -> SignableRequest<'_> {
        SignableRequest {
            method: self.method,
            bucket: self.bucket,
            key: self.key,
            query: self.query,
            headers: self.headers,
        }
    }
}

/// Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the times an ISO 8601
/// element can show.
const FIRST_SHOWN_TIME: i64 = -62_167_219_200;
const LAST_SHOWN_TIME: i64 = 253_402_300_799;

/// A time for an error element: ISO 8601 with milliseconds, or the unix seconds as given when
/// no four-digit year can show it (a presigned URL may carry any 64-bit `Expires`).
fn time_element(unix: i64) -> String {
    if (FIRST_SHOWN_TIME..=LAST_SHOWN_TIME).contains(&unix) {
        iso8601_millis(unix * 1000)
    } else {
        unix.to_string()
    }
}

/// OSS's answer to a presigned URL used after its expiry time.
fn expired(expires_at: i64, now: i64) -> OssError {
    OssError::access_denied("Request has expired.")
        .field("Expires", time_element(expires_at))
        .field("ServerTime", time_element(now))
        .ec("0002-00000069")
}

/// The key table and the rules of one emulator.
pub(crate) struct Authenticator {
    credentials: Vec<Credential>,
    region: String,
    max_skew: i64,
    /// V4 signing keys by access key, date and region: deriving one costs four HMACs.
    signing_keys: Mutex<HashMap<String, [u8; 32]>>,
}

const V4_MISMATCH_EC: &str = "0002-00000201";
const V1_MISMATCH_EC: &str = "0002-00000040";
const SIGNATURE_MISMATCH_MESSAGE: &str = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

impl Authenticator {
    pub fn new(
        credentials: Vec<Credential>,
        region: String,
        max_skew_seconds: i64,
    ) -> Authenticator {
        Authenticator {
            credentials,
            region,
            max_skew: max_skew_seconds,
            signing_keys: Mutex::new(HashMap::new()),
        }
    }

    /// Ok with the access key id, or the error OSS would answer.
    pub fn authenticate(&self, kind: AuthKind, req: &AuthRequest) -> Result<String, OssError> {
        match kind {
            AuthKind::V4Header => self.v4_header(req),
            AuthKind::V4Query => self.v4_query(req),
            AuthKind::V1Header => self.v1_header(req),
            AuthKind::V1Query => self.v1_query(req),
            AuthKind::Anonymous => Err(OssError::access_denied(
                "You have no right to access this object because of bucket acl.",
            )
            .field(
                "Hint",
                "ossffi-emulator refuses anonymous requests; sign with a configured access key.",
            )),
        }
    }

    fn credential(&self, access_key_id: &str) -> Result<&Credential, OssError> {
        self.credentials
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

    fn check_token(credential: &Credential, provided: Option<&str>) -> Result<(), OssError> {
        match &credential.security_token {
            Some(expected) if provided != Some(expected.as_str()) => Err(OssError::new(
                403,
                "InvalidSecurityToken",
                if provided.is_some() {
                    "The security token you provided is invalid."
                } else {
                    "This access key is temporary (STS): send its security token in x-oss-security-token."
                },
            )),
            _ => Ok(()),
        }
    }

    fn skewed(&self, request_time: i64, now: i64) -> Option<OssError> {
        (request_time.abs_diff(now) > self.max_skew.unsigned_abs()).then(|| {
            OssError::new(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            )
            .field("RequestTime", time_element(request_time))
            .field("ServerTime", time_element(now))
            .field(
                "MaxAllowedSkewMilliseconds",
                self.max_skew.saturating_mul(1000).to_string(),
            )
            .ec("0002-00000504")
        })
    }

    fn signing_key(&self, credential: &Credential, date: &str) -> [u8; 32] {
        let cache_key = format!("{}/{}/{}", credential.access_key_id, date, self.region);
        let mut cache = self.signing_keys.lock().unwrap_or_else(|e| e.into_inner());
        *cache.entry(cache_key).or_insert_with(|| {
            v4::signing_key(&credential.access_key_secret, date, &self.region, "oss")
        })
    }

    /// Checks a V4 credential scope `<date>/<region>/oss/aliyun_v4_request` against the date.
    fn check_scope(&self, scope: &str, datetime: &str) -> Result<(), OssError> {
        let parts: Vec<&str> = scope.split('/').collect();
        let bad = |why: String| {
            OssError::invalid_argument(format!("Invalid credential scope {scope:?}: {why}."))
        };
        if parts.len() != 4 {
            return Err(bad(
                "expected <yyyymmdd>/<region>/oss/aliyun_v4_request".into()
            ));
        }
        if parts[0] != datetime.get(..8).unwrap_or("") {
            return Err(bad(format!(
                "the date must be the date of x-oss-date ({datetime})"
            )));
        }
        if parts[1] != self.region {
            return Err(bad(format!(
                "region {} is not the region this emulator serves ({}, set with --region)",
                parts[1], self.region
            )));
        }
        if parts[2] != "oss" || parts[3] != "aliyun_v4_request" {
            return Err(bad(
                "the product must be oss and the terminator aliyun_v4_request".into(),
            ));
        }
        Ok(())
    }

    fn v4_verify(
        &self,
        req: &AuthRequest,
        credential: &Credential,
        datetime: &str,
        additional: &str,
        provided: &str,
        query: &[(String, String)],
    ) -> Result<String, OssError> {
        let requested: Vec<&str> = additional
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let additional = v4::effective_additional_headers(&requested, req.headers);
        let signable = SignableRequest {
            query,
            ..req.signable()
        };
        let canonical = v4::canonical_request(&signable, &additional);
        // The caller parsed `datetime` as YYYYMMDDTHHMMSSZ, so it starts with 8 ASCII digits.
        let date = datetime.get(..8).unwrap_or_default();
        let scope = v4::scope(date, &self.region, "oss");
        let string_to_sign = v4::string_to_sign(datetime, &scope, &canonical);
        let expected = v4::signature(&self.signing_key(credential, date), &string_to_sign);
        if constant_time_eq(expected.as_bytes(), provided.as_bytes()) {
            return Ok(credential.access_key_id.clone());
        }
        Err(
            OssError::new(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE)
                .field("OSSAccessKeyId", credential.access_key_id.clone())
                .field("SignatureProvided", provided)
                .field("StringToSign", string_to_sign)
                .field("CanonicalRequest", canonical)
                .ec(V4_MISMATCH_EC),
        )
    }

    fn v4_header(&self, req: &AuthRequest) -> Result<String, OssError> {
        let auth = header(req.headers, "authorization").unwrap_or("");
        let malformed = |why: &str| {
            OssError::invalid_argument(format!(
                "Authorization header is invalid: {why}. Expected \"OSS4-HMAC-SHA256 Credential=<ak>/<scope>,AdditionalHeaders=<h1;h2>,Signature=<hex>\"."
            ))
            .field("Authorization", auth)
        };
        let rest = auth
            .strip_prefix(v4::ALGORITHM)
            .ok_or_else(|| malformed("unknown algorithm"))?;
        let (mut credential, mut additional, mut signature) = (None, None, None);
        for item in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| malformed("an item is not name=value"))?;
            match name.trim() {
                "Credential" => credential = Some(value.trim()),
                "AdditionalHeaders" => additional = Some(value.trim()),
                "Signature" => signature = Some(value.trim()),
                _ => return Err(malformed("unknown item")),
            }
        }
        let credential = credential.ok_or_else(|| malformed("Credential is missing"))?;
        let signature = signature.ok_or_else(|| malformed("Signature is missing"))?;
        let (access_key_id, scope) = credential
            .split_once('/')
            .ok_or_else(|| malformed("Credential has no scope"))?;
        let cred = self.credential(access_key_id)?;
        let datetime = header(req.headers, "x-oss-date").ok_or_else(|| {
            OssError::access_denied(
                "V4 signed requests need an x-oss-date header (YYYYMMDDTHHMMSSZ).",
            )
        })?;
        let time = parse_iso8601_basic(datetime).ok_or_else(|| {
            OssError::access_denied(format!(
                "x-oss-date {datetime:?} is not in YYYYMMDDTHHMMSSZ form."
            ))
        })?;
        if let Some(e) = self.skewed(time, req.now) {
            return Err(e);
        }
        self.check_scope(scope, datetime)?;
        let sha = header(req.headers, "x-oss-content-sha256");
        if sha != Some(v4::UNSIGNED_PAYLOAD) {
            return Err(OssError::invalid_argument(format!(
                "x-oss-content-sha256 must be {} for V4 signed requests (got {:?}).",
                v4::UNSIGNED_PAYLOAD,
                sha.unwrap_or("")
            ))
            .ec("0002-00000214"));
        }
        Self::check_token(cred, header(req.headers, "x-oss-security-token"))?;
        self.v4_verify(
            req,
            cred,
            datetime,
            additional.unwrap_or(""),
            signature,
            req.query,
        )
    }

    fn v4_query(&self, req: &AuthRequest) -> Result<String, OssError> {
        let missing = |name: &str| {
            OssError::access_denied(format!(
                "A V4 presigned URL needs the {name} query parameter."
            ))
        };
        let version = query_param(req.query, "x-oss-signature-version")
            .ok_or_else(|| missing("x-oss-signature-version"))?;
        if version != v4::ALGORITHM {
            return Err(OssError::invalid_argument(format!(
                "x-oss-signature-version must be {} (got {version:?}).",
                v4::ALGORITHM
            )));
        }
        let credential = query_param(req.query, "x-oss-credential")
            .ok_or_else(|| missing("x-oss-credential"))?;
        let datetime = query_param(req.query, "x-oss-date").ok_or_else(|| missing("x-oss-date"))?;
        let expires =
            query_param(req.query, "x-oss-expires").ok_or_else(|| missing("x-oss-expires"))?;
        let signature =
            query_param(req.query, "x-oss-signature").ok_or_else(|| missing("x-oss-signature"))?;
        let (access_key_id, scope) = credential.split_once('/').ok_or_else(|| {
            OssError::invalid_argument("x-oss-credential must be <AccessKeyId>/<scope>.")
        })?;
        let cred = self.credential(access_key_id)?;
        let time = parse_iso8601_basic(datetime).ok_or_else(|| {
            OssError::invalid_argument(format!(
                "x-oss-date {datetime:?} is not in YYYYMMDDTHHMMSSZ form."
            ))
        })?;
        let expires: i64 = expires
            .parse()
            .ok()
            .filter(|e| (1..=604_800).contains(e))
            .ok_or_else(|| {
                OssError::invalid_argument(format!(
                    "x-oss-expires {expires:?} must be 1 to 604800 seconds."
                ))
            })?;
        // Both are bounded (a 4-digit year, at most 7 days), but a peer's numbers are never
        // added unchecked.
        let expires_at = time.saturating_add(expires);
        if req.now > expires_at {
            return Err(expired(expires_at, req.now));
        }
        if time.saturating_sub(req.now) > self.max_skew
            && let Some(e) = self.skewed(time, req.now)
        {
            return Err(e);
        }
        self.check_scope(scope, datetime)?;
        Self::check_token(cred, query_param(req.query, "x-oss-security-token"))?;
        let additional = query_param(req.query, "x-oss-additional-headers").unwrap_or("");
        let query: Vec<(String, String)> = req
            .query
            .iter()
            .filter(|(n, _)| n != "x-oss-signature")
            .cloned()
            .collect();
        self.v4_verify(req, cred, datetime, additional, signature, &query)
    }

    fn v1_verify(
        &self,
        req: &AuthRequest,
        credential: &Credential,
        date_or_expires: &str,
        provided: &str,
    ) -> Result<String, OssError> {
        let string_to_sign = v1::string_to_sign(&req.signable(), date_or_expires);
        let expected = v1::signature(&credential.access_key_secret, &string_to_sign);
        if constant_time_eq(expected.as_bytes(), provided.as_bytes()) {
            return Ok(credential.access_key_id.clone());
        }
        let bytes: Vec<String> = string_to_sign.bytes().map(|b| format!("{b:02x}")).collect();
        Err(
            OssError::new(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE)
                .field("OSSAccessKeyId", credential.access_key_id.clone())
                .field("SignatureProvided", provided)
                .field("StringToSign", string_to_sign)
                .field("StringToSignBytes", bytes.join(" "))
                .ec(V1_MISMATCH_EC),
        )
    }

    fn v1_header(&self, req: &AuthRequest) -> Result<String, OssError> {
        let auth = header(req.headers, "authorization").unwrap_or("");
        let (access_key_id, provided) = auth
            .strip_prefix("OSS ")
            .and_then(|rest| rest.trim().split_once(':'))
            .ok_or_else(|| {
                OssError::invalid_argument(
                    "Authorization header is invalid: expected \"OSS <AccessKeyId>:<Signature>\" or \"OSS4-HMAC-SHA256 ...\".",
                )
                .field("Authorization", auth)
            })?;
        let cred = self.credential(access_key_id)?;
        // Both official SDKs sign x-oss-date instead of Date when the request has one.
        let date = header(req.headers, "x-oss-date")
            .or_else(|| header(req.headers, "date"))
            .ok_or_else(|| OssError::access_denied("OSS authentication requires a valid Date."))?;
        let time = parse_http_date(date)
            .or_else(|| parse_iso8601_basic(date))
            .ok_or_else(|| {
                OssError::access_denied(format!(
                    "OSS authentication requires a valid Date (got {date:?})."
                ))
            })?;
        if let Some(e) = self.skewed(time, req.now) {
            return Err(e);
        }
        let token = header(req.headers, "x-oss-security-token")
            .or_else(|| header(req.headers, "security-token"));
        Self::check_token(cred, token)?;
        self.v1_verify(req, cred, date, provided)
    }

    fn v1_query(&self, req: &AuthRequest) -> Result<String, OssError> {
        let missing = |name: &str| {
            OssError::access_denied(format!(
                "A V1 presigned URL needs the {name} query parameter."
            ))
        };
        let access_key_id =
            query_param(req.query, "OSSAccessKeyId").ok_or_else(|| missing("OSSAccessKeyId"))?;
        let expires = query_param(req.query, "Expires").ok_or_else(|| missing("Expires"))?;
        let provided = query_param(req.query, "Signature").ok_or_else(|| missing("Signature"))?;
        let cred = self.credential(access_key_id)?;
        let expires_at: i64 = expires.parse().map_err(|_| {
            OssError::invalid_argument_named(
                format!(
                    "Expires {expires:?} must be the time the URL expires, in unix seconds (a decimal integer that fits 64 bits)."
                ),
                "Expires",
                expires,
            )
        })?;
        if req.now > expires_at {
            return Err(expired(expires_at, req.now));
        }
        Self::check_token(cred, query_param(req.query, "security-token"))?;
        self.v1_verify(req, cred, expires, provided)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authenticator() -> Authenticator {
        Authenticator::new(
            vec![Credential {
                access_key_id: "AK".into(),
                access_key_secret: "SK".into(),
                security_token: None,
            }],
            "cn-hangzhou".into(),
            900,
        )
    }

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn v1_presigned(expires: &str) -> Result<String, OssError> {
        let q = query(&[
            ("OSSAccessKeyId", "AK"),
            ("Expires", expires),
            ("Signature", "x"),
        ]);
        authenticator().authenticate(
            AuthKind::V1Query,
            &AuthRequest {
                method: "GET",
                bucket: Some("bkt"),
                key: Some("x"),
                query: &q,
                headers: &[],
                now: 1_710_490_150,
            },
        )
    }

    #[test]
    fn v1_expires_at_the_smallest_i64_is_expired_not_an_overflow() {
        let e = v1_presigned("-9223372036854775808").unwrap_err();
        assert_eq!((e.status, e.code), (403, "AccessDenied"));
        assert_eq!(e.message, "Request has expired.");
        assert_eq!(e.fields[0], ("Expires", "-9223372036854775808".to_string()));
    }

    #[test]
    fn v1_expires_beyond_64_bits_is_invalid_argument() {
        let e = v1_presigned("99999999999999999999").unwrap_err();
        assert_eq!((e.status, e.code), (400, "InvalidArgument"));
    }

    #[test]
    fn v1_expires_at_the_largest_i64_reaches_the_signature_check() {
        let e = v1_presigned("9223372036854775807").unwrap_err();
        assert_eq!(e.code, "SignatureDoesNotMatch");
    }

    #[test]
    fn skew_of_extreme_times_does_not_overflow() {
        let a = authenticator();
        assert!(a.skewed(i64::MIN, i64::MAX).is_some());
        assert!(a.skewed(i64::MAX, i64::MIN).is_some());
        assert!(a.skewed(5, 5).is_none());
    }

    #[test]
    fn time_elements_show_iso_dates_only_for_four_digit_years() {
        assert_eq!(time_element(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(time_element(LAST_SHOWN_TIME), "9999-12-31T23:59:59.000Z");
        assert_eq!(time_element(i64::MIN), i64::MIN.to_string());
    }
}
