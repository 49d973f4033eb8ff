//! The CDEK simulator as a process, for the whole-page browser tests: `cdek-sim [points]` listens on a free
//! loopback port, prints `listening on <base URL>` and serves until it is killed.

use std::time::Duration;

use pvz_tests::cdek::CdekSim;

#[tokio::main]
async fn main() {
    let points = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let sim = CdekSim::start(points, Duration::from_secs(3600)).await;
    println!("listening on {}/", sim.base_url());
    std::future::pending::<()>().await;
}
