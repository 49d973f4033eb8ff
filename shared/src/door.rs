//! Delivery to the door: the buyer's address as the proxy suggests it and the carriers price it, and the
//! carriers' door prices for it side by side.

use serde::{Deserialize, Serialize};

use crate::geo::LatLon;
use crate::point::Carrier;
use crate::quote::{Days, Included, Money, Parcel};

/// An address a courier can bring a parcel to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct DoorAddress {
    /// The whole address as people write it.
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 500))]
    pub full: String,
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 100))]
    pub city: String,
    #[serde(default)]
    #[cfg_attr(feature = "utoipa", schema(max_length = 100))]
    pub region: String,
    #[cfg_attr(feature = "utoipa", schema(max_length = 200))]
    pub street: String,
    /// The house with its building: `12`, `12к2`, `7/1`. Empty when the address stops at the street.
    #[serde(default)]
    #[cfg_attr(feature = "utoipa", schema(max_length = 20))]
    pub house: String,
    /// Flat or office, as the buyer typed it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "utoipa", schema(max_length = 20))]
    pub flat: String,
    #[serde(default)]
    #[cfg_attr(feature = "utoipa", schema(max_length = 6))]
    pub postal_code: String,
    pub location: LatLon,
}

impl DoorAddress {
    /// Whether a courier can find it: a street and a house.
    pub fn is_precise(&self) -> bool {
        !self.street.trim().is_empty() && !self.house.trim().is_empty()
    }

    /// The flat as a courier reads it: a number alone is a flat («кв. 17»), anything else as the buyer
    /// typed it («офис 5»); none when there is none.
    pub fn flat_line(&self) -> Option<String> {
        let flat = self.flat.trim();
        match flat.chars().next() {
            None => None,
            Some(c) if c.is_ascii_digit() => Some(format!("кв. {flat}")),
            Some(_) => Some(flat.to_string()),
        }
    }

    /// The whole address with its flat.
    pub fn line(&self) -> String {
        match self.flat_line() {
            Some(flat) => format!("{}, {flat}", self.full),
            None => self.full.clone(),
        }
    }

    /// Street, house and flat, for a carrier that takes the city and the postcode apart:
    /// «ул. Мира, д. 5, кв. 17».
    pub fn street_line(&self) -> String {
        let house = format!("{}, д. {}", self.street.trim(), self.house.trim());
        match self.flat_line() {
            Some(flat) => format!("{house}, {flat}"),
            None => house,
        }
    }
}

/// `GET /api/v1/addresses?q=&city=`: addresses that begin as the buyer typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AddressesResponse {
    pub suggestions: Vec<AddressSuggestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AddressSuggestion {
    /// The line the buyer sees: street and house.
    pub label: String,
    pub address: DoorAddress,
    /// False for a street without a house: a courier needs the house too.
    pub precise: bool,
}

/// `POST /api/v1/door-quotes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct DoorQuotesRequest {
    pub address: DoorAddress,
    pub parcel: Parcel,
    /// The carriers the shop ships with (its `data-carriers`); every carrier when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "utoipa", schema(max_items = 20))]
    pub carriers: Vec<Carrier>,
}

/// One carrier's price for bringing the parcel to the door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct DoorQuote {
    pub carrier: Carrier,
    /// The carrier's name for people.
    pub carrier_title: String,
    /// The carrier's tariff, for people.
    pub tariff: String,
    /// Everything the shop pays the carrier, `included` among it.
    pub cost: Money,
    pub days: Days,
    pub included: Included,
    /// The lowest price of all (ties all marked).
    pub cheapest: bool,
    /// The earliest delivery of all (ties all marked).
    pub fastest: bool,
}

/// A carrier that does not bring this parcel to this address, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct DoorRefusal {
    pub carrier: Carrier,
    pub carrier_title: String,
    /// `not_supported` (no door delivery there), `parcel_not_accepted`, or the carrier's failure
    /// (`upstream_error`, `carrier_unavailable`).
    pub code: String,
    pub message: String,
}

/// `POST /api/v1/door-quotes`: every carrier's door price, cheapest first, and the carriers that cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct DoorQuotesResponse {
    pub quotes: Vec<DoorQuote>,
    pub unavailable: Vec<DoorRefusal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_typed_as_a_number_is_a_flat_and_anything_else_is_kept_as_typed() {
        let mut address = DoorAddress {
            full: "420015, г. Казань, ул. Мира, д. 5".into(),
            city: "Казань".into(),
            region: String::new(),
            street: "ул. Мира".into(),
            house: "5".into(),
            flat: String::new(),
            postal_code: "420015".into(),
            location: LatLon { lat: 55.79, lon: 49.12 },
        };
        assert_eq!(address.line(), "420015, г. Казань, ул. Мира, д. 5");
        address.flat = " 17 ".into();
        assert_eq!(address.line(), "420015, г. Казань, ул. Мира, д. 5, кв. 17");
        address.flat = "офис 5".into();
        assert_eq!(address.line(), "420015, г. Казань, ул. Мира, д. 5, офис 5");
        assert_eq!(address.street_line(), "ул. Мира, д. 5, офис 5");
    }
}
