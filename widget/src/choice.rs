//! The buyer's choice: announced with `pvz:select`, written into hidden inputs of the enclosing form (so a
//! shop without JavaScript of its own still receives it), and shown as a summary with a "Change" button.

use leptos::prelude::*;
use pvz_shared::{Carrier, DoorAddress, DoorQuote, Lang, PointMarker, Quote, format_money};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

use crate::dates::delivery_dates;
use crate::events;
use crate::list::{Carriers, carrier_title};

/// What the buyer chose.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// A point, and its quote when it has one.
    Point { point: PointMarker, quote: Option<Quote> },
    /// A courier to this address, at this carrier's price.
    Door { address: DoorAddress, quote: DoorQuote },
}

impl Choice {
    /// The chosen point; none for a door.
    pub fn point(&self) -> Option<&PointMarker> {
        match self {
            Self::Point { point, .. } => Some(point),
            Self::Door { .. } => None,
        }
    }

    /// The chosen door and its price; none for a point.
    pub fn door(&self) -> Option<(&DoorAddress, &DoorQuote)> {
        match self {
            Self::Door { address, quote } => Some((address, quote)),
            Self::Point { .. } => None,
        }
    }

    fn carrier(&self) -> &str {
        match self {
            Self::Point { point, .. } => point.id.split(':').next().unwrap_or_default(),
            Self::Door { quote, .. } => &quote.carrier.0,
        }
    }

    fn delivery(&self) -> &'static str {
        match self {
            Self::Point { .. } => "pickup",
            Self::Door { .. } => "door",
        }
    }

    /// The address as a courier or a buyer reads it.
    fn address(&self) -> String {
        match self {
            Self::Point { point, .. } => point.address.clone(),
            Self::Door { address, .. } => address.line(),
        }
    }

    fn price(&self) -> Option<(pvz_shared::Money, &pvz_shared::Days)> {
        match self {
            Self::Point { quote, .. } => quote.as_ref().map(|q| (q.cost, &q.days)),
            Self::Door { quote, .. } => Some((quote.cost, &quote.days)),
        }
    }
}

/// `pvz:select`'s detail: `{ delivery: "pickup", point, quote }` or `{ delivery: "door", address, quote }`.
#[derive(Serialize)]
#[serde(untagged)]
enum Detail<'a> {
    Point { delivery: &'static str, point: PointDetail<'a>, quote: Option<&'a Quote> },
    Door { delivery: &'static str, address: &'a DoorAddress, quote: &'a DoorQuote },
}

#[derive(Serialize)]
struct PointDetail<'a> {
    #[serde(flatten)]
    marker: &'a PointMarker,
    carrier: &'a str,
}

/// `pvz_door`: the door as the shipments API takes it (`door` in `POST /api/v1/shipments`), and as
/// `data-selected` gives it back when the buyer returns.
#[derive(Debug, Serialize, Deserialize)]
pub struct DoorField {
    pub carrier: Carrier,
    pub address: DoorAddress,
}

/// JSON text of `value`, written by the browser's `JSON.stringify`.
fn json(value: &impl Serialize) -> String {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .map(String::from)
        .unwrap_or_default()
}

/// The hidden inputs, by name, and their values for `choice`.
fn fields(choice: &Choice) -> Vec<(&'static str, String)> {
    let price = choice.price();
    let cost = price.map(|(cost, _)| format!("{}.{:02}", cost.kopecks / 100, cost.kopecks % 100));
    let days = price.map(|(_, days)| format!("{}-{}", days.min, days.max));
    let mut fields =
        vec![("pvz_delivery", choice.delivery().to_string()), ("pvz_carrier", choice.carrier().to_string())];
    match choice {
        Choice::Point { point, .. } => fields.push(("pvz_point_id", point.id.clone())),
        Choice::Door { address, quote } => {
            fields.push(("pvz_door", json(&DoorField { carrier: quote.carrier.clone(), address: address.clone() })))
        }
    }
    fields.extend([
        ("pvz_address", choice.address()),
        ("pvz_cost", cost.unwrap_or_default()),
        ("pvz_days", days.unwrap_or_default()),
    ]);
    fields
}

