//! Tracking answers, from a short-lived cache in front of the carriers: a number is checked first (junk never
//! reaches a carrier), its carrier is the one that recognises it, and the carrier's answer, "no such parcel"
//! included, is kept for that carrier's TTL. Concurrent requests for one number wait for one upstream call, so
//! a parcel's page open in many browsers costs one call per TTL. Failures are not kept. Proxies sharing a
//! database keep the answers there too, so that the fleet asks about a parcel once per TTL.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::Expiry;
use moka::future::Cache;
use pvz_shared::tracking::{NumberError, Tracking, normalise_number};
use pvz_shared::{Carrier, TrackNumbers};

use crate::Error;
use crate::carriers::{Recognition, Tracker};
use crate::metrics::Metrics;
use crate::store::Store;

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
    /// The carrier's name for people, in messages.
    pub title: String,
    pub tracker: Arc<dyn Tracker>,
}

pub struct TrackingService {
    carriers: Vec<TrackingCarrier>,
    cache: Cache<(Carrier, String), Arc<Answer>>,
    metrics: Arc<Metrics>,
    /// The database other proxies share, if they do.
    shared: Option<Store>,
}

impl TrackingService {
    /// The service for `carriers`; with `store` shared by other proxies, their answers are reused too.
    pub fn new(carriers: Vec<TrackingCarrier>, metrics: Arc<Metrics>, store: Option<&Store>) -> Self {
        let cache = Cache::builder().max_capacity(CACHE_ENTRIES).expire_after(PerCarrierTtl).build();
        Self { carriers, cache, metrics, shared: store.filter(|s| s.is_shared()).cloned() }
    }

    /// Each carrier with a daily quota: its name, the calls made today and the limit.
    pub fn quotas(&self) -> Vec<(Carrier, u32, u32)> {
        self.carriers
            .iter()
            .filter_map(|c| c.tracker.quota().map(|(used, limit)| (c.name.clone(), used, limit)))
            .collect()
    }

    /// What each carrier's numbers look like, for the buyer typing one.
    pub fn number_forms(&self) -> Vec<TrackNumbers> {
        self.carriers
            .iter()
            .map(|c| {
                let forms = c.tracker.forms();
                TrackNumbers { title: c.title.clone(), ru: forms.ru.into(), en: forms.en.into() }
            })
            .collect()
    }

    /// The carrier whose number `number` is; a typo or a number of no carrier here says so.
    fn recognising(&self, number: &str) -> Result<&TrackingCarrier, Error> {
        for carrier in &self.carriers {
            match carrier.tracker.recognise(number) {
                Recognition::Mine => return Ok(carrier),
                Recognition::Typo(why) => return Err(Error::NumberTypo(format!("number: {number} {why}"))),
                Recognition::NotMine => {}
            }
        }
        let forms: Vec<String> =
            self.carriers.iter().map(|c| format!("{}: {}", c.title, c.tracker.forms().en)).collect();
        Err(Error::UnknownNumber(format!(
            "number: {number} is in no format of the carriers this proxy tracks ({})",
            if forms.is_empty() { "none tracks".to_string() } else { forms.join("; ") }
        )))
    }

    /// The parcel numbered `raw`, of `carrier` when given, otherwise of the carrier that recognises it.
    /// With a carrier named, a number in none of its formats is taken as the shop's own order number, for
    /// the carriers that look orders up by it.
    pub async fn track(&self, raw: &str, carrier: Option<&str>) -> Result<Tracking, Error> {
        let named = match carrier.filter(|c| !c.is_empty()) {
            Some(name) => Some(
                self.carriers
                    .iter()
                    .find(|c| c.name.0 == name)
                    .ok_or_else(|| Error::NotFound(format!("carrier: {name:?} is not a carrier this proxy tracks")))?,
            ),
            None => None,
        };
        let (chosen, key) = match (normalise_number(raw), named) {
            (Ok(number), Some(chosen)) => match chosen.tracker.recognise(&number) {
                Recognition::Mine => (chosen, number),
                Recognition::Typo(why) => return Err(Error::NumberTypo(format!("number: {number} {why}"))),
                Recognition::NotMine => (chosen, format!("{ORDER_PREFIX}{}", raw.trim())),
            },
            (Ok(number), None) => (self.recognising(&number)?, number),
            (Err(NumberError::BadCharacters), Some(chosen)) if is_order_number(raw) => {
                (chosen, format!("{ORDER_PREFIX}{}", raw.trim()))
            }
            (Err(err), _) => return Err(Error::bad_request("number", err)),
        };
        if key.starts_with(ORDER_PREFIX) && !is_order_number(raw) {
            // Written in the carrier's letters but in none of its forms, nor as an order number is.
            return Err(Error::TrackNotFound(format!(
                "{} has no parcel or order numbered {}",
                chosen.title,
                raw.trim()
            )));
        }
        if key.starts_with(ORDER_PREFIX) && !chosen.tracker.finds_shop_orders() {
            return Err(Error::TrackNotFound(format!(
                "{} has no parcel numbered {}: it finds parcels by its own numbers only",
                chosen.title,
                raw.trim()
            )));
        }
        let answer = self.answer(chosen, &key, false).await?;
        answer
            .tracking
            .clone()
            .ok_or_else(|| Error::TrackNotFound(format!("{} has no parcel numbered {}", chosen.title, raw.trim())))
    }

