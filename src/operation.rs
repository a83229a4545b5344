//! An OSS operation as the pipeline sees it: a declaration of what to send and which checks the
//! reply needs. `Client::invoke` turns it into signed attempts (validate names, credentials,
//! sign, send with retries and body rewind, judge the reply), so an operation never copies the
//! request loop; it builds its `Operation` and reads the judged reply into its result.

use crate::put_object::{Body, ProgressFn};

/// One request to OSS, declared.
pub(crate) struct Operation<'o, 'r, 'a> {
    /// The SDK's name for the operation (`PutObject`), for logs.
    pub name: &'static str,
    pub method: &'static str,
    pub bucket: &'o str,
    /// The object key; `None` for an operation on the bucket itself.
    pub key: Option<&'o str>,
    /// A presigned URL to send the request to instead of `bucket`/`key` (PutObjectByUrl,
    /// GetObjectByUrl): sent as given and not signed again, with no default Content-Type, as
    /// the SDK sends it; the names are then not validated (the URL's signature covers them).
    pub url: Option<&'o str>,
    /// Sub-resources and query parameters (`("uploads", "")`, `("partNumber", "3")`), sorted by
    /// name as the SDK's parameter map keeps them; an empty value is sent as the bare name.
    /// Which of them are signed is the signer's rule.
    pub parameters: &'o [(String, String)],
    /// The operation's headers. The pipeline checks every one, drops those the transport owns
    /// (Content-Length, Host, ...), adds Content-Type `application/xml` when there is none (as
    /// the SDK does for every request), User-Agent and, on request, Content-MD5, then signs.
    /// An `x-oss-callback` header makes a 203 reply the error `CallbackFailed`.
    pub headers: Vec<(String, String)>,
    /// The request body, streamed; `None` sends none.
    pub body: Option<&'r mut Body<'a>>,
    /// Compute Content-MD5 of the body when the headers carry none.
    pub compute_content_md5: bool,
    /// Upload progress, reported as body bytes reach the connection.
    pub progress: Option<&'r mut ProgressFn<'a>>,
    /// Compare the CRC-64 of the bytes sent, or of a streamed reply's bytes received, with the
    /// reply's `x-oss-hash-crc64ecma` (when the client enables CRC-64).
    pub check_crc64: bool,
    /// Where a successful reply's body goes, streamed as it arrives (a download of any size);
    /// `None` reads it into memory, bounded (XML results, a callback server's reply). With
    /// `check_crc64` and no Range header, its CRC-64 is checked against the reply's.
    pub reply: Option<&'r mut dyn std::io::Write>,
    /// Takes `reply` back to where it started (a temporary file truncated), so a download that
    /// broke off after some bytes can be tried again; without it such a download is not retried.
    pub rewind_reply: Option<&'r mut dyn FnMut() -> std::io::Result<()>>,
}

impl<'o> Operation<'o, '_, '_> {
    /// A bodiless request to `bucket`/`key` with no parameters and no headers.
    pub fn new(
        name: &'static str,
        method: &'static str,
        bucket: &'o str,
        key: Option<&'o str>,
    ) -> Self {
        Self {
            name,
            method,
            bucket,
            key,
            url: None,
            parameters: &[],
            headers: Vec::new(),
            body: None,
            compute_content_md5: false,
            progress: None,
            check_crc64: false,
            reply: None,
            rewind_reply: None,
        }
    }
}

/// The query string for `parameters` (without the `?`): `name` or `name=value`, URL-encoded,
/// joined with `&`, as the SDK writes it.
pub(crate) fn query_string(parameters: &[(String, String)]) -> String {
    let mut query = String::new();
    for (name, value) in parameters {
        if !query.is_empty() {
            query.push('&');
        }
        crate::encoding::uri_encode_into(&mut query, name.as_bytes(), false);
        if !value.is_empty() {
            query.push('=');
            crate::encoding::uri_encode_into(&mut query, value.as_bytes(), false);
        }
    }
    query
}
