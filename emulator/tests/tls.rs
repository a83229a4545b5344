//! HTTPS with a certificate generated at test time by the openssl CLI.

#[path = "../../tests/support/certs.rs"]
mod certs;
mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use common::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

#[test]
fn https_put_and_get_work_with_a_trusted_certificate() {
    let certs = certs::make("emulator-tls");
    let server = start(config().with_tls(&certs.server_cert, &certs.server_key));
    let addr = server.addr();

    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&certs.ca).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let conn =
        rustls::ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
            .unwrap();
    let mut tls = rustls::StreamOwned::new(conn, TcpStream::connect(addr).unwrap());

    let mut exchange = |req: Request| -> (u16, Vec<u8>) {
        tls.write_all(&req.to_bytes()).unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = tls.read(&mut chunk).unwrap();
            assert!(n > 0, "connection closed early");
            buf.extend_from_slice(&chunk[..n]);
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut resp = httparse::Response::new(&mut headers);
            if let Ok(httparse::Status::Complete(head)) = resp.parse(&buf) {
                let len: usize = resp
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .map(|h| std::str::from_utf8(h.value).unwrap().parse().unwrap())
                    .unwrap_or(0);
                if buf.len() >= head + len {
                    return (resp.code.unwrap(), buf[head..head + len].to_vec());
                }
            }
        }
    };
    let (status, _) = exchange(
        Request::object("PUT", addr, "tls.txt")
            .body(b"secure".to_vec())
            .sign_v4(),
    );
    assert_eq!(status, 200);
    let (status, body) = exchange(Request::object("GET", addr, "tls.txt").sign_v4());
    assert_eq!((status, body.as_slice()), (200, &b"secure"[..]));
}

#[test]
fn missing_certificate_file_is_reported_with_its_flag() {
    let err = ossffi_emulator::Server::start(
        config().with_tls("/nonexistent/cert.pem", "/nonexistent/key.pem"),
    )
    .err()
    .expect("start fails");
    assert!(err.to_string().contains("--tls-cert"), "{err}");
}
