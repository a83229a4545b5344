//! ResumableUploadObject: a file up to the part size goes as one PutObject; a larger one as a
//! multipart upload whose parts stream from their file ranges on a bounded set of threads,
//! optionally remembered in a checkpoint record so that a later call sends only what is missing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use super::checkpoint::{self, Record};
use crate::client::{Client, validate_bucket, validate_key};
use crate::crc64;
use crate::error::{Error, ErrorKind, ObjectStored};
use crate::headers;
use crate::log::{self, LogLevel};
use crate::multipart::{CompleteParts, MAX_PART_NUMBER, MAX_PART_SIZE};
use crate::object::ObjectRequest;
use crate::put_object::{Body, PutObjectRequest, PutObjectResult};
use crate::time::sdk_gmt_time;

/// The SDK's `DefaultPartSize`: 8 MiB.
pub const DEFAULT_PART_SIZE: u64 = 8 * 1024 * 1024;
/// The SDK's `DefaultResumableThreadNum`.
pub const DEFAULT_THREAD_NUM: u32 = 3;
/// The SDK's `PartSizeLowerLimit`: 100 KiB.
pub const PART_SIZE_LOWER_LIMIT: u64 = 100 * 1024;
/// At most this many worker threads run for one upload, whatever `thread_num` asks (the SDK
/// starts exactly `thread_num`); never more than there are parts left to send.
pub const MAX_THREADS: u32 = 64;

/// Progress of a resumable upload: `(increment, transferred, total)` with `transferred`
/// counted across all parts (parts found already uploaded included) and `total` the file's
/// size. Called from the worker threads, one call at a time. Returning `Err(code)` stops every
/// worker before its next chunk.
pub type ResumableProgressFn<'a> = dyn FnMut(u64, u64, u64) -> Result<(), i64> + Send + 'a;

/// The C++ SDK's `UploadObjectRequest`.
pub struct ResumableUploadRequest<'a> {
    pub bucket: String,
    pub key: String,
    /// The file to upload, as given (the checkpoint record names it this way).
    pub file_path: String,
    /// Where the checkpoint record lives; `None` keeps no record, and a failed upload is then
    /// aborted rather than left for a resume that cannot happen.
    pub checkpoint_dir: Option<String>,
    /// At least [`PART_SIZE_LOWER_LIMIT`]; doubled while the file would need more than 10,000
    /// parts.
    pub part_size: u64,
    /// Parts in flight at once (see [`MAX_THREADS`]).
    pub thread_num: u32,
    /// The object's metadata (Content-Type, Cache-Control, `x-oss-meta-*`, `x-oss-object-acl`,
    /// `x-oss-tagging`, `x-oss-callback`, ...), with `x-oss-request-payer` and
    /// `x-oss-traffic-limit`, which go to every request that takes them.
    pub headers: Vec<(String, String)>,
    /// `encoding-type` for InitiateMultipartUpload, ListParts and CompleteMultipartUpload.
    pub encoding_type: Option<String>,
    pub progress: Option<&'a mut ResumableProgressFn<'a>>,
}

impl<'a> ResumableUploadRequest<'a> {
    /// A request with the SDK's defaults: 8 MiB parts, 3 threads, no checkpoint directory.
    pub fn new(bucket: &str, key: &str, file_path: &str) -> Self {
        Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            file_path: file_path.to_owned(),
            checkpoint_dir: None,
            part_size: DEFAULT_PART_SIZE,
            thread_num: DEFAULT_THREAD_NUM,
            headers: Vec::new(),
            encoding_type: None,
            progress: None,
        }
    }

    pub fn set_header(&mut self, name: &str, value: &str) {
        headers::set(&mut self.headers, name, value);
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        headers::find(&self.headers, name)
    }
}

/// The file as the upload first saw it; a part or the final check that sees it otherwise
/// fails rather than store a mix of two versions.
struct FileState {
    size: u64,
    modified: Option<SystemTime>,
    /// The SDK's `ObjectMtime()`.
    mtime: String,
}

