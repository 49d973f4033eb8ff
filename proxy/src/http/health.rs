//! Liveness and readiness, for load balancers and process supervisors.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::AppState;

/// `GET /healthz`: answers as long as the server takes requests.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: which carriers have points to serve.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct Readiness {
    /// True when at least one carrier has points: buyers can choose.
    ready: bool,
    carriers: Vec<CarrierReadiness>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct CarrierReadiness {
    #[schema(value_type = String)]
    name: pvz_shared::Carrier,
    points: u32,
    /// When its points were loaded; absent before the first sync.
    #[schema(value_type = Option<String>, format = DateTime)]
    #[serde(skip_serializing_if = "Option::is_none", with = "time::serde::rfc3339::option")]
    refreshed_at: Option<time::OffsetDateTime>,
}

#[utoipa::path(
    get,
    path = "/readyz",
    operation_id = "readiness",
    summary = "Which carriers have data",
    tag = "operations",
    responses(
        (status = 200, description = "Ready: at least one carrier has points", body = Readiness),
        (status = 503, description = "Not ready: no carrier has points yet (a first sync still running or failing)", body = Readiness),
    )
)]
pub(super) async fn readyz(State(state): State<AppState>) -> Response {
    let carriers: Vec<CarrierReadiness> = state
        .network
        .current()
        .carriers()
        .map(|c| CarrierReadiness {
            name: c.name.clone(),
            points: c.points,
            refreshed_at: (c.points > 0).then_some(c.refreshed_at),
        })
        .collect();
    let ready = carriers.iter().any(|c| c.points > 0);
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(Readiness { ready, carriers })).into_response()
}
