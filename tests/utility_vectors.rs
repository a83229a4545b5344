//! The C++ SDK's utility functions (spec-2 section 6) in the safe core, against `crc64.json`:
//! `ComputeContentMD5`/`ComputeContentETag` are `ossffi::digest`, `ComputeCRC64` with a running
//! value is `crc64_update`, `CombineCRC64` is `combine`.

use std::fs;

use ossffi::crc64::{combine, crc64_update};
use ossffi::digest::{Md5Digest, md5_of};
use serde_json::Value;

const CRC64_VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/crc64.json");

fn vectors() -> Vec<Value> {
    let text = fs::read_to_string(CRC64_VECTORS).expect("reading crc64.json");
    let file: Value = serde_json::from_str(&text).expect("parsing crc64.json");
    file["vectors"].as_array().expect("vectors array").clone()
}

/// Bytes of a body spec: `{"utf8": ..}` or `{"pattern": "i%251", "length": n}`.
fn body(spec: &Value) -> Vec<u8> {
    if let Some(s) = spec["utf8"].as_str() {
        return s.as_bytes().to_vec();
    }
    assert_eq!(spec["pattern"], "i%251", "unknown body spec {spec}");
    let length = spec["length"].as_u64().expect("pattern length");
    (0..length).map(|i| (i % 251) as u8).collect()
}

fn decimal(v: &Value) -> u64 {
    v.as_str().expect("decimal string").parse().expect("u64")
}

/// `(id, bytes, expected)` for each whole body, single or the concatenation of parts.
fn bodies() -> Vec<(String, Vec<u8>, Value)> {
    vectors()
        .into_iter()
        .map(|v| {
            let id = v["id"].as_str().expect("id").to_owned();
            let input = &v["input"];
            if input["body"].is_null() {
                let parts: Vec<u8> = input["parts"]
                    .as_array()
                    .expect("parts")
                    .iter()
                    .flat_map(|part| body(&part["spec"]))
                    .collect();
                (id, parts, v["expected"]["whole"].clone())
            } else {
                (id, body(&input["body"]["spec"]), v["expected"].clone())
            }
        })
        .collect()
}

#[test]
fn compute_content_md5_and_etag_match_every_body() {
    let all = bodies();
    assert_eq!(all.len(), 5);
    for (id, data, expected) in all {
        let md5 = md5_of(&data);
        assert_eq!(md5.content_md5(), expected["content_md5_base64"], "{id}");
        assert_eq!(
            format!("\"{}\"", md5.etag()),
            expected["etag_for_put_object"],
            "{id}"
        );
    }
}

#[test]
fn md5_fed_in_pieces_matches_every_body() {
    for (id, data, expected) in bodies() {
        let mut md5 = Md5Digest::new();
        for piece in data.chunks(10_007) {
            md5.update(piece);
        }
        assert_eq!(md5.content_md5(), expected["content_md5_base64"], "{id}");
    }
}

#[test]
fn compute_crc64_from_a_running_value_matches_every_body() {
    for (id, data, expected) in bodies() {
        let crc = data.chunks(65_483).fold(0, crc64_update);
        assert_eq!(crc, decimal(&expected["x-oss-hash-crc64ecma"]), "{id}");
    }
}

#[test]
fn combine_crc64_joins_the_parts_of_the_combine_vector() {
    let v = vectors()
        .into_iter()
        .find(|v| v["id"] == "crc-combine-hello")
        .expect("crc-combine-hello");
    let parts: Vec<Vec<u8>> = v["input"]["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|part| body(&part["spec"]))
        .collect();
    let expected = &v["expected"];
    let part_crcs: Vec<u64> = expected["part_crc64_decimal"]
        .as_array()
        .expect("part CRCs")
        .iter()
        .map(decimal)
        .collect();
    for (part, &crc) in parts.iter().zip(&part_crcs) {
        assert_eq!(crc64_update(0, part), crc);
    }
    assert_eq!(
        combine(part_crcs[0], part_crcs[1], parts[1].len() as u64),
        decimal(&expected["combined_crc64_decimal"])
    );
    assert_eq!(
        crc64_update(part_crcs[0], &parts[1]),
        decimal(&expected["combined_crc64_decimal"])
    );
}
