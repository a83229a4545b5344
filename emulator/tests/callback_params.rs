//! `callback` / `callback-var` decoding and validation (oss-protocol.md 4.1 to 4.5).

mod callback_support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ossffi_emulator::callback::{BodyType, CallbackParamError, Scheme, Segment, parse};
use serde_json::{Value, json};

use callback_support::vectors;

fn b64(text: &str) -> String {
    STANDARD.encode(text)
}

fn parse_json(
    callback: &Value,
) -> Result<ossffi_emulator::callback::CallbackRequest, CallbackParamError> {
    parse(&b64(&callback.to_string()), None)
}

fn error_of(callback: &Value) -> CallbackParamError {
    parse_json(callback).expect_err("the callback should be refused")
}

fn var_error_of(vars: &str) -> CallbackParamError {
    let callback = json!({"callbackUrl": "http://127.0.0.1/cb", "callbackBody": "a=${x:a}"});
    parse(&b64(&callback.to_string()), Some(&b64(vars)))
        .expect_err("the callback-var should be refused")
}

/// `callback=...&callback-var=...` → the URL-decoded values.
fn query_values(query: &str) -> (String, Option<String>) {
    let decode = |v: &str| {
        v.replace("%3D", "=")
            .replace("%2B", "+")
            .replace("%2F", "/")
    };
    let mut callback = None;
    let mut var = None;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap();
        match name {
            "callback" => callback = Some(decode(value)),
            "callback-var" => var = Some(decode(value)),
            _ => panic!("unexpected query parameter {name}"),
        }
    }
    (callback.unwrap(), var)
}

