//! The widget's options: the `data-*` attributes of the script tag, or the object given to
//! `PvzWidget.mount`, as the loader passes them on.

use pvz_shared::Lang;
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// What the site owner asked for. Attributes arrive as strings; unknown keys are ignored.
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
}

impl WidgetOptions {
    pub fn from_js(value: JsValue) -> Result<Self, serde_wasm_bindgen::Error> {
        serde_wasm_bindgen::from_value(value)
    }

    pub fn lang(&self) -> Lang {
        self.lang.as_deref().map(Lang::from_tag).unwrap_or_default()
    }
}
