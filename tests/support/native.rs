//! Compiling and running the C and C++ test programs against the library that `cargo test`
//! just built (`libossffi.a` and `libossffi.so` sit next to the test binary in target/*/deps).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Clone, Copy, Debug)]
pub enum Linking {
    Static,
    Dynamic,
}

#[derive(Clone, Copy, Debug)]
pub enum Sanitizer {
    AddressAndUndefined,
    Valgrind,
    /// ThreadSanitizer over the C/C++ program, linked dynamically. libossffi is not
    /// instrumented (stable Rust has no -Zsanitizer): TSan cannot see the library's own
    /// synchronisation (atomics, futex-based locks), so the memcpy/socket interceptors it does
    /// see from inside libossffi.so report races that are not there. ignore_noninstrumented_modules
    /// drops exactly those (calls made from the uninstrumented module); every access made by
    /// the program's own code, including C++ callbacks the library calls, is still checked.
    /// What TSan cannot see either is the ordering libossffi gives callbacks it runs on its
    /// own threads (its locks are futexes, and the thread joins it makes are dropped too), so
    /// the programs state the documented orderings with HAPPENS_BEFORE / HAPPENS_AFTER
    /// (tests/c/check.h) and the C++ layer does for ResumableUploadObject's progress.
    Thread,
    /// Plain optimised code, for measurements the sanitizers would distort.
    None,
}

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn read_repo_file(relative: &str) -> String {
    std::fs::read_to_string(repo_root().join(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

/// target/<profile>/deps, where cargo leaves libossffi.a and libossffi.so for tests, with the
/// `libossffi.so.0` link a dynamically linked program asks for by SONAME (cargo makes no such
/// link; `make install` and the `make` of the README do).
pub fn library_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test knows its own path");
        let dir = exe
            .parent()
            .expect("the test binary is in a directory")
            .to_path_buf();
        for lib in ["libossffi.a", "libossffi.so"] {
            assert!(
                dir.join(lib).exists(),
                "{lib} was not built into {}",
                dir.display()
            );
        }
        link_soname(&dir);
        dir
    })
    .clone()
}

/// The SONAME cargo's libossffi.so carries (`libossffi.so.0`), read from the library itself.
pub fn soname(library: &Path) -> String {
    let output = Command::new("readelf")
        .arg("-d")
        .arg(library)
        .output()
        .expect("readelf runs");
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find(|line| line.contains("(SONAME)"))
        .and_then(|line| line.split('[').nth(1))
        .and_then(|rest| rest.split(']').next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{} has no SONAME:\n{text}", library.display()))
}

/// Points `<dir>/<SONAME>` at `<dir>/libossffi.so`. Test binaries run in parallel, so the link
/// is made under a private name and renamed over the old one, which is atomic.
fn link_soname(dir: &Path) {
    let name = soname(&dir.join("libossffi.so"));
    let link = dir.join(&name);
    if std::fs::read_link(&link).is_ok_and(|target| target == Path::new("libossffi.so")) {
        return;
    }
    let private = dir.join(format!("{name}.{}", std::process::id()));
    let _ = std::fs::remove_file(&private);
    std::os::unix::fs::symlink("libossffi.so", &private).expect("the SONAME link can be made");
    std::fs::rename(&private, &link).expect("the SONAME link can be put in place");
}

fn build_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("native");
    std::fs::create_dir_all(&dir).expect("the build directory can be created");
    dir
}

/// The test programs of one language (`tests/c/*.c` or `tests/cpp/*.cpp`), sorted.
pub fn programs(language: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("tests").join(language);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == language))
        .collect();
    // OSSFFI_TEST_PROGRAM=by_url runs one program while working on it; the runner says so.
    if let Ok(only) = std::env::var("OSSFFI_TEST_PROGRAM") {
        eprintln!("OSSFFI_TEST_PROGRAM={only}: running only the {language} programs named so");
        found.retain(|path| path.file_stem().is_some_and(|stem| stem == only.as_str()));
    }
    found.sort();
    assert!(!found.is_empty(), "no test programs in {}", dir.display());
    found
}

