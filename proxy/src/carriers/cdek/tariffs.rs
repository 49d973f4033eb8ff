//! CDEK's prices through `POST /calculator/tarifflist`: every tariff for the route and parcel comes back,
//! and the one that fits the point's kind (office or postamat, from the shop's drop-off) is chosen, the
//! cheapest or the fastest as configured; to a door, the tariffs that end at the door. Errors CDEK sends in
//! `errors[]` become clear messages.

use pvz_shared::{Carrier, Currency, DoorAddress, Included, Parcel, Point, PointKind};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::TariffChoice;
use super::api::{Api, CdekError, describe};
use crate::Error;
use crate::carriers::{Tariff, TariffFuture, TariffKey, Tariffs};

/// CDEK's delivery modes: from the shop's drop-off at a CDEK office to an office (4), a postamat (7) or the
/// buyer's door (3); from the shop's door (2, 6, 1) when the route has no drop-off tariff.
fn modes(key: &TariffKey) -> [u8; 2] {
    match (key.door, key.kind) {
        (true, _) => [3, 1],
        (false, PointKind::Locker) => [7, 6],
        (false, _) => [4, 2],
    }
}

/// The weight CDEK charges for: volumetric weight (L x W x H / 5000) when it is more, in 100 g steps.
fn chargeable(parcel: &Parcel) -> u32 {
    let volumetric = u32::try_from(parcel.volume_cm3() / 5).unwrap_or(u32::MAX);
    (parcel.weight_g.max(volumetric).div_ceil(100) * 100).max(100)
}

#[derive(Serialize)]
struct Location<'a> {
    postal_code: &'a str,
    country_code: &'a str,
}

#[derive(Serialize)]
struct Package {
    weight: u32,
}

#[derive(Serialize)]
struct TariffListRequest<'a> {
    /// 1: an online shop's order.
    #[serde(rename = "type")]
    kind: u8,
    /// CDEK's code of the currency to price in (its appendix 14).
    currency: u8,
    from_location: Location<'a>,
    to_location: Location<'a>,
    packages: [Package; 1],
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TariffListAnswer {
    tariff_codes: Vec<TariffCode>,
    errors: Vec<CdekError>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TariffCode {
    tariff_name: String,
    delivery_mode: u8,
    /// Roubles.
    delivery_sum: f64,
    period_min: u16,
    period_max: u16,
}

pub struct CdekTariffs {
    pub api: Arc<Api>,
    pub carrier: Carrier,
    /// The shop's drop-off postcode.
    pub from_postal_code: String,
    pub choice: TariffChoice,
    /// What CDEK prices in for the shop.
    pub currency: Currency,
}

/// CDEK's code for a currency (appendix 14 of its API); `None` for one it does not price in.
pub fn currency_code(currency: Currency) -> Option<u8> {
    Some(match currency {
        Currency::Rub => 1,
        Currency::Kzt => 2,
        Currency::Usd => 3,
        Currency::Eur => 4,
        Currency::Cny => 6,
        Currency::Byn => 7,
        Currency::Kgs => 9,
        Currency::Amd => 10,
        Currency::Uzs => 15,
    })
}

impl Tariffs for CdekTariffs {
    fn key(&self, point: &Point, parcel: &Parcel) -> TariffKey {
        // Priced by postcode: every point of a postcode costs the same.
        TariffKey {
            carrier: point.carrier.clone(),
            destination: point.address.postal_code.clone(),
            country: point.address.country.clone(),
            at: (0, 0),
            kind: point.kind,
            weight_g: chargeable(parcel),
            door: false,
        }
    }

    fn door_key(&self, to: &DoorAddress, parcel: &Parcel) -> Result<TariffKey, Error> {
        // A door, like a point, is priced by its postcode.
        TariffKey::door_by_postcode(&self.carrier, "CDEK", to, chargeable(parcel))
    }

    fn calculate(&self, key: &TariffKey) -> TariffFuture<'_> {
        let key = key.clone();
        Box::pin(async move {
            if key.destination.is_empty() {
                return Err(Error::Upstream("CDEK: the point has no postcode to price to".into()));
            }
            let request = TariffListRequest {
                kind: 1,
                currency: currency_code(self.currency).unwrap_or(1),
                from_location: Location { postal_code: &self.from_postal_code, country_code: "RU" },
                to_location: Location { postal_code: &key.destination, country_code: &key.country },
                packages: [Package { weight: key.weight_g }],
            };
            let answer = self
                .api
                .call::<TariffListAnswer>(Method::POST, "calculator/tarifflist", |r| r.json(&request))
                .await?
                .body;
            if !answer.errors.is_empty() {
                return Err(Error::Upstream(describe(&answer.errors)));
            }
            let [preferred, fallback] = modes(&key);
            let fitting = |mode: u8| {
                answer
                    .tariff_codes
                    .iter()
                    .filter(move |t| t.delivery_mode == mode && t.delivery_sum.is_finite() && t.delivery_sum >= 0.0)
            };
            let candidates: Vec<&TariffCode> = if fitting(preferred).next().is_some() {
                fitting(preferred).collect()
            } else {
                fitting(fallback).collect()
            };
            let best = match self.choice {
                TariffChoice::Cheapest => {
                    candidates.into_iter().min_by(|a, b| a.delivery_sum.total_cmp(&b.delivery_sum))
                }
                TariffChoice::Fastest => candidates.into_iter().min_by_key(|t| (t.period_max, t.period_min)),
            };
            let best =
                best.ok_or_else(|| Error::Upstream("CDEK has no tariff to this point for this parcel".into()))?;
            Ok(Tariff {
                name: best.tariff_name.clone(),
                cost: (best.delivery_sum * 100.0).round() as u64,
                currency: self.currency,
                days_min: best.period_min,
                days_max: best.period_max.max(best.period_min),
            })
        })
    }

    fn fees(&self, parcel: &Parcel) -> Included {
        // CDEK's published rates: insurance 0.75 % of the declared value, cash on delivery 3 % collected.
        Included {
            insurance: parcel.declared_value * 75 / 10_000,
            cash_on_delivery_fee: parcel.cash_on_delivery * 300 / 10_000,
        }
    }
}
