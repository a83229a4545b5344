//! GetObject (with Range), HeadObject and DeleteObject.

use super::subresources::RESPONSE_OVERRIDES;
use super::{Ctx, check_echoed_value, object_body, object_headers};
use crate::error::OssError;
use crate::http::Response;

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
}
