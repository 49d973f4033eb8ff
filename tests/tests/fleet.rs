//! Several proxies on one PostgreSQL, as a shop runs them behind a load balancer: a shipment made through one
//! is read, found again by its order, cancelled, listed and reported through another; the shop's webhook
//! events are all delivered by three proxies, one of them killed in the middle of delivering them; Russian
//! Post's daily tracking quota is one for the three, a parcel's tracking answer is asked for once by them
//! all, and the day's batch is made once; each carrier is synced once an interval between them, a new proxy
//! serves the shared points at once, and another takes the syncs over when their holders stop; and a
//! carrier's notification is taken by whichever proxy it reaches.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use pvz_shared::ErrorBody;
use pvz_tests::boxberry::BoxberrySim;
use pvz_tests::cdek::CdekSim;
use pvz_tests::postgres::Postgres;
use pvz_tests::russianpost::{RussianPostSim, WAITING};
use pvz_tests::shop::{Receiver, Shop, WEBHOOK_SECRET, keyed, moscow_points, order};
use pvz_tests::{TestProxy, metric};
use reqwest::StatusCode;
use serde_json::Value;

/// `n` proxies on `postgres`, each with its own data directory, with `extra` settings.
async fn fleet(postgres: &Postgres, n: usize, extra: &[(&'static str, String)]) -> Vec<TestProxy> {
    let mut settings = keyed(extra);
    settings.push(("PVZ_DATABASE_URL", postgres.url.clone()));
    let mut proxies = Vec::new();
    for _ in 0..n {
        proxies.push(TestProxy::start_with(&settings).await);
    }
    proxies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipment_made_through_one_proxy_is_read_cancelled_and_reported_through_another() {
    let postgres = Postgres::start();
    let proxies = fleet(&postgres, 2, &[]).await;
    let (one, other) = (Shop::new(&proxies[0]), Shop::new(&proxies[1]));
    let (office, _) = moscow_points(&proxies[0]).await;
    let (status, made) = one.create(&order("F-1", &office), None).await;
    assert_eq!(status, StatusCode::CREATED, "{made:#}");
    let id = made["id"].as_str().unwrap();

    let seen = other.get(id).await;
    assert_eq!((seen["order_number"].as_str(), seen["state"].as_str()), (Some("F-1"), Some("registered")));
    assert_eq!(seen["track_number"], made["track_number"]);
    let (again, same) = other.create(&order("F-1", &office), None).await;
    assert_eq!((again, &same["id"]), (StatusCode::CREATED, &made["id"]), "the order is known to the other proxy");
    let listed = other.list("order_number=F-1").await;
    assert_eq!(listed["shipments"].as_array().map(Vec::len), Some(1), "{listed:#}");

    let (status, cancelled) = other.cancel(id).await;
    assert_eq!((status, cancelled["state"].as_str()), (StatusCode::OK, Some("cancelled")), "{cancelled:#}");
    assert_eq!(one.get(id).await["state"], "cancelled", "cancelled for the first proxy too");
    let report: Value = other.fetch("/reports/shipments?format=json").await.json().await.unwrap();
    let line = report["shipments"].as_array().unwrap().iter().find(|s| s["order_number"] == "F-1").cloned();
    assert_eq!(line.map(|l| l["state"].clone()), Some("cancelled".into()), "{report:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_proxies_deliver_every_shop_event_though_one_is_killed_while_delivering() {
    let postgres = Postgres::start();
    let (receiver, hook) = Receiver::serve(true).await;
    let mut proxies = fleet(
        &postgres,
        3,
        &[("PVZ_SHOP_WEBHOOK_URL", hook.clone()), ("PVZ_SHOP_WEBHOOK_SECRET", WEBHOOK_SECRET.into())],
    )
    .await;
    let (office, _) = moscow_points(&proxies[0]).await;
    let mut ids = Vec::new();
    for n in 0..30 {
        let shop = Shop::new(&proxies[n % 3]);
        let (status, shipment) = shop.create(&order(&format!("FW-{n}"), &office), None).await;
        assert_eq!(status, StatusCode::CREATED);
        ids.push(shipment["id"].as_str().unwrap().to_string());
    }
    for (n, id) in ids[..6].iter().enumerate() {
        assert_eq!(Shop::new(&proxies[(n + 1) % 3]).cancel(id).await.0, StatusCode::OK);
    }
    // Every proxy tries while the shop is down. Then two stop, the shop comes back slow to answer, and the
    // third is killed with its deliveries under way; a new proxy takes over what it owed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while receiver.refused.load(std::sync::atomic::Ordering::SeqCst) < 60 {
        assert!(Instant::now() < deadline, "the proxies kept trying");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for proxy in &mut proxies[1..] {
        proxy.shut_down().await.unwrap();
    }
    receiver.answer_after_ms.store(3000, std::sync::atomic::Ordering::SeqCst);
    receiver.down.store(false, std::sync::atomic::Ordering::SeqCst);
    while receiver.taken.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline + Duration::from_secs(20), "the last proxy never sent again");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    proxies[0].kill();
    let killed_at = Instant::now();
    // Whatever was on the wire has arrived by now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let in_flight = receiver.taken.lock().unwrap().len();
    receiver.answer_after_ms.store(0, std::sync::atomic::Ordering::SeqCst);
    let _successor = fleet(
        &postgres,
        1,
        &[("PVZ_SHOP_WEBHOOK_URL", hook.clone()), ("PVZ_SHOP_WEBHOOK_SECRET", WEBHOOK_SECRET.into())],
    )
    .await;

    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let taken = receiver.taken.lock().unwrap().clone();
        let mut deliveries: HashMap<&str, usize> = HashMap::new();
        for (id, ..) in &taken {
            *deliveries.entry(id.as_str()).or_default() += 1;
        }
        if deliveries.len() >= 36 {
            assert_eq!(deliveries.len(), 36, "30 registered, 6 cancelled");
            assert!(taken.iter().all(|(_, signed, _)| *signed), "every signature verifies");
            // The events the killed proxy was sending come again once their leases run out: under the same
            // id, the same event.
            let redelivered = Instant::now() + Duration::from_secs(40);
            while receiver.taken.lock().unwrap().len() < 36 + in_flight {
                assert!(Instant::now() < redelivered, "the events under way at the kill were not sent again");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            let taken = receiver.taken.lock().unwrap().clone();
            let mut deliveries: HashMap<&str, usize> = HashMap::new();
            for (id, ..) in &taken {
                *deliveries.entry(id.as_str()).or_default() += 1;
            }
            assert_eq!(deliveries.len(), 36, "no new event");
            let repeated = deliveries.values().filter(|n| **n > 1).count();
            assert_eq!(repeated, in_flight, "only those under way came twice");
            for (id, _, event) in &taken {
                let first = taken.iter().find(|(other, ..)| other == id).map(|(_, _, e)| e);
                assert_eq!(Some(event), first, "{id} came again as another event");
            }
            let cancelled: std::collections::HashSet<&String> =
                taken.iter().filter(|(_, _, e)| e["shipment"]["state"] == "cancelled").map(|(id, ..)| id).collect();
            assert_eq!(cancelled.len(), 6);
            println!(
                "36 events from proxies on one PostgreSQL, the one delivering killed with {in_flight} under way: \
                 {} deliveries ({repeated} events twice, the same event each time), the last {} s after the kill; \
                 {} refused while the shop was down",
                taken.len(),
                killed_at.elapsed().as_secs(),
                receiver.refused.load(std::sync::atomic::Ordering::SeqCst)
            );
            break;
        }
        assert!(Instant::now() < deadline, "{} of 36 events delivered", deliveries.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_proxies_share_tracking_answers_and_spend_one_russian_post_quota_between_them() {
    let postgres = Postgres::start();
    let sim = RussianPostSim::start(30).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT", "100".into()));
    settings.push(("PVZ_RATE_LIMIT_PER_SECOND", "1000000".into()));
    settings.push(("PVZ_RATE_LIMIT_BURST", "1000000".into()));
    let proxies = fleet(&postgres, 3, &settings).await;
    // One parcel's page opened through each proxy: one call, its answer shared through the database.
    for proxy in &proxies {
        let response = reqwest::get(proxy.url(&format!("/api/v1/tracking/{WAITING}"))).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(RussianPostSim::count(&sim.counters.tracking), 1, "asked once for the fleet");
    // 60 distinct parcels looked up through each proxy, all at once.
    let mut lookups = tokio::task::JoinSet::new();
    for (p, proxy) in proxies.iter().enumerate() {
        for n in 0..60 {
            let url = proxy.url(&format!("/api/v1/tracking/8008204510{:04}", p * 100 + n));
            lookups.spawn(async move {
                let response = reqwest::get(url).await.unwrap();
                let status = response.status();
                (status, response.json::<Value>().await.unwrap())
            });
        }
    }
    let answers = lookups.join_all().await;
    let calls = RussianPostSim::count(&sim.counters.tracking);
    let spent: Vec<&Value> =
        answers.iter().filter(|(status, _)| *status == StatusCode::SERVICE_UNAVAILABLE).map(|(_, b)| b).collect();
    let asked = answers.iter().filter(|(status, _)| *status == StatusCode::OK || *status == StatusCode::NOT_FOUND);
    assert_eq!(calls, 100, "the day's 100 calls between the three proxies, and not one more");
    assert_eq!(asked.count(), 99, "each of the other 99 calls answered a look-up");
    assert_eq!(spent.len(), 81, "the rest told the quota is spent");
    for body in spent {
        let error: ErrorBody = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(error.error.code, "quota_spent");
        assert!(error.error.message.contains("quota of 100"), "{}", error.error.message);
    }
    println!(
        "181 parcels looked up through 3 proxies with a daily limit of 100: {calls} tracking calls at the simulator"
    );
}

/// The points syncs `proxy` made at `carrier` so far.
async fn syncs(proxy: &TestProxy, carrier: &str) -> f64 {
    let metrics = reqwest::get(proxy.url("/metrics")).await.unwrap().text().await.unwrap();
    let line = format!(r#"pvz_upstream_calls_total{{carrier="{carrier}",operation="points",outcome="ok"}}"#);
    if metrics.contains(&line) { metric(&metrics, &line) } else { 0.0 }
}

/// The points syncs the proxies made at each carrier so far.
async fn fleet_syncs(proxies: &[TestProxy]) -> Vec<f64> {
    let mut totals = Vec::new();
    for carrier in CARRIERS {
        let mut total = 0.0;
        for proxy in proxies {
            total += syncs(proxy, carrier).await;
        }
        totals.push(total);
    }
    totals
}

const CARRIERS: [&str; 3] = ["cdek", "boxberry", "russianpost"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_proxies_sync_each_carrier_once_an_interval_and_a_fourth_serves_the_shared_points_at_once() {
    const INTERVAL: u64 = 3;
    let postgres = Postgres::start();
    let cdek = CdekSim::start(50, Duration::from_secs(3600)).await;
    let boxberry = BoxberrySim::start(200).await;
    let post = RussianPostSim::start(60).await;
    let mut settings = cdek.settings();
    settings.extend(boxberry.settings());
    settings.extend(post.settings());
    for key in ["PVZ_CDEK_SYNC_SECONDS", "PVZ_BOXBERRY_SYNC_SECONDS", "PVZ_RUSSIANPOST_SYNC_SECONDS"] {
        settings.push((key, INTERVAL.to_string()));
    }
    let points = [49, boxberry.mix.servable.len(), post.public_offices()];
    let mut proxies = fleet(&postgres, 3, &settings).await;
    for proxy in &proxies {
        for (carrier, n) in CARRIERS.iter().zip(points) {
            proxy.wait_for_points(carrier, n).await;
        }
    }
    let (before, started) = (fleet_syncs(&proxies).await, Instant::now());
    tokio::time::sleep(Duration::from_secs(10 * INTERVAL)).await;
    let after = fleet_syncs(&proxies).await;
    let intervals = started.elapsed().as_secs_f64() / INTERVAL as f64;
    for (i, carrier) in CARRIERS.iter().enumerate() {
        let made = after[i] - before[i];
        println!("3 proxies, {intervals:.1} sync intervals: {made} {carrier} syncs between them");
        assert!(made <= intervals.ceil() + 1.0, "{carrier}: once an interval between the three, not once each: {made}");
        assert!(made >= intervals / 2.0, "{carrier}: and every interval or so: {made}");
    }

    // A fourth proxy serves every carrier's points from the shared database, asking none of them.
    let fourth = fleet(&postgres, 1, &settings).await.remove(0);
    let starting = Instant::now();
    for (carrier, n) in CARRIERS.iter().zip(points) {
        fourth.wait_for_points(carrier, n).await;
    }
    let ready = starting.elapsed();
    println!("a fourth proxy served the three carriers' shared points {} ms after its start", ready.as_millis());
    assert!(ready < Duration::from_secs(10), "{ready:?}");
    assert_eq!(fleet_syncs(std::slice::from_ref(&fourth)).await, [0.0; 3], "no call to any carrier");

    // The three stop: the fourth takes the syncs over once their leases run out.
    for proxy in &mut proxies {
        proxy.shut_down().await.unwrap();
    }
    let stopped = Instant::now();
    while fleet_syncs(std::slice::from_ref(&fourth)).await.contains(&0.0) {
        assert!(stopped.elapsed() < Duration::from_secs(60), "nobody took every sync over");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!("the fourth proxy took every sync over {} ms after the others stopped", stopped.elapsed().as_millis());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_proxies_make_one_russian_post_batch_a_day_between_them() {
    let postgres = Postgres::start();
    let sim = RussianPostSim::start(60).await;
    let moscow = time::UtcOffset::from_hms(3, 0, 0).unwrap();
    let at = (time::OffsetDateTime::now_utc().to_offset(moscow) + time::Duration::seconds(8)).time();
    let mut settings = sim.settings();
    settings.push(("PVZ_RUSSIANPOST_BATCH_AT", format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second())));
    let proxies = fleet(&postgres, 3, &settings).await;
    for proxy in &proxies {
        proxy.wait_for_points("russianpost", sim.public_offices()).await;
    }
    let view: pvz_shared::ViewResponse =
        pvz_tests::get_json(&proxies[0].url("/api/v1/points?bbox=37.2,55.5,38.0,56.0&zoom=16")).await;
    let point = view.nearest.iter().chain(&view.points).next().expect("a Moscow office").id.clone();
    let mut ids = Vec::new();
    for n in 0..6 {
        let shop = Shop::new(&proxies[n % 3]);
        let (status, shipment) = shop.create(&order(&format!("FB-{n}"), &point), None).await;
        assert_eq!(status, StatusCode::CREATED, "{shipment:#}");
        ids.push(shipment["id"].as_str().unwrap().to_string());
    }
    for (n, id) in ids.iter().enumerate() {
        Shop::new(&proxies[(n + 1) % 3]).wait(id, "its barcode", |s| s["track_number"].is_string()).await;
    }
    // Every proxy's clock struck the batch's time; one asked for it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(RussianPostSim::count(&sim.counters.batches), 1, "one batch for the fleet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_carriers_notification_is_taken_by_whichever_proxy_the_balancer_sends_it_to() {
    let postgres = Postgres::start();
    let sim = CdekSim::start(50, Duration::from_secs(3600)).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_PUBLIC_URL", "https://pvz.shop.example".into()));
    let proxies = fleet(&postgres, 2, &settings).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.webhook().is_none() {
        assert!(Instant::now() < deadline, "the proxies subscribed CDEK's notifications");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let hook = sim.webhook().unwrap();
    let path = hook.strip_prefix("https://pvz.shop.example").unwrap().to_string();
    for proxy in &proxies {
        let posted = reqwest::Client::new()
            .post(proxy.url(&path))
            .body(r#"{"type":"ORDER_STATUS","uuid":"nope"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), StatusCode::OK, "taken at {}", proxy.url(""));
    }
}
