//! Presigned URLs: the C++ SDK's `OssClient::GeneratePresignedUrl`, as a pure function.
//!
//! A presigned URL carries its signature in the query, so whoever holds it can send the one
//! request it describes (method, bucket, key, signed headers, parameters) until it expires,
//! without credentials. Building one needs no I/O: endpoint, credentials, signature version,
//! region and addressing style in, URL string out ([`presigned_url`]).
//!
//! ```text
//! URL   = scheme://host[:port] path ? query
//! path  = "/" [bucket "/" (IP endpoint or path style)] key-URL-encoded ("/" as %2F unless kept)
//! query = request parameters + signature parameters, URL-encoded, in the chosen order
//! V1    : Expires (absolute), OSSAccessKeyId, Signature [, security-token]   (oss-protocol 2.4)
//! V4    : x-oss-signature-version, x-oss-date, x-oss-expires (relative), x-oss-credential
//!         [, x-oss-security-token] [, x-oss-additional-headers], x-oss-signature (2.2)
//! ```
//!
//! What the requester must send besides the URL: exactly the signed headers, with the same
//! values — `Content-Type` and `Content-MD5` when set on the request, and every `x-oss-*`
//! header including the user metadata (`x-oss-meta-*`); plus, in V4, the additional headers.

use super::{Credentials, v1, v4};
use crate::config::SignatureVersion;
use crate::encoding::uri_encode_into;
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind};

/// How long a URL stays valid when the request does not say: the C++ SDK's 15 minutes.
pub const DEFAULT_EXPIRY_SECONDS: i64 = 900;

/// The order of the query parameters in the URL. OSS accepts either; the signature is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryOrder {
    /// Every parameter, the request's and the signature's, sorted by raw name (byte order), as
    /// the C++ SDK writes them: `Expires`, `OSSAccessKeyId`, `Signature` come before the
    /// lower-case names.
    #[default]
    Sorted,
    /// The request's parameters in the order they were first set, then the signature
    /// parameters in signing order, as the Python SDKs (oss2, alibabacloud-oss-v2) write them.
    AsAdded,
}

/// What a presigned URL allows: the C++ SDK's `GeneratePresignedUrlRequest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignRequest {
    pub bucket: String,
    pub key: String,
    /// Upper-case HTTP method: `GET`, `PUT`, `HEAD`, `POST`, `DELETE`.
    pub method: String,
    /// When the URL stops working, absolute Unix seconds.
    pub expires: i64,
    /// Headers the requester will send (the SDK's `HttpMetaData`). `Content-Type`,
    /// `Content-MD5` and `x-oss-*` ones are signed; the rest only matter as additional headers.
    pub headers: Vec<(String, String)>,
    /// Query parameters, each name once (setting a name again replaces its value); an empty
    /// value is written as a bare name (`?acl`).
    pub parameters: Vec<(String, String)>,
    /// User metadata, names without the `x-oss-meta-` prefix; signed as `x-oss-meta-<name>`.
    pub user_metadata: Vec<(String, String)>,
    /// Keep `/` in the key literal in the URL path (the SDK's `setUnencodedSlash(true)`);
    /// by default it is written `%2F`. The signature does not depend on it.
    pub unencoded_slash: bool,
    /// V4 only: headers to sign besides the default set (`x-oss-additional-headers`); names
    /// absent from `headers` are ignored. The C++ SDK never uses these.
    pub additional_headers: Vec<String>,
    /// The order of the query parameters (sorted, as the C++ SDK writes them, by default).
    pub query_order: QueryOrder,
    /// The SDK's `isVerifyObjectStrict` (on by default): also refuse keys starting with `?`.
    pub verify_object_strict: bool,
    /// Sign as of this time (Unix seconds) instead of the context's clock, as the Python SDKs'
    /// `signing_time`. A V4 URL is valid from it until `expires`; V1 URLs do not depend on it.
    pub signing_time: Option<i64>,
}

impl PresignRequest {
    /// A GET of `bucket/key` valid until `expires` (absolute Unix seconds).
    pub fn new(bucket: impl Into<String>, key: impl Into<String>, expires: i64) -> Self {
        PresignRequest {
            bucket: bucket.into(),
            key: key.into(),
            method: "GET".to_owned(),
            expires,
            headers: Vec::new(),
            parameters: Vec::new(),
            user_metadata: Vec::new(),
            unencoded_slash: false,
            additional_headers: Vec::new(),
            query_order: QueryOrder::Sorted,
            verify_object_strict: true,
            signing_time: None,
        }
    }

