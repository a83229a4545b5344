//! The listener, one thread per connection, and the request pipeline: route, faults, bucket,
//! authentication, operation, response.

use std::collections::HashMap;
use std::io::{self, Read};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use ossffi::encoding::{base64_encode, parse_query};
use ossffi::time::{http_date, now_unix};

use crate::auth::{AuthKind, AuthRequest, Authenticator, auth_kind};
use crate::callback::{CallbackConfig, Callbacker};
use crate::config::Config;
use crate::error::OssError;
use crate::faults::Faults;
use crate::http::{
    Body, Conn, Framing, HeadError, RequestHead, Response, ResponseBody, Transport, write_response,
};
use crate::ops::{self, Ctx};
use crate::route::{self, Target};
use crate::store::{ObjectMeta, Store};

/// A body this small is read and thrown away after an early error, so the connection can be
/// reused; a larger one closes the connection instead.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

/// State shared by every connection of one server.
pub(crate) struct State {
    pub config: Config,
    pub domains: Vec<String>,
    pub auth: Authenticator,
    pub store: Store,
    pub faults: Arc<Faults>,
    pub callbacker: Arc<Callbacker>,
    ids: AtomicU64,
    id_seed: u64,
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl State {
    pub fn now(&self) -> i64 {
        self.config.now.unwrap_or_else(now_unix)
    }

    /// A unique upper-case hex id of `hex_len` (at most 32) characters: request and upload ids.
    pub fn new_id(&self, hex_len: usize) -> String {
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        // splitmix64 is a bijection, so distinct counters give distinct first halves.
        let a = splitmix64(self.id_seed.wrapping_add(n));
        let b = splitmix64(a);
        let mut id = format!("{a:016X}{b:016X}");
        id.truncate(hex_len.min(32));
        id
    }
}

/// Starts emulators.
pub struct Server;

impl Server {
    /// Binds, starts the accept thread and the callback machinery, and returns at once.
    pub fn start(config: Config) -> io::Result<RunningServer> {
        if config.credentials.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no access key configured; give --access-key-id and --access-key-secret",
            ));
        }
        let tls = match &config.tls {
            Some(files) => Some(crate::tls::server_config(files)?),
            None => None,
        };
        let callbacker = Arc::new(Callbacker::start(CallbackConfig {
            allowed_hosts: config.allowed_callback_hosts.clone(),
            timeout: config.callback_timeout,
            private_key_pem: config.callback_private_key_pem.clone(),
        })?);
        let store = Store::new(config.data_dir.clone())?;
        let now = config.now.unwrap_or_else(now_unix);
        for bucket in &config.buckets {
            if !route::valid_bucket_name(bucket) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "bucket name {bucket:?} is invalid: use 3-63 lower-case letters, digits and '-'"
                    ),
                ));
            }
            store.create_bucket(bucket, now)?;
        }
        for (_, bucket) in &config.cnames {
            store.create_bucket(bucket, now)?;
        }
        let listener = TcpListener::bind(config.listen).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot listen on {}: {e}", config.listen))
        })?;
        let addr = listener.local_addr()?;
        let faults = Arc::new(Faults::new(&config.faults, callbacker.clone()));
        let seed = splitmix64(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
                ^ u64::from(std::process::id()),
        );
        let state = Arc::new(State {
            domains: config.effective_domains(),
            auth: Authenticator::new(
                config.credentials.clone(),
                config.region.clone(),
                config.max_clock_skew.as_secs() as i64,
            ),
            store,
            faults,
            callbacker,
            ids: AtomicU64::new(0),
            id_seed: seed,
            config,
        });
        let stop = Arc::new(AtomicBool::new(false));
        let conns: Arc<Mutex<HashMap<u64, TcpStream>>> = Arc::default();
        let accept = {
            let (state, stop, conns) = (state.clone(), stop.clone(), conns.clone());
            thread::Builder::new()
                .name("oss-emulator-accept".into())
                .spawn(move || accept_loop(listener, state, stop, conns, tls))?
        };
        Ok(RunningServer {
            addr,
            state,
            stop,
            conns,
            accept: Some(accept),
        })
    }
}

