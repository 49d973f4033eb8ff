//! The carriers: each is a module of its own under `carriers/`, delivering its points as [`CarrierData`],
//! its prices through [`Tariffs`] and its parcels' histories through [`Tracker`]; adding one means one
//! module and one line in [`load`].

pub mod breaker;
pub mod cdek;
pub mod demo;
pub mod russianpost;
pub mod sync;
pub mod upstream;
pub mod zones;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use pvz_shared::tracking::{NumberFormat, Tracking};
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

pub type TrackFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<Tracking>, Error>> + Send + 'a>>;

/// A carrier's tracking.
pub trait Tracker: Send + Sync {
    /// Whether numbers of `format` are this carrier's.
    fn tracks(&self, format: NumberFormat) -> bool;
    /// How long an answer may be reused: how fast the carrier's statuses change and its quota decide it.
    fn ttl(&self) -> Duration;
    /// Asks the carrier about a checked number: one upstream call. `None`: it has no such parcel.
    fn track(&self, number: &str) -> TrackFuture<'_>;
    /// Whether the carrier looks orders up by the shop's own number ([`Tracker::track_order`]).
    fn finds_shop_orders(&self) -> bool {
        false
    }
    /// Asks by the shop's own order number; called only when [`Tracker::finds_shop_orders`] says so.
    fn track_order(&self, order: &str) -> TrackFuture<'_> {
        self.track(order)
    }
}

pub type PointsFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Point>, Error>> + Send + 'a>>;

/// Where a real carrier's points come from: fetched whole, in the background, again and again.
pub trait PointSource: Send + Sync {
    /// Every point the carrier hands parcels out at: many upstream calls (pages).
    fn fetch(&self) -> PointsFuture<'_>;
    /// How long a fetched list serves before the next fetch.
    fn interval(&self) -> Duration;
}

/// One carrier's points, as the network holds them.
pub struct CarrierPoints {
    pub name: Carrier,
    /// For people: "СДЭК", "Почта России".
    pub title: String,
    pub points: Vec<Point>,
    pub refreshed_at: OffsetDateTime,
    /// Built-in demo data rather than a real carrier.
    pub demo: bool,
}

impl CarrierPoints {
    /// The carrier without its points: what a sync fills in.
    pub fn clone_meta(&self) -> Self {
        Self {
            name: self.name.clone(),
            title: self.title.clone(),
            points: Vec::new(),
            refreshed_at: self.refreshed_at,
            demo: self.demo,
        }
    }
}

/// One carrier as its connector delivers it.
pub struct CarrierData {
    /// The points to serve from the start: the demo network, or a real carrier's last saved sync.
    pub points: CarrierPoints,
    pub tariffs: Arc<dyn Tariffs>,
    /// None when the carrier's tracking is not configured.
    pub tracker: Option<Arc<dyn Tracker>>,
    /// Fetches fresh points in the background; none for the demo carriers, whose points never change.
    pub source: Option<Arc<dyn PointSource>>,
}

/// Every configured carrier, and the demo carriers when none is configured (or `PVZ_DEMO` asks for them).
pub fn load(config: &Config) -> Vec<CarrierData> {
    let snapshots = sync::Snapshots::new(&config.data_dir);
    let mut carriers: Vec<CarrierData> =
        config.cdek.iter().map(|cdek| cdek::connect(cdek, config, &snapshots)).collect();
    carriers.extend(config.russianpost.iter().map(|post| russianpost::connect(post, config, &snapshots)));
    if config.demo {
        carriers.extend(demo_carriers(config));
    }
    carriers
}

/// The built-in demo carriers.
fn demo_carriers(config: &Config) -> Vec<CarrierData> {
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let origin = demo::tariffs::origin(&config.shop_from_city);
    let post_origin = demo::tariffs::postal_origin(&config.shop_from_postal_code).unwrap_or(origin);
    let demo_carrier = |name: &str, title: &str, points: Vec<Point>, network, origin| {
        let tracker = demo::tracking::DemoTracker::new(name, title, &points, now);
        CarrierData {
            points: CarrierPoints {
                name: Carrier(name.into()),
                title: title.into(),
                points,
                refreshed_at: now,
                demo: true,
            },
            tariffs: Arc::new(demo::tariffs::DemoTariffs::new(network, origin)),
            tracker: Some(Arc::new(tracker)),
            source: None,
        }
    };
    vec![
        demo_carrier(demo::EXPRESS, "Демо Экспресс", demo::express(today), demo::tariffs::Network::Express, origin),
        demo_carrier(demo::POST, "Демо Почта", demo::post(today), demo::tariffs::Network::Post, post_origin),
    ]
}
