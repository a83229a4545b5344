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

impl CallbackRequest {
    /// The same callback with `vars` as its custom variables: PostObject's `x:` form fields,
    /// which take the place of `callback-var`.
    pub fn with_vars(mut self, vars: BTreeMap<String, String>) -> CallbackRequest {
        self.vars = vars;
        self
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
        .map(|h| check_host(h).map(|()| h.to_owned()))
        .transpose()
        .map_err(fail)?;
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

/// `callbackHost` becomes the `Host` line of the callback request, so it must be exactly a
/// host: a DNS name, an IPv4 address or a bracketed IPv6 address, with an optional port.
/// Anything else (CR and LF above all, which would let the uploader write further headers or
/// a second request to the receiver) is refused before the upload is read.
fn check_host(host: &str) -> Result<(), String> {
    let invalid = |why: &str| {
        format!(
            "The callbackHost {} is invalid: {why}; it must be a host name or IP address with an optional :port.",
            serde_json::Value::from(host)
        )
    };
    if host.bytes().any(|b| b.is_ascii_control()) {
        return Err(invalid("it contains control characters"));
    }
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (v6, tail) = rest
            .split_once(']')
            .ok_or_else(|| invalid("an IPv6 address must end with ']'"))?;
        if v6.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(invalid("the IPv6 address is not valid"));
        }
        match tail {
            "" => (None, None),
            _ => (
                None,
                Some(
                    tail.strip_prefix(':')
                        .ok_or_else(|| invalid("only a :port may follow the address"))?,
                ),
            ),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(host), None),
        }
    };
    if let Some(name) = name {
        let label_ok = |l: &str| {
            (1..=63).contains(&l.len())
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if name.len() > 253 || !name.split('.').all(label_ok) {
            return Err(invalid("the host name has characters that are not allowed"));
        }
    }
    if let Some(port) = port
        && !(port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0))
    {
        return Err(invalid("the port must be a number from 1 to 65535"));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_host_accepts_names_and_addresses_with_ports() {
        for host in [
            "legit.example",
            "legit.example:8080",
            "LOCALHOST",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:8080",
            "under_score.example",
        ] {
            assert_eq!(check_host(host), Ok(()), "{host}");
        }
    }

    #[test]
    fn callback_host_refuses_what_could_leave_the_host_line() {
        for host in [
            "legit.example\r\nX-Injected: yes",
            "legit.example\n",
            "legit example",
            "a/b",
            "a:b:c",
            "legit.example:0",
            "legit.example:65536",
            "legit.example:+80",
            "[::1",
            "[zz]",
            "[::1]x",
            "..",
            "a..b",
        ] {
            assert!(check_host(host).is_err(), "{host:?}");
        }
    }
}
