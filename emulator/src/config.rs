//! Everything the emulator can be told, from the command line or from a Rust test.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// One access key the emulator accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub access_key_id: String,
    pub access_key_secret: String,
    /// When set, requests signed with this key must carry exactly this STS token.
    pub security_token: Option<String>,
}

/// Certificate chain and private key (PEM files) for serving HTTPS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert_pem: PathBuf,
    pub key_pem: PathBuf,
}

/// Faults armed when the server starts; the same switches exist at run time on
/// [`crate::Faults`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultSettings {
    pub fail_next: u32,
    /// 500 or 503.
    pub fail_status: u16,
    /// (part number, times) for [`crate::Faults::fail_part`], with `fail_status`;
    /// `u32::MAX` times = until cleared.
    pub fail_parts: Vec<(u32, u32)>,
    pub drop_next: u32,
    pub delay: Duration,
    pub wrong_crc_next: u32,
    pub wrong_crc_always: bool,
    pub callback_fail_next: u32,
    pub callback_stall_next: u32,
    pub callback_stall: Duration,
}

/// Emulator configuration. Start from [`Config::new`] and chain the `with_*` methods.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub credentials: Vec<Credential>,
    pub region: String,
    pub buckets: Vec<String>,
    /// Base domains: a Host of `<bucket>.<domain>` is virtual-host style.
    pub domains: Vec<String>,
    /// Custom domains bound to a bucket: (host, bucket).
    pub cnames: Vec<(String, String)>,
    /// Store objects as files here (and reload them at start) instead of in memory.
    pub data_dir: Option<PathBuf>,
    /// A fixed server clock (unix seconds) so recorded requests can be replayed.
    pub now: Option<i64>,
    /// Read and digest bodies but store nothing.
    pub sink: bool,
    /// With `sink` (ignored without it): do not compute the MD5 of bodies that come without a
    /// Content-MD5 header. Their ETag is then `"%016X%016X"` of (CRC-64, size), not the MD5, and
    /// the reply carries `x-ossffi-emulator-etag: not-md5`. For benchmarks that must not be
    /// limited by the server's MD5 rate.
    pub sink_skip_md5: bool,
    pub tls: Option<TlsFiles>,
    /// Callback hosts allowed besides loopback.
    pub allowed_callback_hosts: Vec<String>,
    /// PEM private key for signing callbacks; `None` = the embedded test key.
    pub callback_private_key_pem: Option<String>,
    /// How long a callback receiver may take (OSS: 5 s, fixed; shorter only to speed up tests).
    pub callback_timeout: Duration,
    /// How long a client may stall while sending a request body, counted per read (then 400
    /// RequestTimeout).
    pub body_timeout: Duration,
    /// How long a connection may take to deliver a whole request head, counted from when the
    /// server starts waiting for it: on a new connection, or on a kept-alive one after the
    /// previous answer (so it is also the idle keep-alive timeout). Past it the connection is
    /// closed without an answer.
    pub header_timeout: Duration,
    /// Most connections open at once; one more is answered 503 and closed without its request
    /// being read. The default stays well under a 1,024 file-descriptor limit.
    pub max_connections: usize,
    /// Largest accepted difference between a request's time and the server clock.
    pub max_clock_skew: Duration,
    /// Largest object PutObject accepts (OSS: 5 GiB).
    pub max_object_size: u64,
    /// Append a line `METHOD PATH?QUERY STATUS` per journal entry to this file (see
    /// [`crate::RunningServer::journal`]).
    pub journal_file: Option<PathBuf>,
    pub faults: FaultSettings,
}