    /// Sets query parameter `name` to `value` (`""` for a bare name), replacing an earlier value.
    pub fn set_parameter(&mut self, name: &str, value: &str) {
        set_pair(&mut self.parameters, name, value, false);
    }

    /// Sets header `name` (ASCII case-insensitive) to `value`, replacing an earlier value.
    pub fn set_header(&mut self, name: &str, value: &str) {
        set_pair(&mut self.headers, name, value, true);
    }

    /// Sets user metadata `name` (sent as `x-oss-meta-<name>`; names are case-insensitive).
    pub fn set_user_metadata(&mut self, name: &str, value: &str) {
        set_pair(&mut self.user_metadata, name, value, true);
    }

    /// Puts an upload callback in the URL: the `callback` parameter (base64 of the callback
    /// JSON) and, when not empty, `callback-var` (base64 of the `x:` variables). Both are
    /// signed, so the uploader cannot change them.
    pub fn set_callback(&mut self, callback: &str, callback_var: &str) {
        self.set_parameter("callback", callback);
        if callback_var.is_empty() {
            self.parameters.retain(|(name, _)| name != "callback-var");
        } else {
            self.set_parameter("callback-var", callback_var);
        }
    }
}

fn set_pair(pairs: &mut Vec<(String, String)>, name: &str, value: &str, ignore_case: bool) {
    let same = |n: &String| {
        if ignore_case {
            n.eq_ignore_ascii_case(name)
        } else {
            n == name
        }
    };
    match pairs.iter_mut().find(|(n, _)| same(n)) {
        Some(pair) => pair.1 = value.to_owned(),
        None => pairs.push((name.to_owned(), value.to_owned())),
    }
}

/// Where and how to sign: what a client's configuration holds, plus the signing time.
#[derive(Debug, Clone, Copy)]
pub struct PresignContext<'a> {
    pub endpoint: &'a Endpoint,
    pub credentials: &'a Credentials,
    pub signature_version: SignatureVersion,
    /// The bucket's region (`cn-hangzhou`); V4 needs it.
    pub region: &'a str,
    /// The endpoint is a custom domain bound to the bucket: no `bucket.` prefix.
    pub is_cname: bool,
    /// Address the bucket as `endpoint/bucket/key`.
    pub is_path_style: bool,
    /// The clock, Unix seconds: the signing time unless the request names one (V4 `x-oss-date`;
    /// `x-oss-expires` is counted from it). V1 URLs do not depend on it.
    pub now: i64,
}

