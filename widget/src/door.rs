//! Delivery to the door: the buyer types the address with suggestions down to the house, adds the flat,
//! and sees every carrier's courier price for it side by side, cheapest first, with the carriers that do
//! not come there and why. Choosing a price is the door's choice; the address shows on a small map.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{AddressSuggestion, DoorAddress, DoorQuote, DoorQuotesResponse, Lang, format_money};

use crate::api;
use crate::choice::Choice;
use crate::combobox::{self, Combobox, Debounce, Line};
use crate::dates::delivery_dates;
use crate::list::mark_words;
use crate::map::DoorMap;
use crate::options::WidgetOptions;

/// Fewer characters match too much to help.
const MIN_CHARS: usize = 2;
/// The proxy keeps at most this much of a flat.
const MAX_FLAT_CHARS: usize = 20;

/// What the line under the address box says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Note {
    NothingFound,
    /// A street was picked: a courier needs the house too.
    AddHouse,
    Failed,
}

fn note_text(note: Note, lang: Lang) -> &'static str {
    match (note, lang) {
        (Note::NothingFound, Lang::Ru) => "Такого адреса не нашлось: проверьте улицу и номер дома",
        (Note::NothingFound, Lang::En) => "No such address: check the street and the house number",
        (Note::AddHouse, Lang::Ru) => "Допишите номер дома — курьеру нужен точный адрес",
        (Note::AddHouse, Lang::En) => "Add the house number: a courier needs the exact address",
        (Note::Failed, Lang::Ru) => "Поиск адреса не ответил, попробуйте ещё раз",
        (Note::Failed, Lang::En) => "The address search did not answer; try again",
    }
}

/// The prices for the address.
#[derive(Debug, Clone, PartialEq)]
enum Prices {
    /// No address with its house yet.
    Waiting,
    Loading,
    Priced(DoorQuotesResponse),
    /// Why there are none: in the buyer's words.
    Failed(String),
}

fn prices_text(prices: &Prices, lang: Lang) -> String {
    match (prices, lang) {
        (Prices::Waiting, Lang::Ru) => "Укажите улицу и дом — покажем цены всех служб доставки".into(),
        (Prices::Waiting, Lang::En) => "Give the street and the house to see every carrier's price".into(),
        (Prices::Loading, Lang::Ru) => "Считаем стоимость доставки…".into(),
        (Prices::Loading, Lang::En) => "Working out delivery prices…".into(),
        (Prices::Priced(answer), Lang::Ru) if answer.quotes.is_empty() => {
            "Сюда курьеры не привозят. Выберите пункт выдачи или другой адрес.".into()
        }
        (Prices::Priced(answer), Lang::En) if answer.quotes.is_empty() => {
            "No courier comes to this address. Choose a pickup point or another address.".into()
        }
        (Prices::Priced(answer), Lang::Ru) => {
            let n = answer.quotes.len() as u64;
            format!("{n} {}", pvz_shared::plural_ru(n, "вариант доставки", "варианта доставки", "вариантов доставки"))
        }
        (Prices::Priced(answer), Lang::En) if answer.quotes.len() == 1 => "1 delivery option".into(),
        (Prices::Priced(answer), Lang::En) => format!("{} delivery options", answer.quotes.len()),
        (Prices::Failed(why), Lang::Ru) => format!("Не удалось рассчитать доставку: {why}"),
        (Prices::Failed(why), Lang::En) => format!("Could not work out delivery: {why}"),
    }
}

