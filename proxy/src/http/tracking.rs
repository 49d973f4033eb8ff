//! Where a parcel is, for the widget's tracking mode and the shop's order page.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::cache::cached_json;
use crate::Error;

/// Browsers may keep an answer this long; the proxy's own cache decides how often a carrier is asked.
const MAX_AGE: u32 = 60;

pub fn routes() -> Router<AppState> {
    Router::new().route("/tracking/{number}", get(one))
}

#[derive(Debug, Deserialize)]
pub(super) struct TrackingParams {
    carrier: Option<String>,
}

/// `GET /api/v1/tracking/{number}?carrier=`
#[utoipa::path(
    get,
    path = "/api/v1/tracking/{number}",
    operation_id = "tracking",
    summary = "Where a parcel is",
    tag = "tracking",
    params(
        ("number" = String, Path, max_length = 40, description = "A track number, Latin letters and digits with any spaces and dashes, in the format of one of the carriers the proxy tracks (`GET /api/v1/settings` lists them); with `carrier`, also the shop's own order number (which may hold `_`, `/` and `.`)", example = "DE0000000103"),
        ("carrier" = Option<String>, Query, pattern = "^[a-z0-9-]{0,32}$", description = "The carrier to ask, for the shop's own order numbers; empty is none"),
    ),
    responses(
        (status = 200, description = "The parcel's state and history, newest first", body = pvz_shared::tracking::Tracking),
        (status = 400, description = "Not a track number at all (other characters, too long), refused before any carrier is asked", body = pvz_shared::ErrorBody),
        (status = 404, description = "No such parcel: `track_not_found` (the carrier has none), `unknown_number_format` (no carrier this proxy tracks writes numbers so; the message lists theirs), `number_typo` (a wrong check digit), `not_found` (no such carrier here)", body = pvz_shared::ErrorBody),
        (status = 502, description = "The carrier failed", body = pvz_shared::ErrorBody),
        (status = 503, description = "The carrier is paused, or its daily quota is spent (with `Retry-After`)", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    params: Result<Query<TrackingParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(params) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let tracking = state.tracking.track(&number, params.carrier.as_deref()).await?;
    cached_json(&headers, MAX_AGE, &tracking)
}
