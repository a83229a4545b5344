//! HTTP/1.1 on the wire: writing a request with its body, reading a response.

use std::io::{self, Read, Write};

use super::stream::proxy_authorization;
use super::{
    BodyError, BodySource, Phase, Proxy, ReplySink, RequestHead, Response, TransportError,
    push_decimal,
};

/// Bodies up to this size go out in the same write as the request head (one segment for a
/// small PUT); larger ones are written straight from their source.
const COALESCE_LIMIT: usize = 64 * 1024;
/// The most bytes of response heads read for one request, interim 1xx heads included.
const MAX_HEAD: usize = 64 * 1024;
/// The most body bytes read from the socket at once into memory, and the first read of a body
/// that streams to a sink.
const READ_CHUNK: usize = 16 * 1024;
/// The largest read of a body that streams to a sink (a download): a read that fills its buffer
/// doubles it up to this, so a large download takes few system calls (each read is one write
/// of the caller's file) while a small one never zeroes more than it receives.
const SINK_READ_MAX: usize = 256 * 1024;
/// The most header fields in one response head.
const MAX_HEADERS: usize = 64;
/// The longest chunk-size line (size and extensions) or trailer line.
const MAX_CHUNK_LINE: usize = 4096;
/// The most bytes of chunk-size and trailer lines in one body: with the body limit this bounds
/// the work a server can make the client do, whatever the chunk sizes.
const MAX_CHUNK_FRAMING: usize = 1024 * 1024;
/// The most trailer lines after a chunked body.
const MAX_TRAILERS: usize = 64;

fn send_error(error: io::Error) -> TransportError {
    TransportError::Io {
        phase: Phase::Send,
        error,
        body_sent: false,
        stale_connection: false,
    }
}

fn receive_error(error: io::Error) -> TransportError {
    TransportError::Io {
        phase: Phase::Receive,
        error,
        body_sent: true,
        stale_connection: false,
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
        256 + 2 * head.target.host.len()
            + head.path_and_query.len()
            + head
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
        head.target.push_authority(&mut text);
    }
    text.push_str(head.path_and_query);
    text.push_str(" HTTP/1.1\r\nHost: ");
    head.target.push_authority(&mut text);
    text.push_str("\r\n");
    for (name, value) in head.headers {
        text.push_str(name);
        text.push_str(": ");
        text.push_str(value);
        text.push_str("\r\n");
    }
    if let Some(length) = content_length {
        text.push_str("Content-Length: ");
        push_decimal(&mut text, length);
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
    reply: Option<&mut dyn ReplySink>,
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
            if let Ok(early) = read_response(stream, head.method, max_body, None) {
                return Ok((early.0, false));
            }
            return Err(send_error(error));
        }
        Err(other) => return Err(TransportError::Body(other)),
    }
    stream.flush().map_err(send_error)?;
    read_response(stream, head.method, max_body, reply)
}

