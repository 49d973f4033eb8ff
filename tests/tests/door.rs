//! Delivery to the door against a real proxy on the demo carriers: a buyer's typed street becomes addresses
//! down to the house, the chosen one gets both carriers' door prices with their dates, cached and shared
//! between buyers, and an address or parcel that cannot be priced is told apart from a carrier that does
//! not deliver there.

use pvz_shared::{AddressesResponse, DoorAddress, DoorQuotesResponse};
use pvz_tests::{TestProxy, get_json, metric};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn parcel() -> Value {
    json!({"weight_g": 1500, "boxes": [{"length": 30, "width": 20, "height": 10}], "declared_value": 250000, "cash_on_delivery": 0})
}

async fn door_quotes(proxy: &TestProxy, body: &Value) -> reqwest::Response {
    reqwest::Client::new().post(proxy.url("/api/v1/door-quotes")).json(body).send().await.unwrap()
}

/// Every carrier's door price for `address` and the usual parcel.
async fn priced(proxy: &TestProxy, address: &DoorAddress) -> DoorQuotesResponse {
    door_quotes(proxy, &json!({"address": address, "parcel": parcel()})).await.json().await.unwrap()
}

/// `GET /api/v1/addresses` for what the buyer typed, in `city` when given.
async fn addresses(proxy: &TestProxy, q: &str, city: Option<&str>) -> AddressesResponse {
    let mut url = reqwest::Url::parse(&proxy.url("/api/v1/addresses")).unwrap();
    url.query_pairs_mut().append_pair("q", q).extend_pairs(city.map(|c| ("city", c)));
    get_json(url.as_str()).await
}

const KEY: &str = "door-test-shop-key-0123456789";

/// A shipment to `address` by `carrier`'s courier, as the shop's backend sends it.
fn door_order(number: &str, carrier: &str, address: &Value) -> Value {
    json!({
        "order_number": number,
        "door": {"carrier": carrier, "address": address},
        "parcel": parcel(),
        "recipient": {"name": "Иванова Мария", "phone": "+7 912 345-67-89"},
        "items": [{"name": "Пуэр", "sku": "PU-357", "price": 160000, "quantity": 1, "weight_g": 450}],
    })
}

