//! What the proxy counts, for `GET /metrics` in Prometheus' text format: API requests and their latency by
//! route, cache hits and misses, and every upstream call to a carrier with its outcome and latency. One
//! instance per server, handed to whatever counts.

use std::collections::BTreeMap;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use pvz_shared::Point;

use crate::carriers::Skip;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The route's pattern (`/api/v1/points/{id}`), never the raw path: ids would make endless series.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteOnly {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    pub cache: &'static str,
    pub result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct UpstreamLabels {
    pub carrier: String,
    /// `points`, `tariff` or `tracking`.
    pub operation: &'static str,
    /// `ok` or `error`.
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CarrierLabel {
    pub carrier: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SkipLabels {
    pub carrier: String,
    /// One of [`Skip::as_str`].
    pub reason: &'static str,
}

fn latency() -> Histogram {
    // 0.1 ms to about 13 s.
    Histogram::new(exponential_buckets(0.0001, 2.7, 13))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    request_seconds: Family<RouteOnly, Histogram>,
    cache: Family<CacheLabels, Counter>,
    upstream: Family<UpstreamLabels, Counter>,
    upstream_seconds: Family<CarrierLabel, Histogram>,
    points: Family<CarrierLabel, Gauge>,
    skipped: Family<SkipLabels, Gauge>,
    hours_unknown: Family<CarrierLabel, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("pvz");
        let requests = Family::<RouteLabels, Counter>::default();
        let request_seconds = Family::<RouteOnly, Histogram>::new_with_constructor(latency as fn() -> Histogram);
        let cache = Family::<CacheLabels, Counter>::default();
        let upstream = Family::<UpstreamLabels, Counter>::default();
        let upstream_seconds = Family::<CarrierLabel, Histogram>::new_with_constructor(latency as fn() -> Histogram);
        let points = Family::<CarrierLabel, Gauge>::default();
        let skipped = Family::<SkipLabels, Gauge>::default();
        let hours_unknown = Family::<CarrierLabel, Gauge>::default();
        registry.register("http_requests", "API requests answered, by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer an API request", request_seconds.clone());
        registry.register("cache_lookups", "Cache lookups, by cache and hit or miss", cache.clone());
        registry.register("upstream_calls", "Calls to carriers, by operation and outcome", upstream.clone());
        registry.register("upstream_duration_seconds", "Time a carrier took to answer", upstream_seconds.clone());
        registry.register("points", "Pickup points served, by carrier", points.clone());
        registry.register(
            "points_skipped",
            "Records of the carrier's last list left out, by carrier and reason",
            skipped.clone(),
        );
        registry.register(
            "points_hours_unknown",
            "Points served with hours that could not be read, by carrier",
            hours_unknown.clone(),
        );
        Self { registry, requests, request_seconds, cache, upstream, upstream_seconds, points, skipped, hours_unknown }
    }
}

impl Metrics {
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        self.requests.get_or_create(&RouteLabels { route: route.into(), status }).inc();
        self.request_seconds.get_or_create(&RouteOnly { route: route.into() }).observe(took.as_secs_f64());
    }

    pub fn cache(&self, cache: &'static str, hit: bool) {
        self.cache.get_or_create(&CacheLabels { cache, result: if hit { "hit" } else { "miss" } }).inc();
    }

    pub fn upstream(&self, carrier: &str, operation: &'static str, ok: bool, took: Duration) {
        let outcome = if ok { "ok" } else { "error" };
        self.upstream.get_or_create(&UpstreamLabels { carrier: carrier.into(), operation, outcome }).inc();
        self.upstream_seconds.get_or_create(&CarrierLabel { carrier: carrier.into() }).observe(took.as_secs_f64());
    }

    /// Runs one upstream call and counts it.
    pub async fn timed<T, E>(
        &self,
        carrier: &str,
        operation: &'static str,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let started = std::time::Instant::now();
        let result = call.await;
        self.upstream(carrier, operation, result.is_ok(), started.elapsed());
        result
    }

    /// A carrier's network as last loaded: points served, records left out by reason, hours unknown.
    pub fn network(&self, carrier: &str, points: &[Point], skipped: &BTreeMap<Skip, u32>) {
        let label = CarrierLabel { carrier: carrier.into() };
        self.points.get_or_create(&label).set(points.len() as i64);
        let unknown = points.iter().filter(|p| p.hours.is_unknown()).count();
        self.hours_unknown.get_or_create(&label).set(unknown as i64);
        for reason in Skip::ALL {
            let count = skipped.get(&reason).copied().unwrap_or(0);
            self.skipped
                .get_or_create(&SkipLabels { carrier: carrier.into(), reason: reason.as_str() })
                .set(i64::from(count));
        }
    }

    /// A carrier's records left out of its last list, by reason, as the gauges hold them.
    pub fn skipped(&self, carrier: &str) -> Vec<(&'static str, i64)> {
        Skip::ALL
            .iter()
            .map(|reason| {
                let labels = SkipLabels { carrier: carrier.into(), reason: reason.as_str() };
                (reason.as_str(), self.skipped.get_or_create(&labels).get())
            })
            .filter(|(_, count)| *count > 0)
            .collect()
    }

    /// A carrier's upstream calls that failed since the start.
    pub fn failed_calls(&self, carrier: &str) -> u64 {
        ["points", "tariff", "tracking"]
            .into_iter()
            .map(|operation| {
                let labels = UpstreamLabels { carrier: carrier.into(), operation, outcome: "error" };
                self.upstream.get_or_create(&labels).get()
            })
            .sum()
    }

    /// Everything, in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            tracing::error!("could not write the metrics");
        }
        text
    }
}