fn compiler_and_flags(language: &str) -> (&'static str, &'static [&'static str]) {
    match language {
        "c" => (
            "cc",
            &["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-g"],
        ),
        "cpp" => (
            "c++",
            &[
                "-std=c++17",
                "-Wall",
                "-Wextra",
                "-pedantic",
                "-Werror",
                "-g",
            ],
        ),
        other => panic!("unknown language {other}"),
    }
}

/// Compiles one program (once per test binary: tests running in parallel share the
/// executable instead of overwriting it while another runs it); returns the executable's path.
pub fn compile(source: &Path, language: &str, linking: Linking, sanitizer: Sanitizer) -> PathBuf {
    static BUILT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    let stem = source.file_stem().expect("a file name").to_string_lossy();
    let exe = build_dir().join(format!("{language}-{stem}-{linking:?}-{sanitizer:?}"));
    if !built.contains(&exe) {
        compile_uncached(source, language, linking, sanitizer, &exe);
        built.push(exe.clone());
    }
    exe
}

fn compile_uncached(
    source: &Path,
    language: &str,
    linking: Linking,
    sanitizer: Sanitizer,
    exe: &Path,
) {
    let (compiler, flags) = compiler_and_flags(language);
    compile_to(source, exe, compiler, flags, linking, sanitizer);
}

/// Compiles `source` with `compiler` and `flags` into `exe`, against include/ and tests/c/,
/// linked with the library this test run built, instrumented for `sanitizer`.
pub fn compile_to(
    source: &Path,
    exe: &Path,
    compiler: &str,
    flags: &[&str],
    linking: Linking,
    sanitizer: Sanitizer,
) {
    let lib_dir = library_dir();
    let mut cmd = Command::new(compiler);
    cmd.args(flags)
        .arg("-I")
        .arg(repo_root().join("include"))
        .arg("-I")
        .arg(repo_root().join("tests/c"))
        .arg(source)
        .arg("-o")
        .arg(exe);
    match sanitizer {
        Sanitizer::None => {
            cmd.arg("-O2");
        }
        Sanitizer::AddressAndUndefined => {
            cmd.args([
                "-fsanitize=address,undefined",
                "-fno-sanitize-recover=all",
                "-fno-omit-frame-pointer",
            ]);
        }
        Sanitizer::Thread => {
            cmd.args(["-fsanitize=thread", "-fno-omit-frame-pointer"]);
        }
        Sanitizer::Valgrind => {}
    }
    match linking {
        Linking::Static => {
            cmd.arg(lib_dir.join("libossffi.a"));
        }
        Linking::Dynamic => {
            cmd.arg("-L").arg(&lib_dir).arg("-lossffi");
            cmd.arg(format!("-Wl,-rpath,{}", lib_dir.display()));
        }
    }
    cmd.args(["-lpthread", "-ldl", "-lm"]);
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        output.status.success(),
        "compiling {} failed:\n{}",
        source.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A command that runs `exe` under the sanitizer's runtime settings (or under valgrind).
pub fn command(exe: &Path, sanitizer: Sanitizer) -> Command {
    let mut cmd = runtime(exe, sanitizer);
    // cargo puts target/<profile> on LD_LIBRARY_PATH, which outranks the executable's RUNPATH:
    // a libossffi.so left there by an earlier `cargo build` would be loaded instead of the one
    // this test run built.
    cmd.env("LD_LIBRARY_PATH", library_dir());
    cmd
}

fn runtime(exe: &Path, sanitizer: Sanitizer) -> Command {
    match sanitizer {
        Sanitizer::AddressAndUndefined => {
            let mut cmd = Command::new(exe);
            // LeakSanitizer runs inside every ASan run (detect_leaks=1, said explicitly rather
            // than left to the default): a leak costs nothing to find there, where a separate
            // -fsanitize=leak build would run every program once more. A leak exits with 86.
            cmd.env(
                "ASAN_OPTIONS",
                "detect_leaks=1:abort_on_error=0:exitcode=86",
            )
            .env(
                "UBSAN_OPTIONS",
                "print_stacktrace=1:halt_on_error=1:exitcode=87",
            );
            cmd
        }
        Sanitizer::Thread => {
            let mut cmd = Command::new(exe);
            cmd.env(
                "TSAN_OPTIONS",
                "ignore_noninstrumented_modules=1:halt_on_error=0:exitcode=89:second_deadlock_stack=1",
            );
            cmd
        }
        Sanitizer::None => Command::new(exe),
        Sanitizer::Valgrind => {
            let mut cmd = Command::new("valgrind");
            cmd.args([
                "--error-exitcode=88",
                "--leak-check=full",
                "--errors-for-leak-kinds=definite",
                "-q",
            ])
            .arg(exe);
            cmd
        }
    }
}

/// Runs a compiled program under the sanitizer's runtime and returns its output.
pub fn run(exe: &Path, sanitizer: Sanitizer, envs: &[(String, String)], args: &[&str]) -> Output {
    let mut cmd = command(exe, sanitizer);
    cmd.args(args);
    cmd.envs(envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    cmd.output().unwrap_or_else(|e| {
        panic!(
            "cannot run {} under {sanitizer:?}: {e} (make test installs valgrind)",
            exe.display()
        )
    })
}

/// Reads the "N passed, N failed" line a test program prints last.
pub fn counts(stdout: &str) -> Option<(u32, u32)> {
    let line = stdout.lines().rev().find(|l| l.contains(" passed, "))?;
    let (passed, rest) = line.trim().split_once(" passed, ")?;
    let failed = rest.strip_suffix(" failed")?;
    Some((passed.parse().ok()?, failed.parse().ok()?))
}

/// Compiles and runs one program; panics with its output unless it exits 0 with
/// "N passed, 0 failed" and N > 0.
pub fn check_program(
    source: &Path,
    language: &str,
    linking: Linking,
    sanitizer: Sanitizer,
    envs: &[(String, String)],
    args: &[&str],
) {
    let exe = compile(source, language, linking, sanitizer);
    check_compiled(&exe, source, linking, sanitizer, envs, args);
}

/// Runs an already compiled program; panics with its output unless it passes.
pub fn check_compiled(
    exe: &Path,
    source: &Path,
    linking: Linking,
    sanitizer: Sanitizer,
    envs: &[(String, String)],
    args: &[&str],
) {
    let output = run(exe, sanitizer, envs, args);
    println!(
        "{} {args:?} ({linking:?}, {sanitizer:?}):\n{}",
        source.display(),
        String::from_utf8_lossy(&output.stdout)
    );
    if let Err(why) = verdict(&output) {
        panic!(
            "{} {args:?} ({linking:?}, {sanitizer:?}) failed: {why}",
            source.display()
        );
    }
}

/// Whether a test program's run passed: exit status 0, "N passed, 0 failed" with N > 0, and no
/// sanitizer or valgrind report on stderr (a report with recovery on still fails the run). The
/// error names what failed and carries both outputs.
pub fn verdict(output: &Output) -> Result<(), String> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tally = counts(&stdout);
    let ok = output.status.success()
        && matches!(tally, Some((passed, 0)) if passed > 0)
        && !stderr.contains("ERROR: ")
        && !stderr.contains("WARNING: ThreadSanitizer");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{}, tally {tally:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            output.status
        ))
    }
}

