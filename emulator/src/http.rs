//! The request and response types the operations use, over hyper's.
//!
//! hyper owns the connection (framing, limits, keep-alive); operations are synchronous and run
//! on tokio's blocking pool. A request body reaches them as a blocking [`Read`] that pulls
//! frames from hyper only when the operation asks for bytes, so a request refused before its
//! body is read never makes hyper send `100 Continue` or wait for the body. A response body is
//! handed to hyper whole (bytes already in memory) or streamed from its file in chunks.

use std::borrow::Cow;
use std::fs::File;
use std::future::poll_fn;
use std::io::{self, Read, Seek, SeekFrom};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body as _, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{CONNECTION, CONTENT_LENGTH, HeaderName, HeaderValue};
use tokio::runtime::Handle;
use tokio::sync::mpsc;

/// A parsed request line and header block.
#[derive(Debug, Clone)]
pub(crate) struct RequestHead {
    pub method: String,
    /// The raw (still percent-encoded) path.
    pub path: String,
    /// The raw query string without `?`; empty when there is none.
    pub query: String,
    /// Header names in lower case (as hyper keeps them), values without surrounding whitespace.
    pub headers: Vec<(String, String)>,
    pub http10: bool,
}

impl RequestHead {
    /// The head hyper parsed; an error names a header whose value is not UTF-8.
    pub fn from_parts(parts: &hyper::http::request::Parts) -> Result<RequestHead, String> {
        let mut headers = Vec::with_capacity(parts.headers.len());
        for (name, value) in &parts.headers {
            let value = std::str::from_utf8(value.as_bytes())
                .map_err(|_| format!("header {name} is not valid UTF-8"))?;
            headers.push((name.as_str().to_string(), value.trim().to_string()));
        }
        let (path, query) = match parts.uri.path_and_query() {
            Some(pq) => (pq.path().to_string(), pq.query().unwrap_or("").to_string()),
            None => ("/".to_string(), String::new()),
        };
        Ok(RequestHead {
            method: parts.method.as_str().to_string(),
            path,
            query,
            headers,
            http10: parts.version == hyper::Version::HTTP_10,
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How the request body is delimited, or why the framing headers are unusable. hyper has
    /// already refused malformed or conflicting Content-Length values and a Transfer-Encoding
    /// whose last coding is not chunked; any coding before chunked is refused here.
    pub fn framing(&self) -> Result<Framing, String> {
        let codings: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if !codings.is_empty() {
            if let [only] = codings[..]
                && only.eq_ignore_ascii_case("chunked")
            {
                return Ok(Framing::Chunked);
            }
            return Err(format!(
                "Transfer-Encoding {:?} is not supported; send the body with Content-Length or \
                 Transfer-Encoding: chunked alone",
                codings.join(", ")
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

/// A body declared at most this long is waited for before its request runs; a client sends
/// so little right behind the head.
pub(crate) const SMALL_BODY: u64 = 64 * 1024;
pub(crate) const SMALL_BODY_WAIT: Duration = Duration::from_millis(100);

/// What hyper has delivered of a request body when the request reaches the server, and the
/// rest of it.
pub(crate) struct BodySource {
    ready: Bytes,
    /// The whole body is in `ready` (or it failed: `error`).
    ended: bool,
    error: Option<io::Error>,
    rest: Incoming,
}

impl BodySource {
    /// Takes the frames hyper has already received. A body declared at most `SMALL_BODY` long
    /// is also waited for, up to `SMALL_BODY_WAIT`, since clients send one right behind its
    /// head (often in a second segment): the request can then run without a thread of its
    /// own. When the client asked for `100 Continue` nothing is taken, since asking for the
    /// body sends it.
    pub async fn take_ready(
        incoming: Incoming,
        wants_continue: bool,
        declared: Option<u64>,
    ) -> BodySource {
        let mut source = BodySource {
            ready: Bytes::new(),
            ended: incoming.is_end_stream(),
            error: None,
            rest: incoming,
        };
        if wants_continue {
            return source;
        }
        let wait_for_all = declared.is_some_and(|n| n <= SMALL_BODY);
        let deadline = tokio::time::Instant::now() + SMALL_BODY_WAIT;
        let mut parts: Vec<Bytes> = Vec::new();
        while !source.ended {
            let rest = &mut source.rest;
            let next = match poll_fn(|cx| Poll::Ready(Pin::new(&mut *rest).poll_frame(cx))).await {
                Poll::Ready(next) => next,
                Poll::Pending if !wait_for_all => break,
                Poll::Pending => {
                    let next = poll_fn(|cx| Pin::new(&mut *rest).poll_frame(cx));
                    match tokio::time::timeout_at(deadline, next).await {
                        Ok(next) => next,
                        Err(_) => break,
                    }
                }
            };
            match next {
                None => source.ended = true,
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        parts.push(data);
                    }
                }
                Some(Err(e)) => {
                    source.error = Some(body_read_error(&e));
                    source.ended = true;
                }
            }
        }
        source.ready = match parts.len() {
            0 => Bytes::new(),
            1 => parts.pop().unwrap_or_default(),
            _ => Bytes::from(parts.concat()),
        };
        source
    }

    /// Whether nothing more is to come from the connection: the request can run without it.
    pub fn is_whole(&self) -> bool {
        self.ended
    }
}

/// The body of one request, read on a blocking thread. The first read makes hyper send
/// `100 Continue` when the client asked for it; each read waits at most the body timeout.
pub(crate) struct Body {
    incoming: Incoming,
    /// A failure hyper reported while the body was being taken up front.
    error: Option<io::Error>,
    runtime: Handle,
    timeout: Duration,
    framing: Framing,
    /// What is left of the last frame hyper handed over.
    chunk: Bytes,
    ended: bool,
    continue_pending: bool,
    started: bool,
    pub received: u64,
}

impl Body {
    pub fn new(
        source: BodySource,
        runtime: Handle,
        timeout: Duration,
        framing: Framing,
        wants_continue: bool,
    ) -> Body {
        let has_body = framing != Framing::None && framing != Framing::Length(0);
        Body {
            incoming: source.rest,
            error: source.error,
            runtime,
            timeout,
            framing,
            chunk: source.ready,
            ended: source.ended || !has_body,
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
            Framing::Length(n) => self.received == n,
            Framing::Chunked => self.ended && self.chunk.is_empty(),
        }
    }

    /// The client is still waiting for `100 Continue`: it may never send the body.
    pub fn untouched_after_expect(&self) -> bool {
        self.continue_pending && !self.started
    }

    /// Reads and discards what is left of a body the operation did not read, when that is
    /// cheap: a Content-Length remainder of at most `limit` bytes, which a client normally
    /// sends right behind the head, waiting at most `wait` for it. True when the whole body was
    /// consumed, so the connection can serve another request.
    pub fn discard_rest(&mut self, limit: u64, wait: Duration) -> bool {
        if self.is_complete() {
            return true;
        }
        let Framing::Length(n) = self.framing else {
            return false;
        };
        if self.untouched_after_expect() || n - self.received > limit {
            return false;
        }
        let timeout = std::mem::replace(&mut self.timeout, wait);
        let mut sink = [0u8; 8192];
        let drained = loop {
            match self.read(&mut sink) {
                Ok(0) => break self.is_complete(),
                Ok(_) => {}
                Err(_) => break false,
            }
        };
        self.timeout = timeout;
        drained
    }

    /// Waits for hyper's next frame; trailers are read (hyper bounds them) and ignored.
    fn next_frame(&mut self) -> io::Result<()> {
        self.started = true;
        let (incoming, timeout) = (&mut self.incoming, self.timeout);
        let next = self.runtime.block_on(tokio::time::timeout(
            timeout,
            poll_fn(|cx| Pin::new(&mut *incoming).poll_frame(cx)),
        ));
        match next {
            Err(_) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no body bytes arrived for {} ms", timeout.as_millis()),
            )),
            Ok(None) => {
                self.ended = true;
                match self.framing {
                    Framing::Length(n) if self.received < n => Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the body ended before Content-Length bytes",
                    )),
                    _ => Ok(()),
                }
            }
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    self.chunk = data;
                }
                Ok(())
            }
            Ok(Some(Err(e))) => Err(body_read_error(&e)),
        }
    }
}

