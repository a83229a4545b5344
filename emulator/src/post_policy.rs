//! The PostObject policy: decoding the `policy` field and checking its conditions against the
//! form (spec/postobject.md §3).
//!
//! The policy is only read here; its signature is checked over the field exactly as received
//! (see `ops::post_object`), never over a re-encoding of this JSON.

use serde_json::Value;

use crate::error::OssError;

/// One condition of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Condition {
    /// `{"name": "value"}` or `["eq", "$name", "value"]`.
    Eq { field: String, value: String },
    /// `["starts-with", "$name", "prefix"]`.
    StartsWith { field: String, prefix: String },
    /// `["in", "$name", [..]]`.
    In { field: String, values: Vec<String> },
    /// `["not-in", "$name", [..]]`.
    NotIn { field: String, values: Vec<String> },
    /// `["content-length-range", min, max]`.
    LengthRange { min: u64, max: u64 },
}

/// A decoded policy.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// Unix milliseconds.
    pub expiration_ms: i64,
    /// Each condition with its text as OSS echoes it in "Policy Condition failed: ...".
    pub conditions: Vec<(Condition, String)>,
}

impl Policy {
    /// The inclusive file size range, when the policy sets one (the narrowest of several).
    pub fn length_range(&self) -> Option<(u64, u64)> {
        self.conditions.iter().fold(None, |acc, (c, _)| match c {
            Condition::LengthRange { min, max } => Some(match acc {
                None => (*min, *max),
                Some((lo, hi)) => ((*min).max(lo), (*max).min(hi)),
            }),
            _ => acc,
        })
    }

    /// Checks every condition but the size against `value_of(field name)` (None = the field is
    /// not in the form): 403 AccessDenied naming the first that fails.
    pub fn check<'a>(&self, value_of: impl Fn(&str) -> Option<&'a str>) -> Result<(), OssError> {
        for (condition, text) in &self.conditions {
            let ok = match condition {
                Condition::Eq { field, value } => value_of(field) == Some(value.as_str()),
                Condition::StartsWith { field, prefix } => {
                    value_of(field).is_some_and(|v| v.starts_with(prefix.as_str()))
                }
                Condition::In { field, values } => {
                    value_of(field).is_some_and(|v| values.iter().any(|x| x == v))
                }
                Condition::NotIn { field, values } => {
                    value_of(field).is_some_and(|v| !values.iter().any(|x| x == v))
                }
                Condition::LengthRange { .. } => true,
            };
            if !ok {
                return Err(OssError::access_denied(format!(
                    "Invalid according to Policy: Policy Condition failed: {text}"
                )));
            }
        }
        Ok(())
    }
}

fn invalid(message: impl Into<String>) -> OssError {
    OssError::new(400, "InvalidPolicyDocument", message)
}

/// Decodes the `policy` field: base64 → UTF-8 JSON → expiration and conditions, with OSS's
/// InvalidPolicyDocument (400) for anything malformed.
pub(crate) fn decode(policy_b64: &str) -> Result<Policy, OssError> {
    let bytes = ossffi::encoding::base64_decode(policy_b64.trim())
        .ok_or_else(|| invalid("Invalid Policy: Invalid Base64 Encoding."))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| invalid("Invalid Policy: Invalid JSON: the policy is not UTF-8."))?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| invalid(format!("Invalid Policy: Invalid JSON: {e}")))?;
    let Value::Object(object) = json else {
        return Err(invalid(
            "Invalid Policy: Invalid JSON: the policy must be a JSON object.",
        ));
    };
    let expiration = match object.get("expiration") {
        None => return Err(invalid("Invalid Policy: Policy missing expiration.")),
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(invalid(
                "Invalid Policy: Invalid 'expiration' value: it must be an ISO 8601 string.",
            ));
        }
    };
    let expiration_ms = parse_expiration(expiration).ok_or_else(|| {
        invalid(format!(
            "Invalid Policy: Invalid 'expiration' value: '{expiration}'."
        ))
    })?;
    let conditions = match object.get("conditions") {
        None => return Err(invalid("Invalid Policy: Policy missing conditions.")),
        Some(Value::Array(list)) if !list.is_empty() => list,
        Some(Value::Array(_)) => {
            return Err(invalid(
                "Invalid Policy: Policy conditions must have at least one entry.",
            ));
        }
        Some(_) => {
            return Err(invalid(
                "Invalid Policy: Invalid JSON: 'conditions' must be an array.",
            ));
        }
    };
    let conditions = conditions
        .iter()
        .map(parse_condition)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Policy {
        expiration_ms,
        conditions,
    })
}

