//! OSS error bodies: `<Error><Code>..</Code><Message>..</Message>..</Error>`.
//!
//! [`parse_error_xml`] reads what a server sends (also the base64-decoded `x-oss-err` header of
//! HEAD responses); [`write_error_xml`] writes what the emulator sends. The reader is quick-xml
//! plus the well-formedness checks quick-xml leaves to its caller: it accepts an XML declaration,
//! comments, processing instructions, whitespace, the five predefined entities, character
//! references and CDATA sections, and rejects everything that is not well-formed, as well as
//! DOCTYPE declarations (no entity expansion). A hostile body is bounded in attributes per
//! element and in nesting depth; its size is bounded by the transport.

use std::fmt;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::xml_tree::{
    character_reference, is_xml_char, is_xml_name, push_normalized, resolve_reference,
};

/// An OSS error body.
///
/// The four named fields are the texts of the root's first child with that name (`""` when
/// absent); `fields` keeps every child of `<Error>` in document order, including those four,
/// so error-specific elements (`BucketName`, `StringToSign`, `ServerTime`, ...) are not lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// `<Code>`, e.g. `NoSuchBucket`.
    pub code: String,
    /// `<Message>`, human-readable.
    pub message: String,
    /// `<RequestId>`, the same as the `x-oss-request-id` response header.
    pub request_id: String,
    /// `<HostId>`, the host the request addressed.
    pub host_id: String,
    /// `<EC>`, the detailed error code `NNNN-NNNNNNNN` (also in the `x-oss-ec` header); often
    /// absent.
    pub ec: String,
    /// Every child element of `<Error>` as `(name, text)` in document order.
    pub fields: Vec<(String, String)>,
}

impl ErrorBody {
    /// The text of the first child element called `name`, if there is one.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a body is not an OSS error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// Well-formed XML whose root element is not `<Error>`.
    RootNotError,
    /// Not well-formed XML; the text says what is wrong and at which byte offset.
    Malformed(String),
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::RootNotError => f.write_str("XML root element is not <Error>"),
            XmlError::Malformed(detail) => write!(f, "malformed XML: {detail}"),
        }
    }
}

impl std::error::Error for XmlError {}

/// The most attributes one element may carry (OSS error bodies have none).
const MAX_ATTRIBUTES: usize = 32;

/// Parses an OSS error body.
///
/// # Errors
/// [`XmlError::Malformed`] when `body` is not well-formed XML (including an empty body or JSON),
/// [`XmlError::RootNotError`] when it is well-formed but its root is not `<Error>`.
pub fn parse_error_xml(body: &str) -> Result<ErrorBody, XmlError> {
    let root = read_document(body)?;
    if root.name != "Error" {
        return Err(XmlError::RootNotError);
    }
    let mut error = ErrorBody {
        fields: root.children,
        ..ErrorBody::default()
    };
    for (name, text) in &error.fields {
        let slot = match name.as_str() {
            "Code" => &mut error.code,
            "Message" => &mut error.message,
            "RequestId" => &mut error.request_id,
            "HostId" => &mut error.host_id,
            "EC" => &mut error.ec,
            _ => continue,
        };
        if slot.is_empty() {
            slot.clone_from(text);
        }
    }
    Ok(error)
}

/// Writes an OSS error body in the server's layout:
///
/// ```text
/// <?xml version="1.0" encoding="UTF-8"?>
/// <Error>
///   <Code>NoSuchBucket</Code>
///   <Message>The specified bucket does not exist.</Message>
///   <RequestId>5C3D9175B6FC201293AD4890</RequestId>
///   <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>
///   <BucketName>bucket</BucketName>
/// </Error>
/// ```
///
/// `extra` elements follow `HostId` in the given order. Texts are escaped with [`xml_escape`];
/// element names are written as given and must be valid XML names.
pub fn write_error_xml(
    code: &str,
    message: &str,
    request_id: &str,
    host_id: &str,
    extra: &[(&str, &str)],
) -> String {
    let mut out = String::with_capacity(
        160 + code.len()
            + message.len()
            + request_id.len()
            + host_id.len()
            + extra
                .iter()
                .map(|(n, v)| 2 * n.len() + v.len() + 8)
                .sum::<usize>(),
    );
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n");
    let standard = [
        ("Code", code),
        ("Message", message),
        ("RequestId", request_id),
        ("HostId", host_id),
    ];
    for (name, text) in standard.iter().chain(extra.iter()) {
        out.push_str("  <");
        out.push_str(name);
        out.push('>');
        xml_escape_into(&mut out, text);
        out.push_str("</");
        out.push_str(name);
        out.push_str(">\n");
    }
    out.push_str("</Error>\n");
    out
}

