//! The shipments API as the shop's backend uses it, against a real proxy: the demo carriers registering at
//! once and tracked by the widget's tracking, and CDEK through its simulator, registering in the background,
//! refusing, followed through its statuses, cancelled, and never registering a parcel twice.

use std::time::{Duration, Instant};

use pvz_shared::ViewResponse;
use pvz_shared::tracking::{TrackStatus, Tracking};
use pvz_tests::cdek::CdekSim;
use pvz_tests::shop::{KEY, Receiver, Shop, WEBHOOK_SECRET, keyed, moscow_points, order};
use pvz_tests::{TestProxy, get_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn the_shop_api_takes_only_the_shops_backend_with_its_key() {
    let proxy = TestProxy::start_with(&keyed(&[])).await;
    let client = reqwest::Client::new();
    let url = proxy.url("/api/v1/shipments");
    let none = client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    let wrong = client.get(&url).bearer_auth("test-shop-key-0123456789abcdeX").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let page = client.get(&url).bearer_auth(KEY).header("Origin", "https://shop.example").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN, "a key in a page's script is no use there");
    assert!(page.headers().get("access-control-allow-origin").is_none());
    let preflight =
        client.request(reqwest::Method::OPTIONS, &url).header("Origin", "https://shop.example").send().await.unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none(), "no CORS for the shop's API");
    let other_key = client.get(&url).bearer_auth("another-key-of-the-shop-0000").send().await.unwrap();
    assert_eq!(other_key.status(), StatusCode::OK, "every configured key opens it");

    let closed = TestProxy::start().await;
    let answer = client.get(closed.url("/api/v1/shipments")).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "no keys configured: closed");
}