/// Fills (creating them if need be) the hidden inputs inside `host`, when `host` is inside a form.
fn write_inputs(host: &HtmlElement, choice: &Choice) {
    if host.closest("form").ok().flatten().is_none() {
        return;
    }
    let Some(document) = host.owner_document() else { return };
    // Fields of another kind of choice (a point's id after a door) must not stay behind.
    let names = fields(choice);
    if let Ok(inputs) = host.query_selector_all(":scope > input[type=hidden][name^=pvz_]") {
        for i in 0..inputs.length() {
            let stale = inputs.get(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok());
            if let Some(input) = stale.filter(|input| names.iter().all(|(name, _)| *name != input.name())) {
                input.remove();
            }
        }
    }
    for (name, value) in names {
        let existing = host.query_selector(&format!(":scope > input[type=hidden][name={name}]")).ok().flatten();
        let input = match existing {
            Some(input) => input.dyn_into::<HtmlInputElement>().ok(),
            None => document.create_element("input").ok().and_then(|e| e.dyn_into::<HtmlInputElement>().ok()).inspect(
                |input| {
                    input.set_type("hidden");
                    input.set_name(name);
                    let _ = host.append_child(input);
                },
            ),
        };
        if let Some(input) = input {
            input.set_value(&value);
        }
    }
}

/// Removes the hidden inputs: nothing is chosen any more.
pub fn clear_inputs(host: &HtmlElement) {
    if let Ok(inputs) = host.query_selector_all(":scope > input[type=hidden][name^=pvz_]") {
        for i in 0..inputs.length() {
            if let Some(node) = inputs.get(i) {
                let _ = host.remove_child(&node);
            }
        }
    }
}

/// Tells the page: the event and the form's inputs.
pub fn announce(host: &HtmlElement, choice: &Choice) {
    write_inputs(host, choice);
    let detail = match choice {
        Choice::Point { point, quote } => Detail::Point {
            delivery: choice.delivery(),
            point: PointDetail { marker: point, carrier: choice.carrier() },
            quote: quote.as_ref(),
        },
        Choice::Door { address, quote } => Detail::Door { delivery: choice.delivery(), address, quote },
    };
    events::select(host, &detail);
}

/// The chosen point or door, and a button to choose again.
#[component]
pub fn ChoiceSummary(choice: RwSignal<Option<Choice>>, lang: Lang, on_change: Callback<()>) -> impl IntoView {
    let (point_title, door_title, change) = match lang {
        Lang::Ru => ("Выбран пункт выдачи", "Доставка курьером", "Изменить"),
        Lang::En => ("Pickup point chosen", "Delivery by courier", "Change"),
    };
    let carriers = use_context::<Carriers>();
    move || {
        choice.get().map(|c| {
            let (title, carrier, name) = match &c {
                Choice::Point { point, .. } => (point_title, carrier_title(carriers, &point.id), point.name.clone()),
                Choice::Door { quote, .. } => (door_title, Some(quote.carrier_title.clone()), quote.tariff.clone()),
            };
            let carrier = carrier.map(|title| format!(" · {title}"));
            let price =
                c.price().map(|(cost, days)| format!("{} · {}", format_money(cost, lang), delivery_dates(days, lang)));
            view! {
                <div class="pvz-choice">
                    <div class="pvz-choice-text">
                        <strong>{title}{carrier}</strong>
                        <span class="pvz-choice-name">{name}</span>
                        <span class="pvz-choice-address">{c.address()}</span>
                        <span class="pvz-choice-price">{price}</span>
                    </div>
                    <button type="button" class="pvz-button" on:click=move |_| on_change.run(())>{change}</button>
                </div>
            }
        })
    }
}
