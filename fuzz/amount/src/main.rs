#![no_main]

#[path = "../../src/amount.rs"]
mod amount_reader;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    amount_reader::read_back(data);
});
