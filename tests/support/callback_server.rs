//! Compiling and running examples_c/callback_server.c, the C callback receiver users copy from,
//! against the library `cargo test` just built: statically linked under AddressSanitizer + UBSan,
//! or dynamically linked under valgrind.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::native::{Linking, Sanitizer, library_dir, repo_root};

/// The compiled server for one configuration, built once per test binary.
pub fn executable(sanitizer: Sanitizer) -> &'static Path {
    static ASAN: OnceLock<PathBuf> = OnceLock::new();
    static VALGRIND: OnceLock<PathBuf> = OnceLock::new();
    static PLAIN: OnceLock<PathBuf> = OnceLock::new();
    static TSAN: OnceLock<PathBuf> = OnceLock::new();
    match sanitizer {
        Sanitizer::None => PLAIN.get_or_init(|| compile(Linking::Static, sanitizer)),
        Sanitizer::AddressAndUndefined => ASAN.get_or_init(|| compile(Linking::Static, sanitizer)),
        Sanitizer::Valgrind => VALGRIND.get_or_init(|| compile(Linking::Dynamic, sanitizer)),
        Sanitizer::Thread => TSAN.get_or_init(|| compile(Linking::Dynamic, sanitizer)),
    }
}

fn compile(linking: Linking, sanitizer: Sanitizer) -> PathBuf {
    let lib_dir = library_dir();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("native");
    std::fs::create_dir_all(&dir).expect("the build directory can be created");
    // One name per test binary, so test binaries running at the same time never overwrite each
    // other's executable.
    let exe = dir.join(format!(
        "callback_server-{linking:?}-{sanitizer:?}-{}",
        std::process::id()
    ));
    let mut cmd = Command::new("cc");
    cmd.args(["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-g"])
        .arg("-I")
        .arg(repo_root().join("include"))
        .arg(repo_root().join("examples_c/callback_server.c"))
        .arg("-o")
        .arg(&exe);
    match linking {
        Linking::Static => {
            cmd.args([
                "-fsanitize=address,undefined",
                "-fno-sanitize-recover=all",
                "-fno-omit-frame-pointer",
            ]);
            cmd.arg(lib_dir.join("libossffi.a"));
        }
        Linking::Dynamic => {
            cmd.arg("-L").arg(&lib_dir).arg("-lossffi");
            cmd.arg(format!("-Wl,-rpath,{}", lib_dir.display()));
        }
    }
    cmd.args(["-lpthread", "-ldl", "-lm"]);
    let output = cmd.output().expect("cc runs");
    assert!(
        output.status.success(),
        "compiling examples_c/callback_server.c failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    exe
}

/// A running callback_server process.
pub struct CallbackServer {
    child: Child,
    pub addr: SocketAddr,
    stdout: Arc<Mutex<String>>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr_reader: Option<JoinHandle<String>>,
}

/// How the process ended.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl CallbackServer {
    /// Starts the server with `args` and waits for the bound address on its first line.
    pub fn start(sanitizer: Sanitizer, args: &[&str]) -> CallbackServer {
        let exe = executable(sanitizer);
        let mut cmd = super::native::command(exe, sanitizer);
        let mut child = cmd
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("callback_server starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .expect("callback_server prints its address");
        let addr: SocketAddr = match first.trim().parse() {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let mut stderr = String::new();
                let _ = child
                    .stderr
                    .take()
                    .map(|mut s| s.read_to_string(&mut stderr));
                panic!(
                    "callback_server's first line is not an address: {first:?}\nstderr:\n{stderr}"
                );
            }
        };
        let collected = Arc::new(Mutex::new(String::new()));
        let stdout_reader = {
            let collected = Arc::clone(&collected);
            thread::spawn(move || {
                let mut line = String::new();
                while stdout.read_line(&mut line).unwrap_or(0) > 0 {
                    collected.lock().unwrap().push_str(&line);
                    line.clear();
                }
            })
        };
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr_reader = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        CallbackServer {
            child,
            addr,
            stdout: collected,
            stdout_reader: Some(stdout_reader),
            stderr_reader: Some(stderr_reader),
        }
    }

    /// What the server printed after its address line, so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Waits until stdout contains `text` (the server prints after it answers).
    pub fn wait_for_output(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self.stdout();
            if out.contains(text) || Instant::now() > deadline {
                return out;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn stop(self) -> Finished {
        self.stop_with("TERM")
    }

    /// Sends the signal (`"TERM"`, `"INT"`) and waits for the process to exit.
    pub fn stop_with(mut self, signal: &str) -> Finished {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{signal} failed");
        self.finish()
    }

    /// Waits for the process to exit by itself (for `--max-requests`).
    pub fn wait(mut self) -> Finished {
        self.finish()
    }

    fn finish(&mut self) -> Finished {
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for callback_server") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("callback_server did not exit within 30 s");
            }
            thread::sleep(Duration::from_millis(10));
        };
        if let Some(reader) = self.stdout_reader.take() {
            let _ = reader.join();
        }
        let stderr = self
            .stderr_reader
            .take()
            .map(|reader| reader.join().unwrap_or_default())
            .unwrap_or_default();
        Finished {
            status,
            stdout: self.stdout(),
            stderr,
        }
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        // A test that failed before stopping the server must not leave it running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Finished {
    /// Panics unless the process exited 0 without sanitizer or valgrind reports.
    pub fn assert_clean(&self) {
        assert!(
            self.status.success()
                && !self.stderr.contains("ERROR: ")
                && !self.stderr.contains("runtime error")
                && !self.stderr.lines().any(|l| l.starts_with("==")),
            "callback_server did not exit cleanly ({})\n--- stdout\n{}\n--- stderr\n{}",
            self.status,
            self.stdout,
            self.stderr
        );
    }
}
