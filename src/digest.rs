//! MD5 of object content in the two forms OSS and the C++ SDK use: `Content-MD5` (standard
//! base64 of the 16-byte digest, as the request header carries it) and the SDK's
//! `ComputeContentETag` form (32 upper-case hex digits, the ETag OSS gives a PutObject, without
//! its quotes).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use md5::{Digest, Md5};

use crate::encoding::{base64_encode, hex_upper};

/// A running MD5 over content fed in pieces.
///
/// ```
/// let mut md5 = ossffi::digest::Md5Digest::new();
/// md5.update(b"hello ");
/// md5.update(b"world");
/// assert_eq!(md5.content_md5(), "XrY7u+Ae7tCTyyK7j1rNww==");
/// assert_eq!(md5.etag(), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
/// ```
#[derive(Clone, Default)]
pub struct Md5Digest {
    hasher: Md5,
}

impl Md5Digest {
    /// An MD5 over no content yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.hasher.update(data);
    }

    /// The 16-byte digest of everything fed so far; feeding may continue afterwards.
    pub fn bytes(&self) -> [u8; 16] {
        self.hasher.clone().finalize().into()
    }

    /// The `Content-MD5` form of [`Md5Digest::bytes`].
    pub fn content_md5(&self) -> String {
        base64_encode(&self.bytes())
    }

    /// The ETag form of [`Md5Digest::bytes`].
    pub fn etag(&self) -> String {
        hex_upper(&self.bytes())
    }
}

impl std::fmt::Debug for Md5Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Md5Digest")
            .field("etag", &self.etag())
            .finish()
    }
}

/// The MD5 of `data` in one call.
pub fn md5_of(data: &[u8]) -> Md5Digest {
    let mut md5 = Md5Digest::new();
    md5.update(data);
    md5
}

/// The MD5 of a file's content, read in 64 KiB pieces so a file of any size hashes in constant
/// memory.
pub fn md5_of_file(path: &Path) -> io::Result<Md5Digest> {
    let mut file = File::open(path)?;
    let mut md5 = Md5Digest::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(md5),
            Ok(n) => md5.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_md5_matches_cpp_sdk_examples() {
        assert_eq!(md5_of(b"").content_md5(), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(md5_of(b"a").content_md5(), "DMF1ucDxtqgxw5niaXcmYQ==");
        assert_eq!(
            md5_of(b"hello world").content_md5(),
            "XrY7u+Ae7tCTyyK7j1rNww=="
        );
    }

    #[test]
    fn etag_matches_cpp_sdk_examples() {
        assert_eq!(md5_of(b"").etag(), "D41D8CD98F00B204E9800998ECF8427E");
        assert_eq!(md5_of(b"abc").etag(), "900150983CD24FB0D6963F7D28E17F72");
        assert_eq!(
            md5_of(b"hello world").etag(),
            "5EB63BBBE01EEED093CB22BB8F5ACDC3"
        );
    }

    #[test]
    fn reading_the_digest_does_not_end_the_computation() {
        let mut md5 = Md5Digest::new();
        md5.update(b"hello");
        let _ = md5.bytes();
        md5.update(b" world");
        assert_eq!(md5.etag(), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
    }

    #[test]
    fn md5_of_file_equals_md5_of_its_content() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let path = std::env::temp_dir().join(format!("ossffi-digest-{}.bin", std::process::id()));
        std::fs::write(&path, &data).expect("writing the test file");
        let from_file = md5_of_file(&path).expect("hashing the test file");
        std::fs::remove_file(&path).expect("removing the test file");
        assert_eq!(from_file.etag(), md5_of(&data).etag());
    }

    #[test]
    fn md5_of_a_missing_file_is_not_found() {
        let err = md5_of_file(Path::new("/nonexistent/ossffi-digest")).expect_err("no such file");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
