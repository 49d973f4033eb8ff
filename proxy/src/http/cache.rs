//! JSON answers that browsers and CDNs may keep: `Cache-Control`, and an `ETag` from the body so that a
//! repeated request is answered `304 Not Modified` without the body. A body can be made once and answered
//! many times (the map views keep theirs for a minute).

use std::hash::{Hash, Hasher};

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;

/// A JSON body with its ETag, ready to be answered any number of times.
#[derive(Debug, Clone)]
pub struct JsonBody {
    etag: HeaderValue,
    body: Bytes,
}

impl JsonBody {
    pub fn new(value: &impl Serialize) -> Result<Self, Error> {
        let body = serde_json::to_vec(value).map_err(|e| Error::Internal(format!("serialising a response: {e}")))?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(Self { etag, body: Bytes::from(body) })
    }

    /// The body with `Cache-Control: public, max-age={max_age}` and its ETag; `304` when the request's
    /// `If-None-Match` already names it.
    pub fn respond(&self, request: &HeaderMap, max_age: u32) -> Response {
        let cache_control = HeaderValue::from_str(&format!("public, max-age={max_age}"))
            .unwrap_or(HeaderValue::from_static("no-cache"));
        let headers = [(header::ETAG, self.etag.clone()), (header::CACHE_CONTROL, cache_control)];
        let etag = self.etag.to_str().unwrap_or_default();
        let matches = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|tag| tag.trim().trim_start_matches("W/") == etag));
        if matches {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        (headers, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], self.body.clone())
            .into_response()
    }
}

/// `value` as JSON answered by [`JsonBody::respond`].
pub fn cached_json(request: &HeaderMap, max_age: u32, value: &impl Serialize) -> Result<Response, Error> {
    Ok(JsonBody::new(value)?.respond(request, max_age))
}

/// Plain JSON that must not be kept (it changes with the proxy's state).
pub fn fresh_json(value: impl Serialize) -> Response {
    ([(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))], Json(value)).into_response()
}
