//! The client and its request pipeline: every operation is declared as an
//! [`Operation`](crate::operation::Operation) and goes through `Client::invoke` (validate, then
//! per attempt take credentials, sign, send, judge the reply; retry what is worth retrying).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use crate::config::{ClientConfig, ProxyScheme, SignatureVersion};
use crate::crc64::Crc64;
use crate::credentials::{self, CredentialsProvider};
use crate::encoding::base64_encode;
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind, ObjectStored};
use crate::http::{
    Phase, Proxy, ReplySink, RequestHead, Response, Scheme, Target, TlsOptions, Transport,
    TransportConfig, TransportError,
};
use crate::log::{self, LogLevel};
use crate::operation::{self, Operation};
use crate::put_object::{ProgressFn, PutObjectRequest, PutObjectResult};
use crate::upload_body::{self, Outgoing};
use crate::{mime, oss_error, retry, signing, time};
use std::io::Write;

/// An OSS client: endpoint, credentials, settings and a connection pool. Share it between
/// threads freely; every method takes `&self`.
pub struct Client {
    endpoint: Endpoint,
    config: ClientConfig,
    /// Shared rather than owned so that each request takes it without copying it.
    region: RwLock<Arc<str>>,
    credentials: Arc<dyn CredentialsProvider>,
    transport: Transport,
    /// Server time minus local time, learnt from RequestTimeTooSkewed answers.
    clock_offset: AtomicI64,
    signing_keys: signing::v4::SigningKeyCache,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(
        endpoint: &str,
        credentials: Arc<dyn CredentialsProvider>,
        config: ClientConfig,
    ) -> Result<Self, Error> {
        let endpoint = Endpoint::parse(endpoint)?;
        let proxy = proxy_for(&config, endpoint.scheme, &endpoint.host)?;
        let non_empty = |s: &String| (!s.is_empty()).then(|| s.clone());
        let transport = Transport::new(TransportConfig {
            connect_timeout: config.connect_timeout(),
            io_timeout: config.request_timeout(),
            max_idle_per_target: config.max_connections.max(1) as usize,
            tls: TlsOptions {
                verify: config.verify_ssl,
                ca_file: non_empty(&config.ca_file),
                ca_path: non_empty(&config.ca_path),
            },
            proxy,
            max_response_body: 8 << 20,
            total_timeout: None,
            connect_to: None,
        });
        Ok(Self {
            endpoint,
            region: RwLock::new(Arc::from(config.region.as_str())),
            config,
            credentials,
            transport,
            clock_offset: AtomicI64::new(0),
            signing_keys: signing::v4::SigningKeyCache::default(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The V4 signing region (the C++ SDK's `OssClient::SetRegion`).
    pub fn set_region(&self, region: &str) {
        *self.region.write().unwrap_or_else(|p| p.into_inner()) = Arc::from(region);
    }

    pub fn region(&self) -> String {
        self.shared_region().to_string()
    }

    fn shared_region(&self) -> Arc<str> {
        Arc::clone(&self.region.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// A presigned URL for `request` (the C++ SDK's `GeneratePresignedUrl`), signed with this
    /// client's endpoint, addressing style, signature version, region, clock offset and
    /// credentials. Nothing is sent; the only possible I/O is the credentials provider's.
    pub fn generate_presigned_url(
        &self,
        request: &signing::presign::PresignRequest,
    ) -> Result<String, Error> {
        let credentials = crate::credentials::check(self.credentials.credentials()?)?;
        let region = self.shared_region();
        signing::presign::presigned_url(
            request,
            &signing::presign::PresignContext {
                endpoint: &self.endpoint,
                credentials: &credentials,
                signature_version: self.config.signature_version,
                region: &region,
                is_cname: self.config.is_cname,
                is_path_style: self.config.is_path_style,
                now: time::now_unix().saturating_add(self.clock_offset.load(Ordering::Relaxed)),
            },
        )
    }

    /// Uploads an object: the request's headers and user metadata, Content-Type guessed from
    /// the key when absent, the body streamed with CRC-64 checked on the way.
    pub fn put_object(&self, request: &mut PutObjectRequest<'_>) -> Result<PutObjectResult, Error> {
        let mut headers =
            Vec::with_capacity(request.headers.len() + request.user_metadata.len() + 8);
        headers.extend(request.headers.iter().cloned());
        for (name, value) in &request.user_metadata {
            headers.push((format!("x-oss-meta-{name}"), value.clone()));
        }
        if !has_header(&headers, "content-type") {
            headers.push((
                "Content-Type".to_owned(),
                mime::content_type_for_key(&request.key).to_owned(),
            ));
        }
        let response = self.invoke(Operation {
            headers,
            body: Some(&mut request.body),
            compute_content_md5: request.compute_content_md5,
            progress: request.progress.take(),
            check_crc64: true,
            ..Operation::new("PutObject", "PUT", &request.bucket, Some(&request.key))
        })?;
        Ok(put_object_result(response))
    }

    /// The pipeline every operation goes through: validate names and headers, then per attempt
    /// take credentials, sign, send, judge the reply; retry what is worth retrying, rewinding
    /// the body. Returns the reply of a successful attempt, body read into memory.
    pub(crate) fn invoke(&self, operation: Operation<'_, '_, '_>) -> Result<Response, Error> {
        let Operation {
            name,
            method,
            bucket,
            key,
            url,
            parameters,
            mut headers,
            body,
            compute_content_md5,
            mut progress,
            check_crc64,
            mut reply,
            mut rewind_reply,
        } = operation;
        let by_url = url.map(crate::endpoint::parse_url).transpose()?;
        if by_url.is_none() {
            validate_bucket(bucket)?;
            if let Some(key) = key {
                validate_key(key)?;
            }
        }
        let region = self.shared_region();
        if by_url.is_none()
            && self.config.signature_version == SignatureVersion::V4
            && region.is_empty()
        {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "ValidateError",
                "signature V4 needs the bucket's region: set it (for example \"cn-hangzhou\" for oss-cn-hangzhou.aliyuncs.com) with SetRegion / ossffi_client_config_set_region, or choose signature V1",
            ));
        }
        for (name, value) in &headers {
            check_header(name, value)?;
        }
        headers.retain(|(name, _)| !is_managed_header(name));
        // The SDK gives every signed request a Content-Type, GET, HEAD and DELETE included; a
        // presigned URL's request carries only what the URL was signed with.
        if by_url.is_none() && !has_header(&headers, "content-type") {
            headers.push(("Content-Type".to_owned(), "application/xml".to_owned()));
        }
        // As the SDK does, a header set to "" is not sent (UploadPart's empty Content-Type
        // only keeps the default out). Dropping it before signing keeps V1 and V4 consistent
        // with what OSS receives: V1 signs an absent Content-Type as an empty line, and V4
        // skips empty values.
        headers.retain(|(_, value)| !value.is_empty());
        headers.push(("User-Agent".to_owned(), self.config.user_agent.clone()));
        let (target, path) = match by_url {
            Some(sent_as_given) => sent_as_given,
            None => {
                let target =
                    self.endpoint
                        .target(bucket, self.config.is_cname, self.config.is_path_style);
                let mut path =
                    self.endpoint
                        .path(bucket, key.unwrap_or(""), self.config.is_path_style);
                if !parameters.is_empty() {
                    path.push('?');
                    path.push_str(&operation::query_string(parameters));
                }
                (target, path)
            }
        };
        // The SDK's test: a callback header, or a URL whose query mentions `callback=`.
        let has_callback = has_header(&headers, "x-oss-callback")
            || (url.is_some()
                && path
                    .split_once('?')
                    .is_some_and(|(_, query)| query.contains("callback=")));

        let mut source = match body {
            Some(body) => Some(upload_body::open(body)?),
            None => None,
        };
        if compute_content_md5
            && let Some((source, length)) = source.as_mut()
            && !has_header(&headers, "content-md5")
        {
            let md5 = source.content_md5(*length)?;
            headers.push(("Content-MD5".to_owned(), base64_encode(&md5)));
        }
        let length = source.as_ref().map_or(0, |(_, length)| *length);
        // The C++ SDK checks a download's CRC-64 only when it is the whole object.
        let check_download_crc =
            check_crc64 && self.config.enable_crc64 && !has_header(&headers, "range");
        let request = Request {
            sign: url.is_none(),
            method,
            bucket,
            key,
            parameters,
            region: &region,
            target: &target,
            path: &path,
        };
        // The signer appends its headers; unless it may also replace some of these, each
        // attempt signs `headers` in place and cuts its additions off after sending, instead of
        // copying every header for every attempt.
        let sign_in_place = !headers
            .iter()
            .any(|(name, _)| signing::may_replace_header(name));

        let mut attempt: u32 = 0;
        // Set when this attempt is sent again after its pooled connection turned out stale.
        let mut new_connection = false;
        // Set once an attempt may have been acted on (its body reached the server and no
        // answer came back): no later failure can then say the object was not stored.
        let mut maybe_acted_on = false;
        loop {
            if attempt == 0 && !new_connection && crate::cancel::requested() {
                return Err(crate::cancel::cancelled(
                    "before it was sent",
                    ObjectStored::No,
                ));
            }
            let mut download = reply.as_deref_mut().map(|writer| Download {
                writer,
                crc: check_download_crc.then(Crc64::new),
                // Progress follows the body: the upload's when there is one, else the reply's.
                progress: None,
                received: 0,
                total: 0,
                aborted: None,
                cancelled: false,
            });
            let (outcome, crc) = match source.as_mut() {
                Some((source, length)) => {
                    let mut outgoing = Outgoing {
                        source,
                        length: *length,
                        crc: (check_crc64 && self.config.enable_crc64).then(Crc64::new),
                        progress: progress.as_deref_mut(),
                        sent: 0,
                    };
                    let outcome = self.attempt(
                        &request,
                        &mut headers,
                        sign_in_place,
                        Some(&mut outgoing),
                        download.as_mut().map(|d| d as &mut dyn ReplySink),
                        new_connection,
                    );
                    (outcome, outgoing.crc.as_ref().map(Crc64::value))
                }
                None => {
                    if let Some(download) = download.as_mut() {
                        download.progress = progress.as_deref_mut();
                    }
                    let outcome = self.attempt(
                        &request,
                        &mut headers,
                        sign_in_place,
                        None,
                        download.as_mut().map(|d| d as &mut dyn ReplySink),
                        new_connection,
                    );
                    let crc = download
                        .as_ref()
                        .and_then(|d| d.crc.as_ref().map(Crc64::value));
                    (outcome, crc)
                }
            };
            let received = download.as_ref().map(|d| (d.received, d.aborted));
            let cancelled_download = download.as_ref().is_some_and(|d| d.cancelled);
            let stale_connection = matches!(&outcome, Err(e) if e.stale_connection);
            let outcome = outcome.map_err(|e| e.error);
            let outcome = match (outcome, received) {
                (Err(_), _) if cancelled_download => Err(crate::cancel::cancelled(
                    "while its reply was being received",
                    ObjectStored::No,
                )),
                (Err(_), Some((_, Some(code)))) => Err(Error::new(
                    ErrorKind::Aborted,
                    "ClientError:200042",
                    format!(
                        "Operation was aborted by an application callback. (the progress callback returned {code})"
                    ),
                )),
                (Ok(response), _) => match reply.as_deref_mut().map(Write::flush) {
                    Some(Err(e)) => Err(transport_error(TransportError::Reply(e))),
                    _ => Ok(response),
                },
                (outcome, _) => outcome,
            };
            let transferred = match received {
                Some((received, _)) if source.is_none() => received,
                _ => length,
            };
            if log::enabled(LogLevel::Debug) {
                let outcome = match &outcome {
                    Ok(response) => format!(
                        "HTTP {} request id {}",
                        response.status,
                        response.header("x-oss-request-id").unwrap_or("-")
                    ),
                    Err(error) => error.to_string(),
                };
                log::write(
                    LogLevel::Debug,
                    format_args!(
                        "{method} {}://{}{path} ({length} bytes, attempt {}): {outcome}",
                        target.scheme.as_str(),
                        target.authority(),
                        attempt + 1
                    ),
                );
            }
            let mut error = match outcome {
                Ok(response) => {
                    match judge(response, has_callback, crc, transferred, source.is_some()) {
                        Ok(response) => return Ok(response),
                        Err(error) => error,
                    }
                }
                Err(error) => error,
            };
            // A retried CompleteMultipartUpload whose first answer was lost finds its upload
            // gone (NoSuchUpload), and a retried upload may fail for a reason of its own: the
            // earlier attempt may still have stored the object.
            if maybe_acted_on && error.object_stored == ObjectStored::No {
                error.object_stored = ObjectStored::Unknown;
            }
            maybe_acted_on |= error.object_stored == ObjectStored::Unknown;
            // A pooled connection that the server closed while it sat idle is no failure of
            // the request: like curl, send it again at once on a new connection, without a
            // retry's delay and without counting one. Nothing of the reply arrived, so only
            // the body needs to start over; one that cannot is not sent again.
            if stale_connection && !new_connection && rewind_body(&mut source)? {
                log::write(
                    LogLevel::Debug,
                    format_args!(
                        "{name} {bucket}/{}: the pooled connection was closed by the server \
                         ({error}); sending again on a new connection",
                        key.unwrap_or("")
                    ),
                );
                new_connection = true;
                continue;
            }
            new_connection = false;
            if error.kind == ErrorKind::Server && error.code == "RequestTimeTooSkewed" {
                self.learn_clock_offset(&error);
            }
            if attempt >= self.config.max_retries || !retry::is_retryable(&error) {
                return Err(error);
            }
            if has_callback
                && error.object_stored == ObjectStored::Unknown
                && !retry::replay_is_refused(name)
            {
                // OSS may have stored the object and called the application's server already:
                // sending it again would store it again and make the callback twice. The caller
                // learns that the object may be stored and can look (HeadObject).
                log::write(
                    LogLevel::Warn,
                    format_args!(
                        "{name} {bucket}/{} attempt {} failed after its body was sent ({error}); \
                         not retried, because its upload callback may have run already",
                        key.unwrap_or(""),
                        attempt + 1
                    ),
                );
                return Err(error);
            }
            // The caller's writer already holds part of this reply; another attempt would write
            // those bytes twice unless the writer can start over.
            if received.is_some_and(|(received, _)| received > 0) {
                let Some(rewind) = rewind_reply.as_deref_mut() else {
                    return Err(error);
                };
                if let Err(rewind_error) = rewind() {
                    return Err(transport_error(TransportError::Reply(rewind_error)));
                }
            }
            // A body that cannot start over (a read callback without a rewind function) gets
            // no second attempt: a retry would send the wrong bytes.
            if !rewind_body(&mut source)? {
                return Err(error);
            }
            if crate::cancel::requested() {
                return Err(crate::cancel::cancelled(
                    &format!("after attempt {} failed ({error})", attempt + 1),
                    error.object_stored,
                ));
            }
            let delay = retry::delay(attempt, self.config.retry_scale_ms);
            log::write(
                LogLevel::Warn,
                format_args!(
                    "{name} {bucket}/{} attempt {} failed ({error}); retrying in {delay:?}",
                    key.unwrap_or(""),
                    attempt + 1
                ),
            );
            std::thread::sleep(delay);
            attempt += 1;
        }
    }

    /// One attempt: fresh credentials and date, signed, sent (on a new connection when
    /// `new_connection`, else on a pooled one if there is one). `headers` are the unsigned
    /// headers; with `sign_in_place` they are signed where they are and left as they were.
    #[allow(clippy::too_many_arguments)] // one call site, in invoke; a struct would only rename them
    fn attempt(
        &self,
        request: &Request<'_>,
        unsigned: &mut Vec<(String, String)>,
        sign_in_place: bool,
        body: Option<&mut Outgoing<'_, '_, '_, '_>>,
        reply: Option<&mut dyn ReplySink>,
        new_connection: bool,
    ) -> Result<Response, AttemptError> {
        // A presigned URL needs no credentials: the client that signed it had them.
        let credentials = match request.sign {
            true => Some(credentials::check(self.credentials.credentials()?)?),
            false => None,
        };
        let unsigned_count = unsigned.len();
        let mut copy;
        let headers = if sign_in_place {
            unsigned
        } else {
            copy = unsigned.clone();
            &mut copy
        };
        let now = time::now_unix().saturating_add(self.clock_offset.load(Ordering::Relaxed));
        match (self.config.signature_version, &credentials) {
            (_, None) => {}
            (SignatureVersion::V4, Some(credentials)) => signing::v4::sign_headers_cached(
                request.method,
                Some(request.bucket),
                request.key,
                request.parameters,
                headers,
                credentials,
                request.region,
                signing::v4::PRODUCT,
                now,
                &[],
                &self.signing_keys,
            ),
            (SignatureVersion::V1, Some(credentials)) => signing::v1::sign_headers_cached(
                request.method,
                Some(request.bucket),
                request.key,
                request.parameters,
                headers,
                credentials,
                now,
                self.signing_keys.date_headers(),
            ),
        }
        let head = RequestHead {
            method: request.method,
            target: request.target,
            path_and_query: request.path,
            headers,
        };
        let body = body.map(|body| body as &mut dyn crate::http::BodySource);
        let sent = if new_connection {
            self.transport.send_to_on_new_connection(&head, body, reply)
        } else {
            self.transport.send_to(&head, body, reply)
        };
        headers.truncate(unsigned_count);
        sent.map_err(|error| AttemptError {
            stale_connection: error.is_stale_connection(),
            error: transport_error(error),
        })
    }

    fn learn_clock_offset(&self, error: &Error) {
        if !self.config.enable_date_skew_adjustment {
            return;
        }
        let server_time = oss_error::parse_error_xml(&String::from_utf8_lossy(&error.body))
            .ok()
            .and_then(|body| body.field("ServerTime").map(str::to_owned))
            .and_then(|text| time::parse_rfc3339(&text));
        if let Some(server_time) = server_time {
            self.clock_offset.store(
                server_time.saturating_sub(time::now_unix()),
                Ordering::Relaxed,
            );
        }
    }
}

/// Why an attempt failed, and whether it failed only because the pooled connection it used had
/// gone stale (then it may go again at once on a new connection, see `Client::invoke`).
struct AttemptError {
    error: Error,
    stale_connection: bool,
}

impl From<Error> for AttemptError {
    fn from(error: Error) -> Self {
        Self {
            error,
            stale_connection: false,
        }
    }
}

/// What every attempt of one operation sends, worked out once.
struct Request<'r> {
    /// False for a presigned URL, whose signature is in its query.
    sign: bool,
    method: &'r str,
    bucket: &'r str,
    key: Option<&'r str>,
    parameters: &'r [(String, String)],
    region: &'r str,
    target: &'r Target,
    /// Path and query, percent-encoded.
    path: &'r str,
}

/// A 2xx reply's body on its way to the caller's writer, with CRC-64 and progress computed as
/// it arrives.
struct Download<'w, 'p, 'a> {
    writer: &'w mut dyn Write,
    crc: Option<Crc64>,
    progress: Option<&'p mut ProgressFn<'a>>,
    received: u64,
    /// The reply's Content-Length, 0 when it has none.
    total: u64,
    /// The code with which the progress callback stopped the download.
    aborted: Option<i64>,
    /// The asynchronous call receiving it was cancelled.
    cancelled: bool,
}

impl ReplySink for Download<'_, '_, '_> {
    fn begin(&mut self, headers: &[(String, String)]) -> std::io::Result<()> {
        self.total = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        Ok(())
    }

    fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        if crate::cancel::requested() {
            self.cancelled = true;
            return Err(std::io::Error::other("the call was cancelled"));
        }
        self.writer.write_all(chunk)?;
        if let Some(crc) = self.crc.as_mut() {
            crc.update(chunk);
        }
        self.received += chunk.len() as u64;
        if let Some(progress) = self.progress.as_deref_mut()
            && let Err(code) = progress(chunk.len() as u64, self.received, self.total)
        {
            self.aborted = Some(code);
            return Err(std::io::Error::other(
                "the progress callback stopped the download",
            ));
        }
        Ok(())
    }
}

/// Takes the body back to its start for another attempt: `false` when it cannot start over (a
/// read callback without a rewind function), `true` when it did or there is none.
fn rewind_body(source: &mut Option<(upload_body::Source<'_, '_>, u64)>) -> Result<bool, Error> {
    match source.as_mut() {
        None => Ok(true),
        Some((source, _)) => source.rewind().map_err(upload_body::body_error),
    }
}

fn has_header(headers: &[(String, String)], name: &str) -> bool {
    headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// Content-Length and Host belong to the transport; a caller's value is ignored rather than
/// allowed to contradict the body.
fn is_managed_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("content-length")
        || name.eq_ignore_ascii_case("host")
        || name.eq_ignore_ascii_case("transfer-encoding")
        || name.eq_ignore_ascii_case("connection")
}

fn check_header(name: &str, value: &str) -> Result<(), Error> {
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(Error::invalid_argument(format!(
            "{name:?} is not a valid HTTP header name"
        )));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(Error::invalid_argument(format!(
            "the value of header {name} contains a line break or NUL, which HTTP cannot carry"
        )));
    }
    Ok(())
}

