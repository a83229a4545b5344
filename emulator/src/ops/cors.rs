//! Bucket CORS: PutBucketCors, GetBucketCors and DeleteBucketCors (`?cors` on a bucket), the
//! unauthenticated OPTIONS preflight on bucket and object URLs, and the `Access-Control-*`
//! headers on the answers to cross-origin requests.
//!
//! OSS checks the rules in order and the first one that matches decides (PutBucketCors, "CORS
//! rule matching"): the request's Origin matches one AllowedOrigin, its method (or a
//! preflight's Access-Control-Request-Method) one AllowedMethod, and, for a preflight, every
//! name of Access-Control-Request-Headers one AllowedHeader. AllowedOrigin and AllowedHeader
//! may hold one `*`, which matches any run of characters; header names compare without case.

use std::fmt::Write as _;
use std::io::Read;

use md5::{Digest, Md5};
use ossffi::encoding::base64_encode;
use quick_xml::events::Event;

use super::body::{body_error, check_declared};
use super::put::content_md5;
use super::xml_body::{malformed, reference_text};
use super::{Ctx, esc};
use crate::error::OssError;
use crate::http::{Body, Framing, RequestHead, Response};
use crate::route::{self, Target};
use crate::server::State;

/// OSS keeps at most this many rules per bucket (GetBucketCors: "Up to 10 rules").
const MAX_RULES: usize = 10;
/// A PutBucketCors body larger than this is refused before it is parsed.
const MAX_CORS_XML: u64 = 64 << 10;
/// The methods AllowedMethod may name (OSS's EC 0034-00000011 lists exactly these).
const METHODS: &[&str] = &["GET", "PUT", "DELETE", "POST", "HEAD"];

const NOT_ENABLED: &str = "CORSResponse: CORS is not enabled for this bucket.";
// OSS's text, its misspelling included: clients and people search for it verbatim.
const NOT_ALLOWED: &str = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CorsRule {
    pub allowed_origins: Vec<String>,
    pub allowed_methods: Vec<String>,
    pub allowed_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age_seconds: Option<u32>,
}

/// A bucket's CORS rules as PutBucketCors stored them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CorsConfiguration {
    pub rules: Vec<CorsRule>,
    /// `Vary: Origin` on every answer from the bucket, cross-origin or not.
    pub response_vary: bool,
}

/// `*` matches any run of characters (at most one `*`, checked when the rule was stored).
fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let eq = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    match pattern.split_once('*') {
        None => eq(pattern, text),
        Some((prefix, suffix)) => {
            text.len() >= prefix.len() + suffix.len()
                && text.is_char_boundary(prefix.len())
                && text.is_char_boundary(text.len() - suffix.len())
                && eq(prefix, &text[..prefix.len()])
                && eq(suffix, &text[text.len() - suffix.len()..])
        }
    }
}

impl CorsRule {
    /// The AllowedOrigin that admits `origin`, if any.
    fn origin_pattern(&self, origin: &str) -> Option<&str> {
        self.allowed_origins
            .iter()
            .map(String::as_str)
            .find(|p| wildcard_match(p, origin, false))
    }

    fn allows_method(&self, method: &str) -> bool {
        self.allowed_methods.iter().any(|m| m == method)
    }

    fn allows_header(&self, name: &str) -> bool {
        self.allowed_headers
            .iter()
            .any(|p| wildcard_match(p, name, true))
    }

    /// The headers that admit a request from `origin` with `method`: the allowed origin is `*`
    /// when the rule allows every origin, else the request's own.
    fn grant(&self, origin: &str, method: &str, resp: &mut Response) -> bool {
        let Some(pattern) = self.origin_pattern(origin) else {
            return false;
        };
        if !self.allows_method(method) {
            return false;
        }
        let allowed_origin = if pattern == "*" { "*" } else { origin };
        resp.push_header("Access-Control-Allow-Origin", allowed_origin.to_string());
        resp.push_header(
            "Access-Control-Allow-Methods",
            self.allowed_methods.join(", "),
        );
        if !self.expose_headers.is_empty() {
            resp.push_header(
                "Access-Control-Expose-Headers",
                self.expose_headers.join(", "),
            );
        }
        if let Some(age) = self.max_age_seconds {
            resp.push_header("Access-Control-Max-Age", age.to_string());
        }
        true
    }
}

