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
    /// `data-delivery`: `pickup`, `door`, or both comma-separated (the default), the first shown first.
    #[serde(default)]
    pub delivery: Option<String>,
}

/// How the parcel reaches the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// To a pickup point, locker or post office.
    Pickup,
    /// By courier to the buyer's door.
    Door,
}

impl WidgetOptions {
    pub fn from_js(value: JsValue) -> Result<Self, serde_wasm_bindgen::Error> {
        serde_wasm_bindgen::from_value(value).map(Self::into_meant)
    }

    /// The parcel's attributes as the shop meant them, where that is unambiguous: sizes typed with a
    /// Cyrillic «х», a weight of `1200.0` grams, amounts with spaces between the thousands (`2 500`).
    fn into_meant(mut self) -> Self {
        let squeeze = |text: &str| text.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if let Some(weight) = &mut self.weight {
            let plain = squeeze(weight);
            *weight = match plain.split_once(['.', ',']) {
                Some((grams, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => grams.to_string(),
                _ => plain,
            };
        }
        if let Some(dims) = &mut self.dims {
            *dims = squeeze(dims).replace(['х', 'Х'], "x");
        }
        for amount in [&mut self.value, &mut self.cod].into_iter().flatten() {
            *amount = squeeze(amount);
        }
        self
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

    /// The ways of delivery offered, in the order `data-delivery` names them; both when it names neither.
    pub fn deliveries(&self) -> Vec<Delivery> {
        let mut offered = Vec::new();
        for word in self.delivery.as_deref().unwrap_or_default().split(',').map(str::trim) {
            let delivery = match word {
                "pickup" => Delivery::Pickup,
                "door" => Delivery::Door,
                _ => continue,
            };
            if !offered.contains(&delivery) {
                offered.push(delivery);
            }
        }
        if offered.is_empty() {
            offered = vec![Delivery::Pickup, Delivery::Door];
        }
        offered
    }

    /// The carriers of `data-carriers`; none when it is absent (every carrier).
    pub fn carrier_names(&self) -> Vec<String> {
        let names = self.carriers.as_deref().unwrap_or_default().split(',').map(str::trim);
        names.filter(|name| !name.is_empty()).map(str::to_string).collect()
    }

    pub fn lang(&self) -> Lang {
        self.lang.as_deref().map(Lang::from_tag).unwrap_or_default()
    }

    /// The parcel to quote, read as the proxy reads it.
    pub fn parcel(&self) -> Result<Parcel, ParamError> {
        params::parcel(self.weight.as_deref(), self.dims.as_deref(), self.value.as_deref(), self.cod.as_deref())
    }

    /// The parcel and carrier filters as query parameters for the points API; a weight or size that cannot
    /// be read filters nothing (the buyer is told, see [`WidgetOptions::parcel`]).
    pub fn filter_params(&self) -> Vec<(&'static str, &str)> {
        let weight = self.weight.as_ref().filter(|w| params::weight(Some(w)).is_ok());
        let dims = self.dims.as_ref().filter(|d| params::boxes(Some(d)).is_ok());
        [("carriers", self.carriers.as_ref()), ("weight", weight), ("dims", dims)]
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| v.trim()).filter(|v| !v.is_empty()).map(|v| (key, v)))
            .collect()
    }
}
