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

    let (mut uploads, mut prefixes) = (String::new(), String::new());
    let (next_key, next_id, truncated) = ctx.state.store.list_uploads(
        bucket,
        prefix,
        (key_marker, upload_id_marker),
        |listing| {
            let mut count = 0usize;
            let (mut next_key, mut next_id) = (String::new(), String::new());
            // The CommonPrefixes entry being read: all its uploads are one entry, and the
            // markers name its last upload so that the next page starts after the group.
            let mut group: Option<String> = None;
            for upload in listing {
                if !group.as_ref().is_some_and(|g| upload.key.starts_with(g.as_str())) {
                    if count == max_uploads {
                        return (next_key, next_id, true);
                    }
                    count += 1;
                    let rest = &upload.key[prefix.len()..];
                    group = (!delimiter.is_empty())
                        .then(|| rest.find(delimiter))
                        .flatten()
                        .map(|pos| upload.key[..prefix.len() + pos + delimiter.len()].to_owned());
                    match &group {
                        Some(common) => {
                            let _ = write!(
                                prefixes,
                                "  <CommonPrefixes>\n    <Prefix>{}</Prefix>\n  </CommonPrefixes>\n",
                                ctx.name_out(common)
                            );
                        }
                        None => {
                            let _ = write!(
                                uploads,
                                "  <Upload>\n    <Key>{}</Key>\n    <UploadId>{}</UploadId>\n    <Initiated>{}</Initiated>\n  </Upload>\n",
                                ctx.name_out(upload.key),
                                esc(upload.id),
                                iso8601_millis(upload.initiated.saturating_mul(1000))
                            );
                        }
                    }
                }
                upload.key.clone_into(&mut next_key);
                upload.id.clone_into(&mut next_id);
            }
            (next_key, next_id, false)
        },
    );
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        xml,
        "<ListMultipartUploadsResult>\n{}  <Bucket>{}</Bucket>\n  <KeyMarker>{}</KeyMarker>\n  <UploadIdMarker>{}</UploadIdMarker>\n  <NextKeyMarker>{}</NextKeyMarker>\n  <NextUploadIdMarker>{}</NextUploadIdMarker>\n  <Delimiter>{}</Delimiter>\n  <Prefix>{}</Prefix>\n  <MaxUploads>{max_uploads}</MaxUploads>\n  <IsTruncated>{truncated}</IsTruncated>\n{uploads}{prefixes}</ListMultipartUploadsResult>\n",
        ctx.encoding_type_element(),
        esc(bucket),
        ctx.name_out(key_marker),
        esc(upload_id_marker),
        ctx.name_out(&next_key),
        esc(&next_id),
        ctx.name_out(delimiter),
        ctx.name_out(prefix),
    );
    Ok(Response::xml(200, xml))
}
