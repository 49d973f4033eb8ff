//! The shop's parcels as CDEK orders (`/orders`): registered in the background (`POST` answers 202 with the
//! order's uuid and an ACCEPTED request; the request turns SUCCESSFUL, or INVALID with CDEK's error codes,
//! and `cdek_number` appears only then), looked up by the shop's number (`im_number`) before a registration
//! whose answer was lost is tried again, followed by uuid, and deleted while CDEK still allows it. Receipts
//! are made by CDEK in the background (`/print/orders`: ACCEPTED, PROCESSING, READY) and fetched once ready;
//! couriers are called with `/intakes`; `ORDER_STATUS` notifications (`/webhooks`) have an order asked about
//! at once, between the polls.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use pvz_shared::PointKind;
use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::api::{Api, CdekError, describe};
use super::tracking::{Status, status_of, time_of};
use crate::Error;
use crate::carriers::shipper::{
    Cancel, CarrierError, Consignment, Destination, Event, Label, Pickup, Report, ShipFuture, Shipper, State,
};

/// CDEK's tariffs for an online shop's parcel: from its office (`shipment_point`) or from the shop's door,
/// to an office, a postamat or the buyer's door.
fn tariff_code(from_office: bool, to: &Destination) -> u16 {
    let locker = matches!(to, Destination::Point(p) if p.kind == PointKind::Locker);
    match (from_office, to, locker) {
        (true, Destination::Door(_), _) => 137,
        (false, Destination::Door(_), _) => 139,
        (true, _, true) => 368,
        (true, _, false) => 136,
        (false, _, true) => 366,
        (false, _, false) => 138,
    }
}

#[derive(Serialize)]
struct Phone<'a> {
    number: &'a str,
}

#[derive(Serialize)]
struct Person<'a> {
    name: &'a str,
    phones: [Phone<'a>; 1],
    #[serde(skip_serializing_if = "str::is_empty")]
    email: &'a str,
}

#[derive(Serialize)]
struct Money {
    /// Roubles.
    value: f64,
}

#[derive(Serialize)]
struct PackageItem<'a> {
    name: &'a str,
    ware_key: &'a str,
    /// What the buyer pays for one piece on delivery: nothing for a prepaid order.
    payment: Money,
    /// One piece's declared value, roubles.
    cost: f64,
    /// One piece, grams.
    weight: u32,
    amount: u32,
}

#[derive(Serialize)]
struct Package<'a> {
    number: String,
    weight: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u16>,
    items: Vec<PackageItem<'a>>,
}

#[derive(Serialize)]
/// An address as CDEK takes it: where it collects from, or where it delivers to.
struct FromLocation<'a> {
    postal_code: &'a str,
    city: &'a str,
    /// To a door, with the flat: the courier's whole address.
    address: Cow<'a, str>,
}

