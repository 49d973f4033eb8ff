//! Calls to the proxy's API. Failures come back as text fit to show the buyer. Bodies are parsed by the
//! browser's `JSON.parse` and read with serde-wasm-bindgen, which keeps a JSON parser out of the bundle.

use gloo_net::http::Request;
use pvz_shared::{
    AddressesResponse, BBox, Carrier, CityInfo, DoorAddress, DoorQuotesRequest, DoorQuotesResponse, ErrorBody, Parcel,
    QuotesRequest, QuotesResponse, SuggestResponse, ViewResponse, WidgetSettings,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::options::WidgetOptions;

/// Why an API call failed, in words for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// A response's body parsed as JSON.
async fn json(response: gloo_net::http::Response) -> Result<JsValue, ApiError> {
    let text = response.text().await.map_err(|e| invalid(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| invalid("the answer is not JSON".into()))
}

fn invalid(message: String) -> ApiError {
    ApiError { code: "invalid_response".into(), message }
}

/// `value` read as `T`. The one generic step of a call: fetching and parsing are the same code for every
/// answer, which keeps one copy of them in the bundle.
fn decode<T: DeserializeOwned>(value: JsValue) -> Result<T, ApiError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| invalid(e.to_string()))
}

/// The JSON at `url`; `Ok(None)` for a 404.
async fn get_json<T: DeserializeOwned>(url: &str, signal: Option<&AbortSignal>) -> Result<Option<T>, ApiError> {
    get(url, signal).await?.map(decode).transpose()
}

/// [`get_json`] up to the parsed JSON.
async fn get(url: &str, signal: Option<&AbortSignal>) -> Result<Option<JsValue>, ApiError> {
    let response = Request::get(url).abort_signal(signal).send().await.map_err(network)?;
    answer(response).await
}

fn network(e: gloo_net::Error) -> ApiError {
    ApiError { code: "network".into(), message: e.to_string() }
}

/// A response's JSON, `Ok(None)` for a plain 404 (`not_found`, `track_not_found`), or the API's error (a 404
/// that says more, such as a number no carrier takes, included).
async fn answer(response: gloo_net::http::Response) -> Result<Option<JsValue>, ApiError> {
    if response.ok() {
        return json(response).await.map(Some);
    }
    let status = response.status();
    match json(response).await.and_then(decode::<ErrorBody>) {
        Ok(body) if status == 404 && matches!(body.error.code.as_str(), "not_found" | "track_not_found") => Ok(None),
        Ok(body) => Err(ApiError { code: body.error.code, message: body.error.message }),
        Err(_) if status == 404 => Ok(None),
        Err(_) => Err(ApiError { code: "http".into(), message: format!("HTTP {status}") }),
    }
}

fn query(params: &[(&str, &str)]) -> String {
    params.iter().map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v))).collect::<Vec<_>>().join("&")
}

/// The answers the loader asked for while this module loaded (`warmUp` in the loader), as far as they had
/// arrived by the mount: with them the widget creates its map and asks for points in the mount's own task,
/// before the browser first draws it. Each is `None` when it had not arrived or was not a success: the
/// widget then asks itself, and meets any failure there.
#[derive(Debug, Clone, Default)]
pub struct Warm {
    pub settings: Option<WidgetSettings>,
    /// The answer for the `city` option, trimmed.
    pub city: Option<CityInfo>,
}

