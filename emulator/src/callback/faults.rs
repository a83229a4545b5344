//! Injected callback faults: make the next callbacks fail or stall, to test how uploaders
//! handle 203 CallbackFailed and slow receivers.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// What the next callback should suffer, decided once per callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Fail without contacting the receiver.
    Fail,
    /// Wait this long before contacting the receiver; the wait counts against the timeout.
    Stall(Duration),
}

/// Counters shared by all upload threads.
#[derive(Debug, Default)]
pub struct CallbackFaults {
    fail_next: AtomicU32,
    /// (remaining count, delay); a mutex keeps the pair consistent.
    stall_next: Mutex<(u32, Duration)>,
}

impl CallbackFaults {
    /// The next `n` callbacks fail without contacting the receiver (replaces any earlier count).
    pub fn fail_next(&self, n: u32) {
        self.fail_next.store(n, Ordering::SeqCst);
    }

    /// The next `n` callbacks wait `delay` first (replaces any earlier count).
    pub fn stall_next(&self, n: u32, delay: Duration) {
        *self.stall_lock() = (n, delay);
    }

    /// Takes the fault for one callback; failing wins over stalling when both are armed.
    pub fn take(&self) -> Fault {
        let failed = self
            .fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if failed {
            return Fault::Fail;
        }
        let mut stall = self.stall_lock();
        if stall.0 > 0 {
            stall.0 -= 1;
            return Fault::Stall(stall.1);
        }
        Fault::None
    }

    fn stall_lock(&self) -> std::sync::MutexGuard<'_, (u32, Duration)> {
        // The guarded pair is always valid, so a panic elsewhere does not poison its meaning.
        self.stall_next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
