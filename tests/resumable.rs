//! ResumableUploadObject through the Rust core against the emulator: the simple and multipart
//! paths, the callback, CRC-64 and progress across parts, the checkpoint record (written,
//! resumed from, discarded when stale or damaged), failures and cancels, and many uploads on
//! one client. The emulator's journal counts what reached it.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use ossffi::callback::{CallbackBodyType, ObjectCallbackBuilder, ObjectCallbackVariableBuilder};
use ossffi::client::Client;
use ossffi::config::ClientConfig;
use ossffi::error::{ErrorKind, ObjectStored};
use ossffi::object::ObjectRequest;
use ossffi::transfer::checkpoint::{Record, file_name};
use ossffi::transfer::{ResumableProgressFn, ResumableUploadRequest};
use ossffi_emulator::{JournalEntry, RunningServer};
use support::callback_receiver::Receiver;
use support::local;

const BUCKET: &str = "resumable-bucket";
const KIB: u64 = 1024;
const PART: u64 = 100 * KIB;

fn emulator() -> RunningServer {
    local::emulator(BUCKET)
}

fn client(server: &RunningServer) -> Client {
    let config = ClientConfig {
        retry_scale_ms: 5,
        max_retries: 2,
        ..local::config()
    };
    local::client_at(&local::url(server), config)
}

/// Pseudo-random bytes, different per seed, so a part sent from the wrong offset never
/// matches by chance.
fn data(len: u64, seed: u8) -> Vec<u8> {
    support::pattern(usize::try_from(len).expect("fits in memory"), seed)
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    local::scratch("resumable", name)
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("write the file");
    path.to_str().expect("UTF-8 path").to_owned()
}

fn request<'a>(key: &str, path: &str, part_size: u64, threads: u32) -> ResumableUploadRequest<'a> {
    let mut request = ResumableUploadRequest::new(BUCKET, key, path);
    request.part_size = part_size;
    request.thread_num = threads;
    request
}

fn with_checkpoint<'a>(
    mut request: ResumableUploadRequest<'a>,
    dir: &Path,
) -> ResumableUploadRequest<'a> {
    request.checkpoint_dir = Some(dir.to_str().unwrap().to_owned());
    request
}

fn count(journal: &[JournalEntry], method: &str, parameter: &str) -> usize {
    journal
        .iter()
        .filter(|e| e.method == method && e.parameter(parameter).is_some())
        .count()
}

/// Waits until the server has answered what a stopped upload left in flight (a part whose
/// last chunk was already sent when the cancel came is still stored and answered), so that
/// those answers are not counted as the next call's.
fn settle(server: &RunningServer) {
    let mut seen = server.journal().len();
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        let now = server.journal().len();
        if now == seen {
            return;
        }
        seen = now;
    }
    panic!("the emulator kept answering requests for 5 s after the upload stopped");
}

fn record_path(dir: &Path, path: &str, key: &str) -> PathBuf {
    dir.join(file_name(path, BUCKET, key))
}

fn open_uploads(client: &Client) -> usize {
    client
        .list_multipart_uploads(&ObjectRequest::new(BUCKET, None))
        .expect("uploads listed")
        .uploads
        .len()
}

fn callback(url: String) -> String {
    ObjectCallbackBuilder {
        url,
        body: "object=${object}&size=${size}&etag=${etag}&who=${x:who}".into(),
        body_type: CallbackBodyType::Url,
        ..ObjectCallbackBuilder::default()
    }
    .build()
}

fn variables() -> String {
    let mut vars = ObjectCallbackVariableBuilder::new();
    vars.add("x:who", "resumable").unwrap();
    vars.build()
}

