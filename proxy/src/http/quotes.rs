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
use super::points::bounded;
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
pub(super) struct ParcelParams {
    weight: Option<String>,
    dims: Option<String>,
    value: Option<String>,
    cod: Option<String>,
}

/// `GET /api/v1/points/{id}/quote?weight=&dims=&value=&cod=`
#[utoipa::path(
    get,
    path = "/api/v1/points/{id}/quote",
    operation_id = "point_quote",
    summary = "The delivery to one point: cost and time",
    tag = "quotes",
    params(
        ("id" = String, Path, max_length = 100, description = "The point's id"),
        ("weight" = Option<u32>, Query, minimum = 1, maximum = 1000000, description = "Grams (1 kg when absent)"),
        ("dims" = Option<String>, Query, max_length = 600, description = "`LxWxH` in cm, comma-separated for several boxes"),
        ("value" = Option<String>, Query, max_length = 40, description = "Declared value in roubles"),
        ("cod" = Option<String>, Query, max_length = 40, description = "Cash on delivery to collect, in roubles"),
    ),
    responses(
        (status = 200, description = "The delivery's cost and time: what the shop's backend re-checks before it accepts an order", body = pvz_shared::Quote),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 404, description = "No such point", body = pvz_shared::ErrorBody),
        (status = 409, description = "The point cannot take this parcel (`parcel_not_accepted`): the message names the limit (its heaviest parcel, its cells)", body = pvz_shared::ErrorBody),
        (status = 502, description = "The carrier failed or refused; the message says why", body = pvz_shared::ErrorBody),
        (status = 503, description = "The carrier is paused after failing again and again", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    params: Result<Query<ParcelParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(p) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let (dims, value, cod) =
        (bounded("dims", &p.dims, 600)?, bounded("value", &p.value, 40)?, bounded("cod", &p.cod, 40)?);
    let weight = super::points::number("weight", &p.weight)?;
    let parcel = params::parcel(weight.as_deref(), dims.as_deref(), value.as_deref(), cod.as_deref())?;
    let network = state.network.current();
    let point = network.get(&id).ok_or_else(|| Error::NotFound(format!("no pickup point {id:?}")))?;
    let quote = state.quotes.quote(point, &parcel, QuoteService::today()).await?;
    cached_json(&headers, MAX_AGE, &quote)
}

/// `POST /api/v1/quotes` with `{"points": [...], "parcel": {...}}`: every point's quote, or why not.
#[utoipa::path(
    post,
    path = "/api/v1/quotes",
    operation_id = "quotes",
    summary = "Many points' quotes at once",
    tag = "quotes",
    request_body(content = pvz_shared::QuotesRequest, description = "Up to 500 point ids and the parcel (money in kopecks)"),
    responses(
        (status = 200, description = "Every point's quote, and why the others have none", body = pvz_shared::QuotesResponse),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn batch(
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
                response.failures.push(QuoteFailure {
                    point_id: id.clone(),
                    code: err.code().into(),
                    message: err.to_string(),
                });
            }
        }
    }
    Ok(Json(response))
}
