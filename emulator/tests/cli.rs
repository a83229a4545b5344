//! The binary: first stdout line is the address, it serves, SIGTERM ends it with status 0.

mod common;

use std::process::Command;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_ossffi-emulator");

#[test]
fn binary_prints_its_address_serves_and_exits_0_on_sigterm() {
    let (mut child, addr) = start_binary(None, &[]);
    assert_eq!(put(addr, "cli.txt", b"hello").status, 200);
    assert_eq!(get(addr, "cli.txt").body, b"hello");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn help_documents_every_flag() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--listen",
        "--access-key-id",
        "--access-key-secret",
        "--sts-token",
        "--region",
        "--bucket",
        "--domain",
        "--cname",
        "--data-dir",
        "--now",
        "--sink",
        "--sink-skip-md5",
        "--tls-cert",
        "--tls-key",
        "--allow-callback-host",
        "--fail-next",
        "--fail-status",
        "--drop-next",
        "--delay-ms",
        "--wrong-crc-next",
        "--wrong-crc-always",
        "--callback-fail-next",
        "--callback-stall-next",
        "--body-timeout-ms",
        "--header-timeout-ms",
        "--max-connections",
        "--journal",
        "--fail-part",
    ] {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let out = Command::new(BIN)
        .args(["--listen", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--listen"));
}

#[test]
fn sink_skip_md5_alone_is_refused_with_a_message() {
    let out = Command::new(BIN)
        .args([
            "--access-key-id",
            AK,
            "--access-key-secret",
            SK,
            "--sink-skip-md5",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--sink-skip-md5") && stderr.contains("only valid together with --sink"),
        "{stderr}"
    );
}

#[test]
fn binary_with_sink_skip_md5_marks_its_etags() {
    let (mut child, addr) = start_binary(None, &["--sink", "--sink-skip-md5"]);
    let reply = put(addr, "k", b"hello");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("x-ossffi-emulator-etag"), Some("not-md5"));
    let expected = format!("\"{:016X}{:016X}\"", ossffi::crc64::crc64(b"hello"), 5u64);
    assert_eq!(reply.header("ETag"), Some(expected.as_str()));
    // The example in emulator/README.md.
    assert_eq!(expected, "\"9B1EDAE5DBB937B10000000000000005\"");
}
