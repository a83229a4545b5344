//! GetObject (with Range and conditions), HeadObject, GetObjectMeta and DeleteObject.

use ossffi::time::{http_date, parse_http_date};

use super::subresources::RESPONSE_OVERRIDES;
use super::{Ctx, check_echoed_value, object_body, object_headers};
use crate::error::OssError;
use crate::http::Response;
use crate::store::ObjectMeta;

/// The outcome of a GET or HEAD's conditional headers.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Precondition {
    Proceed,
    /// 304: the client's copy is current.
    NotModified,
    /// 412, naming the header that failed.
    Failed(&'static str),
}

/// True when `value` (an If-Match or If-None-Match list) names `etag` or is `*`. Entries are
/// compared with and without their double quotes: the C++ SDK sends what the caller gave,
/// quoted or not, and OSS accepts both.
fn etag_listed(value: &str, etag: &str) -> bool {
    let bare = etag.trim_matches('"');
    value.split(',').map(str::trim).any(|v| {
        let v = v.strip_prefix("W/").unwrap_or(v);
        v == "*" || v.trim_matches('"') == bare
    })
}

/// Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order of
/// RFC 9110 section 13.2.2, as OSS does for GET and HEAD: If-Match replaces
/// If-Unmodified-Since, If-None-Match replaces If-Modified-Since. A date that does not parse
/// is ignored, as HTTP requires.
pub(crate) fn evaluate_conditions(
    if_match: Option<&str>,
    if_unmodified_since: Option<&str>,
    if_none_match: Option<&str>,
    if_modified_since: Option<&str>,
    meta: &ObjectMeta,
) -> Precondition {
    let date = |v: Option<&str>| v.and_then(parse_http_date);
    match if_match {
        Some(v) if !etag_listed(v, &meta.etag) => return Precondition::Failed("If-Match"),
        Some(_) => {}
        None => {
            if date(if_unmodified_since).is_some_and(|t| meta.last_modified > t) {
                return Precondition::Failed("If-Unmodified-Since");
            }
        }
    }
    match if_none_match {
        Some(v) if etag_listed(v, &meta.etag) => Precondition::NotModified,
        Some(_) => Precondition::Proceed,
        None if date(if_modified_since).is_some_and(|t| meta.last_modified <= t) => {
            Precondition::NotModified
        }
        None => Precondition::Proceed,
    }
}

pub(crate) fn precondition_failed(header: &str) -> OssError {
    OssError::new(
        412,
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold.",
    )
    .field("Condition", header)
}

/// What a Range header selects.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Selected {
    Whole,
    /// Inclusive byte positions.
    Part(u64, u64),
    Unsatisfiable,
}

/// OSS answers the whole object for a Range it cannot use (several ranges, syntax errors, a
/// start past the end); an end past the object is clamped.
pub(crate) fn parse_range(value: &str, size: u64) -> Selected {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Selected::Whole;
    };
    if spec.contains(',') || size == 0 {
        return Selected::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Selected::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let num = |s: &str| s.parse::<u64>().ok();
    match (first.is_empty(), last.is_empty()) {
        (true, false) => match num(last) {
            Some(0) => Selected::Unsatisfiable,
            Some(n) => Selected::Part(size - n.min(size), size - 1),
            None => Selected::Whole,
        },
        (false, true) => match num(first) {
            Some(a) if a < size => Selected::Part(a, size - 1),
            Some(_) => Selected::Unsatisfiable,
            None => Selected::Whole,
        },
        (false, false) => match (num(first), num(last)) {
            (Some(a), Some(b)) if a <= b && a < size => Selected::Part(a, b.min(size - 1)),
            (Some(a), Some(b)) if a <= b => Selected::Unsatisfiable,
            _ => Selected::Whole,
        },
        (true, true) => Selected::Whole,
    }
}

pub(crate) fn get_object(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    _head: bool,
) -> Result<Response, OssError> {
    for (param, _) in RESPONSE_OVERRIDES {
        if let Some(value) = ctx.param(param) {
            check_echoed_value(param, value)?;
        }
    }
    let obj = ctx
        .state
        .store
        .get(bucket, key)
        .ok_or_else(|| OssError::no_such_key(key))?;
    match evaluate_conditions(
        ctx.header("if-match"),
        ctx.header("if-unmodified-since"),
        ctx.header("if-none-match"),
        ctx.header("if-modified-since"),
        &obj.meta,
    ) {
        Precondition::Proceed => {}
        Precondition::Failed(header) => return Err(precondition_failed(header)),
        Precondition::NotModified => {
            // A 304 has no body; it names the representation the client already holds.
            return Ok(Response::new(304)
                .header("ETag", obj.meta.etag.clone())
                .header("Last-Modified", http_date(obj.meta.last_modified)));
        }
    }
    let size = obj.meta.size;
    let standard = ctx
        .header("x-oss-range-behavior")
        .is_some_and(|v| v.eq_ignore_ascii_case("standard"));
    let selected = ctx
        .header("range")
        .map_or(Selected::Whole, |r| parse_range(r, size));
    let (status, start, len) = match selected {
        Selected::Whole => (200, 0, size),
        Selected::Part(a, b) => (206, a, b - a + 1),
        Selected::Unsatisfiable if standard => {
            return Err(OssError::new(
                416,
                "InvalidRange",
                "The requested range cannot be satisfied.",
            )
            .field("ActualObjectSize", size.to_string()));
        }
        Selected::Unsatisfiable => (200, 0, size),
    };
    let mut resp = Response::new(status);
    object_headers(&mut resp, &obj.meta);
    if status == 206 {
        resp.push_header(
            "Content-Range",
            format!("bytes {}-{}/{}", start, start + len - 1, size),
        );
    }
    for (param, header) in RESPONSE_OVERRIDES {
        if let Some(value) = ctx.param(param) {
            resp.headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case(header));
            resp.push_header(*header, value.to_string());
        }
    }
    // HEAD describes the same body; the server writes only the headers.
    Ok(resp.with_body(object_body(&obj.data, start, len)))
}

