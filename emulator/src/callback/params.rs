//! Decoding and validating `callback` and `callback-var` (oss-protocol.md 4.1 to 4.5).
//!
//! Everything is checked when the upload arrives, before the object is stored, because OSS
//! answers 400 InvalidArgument and stores nothing when these parameters are wrong.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::template::Template;
use super::url::CallbackUrl;

/// OSS's limit on each of `callback` and `callback-var` as sent (base64 text).
pub const MAX_PARAMETER_LEN: usize = 5 * 1024;
/// OSS tries at most this many `;`-separated callback URLs.
pub const MAX_URLS: usize = 5;

/// The two body types OSS accepts in `callbackBodyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyType {
    /// `application/x-www-form-urlencoded`, the default: values are percent-encoded.
    Form,
    /// `application/json`: values are rendered as JSON strings.
    Json,
}

impl BodyType {
    /// The `Content-Type` of the callback request.
    pub fn content_type(self) -> &'static str {
        match self {
            BodyType::Form => "application/x-www-form-urlencoded",
            BodyType::Json => "application/json",
        }
    }
}

/// Why `callback` or `callback-var` was refused: the server answers 400 InvalidArgument with
/// these three values (`Message`, `ArgumentName`, `ArgumentValue`) and stores nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackParamError {
    pub message: String,
    /// `callback` or `callback-var`.
    pub argument_name: String,
    /// The decoded JSON text, or the value as received when it is not base64 of UTF-8.
    pub argument_value: String,
}

/// A validated upload callback: where to send it, and the body template with its variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRequest {
    /// The decoded `callback` JSON text, for error responses.
    json: String,
    urls: Vec<CallbackUrl>,
    host: Option<String>,
    body: Template,
    body_type: BodyType,
    sni: bool,
    vars: BTreeMap<String, String>,
}

impl CallbackRequest {
    /// False when `callbackUrl` is absent or empty. OSS documents that case as "callback is not
    /// configured": the upload succeeds as if no callback had been asked for, so the server must
    /// not call [`super::Callbacker::perform`] then and answers the plain upload response.
    pub fn is_configured(&self) -> bool {
        !self.urls.is_empty()
    }

    /// The decoded `callback` JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The URLs, in the order they are tried.
    pub fn urls(&self) -> &[CallbackUrl] {
        &self.urls
    }

    /// `callbackHost`, when given and not empty.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    pub fn body_template(&self) -> &Template {
        &self.body
    }

    pub fn body_type(&self) -> BodyType {
        self.body_type
    }

    /// `callbackSNI` (false when absent). Only https URLs use it.
    pub fn sni(&self) -> bool {
        self.sni
    }

    /// The custom variables from `callback-var`, keys with their `x:` prefix.
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }
}

/// Decodes and validates `callback` (header `x-oss-callback` or query `callback`, already
/// URL-decoded) and `callback-var`. An empty `callback-var` counts as absent.
pub fn parse(
    callback_b64: &str,
    callback_var_b64: Option<&str>,
) -> Result<CallbackRequest, CallbackParamError> {
    let mut request = parse_callback(callback_b64)?;
    if let Some(var_b64) = callback_var_b64.filter(|v| !v.is_empty()) {
        request.vars = parse_callback_var(var_b64)?;
    }
    Ok(request)
}

