//! The tracking service's daily quota (100 calls without a contract): a counter of today's calls, counted
//! before each call is made and saved to disk, so that neither a burst of buyers nor a restart can exceed
//! it. Russian Post's day is Moscow's; the counter starts again at Moscow midnight. Following the shop's
//! own shipments may spend only the first half of the day's calls: the rest are the buyers'.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, UtcOffset};

use crate::Error;
use crate::carriers::sync::replace_file;

/// Moscow: UTC+3 all year.
const MOSCOW: UtcOffset = match UtcOffset::from_hms(3, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Used {
    #[serde(with = "pvz_shared::dates::iso_date")]
    day: Date,
    calls: u32,
}

pub struct Quota {
    path: PathBuf,
    limit: u32,
    /// A std mutex: held to count and save, never across a call.
    used: Mutex<Used>,
}

impl Quota {
    /// The counter saved at `path`, or a fresh one; `limit` calls a day.
    pub fn open(path: PathBuf, limit: u32) -> Self {
        let today = OffsetDateTime::now_utc().to_offset(MOSCOW).date();
        let used = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice::<Used>(&bytes).unwrap_or_else(|err| {
                tracing::warn!(path = %path.display(), error = %err, "unreadable tracking quota counter; starting at 0");
                Used { day: today, calls: 0 }
            }),
            Err(_) => Used { day: today, calls: 0 },
        };
        if used.day == today {
            tracing::info!(calls = used.calls, limit, "Russian Post tracking calls made today");
        }
        Self { path, limit, used: Mutex::new(used) }
    }

    /// Calls made on the Moscow day of `now`, and the day's limit.
    pub fn used(&self, now: OffsetDateTime) -> (u32, u32) {
        let today = now.to_offset(MOSCOW).date();
        let used = self.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        (if used.day == today { used.calls } else { 0 }, self.limit)
    }

    /// Whether the day's calls at `now` are still in their first half, which following shipments may spend.
    pub fn spare(&self, now: OffsetDateTime) -> bool {
        let (spent, limit) = self.used(now);
        spent < limit / 2
    }

    /// Counts one call made `now`; refuses, with the seconds until the next Moscow day, once the day's
    /// calls are spent.
    pub fn take(&self, now: OffsetDateTime) -> Result<(), Error> {
        let moscow = now.to_offset(MOSCOW);
        let mut used = self.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if used.day != moscow.date() {
            *used = Used { day: moscow.date(), calls: 0 };
        }
        if used.calls >= self.limit {
            let midnight = moscow.date().next_day().map(|d| d.midnight().assume_offset(MOSCOW));
            let retry_after = midnight.map_or(3600, |m| (m - moscow).whole_seconds().max(1) as u64);
            return Err(Error::QuotaSpent {
                message: format!(
                    "Russian Post's tracking quota of {} requests for today is spent; try again in {} h",
                    self.limit,
                    retry_after.div_ceil(3600)
                ),
                retry_after,
            });
        }
        used.calls += 1;
        let bytes = serde_json::to_vec(&*used).unwrap_or_default();
        if let Err(err) = replace_file(&self.path, &bytes) {
            tracing::error!(path = %self.path.display(), error = %err, "could not save the tracking quota counter");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_limit_holds_across_a_restart_and_the_day_starts_at_moscow_midnight() {
        let dir = tempfile_dir();
        let path = dir.join("quota.json");
        let evening = datetime!(2026-11-22 20:00 UTC); // 23:00 in Moscow
        let quota = Quota::open(path.clone(), 3);
        assert!(quota.spare(evening));
        assert!(quota.take(evening).is_ok());
        assert!(quota.take(evening).is_ok());
        let reopened = Quota::open(path.clone(), 3);
        assert!(!reopened.spare(evening), "following shipments may spend only the first half");
        assert!(reopened.take(evening).is_ok(), "the third call of the day");
        match reopened.take(evening) {
            Err(Error::QuotaSpent { retry_after, .. }) => assert_eq!(retry_after, 3600),
            other => panic!("expected the quota to be spent, got {other:?}"),
        }
        // 21:00 UTC is midnight in Moscow: a new day.
        assert!(reopened.spare(datetime!(2026-11-22 21:00 UTC)), "a new day's calls are spare again");
        assert!(reopened.take(datetime!(2026-11-22 21:00 UTC)).is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pvz-quota-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
