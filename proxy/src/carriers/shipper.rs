//! The shipments half of the carrier contract: a [`Shipper`] registers the shop's parcels with its carrier,
//! reports what became of them in the proxy's own [`State`]s (keeping the carrier's codes and words beside
//! them) and cancels them while the carrier allows it. The ledger and the API never see a carrier's format.

use std::future::Future;
use std::pin::Pin;

use pvz_shared::tracking::TrackStatus;
use pvz_shared::{DoorAddress, Parcel, Point};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::Error;

/// Where a shipment stands, the same words for every carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Asked for; the carrier has not confirmed it yet.
    Pending,
    /// The carrier has the order; it does not have the parcel yet.
    Registered,
    /// The carrier refused the order; `errors` says why.
    Rejected,
    Cancelled,
    InTransit,
    ReadyForPickup,
    Delivered,
    /// Going back to the shop.
    Returning,
    /// Back at the shop.
    Returned,
}

impl State {
    pub const ALL: [Self; 9] = [
        Self::Pending,
        Self::Registered,
        Self::Rejected,
        Self::Cancelled,
        Self::InTransit,
        Self::ReadyForPickup,
        Self::Delivered,
        Self::Returning,
        Self::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Registered => "registered",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
            Self::InTransit => "in_transit",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::Delivered => "delivered",
            Self::Returning => "returning",
            Self::Returned => "returned",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The state a parcel's tracking status puts a registered shipment in; `None` for a hold-up, which
    /// leaves it where it was.
    pub fn from_track(status: TrackStatus) -> Option<Self> {
        Some(match status {
            TrackStatus::Created => Self::Registered,
            TrackStatus::Accepted | TrackStatus::InTransit => Self::InTransit,
            TrackStatus::ArrivedAtPickupPoint | TrackStatus::ReadyForPickup | TrackStatus::OutForDelivery => {
                Self::ReadyForPickup
            }
            TrackStatus::Delivered => Self::Delivered,
            TrackStatus::Returned => Self::Returning,
            TrackStatus::Problem => return None,
        })
    }

    /// Nothing more will happen to it: it is no longer asked about.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Rejected | Self::Cancelled | Self::Delivered | Self::Returned)
    }
}

/// The buyer who receives the parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recipient {
    /// As on their passport: the pickup point asks for it.
    #[schema(min_length = 1, max_length = 255)]
    pub name: String,
    /// `+7XXXXXXXXXX` (other spellings of a Russian number are read too); the carrier texts the pickup code to it.
    #[schema(max_length = 40)]
    pub phone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schema(max_length = 255)]
    pub email: String,
}

/// One line of the order: what the carrier writes on its documents and collects cash on delivery for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Item {
    #[schema(min_length = 1, max_length = 255)]
    pub name: String,
    /// The shop's article code.
    #[schema(min_length = 1, max_length = 50)]
    pub sku: String,
    /// One piece's price in kopecks.
    #[serde(deserialize_with = "pvz_shared::whole::number")]
    #[schema(maximum = 10000000000_u64)]
    pub price: u64,
    #[serde(deserialize_with = "pvz_shared::whole::number")]
    #[schema(minimum = 1, maximum = 10000)]
    pub quantity: u32,
    /// One piece's weight in grams.
    #[serde(deserialize_with = "pvz_shared::whole::number")]
    #[schema(minimum = 1, maximum = 1000000)]
    pub weight_g: u32,
}

/// Where a parcel goes: a pickup point the network serves, or the buyer's door.
#[derive(Debug, Clone)]
pub enum Destination {
    Point(Box<Point>),
    Door(DoorAddress),
}

/// A parcel as the carrier is asked to register it: checked, and going to a point the network serves or to
/// a door.
#[derive(Debug, Clone)]
pub struct Consignment {
    /// The shop's order number: the carrier's reference for it, by which it is found again.
    pub number: String,
    pub to: Destination,
    pub parcel: Parcel,
    pub recipient: Recipient,
    pub items: Vec<Item>,
    pub comment: String,
}

impl Consignment {
    /// The pickup point, for a carrier that registers no door deliveries (the service never sends it one).
    pub fn point(&self) -> Result<&Point, Error> {
        match &self.to {
            Destination::Point(point) => Ok(point.as_ref()),
            Destination::Door(_) => Err(Error::Unprocessable("this carrier registers no door deliveries here".into())),
        }
    }
}