#[test]
fn a_file_no_larger_than_a_part_is_one_put_object_with_every_header() {
    let server = emulator();
    let client = client(&server);
    let receiver = Receiver::start();
    let dir = scratch("simple");
    let bytes = data(PART, 1);
    let path = write_file(&dir, "small.bin", &bytes);
    let mut request = with_checkpoint(request("small/one.txt", &path, PART, 3), &dir);
    request.set_header("x-oss-callback", &callback(receiver.url()));
    request.set_header("x-oss-callback-var", &variables());
    request.set_header("Cache-Control", "no-cache");
    request.set_header("x-oss-meta-origin", "resumable");

    let result = client
        .resumable_upload_object(&mut request)
        .expect("uploaded");

    let journal = server.journal();
    assert_eq!(journal.len(), 1, "{journal:?}");
    assert_eq!(journal[0].method, "PUT");
    assert_eq!(journal[0].query, "");
    assert_eq!(
        result.body,
        br#"{"Status":"OK","object":"small/one.txt"}"#.to_vec()
    );
    assert_eq!(result.crc64, ossffi::crc64::crc64(&bytes));
    assert_eq!(result.etag, ossffi::digest::md5_of(&bytes).etag());
    let received = receiver.received();
    assert_eq!(received.len(), 1, "the callback arrives once");
    assert_eq!(received[0].form()[3], ("who".into(), "resumable".into()));
    let meta = server.object_meta(BUCKET, "small/one.txt").expect("stored");
    assert!(
        meta.http_headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("cache-control") && v == "no-cache"),
        "{meta:?}"
    );
    assert_eq!(
        meta.user_meta,
        [("x-oss-meta-origin".into(), "resumable".into())]
    );
    assert_eq!(meta.content_type, "text/plain");
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        1,
        "no record was written"
    );
}

