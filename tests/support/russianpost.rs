//! A Russian Post simulator on a loopback port for its three services, each in its own wire format:
//! the otpravka API (`AccessToken` and `X-User-Authorization` headers, the ZIP export of every office with
//! hours written as lines, or `settlement.offices.codes` and office records with kebab-case keys for
//! accounts that may not export, `{code, desc}` error bodies; the shop's backlog: `PUT /1.0/user/backlog`
//! answering ids or errors by position with HTTP 200, search by order number, read, delete, printed forms;
//! batches made of its orders, which give them barcodes), the tariff calculator v2 (`?json&object=...`,
//! kopecks, errors inside HTTP 200) and the SOAP 1.2 tracking service (`getOperationHistory`, faults,
//! answers with other prefixes and elements the schema calls required left out). It counts every call and
//! can be switched into faults, from a test in the same process or over `POST /control/fault`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub use crate::fault::Fault;
use crate::fault::FaultSwitch;

pub const ACCESS_TOKEN: &str = "rp-access-token";
/// base64 of `shop:otpravka-pass`.
pub const USER_KEY: &str = "c2hvcDpvdHByYXZrYS1wYXNz";
pub const TRACKING_LOGIN: &str = "shop-login";
pub const TRACKING_PASSWORD: &str = "tracking-pa55";
/// A parcel waiting at the first Moscow office.
pub const WAITING: &str = "80082045123457";
/// A parcel handed to the buyer (an S10 number with its check digit).
pub const DELIVERED: &str = "RA644000005RU";

#[derive(Default)]
pub struct Counters {
    pub exports: AtomicUsize,
    pub code_lists: AtomicUsize,
    pub offices: AtomicUsize,
    pub calculations: AtomicUsize,
    pub tracking: AtomicUsize,
    pub rejected: AtomicUsize,
    /// `POST /1.0/user/shipment` calls: batches asked for.
    pub batches: AtomicUsize,
}

struct Sim {
    /// Settlement name to its offices' records.
    cities: Vec<(&'static str, Vec<Value>)>,
    /// Whether the account may download the export of offices.
    export_allowed: AtomicBool,
    fault: Arc<FaultSwitch>,
    counters: Arc<Counters>,
    /// The shop's orders put in the backlog.
    backlog: std::sync::Mutex<Vec<BacklogOrder>>,
    /// What happened to the shop's batched parcels, by barcode: history records in the wire format.
    operations: std::sync::Mutex<HashMap<String, Vec<String>>>,
}

pub struct RussianPostSim {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
    sim: Arc<Sim>,
}

/// The first Moscow office: where [`WAITING`] waits.
pub const FIRST_OFFICE: &str = "101000";

/// `n` offices over Moscow and Kazan: every 10th a parcel locker open round the clock, every other one
/// with a lunch break, some closed on Sundays, and a few temporarily closed, closed for good or broken.
fn offices(n: usize) -> Vec<(&'static str, Vec<Value>)> {
    let (mut moscow, mut kazan) = (Vec::new(), Vec::new());
    for i in 0..n {
        let kazan_office = i % 3 == 2;
        let (city, region, base, lat, lon) = if kazan_office {
            ("Казань", "Татарстан респ", 420_000, 55.79, 49.12)
        } else {
            ("Москва", "Москва г", 101_000, 55.75, 37.62)
        };
        let index = format!("{}", base + i);
        let (dlat, dlon) = (((i * 37) % 200) as f64 / 1000.0 - 0.1, ((i * 53) % 300) as f64 / 1000.0 - 0.15);
        let locker = i % 10 == 9;
        let day = |weekday: usize| -> Value {
            if locker {
                return json!({"weekday-id": weekday, "begin-worktime": "00:00:00.000", "end-worktime": "23:59:00.000", "lunches": []});
            }
            if weekday == 7 && i % 4 == 0 {
                return json!({"weekday-id": weekday, "lunches": []});
            }
            let (open, close) =
                if weekday <= 5 { ("08:00:00.000", "20:00:00.000") } else { ("09:00:00.000", "18:00:00.000") };
            let lunches = if i % 2 == 0 && weekday <= 5 {
                json!([{"begin-lunchtime": "13:00:00.000", "end-lunchtime": "14:00:00.000"}])
            } else {
                json!([])
            };
            json!({"weekday-id": weekday, "begin-worktime": open, "end-worktime": close, "lunches": lunches})
        };
        let mut office = json!({
            "postal-code": index,
            "address-source": format!("ул. Почтовая, {}", i + 1),
            "settlement": city,
            "region": region,
            "latitude": lat + dlat,
            // Written as a string, as some records have it.
            "longitude": format!("{:.6}", lon + dlon),
            "type-code": if locker { "ПОЧТОМАТ" } else { "ГОПС" },
            "type-id": if locker { 22 } else { 8 },
            "is-closed": i % 50 == 33,
            "is-temporary-closed": i % 50 == 17,
            "is-private-category": false,
            "working-hours": (1..=7).map(day).collect::<Vec<_>>(),
            "holidays": [],
            "phones": [{"is-fax": false, "phone-number": "1000000", "phone-town-code": "800", "phone-type-name": "Прочее"}],
            "works-on-saturdays": true,
            "works-on-sundays": i % 4 != 0,
            "distance": 0.0
        });
        if i % 50 == 17 {
            office["temporary-closed-reason"] = json!("Ремонт помещения");
        }
        if i % 97 == 5 {
            office.as_object_mut().unwrap().remove("latitude");
        }
        if kazan_office { kazan.push(office) } else { moscow.push(office) }
    }
    vec![("Москва", moscow), ("Казань", kazan)]
}

impl Sim {
    fn fault(&self) -> Fault {
        self.fault.get()
    }

