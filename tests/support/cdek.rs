//! A CDEK API v2 simulator on a loopback port, speaking CDEK's wire format: OAuth client credentials with
//! expiring tokens and CDEK's 401 bodies (`v2_authorization_incorrect`, `v2_token_expired`), the paged
//! `GET /deliverypoints` (a bare array, `X-Total-Pages`/`X-Total-Elements`/`X-Current-Page` headers),
//! `POST /calculator/tarifflist` with `errors[]`, and orders: `POST /orders` answered 202 and processed in
//! the background (ACCEPTED, then SUCCESSFUL with a `cdek_number`, or INVALID with CDEK's error codes, a
//! repeated shop number among them), `GET /orders/{uuid}`, `GET /orders?cdek_number=|im_number=` and
//! `DELETE /orders/{uuid}` while the order is only «Создан»; receipts made in the background
//! (`POST /print/orders`, then ACCEPTED, PROCESSING, READY and the PDF at `/print/orders/{uuid}.pdf`) and
//! courier calls (`POST /intakes`, refused outside 09:00–22:00 or for less than three hours). It counts every call and
//! can be switched into faults: 500s, answers slower than any timeout, garbage bodies, expired tokens; from
//! a test in the same process, or over `POST /control/fault` and `POST /control/expire-tokens` from one
//! that is not.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub use crate::fault::Fault;
use crate::fault::FaultSwitch;

pub const CLIENT_ID: &str = "shop-client";
pub const CLIENT_SECRET: &str = "shop-secret";
/// An order the simulator knows, waiting at the first office.
pub const KNOWN_ORDER: &str = "1106394527";
/// The same order by the shop's own number.
pub const SHOP_ORDER: &str = "shop-42";

#[derive(Default)]
pub struct Counters {
    pub tokens: AtomicUsize,
    pub pages: AtomicUsize,
    pub calculations: AtomicUsize,
    pub orders: AtomicUsize,
    pub rejected: AtomicUsize,
    /// `POST /orders` calls answered.
    pub creates: AtomicUsize,
}

/// How long CDEK takes to process a new order.
const PROCESSING: Duration = Duration::from_millis(300);

/// An order the shop created through the API.
#[derive(Debug, Clone)]
pub struct SimOrder {
    pub uuid: String,
    /// The shop's number.
    pub number: String,
    pub cdek_number: String,
    pub delivery_point: String,
    /// Where a courier brings it, for an order to a door.
    pub to_location: Option<Value>,
    pub tariff_code: u64,
    pub created: Instant,
    /// Why CDEK refuses it, once processed: (code, message).
    pub invalid: Option<(String, String)>,
    /// Statuses after «Создан», newest last: (code, name, city).
    pub statuses: Vec<(String, String, String)>,
    pub deleted: bool,
}

impl SimOrder {
    fn processed(&self) -> bool {
        self.created.elapsed() >= PROCESSING
    }

    /// A live order: neither refused nor deleted.
    pub fn live(&self) -> bool {
        self.invalid.is_none() && !self.deleted
    }
}

struct Sim {
    offices: Vec<Value>,
    /// Offices of Kazakhstan (`country_code=KZ`).
    abroad: Vec<Value>,
    token_lifetime: Duration,
    /// Issued tokens and when they expire.
    tokens: Mutex<HashMap<String, Instant>>,
    fault: Arc<FaultSwitch>,
    next_token: AtomicU64,
    counters: Arc<Counters>,
    orders: Mutex<Vec<SimOrder>>,
    /// Creates still to be stored and then answered with a 500, as when CDEK fails after taking the order.
    fail_after_create: AtomicUsize,
    /// Offices that no longer take orders, though they are still listed.
    closed: Mutex<Vec<String>>,
    /// Creates still to be stored and then answered only after the proxy's timeout has passed.
    stall_after_create: AtomicUsize,
    /// Receipts asked for: (its uuid, the order's uuid, when).
    prints: Mutex<Vec<(String, String, Instant)>>,
    /// Courier calls taken, as sent.
    intakes: Mutex<Vec<Value>>,
    /// Where `ORDER_STATUS` notifications go, once subscribed (`POST /webhooks`).
    webhook: Mutex<Option<String>>,
}

