//! Dates as buyers read them, in the widget's languages: a day of a month («3 декабря», `Dec 3`), a delivery
//! window of dates («3–4 декабря», «30 ноября – 2 декабря»), and now by the browser's clock.

use pvz_shared::{Days, Lang, format_days};
use time::{Date, OffsetDateTime};

const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Now, from the browser's clock.
pub fn now() -> OffsetDateTime {
    let seconds = (js_sys::Date::now() / 1000.0) as i64;
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn month(date: Date, lang: Lang) -> &'static str {
    let i = usize::from(u8::from(date.month())) - 1;
    match lang {
        Lang::Ru => MONTHS_RU[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// «3 декабря», `Dec 3`.
pub fn date_label(date: Date, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{} {}", date.day(), month(date, lang)),
        Lang::En => format!("{} {}", month(date, lang), date.day()),
    }
}

/// When a parcel arrives: its dates when the quote has them («3–4 декабря», «30 ноября – 2 декабря»),
/// otherwise its days («2–3 дня»).
pub fn delivery_dates(days: &Days, lang: Lang) -> String {
    let (Some(from), Some(to)) = (days.from_date, days.to_date) else {
        return format_days(days.min, days.max, lang);
    };
    if from == to {
        return date_label(from, lang);
    }
    match (from.month() == to.month() && from.year() == to.year(), lang) {
        (true, Lang::Ru) => format!("{}–{} {}", from.day(), to.day(), month(to, lang)),
        (true, Lang::En) => format!("{} {}–{}", month(to, lang), from.day(), to.day()),
        (false, _) => format!("{} – {}", date_label(from, lang), date_label(to, lang)),
    }
}
