//! Multipart uploads in progress under `--data-dir`, so that they survive a restart as they
//! survive anything on OSS (an upload lives until it is completed or aborted).
//!
//! Each upload is a directory `<dir>/<bucket>/.uploads/<upload id>/` holding `upload.json`
//! (what Initiate set and the list of parts) and one file per part. The record is rewritten
//! (temporary file, then rename) after Initiate and after every part, so a crash leaves either
//! the old list or the new one; a part file whose record never named it is ignored at load.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use ossffi::encoding::hex_upper;
use serde_json::{Value, json};

use super::{ObjectData, Part, Upload, pairs, read_pairs};

const UPLOADS_DIR: &str = ".uploads";
const RECORD_FILE: &str = "upload.json";

/// Upload ids are the emulator's own hex strings; anything else never names a directory.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub(super) fn upload_dir(data_dir: &Path, bucket: &str, id: &str) -> Option<PathBuf> {
    valid_id(id).then(|| data_dir.join(bucket).join(UPLOADS_DIR).join(id))
}

/// Where part `number` with digest `md5` is kept. Named by the digest too, so that a part sent
/// again does not overwrite the file of the part it replaces until the record names the new one.
pub(super) fn part_path(upload_dir: &Path, number: u32, md5: &[u8; 16]) -> PathBuf {
    upload_dir.join(format!("part-{number}-{}", hex_upper(md5)))
}

pub(super) fn write_record(upload_dir: &Path, upload: &Upload) -> io::Result<()> {
    let parts: Vec<Value> = upload
        .parts
        .values()
        .map(|p| {
            let file = match &p.data {
                Some(ObjectData::File(path)) => {
                    path.file_name().map(|n| n.to_string_lossy().into_owned())
                }
                _ => None,
            };
            json!({
                "number": p.number,
                "md5": hex_upper(&p.md5),
                "crc64": p.crc64.to_string(),
                "size": p.size,
                "last_modified": p.last_modified,
                "file": file,
            })
        })
        .collect();
    let doc = json!({
        "bucket": upload.bucket,
        "key": upload.key,
        "content_type": upload.content_type,
        "user_meta": pairs(&upload.user_meta),
        "http_headers": pairs(&upload.http_headers),
        "storage_class": upload.storage_class,
        "initiated": upload.initiated,
        "order": upload.order,
        "sequential": upload.sequential,
        "parts": parts,
    });
    fs::create_dir_all(upload_dir)?;
    let temp = upload_dir.join(format!("{RECORD_FILE}.tmp"));
    fs::write(&temp, doc.to_string())?;
    fs::rename(&temp, upload_dir.join(RECORD_FILE))
}

/// The uploads kept under a bucket's directory, as (upload id, upload).
pub(super) fn load(bucket_dir: &Path) -> Vec<(String, Upload)> {
    let Ok(entries) = fs::read_dir(bucket_dir.join(UPLOADS_DIR)) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let e = e.ok()?;
            let id = e.file_name().to_string_lossy().into_owned();
            if !valid_id(&id) {
                return None;
            }
            Some((id, read_record(&e.path())?))
        })
        .collect()
}

fn md5_from_hex(hex: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    if hex.len() != 32 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn read_record(upload_dir: &Path) -> Option<Upload> {
    let doc: Value = serde_json::from_slice(&fs::read(upload_dir.join(RECORD_FILE)).ok()?).ok()?;
    let s = |name: &str| doc.get(name).and_then(Value::as_str).map(str::to_string);
    let mut parts = std::collections::BTreeMap::new();
    for p in doc.get("parts")?.as_array()? {
        let number = u32::try_from(p.get("number")?.as_u64()?).ok()?;
        // No file: a part of `--sink` mode, which keeps no bytes. A part file removed by hand
        // is a part OSS no longer has: left out.
        let data = match p.get("file")?.as_str() {
            None => None,
            Some(name) => {
                let file = upload_dir.join(name);
                if file.parent() != Some(upload_dir) || !file.is_file() {
                    continue;
                }
                Some(ObjectData::File(file))
            }
        };
        parts.insert(
            number,
            Part {
                number,
                md5: md5_from_hex(p.get("md5")?.as_str()?)?,
                crc64: p.get("crc64")?.as_str()?.parse().ok()?,
                size: p.get("size")?.as_u64()?,
                last_modified: p.get("last_modified")?.as_i64()?,
                data,
            },
        );
    }
    let upload = Upload {
        bucket: s("bucket")?,
        key: s("key")?,
        content_type: s("content_type")?,
        user_meta: read_pairs(&doc, "user_meta"),
        http_headers: read_pairs(&doc, "http_headers"),
        storage_class: s("storage_class")?,
        initiated: doc.get("initiated")?.as_i64()?,
        order: doc.get("order")?.as_u64()?,
        sequential: doc.get("sequential")?.as_bool()?,
        parts,
    };
    // Echoed in response headers on GET once completed: a hand-edited CR or LF is refused.
    let header_safe = std::iter::once(&upload.content_type)
        .chain(upload.user_meta.iter().map(|(_, v)| v))
        .chain(upload.http_headers.iter().map(|(_, v)| v))
        .all(|v| crate::ops::is_field_value(v));
    header_safe.then_some(upload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_hex_round_trips_and_rejects_bad_input() {
        let md5 = [0xABu8; 16];
        assert_eq!(md5_from_hex(&hex_upper(&md5)), Some(md5));
        assert_eq!(md5_from_hex("AB"), None);
        assert_eq!(md5_from_hex(&"G".repeat(32)), None);
    }

    #[test]
    fn upload_ids_that_are_not_plain_names_get_no_directory() {
        let dir = Path::new("/data");
        assert!(upload_dir(dir, "b", "../x").is_none());
        assert!(upload_dir(dir, "b", "").is_none());
        assert_eq!(
            upload_dir(dir, "b", "ABC123"),
            Some(PathBuf::from("/data/b/.uploads/ABC123"))
        );
    }
}
