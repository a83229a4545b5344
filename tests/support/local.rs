//! The emulator and client that most integration tests start: the same fake keys, one bucket,
//! region cn-hangzhou, and a scratch directory per test.

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::credentials::{Credentials, StaticCredentials};
use ossffi_emulator::{Config, JournalEntry, RunningServer, Server};

/// Fake keys: the emulator is told them, nothing else ever sees them.
pub const AK: &str = "LTAI5tTestAccessKey01";
pub const SK: &str = "TestSecretKeyForTheEmulator0001";
pub const REGION: &str = "cn-hangzhou";

/// An emulator on loopback with `bucket` and the test keys.
pub fn emulator(bucket: &str) -> RunningServer {
    Server::start(Config::new(AK, SK).with_bucket(bucket).with_region(REGION))
        .expect("the emulator starts")
}

pub fn url(server: &RunningServer) -> String {
    format!("http://{}", server.addr())
}

/// The region set and retries 10 ms apart, so that tests of retries stay quick.
pub fn config() -> ClientConfig {
    ClientConfig {
        region: REGION.into(),
        retry_scale_ms: 10,
        ..ClientConfig::default()
    }
}

/// A client of `endpoint` with the test keys.
pub fn client_at(endpoint: &str, config: ClientConfig) -> Client {
    Client::new(
        endpoint,
        Arc::new(StaticCredentials(Credentials::new(AK, SK))),
        config,
    )
    .expect("a valid endpoint")
}

/// A fresh directory for one test's files, named after the test binary's `suite`, the process
/// and `name`.
pub fn scratch(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ossffi-{suite}-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The part numbers of the UploadPart requests the emulator stored (200), in order.
pub fn stored_part_numbers(journal: &[JournalEntry]) -> Vec<u32> {
    let mut numbers: Vec<u32> = journal
        .iter()
        .filter(|e| e.is_upload_part() && e.status == 200)
        .map(|e| e.parameter("partNumber").unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    numbers
}
