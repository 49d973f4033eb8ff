//! The widget's view: a status line, the choice, the map and the list of the points in view with their
//! prices. The map reports each view it draws; the list, its quotes and the status follow it.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{CarrierCount, Facets, Hidden, Lang, LatLon, PointMarker, ViewResponse, group_thousands, plural_ru};
use send_wrapper::SendWrapper;
use web_sys::HtmlElement;

use crate::api::ApiError;
use crate::chips::{Chip, Chips};
use crate::choice::{self, Choice, ChoiceSummary};
use crate::details::Details;
use crate::list::{PointList, Priced, Row, Sort, SortChoice, sorted};
use crate::map::{Focus, MapSetup, MapView};
use crate::options::WidgetOptions;
use crate::search::Search;
use crate::{api, events};

/// What the status line says.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Loading,
    Showing { total: u32, clustered: bool },
    Failed(String),
}

fn count_label(n: u32, lang: Lang) -> String {
    let number = group_thousands(u64::from(n));
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
    }
}

/// "3 points hidden: the parcel is too heavy for 2, too big for 1", or nothing when none are.
fn hidden_text(hidden: Hidden, lang: Lang) -> Option<String> {
    let total = hidden.too_heavy + hidden.too_big;
    if total == 0 {
        return None;
    }
    let mut reasons = Vec::new();
    match lang {
        Lang::Ru => {
            if hidden.too_heavy > 0 {
                reasons.push(format!("посылка тяжелее допустимого — {}", hidden.too_heavy));
            }
            if hidden.too_big > 0 {
                reasons.push(format!("не помещается в ячейку — {}", hidden.too_big));
            }
            let word = plural_ru(u64::from(total), "пункт скрыт", "пункта скрыто", "пунктов скрыто");
            Some(format!("{} {word}: {}", group_thousands(u64::from(total)), reasons.join(", ")))
        }
        Lang::En => {
            if hidden.too_heavy > 0 {
                reasons.push(format!("too heavy for {}", hidden.too_heavy));
            }
            if hidden.too_big > 0 {
                reasons.push(format!("too big for {}", hidden.too_big));
            }
            let word = if total == 1 { "point hidden" } else { "points hidden" };
            Some(format!("{} {word}: the parcel is {}", group_thousands(u64::from(total)), reasons.join(", ")))
        }
    }
}

/// The point of `data-selected` with its quote, as a choice; `None` when there is none or it is gone.
async fn preselected(options: &WidgetOptions) -> Option<Choice> {
    let id = options.selected.as_deref().map(str::trim).filter(|id| !id.is_empty())?;
    let point = api::point(options, id).await.ok().flatten()?;
    let quote = match options.parcel() {
        Ok(parcel) => api::quotes(options, vec![point.id.clone()], parcel).await.ok().and_then(|mut q| q.quotes.pop()),
        Err(_) => None,
    };
    let marker = PointMarker {
        id: point.id,
        kind: point.kind,
        lat: point.location.lat,
        lon: point.location.lon,
        name: point.name,
        address: point.address.full,
    };
    Some(Choice { point: marker, quote })
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

/// The whole widget for `options`; events go to `host`.
#[component]
pub fn Widget(options: WidgetOptions, host: HtmlElement) -> impl IntoView {
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
    let first = options.first();
    let tab = RwSignal::new(if first == Some("map") { Tab::Map } else { Tab::List });
    // The point whose details are open instead of the list.
    let open = RwSignal::new(None::<Row>);
    let host = SendWrapper::new(host);

    let fail_host = host.clone();
    let on_failed = Callback::new(move |err: ApiError| {
        events::error(&fail_host, &err.code, &err.message);
        status.set(Status::Failed(err.message));
    });

    let quote_options = options.clone();
    let quote_missing = move |ids: Vec<String>| {
        let Ok(parcel) = quote_options.parcel() else { return };
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

    let choose_host = host.clone();
    let on_choose = Callback::new(move |row: Row| {
        let chosen = Choice { quote: row.quote().cloned(), point: row.point };
        choice::announce(&choose_host, &chosen);
        choice.set(Some(chosen));
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
    Effect::new(move |_| {
        let Some(row) = open.get_untracked() else { return };
        let arrived = quotes.with(|q| q.get(&row.point.id).cloned()).filter(|p| *p != row.priced);
        if let Some(priced) = arrived {
            open.set(Some(Row { priced, ..row }));
        }
    });
    // The point whose details were closed, to give focus back to its row.
    let came_from = RwSignal::new(None::<String>);
    let on_back = Callback::new(move |()| {
        came_from.set(open.get_untracked().map(|row| row.point.id));
        open.set(None);
    });
    let change_host = host.clone();
    let on_change = Callback::new(move |()| {
        choice::clear_inputs(&change_host);
        choice.set(None);
    });
    let cleanup_host = host.clone();
    on_cleanup(move || choice::clear_inputs(&cleanup_host));

    let start_options = options.clone();
    let preselect_host = host.clone();
    spawn_local(async move {
        let options = &start_options;
        let city = options.city.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let city = async {
            match city {
                Some(name) => api::city(options, name).await,
                None => Ok(None),
            }
        };
        let (settings, city, chosen) = futures::join!(api::settings(options), city, preselected(options));
        if let Some(chosen) = chosen {
            choice::announce(&preselect_host, &chosen);
            choice.try_set(Some(chosen));
        }
        match (settings, city) {
            (Ok(settings), Ok(city)) => {
                let start = match (city, choice.get_untracked()) {
                    (Some(city), _) => Focus::Bounds(city.bounds),
                    (None, Some(chosen)) => Focus::Near(LatLon { lat: chosen.point.lat, lon: chosen.point.lon }),
                    (None, None) => Focus::Country,
                };
                setup.try_set(Some(MapSetup { settings, start }));
            }
            (Err(err), _) | (_, Err(err)) => on_failed.run(err),
        }
    });

    let details_options = options.clone();
    let chip_params = Signal::derive(move || crate::chips::params(&chips.get(), &carrier_chips.get()));
    let search_options = options.clone();
    let on_place = Callback::new(move |place: Focus| focus.set(Some(place)));
    let failed = move || matches!(status.get(), Status::Failed(_));
    let selected = Signal::derive(move || choice.get().map(|c| c.point.id));
    view! {
        <div class="pvz" lang=match lang { Lang::Ru => "ru", Lang::En => "en" }>
            <p class="pvz-status" class:pvz-status-error=failed role="status">{move || status_text(&status.get(), lang)}</p>
            <ChoiceSummary choice=choice.into() lang on_change />
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
                <MapView setup=setup.into() options chips=chip_params focus=focus.into() on_view on_point on_failed />
            </div>
        </div>
    }
}
