//! OSS errors as the emulator answers them: status, code, message, EC and extra XML elements.

use ossffi::oss_error::write_error_xml;

/// An error response in the making. `to_xml` renders the body OSS sends.
#[derive(Debug, Clone)]
pub(crate) struct OssError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    /// OSS's detailed error code (`NNNN-NNNNNNNN`), sent as `<EC>` and `x-oss-ec`.
    pub ec: Option<&'static str>,
    /// Error-specific elements, in the order they appear after `HostId`.
    pub fields: Vec<(&'static str, String)>,
}

impl OssError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        OssError {
            status,
            code,
            message: message.into(),
            ec: None,
            fields: Vec::new(),
        }
    }

    pub fn ec(mut self, ec: &'static str) -> Self {
        self.ec = Some(ec);
        self
    }

    pub fn field(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.fields.push((name, value.into()));
        self
    }

    pub fn to_xml(&self, request_id: &str, host_id: &str) -> String {
        let mut extra: Vec<(&str, &str)> =
            self.fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        if let Some(ec) = self.ec {
            extra.push(("EC", ec));
        }
        write_error_xml(self.code, &self.message, request_id, host_id, &extra)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        OssError::new(400, "InvalidArgument", message)
    }

    pub fn invalid_argument_named(message: impl Into<String>, name: &str, value: &str) -> Self {
        OssError::invalid_argument(message)
            .field("ArgumentName", name)
            .field("ArgumentValue", value)
    }

    pub fn no_such_bucket(bucket: &str) -> Self {
        OssError::new(404, "NoSuchBucket", "The specified bucket does not exist.")
            .field("BucketName", bucket)
            .ec("0015-00000101")
    }

    pub fn no_such_key(key: &str) -> Self {
        OssError::new(404, "NoSuchKey", "The specified key does not exist.")
            .field("Key", key)
            .ec("0026-00000001")
    }

    pub fn no_such_upload(upload_id: &str) -> Self {
        OssError::new(
            404,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        )
        .field("UploadId", upload_id)
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        OssError::new(403, "AccessDenied", message)
    }

    pub fn request_timeout() -> Self {
        OssError::new(
            400,
            "RequestTimeout",
            "Your socket connection to the server was not read from or written to within the timeout period.",
        )
    }

    pub fn method_not_allowed(method: &str, resource: &str) -> Self {
        OssError::new(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        )
        .field("Method", method)
        .field("ResourceType", resource)
    }

    pub fn not_implemented(what: &str) -> Self {
        OssError::new(
            501,
            "NotImplemented",
            format!(
                "{what} is not implemented by ossffi-emulator; see emulator/README.md for the supported operations."
            ),
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        OssError::new(500, "InternalError", message)
    }
}
