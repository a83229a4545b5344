//! Fetching and caching the public key named by a callback's `x-oss-pub-key-url` header.
//!
//! The header is chosen by whoever sends the request, so it is the attack surface: a forger
//! names a key of their own and signs with its private half. Only URLs under trusted prefixes
//! are therefore fetched (by default OSS's `gosspublic.alicdn.com`), and the URL is parsed and
//! compared component by component before any connection, so look-alikes such as
//! `https://gosspublic.alicdn.com.evil.example/` or `https://gosspublic.alicdn.com@evil.example/`
//! are refused without a single packet sent.
//!
//! OSS names its key with `http://` (`http://gosspublic.alicdn.com/callback_pub_key_v1.pem`),
//! but a key fetched over plain HTTP can be replaced by anyone on the path, who could then
//! forge callbacks that verify. The OSS key host is therefore always fetched over HTTPS, with
//! the certificate checked against the public web roots, whatever scheme the header names.

// `Error` is the crate-wide error, returned by value everywhere; its size is decided in
// src/error.rs, not per module.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::verify::{CallbackPublicKey, decode_signature, key_malformed, shorten};
use crate::encoding::{base64_decode, percent_decode};
use crate::error::{Error, ErrorKind};
use crate::http::{RequestHead, Scheme, Target, TlsOptions, Transport, TransportConfig};

/// The host where OSS publishes its callback key. Key URLs on this host are fetched over HTTPS
/// (port 443 where the URL names plain HTTP's default port), whatever their scheme.
pub const OSS_KEY_HOST: &str = "gosspublic.alicdn.com";

/// The key URL prefixes trusted by default: where OSS publishes its callback key. Both schemes
/// are accepted in the header, since OSS itself sends `http://`; both are fetched over HTTPS.
pub const DEFAULT_ALLOWED_PREFIXES: [&str; 2] = [
    "https://gosspublic.alicdn.com/",
    "http://gosspublic.alicdn.com/",
];

/// How long one key fetch may take (connecting, then request to last byte, each within it),
/// unless set otherwise. OSS gives
/// the whole callback 5 seconds, so a receiver cannot wait longer for the key anyway.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest key document accepted. A PEM RSA public key is under 2 KiB even at 8192 bits.
pub const MAX_KEY_DOCUMENT: usize = 64 * 1024;

/// How many keys are kept. OSS has one key URL; the bound only matters if a trusted prefix
/// serves many keys, and keeps memory bounded whatever requests arrive.
const MAX_CACHED_KEYS: usize = 64;

/// Longer key URLs are refused outright.
const MAX_URL_LEN: usize = 2048;

/// One URL's cached key. Its own lock lets the first request for a URL fetch while other
/// requests for the same URL wait for that fetch instead of starting their own, and requests
/// for other URLs proceed.
type Slot = Arc<Mutex<Option<Arc<CallbackPublicKey>>>>;

/// Verifies callback requests with the key their `x-oss-pub-key-url` names, fetched once per URL
/// and kept.
///
/// Safe to share between the threads of a callback server (`Send + Sync`; every method takes
/// `&self`). Key URLs must start with one of the allowed prefixes (see
/// [`DEFAULT_ALLOWED_PREFIXES`] and [`CallbackKeyCache::allow_prefix`]); others are refused before
/// any connection. Keys on [`OSS_KEY_HOST`] are fetched over HTTPS even when the URL says
/// `http://` (and `http://` and `https://` spellings share one cache entry); URLs under a
/// prefix the caller allowed are fetched with the scheme they name. Fetches use no proxy,
/// follow no redirect, time out (see
/// [`CallbackKeyCache::set_timeout`]) and read at most [`MAX_KEY_DOCUMENT`] bytes. A failed fetch
/// is not cached: the next request for that URL tries again.
#[derive(Debug)]
pub struct CallbackKeyCache {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    allowed: Vec<KeyUrl>,
    timeout: Duration,
    keys: HashMap<String, Slot>,
    oss_key_host_route: Option<OssKeyHostRoute>,
}

