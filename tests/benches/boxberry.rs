//! Boxberry's whole network as it arrives, one `ListPoints` answer of 18,000 points in Boxberry's own wire
//! format (the simulator's): how long reading the bytes into points takes, and building the index over them.
//! Run with `cargo xtask bench`.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use pvz_proxy::carriers::boxberry::points;
use pvz_proxy::network::{CarrierPoints, Network};
use pvz_shared::Carrier;
use time::OffsetDateTime;

const POINTS: usize = 18_000;

fn bench(c: &mut Criterion) {
    let answer = serde_json::to_vec(&pvz_tests::boxberry::network(POINTS).0).expect("the simulated answer");
    let carrier = Carrier("boxberry".into());
    let read = || {
        let records: Vec<Box<serde_json::value::RawValue>> = serde_json::from_slice(&answer).expect("JSON");
        points::read_all(&records, &carrier, &HashMap::new())
    };
    let fetched = read();
    println!(
        "Boxberry answer: {} KB, {} points, skipped {:?}",
        answer.len() / 1024,
        fetched.points.len(),
        fetched.skipped
    );
    c.bench_function("boxberry: read 18,000 points", |b| b.iter(|| black_box(read())));
    let network = || {
        let now = OffsetDateTime::now_utc();
        vec![CarrierPoints {
            name: carrier.clone(),
            title: "Boxberry".into(),
            points: fetched.points.clone(),
            refreshed_at: now,
            demo: false,
        }]
    };
    c.bench_function("boxberry: index 18,000 points", |b| {
        b.iter_batched(network, |carriers| black_box(Network::new(carriers)), BatchSize::LargeInput)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
