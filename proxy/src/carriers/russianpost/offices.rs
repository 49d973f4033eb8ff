//! Russian Post's offices and parcel lockers as the otpravka API describes them (`GET /postoffice/1.0/{index}`),
//! mapped into the shared point model: working hours with the lunch breaks taken out, holidays, and the
//! closed and temporarily closed states. Records are messy (times with milliseconds, coordinates as strings,
//! missing fields), so every field is optional and a record that cannot be shown is skipped with a reason.

use pvz_shared::hours::{Exception, Interval, OpeningHours, parse_minute};
use pvz_shared::{Address, Carrier, LatLon, Limits, Payment, Point, PointKind};
use serde::Deserialize;
use time::Date;

use crate::carriers::{Skip, lenient, schedule, zones};

/// Holidays further ahead than this are not kept.
pub(super) const HOLIDAY_DAYS: i64 = 120;
/// A temporarily closed office is shown closed for this many days ahead (or until the next sync).
const CLOSED_DAYS: i64 = 30;
/// The heaviest parcel an office hands out (Russian Post's limit for online parcels).
pub(super) const OFFICE_MAX_WEIGHT_G: u32 = 20_000;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Office {
    pub postal_code: Option<String>,
    pub address_source: Option<String>,
    pub settlement: Option<String>,
    pub region: Option<String>,
    #[serde(deserialize_with = "lenient::number")]
    pub latitude: Option<f64>,
    #[serde(deserialize_with = "lenient::number")]
    pub longitude: Option<f64>,
    /// `ГОПС`, `СОПС`, `ПОЧТОМАТ`...
    pub type_code: Option<String>,
    pub is_closed: Option<bool>,
    pub is_temporary_closed: Option<bool>,
    pub temporary_closed_reason: Option<String>,
    /// Offices inside closed institutions: not for the public.
    pub is_private_category: Option<bool>,
    pub working_hours: Option<Vec<WorkingDay>>,
    pub holidays: Option<Vec<Holiday>>,
    pub phones: Option<Vec<Phone>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct WorkingDay {
    /// 1 is Monday.
    pub weekday_id: Option<u8>,
    /// `"08:00:00.000"`; none on a day off.
    pub begin_worktime: Option<String>,
    pub end_worktime: Option<String>,
    pub lunches: Option<Vec<Lunch>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Lunch {
    pub begin_lunchtime: Option<String>,
    pub end_lunchtime: Option<String>,
}

/// A dated change: closed all day, or open for the times given.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Holiday {
    pub date: Option<String>,
    pub begin_worktime: Option<String>,
    pub end_worktime: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Phone {
    pub phone_town_code: Option<String>,
    pub phone_number: Option<String>,
    pub is_fax: Option<bool>,
}

pub(super) fn text(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// `"08:00:00.000"` or `"08:00"` as a minute of the day.
pub(super) fn minute(value: &Option<String>) -> Option<u16> {
    parse_minute(value.as_deref()?.trim().get(..5)?)
}

/// One day's opening with its lunch breaks cut out.
fn day_intervals(day: &WorkingDay) -> Vec<Interval> {
    let (Some(open), Some(close)) = (minute(&day.begin_worktime), minute(&day.end_worktime)) else {
        return Vec::new();
    };
    let lunches = day
        .lunches
        .iter()
        .flatten()
        .filter_map(|l| Some((minute(&l.begin_lunchtime)?, minute(&l.end_lunchtime)?)))
        .collect();
    schedule::with_breaks(open, close, lunches)
}

/// `office` as a point, or why it is left out.
pub fn map(office: &Office, carrier: &Carrier, today: Date) -> Result<Point, Skip> {
    if office.is_closed == Some(true) || office.is_private_category == Some(true) {
        return Err(Skip::NoHandout);
    }
    // An office is named by its postcode: without one it cannot be chosen.
    let index = text(&office.postal_code).ok_or(Skip::NoCode)?;
    if !super::is_postcode(&index) {
        return Err(Skip::NoCode);
    }
    let at = LatLon { lat: office.latitude.ok_or(Skip::NoLocation)?, lon: office.longitude.ok_or(Skip::NoLocation)? };
    if !at.is_valid() || (at.lat == 0.0 && at.lon == 0.0) {
        return Err(Skip::NoLocation);
    }
    let locker = office.type_code.as_deref().is_some_and(|t| {
        let t = t.to_uppercase();
        t.contains("ПОЧТОМАТ") || t.contains("АПС")
    });
    let mut week: [Vec<Interval>; 7] = Default::default();
    for day in office.working_hours.iter().flatten() {
        if let Some(id @ 1..=7) = day.weekday_id {
            week[usize::from(id - 1)].extend(day_intervals(day));
        }
    }
    week.iter_mut().for_each(|day| {
        day.sort_by_key(|i| i.open);
        day.dedup();
    });
    let closed_for_now = office.is_temporary_closed == Some(true);
    let mut exceptions: Vec<Exception> = Vec::new();
    let horizon = today + time::Duration::days(HOLIDAY_DAYS);
    for holiday in office.holidays.iter().flatten() {
        let Some(date) = holiday.date.as_deref().and_then(|d| pvz_shared::dates::parse_date(d.trim().get(..10)?))
        else {
            continue;
        };
        if date < today || date > horizon {
            continue;
        }
        let intervals = match (minute(&holiday.begin_worktime), minute(&holiday.end_worktime)) {
            (Some(open), Some(close)) => Interval::as_written(open, close).into_iter().collect(),
            _ => Vec::new(),
        };
        exceptions.push(Exception { date, intervals });
    }
    let reason = text(&office.temporary_closed_reason);
    if closed_for_now {
        exceptions.retain(|e| e.date > today + time::Duration::days(CLOSED_DAYS));
        exceptions.extend(Exception::each_day(today, today + time::Duration::days(CLOSED_DAYS), &[]));
    }
    Exception::tidy(&mut exceptions);
    let city = text(&office.settlement).unwrap_or_default();
    let region = text(&office.region).unwrap_or_else(|| city.clone());
    let street = text(&office.address_source).unwrap_or_default();
    let full = match (city.is_empty(), street.is_empty()) {
        (_, true) => {
            [index.as_str(), city.as_str()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ")
        }
        (true, false) => street.clone(),
        (false, false) if street.contains(&city) => street.clone(),
        (false, false) => format!("{city}, {street}"),
    };
    let phone = office.phones.iter().flatten().filter(|p| p.is_fax != Some(true)).find_map(|p| {
        let number = text(&p.phone_number)?;
        Some(match text(&p.phone_town_code) {
            Some(code) => format!("+7 ({code}) {number}"),
            None => number,
        })
    });
    Ok(Point {
        id: Point::make_id(carrier, &index),
        carrier: carrier.clone(),
        kind: if locker { PointKind::Locker } else { PointKind::PostOffice },
        name: format!("{} {index}", if locker { "Почтомат" } else { "Отделение" }),
        address: Address { full, city, region: region.clone(), postal_code: index, country: Address::home_country() },
        location: at,
        timezone: zones::russia(at.lon, &region),
        hours: OpeningHours { week, exceptions, as_written: None },
        payment: if locker {
            Payment { cash: false, card: true, cash_on_delivery: true }
        } else {
            Payment { cash: true, card: true, cash_on_delivery: true }
        },
        fitting_room: false,
        limits: Limits { max_weight_g: (!locker).then_some(OFFICE_MAX_WEIGHT_G), cells: Vec::new() },
        phone,
        metro: None,
        directions: None,
        notes: closed_for_now.then(|| match reason {
            Some(reason) => format!("Временно закрыто: {reason}"),
            None => "Временно закрыто".into(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn office(json: &str) -> Office {
        serde_json::from_str(json).unwrap()
    }

    fn carrier() -> Carrier {
        Carrier("russianpost".into())
    }

    const OFFICE: &str = r#"{
        "address-source": "Домодедовская ул, 20, к.3", "postal-code": "115551", "settlement": "Москва",
        "region": "Москва г", "latitude": 55.612772, "longitude": "37.704862", "type-code": "ГОПС",
        "is-closed": false, "is-temporary-closed": false,
        "working-hours": [
            {"weekday-id": 1, "begin-worktime": "08:00:00.000", "end-worktime": "20:00:00.000",
             "lunches": [{"begin-lunchtime": "13:00:00.000", "end-lunchtime": "14:00:00.000"}]},
            {"weekday-id": 6, "begin-worktime": "09:00:00.000", "end-worktime": "18:00:00.000", "lunches": []},
            {"weekday-id": 7}
        ],
        "holidays": [{"date": "2026-12-31", "begin-worktime": "09:00", "end-worktime": "15:00"},
                     {"date": "2027-01-01"}, {"date": "2025-01-01"}, {"date": "soon"}],
        "phones": [{"is-fax": true, "phone-number": "1111111"}, {"phone-town-code": "495", "phone-number": "2222222"}]
    }"#;

    #[test]
    fn offices_map_with_lunch_breaks_cut_out_and_holidays_kept() {
        let p = map(&office(OFFICE), &carrier(), TODAY).unwrap();
        assert_eq!(p.id, "russianpost:115551");
        assert_eq!(p.kind, PointKind::PostOffice);
        assert_eq!(p.name, "Отделение 115551");
        assert_eq!(p.address.full, "Москва, Домодедовская ул, 20, к.3");
        assert_eq!(p.location.lon, 37.704862, "a coordinate written as a string is read");
        assert_eq!(p.timezone.utc_offset_minutes, 180);
        let monday: Vec<String> = p.hours.week[0].iter().map(|i| String::from(*i)).collect();
        assert_eq!(monday, ["08:00-13:00", "14:00-20:00"]);
        assert_eq!(p.hours.week[5].len(), 1);
        assert!(p.hours.week[6].is_empty(), "no times: a day off");
        let dates: Vec<String> = p.hours.exceptions.iter().map(|e| e.date.to_string()).collect();
        assert_eq!(dates, ["2026-12-31", "2027-01-01"], "past and unreadable dates are dropped");
        assert_eq!(p.hours.exceptions[0].intervals.len(), 1);
        assert!(p.hours.exceptions[1].intervals.is_empty());
        assert_eq!(p.phone.as_deref(), Some("+7 (495) 2222222"), "the fax is not the phone");
        assert_eq!(p.limits.max_weight_g, Some(20_000));
    }

    #[test]
    fn lockers_and_round_the_clock_hours_are_recognised() {
        let json = r#"{"postal-code": "420500", "address-source": "ул. Баумана, 1", "settlement": "Казань",
            "region": "Татарстан респ", "latitude": "55,79", "longitude": 49.12, "type-code": "ПОЧТОМАТ",
            "working-hours": [{"weekday-id": 3, "begin-worktime": "00:00:00", "end-worktime": "23:59:00"}]}"#;
        let p = map(&office(json), &carrier(), TODAY).unwrap();
        assert_eq!(p.kind, PointKind::Locker);
        assert_eq!(p.name, "Почтомат 420500");
        assert_eq!(p.hours.week[2], [Interval::WHOLE_DAY]);
        assert_eq!(p.location.lat, 55.79, "a decimal comma is read");
        assert!(!p.payment.cash);
    }

    #[test]
    fn a_temporarily_closed_office_is_shown_closed_with_its_reason() {
        let json = OFFICE.replace(
            r#""is-temporary-closed": false"#,
            r#""is-temporary-closed": true, "temporary-closed-reason": "Ремонт""#,
        );
        let p = map(&office(&json), &carrier(), TODAY).unwrap();
        assert_eq!(p.notes.as_deref(), Some("Временно закрыто: Ремонт"));
        assert!(p.hours.on(TODAY).is_empty());
        assert!(p.hours.on(TODAY + time::Duration::days(CLOSED_DAYS)).is_empty());
        // The first Monday after the closure has its usual hours again.
        assert!(!p.hours.on(TODAY + time::Duration::days(CLOSED_DAYS + 5)).is_empty());
    }

    #[test]
    fn closed_private_and_unplaceable_records_are_left_out_with_a_reason() {
        let skip = |json: &str| map(&office(json), &carrier(), TODAY).unwrap_err();
        assert_eq!(skip(&OFFICE.replace(r#""is-closed": false"#, r#""is-closed": true"#)), Skip::NoHandout);
        assert_eq!(skip(r#"{"postal-code": "1155", "latitude": 55, "longitude": 37}"#), Skip::NoCode);
        assert_eq!(skip(r#"{"postal-code": "115551", "latitude": 55}"#), Skip::NoLocation);
        assert_eq!(skip(r#"{"postal-code": "115551", "latitude": 0, "longitude": 0}"#), Skip::NoLocation);
        let unreadable = map(
            &office(
                r#"{"postal-code": "115551", "latitude": 55, "longitude": 37, "settlement": "Москва",
                     "working-hours": [{"weekday-id": 1, "begin-worktime": "20:00", "end-worktime": "08:00"}]}"#,
            ),
            &carrier(),
            TODAY,
        )
        .unwrap();
        assert!(unreadable.hours.is_unknown(), "served with its hours unknown");
        assert_eq!(unreadable.address.full, "115551, Москва", "an office without a street is still found");
        assert!(
            serde_json::from_str::<Office>(r#"{"postal-code": 115551}"#).is_err(),
            "a record of the wrong shape fails alone"
        );
    }
}
