//! The HTTP surface: one module per resource, put together here with the layers every response shares.

mod assets;
mod cache;
mod carriers;
mod cities;
mod demo_shop;
pub mod desk;
mod door;
#[cfg(feature = "embed")]
mod embedded;
pub mod guard;
mod health;
mod hooks;
mod metrics;
mod openapi;
mod parcel;
mod points;
mod quotes;
mod search;
mod settings;
mod shipments;
mod tracking;

use std::sync::Arc;

use axum::Router;
use axum::routing::{any, get};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};

use axum::http::{Method, StatusCode};
use axum::middleware;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::geocoder::Geocoder;
use crate::metrics::Metrics;
use crate::network::live::LiveNetwork;
use crate::quotes::QuoteService;
use crate::shipments::Shipments;
use crate::tracking::TrackingService;
use crate::{Config, Error};

/// What every handler may read. Every request takes a copy of it, so it is one shared reference.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The services behind [`AppState`].
pub struct Services {
    pub config: Arc<Config>,
    /// The network being served; a sync may replace it between requests.
    pub network: Arc<LiveNetwork>,
    pub quotes: Arc<QuoteService>,
    pub shipments: Arc<Shipments>,
    /// The secret segment of the carriers' notification address (`/hooks/{carrier}/{secret}`).
    pub hooks_secret: String,
    pub tracking: Arc<TrackingService>,
    /// The carriers' own address books, for couriers to the door.
    pub addresses: door::AddressBooks,
    /// The outside geocoder for the search box, when one is configured.
    pub geocoder: Option<Arc<Geocoder>>,
    pub metrics: Arc<Metrics>,
    /// Map views answered in the last minute, by network, minute and query string.
    pub views: ViewCache,
}

/// See [`Services::views`].
pub type ViewCache = moka::sync::Cache<(u64, i64, String), cache::JsonBody>;

/// The bytes of views kept, both forms of each with its key: a few thousand distinct map positions (a busy
/// minute) at a few kilobytes each fit, and a burst of odd boxes cannot grow the proxy past it.
const VIEW_CACHE_BYTES: u64 = 64 * 1024 * 1024;

pub fn view_cache() -> ViewCache {
    moka::sync::Cache::builder()
        .max_capacity(VIEW_CACHE_BYTES)
        .weigher(|key: &(u64, i64, String), body: &cache::JsonBody| {
            u32::try_from(key.2.len() + body.bytes()).unwrap_or(u32::MAX)
        })
        .time_to_live(Duration::from_secs(60))
        .build()
}

/// Smaller answers (a quote, a carrier list, an error) go as they are: gzip would save a few dozen bytes of
/// what fits one packet anyway, and double the time the answer takes.
const COMPRESS_ABOVE_BYTES: u64 = 1024;

/// The longest any API request may take: past every carrier's own timeout.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn api_not_found() -> Error {
    Error::NotFound("no such API endpoint".into())
}

pub use hooks::secret as hooks_secret;

pub fn router(state: AppState) -> Router {
    let origins = guard::Origins::from_config(&state.config);
    let api_cors = CorsLayer::new()
        .allow_origin(origins.cors_list().map_or_else(|| AllowOrigin::from(Any), AllowOrigin::list))
        .allow_methods(Any)
        .allow_headers([axum::http::header::CONTENT_TYPE]);
    let guard = Arc::new(guard::Guard::new(&state.config, origins));
    let api = Router::new()
        .merge(points::routes())
        .merge(quotes::routes())
        .merge(carriers::routes())
        .merge(cities::routes())
        .merge(door::routes())
        .merge(search::routes())
        .merge(settings::routes())
        .merge(tracking::routes())
        .merge(openapi::routes())
        .fallback(api_not_found)
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        // Innermost: bodies without a length are cut here; the guard refuses announced ones first, in JSON.
        .layer(RequestBodyLimitLayer::new(guard::MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(guard, guard::guard))
        .layer(TimeoutLayer::with_status_code(StatusCode::GATEWAY_TIMEOUT, REQUEST_TIMEOUT))
        .layer(middleware::from_fn_with_state(Arc::clone(&state.metrics), metrics::observe))
        // The widget runs on the shops' pages: its API calls are cross-origin, answered for the allowed origins.
        .layer(api_cors);
    // The shop's backend: its own key instead of origins and a rate limit, and no CORS.
    let keys = Arc::new(shipments::Keys(state.config.shop_api_keys.clone()));
    let shop_api = shipments::routes()
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(RequestBodyLimitLayer::new(guard::MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(keys, shipments::authorise))
        .layer(TimeoutLayer::with_status_code(StatusCode::GATEWAY_TIMEOUT, REQUEST_TIMEOUT))
        .layer(middleware::from_fn_with_state(Arc::clone(&state.metrics), metrics::observe));
    let api = api.merge(shop_api);
    // The widget's files are public and loaded cross-origin by every shop page that embeds it.
    let public_cors = CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD]);
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .merge(assets::routes(&state.config))
        .merge(demo_shop::routes(state.config.demo && !state.config.has_real_carriers()))
        .merge(hooks::routes().layer(RequestBodyLimitLayer::new(guard::MAX_BODY_BYTES)))
        .layer(public_cors)
        // The desk's pages are the owner's, under their session: no other origin may read them.
        .merge(desk::routes(Arc::new(desk::Desk::new(&state.config))))
        // Every other address under /api (the nested API's own root, other versions) answers in JSON too.
        .route("/api/v1/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        // Everything but the API is logged here; the API's requests are logged where they are counted.
        .layer(TraceLayer::new_for_http())
        .nest("/api/v1", api)
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_ABOVE_BYTES))))
        .layer(middleware::from_fn(guard::limit_uri))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_cache_holds_to_its_bytes_whatever_the_number_of_views() {
        let views = view_cache();
        let body = cache::JsonBody::new(&"x".repeat(4000)).unwrap();
        // Twice the budget in views of 4 kB.
        for n in 0..2 * VIEW_CACHE_BYTES / 4000 {
            views.insert((1, 0, format!("bbox={n}")), body.clone());
        }
        views.run_pending_tasks();
        assert!(views.weighted_size() <= VIEW_CACHE_BYTES, "{} bytes kept", views.weighted_size());
        assert!(views.weighted_size() > VIEW_CACHE_BYTES / 2, "the budget is used: {}", views.weighted_size());
    }
}
