//! Delivery to the door: addresses suggested as the buyer types them (the carriers' own maps first, then
//! the geocoder), and every carrier's door price for the one chosen, side by side.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use pvz_shared::{AddressesResponse, Carrier, DoorQuotesRequest, DoorQuotesResponse};
use serde::Deserialize;

use super::AppState;
use super::cache::cached_json;
use crate::Error;
use crate::carriers::AddressBook;
use crate::quotes::QuoteService;

/// Addresses change only with a new version of the proxy.
const MAX_AGE: u32 = 600;
const SUGGESTIONS: usize = 10;
const MAX_QUERY_CHARS: usize = 100;
/// Shorter queries match too much to be worth an outside call.
const GEOCODER_MIN_CHARS: usize = 4;

pub fn routes() -> Router<AppState> {
    Router::new().route("/addresses", get(addresses)).route("/door-quotes", post(door_quotes))
}

/// Where the suggestions come from: the carriers' own address books.
pub type AddressBooks = Vec<Arc<dyn AddressBook>>;

#[derive(Debug, Deserialize)]
pub(super) struct AddressParams {
    q: Option<String>,
    city: Option<String>,
}

/// `GET /api/v1/addresses?q=&city=`
#[utoipa::path(
    get,
    path = "/api/v1/addresses",
    operation_id = "addresses",
    summary = "Addresses for a courier, as the buyer types one",
    description = "A street, and a house once it is typed: a suggestion without a house is marked `precise: false`, since a courier needs the house too. From the carriers' own maps (the demo networks'), then the geocoder (`PVZ_GEOCODER_URL`) when one is configured.",
    tag = "door",
    params(
        ("q" = String, Query, min_length = 1, max_length = 100, description = "What the buyer typed: a street and perhaps a house («Ленина 12»), perhaps the city first"),
        ("city" = Option<String>, Query, max_length = 100, description = "The buyer's city, when the page knows it"),
    ),
    responses(
        (status = 200, description = "Up to 10 addresses", body = AddressesResponse),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn addresses(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<AddressParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(p) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let q =
        p.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .ok_or_else(|| Error::bad_request("q", "is required"))?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::bad_request("q", format!("is longer than {MAX_QUERY_CHARS} characters")));
    }
    let city = p.city.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if city.is_some_and(|c| c.chars().count() > MAX_QUERY_CHARS) {
        return Err(Error::bad_request("city", format!("is longer than {MAX_QUERY_CHARS} characters")));
    }
    let mut suggestions = Vec::new();
    for book in state.addresses.iter() {
        suggestions.extend(book.suggest(q, city, SUGGESTIONS - suggestions.len()));
    }
    // The geocoder fills what the carriers' own maps leave, once the query says enough.
    if let Some(geocoder) = &state.geocoder
        && suggestions.len() < SUGGESTIONS
        && q.chars().count() >= GEOCODER_MIN_CHARS
    {
        suggestions.extend(geocoder.addresses(q, city, SUGGESTIONS - suggestions.len()).await);
    }
    cached_json(&headers, MAX_AGE, &AddressesResponse { suggestions })
}

/// `POST /api/v1/door-quotes`
#[utoipa::path(
    post,
    path = "/api/v1/door-quotes",
    operation_id = "door_quotes",
    summary = "Every carrier's price for bringing the parcel to the door",
    description = "Cheapest first, the cheapest and the fastest marked; a carrier that does not deliver there says why in `unavailable` instead of vanishing. Prices are cached and shared like the points' quotes.",
    tag = "door",
    request_body(content = DoorQuotesRequest, description = "An address from `/addresses` (with its house) and the parcel (money in kopecks)"),
    responses(
        (status = 200, description = "The carriers' door prices, and the carriers that cannot", body = DoorQuotesResponse),
        (status = 400, description = "A field that cannot be used (an address without a house); the message names it", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn door_quotes(
    State(state): State<AppState>,
    request: Result<Json<DoorQuotesRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<DoorQuotesResponse>, Error> {
    let Json(request) = request.map_err(|e| Error::bad_request("body", e.body_text()))?;
    request.parcel.check()?;
    let address = &request.address;
    for (field, text, max) in [
        ("address.full", &address.full, 500),
        ("address.city", &address.city, 100),
        ("address.region", &address.region, 100),
        ("address.street", &address.street, 200),
        ("address.house", &address.house, 20),
        ("address.flat", &address.flat, 20),
        ("address.postal_code", &address.postal_code, 6),
    ] {
        if text.chars().count() > max {
            return Err(Error::bad_request(field, format!("is longer than {max} characters")));
        }
    }
    if address.city.trim().is_empty() {
        return Err(Error::bad_request("address.city", "is required"));
    }
    if !address.is_precise() {
        return Err(Error::bad_request(
            "address",
            "a courier needs the street and the house: choose an address with its house",
        ));
    }
    if !address.location.is_valid() {
        return Err(Error::bad_request("address.location", "is not a place on Earth"));
    }
    if request.carriers.len() > 20 {
        return Err(Error::bad_request("carriers", "names more than 20 carriers"));
    }
    if let Some(bad) = request.carriers.iter().find(|c| !Carrier::is_valid_name(&c.0)) {
        return Err(Error::bad_request("carriers", format!("{:?} is not a carrier name", bad.0)));
    }
    let network = state.network.current();
    let names: Vec<String> = request.carriers.iter().map(|c| c.0.clone()).collect();
    let shipped = network.shipped_with(&names);
    let carriers: Vec<_> = network
        .carriers()
        .enumerate()
        .filter(|(i, _)| shipped.is_none_or(|set| set & 1 << i != 0))
        .map(|(_, c)| (c.name.clone(), c.title.clone()))
        .collect();
    Ok(Json(state.quotes.door_quotes(&carriers, address, &request.parcel, QuoteService::today()).await))
}
