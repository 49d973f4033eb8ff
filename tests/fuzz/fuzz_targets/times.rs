//! Times on the wire (RFC 3339, and CDEK's offsets without a colon after they are fixed up): parsing never
//! panics, and a time that parses is written back and read again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_shared::dates::parse_time;

#[derive(serde::Serialize)]
struct At(#[serde(with = "pvz_shared::dates::rfc3339")] time::OffsetDateTime);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(at) = parse_time(text) {
        let written = serde_json::to_string(&At(at)).expect("a time writes");
        let again = parse_time(written.trim_matches('"'));
        assert_eq!(again, Some(at), "{text:?} -> {written}");
    }
});
