//! The HTTP surface: one module per resource, put together here with the layers every response shares.

mod assets;
mod cache;
mod carriers;
mod cities;
mod health;
mod parcel;
mod points;
mod quotes;
mod search;
mod settings;
mod tracking;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::geocoder::Geocoder;
use crate::network::live::LiveNetwork;
use crate::quotes::QuoteService;
use crate::tracking::TrackingService;
use crate::{Config, Error};

/// What every handler may read.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// The network being served; a sync may replace it between requests.
    pub network: Arc<LiveNetwork>,
    pub quotes: Arc<QuoteService>,
    pub tracking: Arc<TrackingService>,
    /// The outside geocoder for the search box, when one is configured.
    pub geocoder: Option<Arc<Geocoder>>,
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(points::routes())
        .merge(quotes::routes())
        .merge(carriers::routes())
        .merge(cities::routes())
        .merge(search::routes())
        .merge(settings::routes())
        .merge(tracking::routes())
        .fallback(|| async { Error::NotFound("no such API endpoint".into()) });
    Router::new()
        .nest("/api/v1", api)
        .route("/healthz", get(health::healthz))
        .merge(assets::routes(&state.config))
        // The widget runs on the shop's pages, another origin than the proxy's: its module, wasm and API calls
        // are cross-origin requests, answered for any origin.
        .layer(CorsLayer::new().allow_origin(Any).allow_methods(Any).allow_headers([axum::http::header::CONTENT_TYPE]))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
