//! The carriers, each one module under `carriers/` behind one contract: a [`Connector`] reads the carrier's
//! section of the configuration and, when the shop configured it, connects it: a [`PointSource`] for its
//! network, [`Tariffs`] for its prices, a [`Tracker`] for its parcels and a [`Shipper`] for the shop's
//! shipments. [`CONNECTORS`] lists them; adding a
//! carrier means one module and one line there, and nothing outside its module names it. The demo carriers
//! stand in when no real one is configured.

pub mod boxberry;
pub mod breaker;
pub mod cdek;
pub mod demo;
pub mod lenient;
pub mod russianpost;
pub mod schedule;
pub mod shipper;
pub mod sync;
pub mod upstream;
pub mod zones;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use pvz_shared::tracking::Tracking;
use pvz_shared::{Carrier, Currency, DoorAddress, Included, OpeningHours, Parcel, Point, PointKind};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::config::{ConfigError, Setting, Vars};
use crate::network::CarrierPoints;
use crate::store::Store;
use crate::{Config, Error};
pub use shipper::Shipper;

/// Every real carrier the proxy connects to, in the order the widget lists them.
pub static CONNECTORS: &[&Connector] = &[&cdek::CONNECTOR, &russianpost::CONNECTOR, &boxberry::CONNECTOR];

/// A carrier the proxy knows how to connect to.
pub struct Connector {
    /// Its machine name: the prefix of its points' ids, its section `[name]` of the configuration file and
    /// its settings `PVZ_<NAME>_*`.
    pub name: &'static str,
    /// Every setting of its section.
    pub settings: &'static [Setting],
    /// Its section of the example configuration: each setting commented out, with what it is for.
    pub example: &'static str,
    /// Its settings, read and checked; `None` when the shop has not configured it. An error names the key.
    pub configure: Configure,
}

/// How a [`Connector`] reads its section.
pub type Configure = fn(&Vars) -> Result<Option<Box<dyn Configured>>, ConfigError>;

/// A carrier as the shop configured it; `Debug` shows no credential.
pub trait Configured: std::fmt::Debug + Send + Sync {
    /// Its parts, ready to be asked (nothing is asked yet). `data_dir` keeps its small state files; `store`
    /// is the proxy's database (shared with other proxies on PostgreSQL), for what all of them must count
    /// together.
    fn connect(&self, config: &Config, data_dir: &std::path::Path, store: &Store) -> Connection;
}

/// A configured carrier's parts.
pub struct Connection {
    /// For people: the carrier's own name.
    pub title: &'static str,
    pub tariffs: Arc<dyn Tariffs>,
    /// None when the carrier's tracking is not configured.
    pub tracker: Option<Arc<dyn Tracker>>,
    /// None when its points cannot be fetched with what is configured (the last saved ones still serve).
    pub source: Option<Arc<dyn PointSource>>,
    /// None when the proxy cannot register its shipments.
    pub shipper: Option<Arc<dyn Shipper>>,
}

/// What of a delivery a carrier's price depends on: the cache key of its tariffs. Two deliveries with the
/// same key cost the same, so one upstream call serves both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TariffKey {
    pub carrier: Carrier,
    /// The destination as the carrier prices it: a city, a postcode, a point's code.
    pub destination: String,
    /// The destination's country (ISO 3166-1 alpha-2), for the carriers that deliver abroad.
    pub country: String,
    /// The destination's position in micro-degrees (lat, lon), for the carriers that price by distance.
    pub at: (i32, i32),
    /// Office or locker: carriers have different tariffs for each.
    pub kind: PointKind,
    /// Chargeable weight rounded up to the carrier's step, in grams.
    pub weight_g: u32,
    /// To the buyer's door rather than to a point.
    pub door: bool,
}

impl TariffKey {
    /// A door as carriers that price by postcode key it: its postcode, for `weight_g` chargeable grams
    /// (rounded as `carrier` rounds them); `title`'s clear refusal when the address has no postcode.
    pub fn door_by_postcode(carrier: &Carrier, title: &str, to: &DoorAddress, weight_g: u32) -> Result<Self, Error> {
        let postal_code = to.postal_code.trim();
        if postal_code.len() != 6 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Unprocessable(format!(
                "{title} prices a door by its postcode, and the address has none"
            )));
        }
        Ok(Self {
            carrier: carrier.clone(),
            destination: postal_code.to_string(),
            country: "RU".into(),
            at: (0, 0),
            kind: PointKind::PickupPoint,
            weight_g,
            door: true,
        })
    }
}