/// PutBucketCors: replaces the bucket's rules with the body's.
pub(crate) fn put_bucket_cors(
    ctx: &Ctx,
    bucket: &str,
    body: &mut Body,
) -> Result<Response, OssError> {
    let expected = content_md5(ctx)?;
    let xml = read_body(body)?;
    if let Some(expected) = expected {
        let got: [u8; 16] = Md5::digest(&xml).into();
        if got != expected {
            return Err(OssError::new(
                400,
                "InvalidDigest",
                "The Content-MD5 you specified was invalid.",
            )
            .field("Content-MD5", ctx.header("content-md5").unwrap_or(""))
            .field("CalculatedContentMD5", base64_encode(&got)));
        }
    }
    let config = parse_cors(&xml)?;
    let stored = ctx
        .state
        .store
        .set_cors(bucket, config, &xml)
        .map_err(|e| OssError::internal(format!("storing the CORS rules failed: {e}")))?;
    if !stored {
        return Err(OssError::no_such_bucket(bucket));
    }
    Ok(Response::new(200))
}

pub(crate) fn get_bucket_cors(ctx: &Ctx, bucket: &str) -> Result<Response, OssError> {
    let config = ctx.state.store.cors(bucket).ok_or_else(|| {
        OssError::new(
            404,
            "NoSuchCORSConfiguration",
            "The CORS Configuration does not exist.",
        )
        .field("BucketName", bucket)
    })?;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CORSConfiguration>\n");
    for rule in &config.rules {
        xml.push_str("  <CORSRule>\n");
        let lists = [
            ("AllowedOrigin", &rule.allowed_origins),
            ("AllowedMethod", &rule.allowed_methods),
            ("AllowedHeader", &rule.allowed_headers),
            ("ExposeHeader", &rule.expose_headers),
        ];
        for (name, values) in lists {
            for value in values {
                let _ = writeln!(xml, "    <{name}>{}</{name}>", esc(value));
            }
        }
        if let Some(age) = rule.max_age_seconds {
            let _ = writeln!(xml, "    <MaxAgeSeconds>{age}</MaxAgeSeconds>");
        }
        xml.push_str("  </CORSRule>\n");
    }
    let _ = write!(
        xml,
        "  <ResponseVary>{}</ResponseVary>\n</CORSConfiguration>\n",
        config.response_vary
    );
    Ok(Response::xml(200, xml))
}

pub(crate) fn delete_bucket_cors(ctx: &Ctx, bucket: &str) -> Result<Response, OssError> {
    ctx.state
        .store
        .delete_cors(bucket)
        .map_err(|e| OssError::internal(format!("deleting the CORS rules failed: {e}")))?;
    Ok(Response::new(204))
}

/// The answer to an OPTIONS request, whatever its signature: browsers send preflights without
/// credentials, so OSS answers them before (and without) authentication.
pub(crate) fn preflight(
    state: &State,
    head: &RequestHead,
    target: &Target,
) -> Result<Response, OssError> {
    let Some(bucket) = target.bucket() else {
        return Err(OssError::method_not_allowed("OPTIONS", "Service"));
    };
    if !state.store.bucket_exists(bucket) {
        return Err(OssError::no_such_bucket(bucket));
    }
    let bad_request = |what: &str| {
        OssError::new(
            400,
            "BadRequest",
            format!("Insufficient information. {what} needed"),
        )
    };
    let origin = head
        .header("origin")
        .ok_or_else(|| bad_request("Origin request header"))?;
    let method = head
        .header("access-control-request-method")
        .ok_or_else(|| bad_request("Request Access-Control-Request-Method header"))?;
    let requested: Vec<&str> = head
        .header("access-control-request-headers")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let config = state
        .store
        .cors(bucket)
        .ok_or_else(|| OssError::new(403, "AccessForbidden", NOT_ENABLED))?;
    let mut resp = Response::new(200);
    let granted = config.rules.iter().any(|rule| {
        requested.iter().all(|h| rule.allows_header(h)) && rule.grant(origin, method, &mut resp)
    });
    if !granted {
        return Err(OssError::new(403, "AccessForbidden", NOT_ALLOWED));
    }
    if !requested.is_empty() {
        resp.push_header("Access-Control-Allow-Headers", requested.join(", "));
    }
    if config.response_vary {
        resp.push_header("Vary", "Origin");
    }
    Ok(resp)
}

