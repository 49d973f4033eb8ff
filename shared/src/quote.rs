//! Delivery cost and time: the parcel a quote is for and the quote itself. Money is in kopecks inside and
//! formatted only at the edge.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::point::{Carrier, Dimensions};

/// What is being sent: from the snippet (`data-weight`, `data-dims`, `data-value`, `data-cod`) or the JS API.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Parcel {
    /// Total weight in grams.
    #[serde(deserialize_with = "crate::whole::number")]
    #[cfg_attr(feature = "utoipa", schema(minimum = 1, maximum = 1000000))]
    pub weight_g: u32,
    /// Outer size of each box, in cm; empty when unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "utoipa", schema(max_items = 20))]
    pub boxes: Vec<Dimensions>,
    /// Declared value, in kopecks: the carrier insures it.
    #[serde(default, deserialize_with = "crate::whole::number")]
    #[cfg_attr(feature = "utoipa", schema(maximum = 10000000000_u64))]
    pub declared_value: u64,
    /// Cash on delivery to collect from the buyer, in kopecks; 0 when prepaid.
    #[serde(default, deserialize_with = "crate::whole::number")]
    #[cfg_attr(feature = "utoipa", schema(maximum = 10000000000_u64))]
    pub cash_on_delivery: u64,
}

impl Parcel {
    /// The largest box, which decides whether the parcel fits a locker cell.
    pub fn largest_box(&self) -> Option<Dimensions> {
        self.boxes.iter().copied().max_by_key(|d| u32::from(d.length) * u32::from(d.width) * u32::from(d.height))
    }

    /// The boxes' volume in cubic cm.
    pub fn volume_cm3(&self) -> u64 {
        self.boxes.iter().map(|d| u64::from(d.length) * u64::from(d.width) * u64::from(d.height)).sum()
    }
}

/// An amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Money {
    /// In hundredths of the currency: kopecks of the rouble, tiyn of the tenge.
    pub kopecks: u64,
    /// The currency the carrier prices in (its contract's), as it answers.
    pub currency: Currency,
}

/// ISO 4217: the currencies the carriers of Russia and its neighbours price in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub enum Currency {
    #[default]
    Rub,
    Kzt,
    Byn,
    Amd,
    Kgs,
    Uzs,
    Usd,
    Eur,
    Cny,
}

impl Currency {
    pub const ALL: [Self; 9] =
        [Self::Rub, Self::Kzt, Self::Byn, Self::Amd, Self::Kgs, Self::Uzs, Self::Usd, Self::Eur, Self::Cny];

    /// The ISO code: `RUB`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Rub => "RUB",
            Self::Kzt => "KZT",
            Self::Byn => "BYN",
            Self::Amd => "AMD",
            Self::Kgs => "KGS",
            Self::Uzs => "UZS",
            Self::Usd => "USD",
            Self::Eur => "EUR",
            Self::Cny => "CNY",
        }
    }

    /// The currency of an ISO code, in any case.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl Money {
    pub fn rub(kopecks: u64) -> Self {
        Self { kopecks, currency: Currency::Rub }
    }
}

/// Delivery time in days, and in dates when the carrier gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Days {
    pub min: u16,
    pub max: u16,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::dates::iso_date::option")]
    #[cfg_attr(feature = "utoipa", schema(value_type = Option<String>, format = Date))]
    pub from_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::dates::iso_date::option")]
    #[cfg_attr(feature = "utoipa", schema(value_type = Option<String>, format = Date))]
    pub to_date: Option<Date>,
}

/// What the cost includes beside the carriage itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Included {
    /// Insurance of the declared value, in kopecks.
    pub insurance: u64,
    /// The carrier's fee for collecting cash on delivery, in kopecks.
    pub cash_on_delivery_fee: u64,
}

/// The price and time of delivering a parcel to one point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Quote {
    pub point_id: String,
    pub carrier: Carrier,
    /// The carrier's tariff, for people.
    pub tariff: String,
    /// Everything the shop pays the carrier, `included` among it.
    pub cost: Money,
    pub days: Days,
    pub included: Included,
}

/// A point that could not be quoted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct QuoteFailure {
    pub point_id: String,
    pub code: String,
    pub message: String,
}

/// `POST /api/v1/quotes`: quotes for many points at once (the points in the list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct QuotesRequest {
    #[cfg_attr(feature = "utoipa", schema(max_items = 500))]
    pub points: Vec<String>,
    pub parcel: Parcel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct QuotesResponse {
    pub quotes: Vec<Quote>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<QuoteFailure>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_kopecks_and_a_currency_on_the_wire() {
        assert_eq!(serde_json::to_string(&Money::rub(129_000)).unwrap(), r#"{"kopecks":129000,"currency":"RUB"}"#);
    }

    #[test]
    fn the_largest_box_is_the_one_with_the_most_volume() {
        let parcel = Parcel {
            weight_g: 1200,
            boxes: vec!["30x20x10".parse().unwrap(), "50x40x5".parse().unwrap(), "10x10x10".parse().unwrap()],
            ..Parcel::default()
        };
        assert_eq!(parcel.largest_box(), Some("50x40x5".parse().unwrap()));
        assert_eq!(parcel.volume_cm3(), 6000 + 10_000 + 1000);
    }
}
