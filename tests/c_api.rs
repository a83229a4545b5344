//! The C and C++ side of ossffi, exercised through real compilers: every program in tests/c and
//! tests/cpp runs linked statically under AddressSanitizer + UBSan with LeakSanitizer on, and
//! linked dynamically under valgrind with its leak check; every one of them that starts threads
//! runs once more under ThreadSanitizer. Deliberately broken probes (tests/c/probes) show that
//! each of these runs fails when it should. The header and the shared library are checked for
//! what a C user relies on.

mod support;

use support::native::{self, Linking, Sanitizer};

#[test]
fn c_programs_pass_under_address_and_undefined_sanitizers() {
    native::run_all("c", Linking::Static, Sanitizer::AddressAndUndefined);
}

#[test]
fn c_programs_pass_under_valgrind() {
    native::run_all("c", Linking::Dynamic, Sanitizer::Valgrind);
}

#[test]
fn cpp_programs_pass_under_address_and_undefined_sanitizers() {
    native::run_all("cpp", Linking::Static, Sanitizer::AddressAndUndefined);
}

#[test]
fn cpp_programs_pass_under_valgrind() {
    native::run_all("cpp", Linking::Dynamic, Sanitizer::Valgrind);
}

/// The programs that start threads (their own, the async pool's, a resumable upload's) under
/// ThreadSanitizer, linked dynamically: libossffi is not instrumented, so TSan checks the
/// programs' own code, including the callbacks libossffi runs on its threads (see
/// Sanitizer::Thread for why reports from inside the library are ignored).
#[test]
fn c_programs_that_start_threads_pass_under_thread_sanitizer() {
    let programs = native::threaded_programs("c");
    assert_covers(&programs, &["async", "callback_verify", "resumable"]);
    native::run_each(programs, "c", Linking::Dynamic, Sanitizer::Thread);
}

#[test]
fn cpp_programs_that_start_threads_pass_under_thread_sanitizer() {
    let programs = native::threaded_programs("cpp");
    assert_covers(
        &programs,
        &[
            "sdk_async",
            "sdk_threads",
            "sdk_resumable",
            "callback_verifier",
        ],
    );
    native::run_each(programs, "cpp", Linking::Dynamic, Sanitizer::Thread);
}

/// The programs known to start threads are among those found to (unless OSSFFI_TEST_PROGRAM
/// picked one program).
fn assert_covers(programs: &[std::path::PathBuf], expected: &[&str]) {
    if std::env::var_os("OSSFFI_TEST_PROGRAM").is_some() {
        return;
    }
    for stem in expected {
        assert!(
            programs
                .iter()
                .any(|p| p.file_stem().is_some_and(|s| s == *stem)),
            "{stem} starts threads but is not among the ThreadSanitizer runs: {programs:?}"
        );
    }
}

fn probe(name: &str) -> std::path::PathBuf {
    native::repo_root().join("tests/c/probes").join(name)
}

/// The ThreadSanitizer run fails on a data race: tests/c/probes/data_race.c passes every check
/// but races two threads on one counter, and must be reported (TSan's exit code 89, set by the
/// runner) even with ignore_noninstrumented_modules on.
#[test]
fn thread_sanitizer_runs_fail_on_a_data_race() {
    let source = probe("data_race.c");
    let exe = native::compile(&source, "c", Linking::Dynamic, Sanitizer::Thread);
    let output = native::run(&exe, Sanitizer::Thread, &[], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        native::counts(&String::from_utf8_lossy(&output.stdout)),
        Some((3, 0))
    );
    assert_eq!(output.status.code(), Some(89), "{stderr}");
    assert!(
        stderr.contains("WARNING: ThreadSanitizer: data race"),
        "{stderr}"
    );
    assert!(native::verdict(&output).is_err());
}

/// Both leak checks fail on a leak: tests/c/probes/leak.c passes every check but loses an object
/// libossffi allocated, which LeakSanitizer (in the ASan run, exit code 86) and valgrind (exit
/// code 88) must report, so neither check can be silently off.
#[test]
fn leak_checks_fail_on_a_leaked_object() {
    let source = probe("leak.c");
    for (linking, sanitizer, code, report) in [
        (
            Linking::Static,
            Sanitizer::AddressAndUndefined,
            86,
            "ERROR: LeakSanitizer: detected memory leaks",
        ),
        (Linking::Dynamic, Sanitizer::Valgrind, 88, "definitely lost"),
    ] {
        let exe = native::compile(&source, "c", linking, sanitizer);
        let output = native::run(&exe, sanitizer, &[], &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            native::counts(&String::from_utf8_lossy(&output.stdout)),
            Some((1, 0)),
            "{sanitizer:?}"
        );
        assert_eq!(output.status.code(), Some(code), "{sanitizer:?}: {stderr}");
        assert!(stderr.contains(report), "{sanitizer:?}: {stderr}");
        assert!(stderr.contains("leak.c:"), "{sanitizer:?}: {stderr}");
    }
}