/// Where tests send fetches for [`OSS_KEY_HOST`] instead: a loopback TLS server whose
/// certificate, for that host name, is signed by the CA in `ca_file`.
#[derive(Debug, Clone)]
struct OssKeyHostRoute {
    address: SocketAddr,
    ca_file: String,
}

impl Default for CallbackKeyCache {
    fn default() -> Self {
        Self::new()
    }
}

impl CallbackKeyCache {
    /// An empty cache that trusts [`DEFAULT_ALLOWED_PREFIXES`] and fetches with
    /// [`DEFAULT_FETCH_TIMEOUT`].
    pub fn new() -> CallbackKeyCache {
        let allowed = DEFAULT_ALLOWED_PREFIXES
            .iter()
            .map(|prefix| KeyUrl::parse(prefix).expect("the default prefixes are valid URLs"))
            .collect();
        CallbackKeyCache {
            state: Mutex::new(State {
                allowed,
                timeout: DEFAULT_FETCH_TIMEOUT,
                keys: HashMap::new(),
                oss_key_host_route: None,
            }),
        }
    }

    /// For tests only: fetches for [`OSS_KEY_HOST`] connect to `address`, which must be a
    /// loopback address, and trust only the CA certificates in the PEM file `ca_file`; they
    /// still use HTTPS and check the certificate against the name `gosspublic.alicdn.com`. No
    /// other URL is affected. This lets a test stand in for OSS's key host without touching
    /// the network; it cannot make a fetch use plain HTTP or reach another machine, and the C
    /// API does not offer it.
    #[doc(hidden)]
    pub fn route_oss_key_host_for_tests(
        &self,
        address: SocketAddr,
        ca_file: &std::path::Path,
    ) -> Result<(), Error> {
        if !address.ip().is_loopback() {
            return Err(Error::invalid_argument(format!(
                "the OSS key host can only be routed to a loopback address, not {address}"
            )));
        }
        let ca_file = ca_file.to_str().ok_or_else(|| {
            Error::invalid_argument(format!("CA file path {} is not UTF-8", ca_file.display()))
        })?;
        let mut state = self.lock();
        state.oss_key_host_route = Some(OssKeyHostRoute {
            address,
            ca_file: ca_file.to_owned(),
        });
        // Keys fetched before came from elsewhere.
        state.keys.clear();
        Ok(())
    }

    /// Also trusts key URLs that start with `prefix`, such as an emulator's
    /// `http://127.0.0.1:PORT/` (OSS itself needs no extra prefix).
    ///
    /// The prefix must be an `http://` or `https://` URL with a host, without user info, query
    /// or fragment. A key URL is under it when scheme, host (case-insensitively) and port
    /// (default ports filled in) are equal and the URL's path starts with the prefix's path; a
    /// prefix path that does not end in `/` only matches whole segments (`/keys` matches
    /// `/keys` and `/keys/a.pem`, not `/keys-evil`). Errors: [`ErrorKind::InvalidArgument`].
    pub fn allow_prefix(&self, prefix: &str) -> Result<(), Error> {
        let parsed = KeyUrl::parse(prefix).map_err(|why| {
            Error::invalid_argument(format!(
                "\"{}\" cannot be a callback key URL prefix: {why}",
                shorten(prefix)
            ))
        })?;
        if parsed.query.is_some() {
            return Err(Error::invalid_argument(format!(
                "\"{}\" cannot be a callback key URL prefix: it has a query; give scheme, host, \
                 port and path only",
                shorten(prefix)
            )));
        }
        let mut state = self.lock();
        if !state.allowed.contains(&parsed) {
            state.allowed.push(parsed);
        }
        Ok(())
    }

    /// The allowed prefixes, in the form they are compared (scheme and host lower-case, default
    /// port left out).
    pub fn allowed_prefixes(&self) -> Vec<String> {
        self.lock().allowed.iter().map(KeyUrl::to_string).collect()
    }

