//! DeleteMultipleObjects (`POST /?delete`): up to 1,000 keys named in an XML body that must
//! carry a Content-MD5, answered with every deleted key (verbose) or with nothing (quiet).

use std::fmt::Write as _;
use std::io::Read;

use md5::{Digest, Md5};
use ossffi::encoding::base64_encode;
use quick_xml::events::Event;

use super::Ctx;
use super::body::{body_error, check_declared};
use super::put::content_md5;
use super::xml_body::{malformed, reference_text};
use crate::error::OssError;
use crate::http::{Body, Framing, Response};
use crate::route::check_key;

/// The largest request body read: 1,000 keys of 1,023 bytes, each escaped, fit well within it.
pub(crate) const MAX_DELETE_XML: u64 = 2 << 20;
/// OSS deletes at most this many objects per request.
const MAX_KEYS: usize = 1000;

/// What the request body asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct DeleteRequest {
    pub quiet: bool,
    pub keys: Vec<String>,
}

pub(crate) fn delete_objects(
    ctx: &Ctx,
    bucket: &str,
    body: &mut Body,
) -> Result<Response, OssError> {
    super::bucket::check_encoding_type(ctx)?;
    // OSS refuses the request before reading it when the digest is missing (EC 0016-00000606).
    let Some(expected) = content_md5(ctx)? else {
        return Err(
            OssError::new(400, "MissingArgument", "Missing Some Required Arguments.")
                .field("ArgumentName", "Content-MD5")
                .ec("0016-00000606"),
        );
    };
    let xml = read_body(body)?;
    let got: [u8; 16] = Md5::digest(&xml).into();
    if got != expected {
        return Err(OssError::new(
            400,
            "InvalidDigest",
            "The Content-MD5 you specified was invalid.",
        )
        .field("Content-MD5", ctx.header("content-md5").unwrap_or(""))
        .field("CalculatedContentMD5", base64_encode(&got)));
    }
    let xml = std::str::from_utf8(&xml).map_err(|_| malformed("the body is not UTF-8"))?;
    let request = parse_delete(xml)?;
    for key in &request.keys {
        check_key(key)?;
    }
    let mut deleted = String::new();
    for key in &request.keys {
        // OSS reports a key that did not exist as deleted too.
        ctx.state.store.delete(bucket, key);
        let _ = write!(
            deleted,
            "  <Deleted>\n    <Key>{}</Key>\n  </Deleted>\n",
            ctx.name_out(key)
        );
    }
    if request.quiet {
        // Quiet mode lists only failures; with none, OSS sends no body at all.
        return Ok(Response::new(200));
    }
    Ok(Response::xml(
        200,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult>\n{}{deleted}</DeleteResult>\n",
            ctx.encoding_type_element()
        ),
    ))
}

/// The body, at most [`MAX_DELETE_XML`] bytes (declared or chunked).
fn read_body(body: &mut Body) -> Result<Vec<u8>, OssError> {
    if let Framing::Length(n) = body.framing() {
        check_declared(Some(n), MAX_DELETE_XML)?;
    }
    let mut xml = Vec::new();
    (&mut *body)
        .take(MAX_DELETE_XML + 1)
        .read_to_end(&mut xml)
        .map_err(body_error)?;
    check_declared(Some(xml.len() as u64), MAX_DELETE_XML)?;
    if xml.is_empty() {
        return Err(malformed("the body is empty"));
    }
    Ok(xml)
}

/// Where the parser is in `<Delete><Quiet/><Object><Key/><VersionId/></Object>...</Delete>`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Top,
    Delete,
    Quiet,
    Object,
    Key,
    VersionId,
    Done,
}

