//! Keeping a real carrier's points fresh: a background task fetches them whole at start and then every
//! interval (and, when the list lacks what only each point's own record says, completes it point by point
//! afterwards), saves each good list to disk with what it left out, and puts it in service. While a fetch
//! runs, or after it fails, the last good list keeps serving; at the next start the saved list serves at
//! once, even when the carrier is down. Shared by every carrier that syncs its points.
//!
//! Proxies sharing a database sync each carrier once between them: the holder of the carrier's lease
//! fetches when the fleet's last list is an interval old and saves it in the database; every proxy serves
//! the list saved there within a tick of its saving, a new one at once. When the holder stops, another takes
//! the lease over once it runs out.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pvz_shared::Carrier;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Completion, Fetched, PointSource};
use crate::metrics::Metrics;
use crate::network::CarrierPoints;
use crate::network::live::LiveNetwork;
use crate::store::Store;

/// After a failed fetch, the next try comes this soon (or at the interval, if that is sooner).
const RETRY: Duration = Duration::from_secs(300);
/// On a shared database: how often each proxy looks for a new list there, and the lease holder renews it.
const TICK: Duration = Duration::from_secs(2);
/// How long a sync's lease lasts unrenewed: the time another proxy waits before it takes over.
const LEASE: Duration = Duration::from_secs(15);

/// A carrier's last good list on disk.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    #[serde(with = "time::serde::rfc3339")]
    saved_at: OffsetDateTime,
    #[serde(flatten)]
    fetched: Fetched,
}

/// Where the snapshots live (`PVZ_DATA_DIR`), one JSON file per carrier.
#[derive(Debug, Clone)]
pub struct Snapshots {
    dir: PathBuf,
}

impl Snapshots {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The directory, for a carrier's other small state files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, carrier: &Carrier) -> PathBuf {
        self.dir.join(format!("{}.points.json", carrier.0))
    }

    /// The carrier's saved points and when they were fetched; `None` when there are none or they cannot be
    /// read (which is logged).
    pub fn load(&self, carrier: &Carrier) -> Option<(Fetched, OffsetDateTime)> {
        let path = self.path(carrier);
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice::<Snapshot>(&bytes) {
            Ok(snapshot) => Some((snapshot.fetched, snapshot.saved_at)),
            Err(err) => {
                tracing::warn!(path = %path.display(), error = %err, "unreadable snapshot; waiting for a sync");
                None
            }
        }
    }

    /// Saves `bytes` (a [`snapshot`]) whole or not at all.
    pub fn save(&self, carrier: &Carrier, bytes: &[u8]) -> std::io::Result<()> {
        if bytes.is_empty() {
            return Err(std::io::Error::other("an empty snapshot"));
        }
        replace_file(&self.path(carrier), bytes)
    }
}

/// `fetched` and when, as a snapshot's JSON.
fn snapshot(fetched: &Fetched, saved_at: OffsetDateTime) -> Vec<u8> {
    #[derive(Serialize)]
    struct SnapshotRef<'a> {
        #[serde(with = "time::serde::rfc3339")]
        saved_at: OffsetDateTime,
        #[serde(flatten)]
        fetched: &'a Fetched,
    }
    // Points and counts only: nothing in them that JSON cannot write.
    serde_json::to_vec(&SnapshotRef { saved_at, fetched }).unwrap_or_default()
}

/// Writes `bytes` to `path` whole or not at all: written aside and synced, then renamed over the old file.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}

/// The background sync of one carrier (or the renewal of its lease); dropping it stops the task.
pub struct SyncTask(tokio::task::JoinHandle<()>);

impl Drop for SyncTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What a sync works with: where the points go, where they are saved, where they are counted.
#[derive(Clone)]
pub struct Sink {
    pub snapshots: Snapshots,
    pub live: Arc<LiveNetwork>,
    pub metrics: Arc<Metrics>,
    /// The proxy's database: where a shared one keeps the lists for the other proxies.
    pub store: Store,
}

