//! PutObjectByUrl and GetObjectByUrl: a request sent to a URL that someone else presigned
//! (`Client::generate_presigned_url`), as the C++ SDK sends it: no signature of its own, no
//! Date and no default Content-Type, only the headers the URL was signed with.

use std::io::Write;
use std::path::Path;

use super::request::Verb;
use super::{ObjectMeta, ObjectRequest, declare};
use crate::client::{Client, put_object_result};
use crate::error::Error;
use crate::operation::Operation;
use crate::put_object::{Body, ProgressFn, PutObjectResult};

impl Client {
    /// Uploads `body` to the presigned PUT URL of `request` ([`ObjectRequest::for_url`]),
    /// with the request's headers (they must match what the URL was signed with: Content-Type,
    /// Content-MD5, `x-oss-meta-*`, ...). The CRC-64 of the bytes sent is checked against
    /// OSS's when the client enables CRC-64.
    ///
    /// A URL whose query carries `callback=` makes OSS call the callback server: the result's
    /// body is then the server's reply, and a failed callback is the error `CallbackFailed`
    /// with the object stored, as for PutObject.
    ///
    /// # Errors
    /// `ClientError:200003` for a URL that cannot be sent; OSS's error otherwise (an expired
    /// URL is `AccessDenied`, a header that was not signed `SignatureDoesNotMatch`).
    pub fn put_object_by_url<'a>(
        &self,
        request: &ObjectRequest,
        body: &mut Body<'a>,
        progress: Option<&mut ProgressFn<'a>>,
    ) -> Result<PutObjectResult, Error> {
        let declared = declare(request, Verb::PutObjectByUrl, "PUT")?;
        let response = self.invoke(Operation {
            body: Some(body),
            progress,
            check_crc64: true,
            ..declared
        })?;
        Ok(put_object_result(response))
    }

    /// Downloads from the presigned GET URL of `request` into `writer`, as
    /// [`Client::get_object`] does (a Range header in the request is sent and turns the CRC-64
    /// check off, as the SDK's does).
    pub fn get_object_by_url(
        &self,
        request: &ObjectRequest,
        writer: &mut dyn Write,
        progress: Option<&mut ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        self.download(request, Verb::GetObjectByUrl, writer, progress)
    }

    /// [`Client::get_object_by_url`] into the file at `path`, which is replaced only by a
    /// complete, checked download (see [`Client::get_object_to_file`]).
    pub fn get_object_by_url_to_file(
        &self,
        request: &ObjectRequest,
        path: &Path,
        progress: Option<&mut ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        self.download_to_file(request, Verb::GetObjectByUrl, path, progress)
    }
}
