//! The error every fallible operation of the core returns.
//!
//! It carries what the C++ SDK's `OssError` carries (code, message, request id, host), plus what
//! that SDK hides: the HTTP status, OSS's detailed error code (EC), the raw response body, and
//! whether the object was stored, so a caller never has to guess whether an upload took effect.

use std::fmt;

/// The category of a failure; the C API maps each to an `ossffi_result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An argument was malformed (for the C API: a value out of range, a bad header name).
    InvalidArgument,
    /// The client configuration cannot work (for example V4 signing without a region).
    InvalidConfig,
    /// The request failed the SDK's validation before any I/O (`ValidateError`).
    Validate,
    /// No usable credentials.
    Credentials,
    /// A local I/O error: reading the file or a body callback.
    Io,
    /// The server could not be reached.
    Connect,
    /// The server did not answer within the timeout.
    Timeout,
    /// TLS handshake or certificate verification failed.
    Tls,
    /// The connection broke, or the reply was not HTTP.
    Transport,
    /// The server answered with an error status.
    Server,
    /// HTTP 203: the object was stored but the upload callback failed.
    CallbackFailed,
    /// The CRC-64 of the sent bytes differs from the server's.
    CrcMismatch,
    /// A body or progress callback asked to stop.
    Aborted,
    /// An asynchronous call was cancelled (`ossffi_call_cancel`, `ossffi_client_cancel_all`).
    Cancelled,
    /// A reply could not be parsed.
    Parse,
    /// The `authorization` header of a callback request is not a base64 signature.
    CallbackSignatureMalformed,
    /// The callback's public-key URL is not allowed (or not valid base64).
    CallbackKeyUrlNotAllowed,
    /// The callback public key could not be fetched.
    CallbackKeyFetchFailed,
    /// The callback public key is not a PEM RSA public key.
    CallbackKeyMalformed,
    /// The callback signature does not verify.
    CallbackSignatureMismatch,
}

/// Whether an upload that failed left the object in the bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStored {
    /// Nothing was stored (refused before or by the server).
    No,
    /// The object is in the bucket (callback failed, CRC mismatch after the server accepted it).
    Yes,
    /// The request may have reached the server (the connection broke after the body was sent).
    Unknown,
}

/// A boxed [`ErrorDetails`]: errors travel through `Result`s on every path, so they stay one
/// pointer wide; the fields read as if they were the error's own.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorDetails>);

impl std::ops::Deref for Error {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    /// The C++ SDK's `OssError::Code()`: OSS's code (`AccessDenied`, `CallbackFailed`, ...),
    /// `ServerError:<status>` for a bodiless error, `ClientError:<n>` for client failures,
    /// `ValidateError`, `ParseXMLError`, ...
    pub code: String,
    pub message: String,
    /// HTTP status of the reply; 0 when there was none.
    pub http_status: u16,
    pub request_id: String,
    /// `HostId` of an OSS error (the C++ SDK's `OssError::Host()`).
    pub host_id: String,
    /// OSS's detailed error code (`EC`, e.g. `0002-00000040`), if any.
    pub ec: String,
    /// The raw reply body, if any.
    pub body: Vec<u8>,
    pub object_stored: ObjectStored,
}

impl Error {
    /// An error raised on this side, before or without a reply.
    pub fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self(Box::new(ErrorDetails {
            kind,
            code: code.into(),
            message: message.into(),
            http_status: 0,
            request_id: String::new(),
            host_id: String::new(),
            ec: String::new(),
            body: Vec::new(),
            object_stored: ObjectStored::No,
        }))
    }

    /// The C++ SDK's `ValidateError` with its message.
    pub fn validate(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validate, "ValidateError", message)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, "InvalidArgument", message)
    }

    pub fn invalid_config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidConfig, "InvalidConfig", message)
    }

    pub fn with_object_stored(mut self, stored: ObjectStored) -> Self {
        self.object_stored = stored;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if self.http_status != 0 {
            write!(f, " (HTTP {})", self.http_status)?;
        }
        if !self.request_id.is_empty() {
            write!(f, " [request id {}]", self.request_id)?;
        }
        match self.object_stored {
            ObjectStored::Yes => f.write_str("; the object was stored"),
            ObjectStored::Unknown => f.write_str("; the object may have been stored"),
            ObjectStored::No => Ok(()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("http_status", &self.http_status)
            .field("request_id", &self.request_id)
            .field("host_id", &self.host_id)
            .field("ec", &self.ec)
            .field("body_len", &self.body.len())
            .field("object_stored", &self.object_stored)
            .finish()
    }
}

impl std::error::Error for Error {}
