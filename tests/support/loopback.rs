//! A TCP server on 127.0.0.1 for tests that play an application server: it accepts until it is
//! dropped and serves each connection on a thread of its own.

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct LoopbackServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Starts accepting on a free loopback port; `serve` gets each connection.
    pub fn start(serve: impl Fn(TcpStream) + Clone + Send + 'static) -> LoopbackServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        // Polled, so that dropping the server ends the accept loop.
        listener.set_nonblocking(true).expect("non-blocking accept");
        let port = listener.local_addr().expect("bound").port();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let serve = serve.clone();
                            std::thread::spawn(move || serve(stream));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(2)),
                    }
                }
            })
        };
        LoopbackServer {
            port,
            stop,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