/// The C++ SDK's bucket rule: 3-63 characters of a-z, 0-9 and '-', not starting or ending in '-'.
pub fn validate_bucket(bucket: &str) -> Result<(), Error> {
    let bytes = bucket.as_bytes();
    let ok = (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-';
    if ok {
        Ok(())
    } else {
        Err(Error::validate(
            "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or dash(-) with 3-63 characters long.",
        ))
    }
}

/// The C++ SDK's key rule: 1-1023 bytes, not starting with a backslash.
pub fn validate_key(key: &str) -> Result<(), Error> {
    if key.is_empty() || key.starts_with('\\') || key.len() > 1023 {
        return Err(Error::validate(
            "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin with '/' or '\\'",
        ));
    }
    Ok(())
}

/// The proxy to use: the configured one, else (when asked) the environment's.
fn proxy_for(config: &ClientConfig, scheme: Scheme, host: &str) -> Result<Option<Proxy>, Error> {
    if !config.proxy_host.is_empty() {
        if config.proxy_scheme == ProxyScheme::Https {
            return Err(Error::invalid_config(
                "proxyScheme HTTPS (TLS to the proxy itself) is not supported; use an http:// proxy (HTTPS uploads still tunnel through it with CONNECT)",
            ));
        }
        let port = if config.proxy_port == 0 {
            80
        } else {
            config.proxy_port
        };
        return Ok(Some(Proxy {
            target: Target {
                scheme: Scheme::Http,
                host: config.proxy_host.trim_start_matches("http://").to_owned(),
                port,
            },
            username: config.proxy_username.clone(),
            password: config.proxy_password.clone(),
        }));
    }
    if !config.proxy_from_env {
        return Ok(None);
    }
    proxy_from_environment(scheme, host)
}

fn proxy_from_environment(scheme: Scheme, host: &str) -> Result<Option<Proxy>, Error> {
    let var = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
    };
    if let Some(no_proxy) = var(&["NO_PROXY", "no_proxy"]) {
        let excluded = no_proxy.split(',').map(str::trim).any(|entry| {
            let entry = entry.trim_start_matches('.');
            entry == "*"
                || (!entry.is_empty() && (host == entry || host.ends_with(&format!(".{entry}"))))
        });
        if excluded {
            return Ok(None);
        }
    }
    let url = match scheme {
        Scheme::Https => var(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]),
        Scheme::Http => var(&["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]),
    };
    let Some(url) = url else { return Ok(None) };
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        Error::invalid_config(format!(
            "proxy {url:?} from the environment must be an http:// URL"
        ))
    })?;
    let authority = rest.split('/').next().unwrap_or("");
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => (Some(userinfo), hostport),
        None => (None, authority),
    };
    let (proxy_host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse()
                .map_err(|_| Error::invalid_config(format!("proxy {url:?} has an invalid port")))?,
        ),
        None => (hostport, 80),
    };
    let (username, password) = match userinfo.map(|u| u.split_once(':').unwrap_or((u, ""))) {
        Some((u, p)) => (
            String::from_utf8_lossy(&crate::encoding::percent_decode(u)).into_owned(),
            String::from_utf8_lossy(&crate::encoding::percent_decode(p)).into_owned(),
        ),
        None => (String::new(), String::new()),
    };
    Ok(Some(Proxy {
        target: Target {
            scheme: Scheme::Http,
            host: proxy_host.to_owned(),
            port,
        },
        username,
        password,
    }))
}

