//! `GET /api/v1/openapi.json`: the API's OpenAPI document, generated from the handlers' annotations and
//! the shared types, so that it cannot drift from what the proxy serves.

use std::sync::LazyLock;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::OpenApi;

use super::AppState;
use super::{carriers, cities, health, points, quotes, search, settings, tracking};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "pvz-widget proxy",
        description = "The API the pickup-point widget calls, and the shop's backend re-checks a buyer's choice with. \
                       Errors are `{\"error\": {\"code\", \"message\"}}` with a 4xx or 5xx status; the message names \
                       the parameter at fault. Money is in kopecks.",
    ),
    paths(
        points::view,
        points::one,
        cities::one,
        search::suggest,
        quotes::one,
        quotes::batch,
        carriers::list,
        settings::settings,
        tracking::one,
        health::readyz,
    ),
    tags(
        (name = "points", description = "Pickup points on the map and in the list"),
        (name = "quotes", description = "Delivery cost and time"),
        (name = "tracking", description = "Where a parcel is"),
        (name = "carriers", description = "The carriers the proxy serves"),
        (name = "widget", description = "What the widget needs from the proxy's configuration"),
        (name = "operations", description = "For load balancers and supervisors"),
    )
)]
struct ApiDoc;

/// Built once: the document never changes while the proxy runs.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}")));

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(document))
}

async fn document() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str()).into_response()
}
