//! ListMultipartUploads: `GET /?uploads` on a bucket.
//!
//! As OSS documents it (API reference "ListMultipartUploads", alibabacloud.com/help/en/oss/
//! developer-reference/listmultipartuploads): uploads are listed by key and, for one key, in
//! the order they were initiated; `key-marker` alone starts after every upload of that key,
//! with `upload-id-marker` it starts after that upload of the key (`upload-id-marker` without
//! `key-marker` is ignored); `max-uploads` defaults to 1000 and may not exceed 1000;
//! `delimiter` groups keys into `CommonPrefixes`; `encoding-type=url` encodes Delimiter,
//! KeyMarker, Prefix, NextKeyMarker and Key. Not confirmed against the service: whether
//! `max-uploads` over 1000 is refused (the emulator answers InvalidArgument as for
//! `max-keys`) or clamped, and whether NextKeyMarker is written when the list is complete
//! (the reference's example, not truncated, carries one; so does the emulator).

use std::fmt::Write as _;

use ossffi::time::iso8601_millis;

use super::{Ctx, esc};
use crate::error::OssError;
use crate::http::Response;

pub(crate) fn list_multipart_uploads(ctx: &Ctx, bucket: &str) -> Result<Response, OssError> {
    let prefix = ctx.param("prefix").unwrap_or("");
    let delimiter = ctx.param("delimiter").unwrap_or("");
    let key_marker = ctx.param("key-marker").unwrap_or("");
    let upload_id_marker = if key_marker.is_empty() {
        ""
    } else {
        ctx.param("upload-id-marker").unwrap_or("")
    };
    let max_uploads = super::page_size(ctx, "max-uploads", 1000)?;
    let all = ctx.state.store.uploads_in(bucket);
    let start = start_after_markers(&all, key_marker, upload_id_marker);
    let entries: Vec<&(String, String, i64)> = all[start..]
        .iter()
        .filter(|(k, _, _)| k.starts_with(prefix))
        .collect();

    let (mut uploads, mut prefixes) = (String::new(), String::new());
    let (mut count, mut i) = (0usize, 0usize);
    let (mut next_key, mut next_id) = ("", "");
    let mut truncated = false;
    while i < entries.len() {
        if count == max_uploads {
            truncated = true;
            break;
        }
        let (key, id, initiated) = entries[i];
        let rest = &key[prefix.len()..];
        if let Some(pos) = (!delimiter.is_empty())
            .then(|| rest.find(delimiter))
            .flatten()
        {
            let common = &key[..prefix.len() + pos + delimiter.len()];
            let _ = write!(
                prefixes,
                "  <CommonPrefixes>\n    <Prefix>{}</Prefix>\n  </CommonPrefixes>\n",
                ctx.name_out(common)
            );
            // The whole group is one entry; the markers name its last upload so that the next
            // page starts after the group.
            while i < entries.len() && entries[i].0.starts_with(common) {
                (next_key, next_id) = (&entries[i].0, &entries[i].1);
                i += 1;
            }
        } else {
            let _ = write!(
                uploads,
                "  <Upload>\n    <Key>{}</Key>\n    <UploadId>{}</UploadId>\n    <Initiated>{}</Initiated>\n  </Upload>\n",
                ctx.name_out(key),
                esc(id),
                iso8601_millis(initiated.saturating_mul(1000))
            );
            (next_key, next_id) = (key, id);
            i += 1;
        }
        count += 1;
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        xml,
        "<ListMultipartUploadsResult>\n{}  <Bucket>{}</Bucket>\n  <KeyMarker>{}</KeyMarker>\n  <UploadIdMarker>{}</UploadIdMarker>\n  <NextKeyMarker>{}</NextKeyMarker>\n  <NextUploadIdMarker>{}</NextUploadIdMarker>\n  <Delimiter>{}</Delimiter>\n  <Prefix>{}</Prefix>\n  <MaxUploads>{max_uploads}</MaxUploads>\n  <IsTruncated>{truncated}</IsTruncated>\n{uploads}{prefixes}</ListMultipartUploadsResult>\n",
        ctx.encoding_type_element(),
        esc(bucket),
        ctx.name_out(key_marker),
        esc(upload_id_marker),
        ctx.name_out(next_key),
        esc(next_id),
        ctx.name_out(delimiter),
        ctx.name_out(prefix),
    );
    Ok(Response::xml(200, xml))
}

/// Index of the first upload the markers let through, in listing order (by key, then in order
/// of initiation).
fn start_after_markers(all: &[(String, String, i64)], key_marker: &str, id_marker: &str) -> usize {
    if key_marker.is_empty() {
        return 0;
    }
    if !id_marker.is_empty() {
        // After that upload of the key when it is still listed; otherwise after the uploads
        // of the key whose id sorts before the marker, as the reference words it.
        if let Some(pos) = all
            .iter()
            .position(|(k, id, _)| k == key_marker && id == id_marker)
        {
            return pos + 1;
        }
        return all
            .iter()
            .position(|(k, id, _)| {
                k.as_str() > key_marker || (k == key_marker && id.as_str() > id_marker)
            })
            .unwrap_or(all.len());
    }
    all.iter()
        .position(|(k, _, _)| k.as_str() > key_marker)
        .unwrap_or(all.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uploads() -> Vec<(String, String, i64)> {
        [("a", "Z1", 1), ("a", "A2", 2), ("b", "M", 3)]
            .iter()
            .map(|(k, id, t)| (k.to_string(), id.to_string(), *t))
            .collect()
    }

    #[test]
    fn key_marker_alone_skips_every_upload_of_that_key() {
        assert_eq!(start_after_markers(&uploads(), "a", ""), 2);
    }

    #[test]
    fn upload_id_marker_starts_after_that_upload_in_listing_order() {
        assert_eq!(start_after_markers(&uploads(), "a", "Z1"), 1);
        assert_eq!(start_after_markers(&uploads(), "a", "A2"), 2);
    }

    #[test]
    fn no_key_marker_starts_at_the_first_upload() {
        assert_eq!(start_after_markers(&uploads(), "", ""), 0);
    }
}
