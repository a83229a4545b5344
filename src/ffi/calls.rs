//! Asynchronous calls: any operation submitted to the client's bounded pool, a completion
//! callback when it ends, and a handle to wait for it, cancel it or take its outcome.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use super::boundary::{ffi_boundary, free_raw, into_raw, try_mut, try_ref};
use super::client::{ossffi_client, ossffi_client_config};
use super::error::ossffi_error;
use super::operations::{
    ossffi_client_delete_object, ossffi_client_delete_objects, ossffi_client_get_object,
    ossffi_client_get_object_meta, ossffi_client_head_object, ossffi_client_list_objects,
};
use super::put::{ossffi_client_put_object, ossffi_put_request, ossffi_put_result};
use super::request::ossffi_request;
use super::response::ossffi_response;
use super::result::ossffi_result;
use crate::cancel;
use crate::error::ObjectStored;
use crate::pool::{Pool, Refused, Run, Ticket, WhenFull};

/// What a submission does when the client's async queue is full (passed as `uint32_t`).
// Only C sees these values; cbindgen exports the enum.
#[allow(non_camel_case_types, dead_code)]
#[repr(u32)]
pub enum ossffi_when_full {
    /// Wait for room in the queue. On one of the client's own pool threads (in a completion
    /// callback) a full queue is `OSSFFI_RESULT_QUEUE_FULL` instead: that thread waiting would
    /// keep the queue full.
    Block = 0,
    /// Return `OSSFFI_RESULT_QUEUE_FULL` at once.
    Fail = 1,
}

/// The operations `ossffi_client_submit` runs (passed as `uint32_t`); each is the verb of the
/// same name (`OSSFFI_OPERATION_GET_OBJECT` runs what `ossffi_client_get_object` runs).
// Only C sees these values; cbindgen exports the enum.
#[allow(non_camel_case_types, dead_code)]
#[repr(u32)]
pub enum ossffi_operation {
    GetObject = 0,
    HeadObject = 1,
    GetObjectMeta = 2,
    DeleteObject = 3,
    DeleteObjects = 4,
    ListObjects = 5,
    InitiateMultipartUpload = 6,
    UploadPart = 7,
    UploadPartCopy = 8,
    CompleteMultipartUpload = 9,
    AbortMultipartUpload = 10,
    ListParts = 11,
    PutObjectByUrl = 12,
    GetObjectByUrl = 13,
}

type Verb = unsafe extern "C" fn(
    *const ossffi_client,
    *const ossffi_request,
    *mut *mut ossffi_response,
    *mut *mut ossffi_error,
) -> ossffi_result;

fn verb(operation: u32) -> Option<Verb> {
    use super::by_url::{ossffi_client_get_object_by_url, ossffi_client_put_object_by_url};
    use super::multipart::{
        ossffi_client_abort_multipart_upload, ossffi_client_complete_multipart_upload,
        ossffi_client_initiate_multipart_upload, ossffi_client_list_parts,
        ossffi_client_upload_part, ossffi_client_upload_part_copy,
    };
    Some(match operation {
        0 => ossffi_client_get_object,
        1 => ossffi_client_head_object,
        2 => ossffi_client_get_object_meta,
        3 => ossffi_client_delete_object,
        4 => ossffi_client_delete_objects,
        5 => ossffi_client_list_objects,
        6 => ossffi_client_initiate_multipart_upload,
        7 => ossffi_client_upload_part,
        8 => ossffi_client_upload_part_copy,
        9 => ossffi_client_complete_multipart_upload,
        10 => ossffi_client_abort_multipart_upload,
        11 => ossffi_client_list_parts,
        12 => ossffi_client_put_object_by_url,
        13 => ossffi_client_get_object_by_url,
        _ => return None,
    })
}

/// Called once when an asynchronous call ends, successfully or not (cancelled included), with
/// the call; take its outcome with `ossffi_call_take_response` (`_take_put_result` for
/// PutObject) and `ossffi_call_take_error`. `call` is valid only during the callback (keep the
/// handle `ossffi_client_submit` gave to use it later). It runs on one of the client's pool
/// threads, or, for a call cancelled before it started, on the thread that cancelled it; it
/// must not unwind (C++: catch everything).
#[allow(non_camel_case_types)]
pub type ossffi_completion_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, call: *mut ossffi_call)>;

/// A task for `ossffi_client_execute`: called once with `cancelled` 0 on a pool thread, or with
/// 1 on the thread that cancelled it before it started (`ossffi_client_cancel_all`).
#[allow(non_camel_case_types)]
pub type ossffi_task_fn = Option<unsafe extern "C" fn(userdata: *mut c_void, cancelled: u32)>;

