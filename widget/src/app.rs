//! The widget's view: a status line, the choice, the map and the list of the points in view with their
//! prices. The map reports each view it draws; the list, its quotes and the status follow it.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{
    CarrierCount, DoorAddress, DoorQuote, Facets, Hidden, Lang, LatLon, PointMarker, ViewResponse, group_thousands,
    plural_ru,
};
use send_wrapper::SendWrapper;
use web_sys::HtmlElement;

use crate::api::{ApiError, Warm};
use crate::chips::{Chip, Chips};
use crate::choice::{self, Choice, ChoiceSummary, DoorField};
use crate::details::Details;
use crate::door::DoorPanel;
use crate::list::{Carriers, PointList, Priced, Row, Sort, SortChoice, sorted};
use crate::map::{Focus, MapSetup, MapView};
use crate::options::{Delivery, WidgetOptions};
use crate::search::Search;
use crate::{api, events};

/// What the status line says.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Loading,
    Showing {
        total: u32,
        clustered: bool,
    },
    Failed(String),
    /// The proxy does not serve pages of this origin (the page's own): its owner must add it.
    NotConnected(String),
}

fn count_label(n: u32, lang: Lang) -> String {
    let number = group_thousands(u64::from(n), lang);
    match lang {
        Lang::Ru => format!("{number} {}", plural_ru(u64::from(n), "пункт выдачи", "пункта выдачи", "пунктов выдачи")),
        Lang::En if n == 1 => "1 pickup point".into(),
        Lang::En => format!("{number} pickup points"),
    }
}

fn status_text(status: &Status, lang: Lang) -> String {
    match (status, lang) {
        (Status::Loading, Lang::Ru) => "Загружаем пункты выдачи…".into(),
        (Status::Loading, Lang::En) => "Loading pickup points…".into(),
        (Status::Showing { total, clustered: false }, _) => count_label(*total, lang),
        (Status::Showing { total, clustered: true }, Lang::Ru) => {
            format!("{} на карте, в списке — ближайшие к её центру", count_label(*total, lang))
        }
        (Status::Showing { total, clustered: true }, Lang::En) => {
            format!("{} on the map; the list shows the nearest to its centre", count_label(*total, lang))
        }
        (Status::Failed(message), Lang::Ru) => format!("Не удалось загрузить пункты выдачи: {message}"),
        (Status::Failed(message), Lang::En) => format!("Could not load pickup points: {message}"),
        (Status::NotConnected(origin), Lang::Ru) => format!(
            "Виджет не подключён к этому сайту: владельцу магазина нужно добавить {origin} в allowed_origins прокси \
             (PVZ_ALLOWED_ORIGINS)."
        ),
        (Status::NotConnected(origin), Lang::En) => format!(
            "The widget is not connected to this site: the shop's owner must add {origin} to the proxy's \
             allowed_origins (PVZ_ALLOWED_ORIGINS)."
        ),
    }
}

/// "3 points hidden: the parcel is too heavy for 2, too big for 1", or nothing when none are; with one
/// reason, the number is said once.
fn hidden_text(hidden: Hidden, lang: Lang) -> Option<String> {
    let total = hidden.too_heavy + hidden.too_big;
    if total == 0 {
        return None;
    }
    let n = |count: u32| group_thousands(u64::from(count), lang);
    let (heavy, big) = (hidden.too_heavy, hidden.too_big);
    Some(match lang {
        Lang::Ru => {
            let word = plural_ru(u64::from(total), "пункт скрыт", "пункта скрыто", "пунктов скрыто");
            let why = match (heavy, big) {
                (_, 0) => "посылка тяжелее, чем там принимают".to_string(),
                (0, _) => "посылка не помещается в ячейки".to_string(),
                _ => format!("для {} посылка тяжела, в ячейки {} она не помещается", n(heavy), n(big)),
            };
            format!("{} {word}: {why}", n(total))
        }
        Lang::En => {
            let word = if total == 1 { "point hidden" } else { "points hidden" };
            let why = match (heavy, big) {
                (_, 0) => "the parcel is too heavy for them".to_string(),
                (0, _) => "the parcel fits none of their cells".to_string(),
                _ => format!("the parcel is too heavy for {}, too big for {}", n(heavy), n(big)),
            };
            format!("{} {word}: {why}", n(total))
        }
    })
}

