//! Dates on the wire as `YYYY-MM-DD`, whatever the serializer: the widget reads JSON through
//! serde-wasm-bindgen, which is not "human readable" and would otherwise expect `time`'s compact form. Written
//! out here rather than with `time`'s format descriptions, whose parser would add about 25 KB to the widget.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};
use time::{Date, Month};

fn parse(text: &str) -> Option<Date> {
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
        parse(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a date YYYY-MM-DD")))
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
                .map(|text| parse(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a date YYYY-MM-DD"))))
                .transpose()
        }
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
}
