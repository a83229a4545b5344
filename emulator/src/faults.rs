//! Fault injection switches, shared between the server threads and whoever drives the test.
//!
//! Counters count requests that carry authentication (a signature in a header or the query);
//! anything else, such as a receiver fetching the public key, is not affected.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::callback::Callbacker;
use crate::config::FaultSettings;

/// Runtime fault switches of a running emulator. Every method is safe to call from any thread.
pub struct Faults {
    fail_next: AtomicU32,
    fail_status: AtomicU32,
    drop_next: AtomicU32,
    /// Body bytes a dropped request reads first; `u64::MAX`: about half of its body.
    drop_after: AtomicU64,
    panic_next: AtomicU32,
    delay_ms: AtomicU64,
    wrong_crc_next: AtomicU32,
    wrong_crc_always: AtomicBool,
    part_faults: Mutex<Vec<PartFault>>,
    /// (remaining count, delay); a mutex keeps the pair consistent.
    stall_next: Mutex<(u32, Duration)>,
    spare_next: AtomicU32,
    seen: AtomicU64,
    callbacker: Arc<Callbacker>,
}

/// UploadPart requests for one part number that fail.
struct PartFault {
    part_number: u32,
    /// `u32::MAX`: until cleared.
    remaining: u32,
    status: u16,
}

/// The injected 500 or 503 status for any asked status.
fn fault_status(status: u16) -> u16 {
    if status == 500 { 500 } else { 503 }
}

/// The guarded values are always valid, so a panic elsewhere does not poison their meaning.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Decrements a counter if it is positive; true if a fault was taken.
fn take(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
        .is_ok()
}

impl Faults {
    pub(crate) fn new(settings: &FaultSettings, callbacker: Arc<Callbacker>) -> Faults {
        let faults = Faults {
            fail_next: AtomicU32::new(0),
            fail_status: AtomicU32::new(503),
            drop_next: AtomicU32::new(settings.drop_next),
            drop_after: AtomicU64::new(u64::MAX),
            panic_next: AtomicU32::new(0),
            delay_ms: AtomicU64::new(settings.delay.as_millis() as u64),
            wrong_crc_next: AtomicU32::new(settings.wrong_crc_next),
            wrong_crc_always: AtomicBool::new(settings.wrong_crc_always),
            part_faults: Mutex::new(Vec::new()),
            stall_next: Mutex::new((0, Duration::ZERO)),
            spare_next: AtomicU32::new(0),
            seen: AtomicU64::new(0),
            callbacker,
        };
        for &(part_number, times) in &settings.fail_parts {
            faults.fail_part(part_number, times, settings.fail_status);
        }
        if settings.fail_next > 0 {
            faults.fail_next(settings.fail_next, settings.fail_status);
        }
        if settings.callback_fail_next > 0 {
            faults.callback_fail_next(settings.callback_fail_next);
        }
        if settings.callback_stall_next > 0 {
            faults.callback_stall_next(settings.callback_stall_next, settings.callback_stall);
        }
        faults
    }

    /// The next `n` authenticated requests fail with `status` (500 InternalError or
    /// 503 ServiceUnavailable) before their body is read; nothing is stored.
    pub fn fail_next(&self, n: u32, status: u16) {
        self.fail_status
            .store(u32::from(fault_status(status)), Ordering::Release);
        self.fail_next.store(n, Ordering::Release);
    }

    /// The next `times` UploadPart requests (PUT with `partNumber` and `uploadId`) for part
    /// `part_number` fail with `status` (500 InternalError or 503 ServiceUnavailable) before
    /// their body is read; nothing is stored. `times == u32::MAX` fails them until
    /// [`Faults::clear_part_faults`]; `times == 0` disarms the part. Each part number is armed
    /// on its own: arming one again replaces its count and status, and other requests,
    /// including other parts of the same upload, are not affected. `fail_next` is taken first
    /// when both apply.
    pub fn fail_part(&self, part_number: u32, times: u32, status: u16) {
        let mut faults = lock(&self.part_faults);
        faults.retain(|f| f.part_number != part_number);
        if times > 0 {
            faults.push(PartFault {
                part_number,
                remaining: times,
                status: fault_status(status),
            });
        }
    }

