//! What the operations that read an XML request body (DeleteMultipleObjects, PutBucket) share:
//! OSS's MalformedXML answer and the resolution of entity and character references.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::BytesRef;

use crate::error::OssError;

/// 400 MalformedXML, saying what is wrong after OSS's own sentence.
pub(super) fn malformed(why: &str) -> OssError {
    OssError::new(
        400,
        "MalformedXML",
        format!(
            "The XML you provided was not well-formed or did not validate against our published schema: {why}."
        ),
    )
}

/// The text a reference stands for: a character reference or one of XML's five entities. An
/// unknown entity (no DOCTYPE can declare one) or a bad character reference is malformed.
pub(super) fn reference_text(reference: &BytesRef<'_>) -> Result<String, OssError> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Ok(c.to_string()),
        Ok(None) => resolve_predefined_entity(reference)
            .map(str::to_owned)
            .ok_or_else(|| malformed(&format!("unknown entity &{};", &**reference))),
        Err(_) => Err(malformed("a bad character reference")),
    }
}