    /// The fault's answer, after its delay; `None` when the call should be answered properly. `garbage` is
    /// the body cut short.
    async fn faulty(&self, garbage: &'static str) -> Option<Response> {
        let fault = self.fault();
        if fault.delay().await {
            return None;
        }
        Some(match fault {
            Fault::Garbage => (StatusCode::OK, garbage).into_response(),
            _ => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
            )
                .into_response(),
        })
    }

    /// `None` when both otpravka headers are right; otherwise otpravka's 401.
    fn unauthorized(&self, headers: &HeaderMap) -> Option<Response> {
        let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        if value("authorization") == format!("AccessToken {ACCESS_TOKEN}")
            && value("x-user-authorization") == format!("Basic {USER_KEY}")
        {
            return None;
        }
        self.counters.rejected.fetch_add(1, Ordering::SeqCst);
        Some(
            (StatusCode::UNAUTHORIZED, Json(json!({"code": "1001", "desc": "Неверный токен авторизации"})))
                .into_response(),
        )
    }
}

/// An office's record as the export writes it: hours as lines, coordinates as strings.
fn passport_element(office: &Value) -> Value {
    const DAYS: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
    let clock = |v: &Value| v.as_str().map(|t| t[..5].to_string());
    let work_time: Vec<String> = office["working-hours"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|day| {
            let name = DAYS[day["weekday-id"].as_u64().unwrap_or(1) as usize - 1];
            match (clock(&day["begin-worktime"]), clock(&day["end-worktime"])) {
                (Some(open), Some(close)) if open == "00:00" && close == "23:59" => {
                    format!("{name}, открыто: круглосуточно")
                }
                (Some(open), Some(close)) => {
                    let lunch = day["lunches"].get(0).map(|l| {
                        format!(
                            ", перерыв: {} - {}",
                            clock(&l["begin-lunchtime"]).unwrap(),
                            clock(&l["end-lunchtime"]).unwrap()
                        )
                    });
                    format!("{name}, открыто: {open} - {close}{}", lunch.unwrap_or_default())
                }
                _ => format!("{name}, выходной"),
            }
        })
        .collect();
    let mut element = json!({
        "address": {"index": office["postal-code"], "region": office["region"], "place": office["settlement"],
                    "street": office["address-source"], "addressType": "DEFAULT"},
        "latitude": office.get("latitude").map(|l| json!(format!("{:.6}", l.as_f64().unwrap_or(0.0)))),
        "longitude": office["longitude"],
        "type": office["type-code"],
        "workTime": work_time,
        "holidays": [],
        "ecom": "1",
        "ecomOptions": {"cardPayment": true, "weightLimit": 20.0},
        "onlineParcel": "1"
    });
    if office.get("latitude").is_none() {
        element.as_object_mut().unwrap().remove("latitude");
    }
    element
}

