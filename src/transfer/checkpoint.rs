//! The resumable upload's checkpoint record, byte for byte as the C++ SDK writes it, so that an
//! upload interrupted under either library resumes under the other.
//!
//! The SDK writes the record with jsoncpp 1.8.4's styled writer: members in ascending name
//! order, one per line after a tab, no trailing newline. `md5Sum` is the upper-case hex MD5 of
//! the same text without the `md5Sum` line, which is how the SDK tells an intact record from an
//! edited or damaged one.

use crate::digest::md5_of;

/// The only kind of record ossffi writes and resumes.
pub const OP_TYPE: &str = "ResumableUpload";

/// What a checkpoint file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub bucket: String,
    /// The file's path exactly as the caller gave it.
    pub file_path: String,
    pub key: String,
    pub md5_sum: String,
    /// The file's modification time as the SDK's `ToGmtTime` writes it.
    pub mtime: String,
    pub op_type: String,
    pub part_size: u64,
    pub size: u64,
    pub upload_id: String,
}

impl Record {
    /// A record for a new upload, its `md5Sum` computed.
    pub fn new(
        bucket: &str,
        key: &str,
        file_path: &str,
        mtime: &str,
        size: u64,
        part_size: u64,
        upload_id: &str,
    ) -> Record {
        let mut record = Record {
            bucket: bucket.to_owned(),
            file_path: file_path.to_owned(),
            key: key.to_owned(),
            md5_sum: String::new(),
            mtime: mtime.to_owned(),
            op_type: OP_TYPE.to_owned(),
            part_size,
            size,
            upload_id: upload_id.to_owned(),
        };
        record.md5_sum = record.expected_md5_sum();
        record
    }

    /// The file's bytes as the SDK writes them.
    pub fn to_text(&self) -> String {
        self.styled(Some(&self.md5_sum))
    }

    /// The `md5Sum` these fields must carry to be intact.
    pub fn expected_md5_sum(&self) -> String {
        md5_of(self.styled(None).as_bytes()).etag()
    }

    /// Whether the record is intact (its `md5Sum` matches its fields) and usable: a record of a
    /// resumable upload with a part size, which the SDK would divide by were it 0.
    pub fn is_intact(&self) -> bool {
        self.op_type == OP_TYPE
            && self.part_size > 0
            && !self.upload_id.is_empty()
            && self.md5_sum == self.expected_md5_sum()
    }

    /// Reads a record; `None` for text that is not a JSON object or whose members have the
    /// wrong types. Missing members read as `""` or 0, as jsoncpp reads them (which leaves the
    /// record failing [`Record::is_intact`]).
    pub fn parse(text: &[u8]) -> Option<Record> {
        let value: serde_json::Value = serde_json::from_slice(text).ok()?;
        let object = value.as_object()?;
        let string = |name: &str| match object.get(name) {
            None | Some(serde_json::Value::Null) => Some(String::new()),
            Some(value) => value.as_str().map(str::to_owned),
        };
        let number = |name: &str| match object.get(name) {
            None | Some(serde_json::Value::Null) => Some(0),
            Some(value) => value.as_u64(),
        };
        Some(Record {
            bucket: string("bucket")?,
            file_path: string("filePath")?,
            key: string("key")?,
            md5_sum: string("md5Sum")?,
            mtime: string("mtime")?,
            op_type: string("opType")?,
            part_size: number("partSize")?,
            size: number("size")?,
            upload_id: string("uploadID")?,
        })
    }

    fn styled(&self, md5_sum: Option<&str>) -> String {
        let mut members: Vec<(&str, String)> = vec![
            ("bucket", quoted(&self.bucket)),
            ("filePath", quoted(&self.file_path)),
            ("key", quoted(&self.key)),
        ];
        if let Some(md5_sum) = md5_sum {
            members.push(("md5Sum", quoted(md5_sum)));
        }
        members.extend([
            ("mtime", quoted(&self.mtime)),
            ("opType", quoted(&self.op_type)),
            ("partSize", self.part_size.to_string()),
            ("size", self.size.to_string()),
            ("uploadID", quoted(&self.upload_id)),
        ]);
        let body: Vec<String> = members
            .iter()
            .map(|(name, value)| format!("\t\"{name}\" : {value}"))
            .collect();
        format!("{{\n{}\n}}", body.join(",\n"))
    }
}

/// The record's file name inside the checkpoint directory: the SDK's `ComputeContentETag` of
/// the path as given, `--`, and that of `oss://bucket/key`.
pub fn file_name(file_path: &str, bucket: &str, key: &str) -> String {
    format!(
        "{}--{}",
        md5_of(file_path.as_bytes()).etag(),
        md5_of(format!("oss://{bucket}/{key}").as_bytes()).etag()
    )
}

/// jsoncpp 1.8.4's string quoting: the two-character escapes for `"`, `\` and five control
/// characters, `\u` and four lower-case hex digits for other control characters and for every
/// code point beyond ASCII (UTF-16 surrogate pairs above U+FFFF); `/` and DEL as they are.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_jsoncpp() {
        assert_eq!(
            quoted("d\u{e9}j\u{e0}/q\"b\\s/\u{1}x"),
            r#""d\u00e9j\u00e0/q\"b\\s/\u0001x""#
        );
        assert_eq!(quoted("\u{1F600}\u{7f}"), "\"\\ud83d\\ude00\u{7f}\"");
        assert_eq!(quoted("\u{8}\u{c}\n\r\t"), r#""\b\f\n\r\t""#);
    }

    #[test]
    fn a_new_record_is_intact_and_reads_back() {
        let record = Record::new(
            "bkt",
            "dir/mp.bin",
            "/data/f300k.bin",
            "Tue, 01 Dec 2026 13:59:27 GMT",
            307_300,
            102_400,
            "UPLOAD0140",
        );
        // tests/checkpoint_vectors.rs checks the bytes against the SDK's records.
        assert!(record.is_intact());
        assert_eq!(Record::parse(record.to_text().as_bytes()), Some(record));
        assert_eq!(
            file_name("/data/f300k.bin", "bkt", "dir/mp.bin"),
            format!(
                "{}--D0854252702A40E8EEEDA7122AC7BF3E",
                md5_of(b"/data/f300k.bin").etag()
            )
        );
    }

    #[test]
    fn damaged_records_are_not_intact() {
        let record = Record::new("b", "k", "f", "m", 10, 5, "U");
        let mut edited = record.clone();
        edited.size = 11;
        assert!(!edited.is_intact());
        // `{}` parses, with every member empty or 0: the SDK divides by its part size.
        let empty = Record::parse(b"{}").unwrap();
        assert!(!empty.is_intact());
        assert_eq!(Record::parse(b"not json"), None);
        assert_eq!(Record::parse(b"[1]"), None);
        assert_eq!(Record::parse(br#"{"size": "ten"}"#), None);
        assert_eq!(Record::parse(br#"{"size": -1}"#), None);
    }
}