fn send_body(
    stream: &mut impl Write,
    pending: &mut Vec<u8>,
    body: &mut dyn BodySource,
) -> Result<(), BodyError> {
    let mut unsent = body.content_length();
    let mut sink = |chunk: &[u8]| -> io::Result<()> {
        unsent = unsent.saturating_sub(chunk.len() as u64);
        if !pending.is_empty() {
            if pending.len() + chunk.len() <= COALESCE_LIMIT {
                if unsent == 0 {
                    // The body's last bytes: one gathering write sends the head and them
                    // together, as appending them would, without copying them first.
                    write_all_pair(stream, pending, chunk)?;
                    pending.clear();
                } else {
                    pending.extend_from_slice(chunk);
                }
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

/// Writes `first` then `second` with vectored writes (one `writev` when the socket takes both).
fn write_all_pair(stream: &mut impl Write, first: &[u8], second: &[u8]) -> io::Result<()> {
    let (mut first, mut second) = (first, second);
    while !first.is_empty() {
        let n = match stream.write_vectored(&[io::IoSlice::new(first), io::IoSlice::new(second)]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n < first.len() {
            first = &first[n..];
        } else {
            second = &second[n - first.len()..];
            first = &[];
        }
    }
    stream.write_all(second)
}

struct Head {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    http10: bool,
}

/// Reads one response head, skipping interim 1xx responses. Returns the head and the body bytes
/// that arrived with it. All heads of one response together, interim ones included, may take
/// at most [`MAX_HEAD`] bytes, so a server cannot keep the client parsing forever.
fn read_head(stream: &mut impl Read) -> Result<(Head, Vec<u8>), TransportError> {
    // Zeroed once per response, not per read; an OSS response head is a few hundred bytes and
    // usually arrives in one read, which is parsed where it lies.
    let mut chunk = [0u8; 2 * 1024];
    // Bytes of a head that has not arrived whole yet.
    let mut partial: Vec<u8> = Vec::new();
    // Head bytes of interim responses already consumed.
    let mut interim_bytes = 0usize;
    loop {
        if interim_bytes.saturating_add(partial.len()) > MAX_HEAD {
            return Err(protocol_error(format!(
                "response head larger than {} KiB",
                MAX_HEAD / 1024
            )));
        }
        let n = stream.read(&mut chunk).map_err(receive_error)?;
        if n == 0 {
            let message = if partial.is_empty() {
                "the server closed the connection without answering"
            } else {
                "the server closed the connection in the middle of the response head"
            };
            return Err(receive_error(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                message,
            )));
        }
        let data: &[u8] = if partial.is_empty() {
            &chunk[..n]
        } else {
            partial.extend_from_slice(&chunk[..n]);
            &partial
        };
        let mut at = 0;
        while at < data.len() {
            let Some((head, used)) = parse_head(&data[at..])? else {
                break;
            };
            at += used;
            if (100..200).contains(&head.status) && head.status != 101 {
                interim_bytes = interim_bytes.saturating_add(used);
                continue;
            }
            return Ok((head, data[at..].to_vec()));
        }
        partial = data[at..].to_vec();
    }
}

/// Parses a complete response head at the start of `data` into the head and its length;
/// `None` while it is incomplete.
fn parse_head(data: &[u8]) -> Result<Option<(Head, usize)>, TransportError> {
    let mut parsed_headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut parsed_headers);
    match response.parse(data) {
        Ok(httparse::Status::Complete(used)) => {
            let head = Head {
                status: response.code.unwrap_or(0),
                reason: response.reason.unwrap_or("").to_owned(),
                headers: response
                    .headers
                    .iter()
                    .map(|h| (h.name.to_owned(), header_text(h.value)))
                    .collect(),
                http10: response.version == Some(0),
            };
            Ok(Some((head, used)))
        }
        Ok(httparse::Status::Partial) => Ok(None),
        Err(httparse::Error::TooManyHeaders) => Err(protocol_error(format!(
            "more than {MAX_HEADERS} response headers"
        ))),
        Err(e) => Err(protocol_error(format!("{e} in the response head"))),
    }
}

/// A header value as text: invalid UTF-8 replaced, as `from_utf8_lossy` does, but valid text
/// (every OSS header) copied at once instead of scanned chunk by chunk.
fn header_text(value: &[u8]) -> String {
    match std::str::from_utf8(value) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(value).into_owned(),
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// How the body of a response is delimited (RFC 9112 section 6.3).
enum Framing {
    None,
    Chunked,
    Length(u64),
    UntilClose,
}

/// Reads the framing headers strictly: a length or a coding the client would misread is refused
/// rather than guessed at, since a wrong guess desynchronises a pooled connection.
fn framing(head: &Head, method: &str) -> Result<Framing, TransportError> {
    if method == "HEAD" || head.status == 204 || head.status == 304 {
        return Ok(Framing::None);
    }
    let codings: Vec<&str> = header_values(&head.headers, "transfer-encoding")
        .filter(|c| !c.is_empty())
        .collect();
    if !codings.is_empty() {
        // The client asks for no transfer coding (no TE header), so chunked alone is all a
        // server may use.
        if codings.len() != 1 || !codings[0].eq_ignore_ascii_case("chunked") {
            return Err(protocol_error(format!(
                "unsupported Transfer-Encoding {:?}; only \"chunked\" is understood",
                shorten(&codings.join(", "))
            )));
        }
        return Ok(Framing::Chunked);
    }
    let mut length = None;
    for text in header_values(&head.headers, "content-length") {
        let parsed = parse_decimal(text)
            .ok_or_else(|| protocol_error(format!("invalid Content-Length {:?}", shorten(text))))?;
        if length.is_some_and(|first| first != parsed) {
            return Err(protocol_error(
                "the response has several different Content-Length values",
            ));
        }
        length = Some(parsed);
    }
    Ok(length.map_or(Framing::UntilClose, Framing::Length))
}

/// Every element of every field called `name` (comma-separated lists split), trimmed.
fn header_values<'h>(
    headers: &'h [(String, String)],
    name: &'h str,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        // A one-char array rather than a char pattern: the latter sets up memchr for every value,
        // which costs more than scanning the few bytes of a Content-Length.
        .flat_map(|(_, v)| v.split([',']))
        .map(str::trim)
}

/// Digits only, as RFC 9110 writes a length: no sign, no spaces, no overflow.
fn parse_decimal(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// At most 64 characters of a peer's text, for error messages.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

fn body_too_large(detail: impl std::fmt::Display, max_body: usize) -> TransportError {
    TransportError::TooLarge {
        message: format!("{detail} exceeds the {max_body}-byte response body limit"),
    }
}

/// Where a response body goes: memory, up to a limit (error XML, small results, a callback
/// server's reply), or a caller's sink, for a download of any size.
enum BodyOut<'s> {
    Memory {
        body: Vec<u8>,
        max: usize,
    },
    Sink {
        sink: &'s mut dyn ReplySink,
        written: u64,
    },
}

impl BodyOut<'_> {
    fn len(&self) -> u64 {
        match self {
            BodyOut::Memory { body, .. } => body.len() as u64,
            BodyOut::Sink { written, .. } => *written,
        }
    }

    /// Refuses `more` bytes beyond a memory body's limit before any of them is read.
    fn check_room(&self, more: u64, what: impl std::fmt::Display) -> Result<(), TransportError> {
        match self {
            BodyOut::Memory { body, max } if more > max.saturating_sub(body.len()) as u64 => {
                Err(body_too_large(what, *max))
            }
            _ => Ok(()),
        }
    }

    fn push(&mut self, chunk: &[u8]) -> Result<(), TransportError> {
        match self {
            BodyOut::Memory { body, .. } => body.extend_from_slice(chunk),
            BodyOut::Sink { sink, written } => {
                sink.write(chunk).map_err(TransportError::Reply)?;
                *written += chunk.len() as u64;
            }
        }
        Ok(())
    }
}

pub(crate) fn read_response(
    stream: &mut impl Read,
    method: &str,
    max_body: usize,
    reply: Option<&mut dyn ReplySink>,
) -> Result<(Response, bool), TransportError> {
    let (head, buffered) = read_head(stream)?;
    let connection = header(&head.headers, "connection").unwrap_or("");
    let mut keep_alive = if head.http10 {
        connection.eq_ignore_ascii_case("keep-alive")
    } else {
        !connection.eq_ignore_ascii_case("close")
    };
    let framing = framing(&head, method)?;
    // Only a successful reply streams: an error's XML is read into memory to be judged.
    let mut out = match reply {
        Some(sink) if (200..300).contains(&head.status) => {
            sink.begin(&head.headers).map_err(TransportError::Reply)?;
            BodyOut::Sink { sink, written: 0 }
        }
        _ => BodyOut::Memory {
            body: Vec::new(),
            max: max_body,
        },
    };
    match framing {
        Framing::None => {}
        Framing::Chunked => {
            read_chunked(stream, buffered, &mut out)?;
            // Bytes after the last chunk, or a Content-Length beside chunked (RFC 9112 6.3:
            // the connection must close), leave framing that cannot be trusted.
            if header(&head.headers, "content-length").is_some() {
                keep_alive = false;
            }
        }
        Framing::Length(length) => {
            out.check_room(length, format_args!("a declared body of {length} bytes"))?;
            let mut buffered = buffered;
            if buffered.len() as u64 > length {
                // Bytes beyond the declared body: the connection's framing cannot be trusted.
                buffered.truncate(length as usize);
                keep_alive = false;
            }
            match &mut out {
                // The bytes that came with the head become the body without a copy.
                BodyOut::Memory { body, .. } => *body = buffered,
                sink => sink.push(&buffered)?,
            }
            read_exact_into(stream, &mut out, length)?;
        }
        Framing::UntilClose => {
            out.check_room(buffered.len() as u64, "a body delimited by closing")?;
            out.push(&buffered)?;
            read_to_close(stream, &mut out)?;
            keep_alive = false;
        }
    }
    let body = match out {
        BodyOut::Memory { body, .. } => body,
        BodyOut::Sink { .. } => Vec::new(),
    };
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

/// Reads until `out` holds `length` bytes. Memory grows with the bytes that arrive, not with
/// the length a server declares.
fn read_exact_into(
    stream: &mut impl Read,
    out: &mut BodyOut<'_>,
    length: u64,
) -> Result<(), TransportError> {
    if out.len() >= length {
        // The usual PutObject reply: the whole (often empty) body came with the head.
        return Ok(());
    }
    let owed = |out: &BodyOut<'_>| usize::try_from(length - out.len()).unwrap_or(usize::MAX);
    // Sized to what is still owed: zeroing a fixed 16 KiB on every reply cost more than the
    // rest of reading it.
    let mut chunk = vec![0u8; owed(out).min(READ_CHUNK)];
    let max_read = match out {
        BodyOut::Sink { .. } => SINK_READ_MAX,
        BodyOut::Memory { .. } => READ_CHUNK,
    };
    while out.len() < length {
        let want = owed(out).min(chunk.len());
        let n = stream.read(&mut chunk[..want]).map_err(receive_error)?;
        if n == 0 {
            return Err(receive_error(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the server closed the connection after {} of {length} body bytes",
                    out.len()
                ),
            )));
        }
        out.push(&chunk[..n])?;
        if n == chunk.len() && chunk.len() < max_read {
            // Only the added bytes are zeroed, once: at most `max_read` per reply in all.
            let grown = (chunk.len() * 2).min(max_read).min(owed(out));
            if grown > chunk.len() {
                chunk.resize(grown, 0);
            }
        }
    }
    Ok(())
}

fn read_to_close(stream: &mut impl Read, out: &mut BodyOut<'_>) -> Result<(), TransportError> {
    let mut chunk = [0u8; READ_CHUNK];
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
        out.check_room(n as u64, "a body delimited by closing")?;
        out.push(&chunk[..n])?;
    }
}

