//! The plain-HTTP listener that serves the emulator's callback public key.
//!
//! A callback receiver fetches the key named by `x-oss-pub-key-url` while the upload waits for
//! its answer, so the key must be served independently of the upload server: this listener has
//! its own single-threaded runtime, and hyper serves each connection as a task on it.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

use crate::http::WireBody;

/// Path of the key, the same file name as OSS's `callback_pub_key_v1.pem`.
pub const KEY_PATH: &str = "/callback_pub_key_v1.pem";
/// A key request that has not arrived in this time is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// Serves the public key until dropped.
#[derive(Debug)]
pub struct KeyServer {
    url: String,
    runtime: Option<Runtime>,
}

impl KeyServer {
    /// Binds 127.0.0.1 on a free port and starts serving `public_key_pem`.
    pub fn start(public_key_pem: String) -> io::Result<KeyServer> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("callback-key-server")
            .enable_io()
            .enable_time()
            .build()?;
        let listener = {
            let _entered = runtime.enter();
            TcpListener::from_std(listener)?
        };
        runtime.spawn(accept_loop(listener, Bytes::from(public_key_pem)));
        Ok(KeyServer {
            url: format!("http://{addr}{KEY_PATH}"),
            runtime: Some(runtime),
        })
    }

    /// `http://127.0.0.1:PORT/callback_pub_key_v1.pem`
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        // Closes the listener and every connection without waiting: a key download has
        // nothing to finish that matters once the emulator is gone.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn accept_loop(listener: TcpListener, pem: Bytes) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(READ_TIMEOUT)
        .max_header_size(MAX_REQUEST_HEAD)
        .keep_alive(false);
    let http = Arc::new(http);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let (pem, http) = (pem.clone(), http.clone());
        tokio::spawn(async move {
            let service = service_fn(move |req| std::future::ready(answer(&req, &pem)));
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

fn answer(req: &Request<Incoming>, pem: &Bytes) -> Result<Response<WireBody>, Infallible> {
    let found = req.uri().path() == KEY_PATH;
    let (status, content_type, body) = match req.method() {
        &Method::GET | &Method::HEAD if found => {
            (StatusCode::OK, "application/x-pem-file", pem.clone())
        }
        _ => (
            StatusCode::NOT_FOUND,
            "text/plain",
            Bytes::from_static(b"not found\n"),
        ),
    };
    let len = body.len();
    let body = if req.method() == Method::HEAD {
        WireBody::Empty
    } else {
        WireBody::Full(Some(body))
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    Ok(resp)
}
