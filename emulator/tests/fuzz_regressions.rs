//! Every input a fuzzer once failed on (`fuzz/regressions/<target>/`) for the emulator's
//! targets, replayed through the same entry function the fuzz target calls
//! (`ossffi_emulator::fuzzing`), so a fixed bug stays fixed.

use std::path::{Path, PathBuf};

/// The files of `fuzz/regressions/<target>/`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
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
fn every_emulator_regression_input_is_handled() {
    for (target, entry) in ossffi_emulator::fuzzing::TARGETS {
        for file in inputs(target) {
            let data = std::fs::read(&file).expect("a readable regression input");
            println!("{}", file.display());
            entry(&data);
        }
    }
}