/// `POST /webhooks`: `ORDER_STATUS` notifications to `url` from now on.
async fn subscribe(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let url = body["url"].as_str().filter(|u| u.starts_with("http")).map(String::from);
    if body["type"] != "ORDER_STATUS" || url.is_none() {
        return (StatusCode::BAD_REQUEST, Json(error_body("CREATE", "v2_field_is_empty", "Не указан адрес или тип")))
            .into_response();
    }
    *sim.webhook.lock().unwrap() = url;
    Json(json!({"entity": {"uuid": "0f0f0f0f-0000-4000-8000-000000000001"}, "requests": [{"type": "CREATE", "state": "SUCCESSFUL"}]}))
        .into_response()
}

/// How long CDEK takes to make a receipt.
const PRINTING: Duration = Duration::from_millis(1200);

/// `POST /print/orders`.
async fn print_orders(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let order = body["orders"][0]["order_uuid"].as_str().unwrap_or_default().to_string();
    if !sim.orders.lock().unwrap().iter().any(|o| o.uuid == order && o.live()) {
        return (StatusCode::BAD_REQUEST, Json(error_body("CREATE", "v2_entity_not_found", "Заказ не найден")))
            .into_response();
    }
    let mut prints = sim.prints.lock().unwrap();
    let uuid = format!("5b5b5b5b-0000-4000-8000-{:012}", prints.len());
    prints.push((uuid.clone(), order, Instant::now()));
    (
        StatusCode::ACCEPTED,
        Json(json!({"entity": {"uuid": uuid}, "requests": [{"request_uuid": format!("p-{uuid}"),
        "type": "CREATE", "date_time": "2026-11-30T10:00:00+0000", "state": "ACCEPTED"}], "related_entities": []})),
    )
        .into_response()
}

/// `GET /print/orders/{uuid}`: the receipt's statuses; `GET /print/orders/{uuid}.pdf`: the file, once READY.
async fn print_file(State(sim): State<Arc<Sim>>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let (uuid, pdf) = match file.strip_suffix(".pdf") {
        Some(uuid) => (uuid.to_string(), true),
        None => (file, false),
    };
    let Some((_, order, asked)) = sim.prints.lock().unwrap().iter().find(|p| p.0 == uuid).cloned() else {
        return not_found();
    };
    let elapsed = asked.elapsed();
    let ready = elapsed >= PRINTING;
    if pdf {
        return match ready {
            true => (
                [("content-type", "application/pdf")],
                format!(
                    "%PDF-1.4
% CDEK receipt for order {order}
%%EOF
"
                ),
            )
                .into_response(),
            false => not_found(),
        };
    }
    let mut statuses = vec![json!({"code": "ACCEPTED", "name": "Принят", "date_time": "2026-11-30T10:00:00+0000"})];
    if elapsed >= PRINTING / 3 {
        statuses.push(json!({"code": "PROCESSING", "name": "Формируется", "date_time": "2026-11-30T10:00:01+0000"}));
    }
    let mut entity = json!({"uuid": uuid, "orders": [{"order_uuid": order}], "copy_count": 2, "statuses": statuses});
    if ready {
        entity["statuses"]
            .as_array_mut()
            .unwrap()
            .push(json!({"code": "READY", "name": "Сформирован", "date_time": "2026-11-30T10:00:02+0000"}));
        entity["url"] = json!(format!("https://api.cdek.ru/v2/print/orders/{uuid}.pdf"));
    }
    Json(json!({"entity": entity, "requests": [], "related_entities": []})).into_response()
}

/// `POST /intakes`.
async fn intakes(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let minutes = |key: &str| {
        let text = body[key].as_str().unwrap_or_default();
        let (h, m) = text.split_once(':').unwrap_or_default();
        h.parse::<u32>().ok().zip(m.parse::<u32>().ok()).map(|(h, m)| h * 60 + m)
    };
    let refuse = |code: &str, message: &str| {
        (StatusCode::BAD_REQUEST, Json(error_body("CREATE", code, message))).into_response()
    };
    let (Some(from), Some(to)) = (minutes("intake_time_from"), minutes("intake_time_to")) else {
        return refuse("v2_field_is_empty", "Не указано время ожидания курьера");
    };
    if from < 9 * 60 || to > 22 * 60 || to < from + 180 {
        return refuse("v2_intake_time_invalid", "Время ожидания курьера: с 9:00 до 22:00, не менее 3 часов");
    }
    let order = body["order_uuid"].as_str().unwrap_or_default();
    if !sim.orders.lock().unwrap().iter().any(|o| o.uuid == order && o.live()) {
        return refuse("v2_entity_not_found", "Заказ не найден");
    }
    let mut intakes = sim.intakes.lock().unwrap();
    let uuid = format!("1a1a1a1a-0000-4000-8000-{:012}", intakes.len());
    intakes.push(body.clone());
    (
        StatusCode::ACCEPTED,
        Json(json!({"entity": {"uuid": uuid}, "requests": [{"request_uuid": format!("i-{uuid}"),
        "type": "CREATE", "date_time": "2026-11-30T10:00:00+0000", "state": "ACCEPTED"}], "related_entities": []})),
    )
        .into_response()
}