fn file_state(path: &Path) -> io::Result<FileState> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let modified = meta.modified().ok();
    let unix = modified
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    Ok(FileState {
        size: meta.len(),
        modified,
        mtime: sdk_gmt_time(unix).unwrap_or_else(|| "Thu, 01 Jan 1970 00:00:00 GMT".to_owned()),
    })
}

fn unchanged(path: &Path, file: &FileState) -> bool {
    file_state(path).is_ok_and(|now| now.size == file.size && now.modified == file.modified)
}

fn changed(file_path: &str) -> Error {
    Error::new(
        ErrorKind::Io,
        "ClientError:200026",
        format!(
            "Failed to open/read local data from file/application. ({file_path} changed while it was uploaded, so the upload was not completed)"
        ),
    )
}

/// One part of the plan: its number, its range of the file, and once sent its ETag and CRC-64.
#[derive(Debug, Clone)]
struct PartSlot {
    number: u32,
    offset: u64,
    length: u64,
    etag: Option<String>,
    crc64: u64,
}

/// The multipart upload under way: its id, part size, where its record lives.
struct Upload {
    upload_id: String,
    part_size: u64,
    record_path: Option<PathBuf>,
    /// Parts the server already holds (a resume), by number.
    done: Vec<(u32, String, u64)>,
}

impl Client {
    /// Uploads a file as the C++ SDK's `ResumableUploadObject` does. A file no larger than the
    /// part size is one PutObject carrying every header (the upload callback included). A
    /// larger file is a multipart upload: InitiateMultipartUpload with every header, the parts
    /// streamed from their file ranges by up to `thread_num` threads, then
    /// CompleteMultipartUpload with `x-oss-object-acl` and, when there is a callback,
    /// `x-oss-callback`, `x-oss-callback-var` and `x-oss-pub-key-url`. The parts' CRC-64s are
    /// combined and compared with the object's. With a callback the result's `body` is the
    /// callback server's reply.
    ///
    /// With a checkpoint directory the record is written right after InitiateMultipartUpload
    /// (its name and bytes exactly the SDK's) and deleted on success; a later call with an
    /// intact record for the same file, unchanged in size and modification time, lists the
    /// parts already uploaded and sends only the others. A damaged, stale or foreign record,
    /// or one whose upload is gone, is deleted and a new upload started.
    ///
    /// # Errors
    /// - `ValidateError` with the SDK's message, before anything is sent: bucket, key, part
    ///   size under 100 KiB, no threads, a checkpoint directory that is not a directory, a
    ///   file that cannot be opened.
    /// - When a part fails after its retries, no new part is started; the error is that part's,
    ///   its message naming the part and what happens to the upload: kept for a resume with a
    ///   checkpoint directory, aborted without one. Stopping through the progress function is
    ///   `ClientError:200042` with the same rule.
    /// - A file that changes while it is uploaded: `ClientError:200026`, nothing completed.
    /// - CompleteMultipartUpload's error (203 `CallbackFailed` with the object stored); a
    ///   combined CRC-64 that differs from the object's: `CrcCheckError`, object stored.
    pub fn resumable_upload_object(
        &self,
        request: &mut ResumableUploadRequest<'_>,
    ) -> Result<PutObjectResult, Error> {
        validate_bucket(&request.bucket)?;
        validate_key(&request.key)?;
        if request.part_size < PART_SIZE_LOWER_LIMIT {
            return Err(Error::validate("The part size is less than 100KB."));
        }
        if request.thread_num == 0 {
            return Err(Error::validate("The thread num is less than 1."));
        }
        if let Some(dir) = &request.checkpoint_dir
            && !Path::new(dir).is_dir()
        {
            return Err(Error::validate("Checkpoint directory is not exist."));
        }
        let path = PathBuf::from(&request.file_path);
        let Ok(file) = file_state(&path) else {
            return Err(Error::validate("Open upload file failed."));
        };
        if file.size <= request.part_size {
            return self.upload_whole(request, path);
        }
        let upload = self.start_or_resume(request, &file)?;
        self.upload_parts(request, &path, &file, upload)
    }

