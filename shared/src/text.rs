//! Words that depend on numbers, for the widget's two languages.

/// The widget's languages (`data-lang`); Russian unless English is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    /// Reads `data-lang`: `en` (any case, any region such as `en-GB`) is English, anything else Russian.
    pub fn from_tag(tag: &str) -> Self {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") { Self::En } else { Self::Ru }
    }
}

/// Picks the Russian form for `n`: `one` for 1, 21, 101...; `few` for 2-4, 22-24...; `many` for the rest
/// (5-20, 11-14, 25...). "1 день", "2 дня", "5 дней".
pub fn plural_ru<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// A whole number with its thousands apart, as Russian typography wants them (no-break spaces):
/// `12345` becomes `"12 345"`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Roubles as Russian shops write them: `"1 290 ₽"`, kopecks only when there are some (`"99,50 ₽"`).
pub fn format_rub(kopecks: u64) -> String {
    let roubles = group_thousands(kopecks / 100);
    match kopecks % 100 {
        0 => format!("{roubles}\u{a0}₽"),
        k => format!("{roubles},{k:02}\u{a0}₽"),
    }
}

/// An amount as shops write it: roubles with their sign (see [`format_rub`]), other currencies with their
/// code (`"12 500 KZT"`).
pub fn format_money(money: crate::Money) -> String {
    if money.currency == crate::Currency::Rub {
        return format_rub(money.kopecks);
    }
    let whole = group_thousands(money.kopecks / 100);
    let code = money.currency.code();
    match money.kopecks % 100 {
        0 => format!("{whole}\u{a0}{code}"),
        cents => format!("{whole},{cents:02}\u{a0}{code}"),
    }
}

/// A delivery time: `"2–3 дня"`, `"1 день"`, `"2–3 days"`.
pub fn format_days(min: u16, max: u16, lang: Lang) -> String {
    let range = if min == max { min.to_string() } else { format!("{min}–{max}") };
    match lang {
        Lang::Ru => format!("{range}\u{a0}{}", plural_ru(u64::from(max), "день", "дня", "дней")),
        Lang::En if max == 1 => format!("{range}\u{a0}day"),
        Lang::En => format!("{range}\u{a0}days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roubles_are_grouped_and_kopecks_shown_only_when_there_are_some() {
        assert_eq!(format_rub(129_000), "1\u{a0}290\u{a0}₽");
        assert_eq!(format_rub(9_950), "99,50\u{a0}₽");
        assert_eq!(format_rub(5), "0,05\u{a0}₽");
    }

    #[test]
    fn other_currencies_are_written_with_their_code() {
        let tenge = crate::Money { kopecks: 1_250_050, currency: crate::Currency::Kzt };
        assert_eq!(format_money(tenge), "12\u{a0}500,50\u{a0}KZT");
        assert_eq!(format_money(crate::Money::rub(129_000)), "1\u{a0}290\u{a0}₽");
        assert_eq!(crate::Currency::from_code("byn"), Some(crate::Currency::Byn));
        assert_eq!(serde_json::to_string(&crate::Currency::Amd).unwrap(), "\"AMD\"");
    }

    #[test]
    fn delivery_times_agree_with_their_last_number() {
        assert_eq!(format_days(1, 1, Lang::Ru), "1\u{a0}день");
        assert_eq!(format_days(2, 3, Lang::Ru), "2–3\u{a0}дня");
        assert_eq!(format_days(4, 5, Lang::Ru), "4–5\u{a0}дней");
        assert_eq!(format_days(1, 1, Lang::En), "1\u{a0}day");
        assert_eq!(format_days(6, 10, Lang::En), "6–10\u{a0}days");
    }

    #[test]
    fn thousands_are_grouped_with_no_break_spaces() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1290), "1\u{a0}290");
        assert_eq!(group_thousands(55_061), "55\u{a0}061");
        assert_eq!(group_thousands(1_234_567), "1\u{a0}234\u{a0}567");
    }

    #[test]
    fn russian_plurals_follow_the_last_two_digits() {
        let day = |n| format!("{n} {}", plural_ru(n, "день", "дня", "дней"));
        assert_eq!(day(1), "1 день");
        assert_eq!(day(2), "2 дня");
        assert_eq!(day(5), "5 дней");
        assert_eq!(day(11), "11 дней");
        assert_eq!(day(14), "14 дней");
        assert_eq!(day(21), "21 день");
        assert_eq!(day(22), "22 дня");
        assert_eq!(day(0), "0 дней");
        assert_eq!(day(111), "111 дней");
        assert_eq!(day(101), "101 день");
    }

    #[test]
    fn language_tags_choose_english_only_when_asked() {
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag("EN-gb"), Lang::En);
        assert_eq!(Lang::from_tag("ru"), Lang::Ru);
        assert_eq!(Lang::from_tag(""), Lang::Ru);
        assert_eq!(Lang::from_tag("english"), Lang::Ru);
    }
}
