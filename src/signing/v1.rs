//! V1 signing, `Authorization: OSS <ak>:<signature>` with HMAC-SHA1 (`oss-protocol.md` 2.3 and
//! 2.4, `cpp-sdk-surface.md` 9.1).
//!
//! ```text
//! string to sign = VERB \n Content-MD5 \n Content-Type \n Date-or-Expires \n
//!                  CanonicalizedOSSHeaders CanonicalizedResource
//! signature      = base64(HMAC-SHA1(secret, string to sign))
//! ```
//!
//! With STS credentials the token is sent, and signed, as the `x-oss-security-token` header
//! (oss2 and the documentation; the v2 Python SDK 1.4.1 instead sends an unsigned
//! `security-token` header, see `sign_v1.json#v1-put-sts`), or as the `security-token`
//! sub-resource in presigned URLs.

use super::{
    Credentials, DateHeaderCache, SignableRequest, SignedHeaders, header_value, hmac_sha1,
    is_oss_header, remove_header,
};
use crate::encoding::base64_encode;

/// Query parameters that enter the V1 canonicalized resource, in byte order: the union of the
/// lists of oss2 (`ProviderAuth._subresource_key_set`), the C++ SDK (`SignUtils.cc`) and
/// `oss-protocol.md` 2.3. Every other parameter (`foo=bar`, `max-keys`, ...) is not signed in V1.
pub const SUB_RESOURCES: &[&str] = &[
    "acl",
    "append",
    "asyncFetch",
    "bucketInfo",
    "callback",
    "callback-var",
    "cname",
    "comp",
    "continuation-token",
    "cors",
    "delete",
    "encryption",
    "endTime",
    "group",
    "img",
    "inventory",
    "inventoryId",
    "lifecycle",
    "link",
    "live",
    "location",
    "logging",
    "metaQuery",
    "objectInfo",
    "objectMeta",
    "partNumber",
    "policy",
    "position",
    "qos",
    "qosInfo",
    "referer",
    "regionList",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "requestPayment",
    "resourceGroup",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "security-token",
    "sequential",
    "startTime",
    "stat",
    "status",
    "style",
    "styleName",
    "symlink",
    "tagging",
    "transferAcceleration",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "vod",
    "website",
    "worm",
    "wormExtend",
    "wormId",
    "x-oss-process",
    "x-oss-request-payer",
    "x-oss-traffic-limit",
];

/// Whether `name` is a V1 sub-resource (case-sensitive, as OSS treats it).
pub fn is_sub_resource(name: &str) -> bool {
    SUB_RESOURCES.binary_search(&name).is_ok()
}

/// The date a V1 header signature covers: `x-oss-date` when present (both official SDKs prefer
/// it), else `Date`; trimmed. `None` when the request has neither.
pub fn signed_date(headers: &[(String, String)]) -> Option<&str> {
    header_value(headers, "x-oss-date")
        .or_else(|| header_value(headers, "date"))
        .map(str::trim_ascii)
}

/// `VERB\nContent-MD5\nContent-Type\n<date_or_expires>\n<x-oss-* headers><resource>`.
///
/// * `Content-MD5`, `Content-Type`: trimmed header values, or empty.
/// * `date_or_expires`: the signed date (header signing, see [`signed_date`]) or the `Expires`
///   unix time in decimal (presigned URLs).
/// * `x-oss-*` headers: names lower-cased, values trimmed (empty values kept), sorted by name,
///   repeated names joined with `,`, each line `name:value\n`.
/// * Resource: `/bucket/key` with the raw (unencoded) key, `/bucket/` without key, `/` without
///   bucket; then the sub-resources among the query parameters, sorted, with raw values:
///   `?name=value&name2` (bare name for an empty value).
pub fn string_to_sign(req: &SignableRequest, date_or_expires: &str) -> String {
    build_string_to_sign(
        req.method,
        req.bucket,
        req.key,
        req.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        req.headers,
        date_or_expires,
    )
}

