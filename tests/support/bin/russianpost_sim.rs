//! The Russian Post simulator as a process, for the whole-page browser tests: `russianpost-sim [points]`
//! listens on a free loopback port, prints `listening on <address>` and serves until it is killed.

use pvz_tests::russianpost::RussianPostSim;

#[tokio::main]
async fn main() {
    let points = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(600);
    let sim = RussianPostSim::start(points).await;
    println!("listening on http://{}/", sim.addr);
    std::future::pending::<()>().await;
}
