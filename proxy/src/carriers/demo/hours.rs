//! Opening hours of the demo networks: the patterns real Russian pickup points and post offices follow,
//! with the public holidays ahead of `today` as exceptions.

use pvz_shared::hours::{Exception, Interval, OpeningHours};
use time::{Date, Duration, Month};

fn at(open: u16, close: u16) -> Interval {
    Interval::new(open * 60, close * 60).expect("demo hours are whole, ordered hours within a day")
}

/// A week from weekday and weekend intervals.
fn week(mon_fri: &[Interval], sat: &[Interval], sun: &[Interval]) -> [Vec<Interval>; 7] {
    std::array::from_fn(|day| match day {
        0..=4 => mon_fri.to_vec(),
        5 => sat.to_vec(),
        _ => sun.to_vec(),
    })
}

/// How far ahead holidays are listed.
const HOLIDAYS_AHEAD_DAYS: i64 = 45;

/// Public holidays within the window ahead of `today`: (date, shortened-day hours or closed).
fn holidays(today: Date, shortened: Option<Interval>) -> Vec<Exception> {
    let mut days = Vec::new();
    for year in [today.year(), today.year() + 1] {
        let date = |month, day| Date::from_calendar_date(year, month, day).ok();
        let closed = [(Month::January, 1), (Month::January, 2), (Month::February, 23), (Month::March, 8)]
            .into_iter()
            .chain([(Month::May, 1), (Month::May, 9), (Month::June, 12), (Month::November, 4)]);
        days.extend(closed.filter_map(|(m, d)| date(m, d)).map(|date| Exception { date, intervals: vec![] }));
        if let (Some(date), Some(hours)) = (date(Month::December, 31), shortened) {
            days.push(Exception { date, intervals: vec![hours] });
        }
    }
    let end = today + Duration::days(HOLIDAYS_AHEAD_DAYS);
    days.retain(|e| (today..=end).contains(&e.date));
    days.sort_by_key(|e| e.date);
    days
}

pub fn pickup_point(rng: &mut fastrand::Rng, today: Date) -> OpeningHours {
    let week = match rng.u8(..10) {
        0..=3 => week(&[at(10, 21)], &[at(10, 21)], &[at(10, 21)]),
        4..=6 => week(&[at(9, 20)], &[at(10, 18)], &[at(10, 16)]),
        7..=8 => week(&[at(10, 20)], &[at(10, 20)], &[]),
        _ => week(&[at(10, 14), at(15, 20)], &[at(10, 16)], &[]),
    };
    let exceptions = if rng.bool() { holidays(today, Some(at(10, 16))) } else { Vec::new() };
    OpeningHours { week, exceptions, as_written: None }
}

pub fn locker(rng: &mut fastrand::Rng, today: Date) -> OpeningHours {
    if rng.u8(..4) < 3 {
        OpeningHours::every_day(&[Interval::WHOLE_DAY])
    } else {
        // Inside a shopping centre: its hours, and its holidays.
        OpeningHours { exceptions: holidays(today, Some(at(8, 18))), ..OpeningHours::every_day(&[at(8, 22)]) }
    }
}

pub fn town_post(rng: &mut fastrand::Rng, today: Date) -> OpeningHours {
    let week = match rng.u8(..10) {
        0..=4 => week(&[at(8, 20)], &[at(9, 18)], &[]),
        5..=7 => week(&[at(8, 13), at(14, 20)], &[at(9, 16)], &[]),
        _ => week(&[at(9, 21)], &[at(9, 21)], &[at(10, 18)]),
    };
    OpeningHours { week, exceptions: holidays(today, Some(at(8, 16))), as_written: None }
}

pub fn village_post(rng: &mut fastrand::Rng, today: Date) -> OpeningHours {
    let lunch = [at(9, 13), at(14, 17)];
    let mut week = match rng.u8(..3) {
        0 => week(&lunch, &[at(9, 14)], &[]),
        1 => week(&lunch, &lunch, &[]),
        _ => week(&[at(10, 13), at(14, 16)], &[], &[]),
    };
    if rng.bool() {
        // Many village offices rest on Monday and work on Saturday instead.
        week[0].clear();
    }
    OpeningHours { week, exceptions: holidays(today, Some(at(9, 14))), as_written: None }
}

/// A city's main post office, open long hours every day.
pub fn main_post_office() -> OpeningHours {
    OpeningHours::every_day(&[at(8, 22)])
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn holidays_are_the_ones_ahead_within_the_window() {
        let ahead = holidays(date!(2026 - 11 - 22), Some(at(10, 16)));
        let dates: Vec<_> = ahead.iter().map(|e| e.date).collect();
        assert_eq!(dates, [date!(2026 - 12 - 31), date!(2027 - 01 - 01), date!(2027 - 01 - 02)]);
        assert_eq!(ahead[0].intervals, [at(10, 16)]);
        assert!(ahead[1].intervals.is_empty());
    }
}