/// A carrier's answer for one [`TariffKey`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    /// The tariff's name, for people.
    pub name: String,
    /// Carriage alone, in hundredths of `currency`.
    pub cost: u64,
    /// What the carrier prices in: its contract's currency.
    pub currency: Currency,
    pub days_min: u16,
    pub days_max: u16,
}

pub type TariffFuture<'a> = Pin<Box<dyn Future<Output = Result<Tariff, Error>> + Send + 'a>>;

/// A carrier's prices.
pub trait Tariffs: Send + Sync {
    /// The key that decides the price of delivering `parcel` to `point`.
    fn key(&self, point: &Point, parcel: &Parcel) -> TariffKey;
    /// The key of bringing `parcel` to the door at `to`; why not (the carrier does not deliver there, or not
    /// to doors through this proxy) as an error saying so.
    fn door_key(&self, _to: &DoorAddress, _parcel: &Parcel) -> Result<TariffKey, Error> {
        Err(Error::Unprocessable("its delivery to the door is not connected to this proxy".into()))
    }
    /// Asks the carrier: one upstream call.
    fn calculate(&self, key: &TariffKey) -> TariffFuture<'_>;
    /// Insurance and cash-on-delivery fees, by the carrier's published rates (no upstream call).
    fn fees(&self, parcel: &Parcel) -> Included;
}

/// Addresses a carrier knows without a geocoder (the demo networks' streets), for the buyer typing where a
/// courier should come.
pub trait AddressBook: Send + Sync {
    /// Up to `limit` addresses for `query` (a street, perhaps a house, perhaps the city first), in `city`
    /// when given.
    fn suggest(&self, query: &str, city: Option<&str>, limit: usize) -> Vec<pvz_shared::AddressSuggestion>;
}

pub type TrackFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<Tracking>, Error>> + Send + 'a>>;

/// What a carrier makes of a track number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognition {
    /// In one of its formats.
    Mine,
    NotMine,
    /// In its format, but it cannot be right (a wrong check digit): most likely a typo; says what is wrong.
    Typo(&'static str),
}

/// What a carrier's track numbers look like, for the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberForms {
    /// In Russian: "14 цифр или RA123456785RU".
    pub ru: &'static str,
    pub en: &'static str,
}

/// A carrier's tracking.
pub trait Tracker: Send + Sync {
    /// Whose `number` is (upper case, without spaces or dashes, as [`pvz_shared::tracking::normalise_number`]
    /// writes it).
    fn recognise(&self, number: &str) -> Recognition;
    /// Its numbers' formats, for the buyer typing one and for error messages.
    fn forms(&self) -> NumberForms;
    /// How long an answer may be reused: how fast the carrier's statuses change and its quota decide it.
    fn ttl(&self) -> Duration;
    /// Asks the carrier about a recognised number: one upstream call. `None`: it has no such parcel.
    fn track(&self, number: &str) -> TrackFuture<'_>;
    /// Like [`Tracker::track`], for the shop's own parcels followed in the background: a carrier with a
    /// daily quota counts the call against the part of it following may spend, and refuses it past that.
    fn follow(&self, number: &str) -> TrackFuture<'_> {
        self.track(number)
    }
    /// Whether a call may be spent now on following the shop's own shipments: a carrier with a daily quota
    /// keeps part of it for buyers.
    fn spare(&self) -> bool {
        true
    }
    /// Calls made today and the day's limit, for a carrier with a daily quota.
    fn quota(&self) -> Option<(u32, u32)> {
        None
    }
    /// Whether the carrier looks orders up by the shop's own number ([`Tracker::track_order`]).
    fn finds_shop_orders(&self) -> bool {
        false
    }
    /// Asks by the shop's own order number; called only when [`Tracker::finds_shop_orders`] says so.
    fn track_order(&self, order: &str) -> TrackFuture<'_> {
        self.track(order)
    }
}

/// Why a carrier's record is not served. Only what cannot be put on the map or chosen is left out: a point
/// whose hours cannot be read is served with its hours unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// It hands no parcels out: it only takes them in, is closed for good, or is not open to the public.
    NoHandout,
    /// No coordinates, or none that are on the globe: it cannot be put on the map.
    NoLocation,
    /// No code, or one unfit to name it by: it cannot be chosen.
    NoCode,
    /// Not a record of the carrier's shape at all.
    Unreadable,
    /// The same code again in one list.
    Duplicate,
}

impl Skip {
    pub const ALL: [Self; 5] = [Self::NoHandout, Self::NoLocation, Self::NoCode, Self::Unreadable, Self::Duplicate];