pub struct CdekSim {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
    pub mix: Mix,
    sim: Arc<Sim>,
}

fn error_body(kind: &str, code: &str, message: &str) -> Value {
    json!({"requests": [{"type": kind, "date_time": "2026-11-22T10:00:00+0000", "state": "INVALID",
        "errors": [{"code": code, "message": message}]}], "related_entities": []})
}

/// What the simulated network holds, for the tests' expectations.
#[derive(Debug, Clone, Default)]
pub struct Mix {
    /// Postamats open round the clock, by code, in each of CDEK's three spellings.
    pub round_the_clock: Vec<String>,
    /// Offices whose `work_time_list` says nothing readable and whose `work_time` says the hours in words.
    pub hours_in_words: Vec<String>,
    /// Offices whose hours neither says readably.
    pub hours_unknown: Vec<String>,
    /// Kazakhstan's offices a buyer can choose (served when the proxy asks for `KZ`).
    pub abroad: Vec<String>,
    /// Kazakhstan's records without coordinates, and of the wrong shape.
    pub abroad_no_location: usize,
    pub abroad_unreadable: usize,
}

/// CDEK's three ways of writing a whole day.
const ROUND_THE_CLOCK: [&str; 3] = ["00:00/00:00", "00:00/23:59", "00:00/24:00"];

/// `n` offices spread over Moscow and Kazan: every 7th a postamat with cells (open round the clock in one of
/// CDEK's spellings), every 50th reception-only, every 19th with hours only in words.
fn offices(n: usize, mix: &mut Mix) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let (city, region, postal, lat, lon) = if i % 3 == 2 {
                ("Казань", "Республика Татарстан", "420000", 55.79, 49.12)
            } else {
                ("Москва", "Москва", "101000", 55.75, 37.62)
            };
            let (dlat, dlon) = (((i * 37) % 200) as f64 / 1000.0 - 0.1, ((i * 53) % 300) as f64 / 1000.0 - 0.15);
            let postamat = i % 7 == 3;
            let code = format!("{}{i:05}", if city == "Москва" { "MSK" } else { "KZN" });
            let hours_in_words = i % 19 == 4 && !postamat;
            let day_time = |day: usize| match (postamat, hours_in_words) {
                (true, _) => ROUND_THE_CLOCK[(i / 7) % 3],
                (_, true) => "по записи",
                _ if day <= 5 => "10:00/20:00",
                _ => "10:00/18:00",
            };
            if i % 50 != 49 {
                if postamat {
                    mix.round_the_clock.push(code.clone());
                } else if hours_in_words && i % 38 == 4 {
                    mix.hours_unknown.push(code.clone());
                } else if hours_in_words {
                    mix.hours_in_words.push(code.clone());
                }
            }
            let mut office = json!({
                "code": code,
                "name": format!("{code}, {city}, ул. Тестовая"),
                "uuid": format!("00000000-0000-0000-0000-{i:012}"),
                "work_time": match (hours_in_words, i % 38 == 4) {
                    (true, true) => "по предварительной записи",
                    (true, false) => "Пн-Пт 09:00-18:00, Сб 10:00-14:00",
                    _ => "Пн-Пт 10:00-20:00, Сб-Вс 10:00-18:00",
                },
                "phones": [{"number": "+74950000000"}],
                "type": if postamat { "POSTAMAT" } else { "PVZ" },
                "owner_code": "CDEK",
                "take_only": i % 50 == 49,
                "is_handout": true,
                "is_reception": true,
                "is_dressing_room": i % 2 == 0,
                "have_cashless": true,
                "have_cash": i % 4 != 0,
                "allowed_cod": true,
                "work_time_list": (1..=7).map(|day| json!({"day": day, "time": day_time(day)})).collect::<Vec<_>>(),
                "work_time_exception_list": [],
                "weight_min": 0.0,
                "weight_max": if postamat { 15.0 } else { 30.0 },
                "location": {
                    "country_code": "RU", "region": region, "city": city, "postal_code": postal,
                    "latitude": lat + dlat, "longitude": lon + dlon,
                    "address": format!("ул. Тестовая, {}", i + 1),
                    "address_full": format!("{postal}, Россия, {region}, {city}, ул. Тестовая, {}", i + 1)
                },
                "fulfillment": false
            });
            if postamat {
                office["dimensions"] =
                    json!([{"width": 38, "height": 8, "depth": 64}, {"width": 38, "height": 40, "depth": 64}]);
            }
            office
        })
        .collect()
}

