//! CreateBucket and DeleteBucket.

use super::request::Verb;
use super::{DataRedundancyType, ObjectRequest, StorageClass, declare, header};
use crate::client::Client;
use crate::error::Error;
use crate::http::Response;
use crate::operation::Operation;
use crate::put_object::Body;

/// What CreateBucket and DeleteBucket return: the reply's status, request id and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketResult {
    pub http_status: u16,
    pub request_id: String,
    pub headers: Vec<(String, String)>,
}

impl BucketResult {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::headers::find(&self.headers, name)
    }
}

impl Client {
    /// Creates the bucket with `request.storage_class` (Standard when unset) and, when set,
    /// `request.data_redundancy`; an `x-oss-acl` header sets its ACL.
    pub fn create_bucket(&self, request: &ObjectRequest) -> Result<BucketResult, Error> {
        let declared = declare(request, Verb::CreateBucket, "PUT")?;
        let xml = create_bucket_body(
            request.storage_class.unwrap_or(StorageClass::Standard),
            request.data_redundancy,
        );
        let mut body = Body::Bytes(xml.as_bytes());
        let response = self.invoke(Operation {
            body: Some(&mut body),
            ..declared
        })?;
        Ok(bucket_result(response))
    }

    /// Deletes the bucket; OSS refuses one that still holds objects (`BucketNotEmpty`).
    pub fn delete_bucket(&self, request: &ObjectRequest) -> Result<BucketResult, Error> {
        let response = self.invoke(declare(request, Verb::DeleteBucket, "DELETE")?)?;
        Ok(bucket_result(response))
    }
}

/// The SDK's CreateBucketConfiguration, byte for byte (no indentation, no final newline).
pub(crate) fn create_bucket_body(
    storage_class: StorageClass,
    redundancy: Option<DataRedundancyType>,
) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\n<StorageClass>{storage_class}</StorageClass>\n"
    );
    if let Some(redundancy) = redundancy {
        xml.push_str(&format!(
            "<DataRedundancyType>{redundancy}</DataRedundancyType>\n"
        ));
    }
    xml.push_str("</CreateBucketConfiguration>");
    xml
}

fn bucket_result(response: Response) -> BucketResult {
    BucketResult {
        http_status: response.status,
        request_id: header(&response, "x-oss-request-id"),
        headers: response.headers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_sdks_byte_for_byte() {
        assert_eq!(
            create_bucket_body(StorageClass::Standard, None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\n<StorageClass>Standard</StorageClass>\n</CreateBucketConfiguration>"
        );
        assert_eq!(
            create_bucket_body(StorageClass::ColdArchive, Some(DataRedundancyType::ZRS)),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\n<StorageClass>ColdArchive</StorageClass>\n<DataRedundancyType>ZRS</DataRedundancyType>\n</CreateBucketConfiguration>"
        );
    }
}
