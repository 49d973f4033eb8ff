//! The query parsers every map view and quote goes through: the box, the weight, the boxes, money and a
//! whole parcel. None may panic, and what they accept must be in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_shared::{BBox, params};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(bbox) = text.parse::<BBox>() {
        assert!(bbox.west <= bbox.east && bbox.south <= bbox.north, "{bbox:?}");
    }
    if let Ok(Some(grams)) = params::weight(Some(text)) {
        assert!((1..=params::MAX_WEIGHT_G).contains(&grams));
    }
    let _ = params::boxes(Some(text));
    let _ = params::roubles("value", Some(text));
    let mut parts = text.splitn(4, '|');
    let _ = params::parcel(parts.next(), parts.next(), parts.next(), parts.next());
});
