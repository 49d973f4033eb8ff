//! The shipments ledger, in the proxy's [`Store`]: SQLite of its own, or PostgreSQL that several proxies
//! share. Its SQL keeps to what both read the same way.
//!
//! A task that works on a shipment (registering it, asking about it) or on an event of the outbox first
//! takes its lease, so the request that created it, the background checks and the other proxies never call
//! its carrier, or deliver the event, at the same time.

use std::time::Duration;

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};
use time::OffsetDateTime;

use super::model::{
    CarrierError, Cost, CourierCall, CourierRecord, CourierRequest, HistoryEntry, Shipment, ShipmentRequest, State,
};
use crate::Error;
use crate::carriers::shipper::Report;
use crate::store::{Backend, Store};

/// Unix milliseconds.
pub fn millis(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

fn rfc3339(ms: i64) -> String {
    let at =
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    pvz_shared::dates::format_time(at)
}

/// A shipment row with what only the proxy needs.
#[derive(Debug, Clone)]
pub struct Stored {
    pub shipment: Shipment,
    pub request_hash: String,
    pub request: ShipmentRequest,
    pub attempts: i64,
    pub failures: i64,
}

/// A new shipment, as the API accepted it.
pub struct New<'a> {
    pub id: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub request: &'a ShipmentRequest,
    pub carrier: &'a str,
    pub quoted: u64,
    /// The creating request holds the lease this long.
    pub lease: Duration,
}

/// What [`Ledger::insert`] found.
pub enum Inserted {
    New,
    /// The key was used before: that shipment.
    Again(Box<Stored>),
    /// Another live shipment has this order at this carrier: its id.
    OrderTaken(String),
}

/// What to list.
#[derive(Debug, Default)]
pub struct Filter {
    pub order_number: Option<String>,
    /// The shop's order number or the carrier's track number.
    pub number: Option<String>,
    pub state: Option<State>,
    pub carrier: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only those created before this (created_at, id), newest first.
    pub before: Option<(i64, String)>,
    pub limit: u32,
}

pub struct Ledger {
    pool: AnyPool,
    backend: Backend,
    /// Whether state changes are written to the outbox for the shop's webhook.
    events: bool,
}

/// An event of the outbox, due for delivery.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: String,
    pub body: String,
    pub attempts: i64,
    pub created_at: i64,
}

/// A value of a query built from the conditions given.
enum Bind<'a> {
    Text(&'a str),
    Number(i64),
}

/// A built query's values, bound in the order their placeholders were written.
#[derive(Default)]
struct Binds<'a>(Vec<Bind<'a>>);

impl<'a> Binds<'a> {
    /// `value`'s placeholder: `$1`, `$2`… as PostgreSQL numbers them (SQLite reads them the same).
    fn add(&mut self, value: Bind<'a>) -> String {
        self.0.push(value);
        format!("${}", self.0.len())
    }

    fn bound(
        self,
        query: sqlx::query::Query<'a, Any, sqlx::any::AnyArguments<'a>>,
    ) -> sqlx::query::Query<'a, Any, sqlx::any::AnyArguments<'a>> {
        self.0.into_iter().fold(query, |query, value| match value {
            Bind::Text(text) => query.bind(text),
            Bind::Number(number) => query.bind(number),
        })
    }
}

const COLUMNS: &str = "id, order_number, carrier, point_id, state, carrier_ref, track_number, cost_quoted, \
    cost_final, errors, created_at, updated_at, request_hash, request, attempts, failures";

impl Ledger {
    /// The ledger in `store`. A SQLite ledger is one process's, so leases an earlier run held end now;
    /// PostgreSQL's are shared, and each runs out in its time.
    pub async fn open(store: &Store, events: bool) -> Result<Self, Error> {
        let pool = store.pool().clone();
        if store.backend() == Backend::Sqlite {
            sqlx::query("UPDATE shipments SET lease_until = 0 WHERE lease_until > 0").execute(&pool).await?;
            sqlx::query("UPDATE outbox SET lease_until = 0 WHERE lease_until > 0").execute(&pool).await?;
        }
        Ok(Self { pool, backend: store.backend(), events })
    }

