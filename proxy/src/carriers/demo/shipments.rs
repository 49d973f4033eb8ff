//! Shipments for the demo carriers, so that the whole flow runs with no carrier account: an order is
//! registered at once and then moves through the states on a clock (taken in after 20 s, at the pickup point
//! after two minutes, handed over after ten). A parcel's number is its carrier's prefix and the second it was
//! registered, so its history follows from the number alone and the demo tracking tells it too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pvz_shared::tracking::TrackStatus;
use time::OffsetDateTime;

use crate::carriers::shipper::{
    Cancel, Consignment, Destination, Event, Label, Pickup, Report, ShipFuture, Shipper, State,
};

/// The clock every demo shipment runs by: after how long each status comes, what it says, and where.
const TIMELINE: [(Duration, &str, &str, State, TrackStatus, Place); 5] = [
    (
        Duration::ZERO,
        "CREATED",
        "Заказ зарегистрирован магазином",
        State::Registered,
        TrackStatus::Created,
        Place::Shop,
    ),
    (
        Duration::from_secs(20),
        "ACCEPTED",
        "Принят от отправителя",
        State::InTransit,
        TrackStatus::Accepted,
        Place::Shop,
    ),
    (
        Duration::from_secs(60),
        "ARRIVED",
        "Прибыл в город получателя",
        State::InTransit,
        TrackStatus::InTransit,
        Place::Buyer,
    ),
    (
        Duration::from_secs(120),
        "READY",
        "Готов к выдаче",
        State::ReadyForPickup,
        TrackStatus::ReadyForPickup,
        Place::Buyer,
    ),
    (
        Duration::from_secs(600),
        "DELIVERED",
        "Вручён получателю",
        State::Delivered,
        TrackStatus::Delivered,
        Place::Buyer,
    ),
];

#[derive(Debug, Clone, Copy)]
enum Place {
    Shop,
    Buyer,
}

/// One status of a demo shipment's history.
pub struct Step {
    pub at: OffsetDateTime,
    pub code: &'static str,
    pub text: &'static str,
    pub state: State,
    pub status: TrackStatus,
    pub city: String,
}

/// The demo shipments registered since the proxy started: where each goes (the tracking names the point),
/// and which number each order of the shop got.
#[derive(Default)]
pub struct Registry {
    /// A std mutex: held only to read or add an entry.
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The last second a number was made of: each number is a second of its own.
    last: i64,
    /// Track number → (point id, city).
    destinations: HashMap<String, (String, String)>,
    /// The shop's order number → track number.
    numbers: HashMap<String, String>,
}

impl Registry {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The shop's order number of a registered parcel.
    fn order_of(&self, number: &str) -> Option<String> {
        self.inner().numbers.iter().find(|(_, track)| *track == number).map(|(order, _)| order.clone())
    }

    /// The point and city a registered parcel goes to.
    pub fn destination(&self, number: &str) -> Option<(String, String)> {
        self.inner().destinations.get(number).cloned()
    }
}

/// When the demo parcel `digits` (the number without its prefix) was registered; `None` for numbers that are
/// not a second of the last year or so.
pub fn registered_at(digits: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    let seconds: i64 = digits.parse().ok()?;
    let at = OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    (now - time::Duration::days(400) < at && at <= now + time::Duration::minutes(1)).then_some(at)
}

/// The history of a parcel registered at `registered`, as far as `now`, oldest first.
pub fn history(registered: OffsetDateTime, now: OffsetDateTime, from_city: &str, to_city: &str) -> Vec<Step> {
    TIMELINE
        .iter()
        .map(|(after, code, text, state, status, place)| Step {
            at: registered + *after,
            code,
            text,
            state: *state,
            status: *status,
            city: match place {
                Place::Shop => from_city,
                Place::Buyer => to_city,
            }
            .to_string(),
        })
        .filter(|step| step.at <= now)
        .collect()
}

pub struct DemoShipper {
    /// `DE` or `DP`, as the demo tracking knows them.
    pub prefix: &'static str,
    pub from_city: String,
    pub registry: Arc<Registry>,
}