/// Maps a transport failure to the C++ SDK's curl-based codes, with what happened in the message.
fn transport_error(error: TransportError) -> Error {
    let stored = if error.body_sent() {
        ObjectStored::Unknown
    } else {
        ObjectStored::No
    };
    let detail = error.to_string();
    let timed_out = error.is_timeout();
    let (kind, code, text) = match &error {
        TransportError::Body(_) => {
            let TransportError::Body(body) = error else {
                return Error::invalid_argument(detail);
            };
            return upload_body::body_error(body);
        }
        TransportError::Config(_) => (
            ErrorKind::InvalidConfig,
            "ClientError:200077",
            "Problem with the SSL CA cert (path? access rights?).",
        ),
        TransportError::Tls(_) => (
            ErrorKind::Tls,
            "ClientError:200060",
            "SSL peer certificate or SSH remote key was not OK.",
        ),
        _ if timed_out => (
            ErrorKind::Timeout,
            "ClientError:200028",
            "Timeout was reached.",
        ),
        TransportError::Resolve(_) => (
            ErrorKind::Connect,
            retry::RESOLVE_FAILED,
            "Couldn't resolve host name.",
        ),
        TransportError::Io {
            phase: Phase::Connect,
            ..
        } => (
            ErrorKind::Connect,
            "ClientError:200007",
            "Couldn't connect to server.",
        ),
        TransportError::Io {
            phase: Phase::Tls, ..
        } => (ErrorKind::Tls, "ClientError:200035", "SSL connect error."),
        TransportError::Io {
            phase: Phase::Send, ..
        } => (
            ErrorKind::Transport,
            "ClientError:200055",
            "Failed sending data to the peer.",
        ),
        TransportError::Io {
            phase: Phase::Receive,
            error,
            ..
        } if error.kind() == std::io::ErrorKind::UnexpectedEof => (
            ErrorKind::Transport,
            "ClientError:200052",
            "Server returned nothing (no headers, no data).",
        ),
        TransportError::Io {
            phase: Phase::Receive,
            ..
        } => (
            ErrorKind::Transport,
            "ClientError:200056",
            "Failure when receiving data from the peer.",
        ),
        TransportError::Protocol { .. } => (
            ErrorKind::Transport,
            "ClientError:200008",
            "Weird server reply.",
        ),
        TransportError::Reply(_) => (
            ErrorKind::Io,
            "ClientError:200023",
            "Failed writing received data to disk/application.",
        ),
        TransportError::TooLarge { .. } => (
            ErrorKind::Transport,
            "ClientError:200063",
            "Maximum file size exceeded.",
        ),
    };
    Error::new(kind, code, format!("{text} ({detail})")).with_object_stored(stored)
}

