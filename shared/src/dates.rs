//! Dates on the wire as `YYYY-MM-DD` and times as RFC 3339 (`2026-11-22T14:05:00+03:00`), whatever the
//! serializer: the widget reads JSON through
//! serde-wasm-bindgen, which is not "human readable" and would otherwise expect `time`'s compact form. Written
//! out here rather than with `time`'s format descriptions, whose parser would add about 25 KB to the widget.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};
use time::{Date, Month};

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let month = parts.next().filter(|m| m.len() == 2)?.parse::<u8>().ok()?;
    let day = parts.next().filter(|d| d.len() == 2)?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// `#[serde(with = "crate::dates::iso_date")]`
pub mod iso_date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_date(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a date YYYY-MM-DD")))
    }

    /// `#[serde(with = "crate::dates::iso_date::option")]`
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => super::serialize(date, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
            Option::<String>::deserialize(deserializer)?
                .map(|text| {
                    parse_date(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a date YYYY-MM-DD")))
                })
                .transpose()
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; the fraction is dropped.
pub fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let date = parse_date(date)?;
    let clock = rest.get(..8)?;
    let mut parts = clock.split(':');
    let mut number = || parts.next().filter(|p| p.len() == 2)?.parse::<u8>().ok();
    let (hour, minute, second) = (number()?, number()?, number()?);
    let zone = rest[8..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone {
        "Z" | "z" => time::UtcOffset::UTC,
        _ => {
            let sign: i8 = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = zone[1..].split_once(':')?;
            let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
            if !two_digits(h) || !two_digits(m) {
                return None;
            }
            let (h, m) = (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?);
            time::UtcOffset::from_hms(sign * h, sign * m, 0).ok()?
        }
    };
    let clock = time::Time::from_hms(hour, minute, second).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

/// `YYYY-MM-DDTHH:MM:SS±HH:MM`, in the time's own offset.
pub fn format_time(at: time::OffsetDateTime) -> String {
    let (h, m, _) = at.offset().as_hms();
    let sign = if h < 0 || m < 0 { '-' } else { '+' };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        h.unsigned_abs(),
        m.unsigned_abs()
    )
}

/// `#[serde(with = "crate::dates::rfc3339")]`
pub mod rfc3339 {
    use super::*;
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(at: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_time(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_time(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not an RFC 3339 time")))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use time::Date;
    use time::macros::date;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated {
        #[serde(with = "super::iso_date")]
        on: Date,
        #[serde(with = "super::iso_date::option")]
        maybe: Option<Date>,
    }

    #[test]
    fn dates_are_iso_strings() {
        let dated = Dated { on: date!(2026 - 12 - 31), maybe: Some(date!(2027 - 01 - 02)) };
        let json = serde_json::to_string(&dated).unwrap();
        assert_eq!(json, r#"{"on":"2026-12-31","maybe":"2027-01-02"}"#);
        assert_eq!(serde_json::from_str::<Dated>(&json).unwrap(), dated);
        assert_eq!(serde_json::from_str::<Dated>(r#"{"on":"2026-01-01","maybe":null}"#).unwrap().maybe, None);
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in ["2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "yesterday"] {
            let json = format!(r#"{{"on":"{bad}","maybe":null}}"#);
            assert!(serde_json::from_str::<Dated>(&json).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_keep_their_zone_on_the_wire() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct At(#[serde(with = "super::rfc3339")] time::OffsetDateTime);
        let at = time::macros::datetime!(2026-11-22 14:05:09 +03:00);
        let json = serde_json::to_string(&At(at)).unwrap();
        assert_eq!(json, "\"2026-11-22T14:05:09+03:00\"");
        assert_eq!(serde_json::from_str::<At>(&json).unwrap(), At(at));
        let utc: At = serde_json::from_str("\"2026-11-22T11:05:09.123Z\"").unwrap();
        assert_eq!(utc.0, at);
        let west: At = serde_json::from_str("\"2026-11-22T05:35:09-05:30\"").unwrap();
        assert_eq!(west.0, at);
        // The last one was found by the fuzzer: a signed minute that overflowed.
        for bad in [
            "2026-11-22",
            "2026-11-22T25:00:00Z",
            "2026-11-22T10:00:00",
            "2026-11-22T10:00:00+3",
            "2027-11-22T40:25:22-1:-0128",
        ] {
            assert!(serde_json::from_str::<At>(&format!("\"{bad}\"")).is_err(), "{bad}");
        }
    }
}
