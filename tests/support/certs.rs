//! A throw-away CA and a server certificate (by default for 127.0.0.1 and localhost), made with
//! the openssl CLI, so TLS is tested against a certificate chain no machine trusts by default.
//! The emulator's tests include this file too (`#[path]`), so both crates make certificates the
//! same way.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestCertificates {
    pub ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl CLI runs (make test installs it)");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

pub fn make(name: &str) -> TestCertificates {
    make_for(name, "IP:127.0.0.1,DNS:localhost")
}

/// A CA and a server certificate whose subjectAltName is `san` (openssl's syntax, such as
/// `DNS:gosspublic.alicdn.com`), for a loopback server standing in for a named host.
pub fn make_for(name: &str, san: &str) -> TestCertificates {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("certs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a directory for the certificates");
    let key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca_args = vec!["req", "-x509"];
    ca_args.extend(key);
    ca_args.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=ossffi test CA",
    ]);
    ca_args.extend([
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    openssl(&dir, &ca_args);
    let mut csr_args = vec!["req"];
    csr_args.extend(key);
    csr_args.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(&dir, &csr_args);
    std::fs::write(
        dir.join("san.cnf"),
        format!("subjectAltName={san}\nbasicConstraints=CA:FALSE\n"),
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "san.cnf",
        ],
    );
    TestCertificates {
        ca: dir.join("ca.pem"),
        server_cert: dir.join("server.pem"),
        server_key: dir.join("server.key"),
    }
}
