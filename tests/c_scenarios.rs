//! PutObject from C in situations the emulator is set up for first: injected faults, HTTPS with
//! a private CA, a file larger than memory budgets. Each runs tests/c/scenarios/put_scenarios.c
//! statically linked under ASan/UBSan; the faults also run dynamically under valgrind.

mod support;

use std::path::PathBuf;

use support::native::{self, Linking, Sanitizer, Services};

fn program() -> PathBuf {
    native::repo_root().join("tests/c/scenarios/put_scenarios.c")
}

fn run(
    services: &Services,
    scenario: &str,
    linking: Linking,
    sanitizer: Sanitizer,
    extra: &[(String, String)],
) {
    let exe = native::compile(&program(), "c", linking, sanitizer);
    let mut envs = services.envs();
    envs.extend_from_slice(extra);
    native::check_compiled(&exe, &program(), linking, sanitizer, &envs, &[scenario]);
}

fn both(scenario: &str, setup: impl Fn(&Services)) {
    for (linking, sanitizer) in [
        (Linking::Static, Sanitizer::AddressAndUndefined),
        (Linking::Dynamic, Sanitizer::Valgrind),
    ] {
        let services = Services::start();
        setup(&services);
        run(&services, scenario, linking, sanitizer, &[]);
    }
}

#[test]
fn a_wrong_crc_from_the_server_is_client_error_100001_and_not_retried() {
    both("wrong-crc", |s| s.emulator.faults().wrong_crc_next(1));
}

#[test]
fn two_503s_then_success_store_the_object_after_three_attempts() {
    both("two-503s", |s| s.emulator.faults().fail_next(2, 503));
}

#[test]
fn a_connection_dropped_mid_body_is_retried() {
    both("dropped-mid-body", |s| s.emulator.faults().drop_next(1));
}

#[test]
fn https_with_a_private_ca_works_with_ca_file_and_fails_cleanly_without() {
    let certs = support::certs::make("c-scenarios");
    let emulator = ossffi_emulator::Server::start(
        ossffi_emulator::Config::new(native::TEST_ACCESS_KEY_ID, native::TEST_ACCESS_KEY_SECRET)
            .with_bucket(native::TEST_BUCKET)
            .with_region(native::TEST_REGION)
            .with_tls(&certs.server_cert, &certs.server_key),
    )
    .expect("the emulator serves HTTPS");
    let services = Services::start();
    let https = vec![
        (
            "OSSFFI_TEST_ENDPOINT".to_owned(),
            format!("https://{}", emulator.addr()),
        ),
        (
            "OSSFFI_TEST_CA_FILE".to_owned(),
            certs.ca.display().to_string(),
        ),
    ];
    run(
        &services,
        "tls-with-ca-file",
        Linking::Static,
        Sanitizer::AddressAndUndefined,
        &https,
    );
    assert!(emulator.object_exists(native::TEST_BUCKET, "scenario/tls.bin"));
    run(
        &services,
        "tls-without-ca-file",
        Linking::Static,
        Sanitizer::AddressAndUndefined,
        &https,
    );
    assert!(!emulator.object_exists(native::TEST_BUCKET, "scenario/untrusted.bin"));
}

#[test]
fn a_256_mib_file_streams_with_a_small_peak_rss() {
    let services = Services::start();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("large-256MiB.bin");
    if std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) != 256 << 20 {
        let block: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
        let mut file = std::fs::File::create(&path).unwrap();
        for _ in 0..256 {
            std::io::Write::write_all(&mut file, &block).unwrap();
        }
    }
    // No sanitizer here: their shadow memory would swamp the figure being measured.
    let exe = native::compile(&program(), "c", Linking::Static, Sanitizer::None);
    let mut envs = services.envs();
    envs.push((
        "OSSFFI_TEST_LARGE_FILE".to_owned(),
        path.display().to_string(),
    ));
    native::check_compiled(
        &exe,
        &program(),
        Linking::Static,
        Sanitizer::None,
        &envs,
        &["large-file"],
    );
    let stored = services
        .emulator
        .object_meta(native::TEST_BUCKET, "scenario/large.bin")
        .expect("stored");
    assert_eq!(stored.size, 256 << 20);
}
