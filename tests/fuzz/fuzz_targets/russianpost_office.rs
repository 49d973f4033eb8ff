//! Russian Post's office records, however malformed: reading and mapping one never panics, and a point that
//! comes out has valid coordinates and hours that stay within the day.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_proxy::carriers::russianpost::offices::{Office, map};
use pvz_shared::Carrier;

fuzz_target!(|data: &[u8]| {
    let Ok(office) = serde_json::from_slice::<Office>(data) else { return };
    let today = time::Date::from_calendar_date(2026, time::Month::November, 22).expect("a date");
    if let Ok(point) = map(&office, &Carrier("russianpost".into()), today) {
        assert!(point.location.is_valid());
        for interval in point.hours.week.iter().flatten().chain(point.hours.exceptions.iter().flat_map(|e| &e.intervals)) {
            assert!(interval.open < interval.close && interval.close <= 24 * 60);
        }
    }
});
