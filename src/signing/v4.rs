//! V4 signing, `OSS4-HMAC-SHA256` (`oss-protocol.md` 2.1 and 2.2, `cpp-sdk-surface.md` 9.2).
//!
//! ```text
//! canonical request = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
//!                     AdditionalHeaders \n HashedPayload
//! scope             = yyyymmdd/region/product/aliyun_v4_request
//! string to sign    = OSS4-HMAC-SHA256 \n x-oss-date \n scope \n hex(sha256(canonical request))
//! signing key       = HMAC chain over "aliyun_v4" + secret, date, region, product, terminator
//! signature         = hex(HMAC-SHA256(signing key, string to sign))
//! ```
//!
//! The client uses [`sign_headers`] and [`presign`]; a verifier rebuilds a
//! [`SignableRequest`] from what it received and calls [`canonical_request`],
//! [`string_to_sign`], [`signing_key`] and [`signature`] itself.

use std::borrow::Cow;
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::{
    Credentials, DateHeaderCache, SignableRequest, SignedHeaders, has_header, header_value,
    hmac_sha256, is_oss_header, remove_header,
};
use crate::encoding::{hex_lower, uri_encode_cow, uri_encode_into};
use crate::time::iso8601_basic;

/// The algorithm name, first token of `Authorization` and value of `x-oss-signature-version`.
pub const ALGORITHM: &str = "OSS4-HMAC-SHA256";
/// The only payload hash OSS accepts, sent as `x-oss-content-sha256`.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The last component of every V4 scope.
pub const TERMINATOR: &str = "aliyun_v4_request";
/// The product of the scope for OSS (CloudBox uses `oss-cloudbox`).
pub const PRODUCT: &str = "oss";
/// The presigned-URL parameter carrying the signature; never part of the canonical query.
pub const SIGNATURE_PARAM: &str = "x-oss-signature";

/// Whether V4 signs this header without it being named in `AdditionalHeaders`.
fn is_signed_by_default(name: &str) -> bool {
    name.eq_ignore_ascii_case("content-type")
        || name.eq_ignore_ascii_case("content-md5")
        || is_oss_header(name)
}

/// The additional headers actually signed: the requested names lower-cased, minus those signed
/// anyway (`content-type`, `content-md5`, `x-oss-*`), minus names absent from `headers`,
/// sorted and deduplicated.
///
/// Requested `Content-Disposition, cache-control, x-oss-meta-a, if-none-match` with only the
/// first three present gives `["cache-control", "content-disposition"]`.
pub fn effective_additional_headers(
    requested: &[&str],
    headers: &[(String, String)],
) -> Vec<String> {
    let mut names: Vec<String> = requested
        .iter()
        .map(|name| name.trim_ascii())
        .filter(|name| !name.is_empty() && !is_signed_by_default(name) && has_header(headers, name))
        .map(str::to_ascii_lowercase)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The canonical request of `req`, signing `additional_headers` besides the default set.
///
/// * URI: `/bucket/key` URI-encoded with `/` kept (`/bucket/` without key, `/` without bucket).
/// * Query: every parameter except `x-oss-signature`, names and values URI-encoded (`/` too),
///   sorted by encoded name then value, `name=value` or bare `name` for an empty value.
/// * Headers: `content-type`, `content-md5`, every `x-oss-*` and the additional headers, names
///   lower-cased, values trimmed, empty values skipped, repeated names joined with `,`, sorted.
/// * Additional headers: `additional_headers` joined with `;` as given (pass the effective list,
///   or on the server the list from `Authorization`); matched against header names ignoring case.
/// * Payload hash: the `x-oss-content-sha256` header, else `UNSIGNED-PAYLOAD` (presigned URLs).
pub fn canonical_request(req: &SignableRequest, additional_headers: &[String]) -> String {
    build_canonical_request(
        req.method,
        req.bucket,
        req.key,
        req.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        req.headers,
        additional_headers,
    )
}

fn build_canonical_request<'q>(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: impl Iterator<Item = (&'q str, &'q str)>,
    headers: &[(String, String)],
    additional_headers: &[String],
) -> String {
    let mut params: Vec<(Cow<'q, str>, Cow<'q, str>)> = query
        .filter(|&(name, _)| name != SIGNATURE_PARAM)
        .map(|(name, value)| (uri_encode_cow(name, false), uri_encode_cow(value, false)))
        .collect();
    params.sort_unstable();

    let signed = SignedHeaders::collect(headers, true, |name| {
        is_signed_by_default(name)
            || additional_headers
                .iter()
                .any(|extra| extra.eq_ignore_ascii_case(name))
    });
    let payload_hash =
        header_value(headers, "x-oss-content-sha256").map_or(UNSIGNED_PAYLOAD, str::trim_ascii);

    let path_len = bucket.map_or(0, str::len) + key.map_or(0, str::len);
    let capacity = method.len()
        + 3 * path_len
        + 2
        + params
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>()
        + signed.written_len()
        + additional_headers
            .iter()
            .map(|h| h.len() + 1)
            .sum::<usize>()
        + payload_hash.len()
        + 6;
    let mut out = String::with_capacity(capacity);

    out.push_str(method);
    out.push('\n');
    push_canonical_uri(&mut out, bucket, key);
    out.push('\n');
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        if !value.is_empty() {
            out.push('=');
            out.push_str(value);
        }
    }
    out.push('\n');
    signed.write(&mut out);
    out.push('\n');
    for (i, name) in additional_headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// `/bucket/key`, URI-encoded with `/` kept; an empty bucket counts as none.
