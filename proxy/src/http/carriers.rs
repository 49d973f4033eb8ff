//! The carriers the proxy serves, with their point counts and the time their data was loaded.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::AppState;
use super::cache::fresh_json;

pub fn routes() -> Router<AppState> {
    Router::new().route("/carriers", get(list))
}

/// `GET /api/v1/carriers`
#[utoipa::path(
    get,
    path = "/api/v1/carriers",
    operation_id = "carriers",
    summary = "The carriers served",
    tag = "carriers",
    responses((status = 200, description = "Each carrier with its point count and when its points were loaded", body = Vec<pvz_shared::CarrierInfo>))
)]
pub(super) async fn list(State(state): State<AppState>) -> Response {
    fresh_json(state.network.current().carriers().collect::<Vec<_>>())
}
