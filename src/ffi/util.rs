//! The C++ SDK's utility functions for C: CRC-64, Content-MD5 and ETag digests, URL encoding,
//! base64 and the SDK's time formats.
//!
//! None of these touch the network or keep state between calls (except an `ossffi_md5` the
//! caller owns); any thread may call them.

use std::ffi::c_char;
use std::path::Path;

use super::boundary::{
    ffi_boundary, free_raw, into_raw, try_bytes, try_mut, try_out, try_ref, try_str,
};
use super::result::ossffi_result;
use super::strings::owned_c_string;
use crate::crc64;
use crate::digest::{Md5Digest, md5_of, md5_of_file};
use crate::encoding::{base64_encode, base64_encode_url_safe, sdk_url_decode, uri_encode_bytes};
use crate::time::{parse_sdk_utc_time, sdk_gmt_time, sdk_utc_time};

/// Checks an integer out-pointer and zeroes it, so it reads 0 on every failure path.
macro_rules! try_out_zeroed {
    ($ptr:expr) => {{
        let out = $ptr;
        if out.is_null() {
            return ossffi_result::NullParameter;
        }
        unsafe { *out = 0 };
        out
    }};
}

/// Hands `text` to C through `out` and reports success.
///
/// # Safety
/// `out` is a valid, writable pointer (checked with `try_out!`).
unsafe fn give_string(out: *mut *mut c_char, text: &str) -> ossffi_result {
    unsafe { *out = owned_c_string(text) };
    ossffi_result::Ok
}

/// Continues a CRC-64 (CRC-64/XZ, as OSS reports it in `x-oss-hash-crc64ecma`) over `{data,
/// len}`: `*out` receives the CRC of everything before plus `data`, where `crc` is the CRC of
/// everything before (0 to start). Feeding consecutive pieces one call at a time equals one call
/// over their concatenation. The C++ SDK's `ComputeCRC64`.
///
/// `ossffi_crc64(0, "123456789", 9, &crc)` gives `crc == 0x995DC9BBDF1939FA`.
///
/// Errors: `OSSFFI_RESULT_NULL_PARAMETER` when `out` is NULL or `data` is NULL with `len > 0`
/// (`*out` is then 0). `{NULL, 0}` is the empty buffer.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_crc64(
    crc: u64,
    data: *const u8,
    len: usize,
    out: *mut u64,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out_zeroed!(out);
        let data = try_bytes!(data, len);
        unsafe { *out = crc64::crc64_update(crc, data) };
        ossffi_result::Ok
    }
}

/// The CRC-64 of A followed by B from `crc1` (the CRC of A), `crc2` (the CRC of B) and `len2`
/// (the length of B in bytes), without the data: how the CRC of a multipart or appended object
/// follows from its parts. `len2 == 0` gives `crc1`. The C++ SDK's `CombineCRC64`. Cannot fail.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_crc64_combine(crc1: u64, crc2: u64, len2: u64) -> u64 {
    ffi_boundary! { crc64::combine(crc1, crc2, len2) }
}

/// The `Content-MD5` of `{data, len}`: standard base64 (padded) of its 16-byte MD5, e.g.
/// `XrY7u+Ae7tCTyyK7j1rNww==` for `hello world`. The C++ SDK's `ComputeContentMD5`.
///
/// On success `*out` receives a new string the caller owns and frees with
/// `ossffi_string_free`. Errors: `OSSFFI_RESULT_NULL_PARAMETER` when `out` is NULL or `data` is
/// NULL with `len > 0` (`*out` is then NULL).
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_content_md5(
    data: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let data = try_bytes!(data, len);
        unsafe { give_string(out, &md5_of(data).content_md5()) }
    }
}

/// The ETag form of the MD5 of `{data, len}`: 32 upper-case hex digits without quotes, e.g.
/// `5EB63BBBE01EEED093CB22BB8F5ACDC3` for `hello world` (OSS's ETag of a PutObject with that
/// body, once its quotes are removed). The C++ SDK's `ComputeContentETag`.
///
/// Ownership and errors as for `ossffi_content_md5`.
///
/// # Safety
/// As for `ossffi_content_md5`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_content_etag(
    data: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let data = try_bytes!(data, len);
        unsafe { give_string(out, &md5_of(data).etag()) }
    }
}

