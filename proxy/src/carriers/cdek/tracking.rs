//! CDEK's parcel histories through `GET /orders?cdek_number=`, with CDEK's status codes mapped into the
//! shared tracking statuses. CDEK answers an unknown number with an error naming the entity as not found.

use std::sync::Arc;
use std::time::Duration;

use pvz_shared::tracking::{TrackEvent, TrackStatus, Tracking};
use pvz_shared::{Carrier, Point};
use reqwest::Method;
use serde::Deserialize;

use super::api::{Api, CdekError, describe};
use crate::Error;
use crate::carriers::{NumberForms, Recognition, TrackFuture, Tracker};

/// CDEK's statuses change a few times a day.
const TTL: Duration = Duration::from_secs(600);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OrderAnswer {
    entity: Option<Order>,
    requests: Vec<RequestState>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RequestState {
    errors: Vec<CdekError>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Order {
    cdek_number: Option<String>,
    delivery_point: Option<String>,
    planned_delivery_date: Option<String>,
    statuses: Vec<Status>,
}

/// One status of an order, as both the tracking and the shipments read it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Status {
    pub code: String,
    pub name: String,
    pub date_time: String,
    pub city: String,
    pub deleted: bool,
}

/// CDEK's status code in the shared set; `None` for codes that say nothing to a buyer.
pub fn status_of(code: &str) -> Option<TrackStatus> {
    Some(match code {
        "CREATED" => TrackStatus::Created,
        "ACCEPTED" | "RECEIVED_AT_SHIPMENT_WAREHOUSE" | "READY_TO_SHIP_AT_SENDING_OFFICE" => TrackStatus::Accepted,
        "READY_FOR_SHIPMENT_IN_TRANSIT_CITY"
        | "READY_FOR_SHIPMENT_IN_SENDER_CITY"
        | "TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY"
        | "SENT_TO_TRANSIT_CITY"
        | "ACCEPTED_IN_TRANSIT_CITY"
        | "ACCEPTED_AT_TRANSIT_WAREHOUSE"
        | "TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY"
        | "SENT_TO_RECIPIENT_CITY"
        | "ACCEPTED_IN_RECIPIENT_CITY"
        | "ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE"
        | "IN_CUSTOMS_INTERNATIONAL"
        | "SHIPPED_TO_DESTINATION"
        | "PASSED_TO_TRANSIT_CARRIER"
        | "IN_CUSTOMS_LOCAL"
        | "CUSTOMS_COMPLETE" => TrackStatus::InTransit,
        "ACCEPTED_AT_PICK_UP_POINT" | "POSTOMAT_POSTED" => TrackStatus::ArrivedAtPickupPoint,
        "READY_FOR_DELIVERY" | "POSTOMAT_SEIZED" => TrackStatus::ReadyForPickup,
        "TAKEN_BY_COURIER" => TrackStatus::OutForDelivery,
        "DELIVERED" | "POSTOMAT_RECEIVED" => TrackStatus::Delivered,
        "NOT_DELIVERED" | "RETURNED_TO_SENDER_CITY_WAREHOUSE" | "RETURNED_TO_SENDER" | "RETURNED" => {
            TrackStatus::Returned
        }
        "INVALID" | "DELAYED" | "CUSTOMS_PROBLEM" | "LOST" => TrackStatus::Problem,
        _ => return None,
    })
}

/// CDEK writes `2024-07-22T00:46:14+0000`: an offset without a colon.
pub(super) fn time_of(text: &str) -> Option<time::OffsetDateTime> {
    let text = text.trim();
    let fixed = match text.len().checked_sub(5).map(|i| text.split_at(i)) {
        Some((head, zone)) if (zone.starts_with('+') || zone.starts_with('-')) && !zone.contains(':') => {
            format!("{head}{}:{}", &zone[..3], &zone[3..])
        }
        _ => text.to_string(),
    };
    pvz_shared::dates::parse_time(&fixed)
}

pub struct CdekTracker {
    pub api: Arc<Api>,
    pub carrier: Carrier,
    pub title: String,
}

impl CdekTracker {
    fn tracking(&self, number: &str, order: Order) -> Option<Tracking> {
        let mut events: Vec<TrackEvent> = order
            .statuses
            .into_iter()
            .filter(|s| !s.deleted)
            .filter_map(|s| {
                Some(TrackEvent {
                    at: time_of(&s.date_time)?,
                    place: s.city,
                    text: s.name,
                    status: status_of(&s.code)?,
                })
            })
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse(e.at));
        let status = events.first()?.status;
        let expected_date = order.planned_delivery_date.as_deref().and_then(super::points::date);
        Some(Tracking {
            carrier: self.carrier.clone(),
            carrier_title: self.title.clone(),
            number: order.cdek_number.unwrap_or_else(|| number.to_string()),
            status,
            expected_date,
            storage_until: None,
            point_id: order
                .delivery_point
                .filter(|c| !c.trim().is_empty())
                .map(|code| Point::make_id(&self.carrier, &code)),
            events,
        })
    }
}