/// `GET /1.0/unloading-passport/zip?type=ALL`: a ZIP archive with every office that is not closed for good.
async fn export(State(sim): State<Arc<Sim>>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if !sim.export_allowed.load(Ordering::SeqCst) {
        return (StatusCode::FORBIDDEN, Json(json!({"code": "1003", "desc": "Нет доступа к выгрузке паспорта ОПС"})))
            .into_response();
    }
    if let Some(fault) = sim.faulty("PK\u{3}\u{4}broken").await {
        return fault;
    }
    sim.counters.exports.fetch_add(1, Ordering::SeqCst);
    if q.get("type").map(String::as_str) != Some("ALL") {
        return (StatusCode::BAD_REQUEST, Json(json!({"code": "1002", "desc": "Неверный тип объекта"})))
            .into_response();
    }
    let elements: Vec<Value> = sim
        .cities
        .iter()
        .flat_map(|(_, offices)| offices)
        .filter(|o| o["is-closed"] != json!(true))
        .map(passport_element)
        .collect();
    let document = json!({"passportElements": elements, "unloadingDate": "2026-11-22T03:00:00.000+0300"});
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("ALL22_November_2026.txt", options).expect("a zip entry");
    std::io::Write::write_all(&mut zip, document.to_string().as_bytes()).expect("zip data");
    let bytes = zip.finish().expect("a zip archive").into_inner();
    ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
}

async fn office_codes(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty("[\"101000\", \"1010").await {
        return fault;
    }
    sim.counters.code_lists.fetch_add(1, Ordering::SeqCst);
    let settlement = q.get("settlement").map(|s| s.trim().to_lowercase()).unwrap_or_default();
    let codes: Vec<&str> = sim
        .cities
        .iter()
        .filter(|(name, _)| name.to_lowercase() == settlement)
        .flat_map(|(_, offices)| offices.iter().filter_map(|o| o["postal-code"].as_str()))
        .collect();
    Json(codes).into_response()
}

async fn office(State(sim): State<Arc<Sim>>, headers: HeaderMap, Path(index): Path<String>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    if let Some(fault) = sim.faulty("{\"postal-code\": \"1010").await {
        return fault;
    }
    sim.counters.offices.fetch_add(1, Ordering::SeqCst);
    let found = sim.cities.iter().flat_map(|(_, offices)| offices).find(|o| o["postal-code"].as_str() == Some(&index));
    match found {
        Some(office) => Json(office.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"code": "1404", "desc": "Отделение не найдено"}))).into_response(),
    }
}

