//! Checking that a callback request really comes from OSS (oss-protocol.md 4.7).
//!
//! OSS signs every callback it POSTs to the application server:
//!
//! ```text
//! string_to_sign = url_decode(path) + ("?" + raw query, when there is one) + "\n" + body
//! Authorization  = base64(RSASSA-PKCS1-v1_5(oss_private_key, MD5(string_to_sign)))
//! ```
//!
//! A receiver that skips this check trusts anyone who can reach it. This module verifies with a
//! public key the caller already has; [`super::CallbackKeyCache`] adds fetching OSS's key from the
//! `x-oss-pub-key-url` header, restricted to trusted URLs.

// `Error` is the crate-wide error, returned by value everywhere; its size is decided in
// src/error.rs, not per module.
#![allow(clippy::result_large_err)]

use md5::{Digest, Md5};
use rsa::pkcs1::{ALGORITHM_OID, RsaPublicKeyRef};
use rsa::pkcs8::der::Decode as _;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::traits::PublicKeyParts as _;
use rsa::{BoxedUint, Pkcs1v15Sign, PublicKey};

use crate::encoding::{base64_decode, percent_decode};
use crate::error::{Error, ErrorKind};

/// The smallest RSA modulus accepted. OSS's own callback key (`callback_pub_key_v1.pem`) is a
/// 512-bit key, below the `rsa` crate's default minimum of 1024 bits, so the limit is set here
/// explicitly; anything smaller could not even hold an MD5 PKCS#1 v1.5 signature.
pub const MIN_KEY_BITS: usize = 512;

/// The largest RSA modulus accepted (the `rsa` crate's own maximum).
pub const MAX_KEY_BITS: usize = PublicKey::MAX_SIZE;

/// A parsed RSA public key that verifies callback signatures. Cheap to share: it is immutable,
/// `Send` and `Sync`.
#[derive(Debug, Clone)]
pub struct CallbackPublicKey {
    key: PublicKey,
}

impl CallbackPublicKey {
    /// Parses a PEM RSA public key: SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, what
    /// OSS serves) or PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`). Text before the `-----BEGIN`
    /// line is ignored. Fails with [`ErrorKind::CallbackKeyMalformed`].
    pub fn from_pem(pem: &str) -> Result<CallbackPublicKey, Error> {
        parse_pem(pem)
            .map(|key| CallbackPublicKey { key })
            .map_err(|why| key_malformed(format!("the callback public key is unusable: {why}")))
    }

    /// The size of the modulus in bits (512 for OSS's key).
    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }

    /// Verifies one callback request against this key; see [`verify_with_key`].
    pub fn verify(
        &self,
        request_target: &str,
        authorization_b64: &str,
        body: &[u8],
    ) -> Result<(), Error> {
        let signature = decode_signature(authorization_b64)?;
        self.verify_decoded(request_target, &signature, body)
    }

    /// The check itself, once the signature is known to be base64.
    pub(crate) fn verify_decoded(
        &self,
        request_target: &str,
        signature: &[u8],
        body: &[u8],
    ) -> Result<(), Error> {
        let digest = Md5::digest(string_to_sign(request_target, body));
        if self
            .key
            .verify(Pkcs1v15Sign::new::<Md5>(), &digest, signature)
            .is_ok()
        {
            return Ok(());
        }
        let key_len = self.key.size();
        // A signature of the wrong length is the one mismatch with a cause worth naming: it
        // means the key is not the one OSS signed with (OSS's key gives 64-byte signatures).
        let hint = if signature.len() == key_len {
            String::new()
        } else {
            format!(
                " (the signature is {} bytes, but a {}-bit key makes {key_len}-byte signatures: \
                 is this the right public key?)",
                signature.len(),
                key_len * 8
            )
        };
        Err(Error::new(
            ErrorKind::CallbackSignatureMismatch,
            "CallbackSignatureMismatch",
            format!(
                "the callback signature does not match the request \"{request_target}\" and its \
                 {}-byte body{hint}; do not trust this request (path, query and body must be \
                 passed exactly as received)",
                body.len()
            ),
        ))
    }
}

/// Verifies a callback request with a public key the caller already has.
///
/// `request_target` is the path with the raw query (`/cb?id=1`), exactly as in the request line
/// received; `authorization_b64` the `Authorization` header; `body` the exact body bytes;
/// `public_key_pem` a PEM RSA public key. `Ok` means OSS (or whoever holds the private key)
/// sent this path, query and body.
///
/// Errors: [`ErrorKind::CallbackSignatureMalformed`] (the header is not base64),
/// [`ErrorKind::CallbackKeyMalformed`] (the PEM is not an RSA public key),
/// [`ErrorKind::CallbackSignatureMismatch`] (anything else: forged or altered).
pub fn verify_with_key(
    request_target: &str,
    authorization_b64: &str,
    body: &[u8],
    public_key_pem: &str,
) -> Result<(), Error> {
    let signature = decode_signature(authorization_b64)?;
    CallbackPublicKey::from_pem(public_key_pem)?.verify_decoded(request_target, &signature, body)
}