    /// Sets the limit for one key fetch (connecting, then request to last byte, each within it);
    /// it applies to fetches that
    /// start afterwards. Errors with [`ErrorKind::InvalidArgument`] for zero.
    pub fn set_timeout(&self, timeout: Duration) -> Result<(), Error> {
        if timeout.is_zero() {
            return Err(Error::invalid_argument(
                "the callback key fetch timeout must be greater than zero (default 5000 ms)",
            ));
        }
        self.lock().timeout = timeout;
        Ok(())
    }

    /// The current key fetch timeout.
    pub fn timeout(&self) -> Duration {
        self.lock().timeout
    }

    /// Verifies one callback request.
    ///
    /// `request_target` is the path with the raw query exactly as in the request line,
    /// `authorization_b64` the `Authorization` header, `pub_key_url_b64` the `x-oss-pub-key-url`
    /// header, `body` the exact body. The checks run in this order, and the first failure is
    /// returned: the signature is base64 ([`ErrorKind::CallbackSignatureMalformed`]); the key URL
    /// is base64 of an allowed URL ([`ErrorKind::CallbackKeyUrlNotAllowed`], no connection made);
    /// the key is cached or can be fetched ([`ErrorKind::CallbackKeyFetchFailed`]) and parsed
    /// ([`ErrorKind::CallbackKeyMalformed`]); the signature matches
    /// ([`ErrorKind::CallbackSignatureMismatch`]).
    ///
    /// Blocks for up to the timeout when the key is not cached yet.
    pub fn verify(
        &self,
        request_target: &str,
        authorization_b64: &str,
        pub_key_url_b64: &str,
        body: &[u8],
    ) -> Result<(), Error> {
        let signature = decode_signature(authorization_b64)?;
        let url = decode_key_url(pub_key_url_b64)?;
        let key = self.key_for(&url)?;
        key.verify_decoded(request_target, &signature, body)
    }

