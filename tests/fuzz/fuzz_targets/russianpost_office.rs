//! Russian Post's office records, however malformed, in both of its shapes (an office record of the search
//! endpoints, a record of the export with its hours as lines): reading and mapping one never panics, and a
//! point that comes out has valid coordinates and hours that stay within the day.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pvz_proxy::carriers::russianpost::{offices, passport};
use pvz_shared::{Carrier, Point};

fn check(point: &Point) {
    assert!(point.location.is_valid());
    for interval in point.hours.week.iter().flatten().chain(point.hours.exceptions.iter().flat_map(|e| &e.intervals)) {
        assert!(interval.open < interval.close && interval.close <= 24 * 60);
    }
}

fuzz_target!(|data: &[u8]| {
    let today = time::Date::from_calendar_date(2026, time::Month::November, 22).expect("a date");
    let carrier = Carrier("russianpost".into());
    if let Ok(office) = serde_json::from_slice::<offices::Office>(data)
        && let Ok(point) = offices::map(&office, &carrier, today)
    {
        check(&point);
    }
    if let Ok(element) = serde_json::from_slice::<passport::Element>(data)
        && let Ok(point) = passport::map(&element, &carrier, today)
    {
        check(&point);
    }
});