/// `url_decode(path) + ("?" + query) + "\n" + body`, where `request_target` is split at its
/// first `?`. The path is percent-decoded (`+` stays `+`; a stray `%` stays literal); the query
/// is kept as sent, and the `?` is kept when present even if the query after it is empty. The
/// result is bytes because a decoded path need not be UTF-8.
pub fn string_to_sign(request_target: &str, body: &[u8]) -> Vec<u8> {
    let (path, query) = match request_target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (request_target, None),
    };
    let mut out = percent_decode(path);
    if let Some(query) = query {
        out.push(b'?');
        out.extend_from_slice(query.as_bytes());
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out
}

/// The raw signature from the `Authorization` header value.
pub(crate) fn decode_signature(authorization_b64: &str) -> Result<Vec<u8>, Error> {
    let text = authorization_b64.trim_ascii();
    let malformed = |why: &str| {
        Error::new(
            ErrorKind::CallbackSignatureMalformed,
            "CallbackSignatureMalformed",
            format!(
                "the callback's Authorization header {why}; OSS sends the standard base64 of an \
                 RSA signature there, so this request did not come from OSS unaltered"
            ),
        )
    };
    if text.is_empty() {
        return Err(malformed("is empty"));
    }
    match base64_decode(text) {
        Some(signature) if !signature.is_empty() => Ok(signature),
        _ => Err(malformed(&format!(
            "\"{}\" is not standard base64",
            shorten(text)
        ))),
    }
}

pub(crate) fn key_malformed(message: String) -> Error {
    Error::new(
        ErrorKind::CallbackKeyMalformed,
        "CallbackKeyMalformed",
        message,
    )
}

/// At most 80 characters of untrusted text, for error messages.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

fn parse_pem(pem: &str) -> Result<PublicKey, String> {
    let start = pem
        .find("-----BEGIN")
        .ok_or("there is no \"-----BEGIN PUBLIC KEY-----\" line (expected a PEM RSA public key)")?;
    let (label, der) = rsa::pkcs1::pem::decode_vec(pem[start..].trim_ascii_end().as_bytes())
        .map_err(|e| format!("it is not valid PEM ({e})"))?;
    let pkcs1_der = match label {
        "PUBLIC KEY" => {
            let spki = SubjectPublicKeyInfoRef::from_der(&der)
                .map_err(|e| format!("it is not a DER SubjectPublicKeyInfo ({e})"))?;
            if spki.algorithm.oid != ALGORITHM_OID {
                return Err(format!(
                    "it is a {} key, not RSA (OID 1.2.840.113549.1.1.1)",
                    spki.algorithm.oid
                ));
            }
            spki.subject_public_key
                .as_bytes()
                .ok_or("its key bit string has unused bits")?
                .to_vec()
        }
        "RSA PUBLIC KEY" => der,
        other => {
            return Err(format!(
                "its PEM label is \"{other}\"; expected \"PUBLIC KEY\" or \"RSA PUBLIC KEY\""
            ));
        }
    };
    let key = RsaPublicKeyRef::from_der(&pkcs1_der)
        .map_err(|e| format!("it is not a DER RSA public key ({e})"))?;
    let n = uint(key.modulus.as_bytes())?;
    let e = uint(key.public_exponent.as_bytes())?;
    PublicKey::new_with_size_limits(n, e, MIN_KEY_BITS..=MAX_KEY_BITS).map_err(|e| {
        format!("it is not a usable RSA key of {MIN_KEY_BITS} to {MAX_KEY_BITS} bits ({e})")
    })
}

fn uint(big_endian: &[u8]) -> Result<BoxedUint, String> {
    let bits = u32::try_from(big_endian.len() * 8).map_err(|_| "a key number is too large")?;
    BoxedUint::from_be_slice(big_endian, bits).map_err(|_| "a key number is malformed".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_to_sign_decodes_the_path_and_keeps_the_query_as_sent() {
        assert_eq!(
            string_to_sign("/index%20v2.php?id=1&index=%2F", b"bucket=b"),
            b"/index v2.php?id=1&index=%2F\nbucket=b"
        );
    }

    #[test]
    fn string_to_sign_keeps_a_question_mark_with_an_empty_query() {
        assert_eq!(string_to_sign("/cb?", b""), b"/cb?\n");
    }

    #[test]
    fn string_to_sign_without_query_has_no_question_mark() {
        assert_eq!(string_to_sign("/a+b%2Bc", b"x"), b"/a+b+c\nx");
    }

    #[test]
    fn shorten_cuts_long_text_at_a_character_boundary() {
        let long = "é".repeat(100);
        assert_eq!(shorten(&long), format!("{}...", "é".repeat(80)));
        assert_eq!(shorten("short"), "short");
    }
}
