//! Every signing vector of `postobject.json` (made with ali-oss 6.23.0), byte for byte: the
//! policy JSON text, its base64, the V4 signing key, the signature and the ordered form fields.
//!
//! The vectors give the policy as text; each test rebuilds it with [`PostPolicy`] from the
//! conditions the text holds and the form fields the vector lists, then requires the very same
//! text. The two `*-verbatim-*` vectors sign a hand-written text as it is
//! ([`PostSigner::auth_fields`]) and also rebuild the compact text ali-oss would sign instead.
//! Any vector member this file does not know fails the test, so nothing is skipped silently.

use std::fs;

use ossffi::post_object::{Condition, PostPolicy, PostSignatureVersion, PostSigner};
use ossffi::signing::{Credentials, v4};
use ossffi::time::parse_rfc3339;
use serde_json::Value;

const POSTOBJECT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/postobject.json"
);

const INPUT_MEMBERS: &[&str] = &[
    "signature_version",
    "region",
    "sdk_region_option",
    "bucket",
    "access_key_id",
    "access_key_secret",
    "security_token",
    "signing_time_utc",
    "process_timezone_when_generated",
    "policy_text",
    "file",
];

const EXPECTED_MEMBERS: &[&str] = &[
    "x_oss_date",
    "signing_date",
    "x_oss_credential",
    "policy_base64",
    "string_to_sign",
    "signing_key_hex",
    "signing_key_chain_hex",
    "signature",
    "signature_if_text_were_normalised_by_policy2Str",
    "policy_text_normalised",
    "post_url",
    "form_fields",
    "object_key_after_filename_substitution",
];

/// The signature fields [`PostSigner::auth_fields`] writes.
const AUTH_FIELDS: &[&str] = &[
    "OSSAccessKeyId",
    "Signature",
    "policy",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-signature",
    "x-oss-security-token",
];

/// Conditions [`PostPolicy`] writes itself, before the caller's.
const AUTOMATIC_CONDITIONS: &[&str] = &[
    "bucket",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-security-token",
    "callback",
];

type Fields = Vec<(String, String)>;

fn file() -> Value {
    let text =
        fs::read_to_string(POSTOBJECT).unwrap_or_else(|e| panic!("reading {POSTOBJECT}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {POSTOBJECT}: {e}"))
}

fn vectors() -> Vec<Value> {
    let vectors = file()["vectors"]
        .as_array()
        .expect("a vectors array")
        .clone();
    assert_eq!(vectors.len(), 12, "postobject.json should hold 12 vectors");
    vectors
}

fn text<'v>(value: &'v Value, member: &str) -> &'v str {
    value[member]
        .as_str()
        .unwrap_or_else(|| panic!("{member} is not a string in {value}"))
}

fn id(vector: &Value) -> &str {
    text(vector, "id")
}

fn is_verbatim(vector: &Value) -> bool {
    vector["expected"].get("policy_text_normalised").is_some()
}

fn signer(vector: &Value) -> PostSigner {
    let input = &vector["input"];
    let credentials = Credentials {
        access_key_id: text(input, "access_key_id").to_owned(),
        access_key_secret: text(input, "access_key_secret").to_owned(),
        security_token: input["security_token"].as_str().map(str::to_owned),
    };
    let version = match text(input, "signature_version") {
        "OSS4-HMAC-SHA256" => PostSignatureVersion::V4 {
            // The option ali-oss was given (`oss-cn-hangzhou`): the signer drops `oss-` as it does.
            region: text(input, "sdk_region_option").to_owned(),
            signing_time: parse_rfc3339(text(input, "signing_time_utc")).expect("a signing time"),
        },
        "V1 (HMAC-SHA1)" => PostSignatureVersion::V1,
        other => panic!("{}: unknown signature_version {other}", id(vector)),
    };
    PostSigner::new(credentials, version).unwrap_or_else(|e| panic!("{}: {e:?}", id(vector)))
}

/// The form fields before the file part, checking that the file part is last.
fn expected_fields(vector: &Value) -> Fields {
    let parts = vector["expected"]["form_fields"]
        .as_array()
        .expect("form_fields");
    let (file_part, fields) = parts.split_last().expect("at least the file part");
    assert_eq!(
        text(file_part, "name"),
        "file",
        "{}: file must be the last part",
        id(vector)
    );
    assert_eq!(file_part["filename"], vector["input"]["file"]["filename"]);
    fields
        .iter()
        .map(|f| {
            let name = text(f, "name");
            assert_ne!(name, "file", "{}: a second file part", id(vector));
            (name.to_owned(), text(f, "value").to_owned())
        })
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("not a string: {v}"))
                .to_owned()
        })
        .collect()
}

