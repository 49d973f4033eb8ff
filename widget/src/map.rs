//! The Leaflet map: tiles from the proxy's settings and one canvas-drawn circle per point, so thousands of
//! points cost no DOM nodes. The map is created once its container is in the document and removed with the
//! view.

use std::cell::RefCell;
use std::rc::Rc;

use leaflet::{Canvas, CircleMarker, LatLng, LatLngBounds, Map, MapOptions, PathOptions, TileLayer, TileLayerOptions};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use pvz_shared::{Point, PointKind, PointsResponse, WidgetSettings};
use wasm_bindgen::JsValue;

/// What the map needs before it can draw anything.
#[derive(Clone, Debug)]
pub struct MapData {
    pub settings: WidgetSettings,
    pub points: PointsResponse,
}

const MOSCOW: (f64, f64) = (55.7558, 37.6173);

fn marker_colour(point: &Point) -> &'static str {
    match point.kind {
        PointKind::PickupPoint => "#0a7d4f",
        PointKind::Locker => "#1d5fbf",
        PointKind::PostOffice => "#b3261e",
    }
}

/// Builds the Leaflet map inside `element` and draws the points; returns it for removal.
fn draw(element: &web_sys::HtmlElement, data: &MapData) -> Result<Map, JsValue> {
    let options = MapOptions::default();
    options.set_prefer_canvas(true);
    let map = Map::new_with_element(element, &options)?;
    if !data.settings.tile_url.is_empty() {
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(data.settings.tile_attribution.clone());
        tile_options.set_max_zoom(19.0);
        TileLayer::new_options(&data.settings.tile_url, &tile_options).add_to(&map);
    }
    let renderer = Canvas::new();
    for point in &data.points.points {
        let style = PathOptions::new();
        style.set_renderer(renderer.clone().into());
        style.set_color("#ffffff".into());
        style.set_weight(1.5);
        style.set_fill_color(marker_colour(point).into());
        style.set_fill_opacity(0.9);
        let marker = CircleMarker::new_with_options(&LatLng::new(point.location.lat, point.location.lon), &style);
        marker.set_radius(7.0);
        marker.add_to(&map);
    }
    match data.points.bounds {
        Some(b) => {
            map.fit_bounds(&LatLngBounds::new(&LatLng::new(b.south, b.west), &LatLng::new(b.north, b.east)));
        }
        None => {
            map.set_view(&LatLng::new(MOSCOW.0, MOSCOW.1), 10.0);
        }
    }
    element.set_attribute("data-markers", &data.points.points.len().to_string())?;
    Ok(map)
}

/// The map; calls `on_drawn` with the number of points once they are on it.
#[component]
pub fn MapView(data: Signal<Option<MapData>>, on_drawn: Callback<usize>, on_failed: Callback<String>) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let map: Rc<RefCell<Option<Map>>> = Rc::default();
    let slot = SendWrapper::new(Rc::clone(&map));
    Effect::new(move |_| {
        let (Some(element), Some(data)) = (container.get(), data.get()) else { return };
        if slot.borrow().is_some() {
            return;
        }
        match draw(&element, &data) {
            Ok(drawn) => {
                *slot.borrow_mut() = Some(drawn);
                on_drawn.run(data.points.points.len());
            }
            Err(err) => on_failed.run(format!("{err:?}")),
        }
    });
    let map = SendWrapper::new(map);
    on_cleanup(move || {
        if let Some(map) = map.borrow_mut().take() {
            map.remove();
        }
    });
    view! { <div class="pvz-map" node_ref=container></div> }
}
