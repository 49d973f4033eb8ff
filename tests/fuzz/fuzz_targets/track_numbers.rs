//! Track numbers as buyers type them: normalising never panics, a number it accepts is written as carriers
//! write them and normalises to itself, and no carrier's recogniser panics on it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_proxy::carriers::{boxberry, cdek, russianpost};
use pvz_shared::tracking::normalise_number;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(number) = normalise_number(text) {
        assert!(number.len() <= 40 && number.bytes().all(|b| b.is_ascii_alphanumeric()), "{number:?}");
        assert_eq!(normalise_number(&number), Ok(number.clone()));
        cdek::tracking::recognise(&number);
        russianpost::tracking::recognise(&number);
        boxberry::tracking::recognise(&number);
    }
});
