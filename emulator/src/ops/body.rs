//! Receiving a request body into its destination while computing CRC-64 and MD5 on the way:
//! memory (read straight into the object's buffer), a temporary file, or nowhere (`--sink`).
//!
//! With `--sink-skip-md5` the MD5 is not computed (unless a Content-MD5 header asks for the
//! check): the ETag is then a stand-in made of the CRC-64 and the size ([`Received::etag_digest`])
//! and the reply carries [`NOT_MD5_HEADER`].

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;

use md5::{Digest, Md5};
use ossffi::crc64::Crc64;

use crate::error::OssError;
use crate::store::ObjectData;

/// Where received bytes go.
pub(crate) enum Destination {
    Memory,
    File(PathBuf),
    Sink,
}

/// What was received.
pub(crate) struct Received {
    pub size: u64,
    /// `None` when the MD5 was not computed (`--sink-skip-md5`).
    pub md5: Option<[u8; 16]>,
    pub crc64: u64,
    /// `None` for `Destination::Sink`.
    pub data: Option<ObjectData>,
}

/// The header (name, value) on every reply whose ETag is not the MD5 of the content
/// (`--sink-skip-md5`).
pub(crate) const NOT_MD5_HEADER: (&str, &str) = ("x-ossffi-emulator-etag", "not-md5");

impl Received {
    /// The 16 bytes the ETag shows: the body's MD5, or, when it was not computed, the CRC-64
    /// and then the size, both big-endian (ETag `"%016X%016X"` of crc64, size).
    pub fn etag_digest(&self) -> [u8; 16] {
        self.md5
            .unwrap_or_else(|| not_md5_digest(self.crc64, self.size))
    }
}

/// The stand-in for an MD5 that was not computed: CRC-64 then size, big-endian.
pub(crate) fn not_md5_digest(crc64: u64, size: u64) -> [u8; 16] {
    let mut d = [0u8; 16];
    d[..8].copy_from_slice(&crc64.to_be_bytes());
    d[8..].copy_from_slice(&size.to_be_bytes());
    d
}

const CHUNK: usize = 1 << 20;
/// The most memory reserved for a body before its bytes arrive.
const INITIAL_MEMORY_RESERVE: u64 = 8 << 20;
/// Bodies at least this large have their MD5 computed on a second thread, in parallel with
/// reading the socket and the CRC: MD5 is the slowest step and cannot itself be split.
const PARALLEL_MD5_MIN: u64 = 8 << 20;
/// The read buffer when no MD5 is computed (`--sink-skip-md5`): small enough that the CRC
/// reads the bytes from the cache the socket read just wrote them to.
const NO_MD5_BUFFER: usize = 256 << 10;

/// Maps a body read error to what OSS answers; the connection is closed afterwards.
pub(crate) fn body_error(e: io::Error) -> OssError {
    match e.kind() {
        io::ErrorKind::InvalidData => {
            OssError::invalid_argument(format!("The request body is malformed: {e}."))
        }
        _ => OssError::request_timeout(),
    }
}

fn too_large(max: u64, proposed: u64) -> OssError {
    OssError::new(
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size.",
    )
    .field("MaxSizeAllowed", max.to_string())
    .field("ProposedSize", proposed.to_string())
}

/// Rejects a declared length over the limit before any byte is read.
pub(crate) fn check_declared(len: Option<u64>, max: u64) -> Result<(), OssError> {
    match len {
        Some(n) if n > max => Err(too_large(max, n)),
        _ => Ok(()),
    }
}

/// The MD5 of a byte stream, computed here or on a helper thread, or not at all.
enum Md5Worker {
    Off,
    Inline(Md5),
    Thread {
        tx: mpsc::SyncSender<Vec<u8>>,
        back: mpsc::Receiver<Vec<u8>>,
        done: thread::JoinHandle<[u8; 16]>,
    },
}

impl Md5Worker {
    fn new(wanted: bool, parallel: bool) -> Md5Worker {
        if !wanted {
            return Md5Worker::Off;
        }
        if !parallel {
            return Md5Worker::Inline(Md5::new());
        }
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(2);
        let (back_tx, back) = mpsc::sync_channel::<Vec<u8>>(4);
        let done = thread::spawn(move || {
            let mut md5 = Md5::new();
            for buf in rx {
                md5.update(&buf);
                let _ = back_tx.try_send(buf);
            }
            md5.finalize().into()
        });
        Md5Worker::Thread { tx, back, done }
    }

    fn finish(self) -> Option<[u8; 16]> {
        match self {
            Md5Worker::Off => None,
            Md5Worker::Inline(m) => Some(m.finalize().into()),
            Md5Worker::Thread { tx, done, .. } => {
                drop(tx);
                Some(done.join().unwrap_or_default())
            }
        }
    }
}

