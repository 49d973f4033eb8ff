//! The Boxberry simulator as a process, for the whole-page browser tests: `boxberry-sim [points]` listens on
//! a free loopback port, prints `listening on <base URL>` and serves until it is killed.

use pvz_tests::boxberry::BoxberrySim;

#[tokio::main]
async fn main() {
    let points = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let sim = BoxberrySim::start(points).await;
    println!("listening on http://{}/", sim.addr);
    std::future::pending::<()>().await;
}