#[tokio::test]
async fn a_demo_shipment_is_registered_at_once_tracked_listed_and_cancelled() {
    let proxy = TestProxy::start_with(&keyed(&[])).await;
    let shop = Shop::new(&proxy);
    let (office, locker) = moscow_points(&proxy).await;
    let body = order("A-1001", &office);
    let (status, shipment) = shop.create(&body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{shipment:#}");
    assert_eq!(shipment["state"], "registered");
    assert_eq!(shipment["point_id"], office.as_str());
    assert!(shipment["cost"]["quoted"].as_u64().unwrap() > 0);
    assert_eq!(shipment["history"][0]["carrier_code"], "CREATED");
    let track = shipment["track_number"].as_str().expect("a track number").to_string();
    let parcel: Tracking = get_json(&proxy.url(&format!("/api/v1/tracking/{track}"))).await;
    assert_eq!(parcel.status, TrackStatus::Created);
    assert_eq!(parcel.point_id.as_deref(), Some(office.as_str()), "the buyer's tracking shows the chosen point");

    // The same request again: the same shipment; another body under the same order number: refused.
    let (again, same) = shop.create(&body, None).await;
    assert_eq!((again, &same["id"]), (StatusCode::CREATED, &shipment["id"]));
    let mut changed = body.clone();
    changed["comment"] = json!("Позвонить заранее");
    let (status, refusal) = shop.create(&changed, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refusal}");
    let (status, refusal) = shop.create(&changed, Some("A-1001/2")).await;
    assert_eq!(status, StatusCode::CONFLICT, "one live shipment per order: {refusal}");
    assert!(refusal["error"]["message"].as_str().unwrap().contains(shipment["id"].as_str().unwrap()));

    // Cancelled while the carrier has not taken it; then the order may ship again under a new key.
    let id = shipment["id"].as_str().unwrap();
    let (status, cancelled) = shop.cancel(id).await;
    assert_eq!((status, cancelled["state"].as_str()), (StatusCode::OK, Some("cancelled")), "{cancelled}");
    assert_eq!(shop.cancel(id).await.0, StatusCode::OK, "cancelling again changes nothing");
    let (status, second) = shop.create(&changed, Some("A-1001/2")).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");

    let all = shop.list("order_number=A-1001").await;
    assert_eq!(all["shipments"].as_array().unwrap().len(), 2);
    assert_eq!(all["shipments"][0]["id"], second["id"], "newest first");
    let live = shop.list("order_number=A-1001&state=registered").await;
    assert_eq!(live["shipments"].as_array().unwrap().len(), 1);
    let first_page = shop.list("limit=1").await;
    let cursor = first_page["next_cursor"].as_str().expect("a second page");
    let second_page = shop.list(&format!("limit=1&cursor={cursor}")).await;
    assert_eq!(second_page["shipments"][0]["id"], shipment["id"]);
    assert!(second_page.get("next_cursor").is_none());

    // A locker takes 15 kg at most: refused before anything is written, naming the parcel.
    let mut heavy = order("A-1002", &locker);
    heavy["parcel"]["weight_g"] = json!(25_000);
    let (status, refusal) = shop.create(&heavy, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refusal}");
    assert!(refusal["error"]["message"].as_str().unwrap().starts_with("parcel"), "{refusal}");
    assert!(shop.list("order_number=A-1002").await["shipments"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn every_bad_field_is_a_400_naming_it() {
    let proxy = TestProxy::start_with(&keyed(&[])).await;
    let shop = Shop::new(&proxy);
    let (office, _) = moscow_points(&proxy).await;
    let cases: &[(&str, Value, &str)] = &[
        ("/recipient/phone", json!("12345"), "recipient.phone"),
        ("/recipient/email", json!("maria@"), "recipient.email"),
        ("/recipient/name", json!("   "), "recipient.name"),
        ("/order_number", json!(""), "order_number"),
        ("/order_number", json!("x".repeat(41)), "order_number"),
        ("/point_id", json!("demo-express:nope"), "point_id"),
        ("/parcel/weight_g", json!(1000), "parcel.weight_g"),
        ("/items/0/quantity", json!(0), "items.quantity"),
        ("/comment", json!("x".repeat(300)), "comment"),
        ("/parcel/weight_g", json!(-5), "body"),
    ];
    for (pointer, value, field) in cases {
        let mut body = order("B-1", &office);
        *body.pointer_mut(pointer).unwrap() = value.clone();
        let (status, refusal) = shop.create(&body, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{pointer}: {refusal}");
        let message = refusal["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(field), "{pointer}: {message}");
    }
    let unknown = shop.fetch("/shipments/shp_0000000000000000").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    for query in ["state=lost", "limit=0", "from=yesterday", "cursor=abc"] {
        let answer = shop.fetch(&format!("/shipments?{query}")).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    let bad_key =
        shop.client.post(&shop.base).bearer_auth(KEY).header("Idempotency-Key", "").json(&order("B-2", &office));
    assert_eq!(bad_key.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
}

async fn cdek_proxy(sim: &CdekSim) -> TestProxy {
    let mut settings = sim.settings();
    settings.push(("PVZ_SHIPMENT_POLL_SECONDS", "1".into()));
    let proxy = TestProxy::start_with(&keyed(&settings)).await;
    proxy.wait_for_points("cdek", 49).await;
    proxy
}

/// A Moscow office of the simulator's.
const CDEK_OFFICE: &str = "cdek:MSK00000";

#[tokio::test]
async fn cdek_registers_in_the_background_follows_statuses_keeps_its_refusals_and_takes_corrections() {
    let sim = CdekSim::start(50, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim).await;
    let shop = Shop::new(&proxy);
    let (status, shipment) = shop.create(&order("C-1", CDEK_OFFICE), None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "CDEK processes orders in the background: {shipment:#}");
    assert_eq!(shipment["state"], "pending");
    assert!(shipment["carrier_ref"].as_str().is_some());
    let id = shipment["id"].as_str().unwrap().to_string();
    let registered = shop.wait(&id, "registered", |s| s["state"] == "registered").await;
    let sent = &sim.orders()[0];
    assert_eq!(registered["track_number"], sent.cdek_number.as_str());
    assert_eq!(registered["cost"]["final"], 26250, "CDEK's total_sum in kopecks");
    assert_eq!(sent.delivery_point, "MSK00000");
    assert_eq!(sent.tariff_code, 138, "door to office: no shipment point configured");
    let (again, same) = shop.create(&order("C-1", CDEK_OFFICE), None).await;
    assert_eq!((again, &same["id"]), (StatusCode::CREATED, &registered["id"]), "confirmed now: 201");

    sim.advance("C-1", "RECEIVED_AT_SHIPMENT_WAREHOUSE", "Принят на склад отправителя", "Москва");
    let moving = shop.wait(&id, "in transit", |s| s["state"] == "in_transit").await;
    let last = moving["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["carrier_code"].as_str(), last["city"].as_str()),
        (Some("RECEIVED_AT_SHIPMENT_WAREHOUSE"), Some("Москва"))
    );
    let (status, refusal) = shop.cancel(&id).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refusal}");
    assert!(refusal["error"]["message"].as_str().unwrap().contains("v2_order_not_deletable"), "{refusal}");
    assert_eq!(shop.get(&id).await["state"], "in_transit");

    // A number CDEK already has from elsewhere: rejected, with CDEK's code, never a 5xx.
    sim.preexisting("C-2");
    let (_, taken) = shop.create(&order("C-2", CDEK_OFFICE), None).await;
    let rejected = shop.wait(taken["id"].as_str().unwrap(), "rejected", |s| s["state"] == "rejected").await;
    assert_eq!(rejected["errors"][0]["code"], "error_validate_im_dep_number_has_already_had_integration");

    // An office that stopped taking orders: rejected; sent again to another office, registered.
    sim.close_office("MSK00003");
    let (_, closed) = shop.create(&order("C-4", "cdek:MSK00003"), None).await;
    let closed_id = closed["id"].as_str().unwrap();
    let rejected = shop.wait(closed_id, "rejected", |s| s["state"] == "rejected").await;
    assert_eq!(rejected["errors"][0]["code"], "v2_delivery_point_not_found");
    let retry = |body: Value| {
        let request = shop.client.post(format!("{}/{closed_id}/retry", shop.base)).bearer_auth(KEY).json(&body);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, refused) = retry(json!({"point_id": "demo-express:42005361"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "another carrier's point, or none: {refused}");
    let (status, again) = retry(json!({"point_id": CDEK_OFFICE})).await;
    assert_eq!((status, again["state"].as_str()), (StatusCode::OK, Some("pending")), "{again:#}");
    let registered = shop.wait(closed_id, "registered at the other office", |s| s["state"] == "registered").await;
    assert_eq!(registered["point_id"], CDEK_OFFICE);
    assert!(registered["errors"].as_array().unwrap().is_empty());
    let live: Vec<_> = sim.orders().into_iter().filter(|o| o.number == "C-4" && o.live()).collect();
    assert_eq!(live.len(), 1, "one live order: the refused one is not live");
    let (status, _) = retry(json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "only a rejected shipment is sent again");

    // Cancelled while only «Создан».
    let (_, fresh) = shop.create(&order("C-3", CDEK_OFFICE), None).await;
    let fresh_id = fresh["id"].as_str().unwrap();
    shop.wait(fresh_id, "registered", |s| s["state"] == "registered").await;
    let (status, cancelled) = shop.cancel(fresh_id).await;
    assert_eq!((status, cancelled["state"].as_str()), (StatusCode::OK, Some("cancelled")), "{cancelled}");
    assert!(sim.orders().iter().any(|o| o.number == "C-3" && o.deleted));
}

#[tokio::test]
async fn a_registration_whose_answer_was_lost_or_late_is_found_at_cdek_not_sent_again() {
    let sim = CdekSim::start(50, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim).await;
    let shop = Shop::new(&proxy);
    sim.fail_after_create(1);
    let (status, shipment) = shop.create(&order("D-1", CDEK_OFFICE), None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{shipment:#}");
    assert!(shipment["carrier_ref"].is_null(), "the answer was lost");
    let registered = shop.wait(shipment["id"].as_str().unwrap(), "registered", |s| s["state"] == "registered").await;
    assert_eq!(sim.orders().len(), 1, "one order at CDEK: {:?}", sim.orders());
    assert_eq!(registered["carrier_ref"], sim.orders()[0].uuid.as_str());

    // CDEK took the order and then kept the connection open past the timeout.
    sim.stall_after_create(1);
    let (status, shipment) = shop.create(&order("D-2", CDEK_OFFICE), None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{shipment:#}");
    let registered = shop.wait(shipment["id"].as_str().unwrap(), "registered", |s| s["state"] == "registered").await;
    let d2: Vec<_> = sim.orders().into_iter().filter(|o| o.number == "D-2").collect();
    assert_eq!(d2.len(), 1, "one order at CDEK: {d2:?}");
    assert_eq!(registered["carrier_ref"], d2[0].uuid.as_str());
}

#[tokio::test]
async fn a_thousand_concurrent_creates_with_a_hundred_repeats_make_nine_hundred_orders() {
    let sim = CdekSim::start(50, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim).await;
    let shop = std::sync::Arc::new(Shop::new(&proxy));
    let started = Instant::now();
    let asks = (0..1000).map(|i| {
        let shop = std::sync::Arc::clone(&shop);
        // Every 9th of the first 900 is sent a second time, with its key, at the end.
        let n = if i < 900 { i } else { (i - 900) * 9 };
        tokio::spawn(async move {
            let (status, shipment) =
                shop.create(&order(&format!("E-{n}"), CDEK_OFFICE), Some(&format!("key-{n}"))).await;
            (n, status, shipment["id"].as_str().map(String::from))
        })
    });
    let answers: Vec<_> = join_all(asks).await;
    let took = started.elapsed();
    assert!(
        answers.iter().all(|(_, status, id)| status.is_success() && id.is_some()),
        "{:?}",
        answers.iter().find(|a| !a.1.is_success())
    );
    for n in (0..900).step_by(9) {
        let ids: Vec<_> = answers.iter().filter(|(m, ..)| *m == n).map(|(_, _, id)| id.clone()).collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[0], ids[1], "a repeated key answers its shipment");
    }
    assert_eq!(CdekSim::count(&sim.counters.creates), 900, "one CDEK order per key");
    println!("1,000 creates (100 repeated) in {} ms", took.as_millis());
}

async fn join_all<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn every_state_change_reaches_the_shops_webhook_signed_after_it_was_down() {
    let (receiver, hook) = Receiver::serve(true).await;
    let proxy = TestProxy::start_with(&keyed(&[
        ("PVZ_SHOP_WEBHOOK_URL", hook),
        ("PVZ_SHOP_WEBHOOK_SECRET", WEBHOOK_SECRET.into()),
    ]))
    .await;
    let shop = Shop::new(&proxy);
    let (office, _) = moscow_points(&proxy).await;
    let mut ids = Vec::new();
    for n in 0..20 {
        let (status, shipment) = shop.create(&order(&format!("W-{n}"), &office), None).await;
        assert_eq!(status, StatusCode::CREATED);
        ids.push(shipment["id"].as_str().unwrap().to_string());
    }
    for id in &ids[..5] {
        assert_eq!(shop.cancel(id).await.0, StatusCode::OK);
    }
    // Down long enough for every event to be refused at least twice.
    let deadline = Instant::now() + Duration::from_secs(20);
    while receiver.refused.load(std::sync::atomic::Ordering::SeqCst) < 50 {
        assert!(Instant::now() < deadline, "the proxy kept trying");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let down_for = Instant::now();
    receiver.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let taken = receiver.taken.lock().unwrap().clone();
        let distinct: std::collections::HashSet<&String> = taken.iter().map(|(id, ..)| id).collect();
        if distinct.len() >= 25 {
            assert_eq!(distinct.len(), 25, "20 registered, 5 cancelled");
            assert!(taken.iter().all(|(_, signed, _)| *signed), "every signature verifies");
            let cancelled = taken.iter().filter(|(_, _, e)| e["shipment"]["state"] == "cancelled").count();
            assert_eq!(cancelled, 5);
            assert!(
                taken.iter().all(|(_, _, e)| e["type"] == "shipment.state_changed" && e["shipment"]["id"].is_string())
            );
            println!("25 events delivered {} ms after the endpoint came back", down_for.elapsed().as_millis());
            break;
        }
        assert!(Instant::now() < deadline, "{} of 25 events delivered", distinct.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn courier(carrier: &str, ids: &[&str], from: &str, to: &str, date: time::Date) -> Value {
    json!({"carrier": carrier, "date": date.to_string(), "time_from": from, "time_to": to, "shipment_ids": ids,
        "contact": {"name": "Склад Чайной лавки", "phone": "+7 495 123-45-67", "address": "ул. Тестовая, 1"}})
}

fn tomorrow() -> time::Date {
    (time::OffsetDateTime::now_utc() + time::Duration::days(1)).date()
}

#[tokio::test]
async fn demo_labels_courier_calls_and_the_report() {
    let proxy = TestProxy::start_with(&keyed(&[])).await;
    let shop = Shop::new(&proxy);
    let (office, _) = moscow_points(&proxy).await;
    let (_, shipment) = shop.create(&order("R-1", &office), None).await;
    let id = shipment["id"].as_str().unwrap();
    assert_eq!(shipment["label_ready"], false);
    let label = shop.label(id).await;
    assert_eq!(label.status(), StatusCode::OK);
    assert_eq!(label.headers()["content-type"], "application/pdf");
    let pdf = label.bytes().await.unwrap();
    assert!(
        pdf.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf).contains(shipment["track_number"].as_str().unwrap())
    );
    assert_eq!(shop.get(id).await["label_ready"], true, "kept once fetched");

    let taken = shop.courier(&courier("demo-express", &[id], "10:00", "18:00", tomorrow())).await;
    assert_eq!(taken.status(), StatusCode::CREATED);
    let taken: Value = taken.json().await.unwrap();
    assert_eq!(taken["requests"][0]["shipment_id"], id);
    let yesterday = tomorrow() - time::Duration::days(2);
    for (body, field) in [
        (courier("demo-express", &[id], "10:00", "18:00", yesterday), "date"),
        (courier("demo-express", &[id], "18:00", "10:00", tomorrow()), "time_to"),
        (courier("demo-express", &["shp_nope"], "10:00", "18:00", tomorrow()), "shipment_ids"),
        (courier("demo-post", &[id], "10:00", "18:00", tomorrow()), "shipment_ids"),
        (courier("nobody", &[id], "10:00", "18:00", tomorrow()), "carrier"),
    ] {
        let refused = shop.courier(&body).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{field}");
        let body: Value = refused.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().starts_with(field), "{body}");
    }

    let csv = shop.fetch("/reports/shipments").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("id,order_number,carrier"));
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with(&format!("{id},R-1,demo-express,")) && lines[1].contains(",registered,"), "{csv}");
    let json: Value = shop.fetch("/reports/shipments?format=json&from=2020-01-01").await.json().await.unwrap();
    assert_eq!(json["shipments"][0]["last_status"], "Заказ зарегистрирован магазином");
    let none: Value = shop.fetch("/reports/shipments?format=json&to=2020-01-01").await.json().await.unwrap();
    assert_eq!(none["shipments"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn cdek_receipts_are_waited_for_and_kept_and_couriers_called_within_cdeks_hours() {
    let sim = CdekSim::start(50, Duration::from_secs(3600)).await;
    let proxy = cdek_proxy(&sim).await;
    let shop = Shop::new(&proxy);
    let (_, shipment) = shop.create(&order("L-1", CDEK_OFFICE), None).await;
    let id = shipment["id"].as_str().unwrap().to_string();
    let early = shop.label(&id).await;
    assert_eq!(early.status(), StatusCode::CONFLICT, "no receipt before CDEK has the order");
    let registered = shop.wait(&id, "registered", |s| s["state"] == "registered").await;
    let started = Instant::now();
    let label = shop.label(&id).await;
    assert_eq!(label.status(), StatusCode::OK);
    let text = label.text().await.unwrap();
    assert!(text.contains(registered["carrier_ref"].as_str().unwrap()), "CDEK's receipt for the order: {text}");
    assert!(started.elapsed() >= Duration::from_secs(1), "CDEK makes it in the background");
    let again = shop.label(&id).await;
    assert_eq!(again.text().await.unwrap(), text);
    assert_eq!(sim.prints(), 1, "kept: asked of CDEK once");

    let short = shop.courier(&courier("cdek", &[&id], "10:00", "12:00", tomorrow())).await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY, "CDEK wants three hours");
    let body: Value = short.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("v2_intake_time_invalid"), "{body}");
    let taken = shop.courier(&courier("cdek", &[&id], "10:00", "18:00", tomorrow())).await;
    assert_eq!(taken.status(), StatusCode::CREATED);
    let taken: Value = taken.json().await.unwrap();
    assert!(taken["requests"][0]["carrier_ref"].as_str().is_some());
    let intake = &sim.intakes()[0];
    assert_eq!(intake["order_uuid"], registered["carrier_ref"]);
    assert_eq!(intake["sender"]["phones"][0]["number"], "+74951234567");
    assert_eq!(intake["intake_date"], tomorrow().to_string());
    let kept: Value = shop.fetch("/courier-calls").await.json().await.unwrap();
    let kept = kept["requests"].as_array().unwrap();
    assert_eq!(kept.len(), 1, "the refused call kept nothing, the taken one is kept: {kept:?}");
    assert_eq!((&kept[0]["shipment_id"], &kept[0]["carrier_ref"]), (&json!(id), &taken["requests"][0]["carrier_ref"]));
}

#[tokio::test]
async fn boxberry_registers_at_once_labels_cancels_and_never_sends_an_order_twice() {
    let sim = pvz_tests::boxberry::BoxberrySim::start(60).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_SHIPMENT_POLL_SECONDS", "1".into()));
    let proxy = TestProxy::start_with(&keyed(&settings)).await;
    proxy.wait_for_points("boxberry", sim.mix.servable.len()).await;
    let shop = Shop::new(&proxy);
    // A Moscow point of the network that is not abroad.
    let code = sim.mix.servable.iter().find(|c| !sim.mix.abroad.contains(c)).unwrap();
    let point_id = format!("boxberry:{code}");
    let (status, shipment) = shop.create(&order("B-1", &point_id), None).await;
    assert_eq!(status, StatusCode::CREATED, "ParcelCreate registers at once: {shipment:#}");
    let track = shipment["track_number"].as_str().unwrap().to_string();
    let parcels = sim.parcels();
    assert_eq!(parcels.len(), 1);
    assert_eq!((parcels[0].track.as_str(), parcels[0].point.as_str()), (track.as_str(), code.as_str()));
    assert_eq!(parcels[0].sdata["customer"]["phone"], "79123456789", "Boxberry's phone form");
    assert_eq!(parcels[0].sdata["price"], "2500.00", "the declared value in roubles");
    let id = shipment["id"].as_str().unwrap().to_string();
    let followed = shop.wait(&id, "its history read", |s| !s["history"].as_array().unwrap().is_empty()).await;
    assert_eq!(followed["history"][0]["carrier_code"], "Загружен реестр ИМ");

    let label = shop.label(&id).await;
    assert_eq!(label.status(), StatusCode::OK);
    assert!(label.text().await.unwrap().contains(&format!("Boxberry label {track}")));

    // A repeated order id is Boxberry's refusal in words: a rejected shipment, not a 5xx.
    let (_, twice) = shop.create(&order("B-1", &point_id), Some("B-1/again")).await;
    assert_eq!(twice["error"]["code"], "conflict", "one live shipment per order, checked before Boxberry: {twice}");
    let courier = shop.courier(&courier("boxberry", &[&id], "10:00", "18:00", tomorrow())).await;
    assert_eq!(courier.status(), StatusCode::UNPROCESSABLE_ENTITY, "parcels are handed in at Boxberry's points");

    let (status, cancelled) = shop.cancel(&id).await;
    assert_eq!((status, cancelled["state"].as_str()), (StatusCode::OK, Some("cancelled")), "{cancelled}");
    assert!(sim.parcels()[0].deleted);
    assert_eq!(pvz_tests::boxberry::BoxberrySim::count(&sim.counters.creates), 1);

    // Boxberry took the parcel but its answer was lost: found by the order id, not created again.
    sim.fail_after_create(1);
    let (status, lost) = shop.create(&order("B-2", &point_id), None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{lost:#}");
    let found = shop.wait(lost["id"].as_str().unwrap(), "registered", |s| s["state"] == "registered").await;
    let b2: Vec<_> = sim.parcels().into_iter().filter(|p| p.order_id == "B-2").collect();
    assert_eq!(b2.len(), 1, "one parcel at Boxberry");
    assert_eq!(found["track_number"], b2[0].track.as_str());
}

#[tokio::test]
async fn russian_post_puts_parcels_in_the_backlog_refuses_in_its_codes_and_prints_forms() {
    let sim = pvz_tests::russianpost::RussianPostSim::start(120).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_SHIPMENT_POLL_SECONDS", "1".into()));
    let proxy = TestProxy::start_with(&keyed(&settings)).await;
    proxy.wait_for_points("russianpost", sim.public_offices()).await;
    let view: ViewResponse = get_json(&proxy.url("/api/v1/points?bbox=37.2,55.5,38.0,56.0&zoom=16")).await;
    let point = view.nearest.iter().chain(&view.points).next().expect("a Moscow office").id.clone();
    let shop = Shop::new(&proxy);
    let (status, shipment) = shop.create(&order("P-1", &point), None).await;
    assert_eq!(status, StatusCode::CREATED, "in the backlog at once: {shipment:#}");
    let backlog = sim.backlog();
    assert_eq!(backlog.len(), 1);
    assert_eq!(shipment["carrier_ref"], backlog[0].id.to_string().as_str());
    let sent = &backlog[0].order;
    assert_eq!((sent["mail-type"].as_str(), sent["tel-address"].as_u64()), (Some("ECOM"), Some(79123456789)));
    assert_eq!(sent["ecom-data"]["delivery-point-index"], point.split_once(':').unwrap().1);
    let id = shipment["id"].as_str().unwrap().to_string();
    let label = shop.label(&id).await;
    assert_eq!(label.status(), StatusCode::OK);
    assert!(label.text().await.unwrap().contains("Russian Post forms"));
    let (status, cancelled) = shop.cancel(&id).await;
    assert_eq!((status, cancelled["state"].as_str()), (StatusCode::OK, Some("cancelled")), "{cancelled}");
    assert!(sim.backlog()[0].deleted);

    // A phone otpravka does not take: rejected with its code, no 5xx.
    let mut foreign = order("P-2", &point);
    foreign["recipient"]["phone"] = json!("+375 29 123-45-67");
    let (status, refused) = shop.create(&foreign, None).await;
    assert_eq!((status, refused["state"].as_str()), (StatusCode::CREATED, Some("rejected")), "{refused:#}");
    assert_eq!(refused["errors"][0]["code"], "ILLEGAL_TEL_ADDRESS");

    // The shop makes the day's batch itself: the waiting parcel gets its barcode.
    let (_, waiting) = shop.create(&order("P-3", &point), None).await;
    let (status, made) = shop.dispatch("russianpost").await;
    assert_eq!((status, made["shipments"].as_u64(), made["numbered"].as_u64()), (StatusCode::OK, Some(1), Some(1)));
    let numbered = shop.get(waiting["id"].as_str().unwrap()).await;
    let barcode = sim.backlog().into_iter().find_map(|o| o.batch).unwrap().1;
    assert_eq!(numbered["track_number"], barcode.as_str());
    let (status, again) = shop.dispatch("russianpost").await;
    assert_eq!((status, again["shipments"].as_u64()), (StatusCode::OK, Some(0)), "nothing left waiting");
    let (status, none) = shop.dispatch("cdek").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{none}");
}

#[tokio::test]
async fn cdek_status_notifications_move_a_shipment_between_polls() {
    let sim = CdekSim::start(50, Duration::from_secs(3600)).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_SHIPMENT_POLL_SECONDS", "3600".into()));
    settings.push(("PVZ_PUBLIC_URL", "https://pvz.shop.example/proxy".into()));
    let proxy = TestProxy::start_with(&keyed(&settings)).await;
    proxy.wait_for_points("cdek", 49).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.webhook().is_none() {
        assert!(Instant::now() < deadline, "the proxy subscribed CDEK's notifications");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let hook = sim.webhook().unwrap();
    let secret = hook.strip_prefix("https://pvz.shop.example/proxy/hooks/cdek/").expect("under the public URL");
    assert!(secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()), "{hook}");
    sim.set_webhook(proxy.url(&format!("/hooks/cdek/{secret}")));

    let shop = Shop::new(&proxy);
    let (_, shipment) = shop.create(&order("N-1", CDEK_OFFICE), None).await;
    let id = shipment["id"].as_str().unwrap().to_string();
    shop.wait(&id, "registered", |s| s["state"] == "registered").await;
    sim.advance("N-1", "RECEIVED_AT_SHIPMENT_WAREHOUSE", "Принят на склад отправителя", "Москва");
    // Polled once an hour: only the notification can move it within seconds.
    shop.wait(&id, "in transit on CDEK's word", |s| s["state"] == "in_transit").await;

    let client = reqwest::Client::new();
    let forged = client.post(proxy.url(&format!("/hooks/cdek/{}", "0".repeat(64)))).body("{}").send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND, "a wrong secret finds nothing");
    let unknown = client
        .post(proxy.url(&format!("/hooks/cdek/{secret}")))
        .body(r#"{"type":"ORDER_STATUS","uuid":"nope"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::OK, "taken, and nothing done");
}

/// A proxy whose Russian Post batch is made a few seconds after it starts, with `parcels` shipments in it:
/// each shipment's id and the barcode the batch gave it.
async fn batched(
    sim: &pvz_tests::russianpost::RussianPostSim,
    extra: &[(&'static str, String)],
    parcels: usize,
) -> (TestProxy, Shop, Vec<(String, String)>) {
    let moscow = time::UtcOffset::from_hms(3, 0, 0).unwrap();
    let at = (time::OffsetDateTime::now_utc().to_offset(moscow) + time::Duration::seconds(6)).time();
    let mut settings = sim.settings();
    settings.push(("PVZ_RUSSIANPOST_BATCH_AT", format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second())));
    settings.extend_from_slice(extra);
    let proxy = TestProxy::start_with(&keyed(&settings)).await;
    proxy.wait_for_points("russianpost", sim.public_offices()).await;
    let view: ViewResponse = get_json(&proxy.url("/api/v1/points?bbox=37.2,55.5,38.0,56.0&zoom=16")).await;
    let point = view.nearest.iter().chain(&view.points).next().expect("a Moscow office").id.clone();
    let shop = Shop::new(&proxy);
    let mut ids = Vec::new();
    for n in 0..parcels {
        let (status, shipment) = shop.create(&order(&format!("PB-{n}"), &point), None).await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(shipment["track_number"].is_null(), "no barcode before the batch");
        ids.push(shipment["id"].as_str().unwrap().to_string());
    }
    let mut numbered = Vec::new();
    for id in ids {
        let shipment = shop.wait(&id, "its barcode from the day's batch", |s| s["track_number"].is_string()).await;
        let sent = sim
            .backlog()
            .into_iter()
            .find(|o| Some(o.id.to_string().as_str()) == shipment["carrier_ref"].as_str())
            .unwrap();
        let barcode = sent.batch.unwrap().1;
        assert_eq!(shipment["track_number"], barcode.as_str());
        numbered.push((id, barcode));
    }
    (proxy, shop, numbered)
}

#[tokio::test]
async fn russian_post_batches_the_days_orders_and_follows_their_barcodes_to_delivery() {
    let sim = pvz_tests::russianpost::RussianPostSim::start(120).await;
    let fast = [
        ("PVZ_SHIPMENT_POLL_SECONDS", "1".to_string()),
        ("PVZ_RUSSIANPOST_TRACKING_TTL_SECONDS", "1".to_string()),
        ("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT", "100000".to_string()),
    ];
    let (_proxy, shop, parcels) = batched(&sim, &fast, 2).await;
    let (id, barcode) = &parcels[0];
    let office = ("101000", "Москва 101000");
    sim.operate(barcode, (1, "Приём"), (1, "Единичный"), ("344038", "Ростов-на-Дону 38"));
    shop.wait(id, "in transit once handed in", |s| s["state"] == "in_transit").await;
    sim.operate(barcode, (8, "Обработка"), (2, "Прибыло в место вручения"), office);
    shop.wait(id, "waiting at the office", |s| s["state"] == "ready_for_pickup").await;
    sim.operate(barcode, (2, "Вручение"), (1, "Вручение адресату"), office);
    let delivered = shop.wait(id, "delivered", |s| s["state"] == "delivered").await;
    let steps: Vec<_> = delivered["history"].as_array().unwrap().iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert!(
        steps.ends_with(&["Приём: Единичный", "Обработка: Прибыло в место вручения", "Вручение: Вручение адресату"]),
        "{delivered:#}"
    );
    assert_eq!(delivered["history"].as_array().unwrap().last().unwrap()["city"], "Москва 101000");
    assert_eq!(shop.get(&parcels[1].0).await["state"], "registered", "the other parcel was not handed in");
}

#[tokio::test]
async fn following_russian_post_parcels_leaves_half_the_days_tracking_quota_to_buyers() {
    let sim = pvz_tests::russianpost::RussianPostSim::start(120).await;
    let tight = [
        ("PVZ_SHIPMENT_POLL_SECONDS", "1".to_string()),
        ("PVZ_RUSSIANPOST_TRACKING_TTL_SECONDS", "1".to_string()),
        ("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT", "10".to_string()),
    ];
    let (proxy, _shop, parcels) = batched(&sim, &tight, 3).await;
    let calls = || pvz_tests::russianpost::RussianPostSim::count(&sim.counters.tracking);
    let deadline = Instant::now() + Duration::from_secs(10);
    while calls() < 5 {
        assert!(Instant::now() < deadline, "the parcels are followed: {} calls", calls());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(calls(), 5, "following stops at half of the 10 calls");
    let buyer = reqwest::get(proxy.url(&format!("/api/v1/tracking/{}", parcels[0].1))).await.unwrap();
    assert_eq!(buyer.status(), StatusCode::NOT_FOUND, "asked of Russian Post, which has no step of it yet");
    assert_eq!(calls(), 6, "the buyer's look-up spends the buyers' half");
}
