//! Opening hours as carriers write them in Russian words, for the carriers whose records have no structured
//! hours: `"пн-пт: 10.00-20.00, сб: 10.00-16.00, вс: выходной"`, `"пн, открыто: 08:00 - 20:00, перерыв:
//! 13:00 - 14:00"`, `"пн-вс: круглосуточно"`. What cannot be read is said so (`None`), never guessed.

use pvz_shared::hours::{Interval, Minute, parse_minute};

/// A week of intervals, Monday first.
pub type Week = [Vec<Interval>; 7];

const DAYS: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];

/// The days a run of day names names: `пн`, `пн-пт`, `сб, вс`; Monday is 0.
fn days(names: &str) -> Vec<usize> {
    let day = |name: &str| DAYS.iter().position(|d| name.trim().trim_matches(['.', ':']).starts_with(d));
    let mut out = Vec::new();
    for part in names.split(',') {
        match part.split_once(['-', '–']) {
            Some((from, to)) => {
                if let (Some(from), Some(to)) = (day(from), day(to))
                    && from <= to
                {
                    out.extend(from..=to);
                }
            }
            None => out.extend(day(part)),
        }
    }
    out
}

/// The times of a text, in order: `HH:MM` or `HH.MM`.
fn times(text: &str) -> Vec<Minute> {
    text.split(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| (4..=5).contains(&t.len()) && t.contains([':', '.']))
        .filter_map(|t| parse_minute(&t.replace('.', ":")))
        .collect()
}

/// From `open` to `close`, with the `breaks` (start, end) cut out.
pub fn with_breaks(open: Minute, close: Minute, mut breaks: Vec<(Minute, Minute)>) -> Vec<Interval> {
    let Some(whole) = Interval::as_written(open, close) else { return Vec::new() };
    breaks.retain(|(start, end)| start < end);
    breaks.sort_unstable();
    let mut out = Vec::new();
    let mut from = whole.open;
    for (start, end) in breaks {
        if start > from {
            out.extend(Interval::new(from, start.min(whole.close)));
        }
        from = from.max(end);
    }
    out.extend(Interval::new(from, whole.close));
    out
}

/// One run of days and its hours: the days it names and their intervals (none when closed); `None` when
/// it cannot be read.
pub fn line(text: &str) -> Option<(Vec<usize>, Vec<Interval>)> {
    let line = text.to_lowercase();
    // The days come first, up to "открыто", "выходной", "круглосуточно" or the first time.
    let end = ["открыто", "выходн", "круглосуточно"]
        .iter()
        .filter_map(|word| line.find(word))
        .chain(line.find(|c: char| c.is_ascii_digit()))
        .min()
        .unwrap_or(line.len());
    let (names, rest) = line.split_at(end);
    let days = days(names);
    if days.is_empty() {
        return None;
    }
    if line.contains("выходн") {
        return Some((days, Vec::new()));
    }
    if line.contains("круглосуточно") {
        return Some((days, vec![Interval::WHOLE_DAY]));
    }
    let (open_part, break_part) = match rest.split_once("перерыв").or_else(|| rest.split_once("обед")) {
        Some((open, breaks)) => (open, breaks),
        None => (rest, ""),
    };
    let (open, close) = match times(open_part)[..] {
        [open, close, ..] => (open, close),
        _ => return None,
    };
    let breaks = times(break_part).chunks_exact(2).map(|pair| (pair[0], pair[1])).collect();
    let intervals = with_breaks(open, close, breaks);
    (!intervals.is_empty()).then_some((days, intervals))
}

/// A whole week written on one line, run after run: `"пн-пт: 10.00-20.00, обед: 13.00-14.00, сб:
/// 10.00-16.00"`. A run of day names without hours (`"пн, ср: ..."`) takes the next run's; a break applies
/// to the run before it. `None` when any run cannot be read or no day is named; days it does not name are
/// days off.
pub fn week(text: &str) -> Option<Week> {
    let mut week = Week::default();
    let mut named = false;
    let mut pending = String::new();
    let mut last = String::new();
    for part in text.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let lower = part.to_lowercase();
        if ["перерыв", "обед"].iter().any(|w| lower.starts_with(w)) && !last.is_empty() {
            last = format!("{last} {part}");
            let (days, intervals) = line(&last)?;
            days.into_iter().for_each(|day| week[day].clone_from(&intervals));
            continue;
        }
        let has_hours = lower.contains(|c: char| c.is_ascii_digit())
            || ["выходн", "круглосуточно"].iter().any(|w| lower.contains(w));
        if !has_hours {
            if days(&lower).is_empty() {
                return None;
            }
            pending.push_str(part);
            pending.push(',');
            continue;
        }
        last = format!("{pending}{part}");
        let (days, intervals) = line(&last)?;
        pending.clear();
        for day in days {
            week[day].clone_from(&intervals);
            named = true;
        }
    }
    (named && pending.is_empty()).then_some(week)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(open: Minute, close: Minute) -> Interval {
        Interval::new(open, close).unwrap()
    }

    #[test]
    fn runs_of_days_with_times_in_either_notation() {
        let week = week("пн-пт: 10.00-20.00, сб: 10.00-16.00, вс: выходной").unwrap();
        assert_eq!(week[0], [iv(600, 1200)]);
        assert_eq!(week[4], [iv(600, 1200)]);
        assert_eq!(week[5], [iv(600, 960)]);
        assert!(week[6].is_empty());
        let week = super::week("Пн-Вс: 10:00-20:30").unwrap();
        assert!(week.iter().all(|d| d == &[iv(600, 1230)]));
    }

    #[test]
    fn round_the_clock_in_words_and_in_times() {
        for text in ["пн-вс: круглосуточно", "пн-вс: 00.00-24.00", "пн-вс: 00:00-00:00", "пн-вс 00.00-23.59"]
        {
            let week = week(text).unwrap_or_else(|| panic!("{text}"));
            assert!(week.iter().all(|d| d == &[Interval::WHOLE_DAY]), "{text}: {week:?}");
        }
    }

    #[test]
    fn day_names_without_hours_take_the_next_runs_hours() {
        let week = week("пн, ср: 09.00-18.00, вт: 12.00-20.00").unwrap();
        assert_eq!(week[0], [iv(540, 1080)]);
        assert_eq!(week[2], [iv(540, 1080)]);
        assert_eq!(week[1], [iv(720, 1200)]);
        assert!(week[3].is_empty());
    }

    #[test]
    fn lunch_breaks_are_cut_out() {
        let (days, intervals) = line("пн, открыто: 08:00 - 20:00, перерыв: 13:00 - 14:00").unwrap();
        assert_eq!(days, [0]);
        assert_eq!(intervals, [iv(480, 780), iv(840, 1200)]);
        assert_eq!(with_breaks(600, 1200, vec![(780, 840)]), [iv(600, 780), iv(840, 1200)]);
        let lunch = week("пн-пт: 10.00-19.00, обед: 13.00-14.00, сб: 10.00-15.00").unwrap();
        assert_eq!(lunch[2], [iv(600, 780), iv(840, 1140)]);
        assert_eq!(lunch[5], [iv(600, 900)]);
        let passport = week("пн, открыто: 08:00 - 20:00, перерыв: 13:00 - 14:00").unwrap();
        assert_eq!(passport[0], [iv(480, 780), iv(840, 1200)]);
    }

    #[test]
    fn what_cannot_be_read_is_said_so() {
        for text in ["по предварительной записи", "", "пн-пт", "ежедневно 10-20", "пн-пт: 20.00-10.00", "пн-пт: 10"]
        {
            assert_eq!(week(text), None, "{text}");
        }
    }
}
