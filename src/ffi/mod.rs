//! The C ABI. Every `extern "C"` function of ossffi lives below this module and is thin: check
//! the arguments, call the safe core, map the outcome to an `ossffi_result`.
//!
//! cbindgen turns these items and their doc comments into `include/ossffi.h`, so the comments
//! here are the C documentation: they state ownership, lifetimes, what NULL means and which
//! threads may call.

mod boundary;
mod by_url;
mod callback;
mod calls;
mod client;
mod error;
mod multipart;
mod operations;
mod post_policy;
mod presign;
mod put;
mod request;
mod response;
mod result;
mod resumable;
mod sdk;
mod strings;
pub(crate) mod sys;
mod util;
mod verify;
