//! Request signing for OSS: V4 (`OSS4-HMAC-SHA256`, the default) and V1 (`OSS ak:signature`,
//! HMAC-SHA1), each in header form and presigned-URL form.
//!
//! The same functions serve both ends of the wire. The client calls `sign_headers` / `presign`
//! on the request it is about to send; the emulator rebuilds a [`SignableRequest`] from the
//! request it *received* (bucket and key recovered from host and decoded path, query decoded,
//! headers as received) and recomputes the canonical request, string to sign and signature with
//! the lower-level functions, then compares with [`constant_time_eq`].
//!
//! What is signed is the *logical* request: the canonical URI / resource always contains the
//! bucket, whatever the addressing style (virtual-host, path-style, CNAME), and keys are used
//! decoded. See `oss-protocol.md` section 2 for the rules and `v4.rs` / `v1.rs` for the details.

use std::fmt;
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};

pub mod presign;
pub mod v1;
pub mod v4;

/// An access key pair, with the security token of temporary (STS) credentials.
///
/// `Debug` never prints the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The AccessKeyId (`LTAI...`, or `STS....` for temporary credentials); it is sent in clear.
    pub access_key_id: String,
    /// The AccessKeySecret; it never leaves the process.
    pub access_key_secret: String,
    /// The STS security token; sent as `x-oss-security-token` (header or V4 query) or
    /// `security-token` (V1 query) when present.
    pub security_token: Option<String>,
}

impl Credentials {
    /// Long-term credentials (no security token).
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Temporary (STS) credentials.
    pub fn with_security_token(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Credentials {
            security_token: Some(security_token.into()),
            ..Credentials::new(access_key_id, access_key_secret)
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// The logical request a signer signs (the same for virtual-host, path-style and CNAME
/// addressing).
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// Upper-case HTTP method, e.g. `"PUT"`.
    pub method: &'a str,
    /// The bucket, `None` for service-level requests (ListBuckets).
    pub bucket: Option<&'a str>,
    /// The decoded object key, `None` for bucket- and service-level requests.
    pub key: Option<&'a str>,
    /// Decoded query parameters `(name, value)`; `""` is a valueless parameter (`?acl`).
    pub query: &'a [(String, String)],
    /// Headers as sent or received: names in any case, values untrimmed.
    pub headers: &'a [(String, String)],
}

/// The `Date` (RFC 1123) and V4 `x-oss-date` (ISO 8601 basic) values of the last second a
/// client signed in: they change once a second, and formatting them for every request was a
/// large share of a small request's cost.
#[derive(Default)]
pub struct DateHeaderCache {
    last: Mutex<Option<CachedDates>>,
}

struct CachedDates {
    unix_time: i64,
    iso8601_basic: String,
    http_date: String,
}

impl DateHeaderCache {
    /// `(x-oss-date, Date)` for `unix_time`, formatted only when the second changed.
    pub(crate) fn get(&self, unix_time: i64) -> (String, String) {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let cached = match last.as_mut() {
            Some(cached) if cached.unix_time == unix_time => cached,
            _ => last.insert(CachedDates {
                unix_time,
                iso8601_basic: crate::time::iso8601_basic(unix_time),
                http_date: crate::time::http_date(unix_time),
            }),
        };
        (cached.iso8601_basic.clone(), cached.http_date.clone())
    }
}

impl fmt::Debug for DateHeaderCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DateHeaderCache { .. }")
    }
}

/// Compares two byte strings in time that depends only on their lengths, not on where they
/// differ, so that checking a presented signature leaks nothing about the expected one.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

/// The value of the first header called `name` (ASCII case-insensitive), untrimmed.
pub fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.trim_ascii().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Whether a header called `name` (ASCII case-insensitive) is present, whatever its value.
pub(crate) fn has_header(headers: &[(String, String)], name: &str) -> bool {
    header_value(headers, name).is_some()
}

/// Removes every header called `name` (ASCII case-insensitive).
pub(crate) fn remove_header(headers: &mut Vec<(String, String)>, name: &str) {
    headers.retain(|(n, _)| !n.trim_ascii().eq_ignore_ascii_case(name));
}

/// Whether `v1::sign_headers` or `v4::sign_headers` may remove a header of this name (to put
/// its own in its place). Headers for which this is false are only ever appended to, so a
/// caller can cut the signed ones off again and sign the same list anew.
pub(crate) fn may_replace_header(name: &str) -> bool {
    let name = name.trim_ascii();
    [
        "authorization",
        "date",
        "x-oss-date",
        "x-oss-security-token",
    ]
    .iter()
    .any(|replaced| name.eq_ignore_ascii_case(replaced))
}

/// `true` for names that start with `x-oss-` in any case.
pub(crate) fn is_oss_header(name: &str) -> bool {
    name.len() >= 6 && name.as_bytes()[..6].eq_ignore_ascii_case(b"x-oss-")
}

/// Appends `name` lower-cased (ASCII letters only) to `out`, in one copy rather than a push
/// per character.
pub(crate) fn push_lowercase(out: &mut String, name: &str) {
    let start = out.len();
    out.push_str(name);
    out[start..].make_ascii_lowercase();
}

/// Signed headers gathered for canonicalisation: `(name, value)` borrowed from the request,
/// names still in their original case, values trimmed.
pub(crate) struct SignedHeaders<'h> {
    entries: Vec<(&'h str, &'h str)>,
}