/// An error as the carrier gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CarrierError {
    /// The carrier's own code.
    pub code: String,
    /// The carrier's own words.
    pub message: String,
}

/// One status the carrier reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: OffsetDateTime,
    /// Where the shipment stands after it; `None` when the carrier's code does not move it (a delay, a
    /// call to the buyer), so the state it was in holds.
    pub state: Option<State>,
    pub code: String,
    pub text: String,
    pub city: String,
}

/// What the carrier says of a shipment, whole each time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The carrier's handle for it (its order id), once it has one.
    pub carrier_ref: Option<String>,
    /// The number the buyer tracks it by, once the carrier gave one.
    pub track_number: Option<String>,
    /// `Some(Pending)` while the carrier still processes the order, `Some(Rejected)` when it refused it;
    /// otherwise the state follows from `events`.
    pub state: Option<State>,
    pub errors: Vec<CarrierError>,
    /// Oldest first.
    pub events: Vec<Event>,
    /// What the carrier billed for it, in kopecks, once it says.
    pub final_cost: Option<u64>,
}

/// Why a shipment cannot be cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cancel {
    Done,
    /// The carrier keeps it (the parcel is already on its way): its words.
    Refused(String),
}

/// A shipment's printable label (or receipt), as the carrier makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// The PDF.
    Ready(Vec<u8>),
    /// The carrier is still making it: ask again shortly.
    Preparing,
}

/// A courier asked to collect the shop's parcels.
#[derive(Debug, Clone)]
pub struct Pickup {
    pub date: time::Date,
    /// Local times at the shop, `HH:MM`.
    pub time_from: String,
    pub time_to: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// Where the courier comes: the shop's city and address.
    pub city: String,
    pub address: String,
}

pub type ShipFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// A carrier's shipments. Each method is one upstream call or a few; an outage is an `Err`, a refusal is in
/// the [`Report`].
pub trait Shipper: Send + Sync {
    /// Asks the carrier to register the parcel.
    fn register(&self, consignment: Consignment) -> ShipFuture<'_, Report>;
    /// Whether it registers parcels to the buyer's door as well as to its points.
    fn delivers_to_doors(&self) -> bool {
        false
    }
    /// The order the carrier holds under the shop's `number`, if any: asked before registering again after a
    /// registration whose answer was lost, so that no parcel is registered twice.
    fn find(&self, number: &str) -> ShipFuture<'_, Option<Report>>;
    /// The order as the carrier holds it now.
    fn check(&self, carrier_ref: &str) -> ShipFuture<'_, Report>;
    fn cancel(&self, carrier_ref: &str) -> ShipFuture<'_, Cancel>;
    /// Whether, once a shipment has its track number, what becomes of it is read from the carrier's
    /// tracking (the buyers' cache and quota) rather than from [`Shipper::check`], which then knows only
    /// the order.
    fn tracked(&self) -> bool {
        false
    }
    /// The label of a registered shipment.
    fn label(&self, carrier_ref: &str) -> ShipFuture<'_, Label>;
    /// Asks a courier to collect a registered shipment: the carrier's reference of the request; `None` when
    /// the carrier has no courier calls (parcels are handed in at its offices).
    fn call_courier(&self, _carrier_ref: &str, _pickup: &Pickup) -> Option<ShipFuture<'_, String>> {
        None
    }
    /// Whether the carrier takes the day's registered shipments as one batch ([`Shipper::dispatch`]), which
    /// gives them their track numbers.
    fn batches(&self) -> bool {
        false
    }
    /// When, Moscow time, the day's batch is made, for carriers that batch and were told a time.
    fn dispatch_at(&self) -> Option<time::Time> {
        None
    }
    /// Puts these registered shipments in the day's batch: a report of each, with the number the batch gave
    /// it.
    fn dispatch(&self, _carrier_refs: Vec<String>) -> ShipFuture<'_, Vec<Report>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    /// Subscribes the carrier's status notifications to `url`; `None` when the carrier sends none (its
    /// shipments are only polled).
    fn subscribe(&self, _url: &str) -> Option<ShipFuture<'_, ()>> {
        None
    }
    /// The carrier's reference of the shipment a notification's `body` tells of.
    fn notified(&self, _body: &[u8]) -> Option<String> {
        None
    }
}
