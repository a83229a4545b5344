//! A 1 GiB GetObject to a file keeps the downloading process's peak RSS under 16 MiB: the body
//! streams from the socket to the file through one bounded buffer, whatever the object's size.
//!
//! The download is `Client::get_object_to_file` (a temporary file renamed over the target once
//! the body is complete and its CRC-64 checked), the path the C API's output file takes. It runs
//! in a child process, this test binary started again for the one test
//! `child_downloads_the_object_to_a_file` with `OSSFFI_RSS_CHILD` set, so that the memory of the
//! parent (the test harness and the emulator, which holds the 1 GiB object) does not count. The
//! child reports `VmHWM` from `/proc/self/status` after the download: the peak resident set of
//! its own address space, reset by `exec`, unlike `ru_maxrss` of a forked child.
//!
//! The check can fail: a client that gathered the body in memory before writing it, or a
//! writer that buffered the whole file, would reach a VmHWM above 1 GiB, and one that kept even
//! 1/64 of it (16 MiB) fails too. In a debug build the child peaks at about 5 MiB, most of it
//! the test binary itself.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi::http::BodyError;
use ossffi::object::ObjectRequest;
use ossffi::put_object::{Body, BodyReader, PutObjectRequest};
use ossffi_emulator::{Config, Server};

const AK: &str = "LTAI5tTestAccessKey01";
const SK: &str = "TestSecretKeyForTheEmulator0001";
const BUCKET: &str = "rss-bucket";
const KEY: &str = "one-gib.bin";
const SIZE: u64 = 1 << 30;
const LIMIT_KIB: u64 = 16 * 1024;
const CHILD_ENV: &str = "OSSFFI_RSS_CHILD";

fn client(endpoint: &str) -> Client {
    let config = ClientConfig {
        region: "cn-hangzhou".into(),
        max_retries: 0,
        ..ClientConfig::default()
    };
    Client::new(
        endpoint,
        Arc::new(StaticCredentials(Credentials::new(AK, SK))),
        config,
    )
    .expect("a valid endpoint")
}

/// `SIZE` bytes of a repeating 64 KiB pattern, produced by copying (fast in a debug build too).
struct Pattern {
    block: Vec<u8>,
    sent: u64,
}

impl BodyReader for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, BodyError> {
        let offset = (self.sent % self.block.len() as u64) as usize;
        let n = (self.block.len() - offset)
            .min(buf.len())
            .min((SIZE - self.sent) as usize);
        buf[..n].copy_from_slice(&self.block[offset..offset + n]);
        self.sent += n as u64;
        Ok(n)
    }

    fn rewind(&mut self) -> Option<Result<(), BodyError>> {
        self.sent = 0;
        Some(Ok(()))
    }
}

/// A file system in memory when there is one, so the test measures the client, not a disk.
fn output_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_owned()
    } else {
        std::env::temp_dir()
    }
}

#[test]
fn a_1_gib_download_to_a_file_peaks_under_16_mib_of_rss() {
    let started = Instant::now();
    let server = Server::start(
        Config::new(AK, SK)
            .with_bucket(BUCKET)
            .with_region("cn-hangzhou"),
    )
    .expect("the emulator starts");
    let endpoint = format!("http://{}", server.addr());
    let mut pattern = Pattern {
        block: (0..64 * 1024u32).map(|i| (i * 131 + 7) as u8).collect(),
        sent: 0,
    };
    let mut upload = PutObjectRequest::new(
        BUCKET,
        KEY,
        Body::Reader {
            reader: &mut pattern,
            length: SIZE,
        },
    );
    client(&endpoint)
        .put_object(&mut upload)
        .expect("the 1 GiB upload succeeds");
    let uploaded = started.elapsed();

    let path = output_dir().join(format!("ossffi-download-rss-{}.bin", std::process::id()));
    let child = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([
            "--exact",
            "child_downloads_the_object_to_a_file",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, format!("{endpoint} {}", path.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("the child starts");
    let written = std::fs::metadata(&path).map(|m| m.len());
    let _ = std::fs::remove_file(&path);
    // Where libtest sends a test's own output differs between versions: read both streams.
    let stdout = String::from_utf8_lossy(&child.stdout) + String::from_utf8_lossy(&child.stderr);
    assert!(child.status.success(), "the child failed: {stdout}");
    assert_eq!(written.expect("the file exists"), SIZE);
    let peak_kib: u64 = BufReader::new(stdout.as_bytes())
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            let (_, figure) = line.split_once("child VmHWM kB: ")?;
            figure.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("the child reported no VmHWM: {stdout}"));
    println!(
        "peak RSS of the 1 GiB download to a file: {:.1} MiB (VmHWM {peak_kib} kB; limit {} MiB); \
         upload {:.1} s, download and check {:.1} s",
        peak_kib as f64 / 1024.0,
        LIMIT_KIB / 1024,
        uploaded.as_secs_f64(),
        started.elapsed().as_secs_f64() - uploaded.as_secs_f64()
    );
    assert!(
        peak_kib < LIMIT_KIB,
        "the 1 GiB download peaked at {peak_kib} kB of RSS, over the {LIMIT_KIB} kB limit"
    );
}

/// The child's half: does nothing unless the parent started it.
#[test]
fn child_downloads_the_object_to_a_file() {
    let Ok(args) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (endpoint, path) = args.split_once(' ').expect("endpoint and path");
    let meta = client(endpoint)
        .get_object_to_file(
            &ObjectRequest::new(BUCKET, Some(KEY)),
            Path::new(path),
            None,
        )
        .expect("the download succeeds, its CRC-64 checked");
    assert_eq!(meta.content_length, SIZE);
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let peak = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .expect("a VmHWM line")
        .trim()
        .trim_end_matches("kB")
        .trim();
    println!("child VmHWM kB: {peak}");
}
