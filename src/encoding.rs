//! Byte-level encodings used on the wire: RFC 3986 percent-encoding (as OSS signs it), query-string
//! decoding, hex and base64.
//!
//! Everything here is a pure function of its input; nothing allocates more than the one output
//! buffer it returns.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Whether `b` is an RFC 3986 unreserved character (`A-Z a-z 0-9 - _ . ~`), the only bytes OSS
/// leaves literal when it URI-encodes for signing.
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

#[inline]
fn stays_literal(b: u8, keep_slash: bool) -> bool {
    is_unreserved(b) || (keep_slash && b == b'/')
}

/// Percent-encodes `s` the way OSS signs it: RFC 3986 unreserved characters stay literal, every
/// other UTF-8 byte becomes `%XX` with upper-case hex (so a space is `%20`, never `+`). With
/// `keep_slash`, `/` also stays literal (object keys in paths); without it `/` becomes `%2F`
/// (query names and values).
///
/// `uri_encode("a b/c", true) == "a%20b/c"`, `uri_encode("a b/c", false) == "a%20b%2Fc"`.
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    uri_encode_bytes(s.as_bytes(), keep_slash)
}

/// [`uri_encode`] for arbitrary bytes (object keys are bytes on the wire).
pub fn uri_encode_bytes(b: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(encoded_len(b, keep_slash));
    uri_encode_into(&mut out, b, keep_slash);
    out
}

/// Appends the [`uri_encode`] form of `b` to `out`, for callers that assemble a larger string
/// (canonical requests, URLs) without intermediate allocations.
pub fn uri_encode_into(out: &mut String, b: &[u8], keep_slash: bool) {
    let mut start = 0;
    for (i, &byte) in b.iter().enumerate() {
        if stays_literal(byte, keep_slash) {
            continue;
        }
        // Every byte in b[start..i] is ASCII, hence valid UTF-8.
        out.push_str(ascii_str(&b[start..i]));
        out.push('%');
        out.push(char::from(HEX_UPPER[usize::from(byte >> 4)]));
        out.push(char::from(HEX_UPPER[usize::from(byte & 0x0f)]));
        start = i + 1;
    }
    out.push_str(ascii_str(&b[start..]));
}

/// The [`uri_encode`] form of `s`, borrowed when `s` needs no encoding (the common case for
/// query names and simple values).
pub fn uri_encode_cow(s: &str, keep_slash: bool) -> Cow<'_, str> {
    if s.bytes().all(|b| stays_literal(b, keep_slash)) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(uri_encode(s, keep_slash))
    }
}

fn encoded_len(b: &[u8], keep_slash: bool) -> usize {
    b.iter()
        .map(|&byte| {
            if stays_literal(byte, keep_slash) {
                1
            } else {
                3
            }
        })
        .sum()
}

/// `bytes` must be ASCII; callers only pass runs of unreserved characters.
fn ascii_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("runs of unreserved characters are ASCII")
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode(s: &str, plus_as_space: bool) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let pair = b
                    .get(i + 1)
                    .and_then(|&h| hex_value(h))
                    .zip(b.get(i + 2).and_then(|&l| hex_value(l)));
                if let Some((high, low)) = pair {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                // Malformed escape: keep the '%' literally, like browsers and Python's unquote.
                out.push(b'%');
            }
            b'+' if plus_as_space => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// Decodes `%XX` escapes (either hex case). `+` stays `+` (path semantics). A `%` not followed by
/// two hex digits is kept literally rather than rejected, as HTTP servers commonly do.
pub fn percent_decode(s: &str) -> Vec<u8> {
    decode(s, false)
}

/// Like [`percent_decode`] but `+` decodes to a space (`application/x-www-form-urlencoded` query
/// semantics, which oss2 and Python `requests` rely on).
pub fn query_decode(s: &str) -> Vec<u8> {
    decode(s, true)
}

/// Splits a raw query string (without the leading `?`) into decoded `(name, value)` pairs in
/// order. `a=1&b&c=x%20y` gives `[("a","1"), ("b",""), ("c","x y")]`: a valueless parameter and
/// `name=` both give an empty value, `+` means space, empty segments (`a=1&&b`) are skipped, and
/// invalid UTF-8 is replaced with U+FFFD.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            (lossy(query_decode(name)), lossy(query_decode(value)))
        })
        .collect()
}

fn lossy(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn hex_with(bytes: &[u8], digits: &[u8; 16]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 0x0f)]));
    }
    out
}

/// Lower-case hex (`[0xab, 0x01]` → `"ab01"`), as V4 signatures and SHA-256 hashes are written.
pub fn hex_lower(bytes: &[u8]) -> String {
    hex_with(bytes, HEX_LOWER)
}

/// Upper-case hex (`[0xab, 0x01]` → `"AB01"`), as PutObject ETags are written.
pub fn hex_upper(bytes: &[u8]) -> String {
    hex_with(bytes, HEX_UPPER)
}

