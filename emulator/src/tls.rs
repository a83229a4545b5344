//! HTTPS: a rustls server configuration from PEM files.

use std::io;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsFiles;

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what)
}

pub(crate) fn server_config(files: &TlsFiles) -> io::Result<Arc<rustls::ServerConfig>> {
    let cert_path = files.cert_pem.display();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert_pem)
        .map_err(|e| invalid(format!("--tls-cert {cert_path}: {e}")))?
        .collect::<Result<_, _>>()
        .map_err(|e| invalid(format!("--tls-cert {cert_path}: {e}")))?;
    if certs.is_empty() {
        return Err(invalid(format!(
            "--tls-cert {cert_path}: no CERTIFICATE block found"
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key_pem)
        .map_err(|e| invalid(format!("--tls-key {}: {e}", files.key_pem.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS setup failed: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            invalid(format!(
                "--tls-cert/--tls-key do not form a usable pair: {e}"
            ))
        })?;
    Ok(Arc::new(config))
}