/// The reply of a successful attempt, or the error it means: a status outside 2xx, a 203 to a
/// request with an upload callback, or a CRC-64 that differs from the bytes sent.
fn judge(
    response: Response,
    has_callback: bool,
    transferred_crc: Option<u64>,
    transferred: u64,
    uploaded: bool,
) -> Result<Response, Error> {
    let status = response.status;
    if !(200..300).contains(&status) || (status == 203 && has_callback) {
        return Err(server_error(response, has_callback));
    }
    let server_crc = response
        .header("x-oss-hash-crc64ecma")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let (Some(client), Some(server)) = (transferred_crc, server_crc)
        && client != server
    {
        let request_id = response.header("x-oss-request-id").unwrap_or("").to_owned();
        let mut error = Error::new(
            ErrorKind::CrcMismatch,
            "ClientError:100001",
            format!(
                "Crc64 validation failed. Expected hash:{server} not equal to calculated hash:{client}. Transferd bytes:{transferred}. RequestId:{request_id}"
            ),
        );
        if uploaded {
            error = error.with_object_stored(ObjectStored::Yes);
        }
        error.http_status = status;
        error.request_id = request_id;
        return Err(error);
    }
    Ok(response)
}

/// PutObject's result: ETag, request id, CRC-64 and version from the headers; the body is the
/// callback server's reply when the upload had a callback.
pub(crate) fn put_object_result(response: Response) -> PutObjectResult {
    let header = |name: &str| response.header(name).unwrap_or("").to_owned();
    PutObjectResult {
        http_status: response.status,
        etag: header("etag").trim_matches('"').to_owned(),
        request_id: header("x-oss-request-id"),
        crc64: response
            .header("x-oss-hash-crc64ecma")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0),
        version_id: header("x-oss-version-id"),
        headers: response.headers,
        body: response.body,
    }
}

