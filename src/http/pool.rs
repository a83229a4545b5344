//! Idle keep-alive connections, per target, shared by the threads of one client.

use std::collections::HashMap;
use std::sync::Mutex;

use super::stream::Stream;
use super::{Proxy, Target};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct PoolKey {
    target: Target,
    proxy: Option<Target>,
}

impl PoolKey {
    pub(super) fn new(target: &Target, proxy: Option<&Proxy>) -> Self {
        Self {
            target: target.clone(),
            proxy: proxy.map(|p| p.target.clone()),
        }
    }
}

pub(super) struct Pool {
    max_idle_per_target: usize,
    idle: Mutex<HashMap<PoolKey, Vec<Stream>>>,
}

impl Pool {
    pub(super) fn new(max_idle_per_target: usize) -> Self {
        Self {
            max_idle_per_target,
            idle: Mutex::new(HashMap::new()),
        }
    }

    /// The most recently used idle connection that the server has not closed meanwhile. The
    /// probe (one non-blocking peek) runs outside the lock, so threads sharing a client do not
    /// wait on each other's probes.
    pub(super) fn take(&self, key: &PoolKey) -> Option<Stream> {
        loop {
            let candidate = {
                let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
                idle.get_mut(key)?.pop()?
            };
            if candidate.is_reusable() {
                return Some(candidate);
            }
        }
    }

    pub(super) fn put(&self, key: PoolKey, stream: Stream) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let streams = idle.entry(key).or_default();
        if streams.len() < self.max_idle_per_target {
            streams.push(stream);
        }
    }
}
