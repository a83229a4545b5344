//! Endpoints and request URLs, composed as the C++ SDK composes them.

use crate::error::Error;
use crate::http::{Scheme, Target};

/// A parsed endpoint: `oss-cn-hangzhou.aliyuncs.com`, `https://oss-cn-hangzhou.aliyuncs.com`,
/// `http://127.0.0.1:9000`. Without a scheme it is `http`, as in the C++ SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    pub fn parse(text: &str) -> Result<Self, Error> {
        let invalid =
            |why: &str| Error::validate(format!("The endpoint is invalid. ({text:?}: {why})"));
        let trimmed = text.trim();
        let (scheme, rest) = match trimmed.split_once("://") {
            Some((scheme, rest)) => {
                let scheme = match scheme.to_ascii_lowercase().as_str() {
                    "http" => Scheme::Http,
                    "https" => Scheme::Https,
                    _ => return Err(invalid("the scheme must be http:// or https://")),
                };
                (scheme, rest)
            }
            None => (Scheme::Http, trimmed),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => {
                let port: u16 = port
                    .parse()
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| invalid("the port must be a number from 1 to 65535"))?;
                (host, port)
            }
            None => (authority, scheme.default_port()),
        };
        if host.is_empty() {
            return Err(invalid(
                "no host name; use e.g. https://oss-cn-hangzhou.aliyuncs.com",
            ));
        }
        if !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return Err(invalid(
                "a host may only contain letters, digits, '.', '-' and '_' (put the bucket name in requests, not in the endpoint)",
            ));
        }
        Ok(Self {
            scheme,
            host: host.to_owned(),
            port,
        })
    }

    /// A dotted IPv4 address, which the SDKs always address path-style.
    pub fn is_ip(&self) -> bool {
        self.host.parse::<std::net::Ipv4Addr>().is_ok() && self.host.split('.').count() == 4
    }

    /// Where a request for `bucket` goes.
    pub fn target(&self, bucket: &str, is_cname: bool, is_path_style: bool) -> Target {
        let host = if !bucket.is_empty() && !is_cname && !is_path_style && !self.is_ip() {
            format!("{bucket}.{}", self.host)
        } else {
            self.host.clone()
        };
        Target {
            scheme: self.scheme,
            host,
            port: self.port,
        }
    }

    /// The request path: `/key`, or `/bucket/key` for IP endpoints and path style; the key is
    /// percent-encoded with `/` kept.
    pub fn path(&self, bucket: &str, key: &str, is_path_style: bool) -> String {
        let mut path = String::with_capacity(2 + bucket.len() + key.len() * 3 / 2);
        path.push('/');
        if self.is_ip() || is_path_style {
            path.push_str(bucket);
            path.push('/');
        }
        crate::encoding::uri_encode_into(&mut path, key.as_bytes(), true);
        path
    }
}

