//! ossffi-emulator: a local Alibaba Cloud OSS for development, tests and benchmarks.
//!
//! It verifies V1/V4 signatures (header and presigned), serves PutObject, GetObject, HeadObject,
//! DeleteObject, multipart upload and PostObject (browser form upload), answers OSS error XML,
//! performs upload callbacks as OSS does, and can inject faults. Start it in-process with [`Server::start`], or run the
//! `ossffi-emulator` binary. See emulator/README.md for every operation, flag and difference
//! from OSS.

#![forbid(unsafe_code)]

mod auth;
pub mod callback;
pub mod cli;
mod config;
mod error;
mod faults;
mod form;
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod journal;
mod listener;
mod ops;
mod post_policy;
mod route;
mod server;
mod store;
mod tls;

pub use config::{Config, Credential, FaultSettings, TlsFiles};
pub use faults::Faults;
pub use journal::{JOURNAL_CAPACITY, JournalEntry};
pub use server::{RunningServer, Server};
pub use store::ObjectMeta;
