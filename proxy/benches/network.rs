//! The network's index: how long it takes to build over every demo point, and how long one map view takes
//! to answer at the zooms a buyer goes through (country, city, street), plain and with a parcel's filters,
//! and how long the search box's suggestions take, for a query that stops early and for ones that scan all.
//! Run with `cargo xtask bench`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pvz_proxy::Config;
use pvz_proxy::carriers;
use pvz_proxy::network::Network;
use pvz_proxy::network::filter::FilterQuery;
use pvz_shared::BBox;
use time::OffsetDateTime;

const COUNTRY: BBox = BBox { west: 19.0, south: 41.0, east: 180.0, north: 78.0 };
const MOSCOW: BBox = BBox { west: 37.2, south: 55.5, east: 38.0, north: 56.0 };
const STREET: BBox = BBox { west: 37.60, south: 55.75, east: 37.63, north: 55.765 };

fn bench(c: &mut Criterion) {
    let config = Config::from_sources(|_| None, []).expect("default configuration");
    let points = || carriers::demo::carriers(&config).into_iter().map(|c| c.points).collect::<Vec<_>>();
    let total: usize = points().iter().map(|c| c.points.len()).sum();
    println!("demo network: {total} points");
    c.bench_function("index build (all demo points)", |b| {
        b.iter_batched(points, |data| black_box(Network::new(data)), criterion::BatchSize::LargeInput)
    });

    let network = Network::new(points());
    let now = OffsetDateTime::now_utc();
    let plain = network.filter(&FilterQuery::default());
    let parcel = network.filter(&FilterQuery {
        weight_g: Some(1200),
        dims: Some("30x20x10".parse().expect("dimensions")),
        ..FilterQuery::default()
    });
    let open_now = network.filter(&FilterQuery { open_now: true, card: true, ..FilterQuery::default() });
    let views = [
        ("country z3", COUNTRY, 3, plain),
        ("city z10", MOSCOW, 10, plain),
        ("city z10 parcel filters", MOSCOW, 10, parcel),
        ("city z10 open now + card", MOSCOW, 10, open_now),
        ("street z16", STREET, 16, plain),
    ];
    for (name, bbox, zoom, filter) in views {
        c.bench_function(&format!("view {name}"), |b| b.iter(|| black_box(network.view(bbox, zoom, &filter, now))));
    }
    for query in ["моск", "ленина 12", "10100034", "нет такого места", "ул. Тверская", "Vjcrdf"]
    {
        c.bench_function(&format!("suggest {query:?}"), |b| b.iter(|| black_box(network.suggest(query, 8))));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