/// A failed reply that arrived some other way (a presigned upload sent by curl or a browser, a
/// body the caller kept), read as ossffi reads its own: OSS's error XML, `ParseXMLError:<n>` (the
/// C++ SDK's tinyxml2 error) for text the SDK cannot read, `ServerError:<status>` for an empty
/// body. A 203 is OSS's answer to an upload whose callback failed: the object was stored.
pub fn error_from_reply(status: u16, body: Vec<u8>) -> Error {
    let mut error = server_error(
        Response {
            status,
            reason: String::new(),
            headers: Vec::new(),
            body,
        },
        false,
    );
    if status == 203 {
        error.object_stored = ObjectStored::Yes;
    }
    error
}

/// The C++ SDK's reading of an error reply: the XML body, or the base64 `x-oss-err` header of
/// a bodiless (HEAD) reply; `ServerError:<status>` when there is neither.
pub(crate) fn server_error(response: Response, has_callback: bool) -> Error {
    let status = response.status;
    let mut text = String::from_utf8_lossy(&response.body).into_owned();
    if text.trim().is_empty()
        && let Some(decoded) = response
            .header("x-oss-err")
            .and_then(|v| crate::encoding::base64_decode(v.trim()))
    {
        text = String::from_utf8_lossy(&decoded).into_owned();
    }
    let callback_failed = status == 203 && has_callback;
    let mut error = if text.trim().is_empty() {
        Error::new(
            ErrorKind::Server,
            format!("ServerError:{status}"),
            format!(
                "HTTP {} with no error body",
                format!("{status} {}", response.reason).trim_end()
            ),
        )
    } else {
        // The C++ SDK reads the body with tinyxml2: its verdict decides the code, and when it
        // accepts the text, the root element it finds is what holds the fields.
        let root = match crate::tinyxml2::root_element(&text) {
            Ok(root) => Ok(root.map_or("", |span| &text[span])),
            Err(refused) => Err(refused),
        };
        match root.map(oss_error::parse_error_xml) {
            Err(refused) => Error::new(
                ErrorKind::Parse,
                format!("ParseXMLError:{}", refused.number),
                format!(
                    "{}: the reply body is not XML the SDK can read; the content is:\n{text}",
                    refused.name
                ),
            ),
            Ok(Ok(body)) => {
                let mut error = Error::new(ErrorKind::Server, body.code, body.message);
                error.request_id = body.request_id;
                error.host_id = body.host_id;
                error.ec = body.ec;
                error
            }
            Ok(Err(oss_error::XmlError::RootNotError)) => Error::new(
                ErrorKind::Parse,
                "ParseXMLError",
                format!("Xml format invalid, root node name is not Error. the content is:\n{text}"),
            ),
            Ok(Err(oss_error::XmlError::Malformed(why))) => Error::new(
                ErrorKind::Parse,
                "ParseXMLError",
                format!("{why}; the content is:\n{text}"),
            ),
        }
    };
    error.http_status = status;
    if error.request_id.is_empty() {
        error.request_id = response.header("x-oss-request-id").unwrap_or("").to_owned();
    }
    if error.ec.is_empty() {
        error.ec = response.header("x-oss-ec").unwrap_or("").to_owned();
    }
    error.body = response.body;
    if callback_failed {
        error.kind = ErrorKind::CallbackFailed;
        if error.code != "CallbackFailed" {
            error.code = "CallbackFailed".to_owned();
        }
        error.message = format!(
            "{} (the object was stored; only the upload callback failed)",
            error.message
        );
        error.object_stored = ObjectStored::Yes;
    }
    error
}
