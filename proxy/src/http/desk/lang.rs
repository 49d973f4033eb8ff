//! The desk's two languages: Russian by default, English for an owner whose browser prefers it or who
//! chose it. Each text is written in both where it is used, so neither can be forgotten.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};

use crate::shipments::model::State;

/// The cookie that keeps the owner's choice.
pub const COOKIE_NAME: &str = "pvz_desk_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    /// The owner's choice, or else the browser's first preference between the two.
    pub fn of(headers: &HeaderMap) -> Self {
        let chosen = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| pair.trim().strip_prefix(COOKIE_NAME)?.strip_prefix('=').map(str::to_string));
        if let Some(lang) = chosen.as_deref().and_then(Self::parse) {
            return lang;
        }
        let accepted = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let first = accepted
            .split(',')
            .map(|l| l.trim().to_ascii_lowercase())
            .find(|l| l.starts_with("ru") || l.starts_with("en"));
        if first.is_some_and(|l| l.starts_with("en")) { Self::En } else { Self::Ru }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// The other language, which the page offers to switch to.
    pub fn other(self) -> Self {
        match self {
            Self::Ru => Self::En,
            Self::En => Self::Ru,
        }
    }

    /// The text in this language.
    pub fn t(self, ru: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Ru => ru,
            Self::En => en,
        }
    }

    pub fn state(self, state: State) -> &'static str {
        match state {
            State::Pending => self.t("Ждёт перевозчика", "Awaiting the carrier"),
            State::Registered => self.t("Зарегистрирован", "Registered"),
            State::Rejected => self.t("Отклонён", "Rejected"),
            State::Cancelled => self.t("Отменён", "Cancelled"),
            State::InTransit => self.t("В пути", "In transit"),
            State::ReadyForPickup => self.t("Ждёт в пункте", "At the pickup point"),
            State::Delivered => self.t("Вручён", "Delivered"),
            State::Returning => self.t("Возвращается", "Returning"),
            State::Returned => self.t("Возвращён", "Returned"),
        }
    }

    /// Kopecks as roubles: «1 234,50 ₽», "₽1,234.50".
    pub fn money(self, kopecks: u64) -> String {
        let (roubles, kop) = (kopecks / 100, kopecks % 100);
        let digits = roubles.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push_str(self.t("\u{a0}", ","));
            }
            grouped.push(c);
        }
        match self {
            Self::Ru => format!("{grouped},{kop:02}\u{a0}₽"),
            Self::En => format!("₽{grouped}.{kop:02}"),
        }
    }
}

/// An RFC 3339 time as the desk shows it: `2026-11-30 21:45`, in the zone it was written in.
pub fn when(rfc3339: &str) -> String {
    rfc3339.get(..16).map_or_else(|| rfc3339.to_string(), |t| t.replace('T', " "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn money_reads_as_each_language_writes_it() {
        assert_eq!(Lang::Ru.money(123_450), "1\u{a0}234,50\u{a0}₽");
        assert_eq!(Lang::En.money(123_450), "₽1,234.50");
        assert_eq!(Lang::Ru.money(5), "0,05\u{a0}₽");
        assert_eq!(Lang::En.money(100_000_000), "₽1,000,000.00");
    }

    #[test]
    fn the_choice_wins_over_the_browser_and_russian_is_the_default() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::of(&headers), Lang::Ru);
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("en-GB,en;q=0.9,ru;q=0.5"));
        assert_eq!(Lang::of(&headers), Lang::En);
        headers.insert(COOKIE, HeaderValue::from_static("other=1; pvz_desk_lang=ru"));
        assert_eq!(Lang::of(&headers), Lang::Ru);
    }
}
