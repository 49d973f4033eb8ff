//! The carriers: each is a module of its own under `carriers/`, delivering its points as [`CarrierData`] and
//! its prices through [`Tariffs`]; adding one means one module and one line in [`load`].

pub mod demo;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use pvz_shared::{Carrier, Included, Parcel, Point, PointKind};
use time::OffsetDateTime;

use crate::{Config, Error};

/// What of a delivery a carrier's price depends on: the cache key of its tariffs. Two deliveries with the
/// same key cost the same, so one upstream call serves both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TariffKey {
    pub carrier: Carrier,
    /// The destination as the carrier prices it: a city for a courier network, a postcode for the post.
    pub destination: String,
    /// The destination's position in micro-degrees (lat, lon), for the carriers that price by distance.
    pub at: (i32, i32),
    /// Office or locker: carriers have different tariffs for each.
    pub kind: PointKind,
    /// Chargeable weight rounded up to the carrier's step, in grams.
    pub weight_g: u32,
}

/// A carrier's answer for one [`TariffKey`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    /// The tariff's name, for people.
    pub name: String,
    /// Carriage alone, in kopecks.
    pub cost: u64,
    pub days_min: u16,
    pub days_max: u16,
}

pub type TariffFuture<'a> = Pin<Box<dyn Future<Output = Result<Tariff, Error>> + Send + 'a>>;

/// A carrier's prices.
pub trait Tariffs: Send + Sync {
    /// The key that decides the price of delivering `parcel` to `point`.
    fn key(&self, point: &Point, parcel: &Parcel) -> TariffKey;
    /// Asks the carrier: one upstream call.
    fn calculate(&self, key: &TariffKey) -> TariffFuture<'_>;
    /// Insurance and cash-on-delivery fees, by the carrier's published rates (no upstream call).
    fn fees(&self, parcel: &Parcel) -> Included;
}

/// One carrier's points as its connector delivered them.
pub struct CarrierData {
    pub name: Carrier,
    /// For people: "СДЭК", "Почта России".
    pub title: String,
    pub points: Vec<Point>,
    pub refreshed_at: OffsetDateTime,
    /// Built-in demo data rather than a real carrier.
    pub demo: bool,
    pub tariffs: Arc<dyn Tariffs>,
}

/// The points of every configured carrier; the demo carriers when none is configured.
pub fn load(config: &Config) -> Vec<CarrierData> {
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let origin = demo::tariffs::origin(&config.shop_from_city);
    let post_origin = demo::tariffs::postal_origin(&config.shop_from_postal_code).unwrap_or(origin);
    vec![
        CarrierData {
            name: Carrier(demo::EXPRESS.into()),
            title: "Демо Экспресс".into(),
            points: demo::express(today),
            refreshed_at: now,
            demo: true,
            tariffs: Arc::new(demo::tariffs::DemoTariffs::new(demo::tariffs::Network::Express, origin)),
        },
        CarrierData {
            name: Carrier(demo::POST.into()),
            title: "Демо Почта".into(),
            points: demo::post(today),
            refreshed_at: now,
            demo: true,
            tariffs: Arc::new(demo::tariffs::DemoTariffs::new(demo::tariffs::Network::Post, post_origin)),
        },
    ]
}
