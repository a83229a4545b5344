//! The `callbackBody` template: constant text with `${name}` placeholders.
//!
//! The template is split once, when the upload arrives, so that malformed placeholders give
//! 400 InvalidArgument before anything is stored (oss-protocol.md 4.4, 4.5).
//!
//! Grammar, as far as OSS documents it:
//! - `${name}` is a placeholder; `name` is a system variable (`bucket`, `imageInfo.height`, ...)
//!   or a custom one (`x:my_var`). Names are case-sensitive.
//! - `$name}` gives OSS's "Left brace must be adjacent to dollar sign." (its documented example
//!   is `$x:my_var}`).
//! - `${name` without `}` and `${}` are malformed too.
//! - Any other `$` or brace is constant text, because JSON templates are full of braces
//!   (`{"size":${size}}`).

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text copied into the body unchanged.
    Text(String),
    /// A placeholder's name, without `${` and `}`.
    Variable(String),
}

/// A parsed `callbackBody`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    segments: Vec<Segment>,
}

impl Template {
    /// Splits `text` into constant text and placeholders; the error is the 400 message.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut segments = Vec::new();
        let mut text_start = 0;
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < bytes.len() {
            if bytes[i] != b'$' {
                i += 1;
                continue;
            }
            if bytes.get(i + 1) == Some(&b'{') {
                let name_start = i + 2;
                let Some(len) = text[name_start..].find('}') else {
                    return Err(format!(
                        "Right brace is missing for the variable that starts at byte {i} of callbackBody."
                    ));
                };
                let name = &text[name_start..name_start + len];
                if name.is_empty() {
                    return Err("Variable name must not be empty in callbackBody.".to_owned());
                }
                if name.contains(['$', '{']) {
                    return Err(format!(
                        "Variable name \"{name}\" in callbackBody must not contain '$' or '{{'."
                    ));
                }
                push_text(&mut segments, &text[text_start..i]);
                segments.push(Segment::Variable(name.to_owned()));
                i = name_start + len + 1;
                text_start = i;
            } else if looks_like_unopened_variable(&text[i + 1..]) {
                return Err("Left brace must be adjacent to dollar sign.".to_owned());
            } else {
                i += 1;
            }
        }
        push_text(&mut segments, &text[text_start..]);
        Ok(Template { segments })
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Every placeholder name, in order of appearance.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Variable(name) => Some(name.as_str()),
            Segment::Text(_) => None,
        })
    }
}

fn push_text(segments: &mut Vec<Segment>, text: &str) {
    if !text.is_empty() {
        segments.push(Segment::Text(text.to_owned()));
    }
}

/// True for `name}` right after a `$`: a placeholder whose `{` is missing or misplaced.
fn looks_like_unopened_variable(after_dollar: &str) -> bool {
    let name_len = after_dollar
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
        .count();
    let after_name = &after_dollar[name_len..];
    // `$x:var}` and `$ {x:var}` both misplace the brace.
    (name_len > 0 && after_name.starts_with('}')) || after_dollar.trim_start().starts_with('{')
}
