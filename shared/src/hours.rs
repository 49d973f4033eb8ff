//! Opening hours: a week of intervals (several a day, for lunch breaks) plus dated exceptions, and the
//! questions the buyer asks of them, "open now?" and "opens when?", answered in the point's own time zone.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

/// Minutes after local midnight; 1440 is the midnight that ends the day.
pub type Minute = u16;

pub const DAY_MINUTES: Minute = 24 * 60;

/// One opening interval within a day, written `"09:00-13:00"` on the wire (`"00:00-24:00"` round the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Interval {
    pub open: Minute,
    pub close: Minute,
}

impl Interval {
    pub const WHOLE_DAY: Self = Self { open: 0, close: DAY_MINUTES };

    /// An interval from `"HH:MM"` pairs; `None` unless `open` comes before `close` within one day.
    pub fn new(open: Minute, close: Minute) -> Option<Self> {
        (open < close && close <= DAY_MINUTES).then_some(Self { open, close })
    }

    /// An interval as carriers write one: a close at 23:59 or at midnight (`00:00`, `24:00`) is the end of
    /// the day, so `00:00-00:00`, `00:00-23:59` and `00:00-24:00` are each round the clock.
    pub fn as_written(open: Minute, close: Minute) -> Option<Self> {
        let close = if close == 0 || close == DAY_MINUTES - 1 { DAY_MINUTES } else { close };
        Self::new(open, close)
    }

    pub fn contains(&self, minute: Minute) -> bool {
        (self.open..self.close).contains(&minute)
    }
}

/// `"HH:MM"` for a minute of the day.
pub fn format_minute(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Reads `"HH:MM"` (also `"H:MM"` and `"HH:MM:SS"`, seconds ignored); `"24:00"` is the end of the day.
pub fn parse_minute(text: &str) -> Option<Minute> {
    let mut parts = text.trim().split(':');
    let hours: Minute = parts.next()?.parse().ok()?;
    let minutes: Minute = parts.next()?.parse().ok()?;
    if parts.next().is_some_and(|s| s.parse::<u8>().is_err()) || minutes >= 60 {
        return None;
    }
    let total = hours.checked_mul(60)? + minutes;
    (total <= DAY_MINUTES).then_some(total)
}

impl TryFrom<String> for Interval {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let (open, close) = text.split_once('-').ok_or_else(|| format!("{text:?} is not HH:MM-HH:MM"))?;
        parse_minute(open)
            .zip(parse_minute(close))
            .and_then(|(open, close)| Self::new(open, close))
            .ok_or_else(|| format!("{text:?} is not an interval within one day"))
    }
}

impl From<Interval> for String {
    fn from(interval: Interval) -> Self {
        format!("{}-{}", format_minute(interval.open), format_minute(interval.close))
    }
}

/// A day that differs from the usual week: a holiday (no intervals) or a shortened or extra working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Exception {
    #[serde(with = "crate::dates::iso_date")]
    #[cfg_attr(feature = "utoipa", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Empty when closed all day.
    #[cfg_attr(feature = "utoipa", schema(value_type = Vec<String>, example = json!(["09:00-13:00", "14:00-20:00"])))]
    pub intervals: Vec<Interval>,
}

impl Exception {
    /// The same exception on each day from `first` to `last`, both included.
    pub fn each_day(first: Date, last: Date, intervals: &[Interval]) -> impl Iterator<Item = Exception> + '_ {
        std::iter::successors(Some(first), |day| day.next_day())
            .take_while(move |day| *day <= last)
            .map(|date| Exception { date, intervals: intervals.to_vec() })
    }

    /// `list` sorted by date, with one exception a date: the first given for it.
    pub fn tidy(list: &mut Vec<Exception>) {
        list.sort_by_key(|e| e.date);
        list.dedup_by_key(|e| e.date);
    }
}

/// A point's hours, in its local time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct OpeningHours {
    /// Monday first; an empty day is a day off. Every day empty: the hours are unknown.
    #[cfg_attr(feature = "utoipa", schema(value_type = Vec<Vec<String>>, min_items = 7, max_items = 7))]
    pub week: [Vec<Interval>; 7],
    /// Sorted by date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
    /// The hours as the carrier wrote them, kept when they could not be read into `week`: the buyer reads
    /// this text instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_written: Option<String>,
}