/// `2025-01-15T09:30:00.000Z` (fraction and `Z` or an offset optional parts of ISO 8601) →
/// unix milliseconds.
fn parse_expiration(text: &str) -> Option<i64> {
    let seconds = ossffi::time::parse_rfc3339(text)?;
    // parse_rfc3339 drops the fraction; keep its milliseconds.
    let millis = text
        .split_once('.')
        .map(|(_, rest)| {
            let digits: String = rest
                .chars()
                .take_while(char::is_ascii_digit)
                .chain("000".chars())
                .take(3)
                .collect();
            digits.parse::<i64>().unwrap_or(0)
        })
        .unwrap_or(0);
    seconds.checked_mul(1000)?.checked_add(millis)
}

/// A value in a condition: `\$` stands for a literal `$`.
fn unescape(value: &str) -> String {
    value.replace("\\$", "$")
}

/// `$name` → `name`.
fn field_name(value: &Value, text: &str) -> Result<String, OssError> {
    match value {
        Value::String(s) if s.len() > 1 && s.starts_with('$') => Ok(s[1..].to_owned()),
        _ => Err(invalid(format!(
            "Invalid Policy: Invalid Condition: {text}: the field name must be a string starting with '$'."
        ))),
    }
}

fn string_value(value: &Value, text: &str) -> Result<String, OssError> {
    match value {
        Value::String(s) => Ok(unescape(s)),
        _ => Err(invalid(format!(
            "Invalid Policy: Invalid Condition: {text}: the value must be a string."
        ))),
    }
}

