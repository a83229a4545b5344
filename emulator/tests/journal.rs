//! The request journal and part faults: the aids resumable-upload tests count and fail
//! requests with, in-process and through the binary's --journal and --fail-part.

mod common;

use std::net::SocketAddr;
use std::process::Command;

use common::*;
use ossffi_emulator::{FaultSettings, JournalEntry};

fn upload_part(addr: SocketAddr, key: &str, id: &str, n: u32) -> Reply {
    Request::object("PUT", addr, key)
        .query("partNumber", &n.to_string())
        .query("uploadId", id)
        .body(format!("part {n}").into_bytes())
        .sign_v4()
        .send(addr)
}

/// The part numbers ListParts reports for an upload.
fn listed_parts(addr: SocketAddr, key: &str, id: &str) -> Vec<u32> {
    let listed = Request::object("GET", addr, key)
        .query("uploadId", id)
        .sign_v4()
        .send(addr);
    assert_eq!(listed.status, 200, "{}", listed.text());
    listed
        .text()
        .split("<PartNumber>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().parse().unwrap())
        .collect()
}

fn statuses(journal: &[JournalEntry]) -> Vec<(String, u16)> {
    journal
        .iter()
        .map(|e| (e.method.clone(), e.status))
        .collect()
}

fn part_statuses(journal: &[JournalEntry]) -> Vec<(String, u16)> {
    journal
        .iter()
        .filter(|e| e.is_upload_part())
        .map(|e| (e.parameter("partNumber").unwrap(), e.status))
        .collect()
}

#[test]
fn journal_records_signed_requests_in_order_with_raw_path_query_and_status() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "a b.txt", b"x").status, 200);
    assert_eq!(get(addr, "missing").status, 404);
    let anonymous = Request::object("GET", addr, "a b.txt").send(addr);
    assert_eq!(anonymous.status, 403);
    let id = initiate(addr, "big");
    assert_eq!(
        server.journal(),
        vec![
            JournalEntry {
                method: "PUT".into(),
                path: format!("/{BUCKET}/a%20b.txt"),
                query: String::new(),
                status: 200,
            },
            JournalEntry {
                method: "GET".into(),
                path: format!("/{BUCKET}/missing"),
                query: String::new(),
                status: 404,
            },
            JournalEntry {
                method: "POST".into(),
                path: format!("/{BUCKET}/big"),
                query: "uploads".into(),
                status: 200,
            },
        ],
        "the anonymous GET is not journaled"
    );
    assert!(!id.is_empty());
}

#[test]
fn journal_parameters_are_decoded() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    assert_eq!(upload_part(addr, "k", &id, 7).status, 200);
    let listed = Request::object("GET", addr, "")
        .query("uploads", "")
        .query("prefix", "a/b c")
        .sign_v4()
        .send(addr);
    assert_eq!(listed.status, 200, "{}", listed.text());
    let journal = server.journal();
    assert_eq!(journal.len(), 3);
    let (initiated, part, listing) = (&journal[0], &journal[1], &journal[2]);
    assert_eq!(initiated.parameter("uploads"), Some(String::new()));
    assert!(!initiated.is_upload_part());
    assert!(part.is_upload_part());
    assert_eq!(part.parameter("partNumber"), Some("7".into()));
    assert_eq!(part.parameter("uploadId"), Some(id));
    assert_eq!(listing.query, "uploads&prefix=a%2Fb%20c");
    assert_eq!(listing.parameter("prefix"), Some("a/b c".into()));
    assert_eq!(listing.parameter("marker"), None);
}

#[test]
fn journal_records_injected_failures_but_not_dropped_connections() {
    let server = start(config());
    let addr = server.addr();
    server.faults().fail_next(1, 500);
    assert_eq!(put(addr, "f", b"x").status, 500);
    server.faults().drop_next(1);
    assert!(
        send_raw(
            addr,
            &Request::object("GET", addr, "f").sign_v4().to_bytes(),
            false
        )
        .is_none()
    );
    assert_eq!(put(addr, "f", b"x").status, 200);
    assert_eq!(
        statuses(&server.journal()),
        vec![("PUT".into(), 500), ("PUT".into(), 200)]
    );
}

#[test]
fn clear_journal_forgets_what_came_before() {
    let server = start(config());
    let addr = server.addr();
    assert_eq!(put(addr, "one", b"1").status, 200);
    server.clear_journal();
    assert!(server.journal().is_empty());
    assert_eq!(get(addr, "one").status, 200);
    assert_eq!(statuses(&server.journal()), vec![("GET".into(), 200)]);
}