/// An error from hyper while receiving a body, as the `io::Error` operations classify:
/// `InvalidData` for a malformed body (400 InvalidArgument), anything else a lost or stalled
/// client (400 RequestTimeout).
fn body_read_error(e: &hyper::Error) -> io::Error {
    let cause = std::error::Error::source(e).and_then(|s| s.downcast_ref::<io::Error>());
    match cause.map(io::Error::kind) {
        Some(io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData) => {
            io::Error::new(io::ErrorKind::InvalidData, e.to_string())
        }
        _ => io::Error::new(io::ErrorKind::UnexpectedEof, e.to_string()),
    }
}

impl Read for Body {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.chunk.is_empty() {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            if self.ended {
                return Ok(0);
            }
            self.next_frame()?;
        }
        let n = out.len().min(self.chunk.len());
        out[..n].copy_from_slice(&self.chunk.split_to(n));
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

/// A slice of a shared object, handed to hyper without copying it.
struct SharedSlice {
    data: Arc<Vec<u8>>,
    start: usize,
    len: usize,
}

impl AsRef<[u8]> for SharedSlice {
    fn as_ref(&self) -> &[u8] {
        &self.data[self.start..self.start + self.len]
    }
}

/// File bodies travel in chunks this large, at most two ahead of the socket.
const FILE_CHUNK: usize = 256 * 1024;

/// The body hyper writes: its exact length is always known, so hyper sends Content-Length.
pub(crate) enum WireBody {
    Empty,
    Full(Option<Bytes>),
    File {
        chunks: mpsc::Receiver<io::Result<Bytes>>,
        remaining: u64,
    },
}

impl hyper::body::Body for WireBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            WireBody::Empty => Poll::Ready(None),
            WireBody::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            WireBody::File { chunks, remaining } => match chunks.poll_recv(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Some(Ok(b))) => {
                    *remaining = remaining.saturating_sub(b.len() as u64);
                    Poll::Ready(Some(Ok(Frame::data(b))))
                }
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) if *remaining > 0 => Poll::Ready(Some(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the object file ended early",
                )))),
                Poll::Ready(None) => Poll::Ready(None),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            WireBody::Empty => true,
            WireBody::Full(bytes) => bytes.is_none(),
            WireBody::File { remaining, .. } => *remaining == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(match self {
            WireBody::Empty => 0,
            WireBody::Full(bytes) => bytes.as_ref().map_or(0, |b| b.len() as u64),
            WireBody::File { remaining, .. } => *remaining,
        })
    }
}

