//! The C++ SDK's Content-Type guess from an object key (`LookupMimeType`), kept table-for-table
//! so an upload without a Content-Type gets the same one as with the SDK.

/// Sorted by extension for binary search. The SDK's table spells "doc " with a stray space, so
/// `.doc` is not found there and falls back to octet-stream; we keep that.
const TABLE: &[(&str, &str)] = &[
    ("3gp", "video/3gpp"),
    ("3gpp", "video/3gpp"),
    ("7z", "application/x-7z-compressed"),
    ("ai", "application/postscript"),
    ("apk", "application/vnd.android.package-archive"),
    ("asf", "video/x-ms-asf"),
    ("asx", "video/x-ms-asf"),
    ("atom", "application/atom+xml"),
    ("avi", "video/x-msvideo"),
    ("bin", "application/octet-stream"),
    ("bmp", "image/x-ms-bmp"),
    ("cco", "application/x-cocoa"),
    ("crt", "application/x-x509-ca-cert"),
    ("css", "text/css"),
    ("deb", "application/octet-stream"),
    ("der", "application/x-x509-ca-cert"),
    ("dll", "application/octet-stream"),
    ("dmg", "application/octet-stream"),
    ("doc ", "application/msword"),
    ("ear", "application/java-archive"),
    ("eot", "application/octet-stream"),
    ("eps", "application/postscript"),
    ("exe", "application/octet-stream"),
    ("flv", "video/x-flv"),
    ("gif", "image/gif"),
    ("hqx", "application/mac-binhex40"),
    ("htc", "text/x-component"),
    ("htm", "text/html"),
    ("html", "text/html"),
    ("ico", "image/x-icon"),
    ("img", "application/octet-stream"),
    ("iso", "application/octet-stream"),
    ("jad", "text/vnd.sun.j2me.app-descriptor"),
    ("jar", "application/java-archive"),
    ("jardiff", "application/x-java-archive-diff"),
    ("jng", "image/x-jng"),
    ("jnlp", "application/x-java-jnlp-file"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("js", "application/x-javascript"),
    ("kar", "audio/midi"),
    ("kml", "application/vnd.google-earth.kml+xml"),
    ("kmz", "application/vnd.google-earth.kmz"),
    ("m3u8", "application/x-mpegURL"),
    ("m4a", "audio/x-m4a"),
    ("m4v", "video/x-m4v"),
    ("mid", "audio/midi"),
    ("midi", "audio/midi"),
    ("mml", "text/mathml"),
    ("mng", "video/x-mng"),
    ("mov", "video/quicktime"),
    ("mp3", "audio/mpeg"),
    ("mp4", "video/mp4"),
    ("mpeg", "video/mpeg"),
    ("mpg", "video/mpeg"),
    ("msi", "application/octet-stream"),
    ("msm", "application/octet-stream"),
    ("msp", "application/octet-stream"),
    ("ogg", "audio/ogg"),
    ("pdb", "application/x-pilot"),
    ("pdf", "application/pdf"),
    ("pem", "application/x-x509-ca-cert"),
    ("pl", "application/x-perl"),
    ("pm", "application/x-perl"),
    ("png", "image/png"),
    ("ppt", "application/vnd.ms-powerpoint"),
    ("prc", "application/x-pilot"),
    ("ps", "application/postscript"),
    ("ra", "audio/x-realaudio"),
    ("rar", "application/x-rar-compressed"),
    ("rpm", "application/x-redhat-package-manager"),
    ("rss", "application/rss+xml"),
    ("rtf", "application/rtf"),
    ("run", "application/x-makeself"),
    ("sea", "application/x-sea"),
    ("shtml", "text/html"),
    ("sit", "application/x-stuffit"),
    ("svg", "image/svg+xml"),
    ("svgz", "image/svg+xml"),
    ("swf", "application/x-shockwave-flash"),
    ("tcl", "application/x-tcl"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("tk", "application/x-tcl"),
    ("ts", "video/MP2T"),
    ("txt", "text/plain"),
    ("war", "application/java-archive"),
    ("wbmp", "image/vnd.wap.wbmp"),
    ("webm", "video/webm"),
    ("webp", "image/webp"),
    ("wgz", "application/x-nokia-widget"),
    ("wml", "text/vnd.wap.wml"),
    ("wmlc", "application/vnd.wap.wmlc"),
    ("wmv", "video/x-ms-wmv"),
    ("xhtml", "application/xhtml+xml"),
    ("xls", "application/vnd.ms-excel"),
    ("xml", "text/xml"),
    ("xpi", "application/x-xpinstall"),
    ("zip", "application/zip"),
];

pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

fn lookup(extension: &str) -> Option<&'static str> {
    let extension = extension.to_ascii_lowercase();
    TABLE
        .binary_search_by(|(ext, _)| (*ext).cmp(extension.as_str()))
        .ok()
        .map(|i| TABLE[i].1)
}

/// The SDK's rule: the last extension, then the one before it (`a.mp3.unknown` is audio/mpeg),
/// then `application/octet-stream`.
pub fn content_type_for_key(key: &str) -> &'static str {
    let Some(last_dot) = key.rfind('.') else {
        return DEFAULT_CONTENT_TYPE;
    };
    if let Some(found) = lookup(&key[last_dot + 1..]) {
        return found;
    }
    let prefix = &key[..last_dot];
    match prefix.rfind('.') {
        Some(previous_dot) => lookup(&prefix[previous_dot + 1..]).unwrap_or(DEFAULT_CONTENT_TYPE),
        None => DEFAULT_CONTENT_TYPE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn sdk_repo_test_vectors() {
        assert_eq!(content_type_for_key("name.html"), "text/html");
        assert_eq!(content_type_for_key("test.mp3.unkonw"), "audio/mpeg");
        assert_eq!(
            content_type_for_key("test.mp3.unkonw.unkonw"),
            DEFAULT_CONTENT_TYPE
        );
        assert_eq!(content_type_for_key("name.Html"), "text/html");
    }

    #[test]
    fn no_extension_and_doc_fall_back_to_octet_stream() {
        assert_eq!(content_type_for_key("README"), DEFAULT_CONTENT_TYPE);
        assert_eq!(content_type_for_key("report.doc"), DEFAULT_CONTENT_TYPE);
        assert_eq!(content_type_for_key("dir.v2/photo.jpg"), "image/jpeg");
    }
}
