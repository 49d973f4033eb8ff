//! Where a parcel is: the tracking model every carrier's history is mapped into, and the track-number
//! formats, checked before anything is asked of a carrier (both the widget and the proxy check them).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::point::Carrier;

/// A parcel's state, in the few words a buyer needs; each carrier's own codes are mapped into these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub enum TrackStatus {
    /// The shop has registered the parcel; the carrier does not have it yet.
    Created,
    /// The carrier has taken the parcel.
    Accepted,
    InTransit,
    /// At the pickup point, being unpacked.
    ArrivedAtPickupPoint,
    ReadyForPickup,
    /// With a courier on the way to the buyer.
    OutForDelivery,
    Delivered,
    /// Going back, or gone back, to the shop.
    Returned,
    /// Held up: customs, damage, a wrong address; the event says what.
    Problem,
}

impl TrackStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Accepted => "accepted",
            Self::InTransit => "in_transit",
            Self::ArrivedAtPickupPoint => "arrived_at_pickup_point",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::Returned => "returned",
            Self::Problem => "problem",
        }
    }
}

/// One step of a parcel's journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct TrackEvent {
    /// When, in the zone of the place it happened.
    #[serde(with = "crate::dates::rfc3339")]
    #[cfg_attr(feature = "utoipa", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    /// The city or office; empty when the carrier does not say.
    pub place: String,
    /// The carrier's own wording.
    pub text: String,
    pub status: TrackStatus,
}

/// `GET /api/v1/tracking/{number}`: a parcel's state and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Tracking {
    pub carrier: Carrier,
    /// For people: "СДЭК", "Почта России".
    pub carrier_title: String,
    /// The number as the carrier writes it.
    pub number: String,
    /// The latest event's status.
    pub status: TrackStatus,
    /// When the parcel should reach the buyer or their pickup point, when the carrier says.
    #[serde(default, with = "crate::dates::iso_date::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "utoipa", schema(value_type = Option<String>, format = Date))]
    pub expected_date: Option<Date>,
    /// The last day the pickup point keeps the parcel, once it waits there.
    #[serde(default, with = "crate::dates::iso_date::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "utoipa", schema(value_type = Option<String>, format = Date))]
    pub storage_until: Option<Date>,
    /// The pickup point the parcel goes to or waits at, by its id in `GET /api/v1/points/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_id: Option<String>,
    /// Newest first.
    pub events: Vec<TrackEvent>,
}

/// Which carrier a number's format belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    /// Russian Post: 14 digits (domestic) or the UPU S10 form `RA123456785RU` with its check digit.
    RussianPost,
    /// CDEK's order number: 9 to 12 digits.
    Cdek,
    /// The built-in demo carriers: `DE` or `DP` and 10 digits.
    DemoExpress,
    DemoPost,
}

impl NumberFormat {
    pub fn carrier(self) -> &'static str {
        match self {
            Self::RussianPost => "russianpost",
            Self::Cdek => "cdek",
            Self::DemoExpress => "demo-express",
            Self::DemoPost => "demo-post",
        }
    }
}

/// A number that no carrier's format takes, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    TooLong,
    /// Characters no track number has.
    BadCharacters,
    /// S10-shaped, but the check digit is wrong: most likely a typo.
    CheckDigit,
    /// No known format.
    Unknown,
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Empty => "is empty",
            Self::TooLong => "is longer than any track number",
            Self::BadCharacters => "may hold only Latin letters and digits",
            Self::CheckDigit => "has a wrong check digit: please check it for a typo",
            Self::Unknown => "matches no carrier's format (14 digits, RA123456785RU, or a CDEK order number)",
        })
    }
}

/// The longest number taken, before spaces and dashes are dropped.
pub const MAX_NUMBER_CHARS: usize = 40;

/// The UPU S10 check digit of 8 serial digits.
fn s10_check_digit(serial: &[u8]) -> u8 {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = serial.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        check => check as u8,
    }
}

/// `raw` as a carrier writes it (upper case, without spaces and dashes), with the format it has.
pub fn parse_number(raw: &str) -> Result<(String, NumberFormat), NumberError> {
    if raw.chars().count() > MAX_NUMBER_CHARS {
        return Err(NumberError::TooLong);
    }
    let number: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    if number.is_empty() {
        return Err(NumberError::Empty);
    }
    if !number.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(NumberError::BadCharacters);
    }
    let bytes = number.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let letters = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_uppercase);
    let format = match bytes.len() {
        14 if digits(0..14) => NumberFormat::RussianPost,
        13 if letters(0..2) && digits(2..11) && letters(11..13) => {
            if s10_check_digit(&bytes[2..10]) != bytes[10] - b'0' {
                return Err(NumberError::CheckDigit);
            }
            NumberFormat::RussianPost
        }
        9..=12 if digits(0..bytes.len()) => NumberFormat::Cdek,
        12 if bytes.starts_with(b"DE") && digits(2..12) => NumberFormat::DemoExpress,
        12 if bytes.starts_with(b"DP") && digits(2..12) => NumberFormat::DemoPost,
        _ => return Err(NumberError::Unknown),
    };
    Ok((number, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_and_written_as_carriers_write_them() {
        assert_eq!(parse_number(" 8010 2345 6789 01 "), Ok(("80102345678901".into(), NumberFormat::RussianPost)));
        assert_eq!(parse_number("ra123456785ru"), Ok(("RA123456785RU".into(), NumberFormat::RussianPost)));
        assert_eq!(parse_number("1234567890"), Ok(("1234567890".into(), NumberFormat::Cdek)));
        assert_eq!(parse_number("DE-0000012345"), Ok(("DE0000012345".into(), NumberFormat::DemoExpress)));
        assert_eq!(parse_number("dp0000012345"), Ok(("DP0000012345".into(), NumberFormat::DemoPost)));
    }

    #[test]
    fn malformed_numbers_say_why() {
        assert_eq!(parse_number("RA123456784RU"), Err(NumberError::CheckDigit));
        assert_eq!(parse_number("   "), Err(NumberError::Empty));
        assert_eq!(parse_number("<script>"), Err(NumberError::BadCharacters));
        assert_eq!(parse_number("12345"), Err(NumberError::Unknown));
        assert_eq!(parse_number(&"1".repeat(41)), Err(NumberError::TooLong));
        assert_eq!(parse_number("ЕА123456785RU"), Err(NumberError::BadCharacters));
    }

    #[test]
    fn s10_check_digits_follow_the_upu_rule() {
        // 1·8 + 2·6 + 3·4 + 4·2 + 5·3 + 6·5 + 7·9 + 8·7 = 204; 11 − 204 mod 11 = 5.
        assert_eq!(s10_check_digit(b"12345678"), 5);
        // 200 mod 11 = 2, so 9.
        assert_eq!(s10_check_digit(b"47312482"), 9);
        // 11 − 0 = 11 is written 5, and 11 − 1 = 10 (2·8 + 1·7 = 23) is written 0.
        assert_eq!(s10_check_digit(b"00000000"), 5);
        assert_eq!(s10_check_digit(b"20000001"), 0);
    }
}
