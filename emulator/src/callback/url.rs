//! One entry of `callbackUrl`: where the callback request goes and what its request line says.
//!
//! OSS accepts `http://` and `https://` URLs and also scheme-less ones such as
//! `121.43.113.8:23456/index.html` (its documentation uses that form), which mean http.
//! The path and query are sent exactly as written (the docs require the user to percent-encode
//! them), so they are kept as raw text.

use std::fmt;

/// Scheme of a callback URL; a URL without one is http.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// A validated callback URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackUrl {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    path: String,
    query: Option<String>,
}

impl CallbackUrl {
    /// Parses one URL of `callbackUrl`; the error is the message of the 400 InvalidArgument.
    pub fn parse(text: &str) -> Result<CallbackUrl, String> {
        let invalid = |why: &str| format!("The callbackUrl \"{text}\" is invalid: {why}.");
        if let Some(c) = text.chars().find(|c| !c.is_ascii_graphic()) {
            // OSS requires callback URLs to be URL-encoded: no spaces, controls or raw non-ASCII.
            return Err(invalid(&format!("character {c:?} must be percent-encoded")));
        }
        let (scheme, rest) = split_scheme(text).map_err(|s| invalid(&s))?;
        // A fragment never reaches the server.
        let rest = rest.split('#').next().unwrap_or_default();
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(authority_end);
        let (host, port) = split_port(authority).map_err(|s| invalid(&s))?;
        if host.is_empty() {
            return Err(invalid("the host is missing"));
        }
        if host.starts_with('[') || host.contains(':') {
            return Err(invalid("IPv6 addresses are not supported"));
        }
        if !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        {
            return Err(invalid("the host name has characters that are not allowed"));
        }
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (path_and_query, None),
        };
        let path = if path.is_empty() { "/" } else { path };
        Ok(CallbackUrl {
            scheme,
            host: host.to_owned(),
            port,
            path: path.to_owned(),
            query,
        })
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Host name or IPv4 address, as written.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The explicit port, if the URL names one.
    pub fn explicit_port(&self) -> Option<u16> {
        self.port
    }

    /// The port to connect to: the explicit one or the scheme's default.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.scheme {
            Scheme::Http => 80,
            Scheme::Https => 443,
        })
    }

    /// Raw (still percent-encoded) path; `/` when the URL has none.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Raw query without the `?`; `None` when the URL has no `?`.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The request target of the callback POST: path plus `?query` as written.
    pub fn request_target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{}", self.path, q),
            None => self.path.clone(),
        }
    }

    /// `host[:port]` as written: the default `Host` header.
    pub fn host_header(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{}", self.host, p),
            None => self.host.clone(),
        }
    }
}

impl fmt::Display for CallbackUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        write!(
            f,
            "{scheme}://{}{}",
            self.host_header(),
            self.request_target()
        )
    }
}

fn split_scheme(text: &str) -> Result<(Scheme, &str), String> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return Ok((Scheme::Http, text));
    };
    if scheme.eq_ignore_ascii_case("http") {
        Ok((Scheme::Http, rest))
    } else if scheme.eq_ignore_ascii_case("https") {
        Ok((Scheme::Https, rest))
    } else {
        Err(format!(
            "scheme \"{scheme}\" is not supported, use http or https"
        ))
    }
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    let Some((host, port)) = authority.rsplit_once(':') else {
        return Ok((authority, None));
    };
    if host.contains(':') || host.starts_with('[') {
        // Let the caller report the IPv6 literal.
        return Ok((authority, None));
    }
    // OSS's documented example of a bad URL is `www.callback-example.com:test`.
    match port.parse::<u16>() {
        Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => Ok((host, Some(p))),
        _ => Err(format!(
            "the port \"{port}\" must be a number from 1 to 65535"
        )),
    }
}
