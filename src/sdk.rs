//! `InitializeSdk` / `ShutdownSdk` with the C++ SDK's semantics.
//!
//! ossffi keeps no global transport state, so nothing needs initialising before use; these exist
//! so SDK-style programs behave the same: initialising resets logging and reads
//! `OSS_SDK_LOG_LEVEL`, shutting down silences logging. Like the SDK they are idempotent and not
//! reference-counted: a second initialise is a no-op, the first shutdown tears down.

use std::sync::Mutex;

use crate::log::{self, LogLevel};

static INITIALIZED: Mutex<bool> = Mutex::new(false);

pub fn initialize() {
    let mut initialized = INITIALIZED.lock().unwrap_or_else(|p| p.into_inner());
    if *initialized {
        return;
    }
    log::reset();
    if let Some(level) = std::env::var("OSS_SDK_LOG_LEVEL")
        .ok()
        .and_then(|text| LogLevel::parse(&text))
    {
        log::set_level(level);
        log::set_sink(Some(log::stderr_sink()));
    }
    *initialized = true;
    log::write(
        LogLevel::Info,
        format_args!("ossffi {} initialised", crate::version::VERSION),
    );
}

pub fn shutdown() {
    let mut initialized = INITIALIZED.lock().unwrap_or_else(|p| p.into_inner());
    if !*initialized {
        return;
    }
    log::write(LogLevel::Info, format_args!("ossffi shutting down"));
    log::reset();
    *initialized = false;
}

pub fn is_initialized() -> bool {
    *INITIALIZED.lock().unwrap_or_else(|p| p.into_inner())
}