fn build_string_to_sign<'q>(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: impl Iterator<Item = (&'q str, &'q str)>,
    headers: &[(String, String)],
    date_or_expires: &str,
) -> String {
    let content_md5 = header_value(headers, "content-md5").map_or("", str::trim_ascii);
    let content_type = header_value(headers, "content-type").map_or("", str::trim_ascii);
    let oss_headers = SignedHeaders::collect(headers, false, is_oss_header);
    let mut sub_resources: Vec<(&str, &str)> =
        query.filter(|&(name, _)| is_sub_resource(name)).collect();
    sub_resources.sort_unstable();

    let capacity = method.len()
        + content_md5.len()
        + content_type.len()
        + date_or_expires.len()
        + oss_headers.written_len()
        + bucket.map_or(0, str::len)
        + key.map_or(0, str::len)
        + sub_resources
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>()
        + 8;
    let mut out = String::with_capacity(capacity);
    for line in [method, content_md5, content_type, date_or_expires] {
        out.push_str(line);
        out.push('\n');
    }
    oss_headers.write(&mut out);

    out.push('/');
    if let Some(bucket) = bucket.filter(|b| !b.is_empty()) {
        out.push_str(bucket);
        out.push('/');
    }
    if let Some(key) = key {
        out.push_str(key);
    }
    for (i, (name, value)) in sub_resources.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(name);
        if !value.is_empty() {
            out.push('=');
            out.push_str(value);
        }
    }
    out
}

/// Base64 HMAC-SHA1 of the string to sign under the AccessKeySecret.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    base64_encode(&hmac_sha1(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// `OSS <access_key_id>:<signature>`.
pub fn authorization(access_key_id: &str, signature: &str) -> String {
    let mut out = String::with_capacity(5 + access_key_id.len() + signature.len());
    out.push_str("OSS ");
    out.push_str(access_key_id);
    out.push(':');
    out.push_str(signature);
    out
}

/// Signs a request in its headers (client side).
///
/// Removes any earlier `Authorization` and `Date` (and `x-oss-security-token` when the
/// credentials carry one), then appends `x-oss-security-token` (STS only), `Date` (RFC 1123 of
/// `unix_time`) and `Authorization: OSS ak:signature`. The signature covers `x-oss-date`
/// instead of `Date` if the caller set that header (see [`signed_date`]).
pub fn sign_headers(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: &[(String, String)],
    headers: &mut Vec<(String, String)>,
    credentials: &Credentials,
    unix_time: i64,
) {
    sign_headers_cached(
        method,
        bucket,
        key,
        query,
        headers,
        credentials,
        unix_time,
        &DateHeaderCache::default(),
    );
}

/// [`sign_headers`] taking the `Date` value from `dates`, which formats it only when the second
/// changed.
#[allow(clippy::too_many_arguments)] // sign_headers' inputs and the cache
pub fn sign_headers_cached(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: &[(String, String)],
    headers: &mut Vec<(String, String)>,
    credentials: &Credentials,
    unix_time: i64,
    dates: &DateHeaderCache,
) {
    remove_header(headers, "authorization");
    remove_header(headers, "date");
    if let Some(token) = &credentials.security_token {
        remove_header(headers, "x-oss-security-token");
        headers.push(("x-oss-security-token".to_owned(), token.clone()));
    }
    headers.push(("Date".to_owned(), dates.get(unix_time).1));

    let date = signed_date(headers).unwrap_or_default();
    let to_sign = build_string_to_sign(
        method,
        bucket,
        key,
        query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        headers,
        date,
    );
    let signature = signature(&credentials.access_key_secret, &to_sign);
    headers.push((
        "Authorization".to_owned(),
        authorization(&credentials.access_key_id, &signature),
    ));
}

/// Presigns a request and returns the query parameters to append, values decoded (URL-encode
/// them when building the URL), in oss2's order: `security-token` (STS only), `OSSAccessKeyId`,
/// `Expires`, `Signature`.
///
/// `expires_unix` is the absolute expiry time; it takes the date's place in the string to sign.
/// The token is signed as a sub-resource. `headers` are those the requester will send:
/// `Content-MD5`, `Content-Type` and `x-oss-*` are signed and must be sent unchanged.
pub fn presign(
    method: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: &[(String, String)],
    headers: &[(String, String)],
    credentials: &Credentials,
    expires_unix: i64,
) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = Vec::with_capacity(4);
    if let Some(token) = &credentials.security_token {
        params.push(("security-token".to_owned(), token.clone()));
    }
    let expires = expires_unix.to_string();
    let to_sign = build_string_to_sign(
        method,
        bucket,
        key,
        query
            .iter()
            .chain(params.iter())
            .map(|(n, v)| (n.as_str(), v.as_str())),
        headers,
        &expires,
    );
    let signature = signature(&credentials.access_key_secret, &to_sign);
    params.push((
        "OSSAccessKeyId".to_owned(),
        credentials.access_key_id.clone(),
    ));
    params.push(("Expires".to_owned(), expires));
    params.push(("Signature".to_owned(), signature));
    params
}

