//! The buyer's position from the browser, asked only when it helps them: the "near me" button, or a map
//! that has no city to start in.

use pvz_shared::LatLon;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Why the position is not known, for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// The browser has no geolocation (or the page is not a secure context).
    Unsupported,
    /// The buyer said no, or the browser could not tell.
    Refused,
}

/// Asks the browser once; calls `found` or `failed`.
pub fn locate(found: impl FnOnce(LatLon) + 'static, failed: impl FnOnce(Unknown) + 'static) {
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        failed(Unknown::Unsupported);
        return;
    };
    let found = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        found(LatLon { lat: coords.latitude(), lon: coords.longitude() });
    });
    let failed = Closure::once_into_js(move |_: JsValue| failed(Unknown::Refused));
    let options = web_sys::PositionOptions::new();
    options.set_timeout(10_000);
    options.set_maximum_age(600_000);
    let _ = geolocation.get_current_position_with_error_callback_and_options(
        found.unchecked_ref(),
        Some(failed.unchecked_ref()),
        &options,
    );
}