/// Reads the whole body into `dest`. `declared` is the Content-Length when known; `md5` says
/// whether to compute the body's MD5 (false only for `--sink-skip-md5` without Content-MD5).
pub(crate) fn receive(
    body: &mut dyn Read,
    declared: Option<u64>,
    max: u64,
    dest: Destination,
    md5: bool,
) -> Result<Received, OssError> {
    check_declared(declared, max)?;
    let parallel = md5 && declared.is_none_or(|n| n >= PARALLEL_MD5_MIN);
    match dest {
        Destination::Memory => receive_memory(body, declared, max, md5),
        Destination::File(path) => {
            let mut file = File::create(&path).map_err(|e| {
                OssError::internal(format!("cannot create {}: {e}", path.display()))
            })?;
            let result = receive_streamed(body, declared, max, md5, parallel, |chunk| {
                file.write_all(chunk)
            });
            match result {
                Ok((size, md5, crc64)) => Ok(Received {
                    size,
                    md5,
                    crc64,
                    data: Some(ObjectData::File(path)),
                }),
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    Err(e)
                }
            }
        }
        Destination::Sink => {
            let (size, md5, crc64) =
                receive_streamed(body, declared, max, md5, parallel, |_| Ok(()))?;
            Ok(Received {
                size,
                md5,
                crc64,
                data: None,
            })
        }
    }
}

