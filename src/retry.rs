//! When a failed attempt is tried again, and after how long (the C++ SDK's
//! DefaultRetryStrategy).

use std::time::Duration;

use crate::error::{Error, ErrorKind};

/// Whether `error` is worth another attempt: 5xx answers (OSS XML or not), RequestTimeTooSkewed,
/// and failures to connect, send or receive. Never 4xx (a retry would be refused the same way), a
/// failed callback (the object is stored), a CRC mismatch, an abort, TLS or name-resolution
/// failures.
pub fn is_retryable(error: &Error) -> bool {
    match error.kind {
        // A 5xx from a proxy or gateway may carry a body that is not OSS XML; its status
        // still says "try again".
        ErrorKind::Server | ErrorKind::Parse => {
            (500..=598).contains(&error.http_status)
                || (error.http_status == 403 && error.code == "RequestTimeTooSkewed")
        }
        ErrorKind::Connect => error.code != RESOLVE_FAILED,
        ErrorKind::Timeout | ErrorKind::Transport => true,
        _ => false,
    }
}

/// Whether OSS refuses to do operation `name` a second time, so that sending it again after an
/// attempt that may have been acted on cannot repeat its effects: CompleteMultipartUpload (the
/// upload is gone once completed: NoSuchUpload, no second object, no second callback).
/// PutObject and PutObjectByUrl would store the object again and make its callback again.
pub fn replay_is_refused(name: &str) -> bool {
    name == "CompleteMultipartUpload"
}

/// The C++ SDK's code for a failed name resolution (curl error 6), which it does not retry.
pub const RESOLVE_FAILED: &str = "ClientError:200006";

/// `(1 << retry) * scale` milliseconds: 300, 600, 1200 by default.
pub fn delay(retry: u32, scale_ms: u64) -> Duration {
    Duration::from_millis(scale_ms.saturating_mul(1u64 << retry.min(20)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status: u16, code: &str) -> Error {
        let mut error = Error::new(ErrorKind::Server, code, "");
        error.http_status = status;
        error
    }

    #[test]
    fn server_errors_and_skew_are_retried_client_errors_are_not() {
        assert!(is_retryable(&server(500, "InternalError")));
        assert!(is_retryable(&server(503, "ServiceUnavailable")));
        assert!(is_retryable(&server(403, "RequestTimeTooSkewed")));
        assert!(!is_retryable(&server(403, "SignatureDoesNotMatch")));
        assert!(!is_retryable(&server(404, "NoSuchBucket")));
        assert!(!is_retryable(&Error::new(
            ErrorKind::CallbackFailed,
            "CallbackFailed",
            ""
        )));
        assert!(!is_retryable(&Error::new(
            ErrorKind::CrcMismatch,
            "ClientError:100001",
            ""
        )));
        assert!(!is_retryable(&Error::new(
            ErrorKind::Tls,
            "ClientError:200060",
            ""
        )));
        assert!(!is_retryable(&Error::new(
            ErrorKind::Connect,
            RESOLVE_FAILED,
            ""
        )));
        assert!(is_retryable(&Error::new(
            ErrorKind::Connect,
            "ClientError:200007",
            ""
        )));
        let mut gateway = Error::new(ErrorKind::Parse, "ParseXMLError", "");
        gateway.http_status = 502;
        assert!(is_retryable(&gateway));
        gateway.http_status = 200;
        assert!(!is_retryable(&gateway));
    }

    #[test]
    fn only_complete_multipart_upload_is_refused_when_replayed() {
        assert!(replay_is_refused("CompleteMultipartUpload"));
        assert!(!replay_is_refused("PutObject"));
        assert!(!replay_is_refused("PutObjectByUrl"));
    }

    #[test]
    fn backoff_doubles_from_the_scale() {
        assert_eq!(delay(0, 300), Duration::from_millis(300));
        assert_eq!(delay(1, 300), Duration::from_millis(600));
        assert_eq!(delay(2, 300), Duration::from_millis(1200));
    }
}
