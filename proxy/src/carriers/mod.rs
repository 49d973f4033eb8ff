//! The carriers' pickup-point networks. Each carrier is a module of its own under `carriers/`, delivering
//! [`CarrierData`]; adding one means one module and one line in [`load`].

pub mod demo;

use pvz_shared::{Carrier, Point};
use time::OffsetDateTime;

use crate::Config;

/// One carrier's points as its connector delivered them.
pub struct CarrierData {
    pub name: Carrier,
    /// For people: "СДЭК", "Почта России".
    pub title: String,
    pub points: Vec<Point>,
    pub refreshed_at: OffsetDateTime,
    /// Built-in demo data rather than a real carrier.
    pub demo: bool,
}

/// The points of every configured carrier; the demo carriers when none is configured.
pub fn load(_config: &Config) -> Vec<CarrierData> {
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    vec![
        CarrierData {
            name: Carrier(demo::EXPRESS.into()),
            title: "Демо Экспресс".into(),
            points: demo::express(today),
            refreshed_at: now,
            demo: true,
        },
        CarrierData {
            name: Carrier(demo::POST.into()),
            title: "Демо Почта".into(),
            points: demo::post(today),
            refreshed_at: now,
            demo: true,
        },
    ]
}
