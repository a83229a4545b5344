//! A streaming `multipart/form-data` reader (RFC 7578) for PostObject.
//!
//! The body is read through a fixed-size buffer: the fields before `file` are collected with
//! size limits, the `file` part is handed on as a [`Read`] stream that ends at its boundary, and
//! the parts after it are skipped. The whole form is never held in memory.

use std::io::{self, Read};

/// The most bytes one field before `file` may hold.
pub(crate) const MAX_FIELD: usize = 64 * 1024;
/// The most bytes all parts before `file` may hold together, their headers included.
pub(crate) const MAX_FIELDS_TOTAL: usize = 1024 * 1024;
/// The most bytes the header block of one part may take.
const MAX_PART_HEAD: usize = 16 * 1024;
/// The read buffer.
const BUFFER: usize = 256 * 1024;

/// Why a form could not be read.
#[derive(Debug)]
pub(crate) enum FormError {
    /// Not well-formed multipart/form-data; the text says where.
    Malformed(String),
    /// A field before `file` is larger than a limit; the text names it.
    TooLarge(String),
    /// Reading the request body failed.
    Io(io::Error),
}

/// The `boundary` parameter of a `multipart/form-data` Content-Type, `None` when the type is
/// another one. `Some(Err)` when the boundary is missing or invalid.
pub(crate) fn boundary(content_type: &str) -> Option<Result<String, String>> {
    let mut params = split_params(content_type).into_iter();
    let media = params.next()?;
    if !media.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let found = params.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| unquote(value.trim()))
    });
    Some(match found {
        Some(b) if (1..=70).contains(&b.len()) && !b.bytes().any(|c| c.is_ascii_control()) => Ok(b),
        Some(b) => Err(format!(
            "the boundary {b:?} must be 1 to 70 characters without control characters"
        )),
        None => Err("the Content-Type has no boundary parameter".to_owned()),
    })
}

/// Splits `a; b="x;y"; c` at the semicolons outside quotes.
fn split_params(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in text.chars() {
        if quoted {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
        } else if c == ';' {
            out.push(std::mem::take(&mut current));
        } else {
            if c == '"' {
                quoted = true;
            }
            current.push(c);
        }
    }
    out.push(current);
    out
}

