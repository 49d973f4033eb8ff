//! Boxberry (`[boxberry]`, `PVZ_BOXBERRY_*`), through its `json.php` API: the whole network from one
//! `ListPoints` answer synced in the background, the hours its free text cannot say completed from each
//! point's `PointsDescription` at a polite pace, prices from `DeliveryCosts`, parcel histories by
//! Boxberry's code or the shop's order number, and the shop's parcels registered with `ParcelCreate`.

mod api;
mod config;
pub mod points;
mod shipments;
mod tariffs;
pub mod tracking;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pvz_shared::{Carrier, OpeningHours};

use super::schedule::Week;
use super::{CompleteFuture, Completion, Connection, FetchFuture, Fetched, PointSource};
use crate::Error;
use api::Api;
pub use config::{BoxberryConfig, CONNECTOR};

const NAME: &str = "boxberry";
const TITLE: &str = "Boxberry";
/// In the proxy's own messages.
const TITLE_EN: &str = "Boxberry";

/// Points' descriptions asked for at most this often: Boxberry asks integrations to keep a polite pace.
const DESCRIPTION_PACE: Duration = Duration::from_millis(200);
/// At most this many descriptions in one sync; the rest wait for the next one (their hours stay unknown).
const DESCRIPTIONS_PER_SYNC: usize = 2_000;

/// Boxberry's network, and the hours learnt from points' descriptions.
struct Points {
    api: Arc<Api>,
    carrier: Carrier,
    interval: Duration,
    /// Each described point's week, by code, applied to every later list at once. A std mutex: held only
    /// to read or insert, never across a call.
    described: Arc<Mutex<HashMap<String, Week>>>,
}

impl Points {
    async fn fetch_all(&self) -> Result<Fetched, Error> {
        // Each record is kept as its text and read on its own, so that one of the wrong shape costs only itself.
        let records: Vec<Box<serde_json::value::RawValue>> =
            self.api.call("ListPoints", &[("prepaid", "1")]).await?.map_err(|r| r.into_error())?;
        let read = records.len();
        let described = self.described.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let fetched = points::read_all(&records, &self.carrier, &described);
        tracing::info!(records = read, kept = fetched.points.len(), skipped = ?fetched.skipped, "Boxberry points fetched");
        Ok(fetched)
    }

    /// The hours of the points `unknown` (their ids), from their descriptions, one at a time at Boxberry's
    /// polite pace; each week learnt is kept for the next syncs too.
    async fn describe(
        api: Arc<Api>,
        described: Arc<Mutex<HashMap<String, Week>>>,
        unknown: Vec<String>,
    ) -> Result<Completion, Error> {
        let mut pace = tokio::time::interval(DESCRIPTION_PACE);
        let mut completion = Completion::new();
        for id in unknown {
            pace.tick().await;
            let code = code_of(&id).to_string();
            match api.call::<points::Description>("PointsDescription", &[("code", &code)]).await? {
                Ok(description) => {
                    if let Some(week) = description.week() {
                        let hours = OpeningHours { week: week.clone(), ..OpeningHours::default() };
                        described.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(code, week);
                        completion.push((id, hours));
                    }
                }
                Err(said) => tracing::debug!(code, said = said.0, "Boxberry did not describe a point"),
            }
        }
        tracing::info!(completed = completion.len(), "Boxberry points' hours completed");
        Ok(completion)
    }
}

/// A point id's code: `boxberry:99451` is `99451`.
pub fn code_of(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, code)| code)
}

impl PointSource for Points {
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(self.fetch_all())
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn complete(&self, fetched: &Fetched) -> Option<CompleteFuture> {
        let unknown: Vec<String> = fetched
            .points
            .iter()
            .filter(|p| p.hours.is_unknown())
            .map(|p| p.id.clone())
            .take(DESCRIPTIONS_PER_SYNC)
            .collect();
        (!unknown.is_empty()).then(|| {
            Box::pin(Self::describe(Arc::clone(&self.api), Arc::clone(&self.described), unknown)) as CompleteFuture
        })
    }
}

/// Boxberry's parts over one API client: prices, tracking, shipments and the points sync.
fn connect(boxberry: &BoxberryConfig) -> Connection {
    let carrier = Carrier(NAME.into());
    let api = Arc::new(Api::new(boxberry));
    let tracker =
        Arc::new(tracking::BoxberryTracker { api: Arc::clone(&api), carrier: carrier.clone(), title: TITLE.into() });
    Connection {
        title: TITLE,
        tariffs: Arc::new(tariffs::BoxberryTariffs {
            api: Arc::clone(&api),
            carrier: carrier.clone(),
            from_point: boxberry.from_point.clone(),
        }),
        tracker: Some(Arc::clone(&tracker) as Arc<dyn super::Tracker>),
        shipper: Some(Arc::new(shipments::BoxberryShipper {
            api: Arc::clone(&api),
            tracker,
            from_point: boxberry.from_point.clone(),
        })),
        source: Some(Arc::new(Points { api, carrier, interval: boxberry.sync_interval, described: Arc::default() })),
    }
}