/// Adds the `Access-Control-*` headers of the first rule that admits the request's Origin and
/// method to its answer, whatever the answer is (errors and callback replies included): without
/// them a browser hides the answer from the page. A preflight has its own.
pub(crate) fn decorate(state: &State, parts: &hyper::http::request::Parts, resp: &mut Response) {
    if parts.method == hyper::Method::OPTIONS || !state.store.has_cors() {
        return;
    }
    let host = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let Ok(target) = route::resolve(host, parts.uri.path(), &state.domains, &state.config.cnames)
    else {
        return;
    };
    let Some(config) = target.bucket().and_then(|b| state.store.cors(b)) else {
        return;
    };
    if let Some(origin) = parts
        .headers
        .get(hyper::header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    {
        let method = parts.method.as_str();
        config
            .rules
            .iter()
            .any(|rule| rule.grant(origin, method, resp));
    }
    if config.response_vary {
        resp.push_header("Vary", "Origin");
    }
}

/// The body, at most [`MAX_CORS_XML`] bytes (declared or chunked).
fn read_body(body: &mut Body) -> Result<Vec<u8>, OssError> {
    if let Framing::Length(n) = body.framing() {
        check_declared(Some(n), MAX_CORS_XML)?;
    }
    let mut xml = Vec::new();
    (&mut *body)
        .take(MAX_CORS_XML + 1)
        .read_to_end(&mut xml)
        .map_err(body_error)?;
    check_declared(Some(xml.len() as u64), MAX_CORS_XML)?;
    Ok(xml)
}

fn invalid(message: String, name: &str, value: &str) -> OssError {
    OssError::invalid_argument_named(message, name, value)
}

/// One value of a rule, checked as OSS checks it.
fn add_value(rule: &mut CorsRule, element: &str, value: String) -> Result<(), OssError> {
    match element {
        "AllowedOrigin" | "AllowedHeader" if value.matches('*').count() > 1 => Err(invalid(
            format!("{element} {value:?} has more than one wildcard '*'; use at most one."),
            element,
            &value,
        )),
        "AllowedOrigin" => {
            rule.allowed_origins.push(value);
            Ok(())
        }
        "AllowedHeader" => {
            rule.allowed_headers.push(value);
            Ok(())
        }
        "AllowedMethod" if !METHODS.contains(&value.as_str()) => Err(invalid(
            format!(
                "AllowedMethod {value:?} is not supported; use GET, PUT, DELETE, POST or HEAD."
            ),
            element,
            &value,
        )
        .ec("0034-00000011")),
        "AllowedMethod" => {
            rule.allowed_methods.push(value);
            Ok(())
        }
        "ExposeHeader" if value.contains('*') => Err(invalid(
            format!("ExposeHeader {value:?} contains '*'; exposed headers are named one by one."),
            element,
            &value,
        )),
        "ExposeHeader" => {
            rule.expose_headers.push(value);
            Ok(())
        }
        "MaxAgeSeconds" if rule.max_age_seconds.is_some() => {
            Err(malformed("a CORSRule has more than one <MaxAgeSeconds>"))
        }
        "MaxAgeSeconds" => {
            let age = value.trim().parse::<u32>().map_err(|_| {
                invalid(
                    format!("MaxAgeSeconds {value:?} is not a number of seconds."),
                    element,
                    &value,
                )
            })?;
            rule.max_age_seconds = Some(age);
            Ok(())
        }
        other => Err(malformed(&format!(
            "unexpected element <{other}> in <CORSRule>"
        ))),
    }
}

/// Where the parser is in `<CORSConfiguration><CORSRule>...</CORSRule><ResponseVary/>
/// </CORSConfiguration>`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Top,
    Configuration,
    Rule,
    /// Inside a value element of a rule (its name is kept aside).
    Value,
    ResponseVary,
    Done,
}

