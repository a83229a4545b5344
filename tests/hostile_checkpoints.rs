//! Checkpoint records from a hostile file (issue 15, item 2): ResumableUploadObject reads the
//! record in its checkpoint directory, and whatever is found there (a FIFO, a link to
//! /dev/zero, megabytes, absurd or negative numbers, a record edited to name another file's
//! upload) the upload resumes correctly or starts over; it never crashes, hangs, overflows or
//! allocates without bound, and the object stored is the file's bytes.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::error::Error;
use ossffi::put_object::PutObjectResult;
use ossffi::transfer::checkpoint::{Record, file_name};
use ossffi::transfer::{ResumableProgressFn, ResumableUploadRequest};
use ossffi_emulator::RunningServer;
use support::local;

const BUCKET: &str = "hostile-checkpoints";
const PART: u64 = 100 * 1024;
/// An upload of a few parts on this machine takes well under a second; a hang is far longer.
const PROMPT: Duration = Duration::from_secs(20);

fn emulator() -> Arc<RunningServer> {
    Arc::new(local::emulator(BUCKET))
}

fn client(server: &RunningServer) -> Client {
    let config = ClientConfig {
        retry_scale_ms: 5,
        max_retries: 2,
        ..local::config()
    };
    local::client_at(&local::url(server), config)
}

fn scratch(name: &str) -> PathBuf {
    local::scratch("hostile-checkpoints", name)
}

/// A file of `len` pattern bytes in `dir`; its path as a string.
fn write_file(dir: &Path, name: &str, len: u64, seed: u8) -> (String, Vec<u8>) {
    let bytes = support::pattern(len as usize, seed);
    let path = dir.join(name);
    fs::write(&path, &bytes).unwrap();
    (path.to_str().unwrap().to_owned(), bytes)
}

fn record_path(dir: &Path, path: &str, key: &str) -> PathBuf {
    dir.join(file_name(path, BUCKET, key))
}

/// Runs a resumable upload of `path` to `key` with 100 KiB parts and the checkpoint directory
/// `dir` on another thread, failing the test if it has not returned within [`PROMPT`] (a hang
/// must fail, not stall the suite).
fn upload_within_prompt(
    server: &Arc<RunningServer>,
    key: &str,
    path: &str,
    dir: &Path,
) -> Result<PutObjectResult, Error> {
    let (tx, rx) = mpsc::channel();
    let (server, key, path, dir) = (
        server.clone(),
        key.to_owned(),
        path.to_owned(),
        dir.to_str().unwrap().to_owned(),
    );
    thread::spawn(move || {
        let mut request = ResumableUploadRequest::new(BUCKET, &key, &path);
        request.part_size = PART;
        request.thread_num = 2;
        request.checkpoint_dir = Some(dir);
        let _ = tx.send(client(&server).resumable_upload_object(&mut request));
    });
    let started = Instant::now();
    let result = rx
        .recv_timeout(PROMPT)
        .unwrap_or_else(|_| panic!("the upload did not return within {PROMPT:?}"));
    eprintln!("upload took {:?}", started.elapsed());
    result
}