/// `n` offices in Almaty: every 5th without coordinates, and one record of the wrong shape.
fn abroad(n: usize, mix: &mut Mix) -> Vec<Value> {
    let mut records: Vec<Value> = (0..n)
        .map(|i| {
            let code = format!("ALA{i:04}");
            let located = i % 5 != 4;
            if located {
                mix.abroad.push(code.clone());
            } else {
                mix.abroad_no_location += 1;
            }
            let mut location = json!({"country_code": "KZ", "region": "Алматы", "city": "Алматы", "postal_code": "050000",
                "address": format!("пр. Абая, {}", i + 1), "address_full": format!("050000, Казахстан, Алматы, пр. Абая, {}", i + 1)});
            if located {
                location["latitude"] = json!(43.24 + (i % 40) as f64 / 1000.0);
                location["longitude"] = json!(76.89 + (i % 30) as f64 / 1000.0);
            }
            json!({"code": code, "name": format!("{code}, Алматы, пр. Абая"), "type": "PVZ", "is_handout": true,
                "have_cashless": true, "have_cash": true, "allowed_cod": true, "weight_max": 30,
                "work_time_list": (1..=7).map(|day| json!({"day": day, "time": "09:00/21:00"})).collect::<Vec<_>>(),
                "location": location})
        })
        .collect();
    records.push(json!({"code": 777, "type": "PVZ", "location": "Алматы"}));
    mix.abroad_unreadable += 1;
    records
}

impl Sim {
    fn fault(&self) -> Fault {
        self.fault.get()
    }

    /// The fault's answer, after its delay; `None` when the call should be answered properly.
    async fn faulty(&self) -> Option<Response> {
        let fault = self.fault();
        if fault.delay().await {
            return None;
        }
        Some(match fault {
            Fault::Garbage => {
                (StatusCode::OK, "<html><body>Service temporarily unavailable</body></html>").into_response()
            }
            _ => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(error_body("GET", "v2_internal_error", "Internal server error")),
            )
                .into_response(),
        })
    }

    /// `None` when the bearer token is valid; otherwise CDEK's 401.
    fn unauthorized(&self, headers: &HeaderMap) -> Option<Response> {
        let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        let expires = token.and_then(|t| self.tokens.lock().unwrap().get(t).copied());
        let (code, message) = match expires {
            Some(at) if Instant::now() < at => return None,
            Some(_) => ("v2_token_expired", "Token is expired"),
            None => ("v2_authorization_incorrect", "Authorization header is incorrect"),
        };
        self.counters.rejected.fetch_add(1, Ordering::SeqCst);
        Some((StatusCode::UNAUTHORIZED, Json(error_body("AUTH", code, message))).into_response())
    }
}

async fn token(State(sim): State<Arc<Sim>>, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(fault) = sim.faulty().await {
        return fault;
    }
    let valid = form.get("grant_type").map(String::as_str) == Some("client_credentials")
        && form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
    if !valid {
        return (
            StatusCode::UNAUTHORIZED,
            Json(error_body("AUTH", "v2_authorization_incorrect", "Invalid client credentials")),
        )
            .into_response();
    }
    sim.counters.tokens.fetch_add(1, Ordering::SeqCst);
    let token = format!("token-{}", sim.next_token.fetch_add(1, Ordering::SeqCst));
    sim.tokens.lock().unwrap().insert(token.clone(), Instant::now() + sim.token_lifetime);
    Json(json!({"access_token": token, "token_type": "bearer", "expires_in": sim.token_lifetime.as_secs(),
        "scope": "order:all payment:all", "jti": "9b0d3f3e"}))
    .into_response()
}

async fn delivery_points(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty().await {
        return fault;
    }
    sim.counters.pages.fetch_add(1, Ordering::SeqCst);
    let size: usize = q.get("size").and_then(|s| s.parse().ok()).unwrap_or(1000).clamp(1, 5000);
    let page: usize = q.get("page").and_then(|s| s.parse().ok()).unwrap_or(0);
    let offices: &[Value] = match q.get("country_code").map(String::as_str) {
        None | Some("RU") => &sim.offices,
        Some("KZ") => &sim.abroad,
        Some(_) => &[],
    };
    let total = offices.len();
    let pages = total.div_ceil(size);
    let slice: Vec<&Value> = offices.iter().skip(page * size).take(size).collect();
    let mut response = Json(slice).into_response();
    let h = response.headers_mut();
    h.insert("X-Total-Elements", total.into());
    h.insert("X-Total-Pages", pages.into());
    h.insert("X-Current-Page", page.into());
    response
}

