//! CDEK, through its API v2 (`PVZ_CDEK_*`): pickup points and postamats synced in the background, prices
//! from the tariff calculator, parcel histories from the orders API, all over one shared OAuth token.

mod api;
pub mod points;
mod tariffs;
mod tracking;

use std::sync::Arc;
use std::time::Duration;

use pvz_shared::Carrier;
use time::OffsetDateTime;

use super::sync::Snapshots;
use super::{CarrierData, CarrierPoints, PointSource, PointsFuture};
use crate::Config;
use crate::config::CdekConfig;
use api::Api;

pub const NAME: &str = "cdek";
pub const TITLE: &str = "СДЭК";

/// CDEK's points, fetched whole.
struct Points {
    api: Arc<Api>,
    carrier: Carrier,
    interval: Duration,
}

impl PointSource for Points {
    fn fetch(&self) -> PointsFuture<'_> {
        Box::pin(points::fetch_all(&self.api, &self.carrier, OffsetDateTime::now_utc().date()))
    }

    fn interval(&self) -> Duration {
        self.interval
    }
}

/// CDEK as a carrier: its last saved points to start with (none on a first start), and a sync that
/// brings fresh ones.
pub fn connect(cdek: &CdekConfig, config: &Config, snapshots: &Snapshots) -> CarrierData {
    let carrier = Carrier(NAME.into());
    let api = Arc::new(Api::new(cdek.clone()));
    let (saved, saved_at) = match snapshots.load(&carrier) {
        Some((points, at)) => {
            tracing::info!(points = points.len(), saved_at = %at, "CDEK points from the last sync");
            (points, at)
        }
        None => (Vec::new(), OffsetDateTime::UNIX_EPOCH),
    };
    CarrierData {
        points: CarrierPoints {
            name: carrier.clone(),
            title: TITLE.into(),
            points: saved,
            refreshed_at: saved_at,
            demo: false,
        },
        tariffs: Arc::new(tariffs::CdekTariffs {
            api: Arc::clone(&api),
            from_postal_code: config.shop_from_postal_code.clone(),
            choice: cdek.tariff,
        }),
        tracker: Some(Arc::new(tracking::CdekTracker {
            api: Arc::clone(&api),
            carrier: carrier.clone(),
            title: TITLE.into(),
        })),
        source: Some(Arc::new(Points { api, carrier, interval: cdek.sync_interval })),
    }
}
