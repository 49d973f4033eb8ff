//! The shipments API's bodies: what the shop's backend sends and what it reads back, the same for every
//! carrier. Money in kopecks, weights in grams, times in RFC 3339.

use pvz_shared::Parcel;
use serde::{Deserialize, Serialize};

pub use crate::carriers::shipper::{CarrierError, Item, Recipient, State};

/// Longest order number: CDEK's limit for the shop's number.
pub const MAX_ORDER_NUMBER: usize = 40;
/// Most lines in one order.
pub const MAX_ITEMS: usize = 100;
pub const MAX_COMMENT: usize = 255;

/// `POST /api/v1/shipments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShipmentRequest {
    /// The shop's order number: its carrier's reference for the parcel.
    #[schema(min_length = 1, max_length = 40, pattern = r"^[^\x00-\x1f\x7f]+$")]
    pub order_number: String,
    /// The pickup point the buyer chose (`pvz_point_id`).
    #[schema(min_length = 1, max_length = 100)]
    pub point_id: String,
    /// The same shape as in quotes.
    pub parcel: Parcel,
    pub recipient: Recipient,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub items: Vec<Item>,
    /// For the carrier's staff.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schema(max_length = 255)]
    pub comment: String,
}

/// Delivery cost in kopecks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Cost {
    /// The quote when the shipment was asked for: what the buyer was shown.
    pub quoted: u64,
    /// What the carrier billed, once it says.
    #[serde(rename = "final")]
    pub billed: Option<u64>,
}

/// One status the carrier reported, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub at: String,
    /// Where the shipment stood after it.
    pub state: State,
    /// The carrier's own status code.
    pub carrier_code: String,
    /// The carrier's own words.
    pub text: String,
    pub city: String,
}

/// A shipment as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Shipment {
    pub id: String,
    pub order_number: String,
    pub carrier: String,
    pub point_id: String,
    pub state: State,
    /// The carrier's handle for the order (CDEK's uuid), once it has one.
    pub carrier_ref: Option<String>,
    /// What the buyer tracks the parcel by, once the carrier gave it.
    pub track_number: Option<String>,
    pub cost: Cost,
    /// Why the carrier refused it, in its own codes and words.
    pub errors: Vec<CarrierError>,
    pub history: Vec<HistoryEntry>,
    /// Whether the label can be downloaded without waiting for the carrier.
    pub label_ready: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// `created_at` to the millisecond: where a page of the list ends.
    #[serde(skip)]
    pub created_ms: i64,
}

/// `GET /api/v1/shipments`: newest first.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShipmentPage {
    pub shipments: Vec<Shipment>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