fn parse_callback(b64: &str) -> Result<CallbackRequest, CallbackParamError> {
    let (json_text, object) = decode_json_object(b64, "callback")?;
    let fail = |message: String| CallbackParamError {
        message,
        argument_name: "callback".to_owned(),
        argument_value: json_text.clone(),
    };

    // An absent or empty callbackUrl means "no callback" (see `is_configured`); the other
    // fields are still checked, as the parameter as a whole must be well formed.
    let url_field = optional_string(&object, "callbackUrl").map_err(fail)?;
    let urls = parse_urls(url_field.unwrap_or_default()).map_err(fail)?;
    let host = optional_string(&object, "callbackHost")
        .map_err(fail)?
        .filter(|h| !h.is_empty())
        .map(str::to_owned);
    let body_text = optional_string(&object, "callbackBody").map_err(fail)?;
    // Media types are case-insensitive (RFC 9110), so the comparison is too.
    let body_type = match optional_string(&object, "callbackBodyType").map_err(fail)? {
        None => BodyType::Form,
        Some(t) if t.eq_ignore_ascii_case(BodyType::Form.content_type()) => BodyType::Form,
        Some(t) if t.eq_ignore_ascii_case(BodyType::Json.content_type()) => BodyType::Json,
        Some(t) => {
            return Err(fail(format!(
                "The callbackBodyType \"{t}\" is not supported; use \
                 application/x-www-form-urlencoded or application/json."
            )));
        }
    };
    let sni = match object.get("callbackSNI") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(fail("The callbackSNI must be a boolean.".to_owned())),
    };
    let body_text = match body_text {
        Some(b) if !b.is_empty() => b,
        _ => return Err(fail("The callbackBody must not be empty.".to_owned())),
    };
    let body = Template::parse(body_text).map_err(fail)?;
    Ok(CallbackRequest {
        json: json_text,
        urls,
        host,
        body,
        body_type,
        sni,
        vars: BTreeMap::new(),
    })
}

fn parse_urls(field: &str) -> Result<Vec<CallbackUrl>, String> {
    // OSS's own example of too many URLs ends with a `;`, so empty entries are ignored.
    let entries: Vec<&str> = field
        .split(';')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect();
    if entries.len() > MAX_URLS {
        return Err(format!(
            "The callbackUrl has {} URLs; at most {MAX_URLS} are allowed.",
            entries.len()
        ));
    }
    entries.into_iter().map(CallbackUrl::parse).collect()
}

fn parse_callback_var(b64: &str) -> Result<BTreeMap<String, String>, CallbackParamError> {
    let (json_text, object) = decode_json_object(b64, "callback-var")?;
    let fail = |message: String| CallbackParamError {
        message,
        argument_name: "callback-var".to_owned(),
        argument_value: json_text.clone(),
    };
    let mut vars = BTreeMap::new();
    for (key, value) in object {
        if !key.starts_with("x:") {
            return Err(fail(format!(
                "The callback-var key \"{key}\" must start with \"x:\"."
            )));
        }
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(fail(format!(
                "The callback-var key \"{key}\" must be lower-case."
            )));
        }
        let Value::String(value) = value else {
            return Err(fail(format!(
                "The callback-var value of \"{key}\" must be a string."
            )));
        };
        vars.insert(key, value);
    }
    Ok(vars)
}

/// Base64 → UTF-8 → JSON object, with OSS's messages for the first two failures.
/// `argument_name` is `callback` or `callback-var`; it also names the parameter in messages.
fn decode_json_object(
    b64: &str,
    argument_name: &str,
) -> Result<(String, Map<String, Value>), CallbackParamError> {
    let configuration = argument_name;
    let fail = |message: String, value: &str| CallbackParamError {
        message,
        argument_name: argument_name.to_owned(),
        argument_value: value.to_owned(),
    };
    if b64.len() > MAX_PARAMETER_LEN {
        return Err(fail(
            format!(
                "The {configuration} configuration is {} bytes long; at most {MAX_PARAMETER_LEN} \
                 are allowed.",
                b64.len()
            ),
            b64,
        ));
    }
    let not_base64 = || {
        fail(
            format!("The {configuration} configuration is not base64 encoded."),
            b64,
        )
    };
    let bytes = ossffi::encoding::base64_decode(b64).ok_or_else(not_base64)?;
    let not_json = |value: &str| {
        fail(
            format!("The {configuration} configuration is not json format."),
            value,
        )
    };
    let text = String::from_utf8(bytes).map_err(|_| not_json(b64))?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => Ok((text, object)),
        _ => Err(not_json(&text)),
    }
}

/// A string field, or `None` when absent; a field of another JSON type is an error.
fn optional_string<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, String> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("The {name} must be a string.")),
    }
}
