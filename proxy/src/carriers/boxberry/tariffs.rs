//! Boxberry's prices from `DeliveryCosts`: the price to one point (`target`) from the shop's drop-off point
//! (`targetstart`), in roubles, with the delivery time in days, both often written as strings. Boxberry
//! prices each point on its own, so a point's code is the price's key. To a door, `ZipCheck` first says
//! whether its couriers come to the postcode, and `DeliveryCosts` with `zip` prices the courier.

use std::sync::Arc;

use pvz_shared::{Carrier, Currency, DoorAddress, Included, Parcel, Point, PointKind};
use serde::Deserialize;

use super::api::Api;
use crate::Error;
use crate::carriers::{Tariff, TariffFuture, TariffKey, Tariffs, lenient};

/// Prices are asked for in steps of this many grams, so that nearby weights share one answer.
const WEIGHT_STEP_G: u32 = 100;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Costs {
    /// Roubles: the whole price.
    #[serde(deserialize_with = "lenient::number")]
    price: Option<f64>,
    /// Days, as a string.
    #[serde(deserialize_with = "lenient::number")]
    delivery_period: Option<f64>,
}

/// One record of `ZipCheck`'s answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ZipCheck {
    #[serde(rename = "ExpressDelivery", deserialize_with = "lenient::number")]
    express_delivery: Option<f64>,
}

pub struct BoxberryTariffs {
    pub api: Arc<Api>,
    pub carrier: Carrier,
    /// The shop's drop-off point; `None`: the one in the shop's Boxberry settings.
    pub from_point: Option<String>,
}

impl Tariffs for BoxberryTariffs {
    fn key(&self, point: &Point, parcel: &Parcel) -> TariffKey {
        // Volumetric weight (L x W x H / 5000) counts when it is more.
        let volumetric = u32::try_from(parcel.volume_cm3() / 5).unwrap_or(u32::MAX);
        let weight = parcel.weight_g.max(volumetric).div_ceil(WEIGHT_STEP_G).max(1) * WEIGHT_STEP_G;
        let code = point.id.split_once(':').map_or(point.id.as_str(), |(_, code)| code);
        TariffKey {
            carrier: point.carrier.clone(),
            destination: code.to_string(),
            country: point.address.country.clone(),
            at: (0, 0),
            kind: point.kind,
            weight_g: weight,
            door: false,
        }
    }

    fn door_key(&self, to: &DoorAddress, parcel: &Parcel) -> Result<TariffKey, Error> {
        let volumetric = u32::try_from(parcel.volume_cm3() / 5).unwrap_or(u32::MAX);
        let weight_g = parcel.weight_g.max(volumetric).div_ceil(WEIGHT_STEP_G).max(1) * WEIGHT_STEP_G;
        TariffKey::door_by_postcode(&self.carrier, super::TITLE_EN, to, weight_g)
    }

    fn calculate(&self, key: &TariffKey) -> TariffFuture<'_> {
        let key = key.clone();
        Box::pin(async move {
            if key.door {
                let checked: serde_json::Value = self
                    .api
                    .call("ZipCheck", &[("Zip", key.destination.as_str())])
                    .await?
                    .map_err(|r| r.into_error())?;
                let record = checked.as_array().and_then(|a| a.first()).cloned().unwrap_or(checked);
                let check: ZipCheck = serde_json::from_value(record).unwrap_or_default();
                if check.express_delivery.unwrap_or(0.0) < 1.0 {
                    return Err(Error::Unprocessable(format!(
                        "{}'s couriers do not come to {}",
                        super::TITLE_EN,
                        key.destination
                    )));
                }
            }
            let weight = key.weight_g.to_string();
            let place = if key.door { "zip" } else { "target" };
            let mut params = vec![
                ("weight", weight.as_str()),
                (place, key.destination.as_str()),
                ("ordersum", "0"),
                ("deliverysum", "0"),
                ("paysum", "0"),
            ];
            if let Some(from) = &self.from_point {
                params.push(("targetstart", from));
            }
            let costs: Costs = self.api.call("DeliveryCosts", &params).await?.map_err(|r| r.into_error())?;
            let price = costs.price.filter(|p| *p >= 0.0).ok_or_else(|| {
                Error::Upstream(format!("{}: DeliveryCosts gave no price for this point", super::TITLE_EN))
            })?;
            let days = costs.delivery_period.filter(|d| (0.0..=365.0).contains(d)).unwrap_or(0.0) as u16;
            Ok(Tariff {
                name: match (key.door, key.kind) {
                    (true, _) => "Курьерская доставка".into(),
                    (false, PointKind::Locker) => "Посылка до постамата".into(),
                    (false, _) => "Посылка до пункта выдачи".into(),
                },
                cost: (price * 100.0).round() as u64,
                currency: Currency::Rub,
                days_min: days,
                days_max: days,
            })
        })
    }

    fn fees(&self, parcel: &Parcel) -> Included {
        // Boxberry's published rates: insurance 0.5 % of the declared value, cash on delivery 1.5 % collected.
        Included {
            insurance: parcel.declared_value * 50 / 10_000,
            cash_on_delivery_fee: parcel.cash_on_delivery * 150 / 10_000,
        }
    }
}