/// The caller's condition for one policy entry, `None` for one the builder writes itself.
fn condition(entry: &Value) -> Option<Condition> {
    if let Some(object) = entry.as_object() {
        assert_eq!(
            object.len(),
            1,
            "an object condition has one property: {entry}"
        );
        let (field, value) = object.iter().next().unwrap();
        if AUTOMATIC_CONDITIONS.contains(&field.as_str()) {
            return None;
        }
        let value = value.as_str().expect("a string value").to_owned();
        return Some(Condition::Exact {
            field: field.clone(),
            value,
        });
    }
    let items = entry
        .as_array()
        .unwrap_or_else(|| panic!("not a condition: {entry}"));
    let op = items[0].as_str().expect("an operator");
    if op == "content-length-range" {
        assert_eq!(items.len(), 3, "{entry}");
        let bound = |v: &Value| v.as_u64().unwrap_or_else(|| panic!("bad bound in {entry}"));
        return Some(Condition::ContentLengthRange {
            min: bound(&items[1]),
            max: bound(&items[2]),
        });
    }
    assert_eq!(items.len(), 3, "{entry}");
    let field = items[1]
        .as_str()
        .and_then(|f| f.strip_prefix('$'))
        .expect("a $field")
        .to_owned();
    Some(match op {
        "eq" => Condition::Eq {
            field,
            value: items[2].as_str().expect("a value").to_owned(),
        },
        "starts-with" => Condition::StartsWith {
            field,
            prefix: items[2].as_str().expect("a prefix").to_owned(),
        },
        "in" => Condition::In {
            field,
            values: strings(&items[2]),
        },
        "not-in" => Condition::NotIn {
            field,
            values: strings(&items[2]),
        },
        other => panic!("unknown policy condition operator {other:?} in {entry}"),
    })
}

/// A [`PostPolicy`] holding the vector's conditions and form fields.
fn rebuilt_policy(vector: &Value, policy_text: &str, fields: &Fields) -> PostPolicy {
    let policy: Value = serde_json::from_str(policy_text).expect("policy JSON");
    let members: Vec<&String> = policy
        .as_object()
        .expect("a policy object")
        .keys()
        .collect();
    assert_eq!(
        members.len(),
        2,
        "{}: policy members {members:?}",
        id(vector)
    );
    let expiration = text(&policy, "expiration");
    assert!(
        expiration.ends_with(".000Z"),
        "{}: whole seconds only",
        id(vector)
    );
    let mut built = PostPolicy::new(
        text(&vector["input"], "bucket"),
        parse_rfc3339(expiration).expect("an expiration"),
    );
    for entry in policy["conditions"].as_array().expect("conditions") {
        if let Some(condition) = condition(entry) {
            built.condition(condition);
        }
    }
    for (name, value) in fields {
        match name.as_str() {
            "key" => {
                built.key(value.as_str());
            }
            "callback" => {
                built.callback(value.as_str());
            }
            _ if name.starts_with("x:") => {
                built.callback_var(name.as_str(), value.as_str());
            }
            _ if AUTH_FIELDS.contains(&name.as_str()) => {}
            _ => {
                built.field(name.as_str(), value.as_str());
            }
        }
    }
    built
}

fn field<'f>(fields: &'f Fields, name: &str) -> &'f str {
    let found = fields.iter().find(|(n, _)| n == name);
    &found
        .unwrap_or_else(|| panic!("no {name} field in {fields:?}"))
        .1
}

#[test]
fn every_vector_uses_only_known_members() {
    for vector in vectors() {
        for (section, known) in [("input", INPUT_MEMBERS), ("expected", EXPECTED_MEMBERS)] {
            for member in vector[section].as_object().expect("an object").keys() {
                assert!(
                    known.contains(&member.as_str()),
                    "{}: {section}.{member} is not understood by this test",
                    id(&vector)
                );
            }
        }
        assert_eq!(vector["cross_checks"], true, "{}", id(&vector));
    }
}

