//! The tracking mode (`data-mode="tracking"`): the order page shows where the parcel is. A number box (with
//! what the numbers of the proxy's carriers look like) when the page gives no `data-track`; then the status
//! in large type, the expected date, the pickup point with its hours and a map when the parcel waits there,
//! and the history, newest first. A malformed number is caught here, before any request, and a number no
//! carrier takes is said so in the buyer's language; carrier text is always text.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::tracking::{NumberError, TrackEvent, TrackStatus, Tracking, normalise_number};
use pvz_shared::{Lang, Point, TrackNumbers};
use send_wrapper::SendWrapper;
use time::OffsetDateTime;
use web_sys::HtmlElement;

use crate::dates::date_label;
use crate::details::WeekHours;
use crate::map::PointMap;
use crate::options::WidgetOptions;
use crate::{api, events};

/// What the view shows under the number box.
#[derive(Debug, Clone, PartialEq)]
enum State {
    Idle,
    Loading,
    Found(Box<Tracking>),
    Failed(String),
}

pub fn status_label(status: TrackStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (TrackStatus::Created, Lang::Ru) => "Заказ оформлен, ждёт отправки",
        (TrackStatus::Accepted, Lang::Ru) => "Принят перевозчиком",
        (TrackStatus::InTransit, Lang::Ru) => "В пути",
        (TrackStatus::ArrivedAtPickupPoint, Lang::Ru) => "Прибыл в пункт выдачи",
        (TrackStatus::ReadyForPickup, Lang::Ru) => "Готов к выдаче",
        (TrackStatus::OutForDelivery, Lang::Ru) => "Передан курьеру",
        (TrackStatus::Delivered, Lang::Ru) => "Вручён",
        (TrackStatus::Returned, Lang::Ru) => "Возвращается отправителю",
        (TrackStatus::Problem, Lang::Ru) => "Задержка",
        (TrackStatus::Created, Lang::En) => "Order placed, awaiting dispatch",
        (TrackStatus::Accepted, Lang::En) => "Accepted by the carrier",
        (TrackStatus::InTransit, Lang::En) => "In transit",
        (TrackStatus::ArrivedAtPickupPoint, Lang::En) => "Arrived at the pickup point",
        (TrackStatus::ReadyForPickup, Lang::En) => "Ready for pickup",
        (TrackStatus::OutForDelivery, Lang::En) => "Out for delivery",
        (TrackStatus::Delivered, Lang::En) => "Delivered",
        (TrackStatus::Returned, Lang::En) => "Returning to the sender",
        (TrackStatus::Problem, Lang::En) => "Delayed",
    }
}

fn number_error(number: &str, err: &NumberError, lang: Lang) -> String {
    let why = match (err, lang) {
        (NumberError::Empty, Lang::Ru) => "введите номер отправления",
        (NumberError::TooLong, Lang::Ru) => "номер слишком длинный",
        (NumberError::BadCharacters, Lang::Ru) => "в номере могут быть только латинские буквы и цифры",
        (NumberError::Empty, Lang::En) => "enter a tracking number",
        (other, Lang::En) => return format!("The number {number:?} {other}"),
    };
    match err {
        NumberError::Empty => capitalised(why),
        _ => format!("Номер «{}» не подходит: {why}", number.trim()),
    }
}

/// What the numbers of the proxy's carriers look like: "Демо Экспресс: DE и 10 цифр; ...".
fn forms_label(forms: &[TrackNumbers], lang: Lang) -> String {
    let each: Vec<String> =
        forms.iter().map(|f| format!("{}: {}", f.title, if lang == Lang::Ru { &f.ru } else { &f.en })).collect();
    each.join("; ")
}