/// GetObjectMeta (`HEAD ?objectMeta`): the object's size, ETag, modification time and CRC-64,
/// without the metadata HeadObject returns.
pub(crate) fn get_object_meta(ctx: &Ctx, bucket: &str, key: &str) -> Result<Response, OssError> {
    let obj = ctx
        .state
        .store
        .get(bucket, key)
        .ok_or_else(|| OssError::no_such_key(key))?;
    let meta = &obj.meta;
    // Content-Length comes from the body the HEAD describes (the whole object).
    Ok(Response::new(200)
        .header("ETag", meta.etag.clone())
        .header("Last-Modified", http_date(meta.last_modified))
        .header("x-oss-hash-crc64ecma", meta.crc64.to_string())
        .with_body(object_body(&obj.data, 0, meta.size)))
}

/// OSS answers 204 whether or not the key existed.
pub(crate) fn delete_object(ctx: &Ctx, bucket: &str, key: &str) -> Result<Response, OssError> {
    ctx.state.store.delete(bucket, key);
    Ok(Response::new(204))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_range_is_inclusive_and_clamped() {
        assert_eq!(parse_range("bytes=0-9", 100), Selected::Part(0, 9));
        assert_eq!(parse_range("bytes=90-200", 100), Selected::Part(90, 99));
    }

    #[test]
    fn open_and_suffix_ranges() {
        assert_eq!(parse_range("bytes=10-", 100), Selected::Part(10, 99));
        assert_eq!(parse_range("bytes=-10", 100), Selected::Part(90, 99));
        assert_eq!(parse_range("bytes=-1000", 100), Selected::Part(0, 99));
    }

    #[test]
    fn unusable_ranges_select_whole_or_unsatisfiable() {
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Selected::Whole);
        assert_eq!(parse_range("items=0-1", 100), Selected::Whole);
        assert_eq!(parse_range("bytes=200-300", 100), Selected::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-1", 100), Selected::Whole);
    }

    fn meta(etag: &str, last_modified: i64) -> ObjectMeta {
        ObjectMeta {
            content_type: String::new(),
            etag: etag.into(),
            crc64: 0,
            content_md5: String::new(),
            size: 0,
            last_modified,
            user_meta: Vec::new(),
            http_headers: Vec::new(),
            object_type: "Normal".into(),
            storage_class: "Standard".into(),
        }
    }

    #[test]
    fn conditions_follow_rfc_9110_precedence() {
        let m = meta("\"E1\"", 1_000);
        let before = http_date(999);
        let at = http_date(1_000);
        let eval = |im, ius, inm, ims| evaluate_conditions(im, ius, inm, ims, &m);
        assert_eq!(
            eval(Some("\"E1\""), None, None, None),
            Precondition::Proceed
        );
        assert_eq!(eval(Some("E1"), None, None, None), Precondition::Proceed);
        assert_eq!(
            eval(Some("\"X\", \"E1\""), None, None, None),
            Precondition::Proceed
        );
        assert_eq!(eval(Some("*"), None, None, None), Precondition::Proceed);
        assert_eq!(
            eval(Some("\"X\""), None, None, None),
            Precondition::Failed("If-Match")
        );
        // If-Match holding makes If-Unmodified-Since irrelevant.
        assert_eq!(
            eval(Some("E1"), Some(&before), None, None),
            Precondition::Proceed
        );
        assert_eq!(
            eval(None, Some(&before), None, None),
            Precondition::Failed("If-Unmodified-Since")
        );
        assert_eq!(eval(None, Some(&at), None, None), Precondition::Proceed);
        assert_eq!(
            eval(None, None, Some("E1"), None),
            Precondition::NotModified
        );
        // If-None-Match not matching makes If-Modified-Since irrelevant.
        assert_eq!(
            eval(None, None, Some("X"), Some(&at)),
            Precondition::Proceed
        );
        assert_eq!(eval(None, None, None, Some(&at)), Precondition::NotModified);
        assert_eq!(eval(None, None, None, Some(&before)), Precondition::Proceed);
        // 412 wins over 304.
        assert_eq!(
            eval(Some("X"), None, Some("E1"), None),
            Precondition::Failed("If-Match")
        );
        // Dates that do not parse are ignored.
        assert_eq!(
            eval(None, Some("yesterday"), None, Some("soon")),
            Precondition::Proceed
        );
    }
}