async fn tariff_list(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty().await {
        return fault;
    }
    sim.counters.calculations.fetch_add(1, Ordering::SeqCst);
    let to = body["to_location"]["postal_code"].as_str().unwrap_or_default();
    let weight = body["packages"][0]["weight"].as_u64().unwrap_or(0);
    if to.len() != 6 || weight == 0 {
        return Json(json!({"tariff_codes": [], "errors": [{"code": "ERR_RECCITYPOSTCODE", "message": "Неверно указан почтовый индекс получателя"}]}))
            .into_response();
    }
    // CDEK's tariffs for a place stop at 25 kg here, though its offices take 30.
    if weight > 25_000 {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"errors": [{"code": "ERR_WEIGHT_LIMIT", "message": "Превышен максимальный вес места"}]})),
        )
            .into_response();
    }
    let far = match body["to_location"]["country_code"].as_str() {
        Some("KZ") => 4.0,
        _ if to.starts_with("42") => 2.0,
        _ => 1.0,
    };
    // Priced in the currency asked for (CDEK's code 2 is the tenge), the contract's roubles otherwise.
    let rate = if body["currency"].as_u64() == Some(2) { 6.0 } else { 1.0 };
    let base = (150.0 + weight as f64 / 1000.0 * 40.0) * far * rate;
    Json(json!({"tariff_codes": [
        {"tariff_code": 136, "tariff_name": "Посылка склад-склад", "delivery_mode": 4, "delivery_sum": base, "period_min": 2, "period_max": 3},
        {"tariff_code": 234, "tariff_name": "Экономичная посылка склад-склад", "delivery_mode": 4, "delivery_sum": base * 0.8, "period_min": 4, "period_max": 6},
        {"tariff_code": 368, "tariff_name": "Посылка склад-постамат", "delivery_mode": 7, "delivery_sum": base * 0.9, "period_min": 2, "period_max": 4},
        {"tariff_code": 137, "tariff_name": "Посылка склад-дверь", "delivery_mode": 3, "delivery_sum": base * 1.5, "period_min": 1, "period_max": 2}
    ]}))
    .into_response()
}

fn order_json(order: &SimOrder) -> Value {
    let created = "2026-11-30T10:00:00+0000";
    let (state, errors) = match (&order.invalid, order.processed()) {
        (_, false) => ("ACCEPTED", json!([])),
        (Some((code, message)), true) => ("INVALID", json!([{"code": code, "message": message}])),
        (None, true) => ("SUCCESSFUL", json!([])),
    };
    let mut statuses = vec![];
    if order.processed() {
        if order.invalid.is_some() {
            statuses.push(
                json!({"code": "INVALID", "name": "Некорректный заказ", "date_time": created, "city": "Офис СДЭК"}),
            );
        } else {
            statuses.push(json!({"code": "CREATED", "name": "Создан", "date_time": created, "city": "Офис СДЭК"}));
            for (i, (code, name, city)) in order.statuses.iter().enumerate() {
                statuses.push(json!({"code": code, "name": name, "date_time": format!("2026-11-30T{:02}:00:00+0000", 11 + i), "city": city}));
            }
        }
    }
    statuses.reverse();
    let mut entity = json!({"uuid": order.uuid, "type": 1, "number": order.number, "tariff_code": order.tariff_code,
        "delivery_point": order.delivery_point, "statuses": statuses});
    if order.processed() && order.invalid.is_none() {
        entity["cdek_number"] = json!(order.cdek_number);
        entity["delivery_detail"] = json!({"delivery_sum": 250.0, "total_sum": 262.5});
    }
    json!({"entity": entity, "requests": [{"request_uuid": format!("r-{}", order.uuid), "type": "CREATE",
        "date_time": created, "state": state, "errors": errors}], "related_entities": []})
}