/// A URL that OSS signed for someone else (a presigned URL), split into where it goes and the
/// path and query to send. The C++ SDK lower-cases the scheme and host and sends the path and
/// query exactly as given, so they are not re-encoded here either: the signature covers them.
///
/// # Errors
/// `ClientError:200003` (curl's "URL using bad/illegal format or missing URL.", the SDK's
/// outcome) with what is wrong: no `http://` or `https://`, no host, a bad port, user
/// information, or characters that cannot go on a request line.
pub(crate) fn parse_url(url: &str) -> Result<(Target, String), Error> {
    let bad = |why: &str| {
        Error::new(
            crate::error::ErrorKind::InvalidArgument,
            "ClientError:200003",
            format!("URL using bad/illegal format or missing URL. ({url:?}: {why})"),
        )
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("it must start with http:// or https://"))?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        _ => return Err(bad("the scheme must be http or https")),
    };
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    if authority.contains('@') {
        return Err(bad("user information in a URL is not supported"));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => {
            let port: u16 = port
                .parse()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| bad("the port must be a number from 1 to 65535"))?;
            (host, port)
        }
        None => (authority, scheme.default_port()),
    };
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(bad(
            "the host must be a name or IPv4 address of letters, digits, '.', '-' and '_'",
        ));
    }
    // A fragment is the browser's, never sent.
    let tail = tail.split('#').next().unwrap_or("");
    if tail.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(bad("spaces and control characters must be percent-encoded"));
    }
    let path = if tail.starts_with('/') {
        tail.to_owned()
    } else {
        format!("/{tail}")
    };
    Ok((
        Target {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        },
        path,
    ))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_presigned_url_keeps_its_path_and_query_and_lowers_its_host() {
        let (target, path) = parse_url(
            "HTTP://My-Bucket.OSS.example.com:8080/dir%2Fa%20b?Expires=1&Signature=a%2Bb#top",
        )
        .unwrap();
        assert_eq!(target.scheme, Scheme::Http);
        assert_eq!(target.host, "my-bucket.oss.example.com");
        assert_eq!(target.port, 8080);
        assert_eq!(path, "/dir%2Fa%20b?Expires=1&Signature=a%2Bb");
        let (target, path) = parse_url("https://h.example.com?x=1").unwrap();
        assert_eq!((target.scheme, target.port), (Scheme::Https, 443));
        assert_eq!(path, "/?x=1");
    }

    #[test]
    fn a_url_that_cannot_be_sent_is_client_error_200003() {
        for url in [
            "",
            "my-bucket.example.com/k",
            "ftp://h/k",
            "http:///k",
            "http://h:0/k",
            "http://h:x/k",
            "http://user:pw@h/k",
            "http://bad host/k",
            "http://h/a b",
            "http://h/a\r\nX: y",
        ] {
            let error = parse_url(url).unwrap_err();
            assert_eq!(error.code, "ClientError:200003", "{url:?}");
            assert!(
                error
                    .message
                    .starts_with("URL using bad/illegal format or missing URL."),
                "{url:?}: {}",
                error.message
            );
        }
    }
    use super::*;

    #[test]
    fn scheme_defaults_to_http() {
        let e = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com").unwrap();
        assert_eq!(
            (e.scheme, e.host.as_str(), e.port),
            (Scheme::Http, "oss-cn-hangzhou.aliyuncs.com", 80)
        );
    }

    #[test]
    fn virtual_host_for_names_path_style_for_ips() {
        let e = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com").unwrap();
        assert_eq!(
            e.target("test-bucket", false, false).authority(),
            "test-bucket.oss-cn-hangzhou.aliyuncs.com"
        );
        let ip = Endpoint::parse("http://192.168.1.1").unwrap();
        assert_eq!(
            ip.target("test-bucket", false, false).authority(),
            "192.168.1.1"
        );
        assert_eq!(ip.path("test-bucket", "a b", false), "/test-bucket/a%20b");
    }

    #[test]
    fn path_encodes_the_key_keeping_slashes() {
        let e = Endpoint::parse("http://oss-cn-hangzhou.aliyuncs.com").unwrap();
        assert_eq!(
            e.path("test-bucket", "test-key/123/456+/1.txt", false),
            "/test-key/123/456%2B/1.txt"
        );
        assert_eq!(e.path("test-bucket", "k", true), "/test-bucket/k");
    }

    #[test]
    fn cname_keeps_the_host() {
        let e = Endpoint::parse("https://cdn.example.com:8443").unwrap();
        let t = e.target("b", true, false);
        assert_eq!(
            (t.scheme, t.authority()),
            (Scheme::Https, "cdn.example.com:8443".to_owned())
        );
    }

    #[test]
    fn invalid_endpoints_are_validate_errors() {
        for text in [
            "",
            "http://",
            "oss cn.aliyuncs.com",
            "ftp://x",
            "http://h:0",
            "http://h:99999",
            "b@h",
        ] {
            let err = Endpoint::parse(text).unwrap_err();
            assert_eq!(err.code, "ValidateError", "{text:?}");
            assert!(
                err.message.starts_with("The endpoint is invalid."),
                "{}",
                err.message
            );
        }
    }
}
