//! Delivery quotes, cached. A quote is the carrier's tariff for what its price depends on (the
//! [`TariffKey`]: destination city or postcode, office or locker, weight step) plus fees computed locally, so
//! one upstream call serves every point and parcel that share a key. Concurrent misses of one key wait for
//! one call (moka's `try_get_with`); failures are not cached; a price past its TTL is still served for a
//! grace time while one refresh runs in the background. Door deliveries are priced the same way, each carrier
//! by its own key for the address.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::future::Cache;
use pvz_shared::{
    Carrier, Days, DoorAddress, DoorQuote, DoorQuotesResponse, DoorRefusal, Included, Money, Parcel, Point, Quote,
};
use time::OffsetDateTime;

use crate::Error;
use crate::carriers::{Tariff, TariffKey, Tariffs};
use crate::metrics::Metrics;

/// Whether `point` can take `parcel`: a quote for a parcel it cannot is refused, naming the limit, so that
/// a shop's backend re-checking a buyer's choice learns the choice no longer holds.
pub fn check_fits(point: &Point, parcel: &Parcel) -> Result<(), Error> {
    if let Some(max) = point.limits.max_weight_g.filter(|max| parcel.weight_g > *max) {
        return Err(Error::ParcelNotAccepted(format!(
            "parcel: {} g is more than this point takes ({max} g)",
            parcel.weight_g
        )));
    }
    if let Some(parcel_box) = parcel.largest_box().filter(|b| !point.limits.accepts(None, Some(*b))) {
        let cells: Vec<String> =
            point.limits.cells.iter().map(|c| format!("{}x{}x{}", c.length, c.width, c.height)).collect();
        return Err(Error::ParcelNotAccepted(format!(
            "parcel: a box of {}x{}x{} cm fits none of this locker's cells ({} cm)",
            parcel_box.length,
            parcel_box.width,
            parcel_box.height,
            cells.join(", ")
        )));
    }
    Ok(())
}

/// At most this many tariffs are kept.
const CAPACITY: u64 = 100_000;

/// A tariff and when it was fetched.
#[derive(Clone)]
struct Cached {
    tariff: Tariff,
    fetched: Instant,
}

pub struct QuoteService {
    /// Each carrier's prices, by carrier name.
    tariffs: HashMap<Carrier, Arc<dyn Tariffs>>,
    /// Kept for `ttl + grace`; fresh for `ttl`.
    cache: Cache<TariffKey, Cached>,
    ttl: Duration,
    /// Keys being refreshed in the background, so that a stale key is refreshed once. A std mutex: held only
    /// to insert or remove a key, never across an await.
    refreshing: Mutex<HashSet<TariffKey>>,
    metrics: Arc<Metrics>,
}

impl QuoteService {
    pub fn new(
        tariffs: HashMap<Carrier, Arc<dyn Tariffs>>,
        ttl: Duration,
        grace: Duration,
        metrics: Arc<Metrics>,
    ) -> Self {
        let cache = Cache::builder().max_capacity(CAPACITY).time_to_live(ttl + grace).build();
        Self { tariffs, cache, ttl, refreshing: Mutex::new(HashSet::new()), metrics }
    }

    /// The quote for delivering `parcel` to `point`, with dates counted from `today`.
    pub async fn quote(self: &Arc<Self>, point: &Point, parcel: &Parcel, today: time::Date) -> Result<Quote, Error> {
        check_fits(point, parcel)?;
        let tariffs = self
            .tariffs
            .get(&point.carrier)
            .ok_or_else(|| Error::Internal(format!("no tariffs for carrier {}", point.carrier)))?;
        let key = tariffs.key(point, parcel);
        let tariff = self.tariff(tariffs, key).await?;
        let included = tariffs.fees(parcel);
        let (cost, days) = priced(&tariff, included, today);
        Ok(Quote {
            point_id: point.id.clone(),
            carrier: point.carrier.clone(),
            tariff: tariff.name,
            cost,
            days,
            included,
        })
    }

