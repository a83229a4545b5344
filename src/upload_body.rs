//! Turning a request body into what the transport sends: the exact number of bytes promised,
//! in large chunks, with CRC-64 and progress computed on the way out.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

use md5::{Digest, Md5};

use crate::crc64::Crc64;
use crate::error::{Error, ErrorKind, ObjectStored};
use crate::http::{BodyError, BodySource};
use crate::put_object::{Body, ProgressFn};

/// Bytes per write. Loopback and most NICs segment at 65,483 bytes of payload; a multiple of it
/// keeps every write made of full segments (a 64 KiB write would trail a 53-byte one).
pub const CHUNK: usize = 16 * 65_483;

/// The body as one attempt sends it.
pub(crate) enum Source<'r, 'a> {
    Bytes(&'a [u8]),
    File {
        file: File,
        /// Where the body starts in the file: 0, or a file range's offset.
        start: u64,
        buf: Vec<u8>,
    },
    Reader {
        reader: &'r mut dyn crate::put_object::BodyReader,
        buf: Vec<u8>,
    },
}

/// Opens the body for the first attempt and returns it with its length.
pub(crate) fn open<'r, 'a>(body: &'r mut Body<'a>) -> Result<(Source<'r, 'a>, u64), Error> {
    match body {
        Body::Bytes(bytes) => Ok((Source::Bytes(bytes), bytes.len() as u64)),
        Body::File(path) => {
            let (file, size) = open_file(path)?;
            Ok((
                Source::File {
                    file,
                    start: 0,
                    buf: Vec::new(),
                },
                size,
            ))
        }
        Body::FileRange {
            path,
            offset,
            length,
        } => {
            let (mut file, size) = open_file(path)?;
            if offset.checked_add(*length).is_none_or(|end| end > size) {
                return Err(Error::validate(format!(
                    "Request body is in fail state. Logical error on i/o operation. ({} has {size} bytes; the range of {length} bytes from offset {offset} runs past its end)",
                    path.display()
                )));
            }
            file.seek(io::SeekFrom::Start(*offset))
                .map_err(|e| unreadable(path, e))?;
            Ok((
                Source::File {
                    file,
                    start: *offset,
                    buf: Vec::new(),
                },
                *length,
            ))
        }
        Body::Reader { reader, length } => Ok((
            Source::Reader {
                reader: &mut **reader,
                buf: Vec::new(),
            },
            *length,
        )),
    }
}

fn unreadable(path: &Path, e: io::Error) -> Error {
    Error::validate(format!(
        "Request body is in fail state. Logical error on i/o operation. (cannot read {}: {e})",
        path.display()
    ))
}

/// Opens a regular file for reading and returns it with its size.
fn open_file(path: &Path) -> Result<(File, u64), Error> {
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    let meta = file.metadata().map_err(|e| unreadable(path, e))?;
    if !meta.is_file() {
        return Err(unreadable(path, io::Error::other("not a regular file")));
    }
    Ok((file, meta.len()))
}

impl Source<'_, '_> {
    /// Back to the first byte for another attempt. `Ok(false)` when the body cannot rewind.
    pub(crate) fn rewind(&mut self) -> Result<bool, BodyError> {
        match self {
            Source::Bytes(_) => Ok(true),
            Source::File { file, start, .. } => file
                .seek(io::SeekFrom::Start(*start))
                .map(|_| true)
                .map_err(BodyError::Source),
            Source::Reader { reader, .. } => match reader.rewind() {
                None => Ok(false),
                Some(result) => result.map(|_| true),
            },
        }
    }

