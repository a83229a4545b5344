//! `ObjectCallbackBuilder`: the value of the `x-oss-callback` header.

use super::json_text::push_json_string_body;
use crate::encoding::base64_encode;

/// How OSS encodes the callback body it POSTs to the application server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallbackBodyType {
    /// `application/x-www-form-urlencoded` (OSS's default; the field is left out of the JSON).
    #[default]
    Url,
    /// `application/json`.
    Json,
}

impl CallbackBodyType {
    /// The C++ SDK's numbering: `ObjectCallbackBuilder::URL = 0`, `JSON = 1`.
    pub fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(Self::Url),
            1 => Some(Self::Json),
            _ => None,
        }
    }

    pub fn code(self) -> u32 {
        match self {
            Self::Url => 0,
            Self::Json => 1,
        }
    }
}

/// Builds the `x-oss-callback` header value exactly as the C++ SDK's `ObjectCallbackBuilder`
/// does: compact JSON with the fields `callbackUrl`, `callbackHost` (only when set),
/// `callbackBody`, `callbackBodyType` (only for JSON), in that order, then standard base64.
///
/// Two additions the SDK lacks: `callbackSNI` (appended last, only when set), and escaping of
/// text that would otherwise make the JSON invalid (see [`super::json_text`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectCallbackBuilder {
    pub url: String,
    pub body: String,
    pub host: String,
    pub body_type: CallbackBodyType,
    /// `None` leaves `callbackSNI` out of the JSON, as the C++ SDK always does.
    pub sni: Option<bool>,
}

impl ObjectCallbackBuilder {
    /// The SDK's two-argument constructor: no host, form-encoded body.
    pub fn new(url: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            body: body.into(),
            ..Self::default()
        }
    }

    /// The callback JSON before base64, or an empty string when the URL or the body is empty
    /// (the SDK returns "" then, and so sends no callback).
    pub fn json(&self) -> String {
        if self.url.is_empty() || self.body.is_empty() {
            return String::new();
        }
        let mut json =
            String::with_capacity(64 + self.url.len() + self.host.len() + self.body.len());
        json.push_str("{\"callbackUrl\":\"");
        push_json_string_body(&mut json, &self.url);
        json.push('"');
        if !self.host.is_empty() {
            json.push_str(",\"callbackHost\":\"");
            push_json_string_body(&mut json, &self.host);
            json.push('"');
        }
        json.push_str(",\"callbackBody\":\"");
        push_json_string_body(&mut json, &self.body);
        json.push('"');
        if self.body_type == CallbackBodyType::Json {
            json.push_str(",\"callbackBodyType\":\"application/json\"");
        }
        if let Some(sni) = self.sni {
            json.push_str(if sni {
                ",\"callbackSNI\":true"
            } else {
                ",\"callbackSNI\":false"
            });
        }
        json.push('}');
        json
    }

    /// The `x-oss-callback` header value: base64 of [`Self::json`], or "" when that is empty.
    pub fn build(&self) -> String {
        let json = self.json();
        if json.is_empty() {
            return json;
        }
        base64_encode(json.as_bytes())
    }
}
