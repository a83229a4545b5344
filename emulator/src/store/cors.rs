//! Each bucket's CORS rules (PutBucketCors). They live in memory only, also with
//! `--data-dir`: a restarted emulator has none until a client puts them again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::Store;
use crate::ops::cors::CorsConfiguration;

#[derive(Default)]
pub(crate) struct BucketCors {
    rules: Mutex<HashMap<String, Arc<CorsConfiguration>>>,
    /// Whether any bucket has rules: every answer asks, and almost always none has.
    any: AtomicBool,
}

impl Store {
    /// Replaces a bucket's rules; false if the bucket does not exist.
    pub fn set_cors(&self, bucket: &str, config: CorsConfiguration) -> bool {
        let mut rules = self.cors.rules.lock().unwrap_or_else(|e| e.into_inner());
        if !self.bucket_exists(bucket) {
            return false;
        }
        rules.insert(bucket.to_string(), Arc::new(config));
        self.cors.any.store(true, Ordering::Relaxed);
        true
    }

    pub fn cors(&self, bucket: &str) -> Option<Arc<CorsConfiguration>> {
        if !self.has_cors() {
            return None;
        }
        let rules = self.cors.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.get(bucket).cloned()
    }

    pub fn delete_cors(&self, bucket: &str) {
        let mut rules = self.cors.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.remove(bucket);
        self.cors.any.store(!rules.is_empty(), Ordering::Relaxed);
    }

    pub fn has_cors(&self) -> bool {
        self.cors.any.load(Ordering::Relaxed)
    }
}
