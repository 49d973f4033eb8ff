//! The pickup-point widget compiled to wasm32. The JS loader (`loader/widget.js`) creates the Shadow DOM
//! root, loads Leaflet and this module, and calls [`mount`]; everything the buyer sees is built here: the
//! pickup-point picker, or the tracking view with `data-mode="tracking"`.
//!
//! The bundle builds the crate twice, with the `picker` feature alone and with `tracking` alone, so that a
//! checkout never loads the tracking view nor an order page the picker; what one mode alone leaves unused is
//! dropped by the linker. The tests build both.
#![cfg_attr(not(all(feature = "picker", feature = "tracking")), allow(dead_code, unused_imports))]

mod api;
mod app;
mod chips;
mod choice;
mod combobox;
mod dates;
mod details;
mod door;
mod events;
mod list;
mod map;
mod options;
mod position;
mod reactive;
mod search;
mod tracking;

use std::any::Any;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

pub use app::Widget;
pub use list::{PointList, Priced, Row, Sort, sorted};
pub use options::{Delivery, WidgetOptions};

/// A mounted widget, returned to JavaScript; `destroy()` takes it down with everything it started.
#[wasm_bindgen]
pub struct WidgetHandle {
    /// Leptos' unmount handle: dropping it removes the view and runs every cleanup (map, listeners).
    mounted: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget; calling it again does nothing.
    pub fn destroy(&mut self) {
        self.mounted.take();
    }
}

/// Mounts the widget into `root` (inside the shadow root of `host`); events go to `host`. `warm` holds the
/// API answers the loader already has (`{ settings, city }`, each optional).
#[wasm_bindgen]
pub fn mount(host: HtmlElement, root: HtmlElement, options: JsValue, warm: JsValue) -> Result<WidgetHandle, JsError> {
    let options = WidgetOptions::from_js(options).map_err(|e| JsError::new(&format!("PvzWidget options: {e}")))?;
    let mounted =
        if options.is_tracking() { tracking_view(host, root, options)? } else { picker(host, root, options, warm)? };
    Ok(WidgetHandle { mounted: Some(mounted) })
}

#[cfg(feature = "picker")]
fn picker(
    host: HtmlElement,
    root: HtmlElement,
    options: WidgetOptions,
    warm: JsValue,
) -> Result<Box<dyn Any>, JsError> {
    let warm = api::Warm::from_js(&warm);
    Ok(Box::new(leptos::mount::mount_to(root, move || leptos::view! { <Widget options host warm /> })))
}

#[cfg(feature = "tracking")]
fn tracking_view(host: HtmlElement, root: HtmlElement, options: WidgetOptions) -> Result<Box<dyn Any>, JsError> {
    Ok(Box::new(leptos::mount::mount_to(root, move || leptos::view! { <tracking::TrackingView options host /> })))
}

#[cfg(not(feature = "picker"))]
fn picker(_: HtmlElement, _: HtmlElement, _: WidgetOptions, _: JsValue) -> Result<Box<dyn Any>, JsError> {
    Err(JsError::new("PvzWidget: this module is the tracking view; the loader picks the picker's for a checkout"))
}

#[cfg(not(feature = "tracking"))]
fn tracking_view(_: HtmlElement, _: HtmlElement, _: WidgetOptions) -> Result<Box<dyn Any>, JsError> {
    Err(JsError::new(
        "PvzWidget: this module is the picker; the loader picks the tracking view's for data-mode=\"tracking\"",
    ))
}
