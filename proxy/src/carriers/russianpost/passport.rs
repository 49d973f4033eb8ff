//! The export of Russian Post's offices, parcel lockers and pickup points (`unloading-passport`): a ZIP
//! archive holding one JSON document, `{"passportElements": [...]}`, whose records give the hours as lines
//! such as `"пн, открыто: 08:00 - 20:00, перерыв: 13:00 - 14:00"`. Each record is read on its own, so that
//! one malformed record is skipped without losing the others.

use std::io::Read;

use pvz_shared::hours::{Exception, Interval, OpeningHours};
use pvz_shared::{Address, Carrier, LatLon, Limits, Payment, Point, PointKind};
use serde::Deserialize;
use serde_json::value::RawValue;
use time::Date;

use super::offices::{HOLIDAY_DAYS, OFFICE_MAX_WEIGHT_G, text};
use crate::carriers::{Skip, lenient, schedule, zones};

/// Larger documents are refused: Russian Post's whole export is a few tens of megabytes.
pub const MAX_DOCUMENT_BYTES: u64 = 512 << 20;
/// A holiday longer than this is taken as a mistake and left out.
const MAX_HOLIDAY_DAYS: i64 = 62;

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow, rename = "passportElements")]
    elements: Vec<&'a RawValue>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Element {
    pub address: Option<ElementAddress>,
    #[serde(deserialize_with = "lenient::number")]
    pub latitude: Option<f64>,
    #[serde(deserialize_with = "lenient::number")]
    pub longitude: Option<f64>,
    /// `ГОПС`, `СОПС`, `ПОЧТОМАТ`, `АПС`, `ПВЗ`...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// One line a day or a run of days.
    pub work_time: Option<Vec<String>>,
    pub holidays: Option<Vec<Holiday>>,
    pub ecom_options: Option<EcomOptions>,
    /// A partner pickup point's own name.
    pub brand_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ElementAddress {
    pub index: Option<String>,
    pub region: Option<String>,
    pub area: Option<String>,
    pub place: Option<String>,
    pub street: Option<String>,
    pub house: Option<String>,
    pub corpus: Option<String>,
}

/// Days from `ds` to `df` with other hours: the times in `work`, or closed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Holiday {
    pub ds: Option<String>,
    pub df: Option<String>,
    pub work: Option<Vec<HolidayWork>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HolidayWork {
    pub st: Option<String>,
    #[serde(rename = "fn")]
    pub finish: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EcomOptions {
    pub card_payment: Option<bool>,
    pub cash_payment: Option<bool>,
    /// Kilograms.
    #[serde(deserialize_with = "lenient::number")]
    pub weight_limit: Option<f64>,
}

/// The records of the archive's JSON document, each still to be read; an error says what is wrong with the
/// archive itself.
pub fn records(archive: &[u8]) -> Result<Vec<Result<Element, String>>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive)).map_err(|e| format!("not a ZIP archive: {e}"))?;
    let name = zip
        .file_names()
        .filter_map(Result::ok)
        .find(|n| n.ends_with(".json") || n.ends_with(".txt"))
        .map(|n| n.into_owned())
        .ok_or("the archive holds no .json or .txt document")?;
    let entry = zip.by_name(&name).map_err(|e| format!("{name}: {e}"))?;
    let mut json = Vec::new();
    entry.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut json).map_err(|e| format!("{name}: {e}"))?;
    if json.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!("{name} is larger than {MAX_DOCUMENT_BYTES} bytes"));
    }
    let document: Document = serde_json::from_slice(&json).map_err(|e| format!("{name}: {e}"))?;
    Ok(document.elements.into_iter().map(|raw| serde_json::from_str(raw.get()).map_err(|e| e.to_string())).collect())
}

fn exceptions(holidays: &[Holiday], today: Date) -> Vec<Exception> {
    let horizon = today + time::Duration::days(HOLIDAY_DAYS);
    let date = |d: &Option<String>| pvz_shared::dates::parse_date(d.as_deref()?.trim().get(..10)?);
    let mut out = Vec::new();
    for holiday in holidays {
        let Some(start) = date(&holiday.ds) else { continue };
        let end = date(&holiday.df).unwrap_or(start);
        if end < start || (end - start).whole_days() > MAX_HOLIDAY_DAYS {
            continue;
        }
        let intervals: Vec<Interval> = holiday
            .work
            .iter()
            .flatten()
            .filter_map(|w| Interval::as_written(super::offices::minute(&w.st)?, super::offices::minute(&w.finish)?))
            .take(1)
            .collect();
        out.extend(Exception::each_day(start.max(today), end.min(horizon), &intervals));
    }
    Exception::tidy(&mut out);
    out
}