fn push_canonical_uri(out: &mut String, bucket: Option<&str>, key: Option<&str>) {
    out.push('/');
    if let Some(bucket) = bucket.filter(|b| !b.is_empty()) {
        uri_encode_into(out, bucket.as_bytes(), true);
        out.push('/');
    }
    if let Some(key) = key {
        uri_encode_into(out, key.as_bytes(), true);
    }
}

/// `<yyyymmdd>/<region>/<product>/aliyun_v4_request`; `region` is the bare id (`cn-hangzhou`).
pub fn scope(date_yyyymmdd: &str, region: &str, product: &str) -> String {
    let mut out = String::with_capacity(date_yyyymmdd.len() + region.len() + product.len() + 20);
    for part in [date_yyyymmdd, region, product] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(TERMINATOR);
    out
}

/// The signing key: HMAC-SHA256 chained over `"aliyun_v4" + secret`, the date, the region, the
/// product and `aliyun_v4_request`. It depends only on these, so it may be cached for a day.
pub fn signing_key(secret: &str, date_yyyymmdd: &str, region: &str, product: &str) -> [u8; 32] {
    let mut first_key = Vec::with_capacity(9 + secret.len());
    first_key.extend_from_slice(b"aliyun_v4");
    first_key.extend_from_slice(secret.as_bytes());
    let date_key = hmac_sha256(&first_key, date_yyyymmdd.as_bytes());
    let region_key = hmac_sha256(&date_key, region.as_bytes());
    let product_key = hmac_sha256(&region_key, product.as_bytes());
    hmac_sha256(&product_key, TERMINATOR.as_bytes())
}

/// `OSS4-HMAC-SHA256\n<datetime>\n<scope>\n<lower hex SHA-256 of the canonical request>`, where
/// `datetime` is the `x-oss-date` value (`20240315T080910Z`).
pub fn string_to_sign(datetime: &str, scope: &str, canonical_request: &str) -> String {
    let hash = Sha256::digest(canonical_request.as_bytes());
    let mut out = String::with_capacity(ALGORITHM.len() + datetime.len() + scope.len() + 67);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(datetime);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    out.push_str(std::str::from_utf8(&hex_digest(&hash.into())).expect("hex digits are ASCII"));
    out
}

/// The lower-case hex of a 32-byte digest, the same text as `hex_lower`, on the stack: a digit
/// pair copied per byte instead of a string of its own with a push per character, which cost
/// as much as hashing a block under callgrind.
fn hex_digest(digest: &[u8; 32]) -> [u8; 64] {
    let mut text = [0u8; 64];
    for (pair, &byte) in text.chunks_exact_mut(2).zip(digest) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(byte)]);
    }
    text
}

/// The two lower-case hex digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        pairs[byte] = [DIGITS[byte >> 4], DIGITS[byte & 0x0f]];
        byte += 1;
    }
    pairs
};

/// Lower-case hex HMAC-SHA256 of the string to sign under the signing key.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex_lower(&hmac_sha256(signing_key, string_to_sign.as_bytes()))
}

/// The `Authorization` value as the v2 SDKs send it:
/// `OSS4-HMAC-SHA256 Credential=<ak>/<scope>[,AdditionalHeaders=a;b],Signature=<hex>`
/// (no spaces after the commas; `AdditionalHeaders` only when there are any).
pub fn authorization(
    access_key_id: &str,
    scope: &str,
    additional_headers: &[String],
    signature: &str,
) -> String {
    let mut out = String::with_capacity(
        ALGORITHM.len()
            + access_key_id.len()
            + scope.len()
            + signature.len()
            + additional_headers
                .iter()
                .map(|h| h.len() + 1)
                .sum::<usize>()
            + 50,
    );
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(access_key_id);
    out.push('/');
    out.push_str(scope);
    if !additional_headers.is_empty() {
        out.push_str(",AdditionalHeaders=");
        out.push_str(&additional_headers.join(";"));
    }
    out.push_str(",Signature=");
    out.push_str(signature);
    out
}