#[test]
fn a_larger_file_goes_in_parts_with_the_callback_on_complete_and_crc64_across_parts() {
    let server = emulator();
    let client = client(&server);
    let receiver = Receiver::start();
    let dir = scratch("parts");
    let bytes = data(10 * PART + 777, 2);
    let path = write_file(&dir, "big.bin", &bytes);
    let mut request = with_checkpoint(request("big/parts.bin", &path, PART, 4), &dir);
    request.set_header("x-oss-callback", &callback(receiver.url()));
    request.set_header("x-oss-callback-var", &variables());
    request.set_header("x-oss-object-acl", "public-read");
    request.set_header("x-oss-meta-origin", "resumable");
    request.set_header("Content-Type", "application/x-test");
    let calls = Mutex::new(Vec::new());
    let mut progress = |increment: u64, transferred: u64, total: u64| {
        calls.lock().unwrap().push((increment, transferred, total));
        Ok(())
    };
    request.progress = Some(&mut progress as &mut ResumableProgressFn<'_>);

    let result = client
        .resumable_upload_object(&mut request)
        .expect("uploaded");
    drop(request);

    assert_eq!(server.object_bytes(BUCKET, "big/parts.bin").unwrap(), bytes);
    assert_eq!(result.crc64, ossffi::crc64::crc64(&bytes));
    assert!(result.etag.ends_with("-11"), "{}", result.etag);
    assert!(!result.etag.contains('"'));
    assert_eq!(
        result.body,
        br#"{"Status":"OK","object":"big/parts.bin"}"#.to_vec()
    );
    let received = receiver.received();
    assert_eq!(received.len(), 1, "the callback arrives once");
    let form = received[0].form();
    assert_eq!(form[1], ("size".into(), bytes.len().to_string()));
    assert_eq!(form[2], ("etag".into(), result.etag.clone()));
    assert_eq!(form[3], ("who".into(), "resumable".into()));
    let meta = server.object_meta(BUCKET, "big/parts.bin").unwrap();
    assert_eq!(
        meta.user_meta,
        [("x-oss-meta-origin".into(), "resumable".into())]
    );
    assert_eq!(meta.content_type, "application/x-test");
    assert_eq!(meta.object_type, "Multipart");

    let journal = server.journal();
    assert_eq!(
        local::stored_part_numbers(&journal),
        (1..=11).collect::<Vec<_>>()
    );
    assert_eq!(count(&journal, "POST", "uploads"), 1);
    assert_eq!(count(&journal, "GET", "uploadId"), 0, "nothing to resume");
    assert_eq!(journal.last().unwrap().method, "POST");
    assert!(journal.last().unwrap().parameter("uploadId").is_some());
    assert!(
        !record_path(&dir, &path, "big/parts.bin").exists(),
        "the record is deleted on success"
    );

    let calls = calls.into_inner().unwrap();
    let last = *calls.last().unwrap();
    assert_eq!(last.1, bytes.len() as u64, "progress ends at the file size");
    assert!(calls.iter().all(|c| c.2 == bytes.len() as u64), "one total");
    assert!(calls.windows(2).all(|w| w[1].1 >= w[0].1), "monotonic");
    assert_eq!(calls.iter().map(|c| c.0).sum::<u64>(), bytes.len() as u64);
}

#[test]
fn a_failed_part_stops_the_upload_keeps_the_record_and_a_resume_sends_only_what_is_missing() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("resume");
    let bytes = data(5 * PART + 10, 3);
    let path = write_file(&dir, "resume.bin", &bytes);
    let key = "resume/me.bin";
    server.faults().fail_part(3, u32::MAX, 503);

    let error = client
        .resumable_upload_object(&mut with_checkpoint(request(key, &path, PART, 1), &dir))
        .expect_err("part 3 cannot be stored");
    assert_eq!(error.code, "ServiceUnavailable");
    assert_eq!(error.http_status, 503);
    assert_eq!(error.object_stored, ObjectStored::No);
    assert!(
        error.message.contains("UploadPart 3 of 6"),
        "names the part: {}",
        error.message
    );
    assert!(error.message.contains("resume"), "{}", error.message);
    let journal = server.journal();
    assert_eq!(
        local::stored_part_numbers(&journal),
        [1, 2],
        "no part starts after the failure"
    );
    let record = fs::read(record_path(&dir, &path, key)).expect("the record is kept");
    let record = Record::parse(&record).expect("a record");
    assert!(record.is_intact());
    assert_eq!(record.size, bytes.len() as u64);
    assert_eq!(open_uploads(&client), 1);

    server.faults().clear_part_faults();
    server.clear_journal();
    let resumed_from = Mutex::new(None);
    let mut progress = |increment: u64, transferred: u64, _total: u64| {
        resumed_from
            .lock()
            .unwrap()
            .get_or_insert(transferred - increment);
        Ok(())
    };
    let mut again = with_checkpoint(request(key, &path, PART, 2), &dir);
    again.progress = Some(&mut progress as &mut ResumableProgressFn<'_>);
    let result = client.resumable_upload_object(&mut again).expect("resumed");
    drop(again);

    let journal = server.journal();
    assert_eq!(
        local::stored_part_numbers(&journal),
        [3, 4, 5, 6],
        "only the missing parts"
    );
    assert_eq!(count(&journal, "POST", "uploads"), 0, "the same upload");
    assert_eq!(
        *resumed_from.lock().unwrap(),
        Some(2 * PART),
        "progress starts after the parts already stored"
    );
    assert_eq!(server.object_bytes(BUCKET, key).unwrap(), bytes);
    assert_eq!(result.crc64, ossffi::crc64::crc64(&bytes));
    assert!(!record_path(&dir, &path, key).exists());
    assert_eq!(open_uploads(&client), 0);
}

#[test]
fn without_a_checkpoint_directory_a_failed_upload_is_aborted() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("abort");
    let path = write_file(&dir, "abort.bin", &data(4 * PART, 4));
    server.faults().fail_part(2, u32::MAX, 500);

    let error = client
        .resumable_upload_object(&mut request("abort.bin", &path, PART, 2))
        .expect_err("part 2 cannot be stored");
    assert_eq!(error.code, "InternalError");
    assert!(
        error.message.contains("UploadPart 2 of 4"),
        "{}",
        error.message
    );
    assert!(error.message.contains("aborted"), "{}", error.message);
    assert_eq!(open_uploads(&client), 0, "no orphaned parts");
    assert_eq!(count(&server.journal(), "DELETE", "uploadId"), 1);
    assert!(!server.object_exists(BUCKET, "abort.bin"));
}