    /// Every carrier's price for bringing `parcel` to the door at `to`, cheapest first, the cheapest and the
    /// fastest marked; the carriers that cannot, with why. Cached and shared like the points' prices.
    pub async fn door_quotes(
        self: &Arc<Self>,
        carriers: &[(Carrier, String)],
        to: &DoorAddress,
        parcel: &Parcel,
        today: time::Date,
    ) -> DoorQuotesResponse {
        let asks = carriers.iter().map(|(carrier, _)| async move {
            let tariffs = self
                .tariffs
                .get(carrier)
                .ok_or_else(|| Error::Internal(format!("no tariffs for carrier {carrier}")))?;
            let key = tariffs.door_key(to, parcel)?;
            let tariff = self.tariff(tariffs, key).await?;
            Ok::<_, Error>((tariff, tariffs.fees(parcel)))
        });
        let answers = futures_util::future::join_all(asks).await;
        let mut response = DoorQuotesResponse { quotes: Vec::new(), unavailable: Vec::new() };
        for ((carrier, title), answer) in carriers.iter().zip(answers) {
            match answer {
                Ok((tariff, included)) => {
                    let (cost, days) = priced(&tariff, included, today);
                    response.quotes.push(DoorQuote {
                        carrier: carrier.clone(),
                        carrier_title: title.clone(),
                        tariff: tariff.name,
                        cost,
                        days,
                        included,
                        cheapest: false,
                        fastest: false,
                    });
                }
                Err(err) => response.unavailable.push(DoorRefusal {
                    carrier: carrier.clone(),
                    carrier_title: title.clone(),
                    code: err.code().into(),
                    message: err.public_message(),
                }),
            }
        }
        response.quotes.sort_by_key(|q| (q.cost.kopecks, q.days.max));
        let cheapest = response.quotes.iter().map(|q| q.cost.kopecks).min();
        let fastest = response.quotes.iter().map(|q| q.days.max).min();
        for quote in &mut response.quotes {
            quote.cheapest = Some(quote.cost.kopecks) == cheapest;
            quote.fastest = Some(quote.days.max) == fastest;
        }
        response
    }

    /// One carrier's door price in kopecks, for a shipment to that door; why not as a 400 naming the door.
    pub async fn door_quote(self: &Arc<Self>, carrier: &str, to: &DoorAddress, parcel: &Parcel) -> Result<u64, Error> {
        let name = Carrier(carrier.into());
        let mut priced = self.door_quotes(&[(name, carrier.into())], to, parcel, Self::today()).await;
        match (priced.quotes.pop(), priced.unavailable.pop()) {
            (Some(quote), _) => Ok(quote.cost.kopecks),
            (None, Some(refusal)) if refusal.code == "not_supported" || refusal.code == "bad_request" => {
                Err(Error::bad_request("door", refusal.message))
            }
            (None, Some(refusal)) => Err(Error::Upstream(refusal.message)),
            (None, None) => Err(Error::Internal(format!("no door price and no refusal from {carrier}"))),
        }
    }

    async fn tariff(self: &Arc<Self>, tariffs: &Arc<dyn Tariffs>, key: TariffKey) -> Result<Tariff, Error> {
        if let Some(cached) = self.cache.get(&key).await {
            self.metrics.cache("quotes", true);
            if cached.fetched.elapsed() >= self.ttl {
                self.refresh_in_background(Arc::clone(tariffs), key);
            }
            return Ok(cached.tariff);
        }
        self.metrics.cache("quotes", false);
        let fetch_key = key.clone();
        let metrics = &self.metrics;
        let fetch = async move {
            let tariff = metrics.timed(&fetch_key.carrier.0, "tariff", tariffs.calculate(&fetch_key)).await?;
            Ok::<_, Error>(Cached { tariff, fetched: Instant::now() })
        };
        match self.cache.try_get_with(key, fetch).await {
            Ok(cached) => Ok(cached.tariff),
            Err(err) => Err(Error::from_shared(&err)),
        }
    }

    /// Fetches `key` again unless that is under way; the stale price serves until it lands.
    fn refresh_in_background(self: &Arc<Self>, tariffs: Arc<dyn Tariffs>, key: TariffKey) {
        let first = self.refreshing.lock().unwrap_or_else(|p| p.into_inner()).insert(key.clone());
        if !first {
            return;
        }
        let service = Arc::clone(self);
        tokio::spawn(async move {
            match service.metrics.timed(&key.carrier.0, "tariff", tariffs.calculate(&key)).await {
                Ok(tariff) => service.cache.insert(key.clone(), Cached { tariff, fetched: Instant::now() }).await,
                Err(err) => {
                    tracing::warn!(carrier = %key.carrier, %err, "refreshing a price failed; the old one serves on")
                }
            }
            service.refreshing.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
        });
    }

    /// Today in Moscow, where carriers count their days from.
    pub fn today() -> time::Date {
        OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(3, 0, 0).unwrap_or(time::UtcOffset::UTC)).date()
    }
}

/// A tariff with its fees as the buyer is quoted: everything the shop pays, and the days with the dates
/// they mean counted from `today`.
fn priced(tariff: &Tariff, included: Included, today: time::Date) -> (Money, Days) {
    let date = |n: u16| today.checked_add(time::Duration::days(i64::from(n)));
    (
        Money { kopecks: tariff.cost + included.insurance + included.cash_on_delivery_fee, currency: tariff.currency },
        Days {
            min: tariff.days_min,
            max: tariff.days_max,
            from_date: date(tariff.days_min),
            to_date: date(tariff.days_max),
        },
    )
}

#[cfg(test)]
mod tests;
