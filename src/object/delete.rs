//! DeleteObject.

use super::request::Verb;
use super::{ObjectRequest, declare, find_header, header};
use crate::client::Client;
use crate::error::Error;

/// What `DeleteObject` returns. OSS answers 204 whether or not the object existed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteObjectResult {
    pub http_status: u16,
    pub request_id: String,
    pub version_id: String,
    /// `x-oss-delete-marker` is present: on a versioned bucket, the delete made a delete
    /// marker (the SDK tests presence, not the value).
    pub delete_marker: bool,
    /// Every header of the reply.
    pub headers: Vec<(String, String)>,
}

impl DeleteObjectResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl Client {
    /// Deletes the object (`versionId` as a parameter deletes one version); deleting one that
    /// does not exist succeeds, as on OSS.
    pub fn delete_object(&self, request: &ObjectRequest) -> Result<DeleteObjectResult, Error> {
        let response = self.invoke(declare(request, Verb::DeleteObject, "DELETE")?)?;
        Ok(DeleteObjectResult {
            http_status: response.status,
            request_id: header(&response, "x-oss-request-id"),
            version_id: header(&response, "x-oss-version-id"),
            delete_marker: response.header("x-oss-delete-marker").is_some(),
            headers: response.headers,
        })
    }
}
