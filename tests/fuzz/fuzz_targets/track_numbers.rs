//! Track numbers as buyers type them: the parser never panics, and a number it accepts is written as the
//! carrier writes it and reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_shared::tracking::parse_number;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((number, format)) = parse_number(text) {
        assert!(number.len() <= 40 && number.bytes().all(|b| b.is_ascii_alphanumeric()), "{number:?}");
        assert_eq!(parse_number(&number), Ok((number.clone(), format)));
    }
});
