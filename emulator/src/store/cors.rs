//! Each bucket's CORS rules (PutBucketCors). With `--data-dir` the document PutBucketCors stored
//! is kept as `<dir>/<bucket>/.cors.xml` and parsed again at start.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::{Store, annotate};
use crate::ops::cors::{CorsConfiguration, parse_cors};

const CORS_FILE: &str = ".cors.xml";

#[derive(Default)]
pub(crate) struct BucketCors {
    rules: Mutex<HashMap<String, Arc<CorsConfiguration>>>,
    /// Whether any bucket has rules: every answer asks, and almost always none has.
    any: AtomicBool,
}

impl BucketCors {
    /// Loads the rules a bucket directory kept; a file that no longer parses is left out.
    pub(super) fn load(&self, bucket: &str, bucket_dir: &Path) {
        let Ok(xml) = fs::read(bucket_dir.join(CORS_FILE)) else {
            return;
        };
        if let Ok(config) = parse_cors(&xml) {
            let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
            rules.insert(bucket.to_string(), Arc::new(config));
            self.any.store(true, Ordering::Relaxed);
        }
    }
}

impl Store {
    /// Replaces a bucket's rules with `config`, parsed from `xml`; false if the bucket does not
    /// exist.
    ///
    /// The bucket lock is never taken while the rules lock is held: DeleteBucket takes them the
    /// other way round. So the bucket is checked before, and again after, the rules change.
    pub fn set_cors(
        &self,
        bucket: &str,
        config: CorsConfiguration,
        xml: &[u8],
    ) -> io::Result<bool> {
        if !self.bucket_exists(bucket) {
            return Ok(false);
        }
        if let Some(dir) = &self.data_dir {
            let path = dir.join(bucket).join(CORS_FILE);
            match fs::write(&path, xml) {
                // Deleted meanwhile, with its directory.
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
                Err(e) => return Err(annotate(e, &path)),
                Ok(()) => {}
            }
        }
        {
            let mut rules = self.cors.rules.lock().unwrap_or_else(|e| e.into_inner());
            rules.insert(bucket.to_string(), Arc::new(config));
            self.cors.any.store(true, Ordering::Relaxed);
        }
        if !self.bucket_exists(bucket) {
            self.delete_cors(bucket)?;
            return Ok(false);
        }
        Ok(true)
    }

    pub fn cors(&self, bucket: &str) -> Option<Arc<CorsConfiguration>> {
        if !self.has_cors() {
            return None;
        }
        let rules = self.cors.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.get(bucket).cloned()
    }

    pub fn delete_cors(&self, bucket: &str) -> io::Result<()> {
        let mut rules = self.cors.rules.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(dir) = &self.data_dir {
            let path = dir.join(bucket).join(CORS_FILE);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(annotate(e, &path)),
                _ => {}
            }
        }
        rules.remove(bucket);
        self.cors.any.store(!rules.is_empty(), Ordering::Relaxed);
        Ok(())
    }

    pub fn has_cors(&self) -> bool {
        self.cors.any.load(Ordering::Relaxed)
    }
}