/// The last signing key a client derived, with what it was derived from, and the date headers
/// of the last second it signed in: both change rarely, and deriving or formatting them again
/// for every request was a large share of a small request's cost.
#[derive(Default)]
pub struct SigningKeyCache {
    last: Mutex<Option<CachedKey>>,
    dates: DateHeaderCache,
}

struct CachedKey {
    secret: String,
    date: String,
    region: String,
    product: String,
    key: [u8; 32],
    /// HMAC-SHA256 keyed with `key`: its inner and outer pads already hashed, two SHA-256
    /// blocks that every signature would otherwise compute again.
    mac: Hmac<Sha256>,
}

impl SigningKeyCache {
    /// The signing key for these inputs, derived only if they differ from the last ones.
    pub fn key(&self, secret: &str, date_yyyymmdd: &str, region: &str, product: &str) -> [u8; 32] {
        self.with_key(secret, date_yyyymmdd, region, product, |cached| cached.key)
    }

    /// HMAC-SHA256 keyed with the signing key for these inputs, ready for the string to sign.
    fn keyed_mac(
        &self,
        secret: &str,
        date_yyyymmdd: &str,
        region: &str,
        product: &str,
    ) -> Hmac<Sha256> {
        self.with_key(secret, date_yyyymmdd, region, product, |cached| {
            cached.mac.clone()
        })
    }

    fn with_key<R>(
        &self,
        secret: &str,
        date_yyyymmdd: &str,
        region: &str,
        product: &str,
        read: impl FnOnce(&CachedKey) -> R,
    ) -> R {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(cached) = last.as_ref()
            && cached.date == date_yyyymmdd
            && cached.region == region
            && cached.product == product
            && cached.secret == secret
        {
            return read(cached);
        }
        let key = signing_key(secret, date_yyyymmdd, region, product);
        let cached = last.insert(CachedKey {
            secret: secret.to_owned(),
            date: date_yyyymmdd.to_owned(),
            region: region.to_owned(),
            product: product.to_owned(),
            key,
            mac: Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes keys of any length"),
        });
        read(cached)
    }

    /// The date headers of the last second signed in, for either signer.
    pub fn date_headers(&self) -> &DateHeaderCache {
        &self.dates
    }
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeyCache { .. }")
    }
}

/// Signs a request in its headers (client side).
///
/// Removes any earlier `Authorization`, `x-oss-date` and `Date` (and `x-oss-security-token`
/// when the credentials carry one), so re-signing a retried request is safe, then appends in
/// this order: `x-oss-date`, `Date` (RFC 1123, not signed), `x-oss-security-token` (STS only),
/// `x-oss-content-sha256: UNSIGNED-PAYLOAD` (unless already present), `Authorization`.
///
/// `unix_time` is the signing instant (already corrected for clock skew); `additional_requested`
/// names headers to sign besides the defaults (see [`effective_additional_headers`]). No header
/// may be added or changed after signing except unsigned transport headers (`Host`,
/// `Content-Length`, `User-Agent`, ...).
#[allow(clippy::too_many_arguments)] // mirrors the signer inputs one to one; grouping would only rename them
pub fn sign_headers(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: &[(String, String)],
    headers: &mut Vec<(String, String)>,
    credentials: &Credentials,
    region: &str,
    product: &str,
    unix_time: i64,
    additional_requested: &[&str],
) {
    // A fresh cache derives the key once, exactly as a direct derivation would.
    let cache = SigningKeyCache::default();
    sign_headers_cached(
        method,
        bucket,
        key,
        query,
        headers,
        credentials,
        region,
        product,
        unix_time,
        additional_requested,
        &cache,
    );
}

