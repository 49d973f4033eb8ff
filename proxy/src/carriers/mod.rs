//! The carriers' pickup-point networks, merged into one [`Network`] that the API queries. Each carrier is a
//! module of its own under `carriers/`; adding one means one module and one line in [`Network::load`].

pub mod demo;

use std::collections::HashMap;

use pvz_shared::{BBox, Point};

use crate::Config;

/// Every pickup point the proxy knows, with an index by id.
#[derive(Debug, Default)]
pub struct Network {
    /// All points of all carriers, in the order the carriers delivered them.
    points: Vec<Point>,
    /// Position in `points` of each id, for `GET /api/v1/points/{id}`.
    by_id: HashMap<String, usize>,
    /// Built-in demo data only: the demo carrier stands in for whichever real carriers a snippet names, so
    /// the snippet a shop will use in production works unchanged against a demo proxy.
    demo: bool,
}

/// Which points a query wants; an empty field matches everything.
#[derive(Debug, Default, Clone)]
pub struct PointFilter {
    pub bbox: Option<BBox>,
    /// Lower-case city name, compared case-insensitively.
    pub city: Option<String>,
    pub carriers: Vec<String>,
}

impl Network {
    /// The points of every configured carrier (for now the built-in demo carrier).
    pub fn load(_config: &Config) -> Self {
        Self { demo: true, ..Self::from_points(demo::points()) }
    }

    pub fn from_points(points: Vec<Point>) -> Self {
        let by_id = points.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        Self { points, by_id, demo: false }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Point> {
        self.by_id.get(id).map(|&i| &self.points[i])
    }

    pub fn query<'a>(&'a self, filter: &'a PointFilter) -> impl Iterator<Item = &'a Point> + 'a {
        let stand_in = self.demo && !filter.carriers.iter().any(|c| c == demo::CARRIER);
        let any_carrier = filter.carriers.is_empty() || stand_in;
        self.points.iter().filter(move |p| {
            filter.bbox.is_none_or(|b| b.contains(p.location))
                && filter.city.as_deref().is_none_or(|c| p.address.city.to_lowercase() == c)
                && (any_carrier || filter.carriers.iter().any(|c| *c == p.carrier.0))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_applies_every_filter() {
        let network = Network::from_points(demo::points());
        let moscow = PointFilter { city: Some("москва".into()), ..Default::default() };
        let in_moscow: Vec<_> = network.query(&moscow).collect();
        assert!(!in_moscow.is_empty());
        assert!(in_moscow.iter().all(|p| p.address.city == "Москва"));
        assert!(in_moscow.len() < network.len());

        let nobody = PointFilter { carriers: vec!["nobody".into()], ..Default::default() };
        assert_eq!(network.query(&nobody).count(), 0);

        let bbox = BBox { west: 37.5, south: 55.7, east: 37.7, north: 55.8 };
        let boxed = PointFilter { bbox: Some(bbox), ..Default::default() };
        assert!(network.query(&boxed).all(|p| bbox.contains(p.location)));
    }

    #[test]
    fn demo_data_stands_in_for_the_carriers_a_snippet_names() {
        let demo = Network::load(&Config::from_sources(|_| None, []).unwrap());
        let real = PointFilter { carriers: vec!["cdek".into(), "russianpost".into()], ..Default::default() };
        assert_eq!(demo.query(&real).count(), demo.len());
        let real_data = Network::from_points(demo::points());
        assert_eq!(real_data.query(&real).count(), 0);
    }

    #[test]
    fn get_finds_each_point_by_its_id() {
        let network = Network::from_points(demo::points());
        let first = network.query(&PointFilter::default()).next().unwrap().clone();
        assert_eq!(network.get(&first.id), Some(&first));
        assert_eq!(network.get("demo:missing"), None);
    }
}
