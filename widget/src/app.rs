//! The widget's view: a status line, the map and the list of points, fed by one load from the proxy.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{Lang, Point, PointKind, plural_ru};
use web_sys::HtmlElement;

use crate::map::{MapData, MapView};
use crate::options::WidgetOptions;
use crate::{api, events};

/// Where the first load stands.
#[derive(Clone, Debug)]
enum Load {
    Loading,
    Loaded(MapData),
    Failed(String),
}

fn kind_label(kind: PointKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (PointKind::PickupPoint, Lang::Ru) => "Пункт выдачи",
        (PointKind::Locker, Lang::Ru) => "Постамат",
        (PointKind::PostOffice, Lang::Ru) => "Почтовое отделение",
        (PointKind::PickupPoint, Lang::En) => "Pickup point",
        (PointKind::Locker, Lang::En) => "Parcel locker",
        (PointKind::PostOffice, Lang::En) => "Post office",
    }
}

fn count_label(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Ru => {
            let word = plural_ru(n as u64, "пункт выдачи", "пункта выдачи", "пунктов выдачи");
            format!("{n} {word}")
        }
        Lang::En if n == 1 => "1 pickup point".into(),
        Lang::En => format!("{n} pickup points"),
    }
}

/// The whole widget for `options`; events go to `host`.
#[component]
pub fn Widget(options: WidgetOptions, host: HtmlElement) -> impl IntoView {
    let lang = options.lang();
    let load = RwSignal::new(Load::Loading);
    let host = send_wrapper::SendWrapper::new(host);
    let error_host = host.clone();

    spawn_local(async move {
        let (settings, points) = futures::join!(api::settings(&options), api::points(&options));
        load.try_set(match (settings, points) {
            (Ok(settings), Ok(points)) => Load::Loaded(MapData { settings, points }),
            (Err(err), _) | (_, Err(err)) => {
                events::error(&error_host, &err.code, &err.message);
                Load::Failed(err.message)
            }
        });
    });

    let data = Signal::derive(move || match load.get() {
        Load::Loaded(data) => Some(data),
        _ => None,
    });
    let points = Signal::derive(move || data.get().map(|d| d.points.points).unwrap_or_default());
    let ready_host = host.clone();
    let on_drawn = Callback::new(move |n: usize| events::ready(&ready_host, n));
    let on_failed = Callback::new(move |message: String| {
        events::error(&host, "map", &message);
        load.set(Load::Failed(message));
    });
    let status = move || match load.get() {
        Load::Loading => match lang {
            Lang::Ru => "Загружаем пункты выдачи…".to_string(),
            Lang::En => "Loading pickup points…".to_string(),
        },
        Load::Loaded(data) => count_label(data.points.points.len(), lang),
        Load::Failed(message) => match lang {
            Lang::Ru => format!("Не удалось загрузить пункты выдачи: {message}"),
            Lang::En => format!("Could not load pickup points: {message}"),
        },
    };
    let failed = move || matches!(load.get(), Load::Failed(_));

    view! {
        <div class="pvz" lang=match lang { Lang::Ru => "ru", Lang::En => "en" }>
            <p class="pvz-status" class:pvz-status-error=failed role="status">{status}</p>
            <div class="pvz-body">
                <MapView data on_drawn on_failed />
                <PointList points lang />
            </div>
        </div>
    }
}

/// The points as a list box, one option per point; names and addresses are always text, never HTML.
#[component]
pub fn PointList(#[prop(into)] points: Signal<Vec<Point>>, lang: Lang) -> impl IntoView {
    let label = match lang {
        Lang::Ru => "Пункты выдачи",
        Lang::En => "Pickup points",
    };
    view! {
        <ul class="pvz-list" role="listbox" aria-label=label>
            <For each=move || points.get() key=|p| p.id.clone() let:point>
                <li class="pvz-point" role="option" aria-selected="false" data-point-id=point.id.clone()>
                    <span class="pvz-point-kind">{kind_label(point.kind, lang)}</span>
                    <span class="pvz-point-name">{point.name.clone()}</span>
                    <span class="pvz-point-address">{point.address.full.clone()}</span>
                </li>
            </For>
        </ul>
    }
}
