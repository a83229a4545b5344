#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ossffi_emulator::fuzzing::xml_bodies(data));