/// Escapes text for XML element content or attribute values: `& < > " '` become entities and
/// `\r` becomes `&#13;` (so it survives line-end normalisation). Characters XML 1.0 cannot carry
/// at all (C0 controls other than tab and newline, U+FFFE, U+FFFF) become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    xml_escape_into(&mut out, s);
    out
}

fn xml_escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            '\r' => "&#13;",
            c if !is_xml_char(c) => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The deepest element nesting accepted below the root (OSS error bodies are one level deep);
/// with the body-size limit this bounds what a hostile body can make the client track.
const MAX_DEPTH: usize = 32;

/// The root element reduced to what an error body needs: its name and, for each child element,
/// its name and full text content (the concatenated text of the child and its descendants).
struct Root {
    name: String,
    children: Vec<(String, String)>,
}

/// Reads the whole document with quick-xml and adds the well-formedness checks it leaves to the
/// caller (names, characters, references, the prolog, one root, attribute bounds), so that what
/// is accepted is strict XML 1.0 without DOCTYPE (no entity expansion).
fn read_document(body: &str) -> Result<Root, XmlError> {
    let body = body.strip_prefix('\u{FEFF}').unwrap_or(body);
    if let Some((at, bad)) = body.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        return Err(malformed(
            &format!("character U+{:04X} not allowed in XML", bad as u32),
            at as u64,
        ));
    }
    let mut reader = Reader::from_str(body);
    let config = reader.config_mut();
    config.check_comments = true;
    config.check_end_names = true;
    config.allow_dangling_amp = false;
    config.allow_unmatched_ends = false;
    config.expand_empty_elements = false;

    let mut root: Option<Root> = None;
    // Elements open below the root's level: 0 before and after the root, 1 inside the root, 2
    // inside one of its children, ...
    let mut depth = 0usize;
    let mut finished = false;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| malformed(&e.to_string(), reader.error_position()))?;
        match event {
            Event::Decl(_) if at == 0 => {}
            Event::Decl(_) => {
                return Err(malformed(
                    "XML declaration not at the start of the document",
                    at,
                ));
            }
            Event::PI(pi) => {
                if pi.target().eq_ignore_ascii_case("xml") {
                    return Err(malformed(
                        "XML declaration not at the start of the document",
                        at,
                    ));
                }
                check_name(pi.target(), at)?;
            }
            Event::DocType(_) => return Err(malformed("DOCTYPE is not supported", at)),
            Event::Comment(comment) => {
                if comment.ends_with('-') {
                    return Err(malformed("'--' inside a comment", at));
                }
            }
            Event::Start(_) | Event::Empty(_) if finished => {
                return Err(malformed("content after the root element", at));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let name = start.name().0;
                check_name(name, at)?;
                check_attributes(start, name, at)?;
                let self_closing = matches!(event, Event::Empty(_));
                match root.as_mut() {
                    None => {
                        root = Some(Root {
                            name: name.to_owned(),
                            children: Vec::new(),
                        });
                    }
                    Some(root) if depth == 1 => {
                        root.children.push((name.to_owned(), String::new()))
                    }
                    Some(_) => {}
                }
                if self_closing {
                    finished = depth == 0;
                } else {
                    if depth > MAX_DEPTH {
                        return Err(malformed(
                            &format!("elements nested more than {MAX_DEPTH} deep"),
                            at,
                        ));
                    }
                    depth += 1;
                }
            }
            Event::End(_) => {
                // quick-xml matches every end tag with its start tag, so depth is at least 1.
                depth = depth.saturating_sub(1);
                finished = depth == 0;
            }
            Event::Text(text) => {
                if depth == 0 {
                    if !text.bytes().all(is_xml_space) {
                        return Err(malformed(
                            if finished {
                                "content after the root element"
                            } else {
                                "expected the root element"
                            },
                            at,
                        ));
                    }
                    continue;
                }
                if text.contains("]]>") {
                    return Err(malformed("']]>' in character data", at));
                }
                if let Some(child_text) = kept_text(&mut root, depth) {
                    push_normalized(child_text, &text);
                }
            }
            Event::CData(data) => {
                if depth == 0 {
                    return Err(malformed("expected the root element", at));
                }
                if let Some(child_text) = kept_text(&mut root, depth) {
                    push_normalized(child_text, &data);
                }
            }
            Event::GeneralRef(reference) => {
                if depth == 0 {
                    return Err(malformed("expected the root element", at));
                }
                let c = resolve_reference(&reference).ok_or_else(|| {
                    malformed(
                        &format!("unknown or invalid reference &{};", &*reference),
                        at,
                    )
                })?;
                if let Some(child_text) = kept_text(&mut root, depth) {
                    child_text.push(c);
                }
            }
            Event::Eof => {
                return match root {
                    None => Err(malformed("no root element", at)),
                    Some(root) if depth > 0 => Err(malformed(
                        &format!("unexpected end of input inside <{}>", root.name),
                        at,
                    )),
                    Some(root) => Ok(root),
                };
            }
        }
    }
}

