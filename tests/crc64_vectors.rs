//! `crc64.json` (every vector: single bodies, the 1 MiB pattern and the combine vector) and the
//! `crc` crate's CRC-64/XZ as an independent oracle.

use std::fs;

use md5::{Digest, Md5};
use ossffi::crc64::{Crc64, combine, crc64};
use ossffi::encoding::{base64_encode, hex_upper};
use serde_json::Value;

const CRC64_VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/crc64.json");

const ORACLE: crc::Crc<u64> = crc::Crc::<u64>::new(&crc::CRC_64_XZ);

fn vectors() -> Vec<Value> {
    let text = fs::read_to_string(CRC64_VECTORS).expect("reading crc64.json");
    let file: Value = serde_json::from_str(&text).expect("parsing crc64.json");
    let vectors = file["vectors"].as_array().expect("vectors array").clone();
    assert!(!vectors.is_empty(), "crc64.json has no vectors");
    vectors
}

fn id(v: &Value) -> &str {
    v["id"].as_str().expect("vector id")
}

/// Bytes of a body spec: `{"utf8": ..}`, `{"hex": ..}` or `{"pattern": .., "length": n}`.
fn body(spec: &Value) -> Vec<u8> {
    if let Some(s) = spec["utf8"].as_str() {
        return s.as_bytes().to_vec();
    }
    if let Some(hex) = spec["hex"].as_str() {
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex body"))
            .collect();
    }
    let length = spec["length"].as_u64().expect("pattern length");
    let byte: fn(u64) -> u8 = match spec["pattern"].as_str().expect("body spec") {
        "i%251" => |i| (i % 251) as u8,
        "(i*7+3)%256" => |i| ((i * 7 + 3) % 256) as u8,
        "0xff" => |_| 0xff,
        other => panic!("unknown body pattern {other}"),
    };
    (0..length).map(byte).collect()
}

fn decimal(v: &Value) -> u64 {
    v.as_str()
        .expect("decimal string")
        .parse()
        .expect("unsigned decimal")
}

/// `(bytes, expected digests)` for every body a vector describes: its single body, or each
/// part and the whole of a combine vector.
fn bodies(v: &Value) -> Vec<(Vec<u8>, &Value)> {
    let input = &v["input"];
    let expected = &v["expected"];
    if !input["body"].is_null() {
        return vec![(body(&input["body"]["spec"]), expected)];
    }
    let parts: Vec<Vec<u8>> = input["parts"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: neither body nor parts", id(v)))
        .iter()
        .map(|part| body(&part["spec"]))
        .collect();
    vec![(parts.concat(), &expected["whole"])]
}

#[test]
fn crc64_of_each_body_is_its_x_oss_hash_crc64ecma() {
    let mut checked = 0;
    for v in vectors() {
        for (data, expected) in bodies(&v) {
            assert_eq!(
                data.len() as u64,
                expected["length"].as_u64().unwrap(),
                "{}",
                id(&v)
            );
            assert_eq!(
                crc64(&data).to_string(),
                expected["x-oss-hash-crc64ecma"].as_str().unwrap(),
                "{}",
                id(&v)
            );
            assert_eq!(
                format!("{:016x}", crc64(&data)),
                expected["crc64_hex"].as_str().unwrap(),
                "{}",
                id(&v)
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 5);
}

#[test]
fn content_md5_and_put_object_etag_match_every_body() {
    for v in vectors() {
        for (data, expected) in bodies(&v) {
            let md5 = Md5::digest(&data);
            assert_eq!(
                base64_encode(&md5),
                expected["content_md5_base64"].as_str().unwrap(),
                "{}",
                id(&v)
            );
            assert_eq!(
                format!("\"{}\"", hex_upper(&md5)),
                expected["etag_for_put_object"].as_str().unwrap(),
                "{}",
                id(&v)
            );
        }
    }
}

#[test]
fn streaming_updates_in_odd_chunks_match_every_body() {
    for v in vectors() {
        for (data, expected) in bodies(&v) {
            let mut crc = Crc64::new();
            for chunk in data.chunks(4093) {
                crc.update(chunk);
            }
            assert_eq!(
                crc.value(),
                decimal(&expected["x-oss-hash-crc64ecma"]),
                "{}",
                id(&v)
            );
        }
    }
}

#[test]
fn combine_of_part_crcs_matches_the_combine_vector() {
    let mut checked = 0;
    for v in vectors().iter().filter(|v| !v["input"]["parts"].is_null()) {
        let expected = &v["expected"];
        let parts: Vec<Vec<u8>> = v["input"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|part| body(&part["spec"]))
            .collect();
        let part_crcs: Vec<u64> = parts.iter().map(|p| crc64(p)).collect();
        let expected_parts: Vec<u64> = expected["part_crc64_decimal"]
            .as_array()
            .unwrap()
            .iter()
            .map(decimal)
            .collect();
        assert_eq!(part_crcs, expected_parts, "{}", id(v));

        let combined = parts
            .iter()
            .zip(&part_crcs)
            .fold(0, |acc, (part, &crc)| combine(acc, crc, part.len() as u64));
        assert_eq!(
            combined,
            decimal(&expected["combined_crc64_decimal"]),
            "{}",
            id(v)
        );
        checked += 1;
    }
    assert_eq!(checked, 1, "crc64.json has one combine vector");
}

/// Deterministic pseudo-random bytes (xorshift64*).
fn pseudo_random(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn crc64_agrees_with_the_crc_crate_on_pseudo_random_data() {
    let lengths = (0..=300).chain([1023, 1024, 1025, 4096, 65_537, 1 << 20]);
    for (i, len) in lengths.enumerate() {
        let data = pseudo_random(len, 0x9E37_79B9_7F4A_7C15 ^ i as u64);
        assert_eq!(crc64(&data), ORACLE.checksum(&data), "length {len}");
    }
}

#[test]
fn combine_agrees_with_the_crc_of_the_concatenation_on_pseudo_random_splits() {
    let data = pseudo_random(100_003, 42);
    for split in [
        0, 1, 7, 8, 9, 255, 256, 4097, 65_536, 99_999, 100_002, 100_003,
    ] {
        let (a, b) = data.split_at(split);
        assert_eq!(
            combine(crc64(a), crc64(b), b.len() as u64),
            ORACLE.checksum(&data),
            "split at {split}"
        );
    }
}
