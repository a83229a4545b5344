//! The C++ SDK layer (include/alibabacloud/oss/OssClient.h) where the generic runner in
//! tests/c_api.rs cannot reach: every C++ standard from C++11, the SDK documentation's
//! upload-callback program compiled as its users compile it, our C++ example, and the
//! tests/cpp/sdk_*.cpp scenarios that need the emulator to misbehave first. Every program runs
//! linked statically under ASan + UBSan and dynamically under valgrind.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::native::{self, Linking, Sanitizer, Services};

const BOTH: [(Linking, Sanitizer); 2] = [
    (Linking::Static, Sanitizer::AddressAndUndefined),
    (Linking::Dynamic, Sanitizer::Valgrind),
];

fn build_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cpp_sdk");
    std::fs::create_dir_all(&dir).expect("the build directory can be created");
    dir
}

/// Compiles a C++ program against the C++ layer with `std_flags` (the warning set is always
/// -Wall -Wextra -Werror) into an executable named after `name`, which must be unique among
/// the tests of this file because they run in parallel.
fn compile(
    source: &Path,
    name: &str,
    std_flags: &[&str],
    linking: Linking,
    sanitizer: Sanitizer,
) -> PathBuf {
    let exe = build_dir().join(format!("{name}-{linking:?}-{sanitizer:?}"));
    let mut flags = std_flags.to_vec();
    flags.extend(["-Wall", "-Wextra", "-Werror", "-g"]);
    native::compile_to(source, &exe, "c++", &flags, linking, sanitizer);
    exe
}

/// Runs a program that is not a test (it prints no tally) and returns its stdout, after
/// checking that it exited 0 with no sanitizer or valgrind report.
fn run_clean(exe: &Path, sanitizer: Sanitizer, envs: &[(String, String)]) -> String {
    let output = native::run(exe, sanitizer, envs, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("ERROR: ") && !stderr.contains("runtime error"),
        "{} ({sanitizer:?}) failed with {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        exe.display(),
        output.status
    );
    stdout
}

fn sdk_program(name: &str) -> PathBuf {
    native::repo_root().join("tests/cpp").join(name)
}

/// Runs tests/cpp/`program` with `args` against an emulator prepared by `setup`, in both
/// configurations; the program must print "N passed, 0 failed".
fn run_scenario(program: &str, args: &[&str], setup: impl Fn(&Services)) {
    let source = sdk_program(program);
    let stem = source.file_stem().unwrap().to_string_lossy().into_owned();
    for (linking, sanitizer) in BOTH {
        let exe = compile(
            &source,
            &format!("{stem}-{}", args.join("-")),
            &["-std=c++17", "-pedantic"],
            linking,
            sanitizer,
        );
        let services = Services::start();
        setup(&services);
        native::check_compiled(&exe, &source, linking, sanitizer, &services.envs(), args);
    }
}

