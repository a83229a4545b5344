//! The `ossffi-emulator` binary: parse flags, start the server, print the bound address,
//! run until SIGINT or SIGTERM.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ossffi_emulator::Server;
use ossffi_emulator::cli::{self, Command};

fn main() -> ExitCode {
    let config = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("ossffi-emulator {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("ossffi-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(signal, stop.clone()) {
            eprintln!("ossffi-emulator: cannot install a signal handler: {e}");
            return ExitCode::FAILURE;
        }
    }
    let server = match Server::start(*config) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("ossffi-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", server.addr());
    let _ = writeln!(out, "public key: {}", server.public_key_url());
    let _ = out.flush();
    drop(out);
    while !stop.load(Ordering::Acquire) {
        std::thread::sleep(Duration::from_millis(50));
    }
    server.shutdown();
    ExitCode::SUCCESS
}