#[cfg(test)]
mod tests {
    //! The [derived] V1 vectors of `cpp-sdk-surface.md` 9.1 (ak `ak`, sk `sk`, t = 1702743657).

    use super::*;

    const T: i64 = 1_702_743_657;
    const CALLBACK: &str =
        "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tCb2R5IjoiMTIzNDU2In0=";
    const CALLBACK_VAR: &str = "eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ==";

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn callback_put_headers() -> Vec<(String, String)> {
        pairs(&[
            ("Content-Type", "text/plain"),
            ("Content-MD5", "XUFAKrxLKna5cZ2REBfFkg=="),
            ("Content-Length", "5"),
            ("User-Agent", "aliyun-sdk-cpp/1.10.1 (Linux)"),
            ("x-oss-callback", CALLBACK),
            ("x-oss-callback-var", CALLBACK_VAR),
            ("x-oss-meta-Author", "alice"),
        ])
    }

    fn string_to_sign_of(
        headers: &[(String, String)],
        key: &str,
        query: &[(String, String)],
    ) -> String {
        string_to_sign(
            &SignableRequest {
                method: "PUT",
                bucket: Some("examplebucket"),
                key: Some(key),
                query,
                headers,
            },
            signed_date(headers).unwrap(),
        )
    }

    #[test]
    fn derived_put_object_with_callback_vector() {
        let mut headers = callback_put_headers();
        sign_headers(
            "PUT",
            Some("examplebucket"),
            Some("dir/hello world.txt"),
            &[],
            &mut headers,
            &Credentials::new("ak", "sk"),
            T,
        );
        assert_eq!(
            string_to_sign_of(&headers, "dir/hello world.txt", &[]),
            format!(
                "PUT\nXUFAKrxLKna5cZ2REBfFkg==\ntext/plain\nSat, 16 Dec 2023 16:20:57 GMT\nx-oss-callback:{CALLBACK}\nx-oss-callback-var:{CALLBACK_VAR}\nx-oss-meta-author:alice\n/examplebucket/dir/hello world.txt"
            )
        );
        assert_eq!(
            header_value(&headers, "authorization"),
            Some("OSS ak:7fys3xyUMNNddKdu0MuR5r4q/rs=")
        );
    }

    #[test]
    fn derived_put_object_with_callback_and_sts_token_vector() {
        let mut headers = callback_put_headers();
        sign_headers(
            "PUT",
            Some("examplebucket"),
            Some("dir/hello world.txt"),
            &[],
            &mut headers,
            &Credentials::with_security_token("ak", "sk", "sts-token"),
            T,
        );
        assert!(
            string_to_sign_of(&headers, "dir/hello world.txt", &[])
                .contains("\nx-oss-meta-author:alice\nx-oss-security-token:sts-token\n/")
        );
        assert_eq!(
            header_value(&headers, "authorization"),
            Some("OSS ak:Hoq8WyzDXBf0MqNb2si6sV4wzHE=")
        );
    }

    #[test]
    fn derived_upload_part_vector_signs_only_sub_resources() {
        let query = pairs(&[
            ("uploadId", "0004B9894A22E5B1888A1E29F823****"),
            ("partNumber", "1"),
            ("notsigned", "x"),
        ]);
        let mut headers = pairs(&[("Content-Type", "")]);
        sign_headers(
            "PUT",
            Some("examplebucket"),
            Some("obj"),
            &query,
            &mut headers,
            &Credentials::new("ak", "sk"),
            T,
        );
        assert_eq!(
            string_to_sign_of(&headers, "obj", &query),
            "PUT\n\n\nSat, 16 Dec 2023 16:20:57 GMT\n/examplebucket/obj?partNumber=1&uploadId=0004B9894A22E5B1888A1E29F823****"
        );
        assert_eq!(
            header_value(&headers, "authorization"),
            Some("OSS ak:UIoWk2lWeupPraMPo51a4VjAAsY=")
        );
    }

