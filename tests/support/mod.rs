//! Shared helpers for the integration tests.
#![allow(dead_code)]

pub mod callback_receiver;
pub mod callback_server;
pub mod certs;
pub mod hostile_server;
pub mod native;
pub mod recording_server;
