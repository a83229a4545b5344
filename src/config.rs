//! Client settings, mirroring the C++ SDK's `ClientConfiguration` and its defaults.

use std::time::Duration;

/// Which signature OSS requests carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// HMAC-SHA1 `OSS <id>:<signature>`.
    V1,
    /// `OSS4-HMAC-SHA256`, which needs a region. ossffi's default (the C++ SDK's is V1).
    #[default]
    V4,
}

/// The C++ SDK's `Http::Scheme` as used for `proxyScheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProxyScheme {
    #[default]
    Http,
    Https,
}

#[derive(Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Sent as `User-Agent` on every request.
    pub user_agent: String,
    /// Idle connections kept per host for reuse (the C++ SDK's maxConnections).
    pub max_connections: u32,
    pub connect_timeout_ms: u64,
    /// A stall timeout: a request fails when the server neither accepts nor sends a byte for
    /// this long (the C++ SDK's requestTimeoutMs means the same, as a 1 byte/s speed limit).
    pub request_timeout_ms: u64,
    /// Retries after the first attempt, for 5xx, RequestTimeTooSkewed and connection failures.
    pub max_retries: u32,
    /// Retry n waits (1 << n) * this many milliseconds: 300, 600, 1200 by default.
    pub retry_scale_ms: u64,
    pub verify_ssl: bool,
    pub ca_file: String,
    pub ca_path: String,
    pub proxy_scheme: ProxyScheme,
    /// A proxy is used only when this is not empty (or when `proxy_from_env` finds one).
    pub proxy_host: String,
    pub proxy_port: u16,
    pub proxy_username: String,
    pub proxy_password: String,
    /// Take the proxy from `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` (honouring `NO_PROXY`)
    /// when no proxy host is set. Off by default: the environment never redirects uploads
    /// unless asked.
    pub proxy_from_env: bool,
    /// The endpoint is a custom domain bound to the bucket: no `bucket.` prefix.
    pub is_cname: bool,
    /// Address buckets as `endpoint/bucket/key` instead of `bucket.endpoint/key`.
    pub is_path_style: bool,
    /// Compare the CRC-64 of the sent bytes with `x-oss-hash-crc64ecma`.
    pub enable_crc64: bool,
    /// Adopt the server's clock after a RequestTimeTooSkewed answer.
    pub enable_date_skew_adjustment: bool,
    pub signature_version: SignatureVersion,
    /// The bucket's region (`cn-hangzhou`), needed for V4 signatures.
    pub region: String,
    /// Threads of the client's async pool (C API `ossffi_client_submit`); 0 picks
    /// min(4, max_connections).
    pub async_threads: u32,
    /// Async calls that may wait for a pool thread.
    pub async_queue_capacity: u32,
}

impl ClientConfig {
    /// The async pool's thread count: as set, or min(4, max_connections) (at least 1).
    pub fn async_threads(&self) -> usize {
        match self.async_threads {
            0 => self.max_connections.clamp(1, 4) as usize,
            n => n as usize,
        }
    }

    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms.max(1))
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms.max(1))
    }
}

/// `ossffi/<version> (<platform>)`, like the SDK's `aliyun-sdk-cpp/<version> (<platform>)`.
pub fn default_user_agent() -> String {
    let platform = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "MacOS",
        "windows" => "Windows",
        "android" => "Android",
        _ => "Unknown",
    };
    format!("ossffi/{} ({platform})", crate::version::VERSION)
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            user_agent: default_user_agent(),
            max_connections: 16,
            connect_timeout_ms: 5000,
            request_timeout_ms: 10000,
            max_retries: 3,
            retry_scale_ms: 300,
            verify_ssl: true,
            ca_file: String::new(),
            ca_path: String::new(),
            proxy_scheme: ProxyScheme::Http,
            proxy_host: String::new(),
            proxy_port: 0,
            proxy_username: String::new(),
            proxy_password: String::new(),
            proxy_from_env: false,
            is_cname: false,
            is_path_style: false,
            enable_crc64: true,
            enable_date_skew_adjustment: true,
            async_threads: 0,
            async_queue_capacity: 1024,
            signature_version: SignatureVersion::V4,
            region: String::new(),
        }
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("user_agent", &self.user_agent)
            .field("max_connections", &self.max_connections)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("retry_scale_ms", &self.retry_scale_ms)
            .field("verify_ssl", &self.verify_ssl)
            .field("ca_file", &self.ca_file)
            .field("ca_path", &self.ca_path)
            .field("proxy_scheme", &self.proxy_scheme)
            .field("proxy_host", &self.proxy_host)
            .field("proxy_port", &self.proxy_port)
            .field("proxy_username", &self.proxy_username)
            .field("proxy_password", &"<redacted>")
            .field("proxy_from_env", &self.proxy_from_env)
            .field("is_cname", &self.is_cname)
            .field("is_path_style", &self.is_path_style)
            .field("enable_crc64", &self.enable_crc64)
            .field(
                "enable_date_skew_adjustment",
                &self.enable_date_skew_adjustment,
            )
            .field("signature_version", &self.signature_version)
            .field("region", &self.region)
            .field("async_threads", &self.async_threads)
            .field("async_queue_capacity", &self.async_queue_capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_cpp_sdk_except_v4() {
        let c = ClientConfig::default();
        assert_eq!(c.max_connections, 16);
        assert_eq!(c.connect_timeout_ms, 5000);
        assert_eq!(c.request_timeout_ms, 10000);
        assert_eq!(c.max_retries, 3);
        assert_eq!(c.retry_scale_ms, 300);
        assert!(c.verify_ssl && c.enable_crc64 && !c.is_cname && !c.is_path_style);
        assert_eq!(c.signature_version, SignatureVersion::V4);
        assert_eq!(
            c.user_agent,
            format!("ossffi/{} (Linux)", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn debug_hides_the_proxy_password() {
        let c = ClientConfig {
            proxy_password: "hunter2".into(),
            ..ClientConfig::default()
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
