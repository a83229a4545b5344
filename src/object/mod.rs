//! The object basics beyond PutObject, each a declaration on the client's pipeline plus a reader
//! of its reply. Every one takes an [`ObjectRequest`]; what it returns carries the HTTP status,
//! the request id and every reply header.
//!
//! - `get`: GetObject (streamed), HeadObject, GetObjectMeta, DoesObjectExist
//! - `delete`: DeleteObject, DeleteObjects
//! - `list`: ListObjects
//! - `bucket`: CreateBucket, DeleteBucket
//! - `to_file`: GetObject into a file, replaced only by a complete download
//! - `by_url`: PutObjectByUrl and GetObjectByUrl, sent to a presigned URL
//! - `request`: the request shape and which fields each operation reads

mod bucket;
mod by_url;
mod delete;
mod get;
mod list;
mod request;
mod to_file;

pub use bucket::BucketResult;
pub use delete::{DeleteObjectResult, DeleteObjectsResult};
pub use list::{ListObjectsResult, ObjectSummary};
pub use request::{DataRedundancyType, ObjectRequest, StorageClass};

use crate::error::{Error, ErrorKind};
use crate::http::Response;
use crate::operation::Operation;
pub(crate) use delete::parse_deleted;
pub(crate) use list::{leading_integer, parse_list};
pub(crate) use request::{Verb, set_parameter};

/// What `HeadObject`, `GetObjectMeta` and `GetObject` return: the object's metadata, from the
/// reply's headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub http_status: u16,
    pub request_id: String,
    /// `ETag` without its quotes.
    pub etag: String,
    /// The size in bytes of what the reply describes (of the range, for a ranged GetObject).
    pub content_length: u64,
    pub content_type: String,
    /// `Last-Modified` as the server wrote it (RFC 1123).
    pub last_modified: String,
    /// `x-oss-hash-crc64ecma`, 0 when absent.
    pub crc64: u64,
    pub version_id: String,
    /// `x-oss-meta-*` headers with the prefix removed, in reply order.
    pub user_metadata: Vec<(String, String)>,
    /// Every header of the reply.
    pub headers: Vec<(String, String)>,
}

impl ObjectMeta {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

/// The declaration every operation starts from: the request's bucket, key, parameters and
/// headers, after refusing what `verb` does not read.
pub(crate) fn declare<'o, 'r, 'a>(
    request: &'o ObjectRequest,
    verb: Verb,
    method: &'static str,
) -> Result<Operation<'o, 'r, 'a>, Error> {
    request.check_for(verb)?;
    Ok(Operation {
        url: request.url.as_deref(),
        parameters: &request.parameters,
        headers: request.headers.clone(),
        ..Operation::new(verb.name(), method, &request.bucket, request.key.as_deref())
    })
}

/// `parameters` with `name` set, for an operation's own sub-resource (`objectMeta`, `delete`).
fn with_parameter(
    parameters: &[(String, String)],
    name: &str,
    value: &str,
) -> Vec<(String, String)> {
    let mut parameters = parameters.to_vec();
    request::set_parameter(&mut parameters, name, Some(value));
    parameters
}

pub(crate) fn header(response: &Response, name: &str) -> String {
    response.header(name).unwrap_or("").trim().to_owned()
}

/// The SDK's `ParseXMLError` for a 2xx reply whose body it cannot read, with the reply's
/// status, request id and body kept for the caller.
fn parse_error(response: Response, message: &str) -> Error {
    let mut error = Error::new(ErrorKind::Parse, "ParseXMLError", message);
    error.http_status = response.status;
    error.request_id = header(&response, "x-oss-request-id");
    error.body = response.body;
    error
}

/// `text` URL-decoded with the SDK's `UrlDecode` when the reply says `encoding-type=url`.
pub(crate) fn url_decoded_if(url: bool, text: &str) -> String {
    if url {
        String::from_utf8_lossy(&crate::encoding::sdk_url_decode(text.as_bytes())).into_owned()
    } else {
        text.to_owned()
    }
}
