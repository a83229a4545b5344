//! Upload callbacks: the `x-oss-callback` and `x-oss-callback-var` header values.
//!
//! OSS reads both as base64 of a JSON object. The builders reproduce the OSS C++ SDK's
//! `ObjectCallbackBuilder` and `ObjectCallbackVariableBuilder` byte for byte, except where the SDK
//! writes invalid JSON; see [`json_text`].

mod builder;
pub mod json_text;
pub mod key_cache;
mod variables;
pub mod verify;

pub use builder::{CallbackBodyType, ObjectCallbackBuilder};
pub use key_cache::CallbackKeyCache;
pub use variables::ObjectCallbackVariableBuilder;
pub use verify::{CallbackPublicKey, verify_with_key};