async fn tariff(State(sim): State<Arc<Sim>>, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Some(fault) = sim.faulty("{\"version_api\": 2, \"paynds\": 50").await {
        return fault;
    }
    sim.counters.calculations.fetch_add(1, Ordering::SeqCst);
    let field = |name: &str| q.get(name).map(String::as_str).unwrap_or_default().to_string();
    let six = |s: &str| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit());
    let (from, to, weight) = (field("from"), field("to"), field("weight").parse::<u64>().unwrap_or(0));
    let refusal = |msg: &str, code: u32| {
        Json(json!({"caption": "Ошибки тарификации", "version": "2.14.1.676",
            "error": [format!("{msg} ({code})")], "errors": [{"msg": msg, "code": code}]}))
        .into_response()
    };
    let courier = field("object") == "47030";
    if !q.contains_key("json") || !(courier || field("object") == "23030") {
        return refusal("Неверное значение параметра \"Объект расчета\" (object).", 1001);
    }
    if !six(&from) {
        return refusal("Неверное значение параметра \"Индекс места отправления\" (from). Не указано значение.", 1301);
    }
    if !six(&to) {
        return refusal("Неверное значение параметра \"Индекс места назначения\" (to).", 1302);
    }
    // The online parcel stops at 10 kg, though the offices hand out up to 20.
    if weight == 0 || weight > 10_000 {
        return refusal("Превышен предельный вес отправления (weight).", 1359);
    }
    // Couriers come from Moscow's and Kazan's offices only.
    if courier && !(to.starts_with('1') || to.starts_with("420")) {
        return refusal("Услуга «Курьер онлайн» недоступна для указанного индекса места назначения (to).", 1343);
    }
    let far = to.starts_with("42");
    let pay = (25_000 + weight.div_ceil(100) * 300) * if far { 16 } else { 10 } / 10 + if courier { 15_000 } else { 0 };
    let nds = pay / 5;
    let (min, max) = match (far, courier) {
        (true, _) => (4, 6),
        (false, true) => (2, 4),
        (false, false) => (2, 3),
    };
    Json(json!({
        "version_api": 2, "version": "2.14.1.676", "caption": "Расчет тарифов, контрольных сроков доставки",
        "id": if courier { 47030 } else { 23030 },
        "name": if courier { "Курьер онлайн обыкновенный" } else { "Посылка онлайн обыкновенная" }, "mailtype": if courier { 47 } else { 23 }, "mailctg": 0, "directctg": 1,
        "weight": weight, "from": from.parse::<u64>().unwrap_or(0), "to": to.parse::<u64>().unwrap_or(0),
        "items": [{"id": "3173", "name": "Пересылка посылки онлайн", "tariff": {"val": pay, "valnds": pay + nds, "valmark": pay}}],
        "ground": {"val": pay, "valnds": pay + nds}, "pay": pay, "paynds": pay + nds, "ndsrate": 20, "nds": nds,
        "delivery": {"min": min, "max": max, "deadline": "20261130T235900"}
    }))
    .into_response()
}

/// The text of the first element with each of `names`, by local name.
fn fields(body: &str, names: &[&str]) -> Vec<Option<String>> {
    use quick_xml::events::Event;
    let mut out = vec![None; names.len()];
    let mut reader = quick_xml::Reader::from_str(body);
    let mut current: Option<usize> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name: String = e.local_name().as_ref().to_owned();
                current = names.iter().position(|n| *n == name);
            }
            Ok(Event::Text(t)) => {
                if let Some(i) = current {
                    out[i].get_or_insert_with(String::new).push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(i) = current {
                    let resolved = quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default();
                    out[i].get_or_insert_with(String::new).push_str(resolved);
                }
            }
            Ok(Event::End(_)) => current = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body>{body}</S:Body></S:Envelope>"#
    )
}

fn soap_fault(code: &str, detail: &str) -> String {
    envelope(&format!(
        r#"<S:Fault><S:Code><S:Value>S:{code}</S:Value></S:Code><S:Reason><S:Text xml:lang="ru">{detail}</S:Text></S:Reason><S:Detail>{detail_element}</S:Detail></S:Fault>"#,
        detail_element = if code == "Sender" {
            format!(
                r#"<ns3:AuthorizationFaultReason xmlns:ns3="http://russianpost.org/operationhistory/data">{detail}</ns3:AuthorizationFaultReason>"#
            )
        } else {
            format!(
                r#"<ns3:OperationHistoryFaultReason xmlns:ns3="http://russianpost.org/operationhistory/data">{detail}</ns3:OperationHistoryFaultReason>"#
            )
        }
    ))
}

