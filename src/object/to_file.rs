//! GetObject into a file that is replaced only by a complete, checked download.

use std::cell::RefCell;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::request::Verb;
use super::{ObjectMeta, ObjectRequest, declare};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::operation::Operation;
use crate::put_object::ProgressFn;

impl Client {
    /// Downloads the object into the file at `path`. The bytes go to a temporary file beside
    /// it, which replaces `path` only once the whole body arrived and its CRC-64 matched; on any
    /// failure the temporary file is removed and `path` is left as it was. Because the
    /// temporary file can start over, a download that breaks off is retried like any request;
    /// `progress` then counts the new attempt's bytes from zero.
    ///
    /// A `path` that exists and is not a regular file (`/dev/null`, a FIFO) is written in place,
    /// and then a download that broke off after some bytes is not retried.
    ///
    /// # Errors
    /// As [`Client::get_object`]; a file that cannot be created, written or renamed is
    /// `ClientError:200023` ([`ErrorKind::Io`]) naming the path.
    pub fn get_object_to_file(
        &self,
        request: &ObjectRequest,
        path: &Path,
        progress: Option<&mut ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        self.download_to_file(request, Verb::GetObject, path, progress)
    }

    /// GetObject into a file, as `verb` (GetObject or GetObjectByUrl).
    pub(super) fn download_to_file(
        &self,
        request: &ObjectRequest,
        verb: Verb,
        path: &Path,
        progress: Option<&mut ProgressFn<'_>>,
    ) -> Result<ObjectMeta, Error> {
        // A symbolic link's target is what gets replaced; the link itself stays.
        let resolved = match fs::symlink_metadata(path) {
            Ok(link) if link.file_type().is_symlink() => fs::canonicalize(path).ok(),
            _ => None,
        };
        let path = resolved.as_deref().unwrap_or(path);
        let existing = fs::metadata(path).ok();
        if let Some(existing) = existing.as_ref().filter(|m| !m.is_file()) {
            if existing.is_dir() {
                return Err(file_error(path, "is a directory", None));
            }
            let mut file = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| file_error(path, "cannot be opened for writing", Some(e)))?;
            return self.download(request, verb, &mut file, progress);
        }
        let declared = declare(request, verb, "GET")?;
        let (temp, file) = TempFile::beside(path)?;
        let file = RefCell::new(file);
        let mut writer = SharedFile(&file);
        let mut rewind = || {
            let mut file = file.borrow_mut();
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0)).map(drop)
        };
        let response = self.invoke(Operation {
            check_crc64: request.check_crc64,
            reply: Some(&mut writer),
            rewind_reply: Some(&mut rewind),
            progress,
            ..declared
        })?;
        if let Some(existing) = existing {
            // The replacement keeps the permissions the file had, as writing into it would.
            let _ = fs::set_permissions(&temp.path, existing.permissions());
        }
        temp.persist(path)?;
        Ok(super::get::object_meta(response))
    }
}

/// A `Write` over a file that the rewind callback also reaches.
struct SharedFile<'f>(&'f RefCell<File>);

impl Write for SharedFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// A file created next to the target, removed when dropped unless persisted.
struct TempFile {
    path: PathBuf,
    persisted: bool,
}

impl TempFile {
    /// Beside `target`, so that the final rename stays within one file system.
    fn beside(target: &Path) -> Result<(TempFile, File), Error> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = target
            .file_name()
            .ok_or_else(|| file_error(target, "does not name a file", None))?;
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(
            ".{}-{}.ossffi-part",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let path = dir.join(temp_name);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                file_error(
                    target,
                    &format!("cannot get a temporary file in {}", dir.display()),
                    Some(e),
                )
            })?;
        let temp = TempFile {
            path,
            persisted: false,
        };
        Ok((temp, file))
    }

    fn persist(mut self, target: &Path) -> Result<(), Error> {
        fs::rename(&self.path, target).map_err(|e| {
            file_error(
                target,
                &format!("cannot be replaced by {}", self.path.display()),
                Some(e),
            )
        })?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The SDK's code for a download that could not be written, with the path and the reason.
fn file_error(path: &Path, what: &str, error: Option<io::Error>) -> Error {
    let detail = match error {
        Some(error) => format!("{} {what}: {error}", path.display()),
        None => format!("{} {what}", path.display()),
    };
    Error::new(
        ErrorKind::Io,
        "ClientError:200023",
        format!("Failed writing received data to disk/application. ({detail})"),
    )
}