    /// The simple path: one PutObject with every header.
    fn upload_whole(
        &self,
        request: &mut ResumableUploadRequest<'_>,
        path: PathBuf,
    ) -> Result<PutObjectResult, Error> {
        let mut put = PutObjectRequest::new(&*request.bucket, &*request.key, Body::File(path));
        put.headers = request.headers.clone();
        let mut forward = |increment: u64, sent: u64, total: u64| match &mut request.progress {
            Some(progress) => progress(increment, sent, total),
            None => Ok(()),
        };
        put.progress = Some(&mut forward);
        self.put_object(&mut put)
    }

    /// Resumes the upload an intact record names, or starts a new one (and records it).
    fn start_or_resume(
        &self,
        request: &ResumableUploadRequest<'_>,
        file: &FileState,
    ) -> Result<Upload, Error> {
        let record_path = request.checkpoint_dir.as_ref().map(|dir| {
            Path::new(dir).join(checkpoint::file_name(
                &request.file_path,
                &request.bucket,
                &request.key,
            ))
        });
        if let Some(record_path) = &record_path
            && let Some(upload) = self.resume(request, file, record_path)?
        {
            return Ok(upload);
        }
        let mut part_size = request.part_size;
        while file.size.div_ceil(part_size) > u64::from(MAX_PART_NUMBER) {
            part_size *= 2;
        }
        let mut initiate = ObjectRequest::new(&request.bucket, Some(&request.key));
        initiate.headers = request
            .headers
            .iter()
            .filter(|(name, _)| !name.eq_ignore_ascii_case("x-oss-traffic-limit"))
            .cloned()
            .collect();
        initiate.set_parameter("encoding-type", request.encoding_type.as_deref());
        let upload_id = self.initiate_multipart_upload(&initiate)?.upload_id;
        if let Some(record_path) = &record_path {
            let record = Record::new(
                &request.bucket,
                &request.key,
                &request.file_path,
                &file.mtime,
                file.size,
                part_size,
                &upload_id,
            );
            if let Err(e) = write_record(record_path, &record) {
                // As in the SDK, a record that cannot be written only costs the resume.
                log::write(
                    LogLevel::Warn,
                    format_args!(
                        "ResumableUpload could not write its checkpoint {}: {e}",
                        record_path.display()
                    ),
                );
            }
        }
        Ok(Upload {
            upload_id,
            part_size,
            record_path,
            done: Vec::new(),
        })
    }

    /// The upload of an intact record for this file as it is now, with the parts it holds;
    /// `None` (the record deleted) when there is no such record or its upload is gone.
    fn resume(
        &self,
        request: &ResumableUploadRequest<'_>,
        file: &FileState,
        record_path: &Path,
    ) -> Result<Option<Upload>, Error> {
        let Ok(text) = read_record(record_path) else {
            return Ok(None);
        };
        let record = text.and_then(|text| Record::parse(&text)).filter(|record| {
            record.is_intact()
                && plan_fits(record.part_size, file.size)
                && record.bucket == request.bucket
                && record.key == request.key
                && record.file_path == request.file_path
                && record.size == file.size
                && record.mtime == file.mtime
        });
        let Some(record) = record else {
            let _ = fs::remove_file(record_path);
            return Ok(None);
        };
        let mut list = ObjectRequest::new(&request.bucket, Some(&request.key));
        list.upload_id = Some(record.upload_id.clone());
        list.set_parameter("encoding-type", request.encoding_type.as_deref());
        if let Some(payer) = request.header("x-oss-request-payer") {
            list.set_header("x-oss-request-payer", payer);
        }
        let mut probe = list.clone();
        probe.set_parameter("max-parts", Some("1"));
        match self.list_parts(&probe) {
            Err(e) if e.code == "NoSuchUpload" => {
                let _ = fs::remove_file(record_path);
                return Ok(None);
            }
            // As in the SDK, another failure leaves the record standing; the listing below
            // then says what is wrong.
            _ => {}
        }
        let mut done = Vec::new();
        let mut marker = 0;
        loop {
            list.set_parameter("part-number-marker", Some(&marker.to_string()));
            let page = self.list_parts(&list)?;
            done.extend(
                page.parts
                    .into_iter()
                    .filter(|part| u64::try_from(part.size) == Ok(record.part_size))
                    .map(|part| (part.part_number, part.etag, part.crc64)),
            );
            if !page.is_truncated || page.next_part_number_marker <= marker {
                break;
            }
            marker = page.next_part_number_marker;
        }
        Ok(Some(Upload {
            upload_id: record.upload_id,
            part_size: record.part_size,
            record_path: Some(record_path.to_owned()),
            done,
        }))
    }