/// One operation, with the parameters real answers carry and without those they often leave out.
fn record(oper: (u16, &str), attr: (u16, &str), at: &str, place: (&str, &str), destination: &str) -> String {
    format!(
        "<ns3:historyRecord><ns3:AddressParameters>\
         <ns3:DestinationAddress><ns3:Index>{destination}</ns3:Index><ns3:Description>Москва</ns3:Description></ns3:DestinationAddress>\
         <ns3:OperationAddress><ns3:Index>{}</ns3:Index><ns3:Description>{}</ns3:Description></ns3:OperationAddress>\
         <ns3:CountryOper><ns3:Id>643</ns3:Id><ns3:Code2A>RU</ns3:Code2A></ns3:CountryOper></ns3:AddressParameters>\
         <ns3:OperationParameters><ns3:OperType><ns3:Id>{}</ns3:Id><ns3:Name>{}</ns3:Name></ns3:OperType>\
         <ns3:OperAttr><ns3:Id>{}</ns3:Id><ns3:Name>{}</ns3:Name></ns3:OperAttr><ns3:OperDate>{at}</ns3:OperDate></ns3:OperationParameters>\
         <ns3:UserParameters><ns3:Sndr>ООО &quot;Магазин&quot;</ns3:Sndr></ns3:UserParameters></ns3:historyRecord>",
        place.0, place.1, oper.0, oper.1, attr.0, attr.1
    )
}

fn history(sim: &Sim, barcode: &str) -> String {
    let moscow = (FIRST_OFFICE, "Москва 101000");
    let rostov = ("344038", "Ростов-на-Дону 38");
    let records = match barcode {
        WAITING => vec![
            record((1, "Приём"), (1, "Единичный"), "2026-11-18T10:15:00.000+03:00", rostov, FIRST_OFFICE),
            record(
                (8, "Обработка"),
                (1, "Сортировка"),
                "2026-11-19T02:40:00.000+03:00",
                ("344700", "Ростов-на-Дону МСЦ"),
                FIRST_OFFICE,
            ),
            record(
                (8, "Обработка"),
                (2, "Прибыло в место вручения"),
                "2026-11-21T09:00:00.000+03:00",
                moscow,
                FIRST_OFFICE,
            ),
        ],
        DELIVERED => vec![
            record((1, "Приём"), (1, "Единичный"), "2026-11-10T12:00:00.000+03:00", rostov, FIRST_OFFICE),
            record(
                (8, "Обработка"),
                (2, "Прибыло в место вручения"),
                "2026-11-14T08:30:00.000+03:00",
                moscow,
                FIRST_OFFICE,
            ),
            record((2, "Вручение"), (1, "Вручение адресату"), "2026-11-15T17:45:00.000+03:00", moscow, FIRST_OFFICE),
        ],
        _ => sim.operations.lock().unwrap().get(barcode).cloned().unwrap_or_default(),
    };
    envelope(&format!(
        r#"<ns7:getOperationHistoryResponse xmlns:ns3="http://russianpost.org/operationhistory/data" xmlns:ns7="http://russianpost.org/operationhistory"><ns3:OperationHistoryData>{}</ns3:OperationHistoryData></ns7:getOperationHistoryResponse>"#,
        records.concat()
    ))
}