    /// Reads up to `length` bytes into `visit`, chunk by chunk, failing if the body ends early.
    fn each_chunk(
        &mut self,
        length: u64,
        visit: &mut dyn FnMut(&[u8]) -> Result<(), BodyError>,
    ) -> Result<(), BodyError> {
        match self {
            Source::Bytes(bytes) => {
                for chunk in bytes.chunks(CHUNK) {
                    visit(chunk)?;
                }
                Ok(())
            }
            Source::File { file, buf, .. } => {
                let mut read = |out: &mut [u8]| loop {
                    match file.read(out) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        other => return other.map_err(BodyError::Source),
                    }
                };
                pump(&mut read, buf, length, "the file", visit)
            }
            Source::Reader { reader, buf } => {
                let mut read = |out: &mut [u8]| reader.read(out);
                pump(&mut read, buf, length, "the read callback", visit)
            }
        }
    }

    /// MD5 of the whole body (then rewinds), for a Content-MD5 computed on request.
    pub(crate) fn content_md5(&mut self, length: u64) -> Result<[u8; 16], Error> {
        let mut md5 = Md5::new();
        self.each_chunk(length, &mut |chunk| {
            md5.update(chunk);
            Ok(())
        })
        .map_err(body_error)?;
        match self.rewind() {
            Ok(true) => Ok(md5.finalize().into()),
            Ok(false) => Err(Error::invalid_argument(
                "computing Content-MD5 reads the body twice: give the read callback a rewind function, or pass Content-MD5 yourself",
            )),
            Err(e) => Err(body_error(e)),
        }
    }
}

/// Reads exactly `length` bytes from `read` through `buf`. The exact length matters: a reader
/// that ends early would otherwise leave the server waiting for bytes that never come.
fn pump(
    read: &mut dyn FnMut(&mut [u8]) -> Result<usize, BodyError>,
    buf: &mut Vec<u8>,
    length: u64,
    what: &str,
    visit: &mut dyn FnMut(&[u8]) -> Result<(), BodyError>,
) -> Result<(), BodyError> {
    let capacity = usize::try_from(length)
        .unwrap_or(usize::MAX)
        .clamp(1, CHUNK);
    if buf.len() < capacity {
        buf.resize(capacity, 0);
    }
    let mut remaining = length;
    while remaining > 0 {
        let want = usize::try_from(remaining)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let mut filled = 0;
        while filled < want {
            let room = want - filled;
            let n = read(&mut buf[filled..want])?;
            if n > room {
                // The reader claims bytes it cannot have put in the buffer: a bug in it, and
                // whatever it wrote past the end is not ours to send.
                return Err(BodyError::Source(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{what} reported {n} bytes written into a buffer of {room} bytes; it must write at most the capacity it is given"
                    ),
                )));
            }
            if n == 0 {
                let sent = length - remaining + filled as u64;
                return Err(BodyError::Source(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "{what} ended after {sent} of the {length} bytes promised as the content length"
                    ),
                )));
            }
            filled += n;
        }
        visit(&buf[..filled])?;
        remaining -= filled as u64;
    }
    Ok(())
}

pub(crate) fn body_error(error: BodyError) -> Error {
    match error {
        BodyError::Aborted(code, what) => Error::new(
            ErrorKind::Aborted,
            "ClientError:200042",
            format!("Operation was aborted by an application callback. ({what} returned {code})"),
        ),
        BodyError::AbortedAfterBody(code, what) => Error::new(
            ErrorKind::Aborted,
            "ClientError:200042",
            format!(
                "Operation was aborted by an application callback. ({what} returned {code} after the whole body was sent, so the server may have stored it)"
            ),
        )
        .with_object_stored(ObjectStored::Unknown),
        BodyError::Cancelled => {
            crate::cancel::cancelled("while its body was being sent", ObjectStored::No)
        }
        BodyError::Source(e) => Error::new(
            ErrorKind::Io,
            "ClientError:200026",
            format!("Failed to open/read local data from file/application. ({e})"),
        ),
        BodyError::Sink(e) => Error::new(
            ErrorKind::Transport,
            "ClientError:200055",
            format!("Failed sending data to the peer. ({e})"),
        ),
    }
}

