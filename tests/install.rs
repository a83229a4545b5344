//! `make install` as a C or C++ project meets it: the versioned shared library and its links, a
//! SONAME that programs record, only `ossffi_*` symbols, and programs built against the installed
//! tree with CMake (`find_package(ossffi)`) and with pkg-config, static and shared, that upload
//! with an upload callback to the emulator. The C program is examples_c/put_callback.c, the C++
//! one the upload-callback example of the official C++ SDK's documentation
//! (tests/cpp/sdk_upload_callback_example.cc). To stay cheap, the tree installs the debug
//! libraries `cargo test` built (`make install-files LIBSRC=...`) rather than a release build.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use support::native::{self, Services};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const SONAME: &str = concat!("libossffi.so.", env!("CARGO_PKG_VERSION_MAJOR"));
const LIBFILE: &str = concat!("libossffi.so.", env!("CARGO_PKG_VERSION"));
/// The prefix the staged (DESTDIR) install is made for.
const STAGED_PREFIX: &str = "/opt/ossffi";

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("install")
}

/// Runs `make <args>` in the repository and panics with its output unless it succeeds.
fn make(args: &[&str]) {
    let output = Command::new("make")
        .arg("--no-print-directory")
        .arg("-C")
        .arg(native::repo_root())
        .args(args)
        // Not the flags or jobserver of a `make test` this runs under.
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("MAKELEVEL")
        .output()
        .expect("make runs");
    assert!(
        output.status.success(),
        "make {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Installs what this test run built into `PREFIX=prefix` (with `DESTDIR=destdir` if given),
/// starting from an empty directory.
fn install(root: &Path, prefix: &str, destdir: Option<&Path>) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).expect("the install directory can be made");
    let libsrc = native::library_dir();
    let mut args = vec![
        "install-files".to_owned(),
        format!("LIBSRC={}", libsrc.display()),
        format!("PREFIX={prefix}"),
    ];
    if let Some(destdir) = destdir {
        args.push(format!("DESTDIR={}", destdir.display()));
    }
    make(&args.iter().map(String::as_str).collect::<Vec<_>>());
}

/// `make install PREFIX=<tmp>/prefix`: where pkg-config's absolute paths lead.
fn prefix_install() -> &'static Path {
    static PREFIX: OnceLock<PathBuf> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let prefix = work_dir().join("prefix");
        install(&prefix, prefix.to_str().expect("a UTF-8 path"), None);
        prefix
    })
}

/// `make install PREFIX=/opt/ossffi DESTDIR=<tmp>/stage`, as a package build stages it; returns
/// the staged prefix. The CMake package is used from here: it finds its files relative to
/// itself.
fn staged_install() -> &'static Path {
    static STAGED: OnceLock<PathBuf> = OnceLock::new();
    STAGED.get_or_init(|| {
        let destdir = work_dir().join("stage");
        install(&destdir, STAGED_PREFIX, Some(&destdir));
        destdir.join(STAGED_PREFIX.trim_start_matches('/'))
    })
}

fn read_link(path: &Path) -> String {
    std::fs::read_link(path)
        .unwrap_or_else(|e| panic!("{} is not a symbolic link: {e}", path.display()))
        .display()
        .to_string()
}

