//! TLS client settings, as the C++ SDK's verifySSL / caFile / caPath mean them.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsOptions {
    /// Check the server's certificate and name (the C++ SDK's verifySSL, on by default).
    pub verify: bool,
    /// A PEM file of trusted CA certificates; when set (or `ca_path`), only these are trusted,
    /// as with curl's CAINFO.
    pub ca_file: Option<String>,
    /// A directory of PEM files of trusted CA certificates.
    pub ca_path: Option<String>,
}

impl Default for TlsOptions {
    fn default() -> Self {
        Self {
            verify: true,
            ca_file: None,
            ca_path: None,
        }
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

pub(super) fn client_config(options: &TlsOptions) -> Result<ClientConfig, String> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    let config = if options.verify {
        builder
            .with_root_certificates(root_store(options)?)
            .with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider())))
            .with_no_client_auth()
    };
    Ok(config)
}

fn root_store(options: &TlsOptions) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    if options.ca_file.is_none() && options.ca_path.is_none() {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        return Ok(store);
    }
    if let Some(file) = &options.ca_file {
        add_pem_file(&mut store, std::path::Path::new(file))?;
    }
    if let Some(dir) = &options.ca_path {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read caPath directory {dir:?}: {e}"))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                // A CA directory often holds other files too (hash links, READMEs): skip those
                // that hold no certificate rather than failing.
                let _ = add_pem_file(&mut store, &path);
            }
        }
    }
    if store.is_empty() {
        return Err(format!(
            "no CA certificate could be loaded from caFile {:?} / caPath {:?}; give PEM certificates",
            options.ca_file, options.ca_path
        ));
    }
    Ok(store)
}

fn add_pem_file(store: &mut RootCertStore, path: &std::path::Path) -> Result<(), String> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("cannot read CA file {}: {e}", path.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("CA file {} is not valid PEM: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "CA file {} holds no PEM certificate",
            path.display()
        ));
    }
    for cert in certs {
        store.add(cert).map_err(|e| {
            format!(
                "CA file {} holds an unusable certificate: {e}",
                path.display()
            )
        })?;
    }
    Ok(())
}

/// verifySSL = false: any certificate and name are accepted (signatures are still checked, so
/// the handshake itself stays sound). Only for testing against self-signed servers.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