#[test]
fn every_vector_header_form_is_accepted_with_its_fields() {
    for v in vectors("callback_params.json") {
        let e = &v["expected"];
        let request = parse(
            e["x-oss-callback"].as_str().unwrap(),
            e["x-oss-callback-var"].as_str(),
        )
        .unwrap_or_else(|err| panic!("{}: {err:?}", v["id"]));
        let input = &v["input"]["callback"];
        let urls: Vec<&str> = input["callbackUrl"].as_str().unwrap().split(';').collect();
        assert_eq!(request.urls().len(), urls.len(), "{}", v["id"]);
        assert_eq!(
            request.host(),
            input["callbackHost"].as_str(),
            "{}",
            v["id"]
        );
        assert_eq!(
            request.sni(),
            input["callbackSNI"].as_bool().unwrap_or(false),
            "{}",
            v["id"]
        );
        let expected_type = match input["callbackBodyType"].as_str() {
            Some("application/json") => BodyType::Json,
            _ => BodyType::Form,
        };
        assert_eq!(request.body_type(), expected_type, "{}", v["id"]);
        let vars = v["input"]["callback_var"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(request.vars().len(), vars.len(), "{}", v["id"]);
        for (key, value) in vars {
            assert_eq!(request.vars()[&key], value.as_str().unwrap(), "{}", v["id"]);
        }
    }
}

#[test]
fn every_vector_compact_utf8_form_gives_the_same_request_as_the_python_form() {
    for v in vectors("callback_params.json") {
        let e = &v["expected"];
        let python = parse(
            e["x-oss-callback"].as_str().unwrap(),
            e["x-oss-callback-var"].as_str(),
        )
        .unwrap();
        let compact = parse(
            e["x-oss-callback_compact_utf8"].as_str().unwrap(),
            e["x-oss-callback-var_compact_utf8"].as_str(),
        )
        .unwrap();
        assert_eq!(compact.urls(), python.urls(), "{}", v["id"]);
        assert_eq!(
            compact.body_template(),
            python.body_template(),
            "{}",
            v["id"]
        );
        assert_eq!(compact.vars(), python.vars(), "{}", v["id"]);
    }
}

#[test]
fn every_vector_sdk_wire_header_is_accepted() {
    for v in vectors("callback_params.json") {
        let wire = &v["expected"]["sdk_wire"];
        parse(
            wire["x-oss-callback"].as_str().unwrap(),
            wire["x-oss-callback-var"].as_str(),
        )
        .unwrap_or_else(|err| panic!("{}: {err:?}", v["id"]));
    }
}

#[test]
fn every_vector_query_string_form_is_accepted_once_url_decoded() {
    for v in vectors("callback_params.json") {
        let query = v["expected"]["sdk_wire"]["query_string_form_alternative"]
            .as_str()
            .unwrap();
        let (callback, var) = query_values(query);
        let request =
            parse(&callback, var.as_deref()).unwrap_or_else(|err| panic!("{}: {err:?}", v["id"]));
        assert_eq!(
            request.json(),
            v["expected"]["callback_json"].as_str().unwrap(),
            "{}",
            v["id"]
        );
    }
}

#[test]
fn unicode_escapes_in_the_body_template_are_decoded() {
    let v = vectors("callback_params.json")
        .into_iter()
        .find(|v| v["id"] == "cb-unicode")
        .unwrap();
    let request = parse(
        v["expected"]["x-oss-callback"].as_str().unwrap(),
        v["expected"]["x-oss-callback-var"].as_str(),
    )
    .unwrap();
    assert_eq!(
        request.body_template().segments()[0],
        Segment::Text("文件=".to_owned())
    );
    assert_eq!(request.vars()["x:note"], "上传成功 ✓");
}

#[test]
fn multiple_urls_keep_their_order_path_and_query() {
    let request = parse_json(&json!({
        "callbackUrl": "https://cb1.example.com/a;https://cb2.example.com:8443/b?x=1",
        "callbackBody": "k=${object}"
    }))
    .unwrap();
    let urls = request.urls();
    assert_eq!(urls[0].to_string(), "https://cb1.example.com/a");
    assert_eq!(urls[1].host(), "cb2.example.com");
    assert_eq!(urls[1].port(), 8443);
    assert_eq!(urls[1].request_target(), "/b?x=1");
}

#[test]
fn url_without_scheme_means_http_with_the_given_port_and_path() {
    let request =
        parse_json(&json!({"callbackUrl": "121.43.113.8:23456/index.html", "callbackBody": "a"}))
            .unwrap();
    let url = &request.urls()[0];
    assert_eq!(url.scheme(), Scheme::Http);
    assert_eq!(url.host_header(), "121.43.113.8:23456");
    assert_eq!(url.request_target(), "/index.html");
}

#[test]
fn url_without_path_posts_to_slash() {
    let request =
        parse_json(&json!({"callbackUrl": "http://127.0.0.1:9000", "callbackBody": "a"})).unwrap();
    assert_eq!(request.urls()[0].request_target(), "/");
}

#[test]
fn five_urls_are_accepted() {
    let urls = ["http://127.0.0.1/a"; 5].join(";");
    assert_eq!(
        parse_json(&json!({"callbackUrl": urls, "callbackBody": "a"}))
            .unwrap()
            .urls()
            .len(),
        5
    );
}

#[test]
fn a_trailing_semicolon_adds_no_url() {
    let request =
        parse_json(&json!({"callbackUrl": "http://127.0.0.1/a;", "callbackBody": "a"})).unwrap();
    assert_eq!(request.urls().len(), 1);
}

#[test]
fn six_urls_are_refused() {
    let urls = ["http://127.0.0.1/a"; 6].join(";");
    let err = error_of(&json!({"callbackUrl": urls, "callbackBody": "a"}));
    assert_eq!(
        err.message,
        "The callbackUrl has 6 URLs; at most 5 are allowed."
    );
}

#[test]
fn absent_callback_url_means_no_callback() {
    assert!(
        !parse_json(&json!({"callbackBody": "a"}))
            .unwrap()
            .is_configured()
    );
}

#[test]
fn empty_callback_url_means_no_callback() {
    assert!(
        !parse_json(&json!({"callbackUrl": "", "callbackBody": "a"}))
            .unwrap()
            .is_configured()
    );
}

#[test]
fn empty_callback_host_means_the_url_host() {
    let request = parse_json(
        &json!({"callbackUrl": "http://127.0.0.1/", "callbackHost": "", "callbackBody": "a"}),
    )
    .unwrap();
    assert_eq!(request.host(), None);
}

#[test]
fn not_base64_is_refused_with_the_raw_value() {
    let err = parse("error argument", None).unwrap_err();
    assert_eq!(
        err,
        CallbackParamError {
            message: "The callback configuration is not base64 encoded.".to_owned(),
            argument_name: "callback".to_owned(),
            argument_value: "error argument".to_owned(),
        }
    );
}

#[test]
fn base64_of_non_json_is_refused_with_the_decoded_value() {
    let err = parse(&b64("error argument"), None).unwrap_err();
    assert_eq!(
        err.message,
        "The callback configuration is not json format."
    );
    assert_eq!(err.argument_value, "error argument");
}

#[test]
fn json_that_is_not_an_object_is_refused() {
    let err = parse(&b64("[1,2]"), None).unwrap_err();
    assert_eq!(
        err.message,
        "The callback configuration is not json format."
    );
}

#[test]
fn callback_longer_than_5_kb_is_refused() {
    let body = "a".repeat(4000);
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": body}));
    assert!(
        err.message.starts_with("The callback configuration is "),
        "{}",
        err.message
    );
    assert!(
        err.message.ends_with("at most 5120 are allowed."),
        "{}",
        err.message
    );
}

#[test]
fn missing_callback_body_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1/"}));
    assert_eq!(err.message, "The callbackBody must not be empty.");
    assert_eq!(err.argument_name, "callback");
    assert_eq!(err.argument_value, r#"{"callbackUrl":"http://127.0.0.1/"}"#);
}

#[test]
fn empty_callback_body_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": ""}));
    assert_eq!(err.message, "The callbackBody must not be empty.");
}