/// Whether a point is open at a moment, and what changes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The carrier gave no hours that could be read (see [`OpeningHours::as_written`]).
    Unknown,
    /// Open round the clock, every day of the usual week.
    AlwaysOpen,
    /// Open until `until` (local minute) on this day.
    OpenUntil(Minute),
    /// Closed; opens on `date` at `at` (local), if it opens within the next two weeks.
    Closed { opens: Option<(Date, Minute)> },
}

impl Status {
    /// Open at that moment, as far as anyone can tell.
    pub fn is_open(self) -> bool {
        matches!(self, Self::AlwaysOpen | Self::OpenUntil(_))
    }
}

impl OpeningHours {
    /// The same intervals every day of the week.
    pub fn every_day(intervals: &[Interval]) -> Self {
        Self { week: std::array::from_fn(|_| intervals.to_vec()), ..Self::default() }
    }

    /// Hours that could not be read, with the carrier's own words for them when it gave any.
    pub fn unknown(as_written: Option<String>) -> Self {
        Self { as_written, ..Self::default() }
    }

    /// No usual week is known: every day of it is empty.
    pub fn is_unknown(&self) -> bool {
        self.week.iter().all(Vec::is_empty)
    }

    /// Open all day every day of the usual week (exceptions aside): lockers in the street, 24-hour offices.
    pub fn is_round_the_clock(&self) -> bool {
        self.week.iter().all(|day| day.as_slice() == [Interval::WHOLE_DAY])
    }

    /// The intervals of one local date, exceptions first.
    pub fn on(&self, date: Date) -> &[Interval] {
        match self.exceptions.binary_search_by_key(&date, |e| e.date) {
            Ok(i) => &self.exceptions[i].intervals,
            Err(_) => &self.week[usize::from(date.weekday().number_days_from_monday())],
        }
    }

    /// The status at `now` for a point whose local time is `offset` from UTC.
    pub fn status(&self, now: OffsetDateTime, offset: UtcOffset) -> Status {
        let local = now.to_offset(offset);
        let (date, minute) = (local.date(), Minute::from(local.hour()) * 60 + Minute::from(local.minute()));
        if self.is_unknown() && self.exceptions.binary_search_by_key(&date, |e| e.date).is_err() {
            return Status::Unknown;
        }
        if self.is_round_the_clock()
            && self.exceptions.iter().all(|e| e.date < date || e.date > date + Duration::days(1))
        {
            return Status::AlwaysOpen;
        }
        if let Some(current) = self.on(date).iter().find(|i| i.contains(minute)) {
            // An interval that ends at midnight goes on if the next day starts at midnight.
            let next_day = date.next_day().map(|d| self.on(d)).unwrap_or_default();
            let until = if current.close == DAY_MINUTES && next_day.first().is_some_and(|i| i.open == 0) {
                next_day[0].close
            } else {
                current.close
            };
            return Status::OpenUntil(until);
        }
        let later_today = self.on(date).iter().find(|i| i.open > minute).map(|i| (date, i.open));
        let opens = later_today.or_else(|| {
            (1..=14).find_map(|ahead| {
                let day = date.checked_add(Duration::days(ahead))?;
                self.on(day).first().map(|i| (day, i.open))
            })
        });
        Status::Closed { opens }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime, offset};

    use super::*;

    fn iv(text: &str) -> Interval {
        Interval::try_from(text.to_string()).unwrap()
    }

    /// Mon-Fri 09:00-13:00 and 14:00-20:00, Sat 10:00-16:00, Sun closed.
    fn office() -> OpeningHours {
        let weekday = vec![iv("09:00-13:00"), iv("14:00-20:00")];
        OpeningHours {
            week: [
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                vec![iv("10:00-16:00")],
                vec![],
            ],
            exceptions: vec![
                Exception { date: date!(2026 - 12 - 31), intervals: vec![iv("09:00-15:00")] },
                Exception { date: date!(2027 - 01 - 01), intervals: vec![] },
            ],
            as_written: None,
        }
    }

