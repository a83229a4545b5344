//! A small blocking HTTP/1.1 client made for uploads: bodies stream from their source to the
//! socket in large writes without extra copies, connections are pooled and reused, and every
//! socket operation has a stall timeout, so a silent server can never hang a caller.

mod pool;
mod stream;
mod tls;
pub(crate) mod wire;

use std::io;
use std::sync::Arc;
use std::time::Duration;

pub use tls::TlsOptions;

use pool::Pool;
use stream::Stream;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }
}

/// Where a request goes: scheme, host (name or IP, IPv6 without brackets) and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
}

impl Target {
    /// `host` or `host:port` as the Host header writes it (port left out when default).
    pub fn authority(&self) -> String {
        let mut out = String::with_capacity(self.host.len() + 8);
        self.push_authority(&mut out);
        out
    }

    /// Appends [`Target::authority`] to `out`, for a request head built without a string per
    /// request for it.
    pub fn push_authority(&self, out: &mut String) {
        // A byte loop: `contains(':')` goes through memchr, slow for a host name's few bytes.
        let bracketed = self.host.bytes().any(|b| b == b':');
        if bracketed {
            out.push('[');
        }
        out.push_str(&self.host);
        if bracketed {
            out.push(']');
        }
        if self.port != self.scheme.default_port() {
            out.push(':');
            push_decimal(out, u64::from(self.port));
        }
    }
}

/// Appends `n` in decimal: the digits `to_string` or `format!` would write, without their
/// allocation and formatting machinery, for numbers in every request head.
pub(crate) fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("decimal digits are ASCII"));
}

/// An HTTP proxy: plain requests go to it in absolute form, HTTPS goes through CONNECT.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Proxy {
    pub target: Target,
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("target", &self.target)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct TransportConfig {
    pub connect_timeout: Duration,
    /// The longest a socket read or write may make no progress: a stall timeout, not a limit
    /// on the whole transfer (the C++ SDK's requestTimeoutMs means the same).
    pub io_timeout: Duration,
    pub max_idle_per_target: usize,
    pub tls: TlsOptions,
    pub proxy: Option<Proxy>,
    /// The most response body bytes read into memory (OSS callback replies are at most 3 MB).
    pub max_response_body: usize,
    /// A limit on the whole exchange after connecting, for small fetches that must finish in
    /// time (a trickling server would otherwise pass every stall timeout); `None` for uploads,
    /// which may legitimately take long.
    pub total_timeout: Option<Duration>,
    /// Connect to this address instead of resolving the target's host; TLS still checks the
    /// certificate against the target's host name (curl's CONNECT_TO).
    pub connect_to: Option<std::net::SocketAddr>,
}

impl Default for TransportConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            io_timeout: Duration::from_secs(10),
            max_idle_per_target: 16,
            tls: TlsOptions::default(),
            proxy: None,
            max_response_body: 8 << 20,
            total_timeout: None,
            connect_to: None,
        }
    }
}

/// What a request body must provide: its exact length up front, and its bytes on demand.
pub trait BodySource {
    /// The exact number of bytes `write_to` will produce, sent as Content-Length.
    fn content_length(&self) -> u64;

    /// Hands every byte of the body to `sink`, in order, in chunks as large as is convenient.
    /// `sink` errors are the transport's and must be returned unchanged.
    fn write_to(&mut self, sink: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> Result<(), BodyError>;
}

/// Where the body of a successful (2xx) reply goes instead of memory, so a download of any size
/// never sits in memory. Error replies are always read into memory, to be judged.
pub trait ReplySink {
    /// The reply's headers, before its first body byte.
    fn begin(&mut self, headers: &[(String, String)]) -> io::Result<()>;

