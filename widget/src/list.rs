//! The list of the points in view: one option per point with its distance, cost and delivery time, sorted
//! as the buyer asks. Names and addresses are always text, never HTML.

use leptos::prelude::*;
use pvz_shared::{CarrierCount, Currency, Lang, PointKind, PointMarker, Quote, format_money};

use crate::dates::delivery_dates;

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
        (Priced::Quoted(q), _) => format!("{} · {}", format_money(q.cost, lang), delivery_dates(&q.days, lang)),
        (Priced::Unavailable(_), Lang::Ru) => "нет цены".into(),
        (Priced::Unavailable(_), Lang::En) => "no price".into(),
    }
}

/// The carriers of the points in view, given by the widget to whatever names a point's carrier.
#[derive(Debug, Clone, Copy)]
pub struct Carriers(pub RwSignal<Vec<CarrierCount>>);

/// The title of the carrier of the point `id` («СДЭК»), when the shop has several carriers to tell apart.
pub fn carrier_title(carriers: Option<Carriers>, id: &str) -> Option<String> {
    let Carriers(list) = carriers?;
    let name = id.split(':').next()?;
    list.with(|cs| if cs.len() < 2 { None } else { cs.iter().find(|c| c.name.0 == name).map(|c| c.title.clone()) })
}

/// The marks of the cheapest and the fastest, in the buyer's words.
pub fn mark_words(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Ru => ("дешевле всех", "быстрее всех"),
        Lang::En => ("cheapest", "fastest"),
    }
}

/// The least of `values`, when not all are equal.
fn lowest<T: Ord + Copy>(values: impl Iterator<Item = T> + Clone) -> Option<T> {
    let (min, max) = (values.clone().min()?, values.max()?);
    (min < max).then_some(min)
}

/// The lowest cost and the soonest delivery among the quoted rows, each only when some row is above it:
/// the rows that have it are marked.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Best {
    /// The lowest cost, in the currency costs are compared in: the first quote's.
    cheapest: Option<(u64, Currency)>,
    fastest: Option<u16>,
}

impl Best {
    fn of(rows: &[Row]) -> Self {
        let quotes: Vec<&Quote> = rows.iter().filter_map(Row::quote).collect();
        let currency = quotes.first().map(|q| q.cost.currency);
        let costs = quotes.iter().filter(|q| Some(q.cost.currency) == currency).map(|q| q.cost.kopecks);
        Self { cheapest: lowest(costs).zip(currency), fastest: lowest(quotes.iter().map(|q| q.days.max)) }
    }

