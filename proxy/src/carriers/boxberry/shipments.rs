//! The shop's parcels as Boxberry parcels: `ParcelCreate` (the order in `sdata`, posted; to a point or by
//! courier to a door) registers one at once and answers its tracking code, or Boxberry's refusal in words;
//! `ParcelInfo` finds a parcel by the shop's order number, `ListStatusesFull` tells its statuses (the
//! tracking's reading of them), `ParcelCheck` links its label, and `ParcelDel` deletes it while it has not
//! left the shop.

use std::sync::Arc;

use pvz_shared::tracking::TrackStatus;
use serde::Deserialize;
use serde_json::json;

use super::api::Api;
use super::tracking::BoxberryTracker;
use crate::Error;
use crate::carriers::Tracker;
use crate::carriers::shipper::{
    Cancel, CarrierError, Consignment, Destination, Event, Label, Report, ShipFuture, Shipper, State,
};

/// `ParcelCreate`'s answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Created {
    track: String,
}

/// One parcel of `ParcelInfo`'s answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Info {
    track_number: String,
}

/// `ParcelCheck`'s answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Check {
    label: String,
}

fn roubles(kopecks: u64) -> String {
    format!("{}.{:02}", kopecks / 100, kopecks % 100)
}

pub struct BoxberryShipper {
    pub api: Arc<Api>,
    pub tracker: Arc<BoxberryTracker>,
    /// The point the shop hands parcels in at, when configured.
    pub from_point: Option<String>,
}

impl BoxberryShipper {
    /// The order as Boxberry's `sdata`: to a pickup point (`vid` 1, the point in `shop.name`) or by courier
    /// to a door (`vid` 2, the address in `kurdost`), prepaid or with cash on delivery.
    fn sdata(&self, c: &Consignment) -> String {
        let size = c.parcel.largest_box();
        let dimension =
            |pick: fn(&pvz_shared::Dimensions) -> u16| size.as_ref().map(|d| pick(d).to_string()).unwrap_or_default();
        let (vid, point, kurdost) = match &c.to {
            Destination::Point(point) => ("1", point.code(), None),
            Destination::Door(door) => (
                "2",
                "",
                Some(
                    json!({"index": door.postal_code, "citi": door.city, "addressp": door.street_line(), "comentk": ""}),
                ),
            ),
        };
        let mut sdata = json!({
            "order_id": c.number,
            "price": roubles(c.parcel.declared_value),
            "payment_sum": roubles(c.parcel.cash_on_delivery),
            "delivery_sum": "0.00",
            "vid": vid,
            "shop": {"name": point, "name1": self.from_point.clone().unwrap_or_default()},
            "customer": {"fio": c.recipient.name, "phone": c.recipient.phone.trim_start_matches('+'), "email": c.recipient.email},
            "items": c.items.iter().map(|i| json!({
                "id": i.sku, "name": i.name, "UnitName": "шт.", "price": roubles(i.price), "quantity": i.quantity.to_string(),
            })).collect::<Vec<_>>(),
            "notice": c.comment,
            "weights": {"weight": c.parcel.weight_g.to_string(), "x": dimension(|d| d.length), "y": dimension(|d| d.width), "z": dimension(|d| d.height)},
        });
        if let Some(kurdost) = kurdost {
            sdata["kurdost"] = kurdost;
        }
        sdata.to_string()
    }
}

impl Shipper for BoxberryShipper {
    fn delivers_to_doors(&self) -> bool {
        true
    }

    fn register(&self, consignment: Consignment) -> ShipFuture<'_, Report> {
        let sdata = self.sdata(&consignment);
        Box::pin(async move {
            Ok(match self.api.post::<Created>("ParcelCreate", &[], &[("sdata", &sdata)]).await? {
                Ok(created) if !created.track.trim().is_empty() => Report {
                    carrier_ref: Some(created.track.clone()),
                    track_number: Some(created.track),
                    ..Report::default()
                },
                Ok(_) => return Err(Error::Upstream("Boxberry: ParcelCreate answered without a tracking code".into())),
                Err(said) => Report {
                    state: Some(State::Rejected),
                    errors: vec![CarrierError { code: "ParcelCreate".into(), message: said.0 }],
                    ..Report::default()
                },
            })
        })
    }

    fn find(&self, number: &str) -> ShipFuture<'_, Option<Report>> {
        let number = number.to_string();
        Box::pin(async move {
            match self.api.call::<Vec<Info>>("ParcelInfo", &[("ImIds", &number)]).await? {
                Ok(found) => {
                    Ok(found.into_iter().map(|i| i.track_number).find(|t| !t.trim().is_empty()).map(|track| Report {
                        carrier_ref: Some(track.clone()),
                        track_number: Some(track),
                        ..Report::default()
                    }))
                }
                Err(said) if super::tracking::is_not_found(&said.0) => Ok(None),
                Err(said) => Err(said.into_error()),
            }
        })
    }

    fn check(&self, carrier_ref: &str) -> ShipFuture<'_, Report> {
        let track = carrier_ref.to_string();
        Box::pin(async move {
            let tracking = self.tracker.track(&track).await?;
            let mut events: Vec<Event> = tracking
                .map(|t| t.events)
                .unwrap_or_default()
                .into_iter()
                .map(|e| Event {
                    at: e.at,
                    state: State::from_track(e.status).map(|s| match (e.status, s) {
                        // Boxberry says "returned" of a parcel going back and of one back alike.
                        (TrackStatus::Returned, _) if e.text.to_lowercase().contains("возвращено") => {
                            State::Returned
                        }
                        (_, s) => s,
                    }),
                    code: e.text.clone(),
                    text: e.text,
                    city: e.place,
                })
                .collect();
            events.sort_by_key(|e| e.at);
            Ok(Report { carrier_ref: Some(track.clone()), track_number: Some(track), events, ..Report::default() })
        })
    }

    fn cancel(&self, carrier_ref: &str) -> ShipFuture<'_, Cancel> {
        let track = carrier_ref.to_string();
        Box::pin(async move {
            Ok(match self.api.call::<serde_json::Value>("ParcelDel", &[("ImId", &track)]).await? {
                Ok(_) => Cancel::Done,
                Err(said) => Cancel::Refused(format!("Boxberry: {}", said.0)),
            })
        })
    }

    fn label(&self, carrier_ref: &str) -> ShipFuture<'_, Label> {
        let track = carrier_ref.to_string();
        Box::pin(async move {
            let check =
                self.api.call::<Check>("ParcelCheck", &[("ImId", &track)]).await?.map_err(|said| said.into_error())?;
            if check.label.trim().is_empty() {
                return Ok(Label::Preparing);
            }
            Ok(Label::Ready(self.api.file(&check.label).await?))
        })
    }
}