/// [`sign_headers`] taking the signing key from `cache`, which derives it (four chained
/// HMAC-SHA256) only when the secret, date, region or product changed: a client signing many
/// requests a day derives it once.
#[allow(clippy::too_many_arguments)] // mirrors the signer inputs one to one; grouping would only rename them
pub fn sign_headers_cached(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: &[(String, String)],
    headers: &mut Vec<(String, String)>,
    credentials: &Credentials,
    region: &str,
    product: &str,
    unix_time: i64,
    additional_requested: &[&str],
    cache: &SigningKeyCache,
) {
    let (datetime, date_header) = cache.dates.get(unix_time);

    for stale in ["authorization", "x-oss-date", "date"] {
        remove_header(headers, stale);
    }
    if credentials.security_token.is_some() {
        remove_header(headers, "x-oss-security-token");
    }
    let datetime_at = headers.len();
    headers.push(("x-oss-date".to_owned(), datetime));
    headers.push(("Date".to_owned(), date_header));
    if let Some(token) = &credentials.security_token {
        headers.push(("x-oss-security-token".to_owned(), token.clone()));
    }
    if !has_header(headers, "x-oss-content-sha256") {
        headers.push((
            "x-oss-content-sha256".to_owned(),
            UNSIGNED_PAYLOAD.to_owned(),
        ));
    }

    // Read back from the header just pushed rather than kept in a copy of its own.
    let datetime = headers[datetime_at].1.as_str();
    let date = &datetime[..8];
    let additional = effective_additional_headers(additional_requested, headers);
    let canonical = build_canonical_request(
        method,
        bucket,
        key,
        query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        headers,
        &additional,
    );
    let scope = scope(date, region, product);
    let mut mac = cache.keyed_mac(&credentials.access_key_secret, date, region, product);
    mac.update(string_to_sign(datetime, &scope, &canonical).as_bytes());
    let signature = hex_digest(&mac.finalize().into_bytes().into());
    let authorization = authorization(
        &credentials.access_key_id,
        &scope,
        &additional,
        std::str::from_utf8(&signature).expect("hex digits are ASCII"),
    );
    headers.push(("Authorization".to_owned(), authorization));
}

/// Presigns a request (query-string authentication) and returns the parameters to append to its
/// query, values decoded (URL-encode them when building the URL), in the v2 SDK's order:
/// `x-oss-signature-version`, `x-oss-date`, `x-oss-expires`, `x-oss-credential`,
/// `x-oss-security-token` (STS only), `x-oss-additional-headers` (only if any),
/// `x-oss-signature` (always last).
///
/// `query` is the request's own query (kept in the URL before these parameters); `headers` are
/// the headers the requester will send: `Content-Type`, `Content-MD5`, `x-oss-*` and the
/// effective additional headers are signed and must be sent with exactly these values.
/// `expires_in_seconds` is the validity from `unix_time`; OSS accepts 1..=604800 (7 days).
#[allow(clippy::too_many_arguments)] // mirrors the signer inputs one to one; grouping would only rename them
pub fn presign(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: &[(String, String)],
    headers: &[(String, String)],
    credentials: &Credentials,
    region: &str,
    product: &str,
    unix_time: i64,
    expires_in_seconds: i64,
    additional_requested: &[&str],
) -> Vec<(String, String)> {
    let datetime = iso8601_basic(unix_time);
    let date = &datetime[..8];
    let scope = scope(date, region, product);
    let additional = effective_additional_headers(additional_requested, headers);

    let mut params: Vec<(String, String)> = Vec::with_capacity(7);
    params.push(("x-oss-signature-version".to_owned(), ALGORITHM.to_owned()));
    params.push(("x-oss-date".to_owned(), datetime.clone()));
    params.push(("x-oss-expires".to_owned(), expires_in_seconds.to_string()));
    params.push((
        "x-oss-credential".to_owned(),
        format!("{}/{scope}", credentials.access_key_id),
    ));
    if let Some(token) = &credentials.security_token {
        params.push(("x-oss-security-token".to_owned(), token.clone()));
    }
    if !additional.is_empty() {
        params.push(("x-oss-additional-headers".to_owned(), additional.join(";")));
    }

    let canonical = build_canonical_request(
        method,
        bucket,
        key,
        query
            .iter()
            .chain(params.iter())
            .map(|(n, v)| (n.as_str(), v.as_str())),
        headers,
        &additional,
    );
    let key = signing_key(&credentials.access_key_secret, date, region, product);
    let signature = signature(&key, &string_to_sign(&datetime, &scope, &canonical));
    params.push((SIGNATURE_PARAM.to_owned(), signature));
    params
}

#[cfg(test)]
mod tests {
    //! The C++ SDK's `SignerTest.cc` vectors [repo test] and the [derived] PutObject-with-callback
    //! vector, `cpp-sdk-surface.md` 9.2.

    use super::*;
    use crate::encoding::hex_lower;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn sha256_hex(s: &str) -> String {
        hex_lower(&Sha256::digest(s.as_bytes()))
    }

