//! What every carrier connector's HTTP calls have in common: one client per service with its timeout and
//! user agent, and failures described in words that carry no URL (the URL may hold a key or a number).

use std::time::Duration;

/// An HTTP client whose every call gives up after `timeout`.
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("pvz-proxy/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Why a call got no answer, in words (reqwest's own text carries the URL).
pub fn why(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    }
}
