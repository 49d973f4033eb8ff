//! What proxies on one database coordinate by: leases, so that one of them at a time does a piece of
//! background work (a carrier's sync) and another takes it over when the holder stops renewing it; the
//! carriers' point snapshots, which the one that syncs saves and every other serves; the carriers' tracking
//! answers, which any of them asks for and all reuse until they expire; and the secrets all of them must
//! hold alike.

use std::time::Duration;

use time::OffsetDateTime;

use super::Store;
use crate::Error;

fn millis(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

fn time(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Store {
    /// Takes or renews the lease `name` for `holder` until `ttl` from now, unless another holder's still
    /// runs; whether `holder` holds it.
    pub async fn lease(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool, Error> {
        let now = millis(OffsetDateTime::now_utc());
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, until_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = $2, until_ms = $3 \
             WHERE leases.until_ms < $4 OR leases.holder = $2",
        )
        .bind(name)
        .bind(holder)
        .bind(now + ttl.as_millis() as i64)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The secret `name` every proxy on the database holds: `mine` if none had been kept yet.
    pub async fn shared_secret(&self, name: &str, mine: &str) -> Result<String, Error> {
        sqlx::query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(mine)
            .execute(self.pool())
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1").bind(name).fetch_one(self.pool()).await?)
    }

    /// Gives the lease `name` back, if `holder` holds it.
    pub async fn release(&self, name: &str, holder: &str) -> Result<(), Error> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Saves `carrier`'s snapshot (its points as JSON), fetched at `saved_at`, over the one before.
    pub async fn save_snapshot(&self, carrier: &str, saved_at: OffsetDateTime, body: &str) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO snapshots (carrier, saved_at, body) VALUES ($1, $2, $3) \
             ON CONFLICT (carrier) DO UPDATE SET saved_at = $2, body = $3",
        )
        .bind(carrier)
        .bind(millis(saved_at))
        .bind(body)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// When `carrier`'s snapshot was fetched, if there is one.
    pub async fn snapshot_at(&self, carrier: &str) -> Result<Option<OffsetDateTime>, Error> {
        let at: Option<i64> = sqlx::query_scalar("SELECT saved_at FROM snapshots WHERE carrier = $1")
            .bind(carrier)
            .fetch_optional(self.pool())
            .await?;
        Ok(at.map(time))
    }

    /// `carrier`'s snapshot: its JSON.
    pub async fn snapshot(&self, carrier: &str) -> Result<Option<String>, Error> {
        Ok(sqlx::query_scalar("SELECT body FROM snapshots WHERE carrier = $1")
            .bind(carrier)
            .fetch_optional(self.pool())
            .await?)
    }
}

/// Of a hundred answers shared, one also clears the expired ones.
const PRUNE_ONE_IN: u32 = 100;

impl Store {
    /// The tracking answer (its JSON) some proxy kept for `number` of `carrier`, and how long it still
    /// holds; none when there is none or it has expired.
    pub async fn tracking_answer(&self, carrier: &str, number: &str) -> Result<Option<(String, Duration)>, Error> {
        let now = millis(OffsetDateTime::now_utc());
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT body, expires_ms FROM tracking_answers WHERE carrier = $1 AND number = $2 AND expires_ms > $3",
        )
        .bind(carrier)
        .bind(number)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(body, expires)| (body, Duration::from_millis(u64::try_from(expires - now).unwrap_or(0)))))
    }

    /// Keeps a tracking answer (JSON) for every proxy, for `ttl`.
    pub async fn keep_tracking_answer(
        &self,
        carrier: &str,
        number: &str,
        body: &str,
        ttl: Duration,
    ) -> Result<(), Error> {
        let now = millis(OffsetDateTime::now_utc());
        sqlx::query(
            "INSERT INTO tracking_answers (carrier, number, body, expires_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (carrier, number) DO UPDATE SET body = $3, expires_ms = $4",
        )
        .bind(carrier)
        .bind(number)
        .bind(body)
        .bind(now + ttl.as_millis() as i64)
        .execute(self.pool())
        .await?;
        if fastrand::u32(..PRUNE_ONE_IN) == 0 {
            sqlx::query("DELETE FROM tracking_answers WHERE expires_ms <= $1").bind(now).execute(self.pool()).await?;
        }
        Ok(())
    }
}
