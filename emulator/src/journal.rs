//! The request journal: what the server answered to each authenticated request, for tests that
//! count requests (how many parts a resumed upload sent again, which ones failed).
//!
//! "Authenticated" is the same as for fault counters: the request carries a signature in a
//! header or the query. Requests closed without an answer (the drop fault) are not recorded.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use ossffi::encoding::parse_query;

/// The journal keeps the most recent entries only, so a long benchmark run cannot grow it
/// without bound (about 20 MB at most).
pub const JOURNAL_CAPACITY: usize = 100_000;

/// One answered request, as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub method: String,
    /// The path as sent, still percent-encoded, without the query.
    pub path: String,
    /// The raw query without `?`; empty when there is none.
    pub query: String,
    /// The status the server answered.
    pub status: u16,
}

impl JournalEntry {
    /// The decoded value of the first query parameter called `name`; `Some("")` for a
    /// parameter without a value, such as `uploads`.
    pub fn parameter(&self, name: &str) -> Option<String> {
        parse_query(&self.query)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Whether this is an UploadPart request: a PUT with `partNumber` and `uploadId`.
    pub fn is_upload_part(&self) -> bool {
        self.method == "PUT"
            && self.parameter("partNumber").is_some()
            && self.parameter("uploadId").is_some()
    }

    /// The line `--journal FILE` writes: `METHOD PATH?QUERY STATUS` (no `?` without a query).
    fn line(&self) -> String {
        let separator = if self.query.is_empty() { "" } else { "?" };
        format!(
            "{} {}{separator}{} {}\n",
            self.method, self.path, self.query, self.status
        )
    }
}

struct Entries {
    recent: VecDeque<JournalEntry>,
    /// Gets every entry as a line; a write error stops the writing and is reported once.
    file: Option<File>,
}

/// The journal of one server. Safe to use from any thread.
pub(crate) struct Journal {
    entries: Mutex<Entries>,
}

impl Journal {
    /// A journal kept in memory and, when `file` is given, appended to it line by line.
    pub fn open(file: Option<&Path>) -> io::Result<Journal> {
        let file = match file {
            Some(path) => Some(
                File::options()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| {
                        io::Error::new(
                            e.kind(),
                            format!("cannot open journal file {}: {e}", path.display()),
                        )
                    })?,
            ),
            None => None,
        };
        Ok(Journal {
            entries: Mutex::new(Entries {
                recent: VecDeque::new(),
                file,
            }),
        })
    }

    pub fn record(&self, entry: JournalEntry) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = &mut entries.file
            // One write per line on an unbuffered file: each line is out once it returns.
            && let Err(e) = file.write_all(entry.line().as_bytes())
        {
            eprintln!("ossffi-emulator: journal file no longer written: {e}");
            entries.file = None;
        }
        if entries.recent.len() == JOURNAL_CAPACITY {
            entries.recent.pop_front();
        }
        entries.recent.push_back(entry);
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.recent.iter().cloned().collect()
    }

    /// Forgets the entries in memory; the file keeps every line.
    pub fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(method: &str, path: &str, query: &str, status: u16) -> JournalEntry {
        JournalEntry {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            status,
        }
    }

    #[test]
    fn parameters_are_decoded_and_bare_ones_are_empty() {
        let e = entry("POST", "/b/k", "uploads&prefix=a%2Fb%20c", 200);
        assert_eq!(e.parameter("uploads"), Some(String::new()));
        assert_eq!(e.parameter("prefix"), Some("a/b c".to_string()));
        assert_eq!(e.parameter("uploadId"), None);
    }

    #[test]
    fn upload_part_is_a_put_with_part_number_and_upload_id() {
        assert!(entry("PUT", "/b/k", "partNumber=2&uploadId=X", 200).is_upload_part());
        assert!(!entry("PUT", "/b/k", "partNumber=2", 200).is_upload_part());
        assert!(!entry("POST", "/b/k", "uploadId=X&partNumber=2", 200).is_upload_part());
        assert!(!entry("PUT", "/b/k", "", 200).is_upload_part());
    }

    #[test]
    fn lines_have_a_question_mark_only_with_a_query() {
        assert_eq!(entry("GET", "/b/k", "", 404).line(), "GET /b/k 404\n");
        assert_eq!(
            entry("PUT", "/b/a%20b", "partNumber=1&uploadId=X", 503).line(),
            "PUT /b/a%20b?partNumber=1&uploadId=X 503\n"
        );
    }

    #[test]
    fn only_the_most_recent_entries_are_kept() {
        let journal = Journal::open(None).unwrap();
        for i in 0..JOURNAL_CAPACITY + 3 {
            journal.record(entry("GET", &format!("/{i}"), "", 200));
        }
        let kept = journal.entries();
        assert_eq!(kept.len(), JOURNAL_CAPACITY);
        assert_eq!(kept[0].path, "/3");
        journal.clear();
        assert!(journal.entries().is_empty());
    }
}