/// A parameter value without its quotes and backslash escapes.
fn unquote(value: &str) -> String {
    let Some(inner) = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|_| value.len() >= 2)
    else {
        return value.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The headers of one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartHead {
    /// The `name` of its Content-Disposition.
    pub name: String,
    /// The `filename` of its Content-Disposition, if any.
    pub filename: Option<String>,
    /// Its own Content-Type header, if any.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Inside a part's body (at the start: inside the preamble).
    InBody,
    /// Right after a boundary delimiter.
    AfterDelimiter,
    /// After the closing delimiter.
    Done,
}

/// Reads the parts of one form from `src`.
pub(crate) struct FormReader<R> {
    src: R,
    /// Holds the bytes `pos..end`.
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    eof: bool,
    /// `pos..safe_end` are body bytes of the current part known not to be a delimiter.
    safe_end: usize,
    /// Where the delimiter that ends the current part starts, once found.
    delimiter_at: Option<usize>,
    /// `CRLF--boundary`.
    delimiter: Vec<u8>,
    position: Position,
    /// Bytes of parts read so far (headers and bodies), for [`MAX_FIELDS_TOTAL`].
    pub consumed: usize,
    /// Set when the file stream ended because the form was malformed.
    pub malformed: Option<String>,
}

impl<R: Read> FormReader<R> {
    pub fn new(src: R, boundary: &str) -> FormReader<R> {
        let mut delimiter = b"\r\n--".to_vec();
        delimiter.extend_from_slice(boundary.as_bytes());
        // The first delimiter may open the body without a CRLF before it: one is supplied, so
        // every delimiter is found the same way (what precedes it is the preamble, skipped).
        let mut buf = vec![0u8; BUFFER].into_boxed_slice();
        buf[..2].copy_from_slice(b"\r\n");
        FormReader {
            src,
            buf,
            pos: 0,
            end: 2,
            eof: false,
            safe_end: 0,
            delimiter_at: None,
            delimiter,
            position: Position::InBody,
            consumed: 0,
            malformed: None,
        }
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// Reads more bytes into the buffer; false at the end of the body.
    fn fill(&mut self) -> Result<bool, FormError> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.safe_end = self.safe_end.saturating_sub(self.pos);
            self.delimiter_at = self.delimiter_at.map(|d| d - self.pos);
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            return Err(FormError::Malformed(
                "a part's headers do not fit the reader's buffer".to_owned(),
            ));
        }
        let n = loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FormError::Io(e)),
            }
        };
        self.end += n;
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// Makes at least `want` bytes available, unless the body ends first.
    fn fill_to(&mut self, want: usize) -> Result<(), FormError> {
        while self.available().len() < want {
            if !self.fill()? {
                break;
            }
        }
        Ok(())
    }

    /// Reads body bytes of the current part; 0 at its end.
    pub fn read_body(&mut self, out: &mut [u8]) -> Result<usize, FormError> {
        if self.position != Position::InBody || out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.pos < self.safe_end {
                let n = (self.safe_end - self.pos).min(out.len());
                out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.delimiter_at == Some(self.pos) {
                self.pos += self.delimiter.len();
                self.delimiter_at = None;
                self.position = Position::AfterDelimiter;
                return Ok(0);
            }
            let avail = self.available();
            if let Some(i) = find(avail, &self.delimiter) {
                self.safe_end = self.pos + i;
                self.delimiter_at = Some(self.pos + i);
                continue;
            }
            // Bytes that cannot be the start of a delimiter split across reads.
            let safe = avail.len().saturating_sub(self.delimiter.len() - 1);
            if safe > 0 {
                self.safe_end = self.pos + safe;
                continue;
            }
            if !self.fill()? {
                return Err(FormError::Malformed(
                    "the body ends inside a part, before the closing boundary".to_owned(),
                ));
            }
        }
    }

    /// Skips the rest of the current part's body.
    fn skip_body(&mut self) -> Result<(), FormError> {
        let mut sink = [0u8; 8192];
        while self.read_body(&mut sink)? > 0 {}
        Ok(())
    }

    /// The whole body of the current part, at most `limit` bytes (else `TooLarge` naming
    /// `name`).
    pub fn read_field(&mut self, name: &str, limit: usize) -> Result<Vec<u8>, FormError> {
        let mut value = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            let n = self.read_body(&mut chunk)?;
            if n == 0 {
                return Ok(value);
            }
            value.extend_from_slice(&chunk[..n]);
            self.consumed += n;
            if value.len() > limit {
                return Err(FormError::TooLarge(format!(
                    "The form field {name:?} is larger than {limit} bytes, the most ossffi-emulator accepts in a field before the file."
                )));
            }
        }
    }

    /// Moves to the next part and returns its headers; `None` after the closing boundary.
    pub fn next_part(&mut self) -> Result<Option<PartHead>, FormError> {
        if self.position == Position::InBody {
            self.skip_body()?;
        }
        if self.position == Position::Done {
            return Ok(None);
        }
        self.fill_to(2)?;
        if self.available().starts_with(b"--") {
            self.pos += 2;
            self.position = Position::Done;
            return Ok(None);
        }
        // Transport padding (spaces and tabs) may follow a delimiter before its CRLF.
        loop {
            self.fill_to(1)?;
            match self.available().first() {
                Some(b' ' | b'\t') => self.pos += 1,
                _ => break,
            }
        }
        self.fill_to(2)?;
        if !self.available().starts_with(b"\r\n") {
            return Err(FormError::Malformed(
                "a boundary delimiter is not followed by CRLF or --".to_owned(),
            ));
        }
        self.pos += 2;
        let head = self.read_head()?;
        self.position = Position::InBody;
        parse_head(&head).map(Some)
    }

    /// The header block of a part, without its closing blank line.
    fn read_head(&mut self) -> Result<Vec<u8>, FormError> {
        // How far from `pos` no blank line can start: each read is searched once, so a block
        // that arrives a byte at a time costs its length, not its length squared.
        let mut searched = 0;
        loop {
            let avail = self.available();
            if avail.starts_with(b"\r\n") {
                self.pos += 2;
                return Ok(Vec::new());
            }
            let end = find(&avail[searched..], b"\r\n\r\n").map(|i| searched + i);
            searched = avail.len().saturating_sub(3);
            // The limit holds however the block arrives: whole in one read or a byte at a time
            // (its last three bytes read may be the start of the blank line).
            if end.unwrap_or(searched) > MAX_PART_HEAD {
                return Err(FormError::Malformed(format!(
                    "a part's headers are longer than {MAX_PART_HEAD} bytes"
                )));
            }
            if let Some(i) = end {
                let head = avail[..i].to_vec();
                self.pos += i + 4;
                self.consumed += i + 4;
                return Ok(head);
            }
            if !self.fill()? {
                return Err(FormError::Malformed(
                    "the body ends inside a part's headers".to_owned(),
                ));
            }
        }
    }

    /// Skips every remaining part; Ok once the closing boundary was read.
    pub fn finish(&mut self) -> Result<(), FormError> {
        while self.next_part()?.is_some() {}
        Ok(())
    }

    /// The source, to read what follows the closing boundary.
    pub fn into_inner(self) -> R {
        self.src
    }

    /// The current part's body as a stream (for the `file` part). A malformed form ends it with
    /// an `InvalidData` error and sets [`FormReader::malformed`].
    pub fn body_stream(&mut self) -> PartStream<'_, R> {
        PartStream { form: self }
    }
}

