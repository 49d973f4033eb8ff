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
struct TrackingParams {
    carrier: Option<String>,
}

/// `GET /api/v1/tracking/{number}?carrier=`
async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    params: Result<Query<TrackingParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(params) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let tracking = state.tracking.track(&number, params.carrier.as_deref()).await?;
    cached_json(&headers, MAX_AGE, &tracking)
}