/// A running emulator. Dropping it shuts it down.
pub struct RunningServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    conns: Arc<Mutex<HashMap<u64, TcpStream>>>,
    accept: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// The bound address (the real port when the configuration asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Runtime fault switches.
    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// Where callback receivers fetch the emulator's public key (plain HTTP, no auth).
    pub fn public_key_url(&self) -> &str {
        self.state.callbacker.public_key_url()
    }

    pub fn create_bucket(&self, bucket: &str) -> io::Result<()> {
        self.state.store.create_bucket(bucket, self.state.now())
    }

    pub fn object_exists(&self, bucket: &str, key: &str) -> bool {
        self.state.store.exists(bucket, key)
    }

    /// The stored bytes of an object (read from disk with `--data-dir`).
    pub fn object_bytes(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        self.state.store.get(bucket, key)?.bytes().ok()
    }

    pub fn object_meta(&self, bucket: &str, key: &str) -> Option<ObjectMeta> {
        Some(self.state.store.get(bucket, key)?.meta.clone())
    }

    /// Stops accepting, closes open connections and waits for the accept thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if self.stop.swap(true, Ordering::AcqRel) {
            return;
        }
        let wake = if self.addr.ip().is_unspecified() {
            SocketAddr::from(([127, 0, 0, 1], self.addr.port()))
        } else {
            self.addr
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        for (_, stream) in self.conns.lock().unwrap_or_else(|e| e.into_inner()).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    conns: Arc<Mutex<HashMap<u64, TcpStream>>>,
    tls: Option<Arc<rustls::ServerConfig>>,
) {
    let mut next_id = 0u64;
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::Acquire) {
            return;
        }
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        next_id += 1;
        let id = next_id;
        if let Ok(clone) = stream.try_clone() {
            conns
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, clone);
        }
        let (state, registry, tls) = (state.clone(), conns.clone(), tls.clone());
        let spawned = thread::Builder::new()
            .name("oss-emulator-conn".into())
            .spawn(move || {
                let _ = stream.set_nodelay(true);
                if let Ok(control) = stream.try_clone() {
                    let transport: Option<Box<dyn Transport>> = match tls {
                        Some(cfg) => rustls::ServerConnection::new(cfg).ok().map(|c| {
                            Box::new(rustls::StreamOwned::new(c, stream)) as Box<dyn Transport>
                        }),
                        None => Some(Box::new(stream)),
                    };
                    if let Some(transport) = transport {
                        serve_connection(&state, Conn::new(transport), &control, peer);
                    }
                    let _ = control.shutdown(Shutdown::Both);
                }
                registry
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
            });
        if spawned.is_err() {
            conns.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        }
    }
}

fn serve_connection(state: &State, mut conn: Conn, control: &TcpStream, peer: SocketAddr) {
    loop {
        let _ = control.set_read_timeout(Some(state.config.idle_timeout));
        let head = match conn.read_head() {
            Ok(head) => head,
            Err(HeadError::Closed) => return,
            Err(HeadError::Malformed(message)) => {
                let e = OssError::invalid_argument(message);
                return answer_and_close(state, &mut conn, &e, &state.new_id(24), "", false);
            }
            Err(HeadError::TooLarge) => {
                let e = OssError::new(
                    431,
                    "RequestHeaderTooLarge",
                    "The request head is larger than 64 KiB.",
                );
                return answer_and_close(state, &mut conn, &e, &state.new_id(24), "", false);
            }
        };
        let _ = control.set_read_timeout(Some(state.config.body_timeout));
        if !handle_request(state, &mut conn, &head, peer) {
            return;
        }
    }
}

/// Answers an error that leaves the connection unusable, then lets it close.
fn answer_and_close(
    state: &State,
    conn: &mut Conn,
    e: &OssError,
    request_id: &str,
    host_id: &str,
    is_head: bool,
) {
    let mut resp = error_response(e, request_id, host_id, is_head);
    finish_headers(state, &mut resp, request_id, Instant::now());
    let _ = write_response(conn, &resp, is_head, true);
}

/// What became of a request.
enum Outcome {
    Respond(Response),
    /// Fault injection: close without answering.
    Drop,
}

