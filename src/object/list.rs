//! ListObjects: one page of a bucket's keys, read from `ListBucketResult`.

use super::request::Verb;
use super::{ObjectRequest, declare, parse_error, url_decoded_if};
use crate::client::Client;
use crate::error::Error;
use crate::xml_tree::Element;

/// One page of ListObjects. With `encoding-type=url` OSS percent-encodes the names; they are
/// decoded here (Key, CommonPrefixes, Delimiter, Marker, NextMarker, Prefix), as the SDK does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListObjectsResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    /// The bucket.
    pub name: String,
    pub prefix: String,
    pub marker: String,
    /// Where the next page starts (pass it as `marker`); set when `is_truncated`.
    pub next_marker: String,
    pub delimiter: String,
    /// 0 when the reply has none.
    pub max_keys: i64,
    pub is_truncated: bool,
    pub encoding_type: String,
    /// The keys rolled up under `delimiter`, each ending with it.
    pub common_prefixes: Vec<String>,
    pub contents: Vec<ObjectSummary>,
}

impl ListObjectsResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

/// One object of a ListObjects page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectSummary {
    pub key: String,
    /// Without its quotes.
    pub etag: String,
    /// 0 when the reply has none.
    pub size: i64,
    /// As the server wrote it (ISO 8601, `2026-12-01T17:00:00.000Z`).
    pub last_modified: String,
    pub storage_class: String,
    /// `Normal`, `Multipart`, `Appendable`, `Symlink`.
    pub object_type: String,
    pub owner_id: String,
    pub owner_display_name: String,
    /// Present for an archived object being restored or restored.
    pub restore_info: String,
}

impl Client {
    /// One page of the bucket's objects. Parameters `prefix`, `marker`, `delimiter`, `max-keys`
    /// and `encoding-type` are sent as set, and only when set (an empty prefix is sent bare).
    ///
    /// # Errors
    /// OSS's error, or `ParseXMLError` "Parsing ListObject result fail." for an empty or
    /// malformed body (another root element is a success with empty fields, as in the SDK).
    pub fn list_objects(&self, request: &ObjectRequest) -> Result<ListObjectsResult, Error> {
        let response = self.invoke(declare(request, Verb::ListObjects, "GET")?)?;
        let Some(mut result) = parse_list(&response.body) else {
            return Err(parse_error(response, "Parsing ListObject result fail."));
        };
        result.http_status = response.status;
        result.request_id = super::header(&response, "x-oss-request-id");
        result.headers = response.headers;
        Ok(result)
    }
}

/// The SDK's reading of a ListObjects body: `None` when it is empty or not XML; another root
/// than `ListBucketResult` reads as an empty page.
pub(crate) fn parse_list(body: &[u8]) -> Option<ListObjectsResult> {
    match crate::xml_tree::parse(body) {
        Ok(root) if root.name == "ListBucketResult" => Some(read_list(&root)),
        Ok(_) => Some(ListObjectsResult::default()),
        Err(_) => None,
    }
}

fn read_list(root: &Element) -> ListObjectsResult {
    let encoding_type = root.child_text("EncodingType").to_owned();
    let url = encoding_type
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("url"));
    let name = |text: &str| url_decoded_if(url, text);
    ListObjectsResult {
        name: root.child_text("Name").to_owned(),
        prefix: name(root.child_text("Prefix")),
        marker: name(root.child_text("Marker")),
        next_marker: name(root.child_text("NextMarker")),
        delimiter: name(root.child_text("Delimiter")),
        max_keys: leading_integer(root.child_text("MaxKeys")),
        is_truncated: root.child_text("IsTruncated").starts_with("true"),
        common_prefixes: root
            .children_named("CommonPrefixes")
            .map(|c| name(c.child_text("Prefix")))
            .collect(),
        contents: root
            .children_named("Contents")
            .map(|c| {
                let owner = c.child("Owner");
                let owner_text = |field| owner.map_or("", |o| o.child_text(field)).to_owned();
                ObjectSummary {
                    key: name(c.child_text("Key")),
                    etag: c.child_text("ETag").trim_matches('"').to_owned(),
                    size: leading_integer(c.child_text("Size")),
                    last_modified: c.child_text("LastModified").to_owned(),
                    storage_class: c.child_text("StorageClass").to_owned(),
                    object_type: c.child_text("Type").to_owned(),
                    owner_id: owner_text("ID"),
                    owner_display_name: owner_text("DisplayName"),
                    restore_info: c.child_text("RestoreInfo").to_owned(),
                }
            })
            .collect(),
        encoding_type,
        ..ListObjectsResult::default()
    }
}

