//! The Leaflet map. It asks the proxy for what is in view each time the map settles (debounced, the stale
//! request aborted) and draws clusters and points as small icons the keyboard reaches too (Tab, then Enter
//! zooms into a cluster or opens a point). The server keeps a view to a few hundred icons. Every listener,
//! timer and request it starts is stopped, and the map removed, when the view is unmounted.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use leaflet::{
    FeatureGroup, LatLng, LatLngBounds, Map, MapOptions, Marker, MarkerOptions, TileLayer, TileLayerOptions, Zoom,
    ZoomOptions,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{
    BBox, Facets, Lang, LatLon, Point, PointKind, PointMarker, ViewResponse, WidgetSettings, group_thousands, plural_ru,
};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

use crate::api::{self, ApiError};
use crate::options::WidgetOptions;

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon(options)`; the leaflet crate's `DivIcon::new` builds an image icon instead.
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &JsValue) -> leaflet::Icon;
}

/// Where the map opens or moves to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Focus {
    /// A box: a city, a postcode.
    Bounds(BBox),
    /// Close around one point: one chosen before.
    Near(LatLon),
    /// Close around a place, marked with a pin: one searched for, or the buyer.
    Pinned(LatLon, Pin),
    /// The whole country, moving to the buyer if the browser gives their location.
    Country,
}

/// A pin on the map that is not a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// The address or station the buyer searched for.
    Place,
    /// The buyer, where the browser says they are.
    Buyer,
}

impl Pin {
    fn class(self) -> &'static str {
        match self {
            Self::Place => "pvz-pin pvz-pin-place",
            Self::Buyer => "pvz-pin pvz-pin-buyer",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Place, Lang::Ru) => "Искомое место",
            (Self::Place, Lang::En) => "The place searched for",
            (Self::Buyer, Lang::Ru) => "Вы здесь",
            (Self::Buyer, Lang::En) => "You are here",
        }
    }
}

/// What the map needs before it can be created.
#[derive(Debug, Clone)]
pub struct MapSetup {
    pub settings: WidgetSettings,
    pub start: Focus,
}

/// Wait after the map settles before asking for its view: a scroll-wheel zoom settles several times.
const DEBOUNCE: Duration = Duration::from_millis(120);
const COUNTRY_CENTRE: (f64, f64) = (61.0, 96.0);
const COUNTRY_ZOOM: f64 = 3.0;
const BUYER_ZOOM: f64 = 13.0;
/// Close enough around a chosen point to list its neighbours.
const NEAR_ZOOM: f64 = 15.0;
/// Where Leaflet puts the markers' icons.
const MARKER_PANE: &str = "markerPane";
/// What opens a marker: a click, or Enter on a focused one.
const MARKER_EVENTS: &str = "click keypress";
/// How many icons PageDown and PageUp move over.
const MARKER_PAGE: usize = 10;
/// How far a click on a cluster zooms in.
const CLUSTER_ZOOM_STEP: f64 = 2.0;

fn marker_class(kind: PointKind) -> &'static str {
    match kind {
        PointKind::PickupPoint => "pvz-marker pvz-marker-pickup",
        PointKind::Locker => "pvz-marker pvz-marker-locker",
        PointKind::PostOffice => "pvz-marker pvz-marker-post",
    }
}

/// A kind as the legend names it: short, to keep the map in view.
fn legend_label(kind: PointKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (PointKind::PickupPoint, Lang::Ru) => "пункт выдачи",
        (PointKind::Locker, Lang::Ru) => "постамат",
        (PointKind::PostOffice, Lang::Ru) => "почта",
        (PointKind::PickupPoint, Lang::En) => "pickup point",
        (PointKind::Locker, Lang::En) => "locker",
        (PointKind::PostOffice, Lang::En) => "post office",
    }
}

fn cluster_title(count: u32, lang: Lang) -> String {
    let n = group_thousands(u64::from(count), lang);
    match lang {
        Lang::Ru => {
            let word = plural_ru(u64::from(count), "пункт выдачи", "пункта выдачи", "пунктов выдачи");
            format!("{n} {word}: приблизить")
        }
        Lang::En => format!("{n} pickup points: zoom in"),
    }
}

/// Moves `map` to `focus`.
fn show(map: &Map, focus: Focus) {
    match focus {
        Focus::Bounds(b) => {
            map.fit_bounds(&LatLngBounds::new(&LatLng::new(b.south, b.west), &LatLng::new(b.north, b.east)));
        }
        Focus::Near(at) | Focus::Pinned(at, _) => {
            map.set_view(&LatLng::new(at.lat, at.lon), NEAR_ZOOM);
        }
        Focus::Country => {
            map.set_view(&LatLng::new(COUNTRY_CENTRE.0, COUNTRY_CENTRE.1), COUNTRY_ZOOM);
        }
    }
}

/// The live map and everything it started.
struct MapState {
    map: Map,
    /// Clusters and points of the current view.
    markers: FeatureGroup,
    /// What is marked beside the points: the open or chosen point's ring, the searched place's and the
    /// buyer's pins; each replaced by the next of its kind.
    marks: Vec<(Mark, Marker)>,
    /// The points drawn, by the `pvzPoint` index their markers carry.
    points: Vec<PointMarker>,
    options: WidgetOptions,
    /// The chips' query parameters.
    chips: Vec<(&'static str, String)>,
    /// The view request in flight, aborted when the map moves again.
    request: Option<AbortController>,
    /// The debounce timer of the last move.
    timer: Option<TimeoutHandle>,
    /// Leaflet listeners, kept to be removed and freed with the map.
    on_move_end: Option<Closure<dyn Fn(JsValue)>>,
    on_click: Option<Closure<dyn Fn(JsValue)>>,
    on_key: Option<Closure<dyn Fn(web_sys::KeyboardEvent)>>,
    on_view: Callback<(ViewResponse, LatLon)>,
    on_point: Callback<PointMarker>,
    on_failed: Callback<ApiError>,
}

impl MapState {
    fn tear_down(&mut self) {
        if let Some(request) = self.request.take() {
            request.abort();
        }
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        if let Some(listener) = self.on_move_end.take() {
            self.map.off("moveend", listener.as_ref());
        }
        if let Some(listener) = self.on_click.take() {
            self.markers.off(MARKER_EVENTS, listener.as_ref());
        }
        if let Some(listener) = self.on_key.take() {
            let pane = self.map.get_pane_by_name(MARKER_PANE);
            let _ = pane.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        self.map.remove();
    }
}

/// What a mark on the map stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Point,
    Pin(Pin),
}

impl MapState {
    /// Puts `mark` at `at` (or takes it away for `None`), replacing the one of its kind. Marks are not in
    /// the Tab order and never take a click: the point's own icon does.
    fn mark(&mut self, mark: Mark, at: Option<LatLon>) {
        if let Some(i) = self.marks.iter().position(|(m, _)| *m == mark) {
            let (_, old) = self.marks.remove(i);
            old.remove();
        }
        let Some(at) = at else { return };
        let (class, size, title) = match mark {
            Mark::Point => ("pvz-marked", 30.0, None),
            Mark::Pin(pin) => (pin.class(), 22.0, Some(pin.title(self.options.lang()))),
        };
        let options = MarkerOptions::new();
        options.set_icon(icon(class, size, None));
        options.set_keyboard(false);
        js_set(&options, "interactive", &JsValue::FALSE);
        // The ring sits under the point's icon; pins above everything.
        options.set_z_index_offset(if mark == Mark::Point { -1000.0 } else { 1000.0 });
        if let Some(title) = title {
            options.set_title(title.to_string());
        }
        let marker = Marker::new_with_options(&LatLng::new(at.lat, at.lon), &options);
        marker.add_to(&self.map);
        // Seen, not read: the legend says what they are, and the choice is announced where it is made.
        if let Some(element) = icon_element(&marker) {
            let _ = element.set_attribute("aria-hidden", "true");
        }
        self.marks.push((mark, marker));
    }
}

/// The visible box, clamped to the world, and the zoom.
fn visible(map: &Map) -> Option<(BBox, u8)> {
    let bounds = map.get_bounds();
    let (sw, ne) = (bounds.get_south_west(), bounds.get_north_east());
    let bbox = BBox {
        west: sw.lng().max(-180.0),
        south: sw.lat().max(-85.0),
        east: ne.lng().min(180.0),
        north: ne.lat().min(85.0),
    };
    let zoom = map.get_zoom().round().clamp(0.0, 20.0) as u8;
    (bbox.west < bbox.east && bbox.south < bbox.north).then_some((bbox, zoom))
}

fn js_set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

fn js_get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn icon(class: &str, size: f64, content: Option<&web_sys::Element>) -> leaflet::Icon {
    let options = js_sys::Object::new();
    if let Some(content) = content {
        js_set(&options, "html", content);
    }
    js_set(&options, "className", &JsValue::from_str(class));
    js_set(&options, "iconSize", &leaflet::Point::new(size, size));
    div_icon(&options)
}

/// The icon element of a marker on the map (Leaflet's `getElement`).
fn icon_element(marker: &Marker) -> Option<web_sys::Element> {
    let get_element: js_sys::Function = js_get(marker, "getElement").dyn_into().ok()?;
    get_element.call0(marker).ok()?.dyn_into().ok()
}

/// Names a drawn marker's icon for screen readers (a cluster's visible number alone would be its name) and
/// puts only the first icon in the Tab order: the arrow keys move between icons (see [`on_marker_key`]).
/// The name is an attribute, never HTML.
fn name_icon(marker: &Marker, name: &str, drawn: usize) -> Result<(), JsValue> {
    let element = icon_element(marker).ok_or("a marker without its icon")?;
    element.set_attribute("aria-label", name)?;
    element.set_attribute("title", name)?;
    element.set_attribute("tabindex", if drawn == 0 { "0" } else { "-1" })
}

/// The arrow keys, Home, End and the Page keys on a focused icon: focus moves to another icon, so that the
/// map is one Tab stop however many icons it shows.
fn on_marker_key(event: web_sys::KeyboardEvent) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let Some(pane) = target.parent_element() else { return };
    if target.get_attribute("role").as_deref() != Some("button") {
        return;
    }
    let key = match event.key().as_str() {
        "ArrowRight" => "ArrowDown".to_string(),
        "ArrowLeft" => "ArrowUp".to_string(),
        key => key.to_string(),
    };
    // The points' and clusters' icons: the marks beside them are not buttons.
    let Ok(icons) = pane.query_selector_all(".leaflet-marker-icon[role=button]") else { return };
    let icons: Vec<web_sys::HtmlElement> = (0..icons.length()).filter_map(|i| icons.get(i)?.dyn_into().ok()).collect();
    let Some(current) = icons.iter().position(|icon| **icon == target) else { return };
    let Some(next) = crate::list::moved(&key, current, icons.len(), MARKER_PAGE) else { return };
    event.prevent_default();
    // Leaflet's own keys pan the map when it has focus; an icon's keys are the icons'.
    event.stop_propagation();
    let _ = icons[current].set_attribute("tabindex", "-1");
    let _ = icons[next].set_attribute("tabindex", "0");
    let _ = icons[next].focus();
}

/// Replaces the markers with `view`'s.
fn draw(state: &mut MapState, view: &ViewResponse) -> Result<(), JsValue> {
    state.markers.clear_layers();
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let lang = state.options.lang();
    let mut drawn = 0;
    for cluster in &view.clusters {
        let label = document.create_element("span")?;
        label.set_text_content(Some(&group_thousands(u64::from(cluster.count), lang)));
        // At most the proxy's least gap between icons (50 px), so that neighbouring clusters never overlap.
        let size = (26.0 + 6.0 * cluster.count.to_string().len() as f64).min(50.0);
        let options = MarkerOptions::new();
        options.set_icon(icon("pvz-cluster", size, Some(&label)));
        let marker = Marker::new_with_options(&LatLng::new(cluster.location.lat, cluster.location.lon), &options);
        js_set(&marker, "pvzCluster", &JsValue::TRUE);
        state.markers.add_layer(&marker);
        name_icon(&marker, &cluster_title(cluster.count, lang), drawn)?;
        drawn += 1;
    }
    for (i, point) in view.points.iter().enumerate() {
        let options = MarkerOptions::new();
        options.set_icon(icon(marker_class(point.kind), 18.0, None));
        let marker = Marker::new_with_options(&LatLng::new(point.lat, point.lon), &options);
        js_set(&marker, "pvzPoint", &JsValue::from(i as u32));
        state.markers.add_layer(&marker);
        name_icon(&marker, &format!("{}, {}", point.name, point.address), drawn)?;
        drawn += 1;
    }
    state.points = view.points.clone();
    let container = state.map.get_container();
    container.set_attribute("data-total", &view.total.to_string())?;
    container.set_attribute("data-clusters", &view.clusters.len().to_string())?;
    container.set_attribute("data-points", &view.points.len().to_string())?;
    container.set_attribute("data-zoom", &view.zoom.to_string())?;
    Ok(())
}

/// Asks for the visible view now, aborting the request before it.
fn load(weak: Weak<RefCell<MapState>>) {
    let Some(state) = weak.upgrade() else { return };
    let mut s = state.borrow_mut();
    s.timer = None;
    let Some((bbox, zoom)) = visible(&s.map) else { return };
    if let Some(previous) = s.request.take() {
        previous.abort();
    }
    let Ok(controller) = AbortController::new() else { return };
    s.request = Some(controller.clone());
    let (options, chips) = (s.options.clone(), s.chips.clone());
    drop(s);
    spawn_local(async move {
        let result = api::view(&options, &chips, bbox, zoom, &controller.signal()).await;
        let Some(state) = weak.upgrade() else { return };
        if controller.signal().aborted() {
            return;
        }
        let (on_view, on_failed) = {
            let mut s = state.borrow_mut();
            s.request = None;
            (s.on_view, s.on_failed)
        };
        match result {
            Ok(view) => {
                let drawn = draw(&mut state.borrow_mut(), &view);
                let centre = state.borrow().map.get_center();
                match drawn {
                    Ok(()) => on_view.run((view, LatLon { lat: centre.lat(), lon: centre.lng() })),
                    Err(err) => on_failed.run(ApiError { code: "map".into(), message: format!("{err:?}") }),
                }
            }
            Err(err) => on_failed.run(err),
        }
    });
}

/// Schedules [`load`] once the map has been still for [`DEBOUNCE`].
fn schedule(weak: Weak<RefCell<MapState>>) {
    let Some(state) = weak.upgrade() else { return };
    let mut s = state.borrow_mut();
    if let Some(timer) = s.timer.take() {
        timer.clear();
    }
    s.timer = set_timeout_with_handle(move || load(weak), DEBOUNCE).ok();
}

/// Moves to the buyer's location if the browser has it and they allow it; otherwise stays put.
fn locate_buyer(weak: Weak<RefCell<MapState>>) {
    let found = move |at: LatLon| {
        let Some(state) = weak.upgrade() else { return };
        // Cloned out of the cell: moving the map may fire `moveend` at once, which borrows the state.
        let map = state.borrow().map.clone();
        map.set_view(&LatLng::new(at.lat, at.lon), BUYER_ZOOM);
        state.borrow_mut().mark(Mark::Pin(Pin::Buyer), Some(at));
    };
    crate::position::locate(found, |_| ());
}

/// Creates the map in `element` and starts loading its first view.
fn create(
    element: &web_sys::HtmlElement,
    setup: &MapSetup,
    options: WidgetOptions,
    chips: Vec<(&'static str, String)>,
    on_view: Callback<(ViewResponse, LatLon)>,
    on_point: Callback<PointMarker>,
    on_failed: Callback<ApiError>,
) -> Result<Rc<RefCell<MapState>>, JsValue> {
    let map_options = MapOptions::default();
    // Cluster icons are DOM nodes: moving each of them on every frame of a zoom animation makes long frames,
    // so they are hidden during the animation and put in place once it ends.
    map_options.set_marker_zoom_animation(false);
    // The zoom buttons in the buyer's language (Leaflet's own speak English).
    map_options.set_zoom_control(false);
    let map = Map::new_with_element(element, &map_options)?;
    let mut zoom = ZoomOptions::new();
    let (zoom_in, zoom_out) = match options.lang() {
        Lang::Ru => ("Приблизить", "Отдалить"),
        Lang::En => ("Zoom in", "Zoom out"),
    };
    zoom.set_zoom_in_title(zoom_in);
    zoom.set_zoom_out_title(zoom_out);
    Zoom::new(&zoom).add_to(&map);
    if !setup.settings.tile_url.is_empty() {
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(setup.settings.tile_attribution.clone());
        tile_options.set_max_zoom(19.0);
        TileLayer::new_options(&setup.settings.tile_url, &tile_options).add_to(&map);
    }
    show(&map, setup.start);
    let markers = FeatureGroup::new();
    markers.add_to(&map);
    let state = Rc::new(RefCell::new(MapState {
        map,
        markers,
        marks: Vec::new(),
        points: Vec::new(),
        options,
        chips,
        request: None,
        timer: None,
        on_move_end: None,
        on_click: None,
        on_key: None,
        on_view,
        on_point,
        on_failed,
    }));

    let weak = Rc::downgrade(&state);
    let on_move_end = Closure::<dyn Fn(JsValue)>::new(move |_| schedule(weak.clone()));
    let weak = Rc::downgrade(&state);
    let on_click = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        // Leaflet makes markers focusable but turns Enter into a click only for popups: a key press here is
        // the keyboard's click.
        if js_get(&event, "type").as_string().as_deref() == Some("keypress") {
            let key = js_get(&js_get(&event, "originalEvent"), "key").as_string();
            if !matches!(key.as_deref(), Some("Enter" | " ")) {
                return;
            }
        }
        let layer = js_get(&event, "propagatedFrom");
        let Some(state) = weak.upgrade() else { return };
        // Cloned out of the cell: moving the map or opening a point may come back to the state at once.
        let (map, on_point) = {
            let s = state.borrow();
            (s.map.clone(), s.on_point)
        };
        if js_get(&layer, "pvzCluster").is_truthy() {
            let target: LatLng = layer.unchecked_ref::<Marker>().get_lat_lng();
            map.set_view(&target, (map.get_zoom() + CLUSTER_ZOOM_STEP).min(18.0));
        } else if let Some(i) = js_get(&layer, "pvzPoint").as_f64() {
            let point = state.borrow().points.get(i as usize).cloned();
            if let Some(point) = point {
                on_point.run(point);
            }
        }
    });
    {
        let mut s = state.borrow_mut();
        s.map.on("moveend", on_move_end.as_ref());
        s.markers.on(MARKER_EVENTS, on_click.as_ref());
        s.on_move_end = Some(on_move_end);
        s.on_click = Some(on_click);
        let on_key = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(on_marker_key);
        s.map
            .get_pane_by_name(MARKER_PANE)
            .add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref())?;
        s.on_key = Some(on_key);
    }
    load(Rc::downgrade(&state));
    if setup.start == Focus::Country {
        locate_buyer(Rc::downgrade(&state));
    }
    Ok(state)
}

/// The map; `on_view` gets every view drawn with the map's centre, `on_point` each point the buyer clicks
/// or presses Enter on, `on_failed` every failure. A change of `chips` (the filters' query parameters)
/// loads the view again; a new `focus` moves the map there (pinning a searched place or the buyer);
/// `marked` is the point to ring (the open or the chosen one). The legend names the kinds `facets` has.
#[component]
pub fn MapView(
    setup: RwSignal<Option<MapSetup>>,
    options: WidgetOptions,
    chips: Memo<Vec<(&'static str, String)>>,
    focus: RwSignal<Option<Focus>>,
    marked: Memo<Option<LatLon>>,
    facets: RwSignal<Facets>,
    on_view: Callback<(ViewResponse, LatLon)>,
    on_point: Callback<PointMarker>,
    on_failed: Callback<ApiError>,
) -> impl IntoView {
    let options_lang = options.lang();
    let container = NodeRef::<leptos::html::Div>::new();
    let live: Rc<RefCell<Option<Rc<RefCell<MapState>>>>> = Rc::default();
    let slot = SendWrapper::new(Rc::clone(&live));
    crate::reactive::effect(move || {
        let (Some(element), Some(setup)) = (container.get(), setup.get()) else { return };
        if slot.borrow().is_some() {
            return;
        }
        match create(&element, &setup, options.clone(), chips.get_untracked(), on_view, on_point, on_failed) {
            Ok(state) => {
                state.borrow_mut().mark(Mark::Point, marked.get_untracked());
                *slot.borrow_mut() = Some(state);
            }
            Err(err) => on_failed.run(ApiError { code: "map".into(), message: format!("{err:?}") }),
        }
    });
    let ringed = SendWrapper::new(Rc::clone(&live));
    crate::reactive::effect(move || {
        let at = marked.get();
        let Some(state) = ringed.borrow().as_ref().map(Rc::clone) else { return };
        state.borrow_mut().mark(Mark::Point, at);
    });
    let filtered = SendWrapper::new(Rc::clone(&live));
    crate::reactive::effect(move || {
        let chips = chips.get();
        let Some(state) = filtered.borrow().as_ref().map(Rc::clone) else { return };
        state.borrow_mut().chips = chips;
        load(Rc::downgrade(&state));
    });
    let focused = SendWrapper::new(Rc::clone(&live));
    crate::reactive::effect(move || {
        let Some(focus) = focus.get() else { return };
        let Some(state) = focused.borrow().as_ref().map(Rc::clone) else { return };
        let map = state.borrow().map.clone();
        show(&map, focus);
        if let Focus::Pinned(at, pin) = focus {
            state.borrow_mut().mark(Mark::Pin(pin), Some(at));
        }
    });
    let live = SendWrapper::new(live);
    on_cleanup(move || {
        if let Some(state) = live.borrow_mut().take() {
            state.borrow_mut().tear_down();
        }
    });
    let label = match options_lang {
        Lang::Ru => "Карта пунктов выдачи. На значке стрелки переходят к соседним значкам, Enter открывает",
        Lang::En => "Map of pickup points. On an icon, the arrow keys move to the next icons and Enter opens",
    };
    let legend_name = match options_lang {
        Lang::Ru => "Условные знаки",
        Lang::En => "Legend",
    };
    let legend = move || {
        let f = facets.get();
        let kinds = [
            (f.pickup_point, PointKind::PickupPoint),
            (f.locker, PointKind::Locker),
            (f.post_office, PointKind::PostOffice),
        ];
        let mut items: Vec<(&'static str, &'static str)> = kinds
            .into_iter()
            .filter(|(count, _)| *count > 0)
            .map(|(_, kind)| (marker_class(kind), legend_label(kind, options_lang)))
            .collect();
        if marked.get().is_some() {
            items.push(("pvz-marked", if options_lang == Lang::Ru { "выбранный" } else { "chosen" }));
        }
        items
            .into_iter()
            .map(|(class, text)| view! { <li><span class=format!("pvz-legend-key {class}")></span>{text}</li> })
            .collect_view()
    };
    // The legend lies over the map's corner, inside the element Leaflet draws in (it keeps what it finds).
    view! {
        <div class="pvz-map" role="region" aria-label=label node_ref=container>
            <ul class="pvz-legend" aria-label=legend_name>{legend}</ul>
        </div>
    }
}

/// Close enough around a single point to see its street.
const POINT_ZOOM: f64 = 16.0;

/// A small map around one point (where a tracked parcel waits); removed with the view.
#[component]
pub fn PointMap(options: WidgetOptions, point: Point) -> impl IntoView {
    let title = format!("{}, {}", point.name, point.address.full);
    view! { <PlaceMap options at=point.location icon=(marker_class(point.kind), 18.0) title /> }
}

/// A small map around the door a courier comes to.
#[component]
pub fn DoorMap(options: WidgetOptions, at: LatLon, title: String) -> impl IntoView {
    view! { <PlaceMap options at icon=(Pin::Place.class(), 22.0) title /> }
}

/// A small map around one place, marked with `icon` (its class and size); removed with the view.
#[component]
fn PlaceMap(options: WidgetOptions, at: LatLon, icon: (&'static str, f64), title: String) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let settings = RwSignal::new(None::<WidgetSettings>);
    spawn_local(async move {
        if let Ok(found) = api::settings(&options).await {
            settings.try_set(Some(found));
        }
    });
    let live: Rc<RefCell<Option<Map>>> = Rc::default();
    let slot = SendWrapper::new(Rc::clone(&live));
    crate::reactive::effect(move || {
        let (Some(element), Some(settings)) = (container.get(), settings.get()) else { return };
        if slot.borrow().is_some() {
            return;
        }
        let Ok(map) = Map::new_with_element(&element, &MapOptions::default()) else { return };
        if !settings.tile_url.is_empty() {
            let tile_options = TileLayerOptions::new();
            tile_options.set_attribution(settings.tile_attribution.clone());
            tile_options.set_max_zoom(19.0);
            TileLayer::new_options(&settings.tile_url, &tile_options).add_to(&map);
        }
        let at = LatLng::new(at.lat, at.lon);
        map.set_view(&at, POINT_ZOOM);
        let marker_options = MarkerOptions::new();
        marker_options.set_icon(self::icon(icon.0, icon.1, None));
        marker_options.set_title(title.clone());
        marker_options.set_keyboard(false);
        Marker::new_with_options(&at, &marker_options).add_to(&map);
        *slot.borrow_mut() = Some(map);
    });
    let live = SendWrapper::new(live);
    on_cleanup(move || {
        if let Some(map) = live.borrow_mut().take() {
            map.remove();
        }
    });
    view! { <div class="pvz-map pvz-map-small" node_ref=container></div> }
}