/// How OSS echoes a condition: `["starts-with", "$key", "user/eric/"]`.
fn echo(parts: &[&Value]) -> String {
    let items: Vec<String> = parts
        .iter()
        .map(|v| match v {
            Value::Array(list) => format!(
                "[{}]",
                list.iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            other => other.to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn parse_condition(value: &Value) -> Result<(Condition, String), OssError> {
    match value {
        Value::Object(map) => {
            if map.len() != 1 {
                return Err(invalid(
                    "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
                ));
            }
            let (name, v) = map.iter().next().expect("one property");
            let text = echo(&[&Value::from("eq"), &Value::from(format!("${name}")), v]);
            let value = string_value(v, &text)?;
            Ok((
                Condition::Eq {
                    field: name.clone(),
                    value,
                },
                text,
            ))
        }
        Value::Array(list) => {
            let parts: Vec<&Value> = list.iter().collect();
            let text = echo(&parts);
            let op = match list.first() {
                Some(Value::String(op)) => op.to_ascii_lowercase(),
                _ => {
                    return Err(invalid(format!(
                        "Invalid Policy: Invalid Condition: {text}: the first element must name the operation."
                    )));
                }
            };
            let arity = |n: usize| {
                if list.len() == n {
                    Ok(())
                } else {
                    Err(invalid(format!(
                        "Invalid Policy: Invalid Condition: {text}: \"{op}\" takes {} arguments.",
                        n - 1
                    )))
                }
            };
            let condition = match op.as_str() {
                "eq" | "starts-with" => {
                    arity(3)?;
                    let field = field_name(&list[1], &text)?;
                    let value = string_value(&list[2], &text)?;
                    if op == "eq" {
                        Condition::Eq { field, value }
                    } else {
                        Condition::StartsWith {
                            field,
                            prefix: value,
                        }
                    }
                }
                "in" | "not-in" => {
                    arity(3)?;
                    let field = field_name(&list[1], &text)?;
                    let Value::Array(items) = &list[2] else {
                        return Err(invalid(format!(
                            "Invalid Policy: Invalid Condition: {text}: the third element of \"{op}\" must be an array."
                        )));
                    };
                    let values = items
                        .iter()
                        .map(|v| string_value(v, &text))
                        .collect::<Result<Vec<_>, _>>()?;
                    if op == "in" {
                        Condition::In { field, values }
                    } else {
                        Condition::NotIn { field, values }
                    }
                }
                "content-length-range" => {
                    arity(3)?;
                    let bound = |v: &Value| v.as_u64();
                    match (bound(&list[1]), bound(&list[2])) {
                        (Some(min), Some(max)) if min <= max => Condition::LengthRange { min, max },
                        _ => {
                            return Err(invalid(format!(
                                "Invalid Policy: Invalid content-length-range: {text}: both bounds must be non-negative integers and the maximum at least the minimum."
                            )));
                        }
                    }
                }
                _ => {
                    return Err(invalid(format!(
                        "Invalid Policy: Invalid Condition: {text}: unknown operation \"{op}\"; use eq, starts-with, in, not-in or content-length-range."
                    )));
                }
            };
            Ok((condition, text))
        }
        other => Err(invalid(format!(
            "Invalid Policy: Invalid Condition: {other}: a condition is an object or an array."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossffi::encoding::base64_encode;

    fn policy(text: &str) -> Result<Policy, OssError> {
        decode(&base64_encode(text.as_bytes()))
    }

    #[test]
    fn conditions_are_decoded_and_echoed_as_oss_does() {
        let p = policy(
            r#"{"expiration":"2025-01-15T09:30:00.000Z","conditions":[{"bucket":"b"},["starts-with","$key","user/eric/"],["content-length-range",1,10],["in","$content-type",["image/jpeg","image/png"]]]}"#,
        )
        .unwrap();
        assert_eq!(p.expiration_ms, 1_736_933_400_000);
        assert_eq!(p.conditions[0].1, r#"["eq", "$bucket", "b"]"#);
        assert_eq!(
            p.conditions[1].1,
            r#"["starts-with", "$key", "user/eric/"]"#
        );
        assert_eq!(
            p.conditions[3].1,
            r#"["in", "$content-type", ["image/jpeg", "image/png"]]"#
        );
        assert_eq!(p.length_range(), Some((1, 10)));
    }

    #[test]
    fn a_dollar_is_escaped_with_a_backslash() {
        let p = policy(
            r#"{"expiration":"2025-01-15T09:30:00Z","conditions":[["eq","$x-oss-meta-price","\\$5"]]}"#,
        )
        .unwrap();
        assert!(p.check(|_| Some("$5")).is_ok());
        assert!(p.check(|_| Some("\\$5")).is_err());
    }

    #[test]
    fn malformed_policies_are_invalid_policy_documents() {
        for text in [
            r#"{"expiration": "2025-01-15T09:30:00.000Z", "conditions": [ ] "#,
            r#"{"conditions":[{"a":"b"}]}"#,
            r#"{"expiration":"tomorrow","conditions":[{"a":"b"}]}"#,
            r#"{"expiration":"2025-01-15T09:30:00Z","conditions":[]}"#,
            r#"{"expiration":"2025-01-15T09:30:00Z","conditions":[{"a":"b","c":"d"}]}"#,
            r#"{"expiration":"2025-01-15T09:30:00Z","conditions":[["content-length-range",5,1]]}"#,
            r#"{"expiration":"2025-01-15T09:30:00Z","conditions":[["in","$a","b"]]}"#,
            r#"{"expiration":"2025-01-15T09:30:00Z","conditions":[["like","$a","b"]]}"#,
        ] {
            let e = policy(text).unwrap_err();
            assert_eq!((e.status, e.code), (400, "InvalidPolicyDocument"), "{text}");
        }
    }
}
