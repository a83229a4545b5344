//! The server: its runtime and shared state, and the request pipeline every request goes
//! through on a blocking thread: route, faults, bucket, authentication, operation, response.
//! Connections themselves (limits, TLS, closing) are `listener`'s.

use std::cell::Cell;
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use hyper::body::Incoming;
use ossffi::encoding::{base64_encode, parse_query};
use ossffi::time::{http_date, now_unix};
use tokio::runtime::{Handle, Runtime};

use crate::auth::{AuthKind, AuthRequest, Authenticator, auth_kind};
use crate::callback::{CallbackConfig, Callbacker};
use crate::config::Config;
use crate::error::OssError;
use crate::faults::Faults;
use crate::http::{
    Body, BodySource, Framing, RequestHead, Response, ResponseBody, SMALL_BODY, SMALL_BODY_WAIT,
    WireBody, to_wire,
};
use crate::journal::{Journal, JournalEntry};
use crate::listener;
use crate::ops::{self, Ctx};
use crate::route::{self, Target};
use crate::store::{ObjectMeta, Store};

/// How long shutting down waits for requests still running.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// State shared by every connection of one server.
pub(crate) struct State {
    pub config: Config,
    pub domains: Vec<String>,
    pub auth: Authenticator,
    pub store: Store,
    pub faults: Arc<Faults>,
    pub callbacker: Arc<Callbacker>,
    pub journal: Journal,
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
    /// The shared state of a server with this configuration: its buckets created, its
    /// callback machinery started; no listener.
    pub(crate) fn new(config: Config) -> io::Result<State> {
        let callbacker = Arc::new(Callbacker::start(CallbackConfig {
            allowed_hosts: config.allowed_callback_hosts.clone(),
            timeout: config.callback_timeout,
            private_key_pem: config.callback_private_key_pem.clone(),
        })?);
        let store = Store::new(config.data_dir.clone())?;
        let journal = Journal::open(config.journal_file.as_deref())?;
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
        let faults = Arc::new(Faults::new(&config.faults, callbacker.clone()));
        let seed = splitmix64(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
                ^ u64::from(std::process::id()),
        );
        Ok(State {
            domains: config.effective_domains(),
            auth: Authenticator::new(
                config.credentials.clone(),
                config.region.clone(),
                config.max_clock_skew.as_secs() as i64,
            ),
            store,
            faults,
            callbacker,
            journal,
            ids: AtomicU64::new(0),
            id_seed: seed,
            config,
        })
    }

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
    /// Binds, starts the runtime that serves connections and the callback machinery, and
    /// returns at once.
    pub fn start(config: Config) -> io::Result<RunningServer> {
        if config.credentials.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no access key configured; give --access-key-id and --access-key-secret",
            ));
        }
        if config.max_connections == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "--max-connections must be at least 1",
            ));
        }
        let tls = match &config.tls {
            Some(files) => Some(crate::tls::server_config(files)?),
            None => None,
        };
        let listener = TcpListener::bind(config.listen).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot listen on {}: {e}", config.listen))
        })?;
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        // Connections wait on one worker without a thread each (a second worker only added
        // wake-ups between the two); requests that can block run on blocking threads. Every
        // open connection can have a request and a file download in flight, so requests never
        // queue behind another client's slow body.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(config.max_connections.saturating_mul(2))
            .thread_name("oss-emulator")
            .enable_io()
            .enable_time()
            .build()?;
        let state = Arc::new(State::new(config)?);
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        runtime.spawn(listener::accept_loop(listener, state.clone(), tls));
        Ok(RunningServer {
            addr,
            state,
            runtime: Some(runtime),
        })
    }
}

/// A running emulator. Dropping it shuts it down.
pub struct RunningServer {
    addr: SocketAddr,
    state: Arc<State>,
    runtime: Option<Runtime>,
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

