//! Shared helpers for the integration tests.
#![allow(dead_code)]

pub mod callback_receiver;
pub mod callback_server;
pub mod certs;
pub mod hostile_server;
pub mod local;
pub mod loopback;
pub mod native;
pub mod recording_server;

/// Pseudo-random bytes with no short period, different per seed, so that bytes sent from or
/// copied to the wrong place never match by chance.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ u64::from(seed);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}