    /// The key for an allowed URL, from the cache or fetched.
    fn key_for(&self, named: &KeyUrl) -> Result<Arc<CallbackPublicKey>, Error> {
        let url = named.as_fetched();
        let canonical = url.to_string();
        let (slot, timeout, route, in_map) = {
            let mut state = self.lock();
            if !state.allowed.iter().any(|prefix| named.is_under(prefix)) {
                return Err(url_not_allowed(
                    &named.to_string(),
                    &format!(
                        "it does not start with an allowed prefix ({})",
                        prefix_list(&state.allowed)
                    ),
                ));
            }
            let timeout = state.timeout;
            let route = state
                .oss_key_host_route
                .clone()
                .filter(|_| url.host == OSS_KEY_HOST);
            match state.keys.get(&canonical) {
                Some(slot) => (Arc::clone(slot), timeout, route, true),
                None if state.keys.len() < MAX_CACHED_KEYS => {
                    let slot = Slot::default();
                    state.keys.insert(canonical.clone(), Arc::clone(&slot));
                    (slot, timeout, route, true)
                }
                // Full: verify with a key fetched for this request only.
                None => (Slot::default(), timeout, route, false),
            }
        };
        let mut entry = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = entry.as_ref() {
            return Ok(Arc::clone(key));
        }
        let fetched = fetch_key(&url, timeout, route.as_ref());
        match fetched {
            Ok(key) => {
                let key = Arc::new(key);
                *entry = Some(Arc::clone(&key));
                Ok(key)
            }
            Err(error) => {
                drop(entry);
                if in_map {
                    // Forget the empty slot, so failed URLs never pile up in the map.
                    let mut state = self.lock();
                    if state
                        .keys
                        .get(&canonical)
                        .is_some_and(|current| Arc::ptr_eq(current, &slot))
                    {
                        state.keys.remove(&canonical);
                    }
                }
                Err(error)
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is never left half-updated, so a panic elsewhere does not invalidate it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) fn decode_key_url(pub_key_url_b64: &str) -> Result<KeyUrl, Error> {
    let text = pub_key_url_b64.trim_ascii();
    let bytes = base64_decode(text).ok_or_else(|| {
        url_not_allowed(
            &shorten(text),
            "the x-oss-pub-key-url header is not standard base64 (OSS sends the base64 of the \
             key URL)",
        )
    })?;
    let url = String::from_utf8(bytes).map_err(|_| {
        url_not_allowed(
            &shorten(text),
            "the x-oss-pub-key-url header does not decode to text",
        )
    })?;
    KeyUrl::parse(&url).map_err(|why| url_not_allowed(&shorten(&url), &why))
}

fn url_not_allowed(url: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::CallbackKeyUrlNotAllowed,
        "CallbackKeyUrlNotAllowed",
        format!(
            "the callback public key URL \"{url}\" is refused: {why}; no connection was made. \
             Treat the request as forged, or, if you run your own signer (such as the ossffi \
             emulator), allow its key URL prefix explicitly"
        ),
    )
}

fn prefix_list(allowed: &[KeyUrl]) -> String {
    allowed
        .iter()
        .map(|prefix| format!("\"{prefix}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fetch_key(
    url: &KeyUrl,
    timeout: Duration,
    route: Option<&OssKeyHostRoute>,
) -> Result<CallbackPublicKey, Error> {
    let failed = |why: String, status: u16| {
        let mut error = Error::new(
            ErrorKind::CallbackKeyFetchFailed,
            "CallbackKeyFetchFailed",
            format!(
                "cannot fetch the callback public key from \"{url}\": {why}; the request cannot \
                 be verified now (check that this server can reach that URL)"
            ),
        );
        error.http_status = status;
        error
    };
    // No proxy (one from the environment must not see or redirect key fetches) and no
    // redirects (they could lead away from the host the allow-list checked): the transport
    // follows neither.
    let transport = Transport::new(TransportConfig {
        connect_timeout: timeout,
        io_timeout: timeout,
        max_idle_per_target: 0,
        tls: TlsOptions {
            ca_file: route.map(|route| route.ca_file.clone()),
            ..TlsOptions::default()
        },
        proxy: None,
        max_response_body: MAX_KEY_DOCUMENT,
        total_timeout: Some(timeout),
        connect_to: route.map(|route| route.address),
    });
    let target = Target {
        scheme: if url.https {
            Scheme::Https
        } else {
            Scheme::Http
        },
        host: url
            .host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
        port: url.port,
    };
    let path_and_query = match &url.query {
        Some(query) => format!("{}?{query}", url.path),
        None => url.path.clone(),
    };
    let headers = [("User-Agent".to_owned(), crate::config::default_user_agent())];
    let head = RequestHead {
        method: "GET",
        target: &target,
        path_and_query: &path_and_query,
        headers: &headers,
    };
    let response = transport.send(&head, None).map_err(|e| {
        let why = if e.is_timeout() {
            format!(
                "no complete answer within the timeout of {} ms",
                timeout.as_millis()
            )
        } else {
            e.to_string()
        };
        failed(why, 0)
    })?;
    let status = response.status;
    if status != 200 {
        let why = if (300..400).contains(&status) {
            format!("the server answered HTTP {status}, a redirect, and redirects are not followed")
        } else {
            format!("the server answered HTTP {status} instead of 200")
        };
        return Err(failed(why, status));
    }
    let pem = String::from_utf8(response.body).map_err(|_| {
        key_malformed(format!(
            "the document at \"{url}\" is not text, so not a PEM public key"
        ))
    })?;
    CallbackPublicKey::from_pem(&pem).map_err(|e| {
        key_malformed(format!(
            "the document at \"{url}\" is not a usable public key: {}",
            e.message
        ))
    })
}

/// A key URL (or prefix), parsed strictly into the components that decide where a fetch goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyUrl {
    https: bool,
    /// Lower-case; an IPv6 literal keeps its brackets.
    host: String,
    port: u16,
    /// Starts with `/`; as written (no decoding).
    path: String,
    /// Without the `?`.
    query: Option<String>,
}

impl KeyUrl {
    /// Accepts `http://` and `https://` URLs with a DNS name, IPv4 or bracketed IPv6 host, an
    /// optional port and an optional path and query. Refuses anything a URL parser elsewhere
    /// might read differently: user info, fragments, backslashes, characters outside RFC 3986,
    /// malformed escapes and `.`/`..` path segments.
    pub(crate) fn parse(text: &str) -> Result<KeyUrl, String> {
        if text.len() > MAX_URL_LEN {
            return Err(format!("it is longer than {MAX_URL_LEN} bytes"));
        }
        if let Some(bad) = text.chars().find(|&c| !is_url_char(c)) {
            return Err(format!(
                "it contains {bad:?}, which is not allowed in a URL"
            ));
        }
        let (scheme, rest) = text
            .split_once("://")
            .ok_or("it is not an absolute http:// or https:// URL")?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(format!("its scheme \"{scheme}\" is not http or https")),
        };
        if rest.contains('#') {
            return Err("it has a fragment (\"#\")".to_owned());
        }
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err("it has user info (\"@\" before the host)".to_owned());
        }
        let (host, port) = split_host_port(authority, https)?;
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (rest, None),
        };
        let path = if path.is_empty() { "/" } else { path };
        check_path(path)?;
        Ok(KeyUrl {
            https,
            host,
            port,
            path: path.to_owned(),
            query,
        })
    }

