//! Russian Post's parcel histories over SOAP, within the daily quota: each call is counted before it is
//! made, and the operation type and attribute codes are mapped into the shared tracking statuses.

use std::time::Duration;

use pvz_shared::tracking::{TrackEvent, TrackStatus, Tracking};
use pvz_shared::{Carrier, Point};
use reqwest::Url;
use time::OffsetDateTime;

use super::RussianPostConfig;
use super::quota::{Quota, Share};
use super::soap::{self, Record, Reply};
use super::{TITLE, TITLE_EN};
use crate::Error;
use crate::carriers::breaker::{self, Breaker, Failure};
use crate::carriers::{NumberForms, Recognition, TrackFuture, Tracker, upstream};
use crate::config::Secret;

/// An operation's type (and attribute, where it decides) in the shared set.
pub fn status_of(oper_type: u16, attr: Option<u16>) -> TrackStatus {
    match (oper_type, attr) {
        // Registration and identifiers before the parcel is handed in.
        (27 | 28 | 37, _) => TrackStatus::Created,
        (1, _) => TrackStatus::Accepted,
        // Delivered to the sender: a return has ended.
        (2, Some(2)) => TrackStatus::Returned,
        (2, _) => TrackStatus::Delivered,
        (3, _) => TrackStatus::Returned,
        // Processing: "arrived at the place of delivery".
        (8, Some(2)) => TrackStatus::ReadyForPickup,
        // Storage at the office, its extension; delivered into a parcel locker.
        (6 | 24, _) | (21, Some(1)) => TrackStatus::ReadyForPickup,
        (21, _) => TrackStatus::OutForDelivery,
        // Not delivered, temporary storage, destruction, loss, address checks, failed attempts, refusals.
        (5 | 7 | 12 | 15 | 16 | 17 | 18 | 22 | 23 | 25 | 26 | 35 | 36 | 38, _) => TrackStatus::Problem,
        _ => TrackStatus::InTransit,
    }
}

/// The UPU S10 check digit of 8 serial digits.
fn s10_check_digit(serial: &[u8]) -> u8 {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = serial.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        check => check as u8,
    }
}

/// Russian Post's numbers: 14 digits (domestic), or the UPU S10 form `RA123456785RU` with its check digit.
pub fn recognise(number: &str) -> Recognition {
    let bytes = number.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let letters = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_uppercase);
    match bytes.len() {
        14 if digits(0..14) => Recognition::Mine,
        13 if letters(0..2) && digits(2..11) && letters(11..13) => {
            if s10_check_digit(&bytes[2..10]) == bytes[10] - b'0' {
                Recognition::Mine
            } else {
                Recognition::Typo("has a wrong check digit: please check it for a typo")
            }
        }
        _ => Recognition::NotMine,
    }
}

pub struct PostTracker {
    client: reqwest::Client,
    url: Url,
    carrier: Carrier,
    login: String,
    password: Secret,
    quota: Quota,
    ttl: Duration,
    breaker: Breaker,
}

impl PostTracker {
    pub fn new(config: &RussianPostConfig, carrier: Carrier, login: String, password: Secret, quota: Quota) -> Self {
        Self {
            client: upstream::client(config.timeout),
            url: config.tracking_url.clone(),
            carrier,
            login,
            password,
            quota,
            ttl: config.tracking_ttl,
            breaker: Breaker::new("Russian Post (tracking)", breaker::THRESHOLD, breaker::COOL_DOWN),
        }
    }

