//! Boxberry's parcel histories from `ListStatusesFull`, by Boxberry's tracking code or by the shop's own
//! order number (`ImId` takes either). Boxberry's statuses are words without codes, mapped into the shared
//! set by what they say; its times are Moscow time, written `26.12.2020 12:23` here and
//! `2020-12-26T12:23:26` in `ListStatuses`.

use std::sync::Arc;
use std::time::Duration;

use pvz_shared::Carrier;
use pvz_shared::tracking::{TrackEvent, TrackStatus, Tracking};
use serde::Deserialize;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::api::Api;
use crate::carriers::{NumberForms, Recognition, TrackFuture, Tracker};

/// Boxberry's statuses change a few times a day.
const TTL: Duration = Duration::from_secs(600);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct History {
    statuses: Vec<Status>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
struct Status {
    date: String,
    name: String,
    comment: String,
}

/// A status's words in the shared set.
pub fn status_of(name: &str) -> TrackStatus {
    let name = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["возврат", "возвращ"]) {
        TrackStatus::Returned
    } else if has(&["выдано", "выдан получателю", "успешно выдан", "вручен"]) {
        TrackStatus::Delivered
    } else if has(&["поступило в пункт выдачи", "готов к выдаче", "ожидает получателя"])
    {
        TrackStatus::ReadyForPickup
    } else if has(&["курьер"]) {
        TrackStatus::OutForDelivery
    } else if has(&["реестр", "создан"]) {
        TrackStatus::Created
    } else if has(&["принят"]) {
        TrackStatus::Accepted
    } else {
        TrackStatus::InTransit
    }
}

/// `26.12.2020 12:23` or `2020-12-26T12:23:26` (also with a space), in Moscow time.
pub fn time_of(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u16>().ok();
    let (date, clock) = if text.get(2..3) == Some(".") {
        let date = Date::from_calendar_date(
            i32::from(number(6..10)?),
            Month::try_from(u8::try_from(number(3..5)?).ok()?).ok()?,
            u8::try_from(number(0..2)?).ok()?,
        )
        .ok()?;
        (date, text.get(11..)?)
    } else {
        (pvz_shared::dates::parse_date(text.get(..10)?)?, text.get(11..)?)
    };
    let mut parts = clock.split(':').map(|p| p.parse::<u8>().ok());
    let (hour, minute) = (parts.next()??, parts.next()??);
    let second = parts.next().flatten().unwrap_or(0);
    let moscow = UtcOffset::from_hms(3, 0, 0).ok()?;
    Some(PrimitiveDateTime::new(date, Time::from_hms(hour, minute, second).ok()?).assume_offset(moscow))
}

/// Boxberry's tracking codes: three Latin letters and 8 to 10 digits (`AAP114630687`).
pub fn recognise(number: &str) -> Recognition {
    let (letters, digits) = number.split_at(number.len().min(3));
    if letters.len() == 3
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && (8..=10).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        Recognition::Mine
    } else {
        Recognition::NotMine
    }
}

/// Whether Boxberry's refusal says it knows no such parcel (rather than refusing the call).
pub(super) fn is_not_found(said: &str) -> bool {
    let said = said.to_lowercase();
    said.contains("не найден") && ["посылк", "отправлен", "заказ"].iter().any(|w| said.contains(w))
}

pub struct BoxberryTracker {
    pub api: Arc<Api>,
    pub carrier: Carrier,
    pub title: String,
}

impl BoxberryTracker {
    fn tracking(&self, number: &str, history: History) -> Option<Tracking> {
        let mut events: Vec<TrackEvent> = history
            .statuses
            .into_iter()
            .filter_map(|s| {
                let text = match s.comment.trim() {
                    "" => s.name.trim().to_string(),
                    comment => format!("{}: {comment}", s.name.trim()),
                };
                Some(TrackEvent { at: time_of(&s.date)?, place: String::new(), status: status_of(&s.name), text })
            })
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse(e.at));
        Some(Tracking {
            carrier: self.carrier.clone(),
            carrier_title: self.title.clone(),
            number: number.to_string(),
            status: events.first()?.status,
            expected_date: None,
            storage_until: None,
            point_id: None,
            events,
        })
    }

    fn lookup(&self, number: &str) -> TrackFuture<'_> {
        let number = number.trim().to_string();
        Box::pin(async move {
            match self.api.call::<History>("ListStatusesFull", &[("ImId", &number)]).await? {
                Ok(history) => Ok(self.tracking(&number, history)),
                Err(said) if is_not_found(&said.0) => Ok(None),
                Err(said) => Err(said.into_error()),
            }
        })
    }
}

impl Tracker for BoxberryTracker {
    fn recognise(&self, number: &str) -> Recognition {
        recognise(number)
    }

    fn forms(&self) -> NumberForms {
        NumberForms {
            ru: "3 латинские буквы и 8–10 цифр", en: "3 Latin letters and 8 to 10 digits"
        }
    }

    fn ttl(&self) -> Duration {
        TTL
    }

    fn track(&self, number: &str) -> TrackFuture<'_> {
        self.lookup(number)
    }

    fn finds_shop_orders(&self) -> bool {
        true
    }

    fn track_order(&self, order: &str) -> TrackFuture<'_> {
        self.lookup(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_of_boxberrys_date_formats_are_moscow_time() {
        let full = time_of("26.12.2020 12:23").unwrap();
        assert_eq!(full, time::macros::datetime!(2020-12-26 12:23 +3));
        assert_eq!(time_of("2020-12-26T12:23:26").unwrap(), time::macros::datetime!(2020-12-26 12:23:26 +3));
        assert_eq!(time_of("2020-12-26 12:23:26").unwrap(), time::macros::datetime!(2020-12-26 12:23:26 +3));
        for bad in ["", "26.12.2020", "31.02.2020 10:00", "2020-12-26T25:00:00", "0001-01-01", "вчера"] {
            assert_eq!(time_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn statuses_in_words_map_into_the_shared_set() {
        assert_eq!(status_of("Загружен реестр ИМ"), TrackStatus::Created);
        assert_eq!(status_of("Принято к доставке"), TrackStatus::Accepted);
        assert_eq!(status_of("Передано на сортировку"), TrackStatus::InTransit);
        assert_eq!(status_of("Поступило в пункт выдачи"), TrackStatus::ReadyForPickup);
        assert_eq!(status_of("Выдано"), TrackStatus::Delivered);
        assert_eq!(status_of("Готовится к возврату"), TrackStatus::Returned);
        assert_eq!(status_of("Передано на курьерскую доставку"), TrackStatus::OutForDelivery);
    }

    #[test]
    fn tracking_codes_are_three_letters_and_digits() {
        assert_eq!(recognise("AAP114630687"), Recognition::Mine);
        for other in ["AA114630687", "AAP1146306", "AAP11463068712", "1106394527", "RA123456785RU", "DE0000000103"] {
            assert_eq!(recognise(other), Recognition::NotMine, "{other}");
        }
        assert!(is_not_found("Посылка не найдена"));
        assert!(!is_not_found("Токен не найден"));
    }
}
