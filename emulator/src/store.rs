//! Buckets, objects and multipart uploads, in memory or under `--data-dir`.
//!
//! With a data directory every object is a data file plus a JSON metadata file named after the
//! MD5 of its key (keys may be longer than a file name), under `<dir>/<bucket>/`; they are
//! written to a temporary file first and renamed, and reloaded at start. Multipart uploads in
//! progress are kept there too (see [`uploads`]).

mod cors;
mod in_progress;
mod uploads;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use in_progress::InProgress;
pub(crate) use in_progress::Listed;
use md5::{Digest, Md5};
use ossffi::encoding::hex_lower;
use serde_json::{Value, json};

/// Metadata of a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub content_type: String,
    /// With its double quotes, as in the `ETag` header.
    pub etag: String,
    pub crc64: u64,
    /// Base64 MD5 of the body; empty for multipart objects.
    pub content_md5: String,
    pub size: u64,
    pub last_modified: i64,
    /// `x-oss-meta-*` headers, names lower-cased.
    pub user_meta: Vec<(String, String)>,
    /// Cache-Control, Content-Disposition, Content-Encoding, Expires, Content-Language as sent.
    pub http_headers: Vec<(String, String)>,
    /// `Normal` or `Multipart`.
    pub object_type: String,
    pub storage_class: String,
}

/// Where an object's bytes are.
#[derive(Debug, Clone)]
pub(crate) enum ObjectData {
    Memory(Arc<Vec<u8>>),
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub(crate) struct StoredObject {
    pub meta: ObjectMeta,
    pub data: ObjectData,
}

impl StoredObject {
    pub fn bytes(&self) -> io::Result<Vec<u8>> {
        match &self.data {
            ObjectData::Memory(v) => Ok(v.as_ref().clone()),
            ObjectData::File(p) => fs::read(p),
        }
    }
}

/// One uploaded part of a multipart upload.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub number: u32,
    pub md5: [u8; 16],
    pub crc64: u64,
    pub size: u64,
    pub last_modified: i64,
    /// `None` in sink mode.
    pub data: Option<ObjectData>,
}