    /// A transaction that changes shipment `id` alone among the writers: SQLite takes its write lock at
    /// once, PostgreSQL locks the shipment's row.
    async fn changing(&self, id: &str) -> Result<Transaction<'static, Any>, Error> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT id FROM shipments WHERE id = $1 FOR UPDATE").bind(id).execute(&mut *tx).await?;
                Ok(tx)
            }
        }
    }

    /// Writes a new pending shipment, leased to the caller, unless its key or its order is taken.
    pub async fn insert(&self, new: New<'_>) -> Result<Inserted, Error> {
        let now = millis(OffsetDateTime::now_utc());
        let request =
            serde_json::to_string(new.request).map_err(|e| Error::Internal(format!("request as JSON: {e}")))?;
        let done = sqlx::query(
            "INSERT INTO shipments (id, idempotency_key, request_hash, request, order_number, carrier, point_id, \
             state, cost_quoted, next_check_at, lease_until, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, $9, $9) ON CONFLICT DO NOTHING",
        )
        .bind(new.id)
        .bind(new.key)
        .bind(new.request_hash)
        .bind(request)
        .bind(&new.request.order_number)
        .bind(new.carrier)
        .bind(&new.request.point_id)
        .bind(i64::try_from(new.quoted).unwrap_or(i64::MAX))
        .bind(now)
        .bind(now + new.lease.as_millis() as i64)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(Inserted::New);
        }
        if let Some(stored) = self.by_key(new.key).await? {
            return Ok(Inserted::Again(Box::new(stored)));
        }
        let taken: Option<String> = sqlx::query_scalar(
            "SELECT id FROM shipments WHERE carrier = $1 AND order_number = $2 \
             AND state NOT IN ('rejected', 'cancelled')",
        )
        .bind(new.carrier)
        .bind(&new.request.order_number)
        .fetch_optional(&self.pool)
        .await?;
        match taken {
            Some(id) => Ok(Inserted::OrderTaken(id)),
            None => Err(Error::Internal("a shipment insert conflicted with nothing".into())),
        }
    }

    /// The shipment made under an idempotency key.
    pub async fn by_key(&self, key: &str) -> Result<Option<Stored>, Error> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM shipments WHERE idempotency_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        match id {
            Some(id) => self.get(&id).await,
            None => Ok(None),
        }
    }

    pub async fn get(&self, id: &str) -> Result<Option<Stored>, Error> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM shipments WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(row) => Ok(Some(stored(&mut conn, &row).await?)),
            None => Ok(None),
        }
    }

    /// Newest first.
    pub async fn list(&self, filter: &Filter) -> Result<Vec<Shipment>, Error> {
        // Only the conditions given: the planner then picks the index that fits them (an order or track
        // number is found among a hundred thousand at once, not by reading them all newest first).
        let mut binds = Binds::default();
        let mut sql = format!("SELECT {COLUMNS} FROM shipments WHERE 1 = 1");
        if let Some(number) = &filter.order_number {
            sql += &format!(" AND order_number = {}", binds.add(Bind::Text(number)));
        }
        if let Some(number) = &filter.number {
            let number = binds.add(Bind::Text(number));
            sql += &format!(" AND (order_number = {number} OR track_number = {number})");
        }
        if let Some(state) = filter.state {
            sql += &format!(" AND state = {}", binds.add(Bind::Text(state.as_str())));
        }
        if let Some(carrier) = &filter.carrier {
            sql += &format!(" AND carrier = {}", binds.add(Bind::Text(carrier)));
        }
        if let Some(from) = filter.from_ms {
            sql += &format!(" AND created_at >= {}", binds.add(Bind::Number(from)));
        }
        if let Some(to) = filter.to_ms {
            sql += &format!(" AND created_at < {}", binds.add(Bind::Number(to)));
        }
        if let Some((at, id)) = &filter.before {
            let (at, id) = (binds.add(Bind::Number(*at)), binds.add(Bind::Text(id)));
            sql += &format!(" AND (created_at < {at} OR (created_at = {at} AND id < {id}))");
        }
        sql +=
            &format!(" ORDER BY created_at DESC, id DESC LIMIT {}", binds.add(Bind::Number(i64::from(filter.limit))));
        let mut conn = self.pool.acquire().await?;
        let rows = binds.bound(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
        let mut shipments = Vec::with_capacity(rows.len());
        for row in &rows {
            shipments.push(stored(&mut conn, row).await?.shipment);
        }
        Ok(shipments)
    }

    /// Takes the shipment's lease for `lease` unless another task holds it.
    pub async fn claim(&self, id: &str, lease: Duration) -> Result<bool, Error> {
        self.lease(id, lease, "").await
    }

    /// Takes the lease of a shipment [`Ledger::due`] listed, if it is still due: another task (or proxy)
    /// may have asked about it and given the lease back since.
    pub async fn claim_due(&self, id: &str, lease: Duration) -> Result<bool, Error> {
        self.lease(id, lease, " AND next_check_at <= $3").await
    }

    async fn lease(&self, id: &str, lease: Duration, also: &str) -> Result<bool, Error> {
        let now = millis(OffsetDateTime::now_utc());
        let sql = format!("UPDATE shipments SET lease_until = $1 WHERE id = $2 AND lease_until <= $3{also}");
        let done =
            sqlx::query(&sql).bind(now + lease.as_millis() as i64).bind(id).bind(now).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts a registration about to be sent: durable before the carrier hears of it.
    pub async fn attempt(&self, id: &str) -> Result<(), Error> {
        sqlx::query("UPDATE shipments SET attempts = attempts + 1 WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Has the carrier's shipment `carrier_ref` asked about at once, unless nothing more will happen to it;
    /// whether there is such a shipment.
    pub async fn due_now(&self, carrier: &str, carrier_ref: &str) -> Result<bool, Error> {
        let now = millis(OffsetDateTime::now_utc());
        let done = sqlx::query(
            "UPDATE shipments SET next_check_at = $1 WHERE carrier = $2 AND carrier_ref = $3 AND next_check_at IS NOT NULL",
        )
        .bind(now)
        .bind(carrier)
        .bind(carrier_ref)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The carrier's registered shipments that have no number yet, for the day's batch: (id, carrier_ref).
    pub async fn awaiting_dispatch(&self, carrier: &str) -> Result<Vec<(String, String)>, Error> {
        let rows = sqlx::query(
            "SELECT id, carrier_ref FROM shipments WHERE carrier = $1 AND state = 'registered' \
             AND track_number IS NULL AND carrier_ref IS NOT NULL ORDER BY created_at",
        )
        .bind(carrier)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get("id"), r.get("carrier_ref"))).collect())
    }

    /// Gives the lease back, nothing changed.
    pub async fn release(&self, id: &str) -> Result<(), Error> {
        sqlx::query("UPDATE shipments SET lease_until = 0 WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Shipments whose carrier is due to be asked, not leased.
    pub async fn due(&self, limit: u32) -> Result<Vec<String>, Error> {
        let now = millis(OffsetDateTime::now_utc());
        Ok(sqlx::query_scalar(
            "SELECT id FROM shipments WHERE next_check_at <= $1 AND lease_until <= $1 ORDER BY next_check_at LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The earliest time any shipment is due, if one is.
    pub async fn next_due(&self) -> Result<Option<i64>, Error> {
        Ok(sqlx::query_scalar("SELECT MIN(next_check_at) FROM shipments").fetch_one(&self.pool).await?)
    }

    /// A failed call: asked again after `retry`, the lease given back.
    pub async fn failed(&self, id: &str, retry: Duration) -> Result<(), Error> {
        let now = millis(OffsetDateTime::now_utc());
        sqlx::query(
            "UPDATE shipments SET failures = failures + 1, next_check_at = $1, lease_until = 0, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(now + retry.as_millis() as i64)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sends a rejected shipment again with the shop's corrections: back to `pending`, without a carrier
    /// reference or errors, its registrations counted from nought. `Some(id)` instead when the order has
    /// another live shipment at the carrier meanwhile; a conflict when it is no longer rejected.
    pub async fn resend(&self, id: &str, request: &ShipmentRequest) -> Result<Option<String>, Error> {
        let now = millis(OffsetDateTime::now_utc());
        let text = serde_json::to_string(request).map_err(|e| Error::Internal(format!("request as JSON: {e}")))?;
        let mut tx = self.changing(id).await?;
        let taken: Option<String> = sqlx::query_scalar(
            "SELECT id FROM shipments WHERE carrier = (SELECT carrier FROM shipments WHERE id = $1) \
             AND order_number = $2 AND state NOT IN ('rejected', 'cancelled') AND id <> $1",
        )
        .bind(id)
        .bind(&request.order_number)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Ok(taken);
        }
        let done = sqlx::query(
            "UPDATE shipments SET request = $1, point_id = $2, state = 'pending', carrier_ref = NULL, \
             track_number = NULL, errors = '[]', attempts = 0, failures = 0, next_check_at = $3, lease_until = 0, \
             updated_at = $3 WHERE id = $4 AND state = 'rejected'",
        )
        .bind(text)
        .bind(&request.point_id)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Conflict(format!("shipment {id} is no longer rejected: nothing to send again")));
        }
        note(&mut tx, id, State::Pending, "Отправлен снова магазином", now).await?;
        self.event(&mut tx, id, State::Rejected, now).await?;
        tx.commit().await?;
        Ok(None)
    }

    /// Keeps a courier request the carrier took, as soon as it took it.
    pub async fn courier_requested(&self, call: &CourierCall, request: &CourierRequest) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO courier_requests (shipment_id, carrier, carrier_ref, date, time_from, time_to, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&request.shipment_id)
        .bind(&call.carrier)
        .bind(&request.carrier_ref)
        .bind(&call.date)
        .bind(&call.time_from)
        .bind(&call.time_to)
        .bind(millis(OffsetDateTime::now_utc()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest courier requests, newest first.
    pub async fn courier_requests(&self, limit: u32) -> Result<Vec<CourierRecord>, Error> {
        let rows = sqlx::query(
            "SELECT r.shipment_id, s.order_number, r.carrier, r.carrier_ref, r.date, r.time_from, r.time_to, \
             r.created_at FROM courier_requests r JOIN shipments s ON s.id = r.shipment_id \
             ORDER BY r.created_at DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| CourierRecord {
                shipment_id: row.get(0),
                order_number: row.get(1),
                carrier: row.get(2),
                carrier_ref: row.get(3),
                date: row.get(4),
                time_from: row.get(5),
                time_to: row.get(6),
                asked_at: rfc3339(row.get(7)),
            })
            .collect())
    }

    /// The shop's webhook events that failed at least once and still wait, and those given up on.
    pub async fn undelivered(&self) -> Result<(i64, i64), Error> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN next_attempt_at IS NOT NULL AND attempts > 0 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN next_attempt_at IS NULL AND delivered_at IS NULL THEN 1 ELSE 0 END), 0) \
             FROM outbox",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.get(0), row.get(1)))
    }

    /// Marks the shipment cancelled at the carrier: nothing more is asked about it.
    pub async fn cancelled(&self, id: &str) -> Result<(), Error> {
        let now = millis(OffsetDateTime::now_utc());
        let mut tx = self.changing(id).await?;
        note(&mut tx, id, State::Cancelled, "Отменён магазином", now).await?;
        let before: String =
            sqlx::query_scalar("SELECT state FROM shipments WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        sqlx::query(
            "UPDATE shipments SET state = 'cancelled', next_check_at = NULL, lease_until = 0, updated_at = $1 \
             WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        self.event(&mut tx, id, State::parse(&before).unwrap_or(State::Pending), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes what the carrier said: the state it implies, its references, its new events; gives the lease
    /// back and sets when to ask next (`None`: never again). The state before and after.
    pub async fn apply(
        &self,
        id: &str,
        report: &Report,
        next: impl Fn(State) -> Option<Duration>,
    ) -> Result<(State, State), Error> {
        let now = millis(OffsetDateTime::now_utc());
        let mut tx = self.changing(id).await?;
        let before: String =
            sqlx::query_scalar("SELECT state FROM shipments WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        let before = State::parse(&before).unwrap_or(State::Pending);
        let known = history(&mut tx, id).await?;
        let mut state = State::Registered;
        let mut seq = known.len() as i64;
        for event in &report.events {
            let at = pvz_shared::dates::format_time(event.at);
            if let Some(moved) = event.state {
                state = moved;
            }
            if known.iter().any(|h| h.at == at && h.carrier_code == event.code) {
                continue;
            }
            sqlx::query(
                "INSERT INTO shipment_history (shipment_id, seq, at, state, carrier_code, text, city) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(seq)
            .bind(&at)
            .bind(state.as_str())
            .bind(&event.code)
            .bind(&event.text)
            .bind(&event.city)
            .execute(&mut *tx)
            .await?;
            seq += 1;
        }
        let after = match report.state {
            _ if before == State::Cancelled => State::Cancelled,
            Some(said) => said,
            None if report.events.is_empty() => before.max_registered(),
            None => state,
        };
        let errors = serde_json::to_string(&report.errors).unwrap_or_else(|_| "[]".into());
        let next_check = next(after).map(|d| now + d.as_millis() as i64);
        sqlx::query(
            "UPDATE shipments SET state = $1, carrier_ref = COALESCE($2, carrier_ref), \
             track_number = COALESCE($3, track_number), errors = $4, cost_final = COALESCE($5, cost_final), \
             failures = 0, next_check_at = $6, lease_until = 0, updated_at = $7 WHERE id = $8",
        )
        .bind(after.as_str())
        .bind(report.carrier_ref.as_deref())
        .bind(report.track_number.as_deref())
        .bind(errors)
        .bind(report.final_cost.map(|c| i64::try_from(c).unwrap_or(i64::MAX)))
        .bind(next_check)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if before != after {
            self.event(&mut tx, id, before, now).await?;
        }
        tx.commit().await?;
        Ok((before, after))
    }

    /// Writes the shop's event for a state change, in the transaction that made it.
    async fn event(&self, conn: &mut AnyConnection, id: &str, before: State, now: i64) -> Result<(), Error> {
        if !self.events {
            return Ok(());
        }
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM shipments WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        let shipment = stored(conn, &row).await?.shipment;
        let event_id = format!("evt_{:016x}", fastrand::u64(..));
        let body = serde_json::json!({
            "id": event_id,
            "type": "shipment.state_changed",
            "created_at": rfc3339(now),
            "previous_state": before,
            "shipment": shipment,
        });
        sqlx::query(
            "INSERT INTO outbox (id, shipment_id, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(&event_id)
        .bind(id)
        .bind(body.to_string())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Events due for delivery, oldest first, each leased for `lease`.
    pub async fn events_due(&self, limit: u32, lease: Duration) -> Result<Vec<Due>, Error> {
        let now = millis(OffsetDateTime::now_utc());
        let rows = sqlx::query(
            "SELECT id, body, attempts, created_at FROM outbox WHERE next_attempt_at <= $1 AND lease_until <= $1 \
             ORDER BY created_at, id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut due = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.get("id");
            // Still due: another proxy may have delivered it, and given its lease back, since the select.
            let claimed = sqlx::query(
                "UPDATE outbox SET lease_until = $1 WHERE id = $2 AND lease_until <= $3 AND next_attempt_at <= $3",
            )
            .bind(now + lease.as_millis() as i64)
            .bind(&id)
            .bind(now)
            .execute(&self.pool)
            .await?;
            if claimed.rows_affected() == 1 {
                due.push(Due {
                    id,
                    body: row.get("body"),
                    attempts: row.get("attempts"),
                    created_at: row.get("created_at"),
                });
            }
        }
        Ok(due)
    }

    /// The shop took the event.
    pub async fn event_delivered(&self, id: &str) -> Result<(), Error> {
        let now = millis(OffsetDateTime::now_utc());
        sqlx::query(
            "UPDATE outbox SET delivered_at = $1, next_attempt_at = NULL, lease_until = 0, attempts = attempts + 1 \
             WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets events delivered or given up longer than `keep` ago: the outbox holds what is still owed
    /// and a week of what was done. How many went.
    pub async fn prune_events(&self, keep: Duration) -> Result<u64, Error> {
        let before = millis(OffsetDateTime::now_utc()) - keep.as_millis() as i64;
        let done = sqlx::query("DELETE FROM outbox WHERE next_attempt_at IS NULL AND created_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The shop did not take the event: tried again after `retry`, or never again when `None`.
    pub async fn event_failed(&self, id: &str, error: &str, retry: Option<Duration>) -> Result<(), Error> {
        let now = millis(OffsetDateTime::now_utc());
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, lease_until = 0 \
             WHERE id = $3",
        )
        .bind(error)
        .bind(retry.map(|r| now + r.as_millis() as i64))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

impl State {
    /// A shipment the carrier has confirmed without reporting any status yet: registered.
    fn max_registered(self) -> Self {
        if self == Self::Pending { Self::Registered } else { self }
    }
}

async fn history(conn: &mut AnyConnection, id: &str) -> Result<Vec<HistoryEntry>, Error> {
    let rows = sqlx::query(
        "SELECT at, state, carrier_code, text, city FROM shipment_history WHERE shipment_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| HistoryEntry {
            at: r.get("at"),
            state: State::parse(r.get("state")).unwrap_or(State::Pending),
            carrier_code: r.get("carrier_code"),
            text: r.get("text"),
            city: r.get("city"),
        })
        .collect())
}

/// Writes what the shop did to a shipment into its history, after what its carrier said.
async fn note(conn: &mut AnyConnection, id: &str, state: State, text: &str, now: i64) -> Result<(), Error> {
    let seq: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shipment_history WHERE shipment_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO shipment_history (shipment_id, seq, at, state, carrier_code, text, city) \
         VALUES ($1, $2, $3, $4, '', $5, '')",
    )
    .bind(id)
    .bind(seq)
    .bind(rfc3339(now))
    .bind(state.as_str())
    .bind(text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn stored(conn: &mut AnyConnection, row: &AnyRow) -> Result<Stored, Error> {
    let id: String = row.get("id");
    let history = history(conn, &id).await?;
    let request: String = row.get("request");
    let request: ShipmentRequest =
        serde_json::from_str(&request).map_err(|e| Error::Internal(format!("shipment {id}: its request: {e}")))?;
    let errors: String = row.get("errors");
    let state: String = row.get("state");
    Ok(Stored {
        shipment: Shipment {
            order_number: row.get("order_number"),
            carrier: row.get("carrier"),
            point_id: row.get("point_id"),
            state: State::parse(&state).ok_or_else(|| Error::Internal(format!("shipment {id}: state {state:?}")))?,
            carrier_ref: row.get("carrier_ref"),
            track_number: row.get("track_number"),
            cost: Cost {
                quoted: u64::try_from(row.get::<i64, _>("cost_quoted")).unwrap_or_default(),
                billed: row.get::<Option<i64>, _>("cost_final").and_then(|c| u64::try_from(c).ok()),
            },
            errors: serde_json::from_str::<Vec<CarrierError>>(&errors).unwrap_or_default(),
            history,
            label_ready: false,
            recipient: request.recipient.clone(),
            address: request.door.as_ref().map(|d| d.address.clone()),
            created_at: rfc3339(row.get("created_at")),
            created_ms: row.get("created_at"),
            updated_at: rfc3339(row.get("updated_at")),
            id,
        },
        request_hash: row.get("request_hash"),
        request,
        attempts: row.get("attempts"),
        failures: row.get("failures"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::shipper::Recipient;

    fn request(number: &str) -> ShipmentRequest {
        ShipmentRequest {
            door: None,
            order_number: number.into(),
            point_id: "demo-express:1".into(),
            parcel: pvz_shared::Parcel { weight_g: 1000, ..Default::default() },
            recipient: Recipient {
                name: "Покупатель".into(), phone: "+79123456789".into(), email: String::new()
            },
            items: Vec::new(),
            comment: String::new(),
        }
    }

    #[tokio::test]
    async fn the_outbox_forgets_only_what_was_delivered_and_is_old() {
        let dir = std::env::temp_dir().join(format!("pvz-ledger-{}", fastrand::u64(..)));
        let ledger = Ledger::open(&Store::open(None, &dir).await.unwrap(), true).await.unwrap();
        for (id, number) in [("shp_a", "1"), ("shp_b", "2")] {
            let request = request(number);
            let new = New {
                id,
                key: number,
                request_hash: "h",
                request: &request,
                carrier: "demo-express",
                quoted: 100,
                lease: Duration::ZERO,
            };
            assert!(matches!(ledger.insert(new).await.unwrap(), Inserted::New));
            let (before, after) = ledger.apply(id, &Report::default(), |_| None).await.unwrap();
            assert_eq!((before, after), (State::Pending, State::Registered), "a change: one event");
        }
        let due = ledger.events_due(10, Duration::from_secs(60)).await.unwrap();
        assert_eq!(due.len(), 2);
        ledger.event_delivered(&due[0].id).await.unwrap();
        assert_eq!(ledger.prune_events(Duration::from_secs(3600)).await.unwrap(), 0, "kept a while");
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(ledger.prune_events(Duration::ZERO).await.unwrap(), 1, "the delivered one goes");
        ledger.event_failed(&due[1].id, "HTTP 503", Some(Duration::ZERO)).await.unwrap();
        assert_eq!(ledger.prune_events(Duration::ZERO).await.unwrap(), 0, "what is still owed stays");
        assert_eq!(ledger.events_due(10, Duration::from_secs(60)).await.unwrap().len(), 1);
        let _ = std::fs::remove_dir_all(dir);
    }
}