    /// Sends the parts the server lacks, then completes the upload.
    fn upload_parts(
        &self,
        request: &mut ResumableUploadRequest<'_>,
        path: &Path,
        file: &FileState,
        upload: Upload,
    ) -> Result<PutObjectResult, Error> {
        let count = file.size.div_ceil(upload.part_size);
        let mut slots: Vec<PartSlot> = (0..count)
            .map(|i| PartSlot {
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                offset: i * upload.part_size,
                length: upload.part_size.min(file.size - i * upload.part_size),
                etag: None,
                crc64: 0,
            })
            .collect();
        let mut consumed = 0;
        for (number, etag, crc) in &upload.done {
            let Some(slot) = usize::try_from(*number)
                .ok()
                .and_then(|number| number.checked_sub(1))
                .and_then(|index| slots.get_mut(index))
            else {
                continue;
            };
            // A part already stored counts only when it holds this file's bytes: a record can
            // name an upload of other bytes (copied from another file's record, or edited).
            // The service's CRC-64 of the part says; without one the part is trusted, as the
            // SDK trusts it.
            if *crc != 0 && range_crc64(path, slot.offset, slot.length).ok() != Some(*crc) {
                continue;
            }
            consumed += slot.length;
            slot.etag = Some(etag.clone());
            slot.crc64 = *crc;
        }
        let todo: Vec<usize> = (0..slots.len())
            .filter(|&i| slots[i].etag.is_none())
            .collect();

        let mut part_request = ObjectRequest::new(&request.bucket, Some(&request.key));
        part_request.upload_id = Some(upload.upload_id.clone());
        for name in ["x-oss-request-payer", "x-oss-traffic-limit"] {
            if let Some(value) = request.header(name) {
                part_request.set_header(name, value);
            }
        }
        let workers = Workers {
            client: self,
            path,
            total: file.size,
            part_request: &part_request,
            slots: &slots,
            todo: &todo,
            next: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            progress: Mutex::new(Progress {
                consumed,
                user: request.progress.as_deref_mut(),
                cancelled: None,
            }),
            sent: Mutex::new(Vec::new()),
            failure: Mutex::new(None),
        };
        let threads = request
            .thread_num
            .min(MAX_THREADS)
            .min(u32::try_from(todo.len()).unwrap_or(u32::MAX));
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| workers.run());
            }
        });
        let Workers {
            progress,
            sent,
            failure,
            ..
        } = workers;
        let cancelled = into_inner(progress).cancelled;
        let failure = into_inner(failure);
        for (index, etag, crc) in into_inner(sent) {
            slots[index].etag = Some(etag);
            slots[index].crc64 = crc;
        }

        let stopped = match (cancelled, failure) {
            (Some(code), _) => Some(Error::new(
                ErrorKind::Aborted,
                "ClientError:200042",
                format!(
                    "Operation was aborted by an application callback. (the progress callback returned {code})"
                ),
            )),
            // A part that could not read its range says so in the SDK's words; the
            // reason is that the file changed under the upload.
            (None, Some(_)) if !unchanged(path, file) => Some(changed(&request.file_path)),
            (None, Some((index, error))) => {
                let slot = &slots[index];
                let mut error = error;
                // The part's answer says whether the part was stored; the object never is
                // before CompleteMultipartUpload, which is not sent now.
                error.object_stored = ObjectStored::No;
                error.message = format!(
                    "{} (UploadPart {} of {count}, bytes {}-{} of {})",
                    error.message,
                    slot.number,
                    slot.offset,
                    slot.offset + slot.length - 1,
                    request.file_path
                );
                Some(error)
            }
            (None, None) if unchanged(path, file) => None,
            (None, None) => Some(changed(&request.file_path)),
        };
        if let Some(error) = stopped {
            return Err(self.give_up(request, &upload, error));
        }

        let parts: Vec<(u32, String)> = slots
            .iter()
            .map(|s| (s.number, s.etag.clone().unwrap_or_default()))
            .collect();
        let mut complete = ObjectRequest::new(&request.bucket, Some(&request.key));
        complete.upload_id = Some(upload.upload_id.clone());
        complete.set_parameter("encoding-type", request.encoding_type.as_deref());
        let mut carried = vec!["x-oss-object-acl", "x-oss-request-payer"];
        if request.header("x-oss-callback").is_some() {
            carried.extend(["x-oss-callback", "x-oss-callback-var", "x-oss-pub-key-url"]);
        }
        for name in carried {
            if let Some(value) = request.header(name) {
                complete.set_header(name, value);
            }
        }
        let completed = match self.complete_multipart_upload(&complete, CompleteParts::List(&parts))
        {
            Ok(completed) => completed,
            Err(error) if error.object_stored == ObjectStored::Yes => return Err(error),
            Err(error) => return Err(self.give_up(request, &upload, error)),
        };

        let every_crc_known = slots.iter().all(|s| s.crc64 != 0 || s.length == 0);
        if self.config().enable_crc64 && completed.crc64 != 0 && every_crc_known {
            let combined = slots
                .iter()
                .fold(0, |crc, s| crc64::combine(crc, s.crc64, s.length));
            if combined != completed.crc64 {
                let mut error = Error::new(
                    ErrorKind::CrcMismatch,
                    "CrcCheckError",
                    "ResumableUpload Object CRC Checksum fail.",
                )
                .with_object_stored(ObjectStored::Yes);
                error.request_id = completed.request_id;
                return Err(error);
            }
        }
        if let Some(record_path) = &upload.record_path {
            let _ = fs::remove_file(record_path);
        }
        Ok(PutObjectResult {
            http_status: completed.http_status,
            etag: completed.etag,
            request_id: completed.request_id,
            crc64: completed.crc64,
            version_id: completed.version_id,
            headers: completed.headers,
            body: completed.body,
        })
    }

    /// The error of an upload that stops short: with a record the upload stays for a resume;
    /// without one it is aborted, so that no parts are left behind unseen.
    fn give_up(
        &self,
        request: &ResumableUploadRequest<'_>,
        upload: &Upload,
        mut error: Error,
    ) -> Error {
        if upload.record_path.is_some() {
            error.message.push_str(&format!(
                "; upload {} is kept and its checkpoint record too: call again to resume",
                upload.upload_id
            ));
            return error;
        }
        let mut abort = ObjectRequest::new(&request.bucket, Some(&request.key));
        abort.upload_id = Some(upload.upload_id.clone());
        if let Some(payer) = request.header("x-oss-request-payer") {
            abort.set_header("x-oss-request-payer", payer);
        }
        match self.abort_multipart_upload(&abort) {
            Ok(_) => error.message.push_str(&format!(
                "; upload {} was aborted (no checkpoint directory to resume from)",
                upload.upload_id
            )),
            Err(abort_error) => error.message.push_str(&format!(
                "; aborting upload {} failed too ({abort_error}), so its parts may remain",
                upload.upload_id
            )),
        }
        error
    }
}

