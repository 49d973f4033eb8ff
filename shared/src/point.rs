//! A pickup point as every carrier's connector delivers it and as the widget shows it.

use serde::{Deserialize, Serialize};

use crate::geo::LatLon;

/// A carrier's machine name (`"cdek"`, `"russianpost"`, `"demo"`): the prefix of every point id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Carrier(pub String);

impl std::fmt::Display for Carrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the buyer will find at the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    /// A staffed pickup point.
    PickupPoint,
    /// A parcel locker (postamat).
    Locker,
    /// A post office.
    PostOffice,
}

/// Where a point is, as text for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// The whole address as the carrier writes it.
    pub full: String,
    pub city: String,
    pub postal_code: String,
}

/// One pickup point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// `"{carrier}:{carrier's own code}"`, unique across carriers.
    pub id: String,
    pub carrier: Carrier,
    pub kind: PointKind,
    pub name: String,
    pub address: Address,
    pub location: LatLon,
}

impl Point {
    /// The namespaced id of a carrier's point code.
    pub fn make_id(carrier: &Carrier, code: &str) -> String {
        format!("{carrier}:{code}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_namespaced_by_carrier() {
        assert_eq!(Point::make_id(&Carrier("cdek".into()), "MSK123"), "cdek:MSK123");
    }

    #[test]
    fn kinds_use_snake_case_on_the_wire() {
        assert_eq!(serde_json::to_string(&PointKind::PickupPoint).unwrap(), r#""pickup_point""#);
        assert_eq!(serde_json::from_str::<PointKind>(r#""post_office""#).unwrap(), PointKind::PostOffice);
    }
}