/// The proxy's refusal of a number, in the buyer's language: no carrier of the shop takes it, or a typo.
fn refusal(number: &str, code: &str, forms: &[TrackNumbers], lang: Lang) -> Option<String> {
    let number = number.trim();
    Some(match (code, lang) {
        ("unknown_number_format", Lang::Ru) => format!(
            "Номер «{number}» не похож на номер ни одного перевозчика этого магазина. Номера выглядят так: {}",
            forms_label(forms, lang)
        ),
        ("unknown_number_format", Lang::En) => format!(
            "{number} is not a number of any carrier this shop uses. Their numbers look like this: {}",
            forms_label(forms, lang)
        ),
        ("number_typo", Lang::Ru) => {
            format!("Номер «{number}» не подходит: не сходится контрольная цифра, проверьте, нет ли опечатки")
        }
        ("number_typo", Lang::En) => format!("{number} has a wrong check digit: please check it for a typo"),
        _ => return None,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "22.11.2026 14:05 (UTC+3)": the time where it happened.
fn event_time(at: OffsetDateTime) -> String {
    let (hours, minutes, _) = at.offset().as_hms();
    let zone = match (hours, minutes.unsigned_abs()) {
        (0, 0) => "UTC".to_string(),
        (h, 0) => format!("UTC{h:+}"),
        (h, m) => format!("UTC{h:+}:{m:02}"),
    };
    format!("{:02}.{:02}.{} {:02}:{:02} ({zone})", at.day(), u8::from(at.month()), at.year(), at.hour(), at.minute())
}

#[component]
fn Timeline(events: Vec<TrackEvent>, lang: Lang) -> impl IntoView {
    let label = match lang {
        Lang::Ru => "История отправления",
        Lang::En => "Parcel history",
    };
    let items = events
        .into_iter()
        .map(|e| {
            view! {
                <li role="listitem" class="pvz-timeline-event" data-status=e.status.as_str()>
                    <span class="pvz-timeline-time">{event_time(e.at)}</span>
                    <span class="pvz-timeline-text">{e.text}</span>
                    {(!e.place.is_empty()).then(|| view! { <span class="pvz-timeline-place">{e.place}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h4>{label}</h4>
        <ol class="pvz-timeline" aria-label=label>{items}</ol>
    }
}

/// Where the parcel waits: its name, address, hours and a map.
#[component]
fn WaitingAt(point: Point, options: WidgetOptions, lang: Lang) -> impl IntoView {
    let heading = match lang {
        Lang::Ru => "Пункт выдачи",
        Lang::En => "Pickup point",
    };
    view! {
        <section class="pvz-track-point" aria-label=heading>
            <h4>{heading}</h4>
            <p class="pvz-details-name">{point.name.clone()}</p>
            <p class="pvz-details-address">{point.address.full.clone()}</p>
            <WeekHours point=point.clone() lang />
            <PointMap options point />
        </section>
    }
}

#[component]
fn Found(tracking: Tracking, options: WidgetOptions, lang: Lang) -> impl IntoView {
    let (expected, storage) = match lang {
        Lang::Ru => ("Ожидаемая дата доставки: ", "Хранится в пункте выдачи до "),
        Lang::En => ("Expected: ", "Kept at the pickup point until "),
    };
    let point = RwSignal::new(None::<Point>);
    if let Some(id) = tracking.point_id.clone() {
        let options = options.clone();
        spawn_local(async move {
            if let Ok(Some(found)) = api::point(&options, &id).await {
                point.try_set(Some(found));
            }
        });
    }
    view! {
        <section class="pvz-track">
            <p class="pvz-point-kind">{format!("{} · {}", tracking.carrier_title, tracking.number)}</p>
            <h3 class="pvz-track-status" data-status=tracking.status.as_str()>
                {status_label(tracking.status, lang)}
            </h3>
            {tracking.expected_date.map(|d| view! { <p class="pvz-track-expected">{expected}{date_label(d, lang)}</p> })}
            {tracking.storage_until.map(|d| view! { <p class="pvz-track-storage">{storage}{date_label(d, lang)}</p> })}
            {move || point.get().map(|p| view! { <WaitingAt point=p options=options.clone() lang /> })}
            <Timeline events=tracking.events lang />
        </section>
    }
}

/// The tracking view for `options`; events go to `host`.
#[component]
pub fn TrackingView(options: WidgetOptions, host: HtmlElement) -> impl IntoView {
    let lang = options.lang();
    let words = match lang {
        Lang::Ru => ("Номер отправления", "Отследить", "Ищем отправление…"),
        Lang::En => ("Tracking number", "Track", "Looking for the parcel…"),
    };
    let state = RwSignal::new(State::Idle);
    let text = RwSignal::new(options.track.clone().unwrap_or_default());
    let forms = RwSignal::new(Vec::<TrackNumbers>::new());
    let settings_options = options.clone();
    spawn_local(async move {
        if let Ok(settings) = api::settings(&settings_options).await {
            forms.try_set(settings.track_numbers);
        }
    });
    let host = SendWrapper::new(host);
    let first_answer = StoredValue::new(true);

    let track_options = options.clone();
    let track = move |raw: String| {
        let options = track_options.clone();
        let (fail_host, ready_host) = (host.clone(), host.clone());
        let fail = move |code: &str, message: String| {
            events::error(&fail_host, code, &message);
            state.try_set(State::Failed(message));
        };
        if let Err(err) = normalise_number(&raw) {
            fail("bad_request", number_error(&raw, &err, lang));
            return;
        }
        state.set(State::Loading);
        spawn_local(async move {
            match api::tracking(&options, raw.trim()).await {
                Ok(Some(found)) => {
                    let first = first_answer.try_get_value() == Some(true);
                    first_answer.try_set_value(false);
                    state.try_set(State::Found(Box::new(found.clone())));
                    if first {
                        // Once the view shows it: the page's handler may read the widget.
                        set_timeout(move || events::tracked(&ready_host, &found), std::time::Duration::ZERO);
                    }
                }
                Ok(None) => fail(
                    "track_not_found",
                    match lang {
                        Lang::Ru => {
                            format!("Отправление {} не найдено: проверьте номер или попробуйте позже", raw.trim())
                        }
                        Lang::En => format!("No parcel numbered {}: check the number or try later", raw.trim()),
                    },
                ),
                Err(err) => {
                    let known = forms.try_get_untracked().unwrap_or_default();
                    let message = refusal(&raw, &err.code, &known, lang).unwrap_or(err.message);
                    fail(&err.code, message)
                }
            }
        });
    };
    if let Some(number) = options.track.clone().filter(|n| !n.trim().is_empty()) {
        track(number);
    }

    let status = move || match state.get() {
        State::Loading => Some(words.2.to_string()),
        State::Failed(message) => Some(message),
        _ => None,
    };
    let failed = move || matches!(state.get(), State::Failed(_));
    let found_options = options.clone();
    view! {
        <div class="pvz pvz-tracking" lang=match lang { Lang::Ru => "ru", Lang::En => "en" }>
            <form class="pvz-track-form" on:submit=move |ev| {
                ev.prevent_default();
                track(text.get_untracked());
            }>
                <label class="pvz-track-label" for="pvz-track-number">{words.0}</label>
                <div class="pvz-search-row">
                    <input
                        id="pvz-track-number"
                        class="pvz-search-input"
                        type="text"
                        inputmode="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="pvz-track-hint"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    />
                    <button type="submit" class="pvz-button pvz-choose">{words.1}</button>
                </div>
                <p id="pvz-track-hint" class="pvz-track-hint">{move || forms_label(&forms.get(), lang)}</p>
            </form>
            <p class="pvz-status" class:pvz-status-error=failed role="status">{status}</p>
            {move || match state.get() {
                State::Found(tracking) => Some(view! { <Found tracking=*tracking options=found_options.clone() lang /> }),
                _ => None,
            }}
        </div>
    }
}