impl Sink {
    /// Saves `fetched`, counts it and serves it in place of the carrier's points; when fetched: `now`.
    async fn serve(&self, carrier: &CarrierPoints, fetched: Fetched) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        tracing::info!(
            carrier = %carrier.name.0,
            points = fetched.points.len(),
            hours_unknown = fetched.hours_unknown(),
            skipped = ?fetched.skipped,
            "points synced"
        );
        let (saver, name) = (self.snapshots.clone(), carrier.name.clone());
        let saved = tokio::task::spawn_blocking(move || {
            let bytes = snapshot(&fetched, now);
            if let Err(err) = saver.save(&name, &bytes) {
                tracing::error!(carrier = %name.0, error = %err, "could not save the points snapshot");
            }
            (fetched, bytes)
        })
        .await;
        let Ok((fetched, bytes)) = saved else { return carrier.refreshed_at };
        if self.store.is_shared() {
            let body = String::from_utf8_lossy(&bytes);
            if let Err(err) = self.store.save_snapshot(&carrier.name.0, now, &body).await {
                tracing::error!(carrier = %carrier.name.0, error = %err, "could not share the points snapshot");
            }
        }
        self.put_in_service(carrier, fetched, now).await;
        now
    }

    /// Counts `fetched` and serves it in place of the carrier's points.
    async fn put_in_service(&self, carrier: &CarrierPoints, fetched: Fetched, refreshed_at: OffsetDateTime) {
        self.metrics.network(&carrier.name.0, &fetched.points, &fetched.skipped);
        let fresh = CarrierPoints { points: fetched.points, refreshed_at, ..carrier.clone_meta() };
        let live = Arc::clone(&self.live);
        let _ = tokio::task::spawn_blocking(move || live.replace(fresh)).await;
    }

    /// The list another proxy saved in the shared database, if it is newer than `serving`: served, and
    /// when it was fetched.
    async fn follow(&self, carrier: &CarrierPoints, serving: OffsetDateTime) -> Result<OffsetDateTime, crate::Error> {
        let name = &carrier.name.0;
        match self.store.snapshot_at(name).await? {
            Some(at) if at > serving => {}
            _ => return Ok(serving),
        }
        let Some(body) = self.store.snapshot(name).await? else { return Ok(serving) };
        let read = tokio::task::spawn_blocking(move || serde_json::from_str::<Snapshot>(&body)).await;
        match read {
            Ok(Ok(shared)) => {
                tracing::info!(carrier = %name, points = shared.fetched.points.len(), "points from the shared database");
                self.put_in_service(carrier, shared.fetched, shared.saved_at).await;
                Ok(shared.saved_at)
            }
            _ => Err(crate::Error::Internal(format!("{name}: the shared snapshot is unreadable"))),
        }
    }
}

/// `points` with the hours of `completion` in place of theirs.
fn apply(mut points: Vec<pvz_shared::Point>, completion: Completion) -> Vec<pvz_shared::Point> {
    let by_id: std::collections::HashMap<String, pvz_shared::OpeningHours> = completion.into_iter().collect();
    for point in &mut points {
        if let Some(hours) = by_id.get(&point.id) {
            point.hours.clone_from(hours);
        }
    }
    points
}

