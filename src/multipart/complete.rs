//! CompleteMultipartUpload (the SDK's part-list document, or OSS's complete-all; an upload
//! callback as PutObject has) and AbortMultipartUpload.

use super::{decoded, is_url, unreadable_reply};
use crate::client::Client;
use crate::error::Error;
use crate::http::Response;
use crate::object::{ObjectRequest, Verb, declare, header, set_parameter};
use crate::operation::Operation;
use crate::oss_error::xml_escape;
use crate::put_object::Body;
use crate::xml_tree::Element;

/// Which parts make the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompleteParts<'p> {
    /// `(part number, ETag)` pairs, sent in the order given (the SDK neither sorts nor
    /// de-duplicates; OSS wants ascending numbers).
    List(&'p [(u32, String)]),
    /// Every part uploaded so far, in part-number order: `x-oss-complete-all: yes` and no body.
    All,
}

/// What CompleteMultipartUpload returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompleteMultipartUploadResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    pub bucket: String,
    /// URL-decoded when `encoding_type` starts with `url`.
    pub key: String,
    /// URL-decoded when `encoding_type` starts with `url`.
    pub location: String,
    /// The object's ETag (`<md5 of the part MD5s>-<part count>`) without its quotes; from the
    /// `ETag` header when the body has none (a callback reply).
    pub etag: String,
    pub encoding_type: String,
    /// `x-oss-hash-crc64ecma` of the whole object, 0 when absent.
    pub crc64: u64,
    pub version_id: String,
    /// The callback server's reply when the request carried `x-oss-callback`; empty otherwise.
    pub body: Vec<u8>,
}

impl CompleteMultipartUploadResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

/// What AbortMultipartUpload returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbortMultipartUploadResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
}

impl Client {
    /// Completes the upload `request.upload_id` from `parts`. A part list is sent as the SDK's
    /// document with its Content-MD5. Headers such as `x-oss-object-acl`, `x-oss-callback` and
    /// `x-oss-callback-var` are sent as given; with a callback, OSS's 203 is the error
    /// `CallbackFailed` with the object stored (as for PutObject), and on success the callback
    /// server's reply is the result's `body`.
    ///
    /// # Errors
    /// `ValidateError` "PartList is empty." for an empty list, before anything is sent; OSS's
    /// error (`InvalidPart`, `InvalidPartOrder`, `EntityTooSmall`, `NoSuchUpload`, ...); the
    /// SDK's code `CompleteMultipartUpload` for a reply without a callback that is neither
    /// JSON, empty nor a `CompleteMultipartUploadResult` document.
    pub fn complete_multipart_upload(
        &self,
        request: &ObjectRequest,
        parts: CompleteParts<'_>,
    ) -> Result<CompleteMultipartUploadResult, Error> {
        let declared = declare(request, Verb::CompleteMultipartUpload, "POST")?;
        let mut parameters = request.parameters.clone();
        set_parameter(&mut parameters, "uploadId", request.upload_id.as_deref());
        let has_callback = request.header("x-oss-callback").is_some();
        let response = match parts {
            CompleteParts::List([]) => return Err(Error::validate("PartList is empty.")),
            CompleteParts::List(parts) => {
                if request.header("x-oss-complete-all").is_some() {
                    return Err(Error::invalid_argument(
                        "CompleteMultipartUpload with a part list cannot carry x-oss-complete-all; use CompleteParts::All to complete every part",
                    ));
                }
                let xml = complete_body(parts);
                let mut body = Body::Bytes(xml.as_bytes());
                self.invoke(Operation {
                    parameters: &parameters,
                    body: Some(&mut body),
                    compute_content_md5: true,
                    ..declared
                })?
            }
            CompleteParts::All => {
                let mut headers = declared.headers.clone();
                crate::headers::set(&mut headers, "x-oss-complete-all", "yes");
                self.invoke(Operation {
                    parameters: &parameters,
                    headers,
                    ..declared
                })?
            }
        };
        read_complete(response, has_callback)
    }

    /// Abandons the upload `request.upload_id`, discarding its parts; later calls on it are
    /// `NoSuchUpload`.
    pub fn abort_multipart_upload(
        &self,
        request: &ObjectRequest,
    ) -> Result<AbortMultipartUploadResult, Error> {
        let declared = declare(request, Verb::AbortMultipartUpload, "DELETE")?;
        let mut parameters = request.parameters.clone();
        set_parameter(&mut parameters, "uploadId", request.upload_id.as_deref());
        let response = self.invoke(Operation {
            parameters: &parameters,
            ..declared
        })?;
        Ok(AbortMultipartUploadResult {
            http_status: response.status,
            request_id: header(&response, "x-oss-request-id"),
            headers: response.headers,
        })
    }
}

/// The SDK's CompleteMultipartUpload document, byte for byte: no XML declaration, no newline
/// between parts or after the root. The SDK writes ETags verbatim; they are escaped here,
/// which changes no ETag OSS hands out (hex digits, quotes stripped) and keeps any other
/// well-formed.
pub(crate) fn complete_body(parts: &[(u32, String)]) -> String {
    let mut xml = String::with_capacity(52 + parts.len() * 90);
    xml.push_str("<CompleteMultipartUpload>\n");
    for (number, etag) in parts {
        xml.push_str("<Part>\n  <PartNumber>");
        xml.push_str(&number.to_string());
        xml.push_str("</PartNumber>\n  <ETag>");
        xml.push_str(&xml_escape(etag));
        xml.push_str("</ETag>\n</Part>");
    }
    xml.push_str("</CompleteMultipartUpload>");
    xml
}