#[test]
fn non_string_callback_body_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": 5}));
    assert_eq!(err.message, "The callbackBody must be a string.");
}

#[test]
fn unsupported_body_type_is_refused() {
    let err = error_of(
        &json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "a", "callbackBodyType": "text/plain"}),
    );
    assert_eq!(
        err.message,
        "The callbackBodyType \"text/plain\" is not supported; use application/x-www-form-urlencoded or application/json."
    );
}

#[test]
fn non_string_body_type_is_refused() {
    let err = error_of(
        &json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "a", "callbackBodyType": 1}),
    );
    assert_eq!(err.message, "The callbackBodyType must be a string.");
}

#[test]
fn non_boolean_sni_is_refused() {
    let err = error_of(
        &json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "a", "callbackSNI": "true"}),
    );
    assert_eq!(err.message, "The callbackSNI must be a boolean.");
}

#[test]
fn non_numeric_port_is_refused() {
    let err =
        error_of(&json!({"callbackUrl": "www.callback-example.com:test", "callbackBody": "a"}));
    assert_eq!(
        err.message,
        "The callbackUrl \"www.callback-example.com:test\" is invalid: the port \"test\" must be a number from 1 to 65535."
    );
}

#[test]
fn port_zero_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1:0/", "callbackBody": "a"}));
    assert!(
        err.message.contains("must be a number from 1 to 65535"),
        "{}",
        err.message
    );
}

#[test]
fn port_above_65535_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1:65536/", "callbackBody": "a"}));
    assert!(
        err.message.contains("must be a number from 1 to 65535"),
        "{}",
        err.message
    );
}

#[test]
fn other_schemes_are_refused() {
    let err = error_of(&json!({"callbackUrl": "ftp://127.0.0.1/", "callbackBody": "a"}));
    assert!(
        err.message.contains("scheme \"ftp\" is not supported"),
        "{}",
        err.message
    );
}

