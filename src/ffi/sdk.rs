//! Library lifecycle, logging and version.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::boundary::ffi_boundary;
use super::result::ossffi_result;
use super::strings::c_string;
use crate::log::{self, LogLevel};
use crate::sdk;

/// The C++ SDK's log levels, as taken by `ossffi_set_log_level` and passed to an
/// `ossffi_log_fn`.
// Only C sees these values (functions take them as uint32_t); cbindgen exports the enum.
#[allow(non_camel_case_types, dead_code)]
#[repr(u32)]
pub enum ossffi_log_level {
    Off = 0,
    Fatal = 1,
    Error = 2,
    Warn = 3,
    Info = 4,
    Debug = 5,
    Trace = 6,
    All = 7,
}

/// Receives one log message. `level` is an `ossffi_log_level`; `message` is NUL-terminated UTF-8
/// that is valid only during the call (copy it to keep it). Called on the thread whose ossffi
/// call logs, so with a shared client it may be called from several threads at once. It must not
/// unwind (throw) into ossffi.
#[allow(non_camel_case_types)]
pub type ossffi_log_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, level: u32, message: *const c_char)>;

/// Marks the library initialised. With ossffi nothing needs initialising: every other function
/// works without this call. It exists for the C++ SDK's semantics: it resets logging (level off,
/// no callback), then, if the environment variable `OSS_SDK_LOG_LEVEL` names a level (`off`,
/// `fatal`, `error`, `warn`, `info`, `debug`, `trace`, `all`; trimmed, any case), sets that level
/// with a callback that writes to standard error.
///
/// Idempotent and not reference-counted: a second call does nothing; the first
/// `ossffi_shutdown_sdk` undoes it. Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_initialize_sdk() {
    ffi_boundary! { sdk::initialize() }
}

/// Undoes `ossffi_initialize_sdk`: logging goes off and the log callback is dropped. Does nothing
/// when the library is not initialised. Objects that exist stay usable. Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_shutdown_sdk() {
    ffi_boundary! { sdk::shutdown() }
}

/// Whether `ossffi_initialize_sdk` was called and not undone by `ossffi_shutdown_sdk`.
/// Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_is_sdk_initialized() -> bool {
    ffi_boundary! { sdk::is_initialized() }
}

/// Sets the log level (an `ossffi_log_level`). Messages are written only when a log callback is
/// set and the message's level is at or below this level. Returns `OSSFFI_RESULT_INVALID_ARGUMENT`
/// for a value above `OSSFFI_LOG_LEVEL_ALL`. Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_set_log_level(level: u32) -> ossffi_result {
    ffi_boundary! {
        match LogLevel::from_code(level) {
            Some(level) => {
                log::set_level(level);
                ossffi_result::Ok
            }
            None => ossffi_result::InvalidArgument,
        }
    }
}

/// The current log level (an `ossffi_log_level`). Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_get_log_level() -> u32 {
    ffi_boundary! { log::level().code() }
}

/// Sets the function that receives log messages, with a `userdata` pointer passed back to it
/// unchanged (ossffi never dereferences it). `callback` NULL removes the callback. The caller
/// keeps `userdata` valid until the callback is replaced or removed, or `ossffi_shutdown_sdk`
/// returns. Any thread may call it; see `ossffi_log_fn` for the threads the callback runs on.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_set_log_callback(
    callback: ossffi_log_fn,
    userdata: *mut c_void,
) -> ossffi_result {
    ffi_boundary! {
        let Some(callback) = callback else {
            log::set_sink(None);
            return ossffi_result::Ok;
        };
        let target = LogTarget { callback, userdata };
        log::set_sink(Some(Arc::new(move |level: LogLevel, message: &str| {
            target.send(level, message)
        })));
        ossffi_result::Ok
    }
}

/// A C log callback and its userdata.
struct LogTarget {
    callback: unsafe extern "C" fn(*mut c_void, u32, *const c_char),
    userdata: *mut c_void,
}

// SAFETY: the userdata pointer is only handed back to the caller's own callback, and the header
// tells the caller that the callback may run on any thread that uses ossffi.
unsafe impl Send for LogTarget {}
unsafe impl Sync for LogTarget {}

impl LogTarget {
    fn send(&self, level: LogLevel, message: &str) {
        let message = c_string(message);
        // SAFETY: the caller promised `callback` is a valid function for this userdata.
        unsafe { (self.callback)(self.userdata, level.code(), message.as_ptr()) }
    }
}

/// The library version, `"MAJOR.MINOR.PATCH"`, equal to `OSSFFI_VERSION_STRING` of the header it
/// was built with. The string is static: never free it. Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_version() -> *const c_char {
    ffi_boundary! { VERSION.as_ptr().cast() }
}

static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The name of a result code, e.g. `"OSSFFI_RESULT_NULL_PARAMETER"`, or
/// `"OSSFFI_RESULT_UNKNOWN"` for a value this version does not know. The string is static:
/// never free it. Any thread may call it.
#[unsafe(no_mangle)]
pub extern "C" fn ossffi_result_name(result: u32) -> *const c_char {
    ffi_boundary! {
        let name = ossffi_result::from_code(result).map_or("OSSFFI_RESULT_UNKNOWN\0", ossffi_result::name_nul);
        name.as_ptr().cast()
    }
}
