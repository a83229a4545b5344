//! A small HTTP/1.1 server side: request heads via httparse, request bodies framed by
//! Content-Length or chunked transfer coding, and responses written with as few syscalls as
//! possible. The emulator must never be the bottleneck of a client benchmark, so large body
//! reads go straight from the socket into the caller's buffer.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::sync::Arc;

/// What a connection reads from and writes to: a `TcpStream` or a rustls stream.
pub(crate) trait Transport: Read + Write + Send {}
impl<T: Read + Write + Send> Transport for T {}

/// Largest request head accepted (request line plus headers).
const MAX_HEAD: usize = 64 * 1024;
const INITIAL_BUF: usize = 16 * 1024;
const MAX_HEADERS: usize = 128;

/// A parsed request line and header block.
#[derive(Debug, Clone)]
pub(crate) struct RequestHead {
    pub method: String,
    /// The raw (still percent-encoded) path.
    pub path: String,
    /// The raw query string without `?`; empty when there is none.
    pub query: String,
    /// Header names as sent, values with surrounding whitespace trimmed.
    pub headers: Vec<(String, String)>,
    pub http10: bool,
}

impl RequestHead {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How the request body is delimited, or why the framing headers are unusable.
    pub fn framing(&self) -> Result<Framing, String> {
        if let Some(te) = self.header("transfer-encoding") {
            let last = te.rsplit(',').next().unwrap_or("").trim();
            if last.eq_ignore_ascii_case("chunked") {
                return Ok(Framing::Chunked);
            }
            return Err(format!(
                "unsupported Transfer-Encoding {te:?}; use chunked or Content-Length"
            ));
        }
        match self.header("content-length") {
            Some(v) => v
                .parse::<u64>()
                .map(Framing::Length)
                .map_err(|_| format!("Content-Length {v:?} is not a decimal number")),
            None => Ok(Framing::None),
        }
    }

    pub fn wants_continue(&self) -> bool {
        self.header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }

    pub fn wants_close(&self) -> bool {
        match self.header("connection") {
            Some(v) => v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")),
            None => self.http10,
        }
    }
}

/// How the request body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// Neither Content-Length nor Transfer-Encoding: an empty body.
    None,
    Length(u64),
    Chunked,
}

/// Why no request head could be read.
#[derive(Debug)]
pub(crate) enum HeadError {
    /// The peer closed or went idle between requests: end the connection quietly.
    Closed,
    /// A malformed head: answer 400 and close.
    Malformed(String),
    TooLarge,
}

/// One client connection with its read buffer (bytes read past a request head belong to the
/// body or to the next pipelined request).
pub(crate) struct Conn {
    stream: Box<dyn Transport>,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Conn {
    pub fn new(stream: Box<dyn Transport>) -> Conn {
        Conn {
            stream,
            buf: vec![0; INITIAL_BUF],
            start: 0,
            end: 0,
        }
    }

    pub fn read_head(&mut self) -> Result<RequestHead, HeadError> {
        loop {
            if self.end > self.start {
                // Uninitialised slots: zeroing 128 headers per request shows up in profiles.
                let mut headers =
                    [const { MaybeUninit::<httparse::Header>::uninit() }; MAX_HEADERS];
                let mut req = httparse::Request::new(&mut []);
                match req.parse_with_uninit_headers(&self.buf[self.start..self.end], &mut headers) {
                    Ok(httparse::Status::Complete(n)) => {
                        let head = build_head(&req)?;
                        self.start += n;
                        return Ok(head);
                    }
                    Ok(httparse::Status::Partial) => {}
                    Err(e) => {
                        return Err(HeadError::Malformed(format!("malformed request head: {e}")));
                    }
                }
            }
            if self.end == self.buf.len() {
                if self.start > 0 {
                    self.compact();
                } else if self.buf.len() < MAX_HEAD {
                    self.buf.resize(MAX_HEAD, 0);
                } else {
                    return Err(HeadError::TooLarge);
                }
            }
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) if self.start == self.end => return Err(HeadError::Closed),
                Ok(0) => {
                    return Err(HeadError::Malformed(
                        "connection closed inside a request head".into(),
                    ));
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) if self.start == self.end => return Err(HeadError::Closed),
                Err(e) => return Err(HeadError::Malformed(format!("reading request head: {e}"))),
            }
        }
    }

    fn compact(&mut self) {
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
    }

    /// Reads body bytes: buffered bytes first, then straight from the stream.
    fn read_raw(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.end > self.start {
            let n = out.len().min(self.end - self.start);
            out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
            self.start += n;
            return Ok(n);
        }
        self.start = 0;
        self.end = 0;
        if out.len() < 4096 {
            // Small reads go through the buffer so chunk-size lines need few syscalls.
            let n = self.fill()?;
            let n = n.min(out.len());
            out[..n].copy_from_slice(&self.buf[..n]);
            self.start = n;
            return Ok(n);
        }
        self.stream.read(out)
    }

    fn fill(&mut self) -> io::Result<usize> {
        if self.end == self.buf.len() {
            self.compact();
        }
        let n = self.stream.read(&mut self.buf[self.end..])?;
        self.end += n;
        Ok(n)
    }

    /// A CRLF-terminated line (without CRLF), for chunk sizes and trailers.
    fn read_line(&mut self, max: usize) -> io::Result<String> {
        loop {
            if let Some(pos) = self.buf[self.start..self.end]
                .iter()
                .position(|&b| b == b'\n')
            {
                let line = &self.buf[self.start..self.start + pos];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let text = String::from_utf8_lossy(line).into_owned();
                self.start += pos + 1;
                return Ok(text);
            }
            if self.end - self.start > max {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "chunk-size line too long",
                ));
            }
            if self.start > 0 && self.end == self.buf.len() {
                self.compact();
            }
            if self.fill()? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "body ended early",
                ));
            }
        }
    }

    pub fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.stream.write_all(data)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

