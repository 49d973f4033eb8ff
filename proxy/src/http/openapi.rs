//! `GET /api/v1/openapi.json`: the API's OpenAPI document, generated from the handlers' annotations and
//! the shared types, so that it cannot drift from what the proxy serves.

use std::sync::LazyLock;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pvz_shared::params::patterns;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{Modify, OpenApi};

use super::AppState;
use super::{carriers, cities, door, health, points, quotes, search, settings, shipments, tracking};

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
        door::addresses,
        door::door_quotes,
        shipments::create,
        shipments::list,
        shipments::one,
        shipments::cancel,
        shipments::label,
        shipments::retry,
        shipments::courier_call,
        shipments::courier_requests,
        shipments::dispatch,
        shipments::report,
    ),
    modifiers(&Patterns, &GuardAnswers, &ShopKey),
    tags(
        (name = "points", description = "Pickup points on the map and in the list"),
        (name = "quotes", description = "Delivery cost and time"),
        (name = "door", description = "Delivery to the buyer's door: addresses and prices"),
        (name = "tracking", description = "Where a parcel is"),
        (name = "carriers", description = "The carriers the proxy serves"),
        (name = "widget", description = "What the widget needs from the proxy's configuration"),
        (name = "operations", description = "For load balancers and supervisors"),
        (name = "shipments", description = "The shop's backend: its parcels registered with their carriers and followed (a shop key, never from a browser)"),
    )
)]
struct ApiDoc;

/// The patterns of the parameters whose text the proxy reads itself, taken from the readers' own constants
/// so that the document states exactly what they take.
struct Patterns;

impl Modify for Patterns {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        const PATTERNS: &[(&str, &str, &str)] = &[
            ("/api/v1/points", "bbox", pvz_shared::geo::BBOX_PATTERN),
            ("/api/v1/points", "carriers", patterns::CARRIERS),
            ("/api/v1/points", "only_carriers", patterns::CARRIERS),
            ("/api/v1/points", "kinds", patterns::KINDS),
            ("/api/v1/points", "payment", patterns::PAYMENT),
            ("/api/v1/points", "dims", patterns::DIMS),
            ("/api/v1/points/{id}", "dims", patterns::DIMS),
            ("/api/v1/points/{id}/quote", "dims", patterns::DIMS),
            ("/api/v1/points/{id}/quote", "value", patterns::ROUBLES),
            ("/api/v1/points/{id}/quote", "cod", patterns::ROUBLES),
            ("/api/v1/tracking/{number}", "number", pvz_shared::tracking::NUMBER_PATTERN),
        ];
        for (path, name, pattern) in PATTERNS {
            let operation = openapi.paths.paths.get_mut(*path).and_then(|item| item.get.as_mut());
            let parameters = operation.and_then(|o| o.parameters.as_mut()).into_iter().flatten();
            let named = parameters.filter_map(|p| match p {
                RefOr::T(parameter) if parameter.name == *name => Some(parameter),
                _ => None,
            });
            for parameter in named {
                if let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut() {
                    schema.pattern = Some((*pattern).to_string());
                }
            }
        }
    }
}

/// What the guard in front of the API may answer instead of an operation, on every one of them.
struct GuardAnswers;

impl Modify for GuardAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
            RefOr::T(ResponseBuilder::new().description(description).content("application/json", body).build())
        };
        let answers = [
            ("403", "The page's origin may not use this proxy (`forbidden_origin`)"),
            ("414", "The URL is longer than any request the API takes (`uri_too_long`)"),
            ("429", "Too many requests from this client: try again after `Retry-After` seconds (`rate_limited`)"),
            ("504", "The answer took longer than 30 s"),
        ];
        let api = openapi.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/api/")).map(|(_, item)| item);
        for item in api {
            let post = item.post.is_some();
            let operations = [item.get.as_mut(), item.post.as_mut(), item.delete.as_mut()];
            for operation in operations.into_iter().flatten() {
                // An operation that asks for the shop's key has it instead of the origin check and the rate limit.
                let shop = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                let responses = &mut operation.responses.responses;
                for (status, description) in answers {
                    if shop && matches!(status, "403" | "429") {
                        continue;
                    }
                    responses.entry(status.into()).or_insert_with(|| error(description));
                }
                if post {
                    let too_large = error("The body is larger than any the API takes (`payload_too_large`)");
                    responses.entry("413".into()).or_insert(too_large);
                }
            }
        }
    }
}

/// The shop's key, as the shipments operations ask for it.
struct ShopKey;

impl Modify for ShopKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("One of the shop's keys (`PVZ_SHOP_API_KEYS`)"))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("shop_key", SecurityScheme::Http(scheme));
    }
}

/// Built once: the document never changes while the proxy runs.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}")));

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(document))
}

async fn document() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str()).into_response()
}
