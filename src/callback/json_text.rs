//! Making caller text safe inside a JSON string literal while changing as little as possible.
//!
//! The C++ SDK pastes caller text between quotes with no escaping at all. OSS's documentation
//! therefore tells users to pre-escape quotes themselves (`{\"size\":${size}}`), and such text
//! must come out unchanged. So text that is already a valid JSON string body is kept byte for
//! byte, and only what would make the JSON invalid is escaped:
//! - a `"` that does not belong to an escape sequence becomes `\"`;
//! - a `\` that does not start a valid escape (`\" \\ \/ \b \f \n \r \t \uXXXX`) becomes `\\`;
//! - control characters (U+0000 to U+001F) become `\n`, `\t`, ... or `\u00XX`.
//!
//! One consequence: a backslash that happens to form a valid escape is read as that escape, so
//! `a\tb` means a TAB inside JSON, exactly as it does for OSS when sent through the C++ SDK.

/// Appends `text` to `out` as the inside of a JSON string literal (without the quotes).
pub fn push_json_string_body(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut clean_from = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let replacement: Option<&str> = match b {
            b'\\' => match valid_escape_len(bytes, i) {
                Some(len) => {
                    i += len;
                    continue;
                }
                None => Some("\\\\"),
            },
            b'"' => Some("\\\""),
            0x00..=0x1f => None,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[clean_from..i]);
        match replacement {
            Some(r) => out.push_str(r),
            None => push_control_escape(out, b),
        }
        i += 1;
        clean_from = i;
    }
    out.push_str(&text[clean_from..]);
}

fn push_control_escape(out: &mut String, b: u8) {
    match b {
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
    }
}

/// Length of the valid JSON escape sequence starting at `bytes[at] == b'\\'`, if there is one.
fn valid_escape_len(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(2),
        b'u' => {
            let unit = hex4(bytes, at + 2)?;
            match unit {
                // A high surrogate is valid only when a low surrogate escape follows it.
                0xD800..=0xDBFF => {
                    if bytes.get(at + 6) == Some(&b'\\') && bytes.get(at + 7) == Some(&b'u') {
                        let low = hex4(bytes, at + 8)?;
                        (0xDC00..=0xDFFF).contains(&low).then_some(12)
                    } else {
                        None
                    }
                }
                0xDC00..=0xDFFF => None,
                _ => Some(6),
            }
        }
        _ => None,
    }
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    digits.iter().try_fold(0u32, |acc, &d| {
        let v = (d as char).to_digit(16)?;
        Some(acc * 16 + v)
    })
}

#[cfg(test)]
mod tests {
    use super::push_json_string_body;

    fn body(text: &str) -> String {
        let mut out = String::new();
        push_json_string_body(&mut out, text);
        out
    }

    fn decodes_to(text: &str) -> String {
        let literal = format!("\"{}\"", body(text));
        serde_json::from_str::<String>(&literal).expect("always valid JSON")
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            body("bucket=${bucket}&size=${size}"),
            "bucket=${bucket}&size=${size}"
        );
    }

    #[test]
    fn pre_escaped_quotes_are_kept_byte_for_byte() {
        let text = r#"{\"mimeType\":${mimeType},\"size\":${size}}"#;
        assert_eq!(body(text), text);
    }

    #[test]
    fn bare_quotes_are_escaped() {
        assert_eq!(body(r#"{"bucket":${bucket}}"#), r#"{\"bucket\":${bucket}}"#);
        assert_eq!(
            decodes_to(r#"{"bucket":${bucket}}"#),
            r#"{"bucket":${bucket}}"#
        );
    }

    #[test]
    fn lone_backslash_is_escaped() {
        assert_eq!(body(r"C:\data"), r"C:\\data");
        assert_eq!(body("end\\"), "end\\\\");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(body("a\nb\tc\u{1}"), "a\\nb\\tc\\u0001");
        assert_eq!(decodes_to("a\nb\tc\u{1}"), "a\nb\tc\u{1}");
    }

    #[test]
    fn valid_unicode_escapes_are_kept() {
        assert_eq!(body(r"\u00e9 \ud83d\ude00"), r"\u00e9 \ud83d\ude00");
    }

    #[test]
    fn broken_unicode_escapes_get_their_backslash_escaped() {
        assert_eq!(body(r"\u12"), r"\\u12");
        assert_eq!(body(r"\ud83d alone"), r"\\ud83d alone");
        assert_eq!(body(r"\ude00"), r"\\ude00");
    }

    #[test]
    fn non_ascii_is_kept_raw() {
        assert_eq!(body("中文 é"), "中文 é");
    }

    #[test]
    fn every_output_is_valid_json() {
        for text in [
            "\"",
            "\\",
            "\\\"",
            "\"\\",
            "a\\b\nc",
            "\\u",
            "\\uzzzz",
            "\u{7f}\u{0}",
        ] {
            decodes_to(text);
        }
    }
}