/// Serves one request; false when the connection must close.
fn handle_request(state: &State, conn: &mut Conn, head: &RequestHead, peer: SocketAddr) -> bool {
    let started = Instant::now();
    let request_id = state.new_id(24);
    let host_id = route::host_name(head.header("host").unwrap_or(""));
    let is_head = head.method == "HEAD";
    let framing = match head.framing() {
        Ok(f) => f,
        Err(message) => {
            let e = OssError::invalid_argument(message);
            answer_and_close(state, conn, &e, &request_id, &host_id, is_head);
            return false;
        }
    };
    let query = parse_query(&head.query);
    let mut body = Body::new(conn, framing, head.wants_continue());
    let outcome = match process(state, head, &query, &mut body, &request_id, &host_id, peer) {
        Ok(outcome) => outcome,
        Err(e) => Outcome::Respond(error_response(&e, &request_id, &host_id, is_head)),
    };
    let mut resp = match outcome {
        Outcome::Drop => return false,
        Outcome::Respond(r) => r,
    };
    let mut keep_alive = !head.wants_close();
    if !body.is_complete() {
        keep_alive = keep_alive && body.drain(DRAIN_LIMIT);
    }
    finish_headers(state, &mut resp, &request_id, started);
    let delay = state.faults.delay();
    if !delay.is_zero() {
        thread::sleep(delay);
    }
    write_response(conn, &resp, is_head, !keep_alive).is_ok() && keep_alive
}

fn finish_headers(state: &State, resp: &mut Response, request_id: &str, started: Instant) {
    if let Some(pos) = resp
        .headers
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case("x-oss-hash-crc64ecma"))
        && state.faults.take_wrong_crc()
    {
        let right: u64 = resp.headers[pos].1.parse().unwrap_or(0);
        resp.headers[pos].1 = (right ^ 0x5A5A).to_string();
    }
    resp.push_header("Server", "AliyunOSS");
    resp.push_header("Date", cached_http_date(state.now()));
    resp.push_header("x-oss-request-id", request_id.to_string());
    resp.push_header(
        "x-oss-server-time",
        started.elapsed().as_millis().to_string(),
    );
}

/// The Date header for `unix`: formatting it costs more than the rest of a small response, and
/// it changes once a second.
fn cached_http_date(unix: i64) -> String {
    thread_local! {
        static LAST: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != unix {
            *last = (unix, http_date(unix));
        }
        last.1.clone()
    })
}

fn error_response(e: &OssError, request_id: &str, host_id: &str, is_head: bool) -> Response {
    let xml = e.to_xml(request_id, host_id);
    let mut resp = Response::new(e.status);
    if let Some(ec) = e.ec {
        resp.push_header("x-oss-ec", ec);
    }
    if is_head {
        resp.push_header("x-oss-err", base64_encode(xml.as_bytes()));
    } else {
        resp.push_header("Content-Type", "application/xml");
        resp.body = ResponseBody::Bytes(xml.into_bytes());
    }
    resp
}

#[allow(clippy::too_many_arguments)]
fn process(
    state: &State,
    head: &RequestHead,
    query: &[(String, String)],
    body: &mut Body,
    request_id: &str,
    host_id: &str,
    peer: SocketAddr,
) -> Result<Outcome, OssError> {
    let target = route::resolve(
        head.header("host").unwrap_or(""),
        &head.path,
        &state.domains,
        &state.config.cnames,
    )?;
    let kind = auth_kind(&head.headers, query)?;
    if kind != AuthKind::Anonymous {
        if state.faults.take_drop() {
            drop_mid_body(body);
            return Ok(Outcome::Drop);
        }
        if let Some(status) = state.faults.take_fail() {
            let e = if status == 500 {
                OssError::internal(
                    "We encountered an internal error. Please try again. (injected fault)",
                )
            } else {
                OssError::new(
                    503,
                    "ServiceUnavailable",
                    "Please reduce your request rate. (injected fault)",
                )
            };
            return Err(e);
        }
    }
    if let Some(bucket) = target.bucket() {
        let creating =
            matches!(target, Target::Bucket(_)) && ops::is_put_bucket(&head.method, query);
        if !creating && !state.store.bucket_exists(bucket) {
            return Err(OssError::no_such_bucket(bucket));
        }
    }
    let now = state.now();
    state.auth.authenticate(
        kind,
        &AuthRequest {
            method: &head.method,
            bucket: target.bucket(),
            key: target.key(),
            query,
            headers: &head.headers,
            now,
        },
    )?;
    let ctx = Ctx {
        state,
        head,
        query,
        request_id,
        host_id,
        now,
        client_ip: peer.ip().to_string(),
    };
    ops::dispatch(&ctx, &target, body).map(Outcome::Respond)
}

/// Reads about half of the body (when there is one), as a connection lost mid-upload would.
fn drop_mid_body(body: &mut Body) {
    let half = match body.framing() {
        Framing::Length(n) => n / 2,
        Framing::Chunked => 64 * 1024,
        Framing::None => 0,
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut read = 0u64;
    while read < half {
        let want = buf.len().min((half - read) as usize);
        match body.read(&mut buf[..want]) {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n as u64,
        }
    }
}