/// `ossffi_content_md5` of the content of the file at `path` (UTF-8), read in pieces so a file
/// of any size hashes in constant memory.
///
/// On success `*out` receives a new string the caller owns and frees with
/// `ossffi_string_free`. Errors (`*out` is then NULL): `OSSFFI_RESULT_NULL_PARAMETER`,
/// `OSSFFI_RESULT_INVALID_UTF8` for `path`, `OSSFFI_RESULT_IO` when the file cannot be opened or
/// read.
///
/// # Safety
/// `path` is NULL or a NUL-terminated string; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_content_md5_file(
    path: *const c_char,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let path = try_str!(path);
        match md5_of_file(Path::new(path)) {
            Ok(md5) => unsafe { give_string(out, &md5.content_md5()) },
            Err(_) => ossffi_result::Io,
        }
    }
}

/// `ossffi_content_etag` of the content of the file at `path` (UTF-8).
///
/// Ownership and errors as for `ossffi_content_md5_file`.
///
/// # Safety
/// As for `ossffi_content_md5_file`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_content_etag_file(
    path: *const c_char,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let path = try_str!(path);
        match md5_of_file(Path::new(path)) {
            Ok(md5) => unsafe { give_string(out, &md5.etag()) },
            Err(_) => ossffi_result::Io,
        }
    }
}

/// A running MD5 over content fed in pieces, for content that is neither one buffer nor a file
/// (a stream, a socket): create it with `ossffi_md5_new`, feed it with `ossffi_md5_update`, read
/// `ossffi_md5_content_md5` or `ossffi_md5_etag` (reading does not end it), free it with
/// `ossffi_md5_free`.
///
/// A single-thread object: use it from one thread at a time (it may move between threads).
#[allow(non_camel_case_types)]
pub struct ossffi_md5 {
    inner: Md5Digest,
}

/// Creates an MD5 over no content yet. Returns NULL only if ossffi failed internally. The caller
/// owns it and frees it with `ossffi_md5_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_md5_new() -> *mut ossffi_md5 {
    ffi_boundary! {
        into_raw(ossffi_md5 {
            inner: Md5Digest::new(),
        })
    }
}

/// Frees an MD5 from `ossffi_md5_new`. NULL is a no-op.
///
/// # Safety
/// `md5` is NULL or from `ossffi_md5_new` and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_md5_free(md5: *mut ossffi_md5) {
    ffi_boundary! { unsafe { free_raw(md5) } }
}

/// Feeds the next `{data, len}` bytes (copied; `data` is not retained).
///
/// Errors: `OSSFFI_RESULT_NULL_PARAMETER` when `md5` is NULL or `data` is NULL with `len > 0`;
/// the MD5 is then unchanged.
///
/// # Safety
/// `md5` is NULL or a live `ossffi_md5`; `data` is NULL or points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_md5_update(
    md5: *mut ossffi_md5,
    data: *const u8,
    len: usize,
) -> ossffi_result {
    ffi_boundary! {
        let md5 = try_mut!(md5);
        let data = try_bytes!(data, len);
        md5.inner.update(data);
        ossffi_result::Ok
    }
}

/// The `Content-MD5` form (as `ossffi_content_md5`) of everything fed so far.
///
/// On success `*out` receives a new string the caller owns and frees with
/// `ossffi_string_free`. Errors: `OSSFFI_RESULT_NULL_PARAMETER` (`*out` is then NULL).
///
/// # Safety
/// `md5` is NULL or a live `ossffi_md5`; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_md5_content_md5(
    md5: *const ossffi_md5,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let md5 = try_ref!(md5);
        unsafe { give_string(out, &md5.inner.content_md5()) }
    }
}

/// The ETag form (as `ossffi_content_etag`) of everything fed so far.
///
/// Ownership and errors as for `ossffi_md5_content_md5`.
///
/// # Safety
/// As for `ossffi_md5_content_md5`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_md5_etag(
    md5: *const ossffi_md5,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let md5 = try_ref!(md5);
        unsafe { give_string(out, &md5.inner.etag()) }
    }
}

/// Percent-encodes the bytes `{data, len}` as the C++ SDK's `UrlEncode` does (and OSS signs):
/// `A-Z a-z 0-9 - _ . ~` stay, every other byte (`/`, `+`, space, each byte of a UTF-8
/// character, NUL) becomes `%XX` with upper-case hex. `a b/c` gives `a%20b%2Fc`.
///
/// The input is bytes, not text: any byte sequence is accepted. On success `*out` receives a new
/// string the caller owns and frees with `ossffi_string_free`. Errors:
/// `OSSFFI_RESULT_NULL_PARAMETER` when `out` is NULL or `data` is NULL with `len > 0` (`*out` is
/// then NULL).
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_url_encode(
    data: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let data = try_bytes!(data, len);
        unsafe { give_string(out, &uri_encode_bytes(data, false)) }
    }
}