fn build_head(req: &httparse::Request) -> Result<RequestHead, HeadError> {
    let method = req.method.unwrap_or_default().to_string();
    let target = req.path.unwrap_or_default().to_string();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    let mut headers = Vec::with_capacity(req.headers.len());
    for h in req.headers.iter() {
        let value = std::str::from_utf8(h.value)
            .map_err(|_| HeadError::Malformed(format!("header {} is not valid UTF-8", h.name)))?;
        headers.push((h.name.to_string(), value.trim().to_string()));
    }
    Ok(RequestHead {
        method,
        path,
        query,
        headers,
        http10: req.version == Some(0),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    Size,
    Data,
    DataEnd,
    Done,
}

/// The body of one request. Reading it sends `100 Continue` first when the client asked for it.
pub(crate) struct Body<'c> {
    conn: &'c mut Conn,
    framing: Framing,
    /// Bytes left: of the whole body (Length) or of the current chunk (Chunked).
    remaining: u64,
    chunk: ChunkState,
    continue_pending: bool,
    started: bool,
    pub received: u64,
}

impl<'c> Body<'c> {
    pub fn new(conn: &'c mut Conn, framing: Framing, wants_continue: bool) -> Body<'c> {
        let remaining = match framing {
            Framing::Length(n) => n,
            _ => 0,
        };
        let has_body = framing != Framing::None && framing != Framing::Length(0);
        Body {
            conn,
            framing,
            remaining,
            chunk: ChunkState::Size,
            continue_pending: wants_continue && has_body,
            started: false,
            received: 0,
        }
    }

    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Whether every byte of the body has been read.
    pub fn is_complete(&self) -> bool {
        match self.framing {
            Framing::None => true,
            Framing::Length(_) => self.remaining == 0,
            Framing::Chunked => self.chunk == ChunkState::Done,
        }
    }

    /// The client is still waiting for `100 Continue`: it may never send the body.
    pub fn untouched_after_expect(&self) -> bool {
        self.continue_pending && !self.started
    }

    /// Reads and discards the rest of the body, up to `limit` bytes; false if more remained or
    /// the body broke, in which case the connection must close.
    pub fn drain(&mut self, limit: u64) -> bool {
        if self.untouched_after_expect() {
            return false;
        }
        if let Framing::Length(_) = self.framing
            && self.remaining > limit
        {
            return false;
        }
        let mut sink = vec![0u8; 64 * 1024];
        let mut drained = 0u64;
        loop {
            match self.read(&mut sink) {
                Ok(0) => return self.is_complete(),
                Ok(n) => {
                    drained += n as u64;
                    if drained > limit {
                        return false;
                    }
                }
                Err(_) => return false,
            }
        }
    }

    fn send_continue(&mut self) -> io::Result<()> {
        if self.continue_pending && !self.started {
            self.conn.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            self.conn.flush()?;
        }
        self.started = true;
        Ok(())
    }

    fn read_chunked(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.chunk {
                ChunkState::Done => return Ok(0),
                ChunkState::Size => {
                    let line = self.conn.read_line(4096)?;
                    let size = line.split(';').next().unwrap_or("").trim();
                    let size = u64::from_str_radix(size, 16).map_err(|_| {
                        io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("bad chunk size {line:?}"),
                        )
                    })?;
                    if size == 0 {
                        // Trailers, then the empty line that ends the body.
                        loop {
                            if self.conn.read_line(8192)?.is_empty() {
                                break;
                            }
                        }
                        self.chunk = ChunkState::Done;
                        return Ok(0);
                    }
                    self.remaining = size;
                    self.chunk = ChunkState::Data;
                }
                ChunkState::Data => {
                    let want = out
                        .len()
                        .min(self.remaining.min(usize::MAX as u64) as usize);
                    let n = self.conn.read_raw(&mut out[..want])?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "body ended early",
                        ));
                    }
                    self.remaining -= n as u64;
                    if self.remaining == 0 {
                        self.chunk = ChunkState::DataEnd;
                    }
                    return Ok(n);
                }
                ChunkState::DataEnd => {
                    let line = self.conn.read_line(16)?;
                    if !line.is_empty() {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "chunk data not followed by CRLF",
                        ));
                    }
                    self.chunk = ChunkState::Size;
                }
            }
        }
    }
}