#[test]
fn ipv6_literals_are_refused() {
    let err = error_of(&json!({"callbackUrl": "http://[::1]:8080/", "callbackBody": "a"}));
    assert!(
        err.message.contains("IPv6 addresses are not supported"),
        "{}",
        err.message
    );
}

#[test]
fn unencoded_space_in_url_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1/a b", "callbackBody": "a"}));
    assert!(
        err.message.contains("must be percent-encoded"),
        "{}",
        err.message
    );
}

#[test]
fn dollar_without_left_brace_is_refused_with_the_oss_message() {
    let err =
        error_of(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "v=$x:my_var}"}));
    assert_eq!(err.message, "Left brace must be adjacent to dollar sign.");
}

#[test]
fn brace_separated_from_dollar_is_refused() {
    let err =
        error_of(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "v=$ {object}"}));
    assert_eq!(err.message, "Left brace must be adjacent to dollar sign.");
}

#[test]
fn unclosed_placeholder_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "v=${object"}));
    assert_eq!(
        err.message,
        "Right brace is missing for the variable that starts at byte 2 of callbackBody."
    );
}

#[test]
fn empty_placeholder_is_refused() {
    let err = error_of(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "v=${}"}));
    assert_eq!(
        err.message,
        "Variable name must not be empty in callbackBody."
    );
}

#[test]
fn lone_dollar_and_braces_are_constant_text() {
    let request = parse_json(&json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "{\"p\":\"$5\",\"o\":${object}}"})).unwrap();
    assert_eq!(
        request.body_template().segments(),
        &[
            Segment::Text("{\"p\":\"$5\",\"o\":".to_owned()),
            Segment::Variable("object".to_owned()),
            Segment::Text("}".to_owned()),
        ]
    );
}

#[test]
fn empty_callback_var_counts_as_absent() {
    let callback = json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "a"});
    assert!(
        parse(&b64(&callback.to_string()), Some(""))
            .unwrap()
            .vars()
            .is_empty()
    );
}

#[test]
fn callback_var_not_base64_is_refused() {
    let callback = json!({"callbackUrl": "http://127.0.0.1/", "callbackBody": "a"});
    let err = parse(&b64(&callback.to_string()), Some("not base64!")).unwrap_err();
    assert_eq!(
        err,
        CallbackParamError {
            message: "The callback-var configuration is not base64 encoded.".to_owned(),
            argument_name: "callback-var".to_owned(),
            argument_value: "not base64!".to_owned(),
        }
    );
}

#[test]
fn callback_var_not_json_is_refused() {
    let err = var_error_of("x:a=1");
    assert_eq!(
        err.message,
        "The callback-var configuration is not json format."
    );
    assert_eq!(err.argument_value, "x:a=1");
}

#[test]
fn callback_var_key_without_x_prefix_is_refused() {
    let err = var_error_of(r#"{"my_var":"1"}"#);
    assert_eq!(
        err.message,
        "The callback-var key \"my_var\" must start with \"x:\"."
    );
    assert_eq!(err.argument_name, "callback-var");
    assert_eq!(err.argument_value, r#"{"my_var":"1"}"#);
}

#[test]
fn callback_var_upper_case_key_is_refused() {
    let err = var_error_of(r#"{"x:My":"1"}"#);
    assert_eq!(
        err.message,
        "The callback-var key \"x:My\" must be lower-case."
    );
}

#[test]
fn callback_var_non_string_value_is_refused() {
    let err = var_error_of(r#"{"x:a":{"b":"c"}}"#);
    assert_eq!(
        err.message,
        "The callback-var value of \"x:a\" must be a string."
    );
}

#[test]
fn callback_var_longer_than_5_kb_is_refused() {
    let err = var_error_of(&format!(r#"{{"x:a":"{}"}}"#, "v".repeat(4000)));
    assert!(
        err.message
            .starts_with("The callback-var configuration is "),
        "{}",
        err.message
    );
}
