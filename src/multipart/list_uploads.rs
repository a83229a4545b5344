//! ListMultipartUploads: one page of a bucket's uploads in progress.

use super::{decoded, is_url, leading_u32, unreadable_reply, xml_bool};
use crate::client::Client;
use crate::error::Error;
use crate::object::{ObjectRequest, Verb, declare, header, set_parameter};
use crate::operation::Operation;
use crate::xml_tree::Element;

/// One page of ListMultipartUploads. With `encoding-type=url` the names (keys, key markers,
/// prefix, delimiter, common prefixes) are URL-decoded; the upload-id markers are not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListMultipartUploadsResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    pub bucket: String,
    pub encoding_type: String,
    pub prefix: String,
    pub delimiter: String,
    pub key_marker: String,
    pub upload_id_marker: String,
    /// Where the next page starts (pass them as `key-marker` and `upload-id-marker`); set
    /// when `is_truncated`.
    pub next_key_marker: String,
    pub next_upload_id_marker: String,
    pub max_uploads: u32,
    pub is_truncated: bool,
    /// The keys rolled up under `delimiter`, each ending with it.
    pub common_prefixes: Vec<String>,
    pub uploads: Vec<MultipartUpload>,
}

impl ListMultipartUploadsResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

/// One upload in progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MultipartUpload {
    pub key: String,
    pub upload_id: String,
    /// When it was initiated, as the server wrote it (ISO 8601).
    pub initiated: String,
}

impl Client {
    /// One page of the bucket's uploads in progress (`GET /?uploads`). Parameters `prefix`,
    /// `delimiter`, `key-marker`, `upload-id-marker`, `max-uploads` and `encoding-type` are
    /// sent as set, and only when set.
    ///
    /// # Errors
    /// OSS's error, or the SDK's code `ListMultipartUploads` "Parse Error" for a body that is
    /// empty, malformed or of another root element.
    pub fn list_multipart_uploads(
        &self,
        request: &ObjectRequest,
    ) -> Result<ListMultipartUploadsResult, Error> {
        let declared = declare(request, Verb::ListMultipartUploads, "GET")?;
        let mut parameters = request.parameters.clone();
        set_parameter(&mut parameters, "uploads", Some(""));
        let response = self.invoke(Operation {
            parameters: &parameters,
            ..declared
        })?;
        let Some(mut result) = parse_uploads(&response.body) else {
            return Err(unreadable_reply(
                response,
                "ListMultipartUploads",
                "Parse Error",
            ));
        };
        result.http_status = response.status;
        result.request_id = header(&response, "x-oss-request-id");
        result.headers = response.headers;
        Ok(result)
    }
}

pub(crate) fn parse_uploads(body: &[u8]) -> Option<ListMultipartUploadsResult> {
    let root = crate::xml_tree::parse(body).ok()?;
    (root.name == "ListMultipartUploadsResult").then(|| read_uploads(&root))
}

fn read_uploads(root: &Element) -> ListMultipartUploadsResult {
    let encoding_type = root.child_text("EncodingType").to_owned();
    let url = is_url(&encoding_type);
    let name = |text: &str| decoded(url, text);
    ListMultipartUploadsResult {
        bucket: root.child_text("Bucket").to_owned(),
        prefix: name(root.child_text("Prefix")),
        delimiter: name(root.child_text("Delimiter")),
        key_marker: name(root.child_text("KeyMarker")),
        upload_id_marker: root.child_text("UploadIdMarker").to_owned(),
        next_key_marker: name(root.child_text("NextKeyMarker")),
        next_upload_id_marker: root.child_text("NextUploadIdMarker").to_owned(),
        max_uploads: leading_u32(root.child_text("MaxUploads")),
        is_truncated: xml_bool(root.child_text("IsTruncated")),
        common_prefixes: root
            .children_named("CommonPrefixes")
            .map(|c| name(c.child_text("Prefix")))
            .collect(),
        uploads: root
            .children_named("Upload")
            .map(|u| MultipartUpload {
                key: name(u.child_text("Key")),
                upload_id: u.child_text("UploadId").to_owned(),
                initiated: u.child_text("Initiated").to_owned(),
            })
            .collect(),
        encoding_type,
        ..ListMultipartUploadsResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_page_decoding_names_but_not_upload_ids() {
        let result = parse_uploads(
            br#"<ListMultipartUploadsResult>
  <Bucket>bkt</Bucket>
  <EncodingType>url</EncodingType>
  <KeyMarker>a%20b</KeyMarker>
  <UploadIdMarker>U%201</UploadIdMarker>
  <NextKeyMarker>c%2Fd</NextKeyMarker>
  <NextUploadIdMarker>U%202</NextUploadIdMarker>
  <Delimiter>%2F</Delimiter>
  <Prefix>p%2F</Prefix>
  <MaxUploads>1</MaxUploads>
  <IsTruncated>true</IsTruncated>
  <Upload><Key>c%2Fd</Key><UploadId>U2</UploadId><Initiated>2026-12-01T19:00:00.000Z</Initiated></Upload>
  <CommonPrefixes><Prefix>p%2Fq%2F</Prefix></CommonPrefixes>
</ListMultipartUploadsResult>"#,
        )
        .unwrap();
        assert_eq!(result.bucket, "bkt");
        assert_eq!(result.key_marker, "a b");
        assert_eq!(result.upload_id_marker, "U%201");
        assert_eq!(result.next_key_marker, "c/d");
        assert_eq!(result.next_upload_id_marker, "U%202");
        assert_eq!(result.delimiter, "/");
        assert_eq!(result.prefix, "p/");
        assert_eq!(result.max_uploads, 1);
        assert!(result.is_truncated);
        assert_eq!(result.common_prefixes, ["p/q/"]);
        assert_eq!(
            result.uploads,
            [MultipartUpload {
                key: "c/d".into(),
                upload_id: "U2".into(),
                initiated: "2026-12-01T19:00:00.000Z".into(),
            }]
        );
    }

    #[test]
    fn another_root_empty_or_malformed_is_unreadable() {
        for body in ["", "garbage", "<ListMultipartUploadsResult>", "<Other/>"] {
            assert_eq!(parse_uploads(body.as_bytes()), None, "{body:?}");
        }
    }
}