/// `POST /orders`: CDEK takes the order at once (202) and checks it in the background.
async fn create_order(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty().await {
        return fault;
    }
    let number = body["number"].as_str().unwrap_or_default().to_string();
    let phone = body["recipient"]["phones"][0]["number"].as_str().unwrap_or_default();
    let point = body["delivery_point"].as_str().unwrap_or_default().to_string();
    // To a door: `to_location` instead of a `delivery_point`, and a tariff that ends at the door.
    let door = body.get("to_location").is_some() && point.is_empty();
    if number.is_empty() || body["packages"].as_array().is_none_or(|p| p.is_empty()) {
        return (
            StatusCode::BAD_REQUEST,
            Json(error_body("CREATE", "v2_field_is_empty", "Не заполнено обязательное поле")),
        )
            .into_response();
    }
    // Held in a block: the guard is gone before any wait below.
    let uuid = {
        let mut orders = sim.orders.lock().unwrap();
        let invalid = if orders.iter().any(|o| o.number == number && o.live()) {
            Some((
                "error_validate_im_dep_number_has_already_had_integration",
                "Заказ с таким номером ИМ уже существует",
            ))
        } else if !phone.starts_with('+') {
            Some(("v2_phone_number_invalid", "Некорректный номер телефона получателя"))
        } else if door && body["to_location"]["address"].as_str().is_none_or(str::is_empty) {
            Some(("v2_entity_empty", "Не указан адрес получателя (to_location.address)"))
        } else if !door
            && (!sim.offices.iter().any(|o| o["code"].as_str() == Some(point.as_str()))
                || sim.closed.lock().unwrap().contains(&point))
        {
            Some(("v2_delivery_point_not_found", "Пункт выдачи не найден"))
        } else if !matches!(
            (door, body["tariff_code"].as_u64()),
            (false, Some(136 | 138 | 366 | 368)) | (true, Some(137 | 139))
        ) {
            Some(("ERR_INVALID_TARIFFTYPECODE", "Неверно задан тип тарифа"))
        } else {
            None
        };
        sim.counters.creates.fetch_add(1, Ordering::SeqCst);
        let n = orders.len();
        let order = SimOrder {
            uuid: format!("72753031-0000-4000-8000-{n:012}"),
            number,
            cdek_number: format!("{}", 1_200_000_000 + n),
            delivery_point: point,
            to_location: body.get("to_location").cloned(),
            tariff_code: body["tariff_code"].as_u64().unwrap_or_default(),
            created: Instant::now(),
            invalid: invalid.map(|(c, m)| (c.to_string(), m.to_string())),
            statuses: Vec::new(),
            deleted: false,
        };
        let uuid = order.uuid.clone();
        orders.push(order);
        uuid
    };
    if sim.fail_after_create.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(error_body("CREATE", "v2_internal_error", "Internal server error")),
        )
            .into_response();
    }
    if sim.stall_after_create.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
    }
    (
        StatusCode::ACCEPTED,
        Json(json!({"entity": {"uuid": uuid}, "requests": [{"request_uuid": format!("r-{uuid}"),
        "type": "CREATE", "date_time": "2026-11-30T10:00:00+0000", "state": "ACCEPTED"}], "related_entities": []})),
    )
        .into_response()
}

fn not_found() -> Response {
    (StatusCode::BAD_REQUEST, Json(error_body("GET", "v2_entity_not_found", "Entity is not found"))).into_response()
}

/// `GET /orders/{uuid}`.
async fn order_by_uuid(State(sim): State<Arc<Sim>>, headers: HeaderMap, Path(uuid): Path<String>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty().await {
        return fault;
    }
    sim.counters.orders.fetch_add(1, Ordering::SeqCst);
    let orders = sim.orders.lock().unwrap();
    match orders.iter().find(|o| o.uuid == uuid) {
        Some(order) => Json(order_json(order)).into_response(),
        None => not_found(),
    }
}

/// `DELETE /orders/{uuid}`: only while the order is «Создан».
async fn delete_order(State(sim): State<Arc<Sim>>, headers: HeaderMap, Path(uuid): Path<String>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty().await {
        return fault;
    }
    let mut orders = sim.orders.lock().unwrap();
    let Some(order) = orders.iter_mut().find(|o| o.uuid == uuid && !o.deleted) else { return not_found() };
    if !order.statuses.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(error_body("DELETE", "v2_order_not_deletable", "Заказ не может быть удален: заказ принят на склад")),
        )
            .into_response();
    }
    order.deleted = true;
    (
        StatusCode::ACCEPTED,
        Json(json!({"entity": {"uuid": uuid}, "requests": [{"request_uuid": format!("d-{uuid}"),
        "type": "DELETE", "date_time": "2026-11-30T10:00:00+0000", "state": "ACCEPTED"}], "related_entities": []})),
    )
        .into_response()
}

