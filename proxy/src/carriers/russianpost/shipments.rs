//! The shop's parcels as otpravka orders: an ECOM parcel to the chosen office, locker or pickup point
//! (`ecom-data.delivery-point-index`), or «Курьер онлайн» (`ONLINE_COURIER`) to a door, put in the backlog
//! (`PUT /1.0/user/backlog`, which answers the order's id, or its errors per position with HTTP 200), found
//! by the shop's number (`/1.0/backlog/search?query=`), read back by id for its barcode (given once the order
//! is in a batch), deleted from the backlog, and its printed forms fetched (`/1.0/forms/backlog/{id}/forms`).
//! At the configured time the day's orders go into a batch (`POST /1.0/user/shipment`), whose orders carry
//! their barcodes (`/1.0/batch/{name}/shipment`). From then on the parcel is followed by its barcode through
//! the tracking service, within its quota.

use std::sync::Arc;

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::otpravka::Otpravka;
use crate::Error;
use crate::carriers::shipper::{
    Cancel, CarrierError, Consignment, Destination, Label, Report, ShipFuture, Shipper, State,
};

/// `PUT /1.0/user/backlog` and `DELETE /1.0/backlog`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Answer {
    result_ids: Vec<u64>,
    errors: Vec<PositionErrors>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct PositionErrors {
    error_codes: Vec<ErrorCode>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorCode {
    code: String,
    description: String,
}

/// An order as otpravka holds it.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Order {
    id: u64,
    barcode: Option<String>,
}

impl Answer {
    fn errors(self) -> Vec<CarrierError> {
        self.errors
            .into_iter()
            .flat_map(|p| p.error_codes)
            .map(|e| CarrierError { code: e.code, message: e.description })
            .collect()
    }
}

fn report(order: Order) -> Report {
    Report {
        carrier_ref: Some(order.id.to_string()),
        track_number: order.barcode.filter(|b| !b.trim().is_empty()),
        ..Report::default()
    }
}

pub struct PostShipper {
    pub api: Arc<Otpravka>,
    /// The post office the shop sends from.
    pub from_postal_code: String,
    /// When the day's batch is made, if the proxy makes it.
    pub batch_at: Option<time::Time>,
}

/// `POST /1.0/user/shipment`: the batches the orders went into.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Batched {
    batches: Vec<Batch>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Batch {
    batch_name: String,
}

impl PostShipper {
    /// The order: an ECOM parcel to a point by its index, or «Курьер онлайн» (`ONLINE_COURIER`) to a door
    /// with its street, house and flat.
    fn order(&self, c: &Consignment) -> serde_json::Value {
        let size = c.parcel.largest_box();
        let mut order = json!({
            "order-num": c.number,
            "mail-category": "ORDINARY",
            "mail-direct": 643,
            "mass": c.parcel.weight_g,
            "postoffice-code": self.from_postal_code,
            "address-type-to": "DEFAULT",
            "recipient-name": c.recipient.name,
            "given-name": c.recipient.name,
            "tel-address": c.recipient.phone.trim_start_matches('+').parse::<u64>().unwrap_or_default(),
            "insr-value": c.parcel.declared_value,
            "comment": c.comment,
        });
        let index = |code: &str| code.parse::<u32>().unwrap_or_default();
        let to = match &c.to {
            Destination::Point(point) => json!({
                "mail-type": "ECOM",
                "index-to": index(&point.address.postal_code),
                "place-to": point.address.city,
                "region-to": point.address.region,
                "ecom-data": {"delivery-point-index": point.code()},
            }),
            Destination::Door(door) => json!({
                "mail-type": "ONLINE_COURIER",
                "index-to": index(&door.postal_code),
                "place-to": door.city,
                "region-to": door.region,
                "street-to": door.street,
                "house-to": door.house,
                "room-to": door.flat_line().unwrap_or_default(),
            }),
        };
        if let (Some(order), Some(to)) = (order.as_object_mut(), to.as_object()) {
            order.extend(to.clone());
        }
        if c.parcel.cash_on_delivery > 0 {
            order["payment"] = json!(c.parcel.cash_on_delivery);
        }
        if let Some(d) = size {
            order["dimension"] = json!({"length": d.length, "width": d.width, "height": d.height});
        }
        order
    }
}

impl Shipper for PostShipper {
    fn delivers_to_doors(&self) -> bool {
        true
    }

    fn batches(&self) -> bool {
        true
    }

    fn dispatch_at(&self) -> Option<time::Time> {
        self.batch_at
    }