/// Fetches the carrier's points (and completes them) and serves them; when they were fetched, or `None`
/// when the fetch failed (the last good points keep serving).
async fn sync(carrier: &CarrierPoints, source: &dyn PointSource, sink: &Sink) -> Option<OffsetDateTime> {
    let started = tokio::time::Instant::now();
    match sink.metrics.timed(&carrier.name.0, "points", source.fetch()).await {
        Ok(fetched) if fetched.points.is_empty() => {
            tracing::warn!(carrier = %carrier.name.0, "the carrier listed no points; keeping the old ones");
            None
        }
        Ok(fetched) => {
            let completing = source.complete(&fetched);
            let skipped = fetched.skipped.clone();
            let mut at = sink.serve(carrier, fetched).await;
            tracing::info!(carrier = %carrier.name.0, elapsed_ms = started.elapsed().as_millis() as u64, "points in service");
            if let Some(completing) = completing {
                match sink.metrics.timed(&carrier.name.0, "point_details", completing).await {
                    Ok(completion) => {
                        let points = sink.live.current().points_of(&carrier.name);
                        at = sink.serve(carrier, Fetched { points: apply(points, completion), skipped }).await;
                    }
                    Err(err) => {
                        tracing::warn!(carrier = %carrier.name.0, error = %err, "point details not fetched; the list serves as it is")
                    }
                }
            }
            Some(at)
        }
        Err(err) => {
            tracing::warn!(carrier = %carrier.name.0, error = %err, "points sync failed; the last good points keep serving");
            None
        }
    }
}

/// Starts syncing `carrier` (its name and title) from `source` into `sink`.
pub fn spawn(carrier: CarrierPoints, source: Arc<dyn PointSource>, sink: Sink) -> SyncTask {
    SyncTask(tokio::spawn(async move {
        if sink.store.is_shared() {
            with_the_fleet(carrier, source, sink).await;
        } else {
            alone(carrier, source, sink).await;
        }
    }))
}

/// One proxy: a sync at start, then one every interval, counted from the start of the last.
async fn alone(carrier: CarrierPoints, source: Arc<dyn PointSource>, sink: Sink) {
    loop {
        let started = tokio::time::Instant::now();
        let wait = match sync(&carrier, source.as_ref(), &sink).await {
            Some(_) => source.interval(),
            None => RETRY.min(source.interval()),
        };
        tokio::time::sleep_until(started + wait).await;
    }
}

/// Proxies on a shared database: every tick, the newest list saved there is served; the lease's holder
/// syncs when that list is an interval old, renewing its lease while the sync runs.
async fn with_the_fleet(carrier: CarrierPoints, source: Arc<dyn PointSource>, sink: Sink) {
    let holder = format!("{:016x}", fastrand::u64(..));
    let lease = format!("sync:{}", carrier.name.0);
    let mut serving = carrier.refreshed_at;
    // After a failed sync, the holder waits until then.
    let mut retry_at: Option<tokio::time::Instant> = None;
    loop {
        match sink.follow(&carrier, serving).await {
            Ok(at) => serving = at,
            Err(err) => tracing::warn!(carrier = %carrier.name.0, error = %err, "the shared points were not read"),
        }
        let holds = sink.store.lease(&lease, &holder, LEASE).await.unwrap_or_else(|err| {
            tracing::warn!(carrier = %carrier.name.0, error = %err, "the sync's lease was not taken");
            false
        });
        let interval = time::Duration::try_from(source.interval()).unwrap_or(time::Duration::DAY);
        let until_due = serving + interval - OffsetDateTime::now_utc();
        let due = until_due <= time::Duration::ZERO && retry_at.is_none_or(|at| tokio::time::Instant::now() >= at);
        if holds && due {
            // Stopped with the sync, or with this task when the proxy stops in the middle of it.
            let _renewing = {
                let (store, lease, holder) = (sink.store.clone(), lease.clone(), holder.clone());
                SyncTask(tokio::spawn(async move {
                    loop {
                        tokio::time::sleep(TICK).await;
                        let _ = store.lease(&lease, &holder, LEASE).await;
                    }
                }))
            };
            match sync(&carrier, source.as_ref(), &sink).await {
                Some(at) => (serving, retry_at) = (at, None),
                None => retry_at = Some(tokio::time::Instant::now() + RETRY.min(source.interval())),
            }
        }
        // The holder wakes when the list falls due, if that is sooner than the next look.
        let wake = match (holds, Duration::try_from(until_due)) {
            (true, Ok(until_due)) if !until_due.is_zero() => TICK.min(until_due),
            _ => TICK,
        };
        tokio::time::sleep(wake).await;
    }
}
