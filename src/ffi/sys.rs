//! The library's own calls into C, for what std cannot say. Kept here with the rest of ossffi's
//! `unsafe`, so the core above stays free of it.

use std::io;
use std::net::TcpStream;
use std::os::fd::AsRawFd;

/// One `recv(MSG_PEEK | MSG_DONTWAIT)`: whether a byte or EOF is waiting, without taking it and
/// without blocking. It replaces `set_nonblocking(true)`, `peek`, `set_nonblocking(false)`, three
/// system calls on every pooled request; std has no flag-taking receive.
pub(crate) fn peek_nonblocking(tcp: &TcpStream) -> io::Result<usize> {
    let mut probe = [0u8; 1];
    // SAFETY: the descriptor belongs to `tcp`, which is borrowed for the call, and `recv` writes
    // at most `probe.len()` bytes into `probe`, which lives until it returns.
    let n = unsafe {
        libc::recv(
            tcp.as_raw_fd(),
            probe.as_mut_ptr().cast(),
            probe.len(),
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    usize::try_from(n).map_err(|_| io::Error::last_os_error())
}
