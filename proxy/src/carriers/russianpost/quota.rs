//! The tracking service's daily quota (100 calls without a contract): a counter of today's calls in the
//! proxy's store, counted before each call is made, so that neither a burst of buyers, nor a restart, nor
//! several proxies on one database can exceed it. Russian Post's day is Moscow's; the counter starts again
//! at Moscow midnight. Following the shop's own shipments may spend only the first half of the day's calls:
//! the rest are the buyers'.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Deserialize;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::Error;
use crate::store::DayCounter;

/// Moscow: UTC+3 all year.
const MOSCOW: UtcOffset = match UtcOffset::from_hms(3, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The counter as a file of its own held it, before the store did.
#[derive(Debug, Deserialize)]
struct Saved {
    #[serde(with = "pvz_shared::dates::iso_date")]
    day: Date,
    calls: u32,
}

/// Whose call it is: a buyer's may spend the whole day's quota, following the shop's parcels its first half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    Buyers,
    Following,
}

pub struct Quota {
    counter: DayCounter,
    limit: u32,
    /// The day's calls as last counted here (by this proxy or, on a shared store, by all): for the health
    /// page and [`Quota::spare`], which cannot wait for the store. A std mutex, never held across a call.
    seen: Mutex<(Date, u32)>,
    /// A counter file an earlier version kept: its count is carried into the store once, then it goes.
    legacy: Mutex<Option<PathBuf>>,
}

impl Quota {
    /// `limit` calls a day, counted by `counter`; `legacy` is where an earlier version kept its count.
    pub fn new(counter: DayCounter, limit: u32, legacy: PathBuf) -> Self {
        let today = OffsetDateTime::now_utc().to_offset(MOSCOW).date();
        Self { counter, limit, seen: Mutex::new((today, 0)), legacy: Mutex::new(Some(legacy)) }
    }

    /// Calls made on the Moscow day of `now`, as last counted, and the day's limit.
    pub fn used(&self, now: OffsetDateTime) -> (u32, u32) {
        let today = now.to_offset(MOSCOW).date();
        let (day, calls) = *self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        (if day == today { calls } else { 0 }, self.limit)
    }

    /// Whether the day's calls at `now` are still in their first half, which following shipments may spend.
    pub fn spare(&self, now: OffsetDateTime) -> bool {
        let (spent, limit) = self.used(now);
        spent < limit / 2
    }

    /// Counts one call made `now`; refuses, with the seconds until the next Moscow day, once the day's
    /// calls are spent (for following, once its half is).
    pub async fn take(&self, now: OffsetDateTime, share: Share) -> Result<(), Error> {
        self.carry_over().await;
        let moscow = now.to_offset(MOSCOW);
        let limit = match share {
            Share::Buyers => self.limit,
            Share::Following => self.limit / 2,
        };
        let taken = self.counter.take(moscow.date(), limit).await?;
        if let Some(taken) = taken {
            *self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = (moscow.date(), taken);
            return Ok(());
        }
        if share == Share::Following {
            let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *seen = (moscow.date(), seen.1.max(limit));
            return Err(Error::QuotaSpent {
                message: "following the shop's parcels has spent its half of today's tracking quota".into(),
                retry_after: 3600,
            });
        }
        *self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = (moscow.date(), self.limit);
        let midnight = moscow.date().next_day().map(|d| d.midnight().assume_offset(MOSCOW));
        let retry_after = midnight.map_or(3600, |m| (m - moscow).whole_seconds().max(1) as u64);
        Err(Error::QuotaSpent {
            message: format!(
                "Russian Post's tracking quota of {} requests for today is spent; try again in {} h",
                self.limit,
                retry_after.div_ceil(3600)
            ),
            retry_after,
        })
    }

    /// The legacy file's count, into the store, once.
    async fn carry_over(&self) {
        let Some(path) = self.legacy.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() else { return };
        let Some(saved) = std::fs::read(&path).ok().and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok())
        else {
            return;
        };
        match self.counter.at_least(saved.day, saved.calls).await {
            Ok(()) => {
                let _ = std::fs::remove_file(&path);
            }
            Err(err) => tracing::error!(error = %err, "could not carry the tracking quota's count into the store"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use time::macros::datetime;

    #[tokio::test]
    async fn the_limit_holds_across_a_restart_and_the_day_starts_at_moscow_midnight() {
        let dir = std::env::temp_dir().join(format!("pvz-quota-{}-{}", std::process::id(), fastrand::u64(..)));
        let store = Store::open(None, &dir).await.unwrap();
        let legacy = dir.join("quota.json");
        // An earlier version counted one call of this evening in its own file.
        std::fs::write(&legacy, r#"{"day": "2026-11-22", "calls": 1}"#).unwrap();
        let evening = datetime!(2026-11-22 20:00 UTC); // 23:00 in Moscow
        let quota = Quota::new(store.day_counter("post"), 3, legacy.clone());
        assert!(quota.spare(evening));
        assert!(quota.take(evening, Share::Buyers).await.is_ok());
        assert!(!legacy.exists(), "its count carried over, the file gone");
        assert_eq!(quota.used(evening), (2, 3));
        let reopened = Quota::new(Store::open(None, &dir).await.unwrap().day_counter("post"), 3, legacy);
        assert!(reopened.take(evening, Share::Buyers).await.is_ok(), "the third call of the day");
        assert!(!reopened.spare(evening), "following shipments may spend only the first half");
        match reopened.take(evening, Share::Buyers).await {
            Err(Error::QuotaSpent { retry_after, .. }) => assert_eq!(retry_after, 3600),
            other => panic!("expected the quota to be spent, got {other:?}"),
        }
        // 21:00 UTC is midnight in Moscow: a new day.
        assert!(reopened.spare(datetime!(2026-11-22 21:00 UTC)), "a new day's calls are spare again");
        assert!(reopened.take(datetime!(2026-11-22 21:00 UTC), Share::Buyers).await.is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_hundred_concurrent_takes_count_exactly_to_the_limit_and_following_to_its_half() {
        let dir = std::env::temp_dir().join(format!("pvz-quota-{}-{}", std::process::id(), fastrand::u64(..)));
        let store = Store::open(None, &dir).await.unwrap();
        let quota = std::sync::Arc::new(Quota::new(store.day_counter("post"), 40, dir.join("none.json")));
        let mut takes = tokio::task::JoinSet::new();
        for _ in 0..100 {
            let quota = std::sync::Arc::clone(&quota);
            let share = if takes.len() % 2 == 0 { Share::Buyers } else { Share::Following };
            takes.spawn(async move { (share, quota.take(OffsetDateTime::now_utc(), share).await.is_ok()) });
        }
        let granted = takes.join_all().await;
        let following = granted.iter().filter(|(share, ok)| *ok && *share == Share::Following).count();
        assert_eq!(granted.iter().filter(|(_, ok)| *ok).count(), 40, "the day's limit, exactly");
        assert!(following <= 20, "following never past its half: {following}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
