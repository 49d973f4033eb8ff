//! The quote cache against the demo carriers' tariffs, counting their upstream calls.

use std::sync::atomic::{AtomicU64, Ordering};

use pvz_shared::{Included, PointKind};
use time::macros::date;

use super::*;
use crate::carriers::demo::tariffs::{DemoTariffs, Network as DemoNetwork, origin};
use crate::carriers::{self, TariffFuture};
use crate::config::Config;

const TODAY: time::Date = date!(2026 - 11 - 23);

fn demo_points() -> Vec<Point> {
    carriers::demo::carriers(&Config::from_sources(|_| None, []).unwrap())
        .into_iter()
        .flat_map(|c| c.points.points)
        .collect()
}

fn service(tariffs: Arc<dyn Tariffs>, carrier: &str, ttl: Duration, grace: Duration) -> Arc<QuoteService> {
    Arc::new(QuoteService::new(HashMap::from([(Carrier(carrier.into()), tariffs)]), ttl, grace, Arc::default()))
}

fn parcel() -> Parcel {
    Parcel { weight_g: 1200, boxes: vec!["30x20x10".parse().unwrap()], declared_value: 250_000, cash_on_delivery: 0 }
}

#[tokio::test]
async fn a_thousand_quotes_for_a_hundred_destinations_cost_at_most_a_hundred_upstream_calls() {
    let post = Arc::new(DemoTariffs::new(DemoNetwork::Post, Carrier("demo-post".into()), origin("Москва")));
    let quotes = service(post.clone(), "demo-post", Duration::from_secs(3600), Duration::ZERO);
    let mut seen = HashSet::new();
    let destinations: Vec<Point> = demo_points()
        .into_iter()
        .filter(|p| p.carrier.0 == "demo-post" && seen.insert(p.address.postal_code.clone()))
        .take(100)
        .collect();
    assert_eq!(destinations.len(), 100);
    let requests = (0..1000).map(|i| {
        let (quotes, point) = (Arc::clone(&quotes), destinations[i % 100].clone());
        tokio::spawn(async move { quotes.quote(&point, &parcel(), TODAY).await })
    });
    for request in requests.collect::<Vec<_>>() {
        request.await.unwrap().expect("a quote");
    }
    assert!(post.calls() <= 100, "{} upstream calls", post.calls());
}

#[tokio::test]
async fn fifty_concurrent_identical_requests_on_a_cold_cache_make_one_upstream_call() {
    let express = Arc::new(DemoTariffs::new(DemoNetwork::Express, Carrier("demo-express".into()), origin("Москва")));
    let quotes = service(express.clone(), "demo-express", Duration::from_secs(3600), Duration::ZERO);
    let point = demo_points().into_iter().find(|p| p.carrier.0 == "demo-express").unwrap();
    let all = (0..50).map(|_| {
        let (quotes, point) = (Arc::clone(&quotes), point.clone());
        tokio::spawn(async move { quotes.quote(&point, &parcel(), TODAY).await.unwrap() })
    });
    let answers: Vec<Quote> = futures_join(all.collect()).await;
    assert_eq!(express.calls(), 1);
    assert!(answers.windows(2).all(|w| w[0] == w[1]));
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn every_point_of_a_city_shares_one_courier_price() {
    let express = Arc::new(DemoTariffs::new(DemoNetwork::Express, Carrier("demo-express".into()), origin("Москва")));
    let quotes = service(express.clone(), "demo-express", Duration::from_secs(3600), Duration::ZERO);
    let kazan: Vec<Point> = demo_points()
        .into_iter()
        .filter(|p| p.carrier.0 == "demo-express" && p.address.city == "Казань" && p.kind == PointKind::PickupPoint)
        .collect();
    assert!(kazan.len() > 50);
    for point in &kazan {
        quotes.quote(point, &parcel(), TODAY).await.unwrap();
    }
    assert_eq!(express.calls(), 1);
}

#[tokio::test]
async fn a_quote_is_the_tariff_plus_fees_with_dates_from_today() {
    let express = Arc::new(DemoTariffs::new(DemoNetwork::Express, Carrier("demo-express".into()), origin("Москва")));
    let quotes = service(express.clone(), "demo-express", Duration::from_secs(3600), Duration::ZERO);
    let point =
        demo_points().into_iter().find(|p| p.carrier.0 == "demo-express" && p.address.city == "Москва").unwrap();
    let parcel = Parcel { cash_on_delivery: 100_000, ..parcel() };
    let quote = quotes.quote(&point, &parcel, TODAY).await.unwrap();
    let tariff = express.price(&express.key(&point, &parcel));
    assert_eq!(quote.included, Included { insurance: 1_875, cash_on_delivery_fee: 3_000 });
    assert_eq!(quote.cost.kopecks, tariff.cost + 1_875 + 3_000);
    assert_eq!(quote.days.from_date, Some(TODAY + time::Duration::days(i64::from(tariff.days_min))));
    assert_eq!(quote.point_id, point.id);
}

/// Fails its first `failures` calls, then answers; counts every call.
struct Flaky {
    failures: u64,
    calls: AtomicU64,
    inner: DemoTariffs,
}

impl Tariffs for Flaky {
    fn key(&self, point: &Point, parcel: &Parcel) -> TariffKey {
        self.inner.key(point, parcel)
    }

    fn calculate(&self, key: &TariffKey) -> TariffFuture<'_> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if n < self.failures {
            return Box::pin(async { Err(Error::Upstream("the carrier answered 500".into())) });
        }
        self.inner.calculate(key)
    }

    fn fees(&self, parcel: &Parcel) -> Included {
        self.inner.fees(parcel)
    }
}

#[tokio::test]
async fn failures_are_not_cached() {
    let flaky = Arc::new(Flaky {
        failures: 1,
        calls: AtomicU64::new(0),
        inner: DemoTariffs::new(DemoNetwork::Express, Carrier("demo-express".into()), origin("Москва")),
    });
    let quotes = service(flaky.clone(), "demo-express", Duration::from_secs(3600), Duration::ZERO);
    let point = demo_points().into_iter().find(|p| p.carrier.0 == "demo-express").unwrap();
    let first = quotes.quote(&point, &parcel(), TODAY).await;
    assert!(matches!(first, Err(Error::Upstream(ref m)) if m.contains("500")), "{first:?}");
    quotes.quote(&point, &parcel(), TODAY).await.expect("the second attempt asks again and succeeds");
    quotes.quote(&point, &parcel(), TODAY).await.expect("and is cached");
    assert_eq!(flaky.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_stale_price_serves_during_the_grace_time_while_one_refresh_runs() {
    let express = Arc::new(DemoTariffs::new(DemoNetwork::Express, Carrier("demo-express".into()), origin("Москва")));
    let quotes = service(express.clone(), "demo-express", Duration::from_millis(100), Duration::from_secs(60));
    let point = demo_points().into_iter().find(|p| p.carrier.0 == "demo-express").unwrap();
    quotes.quote(&point, &parcel(), TODAY).await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let started = Instant::now();
    for _ in 0..20 {
        quotes.quote(&point, &parcel(), TODAY).await.unwrap();
    }
    assert!(started.elapsed() < Duration::from_millis(20), "stale answers wait for nothing: {:?}", started.elapsed());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(express.calls(), 2, "one call at first, one background refresh");
}