    /// The next bytes of the body, in order. An error stops the exchange with
    /// [`TransportError::Reply`].
    fn write(&mut self, chunk: &[u8]) -> io::Result<()>;
}

/// Why a body could not be sent.
#[derive(Debug)]
pub enum BodyError {
    /// The transport failed while writing.
    Sink(io::Error),
    /// Reading the body failed (file, callback).
    Source(io::Error),
    /// A callback asked to stop, with its non-zero code and a description.
    Aborted(i64, String),
    /// The progress callback asked to stop after the body's last byte was written: the server
    /// has it all and may store the object.
    AbortedAfterBody(i64, String),
    /// The asynchronous call sending the body was cancelled.
    Cancelled,
}

pub struct RequestHead<'a> {
    pub method: &'a str,
    pub target: &'a Target,
    /// Origin-form path and query, already percent-encoded.
    pub path_and_query: &'a str,
    pub headers: &'a [(String, String)],
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Where in the exchange a transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Connect,
    Tls,
    Send,
    Receive,
}

#[derive(Debug)]
pub enum TransportError {
    /// The host name could not be resolved.
    Resolve(String),
    /// The connection could not be made, or broke, or timed out, in `phase`.
    Io {
        phase: Phase,
        error: io::Error,
        body_sent: bool,
        /// The connection was an idle one from the pool and broke (no timeout) before any byte
        /// of the response arrived: most likely the server had closed it while it sat idle, so
        /// the request may go again on a new connection (as curl does).
        stale_connection: bool,
    },
    /// The TLS handshake or certificate check failed.
    Tls(String),
    /// The server's reply is not valid HTTP/1.x, or breaks a limit on its head or framing.
    Protocol { message: String, body_sent: bool },
    /// The response body is larger than `max_response_body` (declared or as it arrives); it was
    /// not read further. The request had been sent whole.
    TooLarge { message: String },
    /// The body source failed or was aborted.
    Body(BodyError),
    /// The reply sink refused the reply's body (its writer failed, or a callback aborted).
    Reply(io::Error),
    /// The TLS options cannot be used (unreadable CA file, ...).
    Config(String),
}

impl TransportError {
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Io { error, .. } if matches!(error.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock))
    }

    /// Whether the request failed on a reused connection that the server had most likely
    /// closed: see [`TransportError::Io`]'s `stale_connection`.
    pub fn is_stale_connection(&self) -> bool {
        matches!(
            self,
            Self::Io {
                stale_connection: true,
                ..
            }
        )
    }

    /// Whether the whole request, body included, reached the server before the failure: then
    /// the server may have acted on it.
    pub fn body_sent(&self) -> bool {
        match self {
            Self::Io { body_sent, .. } | Self::Protocol { body_sent, .. } => *body_sent,
            Self::TooLarge { .. } | Self::Reply(_) => true,
            _ => false,
        }
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io { phase, error, .. } => {
                let what = match phase {
                    Phase::Connect => "connecting",
                    Phase::Tls => "in the TLS handshake",
                    Phase::Send => "sending the request",
                    Phase::Receive => "receiving the response",
                };
                if self.is_timeout() {
                    write!(f, "timed out {what}: {error}")
                } else {
                    write!(f, "failed {what}: {error}")
                }
            }
            Self::Resolve(message) => f.write_str(message),
            Self::Tls(message) => write!(f, "TLS failed: {message}"),
            Self::Protocol { message, .. } => write!(f, "malformed HTTP response: {message}"),
            Self::TooLarge { message } => write!(f, "response too large: {message}"),
            Self::Body(BodyError::Sink(error)) => write!(f, "failed sending the body: {error}"),
            Self::Body(BodyError::Source(error)) => write!(f, "reading the body failed: {error}"),
            Self::Body(BodyError::Aborted(code, what)) => {
                write!(f, "{what} returned {code}: upload aborted")
            }
            Self::Body(BodyError::AbortedAfterBody(code, what)) => {
                write!(f, "{what} returned {code} after the whole body was sent")
            }
            Self::Body(BodyError::Cancelled) => f.write_str("the call was cancelled"),
            Self::Reply(error) => write!(f, "writing the response body failed: {error}"),
            Self::Config(message) => f.write_str(message),
        }
    }
}

/// A connection pool and the settings to open connections; shared by many threads.
pub struct Transport {
    config: TransportConfig,
    tls: std::sync::OnceLock<Result<Arc<rustls::ClientConfig>, String>>,
    pool: Pool,
}