impl Config {
    /// A server on 127.0.0.1 (any free port) accepting one access key, with no buckets.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: vec![Credential {
                access_key_id: access_key_id.into(),
                access_key_secret: access_key_secret.into(),
                security_token: None,
            }],
            region: "cn-hangzhou".into(),
            buckets: Vec::new(),
            domains: Vec::new(),
            cnames: Vec::new(),
            data_dir: None,
            now: None,
            sink: false,
            sink_skip_md5: false,
            tls: None,
            allowed_callback_hosts: Vec::new(),
            callback_private_key_pem: None,
            callback_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(20),
            max_connections: 512,
            max_clock_skew: Duration::from_secs(15 * 60),
            max_object_size: 5 * 1024 * 1024 * 1024,
            journal_file: None,
            faults: FaultSettings {
                fail_status: 503,
                ..FaultSettings::default()
            },
        }
    }

    pub fn with_listen(mut self, addr: SocketAddr) -> Config {
        self.listen = addr;
        self
    }

    /// Requires this STS token on requests signed with the first access key.
    pub fn with_sts_token(mut self, token: impl Into<String>) -> Config {
        if let Some(c) = self.credentials.first_mut() {
            c.security_token = Some(token.into());
        }
        self
    }

    pub fn with_credential(mut self, credential: Credential) -> Config {
        self.credentials.push(credential);
        self
    }

    pub fn with_region(mut self, region: impl Into<String>) -> Config {
        self.region = region.into();
        self
    }

    pub fn with_bucket(mut self, bucket: impl Into<String>) -> Config {
        self.buckets.push(bucket.into());
        self
    }

    pub fn with_domain(mut self, domain: impl Into<String>) -> Config {
        self.domains.push(domain.into().to_ascii_lowercase());
        self
    }

    pub fn with_cname(mut self, host: impl Into<String>, bucket: impl Into<String>) -> Config {
        self.cnames
            .push((host.into().to_ascii_lowercase(), bucket.into()));
        self
    }

    pub fn with_data_dir(mut self, dir: impl Into<PathBuf>) -> Config {
        self.data_dir = Some(dir.into());
        self
    }

    /// Pins the server clock to this unix time.
    pub fn with_now(mut self, unix_seconds: i64) -> Config {
        self.now = Some(unix_seconds);
        self
    }

    pub fn with_sink(mut self, sink: bool) -> Config {
        self.sink = sink;
        self
    }

    /// Skips MD5 in sink mode; see [`Config::sink_skip_md5`]. Has no effect without `sink`.
    pub fn with_sink_skip_md5(mut self, skip: bool) -> Config {
        self.sink_skip_md5 = skip;
        self
    }

    /// Whether bodies without Content-MD5 are received without computing their MD5.
    pub(crate) fn skips_md5(&self) -> bool {
        self.sink && self.sink_skip_md5
    }

    pub fn with_tls(mut self, cert_pem: impl Into<PathBuf>, key_pem: impl Into<PathBuf>) -> Config {
        self.tls = Some(TlsFiles {
            cert_pem: cert_pem.into(),
            key_pem: key_pem.into(),
        });
        self
    }

    pub fn with_allowed_callback_host(mut self, host: impl Into<String>) -> Config {
        self.allowed_callback_hosts.push(host.into());
        self
    }

    pub fn with_body_timeout(mut self, timeout: Duration) -> Config {
        self.body_timeout = timeout;
        self
    }

    pub fn with_header_timeout(mut self, timeout: Duration) -> Config {
        self.header_timeout = timeout;
        self
    }

    pub fn with_max_connections(mut self, max: usize) -> Config {
        self.max_connections = max;
        self
    }

    /// Appends every journal entry to `path` as a line; see [`Config::journal_file`].
    pub fn with_journal_file(mut self, path: impl Into<PathBuf>) -> Config {
        self.journal_file = Some(path.into());
        self
    }

    pub fn with_faults(mut self, faults: FaultSettings) -> Config {
        self.faults = faults;
        self
    }

    /// The base domains in effect: `localhost` when none was given.
    pub(crate) fn effective_domains(&self) -> Vec<String> {
        if self.domains.is_empty() {
            vec!["localhost".to_string()]
        } else {
            self.domains.clone()
        }
    }
}
