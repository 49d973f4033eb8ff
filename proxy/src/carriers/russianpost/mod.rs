//! Russian Post (`[russianpost]`, `PVZ_RUSSIANPOST_*`): post offices, parcel lockers and pickup points from
//! the otpravka API (its export where the account may use it, otherwise office by office) synced in the
//! background, prices from the public tariff calculator, the shop's parcels put in its otpravka backlog,
//! parcel histories over the SOAP tracking service within its daily quota. Each part works alone: without the otpravka pair there are no points, without
//! the tracking login no tracking; prices need no credentials.

mod config;
pub mod offices;
mod otpravka;
pub mod passport;
mod quota;
mod shipments;
mod soap;
mod tariffs;
pub mod tracking;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use pvz_shared::Carrier;
use time::{Date, OffsetDateTime};

use super::{Connection, FetchFuture, Fetched, PointSource, Skip};
use crate::store::Store;
use crate::{Config, Error};
pub use config::{CONNECTOR, RussianPostConfig};
use otpravka::Otpravka;

const NAME: &str = "russianpost";
const TITLE: &str = "Почта России";
/// In the proxy's own messages, which are English.
const TITLE_EN: &str = "Russian Post";
/// Whether `text` is a Russian postcode: six digits. Every office is named by its own.
fn is_postcode(text: &str) -> bool {
    text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Office records asked for at once during a sync.
const CONCURRENT_OFFICES: usize = 8;

/// Russian Post's points: the whole export, or each configured settlement's postcodes and then each
/// office's record.
struct Offices {
    api: Arc<Otpravka>,
    carrier: Carrier,
    cities: Vec<String>,
    interval: Duration,
}

impl Offices {
    /// `settlement` or `settlement, region` as the query of `settlement.offices.codes`.
    fn query(city: &str) -> Vec<(&str, &str)> {
        let mut parts = city.splitn(2, ',').map(str::trim);
        let mut query = vec![("settlement", parts.next().unwrap_or_default())];
        if let Some(region) = parts.next().filter(|r| !r.is_empty()) {
            query.push(("region", region));
        }
        query
    }

    /// Every office, locker and pickup point from the export; where the account may not export, the offices
    /// of the configured settlements.
    async fn fetch_all(&self, today: Date) -> Result<Fetched, Error> {
        match self.api.export().await? {
            Some(archive) => self.read_export(&archive, today),
            None => self.search_offices(today).await,
        }
    }

    fn read_export(&self, archive: &[u8], today: Date) -> Result<Fetched, Error> {
        let records = passport::records(archive)
            .map_err(|why| Error::Upstream(format!("{TITLE_EN}: the export of offices is unreadable: {why}")))?;
        let read = records.len();
        let fetched =
            Fetched::tally(records.into_iter().map(|record| {
                record.map_err(|_| Skip::Unreadable).and_then(|e| passport::map(&e, &self.carrier, today))
            }));
        tracing::info!(records = read, kept = fetched.points.len(), skipped = ?fetched.skipped, "Russian Post offices fetched from the export");
        Ok(fetched)
    }

    async fn search_offices(&self, today: Date) -> Result<Fetched, Error> {
        let mut codes = Vec::new();
        let mut seen = HashSet::new();
        for city in &self.cities {
            let listed: Vec<String> =
                self.api.get("postoffice/1.0/settlement.offices.codes", &Self::query(city)).await?.unwrap_or_default();
            if listed.is_empty() {
                tracing::warn!(city, "Russian Post lists no offices in this settlement");
            }
            codes.extend(listed.into_iter().filter(|c| seen.insert(c.clone())));
        }
        codes.retain(|code| is_postcode(code));
        let api = &self.api;
        let asked = codes.len();
        let calls = codes.into_iter().map(|code| {
            let path = format!("postoffice/1.0/{code}");
            async move { api.get::<serde_json::Value>(&path, &[]).await }
        });
        let records: Vec<_> = futures_util::stream::iter(calls).buffer_unordered(CONCURRENT_OFFICES).collect().await;
        let mut mapped = Vec::with_capacity(records.len());
        for record in records {
            // An outage fails the whole sync, so that the last good list keeps serving whole.
            mapped.push(match record? {
                // Listed, but not described to the public.
                None => Err(Skip::NoHandout),
                Some(record) => serde_json::from_value::<offices::Office>(record)
                    .map_err(|_| Skip::Unreadable)
                    .and_then(|office| offices::map(&office, &self.carrier, today)),
            });
        }
        let fetched = Fetched::tally(mapped);
        tracing::info!(offices = asked, kept = fetched.points.len(), skipped = ?fetched.skipped, "Russian Post offices fetched by settlement");
        Ok(fetched)
    }
}

impl PointSource for Offices {
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(self.fetch_all(OffsetDateTime::now_utc().date()))
    }

    fn interval(&self) -> Duration {
        self.interval
    }
}

/// Russian Post's parts: the tariff calculator always; offices, shipments and tracking as their credentials
/// allow.
fn connect(post: &RussianPostConfig, config: &Config, data_dir: &std::path::Path, store: &Store) -> Connection {
    let carrier = Carrier(NAME.into());
    let otpravka = post.otpravka.clone().map(|(token, key)| Arc::new(Otpravka::new(post, token, key)));
    let source = otpravka.as_ref().map(|api| {
        Arc::new(Offices {
            api: Arc::clone(api),
            carrier: carrier.clone(),
            cities: post.cities.clone(),
            interval: post.sync_interval,
        }) as Arc<dyn PointSource>
    });
    let shipper = otpravka.map(|api| {
        Arc::new(shipments::PostShipper {
            api,
            from_postal_code: config.shop_from_postal_code.clone(),
            batch_at: post.batch_at,
        }) as Arc<dyn super::Shipper>
    });
    let tariffs = Arc::new(tariffs::PostTariffs::new(post, carrier.clone(), config.shop_from_postal_code.clone()));
    let tracker = post.tracking.clone().map(|(login, password)| {
        let counter = store.day_counter(&format!("{NAME}.tracking"));
        let legacy = data_dir.join(format!("{NAME}.tracking-quota.json"));
        let quota = quota::Quota::new(counter, post.daily_limit, legacy);
        Arc::new(tracking::PostTracker::new(post, carrier, login, password, quota)) as Arc<dyn super::Tracker>
    });
    Connection { title: TITLE, tariffs, tracker, source, shipper }
}
