//! `response_handling.json`: error XML in bodies and in the base64 `x-oss-err` header, read the
//! way the official SDK reads it, and written back byte for byte.
//!
//! Every vector is one of three kinds (`response_vectors_are_each_of_exactly_one_kind` proves
//! it): a service error (XML in the body or in `x-oss-err`), a 203 `CallbackFailed` body that
//! the SDK does not raise, or a response whose body is not XML at all.

use std::collections::BTreeMap;
use std::fs;

use ossffi::encoding::base64_decode;
use ossffi::oss_error::{ErrorBody, XmlError, parse_error_xml, write_error_xml};
use serde_json::Value;

const RESPONSE_HANDLING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/response_handling.json"
);

fn vectors() -> Vec<Value> {
    let text = fs::read_to_string(RESPONSE_HANDLING).expect("reading response_handling.json");
    let file: Value = serde_json::from_str(&text).expect("parsing response_handling.json");
    let vectors = file["vectors"].as_array().expect("vectors array").clone();
    assert!(!vectors.is_empty(), "response_handling.json has no vectors");
    vectors
}

fn id(v: &Value) -> &str {
    v["id"].as_str().expect("vector id")
}

fn response_header<'v>(v: &'v Value, name: &str) -> Option<&'v str> {
    v["input"]["http_response"]["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .find(|pair| {
            pair[0]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .map(|pair| pair[1].as_str().expect("header value"))
}

fn body(v: &Value) -> &str {
    v["input"]["http_response"]["body"].as_str().expect("body")
}