/// The presigned URL for `request`, or the SDK's `ValidateError` ("The Bucket or Key is
/// invalid.") for a bad bucket name or key, an `InvalidArgument` error for a method that is not
/// a word, or an `InvalidConfig` error for V4 without a region.
///
/// The expiry is not checked, as in the SDK: an expiry in the past gives a URL OSS refuses with
/// `AccessDenied` (`Request has expired.`); V4 URLs longer than 7 days are refused by OSS.
pub fn presigned_url(request: &PresignRequest, context: &PresignContext) -> Result<String, Error> {
    let key_ok = crate::client::validate_key(&request.key).is_ok()
        && !(request.verify_object_strict && request.key.starts_with('?'));
    if crate::client::validate_bucket(&request.bucket).is_err() || !key_ok {
        return Err(Error::validate("The Bucket or Key is invalid."));
    }
    if request.method.is_empty() || !request.method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::invalid_argument(format!(
            "{:?} is not an HTTP method; use GET, PUT, HEAD, POST or DELETE",
            request.method
        )));
    }
    if context.signature_version == SignatureVersion::V4 && context.region.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidConfig,
            "ValidateError",
            "signature V4 needs the bucket's region to presign a URL: set it (for example \"cn-hangzhou\" for oss-cn-hangzhou.aliyuncs.com), or choose signature V1",
        ));
    }

    let mut headers = request.headers.clone();
    headers.extend(
        request
            .user_metadata
            .iter()
            .map(|(name, value)| (format!("x-oss-meta-{name}"), value.clone())),
    );
    let method = request.method.to_ascii_uppercase();
    let signed_at = request.signing_time.unwrap_or(context.now);
    let bucket = Some(request.bucket.as_str());
    let key = Some(request.key.as_str());
    let signature_params = match context.signature_version {
        SignatureVersion::V1 => v1::presign(
            &method,
            bucket,
            key,
            &request.parameters,
            &headers,
            context.credentials,
            request.expires,
        ),
        SignatureVersion::V4 => {
            let additional: Vec<&str> = request
                .additional_headers
                .iter()
                .map(String::as_str)
                .collect();
            v4::presign(
                &method,
                bucket,
                key,
                &request.parameters,
                &headers,
                context.credentials,
                context.region,
                v4::PRODUCT,
                signed_at,
                request.expires.saturating_sub(signed_at),
                &additional,
            )
        }
    };

    let mut query: Vec<&(String, String)> = request
        .parameters
        .iter()
        .chain(signature_params.iter())
        .collect();
    if request.query_order == QueryOrder::Sorted {
        query.sort_by(|a, b| a.0.cmp(&b.0));
    }

    let target = context
        .endpoint
        .target(&request.bucket, context.is_cname, context.is_path_style);
    let mut url = String::with_capacity(256 + request.key.len() * 3);
    url.push_str(target.scheme.as_str());
    url.push_str("://");
    target.push_authority(&mut url);
    url.push('/');
    if !context.is_cname && (context.is_path_style || context.endpoint.is_ip()) {
        url.push_str(&request.bucket);
        url.push('/');
    }
    uri_encode_into(&mut url, request.key.as_bytes(), request.unencoded_slash);
    for (i, (name, value)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        uri_encode_into(&mut url, name.as_bytes(), false);
        if !value.is_empty() {
            url.push('=');
            uri_encode_into(&mut url, value.as_bytes(), false);
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context<'a>(endpoint: &'a Endpoint, credentials: &'a Credentials) -> PresignContext<'a> {
        PresignContext {
            endpoint,
            credentials,
            signature_version: SignatureVersion::V1,
            region: "",
            is_cname: false,
            is_path_style: false,
            now: 1_700_000_000,
        }
    }

    #[test]
    fn bad_bucket_names_and_keys_are_the_sdks_validate_error() {
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com").unwrap();
        let credentials = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");
        for (bucket, key) in [
            ("Bad_Bucket", "k"),
            ("my-bucket", ""),
            ("my-bucket", "?abc"),
        ] {
            let err = presigned_url(
                &PresignRequest::new(bucket, key, 1_700_000_000),
                &context(&endpoint, &credentials),
            )
            .unwrap_err();
            assert_eq!(
                (err.code.as_str(), err.message.as_str()),
                ("ValidateError", "The Bucket or Key is invalid."),
                "{bucket:?} {key:?}"
            );
        }
    }

    #[test]
    fn a_leading_question_mark_passes_when_object_checks_are_relaxed() {
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com").unwrap();
        let credentials = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");
        let mut request = PresignRequest::new("my-bucket", "?123", 1_700_000_000);
        request.verify_object_strict = false;
        let url = presigned_url(&request, &context(&endpoint, &credentials));
        assert!(
            url.unwrap()
                .starts_with("http://my-bucket.oss-cn-hangzhou.aliyuncs.com/%3F123?")
        );
    }

    #[test]
    fn v4_without_a_region_is_a_configuration_error() {
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com").unwrap();
        let credentials = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");
        let mut ctx = context(&endpoint, &credentials);
        ctx.signature_version = SignatureVersion::V4;
        let err =
            presigned_url(&PresignRequest::new("my-bucket", "k", 1_700_000_000), &ctx).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidConfig);
    }

    #[test]
    fn setting_a_parameter_again_replaces_it_in_place() {
        let mut request = PresignRequest::new("b", "k", 0);
        request.set_parameter("a", "1");
        request.set_parameter("b", "2");
        request.set_parameter("a", "3");
        request.set_callback("cb", "");
        request.set_callback("cb2", "var");
        request.set_callback("cb3", "");
        assert_eq!(
            request.parameters,
            [("a", "3"), ("b", "2"), ("callback", "cb3")]
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
    }
}
