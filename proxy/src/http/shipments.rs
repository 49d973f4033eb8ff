//! The shipments API, for the shop's backend alone: every call carries one of the shop's keys
//! (`Authorization: Bearer`, compared in constant time, never logged), and a call from a page (any `Origin`)
//! is refused, so a key pasted into a page's script is useless there. No CORS, no rate limit per address: the
//! backend is one client with many orders.

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION, ORIGIN, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::AppState;
use crate::Error;
use crate::config::Secret;
use crate::shipments::ledger::{Filter, millis};
use crate::shipments::model::{
    CourierCall, CourierCallRequest, CourierRecords, Dispatch, DispatchRequest, Report, ReportLine, Shipment,
    ShipmentFix, ShipmentPage, ShipmentRequest, State as ShipmentState,
};
use crate::shipments::{Created, LabelAnswer};

/// Longest idempotency key taken.
const MAX_KEY: usize = 255;
/// Shipments per page when the shop does not say, and at most.
const PAGE: u32 = 50;
const MAX_PAGE: u32 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shipments", get(list).post(create))
        .route("/shipments/{id}", get(one).delete(cancel))
        .route("/shipments/{id}/label", get(label))
        .route("/shipments/{id}/retry", post(retry))
        .route("/courier-calls", get(courier_requests).post(courier_call))
        .route("/dispatches", post(dispatch))
        .route("/reports/shipments", get(report))
}