/// The body of the current part, read as a stream.
pub(crate) struct PartStream<'a, R> {
    form: &'a mut FormReader<R>,
}

impl<R: Read> Read for PartStream<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self.form.read_body(out) {
            Ok(n) => Ok(n),
            Err(FormError::Io(e)) => Err(e),
            Err(FormError::Malformed(why) | FormError::TooLarge(why)) => {
                self.form.malformed = Some(why.clone());
                Err(io::Error::new(io::ErrorKind::InvalidData, why))
            }
        }
    }
}

fn parse_head(head: &[u8]) -> Result<PartHead, FormError> {
    let bad = |why: &str| FormError::Malformed(why.to_owned());
    let text = std::str::from_utf8(head).map_err(|_| bad("a part's headers are not UTF-8"))?;
    let mut disposition = None;
    let mut content_type = None;
    for line in text.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            return Err(bad("a part's header is folded over two lines"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad("a part's header line has no ':'"))?;
        let name = name.trim();
        if name.is_empty() || name.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(bad("a part's header has an invalid name"));
        }
        if value.bytes().any(|b| b < b' ' && b != b'\t') {
            return Err(bad("a part's header value has control characters"));
        }
        if name.eq_ignore_ascii_case("content-disposition") {
            disposition = Some(value.trim().to_owned());
        } else if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_owned());
        }
    }
    let disposition = disposition.ok_or_else(|| bad("a part has no Content-Disposition header"))?;
    let mut params = split_params(&disposition).into_iter();
    if !params
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("form-data"))
    {
        return Err(bad("a part's Content-Disposition is not form-data"));
    }
    let mut name = None;
    let mut filename = None;
    for p in params {
        let Some((key, value)) = p.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.eq_ignore_ascii_case("name") {
            name = Some(unquote(value.trim()));
        } else if key.eq_ignore_ascii_case("filename") {
            filename = Some(unquote(value.trim()));
        }
    }
    let name = name.ok_or_else(|| bad("a part's Content-Disposition has no name"))?;
    Ok(PartHead {
        name,
        filename,
        content_type,
    })
}

