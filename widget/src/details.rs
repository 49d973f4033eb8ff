//! One point in full, opened from the list: today's status, the whole week with every interval, the
//! holidays ahead, how to pay and what fits, how to find it, and its price; "Choose" takes it, "Back"
//! (or Escape) returns to the list.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pvz_shared::hours::format_minute;
use pvz_shared::{Lang, OpeningHours, Point, PointKind, Status, format_days, format_money};
use time::OffsetDateTime;

use crate::api;
use crate::dates::{date_label, delivery_dates, now};
use crate::list::{Carriers, Priced, Row, carrier_title, kind_label, price_label};
use crate::options::WidgetOptions;

const WEEKDAYS_RU: [&str; 7] = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
fn intervals_label(intervals: &[pvz_shared::Interval], lang: Lang) -> String {
    if intervals.is_empty() {
        return match lang {
            Lang::Ru => "выходной".into(),
            Lang::En => "closed".into(),
        };
    }
    if intervals == [pvz_shared::Interval::WHOLE_DAY] {
        return match lang {
            Lang::Ru => "круглосуточно".into(),
            Lang::En => "24 hours".into(),
        };
    }
    intervals
        .iter()
        .map(|i| format!("{}–{}", format_minute(i.open), format_minute(i.close)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Open until 21:00", "Closed, opens on 2 January at 10:00".
pub fn status_label(hours: &OpeningHours, point: &Point, now: OffsetDateTime, lang: Lang) -> String {
    let today = now.to_offset(point.timezone.offset()).date();
    match (hours.status(now, point.timezone.offset()), lang) {
        (Status::Unknown, Lang::Ru) => "Часы работы уточняйте у перевозчика".into(),
        (Status::Unknown, Lang::En) => "Opening hours: ask the carrier".into(),
        (Status::AlwaysOpen, Lang::Ru) => "Открыто круглосуточно".into(),
        (Status::AlwaysOpen, Lang::En) => "Open 24 hours".into(),
        (Status::OpenUntil(m), Lang::Ru) => format!("Открыто до {}", format_minute(m)),
        (Status::OpenUntil(m), Lang::En) => format!("Open until {}", format_minute(m)),
        (Status::Closed { opens: None }, Lang::Ru) => "Закрыто".into(),
        (Status::Closed { opens: None }, Lang::En) => "Closed".into(),
        (Status::Closed { opens: Some((day, m)) }, lang) => {
            let when = match (day == today, today.next_day() == Some(day), lang) {
                (true, _, Lang::Ru) => "сегодня".to_string(),
                (true, _, Lang::En) => "today".to_string(),
                (_, true, Lang::Ru) => "завтра".to_string(),
                (_, true, Lang::En) => "tomorrow".to_string(),
                (_, _, Lang::Ru) => date_label(day, lang),
                (_, _, Lang::En) => format!("on {}", date_label(day, lang)),
            };
            match lang {
                Lang::Ru => format!("Закрыто, откроется {when} в {}", format_minute(m)),
                Lang::En => format!("Closed, opens {when} at {}", format_minute(m)),
            }
        }
    }
}

fn payment_label(point: &Point, lang: Lang) -> String {
    let p = point.payment;
    let names: [(bool, &str, &str); 3] = [
        (p.cash, "наличные", "cash"),
        (p.card, "карта", "card"),
        (p.cash_on_delivery, "оплата при получении", "cash on delivery"),
    ];
    let chosen: Vec<&str> = names.iter().filter(|n| n.0).map(|n| if lang == Lang::Ru { n.1 } else { n.2 }).collect();
    chosen.join(", ")
}

fn limits_label(point: &Point, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(grams) = point.limits.max_weight_g {
        parts.push(match lang {
            Lang::Ru => format!("до {} кг", grams / 1000),
            Lang::En => format!("up to {} kg", grams / 1000),
        });
    }
    if !point.limits.cells.is_empty() {
        let cells: Vec<String> =
            point.limits.cells.iter().map(|c| format!("{}×{}×{}", c.length, c.width, c.height)).collect();
        parts.push(match lang {
            Lang::Ru => format!("ячейки {} см", cells.join(", ")),
            Lang::En => format!("cells {} cm", cells.join(", ")),
        });
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The texts of the details view.
struct Words {
    back: &'static str,
    choose: &'static str,
    hours: &'static str,
    holidays: &'static str,
    payment: &'static str,
    limits: &'static str,
    fitting_room: &'static str,
    phone: &'static str,
    metro: &'static str,
    delivery: &'static str,
    loading: &'static str,
}

const RU: Words = Words {
    back: "Назад к списку",
    choose: "Выбрать",
    hours: "Часы работы",
    holidays: "Особые дни",
    payment: "Оплата",
    limits: "Ограничения",
    fitting_room: "Есть примерочная",
    phone: "Телефон",
    metro: "Метро",
    delivery: "Доставка",
    loading: "Загружаем…",
};

const EN: Words = Words {
    back: "Back to the list",
    choose: "Choose",
    hours: "Opening hours",
    holidays: "Special days",
    payment: "Payment",
    limits: "Limits",
    fitting_room: "Fitting room",
    phone: "Phone",
    metro: "Metro",
    delivery: "Delivery",
    loading: "Loading…",
};

/// Whether the point is open now, its week with every interval, and the holidays ahead.
#[component]
pub fn WeekHours(point: Point, lang: Lang) -> impl IntoView {
    let words = if lang == Lang::Ru { &RU } else { &EN };
    let p = point;
    let now = now();
    let today = now.to_offset(p.timezone.offset()).date();
    let weekdays = if lang == Lang::Ru { WEEKDAYS_RU } else { WEEKDAYS_EN };
    // Hours the carrier wrote in a way that could not be read are shown in its own words, never as "closed".
    let week = (!p.hours.is_unknown()).then(|| {
        let days = weekdays
            .iter()
            .zip(p.hours.week.iter())
            .map(|(day, intervals)| view! { <tr><th scope="row">{*day}</th><td>{intervals_label(intervals, lang)}</td></tr> })
            .collect_view();
        view! { <table class="pvz-details-week"><tbody>{days}</tbody></table> }
    });
    let as_written = p.hours.as_written.clone().map(|text| view! { <p class="pvz-details-as-written">{text}</p> });
    let ahead: Vec<_> = p.hours.exceptions.iter().filter(|e| e.date >= today).cloned().collect();
    let holidays = (!ahead.is_empty()).then(|| {
        let items = ahead
            .into_iter()
            .map(|e| view! { <li>{format!("{}: {}", date_label(e.date, lang), intervals_label(&e.intervals, lang))}</li> })
            .collect_view();
        view! { <h4>{words.holidays}</h4><ul class="pvz-details-holidays">{items}</ul> }
    });
    view! {
        <p class="pvz-details-open">{status_label(&p.hours, &p, now, lang)}</p>
        <h4>{words.hours}</h4>
        {week}
        {as_written}
        {holidays}
    }
}

/// The details of `row`'s point.
#[component]
pub fn Details(
    row: Row,
    options: WidgetOptions,
    lang: Lang,
    on_choose: Callback<Row>,
    on_back: Callback<()>,
) -> impl IntoView {
    let words = if lang == Lang::Ru { &RU } else { &EN };
    let point = RwSignal::new(None::<Result<Point, String>>);
    let id = row.point.id.clone();
    spawn_local(async move {
        let answer = match api::point(&options, &id).await {
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(format!("{id}: not found")),
            Err(err) => Err(err.message),
        };
        point.try_set(Some(answer));
    });
    let choose_row = row.clone();
    let delivery = match &row.priced {
        Priced::Quoted(q) => format!(
            "{} · {} · {} ({})",
            q.tariff,
            format_money(q.cost, lang),
            delivery_dates(&q.days, lang),
            format_days(q.days.min, q.days.max, lang)
        ),
        other => price_label(other, lang),
    };
    let back = NodeRef::<leptos::html::Button>::new();
    crate::reactive::effect(move || {
        if let Some(button) = back.get() {
            let _ = button.focus();
        }
    });
    let body = move || match point.get() {
        None => view! { <p class="pvz-details-loading">{words.loading}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="pvz-status-error">{message}</p> }.into_any(),
        Some(Ok(p)) => {
            let field = |label: &'static str, value: Option<String>| {
                value.map(|v| view! { <div class="pvz-details-field"><dt>{label}</dt><dd>{v}</dd></div> })
            };
            view! {
                <dl class="pvz-details-fields">
                    {field(words.metro, p.metro.clone())}
                    {field(words.payment, Some(payment_label(&p, lang)))}
                    {field(words.limits, limits_label(&p, lang))}
                    {field(words.phone, p.phone.clone())}
                </dl>
                {(p.fitting_room).then(|| view! { <p>{words.fitting_room}</p> })}
                {p.directions.clone().map(|d| view! { <p class="pvz-details-directions">{d}</p> })}
                {p.notes.clone().map(|n| view! { <p class="pvz-details-notes">{n}</p> })}
                <WeekHours point=p lang />
            }
            .into_any()
        }
    };
    let kind = match carrier_title(use_context::<Carriers>(), &row.point.id) {
        Some(title) => format!("{} · {title}", kind_label(row.point.kind, lang)),
        None => kind_label(row.point.kind, lang).to_string(),
    };
    let locker = row.point.kind == PointKind::Locker;
    view! {
        <section
            class="pvz-details"
            class:pvz-details-locker=locker
            aria-label=row.point.name.clone()
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    on_back.run(());
                }
            }
        >
            <button type="button" class="pvz-link" node_ref=back on:click=move |_| on_back.run(())>{"← "}{words.back}</button>
            <p class="pvz-point-kind">{kind}</p>
            <h3 class="pvz-details-name">{row.point.name.clone()}</h3>
            <p class="pvz-details-address">{row.point.address.clone()}</p>
            <p class="pvz-details-delivery"><strong>{words.delivery}": "</strong>{delivery}</p>
            {body}
            <button type="button" class="pvz-button pvz-choose" on:click=move |_| on_choose.run(choose_row.clone())>
                {words.choose}
            </button>
        </section>
    }
}