/// Decodes a chunked body; `buffered` holds bytes already read past the head.
///
/// Every quantity the server controls is bounded before it is used: the chunk size against the
/// room left under `max_body` (never summed, so it cannot wrap), the length of each size and
/// trailer line, the framing bytes in all, and the number of trailer lines.
fn read_chunked(
    stream: &mut impl Read,
    buffered: Vec<u8>,
    out: &mut BodyOut<'_>,
) -> Result<(), TransportError> {
    let mut input = ChunkInput {
        stream,
        buf: buffered,
        pos: 0,
        framing: 0,
    };
    loop {
        let line = input.line()?;
        let size = parse_chunk_size(&line)?;
        if size == 0 {
            return read_trailers(&mut input);
        }
        out.check_room(
            size,
            format_args!("a chunk of {size} bytes after {} body bytes", out.len()),
        )?;
        input.take(size, out)?;
        if !input.line()?.is_empty() {
            return Err(protocol_error("chunk not followed by CRLF"));
        }
    }
}

/// The size of a chunk-size line: 1 to 16 hex digits, then optional extensions (ignored).
fn parse_chunk_size(line: &str) -> Result<u64, TransportError> {
    let digits = line
        .split(';')
        .next()
        .unwrap_or("")
        .trim_end_matches([' ', '\t']);
    let valid =
        !digits.is_empty() && digits.len() <= 16 && digits.bytes().all(|b| b.is_ascii_hexdigit());
    valid
        .then(|| u64::from_str_radix(digits, 16).ok())
        .flatten()
        .ok_or_else(|| protocol_error(format!("invalid chunk size {:?}", shorten(digits))))
}

