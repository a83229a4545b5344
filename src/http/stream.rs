//! Opening connections: TCP with a connect timeout, optional CONNECT through a proxy, optional
//! TLS, and socket timeouts that turn a stalled peer into an error.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, StreamOwned};

use super::wire::read_connect_reply;
use super::{Phase, Proxy, Target, TransportError};

pub(super) enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Self::Plain(tcp) => tcp,
            Self::Tls(tls) => &tls.sock,
        }
    }

    /// An idle connection is reusable when the server has neither closed it nor sent anything
    /// unasked (a peek would then see EOF or data). For TLS the probe looks at the TCP socket
    /// under it: a close_notify or any other record that arrived unasked is data there.
    pub(super) fn is_reusable(&self) -> bool {
        matches!(crate::ffi::sys::peek_nonblocking(self.tcp()), Err(e) if e.kind() == io::ErrorKind::WouldBlock)
    }

    pub(super) fn shutdown(&self) {
        let _ = self.tcp().shutdown(Shutdown::Both);
    }
}

/// A stream whose reads and writes all end by a deadline: each one gets the time left (at most
/// the stall timeout) as its socket timeout.
pub(super) struct Deadline<'s> {
    stream: &'s mut Stream,
    deadline: std::time::Instant,
    io_timeout: Duration,
}

impl<'s> Deadline<'s> {
    pub(super) fn new(stream: &'s mut Stream, total: Duration, io_timeout: Duration) -> Self {
        Self {
            stream,
            deadline: std::time::Instant::now() + total,
            io_timeout,
        }
    }

    fn arm(&self) -> io::Result<()> {
        let left = self
            .deadline
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the time allowed for the exchange ran out",
            ));
        }
        let timeout = Some(left.min(self.io_timeout));
        let tcp = self.stream.tcp();
        tcp.set_read_timeout(timeout)?;
        tcp.set_write_timeout(timeout)
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arm()?;
        self.stream.read(buf)
    }
}

impl Write for Deadline<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.arm()?;
        self.stream.write(buf)
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.arm()?;
        self.stream.write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// Counts the bytes read, so that a failed exchange can tell whether the server had started to
/// answer (a stale pooled connection has not).
pub(super) struct Counting<S> {
    inner: S,
    pub(super) received: u64,
}

impl<S> Counting<S> {
    pub(super) fn new(inner: S) -> Self {
        Self { inner, received: 0 }
    }
}

impl<S: Read> Read for Counting<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.received += n as u64;
        Ok(n)
    }
}

impl<S: Write> Write for Counting<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.inner.write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(tcp) => tcp.read(buf),
            Self::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(tcp) => tcp.write(buf),
            Self::Tls(tls) => tls.write(buf),
        }
    }

    // Both gather: a small request's head and body leave in one writev, or one TLS record.
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match self {
            Self::Plain(tcp) => tcp.write_vectored(bufs),
            Self::Tls(tls) => tls.write_vectored(bufs),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(tcp) => tcp.flush(),
            Self::Tls(tls) => tls.flush(),
        }
    }
}

fn connect_error(error: io::Error) -> TransportError {
    TransportError::Io {
        phase: Phase::Connect,
        error,
        body_sent: false,
        stale_connection: false,
    }
}

fn open_tcp(
    target: &Target,
    connect_to: Option<SocketAddr>,
    connect_timeout: Duration,
    io_timeout: Duration,
) -> Result<TcpStream, TransportError> {
    let addresses: Vec<SocketAddr> = match connect_to {
        Some(address) => vec![address],
        None => (target.host.as_str(), target.port)
            .to_socket_addrs()
            .map_err(|e| {
                TransportError::Resolve(format!("cannot resolve host {:?}: {e}", target.host))
            })?
            .collect(),
    };
    let mut last_error = None;
    for address in addresses {
        match TcpStream::connect_timeout(&address, connect_timeout) {
            Ok(tcp) => {
                let configure = || -> io::Result<()> {
                    tcp.set_nodelay(true)?;
                    tcp.set_read_timeout(Some(io_timeout))?;
                    tcp.set_write_timeout(Some(io_timeout))
                };
                configure().map_err(connect_error)?;
                return Ok(tcp);
            }
            Err(e) => {
                last_error = Some(io::Error::new(
                    e.kind(),
                    format!("cannot connect to {address}: {e}"),
                ));
            }
        }
    }
    Err(connect_error(last_error.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("host {:?} has no address", target.host),
        )
    })))
}

pub(super) fn connect(
    target: &Target,
    connect_to: Option<SocketAddr>,
    proxy: Option<&Proxy>,
    tls: Option<Arc<ClientConfig>>,
    connect_timeout: Duration,
    io_timeout: Duration,
) -> Result<Stream, TransportError> {
    let mut tcp = match proxy {
        None => open_tcp(target, connect_to, connect_timeout, io_timeout)?,
        Some(proxy) => {
            let mut tcp = open_tcp(&proxy.target, None, connect_timeout, io_timeout)?;
            if tls.is_some() {
                tunnel(&mut tcp, target, proxy)?;
            }
            tcp
        }
    };
    let Some(tls) = tls else {
        return Ok(Stream::Plain(tcp));
    };
    let name = ServerName::try_from(target.host.clone()).map_err(|e| {
        TransportError::Tls(format!(
            "{:?} is not a valid TLS server name: {e}",
            target.host
        ))
    })?;
    let mut connection =
        ClientConnection::new(tls, name).map_err(|e| TransportError::Tls(e.to_string()))?;
    while connection.is_handshaking() {
        if let Err(error) = connection.complete_io(&mut tcp) {
            return Err(classify_handshake_error(error));
        }
    }
    Ok(Stream::Tls(Box::new(StreamOwned::new(connection, tcp))))
}

/// rustls reports certificate and protocol problems as InvalidData carrying a rustls::Error;
/// everything else is the network's.
fn classify_handshake_error(error: io::Error) -> TransportError {
    if error.kind() == io::ErrorKind::InvalidData {
        TransportError::Tls(error.to_string())
    } else {
        TransportError::Io {
            phase: Phase::Tls,
            error,
            body_sent: false,
            stale_connection: false,
        }
    }
}

/// Asks an HTTP proxy for a tunnel to `target` (for HTTPS through a proxy).
fn tunnel(tcp: &mut TcpStream, target: &Target, proxy: &Proxy) -> Result<(), TransportError> {
    let authority = format!("{}:{}", target.authority_host(), target.port);
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let Some(credentials) = proxy_authorization(proxy) {
        request.push_str(&format!("Proxy-Authorization: {credentials}\r\n"));
    }
    request.push_str("\r\n");
    tcp.write_all(request.as_bytes()).map_err(connect_error)?;
    let status = read_connect_reply(tcp)?;
    if status / 100 != 2 {
        return Err(connect_error(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            format!("the proxy refused the tunnel to {authority} with HTTP {status}"),
        )));
    }
    Ok(())
}

/// `Basic <base64(user:password)>` when the proxy has a user name.
pub(super) fn proxy_authorization(proxy: &Proxy) -> Option<String> {
    if proxy.username.is_empty() {
        return None;
    }
    let pair = format!("{}:{}", proxy.username, proxy.password);
    Some(format!(
        "Basic {}",
        crate::encoding::base64_encode(pair.as_bytes())
    ))
}

impl Target {
    /// The host as it appears in an authority (IPv6 in brackets).
    pub(super) fn authority_host(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }
}