    /// Disarms every [`Faults::fail_part`].
    pub fn clear_part_faults(&self) {
        self.part_faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The next `n` authenticated requests lose their connection: the server reads about half
    /// of the body (nothing if there is none) and closes without answering.
    pub fn drop_next(&self, n: u32) {
        self.drop_after.store(u64::MAX, Ordering::Release);
        self.drop_next.store(n, Ordering::Release);
    }

    /// As [`Faults::drop_next`], but the server reads only the first `bytes` of each body (all
    /// of a shorter one) before it closes: a reset early in a large body reaches a client that
    /// is still sending, whatever the kernel's socket buffers could have taken.
    pub fn drop_next_after(&self, n: u32, bytes: u64) {
        self.drop_after.store(bytes, Ordering::Release);
        self.drop_next.store(n, Ordering::Release);
    }

    /// The next `n` authenticated requests panic inside the request pipeline, as a bug in an
    /// operation would: the server must still answer (500 InternalError) and close the
    /// connection. For testing that boundary.
    pub fn panic_next(&self, n: u32) {
        self.panic_next.store(n, Ordering::Release);
    }

    /// Every response waits this long before it is written (zero turns delays off).
    pub fn set_delay(&self, delay: Duration) {
        self.delay_ms
            .store(delay.as_millis() as u64, Ordering::Release);
    }

    /// The next `n` authenticated requests are served as usual (an upload is stored, its
    /// callback made, the request journaled), then their answer waits `delay` before it is
    /// written: a reply lost to a client timeout after the server acted. Replaces any earlier
    /// count.
    pub fn stall_next(&self, n: u32, delay: Duration) {
        *lock(&self.stall_next) = (n, delay);
    }

    /// The next `n` authenticated requests are spared by the request faults (`fail_next`,
    /// `fail_part`, `drop_next`, `panic_next`, `stall_next`), which then hit the request after
    /// them: to aim a fault at the third request of an operation, spare two. Response faults
    /// (`wrong_crc_*`, delays) and callback faults are not affected.
    pub fn spare_next(&self, n: u32) {
        self.spare_next.store(n, Ordering::Release);
    }

    /// Authenticated requests received since the start, those closed by `drop_next` included
    /// (the journal has only the answered ones): how many attempts a client made.
    pub fn requests_seen(&self) -> u64 {
        self.seen.load(Ordering::Acquire)
    }

    /// The next `n` responses carrying `x-oss-hash-crc64ecma` carry a wrong value.
    pub fn wrong_crc_next(&self, n: u32) {
        self.wrong_crc_next.store(n, Ordering::Release);
    }

    /// Every response carrying `x-oss-hash-crc64ecma` carries a wrong value while on.
    pub fn set_wrong_crc_always(&self, on: bool) {
        self.wrong_crc_always.store(on, Ordering::Release);
    }

    /// The next `n` upload callbacks fail (203 CallbackFailed) without contacting the receiver.
    pub fn callback_fail_next(&self, n: u32) {
        self.callbacker.fail_next(n);
    }

    /// The next `n` upload callbacks wait `delay` first; at 5 s or more they time out.
    pub fn callback_stall_next(&self, n: u32, delay: Duration) {
        self.callbacker.stall_next(n, delay);
    }

    /// Turns every fault off, part faults included (callback faults already armed stay armed).
    pub fn clear(&self) {
        self.clear_part_faults();
        self.fail_next.store(0, Ordering::Release);
        self.drop_next.store(0, Ordering::Release);
        self.panic_next.store(0, Ordering::Release);
        self.delay_ms.store(0, Ordering::Release);
        self.wrong_crc_next.store(0, Ordering::Release);
        self.wrong_crc_always.store(false, Ordering::Release);
        self.stall_next(0, Duration::ZERO);
        self.spare_next.store(0, Ordering::Release);
    }

    /// Counts an authenticated request; true if it is spared by the request faults.
    pub(crate) fn note_request(&self) -> bool {
        self.seen.fetch_add(1, Ordering::AcqRel);
        take(&self.spare_next)
    }

    /// How long the answer to this request must wait, if it is stalled.
    pub(crate) fn take_stall(&self) -> Option<Duration> {
        let mut stall = lock(&self.stall_next);
        (stall.0 > 0).then(|| {
            stall.0 -= 1;
            stall.1
        })
    }

    /// Whether a stall is armed (the request must then run where it may sleep).
    pub(crate) fn stall_armed(&self) -> bool {
        lock(&self.stall_next).0 > 0
    }

    pub(crate) fn take_fail(&self) -> Option<u16> {
        take(&self.fail_next).then(|| self.fail_status.load(Ordering::Acquire) as u16)
    }

    /// The status to fail an UploadPart for `part_number` with, if that part is armed.
    pub(crate) fn take_part_fail(&self, part_number: u32) -> Option<u16> {
        let mut faults = self.part_faults.lock().unwrap_or_else(|e| e.into_inner());
        let at = faults.iter().position(|f| f.part_number == part_number)?;
        let fault = &mut faults[at];
        let status = fault.status;
        if fault.remaining != u32::MAX {
            fault.remaining -= 1;
            if fault.remaining == 0 {
                faults.swap_remove(at);
            }
        }
        Some(status)
    }

    /// If this request must be dropped: how many body bytes to read first (`u64::MAX`: half).
    pub(crate) fn take_drop(&self) -> Option<u64> {
        take(&self.drop_next).then(|| self.drop_after.load(Ordering::Acquire))
    }

    pub(crate) fn take_panic(&self) -> bool {
        take(&self.panic_next)
    }

    pub(crate) fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms.load(Ordering::Acquire))
    }

    /// Whether the CRC header of this response must be falsified.
    pub(crate) fn take_wrong_crc(&self) -> bool {
        self.wrong_crc_always.load(Ordering::Acquire) || take(&self.wrong_crc_next)
    }
}