/// Reads the trailer section after the last chunk, up to the empty line; trailers are not used.
fn read_trailers(input: &mut ChunkInput<'_, impl Read>) -> Result<(), TransportError> {
    for _ in 0..=MAX_TRAILERS {
        if input.line()?.is_empty() {
            return Ok(());
        }
    }
    Err(protocol_error(format!(
        "more than {MAX_TRAILERS} trailer fields after the chunked body"
    )))
}

struct ChunkInput<'s, R: Read> {
    stream: &'s mut R,
    buf: Vec<u8>,
    pos: usize,
    /// Bytes of chunk-size and trailer lines read so far.
    framing: usize,
}

impl<R: Read> ChunkInput<'_, R> {
    fn fill(&mut self) -> Result<(), TransportError> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; READ_CHUNK];
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
        // Bytes already searched for CRLF, so a line arriving in pieces is scanned once.
        let mut scanned: usize = 0;
        loop {
            let pending = &self.buf[self.pos..];
            let from = scanned.saturating_sub(1);
            if let Some(at) = pending[from..].windows(2).position(|w| w == b"\r\n") {
                let end = from + at;
                if end > MAX_CHUNK_LINE {
                    return Err(line_too_long());
                }
                let line = String::from_utf8_lossy(&pending[..end]).into_owned();
                self.pos += end + 2;
                self.framing += end + 2;
                if self.framing > MAX_CHUNK_FRAMING {
                    return Err(protocol_error(format!(
                        "more than {} KiB of chunk-size and trailer lines",
                        MAX_CHUNK_FRAMING / 1024
                    )));
                }
                return Ok(line);
            }
            scanned = pending.len();
            if scanned > MAX_CHUNK_LINE {
                return Err(line_too_long());
            }
            self.fill()?;
        }
    }

    fn take(&mut self, mut n: u64, out: &mut BodyOut<'_>) -> Result<(), TransportError> {
        while n > 0 {
            if self.pos == self.buf.len() {
                self.fill()?;
            }
            let available = usize::try_from(n)
                .unwrap_or(usize::MAX)
                .min(self.buf.len() - self.pos);
            out.push(&self.buf[self.pos..self.pos + available])?;
            self.pos += available;
            n -= available as u64;
        }
        Ok(())
    }
}

