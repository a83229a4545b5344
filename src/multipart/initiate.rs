//! InitiateMultipartUpload: `POST ?uploads`, answered with the new upload's id.

use super::{decoded, is_url, unreadable_reply};
use crate::client::Client;
use crate::error::Error;
use crate::mime;
use crate::object::{ObjectRequest, Verb, declare, header};
use crate::operation::Operation;
use crate::xml_tree::Element;

/// What InitiateMultipartUpload returns: the upload's id, to give every later call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitiateMultipartUploadResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    pub bucket: String,
    /// URL-decoded when `encoding_type` starts with `url`.
    pub key: String,
    pub upload_id: String,
    pub encoding_type: String,
}

impl InitiateMultipartUploadResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

impl Client {
    /// Begins a multipart upload of `request.key`. The headers are the object's metadata
    /// (`Cache-Control`, `x-oss-meta-*`, `x-oss-storage-class`, ...); Content-Type is taken
    /// from them or guessed from the key, as PutObject does. `request.sequential` asks for a
    /// sequential upload; an `encoding-type` parameter is sent as set.
    ///
    /// # Errors
    /// OSS's error, or the SDK's `InitiateMultipartUploadError` "Parsing
    /// InitiateMultipartUploadResult fail" for a reply that is empty, not XML or of another
    /// root element.
    pub fn initiate_multipart_upload(
        &self,
        request: &ObjectRequest,
    ) -> Result<InitiateMultipartUploadResult, Error> {
        let declared = declare(request, Verb::InitiateMultipartUpload, "POST")?;
        let mut parameters = request.parameters.clone();
        crate::object::set_parameter(&mut parameters, "uploads", Some(""));
        if request.sequential {
            crate::object::set_parameter(&mut parameters, "sequential", Some(""));
        }
        let mut headers = declared.headers.clone();
        if request.header("content-type").is_none() {
            let key = request.key.as_deref().unwrap_or("");
            headers.push((
                "Content-Type".to_owned(),
                mime::content_type_for_key(key).to_owned(),
            ));
        }
        let response = self.invoke(Operation {
            parameters: &parameters,
            headers,
            ..declared
        })?;
        let Some(mut result) = parse_initiate(&response.body) else {
            return Err(unreadable_reply(
                response,
                "InitiateMultipartUploadError",
                "Parsing InitiateMultipartUploadResult fail",
            ));
        };
        result.http_status = response.status;
        result.request_id = header(&response, "x-oss-request-id");
        result.headers = response.headers;
        Ok(result)
    }
}

pub(crate) fn parse_initiate(body: &[u8]) -> Option<InitiateMultipartUploadResult> {
    let root = crate::xml_tree::parse(body).ok()?;
    root.name
        .starts_with("InitiateMultipartUploadResult")
        .then(|| read_initiate(&root))
}

fn read_initiate(root: &Element) -> InitiateMultipartUploadResult {
    let encoding_type = root.child_text("EncodingType").to_owned();
    let url = is_url(&encoding_type);
    InitiateMultipartUploadResult {
        bucket: root.child_text("Bucket").to_owned(),
        key: decoded(url, root.child_text("Key")),
        upload_id: root.child_text("UploadId").to_owned(),
        encoding_type,
        ..InitiateMultipartUploadResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bucket_key_and_upload_id() {
        let result = parse_initiate(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult>\n  <Bucket>bkt</Bucket>\n  <Key>dir/a%20b</Key>\n  <UploadId>0004B9894A22E5B1888A1E29F823****</UploadId>\n</InitiateMultipartUploadResult>",
        )
        .unwrap();
        assert_eq!(result.bucket, "bkt");
        assert_eq!(result.key, "dir/a%20b", "not decoded without encoding-type");
        assert_eq!(result.upload_id, "0004B9894A22E5B1888A1E29F823****");
    }

    #[test]
    fn url_encoding_decodes_the_key() {
        let result = parse_initiate(
            b"<InitiateMultipartUploadResult><EncodingType>url</EncodingType><Key>dir%2Fa%20b%E4%B8%AD</Key><UploadId>u</UploadId></InitiateMultipartUploadResult>",
        )
        .unwrap();
        assert_eq!(result.encoding_type, "url");
        assert_eq!(result.key, "dir/a b中");
    }

    #[test]
    fn empty_malformed_or_another_root_is_unreadable() {
        for body in ["", "garbage", "<InitiateMultipartUploadResult>", "<Other/>"] {
            assert_eq!(parse_initiate(body.as_bytes()), None, "{body:?}");
        }
    }
}