/// `element` as a point, or why it is left out. Offices are named by their postcode; lockers and pickup
/// points, which share their office's postcode, by the postcode and where they stand.
pub fn map(element: &Element, carrier: &Carrier, today: Date) -> Result<Point, Skip> {
    // Every point is named by its postcode: without one it cannot be chosen.
    let address = element.address.as_ref().ok_or(Skip::NoCode)?;
    let index = text(&address.index).ok_or(Skip::NoCode)?;
    if !super::is_postcode(&index) {
        return Err(Skip::NoCode);
    }
    let at = LatLon { lat: element.latitude.ok_or(Skip::NoLocation)?, lon: element.longitude.ok_or(Skip::NoLocation)? };
    if !at.is_valid() || (at.lat == 0.0 && at.lon == 0.0) {
        return Err(Skip::NoLocation);
    }
    let kind_text = element.kind.as_deref().unwrap_or_default().to_uppercase();
    let kind = if kind_text.contains("ПОЧТОМАТ") || kind_text.contains("АПС") {
        PointKind::Locker
    } else if kind_text.contains("ПВЗ") {
        PointKind::PickupPoint
    } else {
        PointKind::PostOffice
    };
    let mut week: [Vec<Interval>; 7] = Default::default();
    for (days, intervals) in element.work_time.iter().flatten().filter_map(|line| schedule::line(line)) {
        for day in days {
            week[day] = intervals.clone();
        }
    }
    let as_written = week
        .iter()
        .all(Vec::is_empty)
        .then(|| element.work_time.as_ref().map(|lines| lines.join("; ")).filter(|t| !t.trim().is_empty()))
        .flatten();
    let code = match kind {
        PointKind::PostOffice => index.clone(),
        _ => format!("{index}-{}-{}", (at.lat * 1e5).round() as i64, (at.lon * 1e5).round() as i64),
    };
    let name = match kind {
        PointKind::Locker => format!("Почтомат {index}"),
        PointKind::PickupPoint => text(&element.brand_name).unwrap_or_else(|| format!("Пункт выдачи {index}")),
        PointKind::PostOffice => format!("Отделение {index}"),
    };
    let city = text(&address.place).unwrap_or_default();
    let region = text(&address.region).unwrap_or_else(|| city.clone());
    let street =
        [&address.street, &address.house, &address.corpus].into_iter().filter_map(text).collect::<Vec<_>>().join(", ");
    let full = [city.as_str(), street.as_str()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ");
    let ecom = element.ecom_options.as_ref();
    let max_weight_g = ecom
        .and_then(|e| e.weight_limit)
        .filter(|kg| kg.is_finite() && *kg > 0.0 && *kg <= 1000.0)
        .map(|kg| (kg * 1000.0).round() as u32)
        .or((kind == PointKind::PostOffice).then_some(OFFICE_MAX_WEIGHT_G));
    Ok(Point {
        id: Point::make_id(carrier, &code),
        carrier: carrier.clone(),
        kind,
        name,
        address: Address { full, city, region: region.clone(), postal_code: index, country: Address::home_country() },
        location: at,
        timezone: zones::russia(at.lon, &region),
        hours: OpeningHours {
            week,
            exceptions: exceptions(element.holidays.as_deref().unwrap_or_default(), today),
            as_written,
        },
        payment: Payment {
            cash: ecom.and_then(|e| e.cash_payment).unwrap_or(kind != PointKind::Locker),
            card: ecom.and_then(|e| e.card_payment).unwrap_or(true),
            cash_on_delivery: true,
        },
        fitting_room: false,
        limits: Limits { max_weight_g, cells: Vec::new() },
        phone: None,
        metro: None,
        directions: None,
        notes: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn archive(name: &str, json: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(json.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn hours(lines: &[&str]) -> Vec<Vec<String>> {
        let element = Element {
            address: Some(ElementAddress { index: Some("101000".into()), ..Default::default() }),
            latitude: Some(55.75),
            longitude: Some(37.62),
            work_time: Some(lines.iter().map(|l| l.to_string()).collect()),
            ..Default::default()
        };
        let point = map(&element, &Carrier("russianpost".into()), TODAY).unwrap();
        point.hours.week.iter().map(|day| day.iter().map(|i| String::from(*i)).collect()).collect()
    }

    #[test]
    fn work_time_lines_are_read_with_their_breaks_days_off_and_runs_of_days() {
        let week = hours(&[
            "пн, открыто: 08:00 - 20:00, перерыв: 13:00 - 14:00",
            "вт-пт, открыто: 08:00 - 20:00",
            "сб, открыто: 09:00 - 18:00",
            "вс, выходной",
        ]);
        assert_eq!(week[0], ["08:00-13:00", "14:00-20:00"]);
        assert_eq!(week[1], ["08:00-20:00"]);
        assert_eq!(week[4], ["08:00-20:00"]);
        assert_eq!(week[5], ["09:00-18:00"]);
        assert!(week[6].is_empty());
        let locker = hours(&["пн-вс, открыто: круглосуточно"]);
        assert!(locker.iter().all(|day| day == &["00:00-24:00"]), "{locker:?}");
        assert_eq!(hours(&["Пн, открыто: 09:00 - 00:00"])[0], ["09:00-24:00"], "a close at midnight ends the day");
    }

    #[test]
    fn records_are_read_one_by_one_and_lockers_get_ids_of_their_own() {
        let json = r#"{"passportElements": [
            {"address": {"index": "115551", "region": "Москва г", "place": "Москва", "street": "Домодедовская ул", "house": "20"},
             "latitude": "55.612772", "longitude": "37.704862", "type": "ГОПС",
             "workTime": ["пн, открыто: 08:00 - 20:00"],
             "holidays": [{"ds": "2026-12-31", "df": "2027-01-02", "work": []}, {"ds": "2026-12-30", "work": [{"st": "09:00", "fn": "15:00"}]}],
             "ecomOptions": {"weightLimit": "15", "cardPayment": false}},
            {"address": {"index": "115551", "place": "Москва"}, "latitude": 55.6131, "longitude": 37.7051, "type": "АПС",
             "workTime": ["пн-вс, открыто: круглосуточно"]},
            {"address": {"index": 115551}, "type": "ГОПС"},
            {"address": {"index": "115551"}, "latitude": 55.6, "longitude": 37.7, "workTime": ["когда-нибудь"]}
        ], "unloadingDate": "2026-11-22"}"#;
        let read = records(&archive("ALL22_Nov_2026.txt", json)).unwrap();
        assert_eq!(read.len(), 4);
        assert!(read[2].is_err(), "a record of the wrong shape fails alone");
        let carrier = Carrier("russianpost".into());
        let office = map(read[0].as_ref().unwrap(), &carrier, TODAY).unwrap();
        assert_eq!(office.id, "russianpost:115551");
        assert_eq!(office.address.full, "Москва, Домодедовская ул, 20");
        assert_eq!(office.limits.max_weight_g, Some(15_000));
        assert!(!office.payment.card);
        let dates: Vec<String> = office.hours.exceptions.iter().map(|e| e.date.to_string()).collect();
        assert_eq!(dates, ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
        assert_eq!(office.hours.exceptions[0].intervals.len(), 1, "a shortened day");
        let locker = map(read[1].as_ref().unwrap(), &carrier, TODAY).unwrap();
        assert_eq!(locker.kind, PointKind::Locker);
        assert_eq!(locker.id, "russianpost:115551-5561310-3770510");
        let unreadable = map(read[3].as_ref().unwrap(), &carrier, TODAY).unwrap();
        assert!(unreadable.hours.is_unknown(), "served, with its hours unknown");
        assert_eq!(unreadable.hours.as_written.as_deref(), Some("когда-нибудь"));
    }

    #[test]
    fn archives_that_are_not_the_export_are_refused() {
        assert!(records(b"<html>503</html>").is_err());
        assert!(records(&archive("readme.md", "{}")).is_err());
        assert!(records(&archive("ALL.txt", "{\"passportElements\": 5}")).is_err());
        assert!(records(&archive("ALL.txt", "{\"passportElements\": []}")).unwrap().is_empty());
    }
}
