//! The widget's options: the `data-*` attributes of the script tag, or the object given to
//! `PvzWidget.mount`, as the loader passes them on.

use pvz_shared::params::{self, ParamError};
use pvz_shared::{Lang, Parcel};
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// What the site owner asked for, as strings (the loader turns the JS API's numbers into text); unknown keys
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
    #[serde(default)]
    pub weight: Option<String>,
    /// `data-dims`: the parcel's size, `LxWxH` in cm, comma-separated for several boxes.
    #[serde(default)]
    pub dims: Option<String>,
    /// `data-value`: declared value in roubles, insured by the carrier.
    #[serde(default)]
    pub value: Option<String>,
    /// `data-cod`: cash on delivery to collect, in roubles.
    #[serde(default)]
    pub cod: Option<String>,
    /// `data-selected`: a point id chosen before (the buyer came back to the checkout).
    #[serde(default)]
    pub selected: Option<String>,
    /// `data-mode`: `picker` (default) or `tracking`.
    #[serde(default)]
    pub mode: Option<String>,
    /// `data-track`: the parcel the tracking view shows at once.
    #[serde(default)]
    pub track: Option<String>,
    /// `data-first`: `map` or `list`, which a narrow widget shows first and a wide one puts on the left.
    #[serde(default)]
    pub first: Option<String>,
}

impl WidgetOptions {
    pub fn from_js(value: JsValue) -> Result<Self, serde_wasm_bindgen::Error> {
        serde_wasm_bindgen::from_value(value)
    }

    pub fn is_tracking(&self) -> bool {
        self.mode.as_deref().map(str::trim) == Some("tracking")
    }

    /// `data-first` as the layout's attribute: `map`, `list`, or none for the default layout.
    pub fn first(&self) -> Option<&'static str> {
        match self.first.as_deref().map(str::trim) {
            Some("map") => Some("map"),
            Some("list") => Some("list"),
            _ => None,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.as_deref().map(Lang::from_tag).unwrap_or_default()
    }

    /// The parcel to quote, read as the proxy reads it.
    pub fn parcel(&self) -> Result<Parcel, ParamError> {
        params::parcel(self.weight.as_deref(), self.dims.as_deref(), self.value.as_deref(), self.cod.as_deref())
    }

    /// The parcel and carrier filters as query parameters for the points API.
    pub fn filter_params(&self) -> Vec<(&'static str, &str)> {
        [("carriers", &self.carriers), ("weight", &self.weight), ("dims", &self.dims)]
            .into_iter()
            .filter_map(|(key, value)| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| (key, v)))
            .collect()
    }
}