impl Part {
    pub fn etag(&self) -> String {
        format!("\"{}\"", ossffi::encoding::hex_upper(&self.md5))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub bucket: String,
    pub key: String,
    pub content_type: String,
    pub user_meta: Vec<(String, String)>,
    pub http_headers: Vec<(String, String)>,
    pub storage_class: String,
    /// Unix seconds of InitiateMultipartUpload (ListMultipartUploads' `<Initiated>`).
    pub initiated: i64,
    /// Place among the uploads in order of initiation (several may start within one second);
    /// set by [`Store::add_upload`].
    pub order: u64,
    /// Initiated with `?sequential`: parts must arrive as 1, 2, 3, ... and none is replaced.
    pub sequential: bool,
    pub parts: BTreeMap<u32, Part>,
}

type Bucket = BTreeMap<String, Arc<StoredObject>>;

/// Storage classes a bucket is created with (PutBucket's `<StorageClass>`).
pub(crate) const BUCKET_STORAGE_CLASSES: &[&str] = &[
    "Standard",
    "IA",
    "Archive",
    "ColdArchive",
    "DeepColdArchive",
];
/// PutBucket's `<DataRedundancyType>`: locally or zone-redundant storage.
pub(crate) const DATA_REDUNDANCY_TYPES: &[&str] = &["LRS", "ZRS"];
/// Canned ACLs of a bucket (`x-oss-acl` on PutBucket and PutBucketAcl).
pub(crate) const BUCKET_ACLS: &[&str] = &["private", "public-read", "public-read-write"];

/// The entry of `allowed` equal to `value`.
pub(crate) fn known(allowed: &[&'static str], value: &str) -> Option<&'static str> {
    allowed.iter().copied().find(|a| *a == value)
}

/// What a bucket is, besides its objects: set by PutBucket (and PutBucketAcl for the ACL),
/// reported by ListBuckets and GetBucketAcl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BucketRecord {
    pub created: i64,
    /// One of [`BUCKET_STORAGE_CLASSES`].
    pub storage_class: &'static str,
    /// One of [`DATA_REDUNDANCY_TYPES`].
    pub data_redundancy: &'static str,
    /// One of [`BUCKET_ACLS`].
    pub acl: &'static str,
}

impl BucketRecord {
    /// A bucket created without a configuration body or `x-oss-acl`: Standard, LRS, private.
    pub fn new(created: i64) -> BucketRecord {
        BucketRecord {
            created,
            storage_class: "Standard",
            data_redundancy: "LRS",
            acl: "private",
        }
    }
}

/// With `--data-dir`, a bucket's record is kept in this file of its directory.
const BUCKET_RECORD_FILE: &str = ".bucket.json";

pub(crate) struct Store {
    buckets: RwLock<HashMap<String, Bucket>>,
    /// Taken before `buckets` whenever both are held, so the two maps change together.
    records: Mutex<HashMap<String, BucketRecord>>,
    uploads: Mutex<InProgress>,
    data_dir: Option<PathBuf>,
    next_temp: AtomicU64,
    cors: cors::BucketCors,
}

fn key_file_stem(key: &str) -> String {
    hex_lower(&Md5::digest(key.as_bytes()))
}

impl Store {
    pub fn new(data_dir: Option<PathBuf>) -> io::Result<Store> {
        let store = Store {
            buckets: RwLock::new(HashMap::new()),
            records: Mutex::new(HashMap::new()),
            uploads: Mutex::new(InProgress::default()),
            data_dir,
            next_temp: AtomicU64::new(0),
            cors: cors::BucketCors::default(),
        };
        if let Some(dir) = &store.data_dir {
            fs::create_dir_all(dir).map_err(|e| annotate(e, dir))?;
            store.load(dir)?;
        }
        Ok(store)
    }

    fn load(&self, dir: &Path) -> io::Result<()> {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let mut buckets = self.buckets.write().unwrap_or_else(|e| e.into_inner());
        for entry in fs::read_dir(dir).map_err(|e| annotate(e, dir))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !entry.file_type()?.is_dir() || !crate::route::valid_bucket_name(&name) {
                continue;
            }
            // A directory left by an emulator that kept no record was a default bucket.
            let record = read_bucket_record(&entry.path().join(BUCKET_RECORD_FILE))
                .unwrap_or_else(|| BucketRecord::new(0));
            records.insert(name.clone(), record);
            self.cors.load(&name, &entry.path());
            let mut in_progress = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
            for (id, upload) in uploads::load(&entry.path()) {
                if upload.bucket == name {
                    in_progress.insert(id, upload);
                }
            }
            drop(in_progress);
            let bucket = buckets.entry(name).or_default();
            for file in fs::read_dir(entry.path())? {
                let path = file?.path();
                if path.file_name().is_some_and(|n| n == BUCKET_RECORD_FILE) {
                    continue;
                }
                if path.extension().is_some_and(|e| e == "json")
                    && let Some((key, obj)) = read_meta_file(&path)
                {
                    bucket.insert(key, Arc::new(obj));
                }
            }
        }
        Ok(())
    }

    /// Creates a default bucket (Standard, LRS, private) unless it exists.
    pub fn create_bucket(&self, bucket: &str, now: i64) -> io::Result<()> {
        self.create_bucket_with(bucket, BucketRecord::new(now))
            .map(|_| ())
    }

    /// Creates a bucket with `record`, or, if it exists, leaves it unchanged and returns its
    /// record: the caller decides whether the request may go on to change it.
    pub fn create_bucket_with(
        &self,
        bucket: &str,
        record: BucketRecord,
    ) -> io::Result<Option<BucketRecord>> {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = records.get(bucket) {
            return Ok(Some(*existing));
        }
        if let Some(dir) = &self.data_dir {
            let path = dir.join(bucket);
            fs::create_dir_all(&path).map_err(|e| annotate(e, &path))?;
            write_bucket_record(&path.join(BUCKET_RECORD_FILE), &record)?;
        }
        self.buckets
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(bucket.to_string())
            .or_default();
        records.insert(bucket.to_string(), record);
        Ok(None)
    }

    /// The record of a bucket; `None` if it does not exist.
    pub fn bucket_record(&self, bucket: &str) -> Option<BucketRecord> {
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(bucket)
            .copied()
    }

    /// Sets a bucket's canned ACL; false if the bucket does not exist.
    pub fn set_bucket_acl(&self, bucket: &str, acl: &'static str) -> io::Result<bool> {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let Some(record) = records.get_mut(bucket) else {
            return Ok(false);
        };
        let changed = BucketRecord { acl, ..*record };
        if let Some(dir) = &self.data_dir {
            write_bucket_record(&dir.join(bucket).join(BUCKET_RECORD_FILE), &changed)?;
        }
        *record = changed;
        Ok(true)
    }

