//! Rendering the callback body: placeholders replaced by the uploaded object's facts.
//!
//! - Form bodies (`application/x-www-form-urlencoded`): each value is percent-encoded, keeping
//!   only RFC 3986 unreserved characters; a space becomes `%20` (OSS documents
//!   `mimeType=text%2Fplain`; `%20` versus `+` is unverified). Template text is copied as is.
//! - JSON bodies: each value becomes a quoted, escaped JSON string. `${size}`, `${crc64}` and
//!   the `imageInfo` numbers are strings too (`"size":"15"`), as in the callback_signature.json
//!   vector `cbsig-json`; OSS does not document whether they are numbers.
//! - `${x:name}` missing from callback-var, unknown system variables and `vpcId` /
//!   `imageInfo.*` (the emulator stores no images and has no VPC) render as the empty string.

use serde_json::Value;

use super::params::{BodyType, CallbackRequest};
use super::template::Segment;

/// What the emulator knows about the stored object and the upload request.
#[derive(Debug, Clone, Copy)]
pub struct ObjectFacts<'a> {
    pub bucket: &'a str,
    pub object: &'a str,
    /// Without quotes.
    pub etag: &'a str,
    /// Bytes of the whole object.
    pub size: u64,
    pub mime_type: &'a str,
    pub crc64: u64,
    /// Base64 MD5 for PutObject, `""` for CompleteMultipartUpload.
    pub content_md5: &'a str,
    pub client_ip: &'a str,
    pub request_id: &'a str,
    /// `PutObject` or `CompleteMultipartUpload`.
    pub operation: &'a str,
}

impl ObjectFacts<'_> {
    /// The value of system variable `name`, or `None` for an unknown name.
    pub fn system_variable(&self, name: &str) -> Option<String> {
        let value = match name {
            "bucket" => self.bucket.to_owned(),
            "object" => self.object.to_owned(),
            "etag" => self.etag.to_owned(),
            "size" => self.size.to_string(),
            "mimeType" => self.mime_type.to_owned(),
            "crc64" => self.crc64.to_string(),
            "contentMd5" => self.content_md5.to_owned(),
            "clientIp" => self.client_ip.to_owned(),
            "reqId" => self.request_id.to_owned(),
            "operation" => self.operation.to_owned(),
            "vpcId" | "imageInfo.height" | "imageInfo.width" | "imageInfo.format" => String::new(),
            _ => return None,
        };
        Some(value)
    }
}

/// The body of the callback request for `request` about the object described by `facts`.
pub fn render_body(request: &CallbackRequest, facts: &ObjectFacts<'_>) -> Vec<u8> {
    let mut body = String::new();
    for segment in request.body_template().segments() {
        match segment {
            Segment::Text(text) => body.push_str(text),
            Segment::Variable(name) => {
                let value = if name.starts_with("x:") {
                    request.vars().get(name).cloned().unwrap_or_default()
                } else {
                    facts.system_variable(name).unwrap_or_default()
                };
                match request.body_type() {
                    BodyType::Form => push_form_encoded(&mut body, &value),
                    BodyType::Json => push_json_string(&mut body, &value),
                }
            }
        }
    }
    body.into_bytes()
}

fn push_form_encoded(out: &mut String, value: &str) {
    // RFC 3986 unreserved characters stay literal, `/` included in the encoding.
    ossffi::encoding::uri_encode_into(out, value.as_bytes(), false);
}

fn push_json_string(out: &mut String, value: &str) {
    // serde_json escapes exactly what JSON requires and never fails on a &str.
    out.push_str(&Value::String(value.to_owned()).to_string());
}