/// An asynchronous call: its outcome once it ends, and the means to wait for it or cancel it.
/// Free the handle with `ossffi_call_free` (the call itself goes on; freeing the handle only
/// gives up the means to wait for it and its untaken outcome). Thread-safe.
#[allow(non_camel_case_types)]
pub struct ossffi_call {
    state: Arc<CallState>,
}

pub(crate) struct CallState {
    /// Set by `ossffi_call_cancel`.
    cancelled: AtomicBool,
    /// The client's `cancel_epoch`, and its value when the call was submitted: a change means
    /// `ossffi_client_cancel_all` was called since.
    client_epoch: Arc<AtomicU64>,
    epoch: u64,
    /// Where the call waits until a thread takes it, to cancel it there.
    queued: Mutex<Option<(Weak<Pool>, Ticket)>>,
    outcome: Mutex<Outcome>,
    finished: Condvar,
}

#[derive(Default)]
struct Outcome {
    /// Set once the completion callback has returned.
    done: bool,
    /// Threads in `ossffi_call_wait`: the call signals `finished` only when there are some.
    waiters: usize,
    result: Option<ossffi_result>,
    response: Option<Box<ossffi_response>>,
    put_result: Option<Box<ossffi_put_result>>,
    error: Option<Box<ossffi_error>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Raw pointers a job carries to its pool thread. The caller of `ossffi_client_submit` hands the
/// request over and promises, as the documentation says, that its callbacks and userdata may be
/// used from the pool's threads.
struct ToPool<T>(T);
// SAFETY: see above; the request is owned by the job, and the callbacks are documented to run
// on pool threads.
unsafe impl<T> Send for ToPool<T> {}

impl CallState {
    fn new(client: &ossffi_client) -> Arc<Self> {
        Arc::new(Self {
            cancelled: AtomicBool::new(false),
            client_epoch: Arc::clone(&client.cancel_epoch),
            epoch: client.cancel_epoch.load(Ordering::Acquire),
            queued: Mutex::new(None),
            outcome: Mutex::new(Outcome::default()),
            finished: Condvar::new(),
        })
    }

    /// Stores the outcome, calls `done` with a handle, then marks the call done.
    fn complete(self: &Arc<Self>, made: Made, done: ossffi_completion_fn, userdata: *mut c_void) {
        lock(&self.queued).take();
        {
            let mut outcome = lock(&self.outcome);
            outcome.result = Some(made.result);
            // SAFETY: each pointer is NULL or came from into_raw in the operation just run.
            unsafe {
                outcome.response = (!made.response.is_null()).then(|| Box::from_raw(made.response));
                outcome.put_result =
                    (!made.put_result.is_null()).then(|| Box::from_raw(made.put_result));
                outcome.error = (!made.error.is_null()).then(|| Box::from_raw(made.error));
            }
        }
        if let Some(done) = done {
            let mut handle = ossffi_call {
                state: Arc::clone(self),
            };
            // SAFETY: the submitter keeps `done` valid for `userdata`.
            unsafe { done(userdata, &mut handle) };
        }
        let mut outcome = lock(&self.outcome);
        outcome.done = true;
        if outcome.waiters > 0 {
            self.finished.notify_all();
        }
    }
}

impl cancel::Flag for CallState {
    fn is_set(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
            || self.client_epoch.load(Ordering::Acquire) != self.epoch
    }
}

/// The error of a call cancelled before it started, as C sees it.
fn cancelled_before_start() -> *mut ossffi_error {
    into_raw(ossffi_error::new(cancel::cancelled(
        "before it started; nothing was sent",
        ObjectStored::No,
    )))
}

fn when_full(value: u32) -> Option<WhenFull> {
    match value {
        0 => Some(WhenFull::Block),
        1 => Some(WhenFull::Fail),
        _ => None,
    }
}

/// Queues `job` on the client's pool for `state`'s call.
fn enqueue(
    client: &ossffi_client,
    state: &Arc<CallState>,
    job: crate::pool::Job,
    when_full: WhenFull,
) -> Result<(), ossffi_result> {
    // The ticket is stored under the lock the job's completion takes, so a cancel between the
    // submission and this store cannot miss a queued job.
    let mut queued = lock(&state.queued);
    match client.pool.submit(job, when_full) {
        Ok(ticket) => {
            *queued = Some((Arc::downgrade(&client.pool), ticket));
            Ok(())
        }
        Err(Refused::Full(_)) => Err(ossffi_result::QueueFull),
        Err(Refused::Closed(_)) => Err(ossffi_result::ClientClosing),
    }
}

/// What a call's operation made: its result and the objects it handed over.
struct Made {
    result: ossffi_result,
    response: *mut ossffi_response,
    put_result: *mut ossffi_put_result,
    error: *mut ossffi_error,
}

/// The job of one call: `run` the operation on `request` on a pool thread (unless cancelled
/// first), free the request, store the outcome and call `done`. Queues it and hands the caller
/// a handle.
///
/// # Safety
/// As for `ossffi_client_submit`; `request` is not NULL.
unsafe fn submit_call<R: 'static>(
    client: &ossffi_client,
    request: *mut R,
    run: impl FnOnce(&ossffi_client, *mut R, &mut Made) + 'static,
    done: ossffi_completion_fn,
    userdata: *mut c_void,
    when_full: WhenFull,
    call_out: *mut *mut ossffi_call,
) -> ossffi_result {
    let state = CallState::new(client);
    let carried = ToPool((client.clone(), request, run, done, userdata));
    let job_state = Arc::clone(&state);
    let job: crate::pool::Job = Box::new(move |how| {
        // The whole wrapper moves in (a closure would otherwise capture its fields).
        let carried = carried;
        let ToPool((client, request, run, done, userdata)) = carried;
        let mut made = Made {
            result: ossffi_result::Cancelled,
            response: std::ptr::null_mut(),
            put_result: std::ptr::null_mut(),
            error: std::ptr::null_mut(),
        };
        if how == Run::Normal && !cancel::Flag::is_set(&*job_state) {
            let _watch = cancel::Watch::new(Arc::clone(&job_state) as Arc<dyn cancel::Flag>);
            run(&client, request, &mut made);
        } else {
            made.error = cancelled_before_start();
        }
        // SAFETY: the request came from the caller, who handed it over.
        unsafe { free_raw(request) };
        drop(client);
        job_state.complete(made, done, userdata);
    });
    if let Err(refused) = enqueue(client, &state, job, when_full) {
        return refused;
    }
    if !call_out.is_null() {
        unsafe { *call_out = into_raw(ossffi_call { state }) };
    }
    ossffi_result::Ok
}

