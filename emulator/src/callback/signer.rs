//! The RSA-MD5 signature on callback requests (oss-protocol.md 4.7).
//!
//! ```text
//! string_to_sign = url_decode(path) + ("?" + query, when the URL has one) + "\n" + body
//! Authorization  = base64(RSASSA-PKCS1-v1_5(private_key, MD5(string_to_sign)))
//! ```
//!
//! OSS signs with its own secret key and publishes the public half at a fixed URL; the
//! emulator signs with a test key (or one given by the user) and serves the public half itself.

use md5::Md5;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _, LineEnding};
use rsa::{PrivateKey, PublicKey};

/// A 1024-bit RSA key pair made for the emulator's tests with `openssl genrsa -traditional 1024`.
/// It is public on purpose and protects nothing: callback receivers trust whatever key the
/// emulator's key URL serves. 1024 bits keeps loading fast in debug builds.
pub const TEST_PRIVATE_KEY_PEM: &str = include_str!("test_key.pem");

/// Signs callback requests with one RSA private key.
#[derive(Debug, Clone)]
pub struct CallbackSigner {
    private_key: PrivateKey,
    public_key_pem: String,
}

impl CallbackSigner {
    /// Loads a PEM private key: PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE
    /// KEY`). Text before the `-----BEGIN` line (such as a comment) is ignored.
    pub fn from_pem(pem: &str) -> Result<CallbackSigner, String> {
        let pem = pem
            .find("-----BEGIN")
            .map(|start| &pem[start..])
            .ok_or("the callback private key has no \"-----BEGIN\" PEM line")?;
        let private_key = if pem.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            PrivateKey::from_pkcs1_pem(pem).map_err(|e| e.to_string())
        } else {
            PrivateKey::from_pkcs8_pem(pem).map_err(|e| e.to_string())
        }
        .map_err(|e| format!("cannot read the callback private key: {e}"))?;
        let public_key_pem = PublicKey::from(&private_key)
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| format!("cannot encode the callback public key: {e}"))?;
        Ok(CallbackSigner {
            private_key,
            public_key_pem,
        })
    }

    /// The public key as SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`), what OSS serves at
    /// `callback_pub_key_v1.pem`.
    pub fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    /// The `Authorization` header value for a callback POST.
    pub fn sign(&self, path: &str, query: Option<&str>, body: &[u8]) -> String {
        let message = string_to_sign(path, query, body);
        let signature = self
            .private_key
            .pkcs1v15_sign::<Md5>(&message)
            // Signing only fails for keys too small for an MD5 DigestInfo (< 368 bits), which
            // `from_pem` would have to accept first; no RSA key in use is that small.
            .unwrap_or_default();
        ossffi::encoding::base64_encode(&signature)
    }
}

/// `url_decode(path) + ("?" + query) + "\n" + body`, as bytes (a decoded path need not be
/// UTF-8). `query` is `None` when the URL has no `?`; it is used as sent, not decoded.
pub fn string_to_sign(path: &str, query: Option<&str>, body: &[u8]) -> Vec<u8> {
    // A `%` not followed by two hex digits stays as is; `+` stays `+` (path semantics).
    let mut out = ossffi::encoding::percent_decode(path);
    if let Some(query) = query {
        out.push(b'?');
        out.extend_from_slice(query.as_bytes());
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out
}