    /// Common SignerTest inputs; header tests add `x-oss-content-sha256`.
    fn signer_test_headers(content_type: &str, with_sha256: bool) -> Vec<(String, String)> {
        let mut headers = pairs(&[
            ("x-oss-head1", "value"),
            ("abc", "value"),
            ("ZAbc", "value"),
            ("XYZ", "value"),
            ("content-type", content_type),
        ]);
        if with_sha256 {
            headers.push((
                "x-oss-content-sha256".to_owned(),
                UNSIGNED_PAYLOAD.to_owned(),
            ));
        }
        headers
    }

    fn signer_test_query() -> Vec<(String, String)> {
        pairs(&[
            ("param1", "value1"),
            ("|param1", "value4"),
            ("+param1", "value3"),
            ("+param2", ""),
            ("|param2", ""),
            ("param2", ""),
        ])
    }

    const SIGNER_TEST_KEY: &str = "1234+-/123/1.txt";
    const SIGNER_TEST_QUERY_LINE: &str =
        "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2";

    fn sign_signer_test(
        unix_time: i64,
        credentials: &Credentials,
        additional: &[&str],
    ) -> Vec<(String, String)> {
        let mut headers = signer_test_headers("text/plain", true);
        sign_headers(
            "PUT",
            Some("bucket"),
            Some(SIGNER_TEST_KEY),
            &signer_test_query(),
            &mut headers,
            credentials,
            "cn-hangzhou",
            PRODUCT,
            unix_time,
            additional,
        );
        headers
    }

    fn signed_canonical_request(headers: &[(String, String)], additional: &[&str]) -> String {
        let query = signer_test_query();
        let effective = effective_additional_headers(additional, headers);
        canonical_request(
            &SignableRequest {
                method: "PUT",
                bucket: Some("bucket"),
                key: Some(SIGNER_TEST_KEY),
                query: &query,
                headers,
            },
            &effective,
        )
    }

    #[test]
    fn cpp_signer_v4_header_vector() {
        let headers = sign_signer_test(1_702_743_657, &Credentials::new("ak", "sk"), &[]);
        let canonical = signed_canonical_request(&headers, &[]);
        assert_eq!(
            canonical,
            format!(
                "PUT\n/bucket/1234%2B-/123/1.txt\n{SIGNER_TEST_QUERY_LINE}\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD"
            )
        );
        assert_eq!(
            string_to_sign(
                "20231216T162057Z",
                "20231216/cn-hangzhou/oss/aliyun_v4_request",
                &canonical
            ),
            "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4"
        );
        assert_eq!(
            header_value(&headers, "authorization"),
            Some(
                "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"
            )
        );
    }

    #[test]
    fn cpp_signer_v4_token_header_vector() {
        let credentials = Credentials::with_security_token("ak", "sk", "token");
        let headers = sign_signer_test(1_702_784_856, &credentials, &[]);
        assert_eq!(
            header_value(&headers, "x-oss-security-token"),
            Some("token")
        );
        let canonical = signed_canonical_request(&headers, &[]);
        assert_eq!(
            canonical,
            format!(
                "PUT\n/bucket/1234%2B-/123/1.txt\n{SIGNER_TEST_QUERY_LINE}\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231217T034736Z\nx-oss-head1:value\nx-oss-security-token:token\n\n\nUNSIGNED-PAYLOAD"
            )
        );
        assert_eq!(
            sha256_hex(&canonical),
            "69494678fb11579d4ee12996e2796d9e2ba43c34aa4c723c4aec018f3d6b86b8"
        );
        assert_eq!(
            header_value(&headers, "authorization"),
            Some(
                "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea"
            )
        );
    }

    #[test]
    fn cpp_signer_v4_with_additional_headers_vector() {
        let requested = ["ZAbc", "abc", "x-oss-head1", "x-oss-no-exist"];
        let headers = sign_signer_test(1_702_747_512, &Credentials::new("ak", "sk"), &requested);
        assert_eq!(
            effective_additional_headers(&requested, &headers),
            ["abc", "zabc"]
        );
        let canonical = signed_canonical_request(&headers, &requested);
        assert_eq!(
            canonical,
            format!(
                "PUT\n/bucket/1234%2B-/123/1.txt\n{SIGNER_TEST_QUERY_LINE}\nabc:value\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T172512Z\nx-oss-head1:value\nzabc:value\n\nabc;zabc\nUNSIGNED-PAYLOAD"
            )
        );
        assert_eq!(
            sha256_hex(&canonical),
            "16b86004ed2cc3406dd7a13081bd940ef6a5ad49e508da2d4fdf84e8a5dd2145"
        );
        assert_eq!(
            header_value(&headers, "authorization"),
            Some(
                "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f"
            )
        );
    }