/// Submits `operation` on `request` to the client's async pool and returns at once; the
/// operation runs on one of the pool's threads (`ossffi_client_config_set_async_threads`) and
/// `done(userdata, call)` is called once when it ends.
///
/// On `OSSFFI_RESULT_OK` the request belongs to the call (it is freed after the call ends: do not
/// use or free it) and `*call_out`, when `call_out` is not NULL, receives a handle to free with
/// `ossffi_call_free`. On any other result nothing was submitted, the request is still the
/// caller's and `done` is never called: `OSSFFI_RESULT_QUEUE_FULL` (the queue is full and
/// `when_full` is `OSSFFI_WHEN_FULL_FAIL`, or this is a pool thread), `OSSFFI_RESULT_CLIENT_CLOSING`
/// (the client is being freed), `OSSFFI_RESULT_INVALID_ARGUMENT` (an unknown operation or
/// `when_full`), `OSSFFI_RESULT_NULL_PARAMETER`.
///
/// The request's callbacks (body reads, output writes, progress) and the client's credentials
/// callback run on the pool thread, as does `done`. Cancelling a running call
/// (`ossffi_call_cancel`) stops it at its next chunk sent or received.
///
/// # Safety
/// `client` is NULL or live; `request` is NULL or a live request not used elsewhere from now on;
/// `done` (may be NULL) and the request's callbacks are valid for their userdata until `done`
/// has returned, and may be called from another thread; `call_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_submit(
    client: *const ossffi_client,
    operation: u32,
    request: *mut ossffi_request,
    done: ossffi_completion_fn,
    userdata: *mut c_void,
    when_full: u32,
    call_out: *mut *mut ossffi_call,
) -> ossffi_result {
    ffi_boundary! {
        if !call_out.is_null() {
            unsafe { *call_out = std::ptr::null_mut() };
        }
        let client = try_ref!(client);
        if request.is_null() {
            return ossffi_result::NullParameter;
        }
        let (Some(verb), Some(when_full)) = (verb(operation), self::when_full(when_full)) else {
            return ossffi_result::InvalidArgument;
        };
        let run = move |client: &ossffi_client, request: *mut ossffi_request, made: &mut Made| {
            // SAFETY: the request is the job's, the client a live clone.
            made.result = unsafe { verb(client, request, &mut made.response, &mut made.error) };
        };
        unsafe { submit_call(client, request, run, done, userdata, when_full, call_out) }
    }
}