#[test]
fn header_compiles_as_strict_c99_and_as_cpp17() {
    native::compile_header_only(
        "cc",
        &["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror"],
        "c",
    );
    native::compile_header_only(
        "c++",
        &["-std=c++17", "-pedantic", "-Wall", "-Wextra", "-Werror"],
        "cpp",
    );
}

#[test]
fn every_export_is_called_with_null_arguments() {
    let header = native::read_repo_file("include/ossffi.h");
    let program = native::read_repo_file("tests/c/null_arguments.c");
    let exports = native::declared_functions(&header);
    assert!(
        exports.len() > 20,
        "the header declares the API: {exports:?}"
    );
    let missing: Vec<&String> = exports
        .iter()
        .filter(|name| !program.contains(&format!("{name}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/c/null_arguments.c must call every export with NULL arguments; missing: {missing:?}"
    );
}

#[test]
fn shared_library_exports_only_ossffi_symbols() {
    let symbols = native::exported_symbols();
    assert!(symbols.iter().any(|s| s == "ossffi_version"));
    let foreign: Vec<&String> = symbols
        .iter()
        .filter(|s| !s.starts_with("ossffi_"))
        .collect();
    assert!(
        foreign.is_empty(),
        "libossffi.so exports non-ossffi symbols: {foreign:?}"
    );
}

#[test]
fn every_function_the_header_declares_is_exported() {
    let header = native::read_repo_file("include/ossffi.h");
    let symbols = native::exported_symbols();
    for name in native::declared_functions(&header) {
        assert!(
            symbols.contains(&name),
            "{name} is declared in ossffi.h but not exported"
        );
    }
}

/// The checkpoint record a resumable upload started from C leaves behind is the C++ SDK's, name
/// and bytes (vectors ckpt-1 and ckpt-5 of checkpoints.json, whose file paths are relative):
/// tests/c/resumable.c runs one upload from a work directory against a server that answers
/// InitiateMultipartUpload with the vector's UploadId, and cancels it at the first progress call.
#[test]
fn checkpoint_records_written_from_c_match_the_sdk_vectors() {
    use std::time::{Duration, UNIX_EPOCH};
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/checkpoints.json"
    ))
    .expect("reading checkpoints.json");
    let file: serde_json::Value = serde_json::from_str(&text).expect("parsing checkpoints.json");
    let source = native::repo_root().join("tests/c/resumable.c");
    let exe = native::compile(
        &source,
        "c",
        Linking::Static,
        Sanitizer::AddressAndUndefined,
    );
    for id in ["ckpt-1", "ckpt-5"] {
        let vector = file["vectors"]
            .as_array()
            .expect("vectors")
            .iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("{id} is in checkpoints.json"));
        let input = &vector["input"];
        let string = |name: &str| input[name].as_str().expect("a string").to_owned();
        let number = |name: &str| input[name].as_u64().expect("a number");

        let work = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("c-checkpoint-{id}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(work.join("ckpt")).expect("the work directory");
        // Every directory the relative path names must exist for it to resolve (`relative/..`).
        let file_path = string("file_path");
        let data_path = work.join(&file_path);
        std::fs::create_dir_all(data_path.parent().expect("a parent")).expect("its directory");
        let data = std::fs::File::create(&data_path).expect("the file to upload");
        data.set_len(number("file_size")).expect("its size");
        data.set_modified(UNIX_EPOCH + Duration::from_secs(number("file_mtime_unix")))
            .expect("its mtime");
        drop(data);

        let initiated = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult><Bucket>{}</Bucket><Key>k</Key><UploadId>{}</UploadId></InitiateMultipartUploadResult>",
            string("bucket"),
            string("upload_id")
        );
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nx-oss-request-id: vector\r\nConnection: close\r\n\r\n{initiated}",
            initiated.len()
        );
        let (port, _seen) =
            support::recording_server::start(Box::leak(reply.into_bytes().into_boxed_slice()));
        let endpoint = format!("http://127.0.0.1:{port}");
        let (bucket, key) = (string("bucket"), string("key"));
        let (part_size, threads) = (
            number("part_size").to_string(),
            number("thread_num").to_string(),
        );
        let work_dir = work.to_str().expect("a UTF-8 path");
        native::check_compiled(
            &exe,
            &source,
            Linking::Static,
            Sanitizer::AddressAndUndefined,
            &[],
            &[
                "checkpoint-vector",
                &endpoint,
                work_dir,
                &bucket,
                &key,
                &file_path,
                &part_size,
                &threads,
            ],
        );

        let expected = &vector["expected"];
        let name = expected["record_file_name"].as_str().expect("a name");
        let written: Vec<String> = std::fs::read_dir(work.join("ckpt"))
            .expect("the checkpoint directory")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(written, [name], "{id}: the record's file name");
        let record = std::fs::read(work.join("ckpt").join(name)).expect("the record");
        assert_eq!(
            String::from_utf8_lossy(&record),
            expected["record"].as_str().expect("a record"),
            "{id}: the record's bytes"
        );
        std::fs::remove_dir_all(&work).expect("cleaning up");
    }
}