    fn presign_signer_test(
        unix_time: i64,
        expires: i64,
        credentials: &Credentials,
        additional: &[&str],
    ) -> (Vec<(String, String)>, String) {
        let query = signer_test_query();
        let headers = signer_test_headers("application/octet-stream", false);
        let params = presign(
            "PUT",
            Some("bucket"),
            Some(SIGNER_TEST_KEY),
            &query,
            &headers,
            credentials,
            "cn-hangzhou",
            PRODUCT,
            unix_time,
            expires - unix_time,
            additional,
        );
        let mut all_query = query.clone();
        all_query.extend(params.iter().cloned());
        let effective = effective_additional_headers(additional, &headers);
        let canonical = canonical_request(
            &SignableRequest {
                method: "PUT",
                bucket: Some("bucket"),
                key: Some(SIGNER_TEST_KEY),
                query: &all_query,
                headers: &headers,
            },
            &effective,
        );
        (params, canonical)
    }

    #[test]
    fn cpp_signer_v4_presign_vector() {
        let (params, canonical) = presign_signer_test(
            1_702_781_677,
            1_702_782_276,
            &Credentials::new("ak", "sk"),
            &[],
        );
        assert_eq!(
            params,
            pairs(&[
                ("x-oss-signature-version", "OSS4-HMAC-SHA256"),
                ("x-oss-date", "20231217T025437Z"),
                ("x-oss-expires", "599"),
                (
                    "x-oss-credential",
                    "ak/20231217/cn-hangzhou/oss/aliyun_v4_request"
                ),
                (
                    "x-oss-signature",
                    "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"
                ),
            ])
        );
        assert_eq!(
            canonical,
            format!(
                "PUT\n/bucket/1234%2B-/123/1.txt\n{SIGNER_TEST_QUERY_LINE}&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256\ncontent-type:application/octet-stream\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD"
            )
        );
        assert_eq!(
            sha256_hex(&canonical),
            "48814c11f278d51662015bf2f896b66ca10b6de0187ed8d952e341bbce0aa336"
        );
    }

    #[test]
    fn cpp_signer_v4_presign_token_vector() {
        let credentials = Credentials::with_security_token("ak", "sk", "token");
        let (params, canonical) =
            presign_signer_test(1_702_785_388, 1_702_785_987, &credentials, &[]);
        assert_eq!(
            params,
            pairs(&[
                ("x-oss-signature-version", "OSS4-HMAC-SHA256"),
                ("x-oss-date", "20231217T035628Z"),
                ("x-oss-expires", "599"),
                (
                    "x-oss-credential",
                    "ak/20231217/cn-hangzhou/oss/aliyun_v4_request"
                ),
                ("x-oss-security-token", "token"),
                (
                    "x-oss-signature",
                    "3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5"
                ),
            ])
        );
        assert_eq!(
            sha256_hex(&canonical),
            "458705026c021c95dd317d008cff79df19ce99bf2b241d1ecb20f4d65bb851a5"
        );
    }

    #[test]
    fn cpp_signer_v4_presign_with_additional_headers_vector() {
        let (params, canonical) = presign_signer_test(
            1_702_783_809,
            1_702_784_408,
            &Credentials::new("ak", "sk"),
            &["abc", "ZAbc"],
        );
        assert_eq!(
            params,
            pairs(&[
                ("x-oss-signature-version", "OSS4-HMAC-SHA256"),
                ("x-oss-date", "20231217T033009Z"),
                ("x-oss-expires", "599"),
                (
                    "x-oss-credential",
                    "ak/20231217/cn-hangzhou/oss/aliyun_v4_request"
                ),
                ("x-oss-additional-headers", "abc;zabc"),
                (
                    "x-oss-signature",
                    "6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7"
                ),
            ])
        );
        assert!(
            canonical.contains("&param2&x-oss-additional-headers=abc%3Bzabc&x-oss-credential=")
        );
        assert!(canonical.ends_with("\nabc:value\ncontent-type:application/octet-stream\nx-oss-head1:value\nzabc:value\n\nabc;zabc\nUNSIGNED-PAYLOAD"));
        assert_eq!(
            sha256_hex(&canonical),
            "e06541af14a8dc30dd12d3b75557af47f405e37784a76eae1a844c3426777df9"
        );
    }

