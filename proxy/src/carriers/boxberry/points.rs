//! Boxberry's points from `ListPoints` (the whole network in one answer, lockers included with `prepaid=1`)
//! mapped into the shared point model, and the hours of one point from `PointsDescription`, for the points
//! whose free-text `WorkShedule` cannot be read. Boxberry writes coordinates as one `"lat,lon"` string,
//! yes/no as `"Yes"`/`"No"` here and `"1"`/`"0"` there, numbers as strings, and its times in Moscow time.

use std::collections::HashMap;

use pvz_shared::hours::{OpeningHours, parse_minute};
use pvz_shared::{Address, Carrier, LatLon, Limits, Payment, Point, PointKind};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::carriers::schedule::{self, Week};
use crate::carriers::{Fetched, Skip, lenient, zones};

/// One record of `ListPoints`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Record {
    pub code: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub address_reduce: Option<String>,
    pub city_name: Option<String>,
    pub area: Option<String>,
    pub country: Option<String>,
    /// ISO 3166-1 numeric: `"643"` is Russia.
    pub country_code: Option<String>,
    pub phone: Option<String>,
    /// Sic: `"пн-вс: 10.00-20.30"`.
    pub work_shedule: Option<String>,
    pub trip_description: Option<String>,
    pub metro: Option<String>,
    /// `"55.580676,37.651708"`.
    #[serde(rename = "GPS")]
    pub gps: Option<String>,
    #[serde(deserialize_with = "lenient::flag")]
    pub acquiring: Option<bool>,
    #[serde(deserialize_with = "lenient::flag")]
    pub only_prepaid_orders: Option<bool>,
    /// Kilograms.
    #[serde(deserialize_with = "lenient::number")]
    pub load_limit: Option<f64>,
    #[serde(deserialize_with = "lenient::flag")]
    pub postamat: Option<bool>,
}

/// The hours of `PointsDescription`: each day's opening and lunch, `"HH:MM"` or empty.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Description {
    pub work_mo_begin: String,
    pub work_mo_end: String,
    pub work_tu_begin: String,
    pub work_tu_end: String,
    pub work_we_begin: String,
    pub work_we_end: String,
    pub work_th_begin: String,
    pub work_th_end: String,
    pub work_fr_begin: String,
    pub work_fr_end: String,
    pub work_sa_begin: String,
    pub work_sa_end: String,
    pub work_su_begin: String,
    pub work_su_end: String,
    pub lunch_mo_begin: String,
    pub lunch_mo_end: String,
    pub lunch_tu_begin: String,
    pub lunch_tu_end: String,
    pub lunch_we_begin: String,
    pub lunch_we_end: String,
    pub lunch_th_begin: String,
    pub lunch_th_end: String,
    pub lunch_fr_begin: String,
    pub lunch_fr_end: String,
    pub lunch_sa_begin: String,
    pub lunch_sa_end: String,
    pub lunch_su_begin: String,
    pub lunch_su_end: String,
}

impl Description {
    /// The week it describes, lunches cut out; `None` when it names no opening at all.
    pub fn week(&self) -> Option<Week> {
        let days = [
            (&self.work_mo_begin, &self.work_mo_end, &self.lunch_mo_begin, &self.lunch_mo_end),
            (&self.work_tu_begin, &self.work_tu_end, &self.lunch_tu_begin, &self.lunch_tu_end),
            (&self.work_we_begin, &self.work_we_end, &self.lunch_we_begin, &self.lunch_we_end),
            (&self.work_th_begin, &self.work_th_end, &self.lunch_th_begin, &self.lunch_th_end),
            (&self.work_fr_begin, &self.work_fr_end, &self.lunch_fr_begin, &self.lunch_fr_end),
            (&self.work_sa_begin, &self.work_sa_end, &self.lunch_sa_begin, &self.lunch_sa_end),
            (&self.work_su_begin, &self.work_su_end, &self.lunch_su_begin, &self.lunch_su_end),
        ];
        let week: Week = days.map(|(open, close, lunch_from, lunch_to)| {
            let (Some(open), Some(close)) = (parse_minute(open), parse_minute(close)) else { return Vec::new() };
            let lunch = parse_minute(lunch_from).zip(parse_minute(lunch_to)).into_iter().collect();
            schedule::with_breaks(open, close, lunch)
        });
        week.iter().any(|day| !day.is_empty()).then_some(week)
    }
}

fn text(value: &Option<String>) -> Option<String> {
    value.as_deref().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())
}

