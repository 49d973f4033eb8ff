//! The list of the points in view: one option per point with its distance, cost and delivery time, sorted
//! as the buyer asks. Names and addresses are always text, never HTML.

use leptos::prelude::*;
use pvz_shared::{Lang, PointKind, PointMarker, Quote, format_days, format_rub};

/// The list's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Nearest to the map's centre first.
    #[default]
    Distance,
    /// Cheapest first; points without a price last.
    Price,
    /// Soonest delivery first; points without a price last.
    Speed,
}

impl Sort {
    const ALL: [Self; 3] = [Self::Distance, Self::Price, Self::Speed];

    fn value(self) -> &'static str {
        match self {
            Self::Distance => "distance",
            Self::Price => "price",
            Self::Speed => "speed",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Distance, Lang::Ru) => "ближе",
            (Self::Price, Lang::Ru) => "дешевле",
            (Self::Speed, Lang::Ru) => "быстрее",
            (Self::Distance, Lang::En) => "nearest",
            (Self::Price, Lang::En) => "cheapest",
            (Self::Speed, Lang::En) => "fastest",
        }
    }
}

/// A quote as the list knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Priced {
    Loading,
    Quoted(Quote),
    Unavailable(String),
}

/// One point in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub point: PointMarker,
    /// From the map's centre.
    pub km: f64,
    pub priced: Priced,
}

impl Row {
    pub fn quote(&self) -> Option<&Quote> {
        match &self.priced {
            Priced::Quoted(q) => Some(q),
            _ => None,
        }
    }
}

/// `rows` in `sort`'s order; ties keep the nearer point first.
pub fn sorted(mut rows: Vec<Row>, sort: Sort) -> Vec<Row> {
    let key = |row: &Row| -> (u64, u64) {
        let unknown = u64::MAX;
        match (sort, row.quote()) {
            (Sort::Distance, _) => (0, 0),
            (Sort::Price, Some(q)) => (q.cost.kopecks, 0),
            (Sort::Speed, Some(q)) => (u64::from(q.days.max), u64::from(q.days.min)),
            (_, None) => (unknown, unknown),
        }
    };
    rows.sort_by(|a, b| key(a).cmp(&key(b)).then(a.km.total_cmp(&b.km)));
    rows
}

pub fn kind_label(kind: PointKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (PointKind::PickupPoint, Lang::Ru) => "Пункт выдачи",
        (PointKind::Locker, Lang::Ru) => "Постамат",
        (PointKind::PostOffice, Lang::Ru) => "Почтовое отделение",
        (PointKind::PickupPoint, Lang::En) => "Pickup point",
        (PointKind::Locker, Lang::En) => "Parcel locker",
        (PointKind::PostOffice, Lang::En) => "Post office",
    }
}

/// "850 м", "1,2 км": whole numbers only, so that no float formatting code is built into the bundle.
fn distance_label(km: f64, lang: Lang) -> String {
    let metres = (km * 1000.0).round().max(0.0) as u64;
    let (m, km_unit, comma) = match lang {
        Lang::Ru => ("м", "км", ','),
        Lang::En => ("m", "km", '.'),
    };
    if metres < 1000 {
        return format!("{}\u{a0}{m}", (metres + 5) / 10 * 10);
    }
    let tenths = (metres + 50) / 100;
    format!("{}{comma}{}\u{a0}{km_unit}", tenths / 10, tenths % 10)
}

/// Cost and delivery time, or why there are none.
pub fn price_label(priced: &Priced, lang: Lang) -> String {
    match (priced, lang) {
        (Priced::Loading, _) => "…".into(),
        (Priced::Quoted(q), _) => {
            format!("{} · {}", format_rub(q.cost.kopecks), format_days(q.days.min, q.days.max, lang))
        }
        (Priced::Unavailable(_), Lang::Ru) => "нет цены".into(),
        (Priced::Unavailable(_), Lang::En) => "no price".into(),
    }
}

/// The sort control.
#[component]
pub fn SortChoice(sort: RwSignal<Sort>, lang: Lang) -> impl IntoView {
    let label = match lang {
        Lang::Ru => "Сначала",
        Lang::En => "Sort by",
    };
    view! {
        <label class="pvz-sort">
            {label}" "
            <select on:change=move |ev| {
                let value = event_target_value(&ev);
                if let Some(chosen) = Sort::ALL.into_iter().find(|s| s.value() == value) {
                    sort.set(chosen);
                }
            }>
                {Sort::ALL.into_iter().map(|s| view! {
                    <option value=s.value() selected=move || sort.get() == s>{s.label(lang)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// The rows as a list box; `on_open` gets the row the buyer opens (click, Enter or Space).
#[component]
pub fn PointList(
    #[prop(into)] rows: Signal<Vec<Row>>,
    lang: Lang,
    #[prop(into)] selected: Signal<Option<String>>,
    on_open: Callback<Row>,
) -> impl IntoView {
    let label = match lang {
        Lang::Ru => "Пункты выдачи",
        Lang::En => "Pickup points",
    };
    // Rows are keyed by point alone: a price arriving or the map moving updates a row's text in place
    // instead of building the row again.
    let by_id = Memo::new(move |_| {
        rows.with(|rs| rs.iter().map(|r| (r.point.id.clone(), r.clone())).collect::<std::collections::HashMap<_, _>>())
    });
    let current = move |id: &str| by_id.with(|rows| rows.get(id).cloned());
    view! {
        <ul class="pvz-list" role="listbox" aria-label=label>
            <For each=move || rows.get() key=|row| row.point.id.clone() let:row>
                {
                    let id = row.point.id.clone();
                    let (selected_id, click_id, key_id, km_id, price_id) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                    let is_selected = move || selected.get().as_deref() == Some(selected_id.as_str());
                    let open = move |id: &str| {
                        if let Some(row) = current(id) {
                            on_open.run(row);
                        }
                    };
                    view! {
                        <li
                            class="pvz-point"
                            role="option"
                            tabindex="0"
                            aria-selected=move || if is_selected() { "true" } else { "false" }
                            data-point-id=id
                            on:click=move |_| open(&click_id)
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" || ev.key() == " " {
                                    ev.prevent_default();
                                    open(&key_id);
                                }
                            }
                        >
                            <span class="pvz-point-kind">{kind_label(row.point.kind, lang)}</span>
                            <span class="pvz-point-name">{row.point.name.clone()}</span>
                            <span class="pvz-point-address">{row.point.address.clone()}</span>
                            <span class="pvz-point-meta">
                                <span class="pvz-point-distance">
                                    {move || current(&km_id).map(|r| distance_label(r.km, lang))}
                                </span>
                                " · "
                                <span class="pvz-point-price">
                                    {move || current(&price_id).map(|r| price_label(&r.priced, lang))}
                                </span>
                            </span>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
