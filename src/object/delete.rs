//! DeleteObject and DeleteObjects.

use super::request::Verb;
use super::{ObjectRequest, declare, header, parse_error, url_decoded_if, with_parameter};
use crate::client::Client;
use crate::error::Error;
use crate::operation::Operation;
use crate::oss_error::xml_escape;
use crate::put_object::Body;
use crate::xml_tree::Element;

/// What `DeleteObject` returns. OSS answers 204 whether or not the object existed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteObjectResult {
    pub http_status: u16,
    pub request_id: String,
    pub version_id: String,
    /// `x-oss-delete-marker` is present: on a versioned bucket, the delete made a delete
    /// marker (the SDK tests presence, not the value).
    pub delete_marker: bool,
    /// Every header of the reply.
    pub headers: Vec<(String, String)>,
}

impl DeleteObjectResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

impl Client {
    /// Deletes the object (`versionId` as a parameter deletes one version); deleting one that
    /// does not exist succeeds, as on OSS.
    pub fn delete_object(&self, request: &ObjectRequest) -> Result<DeleteObjectResult, Error> {
        let response = self.invoke(declare(request, Verb::DeleteObject, "DELETE")?)?;
        Ok(DeleteObjectResult {
            http_status: response.status,
            request_id: header(&response, "x-oss-request-id"),
            version_id: header(&response, "x-oss-version-id"),
            delete_marker: response.header("x-oss-delete-marker").is_some(),
            headers: response.headers,
        })
    }
}

/// What `DeleteObjects` returns: the keys OSS reports deleted (none in quiet mode).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteObjectsResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    /// The SDK's `Quiet()`: true only when the reply had no body (a quiet delete).
    pub quiet: bool,
    /// `EncodingType` of the reply (`url` when asked with `encoding-type=url`).
    pub encoding_type: String,
    /// Each `Deleted/Key`, URL-decoded when `encoding_type` starts with `url`.
    pub deleted: Vec<String>,
}

impl DeleteObjectsResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

impl Client {
    /// Deletes `request.keys` in one request (`POST ?delete` with Content-MD5). With
    /// `request.quiet` OSS lists only the keys it failed to delete. Keys that do not exist
    /// count as deleted, as on OSS.
    ///
    /// # Errors
    /// OSS's error, or `ParseXMLError` "Parsing DeleteObjects result fail." for a malformed
    /// body (an empty body is a quiet success, another root element a success with no keys).
    pub fn delete_objects(&self, request: &ObjectRequest) -> Result<DeleteObjectsResult, Error> {
        let parameters = with_parameter(&request.parameters, "delete", "");
        let declared = declare(request, Verb::DeleteObjects, "POST")?;
        let xml = delete_objects_body(request.quiet, &request.keys);
        let mut body = Body::Bytes(xml.as_bytes());
        let response = self.invoke(Operation {
            parameters: &parameters,
            body: Some(&mut body),
            compute_content_md5: true,
            ..declared
        })?;
        let Some(mut result) = parse_deleted(&response.body) else {
            return Err(parse_error(response, "Parsing DeleteObjects result fail."));
        };
        result.http_status = response.status;
        result.request_id = header(&response, "x-oss-request-id");
        result.headers = response.headers;
        Ok(result)
    }
}

/// The SDK's DeleteObjects document, byte for byte: two-space indentation, a newline after
/// every line, keys XML-escaped.
pub(crate) fn delete_objects_body(quiet: bool, keys: &[String]) -> String {
    let mut xml = String::with_capacity(96 + keys.iter().map(|k| k.len() + 40).sum::<usize>());
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete>\n  <Quiet>");
    xml.push_str(if quiet { "true" } else { "false" });
    xml.push_str("</Quiet>\n");
    for key in keys {
        xml.push_str("  <Object>\n    <Key>");
        xml.push_str(&xml_escape(key));
        xml.push_str("</Key>\n  </Object>\n");
    }
    xml.push_str("</Delete>\n");
    xml
}

/// The SDK's reading of a DeleteObjects body: empty is a quiet success, another root than
/// `DeleteResult` a success with no keys, anything not XML `None`.
pub(crate) fn parse_deleted(body: &[u8]) -> Option<DeleteObjectsResult> {
    if body.is_empty() {
        return Some(DeleteObjectsResult {
            quiet: true,
            ..DeleteObjectsResult::default()
        });
    }
    match crate::xml_tree::parse(body) {
        Ok(root) if root.name == "DeleteResult" => Some(read_deleted(&root)),
        Ok(_) => Some(DeleteObjectsResult::default()),
        Err(_) => None,
    }
}

fn read_deleted(root: &Element) -> DeleteObjectsResult {
    let encoding_type = root.child_text("EncodingType").to_owned();
    let url = encoding_type
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("url"));
    DeleteObjectsResult {
        deleted: root
            .children_named("Deleted")
            .map(|d| url_decoded_if(url, d.child_text("Key")))
            .collect(),
        encoding_type,
        ..DeleteObjectsResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_sdks_byte_for_byte() {
        let body = delete_objects_body(false, &["a/b".to_owned(), "c<&>".to_owned()]);
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete>\n  <Quiet>false</Quiet>\n  <Object>\n    <Key>a/b</Key>\n  </Object>\n  <Object>\n    <Key>c&lt;&amp;&gt;</Key>\n  </Object>\n</Delete>\n"
        );
    }

    #[test]
    fn quiet_and_every_escaped_character() {
        let body = delete_objects_body(true, &["\"'\r中".to_owned()]);
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete>\n  <Quiet>true</Quiet>\n  <Object>\n    <Key>&quot;&apos;&#13;中</Key>\n  </Object>\n</Delete>\n"
        );
        assert_eq!(
            delete_objects_body(false, &[]),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete>\n  <Quiet>false</Quiet>\n</Delete>\n"
        );
    }

    fn parse(body: &str) -> DeleteObjectsResult {
        parse_deleted(body.as_bytes()).expect("a readable body")
    }

    #[test]
    fn an_empty_body_is_a_quiet_success() {
        let result = parse("");
        assert!(result.quiet);
        assert!(result.deleted.is_empty());
    }

    #[test]
    fn another_root_is_a_success_with_no_keys_and_malformed_xml_is_unreadable() {
        let other = parse("<Error><Deleted><Key>a</Key></Deleted></Error>");
        assert_eq!(other, DeleteObjectsResult::default());
        for body in ["garbage body", "<DeleteResult><Deleted>", " "] {
            assert_eq!(parse_deleted(body.as_bytes()), None, "{body:?}");
        }
    }

    #[test]
    fn reads_deleted_keys_decoding_them_when_url_encoded() {
        let result = parse(
            "<DeleteResult><EncodingType>Url</EncodingType><Deleted><Key>a%20b%2Fc</Key></Deleted>\
             <Deleted><Key>%E4%B8%AD%26</Key><DeleteMarker>true</DeleteMarker></Deleted></DeleteResult>",
        );
        assert_eq!(result.encoding_type, "Url");
        assert_eq!(result.deleted, ["a b/c", "中&"]);
        assert!(!result.quiet);
        let plain = parse("<DeleteResult><Deleted><Key>a%20b&amp;</Key></Deleted></DeleteResult>");
        assert_eq!(plain.deleted, ["a%20b&"]);
    }
}
