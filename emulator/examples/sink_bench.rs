//! Measures the emulator in `--sink` mode (see emulator/README.md, "Performance").
//!
//! `cargo run --release -p ossffi-emulator --example sink_bench -- big [GiB]` starts an
//! in-process sink server and PUTs one large object over one connection with 8 MiB writes.
//! `... -- small ADDR COUNT [SIZE]` sends COUNT signed PUTs of SIZE bytes (default 4096) over one
//! keep-alive connection to an emulator already running at ADDR (e.g. under callgrind).
//! `... -- digests` prints the single-core speed of MD5 and CRC-64.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use ossffi::signing::{Credentials, v4};
use ossffi_emulator::{Config, Server};

const AK: &str = "bench-ak";
const SK: &str = "bench-sk";
const BUCKET: &str = "bench";

fn signed_head(addr: SocketAddr, key: &str, len: u64) -> Vec<u8> {
    let mut headers = vec![(
        "Content-Type".to_string(),
        "application/octet-stream".to_string(),
    )];
    let creds = Credentials::new(AK, SK);
    let now = ossffi::time::now_unix();
    v4::sign_headers(
        "PUT",
        Some(BUCKET),
        Some(key),
        &[],
        &mut headers,
        &creds,
        "cn-hangzhou",
        "oss",
        now,
        &[],
    );
    let mut head =
        format!("PUT /{BUCKET}/{key} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {len}\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Reads one response head (the bodies of sink PUT replies are empty); returns the status.
fn read_reply(stream: &mut TcpStream, buf: &mut Vec<u8>) -> u16 {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut resp = httparse::Response::new(&mut headers);
        if let Ok(httparse::Status::Complete(n)) = resp.parse(buf) {
            let code = resp.code.unwrap_or(0);
            let len: usize = resp
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .map_or(0, |h| {
                    std::str::from_utf8(h.value).unwrap().parse().unwrap()
                });
            while buf.len() < n + len {
                let mut chunk = [0u8; 4096];
                let k = stream.read(&mut chunk).unwrap();
                buf.extend_from_slice(&chunk[..k]);
            }
            buf.drain(..n + len);
            return code;
        }
        let mut chunk = [0u8; 4096];
        let k = stream.read(&mut chunk).unwrap();
        assert!(k > 0, "connection closed");
        buf.extend_from_slice(&chunk[..k]);
    }
}

fn big(gib: u64) {
    let server = Server::start(Config::new(AK, SK).with_bucket(BUCKET).with_sink(true)).unwrap();
    let addr = server.addr();
    let total = gib << 30;
    let block: Vec<u8> = (0..8usize << 20).map(|i| (i % 251) as u8).collect();
    let mut stream = TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    stream
        .write_all(&signed_head(addr, "big.bin", total))
        .unwrap();
    let mut sent = 0u64;
    while sent < total {
        let n = block.len().min((total - sent) as usize);
        stream.write_all(&block[..n]).unwrap();
        sent += n as u64;
    }
    let status = read_reply(&mut stream, &mut Vec::new());
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(status, 200);
    println!(
        "PUT {gib} GiB in {secs:.3} s = {:.2} GB/s",
        total as f64 / secs / 1e9
    );
}

fn small(addr: SocketAddr, count: usize, size: usize) {
    let body = vec![7u8; size];
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut buf = Vec::new();
    let started = Instant::now();
    for i in 0..count {
        let mut req = signed_head(addr, &format!("small-{i}"), size as u64);
        req.extend_from_slice(&body);
        stream.write_all(&req).unwrap();
        assert_eq!(read_reply(&mut stream, &mut buf), 200);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{count} PUTs of {size} B in {secs:.3} s = {:.0} req/s",
        count as f64 / secs
    );
}

/// Single-core speed of the two digests every PUT computes, for comparison.
fn digests() {
    use md5::{Digest, Md5};
    let block: Vec<u8> = (0..8usize << 20).map(|i| (i % 251) as u8).collect();
    let rounds = 128;
    let started = Instant::now();
    let mut md5 = Md5::new();
    for _ in 0..rounds {
        md5.update(&block);
    }
    std::hint::black_box(md5.finalize());
    let md5_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut crc = ossffi::crc64::Crc64::new();
    for _ in 0..rounds {
        crc.update(&block);
    }
    std::hint::black_box(crc.value());
    let crc_secs = started.elapsed().as_secs_f64();
    let bytes = (rounds * block.len()) as f64;
    println!(
        "MD5 {:.2} GB/s, CRC-64 {:.2} GB/s (one core)",
        bytes / md5_secs / 1e9,
        bytes / crc_secs / 1e9
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("digests") => digests(),
        Some("big") => big(args.get(1).map_or(1, |v| v.parse().unwrap())),
        Some("small") => small(
            args[1].parse().expect("ADDR"),
            args.get(2).map_or(1000, |v| v.parse().unwrap()),
            args.get(3).map_or(4096, |v| v.parse().unwrap()),
        ),
        _ => eprintln!(
            "usage: sink_bench big [GiB] | sink_bench small ADDR COUNT [SIZE] | sink_bench digests"
        ),
    }
}
