//! Accepting connections: the connection cap, TLS, hyper's HTTP/1.1 limits (head size and
//! count, the head deadline), and closing a connection without losing its last answer.

use std::future::poll_fn;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use ossffi::time::http_date;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, timeout};
use tokio_rustls::TlsAcceptor;

use crate::error::OssError;
use crate::server::{self, State};

/// Largest request head (request line and headers) and largest chunked trailer section.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// After the last answer on a connection the server stops writing but keeps reading (and
/// discarding) for up to this long, so a client still sending a body it no longer needs
/// reads the answer instead of a reset.
const LINGER_TOTAL: Duration = Duration::from_secs(5);
const LINGER_IDLE: Duration = Duration::from_secs(1);
/// Refusals being written at once, beyond the cap; past this a connection is closed at once.
const MAX_REFUSALS: usize = 64;
/// A refused TLS client gets this long for its handshake.
const REFUSAL_HANDSHAKE: Duration = Duration::from_secs(2);

/// Counts a connection as open until dropped.
struct OpenSlot(Arc<AtomicUsize>);

impl OpenSlot {
    fn take(count: &Arc<AtomicUsize>) -> OpenSlot {
        count.fetch_add(1, Ordering::AcqRel);
        OpenSlot(count.clone())
    }
}

impl Drop for OpenSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

pub(crate) async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    tls: Option<Arc<rustls::ServerConfig>>,
) {
    let tls = tls.map(TlsAcceptor::from);
    let open = Arc::new(AtomicUsize::new(0));
    let refusing = Arc::new(AtomicUsize::new(0));
    let http = http_builder(&state);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        if open.load(Ordering::Acquire) >= state.config.max_connections {
            if refusing.load(Ordering::Acquire) < MAX_REFUSALS {
                let slot = OpenSlot::take(&refusing);
                tokio::spawn(refuse(stream, tls.clone(), state.clone(), slot));
            }
            continue;
        }
        let slot = OpenSlot::take(&open);
        tokio::spawn(connection(
            stream,
            peer,
            state.clone(),
            tls.clone(),
            http.clone(),
            slot,
        ));
    }
}

/// hyper's HTTP/1 settings for every connection: the head deadline and size limit.
pub(crate) fn http_builder(state: &State) -> http1::Builder {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.config.header_timeout)
        .max_header_size(MAX_HEAD);
    http
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    state: Arc<State>,
    tls: Option<TlsAcceptor>,
    http: http1::Builder,
    _slot: OpenSlot,
) {
    match tls {
        None => serve_http(stream, peer, state, &http).await,
        // The handshake counts against the head deadline: a silent client is dropped alike.
        Some(tls) => {
            if let Ok(Ok(stream)) = timeout(state.config.header_timeout, tls.accept(stream)).await {
                serve_http(stream, peer, state, &http).await;
            }
        }
    }
}

pub(crate) async fn serve_http<S>(
    stream: S,
    peer: SocketAddr,
    state: Arc<State>,
    http: &http1::Builder,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| Box::pin(server::serve(state.clone(), peer, req)));
    let mut conn = http.serve_connection(TokioIo::new(stream), service);
    let result = poll_fn(|cx| conn.poll_without_shutdown(cx)).await;
    let io = conn.into_parts().io.into_inner();
    match result {
        // The head deadline passed (nothing is owed), or a fault drops the connection.
        Err(e) if e.is_timeout() || e.is_user() => {}
        _ => linger(io).await,
    }
}

/// Ends the write side, then reads and discards what the client still sends for a while.
/// Closing with unread bytes makes the kernel send a reset, which can destroy an answer the
/// client has not read yet.
async fn linger<S: AsyncRead + AsyncWrite + Unpin>(mut io: S) {
    if io.shutdown().await.is_err() {
        return;
    }
    let deadline = Instant::now() + LINGER_TOTAL;
    let mut sink = [0u8; 8192];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        match timeout(left.min(LINGER_IDLE), io.read(&mut sink)).await {
            Ok(Ok(n)) if n > 0 => {}
            _ => return,
        }
    }
}

/// Answers a connection beyond the cap with 503 without reading its request, then closes it.
async fn refuse(stream: TcpStream, tls: Option<TlsAcceptor>, state: Arc<State>, _slot: OpenSlot) {
    let answer = refusal(&state);
    match tls {
        None => write_and_close(stream, &answer).await,
        Some(tls) => {
            if let Ok(Ok(stream)) = timeout(REFUSAL_HANDSHAKE, tls.accept(stream)).await {
                write_and_close(stream, &answer).await;
            }
        }
    }
}

async fn write_and_close<S: AsyncRead + AsyncWrite + Unpin>(mut io: S, answer: &[u8]) {
    if io.write_all(answer).await.is_ok() {
        linger(io).await;
    }
}

/// The 503 for a connection over the cap, as OSS writes errors.
fn refusal(state: &State) -> Vec<u8> {
    let request_id = state.new_id(24);
    let max = state.config.max_connections;
    let xml = OssError::new(
        503,
        "ServiceUnavailable",
        format!(
            "The emulator already serves {max} connections, its limit (--max-connections); \
             close idle connections or retry later."
        ),
    )
    .to_xml(&request_id, "");
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nServer: AliyunOSS\r\nDate: {}\r\n\
         x-oss-request-id: {request_id}\r\nContent-Type: application/xml\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{xml}",
        http_date(state.now()),
        xml.len()
    )
    .into_bytes()
}
