//! A small element tree read from an OSS result body (ListBucketResult, DeleteResult, ...).
//!
//! Result bodies are a few levels of elements holding text, so the tree keeps only element
//! names, their text and their children; attributes, comments and processing instructions are
//! read and dropped. The reader is quick-xml with end-name and comment checks on, and refuses a
//! DOCTYPE (no entity expansion), text outside the root, a second root, an unknown entity and
//! nesting deeper than [`MAX_DEPTH`]. The body's size is bounded by the transport.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One element: its name, the concatenation of the text directly inside it (entities and
/// character references resolved, CDATA included), and its child elements in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child called `name`, `""` when there is none (the SDK's reading).
    pub fn child_text(&self, name: &str) -> &str {
        self.child(name).map_or("", |c| c.text.as_str())
    }

    /// Every child called `name`, in document order.
    pub fn children_named<'e>(&'e self, name: &'e str) -> impl Iterator<Item = &'e Element> {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// The deepest nesting accepted; OSS results are at most four levels deep.
const MAX_DEPTH: usize = 32;

/// Reads `body` into its root element.
///
/// # Errors
/// A description of what is wrong and where, when `body` is not UTF-8, is empty, or is not
/// well-formed XML.
pub(crate) fn parse(body: &[u8]) -> Result<Element, String> {
    let text =
        std::str::from_utf8(body).map_err(|e| format!("not UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_comments = true;
    config.check_end_names = true;
    config.allow_unmatched_ends = false;
    config.expand_empty_elements = false;

    // The open elements, innermost last; a closed one is appended to its parent.
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} at byte {}", reader.error_position()))?;
        let outside = open.is_empty();
        match event {
            Event::Decl(_) if at == 0 => {}
            Event::Decl(_) => return Err(format!("XML declaration not at the start, byte {at}")),
            Event::DocType(_) => return Err(format!("DOCTYPE is not supported, byte {at}")),
            Event::PI(_) | Event::Comment(_) => {}
            Event::Start(_) | Event::Empty(_) if outside && root.is_some() => {
                return Err(format!("content after the root element, byte {at}"));
            }
            Event::Start(start) => {
                if open.len() == MAX_DEPTH {
                    return Err(format!("elements nested more than {MAX_DEPTH} deep"));
                }
                open.push(Element {
                    name: element_name(start.name().0, at)?,
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let element = Element {
                    name: element_name(start.name().0, at)?,
                    ..Element::default()
                };
                close(element, &mut open, &mut root);
            }
            Event::End(_) => {
                // quick-xml has matched the end tag with the innermost start tag.
                let element = open.pop().ok_or("unmatched end tag")?;
                close(element, &mut open, &mut root);
            }
            Event::Text(text) => match open.last_mut() {
                Some(element) => push_normalized(&mut element.text, &text),
                None if text.bytes().all(|b| b.is_ascii_whitespace()) => {}
                None => return Err(format!("text outside the root element, byte {at}")),
            },
            Event::CData(data) => match open.last_mut() {
                Some(element) => push_normalized(&mut element.text, &data),
                None => return Err(format!("CDATA outside the root element, byte {at}")),
            },
            Event::GeneralRef(reference) => {
                let Some(element) = open.last_mut() else {
                    return Err(format!("reference outside the root element, byte {at}"));
                };
                let c = resolve_reference(&reference)
                    .ok_or_else(|| format!("unknown reference &{};", &*reference))?;
                element.text.push(c);
            }
            Event::Eof => {
                if let Some(element) = open.last() {
                    return Err(format!("unexpected end inside <{}>", element.name));
                }
                return root.ok_or_else(|| "no root element".to_owned());
            }
        }
    }
}

/// The name of a start tag, refused unless it is an XML name (`<>`, `<1a>`, ...).
fn element_name(name: &str, at: u64) -> Result<String, String> {
    if is_xml_name(name) {
        Ok(name.to_owned())
    } else {
        Err(format!("{name:?} is not an element name, byte {at}"))
    }
}

fn close(element: Element, open: &mut [Element], root: &mut Option<Element>) {
    match open.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

/// An XML name as the parsers here accept it: a letter, `_`, `:` or any non-ASCII character,
/// then those, digits, `-` and `.`.
pub(crate) fn is_xml_name(name: &str) -> bool {
    fn is_name_start(c: char) -> bool {
        c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii()
    }
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start)
        && chars.all(|c| is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.')
}

/// XML 1.0 `Char` production (Rust `char` already excludes surrogates).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The character a general reference stands for: one of the five predefined entities or a
/// character reference to a character XML allows.
pub(crate) fn resolve_reference(reference: &str) -> Option<char> {
    match reference {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => character_reference(reference),
    }
}

/// Appends `raw` to `out` with XML line-end normalisation (`\r\n` and lone `\r` become `\n`).
pub(crate) fn push_normalized(out: &mut String, raw: &str) {
    let mut rest = raw;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
}

/// `#N` or `#xN` → the character, if it is one XML allows.
pub(crate) fn character_reference(entity: &str) -> Option<char> {
    let number = entity.strip_prefix('#')?;
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = u32::from_str_radix(digits, radix).ok()?;
    char::from_u32(value).filter(|&c| is_xml_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_elements_with_their_text() {
        let root = parse(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R><A>1</A><B><C>x &amp; y&#13;</C><C/></B></R>",
        )
        .unwrap();
        assert_eq!(root.name, "R");
        assert_eq!(root.child_text("A"), "1");
        let texts: Vec<&str> = root
            .child("B")
            .unwrap()
            .children_named("C")
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(texts, ["x & y\r", ""]);
        assert_eq!(root.child_text("missing"), "");
    }

    #[test]
    fn references_to_characters_xml_forbids_are_refused() {
        assert!(parse(b"<R>&#0;</R>").is_err());
        assert!(parse(b"<R>&#x1F;</R>").is_err());
        assert!(parse(b"<R>&nbsp;</R>").is_err());
        assert_eq!(parse(b"<R>&#x9;&#65;</R>").unwrap().text, "\tA");
    }

    #[test]
    fn cdata_and_line_ends_are_read_as_xml_says() {
        let root = parse(b"<R><A><![CDATA[<raw>]]>\r\nnext</A></R>").unwrap();
        assert_eq!(root.child_text("A"), "<raw>\nnext");
    }

    #[test]
    fn refuses_what_is_not_well_formed() {
        for bad in [
            &b""[..],
            b"   ",
            b"garbage body",
            b"{\"json\": true}",
            b"<R><A></R>",
            b"<R>",
            b"<R/><S/>",
            b"<R>&bogus;</R>",
            b"<!DOCTYPE R [<!ENTITY x \"y\">]><R>&x;</R>",
            b"<R/>trailing",
            b"<R>\xff</R>",
            b"<>x</>",
            b"<1R/>",
        ] {
            assert!(
                parse(bad).is_err(),
                "accepted {:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn bounds_nesting() {
        let deep = format!("{}{}", "<a>".repeat(40), "</a>".repeat(40));
        let error = parse(deep.as_bytes()).unwrap_err();
        assert!(error.contains("nested more than 32"), "{error}");
    }
}
