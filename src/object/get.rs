//! GetObject, HeadObject, GetObjectMeta and DoesObjectExist: an object's bytes and metadata.

use std::io::Write;

use super::request::Verb;
use super::{ObjectMeta, ObjectRequest, declare, header, with_parameter};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::http::Response;
use crate::operation::Operation;
use crate::put_object::ProgressFn;

impl Client {
    /// Downloads the object into `writer` as it arrives, whatever its size: nothing of it is
    /// held in memory. `progress` is called with `(increment, received, total)` per chunk and
    /// may stop the download. For a whole object (no Range) with `check_crc64`, the CRC-64 of
    /// the bytes received is checked against OSS's (`ClientError:100001` on a mismatch). An
    /// error reply writes nothing to `writer`; a reply that breaks off mid-body is an error that
    /// says how many bytes arrived, and once bytes reached `writer` the download is not retried
    /// (they cannot be taken back).
    pub fn get_object(
        &self,
        request: &ObjectRequest,
        writer: &mut dyn Write,
        progress: Option<&mut ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        self.download(request, Verb::GetObject, writer, progress)
    }

    /// GetObject's request as `verb` (GetObject or GetObjectByUrl).
    pub(super) fn download(
        &self,
        request: &ObjectRequest,
        verb: Verb,
        writer: &mut dyn Write,
        progress: Option<&mut ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        let declared = declare(request, verb, "GET")?;
        let response = self.invoke(Operation {
            check_crc64: request.check_crc64,
            reply: Some(writer),
            progress,
            ..declared
        })?;
        Ok(object_meta(response))
    }

    /// The object's metadata without its content. A missing object is the error `NoSuchKey`
    /// (read from the reply's `x-oss-err` header, as HEAD replies have no body).
    pub fn head_object(&self, request: &ObjectRequest) -> Result<ObjectMeta, Error> {
        let response = self.invoke(declare(request, Verb::HeadObject, "HEAD")?)?;
        Ok(object_meta(response))
    }

    /// The object's basic metadata (`HEAD ?objectMeta`: ETag, size, Last-Modified, version),
    /// cheaper than HeadObject on OSS.
    pub fn get_object_meta(&self, request: &ObjectRequest) -> Result<ObjectMeta, Error> {
        self.object_meta_as(request, Verb::GetObjectMeta)
    }

    /// Whether the object exists, asked with GetObjectMeta. Unlike the C++ SDK's `bool`, only a
    /// 404 about the key (`NoSuchKey`, or a bare `ServerError:404`) means `false`; every other
    /// failure (a missing bucket, 403, network, validation) is an error, so "absent" and "could
    /// not ask" stay apart.
    pub fn does_object_exist(&self, request: &ObjectRequest) -> Result<bool, Error> {
        match self.object_meta_as(request, Verb::DoesObjectExist) {
            Ok(_) => Ok(true),
            Err(error)
                if error.kind == ErrorKind::Server
                    && error.http_status == 404
                    && (error.code == "NoSuchKey" || error.code == "ServerError:404") =>
            {
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    fn object_meta_as(&self, request: &ObjectRequest, verb: Verb) -> Result<ObjectMeta, Error> {
        let parameters = with_parameter(&request.parameters, "objectMeta", "");
        let declared = declare(request, verb, "HEAD")?;
        let response = self.invoke(Operation {
            parameters: &parameters,
            ..declared
        })?;
        Ok(object_meta(response))
    }
}

pub(super) fn object_meta(response: Response) -> ObjectMeta {
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