/// CDEK's order numbers: 9 to 12 digits.
pub fn recognise(number: &str) -> Recognition {
    if (9..=12).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()) {
        Recognition::Mine
    } else {
        Recognition::NotMine
    }
}

impl Tracker for CdekTracker {
    fn recognise(&self, number: &str) -> Recognition {
        recognise(number)
    }

    fn forms(&self) -> NumberForms {
        NumberForms { ru: "номер заказа из 9–12 цифр", en: "an order number of 9 to 12 digits" }
    }

    fn ttl(&self) -> Duration {
        TTL
    }

    fn track(&self, number: &str) -> TrackFuture<'_> {
        self.lookup("cdek_number", number)
    }

    fn finds_shop_orders(&self) -> bool {
        true
    }

    fn track_order(&self, order: &str) -> TrackFuture<'_> {
        self.lookup("im_number", order)
    }
}

impl CdekTracker {
    /// `GET /orders?{by}={number}`.
    fn lookup(&self, by: &'static str, number: &str) -> TrackFuture<'_> {
        let number = number.to_string();
        Box::pin(async move {
            let query = [(by, number.as_str())];
            let answer = match self.api.call::<OrderAnswer>(Method::GET, "orders", |r| r.query(&query)).await {
                Ok(answer) => answer.body,
                // An unknown number is a 4xx naming the entity as not found.
                Err(Error::Upstream(message)) if message.contains("v2_entity_not_found") => return Ok(None),
                Err(err) => return Err(err),
            };
            let errors: Vec<CdekError> = answer.requests.into_iter().flat_map(|r| r.errors).collect();
            if errors.iter().any(|e| e.code.contains("not_found")) {
                return Ok(None);
            }
            match answer.entity {
                Some(order) => Ok(self.tracking(&number, order)),
                None if errors.is_empty() => Ok(None),
                None => Err(Error::Upstream(describe(&errors))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdek_times_without_a_colon_in_the_offset_are_read() {
        let at = time_of("2024-07-22T00:46:14+0000").unwrap();
        assert_eq!(at.unix_timestamp(), 1_721_609_174);
        assert_eq!(time_of("2024-07-22T03:46:14+0300").unwrap(), at);
        assert!(time_of("yesterday").is_none());
    }

    #[test]
    fn order_numbers_of_nine_to_twelve_digits_are_cdeks() {
        assert_eq!(recognise("1106394527"), Recognition::Mine);
        assert_eq!(recognise("123456789012"), Recognition::Mine);
        for other in ["12345678", "1234567890123", "80102345678901", "RA123456785RU", "AAP114630687"] {
            assert_eq!(recognise(other), Recognition::NotMine, "{other}");
        }
    }

    #[test]
    fn statuses_map_into_the_shared_set() {
        assert_eq!(status_of("READY_FOR_DELIVERY"), Some(TrackStatus::ReadyForPickup));
        assert_eq!(status_of("DELIVERED"), Some(TrackStatus::Delivered));
        assert_eq!(status_of("INVALID"), Some(TrackStatus::Problem));
        assert_eq!(status_of("SOMETHING_NEW"), None);
    }
}
