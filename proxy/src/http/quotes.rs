//! Delivery cost and time: for one point (what the shop's backend re-checks before it accepts an order)
//! and for many at once (the list in view).

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use pvz_shared::params;
use pvz_shared::{QuoteFailure, QuotesRequest, QuotesResponse};
use serde::Deserialize;

use super::AppState;
use super::cache::cached_json;
use crate::Error;
use crate::quotes::QuoteService;

/// How long a browser may keep a quote, in seconds.
const MAX_AGE: u32 = 60;
/// Points per batch: more than any list shows at once.
pub const MAX_BATCH: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new().route("/points/{id}/quote", get(one)).route("/quotes", post(batch))
}

/// The parcel as query parameters.
#[derive(Debug, Deserialize)]
struct ParcelParams {
    weight: Option<String>,
    dims: Option<String>,
    value: Option<String>,
    cod: Option<String>,
}

/// `GET /api/v1/points/{id}/quote?weight=&dims=&value=&cod=`
async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    params: Result<Query<ParcelParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(p) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let parcel = params::parcel(p.weight.as_deref(), p.dims.as_deref(), p.value.as_deref(), p.cod.as_deref())?;
    let network = state.network.current();
    let point = network.get(&id).ok_or_else(|| Error::NotFound(format!("no pickup point {id:?}")))?;
    let quote = state.quotes.quote(point, &parcel, QuoteService::today()).await?;
    cached_json(&headers, MAX_AGE, &quote)
}

/// `POST /api/v1/quotes` with `{"points": [...], "parcel": {...}}`: every point's quote, or why not.
async fn batch(
    State(state): State<AppState>,
    request: Result<Json<QuotesRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<QuotesResponse>, Error> {
    let Json(request) = request.map_err(|e| Error::bad_request("body", e.body_text()))?;
    request.parcel.check()?;
    if request.points.len() > MAX_BATCH {
        return Err(Error::bad_request("points", format!("at most {MAX_BATCH} points per request")));
    }
    let today = QuoteService::today();
    let network = state.network.current();
    let asks = request.points.iter().map(|id| {
        let (state, parcel, network) = (state.clone(), &request.parcel, &network);
        async move {
            let point = network.get(id).ok_or_else(|| Error::NotFound(format!("no pickup point {id:?}")))?;
            state.quotes.quote(point, parcel, today).await
        }
    });
    let mut response = QuotesResponse { quotes: Vec::new(), failures: Vec::new() };
    for (id, answer) in request.points.iter().zip(futures_util::future::join_all(asks).await) {
        match answer {
            Ok(quote) => response.quotes.push(quote),
            Err(err) => {
                let code = match err {
                    Error::NotFound(_) => "not_found",
                    _ => "upstream_error",
                };
                response.failures.push(QuoteFailure {
                    point_id: id.clone(),
                    code: code.into(),
                    message: err.to_string(),
                });
            }
        }
    }
    Ok(Json(response))
}