    #[test]
    fn derived_put_object_with_callback_vector() {
        let mut headers = pairs(&[
            ("Content-Type", "text/plain"),
            ("Content-MD5", "XUFAKrxLKna5cZ2REBfFkg=="),
            ("Content-Length", "5"),
            ("User-Agent", "aliyun-sdk-cpp/1.10.1 (Linux)"),
            (
                "x-oss-callback",
                "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tCb2R5IjoiMTIzNDU2In0=",
            ),
            (
                "x-oss-callback-var",
                "eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ==",
            ),
            ("x-oss-meta-Author", "alice"),
        ]);
        let credentials = Credentials::with_security_token("ak", "sk", "sts-token");
        sign_headers(
            "PUT",
            Some("examplebucket"),
            Some("dir/hello world.txt"),
            &[],
            &mut headers,
            &credentials,
            "cn-hangzhou",
            PRODUCT,
            1_702_743_657,
            &[],
        );
        let canonical = canonical_request(
            &SignableRequest {
                method: "PUT",
                bucket: Some("examplebucket"),
                key: Some("dir/hello world.txt"),
                query: &[],
                headers: &headers,
            },
            &[],
        );
        assert_eq!(
            canonical,
            "PUT\n/examplebucket/dir/hello%20world.txt\n\ncontent-md5:XUFAKrxLKna5cZ2REBfFkg==\ncontent-type:text/plain\nx-oss-callback:eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tCb2R5IjoiMTIzNDU2In0=\nx-oss-callback-var:eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ==\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-meta-author:alice\nx-oss-security-token:sts-token\n\n\nUNSIGNED-PAYLOAD"
        );
        assert_eq!(
            sha256_hex(&canonical),
            "be955b37d7c77660154438ffd99c9fdcebb664c5791c3ec853ed81d44931b2a1"
        );
        assert_eq!(
            header_value(&headers, "authorization"),
            Some(
                "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=8a3035b428237cdc73cdd2f98dfe10c90cda87165aa9649278c062e5a531f120"
            )
        );
    }

