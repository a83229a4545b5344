//! Header lists as requests and results carry them: `(name, value)` pairs in order, names
//! compared without regard to ASCII case, as HTTP and the SDK's `HeaderCollection` do.

/// The value of the first header called `name`.
pub(crate) fn find<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Sets `name` the way the SDK's `ObjectMetaData::addHeader` does: the value replaced, the first
/// spelling of the name kept.
pub(crate) fn set(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    match headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        Some(entry) => entry.1 = value.to_owned(),
        None => headers.push((name.to_owned(), value.to_owned())),
    }
}

/// Removes every header called `name`.
pub(crate) fn remove(headers: &mut Vec<(String, String)>, name: &str) {
    headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
}

/// The SDK's `setCallback(callback, callbackVar)`: both `x-oss-callback` headers removed, then
/// each non-empty one set, so "" clears it.
pub(crate) fn set_callback(
    headers: &mut Vec<(String, String)>,
    callback: &str,
    callback_var: &str,
) {
    remove(headers, "x-oss-callback");
    remove(headers, "x-oss-callback-var");
    if !callback.is_empty() {
        set(headers, "x-oss-callback", callback);
    }
    if !callback_var.is_empty() {
        set(headers, "x-oss-callback-var", callback_var);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_case_and_keep_their_first_spelling() {
        let mut headers = vec![("Content-Type".to_owned(), "a".to_owned())];
        set(&mut headers, "content-type", "b");
        set(&mut headers, "x-oss-meta-k", "v");
        assert_eq!(find(&headers, "CONTENT-TYPE"), Some("b"));
        assert_eq!(headers[0].0, "Content-Type");
        remove(&mut headers, "X-OSS-META-K");
        assert_eq!(find(&headers, "x-oss-meta-k"), None);
        assert_eq!(headers.len(), 1);
    }

    #[test]
    fn set_callback_replaces_both_and_clears_with_empty_text() {
        let mut headers = vec![("X-OSS-Callback-Var".to_owned(), "old".to_owned())];
        set_callback(&mut headers, "cb", "var");
        assert_eq!(find(&headers, "x-oss-callback"), Some("cb"));
        assert_eq!(find(&headers, "x-oss-callback-var"), Some("var"));
        assert_eq!(headers.len(), 2);
        set_callback(&mut headers, "cb2", "");
        assert_eq!(find(&headers, "x-oss-callback"), Some("cb2"));
        assert_eq!(find(&headers, "x-oss-callback-var"), None);
    }
}
