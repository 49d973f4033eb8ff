//! Boxberry's point records and the free text of their hours, however malformed: reading and mapping one
//! never panics, and a point that comes out has valid coordinates and hours that stay within the day.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_proxy::carriers::boxberry::points::{Record, map};
use pvz_proxy::carriers::schedule;
use pvz_shared::Carrier;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(week) = schedule::week(text)
    {
        assert!(week.iter().flatten().all(|i| i.open < i.close && i.close <= 24 * 60), "{text:?}");
    }
    if let Ok(record) = serde_json::from_slice::<Record>(data)
        && let Ok(point) = map(&record, &Carrier("boxberry".into()))
    {
        assert!(point.location.is_valid());
        assert!(point.hours.week.iter().flatten().all(|i| i.open < i.close && i.close <= 24 * 60));
    }
});