/// Parses a PutBucketCors body with a real XML parser: not XML, or not this document, is
/// MalformedXML; a value OSS refuses is InvalidArgument naming it.
pub(crate) fn parse_cors(xml: &[u8]) -> Result<CorsConfiguration, OssError> {
    let xml = std::str::from_utf8(xml).map_err(|_| malformed("the body is not UTF-8"))?;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut at = At::Top;
    let mut element = String::new();
    let mut text = String::new();
    let mut rule = CorsRule::default();
    let mut config = CorsConfiguration::default();
    let mut vary_seen = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(&format!("{e}")))?;
        let in_value = matches!(at, At::Value | At::ResponseVary);
        match event {
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err(malformed("a DOCTYPE is not allowed")),
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                at = match (at, name.as_str()) {
                    (At::Top, "CORSConfiguration") => At::Configuration,
                    (At::Configuration, "CORSRule") => At::Rule,
                    (At::Configuration, "ResponseVary") if !vary_seen => At::ResponseVary,
                    (At::Rule, _) => {
                        element = name;
                        At::Value
                    }
                    (_, other) => return Err(malformed(&format!("unexpected element <{other}>"))),
                };
                text.clear();
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                match (at, name.as_str()) {
                    (At::Top, "CORSConfiguration") => at = At::Done,
                    (At::Configuration, "CORSRule") => {
                        return Err(malformed("a <CORSRule> is empty"));
                    }
                    (At::Rule, _) => add_value(&mut rule, &name, String::new())?,
                    (_, other) => return Err(malformed(&format!("unexpected element <{other}>"))),
                }
            }
            Event::Text(t) if in_value => text.push_str(&t.xml10_content()),
            Event::CData(c) if in_value => text.push_str(&c.xml10_content()),
            Event::GeneralRef(r) if in_value => text.push_str(&reference_text(&r)?),
            Event::Text(t) if t.trim().is_empty() => {}
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                return Err(malformed("text outside a value element"));
            }
            Event::End(_) => {
                at = match at {
                    At::Value => {
                        add_value(&mut rule, &element, std::mem::take(&mut text))?;
                        At::Rule
                    }
                    At::Rule => {
                        finish_rule(&mut config, std::mem::take(&mut rule))?;
                        At::Configuration
                    }
                    At::ResponseVary => {
                        vary_seen = true;
                        config.response_vary = match text.trim() {
                            "true" => true,
                            "false" => false,
                            other => {
                                return Err(malformed(&format!(
                                    "<ResponseVary> is {other:?}, not true or false"
                                )));
                            }
                        };
                        At::Configuration
                    }
                    At::Configuration => At::Done,
                    At::Top | At::Done => return Err(malformed("an unexpected closing tag")),
                };
            }
            Event::Eof if at == At::Done => break,
            Event::Eof => return Err(malformed("the document ends early")),
        }
    }
    if config.rules.is_empty() {
        // OSS's EC 0034-00000002: a configuration without any rule.
        return Err(malformed("<CORSConfiguration> has no <CORSRule>").ec("0034-00000002"));
    }
    Ok(config)
}

fn finish_rule(config: &mut CorsConfiguration, rule: CorsRule) -> Result<(), OssError> {
    if rule.allowed_origins.is_empty() {
        return Err(malformed("a <CORSRule> has no <AllowedOrigin>"));
    }
    if rule.allowed_methods.is_empty() {
        return Err(malformed("a <CORSRule> has no <AllowedMethod>"));
    }
    if config.rules.len() == MAX_RULES {
        return Err(OssError::new(
            400,
            "TooManyCORSRules",
            format!("A bucket has at most {MAX_RULES} CORS rules."),
        ));
    }
    config.rules.push(rule);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_wildcard_matches_any_middle() {
        assert!(wildcard_match(
            "http://*.example.com",
            "http://a.b.example.com",
            false
        ));
        assert!(!wildcard_match(
            "http://*.example.com",
            "http://example.com",
            false
        ));
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("x-oss-*", "X-OSS-Meta-A", true));
        assert!(!wildcard_match("x-oss-*", "X-OSS-Meta-A", false));
    }

    #[test]
    fn a_configuration_keeps_rules_in_order_with_every_list() {
        let config = parse_cors(
            b"<?xml version=\"1.0\"?><CORSConfiguration><CORSRule><AllowedOrigin>http://a</AllowedOrigin>\
              <AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>\
              <MaxAgeSeconds>60</MaxAgeSeconds></CORSRule><CORSRule><AllowedOrigin>*</AllowedOrigin>\
              <AllowedMethod>GET</AllowedMethod></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>",
        )
        .unwrap();
        assert_eq!(config.rules.len(), 2);
        assert_eq!(config.rules[0].allowed_headers, ["*"]);
        assert_eq!(config.rules[0].expose_headers, ["ETag"]);
        assert_eq!(config.rules[0].max_age_seconds, Some(60));
        assert_eq!(config.rules[1].allowed_origins, ["*"]);
        assert!(config.response_vary);
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        let code = |xml: &str| parse_cors(xml.as_bytes()).unwrap_err().code;
        assert_eq!(
            code("<CORSConfiguration></CORSConfiguration>"),
            "MalformedXML"
        );
        assert_eq!(
            code(
                "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>TEST</AllowedMethod></CORSRule></CORSConfiguration>"
            ),
            "InvalidArgument"
        );
        assert_eq!(
            code(
                "<CORSConfiguration><CORSRule><AllowedOrigin>http://*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"
            ),
            "InvalidArgument"
        );
        assert_eq!(
            code(
                "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"
            ),
            "MalformedXML"
        );
        assert_eq!(code("<CORSConfiguration><CORSRule>"), "MalformedXML");
    }
}