impl Transport {
    pub fn new(config: TransportConfig) -> Self {
        let pool = Pool::new(config.max_idle_per_target);
        Self {
            config,
            tls: std::sync::OnceLock::new(),
            pool,
        }
    }

    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    fn tls_config(&self) -> Result<Arc<rustls::ClientConfig>, TransportError> {
        self.tls
            .get_or_init(|| tls::client_config(&self.config.tls).map(Arc::new))
            .clone()
            .map_err(TransportError::Config)
    }

    /// Sends one request and reads the whole response into memory.
    pub fn send(
        &self,
        head: &RequestHead<'_>,
        body: Option<&mut dyn BodySource>,
    ) -> Result<Response, TransportError> {
        self.send_to(head, body, None)
    }

    /// Sends one request; a 2xx reply's body goes to `reply` when given (the returned
    /// response's body is then empty), any other reply's body into memory. Uses an idle pooled
    /// connection when there is one.
    pub fn send_to(
        &self,
        head: &RequestHead<'_>,
        body: Option<&mut dyn BodySource>,
        reply: Option<&mut dyn ReplySink>,
    ) -> Result<Response, TransportError> {
        self.send_with(head, body, reply, true)
    }

    /// As [`Transport::send_to`], on a new connection whatever the pool holds: for a request
    /// whose pooled connection turned out stale, since the other idle ones may be too.
    pub fn send_to_on_new_connection(
        &self,
        head: &RequestHead<'_>,
        body: Option<&mut dyn BodySource>,
        reply: Option<&mut dyn ReplySink>,
    ) -> Result<Response, TransportError> {
        self.send_with(head, body, reply, false)
    }

    fn send_with(
        &self,
        head: &RequestHead<'_>,
        body: Option<&mut dyn BodySource>,
        reply: Option<&mut dyn ReplySink>,
        use_pool: bool,
    ) -> Result<Response, TransportError> {
        let proxy = self.config.proxy.as_ref().map(|p| &p.target);
        let pooled = if use_pool {
            self.pool.take(head.target, proxy)
        } else {
            None
        };
        let reused = pooled.is_some();
        let mut stream = match pooled {
            Some(stream) => stream,
            None => self.connect(head.target)?,
        };
        let absolute_form = self.config.proxy.is_some() && head.target.scheme == Scheme::Http;
        let proxy_auth = if absolute_form {
            self.config.proxy.as_ref()
        } else {
            None
        };
        let max_body = self.config.max_response_body;
        let (outcome, received) = match self.config.total_timeout {
            None => {
                let mut counted = stream::Counting::new(&mut stream);
                let outcome = wire::exchange(
                    &mut counted,
                    head,
                    body,
                    absolute_form,
                    proxy_auth,
                    max_body,
                    reply,
                );
                (outcome, counted.received)
            }
            Some(total) => {
                let bounded = stream::Deadline::new(&mut stream, total, self.config.io_timeout);
                let mut counted = stream::Counting::new(bounded);
                let outcome = wire::exchange(
                    &mut counted,
                    head,
                    body,
                    absolute_form,
                    proxy_auth,
                    max_body,
                    reply,
                );
                (outcome, counted.received)
            }
        };
        let (response, keep_alive) = match outcome {
            Ok(answered) => answered,
            Err(mut error) => {
                stream.shutdown();
                let timed_out = error.is_timeout();
                if let TransportError::Io {
                    stale_connection, ..
                } = &mut error
                {
                    *stale_connection = reused && received == 0 && !timed_out;
                }
                return Err(error);
            }
        };
        if keep_alive {
            self.pool.put(head.target, proxy, stream);
        }
        Ok(response)
    }

    fn connect(&self, target: &Target) -> Result<Stream, TransportError> {
        let tls = match target.scheme {
            Scheme::Https => Some(self.tls_config()?),
            Scheme::Http => None,
        };
        stream::connect(
            target,
            self.config.connect_to,
            self.config.proxy.as_ref(),
            tls,
            self.config.connect_timeout,
            self.config.io_timeout,
        )
    }
}
