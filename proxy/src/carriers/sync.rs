//! Keeping a real carrier's points fresh: a background task fetches them whole at start and then every
//! interval (and, when the list lacks what only each point's own record says, completes it point by point
//! afterwards), saves each good list to disk with what it left out, and puts it in service. While a fetch
//! runs, or after it fails, the last good list keeps serving; at the next start the saved list serves at
//! once, even when the carrier is down. Shared by every carrier that syncs its points.

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

/// After a failed fetch, the next try comes this soon (or at the interval, if that is sooner).
const RETRY: Duration = Duration::from_secs(300);

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

    /// Saves `fetched` whole or not at all.
    pub fn save(&self, carrier: &Carrier, fetched: &Fetched, saved_at: OffsetDateTime) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct SnapshotRef<'a> {
            #[serde(with = "time::serde::rfc3339")]
            saved_at: OffsetDateTime,
            #[serde(flatten)]
            fetched: &'a Fetched,
        }
        let bytes = serde_json::to_vec(&SnapshotRef { saved_at, fetched }).map_err(std::io::Error::other)?;
        replace_file(&self.path(carrier), &bytes)
    }
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

/// The background sync of one carrier; dropping it stops the task.
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
}

impl Sink {
    /// Saves `fetched`, counts it and serves it in place of the carrier's points.
    async fn serve(&self, carrier: &CarrierPoints, fetched: Fetched) {
        let now = OffsetDateTime::now_utc();
        self.metrics.network(&carrier.name.0, &fetched.points, &fetched.skipped);
        tracing::info!(
            carrier = %carrier.name.0,
            points = fetched.points.len(),
            hours_unknown = fetched.hours_unknown(),
            skipped = ?fetched.skipped,
            "points synced"
        );
        let (saver, name) = (self.snapshots.clone(), carrier.name.clone());
        let saved = tokio::task::spawn_blocking(move || {
            if let Err(err) = saver.save(&name, &fetched, now) {
                tracing::error!(carrier = %name.0, error = %err, "could not save the points snapshot");
            }
            fetched.points
        })
        .await;
        if let Ok(points) = saved {
            let fresh = CarrierPoints { points, refreshed_at: now, ..carrier.clone_meta() };
            let live = Arc::clone(&self.live);
            let _ = tokio::task::spawn_blocking(move || live.replace(fresh)).await;
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

/// Starts syncing `carrier` (its name and title) from `source` into `sink`.
pub fn spawn(carrier: CarrierPoints, source: Arc<dyn PointSource>, sink: Sink) -> SyncTask {
    SyncTask(tokio::spawn(async move {
        loop {
            let started = tokio::time::Instant::now();
            let wait = match sink.metrics.timed(&carrier.name.0, "points", source.fetch()).await {
                Ok(fetched) if fetched.points.is_empty() => {
                    tracing::warn!(carrier = %carrier.name.0, "the carrier listed no points; keeping the old ones");
                    RETRY.min(source.interval())
                }
                Ok(fetched) => {
                    let completing = source.complete(&fetched);
                    let skipped = fetched.skipped.clone();
                    sink.serve(&carrier, fetched).await;
                    tracing::info!(
                        carrier = %carrier.name.0,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "points in service"
                    );
                    if let Some(completing) = completing {
                        match sink.metrics.timed(&carrier.name.0, "point_details", completing).await {
                            Ok(completion) => {
                                let points = sink.live.current().points_of(&carrier.name);
                                sink.serve(&carrier, Fetched { points: apply(points, completion), skipped }).await;
                            }
                            Err(err) => {
                                tracing::warn!(carrier = %carrier.name.0, error = %err, "point details not fetched; the list serves as it is")
                            }
                        }
                    }
                    source.interval()
                }
                Err(err) => {
                    tracing::warn!(carrier = %carrier.name.0, error = %err, "points sync failed; the last good points keep serving");
                    RETRY.min(source.interval())
                }
            };
            // Counted from the start of this sync: one sync per interval, never two at once.
            tokio::time::sleep_until(started + wait).await;
        }
    }))
}