/// Reads into a vector that becomes the object: no second copy of the body is made.
///
/// Memory is reserved as bytes arrive, never from the declared length alone: one request
/// declaring 4 GiB and sending nothing must not reserve 4 GiB (under an address-space limit
/// that aborts the whole emulator). Growth doubles, but stops at the declared length, because
/// spare capacity would stay allocated for as long as the object is stored.
fn receive_memory(
    body: &mut dyn Read,
    declared: Option<u64>,
    max: u64,
    want_md5: bool,
) -> Result<Received, OssError> {
    let initial = declared.unwrap_or(0).min(max).min(INITIAL_MEMORY_RESERVE);
    let mut data: Vec<u8> = Vec::new();
    grow(&mut data, to_usize(initial))?;
    let mut md5 = want_md5.then(Md5::new);
    let mut crc = Crc64::new();
    loop {
        if data.capacity() - data.len() < CHUNK {
            let left = declared.map_or(u64::MAX, |n| n.saturating_sub(data.len() as u64));
            let additional = data.len().max(CHUNK).min(to_usize(left));
            grow(&mut data, additional)?;
        }
        let start = data.len();
        // Never more than one byte past the limit: a body over it is refused as soon as that
        // byte arrives, not after a chunk that may never come.
        let room = max.saturating_sub(start as u64).saturating_add(1);
        let n = body
            .take(room.min(CHUNK as u64))
            .read_to_end(&mut data)
            .map_err(body_error)?;
        if n == 0 {
            break;
        }
        if data.len() as u64 > max {
            return Err(too_large(max, data.len() as u64));
        }
        crc.update(&data[start..]);
        if let Some(md5) = &mut md5 {
            md5.update(&data[start..]);
        }
    }
    Ok(Received {
        size: data.len() as u64,
        md5: md5.map(|m| m.finalize().into()),
        crc64: crc.value(),
        data: Some(ObjectData::Memory(Arc::new(data))),
    })
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Reserves `additional` more bytes; running out of memory is an error answer, not an abort.
pub(crate) fn grow(data: &mut Vec<u8>, additional: usize) -> Result<(), OssError> {
    data.try_reserve_exact(additional).map_err(|e| {
        OssError::internal(format!(
            "cannot hold the object in memory ({e}); use --data-dir for large objects"
        ))
    })
}

/// Reads in large chunks, hands each to `write` and to the digests.
fn receive_streamed(
    body: &mut dyn Read,
    declared: Option<u64>,
    max: u64,
    want_md5: bool,
    parallel: bool,
    mut write: impl FnMut(&[u8]) -> io::Result<()>,
) -> Result<(u64, Option<[u8; 16]>, u64), OssError> {
    let mut md5 = Md5Worker::new(want_md5, parallel);
    let mut crc = Crc64::new();
    let mut size = 0u64;
    // Without MD5 the CRC follows each read, so a buffer that stays in the CPU's cache is best;
    // with it, the MD5 thread wants few, large messages.
    let most = if want_md5 { 4 * CHUNK } else { NO_MD5_BUFFER };
    // A small body gets a small buffer: zeroing 4 MiB would cost more than the whole request.
    let buf_len = declared.map_or(most, |n| n.clamp(1, most as u64) as usize);
    let mut buf = vec![0u8; buf_len];
    let mut eof = false;
    while !eof {
        let mut filled = 0;
        // Fill the buffer so the MD5 thread gets few, large messages, but never more than one
        // byte past the limit, so that a body over it is refused as soon as that byte arrives.
        let room = usize::try_from(max.saturating_sub(size).saturating_add(1))
            .unwrap_or(usize::MAX)
            .min(buf.len());
        while filled < room {
            let n = body.read(&mut buf[filled..room]).map_err(body_error)?;
            if n == 0 {
                eof = true;
                break;
            }
            filled += n;
        }
        if filled == 0 {
            break;
        }
        size += filled as u64;
        if size > max {
            return Err(too_large(max, size));
        }
        let chunk = &buf[..filled];
        crc.update(chunk);
        write(chunk).map_err(|e| OssError::internal(format!("cannot write object data: {e}")))?;
        match &mut md5 {
            Md5Worker::Off => {}
            Md5Worker::Inline(m) => m.update(chunk),
            Md5Worker::Thread { tx, back, .. } => {
                // Buffers come back from the worker once hashed, so few are ever allocated.
                let next = match back.try_recv() {
                    Ok(mut b) => {
                        b.resize(buf_len, 0);
                        b
                    }
                    Err(_) => vec![0u8; buf_len],
                };
                let mut full = std::mem::replace(&mut buf, next);
                full.truncate(filled);
                tx.send(full)
                    .map_err(|_| OssError::internal("MD5 worker stopped"))?;
            }
        }
    }
    Ok((size, md5.finish(), crc.value()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossffi::encoding::hex_upper;

    fn stored_capacity(rec: &Received) -> usize {
        match &rec.data {
            Some(ObjectData::Memory(v)) => v.capacity(),
            _ => panic!("not kept in memory"),
        }
    }

    /// Hands out its bytes, then fails as a stalled client's body does at the body timeout.
    struct ThenStall(&'static [u8]);

    impl Read for ThenStall {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            let n = out.len().min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_body_over_the_limit_is_refused_at_its_first_byte_past_it_without_a_declared_length() {
        for dest in [Destination::Memory, Destination::Sink] {
            let mut body = ThenStall(b"0123456789ABC");
            let e = receive(&mut body, None, 10, dest, true).err().unwrap();
            assert_eq!((e.status, e.code), (400, "EntityTooLarge"));
            assert_eq!(body.0, b"BC", "read one byte past the limit, no more");
        }
    }

    #[test]
    fn a_declared_length_alone_reserves_at_most_8_mib() {
        let mut body: &[u8] = b"hello";
        let rec = receive(&mut body, Some(4 << 30), 5 << 30, Destination::Memory, true).unwrap();
        assert_eq!(rec.size, 5);
        assert!(
            stored_capacity(&rec) <= 8 << 20,
            "{}",
            stored_capacity(&rec)
        );
    }

    #[test]
    fn a_body_of_the_declared_length_is_stored_without_spare_capacity() {
        let bytes = vec![7u8; 20 << 20];
        let rec = receive(
            &mut bytes.as_slice(),
            Some(bytes.len() as u64),
            5 << 30,
            Destination::Memory,
            true,
        )
        .unwrap();
        assert_eq!(rec.size, bytes.len() as u64);
        assert_eq!(stored_capacity(&rec), bytes.len());
    }

    #[test]
    fn without_md5_the_crc_is_exact_and_the_etag_digest_is_crc_then_size() {
        let bytes: Vec<u8> = (0..(1u32 << 20) + 3).map(|i| (i % 253) as u8).collect();
        for declared in [Some(bytes.len() as u64), None] {
            let rec = receive(
                &mut bytes.as_slice(),
                declared,
                5 << 30,
                Destination::Sink,
                false,
            )
            .unwrap();
            assert_eq!(rec.md5, None);
            assert_eq!(rec.crc64, ossffi::crc64::crc64(&bytes));
            assert_eq!(
                hex_upper(&rec.etag_digest()),
                format!("{:016X}{:016X}", rec.crc64, bytes.len())
            );
        }
        let rec = receive(&mut &b"abc"[..], Some(3), 10, Destination::Sink, true).unwrap();
        assert_eq!(rec.etag_digest(), <[u8; 16]>::from(Md5::digest(b"abc")));
    }

    #[test]
    fn a_declared_length_over_the_limit_is_refused_before_reading() {
        let mut body: &[u8] = b"never read";
        let e = receive(
            &mut body,
            Some((5 << 30) + 1),
            5 << 30,
            Destination::Memory,
            true,
        )
        .err()
        .unwrap();
        assert_eq!((e.status, e.code), (400, "EntityTooLarge"));
        assert_eq!(
            e.fields,
            vec![
                ("MaxSizeAllowed", "5368709120".to_string()),
                ("ProposedSize", "5368709121".to_string())
            ]
        );
        assert_eq!(body, b"never read");
    }
}
