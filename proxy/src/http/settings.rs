//! The parts of the proxy's configuration that the widget needs (the map's tiles).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use pvz_shared::WidgetSettings;

use super::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(settings))
}

async fn settings(State(state): State<AppState>) -> Json<WidgetSettings> {
    Json(WidgetSettings {
        tile_url: state.config.tile_url.clone(),
        tile_attribution: state.config.tile_attribution.clone(),
    })
}
