//! Which bucket and key a request addresses: virtual-host (`<bucket>.<domain>`), path style
//! (a base domain or an IP as Host), or a custom domain (CNAME) bound to a bucket.

use ossffi::encoding::percent_decode;

use crate::error::OssError;

/// What a request addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Service,
    Bucket(String),
    Object(String, String),
}

impl Target {
    pub fn bucket(&self) -> Option<&str> {
        match self {
            Target::Service => None,
            Target::Bucket(b) | Target::Object(b, _) => Some(b),
        }
    }

    pub fn key(&self) -> Option<&str> {
        match self {
            Target::Object(_, k) => Some(k),
            _ => None,
        }
    }
}

/// The host name without port, lower-cased (`[::1]:80` → `::1`).
pub(crate) fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        }
    };
    name.to_ascii_lowercase()
}

fn is_ip(name: &str) -> bool {
    name.parse::<std::net::IpAddr>().is_ok()
}

/// Resolves the request target. Hosts that match no rule are treated as path style, so any
/// local alias of the emulator works.
pub(crate) fn resolve(
    host: &str,
    raw_path: &str,
    domains: &[String],
    cnames: &[(String, String)],
) -> Result<Target, OssError> {
    let name = host_name(host);
    let path = raw_path.strip_prefix('/').ok_or_else(|| {
        OssError::invalid_argument(format!("request target {raw_path:?} must start with '/'"))
    })?;
    if let Some((_, bucket)) = cnames.iter().find(|(h, _)| *h == name) {
        return object_or_bucket(bucket.clone(), path);
    }
    if !is_ip(&name) {
        for domain in domains {
            if let Some(prefix) = name.strip_suffix(domain.as_str())
                && let Some(bucket) = prefix.strip_suffix('.')
                && !bucket.is_empty()
                && !bucket.contains('.')
            {
                return object_or_bucket(bucket.to_string(), path);
            }
        }
    }
    // Path style: the first segment is the bucket.
    if path.is_empty() {
        return Ok(Target::Service);
    }
    let (bucket_raw, rest) = path.split_once('/').unwrap_or((path, ""));
    let bucket = decode_utf8(bucket_raw).ok_or_else(|| {
        OssError::new(
            400,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        )
    })?;
    object_or_bucket(bucket, rest)
}

fn object_or_bucket(bucket: String, raw_key: &str) -> Result<Target, OssError> {
    check_bucket_name(&bucket)?;
    if raw_key.is_empty() {
        return Ok(Target::Bucket(bucket));
    }
    let key =
        decode_utf8(raw_key).ok_or_else(|| invalid_object_name("the key is not valid UTF-8"))?;
    check_key(&key)?;
    Ok(Target::Object(bucket, key))
}

fn decode_utf8(raw: &str) -> Option<String> {
    String::from_utf8(percent_decode(raw)).ok()
}

fn invalid_object_name(why: &str) -> OssError {
    OssError::new(
        400,
        "InvalidObjectName",
        format!("The specified object is not valid: {why}."),
    )
}

pub(crate) fn check_key(key: &str) -> Result<(), OssError> {
    if key.is_empty() || key.len() > 1023 {
        return Err(invalid_object_name("a key is 1 to 1023 bytes long"));
    }
    if key.starts_with('/') || key.starts_with('\\') {
        return Err(invalid_object_name("a key must not start with '/' or '\\'"));
    }
    Ok(())
}

/// 3–63 characters of lower-case letters, digits and `-`, not starting or ending with `-`.
pub(crate) fn valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn check_bucket_name(name: &str) -> Result<(), OssError> {
    if valid_bucket_name(name) {
        Ok(())
    } else {
        Err(OssError::new(
            400,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        )
        .field("BucketName", name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Vec<String> {
        vec!["localhost".into(), "oss-cn-hangzhou.aliyuncs.com".into()]
    }

    #[test]
    fn virtual_host_with_port_takes_bucket_from_host() {
        let t = resolve("bkt.localhost:9000", "/a/b%2Fc.txt", &domains(), &[]).unwrap();
        assert_eq!(t, Target::Object("bkt".into(), "a/b/c.txt".into()));
    }

    #[test]
    fn ip_host_is_path_style() {
        let t = resolve("127.0.0.1:9000", "/bkt/k%20ey", &domains(), &[]).unwrap();
        assert_eq!(t, Target::Object("bkt".into(), "k ey".into()));
        assert_eq!(
            resolve("127.0.0.1", "/bkt/", &domains(), &[]).unwrap(),
            Target::Bucket("bkt".into())
        );
        assert_eq!(
            resolve("127.0.0.1", "/", &domains(), &[]).unwrap(),
            Target::Service
        );
    }

    #[test]
    fn base_domain_is_path_style() {
        let t = resolve("oss-cn-hangzhou.aliyuncs.com", "/bkt/x", &domains(), &[]).unwrap();
        assert_eq!(t, Target::Object("bkt".into(), "x".into()));
    }

    #[test]
    fn cname_maps_to_its_bucket() {
        let cnames = vec![("cdn.example.com".to_string(), "bkt".to_string())];
        let t = resolve("CDN.example.com", "/index.html", &domains(), &cnames).unwrap();
        assert_eq!(t, Target::Object("bkt".into(), "index.html".into()));
    }

    #[test]
    fn key_starting_with_slash_is_invalid() {
        let e = resolve("bkt.localhost", "//x", &domains(), &[]).unwrap_err();
        assert_eq!(e.code, "InvalidObjectName");
    }

    #[test]
    fn ipv6_host_name_loses_brackets_and_port() {
        assert_eq!(host_name("[::1]:8080"), "::1");
    }
}