#[test]
fn a_part_whose_crc_differs_fails_the_upload_and_says_the_object_is_not_stored() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("part-crc");
    let path = write_file(&dir, "part-crc.bin", &data(3 * PART, 9));
    // The first reply with a CRC-64 is part 1's: the part is stored, the object never is.
    server.faults().wrong_crc_next(1);

    let error = client
        .resumable_upload_object(&mut request("part-crc.bin", &path, PART, 1))
        .expect_err("part 1's CRC-64 differs");
    assert_eq!(error.code, "ClientError:100001");
    assert_eq!(error.object_stored, ObjectStored::No);
    assert!(!server.object_exists(BUCKET, "part-crc.bin"));
}

#[test]
fn a_cancel_from_progress_stops_every_worker_and_the_upload_resumes_later() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("cancel");
    let bytes = data(40 * PART, 5);
    let path = write_file(&dir, "cancel.bin", &bytes);
    let key = "cancel/me.bin";
    let calls = AtomicU32::new(0);
    let mut progress = |_: u64, transferred: u64, _: u64| {
        calls.fetch_add(1, Ordering::Relaxed);
        if transferred >= 3 * PART {
            Err(7_i64)
        } else {
            Ok(())
        }
    };
    let mut first = with_checkpoint(request(key, &path, PART, 4), &dir);
    first.progress = Some(&mut progress as &mut ResumableProgressFn<'_>);
    let error = client
        .resumable_upload_object(&mut first)
        .expect_err("cancelled");
    drop(first);
    assert_eq!(error.kind, ErrorKind::Aborted);
    assert_eq!(error.code, "ClientError:200042");
    assert!(error.message.contains("returned 7"), "{}", error.message);
    settle(&server);
    let stored = local::stored_part_numbers(&server.journal());
    assert!(
        stored.len() < 8,
        "workers stop promptly, not after the other parts: {stored:?}"
    );
    assert!(record_path(&dir, &path, key).exists(), "kept for resume");

    server.clear_journal();
    client
        .resumable_upload_object(&mut with_checkpoint(request(key, &path, PART, 4), &dir))
        .expect("resumed");
    let resent = local::stored_part_numbers(&server.journal());
    assert_eq!(
        resent.len() + stored.len(),
        40,
        "{stored:?} then {resent:?}"
    );
    assert!(resent.iter().all(|n| !stored.contains(n)));
    assert_eq!(server.object_bytes(BUCKET, key).unwrap(), bytes);
}

#[test]
fn a_cancel_without_a_checkpoint_directory_aborts_the_upload() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("cancel-abort");
    let path = write_file(&dir, "c.bin", &data(6 * PART, 6));
    let mut progress = |_: u64, _: u64, _: u64| Err(1_i64);
    let mut request = request("c.bin", &path, PART, 3);
    request.progress = Some(&mut progress as &mut ResumableProgressFn<'_>);
    let error = client.resumable_upload_object(&mut request).unwrap_err();
    assert_eq!(error.code, "ClientError:200042");
    assert!(error.message.contains("aborted"), "{}", error.message);
    assert_eq!(open_uploads(&client), 0);
}

