//! The Boxberry connector against the Boxberry simulator: a real proxy configured for Boxberry alone, its
//! whole network from one call with the hours only descriptions give completed afterwards, prices and
//! parcels, and its faults survived with the last good points serving.

use std::time::{Duration, Instant};

use pvz_shared::tracking::{TrackStatus, Tracking};
use pvz_shared::{CarrierInfo, ErrorBody, Point, PointKind, Quote};
use pvz_tests::boxberry::{BoxberrySim, Fault, KNOWN_PARCEL, SHOP_ORDER};
use pvz_tests::{TestProxy, get_json, metric};
use reqwest::StatusCode;

const POINTS: usize = 240;

async fn point(proxy: &TestProxy, code: &str) -> Point {
    get_json(&proxy.url(&format!("/api/v1/points/boxberry:{code}"))).await
}

#[tokio::test]
async fn the_network_comes_in_one_call_and_descriptions_complete_the_hours_it_cannot_say() {
    let sim = BoxberrySim::start(POINTS).await;
    let mut settings = sim.settings();
    // One client asks for every point here, far past a buyer's burst.
    settings.push(("PVZ_RATE_LIMIT_BURST", "100000".into()));
    let proxy = TestProxy::start_with(&settings).await;
    proxy.wait_for_points("boxberry", sim.mix.servable.len()).await;
    assert_eq!(BoxberrySim::count(&sim.counters.lists), 1, "the whole network is one ListPoints answer");

    let carriers: Vec<CarrierInfo> = get_json(&proxy.url("/api/v1/carriers")).await;
    assert_eq!(carriers.len(), 1, "with Boxberry configured the demo carriers are off: {carriers:?}");
    for code in &sim.mix.round_the_clock {
        assert!(point(&proxy, code).await.hours.is_round_the_clock(), "{code}");
    }
    for code in &sim.mix.abroad {
        let p = point(&proxy, code).await;
        assert_eq!((p.address.country.as_str(), p.timezone.utc_offset_minutes), ("KZ", 300), "{code}");
    }

    // The points whose free text says nothing serve at once with Boxberry's words, then with their hours.
    let described = &sim.mix.described_only;
    assert!(!described.is_empty());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let metrics = reqwest::get(proxy.url("/metrics")).await.unwrap().text().await.unwrap();
        if metric(&metrics, r#"pvz_points_hours_unknown{carrier="boxberry"}"#) == 0.0 {
            assert_eq!(metric(&metrics, r#"pvz_points{carrier="boxberry"}"#), sim.mix.servable.len() as f64);
            let skipped = |reason: &str| {
                metric(&metrics, &format!(r#"pvz_points_skipped{{carrier="boxberry",reason="{reason}"}}"#))
            };
            assert_eq!(skipped("no_location"), sim.mix.no_location as f64);
            assert_eq!(skipped("unreadable"), sim.mix.unreadable as f64);
            assert_eq!(skipped("no_code"), 0.0);
            break;
        }
        assert!(Instant::now() < deadline, "hours never completed:\n{metrics}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let completed = point(&proxy, &described[0]).await;
    assert_eq!(completed.hours.week[0].len(), 2, "Monday with its lunch break: {:?}", completed.hours);
    assert!(completed.hours.week[6].is_empty(), "closed on Sunday");
    assert!(completed.hours.as_written.is_none());
    assert_eq!(
        BoxberrySim::count(&sim.counters.descriptions),
        described.len(),
        "only the points whose hours were unknown are described, each once"
    );
}

#[tokio::test]
async fn prices_come_per_point_from_the_shops_drop_off_and_parcels_by_either_number() {
    let sim = BoxberrySim::start(60).await;
    let proxy = TestProxy::start_with(&sim.settings()).await;
    proxy.wait_for_points("boxberry", sim.mix.servable.len()).await;
    // Point 10001 is in Moscow, 10002 in Kazan.
    let quote = |code: &str, grams: u32| proxy.url(&format!("/api/v1/points/boxberry:{code}/quote?weight={grams}"));
    let moscow: Quote = get_json(&quote("10001", 2000)).await;
    assert_eq!(moscow.cost.kopecks, 24_000, "150 ₽ + 2 kg × 45 ₽");
    assert_eq!((moscow.days.min, moscow.days.max), (2, 2));
    assert_eq!(moscow.tariff, "Посылка до пункта выдачи");
    let again: Quote = get_json(&quote("10001", 1950)).await;
    assert_eq!(again.cost, moscow.cost, "the same 100 g step");
    assert_eq!(BoxberrySim::count(&sim.counters.costs), 1, "one call per point and weight step");
    let kazan: Quote = get_json(&quote("10002", 2000)).await;
    assert_eq!((kazan.cost.kopecks, kazan.days.max), (38_400, 4));

    let refused = reqwest::get(quote("10001", 30_500)).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_GATEWAY, "Boxberry's own refusal, with HTTP 200");
    let message = refused.json::<ErrorBody>().await.unwrap().error.message;
    assert_eq!(message, "Boxberry: Вес посылки должен быть от 1 до 30000 грамм");
    let heavy = reqwest::get(quote("10001", 35_000)).await.unwrap();
    assert_eq!(heavy.status(), StatusCode::CONFLICT, "past the office's own 31 kg, Boxberry is not asked");

    let parcel: Tracking = get_json(&proxy.url(&format!("/api/v1/tracking/{KNOWN_PARCEL}"))).await;
    assert_eq!(parcel.status, TrackStatus::ReadyForPickup);
    assert_eq!(parcel.events.len(), 4);
    let newest = serde_json::to_value(&parcel.events[0]).unwrap();
    assert_eq!(newest["at"], "2026-11-23T10:05:00+03:00", "Moscow time, newest first");
    assert_eq!(parcel.events[1].text, "Передано на сортировку: Москва Терминал Химки");
    let by_order: Tracking = get_json(&proxy.url(&format!("/api/v1/tracking/{SHOP_ORDER}?carrier=boxberry"))).await;
    assert_eq!(by_order.events, parcel.events);
    let unknown = reqwest::get(proxy.url("/api/v1/tracking/AAP000000001")).await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(unknown.json::<ErrorBody>().await.unwrap().error.code, "track_not_found");
}

#[tokio::test]
async fn faults_keep_the_last_good_points_and_a_wrong_token_is_named() {
    let sim = BoxberrySim::start(60).await;
    let data = tempfile::tempdir().unwrap();
    let mut settings = sim.settings();
    settings.push(("PVZ_DATA_DIR", data.path().display().to_string()));
    let mut proxy = TestProxy::start_with(&settings).await;
    proxy.wait_for_points("boxberry", sim.mix.servable.len()).await;
    let servable = sim.mix.servable.len();
    let locker = sim.mix.round_the_clock.iter().find(|c| c.parse::<usize>().unwrap() % 5 == 0).unwrap();
    assert_eq!(point(&proxy, locker).await.kind, PointKind::Locker);

    for fault in [Fault::ServerError, Fault::Garbage, Fault::Slow] {
        sim.set_fault(fault);
        let started = Instant::now();
        let quote =
            reqwest::get(proxy.url(&format!("/api/v1/points/boxberry:{locker}/quote?weight=1300"))).await.unwrap();
        assert!(quote.status().is_server_error(), "{fault:?}: {}", quote.status());
        assert!(started.elapsed() < Duration::from_secs(5), "{fault:?}: failed within the timeout");
        let body: ErrorBody = quote.json().await.unwrap();
        assert!(body.error.message.starts_with("Boxberry"), "{fault:?}: {}", body.error.message);
        let carriers: Vec<CarrierInfo> = get_json(&proxy.url("/api/v1/carriers")).await;
        assert_eq!(carriers[0].points as usize, servable, "{fault:?}: the points keep serving");
    }
    sim.set_fault(Fault::None);

    // A restart while Boxberry is down serves the saved network at once.
    proxy.shut_down().await.unwrap();
    sim.set_fault(Fault::ServerError);
    let restarted = TestProxy::start_with(&settings).await;
    let carriers: Vec<CarrierInfo> = get_json(&restarted.url("/api/v1/carriers")).await;
    assert_eq!(carriers[0].points as usize, servable, "from the snapshot");
    sim.set_fault(Fault::None);

    let mut wrong = sim.settings();
    wrong[0].1 = "not-the-token".into();
    let refused = TestProxy::start_with(&wrong).await;
    let answer = reqwest::get(refused.url(&format!("/api/v1/tracking/{KNOWN_PARCEL}"))).await.unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let message = answer.json::<ErrorBody>().await.unwrap().error.message;
    assert_eq!(message, "Boxberry: Ключ интеграции не найден или не активен");
}
