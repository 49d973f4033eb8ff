//! The search box above the map: suggestions from the proxy as the buyer types (cities, metro stations,
//! postcodes, addresses, point codes), picked with the mouse or the arrow keys and Enter, and a "near me"
//! button that asks the browser for the buyer's position. Either moves the map.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{Lang, Suggestion, SuggestionKind};

use crate::api;
use crate::combobox::{self, Combobox, Debounce, Line};
use crate::map::{Focus, Pin};
use crate::options::WidgetOptions;
use crate::position::{self, Unknown};

/// Fewer characters match too much to help.
const MIN_CHARS: usize = 2;

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
    let note = RwSignal::new(None::<Note>);
    let text = RwSignal::new(String::new());
    let debounce = Debounce::default();

    let on_close = Callback::new(move |()| suggestions.set(Vec::new()));
    let on_pick = Callback::new(move |i: usize| {
        let Some(chosen) = suggestions.with_untracked(|s| s.get(i).cloned()) else { return };
        text.set(chosen.label.clone());
        suggestions.set(Vec::new());
        note.set(None);
        on_place.run(focus_of(&chosen));
    });

    let asking = debounce.clone();
    let on_type = Callback::new(move |query: String| {
        if query.trim().chars().count() < MIN_CHARS {
            asking.cancel();
            suggestions.set(Vec::new());
            note.set(None);
            return;
        }
        let options = options.clone();
        asking.run(move |controller| {
            spawn_local(async move {
                let answer = api::suggest(&options, &query, &controller.signal()).await;
                if controller.signal().aborted() {
                    return;
                }
                let answer = answer.map(|a| a.suggestions);
                combobox::show(answer, suggestions, note, Note::NothingFound, Note::Failed);
            });
        });
    });

    let near_me = move |_| {
        note.set(Some(Note::Locating));
        let found = move |at| {
            note.try_set(None);
            on_place.run(Focus::Pinned(at, Pin::Buyer));
        };
        position::locate(found, move |why| _ = note.try_set(Some(Note::Unknown(why))));
    };

    on_cleanup(move || debounce.cancel());

    let lines = Memo::new(move |_| {
        suggestions.with(|all| {
            all.iter()
                .map(|s| {
                    let kind = kind_label(s.kind, lang);
                    let detail = if s.detail.is_empty() { kind.to_string() } else { format!("{kind} · {}", s.detail) };
                    Line { label: s.label.clone(), detail }
                })
                .collect()
        })
    });
    view! {
        <div class="pvz-search">
            <Combobox
                id="pvz-suggestions"
                label
                class="pvz-search-input"
                list_class="pvz-suggestions"
                lines
                text
                on_type
                on_pick
                on_close
            >
                <button type="button" class="pvz-button pvz-near" on:click=near_me>{near_label}</button>
            </Combobox>
            <p class="pvz-search-note" role="status">{move || note.get().map(|n| note_text(n, lang))}</p>
        </div>
    }
}
