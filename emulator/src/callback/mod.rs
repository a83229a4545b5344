//! Upload callbacks, performed as OSS performs them (oss-protocol.md section 4).
//!
//! The server, for PutObject or CompleteMultipartUpload carrying `callback`:
//! 1. calls [`parse`] and [`Callbacker::check_targets`]; an error is 400 InvalidArgument and
//!    nothing is stored;
//! 2. stores the object;
//! 3. if [`CallbackRequest::is_configured`] (OSS ignores an empty `callbackUrl`), calls
//!    [`Callbacker::perform`]: `Ok` becomes a 200 whose body is the receiver's reply, `Err` a
//!    203 CallbackFailed carrying the message, the object kept either way.
//!
//! Files, in the order a callback goes through them: `params` and `url` (decode and validate),
//! `template` (split `callbackBody`), `render` (substitute variables), `signer` (RSA-MD5),
//! `sender` (the POST and the judgement of the reply), `key_server` (serves the public key that
//! receivers fetch through `x-oss-pub-key-url`), `faults` (injected failures and stalls).
//!
//! Known differences from OSS (also listed in emulator/README.md):
//! - JSON bodies render `${size}`, `${crc64}` and `${imageInfo.*}` as JSON strings
//!   (`"size":"15"`, as in callback_signature.json#cbsig-json); OSS does not say whether it
//!   writes numbers. Form bodies encode a space as `%20` (unverified for OSS).
//! - `${x:...}` missing from callback-var and unknown `${name}` render as the empty string;
//!   `vpcId` and `imageInfo.*` are always empty (no VPC, no image inspection).
//! - Callbacks only go to loopback (127.0.0.0/8, `localhost`) unless `--allow-callback-host`
//!   names the host; other hosts fail (203) with a message naming that flag.
//! - https callback URLs fail (203) with a clear message; `callbackSNI` is checked, not used.
//!   `additionalHeaders` and `signatureVersion` ("callback v2") are ignored.
//! - The key is the emulator's own (an embedded 1024-bit test key, or `--callback-key`), served
//!   at `http://127.0.0.1:PORT/callback_pub_key_v1.pem`: receivers must trust that URL where
//!   they trust `gosspublic.alicdn.com` in production.
//! - The reply limit is 1 MB (OSS documents 1 MB and 3 MB); the 5 s timeout applies per URL.
//! - Messages OSS does not document are the emulator's own wording.

mod faults;
mod key_server;
mod params;
mod render;
mod sender;
mod signer;
mod template;
mod url;

use std::io;
use std::thread;
use std::time::{Duration, Instant};

pub use faults::{CallbackFaults, Fault};
pub use key_server::KEY_PATH;
pub use params::{
    BodyType, CallbackParamError, CallbackRequest, MAX_PARAMETER_LEN, MAX_URLS, parse,
};
pub use render::{ObjectFacts, render_body};
pub use sender::{
    CANNOT_CONNECT, CallbackReply, MAX_REPLY_BODY, NOT_JSON, PRIVATE_ADDRESS, TOO_SLOW, USER_AGENT,
    is_private,
};
pub use signer::{CallbackSigner, TEST_PRIVATE_KEY_PEM, string_to_sign};
pub use template::{Segment, Template};
pub use url::{CallbackUrl, Scheme};

use key_server::KeyServer;
use sender::Post;

/// OSS gives the receiver 5 seconds, fixed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How the emulator performs callbacks.
#[derive(Debug, Clone)]
pub struct CallbackConfig {
    /// Hosts (`name` or `name:port`) that may be called besides loopback, from
    /// `--allow-callback-host`.
    pub allowed_hosts: Vec<String>,
    /// Time for one URL: connect, send and the whole reply. OSS: 5 s.
    pub timeout: Duration,
    /// PEM RSA private key to sign with; `None` = the embedded test key.
    pub private_key_pem: Option<String>,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        CallbackConfig {
            allowed_hosts: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            private_key_pem: None,
        }
    }
}

/// Performs callbacks and serves the public key that verifies them. Shared by all upload
/// threads (`Send + Sync`); dropping it stops the key server.
#[derive(Debug)]
pub struct Callbacker {
    config: CallbackConfig,
    signer: CallbackSigner,
    key_server: KeyServer,
    /// base64 of the key URL: the `x-oss-pub-key-url` header value.
    pub_key_url_b64: String,
    faults: CallbackFaults,
}

