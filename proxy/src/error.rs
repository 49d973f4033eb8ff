//! The proxy's one error type, and the one place where errors become HTTP responses with the JSON body of
//! the public contract.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pvz_shared::{ErrorBody, ErrorDetail};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: a query parameter or path segment that cannot be used; names it.
    #[error("{param}: {message}")]
    BadRequest { param: &'static str, message: String },
    /// 404: a track number in none of the formats of the carriers the proxy tracks (so no parcel of
    /// theirs); says which they are.
    #[error("{0}")]
    UnknownNumber(String),
    /// 404: a track number in a carrier's format that cannot be right (a wrong check digit): a typo.
    #[error("{0}")]
    NumberTypo(String),
    /// 409: the point cannot take this parcel (too heavy, or too big for every cell); names the limit.
    #[error("{0}")]
    ParcelNotAccepted(String),
    /// 401: a shop API call without a valid key.
    #[error("{0}")]
    Unauthorized(String),
    /// 409: the request contradicts what the proxy already holds (the same idempotency key with another
    /// body, a shipment the carrier will no longer cancel); says what.
    #[error("{0}")]
    Conflict(String),
    /// 422: the request is well formed, but the carrier cannot do this (a courier call from a carrier that
    /// has none); says why.
    #[error("{0}")]
    Unprocessable(String),
    /// 403: an API call from a page whose origin the proxy does not serve.
    #[error("{0}")]
    ForbiddenOrigin(String),
    /// 429: the client is asking faster than the rate limit; it may ask again after this many seconds.
    #[error("too many requests: try again in {0} s")]
    TooManyRequests(u64),
    /// 405: the address exists, but not for this method.
    #[error("this address does not take this method")]
    MethodNotAllowed,
    /// 413: a request body larger than any the API takes.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// 414: a URL longer than any the API needs.
    #[error("the URL is longer than {0} bytes")]
    UriTooLong(usize),
    /// 404: nothing at this address, or no such point.
    #[error("{0}")]
    NotFound(String),
    /// 404: the carrier knows no parcel with this number.
    #[error("{0}")]
    TrackNotFound(String),
    /// 502: a carrier failed to answer or answered with an error; the message says which and why.
    #[error("{0}")]
    Upstream(String),
    /// 503: a carrier that keeps failing is being left alone for a while; try again later.
    #[error("{0}")]
    Unavailable(String),
    /// 503: a carrier's daily quota is spent; it may be asked again after this many seconds (its new day).
    #[error("{message}")]
    QuotaSpent { message: String, retry_after: u64 },
    /// 500: a fault of the proxy itself; logged, never described to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(format!("ledger: {e}"))
    }
}

impl Error {
    pub fn bad_request(param: &'static str, message: impl std::fmt::Display) -> Self {
        Self::BadRequest { param, message: message.to_string() }
    }

    /// A carrier's error as the caches share it (behind an `Arc`) between every request that waited for it:
    /// an outage stays an outage, anything else is the carrier's failure.
    pub fn from_shared(err: &Error) -> Self {
        match err {
            Self::Unavailable(message) => Self::Unavailable(message.clone()),
            Self::Upstream(message) => Self::Upstream(message.clone()),
            // A carrier's refusal (it does not deliver there) stays a refusal.
            Self::Unprocessable(message) => Self::Unprocessable(message.clone()),
            Self::QuotaSpent { message, retry_after } => {
                Self::QuotaSpent { message: message.clone(), retry_after: *retry_after }
            }
            other => Self::Upstream(other.to_string()),
        }
    }

    /// The stable, machine-readable code of the error body.
    pub fn code(&self) -> &'static str {
        self.status_and_code().1
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::UnknownNumber(_) => (StatusCode::NOT_FOUND, "unknown_number_format"),
            Self::NumberTypo(_) => (StatusCode::NOT_FOUND, "number_typo"),
            Self::ForbiddenOrigin(_) => (StatusCode::FORBIDDEN, "forbidden_origin"),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "not_supported"),
            Self::ParcelNotAccepted(_) => (StatusCode::CONFLICT, "parcel_not_accepted"),
            Self::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::UriTooLong(_) => (StatusCode::URI_TOO_LONG, "uri_too_long"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::TrackNotFound(_) => (StatusCode::NOT_FOUND, "track_not_found"),
            Self::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream_error"),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "carrier_unavailable"),
            Self::QuotaSpent { .. } => (StatusCode::SERVICE_UNAVAILABLE, "quota_spent"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl Error {
    pub fn status(&self) -> StatusCode {
        self.status_and_code().0
    }

    /// What the client is told: the message, except for the proxy's own faults, which are logged instead.
    pub fn public_message(&self) -> String {
        match self {
            Self::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                "the server could not answer this request".to_string()
            }
            other => other.to_string(),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = self.public_message();
        let mut response =
            (status, Json(ErrorBody { error: ErrorDetail { code: code.into(), message } })).into_response();
        if let Self::TooManyRequests(seconds) | Self::QuotaSpent { retry_after: seconds, .. } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if matches!(self, Self::Unauthorized(_)) {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