fn line_too_long() -> TransportError {
    protocol_error(format!(
        "a chunk-size or trailer line longer than {MAX_CHUNK_LINE} bytes"
    ))
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
            stale_connection: false,
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

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 8 << 20;

    /// A server that sends `reply` and then `filler` bytes without end (up to 1 GiB), counting
    /// what the client read.
    struct Endless {
        reply: Vec<u8>,
        filler: &'static [u8],
        read: usize,
    }

    impl Endless {
        fn new(reply: &[u8], filler: &'static [u8]) -> Endless {
            Endless {
                reply: reply.to_vec(),
                filler,
                read: 0,
            }
        }
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.read >= 1 << 30 {
                return Ok(0);
            }
            let n = buf.len().min(4096);
            for (i, byte) in buf[..n].iter_mut().enumerate() {
                let at = self.read + i;
                *byte = match self.reply.get(at) {
                    Some(&b) => b,
                    None => self.filler[(at - self.reply.len()) % self.filler.len()],
                };
            }
            self.read += n;
            Ok(n)
        }
    }

    fn failure(server: &mut Endless) -> TransportError {
        match read_response(server, "PUT", LIMIT, None) {
            Ok((response, _)) => panic!("accepted a hostile reply: HTTP {}", response.status),
            Err(error) => error,
        }
    }

    fn answer(reply: &[u8]) -> Result<(Response, bool), TransportError> {
        read_response(&mut Endless::new(reply, b"\0"), "PUT", LIMIT, None)
    }

    #[test]
    fn chunk_size_of_2_pow_64_minus_1_after_one_byte_is_too_large_before_reading_on() {
        for reply in [
            &b"\x00HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\nffffffffffffffff\r\n"[..],
            &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\nffffffffffffffff\r\n"[..],
        ] {
            let mut server = Endless::new(reply, b"x");
            let error = failure(&mut server);
            assert!(server.read <= 8192, "read {} bytes", server.read);
            if reply[0] == 0 {
                assert_eq!(
                    error.to_string(),
                    "malformed HTTP response: invalid HTTP version in the response head"
                );
            } else {
                assert_eq!(
                    error.to_string(),
                    "response too large: a chunk of 18446744073709551615 bytes after 1 body \
                     bytes exceeds the 8388608-byte response body limit"
                );
            }
        }
    }

    #[test]
    fn chunks_summing_past_the_limit_are_refused_at_the_chunk_that_crosses_it() {
        let mut reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..2 {
            reply.extend_from_slice(b"400000\r\n");
            reply.extend(std::iter::repeat_n(b'z', 4 << 20));
            reply.extend_from_slice(b"\r\n");
        }
        reply.extend_from_slice(b"1\r\n");
        let error = failure(&mut Endless::new(&reply, b"z"));
        assert_eq!(
            error.to_string(),
            "response too large: a chunk of 1 bytes after 8388608 body bytes exceeds the \
             8388608-byte response body limit"
        );
    }

    #[test]
    fn chunk_sizes_that_are_not_1_to_16_hex_digits_are_invalid() {
        for (size, shown) in [
            ("+5", "+5"),
            ("-1", "-1"),
            (" 5", " 5"),
            ("0x5", "0x5"),
            ("", ""),
            ("10000000000000000", "10000000000000000"),
        ] {
            let reply = format!("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\n");
            let error = failure(&mut Endless::new(reply.as_bytes(), b"\r\n"));
            let shown = shown.trim_end();
            assert_eq!(
                error.to_string(),
                format!("malformed HTTP response: invalid chunk size {shown:?}"),
                "{size:?}"
            );
        }
        let (response, _) = answer(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 ;a=b\r\nabc\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(response.body, b"abc");
    }

    #[test]
    fn chunk_size_line_that_never_ends_is_refused_after_4_kib() {
        let mut server = Endless::new(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;",
            b"e",
        );
        let error = failure(&mut server);
        assert_eq!(
            error.to_string(),
            "malformed HTTP response: a chunk-size or trailer line longer than 4096 bytes"
        );
        assert!(server.read <= 2 * 4096 + 2048, "read {} bytes", server.read);
    }

    #[test]
    fn endless_trailers_are_refused_after_64() {
        let mut server = Endless::new(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
            b"X-T: 1\r\n",
        );
        let error = failure(&mut server);
        assert_eq!(
            error.to_string(),
            "malformed HTTP response: more than 64 trailer fields after the chunked body"
        );
        assert!(server.read <= 8192, "read {} bytes", server.read);
    }

    #[test]
    fn one_byte_chunks_with_long_extensions_are_refused_after_1_mib_of_framing() {
        let mut server = Endless::new(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            Box::leak(
                format!("1;{}\r\nq\r\n", "e".repeat(4000))
                    .into_bytes()
                    .into_boxed_slice(),
            ),
        );
        let error = failure(&mut server);
        assert_eq!(
            error.to_string(),
            "malformed HTTP response: more than 1024 KiB of chunk-size and trailer lines"
        );
        assert!(
            server.read <= (1 << 20) + 32 * 1024,
            "read {} bytes",
            server.read
        );
    }

    #[test]
    fn content_length_of_2_pow_63_is_too_large_before_any_body_is_read() {
        let mut server = Endless::new(
            b"HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n",
            b"b",
        );
        let error = failure(&mut server);
        assert_eq!(
            error.to_string(),
            "response too large: a declared body of 9223372036854775808 bytes exceeds the \
             8388608-byte response body limit"
        );
        assert!(server.read <= 4096, "read {} bytes", server.read);
    }

    #[test]
    fn content_length_must_be_digits_and_agree_with_itself() {
        for (headers, message) in [
            ("Content-Length: +5\r\n", "invalid Content-Length \"+5\""),
            (
                "Content-Length: 18446744073709551616\r\n",
                "invalid Content-Length \"18446744073709551616\"",
            ),
            (
                "Content-Length: 5\r\nContent-Length: 6\r\n",
                "the response has several different Content-Length values",
            ),
            (
                "Content-Length: 5, 6\r\n",
                "the response has several different Content-Length values",
            ),
            (
                "Transfer-Encoding: gzip, chunked\r\n",
                "unsupported Transfer-Encoding \"gzip, chunked\"; only \"chunked\" is understood",
            ),
            (
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "unsupported Transfer-Encoding \"chunked, chunked\"; only \"chunked\" is understood",
            ),
        ] {
            let reply = format!("HTTP/1.1 200 OK\r\n{headers}\r\nhello");
            let error = failure(&mut Endless::new(reply.as_bytes(), b"\0"));
            assert_eq!(
                error.to_string(),
                format!("malformed HTTP response: {message}"),
                "{headers:?}"
            );
        }
        let (response, _) =
            answer(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5, 5\r\n\r\nhello")
                .unwrap();
        assert_eq!(response.body, b"hello");
    }

    #[test]
    fn content_length_beside_chunked_closes_the_connection() {
        let (response, keep_alive) = answer(
            b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(response.body, b"ok");
        assert!(!keep_alive);
        let (_, keep_alive) =
            answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
                .unwrap();
        assert!(keep_alive);
    }

    #[test]
    fn body_delimited_by_close_stops_at_the_limit() {
        let mut server = Endless::new(b"HTTP/1.1 200 OK\r\n\r\n", b"c");
        let error = failure(&mut server);
        assert_eq!(
            error.to_string(),
            "response too large: a body delimited by closing exceeds the 8388608-byte response \
             body limit"
        );
        assert!(
            server.read <= LIMIT + 32 * 1024,
            "read {} bytes",
            server.read
        );
    }

    /// A server that has everything ready: each read gets all it asks for.
    struct Eager {
        reply: Vec<u8>,
        at: usize,
        asked: Vec<usize>,
    }

    impl Read for Eager {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.asked.push(buf.len());
            let n = buf.len().min(self.reply.len() - self.at);
            buf[..n].copy_from_slice(&self.reply[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    struct Collect(Vec<u8>);

    impl ReplySink for Collect {
        fn begin(&mut self, _: &[(String, String)]) -> io::Result<()> {
            Ok(())
        }

        fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
            self.0.extend_from_slice(chunk);
            Ok(())
        }
    }

    fn eager(body_len: usize) -> Eager {
        let mut reply =
            format!("HTTP/1.1 200 OK\r\nContent-Length: {body_len}\r\n\r\n").into_bytes();
        reply.extend((0..body_len).map(|i| i as u8));
        Eager {
            reply,
            at: 0,
            asked: Vec::new(),
        }
    }

    #[test]
    fn a_download_reads_double_from_16_kib_up_to_256_kib() {
        let mut server = eager(4 << 20);
        let mut sink = Collect(Vec::new());
        read_response(&mut server, "GET", LIMIT, Some(&mut sink)).unwrap();
        assert_eq!(sink.0.len(), 4 << 20);
        assert!(sink.0.iter().enumerate().all(|(i, &b)| b == i as u8));
        // The head's 2 KiB read, then 16, 32, 64, 128 KiB, then 256 KiB reads to the end.
        let body_reads: Vec<usize> = server.asked[1..].iter().map(|n| n / 1024).collect();
        assert_eq!(body_reads[..5], [16, 32, 64, 128, 256]);
        assert!(body_reads[5..].iter().all(|&n| n <= 256), "{body_reads:?}");
        assert_eq!(
            body_reads.len(),
            5 + (4096 - 16 - 32 - 64 - 128 - 256_usize).div_ceil(256)
        );
    }

    #[test]
    fn a_body_read_into_memory_is_read_in_16_kib_pieces() {
        let mut server = eager(1 << 20);
        let (response, _) = read_response(&mut server, "GET", LIMIT, None).unwrap();
        assert_eq!(response.body.len(), 1 << 20);
        assert!(server.asked[1..].iter().all(|&n| n <= READ_CHUNK));
    }

    /// A server that records each write call (a vectored one as one write) and answers 200.
    struct Recorder {
        writes: Vec<Vec<u8>>,
        reply: &'static [u8],
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes.push(buf.to_vec());
            Ok(buf.len())
        }

        fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
            self.writes
                .push(bufs.iter().flat_map(|b| b.iter().copied()).collect());
            Ok(bufs.iter().map(|b| b.len()).sum())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Read for Recorder {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.reply.len());
            buf[..n].copy_from_slice(&self.reply[..n]);
            self.reply = &self.reply[n..];
            Ok(n)
        }
    }

    /// A body handed over in pieces of `piece` bytes.
    struct Pieces {
        data: Vec<u8>,
        piece: usize,
    }

    impl BodySource for Pieces {
        fn content_length(&self) -> u64 {
            self.data.len() as u64
        }

        fn write_to(
            &mut self,
            sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
        ) -> Result<(), BodyError> {
            for chunk in self.data.chunks(self.piece) {
                sink(chunk).map_err(BodyError::Sink)?;
            }
            Ok(())
        }
    }

    fn writes_of_a_put(body_len: usize, piece: usize) -> (Vec<usize>, Vec<u8>) {
        let target = super::super::Target {
            scheme: super::super::Scheme::Http,
            host: "h".to_owned(),
            port: 80,
        };
        let head = RequestHead {
            method: "PUT",
            target: &target,
            path_and_query: "/b/k",
            headers: &[],
        };
        let mut server = Recorder {
            writes: Vec::new(),
            reply: b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        };
        let mut body = Pieces {
            data: (0..body_len).map(|i| i as u8).collect(),
            piece,
        };
        exchange(
            &mut server,
            &head,
            Some(&mut body),
            false,
            None,
            LIMIT,
            None,
        )
        .unwrap();
        let sizes = server.writes.iter().map(Vec::len).collect();
        (sizes, server.writes.concat())
    }

    #[test]
    fn a_small_body_leaves_with_its_head_in_one_write_whatever_its_pieces() {
        let head = b"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n";
        for piece in [4096, 1000, 1] {
            let (sizes, sent) = writes_of_a_put(4096, piece);
            assert_eq!(sizes, [head.len() + 4096], "pieces of {piece}");
            assert_eq!(&sent[..head.len()], head);
            assert!(
                sent[head.len()..]
                    .iter()
                    .enumerate()
                    .all(|(i, &b)| b == i as u8)
            );
        }
        // Past the coalescing limit the head goes first, then the body as it comes.
        let (sizes, _) = writes_of_a_put(COALESCE_LIMIT, COALESCE_LIMIT);
        assert_eq!(sizes[1..], [COALESCE_LIMIT]);
    }

    #[test]
    fn head_that_never_ends_is_refused_after_64_kib() {
        for (reply, filler) in [
            (
                &b"HTTP/1.1 200 OK\r\n"[..],
                &b"X-Filler: 0123456789\r\n"[..],
            ),
            (&b"HTTP/1.1 200 OK\r\nX-Long: "[..], &b"a"[..]),
            (&b""[..], &b"HTTP/1.1 100 Continue\r\n\r\n"[..]),
        ] {
            let mut server = Endless::new(reply, filler);
            let error = failure(&mut server);
            let expected = if filler.starts_with(b"X-Filler") {
                "malformed HTTP response: more than 64 response headers"
            } else {
                "malformed HTTP response: response head larger than 64 KiB"
            };
            assert_eq!(error.to_string(), expected);
            assert!(server.read <= MAX_HEAD + 4096, "read {} bytes", server.read);
        }
    }
}