impl Warm {
    pub fn from_js(warm: &JsValue) -> Self {
        let answer = |key: &str| {
            js_sys::Reflect::get(warm, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
        };
        Self {
            // Read without `decode`: an answer that does not read is dropped, not described.
            settings: answer("settings").and_then(|v| serde_wasm_bindgen::from_value(v).ok()),
            city: answer("city").and_then(|v| serde_wasm_bindgen::from_value(v).ok()),
        }
    }
}

pub async fn settings(options: &WidgetOptions) -> Result<WidgetSettings, ApiError> {
    get_json(&format!("{}settings", options.api_base), None)
        .await?
        .ok_or_else(|| ApiError { code: "not_found".into(), message: "the proxy has no widget settings".into() })
}

/// Where `name` is; `None` when the network has no points there.
pub async fn city(options: &WidgetOptions, name: &str) -> Result<Option<CityInfo>, ApiError> {
    let url = format!("{}cities/{}", options.api_base, js_sys::encode_uri_component(name.trim()));
    get_json(&url, None).await
}

/// What to draw for one map view; `chips` are the filters the buyer switched on.
pub async fn view(
    options: &WidgetOptions,
    chips: &[(&'static str, String)],
    bbox: BBox,
    zoom: u8,
    signal: &AbortSignal,
) -> Result<ViewResponse, ApiError> {
    // Coordinates written by JavaScript, which keeps Rust's float formatting out of the bundle.
    let coordinate = |v: f64| String::from(js_sys::Number::from(v).to_fixed(6).unwrap_or_else(|_| "0".into()));
    let bbox = [bbox.west, bbox.south, bbox.east, bbox.north].map(coordinate).join(",");
    let zoom = zoom.to_string();
    let mut params = vec![("bbox", bbox.as_str()), ("zoom", zoom.as_str())];
    params.extend(options.filter_params());
    params.extend(chips.iter().map(|(k, v)| (*k, v.as_str())));
    let url = format!("{}points?{}", options.api_base, query(&params));
    get_json(&url, Some(signal))
        .await?
        .ok_or_else(|| ApiError { code: "not_found".into(), message: "the proxy has no points API".into() })
}

/// `body` posted as JSON to `path`; the answer's JSON (a 404 is `missing`: the proxy lacks that API).
async fn post_json<T: DeserializeOwned>(
    options: &WidgetOptions,
    path: &str,
    body: &impl Serialize,
    missing: &str,
) -> Result<T, ApiError> {
    let unwritable = |message: String| ApiError { code: "invalid_request".into(), message };
    let value =
        body.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| unwritable(e.to_string()))?;
    let json = js_sys::JSON::stringify(&value).map_err(|_| unwritable("cannot write the request".into()))?;
    decode(post(&format!("{}{path}", options.api_base), String::from(json), missing).await?)
}

/// [`post_json`] from the written body up to the parsed JSON.
async fn post(url: &str, json: String, missing: &str) -> Result<JsValue, ApiError> {
    let request = Request::post(url).header("content-type", "application/json").body(json).map_err(network)?;
    answer(request.send().await.map_err(network)?)
        .await?
        .ok_or_else(|| ApiError { code: "not_found".into(), message: missing.into() })
}

/// Quotes for `points` in one request.
pub async fn quotes(options: &WidgetOptions, points: Vec<String>, parcel: Parcel) -> Result<QuotesResponse, ApiError> {
    post_json(options, "quotes", &QuotesRequest { points, parcel }, "the proxy has no quotes API").await
}

/// Addresses a courier can come to, as the buyer typed one, in `city` when it is known.
pub async fn addresses(
    options: &WidgetOptions,
    text: &str,
    city: Option<&str>,
    signal: &AbortSignal,
) -> Result<AddressesResponse, ApiError> {
    let mut params = vec![("q", text)];
    params.extend(city.map(|city| ("city", city)));
    let url = format!("{}addresses?{}", options.api_base, query(&params));
    get_json(&url, Some(signal))
        .await?
        .ok_or_else(|| ApiError { code: "not_found".into(), message: "the proxy has no addresses API".into() })
}

/// Every carrier's price for bringing the parcel to `address` (the carriers of `data-carriers` alone).
pub async fn door_quotes(
    options: &WidgetOptions,
    address: DoorAddress,
    parcel: Parcel,
) -> Result<DoorQuotesResponse, ApiError> {
    let carriers = options.carrier_names().into_iter().map(Carrier).collect();
    let body = DoorQuotesRequest { address, parcel, carriers };
    post_json(options, "door-quotes", &body, "the proxy does not deliver to doors").await
}

/// One point with everything known of it; `None` when the proxy has no such point.
pub async fn point(options: &WidgetOptions, id: &str) -> Result<Option<pvz_shared::Point>, ApiError> {
    get_json(&format!("{}points/{}", options.api_base, js_sys::encode_uri_component(id)), None).await
}

/// Places and points matching what the buyer typed in the search box.
pub async fn suggest(options: &WidgetOptions, text: &str, signal: &AbortSignal) -> Result<SuggestResponse, ApiError> {
    let url = format!("{}suggest?{}", options.api_base, query(&[("q", text)]));
    get_json(&url, Some(signal))
        .await?
        .ok_or_else(|| ApiError { code: "not_found".into(), message: "the proxy has no search API".into() })
}

/// A parcel's state and history; `None` when its carrier knows no such number.
pub async fn tracking(
    options: &WidgetOptions,
    number: &str,
) -> Result<Option<pvz_shared::tracking::Tracking>, ApiError> {
    get_json(&format!("{}tracking/{}", options.api_base, js_sys::encode_uri_component(number)), None).await
}
