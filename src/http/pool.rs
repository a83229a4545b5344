//! Idle keep-alive connections, per target, shared by the threads of one client.

use std::sync::Mutex;

use super::Target;
use super::stream::Stream;

/// The idle connections to one target (through one proxy, or none).
struct Idle {
    target: Target,
    proxy: Option<Target>,
    streams: Vec<Stream>,
}

impl Idle {
    fn is_for(&self, target: &Target, proxy: Option<&Target>) -> bool {
        self.target == *target && self.proxy.as_ref() == proxy
    }
}

/// Targets without idle connections that may stay listed before they are dropped; a client
/// talks to few hosts, so a list searched front to back (the last used first) beats hashing a
/// cloned key twice per request.
const MAX_EMPTY_TARGETS: usize = 32;

pub(super) struct Pool {
    max_idle_per_target: usize,
    idle: Mutex<Vec<Idle>>,
}

impl Pool {
    pub(super) fn new(max_idle_per_target: usize) -> Self {
        Self {
            max_idle_per_target,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The most recently used idle connection that the server has not closed meanwhile. The
    /// probe (one non-blocking peek) runs outside the lock, so threads sharing a client do not
    /// wait on each other's probes.
    pub(super) fn take(&self, target: &Target, proxy: Option<&Target>) -> Option<Stream> {
        loop {
            let candidate = {
                let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
                idle.iter_mut()
                    .find(|entry| entry.is_for(target, proxy))?
                    .streams
                    .pop()?
            };
            if candidate.is_reusable() {
                return Some(candidate);
            }
        }
    }

    pub(super) fn put(&self, target: &Target, proxy: Option<&Target>, stream: Stream) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        match idle.iter().position(|entry| entry.is_for(target, proxy)) {
            Some(at) => {
                // The last used target first: a client mostly talks to one.
                idle.swap(0, at);
                if idle[0].streams.len() < self.max_idle_per_target {
                    idle[0].streams.push(stream);
                }
            }
            None => {
                if idle.len() >= MAX_EMPTY_TARGETS {
                    idle.retain(|entry| !entry.streams.is_empty());
                }
                idle.insert(
                    0,
                    Idle {
                        target: target.clone(),
                        proxy: proxy.cloned(),
                        streams: vec![stream],
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::{SocketAddr, TcpListener, TcpStream};

    use super::*;
    use crate::http::Scheme;

    fn target(host: &str, port: u16) -> Target {
        Target {
            scheme: Scheme::Http,
            host: host.to_owned(),
            port,
        }
    }

    /// A live loopback connection; the server's end is returned to keep it open.
    fn connection(listener: &TcpListener) -> (Stream, TcpStream, SocketAddr) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let local = client.local_addr().unwrap();
        let (server, _) = listener.accept().unwrap();
        (Stream::Plain(client), server, local)
    }

    fn local_addr(stream: &Stream) -> SocketAddr {
        match stream {
            Stream::Plain(tcp) => tcp.local_addr().unwrap(),
            Stream::Tls(tls) => tls.sock.local_addr().unwrap(),
        }
    }

    #[test]
    fn each_target_and_proxy_gets_back_only_its_own_connections_last_in_first_out() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let pool = Pool::new(2);
        let (a, b, proxy) = (target("a", 80), target("b", 80), target("proxy", 3128));
        let mut servers = Vec::new();
        let mut put = |target: &Target, proxy: Option<&Target>| {
            let (stream, server, local) = connection(&listener);
            servers.push(server);
            pool.put(target, proxy, stream);
            local
        };
        let a1 = put(&a, None);
        let b1 = put(&b, None);
        let a2 = put(&a, None);
        let a_proxied = put(&a, Some(&proxy));
        // Beyond max_idle_per_target: dropped.
        put(&a, None);
        let take = |target: &Target, proxy: Option<&Target>| {
            pool.take(target, proxy).map(|stream| local_addr(&stream))
        };
        assert_eq!(take(&a, Some(&proxy)), Some(a_proxied));
        assert_eq!(take(&a, None), Some(a2));
        assert_eq!(take(&b, None), Some(b1));
        assert_eq!(take(&a, None), Some(a1));
        assert_eq!(take(&a, None), None);
        assert_eq!(take(&target("a", 8080), None), None);
    }
}
