#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ossffi::fuzzing::callback_verify(data));
