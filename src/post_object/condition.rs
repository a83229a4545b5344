//! One condition of a PostObject policy, and how it is written in the policy JSON.

use crate::error::Error;

/// A condition in the policy's `conditions` array. Field names are written without the `$`
/// (`"key"`, `"Content-Type"`, `"x-oss-meta-tag"`); OSS matches them case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `{"field":"value"}`: the object form of an exact match.
    Exact { field: String, value: String },
    /// `["eq","$field","value"]`: exact match.
    Eq { field: String, value: String },
    /// `["starts-with","$field","prefix"]`: prefix match (`""` allows any value).
    StartsWith { field: String, prefix: String },
    /// `["content-length-range",min,max]`: the file's size in bytes, both bounds included.
    ContentLengthRange { min: u64, max: u64 },
    /// `["in","$field",["a","b"]]`: the value is one of the list.
    In { field: String, values: Vec<String> },
    /// `["not-in","$field",["a","b"]]`: the value is none of the list.
    NotIn { field: String, values: Vec<String> },
}

impl Condition {
    /// The form field the condition names, `None` for `content-length-range`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Condition::Exact { field, .. }
            | Condition::Eq { field, .. }
            | Condition::StartsWith { field, .. }
            | Condition::In { field, .. }
            | Condition::NotIn { field, .. } => Some(field),
            Condition::ContentLengthRange { .. } => None,
        }
    }

    /// Refuses what OSS would reject as an invalid policy, with a message saying what to change.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(field) = self.field() {
            if field.is_empty() {
                return Err(Error::invalid_argument(
                    "a PostObject policy condition names an empty form field",
                ));
            }
            if let Some(bare) = field.strip_prefix('$') {
                return Err(Error::invalid_argument(format!(
                    "write the policy condition's field name without '$' (\"{bare}\"); the policy adds it"
                )));
            }
        }
        match self {
            Condition::ContentLengthRange { min, max } if max < min => {
                Err(Error::invalid_argument(format!(
                    "content-length-range maximum {max} is smaller than its minimum {min}"
                )))
            }
            Condition::In { field, values } | Condition::NotIn { field, values }
                if values.is_empty() =>
            {
                Err(Error::invalid_argument(format!(
                    "the in / not-in condition on \"{field}\" needs at least one value"
                )))
            }
            _ => Ok(()),
        }
    }

    /// Whether a form field's value passes the condition (`content-length-range` always does:
    /// it concerns the file, which the form does not hold).
    pub fn accepts(&self, value: &str) -> bool {
        match self {
            Condition::Exact { value: want, .. } | Condition::Eq { value: want, .. } => {
                value == want
            }
            Condition::StartsWith { prefix, .. } => value.starts_with(prefix.as_str()),
            Condition::In { values, .. } => values.iter().any(|v| v == value),
            Condition::NotIn { values, .. } => values.iter().all(|v| v != value),
            Condition::ContentLengthRange { .. } => true,
        }
    }

    /// Appends the condition as compact JSON, as `JSON.stringify` writes it (ali-oss signs that).
    pub fn write_json(&self, out: &mut String) {
        match self {
            Condition::Exact { field, value } => {
                out.push('{');
                push_json_string(out, field);
                out.push(':');
                push_json_string(out, value);
                out.push('}');
            }
            Condition::Eq { field, value } => write_triple(out, "eq", field, value),
            Condition::StartsWith { field, prefix } => {
                write_triple(out, "starts-with", field, prefix)
            }
            Condition::ContentLengthRange { min, max } => {
                out.push_str(&format!("[\"content-length-range\",{min},{max}]"));
            }
            Condition::In { field, values } => write_list(out, "in", field, values),
            Condition::NotIn { field, values } => write_list(out, "not-in", field, values),
        }
    }

    /// The condition as compact JSON.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

fn write_triple(out: &mut String, op: &str, field: &str, value: &str) {
    out.push_str("[\"");
    out.push_str(op);
    out.push_str("\",");
    push_json_string(out, &format!("${field}"));
    out.push(',');
    push_json_string(out, value);
    out.push(']');
}

fn write_list(out: &mut String, op: &str, field: &str, values: &[String]) {
    out.push_str("[\"");
    out.push_str(op);
    out.push_str("\",");
    push_json_string(out, &format!("${field}"));
    out.push_str(",[");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, value);
    }
    out.push_str("]]");
}

/// Appends `text` as a JSON string literal the way `JSON.stringify` does: `"` and `\` escaped,
/// control characters as `\n`, `\t`, ... or `\u00xx`, everything else (`/`, `$`, non-ASCII) raw.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).expect("a string always serialises"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        text.to_owned()
    }

    #[test]
    fn strings_are_written_as_json_stringify_writes_them() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"b\\c/d$e\n\u{1}用户\u{7f}");
        assert_eq!(out, "\"a\\\"b\\\\c/d$e\\n\\u0001用户\u{7f}\"");
    }

    #[test]
    fn each_form_is_written_compactly() {
        let exact = Condition::Exact {
            field: s("bucket"),
            value: s("b"),
        };
        assert_eq!(exact.to_json(), r#"{"bucket":"b"}"#);
        let eq = Condition::Eq {
            field: s("key"),
            value: s("k"),
        };
        assert_eq!(eq.to_json(), r#"["eq","$key","k"]"#);
        let range = Condition::ContentLengthRange { min: 0, max: 10 };
        assert_eq!(range.to_json(), r#"["content-length-range",0,10]"#);
        let not_in = Condition::NotIn {
            field: s("cache-control"),
            values: vec![s("a"), s("b")],
        };
        assert_eq!(not_in.to_json(), r#"["not-in","$cache-control",["a","b"]]"#);
    }

    #[test]
    fn a_dollar_before_the_field_name_is_refused() {
        let eq = Condition::Eq {
            field: s("$key"),
            value: s("k"),
        };
        let message = eq.validate().unwrap_err().message.clone();
        assert!(message.contains("without '$'"), "{message}");
    }

    #[test]
    fn an_inverted_size_range_is_refused() {
        let range = Condition::ContentLengthRange { min: 2, max: 1 };
        assert!(range.validate().is_err());
    }

    #[test]
    fn an_empty_list_is_refused() {
        let list = Condition::In {
            field: s("content-type"),
            values: vec![],
        };
        assert!(list.validate().is_err());
    }
}