#[derive(Serialize)]
struct OrderRequest<'a> {
    /// 1: an online shop's order.
    #[serde(rename = "type")]
    kind: u8,
    number: &'a str,
    tariff_code: u16,
    #[serde(skip_serializing_if = "str::is_empty")]
    comment: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipment_point: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_location: Option<FromLocation<'a>>,
    /// To a pickup point, its code; to a door, `to_location`.
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery_point: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_location: Option<FromLocation<'a>>,
    recipient: Person<'a>,
    packages: Vec<Package<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OrderAnswer {
    entity: Option<Entity>,
    requests: Vec<RequestState>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Entity {
    uuid: Option<String>,
    cdek_number: Option<String>,
    statuses: Vec<Status>,
    delivery_detail: Option<DeliveryDetail>,
    /// CDEK's calls to the recipient: who could not be reached, and who asked for another day.
    calls: Calls,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Calls {
    failed_calls: Vec<FailedCall>,
    rescheduled_calls: Vec<RescheduledCall>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FailedCall {
    date_time: String,
    reason_code: u8,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RescheduledCall {
    date_time: String,
    date_next: String,
    time_next: String,
    comment: String,
}

/// Why a call to the recipient failed (appendix 8 of CDEK's API).
fn call_failure(code: u8) -> &'static str {
    match code {
        1 => "телефон занят",
        2 => "абонент не берёт трубку",
        3 => "абонент недоступен",
        4 => "неверный номер",
        5 => "телефон не указан",
        6 => "тишина в трубке",
        7 => "звонок сброшен",
        8 => "абонент бросил трубку",
        _ => "причина не указана",
    }
}

impl Calls {
    /// The calls as history events: they leave the state as it was.
    fn events(self) -> impl Iterator<Item = Event> {
        let failed = self.failed_calls.into_iter().filter_map(|c| {
            Some(Event {
                at: time_of(&c.date_time)?,
                state: None,
                code: "CALL_FAILED".into(),
                text: format!("Не дозвонились до получателя: {}", call_failure(c.reason_code)),
                city: String::new(),
            })
        });
        let rescheduled = self.rescheduled_calls.into_iter().filter_map(|c| {
            let comment = if c.comment.trim().is_empty() { String::new() } else { format!(" ({})", c.comment.trim()) };
            Some(Event {
                at: time_of(&c.date_time)?,
                state: None,
                code: "CALL_RESCHEDULED".into(),
                text: format!("Получатель попросил позвонить {} {}{comment}", c.date_next.trim(), c.time_next.trim()),
                city: String::new(),
            })
        });
        failed.chain(rescheduled)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeliveryDetail {
    /// What CDEK billed the shop, roubles.
    total_sum: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RequestState {
    #[serde(rename = "type")]
    kind: String,
    state: String,
    errors: Vec<CdekError>,
}

/// A CDEK order status in the shipments' states; `None` for one that does not move the order (a delay).
fn state_of(code: &str) -> Option<State> {
    match code {
        "CREATED" | "ACCEPTED" => return Some(State::Registered),
        "INVALID" => return Some(State::Rejected),
        "REMOVED" => return Some(State::Cancelled),
        "RETURNED" | "RETURNED_TO_SENDER" => return Some(State::Returned),
        _ => {}
    }
    State::from_track(status_of(code)?)
}

fn kopecks(roubles: f64) -> u64 {
    (roubles * 100.0).round().max(0.0) as u64
}

fn roubles(kopecks: u64) -> f64 {
    kopecks as f64 / 100.0
}

/// The answer as a [`Report`]: the create request's fate decides while CDEK processes it.
fn report(answer: OrderAnswer) -> Report {
    let create = answer.requests.iter().find(|r| r.kind == "CREATE");
    let errors: Vec<CarrierError> = answer
        .requests
        .iter()
        .flat_map(|r| &r.errors)
        .map(|e| CarrierError { code: e.code.clone(), message: e.message.clone() })
        .collect();
    let entity = answer.entity.unwrap_or_default();
    let mut events: Vec<Event> = entity
        .statuses
        .into_iter()
        .filter(|s| !s.deleted)
        .filter_map(|s: Status| {
            Some(Event {
                at: time_of(&s.date_time)?,
                state: state_of(&s.code),
                code: s.code,
                text: s.name,
                city: s.city,
            })
        })
        .chain(entity.calls.events())
        .collect();
    events.sort_by_key(|e| e.at);
    let state = match create.map(|r| r.state.as_str()) {
        Some("ACCEPTED" | "WAITING") => Some(State::Pending),
        Some("INVALID") => Some(State::Rejected),
        _ if events.is_empty() => Some(State::Registered),
        _ => None,
    };
    Report {
        carrier_ref: entity.uuid,
        track_number: entity.cdek_number.filter(|n| !n.trim().is_empty()),
        state,
        errors,
        events,
        final_cost: entity.delivery_detail.and_then(|d| d.total_sum).map(kopecks),
    }
}

/// `POST /print/orders` and `GET /print/orders/{uuid}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PrintAnswer {
    entity: Option<PrintJob>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PrintJob {
    uuid: String,
    statuses: Vec<PrintStatus>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PrintStatus {
    code: String,
    date_time: String,
}

/// A notification CDEK posts to the subscribed URL.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Notification {
    #[serde(rename = "type")]
    kind: String,
    /// The order's uuid.
    uuid: String,
}

/// `POST /intakes`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IntakeAnswer {
    entity: Option<Intake>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Intake {
    uuid: String,
}

pub struct CdekShipper {
    pub api: Arc<Api>,
    /// The receipt CDEK is making for each order (its uuid → the print job's uuid). A std mutex, held only to
    /// read or change an entry; a restart only means a new job.
    pub prints: Mutex<HashMap<String, String>>,
    pub shipment_point: Option<String>,
    /// The shop's address, where CDEK collects parcels when no office is configured.
    pub from_postal_code: String,
    pub from_city: String,
}

impl CdekShipper {
    fn request<'a>(&'a self, c: &'a Consignment) -> OrderRequest<'a> {
        let pieces: u64 = c.items.iter().map(|i| u64::from(i.quantity)).sum::<u64>().max(1);
        // What the buyer pays on delivery, spread over the pieces as CDEK asks it per piece.
        let cod_per_piece = roubles(c.parcel.cash_on_delivery / pieces);
        let items = c
            .items
            .iter()
            .map(|i| PackageItem {
                name: &i.name,
                ware_key: &i.sku,
                payment: Money { value: cod_per_piece },
                cost: roubles(i.price),
                weight: i.weight_g,
                amount: i.quantity,
            })
            .collect();
        let size = c.parcel.largest_box();
        OrderRequest {
            kind: 1,
            number: &c.number,
            tariff_code: tariff_code(self.shipment_point.is_some(), &c.to),
            comment: &c.comment,
            shipment_point: self.shipment_point.as_deref(),
            from_location: self.shipment_point.is_none().then(|| FromLocation {
                postal_code: &self.from_postal_code,
                city: &self.from_city,
                address: Cow::Borrowed(&self.from_city),
            }),
            delivery_point: match &c.to {
                Destination::Point(point) => Some(point.code()),
                Destination::Door(_) => None,
            },
            to_location: match &c.to {
                Destination::Point(_) => None,
                Destination::Door(address) => Some(FromLocation {
                    postal_code: &address.postal_code,
                    city: &address.city,
                    address: Cow::Owned(address.line()),
                }),
            },
            recipient: Person {
                name: &c.recipient.name,
                phones: [Phone { number: &c.recipient.phone }],
                email: &c.recipient.email,
            },
            packages: vec![Package {
                number: "1".into(),
                weight: c.parcel.weight_g,
                length: size.map(|d| d.length),
                width: size.map(|d| d.width),
                height: size.map(|d| d.height),
                items,
            }],
        }
    }
}

impl Shipper for CdekShipper {
    fn delivers_to_doors(&self) -> bool {
        true
    }

    fn subscribe(&self, url: &str) -> Option<ShipFuture<'_, ()>> {
        let body = serde_json::json!({"url": url, "type": "ORDER_STATUS"});
        Some(Box::pin(async move {
            match self.api.call_or_refusal::<serde_json::Value>(Method::POST, "webhooks", |r| r.json(&body)).await? {
                Ok(_) => Ok(()),
                Err(errors) => Err(Error::Upstream(describe(&errors))),
            }
        }))
    }

    fn notified(&self, body: &[u8]) -> Option<String> {
        let notification: Notification = serde_json::from_slice(body).ok()?;
        (notification.kind == "ORDER_STATUS" && !notification.uuid.is_empty()).then_some(notification.uuid)
    }

    fn label(&self, carrier_ref: &str) -> ShipFuture<'_, Label> {
        let order = carrier_ref.to_string();
        Box::pin(async move { self.receipt(&order).await })
    }

    fn call_courier(&self, carrier_ref: &str, pickup: &Pickup) -> Option<ShipFuture<'_, String>> {
        let body = serde_json::json!({
            "order_uuid": carrier_ref,
            "intake_date": pickup.date.to_string(),
            "intake_time_from": pickup.time_from,
            "intake_time_to": pickup.time_to,
            "sender": {"name": pickup.contact_name, "phones": [{"number": pickup.contact_phone}]},
            "from_location": {"city": pickup.city, "address": pickup.address},
        });
        Some(Box::pin(async move {
            let answer = self.api.call_or_refusal::<IntakeAnswer>(Method::POST, "intakes", |r| r.json(&body)).await?;
            let intake = answer.map_err(|errors| Error::Unprocessable(describe(&errors)))?;
            intake
                .entity
                .map(|e| e.uuid)
                .filter(|u| !u.is_empty())
                .ok_or_else(|| Error::Upstream("CDEK: the courier call was answered without its uuid".into()))
        }))
    }

    fn register(&self, consignment: Consignment) -> ShipFuture<'_, Report> {
        Box::pin(async move {
            let body = self.request(&consignment);
            match self.api.call_or_refusal::<OrderAnswer>(Method::POST, "orders", |r| r.json(&body)).await? {
                Ok(answer) => Ok(report(answer)),
                Err(errors) => Ok(Report {
                    state: Some(State::Rejected),
                    errors: errors.into_iter().map(|e| CarrierError { code: e.code, message: e.message }).collect(),
                    ..Report::default()
                }),
            }
        })
    }

    fn find(&self, number: &str) -> ShipFuture<'_, Option<Report>> {
        let number = number.to_string();
        Box::pin(async move {
            let query = [("im_number", number.as_str())];
            match self.api.call_or_refusal::<OrderAnswer>(Method::GET, "orders", |r| r.query(&query)).await? {
                Ok(answer) if answer.entity.is_some() => Ok(Some(report(answer))),
                Ok(_) => Ok(None),
                Err(errors) if errors.iter().any(|e| e.code.contains("not_found")) => Ok(None),
                Err(errors) => Err(Error::Upstream(describe(&errors))),
            }
        })
    }

    fn check(&self, carrier_ref: &str) -> ShipFuture<'_, Report> {
        let path = format!("orders/{carrier_ref}");
        Box::pin(async move {
            match self.api.call_or_refusal::<OrderAnswer>(Method::GET, &path, |r| r).await? {
                Ok(answer) => Ok(report(answer)),
                Err(errors) => Err(Error::Upstream(describe(&errors))),
            }
        })
    }

    fn cancel(&self, carrier_ref: &str) -> ShipFuture<'_, Cancel> {
        let path = format!("orders/{carrier_ref}");
        Box::pin(async move {
            match self.api.call_or_refusal::<OrderAnswer>(Method::DELETE, &path, |r| r).await? {
                Ok(answer) => match answer.requests.iter().find(|r| r.state == "INVALID") {
                    Some(refused) => Ok(Cancel::Refused(describe(&refused.errors))),
                    None => Ok(Cancel::Done),
                },
                Err(errors) => Ok(Cancel::Refused(describe(&errors))),
            }
        })
    }
}

