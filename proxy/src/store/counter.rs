//! A counter of uses a day in the store: taken atomically in one statement (an upsert that adds one only
//! while under the limit), so that concurrent requests and several proxies never count past it.

use sqlx::AnyPool;
use time::Date;

use crate::Error;

#[derive(Clone)]
pub struct DayCounter {
    pool: AnyPool,
    name: String,
}

impl DayCounter {
    pub(super) fn new(pool: AnyPool, name: &str) -> Self {
        Self { pool, name: name.to_string() }
    }

    /// Counts one use on `day` unless `limit` are counted already: the uses counted with it, or `None`.
    pub async fn take(&self, day: Date, limit: u32) -> Result<Option<u32>, Error> {
        let used: Option<i64> = sqlx::query_scalar(
            "INSERT INTO day_counters (name, day, used) VALUES ($1, $2, 1) \
             ON CONFLICT (name, day) DO UPDATE SET used = day_counters.used + 1 WHERE day_counters.used < $3 \
             RETURNING used",
        )
        .bind(&self.name)
        .bind(day.to_string())
        .bind(i64::from(limit))
        .fetch_optional(&self.pool)
        .await?;
        Ok(used.filter(|u| *u <= i64::from(limit)).map(|u| u32::try_from(u).unwrap_or(u32::MAX)))
    }

    /// Uses counted on `day`.
    pub async fn used(&self, day: Date) -> Result<u32, Error> {
        let used: Option<i64> = sqlx::query_scalar("SELECT used FROM day_counters WHERE name = $1 AND day = $2")
            .bind(&self.name)
            .bind(day.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(used.map_or(0, |u| u32::try_from(u).unwrap_or(u32::MAX)))
    }

    /// At least `used` uses on `day`: what a counter kept elsewhere before had counted.
    pub async fn at_least(&self, day: Date, used: u32) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO day_counters (name, day, used) VALUES ($1, $2, $3) \
             ON CONFLICT (name, day) DO UPDATE SET used = $3 WHERE day_counters.used < $3",
        )
        .bind(&self.name)
        .bind(day.to_string())
        .bind(i64::from(used))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