/// Parses the request body with a real XML parser: entities and character references are
/// resolved, CDATA is text, and anything outside the schema is MalformedXML.
pub(crate) fn parse_delete(xml: &str) -> Result<DeleteRequest, OssError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut at = At::Top;
    let mut text = String::new();
    let mut quiet = None;
    let mut keys = Vec::new();
    let mut key: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(&format!("{e}")))?;
        match event {
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err(malformed("a DOCTYPE is not allowed")),
            Event::Start(e) => {
                let name = e.name();
                at = match (at, name.as_ref()) {
                    (At::Top, "Delete") => At::Delete,
                    (At::Delete, "Quiet") if quiet.is_none() => At::Quiet,
                    (At::Delete, "Object") => {
                        if keys.len() == MAX_KEYS {
                            return Err(malformed("at most 1000 objects can be deleted at once"));
                        }
                        key = None;
                        At::Object
                    }
                    (At::Object, "Key") if key.is_none() => At::Key,
                    (At::Object, "VersionId") => At::VersionId,
                    (_, other) => {
                        return Err(malformed(&format!("unexpected element <{other}>")));
                    }
                };
                text.clear();
            }
            Event::Empty(e) => {
                let name = e.name();
                match (at, name.as_ref()) {
                    (At::Object, "Key") => return Err(malformed("an object key is empty")),
                    (At::Object, "VersionId") => {}
                    (At::Delete, "Quiet") => return Err(malformed("<Quiet> is empty")),
                    (At::Top, "Delete") => return Err(malformed("no object is named")),
                    (_, other) => {
                        return Err(malformed(&format!("unexpected element <{other}>")));
                    }
                }
            }
            Event::Text(t) => {
                if matches!(at, At::Quiet | At::Key | At::VersionId) {
                    text.push_str(&t.xml10_content());
                } else if !t.trim().is_empty() {
                    return Err(malformed("text outside an element"));
                }
            }
            Event::CData(c) => {
                if !matches!(at, At::Quiet | At::Key | At::VersionId) {
                    return Err(malformed("CDATA outside an element"));
                }
                text.push_str(&c.xml10_content());
            }
            Event::GeneralRef(r) => {
                if !matches!(at, At::Quiet | At::Key | At::VersionId) {
                    return Err(malformed("a reference outside an element"));
                }
                text.push_str(&reference_text(&r)?);
            }
            Event::End(_) => {
                at = match at {
                    At::Quiet => {
                        quiet = Some(match text.trim() {
                            t if t.eq_ignore_ascii_case("true") => true,
                            t if t.eq_ignore_ascii_case("false") => false,
                            _ => return Err(malformed("<Quiet> is true or false")),
                        });
                        At::Delete
                    }
                    At::Key => {
                        if text.is_empty() {
                            return Err(malformed("an object key is empty"));
                        }
                        key = Some(std::mem::take(&mut text));
                        At::Object
                    }
                    At::VersionId => {
                        // Without versioning every object has the one version OSS calls "null".
                        if text.trim() != "null" {
                            return Err(OssError::not_implemented(&format!(
                                "Object versions (<VersionId>{}</VersionId> in DeleteMultipleObjects)",
                                text.trim()
                            )));
                        }
                        At::Object
                    }
                    At::Object => {
                        keys.push(
                            key.take()
                                .ok_or_else(|| malformed("an <Object> has no <Key>"))?,
                        );
                        At::Delete
                    }
                    At::Delete => At::Done,
                    At::Top | At::Done => return Err(malformed("an unexpected end tag")),
                };
            }
            Event::Eof => break,
        }
    }
    if at != At::Done {
        return Err(malformed("the document ends early"));
    }
    if keys.is_empty() {
        return Err(malformed("no object is named"));
    }
    Ok(DeleteRequest {
        quiet: quiet.unwrap_or(false),
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_body_with_escaped_keys_parses() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete>\n  <Quiet>false</Quiet>\n  <Object>\n    <Key>a/b</Key>\n  </Object>\n  <Object>\n    <Key>c&lt;&amp;&gt;&#13;&#x41;</Key>\n  </Object>\n</Delete>\n";
        assert_eq!(
            parse_delete(xml).unwrap(),
            DeleteRequest {
                quiet: false,
                keys: vec!["a/b".into(), "c<&>\rA".into()],
            }
        );
    }

    #[test]
    fn keys_keep_their_spaces_and_cdata_is_text() {
        let xml = "<Delete><Quiet>TRUE</Quiet><Object><Key> a </Key></Object><Object><Key><![CDATA[<x>]]></Key><VersionId>null</VersionId></Object></Delete>";
        let r = parse_delete(xml).unwrap();
        assert!(r.quiet);
        assert_eq!(r.keys, vec![" a ".to_string(), "<x>".to_string()]);
    }

    #[test]
    fn documents_outside_the_schema_are_malformed() {
        for xml in [
            "",
            "<Delete></Delete>",
            "<Delete><Object></Object></Delete>",
            "<Delete><Object><Key></Key></Object></Delete>",
            "<Delete><Object><Key>a</Key></Object>",
            "<Delete><Object><Key>a</Key></Object></Delete><Delete/>",
            "<Other><Object><Key>a</Key></Object></Other>",
            "<Delete><Quiet>maybe</Quiet><Object><Key>a</Key></Object></Delete>",
            "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",
            "<Delete><Object><Key>a&nbsp;</Key></Object></Delete>",
            "<!DOCTYPE d [<!ENTITY x \"y\">]><Delete><Object><Key>&x;</Key></Object></Delete>",
            "<Delete><Object><Key>a</Object></Key></Delete>",
        ] {
            let e = parse_delete(xml).unwrap_err();
            assert_eq!(e.code, "MalformedXML", "{xml}: {}", e.message);
        }
    }

    #[test]
    fn more_than_a_thousand_keys_are_refused() {
        let object = "<Object><Key>k</Key></Object>";
        let ok = format!("<Delete>{}</Delete>", object.repeat(1000));
        assert_eq!(parse_delete(&ok).unwrap().keys.len(), 1000);
        let over = format!("<Delete>{}</Delete>", object.repeat(1001));
        assert_eq!(parse_delete(&over).unwrap_err().code, "MalformedXML");
    }
}