/// The SDK's reading of the reply: a JSON reply (Content-Type exactly `application/json`,
/// any case) is the callback server's and is returned as the body; an empty body is a success
/// with empty fields; otherwise a `CompleteMultipartUploadResult` document. A callback server
/// may answer in another type; with a callback sent, such a reply is returned as the body
/// too, where the SDK would report a parse error for an object that is stored.
fn read_complete(
    response: Response,
    has_callback: bool,
) -> Result<CompleteMultipartUploadResult, Error> {
    let json = response
        .header("content-type")
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    let mut result = if json || response.body.is_empty() {
        CompleteMultipartUploadResult::default()
    } else {
        match parse_complete(&response.body) {
            Some(result) => result,
            None if has_callback => CompleteMultipartUploadResult::default(),
            None => {
                return Err(unreadable_reply(
                    response,
                    "CompleteMultipartUpload",
                    "the CompleteMultipartUpload reply is neither JSON nor a CompleteMultipartUploadResult document",
                ));
            }
        }
    };
    if result.etag.is_empty() {
        result.etag = header(&response, "etag").trim_matches('"').to_owned();
    }
    result.http_status = response.status;
    result.request_id = header(&response, "x-oss-request-id");
    result.version_id = header(&response, "x-oss-version-id");
    result.crc64 = header(&response, "x-oss-hash-crc64ecma")
        .parse()
        .unwrap_or(0);
    if has_callback {
        result.body = response.body;
    }
    result.headers = response.headers;
    Ok(result)
}

pub(crate) fn parse_complete(body: &[u8]) -> Option<CompleteMultipartUploadResult> {
    let root = crate::xml_tree::parse(body).ok()?;
    root.name
        .starts_with("CompleteMultipartUploadResult")
        .then(|| read_fields(&root))
}

fn read_fields(root: &Element) -> CompleteMultipartUploadResult {
    let encoding_type = root.child_text("EncodingType").to_owned();
    let url = is_url(&encoding_type);
    CompleteMultipartUploadResult {
        bucket: root.child_text("Bucket").to_owned(),
        key: decoded(url, root.child_text("Key")),
        location: decoded(url, root.child_text("Location")),
        etag: root.child_text("ETag").trim_matches('"').to_owned(),
        encoding_type,
        ..CompleteMultipartUploadResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_sdks_byte_for_byte() {
        let parts = [
            (1, "3349DC700140D7F86A0784842780****".to_owned()),
            (2, "8EFDA8BE206636A695359836FE0A****".to_owned()),
        ];
        assert_eq!(
            complete_body(&parts),
            "<CompleteMultipartUpload>\n<Part>\n  <PartNumber>1</PartNumber>\n  <ETag>3349DC700140D7F86A0784842780****</ETag>\n</Part><Part>\n  <PartNumber>2</PartNumber>\n  <ETag>8EFDA8BE206636A695359836FE0A****</ETag>\n</Part></CompleteMultipartUpload>"
        );
        assert_eq!(
            complete_body(&[(10000, "\"q&<\"".to_owned())]),
            "<CompleteMultipartUpload>\n<Part>\n  <PartNumber>10000</PartNumber>\n  <ETag>&quot;q&amp;&lt;&quot;</ETag>\n</Part></CompleteMultipartUpload>"
        );
    }

    fn reply(content_type: &str, body: &str) -> Response {
        Response {
            status: 200,
            reason: "OK".into(),
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                ("ETag".into(), "\"HDRETAG\"".into()),
                ("x-oss-hash-crc64ecma".into(), "12345".into()),
                ("x-oss-request-id".into(), "rid".into()),
                ("x-oss-version-id".into(), "v1".into()),
            ],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn an_xml_reply_gives_the_fields_decoding_names_when_url_encoded() {
        let result = read_complete(
            reply(
                "application/xml",
                "<CompleteMultipartUploadResult><EncodingType>url</EncodingType>\
                 <Location>http%3A%2F%2Fbkt.example%2Fa%20b</Location><Bucket>bkt</Bucket>\
                 <Key>a%20b</Key><ETag>\"41FEE167-3\"</ETag></CompleteMultipartUploadResult>",
            ),
            false,
        )
        .unwrap();
        assert_eq!(result.key, "a b");
        assert_eq!(result.location, "http://bkt.example/a b");
        assert_eq!(result.bucket, "bkt");
        assert_eq!(result.etag, "41FEE167-3");
        assert_eq!(result.crc64, 12345);
        assert_eq!(result.version_id, "v1");
        assert_eq!(result.request_id, "rid");
        assert!(result.body.is_empty());
    }

    #[test]
    fn a_json_reply_is_the_callback_body_and_the_etag_comes_from_the_header() {
        let result = read_complete(reply("Application/JSON", "{\"ok\":1}"), true).unwrap();
        assert_eq!(result.body, b"{\"ok\":1}");
        assert_eq!(result.etag, "HDRETAG");
        assert_eq!(result.key, "");
    }

    #[test]
    fn a_non_xml_reply_is_the_callback_body_only_when_a_callback_was_sent() {
        let result = read_complete(reply("text/plain", "done"), true).unwrap();
        assert_eq!(result.body, b"done");
        let error = read_complete(reply("text/plain", "done"), false).unwrap_err();
        assert_eq!(error.code, "CompleteMultipartUpload");
        assert_eq!(error.body, b"done");
        let error =
            read_complete(reply("application/json; charset=utf-8", "{}"), false).unwrap_err();
        assert_eq!(error.code, "CompleteMultipartUpload", "only exactly JSON");
    }

    #[test]
    fn an_empty_reply_is_a_success_with_the_header_etag() {
        let result = read_complete(reply("application/xml", ""), false).unwrap();
        assert_eq!(result.etag, "HDRETAG");
        assert_eq!(result.bucket, "");
    }
}