async fn orders(State(sim): State<Arc<Sim>>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty().await {
        return fault;
    }
    sim.counters.orders.fetch_add(1, Ordering::SeqCst);
    let created = sim
        .orders
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|o| {
            !o.deleted
                && o.invalid.is_none()
                && (q.get("im_number") == Some(&o.number)
                    || (o.processed() && q.get("cdek_number") == Some(&o.cdek_number)))
        })
        .cloned();
    if let Some(order) = created {
        return Json(order_json(&order)).into_response();
    }
    let known = q.get("cdek_number").map(String::as_str) == Some(KNOWN_ORDER)
        || q.get("im_number").map(String::as_str) == Some(SHOP_ORDER);
    if !known {
        return (StatusCode::BAD_REQUEST, Json(error_body("GET", "v2_entity_not_found", "Entity is not found")))
            .into_response();
    }
    let first = sim.offices.first().and_then(|o| o["code"].as_str()).unwrap_or("MSK00000");
    Json(json!({"entity": {
        "uuid": "72753031-0000-0000-0000-000000000001", "type": 1, "cdek_number": KNOWN_ORDER, "number": SHOP_ORDER,
        "tariff_code": 136, "delivery_point": first, "planned_delivery_date": "2026-11-24",
        "statuses": [
            {"code": "READY_FOR_DELIVERY", "name": "Готов к выдаче", "date_time": "2026-11-22T09:15:00+0300", "city": "Москва"},
            {"code": "ACCEPTED_AT_PICK_UP_POINT", "name": "Принят в пункт выдачи", "date_time": "2026-11-22T08:40:00+0300", "city": "Москва"},
            {"code": "SENT_TO_RECIPIENT_CITY", "name": "Отправлен в г. получатель", "date_time": "2026-11-20T19:02:00+0300", "city": "Санкт-Петербург"},
            {"code": "SOME_INTERNAL_CODE", "name": "Служебный статус", "date_time": "2026-11-20T12:00:00+0300", "city": "Санкт-Петербург"},
            {"code": "ACCEPTED", "name": "Принят", "date_time": "2026-11-20T10:00:00+0300", "city": "Санкт-Петербург"},
            {"code": "CREATED", "name": "Создан", "date_time": "2026-11-19T15:30:00+0000", "city": "Офис СДЭК"}
        ]},
        "requests": [{"request_uuid": "1", "type": "GET", "state": "SUCCESSFUL", "date_time": "2026-11-22T10:00:00+0000"}],
        "related_entities": []}))
    .into_response()
}

/// `GET /control/orders`: every order created through the API, for a test in another process.
async fn control_orders(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let orders = sim.orders.lock().unwrap();
    Json(json!(
        orders
            .iter()
            .map(|o| {
                json!({
                    "number": o.number,
                    "uuid": o.uuid,
                    "live": o.live(),
                    "delivery_point": o.delivery_point,
                    "to_location": o.to_location,
                    "tariff_code": o.tariff_code,
                })
            })
            .collect::<Vec<_>>()
    ))
}

/// `POST /control/close-office` with an office's code: orders to it are refused from now on.
async fn control_close(State(sim): State<Arc<Sim>>, code: String) -> StatusCode {
    sim.closed.lock().unwrap().push(code.trim().to_string());
    StatusCode::NO_CONTENT
}

/// `POST /control/expire-tokens`.
async fn control_expire(State(sim): State<Arc<Sim>>) -> StatusCode {
    sim.expire_all();
    StatusCode::NO_CONTENT
}

impl Sim {
    fn expire_all(&self) {
        let past = Instant::now() - Duration::from_secs(1);
        self.tokens.lock().unwrap().values_mut().for_each(|at| *at = past);
    }
}