impl CdekShipper {
    fn print_job(&self, order: &str) -> Option<String> {
        self.prints.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(order).cloned()
    }

    fn set_print_job(&self, order: &str, job: Option<String>) {
        let mut prints = self.prints.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match job {
            Some(job) => prints.insert(order.to_string(), job),
            None => prints.remove(order),
        };
    }

    async fn receipt(&self, order: &str) -> Result<Label, Error> {
        let Some(job) = self.print_job(order) else {
            let body = serde_json::json!({"orders": [{"order_uuid": order}], "copy_count": 2});
            let answer =
                self.api.call_or_refusal::<PrintAnswer>(Method::POST, "print/orders", |r| r.json(&body)).await?;
            let job = answer.map_err(|errors| Error::Unprocessable(describe(&errors)))?.entity.map(|e| e.uuid);
            self.set_print_job(order, job.filter(|j| !j.is_empty()));
            return Ok(Label::Preparing);
        };
        let answer =
            self.api.call_or_refusal::<PrintAnswer>(Method::GET, &format!("print/orders/{job}"), |r| r).await?;
        let statuses = answer.map_err(|errors| Error::Upstream(describe(&errors)))?.entity.unwrap_or_default().statuses;
        let last = statuses.iter().max_by_key(|s| time_of(&s.date_time)).map(|s| s.code.as_str());
        match last {
            Some("READY") => Ok(Label::Ready(self.api.bytes(&format!("print/orders/{job}.pdf")).await?)),
            // Gone or refused: the next call makes it anew.
            Some("INVALID" | "REMOVED") => {
                self.set_print_job(order, None);
                Ok(Label::Preparing)
            }
            _ => Ok(Label::Preparing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_order_keeps_cdeks_codes() {
        let answer: OrderAnswer = serde_json::from_str(
            r#"{"entity":{"uuid":"27cd8ffe","statuses":[{"code":"INVALID","name":"Некорректный заказ","date_time":"2024-07-22T00:46:14+0000","city":"Офис СДЭК"}]},
               "requests":[{"type":"CREATE","state":"INVALID","errors":[{"code":"ERR_INVALID_TARIFFTYPECODE","message":"Неверно задан тип тарифа"}]}]}"#,
        )
        .unwrap();
        let report = report(answer);
        assert_eq!(report.state, Some(State::Rejected));
        assert_eq!(report.carrier_ref.as_deref(), Some("27cd8ffe"));
        assert_eq!(report.errors[0].code, "ERR_INVALID_TARIFFTYPECODE");
    }

    #[test]
    fn the_recipients_calls_join_the_history_without_moving_the_state() {
        let answer: OrderAnswer = serde_json::from_str(
            r#"{"entity":{"uuid":"u1","cdek_number":"1200000001","statuses":[
                   {"code":"CREATED","name":"Создан","date_time":"2026-11-30T10:00:00+0000","city":"Москва"},
                   {"code":"READY_FOR_DELIVERY","name":"Готов к выдаче","date_time":"2026-12-01T10:00:00+0000","city":"Москва"}],
                 "calls":{"failed_calls":[{"date_time":"2026-12-01T12:00:00+0000","reason_code":2}],
                          "rescheduled_calls":[{"date_time":"2026-12-01T13:00:00+0000","date_next":"2026-12-03","time_next":"18:00","comment":"после работы"}]}},
               "requests":[{"type":"CREATE","state":"SUCCESSFUL"}]}"#,
        )
        .unwrap();
        let report = report(answer);
        let texts: Vec<(&str, Option<State>)> = report.events.iter().map(|e| (e.code.as_str(), e.state)).collect();
        assert_eq!(
            texts,
            [
                ("CREATED", Some(State::Registered)),
                ("READY_FOR_DELIVERY", Some(State::ReadyForPickup)),
                ("CALL_FAILED", None),
                ("CALL_RESCHEDULED", None)
            ]
        );
        assert_eq!(report.events[2].text, "Не дозвонились до получателя: абонент не берёт трубку");
        assert_eq!(report.events[3].text, "Получатель попросил позвонить 2026-12-03 18:00 (после работы)");
    }

    #[test]
    fn statuses_map_into_the_shipment_states() {
        assert_eq!(state_of("ACCEPTED"), Some(State::Registered));
        assert_eq!(state_of("SENT_TO_RECIPIENT_CITY"), Some(State::InTransit));
        assert_eq!(state_of("READY_FOR_DELIVERY"), Some(State::ReadyForPickup));
        assert_eq!(state_of("DELIVERED"), Some(State::Delivered));
        assert_eq!(state_of("NOT_DELIVERED"), Some(State::Returning));
        assert_eq!(state_of("DELAYED"), None);
        assert_eq!(kopecks(259.9), 25990);
    }
}