/// One attempt's body as the transport sees it.
pub(crate) struct Outgoing<'s, 'r, 'a, 'p> {
    pub source: &'s mut Source<'r, 'a>,
    pub length: u64,
    pub crc: Option<Crc64>,
    pub progress: Option<&'s mut ProgressFn<'p>>,
    pub sent: u64,
}

impl BodySource for Outgoing<'_, '_, '_, '_> {
    fn content_length(&self) -> u64 {
        self.length
    }

    fn write_to(&mut self, sink: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> Result<(), BodyError> {
        let length = self.length;
        let crc = &mut self.crc;
        let progress = &mut self.progress;
        let sent = &mut self.sent;
        self.source.each_chunk(length, &mut |chunk| {
            if crate::cancel::requested() {
                return Err(BodyError::Cancelled);
            }
            if let Some(crc) = crc.as_mut() {
                crc.update(chunk);
            }
            sink(chunk).map_err(BodyError::Sink)?;
            *sent += chunk.len() as u64;
            if let Some(progress) = progress.as_mut() {
                let all_sent = *sent == length;
                progress(chunk.len() as u64, *sent, length).map_err(|code| {
                    let what = "the progress callback".to_owned();
                    if all_sent {
                        BodyError::AbortedAfterBody(code, what)
                    } else {
                        BodyError::Aborted(code, what)
                    }
                })?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::put_object::BodyReader;

    /// Fills what it is given and claims `extra` bytes more.
    struct Overreporting {
        extra: usize,
    }

    impl BodyReader for Overreporting {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, BodyError> {
            buf.fill(b'o');
            Ok(buf.len() + self.extra)
        }

        fn rewind(&mut self) -> Option<Result<(), BodyError>> {
            None
        }
    }

    #[test]
    fn reader_claiming_more_than_its_buffer_fails_with_both_numbers() {
        let mut reader = Overreporting { extra: 1 };
        let mut body = Body::Reader {
            reader: &mut reader,
            length: 10,
        };
        let (mut source, length) = open(&mut body).unwrap();
        let mut sent = 0;
        let error = source
            .each_chunk(length, &mut |chunk| {
                sent += chunk.len();
                Ok(())
            })
            .unwrap_err();
        assert_eq!(sent, 0, "nothing of a lying read is sent");
        let error = body_error(error);
        assert_eq!(error.kind, ErrorKind::Io);
        assert_eq!(error.code, "ClientError:200026");
        assert_eq!(
            error.message,
            "Failed to open/read local data from file/application. (the read callback reported \
             11 bytes written into a buffer of 10 bytes; it must write at most the capacity it \
             is given)"
        );
    }

    #[test]
    fn a_file_range_reads_its_bytes_and_rewinds_to_its_offset() {
        let path = std::env::temp_dir().join(format!("ossffi-range-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        let mut body = Body::FileRange {
            path: path.clone(),
            offset: 3,
            length: 4,
        };
        let (mut source, length) = open(&mut body).unwrap();
        assert_eq!(length, 4);
        for _ in 0..2 {
            let mut sent = Vec::new();
            source
                .each_chunk(length, &mut |chunk| {
                    sent.extend_from_slice(chunk);
                    Ok(())
                })
                .unwrap();
            assert_eq!(sent, b"3456");
            assert!(source.rewind().unwrap());
        }
        let mut past_end = Body::FileRange {
            path: path.clone(),
            offset: 7,
            length: 4,
        };
        let error = open(&mut past_end).err().unwrap();
        assert_eq!(error.code, "ValidateError");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn reader_filling_its_buffer_exactly_is_fine() {
        let mut reader = Overreporting { extra: 0 };
        let mut body = Body::Reader {
            reader: &mut reader,
            length: 10,
        };
        let (mut source, length) = open(&mut body).unwrap();
        let mut sent = Vec::new();
        source
            .each_chunk(length, &mut |chunk| {
                sent.extend_from_slice(chunk);
                Ok(())
            })
            .unwrap();
        assert_eq!(sent, b"oooooooooo");
    }
}
