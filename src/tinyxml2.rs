//! What the C++ SDK's XML parser, tinyxml2 6.2.0, makes of an error reply's body: the SDK's
//! error code depends on it (`ParseXMLError:<n>` when tinyxml2 refuses the text, the fields of
//! the root element when it accepts it), and tinyxml2 accepts text that a strict XML parser
//! refuses (text before the root element) while refusing some it accepts (a declaration after
//! other content). This is not a parser: it walks the text the way tinyxml2 does to find
//! either tinyxml2's error or the span of the root element, which the strict parser then reads.

/// A tinyxml2 error: its `XMLError` number and name, as the SDK prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub number: u8,
    pub name: &'static str,
}

const PARSING_ELEMENT: Refused = Refused {
    number: 7,
    name: "XML_ERROR_PARSING_ELEMENT",
};
const PARSING_ATTRIBUTE: Refused = Refused {
    number: 8,
    name: "XML_ERROR_PARSING_ATTRIBUTE",
};
const PARSING_TEXT: Refused = Refused {
    number: 10,
    name: "XML_ERROR_PARSING_TEXT",
};
const PARSING_CDATA: Refused = Refused {
    number: 11,
    name: "XML_ERROR_PARSING_CDATA",
};
const PARSING_COMMENT: Refused = Refused {
    number: 12,
    name: "XML_ERROR_PARSING_COMMENT",
};
const PARSING_DECLARATION: Refused = Refused {
    number: 13,
    name: "XML_ERROR_PARSING_DECLARATION",
};
const PARSING_UNKNOWN: Refused = Refused {
    number: 14,
    name: "XML_ERROR_PARSING_UNKNOWN",
};
const EMPTY_DOCUMENT: Refused = Refused {
    number: 15,
    name: "XML_ERROR_EMPTY_DOCUMENT",
};
const MISMATCHED_ELEMENT: Refused = Refused {
    number: 16,
    name: "XML_ERROR_MISMATCHED_ELEMENT",
};

/// The name of tinyxml2's error `number`, for the numbers this module gives.
pub fn error_name(number: u8) -> Option<&'static str> {
    [
        PARSING_ELEMENT,
        PARSING_ATTRIBUTE,
        PARSING_TEXT,
        PARSING_CDATA,
        PARSING_COMMENT,
        PARSING_DECLARATION,
        PARSING_UNKNOWN,
        EMPTY_DOCUMENT,
        MISMATCHED_ELEMENT,
    ]
    .iter()
    .find(|r| r.number == number)
    .map(|r| r.name)
}

