//! The shipments API's bodies: what the shop's backend sends and what it reads back, the same for every
//! carrier. Money in kopecks, weights in grams, times in RFC 3339.

use pvz_shared::{DoorAddress, Parcel};
use serde::{Deserialize, Serialize};

pub use crate::carriers::shipper::{CarrierError, Item, Recipient, State};

/// Longest order number: CDEK's limit for the shop's number.
pub const MAX_ORDER_NUMBER: usize = 40;
/// Most lines in one order.
pub const MAX_ITEMS: usize = 100;
pub const MAX_COMMENT: usize = 255;

/// `POST /api/v1/shipments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShipmentRequest {
    /// The shop's order number: its carrier's reference for the parcel.
    #[schema(min_length = 1, max_length = 40, pattern = r"^[^\x00-\x1f\x7f]+$")]
    pub order_number: String,
    /// The pickup point the buyer chose (`pvz_point_id`); or `door`, not both.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schema(max_length = 100)]
    pub point_id: String,
    /// To the buyer's door instead of a point: the carrier and the address the buyer chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub door: Option<DoorOrder>,
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

/// A parcel to the buyer's door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DoorOrder {
    /// The carrier whose door price the buyer chose.
    #[schema(min_length = 1, max_length = 40)]
    pub carrier: String,
    pub address: DoorAddress,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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
    /// Who receives it, as the shop sent it.
    pub recipient: Recipient,
    /// The door it goes to, for a delivery to the door (`point_id` is then empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<DoorAddress>,
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

/// Who hands the parcels to the courier, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    #[schema(min_length = 1, max_length = 255)]
    pub name: String,
    #[schema(max_length = 40)]
    pub phone: String,
    /// The street address in the shop's city (`PVZ_SHOP_FROM_CITY`).
    #[schema(min_length = 1, max_length = 255)]
    pub address: String,
}

/// `POST /api/v1/courier-calls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourierCallRequest {
    #[schema(min_length = 1, max_length = 40)]
    pub carrier: String,
    /// The day, `YYYY-MM-DD`: today or within a month.
    #[schema(format = Date)]
    pub date: String,
    /// `HH:MM`, local time at the shop.
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub time_from: String,
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub time_to: String,
    /// The registered shipments the courier collects.
    #[schema(min_items = 1, max_items = 100)]
    pub shipment_ids: Vec<String>,
    pub contact: Contact,
}

/// `POST /api/v1/shipments/{id}/retry`: what the shop corrected in a rejected shipment; what it leaves out
/// stays as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShipmentFix {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<Recipient>,
    /// Another pickup point of the same carrier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 100)]
    pub point_id: Option<String>,
}

/// `POST /api/v1/dispatches`: the day's batch made now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DispatchRequest {
    /// A carrier that hands parcels over in batches.
    #[schema(min_length = 1, max_length = 40)]
    pub carrier: String,
}

/// The batch the carrier made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Dispatch {
    pub carrier: String,
    /// Registered shipments put in the batch.
    pub shipments: usize,
    /// Of them, those the batch gave their track numbers.
    pub numbered: usize,
}

/// One shipment's courier request at its carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourierRequest {
    pub shipment_id: String,
    /// The carrier's reference of the request (CDEK's intake uuid).
    pub carrier_ref: String,
}

/// The courier call as the carrier took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourierCall {
    pub carrier: String,
    pub date: String,
    pub time_from: String,
    pub time_to: String,
    pub requests: Vec<CourierRequest>,
}

/// A courier request a carrier took, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourierRecord {
    pub shipment_id: String,
    pub order_number: String,
    pub carrier: String,
    /// The carrier's reference of the request (CDEK's intake uuid).
    pub carrier_ref: String,
    pub date: String,
    pub time_from: String,
    pub time_to: String,
    /// When the carrier took it.
    #[schema(format = DateTime)]
    pub asked_at: String,
}

/// `GET /api/v1/courier-calls`: the latest requests, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourierRecords {
    pub requests: Vec<CourierRecord>,
}

/// One line of the shipments report: a shipment's last status and what it cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportLine {
    pub id: String,
    pub order_number: String,
    pub carrier: String,
    pub point_id: String,
    pub state: State,
    pub track_number: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The carrier's last status: when, and its words.
    pub last_status_at: Option<String>,
    pub last_status: Option<String>,
    /// Kopecks.
    pub cost_quoted: u64,
    pub cost_final: Option<u64>,
}

/// `GET /api/v1/reports/shipments?format=json`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub shipments: Vec<ReportLine>,
}