/// Decodes the bytes `{data, len}` as the C++ SDK's `UrlDecode` does, quirks included: each `%`
/// and the two bytes after it become the byte C's `strtol(those two, NULL, 16)` gives, so `%2F`
/// and `%2f` give `/` and malformed escapes give partial or zero values (`%zz` → 0x00, `%2x` →
/// 0x02); `+` stays `+`; other bytes are copied. A `%` in the last two bytes decodes what
/// follows it (`%4` → 0x04, a final `%` → 0x00) where the SDK reads past its string.
///
/// The output is bytes and may contain NUL, so it is written to the caller's buffer: `out` must
/// have room for `len` bytes (the decoded form is never longer), and `*out_len` receives the
/// decoded length. `out` may be NULL when `len` is 0.
///
/// Errors: `OSSFFI_RESULT_NULL_PARAMETER` when `out_len` is NULL, or `data` or `out` is NULL with
/// `len > 0` (`*out_len` is then 0 and `out` untouched).
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes; `out` is NULL or points to `len` writable
/// bytes that do not overlap `data`; `out_len` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_url_decode(
    data: *const u8,
    len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> ossffi_result {
    ffi_boundary! {
        let out_len = try_out_zeroed!(out_len);
        let data = try_bytes!(data, len);
        if out.is_null() && len > 0 {
            return ossffi_result::NullParameter;
        }
        let decoded = sdk_url_decode(data);
        // Decoding only shrinks: each escape of three bytes yields one, other bytes one each.
        debug_assert!(decoded.len() <= len);
        if !decoded.is_empty() {
            unsafe { std::ptr::copy_nonoverlapping(decoded.as_ptr(), out, decoded.len()) };
        }
        unsafe { *out_len = decoded.len() };
        ossffi_result::Ok
    }
}

/// Standard base64 of `{data, len}`, with `=` padding and no line breaks (`foo` → `Zm9v`). The
/// C++ SDK's `Base64Encode`.
///
/// On success `*out` receives a new string the caller owns and frees with
/// `ossffi_string_free`. Errors: `OSSFFI_RESULT_NULL_PARAMETER` when `out` is NULL or `data` is
/// NULL with `len > 0` (`*out` is then NULL).
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_base64_encode(
    data: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let data = try_bytes!(data, len);
        unsafe { give_string(out, &base64_encode(data)) }
    }
}

/// URL-safe base64 of `{data, len}` as the C++ SDK's `Base64EncodeUrlSafe` writes it: the
/// standard form with `+` written `-`, `/` written `_` and the trailing `=` removed
/// (`0xFB 0xFF 0xFE` → `-__-`, `f` → `Zg`).
///
/// Ownership and errors as for `ossffi_base64_encode`.
///
/// # Safety
/// As for `ossffi_base64_encode`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_base64_encode_url_safe(
    data: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        let data = try_bytes!(data, len);
        unsafe { give_string(out, &base64_encode_url_safe(data)) }
    }
}

/// Formats Unix seconds `seconds` as the HTTP `Date` header writes it, in GMT and English whatever
/// the locale: `Thu, 01 Jan 1970 00:00:00 GMT`. The C++ SDK's `ToGmtTime`.
///
/// On success `*out` receives a new string the caller owns and frees with
/// `ossffi_string_free`. Errors (`*out` is then NULL): `OSSFFI_RESULT_NULL_PARAMETER`;
/// `OSSFFI_RESULT_INVALID_ARGUMENT` when the instant is outside the years 1000 to 9999.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_format_gmt_time(
    seconds: i64,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        match sdk_gmt_time(seconds) {
            Some(text) => unsafe { give_string(out, &text) },
            None => ossffi_result::InvalidArgument,
        }
    }
}

/// Formats Unix seconds `seconds` as ISO 8601 in UTC with milliseconds always `000`:
/// `2023-11-14T22:13:20.000Z`. The C++ SDK's `ToUtcTime`.
///
/// Ownership and errors as for `ossffi_format_gmt_time`.
///
/// # Safety
/// As for `ossffi_format_gmt_time`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_format_utc_time(
    seconds: i64,
    out: *mut *mut c_char,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out!(out);
        match sdk_utc_time(seconds) {
            Some(text) => unsafe { give_string(out, &text) },
            None => ossffi_result::InvalidArgument,
        }
    }
}