async fn tracking(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: String) -> Response {
    // Counted on arrival: a call spends quota whatever becomes of it.
    sim.counters.tracking.fetch_add(1, Ordering::SeqCst);
    if let Some(fault) = sim.faulty("<S:Envelope><S:Body><ns7:getOperationHistoryRe").await {
        return fault;
    }
    let soap = |status: StatusCode, body: String| {
        (status, [(header::CONTENT_TYPE, "application/soap+xml; charset=utf-8")], body).into_response()
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("application/soap+xml") {
        return soap(StatusCode::UNSUPPORTED_MEDIA_TYPE, soap_fault("Sender", "Unsupported Content-Type"));
    }
    let [barcode, login, password]: [Option<String>; 3] =
        fields(&body, &["Barcode", "login", "password"]).try_into().expect("three fields");
    if login.as_deref() != Some(TRACKING_LOGIN) || password.as_deref() != Some(TRACKING_PASSWORD) {
        sim.counters.rejected.fetch_add(1, Ordering::SeqCst);
        return soap(StatusCode::INTERNAL_SERVER_ERROR, soap_fault("Sender", "Ошибка авторизации"));
    }
    let barcode = barcode.unwrap_or_default();
    if barcode.is_empty() || barcode.len() > 40 {
        return soap(StatusCode::INTERNAL_SERVER_ERROR, soap_fault("Receiver", "Неверный формат ШПИ"));
    }
    soap(StatusCode::OK, history(&sim, &barcode))
}

/// An order in the shop's otpravka backlog.
#[derive(Debug, Clone)]
pub struct BacklogOrder {
    pub id: u64,
    pub order: Value,
    pub deleted: bool,
    /// The batch it went into, and the barcode the batch gave it.
    pub batch: Option<(String, String)>,
}

/// `PUT /1.0/user/backlog`: each order put in the backlog, or its errors by position (HTTP 200 either way).
async fn put_backlog(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(orders): Json<Vec<Value>>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let mut backlog = sim.backlog.lock().unwrap();
    let (mut ids, mut errors) = (Vec::new(), Vec::new());
    for (position, order) in orders.into_iter().enumerate() {
        let index = order["index-to"].as_u64().filter(|i| (100_000..1_000_000).contains(i));
        let courier = order["mail-type"] == "ONLINE_COURIER";
        let text = |field: &str| order[field].as_str().is_some_and(|t| !t.trim().is_empty());
        // A domestic ECOM parcel goes to a point by its index, «Курьер онлайн» to a street and house where
        // the office has couriers (Moscow's and Kazan's), and either is handed to a Russian phone.
        let problem = if courier && !(text("street-to") && text("house-to")) {
            Some(("EMPTY_HOUSE_TO", "Не указан адрес получателя (улица, дом)"))
        } else if courier && index.is_some_and(|i| !(i / 100_000 == 1 || i / 1000 == 420)) {
            Some(("UNAVAILABLE_COURIER_DELIVERY", "Курьерская доставка недоступна для индекса получателя"))
        } else if !courier
            && (order["mail-type"] != "ECOM" || order["ecom-data"]["delivery-point-index"].as_str().is_none())
        {
            Some(("EMPTY_DELIVERY_POINT_INDEX", "Не указан индекс пункта выдачи"))
        } else if index.is_none() {
            Some(("EMPTY_INDEX_TO", "Не указан индекс получателя"))
        } else if order["tel-address"].as_u64().is_none_or(|t| !(70_000_000_000..80_000_000_000).contains(&t)) {
            Some(("ILLEGAL_TEL_ADDRESS", "Некорректный телефон получателя"))
        } else {
            None
        };
        match problem {
            Some((code, description)) => {
                errors.push(json!({"error-codes": [{"code": code, "description": description}], "position": position}))
            }
            None => {
                let id = 2_319_421_774 + backlog.len() as u64;
                backlog.push(BacklogOrder { id, order, deleted: false, batch: None });
                ids.push(id);
            }
        }
    }
    let mut answer = json!({"result-ids": ids});
    if !errors.is_empty() {
        answer["errors"] = json!(errors);
    }
    Json(answer).into_response()
}

/// otpravka's 404 for an order it does not have.
fn no_order() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"code": "1404", "desc": "Заказ не найден"}))).into_response()
}

fn backlog_json(order: &BacklogOrder) -> Value {
    let mut json = order.order.clone();
    json["id"] = json!(order.id);
    json
}