    #[test]
    fn intervals_read_and_write_hh_mm() {
        assert_eq!(iv("09:00-21:00"), Interval { open: 540, close: 1260 });
        assert_eq!(String::from(iv("9:30-24:00")), "09:30-24:00");
        assert_eq!(iv("00:00-24:00"), Interval::WHOLE_DAY);
        for bad in ["21:00-09:00", "09:00", "09:60-10:00", "25:00-26:00", "aa:bb-cc:dd", "10:00-10:00"] {
            assert!(Interval::try_from(bad.to_string()).is_err(), "{bad}");
        }
        assert_eq!(parse_minute("10:15:00"), Some(615));
    }

    #[test]
    fn open_now_is_judged_in_the_points_own_time_zone() {
        // 06:30 UTC on a Monday is 09:30 in Moscow (UTC+3) and 13:30 in Novosibirsk (UTC+7).
        let now = datetime!(2026-11-23 06:30 UTC);
        assert_eq!(office().status(now, offset!(+3)), Status::OpenUntil(13 * 60));
        assert_eq!(office().status(now, offset!(+7)), Status::Closed { opens: Some((date!(2026 - 11 - 23), 14 * 60)) });
    }

    #[test]
    fn closed_on_sunday_opens_on_monday_morning() {
        let sunday_noon_moscow = datetime!(2026-11-22 09:00 UTC);
        assert_eq!(
            office().status(sunday_noon_moscow, offset!(+3)),
            Status::Closed { opens: Some((date!(2026 - 11 - 23), 9 * 60)) }
        );
    }

    #[test]
    fn exceptions_override_the_week() {
        // New Year's Eve, a Thursday, closes at 15:00; New Year's Day is closed; Saturday the 2nd opens at 10.
        let eve = datetime!(2026-12-31 12:30 UTC);
        assert_eq!(office().status(eve, offset!(+3)), Status::Closed { opens: Some((date!(2027 - 01 - 02), 600)) });
        let eve_morning = datetime!(2026-12-31 08:00 UTC);
        assert_eq!(
            office().status(eve_morning, offset!(+3)),
            Status::OpenUntil(15 * 60),
            "the shortened day, not the usual lunch break"
        );
    }

    #[test]
    fn round_the_clock_points_are_always_open_unless_an_exception_is_near() {
        let mut locker = OpeningHours::every_day(&[Interval::WHOLE_DAY]);
        assert!(locker.is_round_the_clock());
        assert_eq!(locker.status(datetime!(2026-11-22 23:59 UTC), offset!(+3)), Status::AlwaysOpen);
        locker.exceptions.push(Exception { date: date!(2026 - 11 - 23), intervals: vec![iv("00:00-12:00")] });
        assert_eq!(locker.status(datetime!(2026-11-22 22:00 UTC), offset!(+3)), Status::OpenUntil(12 * 60));
    }

    #[test]
    fn unknown_hours_are_neither_open_nor_closed_but_a_closing_day_still_closes() {
        let mut hours = OpeningHours::unknown(Some("по записи".into()));
        assert_eq!(hours.status(datetime!(2026-11-22 12:00 UTC), offset!(+3)), Status::Unknown);
        assert!(!Status::Unknown.is_open());
        hours.exceptions.push(Exception { date: date!(2026 - 11 - 22), intervals: vec![] });
        assert_eq!(hours.status(datetime!(2026-11-22 12:00 UTC), offset!(+3)), Status::Closed { opens: None });
    }

    #[test]
    fn every_spelling_of_round_the_clock_is_the_whole_day() {
        for (open, close) in [(0, 0), (0, 23 * 60 + 59), (0, 24 * 60)] {
            assert_eq!(Interval::as_written(open, close), Some(Interval::WHOLE_DAY), "{open}-{close}");
        }
        assert_eq!(Interval::as_written(600, 0), Some(Interval { open: 600, close: DAY_MINUTES }));
        assert_eq!(Interval::as_written(600, 540), None);
    }
}
