//! ossffi: upload objects to Alibaba Cloud OSS with upload callbacks, from C, C++ and any language
//! with an FFI.
//!
//! The modules at the top hold the logic in safe Rust and know nothing of C; everything `unsafe`
//! and every `extern "C"` function lives in `ffi`.

#![deny(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod callback;
mod cancel;
pub mod client;
pub mod config;
pub mod crc64;
pub mod credentials;
pub mod digest;
pub mod encoding;
pub mod endpoint;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
mod headers;
pub mod http;
pub mod log;
pub mod mime;
pub mod multipart;
pub mod object;
mod operation;
pub mod oss_error;
pub mod pool;
pub mod post_object;
pub mod put_object;
pub mod retry;
pub mod sdk;
pub mod signing;
pub mod time;
pub mod tinyxml2;
pub mod transfer;
mod upload_body;
pub mod version;
mod xml_tree;

#[allow(unsafe_code)]
mod ffi;