/// The address box, the flat, the prices and the map of the door; `on_choose` gets the address (with its
/// flat) and the price chosen, `chosen` is the widget's choice (a door, a point, or none after "Change").
#[component]
pub fn DoorPanel(
    options: WidgetOptions,
    lang: Lang,
    chosen: RwSignal<Option<Choice>>,
    on_choose: Callback<(DoorAddress, DoorQuote)>,
) -> impl IntoView {
    let (label, placeholder, flat_label, list_label) = match lang {
        Lang::Ru => ("Адрес доставки", "Улица и дом", "Квартира или офис", "Цены доставки курьером"),
        Lang::En => ("Delivery address", "Street and house", "Flat or office", "Courier delivery prices"),
    };
    let (choose, chosen_label) = match lang {
        Lang::Ru => ("Выбрать", "Выбрано"),
        Lang::En => ("Choose", "Chosen"),
    };
    let suggestions = RwSignal::new(Vec::<AddressSuggestion>::new());
    let text = RwSignal::new(String::new());
    let note = RwSignal::new(None::<Note>);
    // The page's city narrows the suggestions; a picked street's city replaces it.
    let city = RwSignal::new(options.city.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string));
    let address = RwSignal::new(None::<DoorAddress>);
    let flat = RwSignal::new(String::new());
    let prices = RwSignal::new(Prices::Waiting);
    let debounce = Debounce::default();

    let price_options = options.clone();
    let price = move |chosen: DoorAddress| {
        address.set(Some(chosen.clone()));
        let Ok(parcel) = price_options.parcel() else {
            prices.set(Prices::Failed(match lang {
                Lang::Ru => "в данных о посылке ошибка. Выберите пункт выдачи или сообщите магазину.".into(),
                Lang::En => "the parcel's details have a mistake. Choose a pickup point or tell the shop.".into(),
            }));
            return;
        };
        prices.set(Prices::Loading);
        let options = price_options.clone();
        spawn_local(async move {
            let answer = api::door_quotes(&options, chosen.clone(), parcel).await;
            // An answer for an address since replaced is not shown.
            if address.try_with_untracked(|a| a.as_ref() == Some(&chosen)) != Some(true) {
                return;
            }
            prices.try_set(match answer {
                Ok(answer) => Prices::Priced(answer),
                Err(err) => Prices::Failed(err.message),
            });
        });
    };

    // A door chosen before the widget started again (`data-selected`) is shown as the buyer left it.
    let price_earlier = price.clone();
    crate::reactive::effect(move || {
        let Some(door) = chosen.with(|c| c.as_ref().and_then(Choice::door).map(|(door, _)| door.clone())) else {
            return;
        };
        if address.with_untracked(Option::is_some) {
            return;
        }
        text.set(format!("{}, {}", door.street, door.house));
        flat.set(door.flat.clone());
        city.set(Some(door.city.clone()));
        price_earlier(DoorAddress { flat: String::new(), ..door });
    });

    let on_close = Callback::new(move |()| suggestions.set(Vec::new()));
    let on_pick = Callback::new(move |i: usize| {
        let Some(picked) = suggestions.with_untracked(|s| s.get(i).cloned()) else { return };
        suggestions.set(Vec::new());
        city.set(Some(picked.address.city.clone()));
        if picked.precise {
            text.set(picked.label);
            note.set(None);
            price(picked.address);
        } else {
            // The street is kept; the buyer goes on typing its house.
            text.set(format!("{} ", picked.label));
            note.set(Some(Note::AddHouse));
        }
    });

    let asking = debounce.clone();
    let typed_options = options.clone();
    let on_type = Callback::new(move |query: String| {
        // The text typed is no longer the address priced: nothing half-chosen stays on screen.
        if address.with_untracked(Option::is_some) {
            address.set(None);
            prices.set(Prices::Waiting);
        }
        if query.trim().chars().count() < MIN_CHARS {
            asking.cancel();
            suggestions.set(Vec::new());
            note.set(None);
            return;
        }
        let options = typed_options.clone();
        let in_city = city.get_untracked();
        asking.run(move |controller| {
            spawn_local(async move {
                let signal = controller.signal();
                let mut answer = api::addresses(&options, &query, in_city.as_deref(), &signal).await;
                // The buyer may live elsewhere than the page thinks, and type their own city first.
                if in_city.is_some() && answer.as_ref().is_ok_and(|a| a.suggestions.is_empty()) {
                    answer = api::addresses(&options, &query, None, &signal).await;
                }
                if signal.aborted() {
                    return;
                }
                let answer = answer.map(|a| a.suggestions);
                combobox::show(answer, suggestions, note, Note::NothingFound, Note::Failed);
            });
        });
    });
    on_cleanup(move || debounce.cancel());

    let not_precise = match lang {
        Lang::Ru => "улица — допишите дом",
        Lang::En => "street: add the house",
    };
    let lines = Memo::new(move |_| {
        suggestions.with(|all| {
            all.iter()
                .map(|s| {
                    let place = [s.address.postal_code.as_str(), s.address.city.as_str()]
                        .into_iter()
                        .filter(|part| !part.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let detail = if s.precise { place } else { format!("{place} · {not_precise}") };
                    Line { label: s.label.clone(), detail }
                })
                .collect()
        })
    });

    let pick_quote = move |quote: DoorQuote| {
        let Some(mut chosen) = address.get_untracked() else { return };
        chosen.flat = flat.get_untracked().trim().chars().take(MAX_FLAT_CHARS).collect();
        on_choose.run((chosen, quote));
    };
    // The flat typed after the choice goes into it: nothing the buyer typed is lost.
    let flat_changed = move || {
        let door = chosen.with_untracked(|c| c.as_ref().and_then(Choice::door).map(|(d, q)| (d.clone(), q.clone())));
        let Some((door, quote)) = door else { return };
        if address.with_untracked(|a| a.as_ref().is_some_and(|a| a.full == door.full)) {
            pick_quote(quote);
        }
    };
    let is_chosen = move |quote: &DoorQuote| {
        let current = address.with(|a| a.as_ref().map(|a| a.full.clone()));
        chosen.with(|c| {
            c.as_ref().and_then(Choice::door).is_some_and(|(door, picked)| {
                Some(&door.full) == current.as_ref() && picked.carrier == quote.carrier && picked.tariff == quote.tariff
            })
        })
    };
    let (cheapest, fastest) = mark_words(lang);
    let quote_row = move |quote: DoorQuote, marked: bool| {
        let price = format!("{} · {}", format_money(quote.cost, lang), delivery_dates(&quote.days, lang));
        let subject = format!("{}, {price}", quote.carrier_title);
        let marks = [(quote.cheapest, cheapest), (quote.fastest, fastest)]
            .into_iter()
            .filter(|(on, _)| marked && *on)
            .map(|(_, word)| view! { <span class="pvz-mark">{word}</span> })
            .collect_view();
        let (this, again) = (quote.clone(), quote.clone());
        let picked = Memo::new(move |_| is_chosen(&this));
        view! {
            <li class="pvz-door-quote" data-chosen=move || if picked.get() { "true" } else { "false" }>
                <span class="pvz-door-carrier">{quote.carrier_title.clone()}{marks}</span>
                <span class="pvz-door-tariff">{quote.tariff.clone()}</span>
                <span class="pvz-door-price">{price}</span>
                <button
                    type="button"
                    class="pvz-button pvz-choose"
                    aria-label=move || format!("{}: {subject}", if picked.get() { chosen_label } else { choose })
                    on:click=move |_| pick_quote(again.clone())
                >
                    {move || if picked.get() { chosen_label } else { choose }}
                </button>
            </li>
        }
    };
    let quotes = move || {
        prices.with(|prices| {
            let Prices::Priced(answer) = prices else { return None };
            // Marks tell apart; a single price is neither cheaper nor faster than anything.
            let marked = answer.quotes.len() > 1;
            let quotes = answer.quotes.iter().map(|q| quote_row(q.clone(), marked)).collect_view();
            let refusals = answer
                .unavailable
                .iter()
                .map(|r| {
                    view! {
                        <li class="pvz-door-refusal">
                            <span class="pvz-door-carrier">{r.carrier_title.clone()}</span>
                            ": "
                            {r.message.clone()}
                        </li>
                    }
                })
                .collect_view();
            Some(view! {
                <ul class="pvz-door-quotes" aria-label=list_label>{quotes}</ul>
                <ul class="pvz-door-refusals">{refusals}</ul>
            })
        })
    };
    let failed = move || prices.with(|p| matches!(p, Prices::Failed(_)));
    let map_options = options;
    view! {
        <div class="pvz-door">
            <div class="pvz-side">
                <div class="pvz-search">
                    <Combobox
                        id="pvz-addresses"
                        label
                        placeholder
                        class="pvz-input pvz-door-address"
                        list_class="pvz-addresses"
                        lines
                        text
                        on_type
                        on_pick
                        on_close
                    />
                    <p class="pvz-door-note" role="status">{move || note.get().map(|n| note_text(n, lang))}</p>
                </div>
                <label class="pvz-door-flat">
                    {flat_label}
                    <input
                        type="text"
                        class="pvz-input"
                        autocomplete="address-line2"
                        maxlength=MAX_FLAT_CHARS.to_string()
                        prop:value=move || flat.get()
                        on:input=move |ev| flat.set(event_target_value(&ev))
                        on:change=move |_| flat_changed()
                    />
                </label>
                <p class="pvz-door-status" class:pvz-status-error=failed role="status">
                    {move || prices.with(|p| prices_text(p, lang))}
                </p>
                {quotes}
            </div>
            {move || {
                address
                    .get()
                    .map(|at| {
                        view! { <DoorMap options=map_options.clone() at=at.location title=at.line() /> }
                    })
            }}
        </div>
    }
}
