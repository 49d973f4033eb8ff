//! The shop's backend as the tests play it: its key, its orders, its calls to the shipments API, and its
//! webhook endpoint, which records every event it takes.

use std::time::{Duration, Instant};

use pvz_shared::ViewResponse;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{TestProxy, get_json};

pub const KEY: &str = "test-shop-key-0123456789abcdef";

pub fn keyed(extra: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let mut settings = vec![("PVZ_SHOP_API_KEYS", format!("another-key-of-the-shop-0000, {KEY}"))];
    settings.extend_from_slice(extra);
    settings
}

pub fn order(number: &str, point_id: &str) -> Value {
    json!({
        "order_number": number,
        "point_id": point_id,
        "parcel": {"weight_g": 1500, "boxes": [{"length": 30, "width": 20, "height": 10}], "declared_value": 250000, "cash_on_delivery": 0},
        "recipient": {"name": "Иванова Мария Петровна", "phone": "8 (912) 345-67-89", "email": "maria@example.ru"},
        "items": [{"name": "Чайник", "sku": "KT-1", "price": 250000, "quantity": 1, "weight_g": 1200}],
        "comment": "Хрупкое"
    })
}

pub struct Shop {
    pub client: reqwest::Client,
    /// The API's root, `.../api/v1`.
    pub root: String,
    /// `.../api/v1/shipments`.
    pub base: String,
}

impl Shop {
    pub fn new(proxy: &TestProxy) -> Self {
        Self { client: reqwest::Client::new(), root: proxy.url("/api/v1"), base: proxy.url("/api/v1/shipments") }
    }

    /// `GET {root}{path}` with the shop's key.
    pub async fn fetch(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.root)).bearer_auth(KEY).send().await.unwrap()
    }

    pub async fn label(&self, id: &str) -> reqwest::Response {
        self.fetch(&format!("/shipments/{id}/label")).await
    }

    pub async fn courier(&self, body: &Value) -> reqwest::Response {
        self.client.post(format!("{}/courier-calls", self.root)).bearer_auth(KEY).json(body).send().await.unwrap()
    }

    pub async fn dispatch(&self, carrier: &str) -> (StatusCode, Value) {
        let request = self.client.post(format!("{}/dispatches", self.root)).bearer_auth(KEY);
        let response = request.json(&json!({ "carrier": carrier })).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    pub async fn create(&self, body: &Value, key: Option<&str>) -> (StatusCode, Value) {
        let mut request = self.client.post(&self.base).bearer_auth(KEY).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    pub async fn get(&self, id: &str) -> Value {
        let response = self.fetch(&format!("/shipments/{id}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    pub async fn cancel(&self, id: &str) -> (StatusCode, Value) {
        let response = self.client.delete(format!("{}/{id}", self.base)).bearer_auth(KEY).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    pub async fn list(&self, query: &str) -> Value {
        let response = self.fetch(&format!("/shipments?{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        response.json().await.unwrap()
    }

    /// Reads the shipment until `done` holds of it (10 s at most).
    pub async fn wait(&self, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let shipment = self.get(id).await;
            if done(&shipment) {
                return shipment;
            }
            assert!(Instant::now() < deadline, "{what}: {shipment:#}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Pickup points in Moscow: an office and a locker, each the first in the view.
pub async fn moscow_points(proxy: &TestProxy) -> (String, String) {
    let view: ViewResponse = get_json(&proxy.url("/api/v1/points?bbox=37.4,55.6,37.8,55.9&zoom=16")).await;
    let points = view.nearest.iter().chain(&view.points);
    let office = points.clone().find(|p| p.kind != pvz_shared::PointKind::Locker).expect("an office").id.clone();
    let locker = points.clone().find(|p| p.kind == pvz_shared::PointKind::Locker).expect("a locker").id.clone();
    (office, locker)
}

/// The shop's webhook endpoint: answers 503 while `down`, records every event it takes with whether its
/// signature is right.
#[derive(Default)]
pub struct Receiver {
    pub down: std::sync::atomic::AtomicBool,
    pub refused: std::sync::atomic::AtomicUsize,
    /// How long it takes to answer an event it took (recorded at once), in milliseconds.
    pub answer_after_ms: std::sync::atomic::AtomicU64,
    /// (event id, whether its signature verifies, the event).
    pub taken: std::sync::Mutex<Vec<(String, bool, Value)>>,
}

pub const WEBHOOK_SECRET: &str = "webhook-secret-0123456789abcdef";

async fn receive(
    axum::extract::State(receiver): axum::extract::State<std::sync::Arc<Receiver>>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    use hmac::Mac;
    if receiver.down.load(std::sync::atomic::Ordering::SeqCst) {
        receiver.refused.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(&body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let signed = headers.get("x-pvz-signature").and_then(|v| v.to_str().ok()) == Some(&format!("sha256={expected}"));
    let event: Value = serde_json::from_slice(&body).unwrap();
    let id = headers.get("x-pvz-event").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(event["id"], id.as_str());
    receiver.taken.lock().unwrap().push((id, signed, event));
    let wait = receiver.answer_after_ms.load(std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    StatusCode::NO_CONTENT
}

impl Receiver {
    /// A receiver on a free loopback port, and the URL its events go to.
    pub async fn serve(down: bool) -> (std::sync::Arc<Self>, String) {
        let receiver = std::sync::Arc::new(Self::default());
        receiver.down.store(down, std::sync::atomic::Ordering::SeqCst);
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(std::sync::Arc::clone(&receiver));
        let hook = crate::serve_on_loopback(app).await;
        (receiver, format!("http://{hook}/hook"))
    }
}