fn malformed(what: &str, at: u64) -> XmlError {
    XmlError::Malformed(format!("{what} at byte {at}"))
}

/// The text of the current direct child of the root, where text at `depth` is kept: text
/// directly inside the root (normally indentation) is checked, not kept.
fn kept_text(root: &mut Option<Root>, depth: usize) -> Option<&mut String> {
    if depth < 2 {
        return None;
    }
    root.as_mut()
        .and_then(|root| root.children.last_mut())
        .map(|(_, text)| text)
}

fn check_name(name: &str, at: u64) -> Result<(), XmlError> {
    if is_xml_name(name) {
        Ok(())
    } else {
        Err(malformed(&format!("{name:?} is not an XML name"), at))
    }
}

/// Attribute values are not needed, but they must be well-formed; at most [`MAX_ATTRIBUTES`]
/// are read, so the duplicate check (each attribute against every earlier one) stays cheap
/// whatever a hostile body holds.
fn check_attributes(start: &BytesStart<'_>, element: &str, at: u64) -> Result<(), XmlError> {
    let raw = start.attributes_raw();
    for (count, attribute) in start.attributes().enumerate() {
        if count == MAX_ATTRIBUTES {
            return Err(malformed(
                &format!("more than {MAX_ATTRIBUTES} attributes on <{element}>"),
                at,
            ));
        }
        let attribute = attribute.map_err(|e| malformed(&e.to_string(), at))?;
        check_name(attribute.key.0, at)?;
        if attribute.value.contains('<') {
            return Err(malformed("'<' in an attribute value", at));
        }
        decode_text(&attribute.value, &mut String::new()).map_err(|e| malformed(&e, at))?;
    }
    if !attributes_separated(raw) {
        return Err(malformed(&format!("malformed start tag <{element}>"), at));
    }
    Ok(())
}

/// Whether every attribute is preceded by white space, as XML requires (`a='1'b='2'` is not
/// well-formed, though quick-xml reads it).
fn attributes_separated(raw: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut after_value = false;
    for c in raw.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                after_value = true;
            }
            Some(_) => {}
            None => {
                if after_value && !c.is_ascii_whitespace() && c != '/' {
                    return false;
                }
                after_value = false;
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
            }
        }
    }
    true
}

