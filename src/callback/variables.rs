//! `ObjectCallbackVariableBuilder`: the value of the `x-oss-callback-var` header.

use std::cmp::Ordering;

use super::json_text::push_json_string_body;
use crate::encoding::base64_encode;

/// Custom callback variables (`${x:name}` in a callback body), kept like the C++ SDK keeps them:
/// in a map ordered by ASCII case-insensitive comparison, where a key that equals an existing
/// one case-insensitively replaces the value but keeps the first spelling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectCallbackVariableBuilder {
    entries: Vec<(String, String)>,
}

/// Why a variable was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidVariableKey;

impl std::fmt::Display for InvalidVariableKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "callback variable keys must start with lower-case \"x:\" (for example \"x:var1\")",
        )
    }
}

impl std::error::Error for InvalidVariableKey {}

impl ObjectCallbackVariableBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a variable. Refused unless the key starts with lower-case `x:`
    /// (the SDK's rule; `x:` alone is accepted).
    pub fn add(&mut self, key: &str, value: &str) -> Result<(), InvalidVariableKey> {
        if !key.starts_with("x:") {
            return Err(InvalidVariableKey);
        }
        match self
            .entries
            .binary_search_by(|(existing, _)| case_insensitive_cmp(existing, key))
        {
            Ok(found) => self.entries[found].1 = value.to_owned(),
            Err(at) => self.entries.insert(at, (key.to_owned(), value.to_owned())),
        }
        Ok(())
    }

    /// The variables in the SDK's order.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// The value of a variable, matching the key case-insensitively.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .binary_search_by(|(existing, _)| case_insensitive_cmp(existing, key))
            .ok()
            .map(|found| self.entries[found].1.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The JSON object before base64, or "" when there are no variables.
    pub fn json(&self) -> String {
        if self.entries.is_empty() {
            return String::new();
        }
        let mut json = String::from("{");
        for (i, (key, value)) in self.entries.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push('"');
            push_json_string_body(&mut json, key);
            json.push_str("\":\"");
            push_json_string_body(&mut json, value);
            json.push('"');
        }
        json.push('}');
        json
    }

    /// The `x-oss-callback-var` header value: base64 of [`Self::json`], or "".
    pub fn build(&self) -> String {
        let json = self.json();
        if json.is_empty() {
            return json;
        }
        base64_encode(json.as_bytes())
    }
}

/// The C++ SDK's `caseInsensitiveLess`: `::tolower` of each `char`, compared as `int`, a proper
/// prefix first. `char` is signed on the x86-64 and Windows builds of the SDK, so bytes from 0x80
/// up (UTF-8 beyond ASCII) compare as negative numbers and sort before every ASCII byte; we
/// reproduce that so non-ASCII keys come out in the SDK's order.
fn case_insensitive_cmp(a: &str, b: &str) -> Ordering {
    fn rank(byte: u8) -> i16 {
        if byte.is_ascii() {
            i16::from(byte.to_ascii_lowercase())
        } else {
            i16::from(byte as i8)
        }
    }
    a.bytes().map(rank).cmp(b.bytes().map(rank))
}