impl ReportLine {
    pub fn of(s: &Shipment) -> Self {
        let last = s.history.last();
        Self {
            id: s.id.clone(),
            order_number: s.order_number.clone(),
            carrier: s.carrier.clone(),
            point_id: s.point_id.clone(),
            state: s.state,
            track_number: s.track_number.clone(),
            created_at: s.created_at.clone(),
            last_status_at: last.map(|h| h.at.clone()),
            last_status: last.map(|h| h.text.clone()),
            cost_quoted: s.cost.quoted,
            cost_final: s.cost.billed,
        }
    }

    pub const CSV_HEADER: &str = "id,order_number,carrier,point_id,state,track_number,created_at,last_status_at,last_status,cost_quoted,cost_final";

    /// The line as CSV (RFC 4180). Carriers' text is quoted, and a cell a spreadsheet would take for a formula
    /// (`=`, `+`, `-`, `@` first) gets a `'` before it.
    pub fn csv(&self) -> String {
        fn cell(text: &str) -> String {
            let text = match text.chars().next() {
                Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
                _ => text.to_string(),
            };
            if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
        }
        let optional = |v: &Option<String>| cell(v.as_deref().unwrap_or_default());
        [
            cell(&self.id),
            cell(&self.order_number),
            cell(&self.carrier),
            cell(&self.point_id),
            self.state.as_str().to_string(),
            optional(&self.track_number),
            cell(&self.created_at),
            optional(&self.last_status_at),
            optional(&self.last_status),
            self.cost_quoted.to_string(),
            self.cost_final.map(|c| c.to_string()).unwrap_or_default(),
        ]
        .join(",")
    }
}

/// The two reports an owner downloads: «Статусы заказов» and what each order cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Statuses,
    Costs,
}

impl ReportKind {
    /// The report as Excel opens it with Cyrillic intact wherever it is set to Russian: UTF-8 with a byte
    /// order mark, `;` between cells, roubles with a decimal comma. Cells are quoted and never formulas.
    pub fn excel(self, lines: &[ReportLine]) -> String {
        fn cell(text: &str) -> String {
            let text = match text.chars().next() {
                Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
                _ => text.to_string(),
            };
            if text.contains([';', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
        }
        fn roubles(kopecks: Option<u64>) -> String {
            kopecks.map(|k| format!("{},{:02}", k / 100, k % 100)).unwrap_or_default()
        }
        let optional = |v: &Option<String>| cell(v.as_deref().unwrap_or_default());
        let mut out = String::from("\u{feff}");
        out.push_str(match self {
            Self::Statuses => "Заказ;Перевозчик;Пункт;Трек-номер;Состояние;Создан;Последний статус;Когда\r\n",
            Self::Costs => "Заказ;Перевозчик;Трек-номер;Состояние;Цена для покупателя, руб.;Счёт перевозчика, руб.\r\n",
        });
        for l in lines {
            let row = match self {
                Self::Statuses => [
                    cell(&l.order_number),
                    cell(&l.carrier),
                    cell(&l.point_id),
                    optional(&l.track_number),
                    l.state.as_str().to_string(),
                    cell(&l.created_at),
                    optional(&l.last_status),
                    optional(&l.last_status_at),
                ]
                .join(";"),
                Self::Costs => [
                    cell(&l.order_number),
                    cell(&l.carrier),
                    optional(&l.track_number),
                    l.state.as_str().to_string(),
                    roubles(Some(l.cost_quoted)),
                    roubles(l.cost_final),
                ]
                .join(";"),
            };
            out.push_str(&row);
            out.push_str("\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_cells_are_quoted_and_never_formulas() {
        let line = ReportLine {
            id: "shp_1".into(),
            order_number: "=HYPERLINK(\"http://evil\")".into(),
            carrier: "cdek".into(),
            point_id: "cdek:MSK1".into(),
            state: State::Delivered,
            track_number: None,
            created_at: "2026-11-30T10:00:00+00:00".into(),
            last_status_at: None,
            last_status: Some("Вручён, г. Москва".into()),
            cost_quoted: 25000,
            cost_final: Some(26250),
        };
        assert_eq!(
            line.csv(),
            "shp_1,\"'=HYPERLINK(\"\"http://evil\"\")\",cdek,cdek:MSK1,delivered,,2026-11-30T10:00:00+00:00,,\"Вручён, г. Москва\",25000,26250"
        );
        let costs = ReportKind::Costs.excel(std::slice::from_ref(&line));
        assert!(costs.starts_with("\u{feff}Заказ;"), "a byte order mark, then Russian headers: {costs}");
        assert!(costs.ends_with("\"'=HYPERLINK(\"\"http://evil\"\")\";cdek;;delivered;250,00;262,50\r\n"), "{costs}");
        let statuses = ReportKind::Statuses.excel(&[line]);
        assert!(statuses.contains(";Вручён, г. Москва;"), "{statuses}");
    }
}