/// Appends character data to `out`, resolving entity and character references and normalising
/// line ends. Returns a description of the first error.
fn decode_text(raw: &str, out: &mut String) -> Result<(), String> {
    if let Some(bad) = raw.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!("character U+{:04X} not allowed in XML", bad as u32));
    }
    if raw.contains("]]>") {
        return Err("']]>' in character data".to_owned());
    }
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        push_normalized(out, &rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';') else {
            return Err("unterminated entity reference".to_owned());
        };
        let entity = &after[..semi];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => character_reference(entity)
                .ok_or_else(|| format!("unknown or invalid reference &{entity};"))?,
        };
        out.push(c);
        rest = &after[semi + 1..];
    }
    push_normalized(out, rest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_SUCH_BUCKET: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>NoSuchBucket</Code>\n  <Message>The specified bucket does not exist.</Message>\n  <RequestId>5C3D9175B6FC201293AD4890</RequestId>\n  <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <BucketName>bucket</BucketName>\n</Error>\n";

    fn malformed(body: &str) -> bool {
        matches!(parse_error_xml(body), Err(XmlError::Malformed(_)))
    }

    #[test]
    fn parses_the_documented_error_body() {
        let e = parse_error_xml(NO_SUCH_BUCKET).unwrap();
        assert_eq!(e.code, "NoSuchBucket");
        assert_eq!(e.message, "The specified bucket does not exist.");
        assert_eq!(e.request_id, "5C3D9175B6FC201293AD4890");
        assert_eq!(e.host_id, "bucket.oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(e.ec, "");
        assert_eq!(e.field("BucketName"), Some("bucket"));
    }

    #[test]
    fn fields_keep_every_child_in_document_order() {
        let e = parse_error_xml(NO_SUCH_BUCKET).unwrap();
        let names: Vec<&str> = e.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["Code", "Message", "RequestId", "HostId", "BucketName"]
        );
    }

    #[test]
    fn reads_ec_when_present() {
        let e = parse_error_xml("<Error><Code>X</Code><EC>0002-00000201</EC></Error>").unwrap();
        assert_eq!(e.ec, "0002-00000201");
    }

    #[test]
    fn missing_standard_children_read_as_empty() {
        let e = parse_error_xml("<Error/>").unwrap();
        assert_eq!(e, ErrorBody::default());
    }

    #[test]
    fn first_occurrence_of_a_repeated_child_wins() {
        let e = parse_error_xml("<Error><Code>A</Code><Code>B</Code></Error>").unwrap();
        assert_eq!(e.code, "A");
        assert_eq!(e.fields.len(), 2);
    }

    #[test]
    fn resolves_predefined_entities_and_character_references() {
        let e = parse_error_xml(
            "<Error><Message>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;&#x42;&#x4e2d;</Message></Error>",
        )
        .unwrap();
        assert_eq!(e.message, "<a> & \"b\" 'c' AB中");
    }

    #[test]
    fn reads_cdata_literally() {
        let e = parse_error_xml("<Error><Message>x<![CDATA[<&>]]>y</Message></Error>").unwrap();
        assert_eq!(e.message, "x<&>y");
    }

    #[test]
    fn skips_comments_and_processing_instructions() {
        let e = parse_error_xml(
            "<!-- a --><?pi data?>\n<Error><!-- b --><Code>C<!-- c -->D</Code></Error><!-- d -->\n",
        )
        .unwrap();
        assert_eq!(e.code, "CD");
    }

    #[test]
    fn keeps_newlines_inside_text() {
        let e = parse_error_xml("<Error><StringToSign>a\nb\r\nc</StringToSign></Error>").unwrap();
        assert_eq!(e.field("StringToSign"), Some("a\nb\nc"));
    }

    #[test]
    fn child_text_includes_nested_element_text() {
        let e = parse_error_xml("<Error><Detail>a<B>b</B>c</Detail></Error>").unwrap();
        assert_eq!(e.fields, vec![("Detail".to_owned(), "abc".to_owned())]);
    }

    #[test]
    fn accepts_attributes_and_a_byte_order_mark() {
        let e = parse_error_xml("\u{FEFF}<Error xmlns='x' a=\"1\"><Code k='v'>C</Code></Error>")
            .unwrap();
        assert_eq!(e.code, "C");
    }

    #[test]
    fn an_element_with_more_than_32_attributes_is_malformed() {
        let attributes = |n: usize| (0..n).map(|i| format!(" a{i}=''")).collect::<String>();
        let at_limit = format!("<Error{}><Code>C</Code></Error>", attributes(32));
        assert_eq!(parse_error_xml(&at_limit).unwrap().code, "C");
        let over = format!("<Error{}><Code>C</Code></Error>", attributes(100_000));
        assert_eq!(
            parse_error_xml(&over),
            Err(XmlError::Malformed(
                "more than 32 attributes on <Error> at byte 0".to_owned()
            ))
        );
    }

    #[test]
    fn attributes_must_be_separated_by_white_space() {
        assert!(malformed("<Error><Code a='1'b='2'>C</Code></Error>"));
        assert_eq!(
            parse_error_xml("<Error><Code a='1'\tb=\"2\"/></Error>")
                .unwrap()
                .fields
                .len(),
            1
        );
    }

    #[test]
    fn nesting_deeper_than_32_is_malformed() {
        let nested = |n: usize| {
            format!(
                "<Error><D>{}x{}</D></Error>",
                "<a>".repeat(n),
                "</a>".repeat(n)
            )
        };
        assert_eq!(parse_error_xml(&nested(30)).unwrap().field("D"), Some("x"));
        let Err(XmlError::Malformed(why)) = parse_error_xml(&nested(100_000)) else {
            panic!("accepted a 100,000-deep body");
        };
        assert!(
            why.starts_with("elements nested more than 32 deep"),
            "{why}"
        );
    }

    #[test]
    fn other_root_is_root_not_error() {
        assert_eq!(
            parse_error_xml("<?xml version=\"1.0\"?><Result><Code>X</Code></Result>"),
            Err(XmlError::RootNotError)
        );
    }

    #[test]
    fn rejects_unclosed_tags() {
        assert!(malformed("<Error><Code>X</Code>"));
        assert!(malformed("<Error><Code>X</Error>"));
    }

    #[test]
    fn rejects_mismatched_tags() {
        assert!(malformed("<Error><Code>X</Message></Error>"));
        assert!(malformed("<Error></Errors>"));
    }

    #[test]
    fn rejects_garbage_and_non_xml_bodies() {
        assert!(malformed(""));
        assert!(malformed("   "));
        assert!(malformed("invlid data"));
        assert!(malformed("{\"Status\":\"OK\"}"));
        assert!(malformed("<Error><Code>X</Code></Error>trailing"));
        assert!(malformed("<Error/><Error/>"));
        assert!(malformed("<Error><Code>X<</Code></Error>"));
        assert!(malformed("< Error></Error>"));
    }

    #[test]
    fn rejects_bad_references() {
        assert!(malformed("<Error><Code>&nbsp;</Code></Error>"));
        assert!(malformed("<Error><Code>a & b</Code></Error>"));
        assert!(malformed("<Error><Code>&#0;</Code></Error>"));
        assert!(malformed("<Error><Code>&#xD800;</Code></Error>"));
        assert!(malformed("<Error><Code>&#x;</Code></Error>"));
    }

    #[test]
    fn rejects_doctype_and_misplaced_declarations() {
        assert!(malformed(
            "<!DOCTYPE Error [<!ENTITY x \"y\">]><Error><Code>&x;</Code></Error>"
        ));
        assert!(malformed("\n<?xml version=\"1.0\"?><Error/>"));
    }

    #[test]
    fn rejects_malformed_attributes_and_comments() {
        assert!(malformed("<Error a=1></Error>"));
        assert!(malformed("<Error a='1' a='2'></Error>"));
        assert!(malformed("<Error a='1'b='2'></Error>"));
        assert!(malformed("<Error><!-- a -- b --></Error>"));
        assert!(malformed("<Error><!-- open</Error>"));
        assert!(malformed("<Error><![CDATA[open</Error>"));
    }

    #[test]
    fn rejects_control_characters() {
        assert!(malformed("<Error><Code>\u{1}</Code></Error>"));
    }

    #[test]
    fn write_error_xml_uses_the_server_layout() {
        assert_eq!(
            write_error_xml(
                "NoSuchBucket",
                "The specified bucket does not exist.",
                "5C3D9175B6FC201293AD4890",
                "bucket.oss-cn-hangzhou.aliyuncs.com",
                &[("BucketName", "bucket")],
            ),
            NO_SUCH_BUCKET
        );
    }

    #[test]
    fn write_error_xml_escapes_text_and_round_trips() {
        let message = "a<b>&\"c\"'d'\r\ne\nf";
        let xml = write_error_xml("C", message, "R", "H", &[("StringToSign", "x\ny")]);
        assert!(
            xml.contains("<Message>a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#13;\ne\nf</Message>")
        );
        let e = parse_error_xml(&xml).unwrap();
        assert_eq!(e.message, message);
        assert_eq!(e.field("StringToSign"), Some("x\ny"));
    }

    #[test]
    fn xml_escape_replaces_characters_xml_cannot_carry() {
        assert_eq!(xml_escape("a\u{0}b\u{1b}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
    }

    #[test]
    fn xml_escape_leaves_plain_text_alone() {
        assert_eq!(xml_escape("plain text 中文"), "plain text 中文");
    }

    #[test]
    fn xml_error_display_says_what_is_wrong() {
        assert_eq!(
            XmlError::RootNotError.to_string(),
            "XML root element is not <Error>"
        );
        let Err(e) = parse_error_xml("<Error>") else {
            panic!("accepted an unclosed root");
        };
        assert_eq!(
            e.to_string(),
            "malformed XML: unexpected end of input inside <Error> at byte 7"
        );
    }
}