/// Stops an upload right after its record is written (its first progress call).
fn interrupt(server: &RunningServer, client: &Client, key: &str, path: &str, dir: &Path) {
    let mut stop = |_: u64, _: u64, _: u64| Err(1_i64);
    let mut request = with_checkpoint(request(key, path, PART, 1), dir);
    request.progress = Some(&mut stop as &mut ResumableProgressFn<'_>);
    let error = client.resumable_upload_object(&mut request).unwrap_err();
    assert_eq!(error.code, "ClientError:200042");
    settle(server);
}

#[test]
fn a_record_for_a_changed_file_is_discarded_and_a_new_upload_sends_everything() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("stale");
    let key = "stale.bin";
    let bytes = data(3 * PART, 7);
    let path = write_file(&dir, "stale.bin", &bytes);
    interrupt(&server, &client, key, &path, &dir);
    let old = Record::parse(&fs::read(record_path(&dir, &path, key)).unwrap()).unwrap();

    // Same size, another modification time.
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    drop(file);
    server.clear_journal();
    client
        .resumable_upload_object(&mut with_checkpoint(request(key, &path, PART, 2), &dir))
        .expect("a fresh upload");
    let journal = server.journal();
    assert_eq!(count(&journal, "POST", "uploads"), 1, "a new upload");
    assert_eq!(
        count(&journal, "GET", "uploadId"),
        0,
        "the old one is not listed"
    );
    assert_eq!(local::stored_part_numbers(&journal), [1, 2, 3]);
    assert_eq!(server.object_bytes(BUCKET, key).unwrap(), bytes);
    assert!(
        journal
            .iter()
            .all(|e| e.parameter("uploadId").as_deref() != Some(&old.upload_id))
    );

    // Another size.
    interrupt(&server, &client, key, &path, &dir);
    let bigger = data(4 * PART, 8);
    fs::write(&path, &bigger).unwrap();
    server.clear_journal();
    client
        .resumable_upload_object(&mut with_checkpoint(request(key, &path, PART, 2), &dir))
        .expect("a fresh upload");
    assert_eq!(local::stored_part_numbers(&server.journal()), [1, 2, 3, 4]);
    assert_eq!(server.object_bytes(BUCKET, key).unwrap(), bigger);
}

#[test]
fn a_damaged_record_never_crashes_and_the_upload_restarts() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("damaged");
    let key = "damaged.bin";
    let bytes = data(2 * PART + 1, 9);
    let path = write_file(&dir, "damaged.bin", &bytes);
    let record = record_path(&dir, &path, key);
    let intact = {
        interrupt(&server, &client, key, &path, &dir);
        fs::read_to_string(&record).unwrap()
    };
    let damaged: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"{}".to_vec(),
        b"not json at all".to_vec(),
        intact.as_bytes()[..intact.len() / 2].to_vec(),
        intact
            .replace("\"partSize\" : 102400", "\"partSize\" : 0")
            .into_bytes(),
        intact
            .replace("ResumableUpload", "ResumableDownload")
            .into_bytes(),
        intact.replace("\"size\" : ", "\"size\" : \"").into_bytes(),
        vec![0xff, 0xfe, 0x00, 0x7b],
    ];
    for bytes_of_record in damaged {
        fs::write(&record, &bytes_of_record).unwrap();
        server.clear_journal();
        client
            .resumable_upload_object(&mut with_checkpoint(request(key, &path, PART, 2), &dir))
            .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(&bytes_of_record)));
        let journal = server.journal();
        assert_eq!(count(&journal, "POST", "uploads"), 1);
        assert_eq!(local::stored_part_numbers(&journal), [1, 2, 3]);
        assert!(!record.exists());
        assert_eq!(server.object_bytes(BUCKET, key).unwrap(), bytes);
    }
}

#[test]
fn a_record_whose_upload_is_gone_starts_a_new_upload() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("gone");
    let key = "gone.bin";
    let path = write_file(&dir, "gone.bin", &data(3 * PART, 10));
    interrupt(&server, &client, key, &path, &dir);
    let old = Record::parse(&fs::read(record_path(&dir, &path, key)).unwrap()).unwrap();
    let mut abort = ObjectRequest::new(BUCKET, Some(key));
    abort.upload_id = Some(old.upload_id.clone());
    client.abort_multipart_upload(&abort).unwrap();

    server.clear_journal();
    client
        .resumable_upload_object(&mut with_checkpoint(request(key, &path, PART, 2), &dir))
        .expect("a fresh upload");
    let journal = server.journal();
    assert_eq!(journal[0].method, "GET");
    assert_eq!(journal[0].parameter("max-parts").as_deref(), Some("1"));
    assert_eq!(journal[0].status, 404, "NoSuchUpload");
    assert_eq!(count(&journal, "POST", "uploads"), 1);
    assert_eq!(local::stored_part_numbers(&journal), [1, 2, 3]);
}

