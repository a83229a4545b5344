//! The callback builders against the C++ SDK's outputs (cpp-sdk-surface.md section 6), and the
//! guarantee that every output is valid JSON that decodes to what the caller meant.

use base64::Engine;
use ossffi::callback::{CallbackBodyType, ObjectCallbackBuilder, ObjectCallbackVariableBuilder};

fn decode(header: &str) -> serde_json::Value {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(header)
        .expect("standard base64");
    serde_json::from_slice(&bytes).expect("valid JSON")
}

fn builder(
    url: &str,
    body: &str,
    host: &str,
    body_type: CallbackBodyType,
) -> ObjectCallbackBuilder {
    ObjectCallbackBuilder {
        url: url.into(),
        body: body.into(),
        host: host.into(),
        body_type,
        sni: None,
    }
}

#[test]
fn url_and_body_match_the_sdk() {
    let b = builder("192.168.1.1", "123456", "", CallbackBodyType::Url);
    assert_eq!(
        b.json(),
        r#"{"callbackUrl":"192.168.1.1","callbackBody":"123456"}"#
    );
    assert_eq!(
        b.build(),
        "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tCb2R5IjoiMTIzNDU2In0="
    );
}

#[test]
fn host_comes_between_url_and_body() {
    let b = builder("192.168.1.1", "123456", "demo.com", CallbackBodyType::Url);
    assert_eq!(
        b.build(),
        "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tIb3N0IjoiZGVtby5jb20iLCJjYWxsYmFja0JvZHkiOiIxMjM0NTYifQ=="
    );
}

#[test]
fn json_body_type_is_the_last_field() {
    let b = builder("192.168.1.1", "123456", "demo.com", CallbackBodyType::Json);
    assert_eq!(
        b.build(),
        "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tIb3N0IjoiZGVtby5jb20iLCJjYWxsYmFja0JvZHkiOiIxMjM0NTYiLCJjYWxsYmFja0JvZHlUeXBlIjoiYXBwbGljYXRpb24vanNvbiJ9"
    );
}

#[test]
fn empty_url_or_body_builds_the_empty_string() {
    assert_eq!(builder("", "", "", CallbackBodyType::Url).build(), "");
    assert_eq!(
        builder("http://a", "", "", CallbackBodyType::Url).build(),
        ""
    );
    assert_eq!(builder("", "body", "h", CallbackBodyType::Json).build(), "");
}

#[test]
fn the_sdk_test_body_matches_the_sdk() {
    let b = ObjectCallbackBuilder::new(
        "http://oss-demo.aliyuncs.com:23450",
        "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}",
    );
    assert_eq!(
        b.build(),
        "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9vc3MtZGVtby5hbGl5dW5jcy5jb206MjM0NTAiLCJjYWxsYmFja0JvZHkiOiJidWNrZXQ9JHtidWNrZXR9Jm9iamVjdD0ke29iamVjdH0mZXRhZz0ke2V0YWd9JnNpemU9JHtzaXplfSZtaW1lVHlwZT0ke21pbWVUeXBlfSZteV92YXIxPSR7eDp2YXIxfSJ9"
    );
}

#[test]
fn unescaped_quotes_in_a_json_body_are_escaped_where_the_sdk_breaks_the_json() {
    let b = builder(
        "http://example.com/cb",
        r#"{"bucket":${bucket},"object":${object}}"#,
        "",
        CallbackBodyType::Json,
    );
    let decoded = decode(&b.build());
    assert_eq!(
        decoded["callbackBody"],
        r#"{"bucket":${bucket},"object":${object}}"#
    );
    assert_eq!(decoded["callbackBodyType"], "application/json");
}

#[test]
fn pre_escaped_json_body_is_byte_identical_to_the_sdk() {
    let body = r#"{\"mimeType\":${mimeType},\"size\":${size}}"#;
    let b = builder("http://example.com/cb", body, "", CallbackBodyType::Json);
    // The SDK pastes the text unchanged; so do we, because it is already valid.
    assert_eq!(
        b.json(),
        format!(
            r#"{{"callbackUrl":"http://example.com/cb","callbackBody":"{body}","callbackBodyType":"application/json"}}"#
        )
    );
    assert_eq!(
        decode(&b.build())["callbackBody"],
        r#"{"mimeType":${mimeType},"size":${size}}"#
    );
}