/// Parses a UTC time as the C++ SDK's `UtcToUnixTime` does: `sscanf` with
/// `%4d-%2d-%2dT%2d:%2d:%2d.%dZ` must read all seven numbers (the fraction is required, its value
/// ignored), then `timegm` gives Unix seconds. `2018-03-07T08:35:19.123Z` gives 1520411719.
/// The SDK's leniency is kept: white space before a number, one-digit fields, text after the
/// fraction (the `Z` included) are accepted, and out-of-range fields carry over (month 13 is
/// January of the next year).
///
/// On success `*out` receives the seconds. Errors (`*out` is then 0):
/// `OSSFFI_RESULT_NULL_PARAMETER`; `OSSFFI_RESULT_INVALID_UTF8`;
/// `OSSFFI_RESULT_INVALID_ARGUMENT` where the SDK gives -1 (a field or separator missing, or an
/// instant before 1970).
///
/// # Safety
/// `text` is NULL or a NUL-terminated string; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_parse_utc_time(
    text: *const c_char,
    out: *mut i64,
) -> ossffi_result {
    ffi_boundary! {
        let out = try_out_zeroed!(out);
        let text = try_str!(text);
        match parse_sdk_utc_time(text) {
            Some(seconds) => {
                unsafe { *out = seconds };
                ossffi_result::Ok
            }
            None => ossffi_result::InvalidArgument,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    /// Takes a string an export returned and frees it.
    fn take(s: *mut c_char) -> String {
        assert!(!s.is_null());
        let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned();
        unsafe { super::super::strings::ossffi_string_free(s) };
        text
    }

    #[test]
    fn crc64_continues_and_combines_as_the_sdk_examples() {
        let mut hello = 0;
        assert_eq!(
            unsafe { ossffi_crc64(0, b"hello ".as_ptr(), 6, &mut hello) },
            ossffi_result::Ok
        );
        let mut whole = 0;
        assert_eq!(
            unsafe { ossffi_crc64(hello, b"world".as_ptr(), 5, &mut whole) },
            ossffi_result::Ok
        );
        assert_eq!(whole, 5_981_764_153_023_615_706);
        let world = crc64::crc64(b"world");
        assert_eq!(ossffi_crc64_combine(hello, world, 5), whole);
    }

    #[test]
    fn crc64_refuses_null_data_with_a_length_and_zeroes_out() {
        let mut out = 7;
        assert_eq!(
            unsafe { ossffi_crc64(0, std::ptr::null(), 1, &mut out) },
            ossffi_result::NullParameter
        );
        assert_eq!(out, 0);
        assert_eq!(
            unsafe { ossffi_crc64(0, std::ptr::null(), 0, &mut out) },
            ossffi_result::Ok
        );
    }

    #[test]
    fn content_md5_and_etag_match_the_sdk_examples() {
        let mut out = std::ptr::null_mut();
        assert_eq!(
            unsafe { ossffi_content_md5(b"hello world".as_ptr(), 11, &mut out) },
            ossffi_result::Ok
        );
        assert_eq!(take(out), "XrY7u+Ae7tCTyyK7j1rNww==");
        assert_eq!(
            unsafe { ossffi_content_etag(b"abc".as_ptr(), 3, &mut out) },
            ossffi_result::Ok
        );
        assert_eq!(take(out), "900150983CD24FB0D6963F7D28E17F72");
    }

    #[test]
    fn url_decode_writes_bytes_with_nul_into_the_callers_buffer() {
        let input = b"a%00b%2fc";
        let mut buf = [0xAAu8; 9];
        let mut len = 0;
        assert_eq!(
            unsafe { ossffi_url_decode(input.as_ptr(), input.len(), buf.as_mut_ptr(), &mut len) },
            ossffi_result::Ok
        );
        assert_eq!(&buf[..len], b"a\0b/c");
    }

    #[test]
    fn parse_utc_time_refuses_what_the_sdk_gives_minus_one() {
        let mut out = 5;
        assert_eq!(
            unsafe { ossffi_parse_utc_time(c"2018-03-07T08:35:19Z".as_ptr(), &mut out) },
            ossffi_result::InvalidArgument
        );
        assert_eq!(out, 0);
        assert_eq!(
            unsafe { ossffi_parse_utc_time(c"2018-03-07T08:35:19.123Z".as_ptr(), &mut out) },
            ossffi_result::Ok
        );
        assert_eq!(out, 1_520_411_719);
    }
}