#[test]
fn a_file_that_shrinks_during_the_upload_fails_and_nothing_is_stored() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("shrink");
    let path = write_file(&dir, "shrink.bin", &data(8 * PART, 11));
    let shrink_path = path.clone();
    let mut shrunk = false;
    let mut progress = move |_: u64, _: u64, _: u64| {
        if !shrunk {
            shrunk = true;
            fs::File::options()
                .write(true)
                .open(&shrink_path)
                .unwrap()
                .set_len(3 * PART)
                .unwrap();
        }
        Ok(())
    };
    let mut request = request("shrink.bin", &path, PART, 2);
    request.progress = Some(&mut progress as &mut ResumableProgressFn<'_>);
    let error = client
        .resumable_upload_object(&mut request)
        .expect_err("never a success");
    assert_eq!(error.kind, ErrorKind::Io, "{error}");
    assert_eq!(error.code, "ClientError:200026");
    assert!(!server.object_exists(BUCKET, "shrink.bin"));
    assert_eq!(open_uploads(&client), 0);
}

#[test]
fn a_file_rewritten_in_place_during_the_upload_is_not_completed() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("rewrite");
    let path = write_file(&dir, "rewrite.bin", &data(3 * PART, 12));
    let touched = path.clone();
    let mut once = false;
    let mut progress = move |_: u64, _: u64, _: u64| {
        if !once {
            once = true;
            let file = fs::File::options().write(true).open(&touched).unwrap();
            file.set_modified(SystemTime::now() + Duration::from_secs(60))
                .unwrap();
        }
        Ok(())
    };
    let mut request = request("rewrite.bin", &path, PART, 1);
    request.progress = Some(&mut progress as &mut ResumableProgressFn<'_>);
    let error = client.resumable_upload_object(&mut request).unwrap_err();
    assert_eq!(error.code, "ClientError:200026");
    assert!(error.message.contains("changed"), "{}", error.message);
    assert!(!server.object_exists(BUCKET, "rewrite.bin"));
    assert_eq!(open_uploads(&client), 0);
}

#[test]
fn the_sdks_validation_comes_first_and_sends_nothing() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("validate");
    let path = write_file(&dir, "v.bin", b"x");
    let missing_dir = dir.join("missing");
    let cases: Vec<(ResumableUploadRequest<'_>, &str)> = vec![
        (
            request("k", &path, PART - 1, 1),
            "The part size is less than 100KB.",
        ),
        (
            request("k", &path, PART, 0),
            "The thread num is less than 1.",
        ),
        (
            with_checkpoint(request("k", &path, PART, 1), &missing_dir),
            "Checkpoint directory is not exist.",
        ),
        (
            request("k", dir.join("nope").to_str().unwrap(), PART, 1),
            "Open upload file failed.",
        ),
        (request("k", "", PART, 1), "Open upload file failed."),
        (
            request("k", dir.to_str().unwrap(), PART, 1),
            "Open upload file failed.",
        ),
    ];
    for (mut request, message) in cases {
        let error = client.resumable_upload_object(&mut request).unwrap_err();
        assert_eq!(error.code, "ValidateError");
        assert_eq!(error.message, message);
    }
    let mut bad_bucket = ResumableUploadRequest::new("Bad_Bucket", "k", &path);
    let error = client.resumable_upload_object(&mut bad_bucket).unwrap_err();
    assert!(error.message.starts_with("The bucket name is invalid."));
    assert!(server.journal().is_empty());
}