/// `ossffi_client_submit` for PutObject, whose request is an `ossffi_put_request`: the same
/// rules, and the outcome is taken with `ossffi_call_take_put_result`.
///
/// # Safety
/// As for `ossffi_client_submit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_submit_put_object(
    client: *const ossffi_client,
    request: *mut ossffi_put_request,
    done: ossffi_completion_fn,
    userdata: *mut c_void,
    when_full: u32,
    call_out: *mut *mut ossffi_call,
) -> ossffi_result {
    ffi_boundary! {
        if !call_out.is_null() {
            unsafe { *call_out = std::ptr::null_mut() };
        }
        let client = try_ref!(client);
        if request.is_null() {
            return ossffi_result::NullParameter;
        }
        let Some(when_full) = self::when_full(when_full) else {
            return ossffi_result::InvalidArgument;
        };
        let run = |client: &ossffi_client, request: *mut ossffi_put_request, made: &mut Made| {
            // SAFETY: the request is the job's, the client a live clone.
            made.result = unsafe { ossffi_client_put_object(client, request, &mut made.put_result, &mut made.error) };
        };
        unsafe { submit_call(client, request, run, done, userdata, when_full, call_out) }
    }
}

/// Runs `task(userdata, 0)` once on one of the client's pool threads: the primitive an
/// executor (the C++ layer's `*Async` and `*Callable`) is built on. A task cancelled before it
/// started (`ossffi_client_cancel_all`) is called once with `cancelled` 1 instead, on the
/// cancelling thread, so its owner can release what `userdata` holds. Results and when the
/// task is never called: as for `ossffi_client_submit`.
///
/// # Safety
/// `client` is NULL or live; `task` is valid for `userdata` and may be called from another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_execute(
    client: *const ossffi_client,
    task: ossffi_task_fn,
    userdata: *mut c_void,
    when_full: u32,
) -> ossffi_result {
    ffi_boundary! {
        let client = try_ref!(client);
        let Some(task) = task else {
            return ossffi_result::NullParameter;
        };
        let Some(when_full) = self::when_full(when_full) else {
            return ossffi_result::InvalidArgument;
        };
        let carried = ToPool(userdata);
        let job: crate::pool::Job = Box::new(move |run| {
            let carried = carried;
            let ToPool(userdata) = carried;
            // SAFETY: the caller keeps `task` valid for `userdata`.
            unsafe { task(userdata, u32::from(run == Run::Cancelled)) };
        });
        match client.pool.submit(job, when_full) {
            Ok(_) => ossffi_result::Ok,
            Err(Refused::Full(_)) => ossffi_result::QueueFull,
            Err(Refused::Closed(_)) => ossffi_result::ClientClosing,
        }
    }
}

/// Cancels every call and task of the client: those still queued complete at once, on this
/// thread, cancelled (`OSSFFI_RESULT_CANCELLED`, nothing sent); those running stop at their next
/// chunk sent or received. Calls submitted afterwards are not affected. NULL is a no-op.
///
/// # Safety
/// `client` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_cancel_all(client: *const ossffi_client) {
    ffi_boundary! {
        let Some(client) = (unsafe { client.as_ref() }) else { return };
        // Running calls first, so none of them is missed while the queued ones complete.
        client.cancel_epoch.fetch_add(1, Ordering::AcqRel);
        for job in client.pool.take_all() {
            job(Run::Cancelled);
        }
    }
}

/// Cancels the call. Queued, it completes at once on this thread with
/// `OSSFFI_RESULT_CANCELLED` and nothing sent; running, it stops at its next chunk sent or
/// received (`OSSFFI_RESULT_CANCELLED`; `ossffi_error_object_stored` says whether an upload may
/// have been stored); done, nothing changes. Returns `OSSFFI_RESULT_OK`, or
/// `OSSFFI_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `call` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_cancel(call: *const ossffi_call) -> ossffi_result {
    ffi_boundary! {
        let call = try_ref!(call);
        call.state.cancelled.store(true, Ordering::Release);
        let queued = lock(&call.state.queued).take();
        if let Some((pool, ticket)) = queued
            && let Some(pool) = pool.upgrade()
            && let Some(job) = pool.take(ticket)
        {
            job(Run::Cancelled);
        }
        ossffi_result::Ok
    }
}