/// What became of the point chosen before (`data-selected`).
enum Earlier {
    /// It still takes the parcel: chosen again, with its quote.
    Kept(Choice),
    /// It is gone, or cannot take the parcel: dropped, with why (`pvz:clear`'s reason) and the buyer's words.
    Dropped(&'static str, String),
}

/// Why `point` cannot take `parcel`, in the buyer's words; `None` when it can.
fn refusal(point: &pvz_shared::Point, parcel: &pvz_shared::Parcel, lang: Lang) -> Option<String> {
    let limits = &point.limits;
    let heavy = limits.max_weight_g.filter(|max| parcel.weight_g > *max);
    let big = !limits.accepts(None, parcel.largest_box());
    let why = match (heavy, big, lang) {
        (Some(max), _, Lang::Ru) => {
            format!("он принимает посылки до {} кг", group_thousands(u64::from(max / 1000), lang))
        }
        (Some(max), _, Lang::En) => {
            format!("it takes parcels up to {} kg", group_thousands(u64::from(max / 1000), lang))
        }
        (None, true, Lang::Ru) => "посылка не помещается в его ячейки".to_string(),
        (None, true, Lang::En) => "the parcel fits none of its cells".to_string(),
        (None, false, _) => return None,
    };
    Some(match lang {
        Lang::Ru => format!("Пункт «{}» не примет эту посылку: {why}. Выберите другой.", point.name),
        Lang::En => format!("“{}” cannot take this parcel: {why}. Please choose another point.", point.name),
    })
}

/// The door of `data-selected` (the form's `pvz_door`), priced again for the parcel as it is now.
async fn earlier_door(options: &WidgetOptions, text: &str) -> Option<Earlier> {
    let door: DoorField = match js_sys::JSON::parse(text).ok().map(serde_wasm_bindgen::from_value) {
        Some(Ok(door)) => door,
        _ => {
            leptos::logging::error!("pvz-widget: data-selected is neither a point id nor a door the widget wrote");
            return None;
        }
    };
    let answer = api::door_quotes(options, door.address.clone(), options.parcel().ok()?).await.ok()?;
    // The carrier's price now; none when it no longer comes there or the shop no longer ships with it.
    if let Some(quote) = answer.quotes.into_iter().find(|q| q.carrier == door.carrier) {
        return Some(Earlier::Kept(Choice::Door { address: door.address, quote }));
    }
    let line = door.address.line();
    let why = match options.lang() {
        Lang::Ru => format!(
            "Курьер, выбранный раньше, больше не привезёт эту посылку по адресу {line}. Выберите доставку заново."
        ),
        Lang::En => format!(
            "The courier chosen before no longer brings this parcel to {line}. Please choose the delivery again."
        ),
    };
    Some(Earlier::Dropped("door_unavailable", why))
}

/// The point or door of `data-selected` and what became of it; `None` when there is none.
async fn preselected(options: &WidgetOptions) -> Option<Earlier> {
    let id = options.selected.as_deref().map(str::trim).filter(|id| !id.is_empty())?;
    if id.starts_with('{') {
        return earlier_door(options, id).await;
    }
    let lang = options.lang();
    let point = match api::point(options, id).await {
        Ok(Some(point)) => point,
        Ok(None) => {
            let gone = match lang {
                Lang::Ru => "Выбранный раньше пункт выдачи больше не работает. Выберите другой.",
                Lang::En => "The pickup point chosen before is no longer open. Please choose another.",
            };
            return Some(Earlier::Dropped("point_gone", gone.into()));
        }
        Err(_) => return None,
    };
    let parcel = options.parcel().ok();
    if let Some(why) = parcel.as_ref().and_then(|parcel| refusal(&point, parcel, lang)) {
        return Some(Earlier::Dropped("parcel_not_accepted", why));
    }
    let quote = match parcel {
        Some(parcel) => {
            api::quotes(options, vec![point.id.clone()], parcel).await.ok().and_then(|mut q| q.quotes.pop())
        }
        None => None,
    };
    let marker = PointMarker {
        id: point.id,
        kind: point.kind,
        lat: point.location.lat,
        lon: point.location.lon,
        name: point.name,
        address: point.address.full,
    };
    Some(Earlier::Kept(Choice::Point { point: marker, quote }))
}

/// Which half a narrow widget shows; wide ones show both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    List,
    Map,
}