/// The error XML of a response: the body, or for bodiless (HEAD) responses the base64-decoded
/// `x-oss-err` header.
fn error_xml(v: &Value) -> Option<String> {
    if !body(v).is_empty() {
        return Some(body(v).to_owned());
    }
    response_header(v, "x-oss-err").map(|b64| {
        String::from_utf8(base64_decode(b64).expect("x-oss-err is base64")).expect("UTF-8 XML")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ServiceError,
    CallbackFailed,
    NotXml,
}

fn kind(v: &Value) -> Kind {
    let outcome = &v["expected"]["sdk_outcome"];
    let status = v["input"]["http_response"]["status"]
        .as_u64()
        .expect("status");
    match outcome["raises"].as_str() {
        Some("ServiceError") => Kind::ServiceError,
        None if status == 203 => Kind::CallbackFailed,
        _ => Kind::NotXml,
    }
}

fn of_kind(wanted: Kind) -> Vec<Value> {
    let selected: Vec<Value> = vectors()
        .into_iter()
        .filter(|v| kind(v) == wanted)
        .collect();
    assert!(!selected.is_empty(), "no {wanted:?} vector");
    selected
}

#[test]
fn response_vectors_are_each_of_exactly_one_kind() {
    let all = vectors();
    let count = |k| all.iter().filter(|v| kind(v) == k).count();
    assert_eq!(
        (
            count(Kind::ServiceError),
            count(Kind::CallbackFailed),
            count(Kind::NotXml)
        ),
        (5, 1, 4)
    );
    assert_eq!(all.len(), 10);
}

/// The SDK's `ServiceError`: code, message, request id (falling back to `x-oss-request-id`),
/// EC (falling back to `x-oss-ec`) and every child element.
#[test]
fn service_error_xml_parses_to_the_sdk_error() {
    for v in of_kind(Kind::ServiceError) {
        let id = id(&v);
        let expected = &v["expected"]["sdk_outcome"]["error"];
        let xml = error_xml(&v).unwrap_or_else(|| panic!("{id}: no error XML"));
        let error = parse_error_xml(&xml).unwrap_or_else(|e| panic!("{id}: {e}"));

        assert_eq!(error.code, expected["code"].as_str().unwrap(), "{id}");
        assert_eq!(error.message, expected["message"].as_str().unwrap(), "{id}");
        let request_id = Some(error.request_id.as_str())
            .filter(|r| !r.is_empty())
            .or_else(|| response_header(&v, "x-oss-request-id"));
        assert_eq!(request_id, expected["request_id"].as_str(), "{id}");
        let ec = Some(error.ec.as_str())
            .filter(|ec| !ec.is_empty())
            .or_else(|| response_header(&v, "x-oss-ec"))
            .unwrap_or("");
        assert_eq!(ec, expected["ec"].as_str().unwrap(), "{id}");

        let fields: BTreeMap<&str, &str> = error
            .fields
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let expected_fields: BTreeMap<&str, &str> = expected["error_fields"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str().unwrap()))
            .collect();
        assert_eq!(fields, expected_fields, "{id}");
        assert_eq!(
            fields.len(),
            error.fields.len(),
            "{id}: no duplicate children"
        );
    }
}

#[test]
fn head_error_in_x_oss_err_header_parses_like_a_body() {
    let from_header: Vec<Value> = of_kind(Kind::ServiceError)
        .into_iter()
        .filter(|v| body(v).is_empty())
        .collect();
    assert_eq!(from_header.len(), 1);
    let v = &from_header[0];
    let error = parse_error_xml(&error_xml(v).unwrap()).unwrap();
    assert_eq!(error.code, "NoSuchKey", "{}", id(v));
    assert_eq!(error.host_id, "vec-shared-bkt.oss-cn-hangzhou.aliyuncs.com");
}

#[test]
fn callback_failed_203_body_parses_as_callback_failed() {
    for v in of_kind(Kind::CallbackFailed) {
        let result = &v["expected"]["sdk_outcome"]["result"];
        let error = parse_error_xml(body(&v)).unwrap_or_else(|e| panic!("{}: {e}", id(&v)));
        assert_eq!(error.code, "CallbackFailed", "{}", id(&v));
        assert_eq!(
            error.request_id,
            result["request_id"].as_str().unwrap(),
            "{}",
            id(&v)
        );
        assert_eq!(
            body(&v),
            result["callback_result"].as_str().unwrap(),
            "{}",
            id(&v)
        );
    }
}

#[test]
fn non_xml_bodies_are_malformed() {
    for v in of_kind(Kind::NotXml) {
        assert!(response_header(&v, "x-oss-err").is_none(), "{}", id(&v));
        assert!(
            matches!(parse_error_xml(body(&v)), Err(XmlError::Malformed(_))),
            "{}: {:?}",
            id(&v),
            body(&v)
        );
    }
}

/// The emulator writes error bodies in exactly the server layout the vectors show.
#[test]
fn write_error_xml_reproduces_every_vector_error_xml() {
    let mut checked = 0;
    for v in vectors() {
        let Some(xml) = error_xml(&v).filter(|x| x.starts_with('<')) else {
            assert_eq!(kind(&v), Kind::NotXml, "{}", id(&v));
            continue;
        };
        let ErrorBody {
            code,
            message,
            request_id,
            host_id,
            fields,
            ..
        } = parse_error_xml(&xml).unwrap();
        let standard: Vec<&str> = fields.iter().take(4).map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            standard,
            ["Code", "Message", "RequestId", "HostId"],
            "{}",
            id(&v)
        );
        let extra: Vec<(&str, &str)> = fields
            .iter()
            .skip(4)
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            write_error_xml(&code, &message, &request_id, &host_id, &extra),
            xml,
            "{}",
            id(&v)
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
}

/// A reply read as the C++ SDK reads it (`cpp-sdk-surface-2.md` 0.10 and 4.8): tinyxml2's
/// verdict decides the code, and the text it accepts before the root element is skipped.
#[test]
fn replies_read_as_the_sdk_reads_them() {
    use ossffi::client::error_from_reply;
    use ossffi::error::ObjectStored;

    let error = error_from_reply(400, b"garbage body".to_vec());
    assert_eq!(error.code, "ParseXMLError:10");
    assert!(
        error.message.starts_with("XML_ERROR_PARSING_TEXT: "),
        "{}",
        error.message
    );
    assert!(error.message.ends_with("the content is:\ngarbage body"));
    assert_eq!(error.body, b"garbage body");

    let failed_callback = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>CallbackFailed</Code>\n  <Message>Error status : 502.</Message>\n  <RequestId>5C1B138A109F4E405B2D</RequestId>\n  <HostId>b.oss.example.com</HostId>\n</Error>\n";
    let error = error_from_reply(203, format!("invlid data{failed_callback}").into_bytes());
    assert_eq!(error.code, "ParseXMLError:13");
    assert!(error.message.starts_with("XML_ERROR_PARSING_DECLARATION: "));
    assert_eq!(error.object_stored, ObjectStored::Yes);

    let without_declaration = &failed_callback[failed_callback.find("<Error>").unwrap()..];
    let error = error_from_reply(
        203,
        format!("invlid data{without_declaration}").into_bytes(),
    );
    assert_eq!(error.code, "CallbackFailed");
    assert_eq!(error.message, "Error status : 502.");
    assert_eq!(error.request_id, "5C1B138A109F4E405B2D");
    assert_eq!(error.host_id, "b.oss.example.com");
    assert_eq!(error.object_stored, ObjectStored::Yes);

    let error = error_from_reply(404, Vec::new());
    assert_eq!(error.code, "ServerError:404");
    assert_eq!(error.message, "HTTP 404 with no error body");
    assert_eq!(
        error_from_reply(500, b"<Error><Code>X</Code>".to_vec()).code,
        "ParseXMLError:16"
    );
    assert_eq!(
        error_from_reply(500, b" \n".to_vec()).code,
        "ServerError:500"
    );
    let error = error_from_reply(502, b"<html>gateway</html>".to_vec());
    assert_eq!(error.code, "ParseXMLError");
    assert!(
        error
            .message
            .starts_with("Xml format invalid, root node name is not Error.")
    );
}
