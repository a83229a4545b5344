//! PostObject the way a browser sends it: one multipart/form-data POST on a fresh connection,
//! never sent again, with a read timeout. What it reports is what a careful page script could
//! tell its user: the status and OSS's error code, a network failure, and whether the bytes
//! could have been stored (the whole body left before the failure).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

const BOUNDARY: &str = "----ossffiFaultMatrixBoundary";

pub enum FormOutcome {
    /// The server answered.
    Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// No answer: the connection broke or timed out; `body_sent` if the whole request left.
    Failed { timed_out: bool, body_sent: bool },
}

/// POSTs `fields` and then `file` to `/bucket` on `addr`.
pub fn post(
    addr: SocketAddr,
    bucket: &str,
    fields: &[(String, String)],
    file: &[u8],
    timeout: Duration,
) -> FormOutcome {
    let mut head_of_file = Vec::new();
    for (name, value) in fields {
        head_of_file.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    head_of_file.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let length = head_of_file.len() + file.len() + tail.len();
    let head = format!(
        "POST /{bucket} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, timeout) else {
        return FormOutcome::Failed {
            timed_out: false,
            body_sent: false,
        };
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let sent = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&head_of_file))
        .and_then(|()| stream.write_all(file))
        .and_then(|()| stream.write_all(tail.as_bytes()))
        .and_then(|()| stream.flush());
    // A server may answer early and close (an error before the body was read): read it anyway.
    match read_reply(&mut stream) {
        Ok(Some((status, headers, body))) => FormOutcome::Reply {
            status,
            headers,
            body,
        },
        Ok(None) => FormOutcome::Failed {
            timed_out: false,
            body_sent: sent.is_ok(),
        },
        Err(e) => FormOutcome::Failed {
            timed_out: matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            body_sent: sent.is_ok(),
        },
    }
}

type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// Reads a `Connection: close` reply to its end; `None` if nothing arrived.
fn read_reply(stream: &mut TcpStream) -> std::io::Result<Option<Reply>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
            Err(e) if data.is_empty() => return Err(e),
            Err(_) => break,
        }
    }
    let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Some((status, headers, data[end + 4..].to_vec())))
}
