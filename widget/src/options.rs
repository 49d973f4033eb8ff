//! The widget's options: the `data-*` attributes of the script tag, or the object given to
//! `PvzWidget.mount`, as the loader passes them on.

use pvz_shared::Lang;
use serde::{Deserialize, Deserializer};
use wasm_bindgen::JsValue;

/// What the site owner asked for. Attributes arrive as strings, the JS API may pass numbers; unknown keys
/// are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetOptions {
    /// Absolute URL of the proxy's API (`.../api/v1/`), set by the loader from its own address.
    pub api_base: String,
    /// The city to start in (`data-city`).
    #[serde(default)]
    pub city: Option<String>,
    /// `data-lang`: `ru` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
    /// `data-carriers`: comma-separated carrier names, all when absent.
    #[serde(default)]
    pub carriers: Option<String>,
    /// `data-weight`: the parcel's weight in grams.
    #[serde(default, deserialize_with = "text_or_number")]
    pub weight: Option<String>,
    /// `data-dims`: the parcel's size, `LxWxH` in cm.
    #[serde(default)]
    pub dims: Option<String>,
}

/// A string or a number, kept as the string the API will be given.
fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Text(String),
        Number(f64),
    }
    Ok(Option::<Value>::deserialize(deserializer)?.map(|v| match v {
        Value::Text(text) => text,
        Value::Number(n) => n.to_string(),
    }))
}

impl WidgetOptions {
    pub fn from_js(value: JsValue) -> Result<Self, serde_wasm_bindgen::Error> {
        serde_wasm_bindgen::from_value(value)
    }

    pub fn lang(&self) -> Lang {
        self.lang.as_deref().map(Lang::from_tag).unwrap_or_default()
    }

    /// The parcel and carrier filters as query parameters for the points API.
    pub fn filter_params(&self) -> Vec<(&'static str, &str)> {
        [("carriers", &self.carriers), ("weight", &self.weight), ("dims", &self.dims)]
            .into_iter()
            .filter_map(|(key, value)| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| (key, v)))
            .collect()
    }
}