    fn request<'a>(
        query: &'a [(String, String)],
        headers: &'a [(String, String)],
    ) -> SignableRequest<'a> {
        SignableRequest {
            method: "GET",
            bucket: Some("b"),
            key: Some("k"),
            query,
            headers,
        }
    }

    #[test]
    fn canonical_uri_has_bucket_slash_without_key_and_root_without_bucket() {
        let mut req = request(&[], &[]);
        req.key = None;
        assert!(canonical_request(&req, &[]).starts_with("GET\n/b/\n"));
        req.bucket = None;
        assert!(canonical_request(&req, &[]).starts_with("GET\n/\n"));
    }

    #[test]
    fn canonical_query_excludes_the_presigned_signature_parameter() {
        let query = pairs(&[("x-oss-signature", "abc"), ("acl", "")]);
        let canonical = canonical_request(&request(&query, &[]), &[]);
        assert_eq!(canonical.lines().nth(2), Some("acl"));
    }

    #[test]
    fn canonical_query_sorts_equal_names_by_value() {
        let query = pairs(&[("a", "2"), ("a", "1"), ("a", "")]);
        let canonical = canonical_request(&request(&query, &[]), &[]);
        assert_eq!(canonical.lines().nth(2), Some("a&a=1&a=2"));
    }

    #[test]
    fn canonical_headers_skip_empty_values_and_unsigned_headers() {
        let headers = pairs(&[
            ("Host", "b.example.com"),
            ("Content-Type", ""),
            ("x-oss-meta-a", " 1 "),
            ("Cache-Control", "no-cache"),
        ]);
        let canonical = canonical_request(&request(&[], &headers), &[]);
        assert_eq!(
            canonical,
            "GET\n/b/k\n\nx-oss-meta-a:1\n\n\nUNSIGNED-PAYLOAD"
        );
    }

    #[test]
    fn canonical_request_uses_the_content_sha256_header_as_payload_hash() {
        let headers = pairs(&[("x-oss-content-sha256", "UNSIGNED-PAYLOAD")]);
        let canonical = canonical_request(&request(&[], &headers), &[]);
        assert!(canonical.ends_with("\n\n\nUNSIGNED-PAYLOAD"));
    }

    #[test]
    fn effective_additional_headers_drops_defaults_absent_names_and_duplicates() {
        let headers = pairs(&[
            ("Range", "bytes=0-1"),
            ("Content-Type", "text/plain"),
            ("x-oss-meta-a", "1"),
        ]);
        assert_eq!(
            effective_additional_headers(
                &[
                    "range",
                    "RANGE",
                    "content-type",
                    "Content-MD5",
                    "x-oss-meta-a",
                    "if-match",
                    ""
                ],
                &headers
            ),
            ["range"]
        );
    }

    #[test]
    fn authorization_omits_additional_headers_when_there_are_none() {
        assert_eq!(
            authorization("ak", "s", &[], "sig"),
            "OSS4-HMAC-SHA256 Credential=ak/s,Signature=sig"
        );
        assert_eq!(
            authorization("ak", "s", &["a".to_owned(), "b".to_owned()], "sig"),
            "OSS4-HMAC-SHA256 Credential=ak/s,AdditionalHeaders=a;b,Signature=sig"
        );
    }

    #[test]
    fn scope_joins_date_region_product_and_terminator() {
        assert_eq!(
            scope("20240315", "cn-hangzhou", PRODUCT),
            "20240315/cn-hangzhou/oss/aliyun_v4_request"
        );
    }

    #[test]
    fn sign_headers_replaces_an_earlier_signature_when_re_signing() {
        let credentials = Credentials::with_security_token("ak", "sk", "t1");
        let mut headers = pairs(&[("Content-Type", "text/plain")]);
        let sign = |headers: &mut Vec<(String, String)>, credentials: &Credentials, t| {
            sign_headers(
                "PUT",
                Some("b"),
                Some("k"),
                &[],
                headers,
                credentials,
                "cn-hangzhou",
                PRODUCT,
                t,
                &[],
            );
        };
        sign(&mut headers, &credentials, 1_702_743_657);
        let refreshed = Credentials::with_security_token("ak", "sk", "t2");
        sign(&mut headers, &refreshed, 1_702_743_700);
        let mut fresh = pairs(&[("Content-Type", "text/plain")]);
        sign(&mut fresh, &refreshed, 1_702_743_700);
        // The kept x-oss-content-sha256 stays where the first signing put it; order is not signed.
        headers.sort();
        fresh.sort();
        assert_eq!(headers, fresh);
    }

    #[test]
    fn sign_headers_keeps_a_caller_supplied_content_sha256() {
        let mut headers = pairs(&[("X-Oss-Content-Sha256", "UNSIGNED-PAYLOAD")]);
        sign_headers(
            "PUT",
            Some("b"),
            Some("k"),
            &[],
            &mut headers,
            &Credentials::new("ak", "sk"),
            "cn-hangzhou",
            PRODUCT,
            0,
            &[],
        );
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "X-Oss-Content-Sha256",
                "x-oss-date",
                "Date",
                "Authorization"
            ]
        );
    }

    #[test]
    fn signing_key_cache_gives_the_derived_key_and_notices_every_input() {
        let cache = SigningKeyCache::default();
        let fresh = signing_key("sk", "20231216", "cn-hangzhou", "oss");
        assert_eq!(cache.key("sk", "20231216", "cn-hangzhou", "oss"), fresh);
        assert_eq!(cache.key("sk", "20231216", "cn-hangzhou", "oss"), fresh);
        for (secret, date, region) in [
            ("sk2", "20231216", "cn-hangzhou"),
            ("sk", "20231217", "cn-hangzhou"),
            ("sk", "20231216", "cn-beijing"),
        ] {
            assert_eq!(
                cache.key(secret, date, region, "oss"),
                signing_key(secret, date, region, "oss")
            );
        }
        assert!(!format!("{cache:?}").contains("sk"));
    }

    #[test]
    fn a_shared_cache_signs_exactly_as_a_fresh_one_across_seconds_days_and_secrets() {
        let cache = SigningKeyCache::default();
        let sign = |cache: &SigningKeyCache, secret: &str, unix_time: i64| {
            let mut headers = vec![("Content-Type".to_owned(), "text/plain".to_owned())];
            let credentials = Credentials::new("ak", secret);
            sign_headers_cached(
                "PUT",
                Some("bucket"),
                Some("key"),
                &[],
                &mut headers,
                &credentials,
                "cn-hangzhou",
                PRODUCT,
                unix_time,
                &[],
                cache,
            );
            headers
        };
        // The same second twice, the next second, the next day, another secret, and back.
        for (secret, unix_time) in [
            ("sk", 1_702_684_799),
            ("sk", 1_702_684_799),
            ("sk", 1_702_684_800),
            ("sk", 1_702_771_200),
            ("sk2", 1_702_771_200),
            ("sk", 1_702_684_799),
        ] {
            assert_eq!(
                sign(&cache, secret, unix_time),
                sign(&SigningKeyCache::default(), secret, unix_time),
                "{secret} at {unix_time}"
            );
        }
    }
}
