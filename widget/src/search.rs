//! The search box above the map: suggestions from the proxy as the buyer types (cities, metro stations,
//! postcodes, addresses, point codes), picked with the mouse or the arrow keys and Enter, and a "near me"
//! button that asks the browser for the buyer's position. Either moves the map.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{Lang, Suggestion, SuggestionKind};
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use crate::api;
use crate::map::{Focus, Pin};
use crate::options::WidgetOptions;
use crate::position::{self, Unknown};

/// Wait after the last key before asking: one request per pause, not per letter.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// Fewer characters match too much to help.
const MIN_CHARS: usize = 2;

/// The request in flight and the timer before the next, cancelled by the next key and on unmount.
#[derive(Default)]
struct Pending {
    timer: Option<TimeoutHandle>,
    request: Option<AbortController>,
}

impl Pending {
    fn cancel(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        if let Some(request) = self.request.take() {
            request.abort();
        }
    }
}

/// What the line under the box says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Note {
    NothingFound,
    Locating,
    Unknown(Unknown),
    Failed,
}

fn note_text(note: Note, lang: Lang) -> &'static str {
    match (note, lang) {
        (Note::NothingFound, Lang::Ru) => "Ничего не нашлось: попробуйте город, улицу или индекс",
        (Note::NothingFound, Lang::En) => "Nothing found: try a city, a street or a postcode",
        (Note::Locating, Lang::Ru) => "Определяем, где вы…",
        (Note::Locating, Lang::En) => "Finding where you are…",
        (Note::Unknown(Unknown::Unsupported), Lang::Ru) => "Браузер не сообщает местоположение",
        (Note::Unknown(Unknown::Unsupported), Lang::En) => "The browser cannot tell your location",
        (Note::Unknown(Unknown::Refused), Lang::Ru) => "Местоположение недоступно: разрешите его или найдите адрес",
        (Note::Unknown(Unknown::Refused), Lang::En) => "Location unavailable: allow it or search for an address",
        (Note::Failed, Lang::Ru) => "Поиск не ответил, попробуйте ещё раз",
        (Note::Failed, Lang::En) => "The search did not answer; try again",
    }
}

fn kind_label(kind: SuggestionKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (SuggestionKind::City, Lang::Ru) => "город",
        (SuggestionKind::Metro, Lang::Ru) => "метро",
        (SuggestionKind::PostalCode, Lang::Ru) => "индекс",
        (SuggestionKind::Address, Lang::Ru) | (SuggestionKind::Geocoded, Lang::Ru) => "адрес",
        (SuggestionKind::Point, Lang::Ru) => "пункт",
        (SuggestionKind::City, Lang::En) => "city",
        (SuggestionKind::Metro, Lang::En) => "metro",
        (SuggestionKind::PostalCode, Lang::En) => "postcode",
        (SuggestionKind::Address, Lang::En) | (SuggestionKind::Geocoded, Lang::En) => "address",
        (SuggestionKind::Point, Lang::En) => "point",
    }
}

fn focus_of(suggestion: &Suggestion) -> Focus {
    match suggestion.bounds {
        Some(bounds) => Focus::Bounds(bounds),
        None => Focus::Pinned(suggestion.location, Pin::Place),
    }
}

/// The search box and the "near me" button; `on_place` gets where to move the map.
#[component]
pub fn Search(options: WidgetOptions, lang: Lang, on_place: Callback<Focus>) -> impl IntoView {
    let (label, near_label) = match lang {
        Lang::Ru => ("Город, улица, метро, индекс или код пункта", "Рядом со мной"),
        Lang::En => ("City, street, metro, postcode or point code", "Near me"),
    };
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let active = RwSignal::new(None::<usize>);
    let note = RwSignal::new(None::<Note>);
    let text = RwSignal::new(String::new());
    let pending = SendWrapper::new(Rc::new(RefCell::new(Pending::default())));

    let close = move || {
        suggestions.set(Vec::new());
        active.set(None);
    };
    let pick = move |i: usize| {
        let Some(chosen) = suggestions.with_untracked(|s| s.get(i).cloned()) else { return };
        text.set(chosen.label.clone());
        close();
        note.set(None);
        on_place.run(focus_of(&chosen));
    };

    let ask_pending = pending.clone();
    let ask = move |query: String| {
        let mut p = ask_pending.borrow_mut();
        p.cancel();
        if query.trim().chars().count() < MIN_CHARS {
            close();
            note.set(None);
            return;
        }
        let slot = Rc::clone(&ask_pending);
        let options = options.clone();
        p.timer = set_timeout_with_handle(
            move || {
                let Ok(controller) = AbortController::new() else { return };
                slot.borrow_mut().timer = None;
                slot.borrow_mut().request = Some(controller.clone());
                spawn_local(async move {
                    let answer = api::suggest(&options, &query, &controller.signal()).await;
                    if controller.signal().aborted() {
                        return;
                    }
                    match answer {
                        Ok(answer) => {
                            note.try_set(answer.suggestions.is_empty().then_some(Note::NothingFound));
                            active.try_set(None);
                            suggestions.try_set(answer.suggestions);
                        }
                        Err(_) => {
                            suggestions.try_set(Vec::new());
                            note.try_set(Some(Note::Failed));
                        }
                    }
                });
            },
            DEBOUNCE,
        )
        .ok();
    };

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if count > 0 => {
                ev.prevent_default();
                pick(active.get_untracked().unwrap_or(0));
            }
            "Escape" if count > 0 => {
                ev.prevent_default();
                close();
            }
            _ => {}
        }
    };

    let near_me = move |_| {
        note.set(Some(Note::Locating));
        let found = move |at| {
            note.try_set(None);
            on_place.run(Focus::Pinned(at, Pin::Buyer));
        };
        position::locate(found, move |why| _ = note.try_set(Some(Note::Unknown(why))));
    };

    let cleanup = pending.clone();
    on_cleanup(move || cleanup.borrow_mut().cancel());

    let expanded = move || suggestions.with(|s| !s.is_empty());
    view! {
        <div class="pvz-search">
            <div class="pvz-search-row">
                <input
                    type="search"
                    class="pvz-search-input"
                    role="combobox"
                    autocomplete="off"
                    aria-autocomplete="list"
                    aria-controls="pvz-suggestions"
                    aria-label=label
                    placeholder=label
                    aria-expanded=move || if expanded() { "true" } else { "false" }
                    aria-activedescendant=move || active.get().map(|i| format!("pvz-suggestion-{i}"))
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        text.set(value.clone());
                        ask(value);
                    }
                    on:keydown=on_key
                    on:blur=move |_| close()
                />
                <button type="button" class="pvz-button pvz-near" on:click=near_me>{near_label}</button>
            </div>
            <ul id="pvz-suggestions" class="pvz-suggestions" role="listbox" aria-label=label hidden=move || !expanded()>
                {move || {
                    suggestions
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| {
                            view! {
                                <li
                                    id=format!("pvz-suggestion-{i}")
                                    class="pvz-suggestion"
                                    role="option"
                                    aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        pick(i);
                                    }
                                >
                                    <span class="pvz-suggestion-label">{s.label}</span>
                                    <span class="pvz-suggestion-detail">
                                        {kind_label(s.kind, lang)}
                                        {(!s.detail.is_empty()).then(|| format!(" · {}", s.detail))}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p class="pvz-search-note" role="status">{move || note.get().map(|n| note_text(n, lang))}</p>
        </div>
    }
}
