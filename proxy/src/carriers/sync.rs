//! Keeping a real carrier's points fresh: a background task fetches them whole at start and then every
//! interval, saves each good list to disk and puts it in service. While a fetch runs, or after it fails,
//! the last good list keeps serving; at the next start the saved list serves at once, even when the carrier
//! is down. Shared by every carrier that syncs its points.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pvz_shared::{Carrier, Point};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{CarrierPoints, PointSource};
use crate::metrics::Metrics;
use crate::network::live::LiveNetwork;

/// After a failed fetch, the next try comes this soon (or at the interval, if that is sooner).
const RETRY: Duration = Duration::from_secs(300);

/// A carrier's last good list on disk.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    #[serde(with = "time::serde::rfc3339")]
    saved_at: OffsetDateTime,
    points: Vec<Point>,
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
    pub fn load(&self, carrier: &Carrier) -> Option<(Vec<Point>, OffsetDateTime)> {
        let path = self.path(carrier);
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice::<Snapshot>(&bytes) {
            Ok(snapshot) => Some((snapshot.points, snapshot.saved_at)),
            Err(err) => {
                tracing::warn!(path = %path.display(), error = %err, "unreadable snapshot; waiting for a sync");
                None
            }
        }
    }

    /// Saves `points` whole or not at all.
    pub fn save(&self, carrier: &Carrier, points: &[Point], saved_at: OffsetDateTime) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct SnapshotRef<'a> {
            #[serde(with = "time::serde::rfc3339")]
            saved_at: OffsetDateTime,
            points: &'a [Point],
        }
        let bytes = serde_json::to_vec(&SnapshotRef { saved_at, points }).map_err(std::io::Error::other)?;
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

/// Starts syncing `carrier` (its name and title) from `source` into `live`, saving to `snapshots`.
pub fn spawn(
    carrier: CarrierPoints,
    source: Arc<dyn PointSource>,
    snapshots: Snapshots,
    live: Arc<LiveNetwork>,
    metrics: Arc<Metrics>,
) -> SyncTask {
    SyncTask(tokio::spawn(async move {
        loop {
            let started = tokio::time::Instant::now();
            let wait = match metrics.timed(&carrier.name.0, "points", source.fetch()).await {
                Ok(points) if points.is_empty() => {
                    tracing::warn!(carrier = %carrier.name.0, "the carrier listed no points; keeping the old ones");
                    RETRY.min(source.interval())
                }
                Ok(points) => {
                    let now = OffsetDateTime::now_utc();
                    let count = points.len();
                    metrics.points(&carrier.name.0, count);
                    let (saver, name) = (snapshots.clone(), carrier.name.clone());
                    let points = tokio::task::spawn_blocking(move || {
                        if let Err(err) = saver.save(&name, &points, now) {
                            tracing::error!(carrier = %name.0, error = %err, "could not save the points snapshot");
                        }
                        points
                    })
                    .await;
                    if let Ok(points) = points {
                        let fresh = CarrierPoints { points, refreshed_at: now, ..carrier.clone_meta() };
                        let live = Arc::clone(&live);
                        let _ = tokio::task::spawn_blocking(move || live.replace(fresh)).await;
                    }
                    tracing::info!(
                        carrier = %carrier.name.0,
                        points = count,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "points synced"
                    );
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