    async fn ask(&self, number: &str, share: Share) -> Result<Option<Tracking>, Failure> {
        self.quota.take(OffsetDateTime::now_utc(), share).await.map_err(Failure::Refusal)?;
        let body = soap::request(number, &self.login, self.password.expose());
        let response = self
            .client
            .post(self.url.clone())
            .header("Content-Type", "application/soap+xml; charset=utf-8")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                Failure::Outage(Error::Upstream(format!("{TITLE_EN}: tracking gave no answer: {}", upstream::why(&e))))
            })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| {
            Failure::Outage(Error::Upstream(format!("{TITLE_EN}: the answer broke off: {}", upstream::why(&e))))
        })?;
        // SOAP faults come with 4xx and 5xx statuses; they are read before the status is judged.
        match (soap::parse(&bytes), status.is_success()) {
            (Ok(Reply::Fault { authorization: true, text }), _) => {
                Err(Failure::Refusal(Error::Upstream(format!("{TITLE_EN} refused the tracking login: {text}"))))
            }
            (Ok(Reply::Fault { text, .. }), _) => Err(Failure::Refusal(Error::Upstream(format!("{TITLE_EN}: {text}")))),
            (Ok(Reply::History(records)), true) => Ok(self.tracking(number, &records)),
            (_, false) => Err(Failure::Outage(Error::Upstream(format!("{TITLE_EN}: tracking failed (HTTP {status})")))),
            (Err(why), true) => {
                tracing::warn!(why, "unreadable Russian Post tracking answer");
                Err(Failure::Outage(Error::Upstream(format!(
                    "{TITLE_EN}: tracking answered with something unreadable"
                ))))
            }
        }
    }

    /// The history as the shared model has it; `None` when it has no operation (an unknown number).
    fn tracking(&self, number: &str, records: &[Record]) -> Option<Tracking> {
        let mut events: Vec<TrackEvent> = records
            .iter()
            .filter_map(|r| {
                let at = pvz_shared::dates::parse_time(r.date.as_deref()?)?;
                let text = match (&r.oper_type_name, &r.oper_attr_name) {
                    (Some(kind), Some(attr)) if attr != kind => format!("{kind}: {attr}"),
                    (Some(kind), _) => kind.clone(),
                    (None, Some(attr)) => attr.clone(),
                    (None, None) => return None,
                };
                Some(TrackEvent {
                    at,
                    place: r.place.clone().or_else(|| r.place_index.clone()).unwrap_or_default(),
                    text,
                    status: status_of(r.oper_type?, r.oper_attr),
                })
            })
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse(e.at));
        let status = events.first()?.status;
        // Where the parcel waits, once it has arrived; otherwise where it is addressed to.
        let arrived = records.iter().rev().find(|r| r.oper_type == Some(8) && r.oper_attr == Some(2));
        let office = arrived
            .and_then(|r| r.place_index.clone())
            .or_else(|| records.iter().rev().find_map(|r| r.destination_index.clone()))
            .filter(|index| super::is_postcode(index));
        Some(Tracking {
            carrier: self.carrier.clone(),
            carrier_title: TITLE.into(),
            number: number.to_string(),
            status,
            expected_date: None,
            storage_until: None,
            point_id: office.map(|index| Point::make_id(&self.carrier, &index)),
            events,
        })
    }
}

impl Tracker for PostTracker {
    fn recognise(&self, number: &str) -> Recognition {
        recognise(number)
    }

    fn forms(&self) -> NumberForms {
        NumberForms { ru: "14 цифр или RA123456785RU", en: "14 digits or RA123456785RU" }
    }

    fn ttl(&self) -> Duration {
        self.ttl
    }

    fn spare(&self) -> bool {
        self.quota.spare(OffsetDateTime::now_utc())
    }

    fn quota(&self) -> Option<(u32, u32)> {
        Some(self.quota.used(OffsetDateTime::now_utc()))
    }

    fn track(&self, number: &str) -> TrackFuture<'_> {
        let number = number.to_string();
        Box::pin(async move { self.breaker.call(self.ask(&number, Share::Buyers)).await })
    }

    fn follow(&self, number: &str) -> TrackFuture<'_> {
        let number = number.to_string();
        Box::pin(async move { self.breaker.call(self.ask(&number, Share::Following)).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domestic_and_s10_numbers_are_russian_posts_and_a_wrong_check_digit_is_a_typo() {
        assert_eq!(recognise("80102345678901"), Recognition::Mine);
        assert_eq!(recognise("RA123456785RU"), Recognition::Mine);
        assert!(matches!(recognise("RA123456784RU"), Recognition::Typo(_)));
        for other in ["1106394527", "8010234567890", "AAP114630687", "DE0000000103"] {
            assert_eq!(recognise(other), Recognition::NotMine, "{other}");
        }
    }

    #[test]
    fn s10_check_digits_follow_the_upu_rule() {
        // 1·8 + 2·6 + 3·4 + 4·2 + 5·3 + 6·5 + 7·9 + 8·7 = 204; 11 − 204 mod 11 = 5.
        assert_eq!(s10_check_digit(b"12345678"), 5);
        // 200 mod 11 = 2, so 9.
        assert_eq!(s10_check_digit(b"47312482"), 9);
        // 11 − 0 = 11 is written 5, and 11 − 1 = 10 (2·8 + 1·7 = 23) is written 0.
        assert_eq!(s10_check_digit(b"00000000"), 5);
        assert_eq!(s10_check_digit(b"20000001"), 0);
    }

    #[test]
    fn operation_codes_map_into_the_shared_statuses() {
        assert_eq!(status_of(1, Some(1)), TrackStatus::Accepted);
        assert_eq!(status_of(8, Some(1)), TrackStatus::InTransit);
        assert_eq!(status_of(8, Some(2)), TrackStatus::ReadyForPickup);
        assert_eq!(status_of(2, Some(1)), TrackStatus::Delivered);
        assert_eq!(status_of(2, Some(2)), TrackStatus::Returned);
        assert_eq!(status_of(3, None), TrackStatus::Returned);
        assert_eq!(status_of(5, Some(1)), TrackStatus::Problem);
        assert_eq!(status_of(28, None), TrackStatus::Created);
        assert_eq!(status_of(999, None), TrackStatus::InTransit, "a new code is a step on the way");
    }
}
