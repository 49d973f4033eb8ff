//! Tracking for the demo carriers: a few parcels of each in every state a buyer meets (just registered, on
//! the way, waiting at a pickup point, handed over, sent back, held up), with histories that run in order
//! and end before now. Times count back from when the proxy started, so a parcel's history stays the same
//! while the proxy runs. The numbers are listed on the demo `/tracking.html` page.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pvz_shared::tracking::{TrackEvent, TrackStatus, Tracking};
use pvz_shared::{Carrier, Point};
use time::{OffsetDateTime, UtcOffset};

use super::shipments::{self, Registry};
use crate::carriers::{NumberForms, Recognition, TrackFuture, Tracker};

/// The parcels' scenarios, by the number's last digit: the numbers are `DE000000010{1..=6}` for
/// demo-express and `DP000000010{1..=6}` for demo-post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    Created,
    InTransit,
    ReadyForPickup,
    Delivered,
    Returned,
    Problem,
}

impl Scenario {
    fn from_digit(digit: u8) -> Option<Self> {
        Some(match digit {
            1 => Self::Created,
            2 => Self::InTransit,
            3 => Self::ReadyForPickup,
            4 => Self::Delivered,
            5 => Self::Returned,
            6 => Self::Problem,
            _ => return None,
        })
    }
}

/// How long the demo carriers' answers are reused: their histories change only as time passes.
const TTL: Duration = Duration::from_secs(300);
/// Days a pickup point keeps a parcel.
const STORAGE_DAYS: i64 = 7;

pub struct DemoTracker {
    carrier: Carrier,
    title: String,
    /// `DE` or `DP`: the carrier's numbers are this and 10 digits.
    prefix: &'static str,
    /// Histories end here, the hour the proxy started.
    anchor: OffsetDateTime,
    /// Where the parcels that go to a pickup point go: a point of the carrier's and its city.
    destination: Option<(String, String)>,
    /// Upstream calls, as a real carrier would count them.
    calls: AtomicUsize,
    /// The shop's demo shipments, whose parcels are tracked too.
    registry: Arc<Registry>,
    /// Where the shop sends from: the first statuses of its shipments happen there.
    from_city: String,
}

impl DemoTracker {
    pub fn new(
        carrier: &str,
        title: &str,
        points: &[Point],
        started: OffsetDateTime,
        registry: Arc<Registry>,
        from_city: &str,
    ) -> Self {
        let prefix = super::number_prefix(carrier);
        let moscow = UtcOffset::from_hms(3, 0, 0).unwrap_or(UtcOffset::UTC);
        let anchor = started.to_offset(moscow).replace_minute(0).and_then(|t| t.replace_second(0)).unwrap_or(started);
        let destination = points
            .iter()
            .find(|p| p.address.city == "Москва" && p.hours.week.iter().all(|day| !day.is_empty()))
            .or(points.first())
            .map(|p| (p.id.clone(), p.address.city.clone()));
        Self {
            carrier: Carrier(carrier.into()),
            title: title.into(),
            prefix,
            anchor: anchor.replace_nanosecond(0).unwrap_or(anchor),
            destination,
            calls: AtomicUsize::new(0),
            registry,
            from_city: from_city.into(),
        }
    }

    /// The parcel numbered `number`, if it is one of the demo parcels.
    fn history(&self, number: &str) -> Option<Tracking> {
        let (prefix, digits) = (number.get(..2)?, number.get(2..)?);
        let now = OffsetDateTime::now_utc();
        if let Some(registered) = shipments::registered_at(digits, now).filter(|_| prefix == self.prefix) {
            return Some(self.shipped(number, registered, now));
        }
        let (series, scenario) = (digits.get(..9)?, digits.as_bytes().get(9)?.checked_sub(b'0')?);
        if prefix != self.prefix || series != "000000010" || digits.len() != 10 {
            return None;
        }
        let scenario = Scenario::from_digit(scenario)?;
        let (point_id, city) = self.destination.clone().unzip();
        let city = city.unwrap_or_else(|| "Москва".into());
        let hours_ago = |h: i64| self.anchor - time::Duration::hours(h);
        let event = |h: i64, place: &str, text: &str, status| TrackEvent {
            at: hours_ago(h),
            place: place.into(),
            text: text.into(),
            status,
        };
        let mut events = vec![event(120, "Санкт-Петербург", "Заказ зарегистрирован магазином", TrackStatus::Created)];
        let mut expected = None;
        let mut storage_until = None;
        let arrived = 30;
        if scenario != Scenario::Created {
            events.push(event(100, "Санкт-Петербург", "Принят от отправителя", TrackStatus::Accepted));
            events.push(event(96, "Санкт-Петербург", "Отправлен в город назначения", TrackStatus::InTransit));
        }
        match scenario {
            Scenario::Created => {
                events[0].at = hours_ago(2);
                expected = Some((self.anchor + time::Duration::days(5)).date());
            }
            Scenario::InTransit => {
                events.push(event(20, "Тверь", "Прибыл в сортировочный центр", TrackStatus::InTransit));
                events.push(event(16, "Тверь", "Покинул сортировочный центр", TrackStatus::InTransit));
                expected = Some((self.anchor + time::Duration::days(2)).date());
            }
            Scenario::ReadyForPickup | Scenario::Delivered | Scenario::Returned => {
                events.push(event(arrived + 10, &city, "Прибыл в город получателя", TrackStatus::InTransit));
                events.push(event(arrived, &city, "Прибыл в пункт выдачи", TrackStatus::ArrivedAtPickupPoint));
                events.push(event(arrived - 2, &city, "Готов к выдаче", TrackStatus::ReadyForPickup));
                storage_until = Some((hours_ago(arrived - 2) + time::Duration::days(STORAGE_DAYS)).date());
            }
            Scenario::Problem => {
                events.push(event(40, "Тверь", "Прибыл в сортировочный центр", TrackStatus::InTransit));
                events.push(event(
                    36,
                    "Тверь",
                    "Задержан: повреждена упаковка, отправление переупаковывается",
                    TrackStatus::Problem,
                ));
            }
        }
        match scenario {
            Scenario::Delivered => {
                events.push(event(6, &city, "Вручён получателю", TrackStatus::Delivered));
                storage_until = None;
            }
            Scenario::Returned => {
                // The storage ran out: the events sit further back.
                for e in &mut events {
                    e.at -= time::Duration::days(STORAGE_DAYS + 1);
                }
                events.push(event(20, &city, "Срок хранения истёк, возвращается отправителю", TrackStatus::Returned));
                storage_until = None;
            }
            _ => {}
        }
        events.reverse();
        let point_id = matches!(scenario, Scenario::ReadyForPickup | Scenario::InTransit | Scenario::Created)
            .then_some(point_id)
            .flatten();
        Some(Tracking {
            carrier: self.carrier.clone(),
            carrier_title: self.title.clone(),
            number: number.into(),
            status: events[0].status,
            expected_date: expected,
            storage_until,
            point_id,
            events,
        })
    }

