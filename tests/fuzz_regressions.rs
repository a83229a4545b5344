//! Every input a fuzzer once failed on (`fuzz/regressions/<target>/`), replayed through the same
//! entry function the fuzz target calls (`ossffi::fuzzing`, `ossffi_emulator::fuzzing`), so a
//! fixed bug stays fixed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `fuzz/regressions/<target>/`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join("regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_regression_input_is_handled() {
    let targets = ossffi::fuzzing::TARGETS
        .iter()
        .chain(ossffi_emulator::fuzzing::TARGETS);
    for (target, entry) in targets {
        for file in inputs(target) {
            let data = std::fs::read(&file).expect("a readable regression input");
            println!("{}", file.display());
            entry(&data);
        }
    }
}

#[test]
fn fuzz_targets_and_entry_functions_match_one_to_one() {
    let entries: BTreeSet<&str> = ossffi::fuzzing::TARGETS
        .iter()
        .chain(ossffi_emulator::fuzzing::TARGETS)
        .map(|(name, _)| *name)
        .collect();
    let files = |dir: &str, suffix: &str| -> BTreeSet<String> {
        std::fs::read_dir(fuzz_dir().join(dir))
            .map(|entries| {
                entries
                    .filter_map(|e| {
                        let name = e.ok()?.file_name().into_string().ok()?;
                        Some(name.strip_suffix(suffix)?.to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let targets = files("fuzz_targets", ".rs");
    let target_names: BTreeSet<&str> = targets.iter().map(String::as_str).collect();
    assert_eq!(
        target_names, entries,
        "fuzz/fuzz_targets/ and the TARGETS lists differ"
    );
    for dir in files("regressions", "") {
        assert!(
            entries.contains(dir.as_str()),
            "fuzz/regressions/{dir} names no fuzz target"
        );
    }
}
