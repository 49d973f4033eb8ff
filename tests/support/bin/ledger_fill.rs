//! `ledger-fill <data_dir> <count>`: a shipments ledger holding `count` shipments of the demo carriers,
//! created over the past year and spread over every state, for measuring the desk and the shipments list
//! at a busy shop's volume. The schema is the proxy's own (its migrations run first); the rows are written
//! in one transaction, none due for a check, so a proxy started on them asks no carrier about them.

use std::time::{SystemTime, UNIX_EPOCH};

use pvz_proxy::store::Store;
use serde_json::json;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

/// States in the proportions a shop's year has them: most delivered, a few in each other state.
const STATES: [(&str, u32); 9] = [
    ("delivered", 70),
    ("in_transit", 8),
    ("ready_for_pickup", 5),
    ("registered", 5),
    ("cancelled", 4),
    ("returned", 3),
    ("returning", 2),
    ("rejected", 2),
    ("pending", 1),
];
const BUYERS: [&str; 6] =
    ["Иванова Мария", "Петров Алексей", "Сидорова Анна", "Кузнецов Иван", "Смирнова Ольга", "Попов Денис"];
const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;

fn state_of(n: usize) -> &'static str {
    let total: u32 = STATES.iter().map(|(_, w)| w).sum();
    let mut pick = (n as u32).wrapping_mul(2_654_435_761) % total;
    for (state, weight) in STATES {
        if pick < weight {
            return state;
        }
        pick -= weight;
    }
    "delivered"
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (args.next(), args.next().and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: ledger-fill <data_dir> <count>");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    Store::open(None, &dir).await.expect("the proxy's database opens and migrates");
    let options = SqliteConnectOptions::new().filename(dir.join("shipments.db"));
    let pool = SqlitePool::connect_with(options).await.expect("the ledger's database");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis() as i64;
    let mut tx = pool.begin().await.expect("a transaction");
    for n in 0..count {
        let express = n % 2 == 0;
        let (carrier, point, prefix) = if express {
            ("demo-express", "demo-express:10100034", "DE")
        } else {
            ("demo-post", "demo-post:000079", "DP")
        };
        let state = state_of(n);
        let order = format!("F-{n:07}");
        let created = now - YEAR_MS + (n as i64) * (YEAR_MS / count.max(1) as i64);
        let track = (!matches!(state, "pending" | "rejected")).then(|| format!("{prefix}{:010}", 1_700_000_000 + n));
        let request = json!({
            "order_number": order,
            "point_id": point,
            "parcel": {"weight_g": 1200, "boxes": [{"length": 30, "width": 20, "height": 10}], "declared_value": 250000, "cash_on_delivery": 0},
            "recipient": {"name": BUYERS[n % BUYERS.len()], "phone": "+79123456789"},
            "items": [],
        });
        let quoted = 20_000 + (n % 50) as i64 * 100;
        sqlx::query(
            "INSERT INTO shipments (id, idempotency_key, request_hash, request, order_number, carrier, point_id, state, \
             carrier_ref, track_number, cost_quoted, cost_final, next_check_at, created_at, updated_at) \
             VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $8, $9, $10, NULL, $11, $11)",
        )
        .bind(format!("shp_{n:016x}"))
        .bind(format!("order:{order}"))
        .bind(request.to_string())
        .bind(&order)
        .bind(carrier)
        .bind(point)
        .bind(state)
        .bind(track)
        .bind(quoted)
        .bind((state == "delivered").then_some(quoted + 250))
        .bind(created)
        .execute(&mut *tx)
        .await
        .expect("a shipment written");
    }
    tx.commit().await.expect("the shipments committed");
    println!("{count} shipments in {}", dir.join("shipments.db").display());
}
