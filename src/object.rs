//! The object basics beyond PutObject, each a declaration on the client's pipeline plus a reader
//! of its reply: `GetObject` (streamed), `HeadObject` and `DeleteObject`.

use std::io::Write;

use crate::client::Client;
use crate::error::Error;
use crate::http::Response;
use crate::operation::Operation;
use crate::put_object::ProgressFn;

/// What `HeadObject` and `GetObject` return: the object's metadata, from the reply's headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub http_status: u16,
    pub request_id: String,
    /// `ETag` without its quotes.
    pub etag: String,
    /// The object's size in bytes.
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
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What `DeleteObject` returns. OSS answers 204 whether or not the object existed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteObjectResult {
    pub http_status: u16,
    pub request_id: String,
    pub version_id: String,
    /// `x-oss-delete-marker: true`: on a versioned bucket, the delete made a delete marker.
    pub delete_marker: bool,
}

impl Client {
    /// Downloads the object into `writer` as it arrives, whatever its size: nothing of it is
    /// held in memory. `progress` is called with `(increment, received, total)` per chunk and
    /// may stop the download. The CRC-64 of the bytes received is checked against OSS's
    /// (`ClientError:100001` on a mismatch). An error reply writes nothing to `writer`; a reply
    /// that breaks off mid-body is an error that says how many bytes arrived, and once bytes
    /// reached `writer` the download is not retried (they cannot be taken back).
    pub fn get_object_to(
        &self,
        bucket: &str,
        key: &str,
        writer: &mut dyn Write,
        progress: Option<&mut ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        let response = self.invoke(Operation {
            check_crc64: true,
            reply: Some(writer),
            progress,
            ..Operation::new("GetObject", "GET", bucket, Some(key))
        })?;
        Ok(object_meta(response))
    }

    /// The object's metadata without its content. A missing object is the error `NoSuchKey`
    /// (read from the reply's `x-oss-err` header, as HEAD replies have no body).
    pub fn head_object(&self, bucket: &str, key: &str) -> Result<ObjectMeta, Error> {
        let response = self.invoke(Operation::new("HeadObject", "HEAD", bucket, Some(key)))?;
        Ok(object_meta(response))
    }

    /// Deletes the object; deleting one that does not exist succeeds, as on OSS.
    pub fn delete_object(&self, bucket: &str, key: &str) -> Result<DeleteObjectResult, Error> {
        let response = self.invoke(Operation::new("DeleteObject", "DELETE", bucket, Some(key)))?;
        Ok(DeleteObjectResult {
            http_status: response.status,
            request_id: header(&response, "x-oss-request-id"),
            version_id: header(&response, "x-oss-version-id"),
            delete_marker: response
                .header("x-oss-delete-marker")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
        })
    }
}

fn header(response: &Response, name: &str) -> String {
    response.header(name).unwrap_or("").trim().to_owned()
}

fn object_meta(response: Response) -> ObjectMeta {
    let user_metadata = response
        .headers
        .iter()
        .filter_map(|(name, value)| {
            let prefix = name.get(..11)?;
            prefix
                .eq_ignore_ascii_case("x-oss-meta-")
                .then(|| (name[11..].to_owned(), value.clone()))
        })
        .collect();
    ObjectMeta {
        http_status: response.status,
        request_id: header(&response, "x-oss-request-id"),
        etag: header(&response, "etag").trim_matches('"').to_owned(),
        content_length: header(&response, "content-length").parse().unwrap_or(0),
        content_type: header(&response, "content-type"),
        last_modified: header(&response, "last-modified"),
        crc64: header(&response, "x-oss-hash-crc64ecma")
            .parse()
            .unwrap_or(0),
        version_id: header(&response, "x-oss-version-id"),
        user_metadata,
        headers: response.headers,
    }
}