    pub fn bucket_exists(&self, bucket: &str) -> bool {
        self.buckets
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(bucket)
    }

    /// Removes an empty bucket. Objects and multipart uploads in progress keep it (OSS answers
    /// BucketNotEmpty for both), checked under the bucket lock so no object slips in between.
    pub fn delete_bucket(&self, bucket: &str) -> Result<(), DeleteBucketError> {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let mut buckets = self.buckets.write().unwrap_or_else(|e| e.into_inner());
        let objects = buckets.get(bucket).ok_or(DeleteBucketError::NoSuchBucket)?;
        let uploading = self
            .uploads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .any_in(bucket);
        if !objects.is_empty() || uploading {
            return Err(DeleteBucketError::NotEmpty);
        }
        if let Some(dir) = &self.data_dir {
            let path = dir.join(bucket);
            // Only the emulator's own files live there: the bucket record, none of objects once
            // the map is empty, at most temporary files of uploads that will now fail with
            // NoSuchBucket.
            match fs::remove_dir_all(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(DeleteBucketError::Io(annotate(e, &path)));
                }
                _ => {}
            }
        }
        buckets.remove(bucket);
        records.remove(bucket);
        // The directory is gone already; only the rules in memory are left to drop.
        let _ = self.delete_cors(bucket);
        Ok(())
    }

    /// Bucket names with their records, sorted by name.
    pub fn buckets(&self) -> Vec<(String, BucketRecord)> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let mut names: Vec<(String, BucketRecord)> = self
            .buckets
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .map(|b| {
                let record = records.get(b).copied();
                (b.clone(), record.unwrap_or_else(|| BucketRecord::new(0)))
            })
            .collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        names
    }

    pub fn get(&self, bucket: &str, key: &str) -> Option<Arc<StoredObject>> {
        self.buckets
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(bucket)?
            .get(key)
            .cloned()
    }

    pub fn exists(&self, bucket: &str, key: &str) -> bool {
        self.get(bucket, key).is_some()
    }

    /// Visits the keys (with metadata) of a bucket in order, from `after` (exclusive) on,
    /// starting with `prefix`, until `visit` returns false. Nothing is copied, so a listing
    /// costs memory for its page, not for the bucket. `visit` runs under the store's read
    /// lock and must not call back into the store.
    pub fn scan(
        &self,
        bucket: &str,
        prefix: &str,
        after: &str,
        mut visit: impl FnMut(&str, &ObjectMeta) -> bool,
    ) {
        use std::ops::Bound;
        let buckets = self.buckets.read().unwrap_or_else(|e| e.into_inner());
        let Some(objects) = buckets.get(bucket) else {
            return;
        };
        // The keys starting with the prefix are one run in key order: start at the run (or
        // after the marker, when that is later) and stop at its end.
        let start = if after >= prefix {
            Bound::Excluded(after)
        } else {
            Bound::Included(prefix)
        };
        for (key, object) in objects.range::<str, _>((start, Bound::Unbounded)) {
            if !key.starts_with(prefix) || !visit(key, &object.meta) {
                break;
            }
        }
    }

    /// A temporary file for a body being received, when objects live on disk.
    pub fn temp_file(&self, bucket: &str) -> Option<PathBuf> {
        let dir = self.data_dir.as_ref()?;
        let n = self.next_temp.fetch_add(1, Ordering::Relaxed);
        Some(
            dir.join(bucket)
                .join(format!(".tmp-{}-{n}", std::process::id())),
        )
    }

    /// Stores an object. With `forbid_overwrite`, fails (and stores nothing) if the key exists.
    pub fn put(
        &self,
        bucket: &str,
        key: &str,
        obj: StoredObject,
        forbid_overwrite: bool,
    ) -> Result<(), PutError> {
        let mut buckets = self.buckets.write().unwrap_or_else(|e| e.into_inner());
        let objects = buckets.get_mut(bucket).ok_or(PutError::NoSuchBucket)?;
        if forbid_overwrite && objects.contains_key(key) {
            discard(&obj.data);
            return Err(PutError::Exists);
        }
        let obj = match (&self.data_dir, obj.data) {
            (Some(dir), ObjectData::File(temp)) => {
                let stem = key_file_stem(key);
                let data_path = dir.join(bucket).join(format!("{stem}.data"));
                fs::rename(&temp, &data_path).map_err(PutError::Io)?;
                let stored = StoredObject {
                    meta: obj.meta,
                    data: ObjectData::File(data_path),
                };
                write_meta_file(
                    &dir.join(bucket).join(format!("{stem}.json")),
                    key,
                    &stored.meta,
                )
                .map_err(PutError::Io)?;
                stored
            }
            (_, data) => StoredObject {
                meta: obj.meta,
                data,
            },
        };
        objects.insert(key.to_string(), Arc::new(obj));
        Ok(())
    }

    /// Removes an object; true if it existed.
    pub fn delete(&self, bucket: &str, key: &str) -> bool {
        let mut buckets = self.buckets.write().unwrap_or_else(|e| e.into_inner());
        let Some(objects) = buckets.get_mut(bucket) else {
            return false;
        };
        let Some(old) = objects.remove(key) else {
            return false;
        };
        if let (Some(dir), ObjectData::File(path)) = (&self.data_dir, &old.data) {
            let _ = fs::remove_file(path);
            let _ = fs::remove_file(
                dir.join(bucket)
                    .join(format!("{}.json", key_file_stem(key))),
            );
        }
        true
    }

    /// Records a new upload (with `--data-dir`, on disk first).
    pub fn add_upload(&self, id: &str, mut upload: Upload) -> io::Result<()> {
        let mut uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        upload.order = uploads.next_order();
        if let Some(dir) = self.upload_dir(&upload.bucket, id) {
            uploads::write_record(&dir, &upload)?;
        }
        uploads.insert(id.to_string(), upload);
        Ok(())
    }

    fn upload_dir(&self, bucket: &str, id: &str) -> Option<PathBuf> {
        uploads::upload_dir(self.data_dir.as_ref()?, bucket, id)
    }

    /// With `--data-dir`, the file part `number` of upload `id` is to be kept in.
    pub fn part_file(
        &self,
        bucket: &str,
        id: &str,
        number: u32,
        md5: &[u8; 16],
    ) -> Option<PathBuf> {
        Some(uploads::part_path(
            &self.upload_dir(bucket, id)?,
            number,
            md5,
        ))
    }

    /// Like [`Store::with_upload`] for a change: with `--data-dir` the upload's record is
    /// rewritten afterwards, under the same lock.
    pub fn update_upload<R>(
        &self,
        id: &str,
        bucket: &str,
        key: &str,
        f: impl FnOnce(&mut Upload) -> R,
    ) -> Option<io::Result<R>> {
        let mut uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        let upload = uploads
            .get_mut(id)
            .filter(|u| u.bucket == bucket && u.key == key)?;
        let result = f(upload);
        Some(match self.upload_dir(bucket, id) {
            Some(dir) => uploads::write_record(&dir, upload).map(|()| result),
            None => Ok(result),
        })
    }

    /// Runs `f` on an upload of this bucket and key; `None` if there is no such upload.
    pub fn with_upload<R>(
        &self,
        id: &str,
        bucket: &str,
        key: &str,
        f: impl FnOnce(&mut Upload) -> R,
    ) -> Option<R> {
        let mut uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        let upload = uploads
            .get_mut(id)
            .filter(|u| u.bucket == bucket && u.key == key)?;
        Some(f(upload))
    }

    /// Runs `f` on the uploads in progress of `bucket` whose key starts with `prefix`, in the
    /// order ListMultipartUploads lists them (by key, then in order of initiation), from where
    /// its markers say (see [`InProgress::listing`]); under the lock, so `f` takes only what
    /// one page needs.
    pub fn list_uploads<R>(
        &self,
        bucket: &str,
        prefix: &str,
        (key_marker, id_marker): (&str, &str),
        f: impl FnOnce(&mut dyn Iterator<Item = Listed<'_>>) -> R,
    ) -> R {
        let uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut uploads.listing(bucket, prefix, key_marker, id_marker))
    }

    pub fn remove_upload(&self, id: &str, bucket: &str, key: &str) -> Option<Upload> {
        let mut uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        if uploads
            .get(id)
            .is_some_and(|u| u.bucket == bucket && u.key == key)
        {
            // The record goes first: parts left behind by a failure are never loaded again.
            if let Some(dir) = self.upload_dir(bucket, id) {
                let _ = fs::remove_dir_all(dir);
            }
            uploads.remove(id)
        } else {
            None
        }
    }
}