/// Runs every program of a language in one configuration, each with its own emulator and
/// callback receiver (see [`Services`]).
pub fn run_all(language: &str, linking: Linking, sanitizer: Sanitizer) {
    run_each(programs(language), language, linking, sanitizer);
}

/// Runs the given programs of a language in one configuration, as [`run_all`] does.
pub fn run_each(sources: Vec<PathBuf>, language: &str, linking: Linking, sanitizer: Sanitizer) {
    for source in sources {
        let services = Services::start();
        check_program(&source, language, linking, sanitizer, &services.envs(), &[]);
    }
}

/// What in a test program's source means it runs code on more than one thread: threads of its
/// own, the client's async pool, or a resumable upload's part threads.
const THREAD_MARKERS: &[&str] = &[
    "pthread_create",
    "std::thread",
    "std::async",
    "ossffi_client_submit",
    "ossffi_client_execute",
    "ossffi_client_resumable_upload_object",
    "ResumableUploadObject(",
    "Async(",
];

/// The programs of a language that start threads (see [`THREAD_MARKERS`]): the ones the
/// ThreadSanitizer runs cover.
pub fn threaded_programs(language: &str) -> Vec<PathBuf> {
    programs(language)
        .into_iter()
        .filter(|source| {
            let text = std::fs::read_to_string(source).expect("a readable program");
            THREAD_MARKERS.iter().any(|marker| text.contains(marker))
        })
        .collect()
}

pub const TEST_ACCESS_KEY_ID: &str = "LTAI5tNativeTestKey01";
pub const TEST_ACCESS_KEY_SECRET: &str = "NativeTestSecretForTheEmulator1";
pub const TEST_BUCKET: &str = "native-test-bucket";
pub const TEST_REGION: &str = "cn-hangzhou";

/// What a C or C++ test program talks to: an in-process emulator and a callback receiver that
/// verifies signatures, announced to the program through environment variables.
pub struct Services {
    pub emulator: ossffi_emulator::RunningServer,
    pub receiver: super::callback_receiver::Receiver,
    dead_url: String,
}

