//! JSON answers that browsers and CDNs may keep: `Cache-Control`, and an `ETag` from the body so that a
//! repeated request is answered `304 Not Modified` without the body.

use std::hash::{Hash, Hasher};

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;

/// `value` as JSON with `Cache-Control: public, max-age={max_age}` and an ETag; `304` when the request's
/// `If-None-Match` already names this body.
pub fn cached_json(request: &HeaderMap, max_age: u32, value: &impl Serialize) -> Result<Response, Error> {
    let body = serde_json::to_vec(value).map_err(|e| Error::Internal(format!("serialising a response: {e}")))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let cache_control = format!("public, max-age={max_age}");
    let headers = [
        (header::ETAG, HeaderValue::from_str(&etag).map_err(|e| Error::Internal(e.to_string()))?),
        (header::CACHE_CONTROL, HeaderValue::from_str(&cache_control).map_err(|e| Error::Internal(e.to_string()))?),
    ];
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim().trim_start_matches("W/") == etag));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    Ok((headers, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

/// Plain JSON that must not be kept (it changes with the proxy's state).
pub fn fresh_json(value: impl Serialize) -> Response {
    ([(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))], Json(value)).into_response()
}
