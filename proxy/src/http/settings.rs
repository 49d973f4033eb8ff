//! The parts of the proxy's configuration that the widget needs: the map's tiles, and what the track numbers
//! of the carriers it tracks look like.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use pvz_shared::WidgetSettings;

use super::AppState;
use super::cache::cached_json;
use crate::Error;

/// Settings change only with a restart; browsers may keep them a few minutes.
const MAX_AGE: u32 = 300;

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(settings))
}

/// The map's tiles and attribution, and the carriers' track-number forms.
#[utoipa::path(
    get,
    path = "/api/v1/settings",
    operation_id = "settings",
    summary = "The widget's settings",
    tag = "widget",
    responses((status = 200, description = "What the widget needs before it draws the map", body = pvz_shared::WidgetSettings))
)]
pub(super) async fn settings(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Error> {
    let settings = WidgetSettings {
        tile_url: state.config.tile_url.clone(),
        tile_attribution: state.config.tile_attribution.clone(),
        track_numbers: state.tracking.number_forms(),
    };
    cached_json(&headers, MAX_AGE, &settings)
}
