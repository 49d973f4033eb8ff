//! Russian Post's tracking answers, however malformed: reading one never panics, and a history that comes
//! out holds no more records than the reader allows. Building a request from any number never panics and
//! always gives well-formed XML that reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_proxy::carriers::russianpost::soap::{Reply, parse, request};

fuzz_target!(|data: &[u8]| {
    if let Ok(Reply::History(records)) = parse(data) {
        assert!(records.len() <= 1_000);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let built = request(text, "login", "password");
        assert!(matches!(parse(built.as_bytes()), Ok(Reply::History(_))), "{built}");
    }
});