    /// A shipment of the shop's, by its clock: newest first.
    fn shipped(&self, number: &str, registered: OffsetDateTime, now: OffsetDateTime) -> Tracking {
        let (point_id, city) = self.registry.destination(number).unzip();
        let to_city = city.unwrap_or_else(|| "Москва".into());
        let mut events: Vec<TrackEvent> = shipments::history(registered, now, &self.from_city, &to_city)
            .into_iter()
            .map(|s| TrackEvent { at: s.at, place: s.city, text: s.text.into(), status: s.status })
            .collect();
        events.reverse();
        let status = events.first().map_or(TrackStatus::Created, |e| e.status);
        let delivered = status == TrackStatus::Delivered;
        Tracking {
            carrier: self.carrier.clone(),
            carrier_title: self.title.clone(),
            number: number.into(),
            status,
            expected_date: (!delivered).then(|| (registered + time::Duration::days(2)).date()),
            storage_until: (status == TrackStatus::ReadyForPickup)
                .then(|| (now + time::Duration::days(STORAGE_DAYS)).date()),
            point_id: point_id.filter(|id| !delivered && !id.is_empty()),
            events,
        }
    }

    /// Upstream calls made so far.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }
}

impl Tracker for DemoTracker {
    fn recognise(&self, number: &str) -> Recognition {
        let digits = number.strip_prefix(self.prefix).unwrap_or_default();
        if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Recognition::Mine
        } else {
            Recognition::NotMine
        }
    }

    fn forms(&self) -> NumberForms {
        if self.prefix == "DP" {
            NumberForms { ru: "DP и 10 цифр", en: "DP and 10 digits" }
        } else {
            NumberForms { ru: "DE и 10 цифр", en: "DE and 10 digits" }
        }
    }

    fn ttl(&self) -> Duration {
        TTL
    }

    fn track(&self, number: &str) -> TrackFuture<'_> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let answer = self.history(number);
        Box::pin(async move {
            // As long as a real carrier's answer takes, give or take.
            tokio::time::sleep(Duration::from_millis(40)).await;
            Ok(answer)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker() -> DemoTracker {
        let started = time::macros::datetime!(2026-11-20 12:34:56 UTC);
        DemoTracker::new(super::super::EXPRESS, "Демо Экспресс", &[], started, Arc::default(), "Москва")
    }

    #[test]
    fn every_demo_parcel_has_a_history_in_order_that_ends_before_now() {
        let tracker = tracker();
        let statuses: Vec<TrackStatus> = (1..=6)
            .map(|n| {
                let t = tracker.history(&format!("DE000000010{n}")).expect("a demo parcel");
                assert!(t.events.windows(2).all(|w| w[0].at >= w[1].at), "newest first: {t:?}");
                assert!(t.events.iter().all(|e| e.at <= tracker.anchor));
                assert_eq!(t.status, t.events[0].status);
                t.status
            })
            .collect();
        use TrackStatus::*;
        assert_eq!(statuses, [Created, InTransit, ReadyForPickup, Delivered, Returned, Problem]);
        let waiting = tracker.history("DE0000000103").unwrap();
        assert!(waiting.storage_until.is_some_and(|d| d > tracker.anchor.date()));
    }

    #[test]
    fn each_demo_carrier_knows_its_own_numbers() {
        let tracker = tracker();
        assert_eq!(tracker.recognise("DE0000012345"), Recognition::Mine);
        for other in ["DP0000012345", "DE000001234", "DE00000123456", "80102345678901"] {
            assert_eq!(tracker.recognise(other), Recognition::NotMine, "{other}");
        }
    }

    #[test]
    fn other_numbers_are_unknown() {
        let tracker = tracker();
        for number in ["DE0000000100", "DE0000000107", "DP0000000103", "DE0000000203", "DE9999999991", "DE01"] {
            assert_eq!(tracker.history(number), None, "{number}");
        }
    }
}
