//! Library logging with the C++ SDK's levels: off unless a level and a sink are both set.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};

/// The C++ SDK's `LogLevel`, with its numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    Off = 0,
    Fatal = 1,
    Error = 2,
    Warn = 3,
    Info = 4,
    Debug = 5,
    Trace = 6,
    All = 7,
}

impl LogLevel {
    const ALL_LEVELS: [LogLevel; 8] = [
        Self::Off,
        Self::Fatal,
        Self::Error,
        Self::Warn,
        Self::Info,
        Self::Debug,
        Self::Trace,
        Self::All,
    ];

    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL_LEVELS.get(usize::try_from(code).ok()?).copied()
    }

    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Fatal => "fatal",
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
            Self::Trace => "trace",
            Self::All => "all",
        }
    }

    /// Reads a level the way the SDK reads `OSS_SDK_LOG_LEVEL`: trimmed, case-insensitive name.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL_LEVELS
            .into_iter()
            .find(|level| level.name().eq_ignore_ascii_case(text))
    }
}

/// Where log lines go. Called on the thread that logs, so it must be thread-safe.
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

static LEVEL: AtomicU32 = AtomicU32::new(LogLevel::Off as u32);
static SINK: RwLock<Option<LogSink>> = RwLock::new(None);

pub fn set_level(level: LogLevel) {
    LEVEL.store(level.code(), Ordering::Relaxed);
}

pub fn level() -> LogLevel {
    LogLevel::from_code(LEVEL.load(Ordering::Relaxed)).unwrap_or(LogLevel::Off)
}

/// Replaces the sink; `None` silences logging.
pub fn set_sink(sink: Option<LogSink>) {
    *SINK
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = sink;
}

/// Level off and no sink: the state before `InitializeSdk` and after `ShutdownSdk`.
pub fn reset() {
    set_level(LogLevel::Off);
    set_sink(None);
}

/// A sink that writes `[level] message` lines to standard error, as the SDK's default does.
pub fn stderr_sink() -> LogSink {
    Arc::new(|level, message| eprintln!("[ossffi {}] {message}", level.name()))
}

/// Whether a message at `level` would be written (so callers can skip formatting).
pub fn enabled(level: LogLevel) -> bool {
    level != LogLevel::Off
        && level.code() <= LEVEL.load(Ordering::Relaxed)
        && SINK.read().map(|sink| sink.is_some()).unwrap_or(false)
}

/// Writes a message when `level` is enabled. The sink runs without any lock held, so it may
/// itself change the logging configuration.
pub fn write(level: LogLevel, message: fmt::Arguments<'_>) {
    if !enabled(level) {
        return;
    }
    let sink = SINK.read().ok().and_then(|sink| sink.clone());
    if let Some(sink) = sink {
        sink(level, &message.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::LogLevel;

    #[test]
    fn parse_accepts_the_sdk_names_trimmed_in_any_case() {
        assert_eq!(LogLevel::parse(" Debug\n"), Some(LogLevel::Debug));
        assert_eq!(LogLevel::parse("ALL"), Some(LogLevel::All));
        assert_eq!(LogLevel::parse("off"), Some(LogLevel::Off));
        assert_eq!(LogLevel::parse("verbose"), None);
    }

    #[test]
    fn codes_follow_the_sdk_enum() {
        assert_eq!(LogLevel::from_code(0), Some(LogLevel::Off));
        assert_eq!(LogLevel::from_code(7), Some(LogLevel::All));
        assert_eq!(LogLevel::from_code(8), None);
        assert_eq!(LogLevel::Warn.code(), 3);
    }
}
