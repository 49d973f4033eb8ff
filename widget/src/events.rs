//! The widget's DOM events (`pvz:ready`, `pvz:select`, `pvz:clear`, `pvz:error`), dispatched on the target element
//! so they cross the shadow boundary and bubble up to the shop's own code.

use serde::Serialize;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

fn dispatch(host: &HtmlElement, name: &str, detail: &impl Serialize) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    // Plain objects and numbers, as the page's JavaScript expects (no `Map`s or `BigInt`s).
    if let Ok(detail) = detail.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        init.set_detail(&detail);
    }
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

#[derive(Serialize)]
struct Ready {
    points: u32,
}

#[derive(Serialize)]
struct Failure<'a> {
    code: &'a str,
    message: &'a str,
}

/// The first points are on the map.
pub fn ready(host: &HtmlElement, points: u32) {
    dispatch(host, "pvz:ready", &Ready { points });
}

#[derive(Serialize)]
struct Tracked<'a> {
    mode: &'static str,
    number: &'a str,
    status: &'static str,
}

/// The tracking view shows its first parcel: `{ mode: "tracking", number, status }`.
pub fn tracked(host: &HtmlElement, tracking: &pvz_shared::tracking::Tracking) {
    let detail = Tracked { mode: "tracking", number: &tracking.number, status: tracking.status.as_str() };
    dispatch(host, "pvz:ready", &detail);
}

/// The buyer chose a point: `{ point, quote }`.
pub fn select(host: &HtmlElement, detail: &impl Serialize) {
    dispatch(host, "pvz:select", detail);
}

#[derive(Serialize)]
struct Cleared<'a> {
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

/// Nothing is chosen any more: the buyer changes their mind (`changed`), or an earlier choice no longer
/// holds (`parcel_not_accepted`, `point_gone`, with the buyer's message).
pub fn clear(host: &HtmlElement, reason: &'static str, message: Option<&str>) {
    dispatch(host, "pvz:clear", &Cleared { reason, message });
}

pub fn error(host: &HtmlElement, code: &str, message: &str) {
    dispatch(host, "pvz:error", &Failure { code, message });
}
