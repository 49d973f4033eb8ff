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

/// A whole number with its thousands apart as each language writes them: no-break spaces in Russian
/// (`"12 345"`), commas in English (`"12,345"`).
pub fn group_thousands(n: u64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Ru => '\u{a0}',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// An amount as shops write it, kopecks (cents) only when there are some: `"1 290 ₽"`, `"99,50 ₽"` and
/// `"12 500,50 KZT"` in Russian; `"₽1,290"`, `"₽99.50"` and `"KZT 12,500.50"` in English.
pub fn format_money(money: crate::Money, lang: Lang) -> String {
    let whole = group_thousands(money.kopecks / 100, lang);
    let amount = match (money.kopecks % 100, lang) {
        (0, _) => whole,
        (minor, Lang::Ru) => format!("{whole},{minor:02}"),
        (minor, Lang::En) => format!("{whole}.{minor:02}"),
    };
    let rub = money.currency == crate::Currency::Rub;
    let code = money.currency.code();
    match (rub, lang) {
        (true, Lang::Ru) => format!("{amount}\u{a0}₽"),
        (true, Lang::En) => format!("₽{amount}"),
        (false, Lang::Ru) => format!("{amount}\u{a0}{code}"),
        (false, Lang::En) => format!("{code}\u{a0}{amount}"),
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
    fn money_is_written_as_each_language_writes_it() {
        let rub = crate::Money::rub;
        assert_eq!(format_money(rub(129_000), Lang::Ru), "1\u{a0}290\u{a0}₽");
        assert_eq!(format_money(rub(9_950), Lang::Ru), "99,50\u{a0}₽");
        assert_eq!(format_money(rub(5), Lang::Ru), "0,05\u{a0}₽");
        assert_eq!(format_money(rub(129_000), Lang::En), "₽1,290");
        assert_eq!(format_money(rub(9_950), Lang::En), "₽99.50");
        let tenge = crate::Money { kopecks: 1_250_050, currency: crate::Currency::Kzt };
        assert_eq!(format_money(tenge, Lang::Ru), "12\u{a0}500,50\u{a0}KZT");
        assert_eq!(format_money(tenge, Lang::En), "KZT\u{a0}12,500.50");
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
    fn thousands_are_grouped_with_no_break_spaces_in_russian_and_commas_in_english() {
        assert_eq!(group_thousands(0, Lang::Ru), "0");
        assert_eq!(group_thousands(999, Lang::Ru), "999");
        assert_eq!(group_thousands(1290, Lang::Ru), "1\u{a0}290");
        assert_eq!(group_thousands(55_061, Lang::Ru), "55\u{a0}061");
        assert_eq!(group_thousands(1_234_567, Lang::Ru), "1\u{a0}234\u{a0}567");
        assert_eq!(group_thousands(1_234_567, Lang::En), "1,234,567");
        assert_eq!(group_thousands(999, Lang::En), "999");
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