/// `POST /api/v1/shipments` with the shop's key: the status and the answer.
async fn create(proxy: &TestProxy, body: &Value) -> (StatusCode, Value) {
    let request = reqwest::Client::new().post(proxy.url("/api/v1/shipments")).bearer_auth(KEY).json(body);
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

/// The demo carriers' tariff calls so far (none before the first).
async fn tariff_calls(proxy: &TestProxy) -> f64 {
    let metrics = reqwest::get(proxy.url("/metrics")).await.unwrap().text().await.unwrap();
    ["demo-express", "demo-post"]
        .iter()
        .map(|c| format!(r#"pvz_upstream_calls_total{{carrier="{c}",operation="tariff",outcome="ok"}}"#))
        .filter(|line| metrics.contains(line.as_str()))
        .map(|line| metric(&metrics, &line))
        .sum()
}

#[tokio::test]
async fn a_typed_street_becomes_houses_and_the_chosen_house_gets_both_carriers_prices_once() {
    let proxy = TestProxy::start().await;
    let street: AddressesResponse = addresses(&proxy, "ул. Лени", Some("Казань")).await;
    assert!(!street.suggestions.is_empty(), "«ул. Лени» in Kazan");
    assert!(street.suggestions.iter().all(|s| !s.precise && s.address.house.is_empty()), "a street asks for its house");
    let houses: AddressesResponse = addresses(&proxy, "ул Ленина 12", Some("Казань")).await;
    assert_eq!(houses.suggestions.len(), 1);
    let chosen = &houses.suggestions[0];
    assert!(chosen.precise);
    assert_eq!((chosen.label.as_str(), chosen.address.city.as_str()), ("ул. Ленина, 12", "Казань"));

    let body = json!({"address": chosen.address, "parcel": parcel()});
    let before = tariff_calls(&proxy).await;
    // Twenty buyers on the same house at once, cold: one upstream call a carrier, shared.
    let asks: Vec<_> = (0..20)
        .map(|_| {
            let request = reqwest::Client::new().post(proxy.url("/api/v1/door-quotes")).json(&body);
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    for ask in asks {
        assert_eq!(ask.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(tariff_calls(&proxy).await - before, 2.0, "cold and concurrent: one call a carrier");
    let response = door_quotes(&proxy, &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let priced: DoorQuotesResponse = response.json().await.unwrap();
    assert_eq!(tariff_calls(&proxy).await - before, 2.0, "warm: answered from the cache");
    assert!(priced.unavailable.is_empty(), "{:?}", priced.unavailable);
    let carriers: Vec<&str> = priced.quotes.iter().map(|q| q.carrier.0.as_str()).collect();
    assert_eq!(carriers.len(), 2, "both demo carriers bring it to the door: {carriers:?}");
    assert!(priced.quotes.windows(2).all(|w| w[0].cost.kopecks <= w[1].cost.kopecks), "cheapest first");
    assert!(priced.quotes[0].cheapest && !priced.quotes[1].cheapest);
    assert_eq!(priced.quotes.iter().filter(|q| q.fastest).count(), 1, "{priced:?}");
    assert!(priced.quotes.iter().all(|q| q.days.from_date.is_some() && q.days.to_date >= q.days.from_date), "dates");
    // Another house of the same street costs the same: the same keys.
    let neighbour: AddressesResponse = addresses(&proxy, "ул Ленина 14", Some("Казань")).await;
    let next = door_quotes(&proxy, &json!({"address": neighbour.suggestions[0].address, "parcel": parcel()})).await;
    let next: DoorQuotesResponse = next.json().await.unwrap();
    assert_eq!(
        next.quotes.iter().map(|q| q.cost).collect::<Vec<_>>(),
        priced.quotes.iter().map(|q| q.cost).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn what_cannot_be_priced_says_why() {
    let proxy = TestProxy::start().await;
    let houses: AddressesResponse = addresses(&proxy, "Мира 5", Some("Казань")).await;
    let mut address = serde_json::to_value(&houses.suggestions[0].address).unwrap();

    // A city the carriers do not serve: each says so instead of vanishing.
    let mut far = address.clone();
    far["city"] = json!("Атлантида");
    let answer: DoorQuotesResponse =
        door_quotes(&proxy, &json!({"address": far, "parcel": parcel()})).await.json().await.unwrap();
    assert!(answer.quotes.is_empty());
    assert_eq!(answer.unavailable.len(), 2);
    assert!(
        answer.unavailable.iter().all(|u| u.code == "not_supported" && u.message.contains("Атлантида")),
        "{answer:?}"
    );

    // No house: not an address a courier can find.
    address["house"] = json!("");
    let response = door_quotes(&proxy, &json!({"address": address, "parcel": parcel()})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().starts_with("address:"), "{body}");
    address["house"] = json!("5");
    let mut weightless = parcel();
    weightless["weight_g"] = json!(0);
    assert_eq!(
        door_quotes(&proxy, &json!({"address": address, "parcel": weightless})).await.status(),
        StatusCode::BAD_REQUEST
    );
    let no_query = reqwest::get(proxy.url("/api/v1/addresses?city=x")).await.unwrap();
    assert_eq!(no_query.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn cdek_prices_the_door_by_its_postcode_beside_the_demo_carriers() {
    let sim = pvz_tests::cdek::CdekSim::start(50, std::time::Duration::from_secs(3600)).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_DEMO", "true".into()));
    let proxy = TestProxy::start_with(&settings).await;
    proxy.wait_for_points("cdek", 49).await;
    let houses: AddressesResponse = addresses(&proxy, "Мира 5", Some("Казань")).await;
    let body = json!({"address": houses.suggestions[0].address, "parcel": parcel()});
    let calculations = || pvz_tests::cdek::CdekSim::count(&sim.counters.calculations);
    let before = calculations();
    let priced: DoorQuotesResponse = door_quotes(&proxy, &body).await.json().await.unwrap();
    let cdek = priced.quotes.iter().find(|q| q.carrier.0 == "cdek").expect("CDEK's door price");
    assert_eq!(cdek.tariff, "Посылка склад-дверь", "the tariff that ends at the door");
    assert_eq!(priced.quotes.len(), 3, "CDEK and both demo carriers side by side: {priced:?}");
    let again: DoorQuotesResponse = door_quotes(&proxy, &body).await.json().await.unwrap();
    assert_eq!(again, priced);
    assert_eq!(calculations() - before, 1, "one calculation at CDEK for both requests");

    // Without a postcode CDEK cannot price a door, and says so; the others still do.
    let mut unknown = body.clone();
    unknown["address"]["postal_code"] = json!("");
    let partial: DoorQuotesResponse = door_quotes(&proxy, &unknown).await.json().await.unwrap();
    let refusal = partial.unavailable.iter().find(|u| u.carrier.0 == "cdek").expect("CDEK says why");
    assert!(refusal.message.contains("postcode"), "{refusal:?}");
    assert!(partial.quotes.iter().any(|q| q.carrier.0 == "demo-express"));
}

#[tokio::test]
async fn boxberry_checks_the_postcode_for_couriers_before_it_prices_the_door() {
    let sim = pvz_tests::boxberry::BoxberrySim::start(200).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_DEMO", "true".into()));
    let proxy = TestProxy::start_with(&settings).await;
    proxy.wait_for_points("boxberry", sim.mix.servable.len()).await;
    let kazan: AddressesResponse = addresses(&proxy, "Мира 5", Some("Казань")).await;
    let answer = priced(&proxy, &kazan.suggestions[0].address).await;
    let boxberry = answer.quotes.iter().find(|q| q.carrier.0 == "boxberry").expect("Boxberry's couriers come to Kazan");
    assert_eq!(boxberry.tariff, "Курьерская доставка");
    assert!(boxberry.cost.kopecks > 0);

    // Novosibirsk's postcodes have no Boxberry courier here: it says so; the demo carriers still price it.
    let novosibirsk: AddressesResponse = addresses(&proxy, "Мира 5", Some("Новосибирск")).await;
    let address = &novosibirsk.suggestions[0].address;
    let answer = priced(&proxy, address).await;
    let refusal = answer.unavailable.iter().find(|u| u.carrier.0 == "boxberry").expect("Boxberry says why");
    assert_eq!(refusal.code, "not_supported");
    assert!(refusal.message.contains(&address.postal_code), "{refusal:?}");
    assert_eq!(answer.quotes.len(), 2, "both demo carriers: {answer:?}");
}

#[tokio::test]
async fn russian_post_brings_online_courier_parcels_where_its_office_has_couriers() {
    let sim = pvz_tests::russianpost::RussianPostSim::start(120).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_DEMO", "true".into()));
    let proxy = TestProxy::start_with(&settings).await;
    proxy.wait_for_points("russianpost", sim.public_offices()).await;
    let kazan: AddressesResponse = addresses(&proxy, "Мира 5", Some("Казань")).await;
    let answer = priced(&proxy, &kazan.suggestions[0].address).await;
    let post = answer.quotes.iter().find(|q| q.carrier.0 == "russianpost").expect("a courier from the Kazan office");
    assert_eq!(post.tariff, "Курьер онлайн обыкновенный");

    let novosibirsk: AddressesResponse = addresses(&proxy, "Мира 5", Some("Новосибирск")).await;
    let answer = priced(&proxy, &novosibirsk.suggestions[0].address).await;
    let refusal = answer.unavailable.iter().find(|u| u.carrier.0 == "russianpost").expect("Russian Post says why");
    assert_eq!(refusal.code, "not_supported");
    assert!(refusal.message.contains("1343"), "the calculator's own words and code: {refusal:?}");
}

#[tokio::test]
async fn a_door_chosen_by_the_buyer_is_registered_at_cdek_with_its_to_location() {
    let sim = pvz_tests::cdek::CdekSim::start(50, std::time::Duration::from_secs(3600)).await;
    let mut settings = sim.settings();
    settings.push(("PVZ_DEMO", "true".into()));
    settings.push(("PVZ_SHIPMENT_POLL_SECONDS", "1".into()));
    settings.push(("PVZ_SHOP_API_KEYS", KEY.into()));
    let proxy = TestProxy::start_with(&settings).await;
    proxy.wait_for_points("cdek", 49).await;
    let kazan: AddressesResponse = addresses(&proxy, "Мира 5", Some("Казань")).await;
    let mut address = serde_json::to_value(&kazan.suggestions[0].address).unwrap();
    address["flat"] = json!("кв. 17");
    let order = |number: &str, carrier: &str| door_order(number, carrier, &address);
    let client = reqwest::Client::new();
    let (status, shipment) = create(&proxy, &order("DR-1", "cdek")).await;
    assert!(status.is_success(), "{shipment:#}");
    assert_eq!(shipment["address"]["postal_code"], address["postal_code"]);
    assert!(shipment["cost"]["quoted"].as_u64().unwrap() > 0, "priced as the buyer was shown");
    let id = shipment["id"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now: Value = client
            .get(proxy.url(&format!("/api/v1/shipments/{id}")))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if now["state"] == "registered" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "registered at CDEK: {now:#}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sent = sim.orders().into_iter().find(|o| o.number == "DR-1").expect("the order at CDEK");
    let to = sent.to_location.expect("a to_location, not a delivery point");
    assert_eq!(to["postal_code"], address["postal_code"]);
    assert!(to["address"].as_str().unwrap().contains("Мира"), "{to}");
    assert!(sent.delivery_point.is_empty());
    assert!(matches!(sent.tariff_code, 137 | 139), "a tariff that ends at the door: {}", sent.tariff_code);

    // The demo carriers register doors too; a point and a door at once is no request.
    let (status, demo) = create(&proxy, &order("DR-2", "demo-express")).await;
    assert_eq!((status, demo["state"].as_str()), (StatusCode::CREATED, Some("registered")), "{demo:#}");
    let mut both = order("DR-3", "cdek");
    both["point_id"] = json!("cdek:MSK00000");
    let (status, refused) = create(&proxy, &both).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let mut houseless = order("DR-4", "cdek");
    houseless["door"]["address"]["house"] = json!("");
    assert_eq!(create(&proxy, &houseless).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn boxberry_and_russian_post_register_doors_with_the_address_in_their_own_fields() {
    let boxberry = pvz_tests::boxberry::BoxberrySim::start(200).await;
    let post = pvz_tests::russianpost::RussianPostSim::start(120).await;
    let mut settings = boxberry.settings();
    settings.extend(post.settings());
    settings.push(("PVZ_SHOP_API_KEYS", KEY.into()));
    settings.push(("PVZ_DEMO", "true".into()));
    let proxy = TestProxy::start_with(&settings).await;
    proxy.wait_for_points("boxberry", boxberry.mix.servable.len()).await;
    proxy.wait_for_points("russianpost", post.public_offices()).await;
    let kazan: AddressesResponse = addresses(&proxy, "Мира 5", Some("Казань")).await;
    let mut address = serde_json::to_value(&kazan.suggestions[0].address).unwrap();
    address["flat"] = json!("17");
    let postcode = address["postal_code"].as_str().unwrap().to_string();

    let (status, shipment) = create(&proxy, &door_order("BX-D1", "boxberry", &address)).await;
    assert_eq!((status, shipment["state"].as_str()), (StatusCode::CREATED, Some("registered")), "{shipment:#}");
    let parcel = boxberry.parcels().into_iter().find(|p| p.order_id == "BX-D1").expect("the parcel at Boxberry");
    assert_eq!(parcel.sdata["vid"], "2", "by courier");
    assert_eq!(parcel.sdata["kurdost"]["index"], postcode.as_str());
    assert_eq!(parcel.sdata["kurdost"]["citi"], "Казань");
    assert_eq!(parcel.sdata["kurdost"]["addressp"], "ул. Мира, д. 5, кв. 17");

    let (status, shipment) = create(&proxy, &door_order("RP-D1", "russianpost", &address)).await;
    assert!(status.is_success() && shipment["errors"] == json!([]), "{shipment:#}");
    let order = post.backlog().into_iter().find(|o| o.order["order-num"] == "RP-D1").expect("the order in the backlog");
    assert_eq!(order.order["mail-type"], "ONLINE_COURIER");
    assert_eq!(order.order["index-to"].as_u64().unwrap().to_string(), postcode);
    assert_eq!((order.order["street-to"].as_str(), order.order["house-to"].as_str()), (Some("ул. Мира"), Some("5")));
    assert_eq!(order.order["room-to"], "кв. 17");
    assert!(order.order.get("ecom-data").is_none(), "no point");

    // Where their couriers do not come, neither takes the door: it is not priced, and nothing is sent.
    let novosibirsk: AddressesResponse = addresses(&proxy, "Мира 5", Some("Новосибирск")).await;
    let far = serde_json::to_value(&novosibirsk.suggestions[0].address).unwrap();
    for carrier in ["boxberry", "russianpost"] {
        let (status, refused) = create(&proxy, &door_order(&format!("{carrier}-far"), carrier, &far)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{carrier}: {refused}");
        assert!(refused["error"]["message"].as_str().unwrap().starts_with("door: "), "the field named: {refused}");
    }
}

#[tokio::test]
async fn the_geocoder_adds_door_addresses_with_their_parts_once_per_query_and_its_faults_cost_nothing() {
    let geocoder = pvz_tests::geocoder::Geocoder::start().await;
    let proxy = TestProxy::start_with(&[("PVZ_GEOCODER_URL", geocoder.search_url())]).await;
    let url = proxy.url("/api/v1/addresses?q=%D0%A2%D0%B2%D0%B5%D1%80%D1%81%D0%BA%D0%B0%D1%8F%207&city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0");
    let found: AddressesResponse = get_json(&url).await;
    let geocoded: Vec<_> = found.suggestions.iter().filter(|s| s.address.postal_code == "125009").collect();
    assert_eq!(geocoded.len(), 1, "the geocoder's place with a street; the one without is left out: {found:?}");
    let place = geocoded[0];
    assert!(place.precise);
    assert_eq!(
        (place.label.as_str(), place.address.house.as_str(), place.address.city.as_str()),
        ("Тверская улица, 7", "7", "Москва")
    );
    let _: AddressesResponse = get_json(&url).await;
    assert_eq!(geocoder.calls(), 1, "asked once for the same query");

    geocoder.counters.failing.store(true, std::sync::atomic::Ordering::SeqCst);
    let other = reqwest::get(proxy.url("/api/v1/addresses?q=%D0%A2%D0%B2%D0%B5%D1%80%D1%81%D0%BA%D0%B0%D1%8F%209"))
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK, "a failing geocoder costs its lines, not the answer");
}