/// Stops an upload right after its record is written (its first progress call), leaving the
/// record and an upload holding at most a part or two.
fn interrupt(server: &RunningServer, key: &str, path: &str, dir: &Path) -> Record {
    let mut stop = |_: u64, _: u64, _: u64| Err(1_i64);
    let mut request = ResumableUploadRequest::new(BUCKET, key, path);
    request.part_size = PART;
    request.thread_num = 1;
    request.checkpoint_dir = Some(dir.to_str().unwrap().to_owned());
    request.progress = Some(&mut stop as &mut ResumableProgressFn<'_>);
    let error = client(server)
        .resumable_upload_object(&mut request)
        .unwrap_err();
    assert_eq!(error.code, "ClientError:200042");
    // Let the part in flight be answered before the journal is read again.
    thread::sleep(Duration::from_millis(300));
    Record::parse(&fs::read(record_path(dir, path, key)).unwrap()).expect("a record")
}

/// `record` with other numbers, its md5Sum made to match: intact as far as the SDK can tell.
fn forged(record: &Record, part_size: u64, file_path: &str) -> Record {
    Record::new(
        &record.bucket,
        &record.key,
        file_path,
        &record.mtime,
        record.size,
        part_size,
        &record.upload_id,
    )
}

#[test]
fn a_fifo_in_place_of_the_record_is_replaced_without_waiting_for_a_writer() {
    let server = emulator();
    let dir = scratch("fifo");
    let (path, bytes) = write_file(&dir, "f.bin", 3 * PART + 7, 1);
    let record = record_path(&dir, &path, "fifo.bin");
    let made = std::process::Command::new("mkfifo")
        .arg(&record)
        .status()
        .unwrap();
    assert!(made.success());
    upload_within_prompt(&server, "fifo.bin", &path, &dir).expect("uploaded");
    assert_eq!(server.object_bytes(BUCKET, "fifo.bin").unwrap(), bytes);
    assert!(!record.exists(), "the FIFO is gone, the record deleted");
}

#[test]
fn a_link_to_dev_zero_in_place_of_the_record_is_not_read() {
    let server = emulator();
    let dir = scratch("zero");
    let (path, bytes) = write_file(&dir, "z.bin", 3 * PART, 2);
    let record = record_path(&dir, &path, "zero.bin");
    std::os::unix::fs::symlink("/dev/zero", &record).unwrap();
    upload_within_prompt(&server, "zero.bin", &path, &dir).expect("uploaded");
    assert_eq!(server.object_bytes(BUCKET, "zero.bin").unwrap(), bytes);
    assert!(fs::symlink_metadata(&record).is_err(), "the link is gone");
    // A directory there is no record either; the upload still succeeds.
    fs::create_dir(&record).unwrap();
    upload_within_prompt(&server, "zero.bin", &path, &dir).expect("uploaded");
    assert_eq!(server.object_bytes(BUCKET, "zero.bin").unwrap(), bytes);
}

#[test]
fn a_record_padded_to_megabytes_is_discarded_unread_and_the_upload_starts_over() {
    let server = emulator();
    let dir = scratch("huge");
    let (path, bytes) = write_file(&dir, "h.bin", 3 * PART, 3);
    let intact = interrupt(&server, "huge.bin", &path, &dir);
    let record = record_path(&dir, &path, "huge.bin");
    // Still valid JSON with a matching md5Sum: only its size gives it away.
    let mut text = intact.to_text().into_bytes();
    text.splice(1..1, std::iter::repeat_n(b' ', 8 << 20));
    assert_eq!(Record::parse(&text).as_ref(), Some(&intact));
    fs::write(&record, &text).unwrap();
    server.clear_journal();
    upload_within_prompt(&server, "huge.bin", &path, &dir).expect("uploaded");
    let journal = server.journal();
    assert_eq!(
        local::stored_part_numbers(&journal),
        [1, 2, 3],
        "started over"
    );
    assert_eq!(server.object_bytes(BUCKET, "huge.bin").unwrap(), bytes);
    assert!(!record.exists());
}

#[test]
fn records_whose_numbers_are_negative_fractional_or_past_64_bits_start_over() {
    let server = emulator();
    let dir = scratch("numbers");
    let (path, bytes) = write_file(&dir, "n.bin", 2 * PART + 1, 4);
    let intact = interrupt(&server, "numbers.bin", &path, &dir).to_text();
    let record = record_path(&dir, &path, "numbers.bin");
    let part_size = format!("\"partSize\" : {PART}");
    let size = format!("\"size\" : {}", 2 * PART + 1);
    for (from, to) in [
        (&part_size, "\"partSize\" : -102400"),
        (&part_size, "\"partSize\" : -9223372036854775808"),
        (&part_size, "\"partSize\" : 18446744073709551616"),
        (&part_size, "\"partSize\" : 1e400"),
        (&part_size, "\"partSize\" : 102400.5"),
        (&size, "\"size\" : -1"),
        (&size, "\"size\" : 99999999999999999999999"),
        (&size, "\"size\" : true"),
    ] {
        fs::write(&record, intact.replace(from.as_str(), to)).unwrap();
        server.clear_journal();
        upload_within_prompt(&server, "numbers.bin", &path, &dir)
            .unwrap_or_else(|e| panic!("{to}: {e}"));
        assert_eq!(
            local::stored_part_numbers(&server.journal()),
            [1, 2, 3],
            "{to}"
        );
        assert_eq!(server.object_bytes(BUCKET, "numbers.bin").unwrap(), bytes);
        assert!(!record.exists(), "{to}");
    }
}

#[test]
fn intact_records_with_part_sizes_no_plan_allows_start_over() {
    let server = emulator();
    let dir = scratch("plans");
    let (path, bytes) = write_file(&dir, "p.bin", 3 * PART + 5, 5);
    let record = record_path(&dir, &path, "plans.bin");
    for part_size in [1, PART - 1, (5 << 30) + 1, 1 << 63, u64::MAX] {
        let intact = interrupt(&server, "plans.bin", &path, &dir);
        fs::write(&record, forged(&intact, part_size, &path).to_text()).unwrap();
        server.clear_journal();
        upload_within_prompt(&server, "plans.bin", &path, &dir)
            .unwrap_or_else(|e| panic!("partSize {part_size}: {e}"));
        let journal = server.journal();
        assert_eq!(
            local::stored_part_numbers(&journal),
            [1, 2, 3, 4],
            "partSize {part_size}: a new upload of 100 KiB parts"
        );
        assert!(
            journal
                .iter()
                .all(|e| e.parameter("uploadId").as_deref() != Some(&intact.upload_id)),
            "partSize {part_size}: the recorded upload is not used"
        );
        assert_eq!(server.object_bytes(BUCKET, "plans.bin").unwrap(), bytes);
    }
}

#[test]
fn part_size_1_for_a_10_gb_file_plans_no_ten_billion_parts() {
    let server = emulator();
    let dir = scratch("sparse");
    let path = dir.join("sparse.bin");
    let size: u64 = 10 << 30;
    fs::File::create(&path).unwrap().set_len(size).unwrap();
    let path = path.to_str().unwrap().to_owned();
    let intact = interrupt(&server, "sparse.bin", &path, &dir);
    let record = record_path(&dir, &path, "sparse.bin");
    fs::write(&record, forged(&intact, 1, &path).to_text()).unwrap();
    // The hostile record is discarded and a new upload planned with the part size doubled
    // until 10,000 parts hold the file; the first progress call stops it.
    let started = Instant::now();
    let fresh = interrupt(&server, "sparse.bin", &path, &dir);
    assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
    assert_ne!(fresh.upload_id, intact.upload_id);
    assert_eq!(fresh.part_size, 16 * PART);
    assert_eq!(fresh.size, size);
}

#[test]
fn a_record_edited_to_name_another_files_upload_never_mixes_the_two_files() {
    let server = emulator();
    let dir = scratch("other");
    let (a, _) = write_file(&dir, "a.bin", 3 * PART, 6);
    let (b, b_bytes) = write_file(&dir, "b.bin", 3 * PART, 7);
    // Both files look alike to the record: the same size and modification time.
    let when = SystemTime::now() - Duration::from_secs(60);
    for p in [&a, &b] {
        let f = fs::File::options().write(true).open(p).unwrap();
        f.set_modified(when).unwrap();
    }
    // A's upload holds its part 1 (its part 2 fails); its record, edited to name B, is put
    // where B's record goes.
    server.faults().fail_part(2, u32::MAX, 503);
    let mut request = ResumableUploadRequest::new(BUCKET, "same-key.bin", &a);
    request.part_size = PART;
    request.thread_num = 1;
    request.checkpoint_dir = Some(dir.to_str().unwrap().to_owned());
    let error = client(&server)
        .resumable_upload_object(&mut request)
        .unwrap_err();
    assert_eq!(error.code, "ServiceUnavailable");
    server.faults().clear_part_faults();
    assert_eq!(local::stored_part_numbers(&server.journal()), [1]);
    let a_record = Record::parse(&fs::read(record_path(&dir, &a, "same-key.bin")).unwrap())
        .expect("A's record");
    let b_record = record_path(&dir, &b, "same-key.bin");
    fs::write(&b_record, forged(&a_record, PART, &b).to_text()).unwrap();
    server.clear_journal();
    upload_within_prompt(&server, "same-key.bin", &b, &dir).expect("uploaded");
    let journal = server.journal();
    assert!(
        journal
            .iter()
            .any(|e| e.parameter("uploadId").as_deref() == Some(&a_record.upload_id)),
        "the forged record is resumed"
    );
    assert_eq!(
        local::stored_part_numbers(&journal),
        [1, 2, 3],
        "A's part 1 is not B's: it is sent again"
    );
    assert_eq!(
        server.object_bytes(BUCKET, "same-key.bin").unwrap(),
        b_bytes
    );
}
