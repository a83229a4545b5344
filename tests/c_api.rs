//! The C and C++ side of ossffi, exercised through real compilers: every program in tests/c runs
//! linked statically under AddressSanitizer + UBSan and linked dynamically under valgrind, every
//! program in tests/cpp runs under AddressSanitizer, and the header and the shared library are
//! checked for what a C user relies on.

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