#[test]
fn the_part_size_doubles_until_the_file_fits_in_ten_thousand_parts() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("doubling");
    // Sparse: 10,001 parts of 100 KiB would be needed.
    let path = dir.join("sparse.bin");
    let size = 10_001 * PART;
    fs::File::create(&path).unwrap().set_len(size).unwrap();
    let path = path.to_str().unwrap().to_owned();
    interrupt(&server, &client, "sparse.bin", &path, &dir);
    let record = Record::parse(&fs::read(record_path(&dir, &path, "sparse.bin")).unwrap()).unwrap();
    assert_eq!(record.part_size, 2 * PART);
    assert_eq!(record.size, size);
}

#[test]
fn eight_threads_each_upload_with_resumable_on_one_client() {
    let server = emulator();
    let client = client(&server);
    let dir = scratch("eight");
    let files: Vec<(String, Vec<u8>)> = (0..8u8)
        .map(|i| {
            let bytes = data(3 * PART + u64::from(i) * 1000, 20 + i);
            (write_file(&dir, &format!("f{i}.bin"), &bytes), bytes)
        })
        .collect();
    std::thread::scope(|scope| {
        for (i, (path, _)) in files.iter().enumerate() {
            let client = &client;
            let dir = &dir;
            scope.spawn(move || {
                let key = format!("eight/{i}.bin");
                client
                    .resumable_upload_object(&mut with_checkpoint(
                        request(&key, path, PART, 3),
                        dir,
                    ))
                    .unwrap_or_else(|e| panic!("{key}: {e}"));
            });
        }
    });
    for (i, (_, bytes)) in files.iter().enumerate() {
        let key = format!("eight/{i}.bin");
        assert_eq!(
            server.object_bytes(BUCKET, &key).as_ref(),
            Some(bytes),
            "{key}"
        );
    }
    // File 0 is exactly three parts long, the others a little more.
    assert_eq!(
        local::stored_part_numbers(&server.journal()).len(),
        3 + 7 * 4
    );
    assert_eq!(open_uploads(&client), 0);
}

#[test]
fn a_json_callback_with_custom_variables_is_sent_once_on_complete() {
    let server = emulator();
    let client = client(&server);
    let receiver = Receiver::start();
    let dir = scratch("json");
    let bytes = data(4 * PART + 3, 30);
    let path = write_file(&dir, "json.bin", &bytes);
    let mut request = request("json/called back.bin", &path, PART, 3);
    let callback = ObjectCallbackBuilder {
        url: receiver.url(),
        body: r#"{"object":${object},"size":${size},"etag":${etag},"who":${x:who}}"#.into(),
        body_type: CallbackBodyType::Json,
        ..ObjectCallbackBuilder::default()
    }
    .build();
    request.set_header("x-oss-callback", &callback);
    request.set_header("x-oss-callback-var", &variables());

    let result = client
        .resumable_upload_object(&mut request)
        .expect("uploaded");

    let received = receiver.received();
    assert_eq!(received.len(), 1, "the callback arrives once");
    assert!(received[0].verified, "the callback signature verifies");
    assert_eq!(received[0].header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({
            "object": "json/called back.bin",
            "size": bytes.len().to_string(),
            "etag": result.etag,
            "who": "resumable",
        })
    );
    assert!(result.etag.ends_with("-5"), "{}", result.etag);
    // The JSON body does not name the object, so the receiver's reply does not either.
    assert_eq!(result.body, br#"{"Status":"OK","object":""}"#.to_vec());
    let journal = server.journal();
    let posts: Vec<&str> = journal
        .iter()
        .filter(|e| e.method == "POST")
        .map(|e| e.query.as_str())
        .collect();
    assert_eq!(posts.len(), 2, "Initiate and Complete only: {posts:?}");
    assert_eq!(local::stored_part_numbers(&journal), [1, 2, 3, 4, 5]);
}