    fn default_port(&self) -> u16 {
        if self.https { 443 } else { 80 }
    }

    /// The URL as it is fetched: on [`OSS_KEY_HOST`], HTTPS (plain HTTP's default port becomes
    /// HTTPS's); anything else unchanged.
    fn as_fetched(&self) -> KeyUrl {
        let mut url = self.clone();
        if url.host == OSS_KEY_HOST && !url.https {
            url.https = true;
            if url.port == 80 {
                url.port = 443;
            }
        }
        url
    }

    fn is_under(&self, prefix: &KeyUrl) -> bool {
        if self.https != prefix.https || self.host != prefix.host || self.port != prefix.port {
            return false;
        }
        match self.path.strip_prefix(&prefix.path) {
            None => false,
            Some(rest) => prefix.path.ends_with('/') || rest.is_empty() || rest.starts_with('/'),
        }
    }
}

impl std::fmt::Display for KeyUrl {
    /// The URL that is fetched: rebuilt from the checked components, so the connection goes
    /// exactly where the allow-list said it may.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        write!(f, "{scheme}://{}", self.host)?;
        if self.port != self.default_port() {
            write!(f, ":{}", self.port)?;
        }
        f.write_str(&self.path)?;
        if let Some(query) = &self.query {
            write!(f, "?{query}")?;
        }
        Ok(())
    }
}

/// RFC 3986's unreserved, reserved and `%` characters; nothing else may appear.
fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

fn split_host_port(authority: &str, https: bool) -> Result<(String, u16), String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (literal, after) = rest
            .split_once(']')
            .ok_or("its IPv6 host has no closing \"]\"")?;
        if literal.is_empty()
            || !literal
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("its IPv6 host \"[{literal}]\" is malformed"));
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or("text follows its IPv6 host")?,
            ),
        };
        (format!("[{}]", literal.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err("it has no host".to_owned());
        }
        if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Err(format!(
                "its host \"{host}\" is not a plain host name or address"
            ));
        }
        (host.to_ascii_lowercase(), port)
    };
    let port = match port {
        None => {
            if https {
                443
            } else {
                80
            }
        }
        Some(digits) => {
            let valid = !digits.is_empty()
                && digits.len() <= 5
                && digits.bytes().all(|b| b.is_ascii_digit());
            match digits.parse::<u16>() {
                Ok(port) if valid && port != 0 => port,
                _ => {
                    return Err(format!(
                        "its port \"{digits}\" is not a number from 1 to 65535"
                    ));
                }
            }
        }
    };
    Ok((host, port))
}

