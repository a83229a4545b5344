//! The result code every fallible export returns.

/// What a fallible ossffi function returns. `OSSFFI_RESULT_OK` (0) means success; every other value
/// names the category of the failure. Values are append-only: a number, once released, keeps its
/// meaning forever and is never reused. `ossffi_result_name` gives each code's name as text.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ossffi_result {
    /// Success.
    Ok = 0,
    /// A pointer that must not be NULL was NULL.
    NullParameter = 1,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// An argument had a value outside its documented range or form.
    InvalidArgument = 3,
    /// A bug inside ossffi was caught at the library boundary; the call did nothing useful.
    /// Please report it.
    Panic = 4,
    /// ObjectCallbackVariableBuilder refused a key: custom variable keys must start with `x:`.
    InvalidCallbackVariableKey = 5,
    /// The client configuration is inconsistent (for example V4 signing without a region).
    InvalidConfig = 6,
    /// The request failed validation before any I/O (bad bucket or key, unreadable body):
    /// the C++ SDK's `ValidateError`.
    ValidateError = 7,
    /// No usable credentials (for example `OSS_ACCESS_KEY_ID` unset).
    Credentials = 8,
    /// A local I/O error (reading a file or a body callback).
    Io = 9,
    /// The server could not be reached (DNS, refused connection, connect timeout).
    Connect = 10,
    /// The server stopped answering within the request timeout.
    Timeout = 11,
    /// TLS handshake or certificate verification failed.
    Tls = 12,
    /// The connection broke or the server sent something that is not HTTP.
    Transport = 13,
    /// The server answered with an error status (3xx, 4xx, 5xx); the error object holds the
    /// HTTP status, the OSS error code and message.
    ServerError = 14,
    /// OSS stored the object but the upload callback failed (HTTP 203 `CallbackFailed`).
    CallbackFailed = 15,
    /// The CRC-64 the server computed differs from the one computed while sending
    /// (`ClientError:100001`).
    CrcMismatch = 16,
    /// A body or progress callback returned non-zero and so aborted the transfer.
    AbortedByCallback = 17,
    /// A response could not be parsed (malformed XML, impossible header values).
    ParseError = 18,
    /// A callback request's `authorization` header is not valid base64 of an RSA signature.
    CallbackSignatureMalformed = 19,
    /// A callback request's `x-oss-pub-key-url` is not valid base64, or names a URL outside the
    /// allowed prefixes (by default only `https://gosspublic.alicdn.com/` and
    /// `http://gosspublic.alicdn.com/`); no connection was made.
    CallbackKeyUrlNotAllowed = 20,
    /// Fetching the callback public key failed (connection, timeout, HTTP status).
    CallbackKeyFetchFailed = 21,
    /// The callback public key is not a PEM RSA public key.
    CallbackKeyMalformed = 22,
    /// The callback request's signature does not match its path, query and body: do not trust it.
    CallbackSignatureMismatch = 23,
    /// The client's async queue is full and the submission did not wait for room
    /// (`OSSFFI_WHEN_FULL_FAIL`, or a submission from one of the client's own pool threads).
    /// Nothing was submitted.
    QueueFull = 24,
    /// The asynchronous call was cancelled (`ossffi_call_cancel`, `ossffi_client_cancel_all`).
    Cancelled = 25,
    /// The client is being freed and takes no more calls. Nothing was submitted.
    ClientClosing = 26,
}

impl ossffi_result {
    /// The code for a number received from C, if this version knows it.
    pub(crate) fn from_code(code: u32) -> Option<Self> {
        Some(match code {
            0 => Self::Ok,
            1 => Self::NullParameter,
            2 => Self::InvalidUtf8,
            3 => Self::InvalidArgument,
            4 => Self::Panic,
            5 => Self::InvalidCallbackVariableKey,
            6 => Self::InvalidConfig,
            7 => Self::ValidateError,
            8 => Self::Credentials,
            9 => Self::Io,
            10 => Self::Connect,
            11 => Self::Timeout,
            12 => Self::Tls,
            13 => Self::Transport,
            14 => Self::ServerError,
            15 => Self::CallbackFailed,
            16 => Self::CrcMismatch,
            17 => Self::AbortedByCallback,
            18 => Self::ParseError,
            19 => Self::CallbackSignatureMalformed,
            20 => Self::CallbackKeyUrlNotAllowed,
            21 => Self::CallbackKeyFetchFailed,
            22 => Self::CallbackKeyMalformed,
            23 => Self::CallbackSignatureMismatch,
            24 => Self::QueueFull,
            25 => Self::Cancelled,
            26 => Self::ClientClosing,
            _ => return None,
        })
    }

    /// The name as the header spells it, NUL-terminated for C.
    pub(crate) fn name_nul(self) -> &'static str {
        match self {
            Self::Ok => "OSSFFI_RESULT_OK\0",
            Self::NullParameter => "OSSFFI_RESULT_NULL_PARAMETER\0",
            Self::InvalidUtf8 => "OSSFFI_RESULT_INVALID_UTF8\0",
            Self::InvalidArgument => "OSSFFI_RESULT_INVALID_ARGUMENT\0",
            Self::Panic => "OSSFFI_RESULT_PANIC\0",
            Self::InvalidCallbackVariableKey => "OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY\0",
            Self::InvalidConfig => "OSSFFI_RESULT_INVALID_CONFIG\0",
            Self::ValidateError => "OSSFFI_RESULT_VALIDATE_ERROR\0",
            Self::Credentials => "OSSFFI_RESULT_CREDENTIALS\0",
            Self::Io => "OSSFFI_RESULT_IO\0",
            Self::Connect => "OSSFFI_RESULT_CONNECT\0",
            Self::Timeout => "OSSFFI_RESULT_TIMEOUT\0",
            Self::Tls => "OSSFFI_RESULT_TLS\0",
            Self::Transport => "OSSFFI_RESULT_TRANSPORT\0",
            Self::ServerError => "OSSFFI_RESULT_SERVER_ERROR\0",
            Self::CallbackFailed => "OSSFFI_RESULT_CALLBACK_FAILED\0",
            Self::CrcMismatch => "OSSFFI_RESULT_CRC_MISMATCH\0",
            Self::AbortedByCallback => "OSSFFI_RESULT_ABORTED_BY_CALLBACK\0",
            Self::ParseError => "OSSFFI_RESULT_PARSE_ERROR\0",
            Self::CallbackSignatureMalformed => "OSSFFI_RESULT_CALLBACK_SIGNATURE_MALFORMED\0",
            Self::CallbackKeyUrlNotAllowed => "OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED\0",
            Self::CallbackKeyFetchFailed => "OSSFFI_RESULT_CALLBACK_KEY_FETCH_FAILED\0",
            Self::CallbackKeyMalformed => "OSSFFI_RESULT_CALLBACK_KEY_MALFORMED\0",
            Self::CallbackSignatureMismatch => "OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH\0",
            Self::QueueFull => "OSSFFI_RESULT_QUEUE_FULL\0",
            Self::Cancelled => "OSSFFI_RESULT_CANCELLED\0",
            Self::ClientClosing => "OSSFFI_RESULT_CLIENT_CLOSING\0",
        }
    }
}