/// Removes a temporary file that will not be stored.
pub(crate) fn discard(data: &ObjectData) {
    if let ObjectData::File(p) = data {
        let _ = fs::remove_file(p);
    }
}

#[derive(Debug)]
pub(crate) enum DeleteBucketError {
    NoSuchBucket,
    NotEmpty,
    Io(io::Error),
}

#[derive(Debug)]
pub(crate) enum PutError {
    NoSuchBucket,
    Exists,
    Io(io::Error),
}

fn annotate(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn pairs(v: &[(String, String)]) -> Value {
    Value::Array(v.iter().map(|(n, x)| json!([n, x])).collect())
}

fn write_meta_file(path: &Path, key: &str, m: &ObjectMeta) -> io::Result<()> {
    let doc = json!({
        "key": key,
        "content_type": m.content_type,
        "etag": m.etag,
        "crc64": m.crc64.to_string(),
        "content_md5": m.content_md5,
        "size": m.size,
        "last_modified": m.last_modified,
        "user_meta": pairs(&m.user_meta),
        "http_headers": pairs(&m.http_headers),
        "object_type": m.object_type,
        "storage_class": m.storage_class,
    });
    fs::write(path, doc.to_string())
}

fn write_bucket_record(path: &Path, r: &BucketRecord) -> io::Result<()> {
    let doc = json!({
        "created": r.created,
        "storage_class": r.storage_class,
        "data_redundancy": r.data_redundancy,
        "acl": r.acl,
    });
    fs::write(path, doc.to_string()).map_err(|e| annotate(e, path))
}

/// A record written by [`write_bucket_record`]; `None` if missing or holding a value no
/// PutBucket could have set (the file may have been edited by hand).
fn read_bucket_record(path: &Path) -> Option<BucketRecord> {
    let doc: Value = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    let s = |name: &str| doc.get(name).and_then(Value::as_str);
    Some(BucketRecord {
        created: doc.get("created")?.as_i64()?,
        storage_class: known(BUCKET_STORAGE_CLASSES, s("storage_class")?)?,
        data_redundancy: known(DATA_REDUNDANCY_TYPES, s("data_redundancy")?)?,
        acl: known(BUCKET_ACLS, s("acl")?)?,
    })
}

/// The name/value pairs [`pairs`] wrote under `name`.
fn read_pairs(doc: &Value, name: &str) -> Vec<(String, String)> {
    doc.get(name)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some((
                        p.get(0)?.as_str()?.to_string(),
                        p.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn read_meta_file(path: &Path) -> Option<(String, StoredObject)> {
    let doc: Value = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    let s = |name: &str| doc.get(name).and_then(Value::as_str).map(str::to_string);
    let list = |name: &str| read_pairs(&doc, name);
    let meta = ObjectMeta {
        content_type: s("content_type")?,
        etag: s("etag")?,
        crc64: s("crc64")?.parse().ok()?,
        content_md5: s("content_md5").unwrap_or_default(),
        size: doc.get("size")?.as_u64()?,
        last_modified: doc.get("last_modified")?.as_i64()?,
        user_meta: list("user_meta"),
        http_headers: list("http_headers"),
        object_type: s("object_type").unwrap_or_else(|| "Normal".into()),
        storage_class: s("storage_class").unwrap_or_else(|| "Standard".into()),
    };
    // These are sent as response headers; a file edited to hold CR or LF would split them.
    let header_safe = [&meta.etag, &meta.object_type, &meta.storage_class]
        .iter()
        .all(|v| crate::ops::is_field_value(v));
    let data_path = path.with_extension("data");
    if !header_safe || !data_path.exists() {
        return None;
    }
    Some((
        s("key")?,
        StoredObject {
            meta,
            data: ObjectData::File(data_path),
        },
    ))
}
