//! OSS error bodies: `<Error><Code>..</Code><Message>..</Message>..</Error>`.
//!
//! [`parse_error_xml`] reads what a server sends (also the base64-decoded `x-oss-err` header of
//! HEAD responses); [`write_error_xml`] writes what the emulator sends. The reader is a small,
//! strict XML 1.0 parser: it accepts an XML declaration, comments, processing instructions,
//! whitespace, the five predefined entities, character references and CDATA sections, and rejects
//! everything that is not well-formed, as well as DOCTYPE declarations (no entity expansion).

use std::fmt;

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
    let root = Reader::new(body).document()?;
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

/// XML 1.0 `Char` production (Rust `char` already excludes surrogates).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The root element reduced to what an error body needs: its name and, for each child element,
/// its name and full text content (the concatenated text of the child and its descendants).
struct Root {
    name: String,
    children: Vec<(String, String)>,
}

/// A one-pass, non-validating, strict reader over the whole document.
struct Reader<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(src: &'a str) -> Self {
        Reader { src, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn error(&self, what: &str) -> XmlError {
        XmlError::Malformed(format!("{what} at byte {}", self.pos))
    }

    fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    fn expect(&mut self, s: &str, what: &str) -> Result<(), XmlError> {
        if self.starts_with(s) {
            self.pos += s.len();
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn skip_space(&mut self) -> bool {
        let skipped = self.rest().bytes().take_while(|&b| is_xml_space(b)).count();
        self.pos += skipped;
        skipped > 0
    }

    /// Advances past the next `terminator`, returning the text before it.
    fn until(&mut self, terminator: &str, what: &str) -> Result<&'a str, XmlError> {
        let Some(offset) = self.rest().find(terminator) else {
            return Err(self.error(what));
        };
        let text = &self.rest()[..offset];
        if let Some(bad) = text.chars().find(|&c| !is_xml_char(c)) {
            return Err(self.error(&format!(
                "character U+{:04X} not allowed in XML",
                bad as u32
            )));
        }
        self.pos += offset + terminator.len();
        Ok(text)
    }

    fn name(&mut self) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        let mut chars = rest.char_indices();
        match chars.next() {
            Some((_, c)) if is_name_start(c) => {}
            _ => return Err(self.error("expected an XML name")),
        }
        let end = chars
            .find(|&(_, c)| !is_name_char(c))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += end;
        Ok(&rest[..end])
    }

    /// The whole document: prolog, exactly one root element, trailing misc.
    fn document(mut self) -> Result<Root, XmlError> {
        if self.starts_with("\u{FEFF}") {
            self.pos += '\u{FEFF}'.len_utf8();
        }
        if self.starts_with("<?xml")
            && self.rest()[5..].starts_with(|c: char| c.is_ascii_whitespace() || c == '?')
        {
            self.pos += 5;
            self.until("?>", "unterminated XML declaration")?;
        }
        self.misc()?;
        if !self.starts_with("<") || self.starts_with("<!") || self.starts_with("<?") {
            return Err(if self.rest().is_empty() {
                self.error("no root element")
            } else if self.starts_with("<!DOCTYPE") {
                self.error("DOCTYPE is not supported")
            } else {
                self.error("expected the root element")
            });
        }
        let root = self.root_element()?;
        self.misc()?;
        if !self.rest().is_empty() {
            return Err(self.error("content after the root element"));
        }
        Ok(root)
    }

    /// Whitespace, comments and processing instructions (outside the root element).
    fn misc(&mut self) -> Result<(), XmlError> {
        loop {
            self.skip_space();
            if self.starts_with("<!--") {
                self.comment()?;
            } else if self.starts_with("<?") {
                self.processing_instruction()?;
            } else {
                return Ok(());
            }
        }
    }

    fn comment(&mut self) -> Result<(), XmlError> {
        self.pos += 4;
        let text = self.until("-->", "unterminated comment")?;
        if text.contains("--") || text.ends_with('-') {
            return Err(self.error("'--' inside a comment"));
        }
        Ok(())
    }

    fn processing_instruction(&mut self) -> Result<(), XmlError> {
        self.pos += 2;
        let target = self.name()?;
        if target.eq_ignore_ascii_case("xml") {
            return Err(self.error("XML declaration not at the start of the document"));
        }
        self.until("?>", "unterminated processing instruction")?;
        Ok(())
    }

    /// Parses a start tag (after `<`), returning its name and whether it was self-closing.
    fn start_tag(&mut self) -> Result<(&'a str, bool), XmlError> {
        self.pos += 1;
        let name = self.name()?;
        let mut attributes: Vec<&str> = Vec::new();
        loop {
            let had_space = self.skip_space();
            if self.starts_with("/>") {
                self.pos += 2;
                return Ok((name, true));
            }
            if self.starts_with(">") {
                self.pos += 1;
                return Ok((name, false));
            }
            if !had_space {
                return Err(self.error(&format!("malformed start tag <{name}>")));
            }
            let attribute = self.name()?;
            // The duplicate check compares with every earlier attribute; the bound keeps a
            // hostile body of many attributes from costing quadratic time.
            if attributes.len() == MAX_ATTRIBUTES {
                return Err(self.error(&format!(
                    "more than {MAX_ATTRIBUTES} attributes on <{name}>"
                )));
            }
            if attributes.contains(&attribute) {
                return Err(self.error(&format!("duplicate attribute {attribute}")));
            }
            attributes.push(attribute);
            self.skip_space();
            self.expect("=", "expected '=' after attribute name")?;
            self.skip_space();
            let quote = match self.rest().as_bytes().first() {
                Some(b'"') => "\"",
                Some(b'\'') => "'",
                _ => return Err(self.error("expected a quoted attribute value")),
            };
            self.pos += 1;
            let value = self.until(quote, "unterminated attribute value")?;
            if value.contains('<') {
                return Err(self.error("'<' in an attribute value"));
            }
            // Validate references; attribute values themselves are not needed.
            decode_text(value, &mut String::new()).map_err(|e| self.error(&e))?;
        }
    }

    /// The root element and its content. Child texts are collected for the direct children; the
    /// text of deeper descendants is appended to the child that contains them.
    fn root_element(&mut self) -> Result<Root, XmlError> {
        let (root_name, self_closing) = self.start_tag()?;
        let mut root = Root {
            name: root_name.to_owned(),
            children: Vec::new(),
        };
        if self_closing {
            return Ok(root);
        }
        // Open elements below the root; element 0 of the stack is the current direct child.
        let mut open: Vec<&'a str> = Vec::new();
        loop {
            let text_end = self
                .rest()
                .find('<')
                .map_or(self.src.len(), |i| self.pos + i);
            let text = &self.src[self.pos..text_end];
            if !text.is_empty() {
                match root.children.last_mut() {
                    Some((_, child_text)) if !open.is_empty() => {
                        decode_text(text, child_text).map_err(|e| self.error(&e))?;
                    }
                    _ => {
                        // Text directly inside <Error> (normally indentation) is checked, not kept.
                        decode_text(text, &mut String::new()).map_err(|e| self.error(&e))?;
                    }
                }
                self.pos = text_end;
            }
            if self.rest().is_empty() {
                return Err(self.error(&format!(
                    "unexpected end of input inside <{}>",
                    open.last().copied().unwrap_or(root_name)
                )));
            }
            if self.starts_with("</") {
                self.pos += 2;
                let name = self.name()?;
                self.skip_space();
                self.expect(">", "expected '>' to close an end tag")?;
                match open.pop() {
                    Some(expected) if expected == name => {}
                    Some(expected) => {
                        return Err(
                            self.error(&format!("end tag </{name}> does not match <{expected}>"))
                        );
                    }
                    None if name == root_name => return Ok(root),
                    None => {
                        return Err(
                            self.error(&format!("end tag </{name}> does not match <{root_name}>"))
                        );
                    }
                }
            } else if self.starts_with("<!--") {
                self.comment()?;
            } else if self.starts_with("<![CDATA[") {
                self.pos += 9;
                let data = self.until("]]>", "unterminated CDATA section")?;
                if let Some((_, child_text)) = root.children.last_mut().filter(|_| !open.is_empty())
                {
                    push_normalized(child_text, data);
                }
            } else if self.starts_with("<?") {
                self.processing_instruction()?;
            } else if self.starts_with("<!") {
                return Err(self.error("markup declaration inside an element"));
            } else {
                let (name, self_closing) = self.start_tag()?;
                if open.is_empty() {
                    root.children.push((name.to_owned(), String::new()));
                }
                if !self_closing {
                    open.push(name);
                }
            }
        }
    }
}

/// Appends `raw` to `out` with XML line-end normalisation (`\r\n` and lone `\r` become `\n`).
fn push_normalized(out: &mut String, raw: &str) {
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

/// `#N` or `#xN` → the character, if it is one XML allows.
fn character_reference(entity: &str) -> Option<char> {
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
                "more than 32 attributes on <Error> at byte 224".to_owned()
            ))
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
