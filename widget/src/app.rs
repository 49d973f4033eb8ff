//! The widget's view: a status line, the map and the list of the points in view. The map reports each view
//! it draws; the status and list follow it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::{Lang, PointKind, PointMarker, ViewResponse, group_thousands, plural_ru};
use web_sys::HtmlElement;

use crate::api::ApiError;
use crate::map::{MapSetup, MapView, Start};
use crate::options::WidgetOptions;
use crate::{api, events};

/// What the status line says.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Loading,
    Showing { total: u32, clustered: bool },
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
            format!("{} на карте — приблизьте, чтобы увидеть список", count_label(*total, lang))
        }
        (Status::Showing { total, clustered: true }, Lang::En) => {
            format!("{} on the map — zoom in to see the list", count_label(*total, lang))
        }
        (Status::Failed(message), Lang::Ru) => format!("Не удалось загрузить пункты выдачи: {message}"),
        (Status::Failed(message), Lang::En) => format!("Could not load pickup points: {message}"),
    }
}

/// The whole widget for `options`; events go to `host`.
#[component]
pub fn Widget(options: WidgetOptions, host: HtmlElement) -> impl IntoView {
    let lang = options.lang();
    let status = RwSignal::new(Status::Loading);
    let setup = RwSignal::new(None::<MapSetup>);
    let points = RwSignal::new(Vec::<PointMarker>::new());
    let host = send_wrapper::SendWrapper::new(host);

    let fail_host = host.clone();
    let on_failed = Callback::new(move |err: ApiError| {
        events::error(&fail_host, &err.code, &err.message);
        status.set(Status::Failed(err.message));
    });
    let ready_host = host.clone();
    let first_view = StoredValue::new(true);
    let on_view = Callback::new(move |view: ViewResponse| {
        let clustered = !view.clusters.is_empty();
        status.set(Status::Showing { total: view.total, clustered });
        points.set(if clustered { Vec::new() } else { view.points });
        if first_view.get_value() {
            first_view.set_value(false);
            events::ready(&ready_host, view.total);
        }
    });

    let start_options = options.clone();
    spawn_local(async move {
        let city = start_options.city.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let city = async {
            match city {
                Some(name) => api::city(&start_options, name).await,
                None => Ok(None),
            }
        };
        let (settings, city) = futures::join!(api::settings(&start_options), city);
        match (settings, city) {
            (Ok(settings), Ok(city)) => {
                let start = city.map_or(Start::Country, |c| Start::Bounds(c.bounds));
                setup.try_set(Some(MapSetup { settings, start }));
            }
            (Err(err), _) | (_, Err(err)) => on_failed.run(err),
        }
    });

    let failed = move || matches!(status.get(), Status::Failed(_));
    view! {
        <div class="pvz" lang=match lang { Lang::Ru => "ru", Lang::En => "en" }>
            <p class="pvz-status" class:pvz-status-error=failed role="status">{move || status_text(&status.get(), lang)}</p>
            <div class="pvz-body">
                <MapView setup=setup.into() options on_view on_failed />
                <PointList points lang />
            </div>
        </div>
    }
}

/// The points as a list box, one option per point; names and addresses are always text, never HTML.
#[component]
pub fn PointList(#[prop(into)] points: Signal<Vec<PointMarker>>, lang: Lang) -> impl IntoView {
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
                    <span class="pvz-point-address">{point.address.clone()}</span>
                </li>
            </For>
        </ul>
    }
}
