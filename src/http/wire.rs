//! HTTP/1.1 on the wire: writing a request with its body, reading a response.

use std::io::{self, Read, Write};

use super::stream::proxy_authorization;
use super::{BodyError, BodySource, Phase, Proxy, RequestHead, Response, TransportError};

/// Bodies up to this size go out in the same write as the request head (one segment for a
/// small PUT); larger ones are written straight from their source.
const COALESCE_LIMIT: usize = 64 * 1024;
const MAX_HEAD: usize = 64 * 1024;

fn send_error(error: io::Error) -> TransportError {
    TransportError::Io {
        phase: Phase::Send,
        error,
        body_sent: false,
    }
}

fn receive_error(error: io::Error) -> TransportError {
    TransportError::Io {
        phase: Phase::Receive,
        error,
        body_sent: true,
    }
}

fn protocol_error(message: impl Into<String>) -> TransportError {
    TransportError::Protocol {
        message: message.into(),
        body_sent: true,
    }
}

fn request_head(
    head: &RequestHead<'_>,
    content_length: Option<u64>,
    absolute_form: bool,
    proxy: Option<&Proxy>,
) -> Vec<u8> {
    let mut text = String::with_capacity(
        256 + head
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 4)
            .sum::<usize>(),
    );
    text.push_str(head.method);
    text.push(' ');
    if absolute_form {
        text.push_str(head.target.scheme.as_str());
        text.push_str("://");
        text.push_str(&head.target.authority());
    }
    text.push_str(head.path_and_query);
    text.push_str(" HTTP/1.1\r\nHost: ");
    text.push_str(&head.target.authority());
    text.push_str("\r\n");
    for (name, value) in head.headers {
        text.push_str(name);
        text.push_str(": ");
        text.push_str(value);
        text.push_str("\r\n");
    }
    if let Some(length) = content_length {
        text.push_str("Content-Length: ");
        text.push_str(&length.to_string());
        text.push_str("\r\n");
    }
    if let Some(credentials) = proxy.and_then(proxy_authorization) {
        text.push_str("Proxy-Authorization: ");
        text.push_str(&credentials);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// Writes the request and reads the response. Returns the response and whether the connection
/// may be reused.
pub(super) fn exchange(
    stream: &mut (impl Read + Write),
    head: &RequestHead<'_>,
    body: Option<&mut dyn BodySource>,
    absolute_form: bool,
    proxy: Option<&Proxy>,
    max_body: usize,
) -> Result<(Response, bool), TransportError> {
    let content_length = match &body {
        Some(body) => Some(body.content_length()),
        None if matches!(head.method, "PUT" | "POST") => Some(0),
        None => None,
    };
    let mut pending = request_head(head, content_length, absolute_form, proxy);
    let sent = match body {
        None => stream.write_all(&pending).map_err(BodyError::Sink),
        Some(body) => send_body(stream, &mut pending, body),
    };
    match sent {
        Ok(()) => {}
        Err(BodyError::Sink(error)) => {
            // A server may answer and close before reading the whole body (a 403 for a bad
            // signature, say); that answer is more useful than "connection reset".
            if let Ok(early) = read_response(stream, head.method, max_body) {
                return Ok((early.0, false));
            }
            return Err(send_error(error));
        }
        Err(other) => return Err(TransportError::Body(other)),
    }
    stream.flush().map_err(send_error)?;
    read_response(stream, head.method, max_body)
}

fn send_body(
    stream: &mut impl Write,
    pending: &mut Vec<u8>,
    body: &mut dyn BodySource,
) -> Result<(), BodyError> {
    let mut sink = |chunk: &[u8]| -> io::Result<()> {
        if !pending.is_empty() {
            if pending.len() + chunk.len() <= COALESCE_LIMIT {
                pending.extend_from_slice(chunk);
                return Ok(());
            }
            stream.write_all(pending)?;
            pending.clear();
        }
        stream.write_all(chunk)
    };
    body.write_to(&mut sink)?;
    if !pending.is_empty() {
        stream.write_all(pending).map_err(BodyError::Sink)?;
        pending.clear();
    }
    Ok(())
}

struct Head {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    http10: bool,
}

/// Reads one response head, skipping interim 1xx responses. Returns the head and the body bytes
/// that arrived with it.
fn read_head(stream: &mut impl Read) -> Result<(Head, Vec<u8>), TransportError> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * 1024);
    // Zeroed once per response, not per read; an OSS response head is a few hundred bytes.
    let mut chunk = [0u8; 2 * 1024];
    loop {
        let mut parsed_headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut parsed_headers);
        match response.parse(&buf) {
            Ok(httparse::Status::Complete(used)) => {
                let status = response.code.unwrap_or(0);
                let head = Head {
                    status,
                    reason: response.reason.unwrap_or("").to_owned(),
                    headers: response
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_owned(),
                                String::from_utf8_lossy(h.value).into_owned(),
                            )
                        })
                        .collect(),
                    http10: response.version == Some(0),
                };
                let rest = buf[used..].to_vec();
                if (100..200).contains(&status) && status != 101 {
                    buf = rest;
                    continue;
                }
                return Ok((head, rest));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(protocol_error("more than 64 response headers"));
            }
            Err(e) => return Err(protocol_error(format!("{e} in the response head"))),
        }
        if buf.len() > MAX_HEAD {
            return Err(protocol_error("response head larger than 64 KiB"));
        }
        let n = stream.read(&mut chunk).map_err(receive_error)?;
        if n == 0 {
            let message = if buf.is_empty() {
                "the server closed the connection without answering"
            } else {
                "the server closed the connection in the middle of the response head"
            };
            return Err(receive_error(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                message,
            )));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