/// `GET /1.0/backlog/search?query=`: the orders with this shop number.
async fn search_backlog(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let query = q.get("query").cloned().unwrap_or_default();
    let backlog = sim.backlog.lock().unwrap();
    let found: Vec<Value> = backlog
        .iter()
        .filter(|o| !o.deleted && o.order["order-num"].as_str() == Some(query.as_str()))
        .map(backlog_json)
        .collect();
    Json(found).into_response()
}

/// `GET /1.0/backlog/{id}`.
async fn backlog_order(State(sim): State<Arc<Sim>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let backlog = sim.backlog.lock().unwrap();
    match backlog.iter().find(|o| !o.deleted && o.batch.is_none() && o.id.to_string() == id) {
        Some(order) => Json(backlog_json(order)).into_response(),
        None => no_order(),
    }
}

/// `DELETE /1.0/backlog` with the ids.
async fn delete_backlog(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(ids): Json<Vec<u64>>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let mut backlog = sim.backlog.lock().unwrap();
    let mut deleted = Vec::new();
    for order in backlog.iter_mut().filter(|o| !o.deleted && ids.contains(&o.id)) {
        order.deleted = true;
        deleted.push(order.id);
    }
    Json(json!({"result-ids": deleted})).into_response()
}

/// `POST /1.0/user/shipment` with order ids: one batch of them, each given its barcode.
async fn make_batch(State(sim): State<Arc<Sim>>, headers: HeaderMap, Json(ids): Json<Vec<u64>>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    sim.counters.batches.fetch_add(1, Ordering::SeqCst);
    let mut backlog = sim.backlog.lock().unwrap();
    let name = format!("{}", 100 + backlog.iter().filter(|o| o.batch.is_some()).count());
    let mut batched = Vec::new();
    for order in backlog.iter_mut().filter(|o| !o.deleted && o.batch.is_none() && ids.contains(&o.id)) {
        order.batch = Some((name.clone(), format!("801023{:08}", order.id % 100_000_000)));
        batched.push(order.id);
    }
    Json(json!({"batches": [{"batch-name": name, "batch-status": "CREATED", "list-number": 1,
        "mail-type": "ECOM", "shipment-count": batched.len()}], "result-ids": batched}))
    .into_response()
}

/// `GET /1.0/batch/{name}/shipment`: the batch's orders with their barcodes.
async fn batch_orders(State(sim): State<Arc<Sim>>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let backlog = sim.backlog.lock().unwrap();
    let orders: Vec<Value> = backlog
        .iter()
        .filter_map(|o| {
            let (batch, barcode) = o.batch.as_ref()?;
            let mut json = backlog_json(o);
            json["batch-name"] = json!(batch);
            json["barcode"] = json!(barcode);
            (batch == &name).then_some(json)
        })
        .collect();
    Json(orders).into_response()
}

/// `GET /1.0/forms/backlog/{id}/forms`: the order's printed forms.
async fn backlog_forms(State(sim): State<Arc<Sim>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refusal) = sim.unauthorized(&headers) {
        return refusal;
    }
    let backlog = sim.backlog.lock().unwrap();
    match backlog.iter().find(|o| !o.deleted && o.id.to_string() == id) {
        Some(order) => (
            [(header::CONTENT_TYPE, "application/pdf")],
            format!("%PDF-1.4\n% Russian Post forms {}\n%%EOF\n", order.id),
        )
            .into_response(),
        None => no_order(),
    }
}