/// The shared libraries an executable or library asks the dynamic loader for (NEEDED).
fn needed(binary: &Path) -> Vec<String> {
    let output = Command::new("readelf")
        .arg("-d")
        .arg(binary)
        .output()
        .expect("readelf runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.contains("(NEEDED)"))
        .filter_map(|line| line.split('[').nth(1)?.split(']').next())
        .map(str::to_owned)
        .collect()
}

/// Where the dynamic loader finds `library` for `exe`, with no LD_LIBRARY_PATH to help it.
fn resolved(exe: &Path, library: &str) -> PathBuf {
    let output = Command::new("ldd")
        .arg(exe)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .expect("ldd runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|line| line.trim_start().starts_with(library))
        .unwrap_or_else(|| panic!("ldd {} does not list {library}:\n{text}", exe.display()));
    let path = line
        .split("=> ")
        .nth(1)
        .and_then(|rest| rest.split(" (").next())
        .unwrap_or_else(|| panic!("ldd cannot find {library} for {}: {line}", exe.display()));
    assert!(
        !path.contains("not found"),
        "ldd: {library} not found for {}",
        exe.display()
    );
    PathBuf::from(path)
}

/// The SDK documentation's program with the four strings an SDK user edits pointed at
/// `services`, written under `name`.
fn sdk_example(services: &Services, name: &str) -> PathBuf {
    let edited = services.sdk_upload_callback_example();
    let path = work_dir().join(name);
    std::fs::create_dir_all(work_dir()).unwrap();
    std::fs::write(&path, edited).expect("the edited example can be written");
    path
}

fn c_program() -> PathBuf {
    native::repo_root().join("examples_c/put_callback.c")
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Linked {
    Shared,
    Static,
}

/// Checks how `exe` is linked (a shared build records the SONAME and the loader finds the
/// installed file through it; a static one needs no libossffi at all), then runs it against
/// `services` with no LD_LIBRARY_PATH and checks that it uploaded and the callback arrived.
fn check_program(exe: &Path, linked: Linked, lib_dir: &Path, services: &Services, c: bool) {
    let needs = needed(exe);
    match linked {
        Linked::Shared => {
            assert!(
                needs.iter().any(|n| n == SONAME),
                "{} must need {SONAME}: {needs:?}",
                exe.display()
            );
            assert!(
                !needs.iter().any(|n| n == "libossffi.so"),
                "{} needs the unversioned libossffi.so: {needs:?}",
                exe.display()
            );
            assert_eq!(
                resolved(exe, SONAME),
                lib_dir.join(SONAME),
                "{} loads {SONAME} from the installed tree",
                exe.display()
            );
        }
        Linked::Static => assert!(
            !needs.iter().any(|n| n.starts_with("libossffi")),
            "{} is static but needs {needs:?}",
            exe.display()
        ),
    }
    let before = services.receiver.received().len();
    let mut cmd = Command::new(exe);
    cmd.env_remove("LD_LIBRARY_PATH")
        .envs(services.envs())
        .current_dir(work_dir());
    if c {
        let envs = services.envs();
        let env = |key: &str| envs.iter().find(|(k, _)| k == key).unwrap().1.clone();
        let name = exe.file_name().unwrap().to_string_lossy().into_owned();
        let body = work_dir().join(format!("{name}.txt"));
        std::fs::write(
            &body,
            "uploaded by a program built against the installed ossffi\n",
        )
        .unwrap();
        cmd.arg(&body)
            .env("OSS_ENDPOINT", env("OSSFFI_TEST_ENDPOINT"))
            .env("OSS_REGION", env("OSSFFI_TEST_REGION"))
            .env("OSS_BUCKET", env("OSSFFI_TEST_BUCKET"))
            .env("OSS_CALLBACK_URL", env("OSSFFI_TEST_CALLBACK_URL"))
            .env("OSS_OBJECT_KEY", format!("installed/{name}"));
    }
    let output = cmd.output().expect("the built program runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && !stdout.contains("PutObject fail"),
        "{} ({linked:?}) failed with {}\n--- stdout\n{stdout}\n--- stderr\n{}",
        exe.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let received = services.receiver.received();
    assert_eq!(
        received.len(),
        before + 1,
        "{} uploads with a callback that arrives",
        exe.display()
    );
    assert!(
        received[before].verified,
        "the callback's signature verifies"
    );
}

#[test]
fn make_install_ships_the_library_as_distributions_do() {
    let lib = staged_install().join("lib");
    assert_eq!(read_link(&lib.join("libossffi.so")), SONAME);
    assert_eq!(read_link(&lib.join(SONAME)), LIBFILE);
    let real = lib.join(LIBFILE);
    assert!(
        real.is_file() && !real.is_symlink(),
        "{LIBFILE} is the file"
    );
    assert_eq!(native::soname(&real), SONAME);
    assert_eq!(
        SONAME, "libossffi.so.0",
        "0.x releases keep SONAME libossffi.so.0"
    );
    assert!(lib.join("libossffi.a").is_file());
    let include = staged_install().join("include");
    for header in [
        "ossffi.h",
        "alibabacloud/oss/OssClient.h",
        "alibabacloud/oss/model/PutObjectRequest.h",
        "ossffi/callback_verifier.hpp",
    ] {
        assert!(include.join(header).is_file(), "{header} is installed");
    }
    for file in [
        "cmake/ossffi/ossffi-config.cmake",
        "cmake/ossffi/ossffi-config-version.cmake",
    ] {
        assert!(lib.join(file).is_file(), "{file} is installed");
    }
    // DESTDIR stages the files; what they say points at the real prefix.
    let pc = std::fs::read_to_string(lib.join("pkgconfig/ossffi.pc")).unwrap();
    assert!(
        pc.contains(&format!("libdir={STAGED_PREFIX}/lib\n")),
        "ossffi.pc names the prefix, not DESTDIR:\n{pc}"
    );
    assert!(pc.contains(&format!("Version: {VERSION}\n")), "{pc}");
}

/// The names of the functions and data the installed shared library defines and exports.
fn installed_exports() -> Vec<String> {
    native::defined_dynamic_symbols(&prefix_install().join("lib").join(LIBFILE))
}

#[test]
fn the_installed_library_exports_only_ossffi_symbols_and_all_of_the_header() {
    let symbols = installed_exports();
    let foreign: Vec<&String> = symbols
        .iter()
        .filter(|s| !s.starts_with("ossffi_"))
        .collect();
    assert!(foreign.is_empty(), "{LIBFILE} exports {foreign:?}");
    let header = std::fs::read_to_string(prefix_install().join("include/ossffi.h")).unwrap();
    let declared = native::declared_functions(&header);
    assert!(declared.len() > 20, "the header declares the API");
    let missing: Vec<&String> = declared.iter().filter(|f| !symbols.contains(f)).collect();
    assert!(missing.is_empty(), "declared but not exported: {missing:?}");
}

/// The ABI promise for 0.x, as far as a symbol table can tell: nothing a 0.x release exported
/// is gone (tests/install/exported-0.x.txt lists them; new exports are appended to it).
#[test]
fn no_function_an_earlier_0x_release_exported_is_gone() {
    let exported = installed_exports();
    let list = native::read_repo_file("tests/install/exported-0.x.txt");
    let promised: Vec<&str> = list
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .collect();
    assert!(promised.len() > 200, "the list holds the exports");
    let gone: Vec<&&str> = promised
        .iter()
        .filter(|f| !exported.iter().any(|e| e == **f))
        .collect();
    assert!(
        gone.is_empty(),
        "{LIBFILE} no longer exports {gone:?}: a 0.x release keeps every export \
         (README.md, \"Install, link and upgrade\")"
    );
    let new: Vec<&String> = exported
        .iter()
        .filter(|e| !promised.contains(&e.as_str()))
        .collect();
    assert!(
        new.is_empty(),
        "append the new exports {new:?} to tests/install/exported-0.x.txt"
    );
}

#[test]
fn make_uninstall_removes_every_installed_file() {
    let destdir = work_dir().join("uninstall");
    install(&destdir, "/usr/local", Some(&destdir));
    make(&[
        "uninstall",
        "PREFIX=/usr/local",
        &format!("DESTDIR={}", destdir.display()),
    ]);
    let mut left = Vec::new();
    let mut dirs = vec![destdir.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.is_symlink() {
                dirs.push(path);
            } else {
                left.push(path);
            }
        }
    }
    assert!(left.is_empty(), "make uninstall left {left:?}");
}

/// Runs `cmake args...` and panics with its output unless it succeeds.
fn cmake(args: &[&str]) -> String {
    let output = Command::new("cmake")
        .args(args)
        .env_remove("MAKEFLAGS")
        .env_remove("MAKELEVEL")
        .output()
        .expect("cmake runs (make test installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "cmake {args:?} failed:\n{text}");
    text
}

/// Configures tests/install/CMakeLists.txt against the staged install in `build`.
fn cmake_configure(build: &Path, cxx_program: &Path, extra: &[&str]) {
    let _ = std::fs::remove_dir_all(build);
    let source = native::repo_root().join("tests/install");
    let minor = format!(
        "{}.{}",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    let mut args = vec![
        "-S".to_owned(),
        source.display().to_string(),
        "-B".to_owned(),
        build.display().to_string(),
        format!("-DCMAKE_PREFIX_PATH={}", staged_install().display()),
        format!("-DOSSFFI_C_PROGRAM={}", c_program().display()),
        format!("-DOSSFFI_CXX_PROGRAM={}", cxx_program.display()),
        format!("-DOSSFFI_FIND_VERSION={minor}"),
        "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror".to_owned(),
        "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror".to_owned(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    cmake(&args.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn cmake_find_package_builds_c_and_cpp_programs_static_and_shared() {
    let services = Services::start();
    let cxx = sdk_example(&services, "sdk_example_cmake.cc");
    let build = work_dir().join("cmake");
    cmake_configure(&build, &cxx, &[]);
    let build_str = build.display().to_string();
    cmake(&["--build", &build_str, "--parallel", "2"]);
    let lib_dir = staged_install().join("lib");
    for (target, linked, c) in [
        ("c_shared", Linked::Shared, true),
        ("c_static", Linked::Static, true),
        ("cpp_shared", Linked::Shared, false),
        ("cpp_static", Linked::Static, false),
        ("c_default", Linked::Shared, true),
    ] {
        check_program(&build.join(target), linked, &lib_dir, &services, c);
    }
}

#[test]
fn ossffi_use_static_libs_makes_ossffi_ossffi_the_static_library() {
    let services = Services::start();
    let cxx = sdk_example(&services, "sdk_example_cmake_static.cc");
    let build = work_dir().join("cmake-static");
    cmake_configure(&build, &cxx, &["-DOSSFFI_USE_STATIC_LIBS=ON"]);
    let build_str = build.display().to_string();
    cmake(&["--build", &build_str, "--target", "c_default"]);
    let lib_dir = staged_install().join("lib");
    check_program(
        &build.join("c_default"),
        Linked::Static,
        &lib_dir,
        &services,
        true,
    );
}

/// find_package(ossffi X.Y) through the installed version file: while ossffi is 0.x a request
/// is met by the same minor release at the same or a later patch level only.
#[test]
fn the_cmake_version_check_accepts_the_same_minor_release_only() {
    let file = staged_install().join("lib/cmake/ossffi/ossffi-config-version.cmake");
    let major: u32 = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap();
    let minor: u32 = env!("CARGO_PKG_VERSION_MINOR").parse().unwrap();
    let patch: u32 = env!("CARGO_PKG_VERSION_PATCH").parse().unwrap();
    assert_eq!(major, 0, "the 0.x rules are what this checks");
    let mut cases = vec![
        (format!("{major}.{minor}"), true),
        (format!("{major}.{minor}.{patch}"), true),
        (format!("{major}.{minor}.{}", patch + 1), false),
        (format!("{major}.{}", minor + 1), false),
        (format!("{}.0", major + 1), false),
    ];
    if minor > 0 {
        cases.push((format!("{major}.{}", minor - 1), false));
    }
    // What find_package sets before it includes the file; a function keeps each case apart.
    let mut script = format!(
        "function(check PACKAGE_FIND_VERSION PACKAGE_FIND_VERSION_MAJOR PACKAGE_FIND_VERSION_MINOR)\n\
         include(\"{}\")\n\
         message(STATUS \"${{PACKAGE_FIND_VERSION}} => ${{PACKAGE_VERSION_COMPATIBLE}}\")\n\
         endfunction()\n",
        file.display()
    );
    for (request, _) in &cases {
        let parts: Vec<&str> = request.split('.').collect();
        script.push_str(&format!("check({request} {} {})\n", parts[0], parts[1]));
    }
    let path = work_dir().join("version_check.cmake");
    std::fs::write(&path, script).unwrap();
    let out = cmake(&["-P", &path.display().to_string()]);
    for (request, compatible) in cases {
        let expected = format!("{request} => {}", if compatible { "TRUE" } else { "FALSE" });
        assert!(out.contains(&expected), "expected `{expected}`:\n{out}");
    }
}

/// `pkg-config <args>` against the prefix install, split into arguments.
fn pkg_config(args: &[&str]) -> Vec<String> {
    let output = Command::new("pkg-config")
        .args(args)
        .env("PKG_CONFIG_PATH", prefix_install().join("lib/pkgconfig"))
        .output()
        .expect("pkg-config runs (make test installs it)");
    assert!(
        output.status.success(),
        "pkg-config {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

#[test]
fn pkg_config_builds_c_and_cpp_programs_static_and_shared() {
    assert_eq!(pkg_config(&["--modversion", "ossffi"]), [VERSION]);
    let private = pkg_config(&["--static", "--libs", "ossffi"]);
    assert!(private.iter().any(|f| f == "-lpthread"), "{private:?}");
    let libdir = pkg_config(&["--variable=libdir", "ossffi"]).join("");
    let services = Services::start();
    let cxx = sdk_example(&services, "sdk_example_pkg_config.cc");
    let lib_dir = prefix_install().join("lib");
    for (package, linked) in [
        ("ossffi", Linked::Shared),
        ("ossffi-static", Linked::Static),
    ] {
        let flags = pkg_config(&["--cflags", "--libs", package]);
        for (compiler, std, source, c) in [
            ("cc", "-std=c99", c_program(), true),
            ("c++", "-std=c++11", cxx.clone(), false),
        ] {
            let exe = work_dir().join(format!("pkg-config-{package}-{compiler}"));
            let mut cmd = Command::new(compiler);
            cmd.args([std, "-Wall", "-Wextra", "-Werror"])
                .arg(&source)
                .arg("-o")
                .arg(&exe)
                .args(&flags);
            if linked == Linked::Shared {
                cmd.arg(format!("-Wl,-rpath,{libdir}"));
            }
            let output = cmd.output().expect("the compiler runs");
            assert!(
                output.status.success(),
                "{compiler} {} with pkg-config {package} failed:\n{}",
                source.display(),
                String::from_utf8_lossy(&output.stderr)
            );
            check_program(&exe, linked, &lib_dir, &services, c);
        }
    }
}