fn read_response(
    stream: &mut impl Read,
    method: &str,
    max_body: usize,
) -> Result<(Response, bool), TransportError> {
    let (head, mut body) = read_head(stream)?;
    let connection = header(&head.headers, "connection").unwrap_or("");
    let mut keep_alive = if head.http10 {
        connection.eq_ignore_ascii_case("keep-alive")
    } else {
        !connection.eq_ignore_ascii_case("close")
    };
    let no_body = method == "HEAD" || head.status == 204 || head.status == 304;
    let chunked = header(&head.headers, "transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    if no_body {
        body.clear();
    } else if chunked {
        body = read_chunked(stream, body, max_body)?;
    } else if let Some(length) = header(&head.headers, "content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| protocol_error(format!("invalid Content-Length {length:?}")))?;
        if length > max_body {
            return Err(protocol_error(format!(
                "response body of {length} bytes exceeds the {max_body}-byte limit"
            )));
        }
        if body.len() > length {
            // Bytes beyond the declared body: the connection's framing cannot be trusted.
            body.truncate(length);
            keep_alive = false;
        }
        read_exact_into(stream, &mut body, length)?;
    } else {
        read_to_close(stream, &mut body, max_body)?;
        keep_alive = false;
    }
    Ok((
        Response {
            status: head.status,
            reason: head.reason,
            headers: head.headers,
            body,
        },
        keep_alive,
    ))
}

fn read_exact_into(
    stream: &mut impl Read,
    body: &mut Vec<u8>,
    length: usize,
) -> Result<(), TransportError> {
    let start = body.len();
    body.resize(length, 0);
    let mut filled = start;
    while filled < length {
        let n = stream.read(&mut body[filled..]).map_err(receive_error)?;
        if n == 0 {
            return Err(receive_error(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the server closed the connection after {filled} of {length} body bytes"),
            )));
        }
        filled += n;
    }
    Ok(())
}

fn read_to_close(
    stream: &mut impl Read,
    body: &mut Vec<u8>,
    max_body: usize,
) -> Result<(), TransportError> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            // A TLS peer that closes without close_notify ends the body all the same.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(receive_error(e)),
        };
        if n == 0 {
            return Ok(());
        }
        if body.len() + n > max_body {
            return Err(protocol_error(format!(
                "response body exceeds the {max_body}-byte limit"
            )));
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

/// Decodes a chunked body; `buffered` holds bytes already read past the head.
fn read_chunked(
    stream: &mut impl Read,
    buffered: Vec<u8>,
    max_body: usize,
) -> Result<Vec<u8>, TransportError> {
    let mut input = ChunkInput {
        stream,
        buf: buffered,
        pos: 0,
    };
    let mut body = Vec::new();
    loop {
        let line = input.line()?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| protocol_error(format!("invalid chunk size {size_text:?}")))?;
        if size == 0 {
            // Trailers, then the empty line.
            while !input.line()?.is_empty() {}
            return Ok(body);
        }
        if body.len() + size > max_body {
            return Err(protocol_error(format!(
                "response body exceeds the {max_body}-byte limit"
            )));
        }
        input.take(size, &mut body)?;
        if !input.line()?.is_empty() {
            return Err(protocol_error("chunk not followed by CRLF"));
        }
    }
}

struct ChunkInput<'s, R: Read> {
    stream: &'s mut R,
    buf: Vec<u8>,
    pos: usize,
}

impl<R: Read> ChunkInput<'_, R> {
    fn fill(&mut self) -> Result<(), TransportError> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).map_err(receive_error)?;
        if n == 0 {
            return Err(receive_error(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection inside a chunked body",
            )));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    fn line(&mut self) -> Result<String, TransportError> {
        loop {
            if let Some(end) = self.buf[self.pos..].windows(2).position(|w| w == b"\r\n") {
                let line =
                    String::from_utf8_lossy(&self.buf[self.pos..self.pos + end]).into_owned();
                self.pos += end + 2;
                return Ok(line);
            }
            if self.buf.len() - self.pos > 4096 {
                return Err(protocol_error("chunk header line too long"));
            }
            self.fill()?;
        }
    }

    fn take(&mut self, mut n: usize, out: &mut Vec<u8>) -> Result<(), TransportError> {
        while n > 0 {
            if self.pos == self.buf.len() {
                self.fill()?;
            }
            let available = (self.buf.len() - self.pos).min(n);
            out.extend_from_slice(&self.buf[self.pos..self.pos + available]);
            self.pos += available;
            n -= available;
        }
        Ok(())
    }
}

/// Reads a proxy's answer to CONNECT and returns its status.
pub(super) fn read_connect_reply(tcp: &mut std::net::TcpStream) -> Result<u16, TransportError> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    // Byte by byte, so nothing of the tunnelled TLS stream is consumed.
    while !buf.ends_with(b"\r\n\r\n") {
        if buf.len() > MAX_HEAD {
            return Err(protocol_error("proxy reply head larger than 64 KiB"));
        }
        let n = tcp.read(&mut byte).map_err(|error| TransportError::Io {
            phase: Phase::Connect,
            error,
            body_sent: false,
        })?;
        if n == 0 {
            return Err(protocol_error(
                "the proxy closed the connection during CONNECT",
            ));
        }
        buf.push(byte[0]);
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(&buf) {
        Ok(httparse::Status::Complete(_)) => Ok(response.code.unwrap_or(0)),
        _ => Err(protocol_error("the proxy's reply to CONNECT is not HTTP")),
    }
}
