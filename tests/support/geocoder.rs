//! A Nominatim-compatible geocoder on a loopback port, as `PVZ_GEOCODER_URL` would point at: `GET /search`
//! with `q` and `format=jsonv2`, answering with Nominatim's shape (coordinates and the bounding box as
//! strings). It counts its calls and can be switched to fail.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

#[derive(Default)]
pub struct Counters {
    pub calls: AtomicUsize,
    /// Answer 500 with an HTML body, as a proxy in front of a geocoder does when it is down.
    pub failing: AtomicBool,
}

pub struct Geocoder {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
}

async fn search(State(counters): State<Arc<Counters>>, Query(query): Query<Vec<(String, String)>>) -> Response {
    counters.calls.fetch_add(1, Ordering::SeqCst);
    if counters.failing.load(Ordering::SeqCst) {
        return (StatusCode::INTERNAL_SERVER_ERROR, "<html><body>502 Bad Gateway</body></html>").into_response();
    }
    let q = query.iter().find(|(k, _)| k == "q").map(|(_, v)| v.to_lowercase()).unwrap_or_default();
    let format_ok = query.iter().any(|(k, v)| k == "format" && v == "jsonv2");
    if !format_ok {
        return (StatusCode::BAD_REQUEST, "format=jsonv2 expected").into_response();
    }
    let details = query.iter().any(|(k, v)| k == "addressdetails" && v == "1");
    let places = if details && q.contains("тверская") {
        // With `addressdetails`, the parts of the address under their own keys; a house only when one was asked.
        let house = q.split(|c: char| !c.is_ascii_digit()).find(|d| !d.is_empty()).map(str::to_string);
        json!([{
            "place_id": 3, "lat": "55.7601", "lon": "37.6135",
            "display_name": format!("{}Тверская улица, Тверской район, Москва, 125009, Россия", house.as_ref().map(|h| format!("{h}, ")).unwrap_or_default()),
            "address": {"house_number": house, "road": "Тверская улица", "city_district": "Тверской район", "city": "Москва",
                "state": "Москва", "postcode": "125009", "country": "Россия", "country_code": "ru"}
        }, {
            "place_id": 4, "lat": "55.76", "lon": "37.61", "display_name": "Тверская площадь, Москва",
            "address": {"city": "Москва", "country_code": "ru"}
        }])
    } else if q.contains("красная площадь") {
        json!([{
            "place_id": 1, "lat": "55.7539", "lon": "37.6208",
            "display_name": "Красная площадь, Тверской район, Москва, Россия",
            "boundingbox": ["55.7520", "55.7560", "37.6170", "37.6240"]
        }, {
            "place_id": 2, "lat": "not a number", "lon": "37.0", "display_name": "broken record"
        }])
    } else {
        json!([])
    };
    Json(places).into_response()
}

impl Geocoder {
    pub async fn start() -> Self {
        let counters = Arc::new(Counters::default());
        let app = Router::new().route("/search", get(search)).with_state(Arc::clone(&counters));
        let addr = crate::serve_on_loopback(app).await;
        Self { addr, counters }
    }

    pub fn search_url(&self) -> String {
        format!("http://{}/search", self.addr)
    }

    pub fn calls(&self) -> usize {
        self.counters.calls.load(Ordering::SeqCst)
    }
}
