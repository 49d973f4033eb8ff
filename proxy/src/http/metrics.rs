//! `GET /metrics` in Prometheus' text format, and the middleware that counts and logs every API request by
//! its route pattern, status and time.

use std::sync::Arc;

use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::metrics::Metrics;

/// `GET /metrics`
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render())
}

/// Counts every API request once it is answered, and logs it at debug level; requests no route matched
/// count as `unmatched`. The API's requests are logged here rather than by a `TraceLayer`, whose span and
/// body wrapper cost more than the rest of a cached map view.
pub async fn observe(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_string();
    let logged = tracing::enabled!(tracing::Level::DEBUG).then(|| {
        let uri = request.extensions().get::<OriginalUri>().map_or_else(|| request.uri().clone(), |o| o.0.clone());
        (request.method().clone(), uri)
    });
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let took = started.elapsed();
    metrics.request(&route, response.status().as_u16(), took);
    if let Some((method, uri)) = logged {
        tracing::debug!(%method, %uri, status = response.status().as_u16(), latency_us = took.as_micros() as u64, "answered");
    }
    response
}