impl RussianPostSim {
    /// A simulator holding `points` offices.
    pub async fn start(points: usize) -> Self {
        let counters = Arc::new(Counters::default());
        let sim = Arc::new(Sim {
            cities: offices(points),
            export_allowed: AtomicBool::new(true),
            fault: Arc::default(),
            counters: Arc::clone(&counters),
            backlog: std::sync::Mutex::default(),
            operations: std::sync::Mutex::default(),
        });
        let app = Router::new()
            .route("/otpravka/1.0/user/backlog", axum::routing::put(put_backlog))
            .route("/otpravka/1.0/backlog/search", get(search_backlog))
            .route("/otpravka/1.0/backlog/{id}", get(backlog_order))
            .route("/otpravka/1.0/backlog", axum::routing::delete(delete_backlog))
            .route("/otpravka/1.0/forms/backlog/{id}/forms", get(backlog_forms))
            .route("/otpravka/1.0/user/shipment", post(make_batch))
            .route("/otpravka/1.0/batch/{name}/shipment", get(batch_orders))
            .route("/otpravka/1.0/unloading-passport/zip", get(export))
            .route("/otpravka/postoffice/1.0/settlement.offices.codes", get(office_codes))
            .route("/otpravka/postoffice/1.0/{index}", get(office))
            .route("/tariff/v2/calculate/tariff/delivery", get(tariff))
            .route("/tracking/rtm34", post(tracking))
            .with_state(Arc::clone(&sim))
            .merge(FaultSwitch::routes(Arc::clone(&sim.fault)));
        let addr = crate::serve_on_loopback(app).await;
        Self { addr, counters, sim }
    }

    /// The proxy's settings for this simulator: every part configured, both cities synced.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PVZ_RUSSIANPOST_ACCESS_TOKEN", ACCESS_TOKEN.into()),
            ("PVZ_RUSSIANPOST_USER_KEY", USER_KEY.into()),
            ("PVZ_RUSSIANPOST_TRACKING_LOGIN", TRACKING_LOGIN.into()),
            ("PVZ_RUSSIANPOST_TRACKING_PASSWORD", TRACKING_PASSWORD.into()),
            ("PVZ_RUSSIANPOST_OTPRAVKA_URL", format!("http://{}/otpravka", self.addr)),
            ("PVZ_RUSSIANPOST_TARIFF_URL", format!("http://{}/tariff", self.addr)),
            ("PVZ_RUSSIANPOST_TRACKING_URL", format!("http://{}/tracking/rtm34", self.addr)),
            ("PVZ_RUSSIANPOST_CITIES", "Москва; Казань, Татарстан респ".into()),
            ("PVZ_RUSSIANPOST_TIMEOUT_SECONDS", "2".into()),
        ]
    }

    /// How many offices of the simulator a proxy should keep: open to the public and readable.
    pub fn public_offices(&self) -> usize {
        self.sim
            .cities
            .iter()
            .flat_map(|(_, offices)| offices)
            .filter(|o| o["is-closed"] != json!(true) && o.get("latitude").is_some())
            .count()
    }

    /// Whether the account may download the export; when not, offices are fetched one by one.
    pub fn allow_export(&self, allowed: bool) {
        self.sim.export_allowed.store(allowed, Ordering::SeqCst);
    }

    pub fn set_fault(&self, fault: Fault) {
        self.sim.fault.set(fault);
    }

    /// The shop's otpravka backlog.
    pub fn backlog(&self) -> Vec<BacklogOrder> {
        self.sim.backlog.lock().unwrap().clone()
    }

    /// Records an operation on a batched parcel, now, at the office `place` (postcode, name), as tracking
    /// will tell it: `oper` and `attr` are Russian Post's type and attribute codes with their names.
    pub fn operate(&self, barcode: &str, oper: (u16, &str), attr: (u16, &str), place: (&str, &str)) {
        let now = time::OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(3, 0, 0).unwrap());
        let at = format!("{}T{:02}:{:02}:{:02}.000+03:00", now.date(), now.hour(), now.minute(), now.second());
        let mut operations = self.sim.operations.lock().unwrap();
        operations.entry(barcode.to_string()).or_default().push(record(oper, attr, &at, place, FIRST_OFFICE));
    }

    pub fn count(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::SeqCst)
    }
}