/// Converts a response for hyper. `head_only` for HEAD (the headers describe a body that is
/// not sent); `close` adds `Connection: close`, after which hyper closes the connection. A
/// header value hyper cannot carry (a control character) is an error naming it.
pub(crate) fn to_wire(
    resp: Response,
    head_only: bool,
    close: bool,
    runtime: &Handle,
) -> Result<hyper::Response<WireBody>, String> {
    let status = hyper::StatusCode::from_u16(resp.status)
        .map_err(|_| format!("status {} is not an HTTP status", resp.status))?;
    let mut headers = hyper::HeaderMap::with_capacity(resp.headers.len() + 2);
    for (name, value) in resp.headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("response header name {name:?} is not a token"))?;
        // OSS returns UTF-8 metadata as raw bytes; these keep them and still refuse CR, LF and
        // the other control characters. Taking the String's buffer saves a copy per header.
        let value = HeaderValue::from_maybe_shared(Bytes::from(value.into_bytes()))
            .map_err(|_| format!("response header {name} has a control character"))?;
        headers.append(name, value);
    }
    let len = resp.body.len();
    // 204 and 304 carry no body and no length: a 304's Content-Length would have to be the
    // length of the representation it stands for, which clients must not read as a body.
    if resp.status != 204 && resp.status != 304 {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    }
    if close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    let body = if head_only || resp.status == 204 || resp.status == 304 || len == 0 {
        WireBody::Empty
    } else {
        match resp.body {
            ResponseBody::Empty => WireBody::Empty,
            ResponseBody::Bytes(b) => WireBody::Full(Some(Bytes::from(b))),
            ResponseBody::Shared { data, start, len } => {
                WireBody::Full(Some(Bytes::from_owner(SharedSlice { data, start, len })))
            }
            ResponseBody::File { path, start, len } => {
                let mut file = File::open(&path)
                    .and_then(|mut f| f.seek(SeekFrom::Start(start)).map(|_| f))
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let (tx, chunks) = mpsc::channel(2);
                runtime.spawn_blocking(move || {
                    let mut left = len;
                    while left > 0 {
                        let mut buf = vec![0u8; left.min(FILE_CHUNK as u64) as usize];
                        match file.read(&mut buf) {
                            Ok(0) => break,
                            Ok(n) => {
                                buf.truncate(n);
                                left -= n as u64;
                                if tx.blocking_send(Ok(Bytes::from(buf))).is_err() {
                                    break;
                                }
                            }
                            Err(e) => {
                                let _ = tx.blocking_send(Err(e));
                                break;
                            }
                        }
                    }
                });
                WireBody::File {
                    chunks,
                    remaining: len,
                }
            }
        }
    };
    let mut wire = hyper::Response::new(body);
    *wire.status_mut() = status;
    *wire.headers_mut() = headers;
    Ok(wire)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last line of defence against header injection: every value reaching a response was
    /// checked where it came in, so a bad one here is an emulator bug, which the server answers
    /// with 500 InternalError instead of writing it out.
    #[test]
    fn a_response_header_that_is_not_a_field_is_refused() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let wire = |resp: Response| to_wire(resp, false, false, runtime.handle());
        let injected = Response::new(200).header("x-oss-meta-a", "x\r\nX-Injected: yes");
        assert!(wire(injected).err().unwrap().contains("control character"));
        let bad_name = Response::new(200).header("Bad Name", "x");
        assert!(wire(bad_name).err().unwrap().contains("not a token"));
        let utf8 = Response::new(200).header("x-oss-meta-a", "报告.pdf");
        assert_eq!(
            wire(utf8).unwrap().headers()["x-oss-meta-a"],
            "报告.pdf".as_bytes()
        );
    }
}
