//! Calls to the proxy's API. Failures come back as text fit to show the buyer.

use gloo_net::http::Request;
use pvz_shared::{ErrorBody, PointsResponse, WidgetSettings};
use serde::de::DeserializeOwned;

use crate::options::WidgetOptions;

/// Why an API call failed, in words for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let network = |e: gloo_net::Error| ApiError { code: "network".into(), message: e.to_string() };
    let response = Request::get(url).send().await.map_err(network)?;
    if response.ok() {
        return response.json().await.map_err(network);
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError { code: body.error.code, message: body.error.message }),
        Err(_) => Err(ApiError { code: "http".into(), message: format!("HTTP {}", response.status()) }),
    }
}

pub async fn settings(options: &WidgetOptions) -> Result<WidgetSettings, ApiError> {
    get_json(&format!("{}settings", options.api_base)).await
}

/// The points of the start city (all points when no city is set), of the chosen carriers.
pub async fn points(options: &WidgetOptions) -> Result<PointsResponse, ApiError> {
    let mut url = format!("{}points?", options.api_base);
    let params = [("city", &options.city), ("carriers", &options.carriers)];
    for (key, value) in params {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            url.push_str(&format!("{key}={}&", js_sys::encode_uri_component(value)));
        }
    }
    get_json(url.trim_end_matches(['&', '?'])).await
}