/// The list/map switch of narrow containers (hidden by CSS on wide ones).
#[component]
fn Tabs(tab: RwSignal<Tab>, lang: Lang) -> impl IntoView {
    let (list, map) = match lang {
        Lang::Ru => ("Список", "Карта"),
        Lang::En => ("List", "Map"),
    };
    let button = move |which: Tab, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="pvz-tab"
                aria-selected=move || if tab.get() == which { "true" } else { "false" }
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    view! { <div class="pvz-tabs" role="tablist">{button(Tab::List, list)}{button(Tab::Map, map)}</div> }
}

/// «Пункт выдачи | Курьером»: radio buttons, so that the arrow keys move between them as everywhere.
#[component]
fn DeliverySwitch(delivery: RwSignal<Delivery>, offered: Vec<Delivery>, lang: Lang) -> impl IntoView {
    let legend = match lang {
        Lang::Ru => "Способ получения",
        Lang::En => "How to receive the order",
    };
    let label = move |way: Delivery| match (way, lang) {
        (Delivery::Pickup, Lang::Ru) => "Пункт выдачи",
        (Delivery::Door, Lang::Ru) => "Курьером",
        (Delivery::Pickup, Lang::En) => "Pickup point",
        (Delivery::Door, Lang::En) => "Courier",
    };
    let options = offered
        .into_iter()
        .map(|way| {
            view! {
                <label class="pvz-delivery-option">
                    <input
                        type="radio"
                        name="pvz-delivery"
                        prop:checked=move || delivery.get() == way
                        on:change=move |_| delivery.set(way)
                    />
                    <span>{label(way)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="pvz-delivery">
            <legend class="pvz-visually-hidden">{legend}</legend>
            {options}
        </fieldset>
    }
}

/// The whole widget for `options`; events go to `host`. `warm` holds the answers the loader already has.
#[component]
pub fn Widget(options: WidgetOptions, host: HtmlElement, #[prop(optional)] warm: Warm) -> impl IntoView {
    let lang = options.lang();
    let status = RwSignal::new(Status::Loading);
    let setup = RwSignal::new(None::<MapSetup>);
    let points = RwSignal::new(Vec::<PointMarker>::new());
    let centre = RwSignal::new(LatLon { lat: 0.0, lon: 0.0 });
    let hidden = RwSignal::new(Hidden::default());
    let facets = RwSignal::new(Facets::default());
    let chips = RwSignal::new(Vec::<Chip>::new());
    let carriers = RwSignal::new(Vec::<CarrierCount>::new());
    let carrier_chips = RwSignal::new(Vec::<String>::new());
    // Where the search box or the "near me" button moves the map.
    let focus = RwSignal::new(None::<Focus>);
    // Quotes by point id: the parcel does not change while the widget lives, so neither do they.
    let quotes = RwSignal::new(HashMap::<String, Priced>::new());
    let sort = RwSignal::new(Sort::default());
    let choice = RwSignal::new(None::<Choice>);
    // What the buyer must know about their earlier choice: it was dropped, and why.
    let notice = RwSignal::new(None::<String>);
    // The carriers' titles, for whatever names a point's carrier (list rows, details, the choice).
    provide_context(Carriers(carriers));
    let first = options.first();
    let tab = RwSignal::new(if first == Some("map") { Tab::Map } else { Tab::List });
    // The point whose details are open instead of the list.
    let open = RwSignal::new(None::<Row>);
    let offered = options.deliveries();
    let delivery = RwSignal::new(offered[0]);
    let offers = |way: Delivery| offered.contains(&way);
    let (pickup, door) = (offers(Delivery::Pickup), offers(Delivery::Door));
    let host = SendWrapper::new(host);

    let fail_host = host.clone();
    let on_failed = Callback::new(move |err: ApiError| {
        events::error(&fail_host, &err.code, &err.message);
        if err.code == "forbidden_origin" {
            // For the site's owner, who reads the console: the proxy's own words.
            leptos::logging::error!("pvz-widget: {}", err.message);
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            status.set(Status::NotConnected(origin));
        } else {
            status.set(Status::Failed(err.message));
        }
    });

    // A parcel the shop's attributes do not describe: the buyer is told in their words, the page's
    // developer in pvz:error and the console; points still show, without prices.
    let parcel_problem = options.parcel().err().map(|err| {
        let detail = format!("{}: {}", err.param, err.message);
        leptos::logging::error!("pvz-widget: the parcel's data-{detail}");
        events::error(&host, "bad_parcel", &detail);
        let told = match lang {
            Lang::Ru => "Стоимость доставки сейчас не рассчитать: в данных о посылке ошибка. Пункт можно выбрать, цену подтвердит магазин.",
            Lang::En => "Delivery prices cannot be worked out: the parcel's details have a mistake. You can still choose a point; the shop will confirm the price.",
        };
        notice.set(Some(told.to_string()));
        told.to_string()
    });
    let quote_options = options.clone();
    let quote_missing = move |ids: Vec<String>| {
        let parcel = match quote_options.parcel() {
            Ok(parcel) => parcel,
            Err(_) => {
                let why = parcel_problem.clone().unwrap_or_default();
                quotes.update(|q| ids.into_iter().for_each(|id| _ = q.insert(id, Priced::Unavailable(why.clone()))));
                return;
            }
        };
        let missing: Vec<String> =
            quotes.with_untracked(|q| ids.into_iter().filter(|id| !q.contains_key(id)).collect());
        if missing.is_empty() {
            return;
        }
        quotes.update(|q| missing.iter().for_each(|id| _ = q.insert(id.clone(), Priced::Loading)));
        let options = quote_options.clone();
        spawn_local(async move {
            let answer = api::quotes(&options, missing.clone(), parcel).await;
            quotes.try_update(|q| match answer {
                Ok(answer) => {
                    for quote in answer.quotes {
                        q.insert(quote.point_id.clone(), Priced::Quoted(quote));
                    }
                    for failure in answer.failures {
                        q.insert(failure.point_id, Priced::Unavailable(failure.message));
                    }
                }
                Err(err) => {
                    missing.iter().for_each(|id| _ = q.insert(id.clone(), Priced::Unavailable(err.message.clone())))
                }
            });
        });
    };

    let quote_point = quote_missing.clone();
    let ready_host = host.clone();
    let first_view = StoredValue::new(true);
    let on_view = Callback::new(move |(view, at): (ViewResponse, LatLon)| {
        let clustered = !view.clusters.is_empty();
        status.set(Status::Showing { total: view.total, clustered });
        hidden.set(view.hidden);
        facets.set(view.facets);
        carriers.set(view.carriers);
        centre.set(at);
        let listed = if clustered { view.nearest } else { view.points };
        quote_missing(listed.iter().map(|p| p.id.clone()).collect());
        points.set(listed);
        if first_view.get_value() {
            first_view.set_value(false);
            events::ready(&ready_host, view.total);
        }
    });

    let rows = Memo::new(move |_| {
        let at = centre.get();
        let rows = points.with(|ps| {
            quotes.with(|q| {
                ps.iter()
                    .map(|p| Row {
                        point: p.clone(),
                        km: at.distance_km(LatLon { lat: p.lat, lon: p.lon }),
                        priced: q.get(&p.id).cloned().unwrap_or(Priced::Loading),
                    })
                    .collect()
            })
        });
        sorted(rows, sort.get())
    });

    // The point whose details were closed, to give focus back to its row.
    let came_from = RwSignal::new(None::<String>);
    let choose_host = host.clone();
    let on_choose = Callback::new(move |row: Row| {
        came_from.set(Some(row.point.id.clone()));
        let chosen = Choice::Point { quote: row.quote().cloned(), point: row.point };
        choice::announce(&choose_host, &chosen);
        choice.set(Some(chosen));
        notice.set(None);
        open.set(None);
    });
    let on_open = Callback::new(move |row: Row| open.set(Some(row)));
    // A point chosen on the map: the list's row when it has one, otherwise a row made for it.
    let on_point = Callback::new(move |point: PointMarker| {
        let listed = rows.with_untracked(|rs| rs.iter().find(|r| r.point.id == point.id).cloned());
        let row = listed.unwrap_or_else(|| {
            quote_point(vec![point.id.clone()]);
            let km = centre.get_untracked().distance_km(LatLon { lat: point.lat, lon: point.lon });
            let priced = quotes.with_untracked(|q| q.get(&point.id).cloned()).unwrap_or(Priced::Loading);
            Row { point, km, priced }
        });
        open.set(Some(row));
        tab.set(Tab::List);
    });
    // The open point's price, when it arrives after the point was opened.
    crate::reactive::effect(move || {
        let Some(row) = open.get_untracked() else { return };
        let arrived = quotes.with(|q| q.get(&row.point.id).cloned()).filter(|p| *p != row.priced);
        if let Some(priced) = arrived {
            open.set(Some(Row { priced, ..row }));
        }
    });
    let on_back = Callback::new(move |()| {
        came_from.set(open.get_untracked().map(|row| row.point.id));
        open.set(None);
    });
    let door_host = host.clone();
    let on_door = Callback::new(move |(address, quote): (DoorAddress, DoorQuote)| {
        let chosen = Choice::Door { address, quote };
        choice::announce(&door_host, &chosen);
        choice.set(Some(chosen));
        notice.set(None);
    });
    let change_host = host.clone();
    let on_change = Callback::new(move |()| {
        choice::clear_inputs(&change_host);
        choice.set(None);
        events::clear(&change_host, "changed", None);
    });
    let cleanup_host = host.clone();
    on_cleanup(move || choice::clear_inputs(&cleanup_host));

    let start_options = options.clone();
    let preselect_host = host.clone();
    spawn_local(async move {
        let options = &start_options;
        let asked_city = options.city.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let Warm { settings, city } = warm;
        let settings = async {
            match settings {
                Some(settings) => Ok(settings),
                None => api::settings(options).await,
            }
        };
        let city = async {
            match (asked_city, city) {
                (Some(_), Some(city)) => Ok(Some(city)),
                (Some(name), None) => api::city(options, name).await,
                (None, _) => Ok(None),
            }
        };
        let (settings, city, earlier) = futures::join!(settings, city, preselected(options));
        match earlier {
            Some(Earlier::Kept(chosen)) => {
                // A door chosen before opens on the courier's side, with its address.
                if matches!(chosen, Choice::Door { .. }) && door {
                    delivery.try_set(Delivery::Door);
                }
                choice::announce(&preselect_host, &chosen);
                choice.try_set(Some(chosen));
            }
            Some(Earlier::Dropped(reason, message)) => {
                choice::clear_inputs(&preselect_host);
                notice.try_set(Some(message.clone()));
                events::clear(&preselect_host, reason, Some(&message));
            }
            None => {}
        }
        match (settings, city) {
            (Ok(settings), Ok(city)) => {
                // A returning buyer sees their point first, wherever the page's city is.
                let chosen = choice.with_untracked(|c| c.as_ref().and_then(Choice::point).map(|p| (p.lat, p.lon)));
                let start = match (chosen, &city) {
                    (Some((lat, lon)), _) => Focus::Near(LatLon { lat, lon }),
                    (None, Some(city)) => Focus::Bounds(city.bounds),
                    (None, None) => Focus::Country,
                };
                if let (Some(asked), None) = (asked_city, &city)
                    && notice.get_untracked().is_none()
                {
                    notice.try_set(Some(match lang {
                        Lang::Ru => format!(
                            "Город «{asked}» не найден: показываем все пункты, а если разрешите — ближайшие к вам."
                        ),
                        Lang::En => {
                            format!(
                                "City “{asked}” not found: showing every point, or the nearest to you if you allow it."
                            )
                        }
                    }));
                }
                setup.try_set(Some(MapSetup { settings, start }));
                // Without points to draw, the widget is ready once it has its settings.
                if !pickup {
                    events::ready(&preselect_host, 0);
                }
            }
            (Err(err), _) | (_, Err(err)) => on_failed.run(err),
        }
    });

    let details_options = options.clone();
    let chip_params = Memo::new(move |_| crate::chips::params(&chips.get(), &carrier_chips.get()));
    let search_options = options.clone();
    let on_place = Callback::new(move |place: Focus| focus.set(Some(place)));
    let failed = move || status.with(|s| matches!(s, Status::Failed(_) | Status::NotConnected(_)));
    let selected = Memo::new(move |_| choice.with(|c| c.as_ref().and_then(Choice::point).map(|p| p.id.clone())));
    // The point ringed on the map: the one open, else the one chosen.
    let marked = Memo::new(move |_| {
        let point = open.with(|o| o.as_ref().map(|row| (row.point.lat, row.point.lon)));
        point
            .or_else(|| choice.with(|c| c.as_ref().and_then(Choice::point).map(|p| (p.lat, p.lon))))
            .map(|(lat, lon)| LatLon { lat, lon })
    });
    let door_options = options.clone();
    let status_line = move || {
        let shown = delivery.get() == Delivery::Pickup || failed();
        shown.then(|| status.with(|s| status_text(s, lang)))
    };
    let pickup_view = pickup.then(|| {
        view! {
            // Hidden but sized while the courier is chosen, so that the map keeps its size for coming back.
            <div class="pvz-pickup" data-hidden=move || if delivery.get() == Delivery::Door { "true" } else { "false" }>
                <Search options=search_options lang on_place />
                <Chips active=chips active_carriers=carrier_chips facets carriers lang />
                <p class="pvz-hidden-note">{move || hidden_text(hidden.get(), lang)}</p>
                <Tabs tab lang />
                // The list before the map in the document, so that Tab and screen readers reach it first; the
                // stylesheet puts the map on the left.
                <div class="pvz-body" data-first=first data-tab=move || if tab.get() == Tab::List { "list" } else { "map" }>
                    <div class="pvz-side">
                        {move || match open.get() {
                            Some(row) => view! { <Details row options=details_options.clone() lang on_choose on_back /> }.into_any(),
                            None => view! {
                                <SortChoice sort lang />
                                <PointList rows lang selected on_open focus_on=came_from.get_untracked() />
                            }
                            .into_any(),
                        }}
                    </div>
                    <MapView
                        setup
                        options
                        chips=chip_params
                        focus
                        marked
                        facets
                        on_view
                        on_point
                        on_failed
                    />
                </div>
            </div>
        }
    });
    let door_view = door.then(|| {
        view! {
            <div class="pvz-door-mode" hidden=move || delivery.get() != Delivery::Door>
                <DoorPanel options=door_options lang chosen=choice on_choose=on_door />
            </div>
        }
    });
    view! {
        <div class="pvz" lang=match lang { Lang::Ru => "ru", Lang::En => "en" }>
            <p class="pvz-status" class:pvz-status-error=failed role="status">{status_line}</p>
            // A live region: a screen reader says the choice as it is made.
            <div class="pvz-choice-slot" aria-live="polite">
                <ChoiceSummary choice lang on_change />
            </div>
            <p class="pvz-notice" role="alert">{move || notice.get()}</p>
            {(offered.len() > 1).then(|| view! { <DeliverySwitch delivery offered=offered.clone() lang /> })}
            {pickup_view}
            {door_view}
        </div>
    }
}