impl DemoShipper {
    fn report(&self, number: &str) -> Report {
        let now = OffsetDateTime::now_utc();
        let digits = number.strip_prefix(self.prefix).unwrap_or_default();
        let registered = registered_at(digits, now).unwrap_or(now);
        let to_city = self.registry.destination(number).map_or_else(|| "Москва".into(), |(_, city)| city);
        let events = history(registered, now, &self.from_city, &to_city)
            .into_iter()
            .map(|s| Event { at: s.at, state: Some(s.state), code: s.code.into(), text: s.text.into(), city: s.city })
            .collect();
        Report { carrier_ref: Some(number.into()), track_number: Some(number.into()), events, ..Report::default() }
    }
}

impl Shipper for DemoShipper {
    fn delivers_to_doors(&self) -> bool {
        true
    }

    fn register(&self, consignment: Consignment) -> ShipFuture<'_, Report> {
        let number = {
            let mut inner = self.registry.inner();
            let second = OffsetDateTime::now_utc().unix_timestamp().max(inner.last + 1);
            inner.last = second;
            let number = format!("{}{second:010}", self.prefix);
            // A door has no point: the tracking then names none.
            let destination = match &consignment.to {
                Destination::Point(point) => (point.id.clone(), point.address.city.clone()),
                Destination::Door(address) => (String::new(), address.city.clone()),
            };
            inner.destinations.insert(number.clone(), destination);
            inner.numbers.insert(consignment.number.clone(), number.clone());
            number
        };
        Box::pin(async move { Ok(self.report(&number)) })
    }

    fn find(&self, number: &str) -> ShipFuture<'_, Option<Report>> {
        let found = self.registry.inner().numbers.get(number).cloned();
        Box::pin(async move { Ok(found.map(|n| self.report(&n))) })
    }

    fn check(&self, carrier_ref: &str) -> ShipFuture<'_, Report> {
        let report = self.report(carrier_ref);
        Box::pin(async move { Ok(report) })
    }

    fn cancel(&self, carrier_ref: &str) -> ShipFuture<'_, Cancel> {
        let taken = self.report(carrier_ref).events.iter().any(|e| e.state != Some(State::Registered));
        Box::pin(async move {
            Ok(match taken {
                true => Cancel::Refused("the parcel is already on its way: it can no longer be cancelled".into()),
                false => Cancel::Done,
            })
        })
    }

    fn label(&self, carrier_ref: &str) -> ShipFuture<'_, Label> {
        let mut lines = vec![format!("Demo carrier parcel {carrier_ref}")];
        if let Some(order) = self.registry.order_of(carrier_ref) {
            lines.push(format!("Shop order {order}"));
        }
        if let Some((point, _)) = self.registry.destination(carrier_ref) {
            lines.push(format!("To pickup point {point}"));
        }
        Box::pin(async move { Ok(Label::Ready(super::label::pdf(&lines))) })
    }

    fn call_courier(&self, carrier_ref: &str, pickup: &Pickup) -> Option<ShipFuture<'_, String>> {
        let reference = format!("courier-{carrier_ref}-{}", pickup.date);
        Some(Box::pin(async move { Ok(reference) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_shipment_moves_through_the_states_on_the_clock() {
        let registered = time::macros::datetime!(2026-11-30 12:00:00 UTC);
        let at = |seconds| history(registered, registered + time::Duration::seconds(seconds), "Москва", "Казань");
        assert_eq!(at(5).last().map(|s| s.state), Some(State::Registered));
        assert_eq!(at(30).last().map(|s| s.state), Some(State::InTransit));
        assert_eq!(at(130).last().map(|s| (s.state, s.city.as_str())), Some((State::ReadyForPickup, "Казань")));
        assert_eq!(at(601).len(), 5);
        assert_eq!(at(601).last().map(|s| s.state), Some(State::Delivered));
    }

    #[test]
    fn numbers_are_seconds_of_the_last_year() {
        let now = time::macros::datetime!(2026-11-30 12:00:00 UTC);
        assert!(registered_at(&now.unix_timestamp().to_string(), now).is_some());
        assert!(registered_at("0000000101", now).is_none(), "the fixed demo parcels");
        assert!(registered_at("9999999999", now).is_none());
    }
}
