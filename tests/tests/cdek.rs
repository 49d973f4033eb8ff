//! The CDEK connector against the CDEK simulator: a real proxy configured for CDEK, syncing a few thousand
//! points page by page, quoting and tracking over one token, and keeping its points through CDEK's faults
//! and a restart.

use std::time::{Duration, Instant};

use pvz_shared::tracking::{TrackStatus, Tracking};
use pvz_shared::{CarrierInfo, ErrorBody, Point, QuotesResponse, ViewResponse};
use pvz_tests::cdek::{CdekSim, Fault, KNOWN_ORDER, SHOP_ORDER};
use pvz_tests::{TestProxy, get_json, metric};
use reqwest::StatusCode;

const POINTS: usize = 3000;
/// Every 50th simulated office only takes parcels in.
const HANDOUT: usize = POINTS - POINTS / 50;
const MOSCOW: &str = "/api/v1/points?bbox=37.4,55.6,37.8,55.9&zoom=11";

async fn cdek_proxy(sim: &CdekSim, extra: &[(&'static str, String)]) -> TestProxy {
    let mut settings = sim.settings();
    settings.extend_from_slice(extra);
    TestProxy::start_with(&settings).await
}

#[tokio::test]
async fn points_sync_page_by_page_and_serve_alone_with_one_token() {
    let sim = CdekSim::start(POINTS, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim, &[]).await;
    // Most likely before the first sync lands: a view of no points, which must not outlive the sync.
    let _early: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
    proxy.wait_for_points("cdek", HANDOUT).await;
    assert_eq!(CdekSim::count(&sim.counters.pages), 3, "3,000 points in pages of 1,000");

    let carriers: Vec<CarrierInfo> = get_json(&proxy.url("/api/v1/carriers")).await;
    assert_eq!(carriers.len(), 1, "with CDEK configured the demo carriers are off: {carriers:?}");
    let view: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
    assert_eq!(view.total as usize, (0..POINTS).filter(|i| i % 3 != 2 && i % 50 != 49).count());
    assert!(view.facets.locker > 0 && view.facets.fitting_room > 0);

    let locker = view.nearest.iter().chain(&view.points).find(|p| p.kind == pvz_shared::PointKind::Locker).unwrap();
    let point: Point = get_json(&proxy.url(&format!("/api/v1/points/{}", locker.id))).await;
    assert_eq!(point.limits.cells.len(), 2);
    assert_eq!(point.limits.max_weight_g, Some(15_000));
    assert_eq!(point.hours.week[5].len(), 1);

    // Quotes for every listed point, many times over, then tracking: all on the one token.
    let ids: Vec<String> = view.nearest.iter().map(|p| p.id.clone()).collect();
    let body = serde_json::json!({"points": ids, "parcel": {"weight_g": 1200, "boxes": [], "declared_value": 0, "cash_on_delivery": 0}});
    let client = reqwest::Client::new();
    for _ in 0..5 {
        let answer: QuotesResponse =
            client.post(proxy.url("/api/v1/quotes")).json(&body).send().await.unwrap().json().await.unwrap();
        assert_eq!(answer.quotes.len(), ids.len(), "{:?}", answer.failures);
    }
    let calculations = CdekSim::count(&sim.counters.calculations);
    assert!(calculations <= 2, "one calculation per postcode and kind, not per point or request: {calculations}");
    let parcel: Tracking = get_json(&proxy.url(&format!("/api/v1/tracking/{KNOWN_ORDER}"))).await;
    assert_eq!(parcel.status, TrackStatus::ReadyForPickup);
    assert_eq!(parcel.events.len(), 5, "the internal status is left out");
    assert_eq!(parcel.events.last().unwrap().text, "Создан");
    assert!(parcel.point_id.as_deref().is_some_and(|id| id.starts_with("cdek:MSK")));
    assert_eq!(CdekSim::count(&sim.counters.tokens), 1, "one token for every call");

    let metrics = reqwest::get(proxy.url("/metrics")).await.unwrap().text().await.unwrap();
    let line = |prefix: &str| metric(&metrics, prefix);
    assert_eq!(
        line(r#"pvz_upstream_calls_total{carrier="cdek",operation="tariff",outcome="ok"}"#),
        calculations as f64
    );
    assert_eq!(line(r#"pvz_upstream_calls_total{carrier="cdek",operation="points",outcome="ok"}"#), 1.0);
    assert_eq!(line(r#"pvz_upstream_calls_total{carrier="cdek",operation="tracking",outcome="ok"}"#), 1.0);
    assert_eq!(line(r#"pvz_http_requests_total{route="/api/v1/quotes",status="200"}"#), 5.0);
    assert_eq!(line(r#"pvz_points{carrier="cdek"}"#), HANDOUT as f64);
    let (hits, misses) = (
        line(r#"pvz_cache_lookups_total{cache="quotes",result="hit"}"#),
        line(r#"pvz_cache_lookups_total{cache="quotes",result="miss"}"#),
    );
    assert_eq!(hits + misses, 5.0 * ids.len() as f64);
    assert!(!metrics.contains(pvz_tests::cdek::CLIENT_SECRET), "no credential in the metrics");
}

#[tokio::test]
async fn quotes_pick_the_tariff_for_the_points_kind_and_cdek_errors_read_clearly() {
    let sim = CdekSim::start(60, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim, &[]).await;
    proxy.wait_for_points("cdek", 60 - 1).await;
    let view: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
    let all: Vec<_> = view.points.iter().chain(&view.nearest).collect();
    let office = all.iter().find(|p| p.kind == pvz_shared::PointKind::PickupPoint).unwrap();
    let locker = all.iter().find(|p| p.kind == pvz_shared::PointKind::Locker).unwrap();
    let quote = |id: &str| proxy.url(&format!("/api/v1/points/{id}/quote?weight=2000"));
    let office_quote: pvz_shared::Quote = get_json(&quote(&office.id)).await;
    let locker_quote: pvz_shared::Quote = get_json(&quote(&locker.id)).await;
    // 150 ₽ + 2 kg × 40 ₽ = 230 ₽ by office; the cheapest office tariff is the economy one at 80 %.
    assert_eq!(office_quote.cost.kopecks, 18_400);
    assert_eq!(office_quote.tariff, "Экономичная посылка склад-склад");
    assert_eq!(locker_quote.tariff, "Посылка склад-постамат");
    assert_eq!(locker_quote.cost.kopecks, 20_700);

    let over_office = reqwest::get(proxy.url(&format!("/api/v1/points/{}/quote?weight=35000", office.id))).await;
    assert_eq!(over_office.unwrap().status(), StatusCode::CONFLICT, "past the office's 30 kg, CDEK is not asked");
    let heavy = reqwest::get(proxy.url(&format!("/api/v1/points/{}/quote?weight=26000", office.id))).await.unwrap();
    assert_eq!(heavy.status(), StatusCode::BAD_GATEWAY);
    let message = heavy.json::<ErrorBody>().await.unwrap().error.message;
    assert!(message.starts_with("CDEK: Превышен максимальный вес места (ERR_WEIGHT_LIMIT)"), "{message}");

    let by_shop_number: Tracking = get_json(&proxy.url(&format!("/api/v1/tracking/{SHOP_ORDER}?carrier=cdek"))).await;
    assert_eq!((by_shop_number.number.as_str(), by_shop_number.status), (KNOWN_ORDER, TrackStatus::ReadyForPickup));
    let without_carrier = reqwest::get(proxy.url(&format!("/api/v1/tracking/{SHOP_ORDER}"))).await.unwrap();
    assert_eq!(without_carrier.status(), StatusCode::NOT_FOUND, "a shop's number needs the carrier named");
    assert_eq!(without_carrier.json::<ErrorBody>().await.unwrap().error.code, "unknown_number_format");

    let unknown = reqwest::get(proxy.url("/api/v1/tracking/9999999999")).await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(unknown.json::<ErrorBody>().await.unwrap().error.code, "track_not_found");
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_request_still_answers() {
    let sim = CdekSim::start(30, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim, &[]).await;
    proxy.wait_for_points("cdek", 30).await;
    sim.expire_tokens();
    let answers = futures_like_join(&proxy, 10).await;
    assert!(answers.iter().all(|s| *s == StatusCode::OK), "{answers:?}");
    assert_eq!(CdekSim::count(&sim.counters.tokens), 2, "one new token for ten requests that met the expired one");
}

/// Asks the known order `n` times at once (distinct carriers' cache keys are not involved: one number).
async fn futures_like_join(proxy: &TestProxy, n: usize) -> Vec<StatusCode> {
    let url = proxy.url(&format!("/api/v1/tracking/{KNOWN_ORDER}"));
    let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(reqwest::get(url.clone()))).collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().unwrap().status());
    }
    statuses
}

#[tokio::test]
async fn faults_never_take_the_points_away_and_a_restart_serves_the_saved_ones_at_once() {
    let sim = CdekSim::start(300, Duration::from_secs(3600)).await;
    let data = tempfile::tempdir().unwrap();
    let data_dir = ("PVZ_DATA_DIR", data.path().display().to_string());
    let proxy = cdek_proxy(&sim, std::slice::from_ref(&data_dir)).await;
    proxy.wait_for_points("cdek", 300 - 6).await;
    let before: ViewResponse = get_json(&proxy.url(MOSCOW)).await;

    for fault in [Fault::ServerError, Fault::Garbage, Fault::Slow] {
        sim.set_fault(fault);
        let view: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
        assert_eq!(view.total, before.total, "{fault:?}: the points stay");
        let id = &before.nearest[0].id;
        let started = Instant::now();
        let response =
            reqwest::get(proxy.url(&format!("/api/v1/points/{id}/quote?weight={}", 3000 + fault as u32 * 100)))
                .await
                .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY, "{fault:?}");
        let message = response.json::<ErrorBody>().await.unwrap().error.message;
        assert!(message.starts_with("CDEK"), "{fault:?}: {message}");
        assert!(started.elapsed() < Duration::from_secs(5), "{fault:?}: failed fast");
    }
    drop(proxy);

    // CDEK is down; a new proxy serves the last good sync from disk.
    sim.set_fault(Fault::ServerError);
    let restarted = cdek_proxy(&sim, std::slice::from_ref(&data_dir)).await;
    let view: ViewResponse = get_json(&restarted.url(MOSCOW)).await;
    assert_eq!(view.total, before.total, "points from the snapshot");
}

#[tokio::test]
async fn one_sync_per_interval_on_the_same_token() {
    let sim = CdekSim::start(1500, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim, &[("PVZ_CDEK_SYNC_SECONDS", "1".into())]).await;
    proxy.wait_for_points("cdek", 1500 - 30).await;
    let started = Instant::now();
    let pages_then = CdekSim::count(&sim.counters.pages);
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let syncs = (CdekSim::count(&sim.counters.pages) - pages_then) / 2;
    let seconds = started.elapsed().as_secs_f64();
    assert!((3..=4).contains(&syncs), "{syncs} syncs of 2 pages in {seconds:.1} s at one a second");
    assert_eq!(CdekSim::count(&sim.counters.tokens), 1);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires_so_no_call_meets_a_401() {
    let sim = CdekSim::start(30, Duration::from_secs(2)).await;
    let proxy = cdek_proxy(&sim, &[]).await;
    proxy.wait_for_points("cdek", 30).await;
    for number in 0..6 {
        // Distinct numbers: each is one call to CDEK, half a second apart, across the token's 2 s.
        let status = reqwest::get(proxy.url(&format!("/api/v1/tracking/11063945{number:02}"))).await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(CdekSim::count(&sim.counters.rejected), 0, "no call was made with an expired token");
    assert!(CdekSim::count(&sim.counters.tokens) >= 2, "renewed on time");
}

#[tokio::test]
async fn a_carrier_that_keeps_failing_is_paused_and_requests_fail_at_once() {
    let sim = CdekSim::start(60, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim, &[]).await;
    proxy.wait_for_points("cdek", 59).await;
    let view: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
    let id = &view.points.iter().chain(&view.nearest).next().unwrap().id;
    sim.set_fault(Fault::ServerError);
    for weight in 1..=5 {
        let response =
            reqwest::get(proxy.url(&format!("/api/v1/points/{id}/quote?weight={}", weight * 1000))).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    }
    let calls = CdekSim::count(&sim.counters.calculations);
    for url in [format!("/api/v1/points/{id}/quote?weight=9000"), format!("/api/v1/tracking/{KNOWN_ORDER}")] {
        let response = reqwest::get(proxy.url(&url)).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{url}");
        let error = response.json::<ErrorBody>().await.unwrap().error;
        assert_eq!(error.code, "carrier_unavailable");
        assert!(error.message.starts_with("CDEK is not answering; try again in"), "{}", error.message);
    }
    assert_eq!(CdekSim::count(&sim.counters.calculations), calls, "no call while paused");
    assert_eq!(CdekSim::count(&sim.counters.orders), 0);
    let still: ViewResponse = get_json(&proxy.url(MOSCOW)).await;
    assert_eq!(still.total, view.total, "the points stay");
}

/// A realistic mix: postamats round the clock in each of CDEK's spellings, hours only in words (readable or
/// not), and Kazakhstan's offices, some without coordinates and one of the wrong shape. Every office a buyer
/// can choose serves; only what cannot be put on the map or chosen is left out, and counted by why.
#[tokio::test]
async fn every_choosable_office_serves_whatever_its_hours_look_like_and_whichever_country() {
    let sim = CdekSim::start(600, Duration::from_secs(3600)).await;
    let settings = [
        ("PVZ_CDEK_COUNTRIES", "RU, KZ".to_string()),
        ("PVZ_CDEK_CURRENCY", "KZT".to_string()),
        // One client asks for every office here, far past a buyer's burst.
        ("PVZ_RATE_LIMIT_BURST", "100000".to_string()),
    ];
    let proxy = cdek_proxy(&sim, &settings).await;
    let reception_only = 600 / 50;
    proxy.wait_for_points("cdek", 600 - reception_only + sim.mix.abroad.len()).await;
    let point = |code: String| {
        let url = proxy.url(&format!("/api/v1/points/cdek:{code}"));
        async move { get_json::<Point>(&url).await }
    };
    assert!(sim.mix.round_the_clock.len() > 20);
    for code in sim.mix.round_the_clock.clone() {
        assert!(point(code.clone()).await.hours.is_round_the_clock(), "{code}");
    }
    for code in sim.mix.hours_in_words.clone() {
        let p = point(code.clone()).await;
        assert_eq!((p.hours.week[0].len(), p.hours.week[6].len()), (1, 0), "{code}: read from the words");
    }
    assert!(!sim.mix.hours_unknown.is_empty());
    for code in sim.mix.hours_unknown.clone() {
        let p = point(code.clone()).await;
        assert!(p.hours.is_unknown(), "{code}");
        assert_eq!(p.hours.as_written.as_deref(), Some("по предварительной записи"));
    }
    for code in sim.mix.abroad.clone() {
        let p = point(code.clone()).await;
        assert_eq!((p.address.country.as_str(), p.timezone.utc_offset_minutes), ("KZ", 300), "{code}");
    }
    // In the map too: the whole of Almaty at street level lists every office there.
    let almaty: ViewResponse = get_json(&proxy.url("/api/v1/points?bbox=76.88,43.23,76.93,43.29&zoom=15")).await;
    assert_eq!(almaty.points.len(), sim.mix.abroad.len());

    let metrics = reqwest::get(proxy.url("/metrics")).await.unwrap().text().await.unwrap();
    let skipped =
        |reason: &str| metric(&metrics, &format!(r#"pvz_points_skipped{{carrier="cdek",reason="{reason}"}}"#));
    assert_eq!(skipped("no_handout"), reception_only as f64);
    assert_eq!(skipped("no_location"), sim.mix.abroad_no_location as f64);
    assert_eq!(skipped("unreadable"), sim.mix.abroad_unreadable as f64);
    assert_eq!(skipped("no_code"), 0.0);
    assert_eq!(metric(&metrics, r#"pvz_points_hours_unknown{carrier="cdek"}"#), sim.mix.hours_unknown.len() as f64);

    // Priced with the destination's country, in the currency the shop's contract is in.
    let quote: pvz_shared::Quote =
        get_json(&proxy.url(&format!("/api/v1/points/cdek:{}/quote?weight=1200", sim.mix.abroad[0]))).await;
    assert_eq!(quote.cost.currency, pvz_shared::Currency::Kzt);
    assert_eq!(quote.cost.kopecks, 380_160, "(150 + 1.2 × 40) × 4 abroad × 6 tenge, the cheapest at 80 %");
}