/// `POST /api/v1/shipments/{id}/retry`
#[utoipa::path(
    post,
    path = "/api/v1/shipments/{id}/retry",
    operation_id = "retry_shipment",
    summary = "Send a rejected shipment to its carrier again, with corrections",
    description = "The recipient and the point (of the same carrier) may be corrected; what is left out stays. The shipment goes back to `pending` and is registered as a new one would be.",
    tag = "shipments",
    security(("shop_key" = [])),
    params(("id" = String, Path, max_length = 100, description = "The shipment's id")),
    request_body(content = ShipmentFix, description = "What was corrected"),
    responses(
        (status = 200, description = "Sent again: `pending` until the carrier answers", body = Shipment),
        (status = 400, description = "A field that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 404, description = "No such shipment", body = pvz_shared::ErrorBody),
        (status = 409, description = "Not rejected, or the order has another live shipment", body = pvz_shared::ErrorBody),
        (status = 413, description = "The body is larger than any the API takes (`payload_too_large`)", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn retry(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<serde_json::Map<String, serde_json::Value>>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Shipment>, Error> {
    // Read as an object first: every field may be left out, and a struct would take an array for one.
    let Json(fields) = body.map_err(|e| Error::bad_request("body", e.body_text()))?;
    let fix: ShipmentFix =
        serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| Error::bad_request("body", e))?;
    Ok(Json(state.shipments.retry(&id, fix).await?))
}

/// `GET /api/v1/shipments/{id}/label`
#[utoipa::path(
    get,
    path = "/api/v1/shipments/{id}/label",
    operation_id = "shipment_label",
    summary = "The shipment's printable label or receipt (PDF)",
    description = "Fetched from the carrier the first time (CDEK makes it in the background: the request waits up to 8 s) and kept.",
    tag = "shipments",
    security(("shop_key" = [])),
    params(("id" = String, Path, max_length = 100, description = "The shipment's id")),
    responses(
        (status = 200, description = "The label", content_type = "application/pdf", body = Vec<u8>),
        (status = 202, description = "The carrier is still making it: ask again after `Retry-After` seconds", body = LabelPreparing),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 404, description = "No such shipment", body = pvz_shared::ErrorBody),
        (status = 409, description = "The carrier has not registered the shipment (pending, rejected, cancelled)", body = pvz_shared::ErrorBody),
        (status = 422, description = "The carrier refused to make it; the message says why", body = pvz_shared::ErrorBody),
        (status = 502, description = "The carrier failed to answer", body = pvz_shared::ErrorBody),
        (status = 503, description = "The carrier is paused after failing again and again", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn label(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, Error> {
    Ok(match state.shipments.label(&id).await? {
        LabelAnswer::Pdf(pdf) => {
            let name: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let disposition = HeaderValue::from_str(&format!("inline; filename=\"{name}.pdf\""))
                .unwrap_or(HeaderValue::from_static("inline"));
            ([(CONTENT_TYPE, HeaderValue::from_static("application/pdf")), (CONTENT_DISPOSITION, disposition)], pdf)
                .into_response()
        }
        LabelAnswer::Preparing => {
            let mut response =
                (StatusCode::ACCEPTED, Json(LabelPreparing { label: "preparing".into() })).into_response();
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("2"));
            response
        }
    })
}

/// `202` from the label endpoint.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(super) struct LabelPreparing {
    /// `preparing`.
    label: String,
}

/// `POST /api/v1/courier-calls`
#[utoipa::path(
    post,
    path = "/api/v1/courier-calls",
    operation_id = "call_courier",
    summary = "Ask the carrier's courier to collect registered shipments",
    tag = "shipments",
    security(("shop_key" = [])),
    request_body(content = CourierCallRequest, description = "The day, the window and the shipments"),
    responses(
        (status = 201, description = "The carrier took the request, one a shipment", body = CourierCall),
        (status = 400, description = "A field that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 413, description = "The body is larger than any the API takes (`payload_too_large`)", body = pvz_shared::ErrorBody),
        (status = 422, description = "The carrier has no courier calls, or refused this one; the message says why", body = pvz_shared::ErrorBody),
        (status = 502, description = "The carrier failed to answer", body = pvz_shared::ErrorBody),
        (status = 503, description = "The carrier is paused after failing again and again", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn courier_call(
    State(state): State<AppState>,
    body: Result<Json<CourierCallRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<CourierCall>), Error> {
    let Json(request) = body.map_err(|e| Error::bad_request("body", e.body_text()))?;
    Ok((StatusCode::CREATED, Json(state.shipments.call_courier(request).await?)))
}

/// The most courier requests one answer lists.
const COURIER_REQUESTS: u32 = 200;

/// `GET /api/v1/courier-calls`
#[utoipa::path(
    get,
    path = "/api/v1/courier-calls",
    operation_id = "courier_requests",
    summary = "The latest courier requests the carriers took, newest first (at most 200)",
    tag = "shipments",
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "The requests, one a shipment", body = CourierRecords),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn courier_requests(State(state): State<AppState>) -> Result<Json<CourierRecords>, Error> {
    Ok(Json(CourierRecords { requests: state.shipments.courier_requests(COURIER_REQUESTS).await? }))
}

/// `POST /api/v1/dispatches`
#[utoipa::path(
    post,
    path = "/api/v1/dispatches",
    operation_id = "dispatch",
    summary = "Make the day's batch now, for a carrier that hands parcels over in batches",
    description = "Russian Post: the registered shipments still without a barcode go into a batch, which gives them their barcodes. Also made every day at `PVZ_RUSSIANPOST_BATCH_AT` when it is set.",
    tag = "shipments",
    security(("shop_key" = [])),
    request_body(content = DispatchRequest, description = "The carrier"),
    responses(
        (status = 200, description = "The batch made (none when no shipment was waiting)", body = Dispatch),
        (status = 400, description = "A field that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 409, description = "Another proxy on the same database is making this carrier's batch right now", body = pvz_shared::ErrorBody),
        (status = 413, description = "The body is larger than any the API takes (`payload_too_large`)", body = pvz_shared::ErrorBody),
        (status = 422, description = "The carrier registers no shipments here, or makes no batches", body = pvz_shared::ErrorBody),
        (status = 502, description = "The carrier failed to answer", body = pvz_shared::ErrorBody),
        (status = 503, description = "The carrier is paused after failing again and again", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn dispatch(
    State(state): State<AppState>,
    body: Result<Json<DispatchRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Dispatch>, Error> {
    let Json(request) = body.map_err(|e| Error::bad_request("body", e.body_text()))?;
    Ok(Json(state.shipments.dispatch(&request.carrier).await?))
}

#[derive(Debug, Deserialize)]
pub(super) struct ReportParams {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// The most lines one report holds: a narrower period for more.
const REPORT_LINES: u32 = 100_000;

/// Each shipment created within the period: its last status and what it cost.
pub(super) async fn report_lines(
    state: &AppState,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<ReportLine>, Error> {
    let filter = Filter {
        from_ms: from.map(|t| instant("from", t)).transpose()?,
        to_ms: to.map(|t| instant("to", t)).transpose()?,
        limit: REPORT_LINES,
        ..Filter::default()
    };
    Ok(state.shipments.list(&filter).await?.iter().map(ReportLine::of).collect())
}

/// `GET /api/v1/reports/shipments`
#[utoipa::path(
    get,
    path = "/api/v1/reports/shipments",
    operation_id = "shipments_report",
    summary = "Each shipment's last status and what it cost",
    tag = "shipments",
    security(("shop_key" = [])),
    params(
        ("from" = Option<String>, Query, format = Date, description = "Created on or after this day (UTC)"),
        ("to" = Option<String>, Query, format = Date, description = "Created before this day (UTC)"),
        ("format" = Option<String>, Query, pattern = "^(csv|json)$", description = "`csv` (the default) or `json`"),
    ),
    responses(
        (status = 200, description = "The report: CSV with a header line, or JSON", content(
            (Report = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn report(
    State(state): State<AppState>,
    params: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(p) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let csv = match p.format.as_deref() {
        None | Some("csv") => true,
        Some("json") => false,
        Some(_) => return Err(Error::bad_request("format", "is csv or json")),
    };
    let lines = report_lines(&state, p.from.as_deref(), p.to.as_deref()).await?;
    if !csv {
        return Ok(Json(Report { shipments: lines }).into_response());
    }
    let mut text = String::from(ReportLine::CSV_HEADER);
    text.push_str("\r\n");
    for line in &lines {
        text.push_str(&line.csv());
        text.push_str("\r\n");
    }
    let disposition = HeaderValue::from_static("attachment; filename=\"shipments.csv\"");
    Ok((
        [(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")), (CONTENT_DISPOSITION, disposition)],
        text,
    )
        .into_response())
}

/// The shop's keys, for [`authorise`].
pub struct Keys(pub Vec<Secret>);

/// The middleware in front of every shop API call.
pub async fn authorise(State(keys): State<Arc<Keys>>, request: Request, next: Next) -> Response {
    if request.headers().contains_key(ORIGIN) {
        return Error::ForbiddenOrigin(
            "the shipments API is for the shop's backend, never a browser: call it from the server with its key".into(),
        )
        .into_response();
    }
    if let Err(too_large) = super::guard::body_fits(request.headers()) {
        return too_large.into_response();
    }
    if keys.0.is_empty() {
        return Error::Unauthorized("the shipments API is closed: the proxy has no PVZ_SHOP_API_KEYS".into())
            .into_response();
    }
    let given =
        request.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let Some(given) = given.map(str::trim) else {
        return Error::Unauthorized("send one of the shop's keys as Authorization: Bearer <key>".into())
            .into_response();
    };
    // Every key is compared, whichever matches, so the time taken says nothing of which one nearly did.
    let matched = keys
        .0
        .iter()
        .fold(subtle::Choice::from(0), |found, key| found | key.expose().as_bytes().ct_eq(given.as_bytes()));
    if !bool::from(matched) {
        return Error::Unauthorized("this key is not one of the shop's".into()).into_response();
    }
    next.run(request).await
}

/// 201 once the carrier has confirmed the shipment, 202 while it has not; where to read it again.
fn answer(shipment: Shipment) -> Response {
    let status = if shipment.state == ShipmentState::Pending { StatusCode::ACCEPTED } else { StatusCode::CREATED };
    let location = HeaderValue::from_str(&format!("/api/v1/shipments/{}", shipment.id)).ok();
    let mut response = (status, Json(shipment)).into_response();
    if let Some(location) = location {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}

/// `POST /api/v1/shipments`
#[utoipa::path(
    post,
    path = "/api/v1/shipments",
    operation_id = "create_shipment",
    summary = "Register a parcel with its point's carrier",
    description = "Idempotent: the same request again (the same `Idempotency-Key`, or without one the same \
                   `order_number`) answers the shipment it made and never registers a second parcel. The parcel \
                   is checked against the point and priced as the buyer was shown (`cost.quoted`).",
    tag = "shipments",
    security(("shop_key" = [])),
    params(
        ("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Any printable text; the order number when absent"),
    ),
    request_body(content = ShipmentRequest, description = "The order: money in kopecks, weights in grams"),
    responses(
        (status = 201, description = "The carrier has registered it", body = Shipment),
        (status = 202, description = "Written down and sent; the carrier has not confirmed it yet (`state: pending`)", body = Shipment),
        (status = 400, description = "A field that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 403, description = "Called from a page (`Origin`): the API is for the shop's backend", body = pvz_shared::ErrorBody),
        (status = 409, description = "The key was used for another request, or the order already has a live shipment", body = pvz_shared::ErrorBody),
        (status = 413, description = "The body is larger than any the API takes (`payload_too_large`)", body = pvz_shared::ErrorBody),
        (status = 422, description = "The point's carrier does not register shipments through this proxy", body = pvz_shared::ErrorBody),
        (status = 502, description = "The carrier failed while pricing the parcel; nothing was written", body = pvz_shared::ErrorBody),
        (status = 503, description = "The carrier is paused after failing again and again; nothing was written", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<ShipmentRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Error> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = value.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= MAX_KEY);
            Some(
                key.ok_or_else(|| {
                    Error::bad_request("Idempotency-Key", format!("must be 1 to {MAX_KEY} printable characters"))
                })?
                .to_string(),
            )
        }
    };
    let Json(request) = body.map_err(|e| Error::bad_request("body", e.body_text()))?;
    let shipment = match state.shipments.create(key, request).await? {
        Created::New(shipment) | Created::Again(shipment) => shipment,
    };
    Ok(answer(shipment))
}

/// `GET /api/v1/shipments/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/shipments/{id}",
    operation_id = "shipment",
    summary = "A shipment: its state, the carrier's references and its history",
    tag = "shipments",
    security(("shop_key" = [])),
    params(("id" = String, Path, max_length = 100, description = "The shipment's id")),
    responses(
        (status = 200, description = "The shipment", body = Shipment),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 403, description = "Called from a page (`Origin`)", body = pvz_shared::ErrorBody),
        (status = 404, description = "No such shipment", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Shipment>, Error> {
    Ok(Json(state.shipments.get(&id).await?))
}

/// `DELETE /api/v1/shipments/{id}`
#[utoipa::path(
    delete,
    path = "/api/v1/shipments/{id}",
    operation_id = "cancel_shipment",
    summary = "Cancel a shipment at its carrier while the carrier allows it",
    tag = "shipments",
    security(("shop_key" = [])),
    params(("id" = String, Path, max_length = 100, description = "The shipment's id")),
    responses(
        (status = 200, description = "Cancelled (again: a cancelled shipment stays cancelled)", body = Shipment),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 403, description = "Called from a page (`Origin`)", body = pvz_shared::ErrorBody),
        (status = 404, description = "No such shipment", body = pvz_shared::ErrorBody),
        (status = 409, description = "The carrier keeps it (already on its way, delivered, refused): the message says why", body = pvz_shared::ErrorBody),
        (status = 502, description = "The carrier failed to answer; nothing changed", body = pvz_shared::ErrorBody),
        (status = 503, description = "The carrier is paused after failing again and again; nothing changed", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn cancel(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Shipment>, Error> {
    Ok(Json(state.shipments.cancel(&id).await?))
}

/// The list's parameters, as the API and the desk's filters take them.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ListParams {
    pub order_number: Option<String>,
    pub number: Option<String>,
    pub state: Option<String>,
    pub carrier: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// A time as Unix milliseconds: RFC 3339, or a date (its midnight, UTC).
fn instant(param: &'static str, text: &str) -> Result<i64, Error> {
    let at = pvz_shared::dates::parse_time(text)
        .or_else(|| pvz_shared::dates::parse_date(text).map(|d| d.midnight().assume_utc()))
        .ok_or_else(|| Error::bad_request(param, "is not a date (2026-11-30) or an RFC 3339 time"))?;
    Ok(millis(at))
}

/// `GET /api/v1/shipments`
#[utoipa::path(
    get,
    path = "/api/v1/shipments",
    operation_id = "shipments",
    summary = "Shipments, newest first, a page at a time",
    tag = "shipments",
    security(("shop_key" = [])),
    params(
        ("order_number" = Option<String>, Query, max_length = 40, description = "Only this order's"),
        ("number" = Option<String>, Query, max_length = 40, description = "Only those with this order number or track number"),
        ("state" = Option<ShipmentState>, Query, description = "Only those in this state"),
        ("carrier" = Option<String>, Query, max_length = 40, description = "Only this carrier's"),
        ("from" = Option<String>, Query, format = Date, description = "Created on or after this day (UTC); an RFC 3339 time is read too"),
        ("to" = Option<String>, Query, format = Date, description = "Created before this day (UTC); an RFC 3339 time is read too"),
        ("cursor" = Option<String>, Query, pattern = r"^-?[0-9]{1,18}\.[A-Za-z0-9_]{1,60}$", description = "`next_cursor` of the page before"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Shipments per page (50)"),
    ),
    responses(
        (status = 200, description = "A page of shipments", body = ShipmentPage),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 401, description = "No shop key, or a wrong one", body = pvz_shared::ErrorBody),
        (status = 403, description = "Called from a page (`Origin`)", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ShipmentPage>, Error> {
    let Query(p) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    Ok(Json(page(&state, p).await?))
}

/// A page of the list, newest first.
pub(super) async fn page(state: &AppState, p: ListParams) -> Result<ShipmentPage, Error> {
    let limit = match p.limit.as_deref() {
        None => PAGE,
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| Error::bad_request("limit", format!("must be 1 to {MAX_PAGE}")))?,
    };
    let before = match p.cursor.as_deref() {
        None => None,
        Some(cursor) => Some(
            cursor
                .split_once('.')
                .filter(|(at, id)| {
                    let digits = at.strip_prefix('-').unwrap_or(at);
                    (1..=18).contains(&digits.len())
                        && digits.bytes().all(|b| b.is_ascii_digit())
                        && (1..=60).contains(&id.len())
                        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
                .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.to_string())))
                .ok_or_else(|| Error::bad_request("cursor", "is not a next_cursor this API gave"))?,
        ),
    };
    for (param, value) in [("order_number", &p.order_number), ("number", &p.number), ("carrier", &p.carrier)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 40) {
            return Err(Error::bad_request(param, "is longer than 40 characters"));
        }
    }
    let filter = Filter {
        order_number: p.order_number,
        number: p.number,
        state: match p.state.as_deref() {
            None => None,
            Some(text) => Some(ShipmentState::parse(text).ok_or_else(|| {
                let states: Vec<&str> = ShipmentState::ALL.iter().map(|s| s.as_str()).collect();
                Error::bad_request("state", format!("is none of {}", states.join(", ")))
            })?),
        },
        carrier: p.carrier,
        from_ms: p.from.as_deref().map(|t| instant("from", t)).transpose()?,
        to_ms: p.to.as_deref().map(|t| instant("to", t)).transpose()?,
        before,
        limit: limit + 1,
    };
    let mut shipments = state.shipments.list(&filter).await?;
    let next_cursor = (shipments.len() > limit as usize).then(|| {
        shipments.truncate(limit as usize);
        shipments.last().map(|s| format!("{}.{}", s.created_ms, s.id))
    });
    Ok(ShipmentPage { shipments, next_cursor: next_cursor.flatten() })
}