/// Whether `code` can name a Boxberry point: 1 to 20 Latin letters and digits.
pub fn is_code(code: &str) -> bool {
    (1..=20).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// ISO 3166-1 alpha-2 of Boxberry's numeric country code.
fn country(numeric: Option<&str>) -> String {
    match numeric.map(|c| c.trim().trim_start_matches('0')) {
        Some("398") => "KZ",
        Some("112") => "BY",
        Some("51") => "AM",
        Some("417") => "KG",
        Some("860") => "UZ",
        _ => "RU",
    }
    .into()
}

/// `"lat,lon"`.
fn location(gps: &str) -> Option<LatLon> {
    let (lat, lon) = gps.split_once(',')?;
    let at = LatLon { lat: lat.trim().parse().ok()?, lon: lon.trim().parse().ok()? };
    (at.is_valid() && !(at.lat == 0.0 && at.lon == 0.0)).then_some(at)
}

/// `record` as a point, or why it is left out. Hours that cannot be read from `WorkShedule` are served
/// as unknown, with Boxberry's words, until `PointsDescription` gives them.
pub fn map(record: &Record, carrier: &Carrier) -> Result<Point, Skip> {
    let code = text(&record.code).filter(|c| is_code(c)).ok_or(Skip::NoCode)?;
    let at = record.gps.as_deref().and_then(location).ok_or(Skip::NoLocation)?;
    let kind = if record.postamat == Some(true) { PointKind::Locker } else { PointKind::PickupPoint };
    let full = text(&record.address).unwrap_or_default();
    let postal_code = full.get(..6).filter(|p| p.bytes().all(|b| b.is_ascii_digit())).unwrap_or_default().to_string();
    let city = text(&record.city_name).unwrap_or_default();
    let region = text(&record.area).unwrap_or_else(|| city.clone());
    let country = country(record.country_code.as_deref());
    let written = text(&record.work_shedule);
    let hours = match written.as_deref().and_then(schedule::week) {
        Some(week) => OpeningHours { week, ..OpeningHours::default() },
        None => OpeningHours::unknown(written),
    };
    // Boxberry's own names read "Москва Булатниковская_9945_С": the part before its internal suffix.
    let name = text(&record.name)
        .and_then(|n| n.split('_').next().map(str::trim).filter(|n| !n.is_empty()).map(String::from))
        .or_else(|| text(&record.address_reduce))
        .unwrap_or_else(|| full.clone());
    Ok(Point {
        id: Point::make_id(carrier, &code),
        carrier: carrier.clone(),
        kind,
        name,
        address: Address { full, city, region: region.clone(), postal_code, country: country.clone() },
        location: at,
        timezone: zones::of(&country, at.lon, &region),
        hours,
        payment: Payment {
            cash: kind == PointKind::PickupPoint,
            card: record.acquiring.unwrap_or(false),
            cash_on_delivery: record.only_prepaid_orders != Some(true),
        },
        fitting_room: false,
        limits: Limits {
            max_weight_g: record
                .load_limit
                .filter(|kg| *kg > 0.0 && *kg <= 1000.0)
                .map(|kg| (kg * 1000.0).round() as u32),
            cells: Vec::new(),
        },
        phone: text(&record.phone),
        metro: text(&record.metro),
        directions: text(&record.trip_description),
        notes: None,
    })
}

/// The points of a `ListPoints` answer, each record read on its own (one of the wrong shape costs only
/// itself), with the weeks already `described` in place of hours the free text could not say.
pub fn read_all(records: &[Box<RawValue>], carrier: &Carrier, described: &HashMap<String, Week>) -> Fetched {
    Fetched::tally(records.iter().map(|record| {
        let record = serde_json::from_str::<Record>(record.get()).map_err(|_| Skip::Unreadable)?;
        let mut point = map(&record, carrier)?;
        if point.hours.is_unknown()
            && let Some(week) = described.get(super::code_of(&point.id))
        {
            complete(&mut point, week);
        }
        Ok(point)
    }))
}

/// `week` (from a point's description) in place of its unknown hours.
pub fn complete(point: &mut Point, week: &Week) {
    point.hours.week.clone_from(week);
    point.hours.as_written = None;
}

#[cfg(test)]
mod tests {
    use pvz_shared::Interval;

    use super::*;

    fn carrier() -> Carrier {
        Carrier("boxberry".into())
    }

    fn record(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    /// A record as `ListPoints` writes one (Boxberry's own answer for a Moscow office, shortened).
    const OFFICE: &str = r#"{
        "Code": "99451", "Name": "Москва Булатниковская_9945_С", "CityCode": "68",
        "Address": "117403, Москва г, Булатниковская ул, д.2А", "Phone": "+7(499)391-56-22",
        "WorkShedule": "пн-вс: 10.00-20.30", "TripDescription": "Остановка  -\"  Аптека\".\nЭтаж  -  1\n",
        "DeliveryPeriod": 1, "CityName": "Москва", "Area": "Москва", "Country": "РОССИЯ",
        "GPS": "55.580676,37.651708", "AddressReduce": "Булатниковская ул, д.2А", "Acquiring": "Yes",
        "Metro": "Пражская", "LoadLimit": 31, "VolumeLimit": "0.19", "CountryCode": "643", "NalKD": "No",
        "OnlyPrepaidOrders": "No", "Postamat": false
    }"#;

    #[test]
    fn every_field_the_widget_shows_is_mapped() {
        let p = map(&record(OFFICE), &carrier()).unwrap();
        assert_eq!(p.id, "boxberry:99451");
        assert_eq!(p.kind, PointKind::PickupPoint);
        assert_eq!(p.name, "Москва Булатниковская");
        assert_eq!(p.address.postal_code, "117403");
        assert_eq!(p.address.country, "RU");
        assert_eq!((p.location.lat, p.location.lon), (55.580676, 37.651708));
        assert_eq!(p.timezone.utc_offset_minutes, 180);
        assert!(p.hours.week.iter().all(|d| d.len() == 1 && d[0].close == 20 * 60 + 30));
        assert_eq!((p.payment.card, p.payment.cash, p.payment.cash_on_delivery), (true, true, true));
        assert_eq!(p.limits.max_weight_g, Some(31_000));
        assert_eq!(p.directions.as_deref(), Some("Остановка -\" Аптека\". Этаж - 1"));
        assert_eq!(p.metro.as_deref(), Some("Пражская"));
    }

    #[test]
    fn lockers_abroad_and_strings_for_numbers_and_flags() {
        let json = OFFICE
            .replace(r#""Postamat": false"#, r#""Postamat": true"#)
            .replace(r#""CountryCode": "643""#, r#""CountryCode": "398""#)
            .replace(r#""LoadLimit": 31"#, r#""LoadLimit": "15""#)
            .replace(r#""OnlyPrepaidOrders": "No""#, r#""OnlyPrepaidOrders": "1""#)
            .replace("пн-вс: 10.00-20.30", "пн-вс: круглосуточно");
        let p = map(&record(&json), &carrier()).unwrap();
        assert_eq!(p.kind, PointKind::Locker);
        assert_eq!(p.address.country, "KZ");
        assert_eq!(p.timezone.utc_offset_minutes, 300);
        assert_eq!(p.limits.max_weight_g, Some(15_000));
        assert!(!p.payment.cash_on_delivery && !p.payment.cash);
        assert!(p.hours.is_round_the_clock());
    }

    #[test]
    fn unreadable_hours_are_served_as_unknown_and_unplaceable_points_are_left_out() {
        let odd = OFFICE.replace("пн-вс: 10.00-20.30", "Режим работы уточняйте по телефону");
        let p = map(&record(&odd), &carrier()).unwrap();
        assert!(p.hours.is_unknown());
        assert_eq!(p.hours.as_written.as_deref(), Some("Режим работы уточняйте по телефону"));
        let skip = |json: String| map(&record(&json), &carrier()).unwrap_err();
        assert_eq!(skip(OFFICE.replace("55.580676,37.651708", "")), Skip::NoLocation);
        assert_eq!(skip(OFFICE.replace("55.580676,37.651708", "0,0")), Skip::NoLocation);
        assert_eq!(skip(OFFICE.replace("55.580676,37.651708", "55.58;37.65")), Skip::NoLocation);
        assert_eq!(skip(OFFICE.replace(r#""Code": "99451""#, r#""Code": "<b>""#)), Skip::NoCode);
    }

    #[test]
    fn a_description_gives_each_day_with_its_lunch() {
        let description: Description = serde_json::from_str(
            r#"{"WorkMoBegin": "10:00", "WorkMoEnd": "20:00", "LunchMoBegin": "14:00", "LunchMoEnd": "15:00",
                "WorkSaBegin": "10:00", "WorkSaEnd": "16:00", "LunchSaBegin": "", "LunchSaEnd": "",
                "WorkSuBegin": "", "WorkSuEnd": "", "Acquiring": "1", "LoadLimit": "31"}"#,
        )
        .unwrap();
        let week = description.week().unwrap();
        assert_eq!(week[0], [Interval::new(600, 840).unwrap(), Interval::new(900, 1200).unwrap()]);
        assert_eq!(week[5], [Interval::new(600, 960).unwrap()]);
        assert!(week[6].is_empty() && week[1].is_empty());
        assert_eq!(Description::default().week(), None);
        let mut point = map(&record(&OFFICE.replace("пн-вс: 10.00-20.30", "?")), &carrier()).unwrap();
        complete(&mut point, &week);
        assert!(!point.hours.is_unknown() && point.hours.as_written.is_none());
    }
}