impl CdekSim {
    /// A simulator holding `points` offices whose tokens live `token_lifetime`.
    pub async fn start(points: usize, token_lifetime: Duration) -> Self {
        let counters = Arc::new(Counters::default());
        let mut mix = Mix::default();
        let sim = Arc::new(Sim {
            offices: offices(points, &mut mix),
            abroad: abroad(points / 10, &mut mix),
            token_lifetime,
            tokens: Mutex::default(),
            fault: Arc::default(),
            next_token: AtomicU64::new(1),
            counters: Arc::clone(&counters),
            orders: Mutex::default(),
            fail_after_create: AtomicUsize::new(0),
            closed: Mutex::default(),
            stall_after_create: AtomicUsize::new(0),
            prints: Mutex::default(),
            intakes: Mutex::default(),
            webhook: Mutex::default(),
        });
        let app = Router::new()
            .route("/v2/oauth/token", post(token))
            .route("/v2/deliverypoints", get(delivery_points))
            .route("/v2/calculator/tarifflist", post(tariff_list))
            .route("/v2/orders", get(orders).post(create_order))
            .route("/v2/orders/{uuid}", get(order_by_uuid).delete(delete_order))
            .route("/v2/print/orders", post(print_orders))
            .route("/v2/print/orders/{file}", get(print_file))
            .route("/v2/intakes", post(intakes))
            .route("/v2/webhooks", post(subscribe))
            .route("/control/expire-tokens", post(control_expire))
            .route("/control/orders", get(control_orders))
            .route("/control/close-office", post(control_close))
            .with_state(Arc::clone(&sim))
            .merge(FaultSwitch::routes(Arc::clone(&sim.fault)));
        let addr = crate::serve_on_loopback(app).await;
        Self { addr, counters, mix, sim }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    /// The proxy's settings for this simulator.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PVZ_CDEK_CLIENT_ID", CLIENT_ID.into()),
            ("PVZ_CDEK_CLIENT_SECRET", CLIENT_SECRET.into()),
            ("PVZ_CDEK_BASE_URL", self.base_url()),
            ("PVZ_CDEK_TIMEOUT_SECONDS", "2".into()),
        ]
    }

    pub fn set_fault(&self, fault: Fault) {
        self.sim.fault.set(fault);
    }

    /// Every issued token expires now, as after CDEK's side restarts.
    pub fn expire_tokens(&self) {
        self.sim.expire_all();
    }

    /// The orders created through the API so far.
    pub fn orders(&self) -> Vec<SimOrder> {
        self.sim.orders.lock().unwrap().clone()
    }

    /// An order with the shop's `number` made elsewhere (in CDEK's own office): the number is taken.
    pub fn preexisting(&self, number: &str) {
        let mut orders = self.sim.orders.lock().unwrap();
        let n = orders.len();
        orders.push(SimOrder {
            uuid: format!("72753031-0000-4000-9000-{n:012}"),
            number: number.into(),
            cdek_number: format!("{}", 1_300_000_000 + n),
            delivery_point: String::new(),
            to_location: None,
            tariff_code: 136,
            created: Instant::now() - PROCESSING,
            invalid: None,
            statuses: Vec::new(),
            deleted: false,
        });
    }

    /// Receipts asked for so far.
    pub fn prints(&self) -> usize {
        self.sim.prints.lock().unwrap().len()
    }

    /// Courier calls taken so far, as sent.
    pub fn intakes(&self) -> Vec<Value> {
        self.sim.intakes.lock().unwrap().clone()
    }

    /// The next `n` creates are stored and then answered with a 500.
    pub fn fail_after_create(&self, n: usize) {
        self.sim.fail_after_create.store(n, Ordering::SeqCst);
    }

    /// Orders to the office `code` are refused from now on (`v2_delivery_point_not_found`).
    pub fn close_office(&self, code: &str) {
        self.sim.closed.lock().unwrap().push(code.to_string());
    }

    /// The next `n` creates are stored and then answered after 10 s, past the proxy's timeout.
    pub fn stall_after_create(&self, n: usize) {
        self.sim.stall_after_create.store(n, Ordering::SeqCst);
    }

    /// The order with the shop's `number` moves on: CDEK reports `code` (`name`, in `city`) and notifies the subscribed webhook, as CDEK does.
    pub fn advance(&self, number: &str, code: &str, name: &str, city: &str) {
        let mut orders = self.sim.orders.lock().unwrap();
        let Some(order) = orders.iter_mut().rev().find(|o| o.number == number && o.live()) else { return };
        order.statuses.push((code.into(), name.into(), city.into()));
        let Some(url) = self.sim.webhook.lock().unwrap().clone() else { return };
        let notification = json!({"type": "ORDER_STATUS", "date_time": "2026-11-30T12:00:00+0000", "uuid": order.uuid,
            "attributes": {"is_return": false, "cdek_number": order.cdek_number, "number": order.number,
                "status_code": code, "status_date_time": "2026-11-30T12:00:00+0000", "city_name": city}});
        tokio::spawn(async move {
            let _ = reqwest::Client::new().post(url).json(&notification).send().await;
        });
    }

    /// Sends notifications to `url` instead of the subscribed address (the proxy's public address, in a
    /// test, is not where it listens).
    pub fn set_webhook(&self, url: String) {
        *self.sim.webhook.lock().unwrap() = Some(url);
    }

    /// Where notifications go, once the proxy subscribed.
    pub fn webhook(&self) -> Option<String> {
        self.sim.webhook.lock().unwrap().clone()
    }

    pub fn count(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::SeqCst)
    }
}
