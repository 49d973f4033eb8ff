//! What stands between the internet and the proxy: a URL length cap before every request, and before every
//! API request the origin check (CORS only tells browsers what to refuse; a script that is not a browser is
//! refused here, by its `Origin`) and a rate limit per client address, where the address comes from
//! `X-Forwarded-For` only when the peer is one of the shop's trusted reverse proxies.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use crate::{Config, Error};

/// Longer URLs are refused. The widget's longest (a view with every filter) is a few hundred bytes; every
/// request the API's document allows, each parameter at its longest and every character percent-encoded,
/// fits.
pub const MAX_URI_BYTES: usize = 8192;
/// The largest request body: a batch of quotes is a few kilobytes. Bodies without a length are cut at this
/// size by the router's body limit.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Clients not seen for a while are forgotten every this many requests, so the limiter's memory stays small.
const FORGET_EVERY: u64 = 10_000;

/// Which pages may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins {
    /// Any page (the demo with no `PVZ_ALLOWED_ORIGINS`).
    Any,
    /// These origins and the proxy's own.
    Only(Vec<String>),
}

impl Origins {
    /// The policy the configuration asks for, said in the log at start.
    pub fn from_config(config: &Config) -> Self {
        match (&config.allowed_origins, config.has_real_carriers()) {
            (Some(list), _) => {
                tracing::info!(origins = ?list, "API calls allowed from these origins and the proxy's own");
                Self::Only(list.clone())
            }
            (None, false) => {
                tracing::warn!("demo carriers only and no PVZ_ALLOWED_ORIGINS: API calls allowed from any origin");
                Self::Any
            }
            (None, true) => {
                tracing::warn!("no PVZ_ALLOWED_ORIGINS: API calls allowed from the proxy's own pages only");
                Self::Only(Vec::new())
            }
        }
    }

    /// The origins for CORS answers; `None` for any.
    pub fn cors_list(&self) -> Option<Vec<HeaderValue>> {
        match self {
            Self::Any => None,
            Self::Only(list) => Some(list.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect()),
        }
    }

    /// Whether a request with these headers may go on: no `Origin` (a shop's backend, a same-origin GET),
    /// an allowed one, or the proxy's own (the origin's host is the request's `Host`).
    fn allows(&self, headers: &HeaderMap) -> Result<(), Error> {
        let Some(origin) = headers.get(ORIGIN) else { return Ok(()) };
        let origin = origin.to_str().unwrap_or_default();
        let own = headers.get(HOST).and_then(|h| h.to_str().ok()).is_some_and(|host| {
            origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")) == Some(host)
        });
        match self {
            Self::Any => Ok(()),
            Self::Only(_) if own => Ok(()),
            Self::Only(list) if list.iter().any(|o| o == origin) => Ok(()),
            Self::Only(_) => Err(Error::ForbiddenOrigin(format!(
                "pages of {origin} may not use this proxy: add the origin to PVZ_ALLOWED_ORIGINS"
            ))),
        }
    }
}

pub struct Guard {
    origins: Origins,
    refused: Refusals,
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    trusted: Vec<IpNet>,
    requests: AtomicU64,
}

impl Guard {
    pub fn new(config: &Config, origins: Origins) -> Self {
        let per_second = NonZeroU32::new(config.rate_limit_per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.rate_limit_burst).unwrap_or(NonZeroU32::MIN);
        Self {
            origins,
            refused: Refusals::new(),
            limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
            trusted: config.trusted_proxies.clone(),
            requests: AtomicU64::new(0),
        }
    }

    fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        client_ip(&self.trusted, peer, headers)
    }

    fn admit(&self, peer: IpAddr, headers: &HeaderMap) -> Result<(), Error> {
        if let Err(refusal) = self.origins.allows(headers) {
            let origin = headers.get(ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("?");
            if self.refused.first_in_a_minute(origin) {
                tracing::warn!(%origin, "API call from a page whose origin is not allowed: add it to PVZ_ALLOWED_ORIGINS if it is the shop's (logged once a minute)");
            }
            return Err(refusal);
        }
        if self.requests.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&self.client(peer, headers)).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Error::TooManyRequests(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
        })
    }
}

/// Origins refused within the last minute, so that each is logged once a minute at most however many of its
/// pages' requests arrive together.
struct Refusals(moka::sync::Cache<String, ()>);

impl Refusals {
    fn new() -> Self {
        Self(moka::sync::Cache::builder().max_capacity(10_000).time_to_live(std::time::Duration::from_secs(60)).build())
    }

    /// Whether `origin` was not refused within the last minute. Requests racing in the same instant get one
    /// `true`: `or_insert_with` runs one initialiser per key and makes the others wait for it.
    fn first_in_a_minute(&self, origin: &str) -> bool {
        self.0.entry_by_ref(origin).or_insert_with(|| ()).is_fresh()
    }
}

/// The client's address: the peer's, or, when the peer is one of the `trusted` proxies, the nearest address
/// in `X-Forwarded-For` that is not one of them.
pub fn client_ip(trusted: &[ipnet::IpNet], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    if !trusted.iter().any(|net| net.contains(&peer)) {
        return peer;
    }
    let forwarded =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    forwarded
        .rsplit(',')
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.iter().any(|net| net.contains(ip)))
        .unwrap_or(peer)
}

/// The middleware in front of everything the proxy serves, pages and files included: a URL longer than any
/// it needs is refused before a router or a file system sees it (a path past the file system's limit would
/// otherwise be a 500).
pub async fn limit_uri(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if uri.path().len() + uri.query().map_or(0, |q| q.len() + 1) > MAX_URI_BYTES {
        return Error::UriTooLong(MAX_URI_BYTES).into_response();
    }
    next.run(request).await
}

/// A body announced larger than any the API takes is refused before it is read, in JSON (the router's body
/// limit cuts the bodies that announce no length).
pub fn body_fits(headers: &HeaderMap) -> Result<(), Error> {
    let length = headers.get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    match length {
        Some(n) if n > MAX_BODY_BYTES => Err(Error::PayloadTooLarge(MAX_BODY_BYTES)),
        _ => Ok(()),
    }
}

/// The middleware: every API request passes [`Guard::admit`].
pub async fn guard(
    State(guard): State<std::sync::Arc<Guard>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if let Err(too_large) = body_fits(request.headers()) {
        return too_large.into_response();
    }
    match guard.admit(peer.ip(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refusal @ Error::ForbiddenOrigin(_)) => {
            // The page may read why it is refused (the message says what to configure): with no CORS
            // header it would see only a network error. Nothing but the refusal is shown to it.
            let origin = request.headers().get(ORIGIN).cloned();
            let mut response = refusal.into_response();
            if let Some(origin) = origin {
                response.headers_mut().insert(axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                response.headers_mut().append(axum::http::header::VARY, HeaderValue::from_static("origin"));
            }
            response
        }
        Err(refusal) => refusal.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::Refusals;

    #[test]
    fn an_origin_refused_by_racing_requests_is_logged_once() {
        for _ in 0..50 {
            let refusals = Refusals::new();
            let start = std::sync::Barrier::new(8);
            let firsts = std::thread::scope(|scope| {
                let racers: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            refusals.first_in_a_minute("https://shop.example")
                        })
                    })
                    .collect();
                racers.into_iter().map(|racer| racer.join().unwrap()).filter(|&first| first).count()
            });
            assert_eq!(firsts, 1);
            assert!(refusals.first_in_a_minute("https://other.example"));
            assert!(!refusals.first_in_a_minute("https://shop.example"));
        }
    }
}