fn check_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err("its path does not start with \"/\"".to_owned());
    }
    let bytes = path.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%' {
            let escape = bytes.get(i + 1..i + 3);
            if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                return Err("its path has a \"%\" not followed by two hex digits".to_owned());
            }
        }
    }
    // A dot segment would let a URL under a prefix's path climb out of it once a server
    // normalises the path; OSS's key URL has none.
    for segment in path.split('/') {
        let decoded = percent_decode(segment);
        if decoded == b"." || decoded == b".." {
            return Err("its path has a \".\" or \"..\" segment".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> KeyUrl {
        KeyUrl::parse(text).unwrap_or_else(|why| panic!("{text}: {why}"))
    }

    #[test]
    fn key_url_is_rebuilt_with_lower_case_scheme_and_host_and_default_port_left_out() {
        assert_eq!(
            url("HTTPS://GossPublic.AliCDN.com:443/callback_pub_key_v1.pem").to_string(),
            "https://gosspublic.alicdn.com/callback_pub_key_v1.pem"
        );
        assert_eq!(
            url("http://127.0.0.1:8080").to_string(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            url("http://[::1]:9/k?v=1").to_string(),
            "http://[::1]:9/k?v=1"
        );
    }

    #[test]
    fn key_url_parser_refuses_ambiguous_urls() {
        for bad in [
            "https://gosspublic.alicdn.com@evil.example/",
            "https://user:pw@gosspublic.alicdn.com/",
            "https://gosspublic.alicdn.com\\@evil.example/",
            "https://gosspublic.alicdn.com/#frag",
            "https://gosspublic.alicdn.com/a b",
            "https://gosspublic.alicdn.com/%zz",
            "https://gosspublic.alicdn.com/x/../y",
            "https://gosspublic.alicdn.com/x/%2e%2E/y",
            "https://gosspublic.alicdn.com:/",
            "https://gosspublic.alicdn.com:0/",
            "https://gosspublic.alicdn.com:65536/",
            "https://gosspublic.alicdn.com:+443/",
            "https://gosspublic%2ealicdn.com/",
            "https:///path",
            "gosspublic.alicdn.com/key.pem",
            "file:///etc/passwd",
            "gopher://gosspublic.alicdn.com/",
            "https://gosspublic.alicdn.cöm/",
            "http://[::1/",
        ] {
            assert!(KeyUrl::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn oss_key_host_is_fetched_over_https_and_other_hosts_as_named() {
        let fetched = |text: &str| url(text).as_fetched().to_string();
        assert_eq!(
            fetched("http://gosspublic.alicdn.com/callback_pub_key_v1.pem"),
            "https://gosspublic.alicdn.com/callback_pub_key_v1.pem"
        );
        assert_eq!(
            fetched("HTTP://GOSSPUBLIC.ALICDN.COM:80/k.pem?v=1"),
            "https://gosspublic.alicdn.com/k.pem?v=1"
        );
        assert_eq!(
            fetched("http://gosspublic.alicdn.com:8080/k.pem"),
            "https://gosspublic.alicdn.com:8080/k.pem"
        );
        assert_eq!(
            fetched("https://gosspublic.alicdn.com/k.pem"),
            "https://gosspublic.alicdn.com/k.pem"
        );
        assert_eq!(
            fetched("http://127.0.0.1:8080/k.pem"),
            "http://127.0.0.1:8080/k.pem"
        );
        assert_eq!(
            fetched("http://gosspublic.alicdn.com.example/k.pem"),
            "http://gosspublic.alicdn.com.example/k.pem"
        );
    }

    #[test]
    fn prefix_without_trailing_slash_matches_whole_segments_only() {
        let prefix = url("http://127.0.0.1:8080/keys");
        assert!(url("http://127.0.0.1:8080/keys").is_under(&prefix));
        assert!(url("http://127.0.0.1:8080/keys/a.pem").is_under(&prefix));
        assert!(!url("http://127.0.0.1:8080/keys-evil").is_under(&prefix));
        assert!(!url("http://127.0.0.1:8081/keys").is_under(&prefix));
        assert!(!url("https://127.0.0.1:8080/keys").is_under(&prefix));
    }
}