/// Progress shared by the workers, behind one lock so the user's function sees one call at a
/// time and a monotonic total.
struct Progress<'p, 'a> {
    consumed: u64,
    user: Option<&'p mut ResumableProgressFn<'a>>,
    /// What the user's function returned when it asked to stop.
    cancelled: Option<i64>,
}

/// What the worker threads share.
struct Workers<'w, 'p, 'a> {
    client: &'w Client,
    path: &'w Path,
    total: u64,
    part_request: &'w ObjectRequest,
    slots: &'w [PartSlot],
    /// Indexes into `slots` of the parts to send, lowest first.
    todo: &'w [usize],
    next: AtomicUsize,
    /// Set by the first failure or a cancel: no part starts afterwards.
    stop: AtomicBool,
    progress: Mutex<Progress<'p, 'a>>,
    /// `(slot index, ETag, CRC-64)` of the parts sent.
    sent: Mutex<Vec<(usize, String, u64)>>,
    /// The first part that failed, and why.
    failure: Mutex<Option<(usize, Error)>>,
}

impl Workers<'_, '_, '_> {
    fn run(&self) {
        while !self.stop.load(Ordering::Acquire) {
            let Some(&index) = self.todo.get(self.next.fetch_add(1, Ordering::AcqRel)) else {
                return;
            };
            let slot = &self.slots[index];
            let mut body = Body::FileRange {
                path: self.path.to_owned(),
                offset: slot.offset,
                length: slot.length,
            };
            // A retried part reports from 0 again; only bytes beyond what it reported before
            // count, so the total never goes back or counts twice.
            let mut reported = 0u64;
            let mut part_progress = |_increment: u64, transferred: u64, _total: u64| {
                let increment = transferred.saturating_sub(reported);
                reported = reported.max(transferred);
                let mut progress = lock(&self.progress);
                if let Some(code) = progress.cancelled {
                    return Err(code);
                }
                progress.consumed += increment;
                let consumed = progress.consumed;
                if let Some(user) = progress.user.as_mut()
                    && let Err(code) = user(increment, consumed, self.total)
                {
                    progress.cancelled = Some(code);
                    self.stop.store(true, Ordering::Release);
                    return Err(code);
                }
                Ok(())
            };
            let outcome = self.client.upload_part(
                self.part_request,
                slot.number,
                &mut body,
                Some(&mut part_progress),
            );
            match outcome {
                Ok(part) => lock(&self.sent).push((index, part.etag, part.crc64)),
                Err(error) => {
                    self.stop.store(true, Ordering::Release);
                    lock(&self.failure).get_or_insert((index, error));
                }
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// The CRC-64 of `length` bytes of the file at `offset` (fewer if the file ends first).
fn range_crc64(path: &Path, offset: u64, length: u64) -> io::Result<u64> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = fs::File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut range = file.take(length);
    let mut crc = crc64::Crc64::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match range.read(&mut buf) {
            Ok(0) => return Ok(crc.value()),
            Ok(n) => crc.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The most bytes a checkpoint record may take. The SDK's hold a bucket, a key (at most 1,023
/// bytes), a file path, an upload id and a few numbers, each at most six times longer once
/// escaped; anything larger was not written by either library.
const MAX_RECORD: u64 = 64 * 1024;

/// The bytes of the record at `path`: `Err` when there is none to open, `Ok(None)` when what
/// is there cannot be a record (not a regular file, such as a FIFO or a symbolic link to a
/// device, or larger than [`MAX_RECORD`]). Reads at most [`MAX_RECORD`] bytes and never waits
/// for a writer.
fn read_record(path: &Path) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading waits for a writer; without blocking it opens at once, and
    // is then refused as no regular file.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() > MAX_RECORD {
        return Ok(None);
    }
    let mut text = Vec::new();
    file.take(MAX_RECORD + 1).read_to_end(&mut text)?;
    Ok((text.len() as u64 <= MAX_RECORD).then_some(text))
}

/// Whether a record's part size makes a plan the service accepts for a file of `size`
/// bytes: parts of 100 KiB to 5 GiB, at most 10,000 of them. A record outside that was not
/// written by either library, and resuming it would plan (and allocate) a slot per part.
fn plan_fits(part_size: u64, size: u64) -> bool {
    (PART_SIZE_LOWER_LIMIT..=MAX_PART_SIZE).contains(&part_size)
        && size.div_ceil(part_size) <= u64::from(MAX_PART_NUMBER)
}

/// Writes the record whole or not at all: a crash mid-write leaves the old record or none,
/// never half of one.
fn write_record(path: &Path, record: &Record) -> io::Result<()> {
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let temporary = PathBuf::from(temporary);
    fs::write(&temporary, record.to_text())
        .and_then(|()| fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
}
