//! Rendering `callbackBody` with the object's facts (oss-protocol.md 4.4).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ossffi_emulator::callback::{CallbackRequest, ObjectFacts, parse, render_body};
use serde_json::{Value, json};

const FACTS: ObjectFacts<'static> = ObjectFacts {
    bucket: "vec-shared-bkt",
    object: "uploads/photo 1.jpg",
    etag: "D8E8FCA2DC0F896FD7CB4CB0031BA249",
    size: 17,
    mime_type: "image/jpeg",
    crc64: 11051210869376104954,
    content_md5: "2Oj8otwPiW/Xy0ywAxuiSQ==",
    client_ip: "127.0.0.1",
    request_id: "5C06A3B67B8B5A3DA422299D",
    operation: "PutObject",
};

fn request(body: &str, body_type: &str, vars: Option<Value>) -> CallbackRequest {
    let callback = json!({"callbackUrl": "http://127.0.0.1/cb", "callbackBody": body, "callbackBodyType": body_type});
    let vars = vars.map(|v| STANDARD.encode(v.to_string()));
    parse(&STANDARD.encode(callback.to_string()), vars.as_deref()).unwrap()
}

fn render(body: &str, body_type: &str, vars: Option<Value>) -> String {
    String::from_utf8(render_body(&request(body, body_type, vars), &FACTS)).unwrap()
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

#[test]
fn form_body_has_every_system_variable_percent_encoded() {
    let body = render(
        "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}\
         &crc64=${crc64}&contentMd5=${contentMd5}&clientIp=${clientIp}&reqId=${reqId}\
         &operation=${operation}&vpcId=${vpcId}&h=${imageInfo.height}&w=${imageInfo.width}\
         &f=${imageInfo.format}",
        FORM,
        None,
    );
    assert_eq!(
        body,
        "bucket=vec-shared-bkt&object=uploads%2Fphoto%201.jpg&etag=D8E8FCA2DC0F896FD7CB4CB0031BA249\
         &size=17&mimeType=image%2Fjpeg&crc64=11051210869376104954&contentMd5=2Oj8otwPiW%2FXy0ywAxuiSQ%3D%3D\
         &clientIp=127.0.0.1&reqId=5C06A3B67B8B5A3DA422299D&operation=PutObject&vpcId=&h=&w=&f="
    );
}

#[test]
fn form_body_percent_encodes_custom_variables_and_keeps_template_text() {
    let vars = json!({"x:a": "1&2=3", "x:b": "say \"hi\" \\ there/", "x:c": "line1\nline2~-._"});
    let body = render("x:a=${x:a}&b=${x:b}&c=${x:c}", FORM, Some(vars));
    assert_eq!(
        body,
        "x:a=1%262%3D3&b=say%20%22hi%22%20%5C%20there%2F&c=line1%0Aline2~-._"
    );
}

#[test]
fn form_body_percent_encodes_non_ascii_values_as_utf8() {
    let body = render("文件=${x:note}", FORM, Some(json!({"x:note": "上传 ✓"})));
    assert_eq!(body, "文件=%E4%B8%8A%E4%BC%A0%20%E2%9C%93");
}

#[test]
fn missing_custom_variable_renders_empty() {
    assert_eq!(
        render("v=${x:absent}&o=${object}", FORM, None),
        "v=&o=uploads%2Fphoto%201.jpg"
    );
}

#[test]
fn unknown_system_variable_renders_empty() {
    assert_eq!(render("v=${nosuch}", FORM, None), "v=");
}

#[test]
fn json_body_renders_every_system_variable_as_a_json_string() {
    let body = render(
        r#"{"bucket":${bucket},"object":${object},"etag":${etag},"size":${size},"mimeType":${mimeType},"imageInfo":{"height":${imageInfo.height},"width":${imageInfo.width},"format":${imageInfo.format}},"crc64":${crc64},"contentMd5":${contentMd5},"vpcId":${vpcId},"clientIp":${clientIp},"reqId":${reqId},"operation":${operation}}"#,
        JSON,
        None,
    );
    assert_eq!(
        body,
        r#"{"bucket":"vec-shared-bkt","object":"uploads/photo 1.jpg","etag":"D8E8FCA2DC0F896FD7CB4CB0031BA249","size":"17","mimeType":"image/jpeg","imageInfo":{"height":"","width":"","format":""},"crc64":"11051210869376104954","contentMd5":"2Oj8otwPiW/Xy0ywAxuiSQ==","vpcId":"","clientIp":"127.0.0.1","reqId":"5C06A3B67B8B5A3DA422299D","operation":"PutObject"}"#
    );
}

#[test]
fn json_body_escapes_custom_variables() {
    let vars = json!({"x:b": "say \"hi\" \\ there/", "x:c": "line1\nline2"});
    let body = render(r#"{"b":${x:b},"c":${x:c}}"#, JSON, Some(vars));
    assert_eq!(body, r#"{"b":"say \"hi\" \\ there/","c":"line1\nline2"}"#);
    let parsed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed["c"], "line1\nline2");
}

#[test]
fn json_body_reproduces_the_signature_vector_body() {
    // callback_signature.json#cbsig-json was made from this template and these facts.
    let facts = ObjectFacts {
        bucket: "vec-shared-bkt",
        object: "docs/report.json",
        size: 15,
        ..FACTS
    };
    let request = request(
        r#"{"bucket":${bucket},"object":${object},"size":${size},"uid":${x:uid}}"#,
        JSON,
        Some(json!({"x:uid": "12345"})),
    );
    assert_eq!(
        String::from_utf8(render_body(&request, &facts)).unwrap(),
        r#"{"bucket":"vec-shared-bkt","object":"docs/report.json","size":"15","uid":"12345"}"#
    );
}

#[test]
fn form_body_reproduces_the_signature_vector_body() {
    // callback_signature.json#cbsig-no-query, from callback_params.json#cb-form-basic.
    let facts = ObjectFacts {
        object: "uploads/photo.jpg",
        ..FACTS
    };
    let request = request(
        "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var=${x:my_var}",
        FORM,
        Some(json!({"x:my_var": "value1"})),
    );
    assert_eq!(
        String::from_utf8(render_body(&request, &facts)).unwrap(),
        "bucket=vec-shared-bkt&object=uploads%2Fphoto.jpg&etag=D8E8FCA2DC0F896FD7CB4CB0031BA249&size=17&mimeType=image%2Fjpeg&my_var=value1"
    );
}

#[test]
fn complete_multipart_upload_has_empty_content_md5() {
    let facts = ObjectFacts {
        content_md5: "",
        operation: "CompleteMultipartUpload",
        ..FACTS
    };
    let request = request("m=${contentMd5}&op=${operation}", FORM, None);
    assert_eq!(
        render_body(&request, &facts),
        b"m=&op=CompleteMultipartUpload"
    );
}