#[test]
fn sni_is_appended_only_when_set() {
    let mut b = ObjectCallbackBuilder::new("https://cb.example.com", "x=1");
    assert!(!b.json().contains("callbackSNI"));
    b.sni = Some(true);
    assert!(b.json().ends_with(r#","callbackSNI":true}"#));
    b.sni = Some(false);
    assert_eq!(decode(&b.build())["callbackSNI"], false);
}

#[test]
fn variables_match_the_sdk() {
    let mut v = ObjectCallbackVariableBuilder::new();
    v.add("x:var1", "value1").unwrap();
    v.add("x:var2", "value2").unwrap();
    assert_eq!(
        v.build(),
        "eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ=="
    );
}

#[test]
fn variable_keys_must_start_with_lower_case_x_colon() {
    let mut v = ObjectCallbackVariableBuilder::new();
    for key in ["var1", "X:up", "", "x"] {
        assert!(v.add(key, "v").is_err(), "{key:?} must be refused");
    }
    assert!(v.is_empty());
    v.add("x:", "empty-name").unwrap();
    assert_eq!(v.build(), "eyJ4OiI6ImVtcHR5LW5hbWUifQ==");
}

#[test]
fn variables_keep_the_first_spelling_the_last_value_and_the_sdk_order() {
    let mut v = ObjectCallbackVariableBuilder::new();
    for (key, value) in [
        ("x:b", "2"),
        ("x:A", "1"),
        ("x:a", "overwritten"),
        ("x:C", "3"),
    ] {
        v.add(key, value).unwrap();
    }
    assert_eq!(v.json(), r#"{"x:A":"overwritten","x:b":"2","x:C":"3"}"#);
    assert_eq!(v.get("X:A"), Some("overwritten"));
}

#[test]
fn a_proper_prefix_sorts_first() {
    let mut v = ObjectCallbackVariableBuilder::new();
    v.add("x:ab", "2").unwrap();
    v.add("x:a", "1").unwrap();
    assert_eq!(v.json(), r#"{"x:a":"1","x:ab":"2"}"#);
}

#[test]
fn non_ascii_keys_sort_before_ascii_as_with_the_sdks_signed_char() {
    let mut v = ObjectCallbackVariableBuilder::new();
    v.add("x:z", "1").unwrap();
    v.add("x:é", "2").unwrap();
    assert_eq!(v.json(), r#"{"x:é":"2","x:z":"1"}"#);
}

#[test]
fn quotes_in_variable_values_are_escaped() {
    let mut v = ObjectCallbackVariableBuilder::new();
    v.add("x:q", r#"he said "hi""#).unwrap();
    assert_eq!(decode(&v.build())["x:q"], r#"he said "hi""#);
}

#[test]
fn no_variables_build_the_empty_string() {
    assert_eq!(ObjectCallbackVariableBuilder::new().build(), "");
}

/// Every callback in ../shared/vectors/callback_params.json, built with our builders: what OSS
/// decodes from our header is exactly the JSON object the official SDKs' examples send (the form
/// body type being OSS's default, which the C++ SDK's builder leaves out).
#[test]
fn the_shared_callback_parameter_vectors_decode_to_the_same_objects() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/callback_params.json"
    );
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let vectors = file["vectors"].as_array().unwrap();
    assert!(!vectors.is_empty());
    for vector in vectors {
        let id = vector["id"].as_str().unwrap();
        let input = &vector["input"]["callback"];
        let text = |name: &str| input[name].as_str().unwrap_or("").to_owned();
        let body_type = match input["callbackBodyType"].as_str() {
            Some("application/json") => CallbackBodyType::Json,
            _ => CallbackBodyType::Url,
        };
        let builder = ObjectCallbackBuilder {
            url: text("callbackUrl"),
            body: text("callbackBody"),
            host: text("callbackHost"),
            body_type,
            sni: input["callbackSNI"].as_bool(),
        };
        let mut expected = input.clone();
        if expected["callbackBodyType"] == "application/x-www-form-urlencoded" {
            expected.as_object_mut().unwrap().remove("callbackBodyType");
        }
        assert_eq!(decode(&builder.build()), expected, "{id}");

        let mut vars = ObjectCallbackVariableBuilder::new();
        if let Some(map) = vector["input"]["callback_var"].as_object() {
            for (key, value) in map {
                vars.add(key, value.as_str().unwrap()).unwrap();
            }
            assert_eq!(
                decode(&vars.build()),
                vector["input"]["callback_var"],
                "{id}"
            );
        } else {
            assert_eq!(vars.build(), "", "{id}");
        }
    }
}
