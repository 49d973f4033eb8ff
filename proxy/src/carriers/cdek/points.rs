//! CDEK's offices and postamats (`GET /deliverypoints`, one country at a time, paged by `X-Total-Pages`)
//! mapped into the shared point model. Real records are messy: any field may be missing, empty or odd, so
//! every field is optional here. A record is left out only when it cannot be put on the map or chosen (no
//! code, no coordinates, no handout); one whose hours cannot be read is served with CDEK's own words for them.

use pvz_shared::hours::{Exception, Interval, OpeningHours, parse_minute};
use pvz_shared::{Address, Carrier, Dimensions, LatLon, Limits, Payment, Point, PointKind};
use reqwest::Method;
use serde::Deserialize;
use time::Date;

use super::api::Api;
use crate::Error;
use crate::carriers::{Fetched, Skip, schedule, zones};

/// Points per page: CDEK's pages may be large; fewer, larger pages are fewer calls.
pub const PAGE_SIZE: u32 = 1000;
/// Never more pages than this, whatever the headers say.
const MAX_PAGES: u32 = 200;
/// Exceptions further ahead than this are not kept.
const EXCEPTION_DAYS: i64 = 120;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Office {
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub address_comment: Option<String>,
    /// The hours in words (`"Пн-Пт 10:00-20:00, Сб-Вс 10:00-18:00"`), shown when `work_time_list` cannot be read.
    pub work_time: Option<String>,
    pub nearest_metro_station: Option<String>,
    pub note: Option<String>,
    pub phones: Option<Vec<Phone>>,
    pub take_only: Option<bool>,
    pub is_handout: Option<bool>,
    pub is_dressing_room: Option<bool>,
    pub have_cashless: Option<bool>,
    pub have_cash: Option<bool>,
    pub allowed_cod: Option<bool>,
    pub work_time_list: Option<Vec<WorkTime>>,
    pub work_time_exception_list: Option<Vec<WorkTimeException>>,
    pub weight_max: Option<f64>,
    pub dimensions: Option<Vec<Cell>>,
    pub location: Option<Location>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Phone {
    pub number: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WorkTime {
    /// 1 is Monday.
    pub day: Option<u8>,
    /// `"HH:MM/HH:MM"`.
    pub time: Option<String>,
}

/// Both forms CDEK has used: a date range with times, or one date with a `"HH:MM/HH:MM"` time.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WorkTimeException {
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub time_start: Option<String>,
    pub time_end: Option<String>,
    pub date: Option<String>,
    pub time: Option<String>,
    pub is_working: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Cell {
    pub width: Option<u16>,
    pub height: Option<u16>,
    pub depth: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Location {
    pub country_code: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub address: Option<String>,
    pub address_full: Option<String>,
}

fn text(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// `"10:00/19:00"` (also with `-`); `"00:00/00:00"`, `"00:00/23:59"` and `"00:00/24:00"` are the whole day.
fn interval(time: &str) -> Option<Interval> {
    let (open, close) = time.split_once(['/', '-'])?;
    Interval::as_written(parse_minute(open)?, parse_minute(close)?)
}

/// The date a CDEK date or date-time starts with.
pub fn date(text: &str) -> Option<Date> {
    pvz_shared::dates::parse_date(text.trim().get(..10)?)
}

fn exceptions(list: &[WorkTimeException], today: Date) -> Vec<Exception> {
    let mut out = Vec::new();
    for e in list {
        let (start, end) = match (&e.date_start, &e.date_end, &e.date) {
            (Some(start), end, _) => (date(start), end.as_deref().and_then(date).or_else(|| date(start))),
            (None, _, Some(day)) => (date(day), date(day)),
            _ => (None, None),
        };
        let (Some(start), Some(end)) = (start, end) else { continue };
        let intervals = if e.is_working == Some(true) {
            let time = match (&e.time_start, &e.time_end, &e.time) {
                (Some(open), Some(close), _) => format!("{open}/{close}"),
                (_, _, Some(time)) => time.clone(),
                _ => continue,
            };
            match interval(&time) {
                Some(interval) => vec![interval],
                None => continue,
            }
        } else {
            Vec::new()
        };
        let last = end.min(today + time::Duration::days(EXCEPTION_DAYS));
        out.extend(Exception::each_day(start.max(today), last, &intervals));
    }
    Exception::tidy(&mut out);
    out
}

/// `office` as a point, or why it is left out.
pub fn map(office: &Office, carrier: &Carrier, today: Date) -> Result<Point, Skip> {
    if office.is_handout == Some(false) || office.take_only == Some(true) {
        return Err(Skip::NoHandout);
    }
    let code = text(&office.code).ok_or(Skip::NoCode)?;
    if !code.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') || code.len() > 40 {
        return Err(Skip::NoCode);
    }
    let kind = match office.kind.as_deref() {
        Some("POSTAMAT") => PointKind::Locker,
        _ => PointKind::PickupPoint,
    };
    let location = office.location.as_ref().ok_or(Skip::NoLocation)?;
    let at =
        LatLon { lat: location.latitude.ok_or(Skip::NoLocation)?, lon: location.longitude.ok_or(Skip::NoLocation)? };
    if !at.is_valid() || (at.lat == 0.0 && at.lon == 0.0) {
        return Err(Skip::NoLocation);
    }
    let mut week: [Vec<Interval>; 7] = Default::default();
    for entry in office.work_time_list.iter().flatten() {
        let (Some(day @ 1..=7), Some(time)) = (entry.day, entry.time.as_deref()) else { continue };
        if let Some(interval) = interval(time) {
            week[usize::from(day - 1)].push(interval);
        }
    }
    week.iter_mut().for_each(|day| day.sort_by_key(|i| i.open));
    // When the list cannot be read, the hours in words may be; otherwise the words are shown as they are.
    let mut as_written = None;
    if week.iter().all(Vec::is_empty) {
        let words = text(&office.work_time);
        match words.as_deref().and_then(schedule::week) {
            Some(read) => week = read,
            None => as_written = words,
        }
    }
    let country = text(&location.country_code)
        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        .map_or_else(Address::home_country, |c| c.to_ascii_uppercase());
    let city = text(&location.city).unwrap_or_default();
    let region = text(&location.region).unwrap_or_else(|| city.clone());
    let street = text(&location.address).unwrap_or_default();
    let full = text(&location.address_full).unwrap_or_else(|| [city.as_str(), street.as_str()].join(", "));
    let name = text(&office.name)
        .map(|n| n.strip_prefix(&format!("{code}, ")).map(String::from).unwrap_or(n))
        .unwrap_or_else(|| street.clone());
    let cells = office
        .dimensions
        .iter()
        .flatten()
        .filter_map(|c| match (c.depth, c.width, c.height) {
            (Some(length @ 1..=500), Some(width @ 1..=500), Some(height @ 1..=500)) => {
                Some(Dimensions { length, width, height })
            }
            _ => None,
        })
        .collect();
    let directions = text(&office.address_comment);
    let notes = text(&office.note).filter(|n| Some(n) != directions.as_ref());
    Ok(Point {
        id: Point::make_id(carrier, &code),
        carrier: carrier.clone(),
        kind,
        name,
        address: Address {
            full,
            city,
            region: region.clone(),
            postal_code: text(&location.postal_code).unwrap_or_default(),
            country: country.clone(),
        },
        location: at,
        timezone: zones::of(&country, at.lon, &region),
        hours: OpeningHours {
            week,
            exceptions: exceptions(office.work_time_exception_list.as_deref().unwrap_or_default(), today),
            as_written,
        },
        payment: Payment {
            cash: office.have_cash.unwrap_or(false),
            card: office.have_cashless.unwrap_or(false),
            cash_on_delivery: office.allowed_cod.unwrap_or(false),
        },
        fitting_room: office.is_dressing_room.unwrap_or(false),
        limits: Limits {
            max_weight_g: office
                .weight_max
                .filter(|kg| kg.is_finite() && *kg > 0.0)
                .map(|kg| (kg * 1000.0).round() as u32),
            cells,
        },
        phone: office.phones.iter().flatten().find_map(|p| text(&p.number)),
        metro: text(&office.nearest_metro_station),
        directions,
        notes,
    })
}

/// Every office that hands parcels out in `countries`, country by country and page by page.
pub async fn fetch_all(api: &Api, carrier: &Carrier, countries: &[String], today: Date) -> Result<Fetched, Error> {
    let mut records = Vec::new();
    let mut pages = 0u32;
    for country in countries {
        let mut page = 0u32;
        loop {
            let query =
                [("country_code", country.clone()), ("size", PAGE_SIZE.to_string()), ("page", page.to_string())];
            // Records are read one by one below, so that one bad record costs only itself.
            let answer = api.call::<Vec<serde_json::Value>>(Method::GET, "deliverypoints", |r| r.query(&query)).await?;
            let total_pages = answer
                .headers
                .get("x-total-pages")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u32>().ok());
            let count = answer.body.len();
            records.extend(answer.body.into_iter().map(|record| match serde_json::from_value::<Office>(record) {
                Ok(office) => map(&office, carrier, today).inspect_err(|why| {
                    if *why != Skip::NoHandout {
                        tracing::debug!(code = office.code.as_deref().unwrap_or("?"), ?why, "CDEK point left out");
                    }
                }),
                Err(err) => {
                    tracing::warn!(error = %err, "CDEK point left out: unreadable record");
                    Err(Skip::Unreadable)
                }
            }));
            page += 1;
            let more = match total_pages {
                Some(total) => page < total,
                None => count as u32 >= PAGE_SIZE,
            };
            if !more || page >= MAX_PAGES {
                break;
            }
        }
        pages += page;
    }
    let fetched = Fetched::tally(records);
    tracing::info!(points = fetched.points.len(), skipped = ?fetched.skipped, pages, "CDEK points fetched");
    Ok(fetched)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        time::macros::date!(2026 - 11 - 22)
    }

    fn office(json: &str) -> Office {
        serde_json::from_str(json).expect("an office record")
    }

    const FULL: &str = r#"{
        "code": "MSK123", "name": "MSK123, Москва, ул. Тверская", "type": "POSTAMAT",
        "address_comment": "Вход со двора", "note": "Вход со двора", "nearest_metro_station": "Тверская",
        "phones": [{"number": " "}, {"number": "+74950000000"}],
        "is_handout": true, "take_only": false, "is_dressing_room": false,
        "have_cashless": true, "have_cash": false, "allowed_cod": true,
        "work_time_list": [{"day": 1, "time": "00:00/23:59"}, {"day": 7, "time": "10:00/14:00"},
                           {"day": 7, "time": "15:00/19:00"}, {"day": 9, "time": "10:00/11:00"}],
        "work_time_exception_list": [
            {"date_start": "2026-12-31", "date_end": "2027-01-02", "is_working": false},
            {"date": "2026-11-25", "time": "12:00/16:00", "is_working": true}],
        "weight_max": 20, "dimensions": [{"width": 38, "height": 8, "depth": 64}, {"width": 0, "height": 1, "depth": 1}],
        "location": {"region": "Москва", "city": "Москва", "postal_code": "125009", "latitude": 55.76,
                     "longitude": 37.61, "address": "ул. Тверская, 1", "address_full": "125009, Россия, Москва, ул. Тверская, 1"}
    }"#;

    #[test]
    fn every_field_the_widget_shows_is_mapped() {
        let carrier = Carrier("cdek".into());
        let p = map(&office(FULL), &carrier, today()).unwrap();
        assert_eq!(p.id, "cdek:MSK123");
        assert_eq!(p.kind, PointKind::Locker);
        assert_eq!(p.name, "Москва, ул. Тверская");
        assert_eq!(p.address.full, "125009, Россия, Москва, ул. Тверская, 1");
        assert_eq!(p.timezone.utc_offset_minutes, 180);
        assert_eq!(p.hours.week[0], [Interval::WHOLE_DAY]);
        assert_eq!(p.hours.week[6].len(), 2, "a lunch break makes two intervals");
        assert!(p.hours.week[1].is_empty());
        let dates: Vec<_> = p.hours.exceptions.iter().map(|e| (e.date.to_string(), e.intervals.len())).collect();
        assert_eq!(
            dates,
            [("2026-11-25".into(), 1), ("2026-12-31".into(), 0), ("2027-01-01".into(), 0), ("2027-01-02".into(), 0)]
        );
        assert_eq!((p.payment.card, p.payment.cash, p.payment.cash_on_delivery), (true, false, true));
        assert_eq!(p.limits.max_weight_g, Some(20_000));
        assert_eq!(p.limits.cells, [Dimensions { length: 64, width: 38, height: 8 }]);
        assert_eq!(p.phone.as_deref(), Some("+74950000000"));
        assert_eq!(p.metro.as_deref(), Some("Тверская"));
        assert_eq!(p.directions.as_deref(), Some("Вход со двора"));
        assert_eq!(p.notes, None, "a note repeating the directions is not shown twice");
    }

    #[test]
    fn messy_records_are_skipped_with_a_reason_and_reception_only_offices_left_out() {
        let carrier = Carrier("cdek".into());
        let skip = |json: &str| map(&office(json), &carrier, today()).unwrap_err();
        assert_eq!(skip(r#"{"code": "A1", "is_handout": false}"#), Skip::NoHandout);
        assert_eq!(skip(r#"{"code": "A1", "take_only": true}"#), Skip::NoHandout);
        assert_eq!(skip(r#"{"code": "", "location": {"latitude": 55.0, "longitude": 37.0}}"#), Skip::NoCode);
        assert_eq!(skip(r#"{"code": "A1"}"#), Skip::NoLocation);
        assert_eq!(skip(r#"{"code": "A1", "location": {"latitude": 0, "longitude": 0}}"#), Skip::NoLocation);
        assert!(serde_json::from_str::<Office>(r#"{"code": 5}"#).is_err(), "a record of the wrong shape fails alone");
    }

    #[test]
    fn unreadable_hours_are_served_as_unknown_with_cdeks_own_words() {
        let carrier = Carrier("cdek".into());
        let odd = r#"{"code": "A1", "location": {"latitude": 55.0, "longitude": 37.0},
                      "work_time": "по предварительной записи",
                      "work_time_list": [{"day": 1, "time": "по записи"}, {"day": 2}]}"#;
        let point = map(&office(odd), &carrier, today()).unwrap();
        assert!(point.hours.is_unknown());
        assert_eq!(point.hours.as_written.as_deref(), Some("по предварительной записи"));
    }

    #[test]
    fn hours_only_in_words_are_read_from_the_words() {
        let carrier = Carrier("cdek".into());
        let words = r#"{"code": "A1", "location": {"latitude": 55.0, "longitude": 37.0},
                        "work_time": "Пн-Пт 09:00-18:00, Сб 10:00-14:00", "work_time_list": []}"#;
        let point = map(&office(words), &carrier, today()).unwrap();
        assert_eq!(point.hours.week[0], [Interval::new(540, 1080).unwrap()]);
        assert_eq!(point.hours.week[5], [Interval::new(600, 840).unwrap()]);
        assert!(point.hours.week[6].is_empty() && point.hours.as_written.is_none());
    }

    #[test]
    fn every_spelling_of_round_the_clock_makes_a_round_the_clock_locker() {
        let carrier = Carrier("cdek".into());
        for time in ["00:00/00:00", "00:00/23:59", "00:00/24:00", "00:00-24:00"] {
            let json = format!(
                r#"{{"code": "A1", "type": "POSTAMAT", "location": {{"latitude": 55.0, "longitude": 37.0}},
                    "work_time_list": [{}]}}"#,
                (1..=7).map(|d| format!(r#"{{"day": {d}, "time": "{time}"}}"#)).collect::<Vec<_>>().join(",")
            );
            let point = map(&office(&json), &carrier, today()).unwrap();
            assert!(point.hours.is_round_the_clock(), "{time}: {:?}", point.hours);
        }
    }

    #[test]
    fn points_abroad_keep_their_country_and_its_time() {
        let carrier = Carrier("cdek".into());
        let almaty = r#"{"code": "ALA1", "location": {"country_code": "KZ", "city": "Алматы", "latitude": 43.24,
                         "longitude": 76.89}, "work_time_list": [{"day": 1, "time": "10:00/19:00"}]}"#;
        let point = map(&office(almaty), &carrier, today()).unwrap();
        assert_eq!(point.address.country, "KZ");
        assert_eq!(point.timezone.utc_offset_minutes, 5 * 60);
    }
}