#[test]
fn built_policies_are_byte_equal_to_every_compact_vector() {
    let mut checked = 0;
    for vector in vectors().iter().filter(|v| !is_verbatim(v)) {
        let expected = expected_fields(vector);
        let policy_text = text(&vector["input"], "policy_text");
        let policy = rebuilt_policy(vector, policy_text, &expected);
        let signer = signer(vector);
        let built_text = policy
            .policy_text(&signer)
            .unwrap_or_else(|e| panic!("{}: {e:?}", id(vector)));
        assert_eq!(built_text, policy_text, "{}: policy text", id(vector));
        let fields = policy.sign(&signer).unwrap();
        assert_eq!(fields, expected, "{}: form fields", id(vector));
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn signatures_match_every_vector() {
    for vector in vectors() {
        let expected = &vector["expected"];
        let fields = signer(&vector).auth_fields(text(&vector["input"], "policy_text"));
        assert_eq!(
            field(&fields, "policy"),
            text(expected, "policy_base64"),
            "{}",
            id(&vector)
        );
        assert_eq!(
            field(&fields, "policy"),
            text(expected, "string_to_sign"),
            "{}",
            id(&vector)
        );
        let signature_field = if vector["expected"].get("x_oss_date").is_some() {
            "x-oss-signature"
        } else {
            "Signature"
        };
        assert_eq!(
            field(&fields, signature_field),
            text(expected, "signature"),
            "{}",
            id(&vector)
        );
        let sent: Fields = expected_fields(&vector)
            .into_iter()
            .filter(|(name, _)| AUTH_FIELDS.contains(&name.as_str()))
            .collect();
        assert_eq!(fields, sent, "{}: signature fields", id(&vector));
    }
}

#[test]
fn v4_dates_credentials_and_signing_keys_match() {
    let mut checked = 0;
    for vector in vectors()
        .iter()
        .filter(|v| v["expected"].get("x_oss_date").is_some())
    {
        let input = &vector["input"];
        let expected = &vector["expected"];
        let fields = signer(vector).auth_fields(text(input, "policy_text"));
        assert_eq!(
            field(&fields, "x-oss-date"),
            text(expected, "x_oss_date"),
            "{}",
            id(vector)
        );
        assert_eq!(
            field(&fields, "x-oss-credential"),
            text(expected, "x_oss_credential")
        );
        let date = text(expected, "signing_date");
        assert_eq!(&text(expected, "x_oss_date")[..8], date);
        let key = v4::signing_key(
            text(input, "access_key_secret"),
            date,
            text(input, "region"),
            "oss",
        );
        let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(key_hex, text(expected, "signing_key_hex"), "{}", id(vector));
        let chain = expected["signing_key_chain_hex"]
            .as_array()
            .expect("the key chain");
        assert_eq!(text(chain.last().unwrap(), "out_hex"), key_hex);
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn verbatim_texts_are_signed_as_given_and_the_compact_rebuild_matches_ali_oss() {
    let mut checked = 0;
    for vector in vectors().iter().filter(|v| is_verbatim(v)) {
        let expected = &vector["expected"];
        let signer = signer(vector);
        // The form sends the hand-written text's signature; only `key` precedes it.
        let sent = expected_fields(vector);
        let mut fields = vec![("key".to_owned(), field(&sent, "key").to_owned())];
        fields.extend(signer.auth_fields(text(&vector["input"], "policy_text")));
        assert_eq!(fields, sent, "{}: form fields", id(vector));
        // What the high-level ali-oss call would have signed: the same policy, compact.
        let normalised = text(expected, "policy_text_normalised");
        let rebuilt = rebuilt_policy(vector, normalised, &sent);
        let built = rebuilt
            .sign(&signer)
            .unwrap_or_else(|e| panic!("{}: {e:?}", id(vector)));
        assert_eq!(
            rebuilt.policy_text(&signer).unwrap(),
            normalised,
            "{}",
            id(vector)
        );
        let signature = &built.last().unwrap().1;
        let want = text(expected, "signature_if_text_were_normalised_by_policy2Str");
        assert_eq!(signature, want, "{}", id(vector));
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn post_urls_and_filename_substitution_are_as_the_vectors_say() {
    for vector in vectors() {
        let input = &vector["input"];
        let expected = &vector["expected"];
        let url = format!(
            "https://{}.oss-{}.aliyuncs.com/",
            text(input, "bucket"),
            text(input, "region")
        );
        assert_eq!(text(expected, "post_url"), url, "{}", id(&vector));
        if let Some(stored) = expected.get("object_key_after_filename_substitution") {
            let key = field(&expected_fields(&vector), "key").to_owned();
            let filename = text(&input["file"], "filename");
            assert_eq!(
                key.replace("${filename}", filename),
                stored.as_str().unwrap()
            );
        }
    }
}

/// The negative cases describe how OSS (and so the emulator) rejects a mutated form; the
/// signer's part is only that each starts from a vector this file checks.
#[test]
fn negative_cases_start_from_checked_vectors() {
    let file = file();
    let ids: Vec<String> = vectors().iter().map(|v| id(v).to_owned()).collect();
    let cases = file["negative_cases"].as_array().expect("negative_cases");
    assert_eq!(cases.len(), 16);
    for case in cases {
        let base = text(case, "base_vector");
        assert!(
            ids.iter().any(|i| i == base),
            "{}: unknown base {base}",
            text(case, "id")
        );
        assert!(case["expected"]["http_status"].as_u64().is_some(), "{case}");
    }
}
