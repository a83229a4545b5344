//! What a PutObject sends and what it returns.

use std::path::PathBuf;

use crate::headers;
use crate::http::BodyError;

/// A body that a caller produces piece by piece (the C read callback, a C++ stream).
pub trait BodyReader {
    /// Fills the start of `buf` and returns how many bytes it wrote; 0 means the body ended.
    /// A count above `buf.len()` fails the upload with [`ErrorKind::Io`](crate::error::ErrorKind)
    /// (`ClientError:200026`).
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, BodyError>;

    /// Goes back to the start of the body for another attempt. `None` when the reader cannot
    /// rewind, in which case a failed attempt is not retried.
    fn rewind(&mut self) -> Option<Result<(), BodyError>>;
}

/// Where the object's bytes come from. None of them is loaded whole into memory.
pub enum Body<'a> {
    /// Bytes the caller keeps alive during the call.
    Bytes(&'a [u8]),
    /// A file, streamed from disk; its length is taken when the upload starts.
    File(PathBuf),
    /// `length` bytes of a file from byte `offset` (a multipart upload's part), streamed from
    /// disk; another attempt starts again at `offset`. A file shorter than `offset + length`
    /// is refused before anything is sent.
    FileRange {
        path: PathBuf,
        offset: u64,
        length: u64,
    },
    /// A reader that produces exactly `length` bytes.
    Reader {
        reader: &'a mut dyn BodyReader,
        length: u64,
    },
}

/// Progress of the upload: `(increment, transferred, total)` after each chunk handed to the
/// connection. Returning `Err(code)` cancels the upload.
pub type ProgressFn<'a> = dyn FnMut(u64, u64, u64) -> Result<(), i64> + 'a;

/// A PutObject request, like the C++ SDK's `PutObjectRequest` with its `ObjectMetaData`.
pub struct PutObjectRequest<'a> {
    pub bucket: String,
    pub key: String,
    /// HTTP headers to send (Content-Type, Cache-Control, x-oss-callback, x-oss-object-acl,
    /// ...). Names are case-insensitive: `set_header` replaces a value and keeps the first
    /// spelling, as `ObjectMetaData::addHeader` does.
    pub headers: Vec<(String, String)>,
    /// User metadata, sent as `x-oss-meta-<name>`.
    pub user_metadata: Vec<(String, String)>,
    pub body: Body<'a>,
    /// Compute Content-MD5 of the body (one extra read of it) when no Content-MD5 is given.
    pub compute_content_md5: bool,
    pub progress: Option<&'a mut ProgressFn<'a>>,
}

impl<'a> PutObjectRequest<'a> {
    pub fn new(bucket: impl Into<String>, key: impl Into<String>, body: Body<'a>) -> Self {
        Self {
            bucket: bucket.into(),
            key: key.into(),
            headers: Vec::new(),
            user_metadata: Vec::new(),
            body,
            compute_content_md5: false,
            progress: None,
        }
    }

    pub fn set_header(&mut self, name: &str, value: &str) {
        headers::set(&mut self.headers, name, value);
    }

    pub fn remove_header(&mut self, name: &str) {
        headers::remove(&mut self.headers, name);
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        headers::find(&self.headers, name)
    }

    pub fn set_user_metadata(&mut self, name: &str, value: &str) {
        headers::set(&mut self.user_metadata, name, value);
    }
}

/// A successful PutObject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutObjectResult {
    pub http_status: u16,
    /// `ETag` without its quotes.
    pub etag: String,
    pub request_id: String,
    /// `x-oss-hash-crc64ecma`, 0 when absent.
    pub crc64: u64,
    pub version_id: String,
    pub headers: Vec<(String, String)>,
    /// The callback server's reply when the upload had a callback; empty otherwise.
    pub body: Vec<u8>,
}

impl PutObjectResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        headers::find(&self.headers, name)
    }
}