impl Services {
    pub fn start() -> Services {
        let emulator = ossffi_emulator::Server::start(
            ossffi_emulator::Config::new(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET)
                .with_bucket(TEST_BUCKET)
                .with_region(TEST_REGION),
        )
        .expect("the emulator starts");
        let dead = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let dead_url = format!(
            "http://{}/nobody-listens",
            dead.local_addr().expect("bound")
        );
        drop(dead);
        Services {
            emulator,
            receiver: super::callback_receiver::Receiver::start(),
            dead_url,
        }
    }

    /// The SDK documentation's upload-callback program (tests/cpp/sdk_upload_callback_example.cc)
    /// with the only edits an SDK user makes: endpoint, region, bucket and callback server,
    /// pointed at these services. Line for line the original.
    #[allow(dead_code)] // not every test binary builds the example
    pub fn sdk_upload_callback_example(&self) -> String {
        let original = read_repo_file("tests/cpp/sdk_upload_callback_example.cc");
        let envs = self.envs();
        let env = |key: &str| {
            let value = &envs.iter().find(|(k, _)| k == key).expect("set").1;
            format!("{value:?}")
        };
        let edited = original
            .replace("\"yourEndpoint\"", &env("OSSFFI_TEST_ENDPOINT"))
            .replace("\"yourRegion\"", &env("OSSFFI_TEST_REGION"))
            .replace("\"examplebucket\"", &env("OSSFFI_TEST_BUCKET"))
            .replace(
                "\"https://example.aliyundoc.com:23450\"",
                &env("OSSFFI_TEST_CALLBACK_URL"),
            );
        assert_eq!(original.lines().count(), edited.lines().count());
        edited
    }

    /// OSSFFI_TEST_ENDPOINT, _REGION, _BUCKET, _CALLBACK_URL, _DEAD_CALLBACK_URL and the
    /// OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET the environment credentials read.
    pub fn envs(&self) -> Vec<(String, String)> {
        vec![
            (
                "OSSFFI_TEST_ENDPOINT".into(),
                format!("http://{}", self.emulator.addr()),
            ),
            ("OSSFFI_TEST_REGION".into(), TEST_REGION.into()),
            ("OSSFFI_TEST_BUCKET".into(), TEST_BUCKET.into()),
            ("OSSFFI_TEST_CALLBACK_URL".into(), self.receiver.url()),
            (
                "OSSFFI_TEST_DEAD_CALLBACK_URL".into(),
                self.dead_url.clone(),
            ),
            ("OSS_ACCESS_KEY_ID".into(), TEST_ACCESS_KEY_ID.into()),
            (
                "OSS_ACCESS_KEY_SECRET".into(),
                TEST_ACCESS_KEY_SECRET.into(),
            ),
        ]
    }
}

/// Compiles a translation unit that only includes ossffi.h (and, for C++, the C++ layer when it
/// exists), with the given flags.
pub fn compile_header_only(compiler: &str, flags: &[&str], extension: &str) {
    let dir = build_dir();
    let source = dir.join(format!("header_only.{extension}"));
    std::fs::write(
        &source,
        "#include \"ossffi.h\"\nint main(void) { return ossffi_version() == 0; }\n",
    )
    .expect("the probe source can be written");
    let output = Command::new(compiler)
        .args(flags)
        .arg("-I")
        .arg(repo_root().join("include"))
        .arg("-fsyntax-only")
        .arg(&source)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        output.status.success(),
        "ossffi.h does not compile with {compiler} {flags:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The names of the functions a header declares (`... ossffi_name(` at the start of a
/// declaration).
pub fn declared_functions(header: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in header.lines() {
        if line.starts_with(' ') || line.starts_with('#') || line.starts_with("typedef") {
            continue;
        }
        if let Some(open) = line.find('(') {
            let before = &line[..open];
            let name = before.rsplit([' ', '*']).next().unwrap_or("");
            if name.starts_with("ossffi_") {
                names.push(name.to_owned());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The dynamic symbols libossffi.so defines.
pub fn exported_symbols() -> Vec<String> {
    defined_dynamic_symbols(&library_dir().join("libossffi.so"))
}

/// The dynamic symbols the shared library `so` defines (and so exports).
pub fn defined_dynamic_symbols(so: &Path) -> Vec<String> {
    let output = Command::new("nm")
        .args(["-D", "--defined-only", "--format=posix"])
        .arg(so)
        .output()
        .expect("nm runs");
    assert!(output.status.success(), "nm failed on {}", so.display());
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}
