//! The demo checkout's backend, as a shop's own would be: it takes the order from the checkout page (to a
//! point or to a door) and registers its shipment through the shipments service (the same code the shipments
//! API runs), then sends the buyer to the order page, which tracks the parcel. Served only when the demo
//! carriers are the only ones, so it can never make a real carrier's order.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use pvz_shared::{Dimensions, Parcel};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use crate::Error;
use crate::shipments::Created;
use crate::shipments::model::{Item, Recipient, ShipmentRequest};

pub fn routes(demo_only: bool) -> Router<AppState> {
    if demo_only { Router::new().route("/demo-shop/orders", post(order)) } else { Router::new() }
}

/// What the checkout page sends: the buyer and what the widget put in the form, a point or a door.
#[derive(Debug, Deserialize)]
struct Checkout {
    name: String,
    phone: String,
    #[serde(default)]
    pvz_point_id: String,
    /// `pvz_door` as the widget wrote it: the shipments API's `door`, as JSON text.
    #[serde(default)]
    pvz_door: String,
}

/// The demo shop's one cart: what the checkout page shows, with the parcel its snippet describes.
fn cart() -> (Parcel, Vec<Item>) {
    let item = |name: &str, sku: &str, price: u64, weight_g: u32| Item {
        name: name.into(),
        sku: sku.into(),
        price,
        quantity: 1,
        weight_g,
    };
    let parcel = Parcel {
        weight_g: 1200,
        boxes: vec![Dimensions { length: 30, width: 20, height: 10 }],
        declared_value: 250_000,
        cash_on_delivery: 0,
    };
    (
        parcel,
        vec![
            item("Пуэр «Старый лес», 357 г", "PU-357", 160_000, 450),
            item("Чайник глиняный, 200 мл", "KT-200", 90_000, 600),
        ],
    )
}

/// `POST /demo-shop/orders`: the order's page to go to, or the API's error.
async fn order(
    State(state): State<AppState>,
    body: Result<Json<Checkout>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Error> {
    let Json(checkout) = body.map_err(|e| Error::bad_request("body", e.body_text()))?;
    let door = match checkout.pvz_door.trim() {
        "" => None,
        text => Some(serde_json::from_str(text).map_err(|e| Error::bad_request("pvz_door", e.to_string()))?),
    };
    let (parcel, items) = cart();
    let number = format!("{}", fastrand::u32(100_000..1_000_000));
    let request = ShipmentRequest {
        door,
        order_number: number.clone(),
        point_id: checkout.pvz_point_id,
        parcel,
        recipient: Recipient { name: checkout.name, phone: checkout.phone, email: String::new() },
        items,
        comment: String::new(),
    };
    let (Created::New(shipment) | Created::Again(shipment)) = state.shipments.create(None, request).await?;
    let mut page = reqwest::Url::parse("http://shop/order.html").map_err(|e| Error::Internal(e.to_string()))?;
    page.query_pairs_mut().append_pair("number", &number).append_pair("delivery", &shipment.cost.quoted.to_string());
    if let Some(track) = &shipment.track_number {
        page.query_pairs_mut().append_pair("track", track);
    }
    let path = format!("{}?{}", page.path(), page.query().unwrap_or_default());
    Ok(Json(json!({"order_page": path, "shipment": shipment.id})).into_response())
}