    fn dispatch(&self, carrier_refs: Vec<String>) -> ShipFuture<'_, Vec<Report>> {
        let ids: Vec<u64> = carrier_refs.iter().filter_map(|r| r.parse().ok()).collect();
        Box::pin(async move {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let batched = match self.api.send(Method::POST, "1.0/user/shipment", Some(&json!(ids))).await? {
                Ok(Some(bytes)) => serde_json::from_slice::<Batched>(&bytes)
                    .map_err(|e| Error::Upstream(format!("Russian Post: the batch answered unexpected JSON: {e}")))?,
                Ok(None) => return Err(Error::Upstream("Russian Post: no batch was made (404)".into())),
                Err(refused) => return Err(refused),
            };
            let mut reports = Vec::new();
            for batch in batched.batches.iter().filter(|b| !b.batch_name.is_empty()) {
                let orders: Option<Vec<Order>> =
                    self.api.get(&format!("1.0/batch/{}/shipment", batch.batch_name), &[]).await?;
                reports.extend(orders.unwrap_or_default().into_iter().filter(|o| ids.contains(&o.id)).map(report));
            }
            Ok(reports)
        })
    }

    fn register(&self, consignment: Consignment) -> ShipFuture<'_, Report> {
        let order = self.order(&consignment);
        Box::pin(async move {
            let body = json!([order]);
            let answer = match self.api.send(Method::PUT, "1.0/user/backlog", Some(&body)).await? {
                Ok(Some(bytes)) => serde_json::from_slice::<Answer>(&bytes)
                    .map_err(|e| Error::Upstream(format!("Russian Post: the backlog answered unexpected JSON: {e}")))?,
                Ok(None) => return Err(Error::Upstream("Russian Post: the backlog is not there (404)".into())),
                Err(refused) => {
                    return Ok(Report {
                        state: Some(State::Rejected),
                        errors: vec![CarrierError { code: "refused".into(), message: refused.to_string() }],
                        ..Report::default()
                    });
                }
            };
            Ok(match answer.result_ids.first() {
                Some(id) => Report { carrier_ref: Some(id.to_string()), ..Report::default() },
                None => Report { state: Some(State::Rejected), errors: answer.errors(), ..Report::default() },
            })
        })
    }

    fn find(&self, number: &str) -> ShipFuture<'_, Option<Report>> {
        let number = number.to_string();
        Box::pin(async move {
            let found: Option<Vec<Order>> = self.api.get("1.0/backlog/search", &[("query", number.as_str())]).await?;
            Ok(found.unwrap_or_default().into_iter().find(|o| o.id > 0).map(report))
        })
    }

    fn check(&self, carrier_ref: &str) -> ShipFuture<'_, Report> {
        let path = format!("1.0/backlog/{carrier_ref}");
        let carrier_ref = carrier_ref.to_string();
        Box::pin(async move {
            let order: Option<Order> = self.api.get(&path, &[]).await?;
            // Gone from the backlog: in a batch, where its barcode was already read.
            Ok(order.map(report).unwrap_or(Report { carrier_ref: Some(carrier_ref), ..Report::default() }))
        })
    }

    fn tracked(&self) -> bool {
        true
    }

    fn cancel(&self, carrier_ref: &str) -> ShipFuture<'_, Cancel> {
        let id = carrier_ref.parse::<u64>().unwrap_or_default();
        Box::pin(async move {
            let answer = match self.api.send(Method::DELETE, "1.0/backlog", Some(&json!([id]))).await? {
                Ok(bytes) => bytes.and_then(|b| serde_json::from_slice::<Answer>(&b).ok()).unwrap_or_default(),
                Err(refused) => return Ok(Cancel::Refused(refused.to_string())),
            };
            Ok(match answer.result_ids.contains(&id) {
                true => Cancel::Done,
                false => Cancel::Refused(
                    answer
                        .errors()
                        .iter()
                        .map(|e| format!("{} ({})", e.message, e.code))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            })
        })
    }

    fn label(&self, carrier_ref: &str) -> ShipFuture<'_, Label> {
        let path = format!("1.0/forms/backlog/{carrier_ref}/forms");
        Box::pin(async move {
            match self.api.send(Method::GET, &path, None).await? {
                Ok(Some(pdf)) => Ok(Label::Ready(pdf.to_vec())),
                Ok(None) => Ok(Label::Preparing),
                Err(refused) => Err(Error::Unprocessable(refused.to_string())),
            }
        })
    }
}
