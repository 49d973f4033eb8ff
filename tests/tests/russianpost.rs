//! The Russian Post connector against its simulator: a real proxy configured for Russian Post, syncing the
//! offices of two cities, pricing through the tariff calculator, tracking over SOAP within the daily quota,
//! and keeping its offices through the simulator's faults and a restart.

use std::time::{Duration, Instant};

use pvz_shared::tracking::{TrackStatus, Tracking};
use pvz_shared::{CarrierInfo, ErrorBody, Point, PointKind, QuotesResponse, ViewResponse};
use pvz_tests::russianpost::{DELIVERED, FIRST_OFFICE, Fault, RussianPostSim, WAITING};
use pvz_tests::{TestProxy, get_json};
use reqwest::StatusCode;

const OFFICES: usize = 300;
const MOSCOW: &str = "/api/v1/points?bbox=37.4,55.6,37.8,55.9&zoom=11";

/// A proxy for the simulator; many buyers share the test's one address, so its rate limit is lifted.
async fn post_proxy(sim: &RussianPostSim, extra: &[(&'static str, String)]) -> TestProxy {
    let mut settings = sim.settings();
    settings.extend([("PVZ_RATE_LIMIT_PER_SECOND", "1000000".into()), ("PVZ_RATE_LIMIT_BURST", "1000000".into())]);
    settings.extend_from_slice(extra);
    TestProxy::start_with(&settings).await
}

async fn quotes(proxy: &TestProxy, ids: &[String], weight_g: u32) -> QuotesResponse {
    let body = serde_json::json!({"points": ids, "parcel": {"weight_g": weight_g, "boxes": [], "declared_value": 0, "cash_on_delivery": 0}});
    let response = reqwest::Client::new().post(proxy.url("/api/v1/quotes")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn offices_come_from_the_export_with_their_hours_and_are_priced_by_the_calculator() {
    let sim = RussianPostSim::start(OFFICES).await;
    let proxy = post_proxy(&sim, &[]).await;
    proxy.wait_for_points("russianpost", sim.public_offices()).await;
    assert_eq!(RussianPostSim::count(&sim.counters.exports), 1, "one download of the whole export");
    assert_eq!(RussianPostSim::count(&sim.counters.code_lists), 0, "no office asked for one by one");
    let carriers: Vec<CarrierInfo> = get_json(&proxy.url("/api/v1/carriers")).await;
    assert_eq!(carriers.len(), 1, "with Russian Post configured the demo carriers are off: {carriers:?}");
    assert_eq!(carriers[0].title, "Почта России");

    let view: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
    let listed: Vec<_> = view.nearest.iter().chain(&view.points).collect();
    assert!(
        listed.iter().any(|p| p.kind == PointKind::Locker) && listed.iter().any(|p| p.kind == PointKind::PostOffice)
    );
    let first: Point = get_json(&proxy.url(&format!("/api/v1/points/russianpost:{FIRST_OFFICE}"))).await;
    assert_eq!(first.name, format!("Отделение {FIRST_OFFICE}"));
    let monday: Vec<String> = first.hours.week[0].iter().map(|i| String::from(*i)).collect();
    assert_eq!(monday, ["08:00-13:00", "14:00-20:00"], "the lunch break is cut out");
    assert!(first.hours.week[6].is_empty(), "closed on Sundays");
    assert_eq!(first.limits.max_weight_g, Some(20_000));
    let gone = reqwest::get(proxy.url(&format!("/api/v1/points/russianpost:{}", 101_000 + 33))).await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND, "an office closed for good is not offered");
    let locker = listed.iter().find(|p| p.kind == PointKind::Locker).unwrap();
    let locker: Point = get_json(&proxy.url(&format!("/api/v1/points/{}", locker.id))).await;
    assert!(locker.hours.week.iter().all(|day| day == &[pvz_shared::Interval::WHOLE_DAY]), "round the clock");

    let ids: Vec<String> = view.nearest.iter().map(|p| p.id.clone()).collect();
    let answer = quotes(&proxy, &ids, 1_250).await;
    assert_eq!(answer.quotes.len(), ids.len(), "{:?}", answer.failures);
    let quote = &answer.quotes[0];
    assert_eq!(quote.tariff, "Посылка онлайн обыкновенная");
    // The simulator's price for 1,300 g within Moscow, VAT included: (25,000 + 13 × 300) × 1.2 kopecks.
    assert_eq!(quote.cost.kopecks, (25_000 + 13 * 300) * 12 / 10);
    assert_eq!((quote.days.min, quote.days.max), (2, 3));
    let calculations = RussianPostSim::count(&sim.counters.calculations);
    assert_eq!(calculations, ids.len(), "one calculation per office postcode");
    quotes(&proxy, &ids, 1_210).await;
    assert_eq!(RussianPostSim::count(&sim.counters.calculations), calculations, "the same 100 g step is reused");

    // The calculator refuses with HTTP 200 and errors[]: the buyer reads why.
    let heavy = quotes(&proxy, &ids[..1], 12_000).await;
    assert!(heavy.quotes.is_empty());
    let failure = &heavy.failures[0];
    assert!(failure.message.starts_with("Russian Post: Превышен предельный вес"), "{failure:?}");
    assert!(failure.message.contains("1359"), "{failure:?}");
}

#[tokio::test]
async fn without_the_export_offices_come_one_by_one_with_their_closures() {
    let sim = RussianPostSim::start(OFFICES).await;
    sim.allow_export(false);
    let proxy = post_proxy(&sim, &[]).await;
    proxy.wait_for_points("russianpost", sim.public_offices()).await;
    assert_eq!(RussianPostSim::count(&sim.counters.exports), 0);
    assert_eq!(RussianPostSim::count(&sim.counters.code_lists), 2, "one list per settlement");
    assert_eq!(RussianPostSim::count(&sim.counters.offices), OFFICES, "one record per office");
    let first: Point = get_json(&proxy.url(&format!("/api/v1/points/russianpost:{FIRST_OFFICE}"))).await;
    let monday: Vec<String> = first.hours.week[0].iter().map(|i| String::from(*i)).collect();
    assert_eq!(monday, ["08:00-13:00", "14:00-20:00"], "the lunch break is cut out");
    let closed_for_now: Point = get_json(&proxy.url(&format!("/api/v1/points/russianpost:{}", 101_000 + 67))).await;
    assert_eq!(closed_for_now.notes.as_deref(), Some("Временно закрыто: Ремонт помещения"));
    let gone = reqwest::get(proxy.url(&format!("/api/v1/points/russianpost:{}", 101_000 + 33))).await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND, "an office closed for good is not offered");
}

#[tokio::test]
async fn tracking_is_read_from_soap_and_the_daily_quota_is_never_exceeded() {
    let sim = RussianPostSim::start(30).await;
    let data = tempfile::tempdir().unwrap();
    let settings = [
        ("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT", "3".to_string()),
        ("PVZ_DATA_DIR", data.path().display().to_string()),
    ];
    let proxy = post_proxy(&sim, &settings).await;
    let calls = || RussianPostSim::count(&sim.counters.tracking);

    // A hundred buyers open the same parcel's page at once, and fifty more later: one call.
    let url = proxy.url(&format!("/api/v1/tracking/{WAITING}"));
    let mut pages = tokio::task::JoinSet::new();
    for _ in 0..100 {
        pages.spawn(reqwest::get(url.clone()));
    }
    for page in pages.join_all().await {
        assert_eq!(page.unwrap().status(), StatusCode::OK);
    }
    for _ in 0..50 {
        let parcel: Tracking = get_json(&url).await;
        assert_eq!(parcel.status, TrackStatus::ReadyForPickup);
    }
    assert_eq!(calls(), 1, "150 views within the TTL cost one call");
    let parcel: Tracking = get_json(&url).await;
    assert_eq!(parcel.carrier_title, "Почта России");
    assert_eq!(parcel.point_id.as_deref(), Some(format!("russianpost:{FIRST_OFFICE}").as_str()));
    assert_eq!(parcel.events.len(), 3);
    assert_eq!(parcel.events[0].text, "Обработка: Прибыло в место вручения", "newest first");
    assert_eq!(parcel.events[2].place, "Ростов-на-Дону 38");
    assert_eq!(parcel.events[2].status, TrackStatus::Accepted);

    // Junk never spends quota: malformed numbers are refused before any call.
    for (junk, status, code) in [
        ("RA644000004RU", StatusCode::NOT_FOUND, "number_typo"),
        ("<script>", StatusCode::BAD_REQUEST, "bad_request"),
        ("12345", StatusCode::NOT_FOUND, "unknown_number_format"),
        ("8008204512345%27", StatusCode::BAD_REQUEST, "bad_request"),
    ] {
        let response = reqwest::get(proxy.url(&format!("/api/v1/tracking/{junk}"))).await.unwrap();
        assert_eq!(response.status(), status, "{junk}");
        assert_eq!(response.json::<ErrorBody>().await.unwrap().error.code, code, "{junk}");
    }
    assert_eq!(calls(), 1);

    let delivered: Tracking = get_json(&proxy.url(&format!("/api/v1/tracking/{DELIVERED}"))).await;
    assert_eq!(delivered.status, TrackStatus::Delivered);
    let unknown = proxy.url("/api/v1/tracking/80082045999999");
    assert_eq!(reqwest::get(&unknown).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(reqwest::get(&unknown).await.unwrap().status(), StatusCode::NOT_FOUND, "kept, not asked again");
    assert_eq!(calls(), 3, "the day's three calls");

    // The fourth number of the day gets a clear "try later", and no call is made.
    let spent = reqwest::get(proxy.url("/api/v1/tracking/80082045000001")).await.unwrap();
    assert_eq!(spent.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry_after: u64 = spent.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=24 * 3600).contains(&retry_after), "{retry_after}");
    let body: ErrorBody = spent.json().await.unwrap();
    assert_eq!(body.error.code, "quota_spent");
    assert!(body.error.message.contains("try again"), "{}", body.error.message);
    assert_eq!(calls(), 3);

    // A restart does not give the quota back.
    drop(proxy);
    let restarted = post_proxy(&sim, &settings).await;
    let again = reqwest::get(restarted.url("/api/v1/tracking/80082045000002")).await.unwrap();
    assert_eq!(again.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(calls(), 3, "no call past the daily limit, across a restart");
}

#[tokio::test]
async fn faults_keep_the_offices_and_fail_quotes_and_tracking_fast_with_a_clear_message() {
    let sim = RussianPostSim::start(60).await;
    let data = tempfile::tempdir().unwrap();
    let settings = [("PVZ_DATA_DIR", data.path().display().to_string())];
    let proxy = post_proxy(&sim, &settings).await;
    let offices = sim.public_offices();
    proxy.wait_for_points("russianpost", offices).await;
    let view: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
    let ids: Vec<String> = view.nearest.iter().take(3).map(|p| p.id.clone()).collect();
    let mut number = 80_082_045_100_000u64;
    for fault in [Fault::ServerError, Fault::Garbage, Fault::Slow] {
        sim.set_fault(fault);
        let started = Instant::now();
        let answer = quotes(&proxy, &ids, 700 + number as u32 % 1000 * 100).await;
        assert!(answer.quotes.is_empty(), "{fault:?}");
        assert!(
            answer.failures.iter().all(|f| f.message.starts_with("Russian Post")),
            "{fault:?}: {:?}",
            answer.failures
        );
        number += 1;
        let tracking = reqwest::get(proxy.url(&format!("/api/v1/tracking/{number}"))).await.unwrap();
        assert_eq!(tracking.status(), StatusCode::BAD_GATEWAY, "{fault:?}");
        let body: ErrorBody = tracking.json().await.unwrap();
        assert!(body.error.message.starts_with("Russian Post"), "{fault:?}: {}", body.error.message);
        assert!(started.elapsed() < Duration::from_secs(8), "{fault:?} took {:?}", started.elapsed());
        let carriers: Vec<CarrierInfo> = get_json(&proxy.url("/api/v1/carriers")).await;
        assert_eq!(carriers[0].points as usize, offices, "{fault:?}: the offices keep serving");
    }
    sim.set_fault(Fault::None);

    // Restarted with Russian Post down, the saved offices serve at once.
    drop(proxy);
    sim.set_fault(Fault::ServerError);
    let restarted = post_proxy(&sim, &settings).await;
    let carriers: Vec<CarrierInfo> = get_json(&restarted.url("/api/v1/carriers")).await;
    assert_eq!(carriers[0].points as usize, offices);
}

#[tokio::test]
async fn wrong_credentials_are_named_and_tracking_needs_no_points() {
    let sim = RussianPostSim::start(10).await;
    let proxy = TestProxy::start_with(&[
        ("PVZ_RUSSIANPOST_TRACKING_LOGIN", "shop-login".into()),
        ("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "wrong".into()),
        ("PVZ_RUSSIANPOST_TRACKING_URL", format!("http://{}/tracking/rtm34", sim.addr)),
    ])
    .await;
    let response = reqwest::get(proxy.url(&format!("/api/v1/tracking/{WAITING}"))).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.error.message, "Russian Post refused the tracking login: Ошибка авторизации");
    let carriers: Vec<CarrierInfo> = get_json(&proxy.url("/api/v1/carriers")).await;
    assert_eq!(carriers.len(), 1);
    assert_eq!(carriers[0].points, 0, "no otpravka credentials, no offices");
    assert_eq!(RussianPostSim::count(&sim.counters.rejected), 1);
}

#[tokio::test]
async fn a_request_in_flight_when_the_proxy_is_stopped_still_gets_its_answer() {
    let sim = RussianPostSim::start(10).await;
    let mut proxy = post_proxy(&sim, &[]).await;
    sim.set_fault(Fault::Late);
    let url = proxy.url(&format!("/api/v1/tracking/{WAITING}"));
    let in_flight = tokio::spawn(reqwest::get(url.clone()));
    // The request has reached the simulator, which answers in a second; now the proxy is told to stop.
    let deadline = Instant::now() + Duration::from_secs(5);
    while RussianPostSim::count(&sim.counters.tracking) == 0 {
        assert!(Instant::now() < deadline, "the request never reached Russian Post");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stopping = Instant::now();
    proxy.shut_down().await.expect("a clean stop");
    let answer = in_flight.await.unwrap().expect("an answer, not a dropped connection");
    assert_eq!(answer.status(), StatusCode::OK);
    let parcel: Tracking = answer.json().await.unwrap();
    assert_eq!(parcel.status, TrackStatus::ReadyForPickup);
    assert!(stopping.elapsed() >= Duration::from_millis(500), "the stop waited for the request");
    assert!(reqwest::get(url).await.is_err(), "a stopped proxy takes no new requests");
}
