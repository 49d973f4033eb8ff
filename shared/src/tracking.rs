//! Where a parcel is: the tracking model every carrier's history is mapped into, and what every track
//! number has in common, checked before anything is asked of a carrier (both the widget and the proxy
//! check it).

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
    /// The carrier's name for people.
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

/// A number that cannot be any carrier's, with why; checked by the widget before it asks and by the proxy
/// before any carrier is asked. Whose number it is, each carrier's connector decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    TooLong,
    /// Characters no track number has.
    BadCharacters,
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Empty => "is empty",
            Self::TooLong => "is longer than any track number",
            Self::BadCharacters => "may hold only Latin letters and digits",
        })
    }
}

/// The longest number taken, before spaces and dashes are dropped.
pub const MAX_NUMBER_CHARS: usize = 40;

/// The numbers [`normalise_number`] takes, as the API's document states them: Latin letters and digits, with
/// the spaces and dashes buyers type, at most [`MAX_NUMBER_CHARS`] in all.
pub const NUMBER_PATTERN: &str = r"^[ \t\n\f\r-]*[A-Za-z0-9][A-Za-z0-9 \t\n\f\r-]*$";

/// `raw` as carriers write numbers: upper case, without the spaces and dashes buyers type.
pub fn normalise_number(raw: &str) -> Result<String, NumberError> {
    if raw.chars().count() > MAX_NUMBER_CHARS {
        return Err(NumberError::TooLong);
    }
    let number: String = raw.chars().filter(|c| !c.is_ascii_whitespace() && *c != '-').collect();
    if number.is_empty() {
        return Err(NumberError::Empty);
    }
    if !number.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(NumberError::BadCharacters);
    }
    Ok(number.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_carriers_write_them() {
        assert_eq!(normalise_number(" 8010 2345 6789 01 "), Ok("80102345678901".into()));
        assert_eq!(normalise_number("ra123456785ru"), Ok("RA123456785RU".into()));
        assert_eq!(normalise_number("DE-0000012345"), Ok("DE0000012345".into()));
    }

    #[test]
    fn malformed_numbers_say_why() {
        assert_eq!(normalise_number("   "), Err(NumberError::Empty));
        assert_eq!(normalise_number("<script>"), Err(NumberError::BadCharacters));
        assert_eq!(normalise_number(&"1".repeat(41)), Err(NumberError::TooLong));
        assert_eq!(normalise_number("ЕА123456785RU"), Err(NumberError::BadCharacters));
    }
}
