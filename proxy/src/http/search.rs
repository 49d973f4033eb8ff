//! The search box's suggestions: the network's own places first, then the outside geocoder's when one is
//! configured and the local ones leave room.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use pvz_shared::SuggestResponse;
use serde::Deserialize;

use super::AppState;
use super::cache::cached_json;
use crate::Error;
use crate::network::search::MAX_QUERY_CHARS;
use crate::network::words::normalise;

/// Suggestions change only with a new sync.
const MAX_AGE: u32 = 600;
const DEFAULT_LIMIT: usize = 8;
const MAX_LIMIT: usize = 20;
/// Shorter queries match too much to be worth an outside call.
const GEOCODER_MIN_CHARS: usize = 4;

pub fn routes() -> Router<AppState> {
    Router::new().route("/suggest", get(suggest))
}

#[derive(Debug, Deserialize)]
pub(super) struct SuggestParams {
    q: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/suggest?q=&limit=`
#[utoipa::path(
    get,
    path = "/api/v1/suggest",
    operation_id = "suggest",
    summary = "The search box's suggestions",
    tag = "points",
    params(
        ("q" = String, Query, max_length = 100, description = "What the buyer typed"),
        ("limit" = Option<u8>, Query, minimum = 1, maximum = 20, description = "1 to 20, 8 by default"),
    ),
    responses(
        (status = 200, description = "Places and points matching the query, best first", body = pvz_shared::SuggestResponse),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn suggest(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<SuggestParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(params) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let query = params.q.ok_or_else(|| Error::bad_request("q", "is required: what the buyer typed"))?;
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::bad_request("q", format!("must be at most {MAX_QUERY_CHARS} characters")));
    }
    let limit = match params.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| Error::bad_request("limit", format!("must be a whole number from 1 to {MAX_LIMIT}")))?,
    };
    let mut suggestions = state.network.current().suggest(&query, limit);
    if let Some(geocoder) = &state.geocoder
        && suggestions.len() < limit
        && normalise(&query).chars().count() > GEOCODER_MIN_CHARS
    {
        suggestions.extend(geocoder.search(&query, limit - suggestions.len()).await);
    }
    cached_json(&headers, MAX_AGE, &SuggestResponse { suggestions })
}
