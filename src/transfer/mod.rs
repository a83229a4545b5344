//! Large transfers built from the single operations: the resumable upload (the C++ SDK's
//! `ResumableUploadObject`), with its checkpoint record.
//!
//! - `checkpoint`: the record, byte-compatible with the C++ SDK's
//! - `resumable`: planning parts, the bounded set of worker threads, resume, CRC-64 and
//!   progress across parts

pub mod checkpoint;
mod resumable;

pub use resumable::{
    DEFAULT_PART_SIZE, DEFAULT_THREAD_NUM, MAX_THREADS, PART_SIZE_LOWER_LIMIT, ResumableProgressFn,
    ResumableUploadRequest,
};
