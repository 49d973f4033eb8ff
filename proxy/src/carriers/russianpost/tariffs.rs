//! Russian Post's prices from its public tariff calculator v2
//! (`GET /v2/calculate/tariff/delivery?json&object=&from=&to=&weight=`): the price with VAT in kopecks and
//! the delivery time in days. The calculator reports refusals with HTTP 200 and `errors[]`; those become
//! clear errors rather than a price of zero. To a door the object is "Курьер онлайн", which the calculator
//! refuses for an address whose office has no couriers.

use pvz_shared::{Carrier, Currency, DoorAddress, Included, Parcel, Point};
use reqwest::Url;
use serde::Deserialize;

use super::RussianPostConfig;
use super::TITLE_EN;
use crate::Error;
use crate::carriers::breaker::{self, Breaker, Failure};
use crate::carriers::{Tariff, TariffFuture, TariffKey, Tariffs, upstream};

/// The calculator's object: an ordinary online parcel ("Посылка онлайн обыкновенная"), delivered to an
/// office or a parcel locker.
const ONLINE_PARCEL: &str = "23030";
/// To the door: "Курьер онлайн", where the destination's office has couriers.
const COURIER_ONLINE: &str = "47030";
/// Prices are asked for in steps of this many grams, so that nearby weights share one answer.
const WEIGHT_STEP_G: u32 = 100;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Answer {
    name: Option<String>,
    /// Kopecks, VAT included.
    paynds: Option<u64>,
    /// Kopecks, without VAT.
    pay: Option<u64>,
    delivery: Option<Delivery>,
    errors: Vec<CalcError>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Delivery {
    min: Option<u16>,
    max: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CalcError {
    msg: String,
    code: Option<serde_json::Value>,
}

fn describe(errors: &[CalcError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| match &e.code {
            Some(code) => format!("{} ({code})", e.msg.trim()),
            None => e.msg.trim().to_string(),
        })
        .collect();
    format!("{TITLE_EN}: {}", parts.join("; "))
}

pub struct PostTariffs {
    carrier: Carrier,
    client: reqwest::Client,
    url: Url,
    from_postal_code: String,
    breaker: Breaker,
}

impl PostTariffs {
    pub fn new(config: &RussianPostConfig, carrier: Carrier, from_postal_code: String) -> Self {
        let url = config.tariff_url.join("v2/calculate/tariff/delivery").unwrap_or_else(|_| config.tariff_url.clone());
        Self {
            carrier,
            client: upstream::client(config.timeout),
            url,
            from_postal_code,
            breaker: Breaker::new("Russian Post (tariffs)", breaker::THRESHOLD, breaker::COOL_DOWN),
        }
    }

    async fn ask(&self, key: &TariffKey) -> Result<Tariff, Failure> {
        let mut url = self.url.clone();
        url.set_query(Some("json"));
        url.query_pairs_mut()
            .append_pair("object", if key.door { COURIER_ONLINE } else { ONLINE_PARCEL })
            .append_pair("from", &self.from_postal_code)
            .append_pair("to", &key.destination)
            .append_pair("weight", &key.weight_g.to_string());
        let response = self.client.get(url).send().await.map_err(|e| {
            Failure::Outage(Error::Upstream(format!(
                "{TITLE_EN}: the tariff calculator gave no answer: {}",
                upstream::why(&e)
            )))
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| {
            Failure::Outage(Error::Upstream(format!("{TITLE_EN}: the answer broke off: {}", upstream::why(&e))))
        })?;
        let answer = serde_json::from_slice::<Answer>(&bytes);
        if let Ok(answer) = &answer
            && !answer.errors.is_empty()
        {
            // The calculator answered and refused: the request, not the service, is at fault. To a door, a
            // refusal says the address has no courier.
            let said = describe(&answer.errors);
            return Err(Failure::Refusal(if key.door { Error::Unprocessable(said) } else { Error::Upstream(said) }));
        }
        if !status.is_success() {
            let error = Error::Upstream(format!("{TITLE_EN}: the tariff calculator failed (HTTP {status})"));
            return Err(if status.is_client_error() { Failure::Refusal(error) } else { Failure::Outage(error) });
        }
        let answer = answer.map_err(|_| {
            Failure::Outage(Error::Upstream(format!("{TITLE_EN}: the tariff calculator answered with unexpected JSON")))
        })?;
        let cost = answer.paynds.or(answer.pay).ok_or_else(|| {
            Failure::Refusal(Error::Upstream(format!("{TITLE_EN}: the tariff calculator gave no price")))
        })?;
        let (min, max) = match answer.delivery {
            Some(Delivery { min: Some(min), max }) => (min, max.unwrap_or(min).max(min)),
            _ => {
                return Err(Failure::Refusal(Error::Upstream(format!(
                    "{TITLE_EN}: the tariff calculator gave no delivery time"
                ))));
            }
        };
        Ok(Tariff {
            name: answer.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "Посылка онлайн".into()),
            cost,
            currency: Currency::Rub,
            days_min: min,
            days_max: max,
        })
    }
}

impl Tariffs for PostTariffs {
    fn key(&self, point: &Point, parcel: &Parcel) -> TariffKey {
        TariffKey {
            carrier: point.carrier.clone(),
            // Every office is its own postcode.
            destination: point.address.postal_code.clone(),
            country: point.address.country.clone(),
            at: (0, 0),
            kind: point.kind,
            weight_g: parcel.weight_g.div_ceil(WEIGHT_STEP_G).max(1) * WEIGHT_STEP_G,
            door: false,
        }
    }

    fn door_key(&self, to: &DoorAddress, parcel: &Parcel) -> Result<TariffKey, Error> {
        // A courier comes from the office of the address's postcode.
        let weight_g = parcel.weight_g.div_ceil(WEIGHT_STEP_G).max(1) * WEIGHT_STEP_G;
        TariffKey::door_by_postcode(&self.carrier, TITLE_EN, to, weight_g)
    }

    fn calculate(&self, key: &TariffKey) -> TariffFuture<'_> {
        let key = key.clone();
        Box::pin(async move {
            if !super::is_postcode(&key.destination) {
                return Err(Error::Upstream(format!("{TITLE_EN}: the point has no postcode to price to")));
            }
            self.breaker.call(self.ask(&key)).await
        })
    }

    fn fees(&self, parcel: &Parcel) -> Included {
        // Russian Post's published rates: insurance 4 % of the declared value, 2.5 % of cash on delivery.
        Included {
            insurance: parcel.declared_value * 4 / 100,
            cash_on_delivery_fee: parcel.cash_on_delivery * 25 / 1000,
        }
    }
}
