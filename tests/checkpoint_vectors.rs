//! The resumable upload's checkpoint record against `checkpoints.json`, records the C++ SDK
//! wrote: the file name and every byte, and that ossffi reads each back as intact (so an
//! upload the SDK began resumes under ossffi).

use std::fs;

use ossffi::time::sdk_gmt_time;
use ossffi::transfer::checkpoint::{Record, file_name};
use serde_json::Value;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/checkpoints.json"
);

fn vectors() -> Vec<Value> {
    let text = fs::read_to_string(VECTORS).expect("reading checkpoints.json");
    let file: Value = serde_json::from_str(&text).expect("parsing checkpoints.json");
    let vectors = file["vectors"].as_array().expect("vectors array").clone();
    assert!(!vectors.is_empty(), "checkpoints.json has no vectors");
    vectors
}

fn text(v: &Value, name: &str) -> String {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is a string"))
        .to_owned()
}

fn number(v: &Value, name: &str) -> u64 {
    v[name]
        .as_u64()
        .unwrap_or_else(|| panic!("{name} is a number"))
}

#[test]
fn records_are_written_byte_for_byte_as_the_sdk_writes_them() {
    for vector in vectors() {
        let id = text(&vector, "id");
        let input = &vector["input"];
        let expected = &vector["expected"];
        let mtime = sdk_gmt_time(number(input, "file_mtime_unix") as i64).expect("mtime in range");
        let record = Record::new(
            &text(input, "bucket"),
            &text(input, "key"),
            &text(input, "file_path"),
            &mtime,
            number(input, "file_size"),
            number(input, "part_size"),
            &text(input, "upload_id"),
        );
        assert_eq!(record.to_text(), text(expected, "record"), "{id}: record");
        assert_eq!(
            file_name(
                &text(input, "file_path"),
                &text(input, "bucket"),
                &text(input, "key")
            ),
            text(expected, "record_file_name"),
            "{id}: file name"
        );
    }
}

#[test]
fn records_the_sdk_wrote_read_back_intact_and_edits_are_caught() {
    for vector in vectors() {
        let id = text(&vector, "id");
        let bytes = text(&vector["expected"], "record");
        let record = Record::parse(bytes.as_bytes()).unwrap_or_else(|| panic!("{id} parses"));
        assert!(record.is_intact(), "{id} is intact");
        assert_eq!(record.to_text(), bytes, "{id} round-trips");
        assert_eq!(record.upload_id, text(&vector["input"], "upload_id"));
        assert_eq!(record.size, number(&vector["input"], "file_size"));

        // The SDK's own test: drop filePath, and the md5Sum no longer matches.
        let without_path: String = bytes
            .lines()
            .filter(|line| !line.contains("\"filePath\""))
            .collect::<Vec<_>>()
            .join("\n");
        let edited = Record::parse(without_path.as_bytes()).expect("still JSON");
        assert!(!edited.is_intact(), "{id} without filePath");
        let resized = bytes.replacen("\"size\" : ", "\"size\" : 1", 1);
        assert!(
            !Record::parse(resized.as_bytes()).unwrap().is_intact(),
            "{id} resized"
        );
        assert_eq!(
            Record::parse(&bytes.as_bytes()[..bytes.len() / 2]),
            None,
            "{id} cut"
        );
    }
}