    /// The reason as `/metrics` labels it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoHandout => "no_handout",
            Self::NoLocation => "no_location",
            Self::NoCode => "no_code",
            Self::Unreadable => "unreadable",
            Self::Duplicate => "duplicate",
        }
    }
}

/// A carrier's whole network as one fetch found it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fetched {
    /// Sorted by id, one point an id.
    pub points: Vec<Point>,
    /// The records left out, by why.
    #[serde(default)]
    pub skipped: BTreeMap<Skip, u32>,
}

impl Fetched {
    /// The points among `records`, each record that is not one counted by why; a repeated id is kept once.
    pub fn tally(records: impl IntoIterator<Item = Result<Point, Skip>>) -> Self {
        let mut fetched = Self::default();
        for record in records {
            match record {
                Ok(point) => fetched.points.push(point),
                Err(why) => *fetched.skipped.entry(why).or_default() += 1,
            }
        }
        fetched.points.sort_by(|a, b| a.id.cmp(&b.id));
        let before = fetched.points.len();
        fetched.points.dedup_by(|a, b| a.id == b.id);
        let repeated = (before - fetched.points.len()) as u32;
        if repeated > 0 {
            *fetched.skipped.entry(Skip::Duplicate).or_default() += repeated;
        }
        fetched
    }

    /// Points served with their hours unknown.
    pub fn hours_unknown(&self) -> usize {
        self.points.iter().filter(|p| p.hours.is_unknown()).count()
    }
}

pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + 'a>>;

/// What a carrier's points' own records add to its list: hours, by point id.
pub type Completion = Vec<(String, OpeningHours)>;

pub type CompleteFuture = Pin<Box<dyn Future<Output = Result<Completion, Error>> + Send>>;

/// Where a real carrier's points come from: fetched whole, in the background, again and again.
pub trait PointSource: Send + Sync {
    /// Every point the carrier hands parcels out at: one or many upstream calls.
    fn fetch(&self) -> FetchFuture<'_>;
    /// How long a fetched list serves before the next fetch.
    fn interval(&self) -> Duration;
    /// What the whole list left out and only each point's own record says (hours with lunch breaks),
    /// asked point by point at the carrier's polite rate while `fetched` already serves; `None` when
    /// nothing is missing. Its answer is applied to the points then serving.
    fn complete(&self, _fetched: &Fetched) -> Option<CompleteFuture> {
        None
    }
}

/// One carrier as the proxy starts it.
pub struct CarrierData {
    /// The points to serve from the start: the demo network, or a real carrier's last saved sync.
    pub points: CarrierPoints,
    /// What the last sync left out, by why (for `/metrics`).
    pub skipped: BTreeMap<Skip, u32>,
    pub tariffs: Arc<dyn Tariffs>,
    /// None when the carrier's tracking is not configured.
    pub tracker: Option<Arc<dyn Tracker>>,
    /// Fetches fresh points in the background; none for the demo carriers, whose points never change.
    pub source: Option<Arc<dyn PointSource>>,
    /// None when the proxy cannot register its shipments.
    pub shipper: Option<Arc<dyn Shipper>>,
    /// The carrier's own index of addresses, for couriers to the door; real carriers leave addresses to the
    /// geocoder.
    pub addresses: Option<Arc<dyn AddressBook>>,
}

/// Every configured carrier, with its last saved points, and the demo carriers when none is configured
/// (or `PVZ_DEMO` asks for them).
pub fn load(config: &Config, store: &Store) -> Vec<CarrierData> {
    let snapshots = sync::Snapshots::new(&config.data_dir);
    let mut carriers: Vec<CarrierData> = config
        .carriers
        .iter()
        .map(|configured| {
            let connection = configured.settings.connect(config, snapshots.dir(), store);
            let name = Carrier(configured.name.into());
            let (saved, saved_at) = match snapshots.load(&name) {
                Some((fetched, at)) => {
                    tracing::info!(carrier = %name, points = fetched.points.len(), saved_at = %at, "points from the last sync");
                    (fetched, at)
                }
                None => (Fetched::default(), OffsetDateTime::UNIX_EPOCH),
            };
            if connection.source.is_none() {
                tracing::warn!(carrier = %name, "not configured to fetch points: only the saved ones serve");
            }
            CarrierData {
                points: CarrierPoints {
                    name,
                    title: connection.title.into(),
                    points: saved.points,
                    refreshed_at: saved_at,
                    demo: false,
                },
                skipped: saved.skipped,
                tariffs: connection.tariffs,
                tracker: connection.tracker,
                source: connection.source,
                shipper: connection.shipper,
                addresses: None,
            }
        })
        .collect();
    if config.demo {
        carriers.extend(demo::carriers(config));
    }
    carriers
}