#[test]
fn fail_part_fails_only_that_part_and_counts_down() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    server.faults().fail_part(2, 2, 503);
    assert_eq!(put(addr, "plain", b"x").status, 200, "PutObject is no part");
    assert_eq!(upload_part(addr, "k", &id, 1).status, 200);
    for _ in 0..2 {
        let failed = upload_part(addr, "k", &id, 2);
        assert_eq!(
            (failed.status, failed.code().as_str()),
            (503, "ServiceUnavailable")
        );
    }
    assert_eq!(
        listed_parts(addr, "k", &id),
        vec![1],
        "a failed part is not stored"
    );
    assert_eq!(upload_part(addr, "k", &id, 2).status, 200);
    assert_eq!(upload_part(addr, "k", &id, 3).status, 200);
    assert_eq!(listed_parts(addr, "k", &id), vec![1, 2, 3]);
    assert_eq!(
        part_statuses(&server.journal()),
        vec![
            ("1".into(), 200),
            ("2".into(), 503),
            ("2".into(), 503),
            ("2".into(), 200),
            ("3".into(), 200),
        ]
    );
}

#[test]
fn a_large_failed_part_is_journaled_and_not_stored() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    server.faults().fail_part(1, 1, 503);
    let big = Request::object("PUT", addr, "k")
        .query("partNumber", "1")
        .query("uploadId", &id)
        .body(vec![9u8; 300_000])
        .sign_v4();
    // The answer comes before the body is read and the connection closes behind it, so the
    // client may see the 503 or a reset; the journal has the answer either way.
    let mut conn = Conn::open(addr);
    let _ = std::io::Write::write_all(&mut conn.stream, &big.to_bytes());
    let _ = conn.read_reply(false);
    assert_eq!(part_statuses(&server.journal()), vec![("1".into(), 503)]);
    assert_eq!(listed_parts(addr, "k", &id), Vec::<u32>::new());
    assert_eq!(big.send(addr).status, 200, "the fault was taken once");
}

#[test]
fn fail_part_with_u32_max_fails_until_cleared() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    server.faults().fail_part(1, u32::MAX, 500);
    for _ in 0..5 {
        let failed = upload_part(addr, "k", &id, 1);
        assert_eq!(
            (failed.status, failed.code().as_str()),
            (500, "InternalError")
        );
    }
    server.faults().clear_part_faults();
    assert_eq!(upload_part(addr, "k", &id, 1).status, 200);
}

#[test]
fn several_parts_can_be_armed_at_once() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "k");
    server.faults().fail_part(1, 1, 500);
    server.faults().fail_part(3, 1, 503);
    let answered: Vec<u16> = [3, 2, 1, 1, 3]
        .into_iter()
        .map(|n| upload_part(addr, "k", &id, n).status)
        .collect();
    assert_eq!(answered, vec![503, 200, 500, 200, 200]);
}

#[test]
fn fail_parts_in_fault_settings_are_armed_at_start() {
    let settings = FaultSettings {
        fail_parts: vec![(2, 1)],
        fail_status: 500,
        ..FaultSettings::default()
    };
    let server = start(config().with_faults(settings));
    let addr = server.addr();
    let id = initiate(addr, "k");
    assert_eq!(upload_part(addr, "k", &id, 2).status, 500);
    assert_eq!(upload_part(addr, "k", &id, 2).status, 200);
}

#[test]
fn binary_writes_the_journal_file_and_fails_the_chosen_part() {
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("journal-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let (mut child, addr) = start_binary(
        None,
        &[
            "--journal",
            path.to_str().unwrap(),
            "--fail-part",
            "2:1",
            "--fail-status",
            "500",
        ],
    );
    let id = initiate(addr, "k");
    let statuses: Vec<u16> = [2, 2, 1]
        .into_iter()
        .map(|n| upload_part(addr, "k", &id, n).status)
        .collect();
    // Each line is written before its answer is sent.
    let lines = std::fs::read_to_string(&path).unwrap();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
    let _ = std::fs::remove_file(&path);
    assert_eq!(statuses, vec![500, 200, 200]);
    let part =
        |n: u32, status: u16| format!("PUT /{BUCKET}/k?partNumber={n}&uploadId={id} {status}\n");
    assert_eq!(
        lines,
        format!("POST /{BUCKET}/k?uploads 200\n") + &part(2, 500) + &part(2, 200) + &part(1, 200)
    );
}
