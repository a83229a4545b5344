//! The library's version, as Cargo.toml states it.

/// `MAJOR.MINOR.PATCH`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
