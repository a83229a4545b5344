//! An application server for upload callbacks that misbehaves on request, and counts every
//! callback that reaches it (delivered = its request arrived, whatever it answered).

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::callback_receiver::read_request;
use crate::support::loopback::LoopbackServer;

/// How the receiver answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// 200 with a JSON reply.
    Healthy,
    /// The JSON reply, but only after this long (past the emulator's callback timeout).
    Slow(Duration),
    /// 200 with a body that is not JSON.
    Garbage,
}

/// The JSON reply a healthy receiver sends; the upload's result body must be exactly this.
pub const REPLY: &str = r#"{"Status":"OK"}"#;

pub struct FlakyReceiver {
    server: LoopbackServer,
    delivered: Arc<AtomicUsize>,
}

impl FlakyReceiver {
    pub fn start(behaviour: Behaviour) -> FlakyReceiver {
        let delivered = Arc::new(AtomicUsize::new(0));
        let server = {
            let delivered = Arc::clone(&delivered);
            LoopbackServer::start(move |stream| serve(stream, behaviour, &delivered))
        };
        FlakyReceiver { server, delivered }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.server.port())
    }

    /// Callbacks whose request arrived.
    pub fn delivered(&self) -> usize {
        self.delivered.load(Ordering::SeqCst)
    }
}

/// A URL on which nothing listens: a receiver that is down.
pub fn down_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("bound").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/callback")
}

fn serve(mut stream: TcpStream, behaviour: Behaviour, delivered: &AtomicUsize) {
    if read_request(&mut stream).is_none() {
        return;
    }
    delivered.fetch_add(1, Ordering::SeqCst);
    let body = match behaviour {
        Behaviour::Healthy => REPLY,
        Behaviour::Slow(delay) => {
            std::thread::sleep(delay);
            REPLY
        }
        Behaviour::Garbage => "<html>502 Bad Gateway</html>",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
