//! CDEK, through its API v2 (`[cdek]`, `PVZ_CDEK_*`): pickup points and postamats of the configured
//! countries synced in the background, prices from the tariff calculator, parcel histories from the orders
//! API, the shop's parcels registered as CDEK orders, all over one shared OAuth token.

mod api;
mod config;
pub mod points;
mod shipments;
mod tariffs;
pub mod tracking;

use std::sync::Arc;
use std::time::Duration;

use pvz_shared::Carrier;
use time::OffsetDateTime;

use super::{Connection, FetchFuture, PointSource};
use api::Api;
pub use config::{CONNECTOR, CdekConfig, TariffChoice};

const NAME: &str = "cdek";
const TITLE: &str = "СДЭК";

/// CDEK's points of every configured country, fetched whole.
struct Points {
    api: Arc<Api>,
    carrier: Carrier,
    countries: Vec<String>,
    interval: Duration,
}

impl PointSource for Points {
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(points::fetch_all(&self.api, &self.carrier, &self.countries, OffsetDateTime::now_utc().date()))
    }

    fn interval(&self) -> Duration {
        self.interval
    }
}

/// CDEK's parts over one API client: prices, tracking, shipments and the points sync.
fn connect(cdek: &CdekConfig, config: &crate::Config) -> Connection {
    let carrier = Carrier(NAME.into());
    let api = Arc::new(Api::new(cdek.clone()));
    Connection {
        title: TITLE,
        tariffs: Arc::new(tariffs::CdekTariffs {
            api: Arc::clone(&api),
            carrier: carrier.clone(),
            from_postal_code: config.shop_from_postal_code.clone(),
            choice: cdek.tariff,
            currency: cdek.currency,
        }),
        tracker: Some(Arc::new(tracking::CdekTracker {
            api: Arc::clone(&api),
            carrier: carrier.clone(),
            title: TITLE.into(),
        })),
        shipper: Some(Arc::new(shipments::CdekShipper {
            api: Arc::clone(&api),
            prints: Default::default(),
            shipment_point: cdek.shipment_point.clone(),
            from_postal_code: config.shop_from_postal_code.clone(),
            from_city: config.shop_from_city.clone(),
        })),
        source: Some(Arc::new(Points {
            api,
            carrier,
            countries: cdek.countries.clone(),
            interval: cdek.sync_interval,
        })),
    }
}