impl Callbacker {
    /// Loads the key and starts the public-key listener on 127.0.0.1 (a free port).
    pub fn start(config: CallbackConfig) -> io::Result<Callbacker> {
        let pem = config
            .private_key_pem
            .as_deref()
            .unwrap_or(TEST_PRIVATE_KEY_PEM);
        let signer = CallbackSigner::from_pem(pem)
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
        let key_server = KeyServer::start(signer.public_key_pem().to_owned())?;
        let pub_key_url_b64 = ossffi::encoding::base64_encode(key_server.url().as_bytes());
        Ok(Callbacker {
            config,
            signer,
            key_server,
            pub_key_url_b64,
            faults: CallbackFaults::default(),
        })
    }

    /// e.g. `http://127.0.0.1:PORT/callback_pub_key_v1.pem`
    pub fn public_key_url(&self) -> &str {
        self.key_server.url()
    }

    /// The public key, SubjectPublicKeyInfo PEM.
    pub fn public_key_pem(&self) -> &str {
        self.signer.public_key_pem()
    }

    /// OSS refuses literal private addresses (`http://192.168.1.1`) with 400 InvalidArgument
    /// "Private address is forbidden to callback." before storing anything. The server may
    /// call this after [`parse`] to do the same; [`Callbacker::perform`] refuses them anyway.
    /// Hosts named in `allowed_hosts` are exempt.
    pub fn check_targets(&self, request: &CallbackRequest) -> Result<(), CallbackParamError> {
        for url in request.urls() {
            if let Err(message) = sender::refuse_private_address(url, &self.config.allowed_hosts) {
                return Err(CallbackParamError {
                    message,
                    argument_name: "callback".to_owned(),
                    argument_value: request.json().to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Sends the callback for a stored object: each URL in order until one succeeds.
    ///
    /// `Ok` = a receiver answered 200 with a valid JSON body of at most [`MAX_REPLY_BODY`]
    /// bytes. `Err(message)` = every URL failed; the message (of the last failure) goes into
    /// the 203 CallbackFailed response. Blocks for up to the configured timeout per URL.
    pub fn perform(
        &self,
        request: &CallbackRequest,
        facts: &ObjectFacts<'_>,
    ) -> Result<CallbackReply, String> {
        let start = Instant::now();
        let timeout = self.config.timeout;
        match self.faults.take() {
            Fault::None => {}
            Fault::Fail => {
                return Err(format!(
                    "{CANNOT_CONNECT} (failure injected by the emulator)"
                ));
            }
            Fault::Stall(delay) => {
                thread::sleep(delay.min(timeout));
                if delay >= timeout {
                    return Err(TOO_SLOW.to_owned());
                }
            }
        }
        let body = render_body(request, facts);
        let mut last_error =
            "The callbackUrl is empty, so there is no callback to perform.".to_owned();
        for (i, url) in request.urls().iter().enumerate() {
            // The first URL's time includes an injected stall.
            let deadline = if i == 0 { start } else { Instant::now() } + timeout;
            let addrs = match sender::resolve_target(url, &self.config.allowed_hosts) {
                Ok(addrs) => addrs,
                Err(message) => {
                    last_error = message;
                    continue;
                }
            };
            let authorization = self.signer.sign(url.path(), url.query(), &body);
            let host_header = request
                .host()
                .map_or_else(|| url.host_header(), str::to_owned);
            let post = Post {
                host_header: &host_header,
                content_type: request.body_type().content_type(),
                body: &body,
                authorization: &authorization,
                pub_key_url_b64: &self.pub_key_url_b64,
            };
            match sender::post(url, &addrs, &post, deadline) {
                Ok(reply) => return Ok(reply),
                Err(message) => last_error = message,
            }
        }
        Err(last_error)
    }

    /// Fault: the next `n` callbacks fail without contacting the receiver.
    pub fn fail_next(&self, n: u32) {
        self.faults.fail_next(n);
    }

    /// Fault: the next `n` callbacks wait `delay` before contacting the receiver; they time
    /// out when `delay` reaches the timeout.
    pub fn stall_next(&self, n: u32, delay: Duration) {
        self.faults.stall_next(n, delay);
    }
}