    /// The row's marks, in the buyer's words.
    fn marks(self, quote: Option<&Quote>, lang: Lang) -> Vec<&'static str> {
        let Some(q) = quote else { return Vec::new() };
        let mut marks = Vec::new();
        let (cheapest, fastest) = mark_words(lang);
        if self.cheapest == Some((q.cost.kopecks, q.cost.currency)) {
            marks.push(cheapest);
        }
        if self.fastest == Some(q.days.max) {
            marks.push(fastest);
        }
        marks
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

/// Height of one row in CSS pixels; `.pvz-point` in the stylesheet has the same.
const ROW_PX: usize = 88;
/// Rows built beyond each edge of the visible ones, so that a quick scroll shows no gap.
const OVERSCAN: usize = 4;
/// Until the list has been measured.
const DEFAULT_VIEWPORT_PX: usize = 420;

/// The rows to build for a list scrolled to `top` showing `height` pixels, of `len`. Whole pixels: the
/// browser reports scrolling in integers, and float arithmetic would add kilobytes to the bundle.
fn window(top: usize, height: usize, len: usize) -> std::ops::Range<usize> {
    let (first, last) = (top / ROW_PX, (top + height).div_ceil(ROW_PX));
    first.saturating_sub(OVERSCAN).min(len)..(last + OVERSCAN).min(len)
}

/// A length the DOM reports, as pixels (never negative).
fn px(length: i32) -> usize {
    usize::try_from(length).unwrap_or(0)
}

/// The row `key` moves focus to from `current`, of `len`.
pub(crate) fn moved(key: &str, current: usize, len: usize, page: usize) -> Option<usize> {
    let last = len.checked_sub(1)?;
    match key {
        "ArrowDown" => Some((current + 1).min(last)),
        "ArrowUp" => Some(current.saturating_sub(1)),
        "PageDown" => Some((current + page).min(last)),
        "PageUp" => Some(current.saturating_sub(page)),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The rows as a list box, built only around the visible ones so that thousands stay fast; one row is in
/// the Tab order and the arrow keys move between rows. `on_open` gets the row the buyer opens (click, Enter
/// or Space). `focus_on` is a point whose row takes focus at once (the one whose details were just closed).
#[component]
pub fn PointList(
    rows: Memo<Vec<Row>>,
    lang: Lang,
    selected: Memo<Option<String>>,
    on_open: Callback<Row>,
    #[prop(default = None)] focus_on: Option<String>,
) -> impl IntoView {
    let label = match lang {
        Lang::Ru => "Пункты выдачи",
        Lang::En => "Pickup points",
    };
    // The scrolling box: bounded by the stylesheet, it holds the list, whose padding stands for the rows not
    // built (as padding of the box itself, it would grow the box past its bound).
    let list = NodeRef::<leptos::html::Div>::new();
    let top = RwSignal::new(0usize);
    let height = RwSignal::new(DEFAULT_VIEWPORT_PX);
    // The row in the Tab order.
    let active = RwSignal::new(0usize);
    let len = Memo::new(move |_| rows.with(Vec::len));
    // The rows around the visible ones, and always the active one: the row with focus is never taken away.
    let shown = Memo::new(move |_| {
        let range = window(top.get(), height.get(), len.get());
        let active = active.get().min(len.get().saturating_sub(1));
        range.start.min(active)..range.end.max(active + 1).min(len.get())
    });
    // The row at `index` while it is still the point `id`: a built row's closures may run once more before a
    // new set of rows replaces it.
    let current = move |index: usize, id: &str| rows.with(|rs| rs.get(index).filter(|r| r.point.id == id).cloned());
    let best = Memo::new(move |_| rows.with(|rs| Best::of(rs)));
    let carriers = use_context::<Carriers>();
    let open = move |index: usize, id: &str| {
        if let Some(row) = current(index, id) {
            on_open.run(row);
        }
    };
    // A new set of rows starts at the top.
    let mut first = true;
    crate::reactive::effect(move || {
        len.track();
        if !std::mem::take(&mut first) {
            active.set(0);
            if let Some(list) = list.get_untracked() {
                list.set_scroll_top(0);
            }
            top.set(0);
        }
    });
    let on_scroll = move |_| {
        let Some(list) = list.get_untracked() else { return };
        top.set(px(list.scroll_top()));
        height.set(px(list.client_height()).max(ROW_PX));
        let visible = window(top.get_untracked(), height.get_untracked(), len.get_untracked());
        if !visible.contains(&active.get_untracked()) {
            active.set((visible.start + OVERSCAN).min(visible.end.saturating_sub(1)));
        }
    };
    let focus_row = move |index: usize| {
        let Some(list) = list.get_untracked() else { return };
        // A row far away is built only after this: until then the box holds focus, so that the row losing
        // it (no longer built) does not send the next keys to the page.
        if list_focus_target(&list, index).is_none() {
            let _ = list.focus();
        }
        let (row_top, row_bottom) = (index * ROW_PX, (index + 1) * ROW_PX);
        let (viewport, scroll) = (px(list.client_height()), px(list.scroll_top()));
        let scroll_to = |to: usize| list.set_scroll_top(i32::try_from(to).unwrap_or(i32::MAX));
        if row_top < scroll {
            scroll_to(row_top);
        } else if row_bottom > scroll + viewport {
            scroll_to(row_bottom - viewport);
        }
        top.set(px(list.scroll_top()));
        active.set(index);
        // Focused once the row is built, unless a later key has moved on by then.
        request_animation_frame(move || {
            if active.get_untracked() != index {
                return;
            }
            let Some(list) = list_focus_target(&list, index) else { return };
            let _ = list.focus();
        });
    };
    if let Some(id) = focus_on {
        let mut done = false;
        crate::reactive::effect(move || {
            if done || list.get().is_none() {
                return;
            }
            if let Some(index) = rows.with_untracked(|rs| rs.iter().position(|r| r.point.id == id)) {
                focus_row(index);
            }
            done = true;
        });
    }
    // Moves from the active row, not from the row that has focus: keys held down or pressed quickly arrive
    // before the next row is built and focused.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let page = height.get_untracked() / ROW_PX;
        if let Some(next) = moved(&ev.key(), active.get_untracked(), len.get_untracked(), page) {
            ev.prevent_default();
            focus_row(next);
        }
    };
    let each = move || {
        let range = shown.get();
        rows.with(|rs| {
            rs.get(range.clone())
                .unwrap_or_default()
                .iter()
                .zip(range)
                .map(|(r, i)| (i, r.point.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="pvz-list-scroll" tabindex="-1" node_ref=list on:scroll=on_scroll on:keydown=on_key>
        <ul
            class="pvz-list"
            role="listbox"
            aria-label=label
            // Whole pixels, written as integers: float formatting would add kilobytes to the bundle.
            style:padding-top=move || format!("{}px", shown.get().start * ROW_PX)
            style:padding-bottom=move || format!("{}px", len.get().saturating_sub(shown.get().end) * ROW_PX)
        >
            <For each=each key=|(i, point)| (*i, point.id.clone()) let:((index, point))>
                {
                    let id = point.id.clone();
                    let (selected_id, click_id, key_id, km_id, price_id) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                    let marks_id = id.clone();
                    let kind = match carrier_title(carriers, &id) {
                        Some(title) => format!("{} · {title}", kind_label(point.kind, lang)),
                        None => kind_label(point.kind, lang).to_string(),
                    };
                    let marks = move || {
                        let row = current(index, &marks_id)?;
                        let marks = best.get().marks(row.quote(), lang);
                        (!marks.is_empty()).then(|| {
                            marks.into_iter().map(|m| view! { <span class="pvz-mark">{m}</span> }).collect_view()
                        })
                    };
                    let is_selected = move || selected.get().as_deref() == Some(selected_id.as_str());
                    view! {
                        <li
                            class="pvz-point"
                            role="option"
                            tabindex=move || if active.get() == index { "0" } else { "-1" }
                            aria-selected=move || if is_selected() { "true" } else { "false" }
                            aria-setsize=move || len.get().to_string()
                            aria-posinset=(index + 1).to_string()
                            data-point-id=id
                            data-index=index.to_string()
                            on:click=move |_| open(index, &click_id)
                            on:focus=move |_| active.set(index)
                            on:keydown=move |ev| {
                                if matches!(ev.key().as_str(), "Enter" | " ") {
                                    ev.prevent_default();
                                    open(index, &key_id);
                                }
                            }
                        >
                            <span class="pvz-point-kind"><span class="pvz-point-kind-text">{kind}</span>{marks}</span>
                            <span class="pvz-point-name">{point.name.clone()}</span>
                            <span class="pvz-point-address">{point.address.clone()}</span>
                            <span class="pvz-point-meta">
                                <span class="pvz-point-distance">
                                    {move || current(index, &km_id).map(|r| distance_label(r.km, lang))}
                                </span>
                                " · "
                                <span class="pvz-point-price">
                                    {move || current(index, &price_id).map(|r| price_label(&r.priced, lang))}
                                </span>
                            </span>
                        </li>
                    }
                }
            </For>
        </ul>
        </div>
    }
}

/// The built row at `index` in `list`.
fn list_focus_target(list: &web_sys::HtmlDivElement, index: usize) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let row = list.query_selector(&format!("[data-index=\"{index}\"]")).ok().flatten()?;
    row.dyn_into().ok()
}