    /// The carrier's answer for `key` (a track number, or an order number under [`ORDER_PREFIX`]), from the
    /// cache or from one call shared by everyone asking at once (a call [`Tracker::follow`] makes when it is
    /// `following` a shop's parcel).
    async fn answer(&self, chosen: &TrackingCarrier, key: &str, following: bool) -> Result<Arc<Answer>, Error> {
        let tracker = Arc::clone(&chosen.tracker);
        let order = key.strip_prefix(ORDER_PREFIX);
        let asked = std::sync::atomic::AtomicBool::new(false);
        let answer = self
            .cache
            .try_get_with((chosen.name.clone(), key.to_string()), async {
                if let Some(kept) = self.shared_answer(chosen, key).await {
                    return Ok(Arc::new(kept));
                }
                asked.store(true, std::sync::atomic::Ordering::Relaxed);
                // Made here, so that only the request that asks the carrier makes the call.
                let call = match order {
                    Some(order) => tracker.track_order(order),
                    None if following => tracker.follow(key),
                    None => tracker.track(key),
                };
                let tracking = self.metrics.timed(&chosen.name.0, "tracking", call).await?;
                let answer = Answer { tracking, ttl: tracker.ttl() };
                self.share(chosen, key, &answer).await;
                Ok::<_, Error>(Arc::new(answer))
            })
            .await
            .map_err(|e: Arc<Error>| Error::from_shared(&e))?;
        self.metrics.cache("tracking", !asked.load(std::sync::atomic::Ordering::Relaxed));
        Ok(answer)
    }

    /// The answer another proxy kept in the shared database; none without one, or when it cannot be read
    /// (then the carrier is asked, as without a database).
    async fn shared_answer(&self, chosen: &TrackingCarrier, key: &str) -> Option<Answer> {
        let kept = self.shared.as_ref()?.tracking_answer(&chosen.name.0, key).await;
        match kept {
            Ok(Some((body, ttl))) => match serde_json::from_str::<Option<Tracking>>(&body) {
                Ok(tracking) => Some(Answer { tracking, ttl }),
                Err(err) => {
                    tracing::warn!(carrier = %chosen.name.0, error = %err, "an unreadable shared tracking answer");
                    None
                }
            },
            Ok(None) => None,
            Err(err) => {
                tracing::warn!(carrier = %chosen.name.0, error = %err, "the shared tracking answers were not read");
                None
            }
        }
    }

    /// Keeps `answer` in the shared database for the other proxies, if there is one.
    async fn share(&self, chosen: &TrackingCarrier, key: &str, answer: &Answer) {
        let Some(store) = &self.shared else { return };
        let body = serde_json::to_string(&answer.tracking).unwrap_or_else(|_| "null".into());
        if let Err(err) = store.keep_tracking_answer(&chosen.name.0, key, &body, answer.ttl).await {
            tracing::warn!(carrier = %chosen.name.0, error = %err, "a tracking answer was not shared");
        }
    }

    /// A shop's parcel followed in the background: its history from the same cache buyers read, asked of
    /// the carrier only while [`Tracker::spare`] allows, so that following never spends the calls buyers
    /// need. `None`: nothing new to say (no such parcel yet, or no call to spare now).
    pub async fn follow(&self, carrier: &str, number: &str) -> Result<Option<Tracking>, Error> {
        let Some(chosen) = self.carriers.iter().find(|c| c.name.0 == carrier) else {
            return Ok(None);
        };
        let cached = self.cache.contains_key(&(chosen.name.clone(), number.to_string()));
        if !cached && !chosen.tracker.spare() {
            return Ok(None);
        }
        match self.answer(chosen, number, true).await {
            Ok(answer) => Ok(answer.tracking.clone()),
            // Its share of the quota spent since the check above: nothing new now.
            Err(Error::QuotaSpent { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }
}

/// Cache keys of the shop's order numbers start with this, apart from track numbers (which have no colon).
const ORDER_PREFIX: &str = "order:";

/// A shop's order number as carriers take it: 1 to 40 Latin letters, digits and `-_/.`.
fn is_order_number(raw: &str) -> bool {
    let raw = raw.trim();
    (1..=40).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b))
}

#[cfg(test)]
mod tests;