/// The first position of `needle` (not empty) in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let last_start = hay.len().checked_sub(needle.len())?;
    let mut start = 0;
    while start <= last_start {
        let i = hay[start..=last_start].iter().position(|&b| b == first)? + start;
        if &hay[i..i + needle.len()] == needle {
            return Some(i);
        }
        start = i + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn form() -> Vec<u8> {
        let mut body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuser/a.txt\r\n--XyZ  \r\nContent-Disposition: form-data; name=\"x:v\"\r\n\r\n".to_vec();
        body.extend_from_slice(b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\nContent-Type: text/plain\r\n\r\n");
        body.extend((0..100_000u32).map(|i| (i % 251) as u8));
        body.extend_from_slice(b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"submit\"\r\n\r\nUpload\r\n--XyZ--\r\nepilogue");
        body
    }

    #[test]
    fn parts_are_read_in_order_at_any_read_size() {
        for step in [1, 2, 7, 4096, 1 << 20] {
            let body = form();
            let mut r = FormReader::new(Trickle { data: &body, step }, "XyZ");
            let p = r.next_part().unwrap().unwrap();
            assert_eq!(p.name, "key");
            assert_eq!(r.read_field("key", 100).unwrap(), b"user/a.txt");
            let p = r.next_part().unwrap().unwrap();
            assert_eq!(p.name, "x:v");
            assert_eq!(r.read_field("x:v", 100).unwrap(), b"");
            let p = r.next_part().unwrap().unwrap();
            assert_eq!(p.name, "file");
            assert_eq!(p.filename.as_deref(), Some("a \"b\".txt"));
            assert_eq!(p.content_type.as_deref(), Some("text/plain"));
            let mut file = Vec::new();
            r.body_stream().read_to_end(&mut file).unwrap();
            let want: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
            assert_eq!(file, want, "step {step}");
            r.finish().unwrap();
        }
    }

    #[test]
    fn a_body_without_closing_boundary_is_malformed() {
        let mut body = form();
        body.truncate(body.len() - 20);
        let mut r = FormReader::new(body.as_slice(), "XyZ");
        let e = r.finish().unwrap_err();
        assert!(matches!(e, FormError::Malformed(_)), "{e:?}");
    }

    #[test]
    fn a_field_over_the_limit_is_too_large() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n0123456789\r\n--b--";
        let mut r = FormReader::new(&body[..], "b");
        r.next_part().unwrap();
        assert!(matches!(r.read_field("k", 5), Err(FormError::TooLarge(_))));
    }

    #[test]
    fn headers_without_colon_or_disposition_are_malformed() {
        for head in ["Bogus header", "Content-Type: text/plain"] {
            let body = format!("--b\r\n{head}\r\n\r\nv\r\n--b--");
            let mut r = FormReader::new(body.as_bytes(), "b");
            assert!(
                matches!(r.next_part(), Err(FormError::Malformed(_))),
                "{head}"
            );
        }
    }

    #[test]
    fn a_part_head_over_16_kib_is_malformed_even_when_it_arrives_whole() {
        let name = "n".repeat(MAX_PART_HEAD);
        let body =
            format!("--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\nv\r\n--b--");
        for step in [1, 1 << 20] {
            let mut r = FormReader::new(
                Trickle {
                    data: body.as_bytes(),
                    step,
                },
                "b",
            );
            match r.next_part() {
                Err(FormError::Malformed(why)) => {
                    assert_eq!(why, "a part's headers are longer than 16384 bytes")
                }
                other => panic!("step {step}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_head_of_up_to_16_kib_is_read_wherever_the_reads_split_its_blank_line() {
        let prefix = "Content-Disposition: form-data; name=\"";
        for shorter in 0..4 {
            let name = "n".repeat(MAX_PART_HEAD - prefix.len() - 1 - shorter);
            let body = format!("--b\r\n{prefix}{name}\"\r\n\r\nv\r\n--b--");
            for step in [1, 2, 3, 4, 5, 1 << 20] {
                let data = body.as_bytes();
                let mut r = FormReader::new(Trickle { data, step }, "b");
                let part = r.next_part().unwrap().unwrap();
                assert_eq!(part.name, name, "step {step}");
                assert_eq!(r.read_field("n", 10).unwrap(), b"v", "step {step}");
                r.finish().unwrap();
            }
        }
    }

    #[test]
    fn boundary_is_read_from_the_content_type() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"a;b\""),
            Some(Ok("a;b".to_owned()))
        );
        assert_eq!(
            boundary("Multipart/Form-Data;boundary=----x"),
            Some(Ok("----x".to_owned()))
        );
        assert!(matches!(boundary("multipart/form-data"), Some(Err(_))));
        assert_eq!(boundary("application/xml"), None);
    }
}
