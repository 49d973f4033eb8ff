//! The tracking cache against a counting carrier: one call per number per TTL, however many buyers ask.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pvz_shared::Carrier;
use pvz_shared::tracking::{TrackStatus, Tracking};

use super::{TrackingCarrier, TrackingService};
use crate::Error;
use crate::carriers::{NumberForms, Recognition, TrackFuture, Tracker};

/// Knows one parcel; counts calls; fails while `failing` is set.
struct Counting {
    calls: AtomicUsize,
    ttl: Duration,
    failing: std::sync::atomic::AtomicBool,
}

impl Tracker for Counting {
    fn recognise(&self, number: &str) -> Recognition {
        match number.strip_prefix("DE") {
            Some(digits) if digits.len() == 10 => Recognition::Mine,
            Some(digits) if digits.len() == 11 => Recognition::Typo("has a digit too many"),
            _ => Recognition::NotMine,
        }
    }

    fn forms(&self) -> NumberForms {
        NumberForms { ru: "DE и 10 цифр", en: "DE and 10 digits" }
    }

    fn ttl(&self) -> Duration {
        self.ttl
    }

    fn track(&self, number: &str) -> TrackFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let failing = self.failing.load(Ordering::SeqCst);
        let known = number == "DE0000000001";
        let number = number.to_string();
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if failing {
                return Err(Error::Upstream("Демо: HTTP 503".into()));
            }
            Ok(known.then(|| Tracking {
                carrier: Carrier("demo-express".into()),
                carrier_title: "Демо".into(),
                number,
                status: TrackStatus::InTransit,
                expected_date: None,
                storage_until: None,
                point_id: None,
                events: Vec::new(),
            }))
        })
    }
}

fn service(ttl: Duration) -> (TrackingService, Arc<Counting>) {
    let tracker = Arc::new(Counting { calls: AtomicUsize::new(0), ttl, failing: Default::default() });
    let carrier =
        TrackingCarrier { name: Carrier("demo-express".into()), title: "Демо".into(), tracker: tracker.clone() };
    (TrackingService::new(vec![carrier], Arc::default(), None), tracker)
}

#[tokio::test]
async fn many_viewers_of_one_parcel_cost_one_call_per_ttl() {
    let (service, carrier) = service(Duration::from_millis(300));
    let service = Arc::new(service);
    let viewers: Vec<_> = (0..100)
        .map(|_| {
            let service = Arc::clone(&service);
            tokio::spawn(async move { service.track("de-0000000001", None).await })
        })
        .collect();
    for viewer in viewers {
        assert_eq!(viewer.await.unwrap().unwrap().status, TrackStatus::InTransit);
    }
    for _ in 0..50 {
        service.track("DE0000000001", None).await.unwrap();
    }
    assert_eq!(carrier.calls.load(Ordering::SeqCst), 1, "150 views within the TTL");
    tokio::time::sleep(Duration::from_millis(400)).await;
    service.track("DE0000000001", None).await.unwrap();
    assert_eq!(carrier.calls.load(Ordering::SeqCst), 2, "one more once the TTL has passed");
}

#[tokio::test]
async fn unknown_malformed_and_failing_are_three_different_errors() {
    let (service, carrier) = service(Duration::from_secs(60));
    assert!(matches!(service.track("DE0000000002", None).await, Err(Error::TrackNotFound(_))));
    assert!(matches!(service.track("DE0000000002", None).await, Err(Error::TrackNotFound(_))));
    assert_eq!(carrier.calls.load(Ordering::SeqCst), 1, "\"no such parcel\" is kept too");

    let malformed = service.track("<img src=x>", None).await;
    assert!(matches!(malformed, Err(Error::BadRequest { param: "number", .. })), "{malformed:?}");
    let other_carrier = service.track("80102345678901", None).await;
    assert!(
        matches!(&other_carrier, Err(Error::UnknownNumber(m)) if m.contains("DE and 10 digits")),
        "{other_carrier:?}"
    );
    let typo = service.track("DE00000000011", None).await;
    assert!(matches!(&typo, Err(Error::NumberTypo(m)) if m.contains("a digit too many")), "{typo:?}");
    assert_eq!(carrier.calls.load(Ordering::SeqCst), 1, "junk never reaches the carrier");

    carrier.failing.store(true, Ordering::SeqCst);
    assert!(matches!(service.track("DE0000000003", None).await, Err(Error::Upstream(_))));
    carrier.failing.store(false, Ordering::SeqCst);
    assert!(matches!(service.track("DE0000000003", None).await, Err(Error::TrackNotFound(_))), "failures are not kept");
}
