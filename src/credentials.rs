//! Where a client's credentials come from, asked once per request attempt so that rotating
//! providers (STS) take effect on the next attempt.

use crate::error::{Error, ErrorKind};
pub use crate::signing::Credentials;

/// A source of credentials; called on the thread that sends the request, possibly from several
/// threads at once when a client is shared.
pub trait CredentialsProvider: Send + Sync {
    fn credentials(&self) -> Result<Credentials, Error>;
}

/// Fixed credentials (the C++ SDK's `SimpleCredentialsProvider`).
#[derive(Debug, Clone)]
pub struct StaticCredentials(pub Credentials);

impl CredentialsProvider for StaticCredentials {
    fn credentials(&self) -> Result<Credentials, Error> {
        Ok(self.0.clone())
    }
}

/// `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET` and (optional) `OSS_SESSION_TOKEN`, read on
/// every call like the C++ SDK's `EnvironmentVariableCredentialsProvider`. Unlike the SDK, a
/// missing id is an error here instead of an unsigned request that OSS refuses.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentCredentials;

impl CredentialsProvider for EnvironmentCredentials {
    fn credentials(&self) -> Result<Credentials, Error> {
        let id = std::env::var("OSS_ACCESS_KEY_ID").unwrap_or_default();
        if id.is_empty() {
            return Err(Error::new(
                ErrorKind::Credentials,
                "InvalidCredentials",
                "OSS_ACCESS_KEY_ID is not set: export OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN for STS credentials)",
            ));
        }
        let secret = std::env::var("OSS_ACCESS_KEY_SECRET").unwrap_or_default();
        let token = std::env::var("OSS_SESSION_TOKEN")
            .ok()
            .filter(|t| !t.is_empty());
        Ok(Credentials {
            access_key_id: id,
            access_key_secret: secret,
            security_token: token,
        })
    }
}

/// Credentials a provider returned must at least name an access key.
pub(crate) fn check(credentials: Credentials) -> Result<Credentials, Error> {
    if credentials.access_key_id.is_empty() {
        return Err(Error::new(
            ErrorKind::Credentials,
            "InvalidCredentials",
            "the credentials provider returned an empty access key id",
        ));
    }
    Ok(credentials)
}