/// Waits until the call is done (its completion callback has returned), at most `timeout_ms`
/// milliseconds (`UINT64_MAX`: no limit). Returns `OSSFFI_RESULT_OK` once done,
/// `OSSFFI_RESULT_TIMEOUT` otherwise. Waiting in the call's own completion callback would never
/// end: it returns `OSSFFI_RESULT_TIMEOUT` after the timeout there too.
///
/// # Safety
/// `call` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_wait(
    call: *const ossffi_call,
    timeout_ms: u64,
) -> ossffi_result {
    ffi_boundary! {
        let call = try_ref!(call);
        let deadline = Instant::now().checked_add(Duration::from_millis(timeout_ms));
        let mut outcome = lock(&call.state.outcome);
        while !outcome.done {
            let now = Instant::now();
            if deadline.is_some_and(|deadline| now >= deadline) {
                return ossffi_result::Timeout;
            }
            outcome.waiters += 1;
            outcome = match deadline {
                None => call.state.finished.wait(outcome).unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    call.state
                        .finished
                        .wait_timeout(outcome, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
            outcome.waiters -= 1;
        }
        ossffi_result::Ok
    }
}

/// 1 once the call is done (its completion callback has returned), else 0 (also for NULL).
///
/// # Safety
/// `call` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_is_done(call: *const ossffi_call) -> u32 {
    ffi_boundary! { u32::from(lock(&try_ref!(call).state.outcome).done) }
}

/// The call's result once it has ended (in its completion callback, or after
/// `ossffi_call_wait`): `OSSFFI_RESULT_OK`, or the failure's category (`OSSFFI_RESULT_CANCELLED`
/// for a cancelled call); `OSSFFI_RESULT_TIMEOUT` while it has not ended.
///
/// # Safety
/// `call` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_result(call: *const ossffi_call) -> ossffi_result {
    ffi_boundary! {
        lock(&try_ref!(call).state.outcome).result.unwrap_or(ossffi_result::Timeout)
    }
}

/// Takes the response of a successful call (all operations but PutObject): the caller frees it
/// with `ossffi_response_free`. NULL when the call failed, has not ended, is a PutObject, or the
/// response was taken already.
///
/// # Safety
/// `call` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_take_response(call: *mut ossffi_call) -> *mut ossffi_response {
    ffi_boundary! {
        let call = try_mut!(call);
        lock(&call.state.outcome).response.take().map_or(std::ptr::null_mut(), Box::into_raw)
    }
}

/// Takes the result of a successful PutObject call; the caller frees it with
/// `ossffi_put_result_free`. NULL otherwise (as for `ossffi_call_take_response`).
///
/// # Safety
/// `call` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_take_put_result(
    call: *mut ossffi_call,
) -> *mut ossffi_put_result {
    ffi_boundary! {
        let call = try_mut!(call);
        lock(&call.state.outcome).put_result.take().map_or(std::ptr::null_mut(), Box::into_raw)
    }
}

/// Takes the error of a failed call; the caller frees it with `ossffi_error_free`. NULL when the
/// call succeeded, has not ended, or the error was taken already.
///
/// # Safety
/// `call` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_take_error(call: *mut ossffi_call) -> *mut ossffi_error {
    ffi_boundary! {
        let call = try_mut!(call);
        lock(&call.state.outcome).error.take().map_or(std::ptr::null_mut(), Box::into_raw)
    }
}

/// Frees a handle from `ossffi_client_submit`. The call goes on and its completion callback
/// still runs; only the handle and any outcome not taken are released (once the call ends).
/// NULL is a no-op. Never free the `call` a completion callback receives.
///
/// # Safety
/// `call` is NULL or a handle from `ossffi_client_submit` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_call_free(call: *mut ossffi_call) {
    ffi_boundary! { unsafe { free_raw(call) } }
}

/// Threads of the client's async pool (`ossffi_client_submit`, `ossffi_client_execute`), 1 to
/// 256; 0 (the default) takes min(4, max connections). Threads start as calls arrive, so a
/// client that never submits starts none. Returns `OSSFFI_RESULT_INVALID_ARGUMENT` above 256.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_async_threads(
    config: *mut ossffi_client_config,
    threads: u32,
) -> ossffi_result {
    ffi_boundary! {
        let config = try_mut!(config);
        if threads > 256 {
            return ossffi_result::InvalidArgument;
        }
        config.inner.async_threads = threads;
        ossffi_result::Ok
    }
}

/// How many async calls may wait for a pool thread, 1 to 1048576 (default 1024). A submission
/// beyond it waits or fails as its `when_full` says. Returns `OSSFFI_RESULT_INVALID_ARGUMENT`
/// outside that range.
///
/// # Safety
/// `config` is NULL or a live configuration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_client_config_set_async_queue_capacity(
    config: *mut ossffi_client_config,
    capacity: u32,
) -> ossffi_result {
    ffi_boundary! {
        let config = try_mut!(config);
        if !(1..=1 << 20).contains(&capacity) {
            return ossffi_result::InvalidArgument;
        }
        config.inner.async_queue_capacity = capacity;
        ossffi_result::Ok
    }
}
