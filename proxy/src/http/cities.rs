//! Cities the network covers, so the widget can start where the shop's `data-city` says.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use super::AppState;
use super::cache::cached_json;
use crate::Error;

/// A city's box changes only with a new sync.
const MAX_AGE: u32 = 3600;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cities/{name}", get(one))
}

/// `GET /api/v1/cities/{name}`, case-insensitive.
#[utoipa::path(
    get,
    path = "/api/v1/cities/{name}",
    operation_id = "city",
    summary = "Where a city's points are",
    tag = "points",
    params(("name" = String, Path, max_length = 100, description = "The city's name, any case", example = "Казань")),
    responses(
        (status = 200, description = "The box of the city's points, to start the map there", body = pvz_shared::CityInfo),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 404, description = "No points in such a city", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, Error> {
    if name.chars().count() > 100 {
        return Err(Error::bad_request("name", "must be at most 100 characters"));
    }
    let network = state.network.current();
    let city = network.city(&name).ok_or_else(|| Error::NotFound(format!("no pickup points in {name:?}")))?;
    cached_json(&headers, MAX_AGE, city)
}
