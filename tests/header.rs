//! The committed C header must be exactly what cbindgen makes of src/ffi, and its version macros
//! must match Cargo.toml.

use std::path::Path;

const REGENERATE: &str = "UPDATE_HEADER=1 cargo test --test header";

fn generated_header() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(root).join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    let bindings = cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen can parse the crate");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("cbindgen writes UTF-8")
}

fn committed_header_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include/ossffi.h")
}

#[test]
fn committed_header_matches_the_code() {
    let generated = generated_header();
    let path = committed_header_path();
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("include/ossffi.h is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "include/ossffi.h is out of date with src/ffi (first difference at line {line}).\n\
             Regenerate it with:\n    {REGENERATE}\nand commit the result."
        );
    }
}

fn header_macro(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("the header defines {name}"))
        .trim()
        .to_owned()
}

#[test]
fn version_macros_match_cargo_toml() {
    let header = std::fs::read_to_string(committed_header_path()).expect("header exists");
    assert_eq!(
        header_macro(&header, "OSSFFI_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        header_macro(&header, "OSSFFI_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        header_macro(&header, "OSSFFI_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        header_macro(&header, "OSSFFI_VERSION_STRING"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn every_macro_is_ossffi_prefixed() {
    let header = std::fs::read_to_string(committed_header_path()).expect("include/ossffi.h");
    let unprefixed: Vec<&str> = header
        .lines()
        .filter_map(|line| line.strip_prefix("#define "))
        .filter(|rest| !rest.starts_with("OSSFFI_"))
        .collect();
    assert!(
        unprefixed.is_empty(),
        "C macros must start with OSSFFI_ (a program may link other libraries): {unprefixed:?}"
    );
}