    /// Every authenticated request (one that carries a signature, as fault counters count
    /// them) answered since the start or the last [`RunningServer::clear_journal`], in the
    /// order their answers were decided; an entry is recorded before its answer is sent.
    /// Requests closed without an answer are not in it. Only the last
    /// [`crate::JOURNAL_CAPACITY`] entries are kept.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.state.journal.entries()
    }

    /// Empties the journal (a `--journal` file keeps its lines).
    pub fn clear_journal(&self) {
        self.state.journal.clear();
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

    /// Stops accepting, closes every connection and waits a little for requests still running.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        // Dropping the connection tasks ends every body a request is waiting for, so requests
        // finish quickly; one stuck in a callback is left to finish on its own.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(SHUTDOWN_GRACE);
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// The service hyper calls for each request. An error makes hyper close the connection without
/// answering (the drop fault).
///
/// A request that cannot block runs right here on the connection's worker: handing it to
/// another thread and back costs more than it takes (two thread wake-ups per request, which
/// tripled the server's CPU per 4 KiB PUT). Anything that can block runs on tokio's blocking
/// pool instead, so the worker keeps serving every other connection.
pub(crate) async fn serve(
    state: Arc<State>,
    peer: SocketAddr,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<WireBody>, Dropped> {
    let (parts, incoming) = req.into_parts();
    let wants_continue = parts
        .headers
        .get(hyper::header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let body = BodySource::take_ready(incoming, wants_continue, declared).await;
    let runtime = Handle::current();
    if body.is_whole() && cannot_block(&state, &parts) {
        return handle_request(&state, parts, body, peer, &runtime).ok_or(Dropped);
    }
    let task =
        tokio::task::spawn_blocking(move || handle_request(&state, parts, body, peer, &runtime));
    match task.await {
        Ok(Some(resp)) => Ok(resp),
        // Dropped by a fault, or cancelled because the server is shutting down.
        Ok(None) | Err(_) => Err(Dropped),
    }
}

/// Whether a request whose body has arrived whole runs without waiting on anything: not on a
/// callback receiver (up to 5 s per URL), files (`--data-dir`), copying a whole object (the
/// parts of a multipart upload, or an appendable object on each append), or an injected delay.
fn cannot_block(state: &State, parts: &hyper::http::request::Parts) -> bool {
    let query = parts.uri.query().unwrap_or("");
    let has_param = |name: &str| query.split('&').any(|p| p.split('=').next() == Some(name));
    state.config.data_dir.is_none()
        && state.faults.delay().is_zero()
        && !state.faults.stall_armed()
        && !parts.headers.contains_key("x-oss-callback")
        && !ops::post_object::may_be_post_object(parts)
        && !has_param("callback")
        && !(parts.method == hyper::Method::POST && (has_param("uploadId") || has_param("append")))
}

/// The connection is closed without an answer.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped without an answer")
    }
}

impl std::error::Error for Dropped {}

/// What became of a request.
enum Outcome {
    Respond(Response),
    /// Fault injection: close without answering.
    Drop,
}

/// Runs one request to its answer; `None` to close without one. A panic anywhere in the
/// pipeline becomes 500 InternalError and the connection closes: no request is left
/// unanswered on an open connection.
fn handle_request(
    state: &State,
    parts: hyper::http::request::Parts,
    body: BodySource,
    peer: SocketAddr,
    runtime: &Handle,
) -> Option<hyper::Response<WireBody>> {
    let started = Instant::now();
    let request_id = state.new_id(24);
    let is_head = parts.method == hyper::Method::HEAD;
    let host_id = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(route::host_name)
        .unwrap_or_default();
    let marks = Marks::default();
    let served = panic::catch_unwind(AssertUnwindSafe(|| {
        serve_request(
            state,
            &parts,
            body,
            peer,
            runtime,
            &request_id,
            &host_id,
            &marks,
        )
    }));
    let (mut resp, close) = match served {
        Ok(None) => return None,
        Ok(Some(answer)) => answer,
        Err(_) => {
            let e = OssError::internal(
                "The emulator failed while serving this request (a bug in ossffi-emulator); \
                 the connection is closed.",
            );
            (error_response(&e, &request_id, &host_id, is_head), true)
        }
    };
    ops::cors::decorate(state, &parts, &mut resp);
    finish_headers(state, &mut resp, &request_id, started);
    let delay = state.faults.delay();
    if !delay.is_zero() {
        thread::sleep(delay);
    }
    let wire = match to_wire(resp, is_head, close, runtime) {
        Ok(wire) => wire,
        Err(message) => {
            let e = OssError::internal(format!("The response could not be sent: {message}."));
            let mut resp = error_response(&e, &request_id, &host_id, is_head);
            finish_headers(state, &mut resp, &request_id, started);
            to_wire(resp, is_head, true, runtime).ok()?
        }
    };
    if marks.authenticated.get() {
        state.journal.record(JournalEntry {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            status: wire.status().as_u16(),
        });
    }
    // Journaled first: a test that sees its client time out finds what the server did.
    if let Some(stall) = marks.stall.get() {
        thread::sleep(stall);
    }
    Some(wire)
}

/// What the pipeline learns about a request that matters after its answer is made.
#[derive(Default)]
struct Marks {
    /// The request carries a signature (or is a PostObject): only those are journaled.
    authenticated: Cell<bool>,
    /// Its answer waits this long after it is journaled ([`Faults::stall_next`]).
    stall: Cell<Option<Duration>>,
}

/// The pipeline up to the response and whether the connection must close after it.
#[allow(clippy::too_many_arguments)]
fn serve_request(
    state: &State,
    parts: &hyper::http::request::Parts,
    source: BodySource,
    peer: SocketAddr,
    runtime: &Handle,
    request_id: &str,
    host_id: &str,
    marks: &Marks,
) -> Option<(Response, bool)> {
    let is_head = parts.method == hyper::Method::HEAD;
    let refuse = |e: OssError| Some((error_response(&e, request_id, host_id, is_head), true));
    let head = match RequestHead::from_parts(parts) {
        Ok(head) => head,
        Err(message) => return refuse(OssError::invalid_argument(message)),
    };
    let framing = match head.framing() {
        Ok(f) => f,
        Err(message) if head.header("transfer-encoding").is_some() => {
            // OSS answers an unsupported transfer coding with 501.
            return refuse(
                OssError::new(501, "NotImplemented", message).field("Header", "Transfer-Encoding"),
            );
        }
        Err(message) => return refuse(OssError::invalid_argument(message)),
    };
    let query = parse_query(&head.query);
    let mut body = Body::new(
        source,
        runtime.clone(),
        state.config.body_timeout,
        framing,
        head.wants_continue(),
    );
    let outcome = match process(
        state, &head, &query, &mut body, request_id, host_id, peer, marks,
    ) {
        Ok(outcome) => outcome,
        Err(e) => Outcome::Respond(error_response(&e, request_id, host_id, is_head)),
    };
    let resp = match outcome {
        Outcome::Drop => return None,
        Outcome::Respond(r) => r,
    };
    // After an early answer, a small rest of the body is read and thrown away so the
    // connection can serve the next request; anything larger closes the connection instead
    // of holding the answer back.
    let complete = body.discard_rest(SMALL_BODY, SMALL_BODY_WAIT);
    // Dropped here, before the answer: hyper then stops reading a body nobody wants.
    drop(body);
    Some((resp, !complete || head.wants_close()))
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
    marks: &Marks,
) -> Result<Outcome, OssError> {
    let target = route::resolve(
        head.header("host").unwrap_or(""),
        &head.path,
        &state.domains,
        &state.config.cnames,
    )?;
    if head.method == "OPTIONS" {
        return ops::cors::preflight(state, head, &target).map(Outcome::Respond);
    }
    // PostObject authenticates from its form fields: headers and URL signatures are ignored.
    let post_object = ops::post_object::is_post_object(head, &target);
    let kind = if post_object {
        AuthKind::Anonymous
    } else {
        auth_kind(&head.headers, query)?
    };
    if kind != AuthKind::Anonymous || post_object {
        marks.authenticated.set(true);
        // A request spared by Faults::spare_next meets none of the request faults.
        let spared = state.faults.note_request();
        if !spared && let Some(limit) = state.faults.take_drop() {
            drop_mid_body(body, limit);
            return Ok(Outcome::Drop);
        }
        if !spared && state.faults.take_panic() {
            panic!("injected fault: Faults::panic_next");
        }
        if !spared {
            let part_fault =
                || upload_part_number(head, query).and_then(|n| state.faults.take_part_fail(n));
            if let Some(status) = state.faults.take_fail().or_else(part_fault) {
                return Err(injected_error(status));
            }
            marks.stall.set(state.faults.take_stall());
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
    if !post_object {
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
    }
    let ctx = Ctx {
        state,
        head,
        query,
        request_id,
        host_id,
        now,
        client_ip: peer.ip().to_string(),
    };
    match (post_object, target.bucket()) {
        (true, Some(bucket)) => ops::post_object::post_object(&ctx, bucket, body),
        _ => ops::dispatch(&ctx, &target, body),
    }
    .map(Outcome::Respond)
}

/// The error an injected 500 or 503 answers.
fn injected_error(status: u16) -> OssError {
    if status == 500 {
        OssError::internal("We encountered an internal error. Please try again. (injected fault)")
    } else {
        OssError::new(
            503,
            "ServiceUnavailable",
            "Please reduce your request rate. (injected fault)",
        )
    }
}

/// The part number of an UploadPart request (a PUT with `partNumber` and `uploadId`).
fn upload_part_number(head: &RequestHead, query: &[(String, String)]) -> Option<u32> {
    if head.method != "PUT" || !query.iter().any(|(n, _)| n == "uploadId") {
        return None;
    }
    let (_, n) = query.iter().find(|(n, _)| n == "partNumber")?;
    n.parse().ok()
}

/// Reads `limit` bytes of the body, or about half of it for `u64::MAX` (when there is one), as
/// a connection lost mid-upload would.
fn drop_mid_body(body: &mut Body, limit: u64) {
    let half = match body.framing() {
        Framing::Length(n) => n / 2,
        Framing::Chunked => 64 * 1024,
        Framing::None => 0,
    };
    let wanted = if limit == u64::MAX { half } else { limit };
    let mut buf = vec![0u8; 64 * 1024];
    let mut read = 0u64;
    while read < wanted {
        let want = buf.len().min((wanted - read) as usize);
        match body.read(&mut buf[..want]) {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n as u64,
        }
    }
}