/// Standard-alphabet base64 with `=` padding (Content-MD5, V1 signatures, callback parameters).
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard-alphabet base64, strictly: canonical `=` padding required, no whitespace, no
/// URL-safe characters, no non-zero trailing bits. `None` when `s` is not such base64.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    STANDARD.decode(s).ok()
}

/// The C++ SDK's `Base64EncodeUrlSafe`: [`base64_encode`] with the trailing `=` removed, `+`
/// written `-` and `/` written `_` (`[0xfb, 0xff, 0xfe]` → `"-__-"`, `b"f"` → `"Zg"`).
pub fn base64_encode_url_safe(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The value C's `strtol(text, NULL, 16)` gives for the at most two characters after a `%`,
/// cut to a byte as the C++ SDK's `(char)` cast cuts it: leading white space and one sign are
/// allowed, digits are read until the first non-hex character (`"zz"` → 0, `"2x"` → 2,
/// `"-1"` → 0xFF).
fn strtol_hex_byte(text: &[u8]) -> u8 {
    let mut rest = text;
    while let [b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    let negative = match rest {
        [b'-', tail @ ..] => {
            rest = tail;
            true
        }
        [b'+', tail @ ..] => {
            rest = tail;
            false
        }
        _ => false,
    };
    let mut value = 0u8;
    for digit in rest.iter().map_while(|&b| hex_value(b)) {
        value = value.wrapping_mul(16).wrapping_add(digit);
    }
    if negative {
        value.wrapping_neg()
    } else {
        value
    }
}

/// The C++ SDK's `UrlDecode`, quirks included: each `%` and the (at most) two bytes after it
/// become the byte `strtol(those two bytes, 16)` gives, so malformed escapes decode to partial
/// or zero values (`%zz` → 0x00, `%2x` → 0x02) instead of staying literal as in
/// [`percent_decode`]; `+` stays `+`; every other byte is copied.
///
/// A `%` in the last two bytes decodes whatever follows it (`"%4"` → 0x04, `"%"` → 0x00); the
/// SDK reads past the end of its string there.
pub fn sdk_url_decode(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let escape = &b[i + 1..b.len().min(i + 3)];
            // strtol stops at a NUL, which ends the SDK's two-character C string.
            let text = escape.split(|&c| c == 0).next().unwrap_or_default();
            out.push(strtol_hex_byte(text));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encode_matches_cpp_sdk_url_encode_vector_for_punctuation() {
        assert_eq!(
            uri_encode("`!@#$%^&*()+={}[]:;'\\|<>,?/ \"", false),
            "%60%21%40%23%24%25%5E%26%2A%28%29%2B%3D%7B%7D%5B%5D%3A%3B%27%5C%7C%3C%3E%2C%3F%2F%20%22"
        );
    }

    #[test]
    fn uri_encode_matches_cpp_sdk_url_encode_vector_for_hello_world() {
        assert_eq!(uri_encode("hello world!", false), "hello%20world%21");
    }

    #[test]
    fn uri_encode_keeps_unreserved_characters() {
        let unreserved = "ABCXYZabcxyz0189-_.~";
        assert_eq!(uri_encode(unreserved, false), unreserved);
    }

    #[test]
    fn uri_encode_keeps_slash_only_when_asked() {
        assert_eq!(uri_encode("a/b", true), "a/b");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
    }

    #[test]
    fn uri_encode_encodes_utf8_bytes_with_upper_case_hex() {
        assert_eq!(uri_encode("é中", false), "%C3%A9%E4%B8%AD");
    }

    #[test]
    fn uri_encode_encodes_a_literal_percent_as_percent_25() {
        assert_eq!(uri_encode("a%20b", false), "a%2520b");
    }

    #[test]
    fn uri_encode_of_the_cpp_sdk_path_vector_keeps_slashes() {
        // CombinePathStringTest: key "test-key/123/456+/1.txt" → "/test-key/123/456%2B/1.txt".
        assert_eq!(
            uri_encode("test-key/123/456+/1.txt", true),
            "test-key/123/456%2B/1.txt"
        );
    }

    #[test]
    fn uri_encode_bytes_encodes_invalid_utf8() {
        assert_eq!(uri_encode_bytes(&[0xff, b'a', 0x00], false), "%FFa%00");
    }

    #[test]
    fn uri_encode_cow_borrows_when_nothing_needs_encoding() {
        assert!(matches!(
            uri_encode_cow("partNumber", false),
            Cow::Borrowed(_)
        ));
        assert_eq!(uri_encode_cow("a b", false), "a%20b");
    }

    #[test]
    fn percent_decode_decodes_both_hex_cases() {
        assert_eq!(percent_decode("%2f%2F%e4%B8%ad"), "//中".as_bytes());
    }

    #[test]
    fn percent_decode_keeps_plus() {
        assert_eq!(percent_decode("a+b"), b"a+b");
    }

    #[test]
    fn percent_decode_keeps_malformed_escapes_literally() {
        assert_eq!(percent_decode("%zz%4"), b"%zz%4");
        assert_eq!(percent_decode("100%"), b"100%");
        assert_eq!(percent_decode("%%41"), b"%A");
    }

    #[test]
    fn query_decode_turns_plus_into_space() {
        assert_eq!(query_decode("a+b%2Bc"), b"a b+c");
    }

    #[test]
    fn parse_query_splits_valued_and_valueless_parameters() {
        assert_eq!(
            parse_query("a=1&b&c=x%20y&d="),
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), String::new()),
                ("c".to_owned(), "x y".to_owned()),
                ("d".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn parse_query_decodes_plus_as_space_and_keeps_equals_in_values() {
        assert_eq!(
            parse_query("response-content-type=text%2Fhtml%3B+charset%3Dutf-8&x=a=b"),
            vec![
                (
                    "response-content-type".to_owned(),
                    "text/html; charset=utf-8".to_owned()
                ),
                ("x".to_owned(), "a=b".to_owned()),
            ]
        );
    }

    #[test]
    fn parse_query_skips_empty_segments() {
        assert_eq!(parse_query(""), Vec::<(String, String)>::new());
        assert_eq!(parse_query("&a&&"), vec![("a".to_owned(), String::new())]);
    }

    #[test]
    fn parse_query_replaces_invalid_utf8() {
        assert_eq!(
            parse_query("k=%FF"),
            vec![("k".to_owned(), "\u{FFFD}".to_owned())]
        );
    }

    #[test]
    fn hex_lower_and_upper_render_every_nibble() {
        let bytes = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
        assert_eq!(hex_lower(&bytes), "0123456789abcdef");
        assert_eq!(hex_upper(&bytes), "0123456789ABCDEF");
        assert_eq!(hex_lower(&[]), "");
    }

    #[test]
    fn base64_round_trips_with_padding() {
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("Zm8=").as_deref(), Some(&b"fo"[..]));
        assert_eq!(base64_encode(b""), "");
    }

    #[test]
    fn base64_decode_rejects_missing_padding_whitespace_and_url_safe_alphabet() {
        assert_eq!(base64_decode("Zm8"), None);
        assert_eq!(base64_decode("Zm8=\n"), None);
        assert_eq!(base64_decode("-_8="), None);
        assert_eq!(base64_decode("Zm9="), None, "non-zero trailing bits");
    }

    #[test]
    fn url_encode_matches_cpp_sdk_examples() {
        assert_eq!(
            uri_encode("a b+c/d?e=f&g", false),
            "a%20b%2Bc%2Fd%3Fe%3Df%26g"
        );
        assert_eq!(uri_encode("abcXYZ019-_.~", false), "abcXYZ019-_.~");
        assert_eq!(uri_encode("中文", false), "%E4%B8%AD%E6%96%87");
        assert_eq!(
            uri_encode("!*'();:@&=+$,/?#[]", false),
            "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D"
        );
    }

    #[test]
    fn sdk_url_decode_matches_cpp_sdk_examples() {
        assert_eq!(sdk_url_decode(b"a%20b%2Bc%2Fd"), b"a b+c/d");
        assert_eq!(sdk_url_decode(b"a+b"), b"a+b");
        assert_eq!(sdk_url_decode(b"%e4%b8%ad"), "中".as_bytes());
    }

    #[test]
    fn sdk_url_decode_reads_malformed_escapes_as_strtol_does() {
        assert_eq!(sdk_url_decode(b"%zz"), [0x00]);
        assert_eq!(sdk_url_decode(b"%2x!"), [0x02, b'!']);
        assert_eq!(sdk_url_decode(b"% 5"), [0x05]);
        assert_eq!(sdk_url_decode(b"%-1"), [0xff]);
        assert_eq!(sdk_url_decode(b"%+f"), [0x0f]);
        assert_eq!(sdk_url_decode(b"%\x0041"), [0x00, b'1']);
    }

    #[test]
    fn sdk_url_decode_stops_safely_at_a_trailing_percent() {
        assert_eq!(sdk_url_decode(b"a%4"), [b'a', 0x04]);
        assert_eq!(sdk_url_decode(b"a%"), [b'a', 0x00]);
        assert_eq!(sdk_url_decode(b""), b"");
    }

    #[test]
    fn base64_encode_matches_cpp_sdk_examples() {
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foo"), "Zm9v");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(&[0xfb, 0xff, 0xfe]), "+//+");
    }

    #[test]
    fn base64_encode_url_safe_matches_cpp_sdk_examples() {
        assert_eq!(base64_encode_url_safe(&[0xfb, 0xff, 0xfe]), "-__-");
        assert_eq!(base64_encode_url_safe(b"f"), "Zg");
        assert_eq!(base64_encode_url_safe(b"foob"), "Zm9vYg");
        assert_eq!(base64_encode_url_safe(b"abcde"), "YWJjZGU");
        assert_eq!(base64_encode_url_safe(b""), "");
    }
}