    #[test]
    fn derived_presign_put_with_callback_and_sts_token_vector() {
        let query = pairs(&[("callback", CALLBACK)]);
        let credentials = Credentials::with_security_token("ak", "sk", "sts-token");
        let params = presign(
            "PUT",
            Some("examplebucket"),
            Some("obj.txt"),
            &query,
            &[],
            &credentials,
            1_702_744_557,
        );
        let mut signed_query = query.clone();
        signed_query.push(("security-token".to_owned(), "sts-token".to_owned()));
        let to_sign = string_to_sign(
            &SignableRequest {
                method: "PUT",
                bucket: Some("examplebucket"),
                key: Some("obj.txt"),
                query: &signed_query,
                headers: &[],
            },
            "1702744557",
        );
        assert_eq!(
            to_sign,
            format!(
                "PUT\n\n\n1702744557\n/examplebucket/obj.txt?callback={CALLBACK}&security-token=sts-token"
            )
        );
        assert_eq!(
            params,
            pairs(&[
                ("security-token", "sts-token"),
                ("OSSAccessKeyId", "ak"),
                ("Expires", "1702744557"),
                ("Signature", "4YfcrYep3RYWvDZxCk5H0i17yZg="),
            ])
        );
    }

    #[test]
    fn sub_resources_are_sorted_for_binary_search() {
        assert!(SUB_RESOURCES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn sub_resource_lookup_is_case_sensitive() {
        assert!(is_sub_resource("uploadId"));
        assert!(is_sub_resource("x-oss-process"));
        assert!(!is_sub_resource("uploadid"));
        assert!(!is_sub_resource("max-keys"));
    }

    #[test]
    fn resource_is_bucket_slash_without_key_and_root_without_bucket() {
        let query = pairs(&[("acl", "")]);
        let mut req = SignableRequest {
            method: "GET",
            bucket: Some("b"),
            key: None,
            query: &query,
            headers: &[],
        };
        assert_eq!(string_to_sign(&req, "D"), "GET\n\n\nD\n/b/?acl");
        req.bucket = None;
        assert_eq!(string_to_sign(&req, "D"), "GET\n\n\nD\n/?acl");
    }

    #[test]
    fn oss_headers_keep_empty_values() {
        let headers = pairs(&[("X-OSS-Meta-Empty", ""), ("x-oss-acl", " private ")]);
        let req = SignableRequest {
            method: "PUT",
            bucket: Some("b"),
            key: Some("k"),
            query: &[],
            headers: &headers,
        };
        assert_eq!(
            string_to_sign(&req, "D"),
            "PUT\n\n\nD\nx-oss-acl:private\nx-oss-meta-empty:\n/b/k"
        );
    }

    #[test]
    fn signed_date_prefers_x_oss_date() {
        let headers = pairs(&[("Date", "d1"), ("X-Oss-Date", " d2 ")]);
        assert_eq!(signed_date(&headers), Some("d2"));
        assert_eq!(signed_date(&pairs(&[("date", "d1")])), Some("d1"));
        assert_eq!(signed_date(&[]), None);
    }

    #[test]
    fn sign_headers_replaces_an_earlier_signature_when_re_signing() {
        let credentials = Credentials::new("ak", "sk");
        let mut headers = pairs(&[("Content-Type", "text/plain")]);
        sign_headers(
            "PUT",
            Some("b"),
            Some("k"),
            &[],
            &mut headers,
            &credentials,
            T,
        );
        sign_headers(
            "PUT",
            Some("b"),
            Some("k"),
            &[],
            &mut headers,
            &credentials,
            T + 5,
        );
        let mut fresh = pairs(&[("Content-Type", "text/plain")]);
        sign_headers(
            "PUT",
            Some("b"),
            Some("k"),
            &[],
            &mut fresh,
            &credentials,
            T + 5,
        );
        assert_eq!(headers, fresh);
    }
}