/// The byte range of the document's root element (its first top-level element, as
/// `XMLDocument::RootElement` finds it) when tinyxml2 accepts `text`, `None` when it accepts it
/// but there is no element; tinyxml2's error otherwise.
pub fn root_element(text: &str) -> Result<Option<std::ops::Range<usize>>, Refused> {
    let bytes = text.as_bytes();
    let mut at = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut open: Vec<&[u8]> = Vec::new();
    let mut root: Option<std::ops::Range<usize>> = None;
    let mut root_start = 0;
    // Declarations may only come first, before any other node of the document.
    let mut only_declarations_so_far = true;
    let skip_space = |at: &mut usize| {
        while *at < bytes.len() && matches!(bytes[*at], b' ' | b'\t' | b'\n' | b'\r') {
            *at += 1;
        }
    };
    skip_space(&mut at);
    if at == bytes.len() {
        return Err(EMPTY_DOCUMENT);
    }
    loop {
        if open.is_empty() {
            skip_space(&mut at);
        }
        if at >= bytes.len() {
            return if open.is_empty() {
                Ok(root)
            } else {
                Err(MISMATCHED_ELEMENT)
            };
        }
        let rest = &bytes[at..];
        if rest.starts_with(b"<?") {
            if !open.is_empty() || !only_declarations_so_far {
                return Err(PARSING_DECLARATION);
            }
            at += find(rest, b"?>").ok_or(PARSING_DECLARATION)? + 2;
            continue;
        }
        only_declarations_so_far = false;
        if rest.starts_with(b"<!--") {
            at += find(rest, b"-->").ok_or(PARSING_COMMENT)? + 3;
        } else if rest.starts_with(b"<![CDATA[") {
            at += find(rest, b"]]>").ok_or(PARSING_CDATA)? + 3;
        } else if rest.starts_with(b"<!") {
            at += find(rest, b">").ok_or(PARSING_UNKNOWN)? + 1;
        } else if rest.starts_with(b"</") {
            let end = find(rest, b">").ok_or(PARSING_ELEMENT)?;
            let name = trim(&rest[2..end]);
            match open.pop() {
                Some(expected) if expected == name => {}
                _ => return Err(MISMATCHED_ELEMENT),
            }
            at += end + 1;
            if open.is_empty() && root.is_none() {
                root = Some(root_start..at);
            }
        } else if rest.starts_with(b"<") {
            let (name, length, empty) = start_tag(rest)?;
            if open.is_empty() && root.is_none() {
                root_start = at;
                if empty {
                    root = Some(at..at + length);
                }
            }
            if !empty {
                open.push(name);
            }
            at += length;
        } else {
            // Text runs to the next '<'; text that never reaches one is refused.
            at += find(rest, b"<").ok_or(PARSING_TEXT)?;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim(name: &[u8]) -> &[u8] {
    let end = name
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &name[..end]
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80
}

fn is_name_char(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.'
}

/// A start tag at the beginning of `tag` (which starts with '<'): its name, its length, and
/// whether it closes itself (`<a/>`).
fn start_tag(tag: &[u8]) -> Result<(&[u8], usize, bool), Refused> {
    let mut at = 1;
    if !tag.get(at).copied().is_some_and(is_name_start) {
        return Err(PARSING_ELEMENT);
    }
    while tag.get(at).copied().is_some_and(is_name_char) {
        at += 1;
    }
    let name = &tag[1..at];
    loop {
        while tag.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        match tag.get(at) {
            None => return Err(PARSING_ELEMENT),
            Some(b'>') => return Ok((name, at + 1, false)),
            Some(b'/') if tag.get(at + 1) == Some(&b'>') => return Ok((name, at + 2, true)),
            Some(&b) if is_name_start(b) => {
                while tag.get(at).copied().is_some_and(is_name_char) {
                    at += 1;
                }
                while tag.get(at).is_some_and(u8::is_ascii_whitespace) {
                    at += 1;
                }
                if tag.get(at) != Some(&b'=') {
                    return Err(PARSING_ATTRIBUTE);
                }
                at += 1;
                while tag.get(at).is_some_and(u8::is_ascii_whitespace) {
                    at += 1;
                }
                let quote = match tag.get(at) {
                    Some(&q) if q == b'"' || q == b'\'' => q,
                    _ => return Err(PARSING_ATTRIBUTE),
                };
                let close = tag[at + 1..]
                    .iter()
                    .position(|&b| b == quote)
                    .ok_or(PARSING_ATTRIBUTE)?;
                at += close + 2;
            }
            Some(_) => return Err(PARSING_ELEMENT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ERROR: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>CallbackFailed</Code>\n  <Message>m</Message>\n</Error>\n";

    fn number(text: &str) -> Option<u8> {
        root_element(text).err().map(|r| r.number)
    }

    #[test]
    fn the_sdks_verified_outcomes() {
        assert_eq!(number("garbage body"), Some(10));
        assert_eq!(number(r#"{"Status":"OK"}"#), Some(10));
        assert_eq!(number(&format!("invlid data{ERROR}")), Some(13));
        assert_eq!(number(""), Some(15));
        assert_eq!(number(" \r\n\t"), Some(15));
        assert_eq!(number("<Error><Code>x</Code>"), Some(16));
        assert_eq!(number("<Error><Code>x</Message></Error>"), Some(16));
    }

    #[test]
    fn text_before_the_root_element_is_accepted_and_the_root_found() {
        let text = "invlid data<Error><Code>CallbackFailed</Code></Error>";
        let root = root_element(text).unwrap().unwrap();
        assert_eq!(&text[root], "<Error><Code>CallbackFailed</Code></Error>");
        let root = root_element(ERROR).unwrap().unwrap();
        assert!(ERROR[root.clone()].starts_with("<Error>") && ERROR[root].ends_with("</Error>"));
    }

    #[test]
    fn other_refusals() {
        assert_eq!(number("<a><!-- never closed</a>"), Some(12));
        assert_eq!(number("<a><![CDATA[ never closed</a>"), Some(11));
        assert_eq!(number("<!DOCTYPE never closed"), Some(14));
        assert_eq!(number("<1a/>"), Some(7));
        assert_eq!(number("<a b></a>"), Some(8));
        assert_eq!(number("<a b='x></a>"), Some(8));
        assert_eq!(number("<a><?xml version='1.0'?></a>"), Some(13));
        assert_eq!(number("<a>text never closed"), Some(10));
    }

    #[test]
    fn accepted_documents() {
        assert_eq!(root_element("<!-- only a comment -->"), Ok(None));
        let text = "\u{feff}<?xml version='1.0'?><?pi x?><!-- c --><Root a=\"1\" b='2'/>\n";
        let root = root_element(text).unwrap().unwrap();
        assert_eq!(&text[root], "<Root a=\"1\" b='2'/>");
        assert!(root_element("<html>gateway</html>\n").unwrap().is_some());
    }

    #[test]
    fn every_number_has_its_name() {
        for n in [7, 8, 10, 11, 12, 13, 14, 15, 16] {
            assert!(error_name(n).is_some_and(|name| name.starts_with("XML_ERROR_")));
        }
        assert_eq!(error_name(1), None);
    }
}
