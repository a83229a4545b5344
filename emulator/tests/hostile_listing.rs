//! Hostile paging (issue 15, item 2): ListMultipartUploads, ListParts and ListObjects (v2)
//! with absurd page sizes and markers, markers carrying control characters and markup,
//! `upload-id-marker` alone, and thousands of uploads paged through, with the same
//! assertions as the rest of the suite: the exact answer, a well-formed document, bounded
//! time and memory, and a normal signed request served afterwards.

mod common;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use common::*;

fn list(addr: SocketAddr, key: Option<&str>, query: &[(&str, &str)]) -> Reply {
    let mut req = Request::new("GET", addr, Some(BUCKET), key);
    for (n, v) in query {
        req = req.query(n, v);
    }
    req.sign_v4().send(addr)
}

/// The body is well-formed XML 1.0 with no character XML cannot carry.
fn assert_well_formed(reply: &Reply) {
    let text = reply.text();
    assert!(
        !text
            .chars()
            .any(|c| (c < ' ' && c != '\n' && c != '\t') || c == '\u{fffe}'),
        "a character XML cannot carry: {text:?}"
    );
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed ({e}): {text}"),
        }
    }
}

#[test]
fn absurd_page_sizes_and_part_markers_are_invalid_argument_naming_them() {
    let server = start(config());
    let addr = server.addr();
    let id = initiate(addr, "paged");
    let absurd = [
        "18446744073709551616",
        "99999999999999999999999999",
        "0",
        "1001",
        "-1",
        "-9223372036854775808",
        "1e3",
        "0x10",
        " 5",
        "5 ",
        "",
        "\u{663}",
    ];
    for value in absurd {
        for (what, key, params, name) in [
            (
                "ListMultipartUploads",
                None,
                vec![("uploads", "")],
                "max-uploads",
            ),
            ("ListObjectsV2", None, vec![("list-type", "2")], "max-keys"),
            (
                "ListParts",
                Some("paged"),
                vec![("uploadId", id.as_str())],
                "max-parts",
            ),
        ] {
            let mut query = params.clone();
            query.push((name, value));
            let reply = list(addr, key, &query);
            assert_eq!(
                (reply.status, reply.code().as_str()),
                (400, "InvalidArgument"),
                "{what} {name}={value:?}: {}",
                reply.text()
            );
            assert_eq!(reply.xml("ArgumentName").as_deref(), Some(name));
        }
    }
    for marker in [
        "-1",
        "10001",
        "4294967296",
        "18446744073709551616",
        "one",
        "",
    ] {
        let reply = list(
            addr,
            Some("paged"),
            &[("uploadId", &id), ("part-number-marker", marker)],
        );
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, "InvalidArgument"),
            "part-number-marker={marker:?}"
        );
        assert_eq!(
            reply.xml("ArgumentName").as_deref(),
            Some("part-number-marker")
        );
    }
    // The bounds themselves are served.
    for (params, name) in [
        (vec![("uploads", "")], "max-uploads"),
        (vec![("list-type", "2")], "max-keys"),
    ] {
        for value in ["1", "1000"] {
            let mut query = params.clone();
            query.push((name, value));
            assert_eq!(list(addr, None, &query).status, 200, "{name}={value}");
        }
    }
    let reply = list(
        addr,
        Some("paged"),
        &[("uploadId", &id), ("part-number-marker", "10000")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_still_serving(addr);
}

#[test]
fn markers_and_prefixes_with_control_characters_and_markup_are_echoed_as_well_formed_xml() {
    let server = start(config());
    let addr = server.addr();
    initiate(addr, "a");
    assert_eq!(put(addr, "a", b"x").status, 200);
    let hostile = "m\r\n<x>&\u{1}\u{7f}\"'\u{fffe}]]>";
    for (params, echoed) in [
        (vec![("uploads", ""), ("key-marker", hostile)], "KeyMarker"),
        (
            vec![
                ("uploads", ""),
                ("key-marker", "a"),
                ("upload-id-marker", hostile),
            ],
            "UploadIdMarker",
        ),
        (vec![("uploads", ""), ("prefix", hostile)], "Prefix"),
        (vec![("uploads", ""), ("delimiter", hostile)], "Delimiter"),
        (vec![("marker", hostile)], "Marker"),
        (
            vec![("list-type", "2"), ("start-after", hostile)],
            "StartAfter",
        ),
        (
            vec![("list-type", "2"), ("continuation-token", hostile)],
            "ContinuationToken",
        ),
    ] {
        let reply = list(addr, None, &params);
        assert_eq!(reply.status, 200, "{params:?}: {}", reply.text());
        assert_well_formed(&reply);
        let shown = reply.xml(echoed).unwrap_or_else(|| panic!("no {echoed}"));
        assert!(
            shown.starts_with("m&#13;\n&lt;x&gt;&amp;"),
            "{echoed}: {shown:?}"
        );
        // With encoding-type=url the same value comes back percent-encoded.
        let mut encoded = params.clone();
        encoded.push(("encoding-type", "url"));
        let reply = list(addr, None, &encoded);
        assert_eq!(reply.status, 200);
        assert_well_formed(&reply);
    }
    assert_still_serving(addr);
}

#[test]
fn upload_id_marker_without_key_marker_is_ignored() {
    let server = start(config());
    let addr = server.addr();
    let first = initiate(addr, "k1");
    initiate(addr, "k2");
    let reply = list(addr, None, &[("uploads", ""), ("upload-id-marker", &first)]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.xml("UploadIdMarker").as_deref(), Some(""));
    assert_eq!(all(&reply.text(), "Key"), ["k1", "k2"]);
    // An upload-id-marker naming no upload of the key starts after the ids that sort before it.
    let reply = list(
        addr,
        None,
        &[
            ("uploads", ""),
            ("key-marker", "k1"),
            ("upload-id-marker", &"F".repeat(16 * 1024)),
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(all(&reply.text(), "Key"), ["k2"]);
}

#[test]
fn thousands_of_uploads_are_paged_through_once_each_in_bounded_time_and_memory() {
    let (child, addr) = start_binary(None, &[]);
    let child = Binary(child);
    let mut conn = Conn::open(addr);
    let mut ids = BTreeSet::new();
    // 2,500 uploads: 2,000 under one prefix (one CommonPrefixes entry with "/"), 500 of a
    // single key.
    for i in 0..2_500 {
        let key = if i < 2_000 {
            format!("dir/{i:05}")
        } else {
            "same".to_owned()
        };
        let reply = conn.roundtrip(
            &Request::object("POST", addr, &key)
                .query("uploads", "")
                .sign_v4(),
        );
        assert_eq!(reply.status, 200);
        ids.insert(reply.xml("UploadId").unwrap());
    }
    let before = proc_status(child.0.id(), "VmRSS:");
    let (mut key_marker, mut id_marker) = (String::new(), String::new());
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    loop {
        let started = Instant::now();
        let reply = conn.roundtrip(
            &Request::new("GET", addr, Some(BUCKET), None)
                .query("uploads", "")
                .query("max-uploads", "1000")
                .query("key-marker", &key_marker)
                .query("upload-id-marker", &id_marker)
                .sign_v4(),
        );
        assert_eq!(reply.status, 200);
        assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
        pages += 1;
        for id in all(&reply.text(), "UploadId") {
            assert!(seen.insert(id), "listed twice");
        }
        if reply.xml("IsTruncated").as_deref() == Some("false") {
            break;
        }
        key_marker = reply.xml("NextKeyMarker").unwrap();
        id_marker = reply.xml("NextUploadIdMarker").unwrap();
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids);
    // With a delimiter the 2,000 uploads under dir/ are one entry.
    let reply = conn.roundtrip(
        &Request::new("GET", addr, Some(BUCKET), None)
            .query("uploads", "")
            .query("delimiter", "/")
            .query("max-uploads", "2")
            .sign_v4(),
    );
    assert_eq!(all(&reply.text(), "Prefix"), ["", "dir/"]);
    assert_eq!(all(&reply.text(), "UploadId").len(), 1);
    assert_eq!(reply.xml("IsTruncated").as_deref(), Some("true"));
    let grew = proc_status(child.0.id(), "VmRSS:").saturating_sub(before);
    eprintln!("listing 2,500 uploads grew the emulator by {grew} KiB");
    assert!(grew < 32 * 1024, "{grew} KiB");
    let started = Instant::now();
    assert_eq!(put(addr, "after", b"x").status, 200);
    assert!(started.elapsed() < PROMPT);
}

#[test]
fn listing_objects_costs_memory_for_the_page_not_for_the_bucket() {
    let (child, addr) = start_binary(None, &[]);
    let child = Binary(child);
    // 2,000 objects with 8 KB of metadata each: 16 MB that a listing must not copy.
    let meta = "m".repeat(8000);
    let mut conn = Conn::open(addr);
    for i in 0..2_000 {
        let reply = conn.roundtrip(
            &Request::object("PUT", addr, &format!("obj/{i:05}"))
                .header("x-oss-meta-big", &meta)
                .body(b"x".to_vec())
                .sign_v4(),
        );
        assert_eq!(reply.status, 200);
    }
    // Eight clients at once each list one key four times.
    let grew = peak_growth_of_eight_clients(
        &child,
        addr,
        |reply| {
            assert_eq!(all(&reply.text(), "Key"), ["obj/00000"]);
        },
        move || {
            Request::new("GET", addr, Some(BUCKET), None)
                .query("list-type", "2")
                .query("prefix", "obj/")
                .query("max-keys", "1")
        },
    );
    eprintln!("32 one-key listings of 2,000 objects grew the emulator's peak by {grew} KiB");
    assert!(grew < 8 * 1024, "{grew} KiB");
    // Paging still visits every key once, from any marker.
    let mut token = String::new();
    let mut seen = 0;
    loop {
        let mut req = Request::new("GET", addr, Some(BUCKET), None)
            .query("list-type", "2")
            .query("max-keys", "700");
        if !token.is_empty() {
            req = req.query("continuation-token", &token);
        }
        let reply = conn.roundtrip(&req.sign_v4());
        let keys = all(&reply.text(), "Key");
        if let Some(first) = keys.first() {
            assert_eq!(*first, format!("obj/{seen:05}"));
        }
        seen += keys.len();
        if reply.xml("IsTruncated").as_deref() == Some("false") {
            break;
        }
        token = reply.xml("NextContinuationToken").unwrap();
    }
    assert_eq!(seen, 2_000);
}

#[test]
fn listing_uploads_costs_memory_for_the_page_not_for_the_bucket() {
    let (child, addr) = start_binary(None, &[]);
    let child = Binary(child);
    // 4,000 uploads with 1,000-byte keys: 4 MB of keys that a one-upload page must not copy.
    let key = |i: usize| format!("up/{i:05}/{}", "k".repeat(990));
    let mut conn = Conn::open(addr);
    let mut ids = Vec::new();
    for i in 0..4_000 {
        let reply = conn.roundtrip(
            &Request::object("POST", addr, &key(i))
                .query("uploads", "")
                .sign_v4(),
        );
        assert_eq!(reply.status, 200);
        ids.push(reply.xml("UploadId").unwrap());
    }
    // Eight clients at once each ask four times for the one upload after a key in the middle.
    let (marker, expected) = (key(1_999), ids[2_000].clone());
    let grew = peak_growth_of_eight_clients(
        &child,
        addr,
        move |reply| {
            assert_eq!(all(&reply.text(), "UploadId"), [expected.as_str()]);
            assert_eq!(reply.xml("IsTruncated").as_deref(), Some("true"));
        },
        move || {
            Request::new("GET", addr, Some(BUCKET), None)
                .query("uploads", "")
                .query("prefix", "up/")
                .query("key-marker", &marker)
                .query("max-uploads", "1")
        },
    );
    eprintln!("32 one-upload pages of 4,000 uploads grew the emulator's peak by {grew} KiB");
    assert!(grew < 3 * 1024, "{grew} KiB");
    assert_still_serving(addr);
}

/// Eight clients at once each send `request` (signed) four times, each answered 200 promptly
/// and passing `check`; returns how far that raised the emulator's peak memory, in KiB.
fn peak_growth_of_eight_clients(
    child: &Binary,
    addr: SocketAddr,
    check: impl Fn(&Reply) + Send + Sync + 'static,
    request: impl Fn() -> Request + Send + Sync + 'static,
) -> u64 {
    let before = proc_status(child.0.id(), "VmHWM:");
    let (check, request) = (Arc::new(check), Arc::new(request));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (check, request) = (check.clone(), request.clone());
            std::thread::spawn(move || {
                let mut conn = Conn::open(addr);
                for _ in 0..4 {
                    let started = Instant::now();
                    let reply = conn.roundtrip(&request().sign_v4());
                    assert_eq!(reply.status, 200, "{}", reply.text());
                    check(&reply);
                    assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    proc_status(child.0.id(), "VmHWM:").saturating_sub(before)
}
