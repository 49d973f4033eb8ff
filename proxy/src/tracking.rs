//! Tracking answers, from a short-lived cache in front of the carriers: a number is checked first (junk never
//! reaches a carrier), its carrier found from its format, and the carrier's answer, "no such parcel"
//! included, kept for that carrier's TTL. Concurrent requests for one number wait for one upstream call, so
//! a parcel's page open in many browsers costs one call per TTL. Failures are not kept.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::Expiry;
use moka::future::Cache;
use pvz_shared::Carrier;
use pvz_shared::tracking::{Tracking, parse_number};

use crate::Error;
use crate::carriers::Tracker;
use crate::metrics::Metrics;

/// Numbers kept at most; a few hundred bytes each.
const CACHE_ENTRIES: u64 = 100_000;

/// A carrier's answer for one number, with how long it may be reused.
#[derive(Debug)]
struct Answer {
    tracking: Option<Tracking>,
    ttl: Duration,
}

/// Each answer lives for its carrier's TTL.
struct PerCarrierTtl;

impl Expiry<(Carrier, String), Arc<Answer>> for PerCarrierTtl {
    fn expire_after_create(&self, _: &(Carrier, String), answer: &Arc<Answer>, _: Instant) -> Option<Duration> {
        Some(answer.ttl)
    }
}

/// A carrier that tracks, as the service knows it.
pub struct TrackingCarrier {
    pub name: Carrier,
    /// For messages: "СДЭК".
    pub title: String,
    pub tracker: Arc<dyn Tracker>,
}

pub struct TrackingService {
    carriers: Vec<TrackingCarrier>,
    cache: Cache<(Carrier, String), Arc<Answer>>,
    metrics: Arc<Metrics>,
}

impl TrackingService {
    pub fn new(carriers: Vec<TrackingCarrier>, metrics: Arc<Metrics>) -> Self {
        let cache = Cache::builder().max_capacity(CACHE_ENTRIES).expire_after(PerCarrierTtl).build();
        Self { carriers, cache, metrics }
    }

    /// The parcel numbered `raw`, of `carrier` when given, otherwise of the carrier its format belongs to.
    pub async fn track(&self, raw: &str, carrier: Option<&str>) -> Result<Tracking, Error> {
        let (number, format) = parse_number(raw).map_err(|e| Error::bad_request("number", e))?;
        let chosen =
            match carrier.map(str::trim).filter(|c| !c.is_empty()) {
                Some(name) => self.carriers.iter().find(|c| c.name.0 == name).ok_or_else(|| {
                    Error::bad_request("carrier", format!("{name:?} is not a carrier this proxy tracks"))
                })?,
                None => self.carriers.iter().find(|c| c.tracker.tracks(format)).ok_or_else(|| {
                    Error::bad_request(
                        "number",
                        format!("looks like a {} number, and this proxy does not serve that carrier", format.carrier()),
                    )
                })?,
            };
        let key = (chosen.name.clone(), number.clone());
        let tracker = Arc::clone(&chosen.tracker);
        let asked = std::sync::atomic::AtomicBool::new(false);
        let (metrics, carrier_name) = (&self.metrics, chosen.name.0.as_str());
        let answer = self
            .cache
            .try_get_with(key, async {
                asked.store(true, std::sync::atomic::Ordering::Relaxed);
                let tracking = metrics.timed(carrier_name, "tracking", tracker.track(&number)).await?;
                Ok::<_, Error>(Arc::new(Answer { tracking, ttl: tracker.ttl() }))
            })
            .await
            .map_err(|e: Arc<Error>| Error::from_shared(&e))?;
        self.metrics.cache("tracking", !asked.load(std::sync::atomic::Ordering::Relaxed));
        answer
            .tracking
            .clone()
            .ok_or_else(|| Error::TrackNotFound(format!("{} has no parcel numbered {}", chosen.title, raw.trim())))
    }
}

#[cfg(test)]
mod tests;
