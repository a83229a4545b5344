//! The RSA-MD5 signature on callback requests (oss-protocol.md 4.7, callback_signature.json).

mod callback_support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::Md5;
use ossffi_emulator::callback::{CallbackSigner, TEST_PRIVATE_KEY_PEM, string_to_sign};
use rsa::PublicKey;
use rsa::pkcs8::DecodePublicKey as _;

use callback_support::vectors;

fn query_of(v: &serde_json::Value) -> Option<&str> {
    Some(v["input"]["query_as_sent"].as_str().unwrap()).filter(|q| !q.is_empty())
}

#[test]
fn string_to_sign_matches_every_vector() {
    for v in vectors("callback_signature.json") {
        let input = &v["input"];
        let message = string_to_sign(
            input["path_as_sent"].as_str().unwrap(),
            query_of(&v),
            input["body"].as_str().unwrap().as_bytes(),
        );
        assert_eq!(
            String::from_utf8(message).unwrap(),
            v["expected"]["string_to_sign"].as_str().unwrap(),
            "{}",
            v["id"]
        );
    }
}

#[test]
fn every_vector_signature_verifies_over_our_string_to_sign() {
    for v in vectors("callback_signature.json") {
        let input = &v["input"];
        let key =
            PublicKey::from_public_key_pem(input["test_public_key_pem"].as_str().unwrap()).unwrap();
        let message = string_to_sign(
            input["path_as_sent"].as_str().unwrap(),
            query_of(&v),
            input["body"].as_str().unwrap().as_bytes(),
        );
        let signature = STANDARD
            .decode(v["expected"]["authorization_header"].as_str().unwrap())
            .unwrap();
        key.pkcs1v15_verify::<Md5>(&message, &signature)
            .unwrap_or_else(|e| panic!("{}: {e}", v["id"]));
    }
}

#[test]
fn our_signature_verifies_with_our_public_key() {
    let signer = CallbackSigner::from_pem(TEST_PRIVATE_KEY_PEM).unwrap();
    let key = PublicKey::from_public_key_pem(signer.public_key_pem()).unwrap();
    let body = b"bucket=yonghu-test";
    let signature = STANDARD
        .decode(signer.sign("/index%20v2.php", Some("id=1&index=2"), body))
        .unwrap();
    let message = b"/index v2.php?id=1&index=2\nbucket=yonghu-test";
    key.pkcs1v15_verify::<Md5>(message, &signature).unwrap();
}

#[test]
fn our_signature_does_not_verify_for_another_body() {
    let signer = CallbackSigner::from_pem(TEST_PRIVATE_KEY_PEM).unwrap();
    let key = PublicKey::from_public_key_pem(signer.public_key_pem()).unwrap();
    let signature = STANDARD.decode(signer.sign("/cb", None, b"a=1")).unwrap();
    assert!(key.pkcs1v15_verify::<Md5>(b"/cb\na=2", &signature).is_err());
}

#[test]
fn empty_query_keeps_its_question_mark() {
    // `http://host/cb?` has a query, empty; only a URL without `?` omits it.
    assert_eq!(string_to_sign("/cb", Some(""), b"x"), b"/cb?\nx");
}

#[test]
fn invalid_percent_escape_in_path_is_kept() {
    assert_eq!(string_to_sign("/a%zz%2", None, b""), b"/a%zz%2\n");
}

#[test]
fn public_key_is_subject_public_key_info_pem() {
    let signer = CallbackSigner::from_pem(TEST_PRIVATE_KEY_PEM).unwrap();
    assert!(
        signer
            .public_key_pem()
            .starts_with("-----BEGIN PUBLIC KEY-----\n")
    );
}

#[test]
fn pkcs8_private_key_is_accepted() {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::pkcs8::{EncodePrivateKey as _, LineEnding};
    let pem = &TEST_PRIVATE_KEY_PEM[TEST_PRIVATE_KEY_PEM.find("-----BEGIN").unwrap()..];
    let pkcs8 = rsa::PrivateKey::from_pkcs1_pem(pem)
        .unwrap()
        .to_pkcs8_pem(LineEnding::LF)
        .unwrap();
    let signer = CallbackSigner::from_pem(&pkcs8).unwrap();
    assert_eq!(
        signer.public_key_pem(),
        CallbackSigner::from_pem(TEST_PRIVATE_KEY_PEM)
            .unwrap()
            .public_key_pem()
    );
}

#[test]
fn text_that_is_not_a_key_is_refused() {
    let err = CallbackSigner::from_pem("hello").unwrap_err();
    assert_eq!(
        err,
        "the callback private key has no \"-----BEGIN\" PEM line"
    );
}
