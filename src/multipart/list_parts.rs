//! ListParts: one page of an upload's parts, read from `ListPartsResult`.

use super::{decoded, is_url, leading_u32, unreadable_reply, xml_bool};
use crate::client::Client;
use crate::error::Error;
use crate::object::{ObjectRequest, Verb, declare, header, leading_integer, set_parameter};
use crate::operation::Operation;
use crate::xml_tree::Element;

/// One page of ListParts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPartsResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
    pub bucket: String,
    /// URL-decoded when `encoding_type` starts with `url`.
    pub key: String,
    pub upload_id: String,
    pub encoding_type: String,
    pub part_number_marker: u32,
    /// Where the next page starts (pass it as `part-number-marker`); set when `is_truncated`.
    pub next_part_number_marker: u32,
    pub max_parts: u32,
    pub is_truncated: bool,
    pub parts: Vec<Part>,
}

impl ListPartsResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

/// One uploaded part, as ListParts describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub part_number: u32,
    /// As the server wrote it (ISO 8601).
    pub last_modified: String,
    /// Without its quotes.
    pub etag: String,
    pub size: i64,
    /// `HashCrc64ecma`, 0 when absent.
    pub crc64: u64,
}

impl Client {
    /// One page of the parts uploaded so far to `request.upload_id`. Parameters `max-parts`,
    /// `part-number-marker` and `encoding-type` are sent as set, and only when set.
    ///
    /// # Errors
    /// OSS's error (`NoSuchUpload` for an upload completed or aborted), or the SDK's code
    /// `ListParts` "Parse Error" for an empty or malformed body (another root element is a
    /// success with empty fields, as in the SDK).
    pub fn list_parts(&self, request: &ObjectRequest) -> Result<ListPartsResult, Error> {
        let declared = declare(request, Verb::ListParts, "GET")?;
        let mut parameters = request.parameters.clone();
        set_parameter(&mut parameters, "uploadId", request.upload_id.as_deref());
        let response = self.invoke(Operation {
            parameters: &parameters,
            ..declared
        })?;
        let Some(mut result) = parse_list_parts(&response.body) else {
            return Err(unreadable_reply(response, "ListParts", "Parse Error"));
        };
        result.http_status = response.status;
        result.request_id = header(&response, "x-oss-request-id");
        result.headers = response.headers;
        Ok(result)
    }
}

pub(crate) fn parse_list_parts(body: &[u8]) -> Option<ListPartsResult> {
    let root = crate::xml_tree::parse(body).ok()?;
    Some(if root.name == "ListPartsResult" {
        read_list_parts(&root)
    } else {
        ListPartsResult::default()
    })
}

fn read_list_parts(root: &Element) -> ListPartsResult {
    let encoding_type = root.child_text("EncodingType").to_owned();
    let url = is_url(&encoding_type);
    ListPartsResult {
        bucket: root.child_text("Bucket").to_owned(),
        key: decoded(url, root.child_text("Key")),
        upload_id: root.child_text("UploadId").to_owned(),
        part_number_marker: leading_u32(root.child_text("PartNumberMarker")),
        next_part_number_marker: leading_u32(root.child_text("NextPartNumberMarker")),
        max_parts: leading_u32(root.child_text("MaxParts")),
        is_truncated: xml_bool(root.child_text("IsTruncated")),
        parts: root
            .children_named("Part")
            .map(|p| Part {
                part_number: leading_u32(p.child_text("PartNumber")),
                last_modified: p.child_text("LastModified").to_owned(),
                etag: p.child_text("ETag").trim_matches('"').to_owned(),
                size: leading_integer(p.child_text("Size")),
                crc64: p.child_text("HashCrc64ecma").trim().parse().unwrap_or(0),
            })
            .collect(),
        encoding_type,
        ..ListPartsResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field_of_a_page() {
        let result = parse_list_parts(
            br#"<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult>
  <EncodingType>url</EncodingType>
  <Bucket>bkt</Bucket>
  <Key>dir%2Fa%20b</Key>
  <UploadId>U1</UploadId>
  <PartNumberMarker>1</PartNumberMarker>
  <NextPartNumberMarker>3</NextPartNumberMarker>
  <MaxParts>2</MaxParts>
  <IsTruncated>true</IsTruncated>
  <Part>
    <PartNumber>2</PartNumber>
    <LastModified>2026-12-01T19:00:00.000Z</LastModified>
    <ETag>&quot;3349DC700140D7F86A0784842780E1A0&quot;</ETag>
    <HashCrc64ecma>18446744073709551615</HashCrc64ecma>
    <Size>102400</Size>
  </Part>
  <Part><PartNumber>3</PartNumber><ETag>E3</ETag><Size>5</Size></Part>
</ListPartsResult>"#,
        )
        .unwrap();
        assert_eq!(result.bucket, "bkt");
        assert_eq!(result.key, "dir/a b");
        assert_eq!(result.upload_id, "U1");
        assert_eq!(result.part_number_marker, 1);
        assert_eq!(result.next_part_number_marker, 3);
        assert_eq!(result.max_parts, 2);
        assert!(result.is_truncated);
        assert_eq!(
            result.parts,
            [
                Part {
                    part_number: 2,
                    last_modified: "2026-12-01T19:00:00.000Z".into(),
                    etag: "3349DC700140D7F86A0784842780E1A0".into(),
                    size: 102400,
                    crc64: u64::MAX,
                },
                Part {
                    part_number: 3,
                    etag: "E3".into(),
                    size: 5,
                    ..Part::default()
                },
            ]
        );
    }

    #[test]
    fn another_root_is_empty_and_malformed_or_empty_is_unreadable() {
        assert_eq!(
            parse_list_parts(b"<Other><Bucket>b</Bucket></Other>"),
            Some(ListPartsResult::default())
        );
        for body in ["", "garbage", "<ListPartsResult>"] {
            assert_eq!(parse_list_parts(body.as_bytes()), None, "{body:?}");
        }
    }
}
