//! The buyer's choice: announced with `pvz:select`, written into hidden inputs of the enclosing form (so a
//! shop without JavaScript of its own still receives it), and shown as a summary with a "Change" button.

use leptos::prelude::*;
use pvz_shared::{Lang, PointMarker, Quote, format_money};
use serde::Serialize;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

use crate::dates::delivery_dates;
use crate::events;
use crate::list::{Carriers, carrier_title};

/// A chosen point and its quote, when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub point: PointMarker,
    pub quote: Option<Quote>,
}

impl Choice {
    fn carrier(&self) -> &str {
        self.point.id.split(':').next().unwrap_or_default()
    }
}

/// `pvz:select`'s detail.
#[derive(Serialize)]
struct Detail<'a> {
    /// `pickup`: a point was chosen (doors are the other kind of delivery).
    delivery: &'static str,
    point: PointDetail<'a>,
    quote: Option<&'a Quote>,
}

#[derive(Serialize)]
struct PointDetail<'a> {
    #[serde(flatten)]
    marker: &'a PointMarker,
    carrier: &'a str,
}

/// The hidden inputs, by name, and their values for `choice`.
fn fields(choice: &Choice) -> [(&'static str, String); 6] {
    let cost = choice.quote.as_ref().map(|q| format!("{}.{:02}", q.cost.kopecks / 100, q.cost.kopecks % 100));
    let days = choice.quote.as_ref().map(|q| format!("{}-{}", q.days.min, q.days.max));
    [
        ("pvz_delivery", "pickup".into()),
        ("pvz_carrier", choice.carrier().to_string()),
        ("pvz_point_id", choice.point.id.clone()),
        ("pvz_address", choice.point.address.clone()),
        ("pvz_cost", cost.unwrap_or_default()),
        ("pvz_days", days.unwrap_or_default()),
    ]
}

/// Fills (creating them if need be) the hidden inputs inside `host`, when `host` is inside a form.
fn write_inputs(host: &HtmlElement, choice: &Choice) {
    if host.closest("form").ok().flatten().is_none() {
        return;
    }
    let Some(document) = host.owner_document() else { return };
    for (name, value) in fields(choice) {
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
    let detail = Detail {
        delivery: "pickup",
        point: PointDetail { marker: &choice.point, carrier: choice.carrier() },
        quote: choice.quote.as_ref(),
    };
    events::select(host, &detail);
}

/// The chosen point, and a button to choose again.
#[component]
pub fn ChoiceSummary(choice: Signal<Option<Choice>>, lang: Lang, on_change: Callback<()>) -> impl IntoView {
    let (title, change) = match lang {
        Lang::Ru => ("Выбран пункт выдачи", "Изменить"),
        Lang::En => ("Pickup point chosen", "Change"),
    };
    let carriers = use_context::<Carriers>();
    move || {
        choice.get().map(|c| {
            let carrier = carrier_title(carriers, &c.point.id).map(|title| format!(" · {title}"));
            let price =
                c.quote.as_ref().map(|q| format!("{} · {}", format_money(q.cost, lang), delivery_dates(&q.days, lang)));
            view! {
                <div class="pvz-choice">
                    <div class="pvz-choice-text">
                        <strong>{title}{carrier}</strong>
                        <span class="pvz-choice-name">{c.point.name.clone()}</span>
                        <span class="pvz-choice-address">{c.point.address.clone()}</span>
                        <span class="pvz-choice-price">{price}</span>
                    </div>
                    <button type="button" class="pvz-button" on:click=move |_| on_change.run(())>{change}</button>
                </div>
            }
        })
    }
}
