//! The proxy's database: SQLite of its own by default (`shipments.db` in `data_dir`: nothing to install,
//! durable across a crash with WAL; a transaction committed is kept when the process is killed), or the
//! PostgreSQL of `database_url`, which several proxies share. It holds the shipments ledger, the daily
//! counters of calls the carriers limit, and what proxies sharing it coordinate by. Its migrations are in
//! `proxy/migrations`, applied at start (PostgreSQL's under an advisory lock, so proxies starting together
//! migrate once).

mod counter;
mod fleet;

use std::borrow::Cow;
use std::path::Path;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

pub use counter::DayCounter;

use crate::Error;

/// The migrations, oldest first, inside the binary.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "shipments", include_str!("../../migrations/0001_shipments.sql")),
    (2, "outbox", include_str!("../../migrations/0002_outbox.sql")),
    (3, "carrier_ref", include_str!("../../migrations/0003_carrier_ref.sql")),
    (4, "desk", include_str!("../../migrations/0004_desk.sql")),
    (5, "courier_requests", include_str!("../../migrations/0005_courier_requests.sql")),
    (6, "day_counters", include_str!("../../migrations/0006_day_counters.sql")),
    (7, "fleet", include_str!("../../migrations/0007_fleet.sql")),
    (8, "secrets", include_str!("../../migrations/0008_secrets.sql")),
];

#[derive(Debug)]
struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> futures_util::future::BoxFuture<'static, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        let migrations = MIGRATIONS
            .iter()
            .map(|(version, name, sql)| {
                Migration::new(*version, Cow::Borrowed(name), MigrationType::Simple, Cow::Borrowed(sql), false)
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

/// SQLite on every connection: writers queue 30 s for its one write lock before a request fails, and a
/// commit is durable once in the WAL.
const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000";
/// Connections: SQLite writes one at a time, reads go beside them; PostgreSQL's are each proxy's share.
const CONNECTIONS: u32 = 8;

/// Which database it is: the SQL differs only in how a row is locked for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens PostgreSQL's at `database_url`, or SQLite's in `dir` (created when missing), and brings its
    /// tables up to date.
    pub async fn open(database_url: Option<&str>, dir: &Path) -> Result<Self, Error> {
        sqlx::any::install_default_drivers();
        let (url, backend) = match database_url {
            Some(url) => (url.to_string(), Backend::Postgres),
            None => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::Internal(format!("cannot create the data directory {}: {e}", dir.display())))?;
                let path = dir.join("shipments.db").display().to_string();
                // The file's name as a URL path: the characters a URL gives a meaning escaped.
                let path = path.replace('%', "%25").replace('?', "%3F").replace('#', "%23");
                (format!("sqlite://{path}?mode=rwc"), Backend::Sqlite)
            }
        };
        let pool = AnyPoolOptions::new()
            .max_connections(CONNECTIONS)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| Error::Internal(format!("cannot open the database: {e}")))?;
        Migrator::new(Embedded)
            .await
            .map_err(|e| Error::Internal(format!("database migrations: {e}")))?
            .run(&pool)
            .await
            .map_err(|e| Error::Internal(format!("database migrations: {e}")))?;
        Ok(Self { pool, backend })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether other proxies may share it: PostgreSQL's is meant to be shared, SQLite's is one proxy's.
    pub fn is_shared(&self) -> bool {
        self.backend == Backend::Postgres
    }

    /// The counter `name` of uses a day, shared by every proxy on this database.
    pub fn day_counter(&self, name: &str) -> DayCounter {
        DayCounter::new(self.pool.clone(), name)
    }
}