/// `atoll`'s reading: optional leading white space and sign, then digits; 0 when there are none.
pub(crate) fn leading_integer(text: &str) -> i64 {
    let text = text.trim_start();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    let value = digits[..end].parse::<i64>().unwrap_or(0);
    if negative { -value } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ListObjectsResult {
        parse_list(body.as_bytes()).expect("a readable body")
    }

    #[test]
    fn an_empty_or_malformed_body_is_unreadable() {
        for body in ["", "  \n", "garbage body", "<ListBucketResult>", "<A></B>"] {
            assert_eq!(parse_list(body.as_bytes()), None, "{body:?}");
        }
    }

    #[test]
    fn another_root_reads_as_an_empty_page() {
        let result = parse("<ListAllMyBucketsResult><Name>x</Name></ListAllMyBucketsResult>");
        assert_eq!(result, ListObjectsResult::default());
    }

    #[test]
    fn reads_every_field_of_a_page() {
        let result = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>bkt</Name>
  <Prefix>dir/</Prefix>
  <Marker>dir/a</Marker>
  <MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter>
  <IsTruncated>true</IsTruncated>
  <NextMarker>dir/c</NextMarker>
  <Contents>
    <Key>dir/b</Key>
    <LastModified>2026-12-01T00:00:00.000Z</LastModified>
    <ETag>"5EB63BBBE01EEED093CB22BB8F5ACDC3"</ETag>
    <Type>Normal</Type>
    <Size>11</Size>
    <StorageClass>Archive</StorageClass>
    <Owner><ID>1234</ID><DisplayName>someone</DisplayName></Owner>
    <RestoreInfo>ongoing-request="true"</RestoreInfo>
  </Contents>
  <CommonPrefixes><Prefix>dir/sub/</Prefix></CommonPrefixes>
</ListBucketResult>"#,
        );
        assert_eq!(result.name, "bkt");
        assert_eq!(result.prefix, "dir/");
        assert_eq!(result.marker, "dir/a");
        assert_eq!(result.next_marker, "dir/c");
        assert_eq!(result.delimiter, "/");
        assert_eq!(result.max_keys, 2);
        assert!(result.is_truncated);
        assert_eq!(result.common_prefixes, ["dir/sub/"]);
        assert_eq!(
            result.contents,
            [ObjectSummary {
                key: "dir/b".into(),
                etag: "5EB63BBBE01EEED093CB22BB8F5ACDC3".into(),
                size: 11,
                last_modified: "2026-12-01T00:00:00.000Z".into(),
                storage_class: "Archive".into(),
                object_type: "Normal".into(),
                owner_id: "1234".into(),
                owner_display_name: "someone".into(),
                restore_info: "ongoing-request=\"true\"".into(),
            }]
        );
    }

    #[test]
    fn url_encoding_type_decodes_the_names_case_insensitively() {
        let result = parse(
            "<ListBucketResult><EncodingType>URL</EncodingType><Prefix>p%2F</Prefix><Marker>m%20k</Marker>\
             <NextMarker>n%26</NextMarker><Delimiter>%2F</Delimiter><Name>b%20x</Name>\
             <Contents><Key>a%20b%2F%E4%B8%AD+</Key></Contents>\
             <CommonPrefixes><Prefix>p%2Fq%2F</Prefix></CommonPrefixes></ListBucketResult>",
        );
        assert_eq!(result.encoding_type, "URL");
        assert_eq!(result.prefix, "p/");
        assert_eq!(result.marker, "m k");
        assert_eq!(result.next_marker, "n&");
        assert_eq!(result.delimiter, "/");
        assert_eq!(result.name, "b%20x", "the bucket name is not decoded");
        assert_eq!(result.contents[0].key, "a b/中+", "'+' stays '+'");
        assert_eq!(result.common_prefixes, ["p/q/"]);
    }

    #[test]
    fn without_url_encoding_names_stay_as_sent() {
        let result = parse("<ListBucketResult><Prefix>p%2F</Prefix></ListBucketResult>");
        assert_eq!(result.prefix, "p%2F");
    }

    #[test]
    fn missing_numbers_read_as_zero_and_truncation_as_false() {
        let result = parse(
            "<ListBucketResult><MaxKeys>x</MaxKeys><Contents><Key>k</Key></Contents></ListBucketResult>",
        );
        assert_eq!(result.max_keys, 0);
        assert!(!result.is_truncated);
        assert_eq!(result.contents[0].size, 0);
        assert_eq!(leading_integer(" -5x"), -5);
    }
}