impl Read for Body<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() || self.is_complete() {
            return Ok(0);
        }
        self.send_continue()?;
        let n = match self.framing {
            Framing::None => 0,
            Framing::Length(_) => {
                let want = out
                    .len()
                    .min(self.remaining.min(usize::MAX as u64) as usize);
                let n = self.conn.read_raw(&mut out[..want])?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "body ended early",
                    ));
                }
                self.remaining -= n as u64;
                n
            }
            Framing::Chunked => self.read_chunked(out)?,
        };
        self.received += n as u64;
        Ok(n)
    }
}

/// A response body: nothing, owned bytes, or a range of a stored object.
pub(crate) enum ResponseBody {
    Empty,
    Bytes(Vec<u8>),
    Shared {
        data: Arc<Vec<u8>>,
        start: usize,
        len: usize,
    },
    File {
        path: std::path::PathBuf,
        start: u64,
        len: u64,
    },
}

impl ResponseBody {
    pub fn len(&self) -> u64 {
        match self {
            ResponseBody::Empty => 0,
            ResponseBody::Bytes(b) => b.len() as u64,
            ResponseBody::Shared { len, .. } => *len as u64,
            ResponseBody::File { len, .. } => *len,
        }
    }
}

pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(Cow<'static, str>, String)>,
    pub body: ResponseBody,
}

impl Response {
    pub fn new(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: ResponseBody::Empty,
        }
    }

    pub fn header(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn push_header(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    pub fn with_body(mut self, body: ResponseBody) -> Response {
        self.body = body;
        self
    }

    pub fn xml(status: u16, xml: String) -> Response {
        Response::new(status)
            .header("Content-Type", "application/xml")
            .with_body(ResponseBody::Bytes(xml.into_bytes()))
    }
}

pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        416 => "Requested Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Writes a response; `head_only` for HEAD requests (headers describe the body, none is sent).
pub(crate) fn write_response(
    conn: &mut Conn,
    resp: &Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(512);
    write!(out, "HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status))?;
    for (name, value) in &resp.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if resp.status != 204 {
        write!(out, "Content-Length: {}\r\n", resp.body.len())?;
    }
    out.extend_from_slice(if close {
        b"Connection: close\r\n\r\n"
    } else {
        b"Connection: keep-alive\r\n\r\n"
    });
    if head_only || resp.status == 204 {
        conn.write_all(&out)?;
        return conn.flush();
    }
    match &resp.body {
        ResponseBody::Empty => conn.write_all(&out)?,
        ResponseBody::Bytes(b) => {
            out.extend_from_slice(b);
            conn.write_all(&out)?;
        }
        ResponseBody::Shared { data, start, len } => {
            let slice = &data[*start..*start + *len];
            if slice.len() <= 16 * 1024 {
                out.extend_from_slice(slice);
                conn.write_all(&out)?;
            } else {
                conn.write_all(&out)?;
                conn.write_all(slice)?;
            }
        }
        ResponseBody::File { path, start, len } => {
            conn.write_all(&out)?;
            let mut file = std::fs::File::open(path)?;
            io::Seek::seek(&mut file, io::SeekFrom::Start(*start))?;
            let mut limited = file.take(*len);
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = limited.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                conn.write_all(&buf[..n])?;
            }
        }
    }
    conn.flush()
}