impl<'h> SignedHeaders<'h> {
    /// Collects the headers `select` accepts (it sees the trimmed name), ordered by lower-cased
    /// name; headers with the same name keep their relative order.
    pub(crate) fn collect(
        headers: &'h [(String, String)],
        skip_empty_values: bool,
        mut select: impl FnMut(&str) -> bool,
    ) -> Self {
        let mut entries: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.trim_ascii(), v.trim_ascii()))
            .filter(|&(n, v)| !(skip_empty_values && v.is_empty()) && select(n))
            .collect();
        entries.sort_by(|a, b| cmp_ignore_ascii_case(a.0, b.0));
        SignedHeaders { entries }
    }

    /// Appends `name:value\n` per distinct lower-cased name; values of repeated names are joined
    /// with `,` in request order.
    pub(crate) fn write(&self, out: &mut String) {
        let mut i = 0;
        while i < self.entries.len() {
            let (name, first) = self.entries[i];
            push_lowercase(out, name);
            out.push(':');
            out.push_str(first);
            i += 1;
            while i < self.entries.len() && self.entries[i].0.eq_ignore_ascii_case(name) {
                out.push(',');
                out.push_str(self.entries[i].1);
                i += 1;
            }
            out.push('\n');
        }
    }

    /// Bytes [`write`](Self::write) will append, for pre-sizing.
    pub(crate) fn written_len(&self) -> usize {
        self.entries
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum()
    }
}

/// Byte-wise comparison of the ASCII-lower-cased strings, without allocating.
pub(crate) fn cmp_ignore_ascii_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// HMAC-SHA256 of `message` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA1 of `message` under `key`.
pub(crate) fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_redacts_secret_and_token() {
        let c = Credentials::with_security_token("STS.ak", "very-secret", "token-value");
        let shown = format!("{c:?}");
        assert_eq!(
            shown,
            "Credentials { access_key_id: \"STS.ak\", access_key_secret: \"<redacted>\", security_token: Some(\"<redacted>\") }"
        );
    }

    #[test]
    fn credentials_debug_shows_absent_token() {
        let shown = format!("{:?}", Credentials::new("ak", "sk"));
        assert!(shown.ends_with("security_token: None }"), "{shown}");
        assert!(!shown.contains("sk\""), "{shown}");
    }

    #[test]
    fn constant_time_eq_compares_contents_and_lengths() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn header_value_ignores_name_case() {
        let headers = vec![("Content-Type".to_owned(), " text/plain ".to_owned())];
        assert_eq!(header_value(&headers, "content-type"), Some(" text/plain "));
        assert_eq!(header_value(&headers, "content-md5"), None);
    }

    #[test]
    fn v1_signs_with_a_shared_date_cache_exactly_as_without_across_seconds() {
        let dates = DateHeaderCache::default();
        let credentials = Credentials::new("ak", "sk");
        for unix_time in [1_702_684_799, 1_702_684_799, 1_702_684_800, 1_702_684_799] {
            let sign = |dates: Option<&DateHeaderCache>| {
                let mut headers = vec![("Content-Type".to_owned(), "text/plain".to_owned())];
                match dates {
                    Some(dates) => v1::sign_headers_cached(
                        "PUT",
                        Some("b"),
                        Some("k"),
                        &[],
                        &mut headers,
                        &credentials,
                        unix_time,
                        dates,
                    ),
                    None => v1::sign_headers(
                        "PUT",
                        Some("b"),
                        Some("k"),
                        &[],
                        &mut headers,
                        &credentials,
                        unix_time,
                    ),
                }
                headers
            };
            assert_eq!(sign(Some(&dates)), sign(None), "at {unix_time}");
        }
    }

    #[test]
    fn signing_only_appends_to_headers_it_may_not_replace() {
        let original: Vec<(String, String)> = [
            ("Content-Type", "text/plain"),
            ("x-oss-meta-a", "1"),
            ("User-Agent", "ua"),
        ]
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
        assert!(!original.iter().any(|(n, _)| may_replace_header(n)));
        for credentials in [
            Credentials::new("ak", "sk"),
            Credentials::with_security_token("ak", "sk", "token"),
        ] {
            let mut v4 = original.clone();
            v4::sign_headers(
                "PUT",
                Some("b"),
                Some("k"),
                &[],
                &mut v4,
                &credentials,
                "cn-hangzhou",
                v4::PRODUCT,
                1_700_000_000,
                &[],
            );
            let mut v1 = original.clone();
            v1::sign_headers(
                "PUT",
                Some("b"),
                Some("k"),
                &[],
                &mut v1,
                &credentials,
                1_700_000_000,
            );
            for signed in [v4, v1] {
                assert_eq!(signed[..original.len()], original[..]);
                assert!(signed[original.len()..].iter().all(|(n, _)| {
                    may_replace_header(n) || n.eq_ignore_ascii_case("x-oss-content-sha256")
                }));
            }
        }
        assert!(may_replace_header(" Date"));
        assert!(may_replace_header("X-OSS-Security-Token"));
    }

    #[test]
    fn signed_headers_lower_case_sort_trim_and_join_repeats() {
        let headers: Vec<(String, String)> = [
            ("X-Oss-Meta-B", " 2 "),
            ("x-oss-meta-a", "1"),
            ("X-OSS-META-B", "3"),
            ("x-oss-empty", "  "),
            ("Host", "h"),
        ]
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
        let signed = SignedHeaders::collect(&headers, true, is_oss_header);
        let mut out = String::new();
        signed.write(&mut out);
        assert_eq!(out, "x-oss-meta-a:1\nx-oss-meta-b:2,3\n");
    }
}