#[test]
fn the_header_compiles_from_cpp11_to_cpp20_and_every_sdk_program_as_cpp11_without_warnings() {
    let probe = build_dir().join("include_only.cpp");
    std::fs::write(
        &probe,
        "#include <alibabacloud/oss/OssClient.h>\nint main() { return 0; }\n",
    )
    .unwrap();
    let mut programs: Vec<PathBuf> = std::fs::read_dir(native::repo_root().join("tests/cpp"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("sdk_"))
        .filter(|p| p.extension().is_some_and(|e| e == "cpp" || e == "cc"))
        .collect();
    programs.sort();
    assert!(
        programs.len() >= 8,
        "the sdk_* programs are found: {programs:?}"
    );
    // The header alone in every standard; the programs, which use the whole surface, in the
    // oldest (tests/c_api.rs builds them as C++17).
    let mut builds: Vec<(&str, &Path)> = ["-std=c++11", "-std=c++14", "-std=c++17", "-std=c++20"]
        .into_iter()
        .map(|std| (std, probe.as_path()))
        .collect();
    builds.extend(programs.iter().map(|p| ("-std=c++11", p.as_path())));
    for (std, source) in builds {
        let output = Command::new("c++")
            .args([
                std,
                "-pedantic",
                "-Wall",
                "-Wextra",
                "-Wshadow",
                "-Wconversion",
                "-Werror",
                "-fsyntax-only",
            ])
            .arg("-I")
            .arg(native::repo_root().join("include"))
            .arg("-I")
            .arg(native::repo_root().join("tests/c"))
            .arg(source)
            .output()
            .expect("c++ runs");
        assert!(
            output.status.success(),
            "{} does not compile with {std}:\n{}",
            source.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_sdk_documentation_upload_callback_program_runs_unchanged() {
    for (linking, sanitizer) in BOTH {
        let services = Services::start();
        let envs = services.envs();
        let edited = services.sdk_upload_callback_example();
        let source = build_dir().join(format!("upload_callback_example-{linking:?}.cc"));
        std::fs::write(&source, &edited).unwrap();
        // Exactly the acceptance command line, plus the sanitizer and the library.
        let exe = compile(
            &source,
            "upload_callback_example",
            &["-std=c++11"],
            linking,
            sanitizer,
        );
        let stdout = run_clean(&exe, sanitizer, &envs);
        assert!(!stdout.contains("PutObject fail"), "{stdout}");

        let received = services.receiver.received();
        assert_eq!(received.len(), 1, "one callback arrives: {received:?}");
        let callback = &received[0];
        assert!(callback.verified, "the callback's RSA signature verifies");
        assert_eq!(
            callback.form(),
            vec![
                ("bucket".to_owned(), native::TEST_BUCKET.to_owned()),
                (
                    "object".to_owned(),
                    "exampledir/exampleobject.txt".to_owned()
                ),
                (
                    "etag".to_owned(),
                    "320F8966555D96A4FCF7484EB6D6C414".to_owned()
                ),
                ("size".to_owned(), "50".to_owned()),
                ("mimeType".to_owned(), "text/plain".to_owned()),
                ("my_var1".to_owned(), "value1".to_owned()),
            ],
            "the callback body, substituted: {}",
            callback.body_text()
        );
    }
}

#[test]
fn the_put_callback_example_prints_the_callback_servers_reply() {
    let source = native::repo_root().join("examples_c/put_callback.cpp");
    for (linking, sanitizer) in BOTH {
        let services = Services::start();
        let exe = compile(
            &source,
            "put_callback_example",
            &["-std=c++11"],
            linking,
            sanitizer,
        );
        let mut envs = services.envs();
        let endpoint = envs
            .iter()
            .find(|(k, _)| k == "OSSFFI_TEST_ENDPOINT")
            .unwrap()
            .1
            .clone();
        let callback = envs
            .iter()
            .find(|(k, _)| k == "OSSFFI_TEST_CALLBACK_URL")
            .unwrap()
            .1
            .clone();
        envs.push(("OSS_ENDPOINT".into(), endpoint));
        envs.push(("OSS_REGION".into(), native::TEST_REGION.into()));
        envs.push(("OSS_BUCKET".into(), native::TEST_BUCKET.into()));
        envs.push(("OSS_CALLBACK_URL".into(), callback));
        let stdout = run_clean(&exe, sanitizer, &envs);
        assert!(stdout.contains("  ETag:       "), "{stdout}");
        assert!(
            stdout.contains(
                r#"callback server replied: {"Status":"OK","object":"exampledir/put_callback.txt"}"#
            ),
            "{stdout}"
        );
        assert_eq!(services.receiver.received().len(), 1);
    }
}

#[test]
fn a_wrong_crc_from_the_server_is_client_error_100001() {
    run_scenario("sdk_crc64.cpp", &["wrong-crc"], |s| {
        s.emulator.faults().wrong_crc_next(2)
    });
}

#[test]
fn a_wrong_crc_on_a_download_is_client_error_100001() {
    run_scenario("sdk_get_object.cpp", &["wrong-crc"], |s| {
        s.emulator.faults().wrong_crc_next(2)
    });
}

#[test]
fn retry_strategies_are_honoured_and_each_attempt_asks_the_credentials_provider() {
    run_scenario("sdk_credentials.cpp", &["three-503s"], |s| {
        s.emulator.faults().fail_next(3, 503)
    });
}

/// Runs tests/cpp/<name>.cpp under both sanitizers, each run with its own services, and returns
/// what each run's callback receiver got.
fn callbacks_received_by(name: &str) -> Vec<Vec<support::callback_receiver::Received>> {
    let source = sdk_program(&format!("{name}.cpp"));
    BOTH.into_iter()
        .map(|(linking, sanitizer)| {
            let exe = compile(
                &source,
                name,
                &["-std=c++17", "-pedantic"],
                linking,
                sanitizer,
            );
            let services = Services::start();
            native::check_compiled(&exe, &source, linking, sanitizer, &services.envs(), &[]);
            services.receiver.received()
        })
        .collect()
}

/// tests/cpp/sdk_multipart.cpp (which tests/c_api.rs also runs) against a receiver this test
/// then reads: CompleteMultipartUpload's callbacks arrive signed, with the form and JSON bodies
/// substituted and the custom variables filled in; the dead receiver's callback never arrives.
#[test]
fn multipart_upload_callbacks_reach_the_receiver_with_their_variables() {
    for received in callbacks_received_by("sdk_multipart") {
        assert_eq!(received.len(), 2, "two callbacks arrive: {received:?}");
        assert!(received.iter().all(|r| r.verified), "signatures verify");
        let form = received[0].form();
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(field("bucket"), native::TEST_BUCKET);
        assert_eq!(field("object"), "mp/callback-form.txt");
        assert_eq!(field("size"), "25", "{form:?}");
        assert_eq!(field("my_var1"), "value1", "{form:?}");
        assert!(field("etag").ends_with("-1"), "a multipart ETag: {form:?}");
        let json = received[1].body_text();
        for expected in [
            format!("\"bucket\":\"{}\"", native::TEST_BUCKET),
            "\"object\":\"mp/callback-json.txt\"".to_owned(),
            "\"size\":\"25\"".to_owned(),
            "\"var2\":\"value2\"".to_owned(),
        ] {
            assert!(json.contains(&expected), "{expected} in {json}");
        }
    }
}

/// tests/cpp/sdk_resumable.cpp (which tests/c_api.rs also runs) against a receiver this test
/// then reads: ResumableUploadObject's upload callbacks, from the single PutObject and from the
/// multipart upload's Complete, arrive signed with the form body substituted (the object's
/// size, a multipart ETag for the large file, the custom variable).
#[test]
fn resumable_upload_callbacks_reach_the_receiver_with_their_variables() {
    for received in callbacks_received_by("sdk_resumable") {
        assert_eq!(received.len(), 2, "two callbacks arrive: {received:?}");
        assert!(received.iter().all(|r| r.verified), "signatures verify");
        let field = |index: usize, name: &str| {
            received[index]
                .form()
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
                .unwrap_or_default()
        };
        for (index, object, size) in [
            (0, "res/small.bin", "5000"),
            (1, "res/large.bin", "1049353"),
        ] {
            assert_eq!(field(index, "bucket"), native::TEST_BUCKET);
            assert_eq!(field(index, "object"), object);
            assert_eq!(
                field(index, "size"),
                size,
                "{}",
                received[index].body_text()
            );
            assert_eq!(field(index, "my_var1"), "value1");
        }
        assert_eq!(field(0, "etag").len(), 32, "a PutObject ETag");
        assert!(
            field(1, "etag").ends_with("-11"),
            "a multipart ETag of 11 parts: {}",
            field(1, "etag")
        );
    }
}

/// SDK programs may include any header of the SDK's tree (model/PutObjectRequest.h,
/// client/ClientConfiguration.h, ...); each must compile on its own as C++11, twice in a row
/// (it is include-guarded).
#[test]
fn every_sdk_header_compiles_on_its_own() {
    let root = native::repo_root().join("include");
    let mut headers = Vec::new();
    let mut pending = vec![root.join("alibabacloud")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "h") {
                headers.push(path.strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    headers.sort();
    for expected in [
        "alibabacloud/oss/Const.h",
        "alibabacloud/oss/OssFwd.h",
        "alibabacloud/oss/client/ClientConfiguration.h",
        "alibabacloud/oss/model/PutObjectRequest.h",
        "alibabacloud/oss/model/GetObjectRequest.h",
        "alibabacloud/oss/model/ListObjectsResult.h",
        "alibabacloud/oss/model/InitiateMultipartUploadRequest.h",
        "alibabacloud/oss/model/InitiateMultipartUploadResult.h",
        "alibabacloud/oss/model/UploadPartRequest.h",
        "alibabacloud/oss/model/UploadPartCopyRequest.h",
        "alibabacloud/oss/model/UploadPartCopyResult.h",
        "alibabacloud/oss/model/Part.h",
        "alibabacloud/oss/model/CompleteMultipartUploadRequest.h",
        "alibabacloud/oss/model/CompleteMultipartUploadResult.h",
        "alibabacloud/oss/model/AbortMultipartUploadRequest.h",
        "alibabacloud/oss/model/ListPartsRequest.h",
        "alibabacloud/oss/model/ListPartsResult.h",
        "alibabacloud/oss/model/ListMultipartUploadsRequest.h",
        "alibabacloud/oss/model/ListMultipartUploadsResult.h",
        "alibabacloud/oss/model/UploadObjectRequest.h",
        "alibabacloud/oss/model/GeneratePresignedUrlRequest.h",
        "alibabacloud/oss/OssRequest.h",
        "alibabacloud/oss/utils/Outcome.h",
    ] {
        assert!(
            headers.iter().any(|h| h == expected),
            "{expected} exists: {headers:?}"
        );
    }
    for header in headers {
        let source = build_dir().join(format!("include-{}.cpp", header.replace('/', "_")));
        std::fs::write(
            &source,
            format!("#include <{header}>\n#include <{header}>\nint main() {{ return 0; }}\n"),
        )
        .unwrap();
        let output = syntax_check(&source, "-std=c++11");
        assert!(
            output.status.success(),
            "<{header}> does not compile on its own:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// As in the SDK, OssClient.h does not bring in Const.h's names; including Const.h does.
#[test]
fn const_h_is_not_included_by_ossclient_h() {
    let probe = |name: &str, includes: &str| {
        let source = build_dir().join(format!("const-{name}.cpp"));
        std::fs::write(
            &source,
            format!("{includes}int main() {{ return AlibabaCloud::OSS::DefaultPartSize == 8388608 ? 0 : 1; }}\n"),
        )
        .unwrap();
        syntax_check(&source, "-std=c++11")
    };
    let without = probe("without", "#include <alibabacloud/oss/OssClient.h>\n");
    assert!(
        !without.status.success(),
        "DefaultPartSize is visible through OssClient.h alone"
    );
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("DefaultPartSize"),
        "{}",
        String::from_utf8_lossy(&without.stderr)
    );
    let with = probe(
        "with",
        "#include <alibabacloud/oss/OssClient.h>\n#include <alibabacloud/oss/Const.h>\n",
    );
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
}

/// `c++ -fsyntax-only` of `source` against include/ with the strict warning set.
fn syntax_check(source: &Path, std: &str) -> std::process::Output {
    Command::new("c++")
        .args([
            std,
            "-pedantic",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fsyntax-only",
            "-I",
        ])
        .arg(native::repo_root().join("include"))
        .arg(source)
        .output()
        .expect("c++ runs")
}
