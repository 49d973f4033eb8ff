//! A pickup point as every carrier's connector delivers it and as the widget shows it.

use serde::{Deserialize, Serialize};

use crate::geo::LatLon;
use crate::hours::OpeningHours;

/// A carrier's machine name (`"demo-post"`): the prefix of every point id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Carrier(pub String);

impl Carrier {
    /// Whether `name` is fit to be a carrier name: 1 to 32 of `a-z`, `0-9` and `-`.
    pub fn is_valid_name(name: &str) -> bool {
        (1..=32).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }
}

impl std::fmt::Display for Carrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the buyer will find at the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub enum PointKind {
    /// A staffed pickup point.
    PickupPoint,
    /// A parcel locker (postamat).
    Locker,
    /// A post office.
    PostOffice,
}

impl PointKind {
    pub const ALL: [Self; 3] = [Self::PickupPoint, Self::Locker, Self::PostOffice];

    /// The wire name, as in `?kind=locker`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PickupPoint => "pickup_point",
            Self::Locker => "locker",
            Self::PostOffice => "post_office",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Where a point is, as text for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Address {
    /// The whole address as the carrier writes it.
    pub full: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 (`RU`, `KZ`); carriers price deliveries abroad by it.
    #[serde(default = "Address::home_country")]
    pub country: String,
}

impl Address {
    /// The country of points whose carrier does not say: Russia, where every carrier here is at home.
    pub fn home_country() -> String {
        "RU".into()
    }
}

/// The point's local time: its zone's name and its offset from UTC (Russia keeps no summer time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct TimeZone {
    /// IANA name, e.g. `"Europe/Moscow"`.
    pub name: String,
    pub utc_offset_minutes: i16,
}

impl TimeZone {
    pub fn offset(&self) -> time::UtcOffset {
        time::UtcOffset::from_whole_seconds(i32::from(self.utc_offset_minutes) * 60).unwrap_or(time::UtcOffset::UTC)
    }
}

/// How the buyer can pay at the point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Payment {
    pub cash: bool,
    pub card: bool,
    /// The point collects cash on delivery for the shop.
    pub cash_on_delivery: bool,
}

/// Outer size of a box or a locker cell, in cm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Dimensions {
    #[serde(deserialize_with = "crate::whole::number")]
    #[cfg_attr(feature = "utoipa", schema(minimum = 1, maximum = 500))]
    pub length: u16,
    #[serde(deserialize_with = "crate::whole::number")]
    #[cfg_attr(feature = "utoipa", schema(minimum = 1, maximum = 500))]
    pub width: u16,
    #[serde(deserialize_with = "crate::whole::number")]
    #[cfg_attr(feature = "utoipa", schema(minimum = 1, maximum = 500))]
    pub height: u16,
}

impl Dimensions {
    /// Whether a box of `self` fits into `cell`, turned any way.
    pub fn fits_into(self, cell: Dimensions) -> bool {
        let sorted = |d: Dimensions| {
            let mut v = [d.length, d.width, d.height];
            v.sort_unstable();
            v
        };
        sorted(self).iter().zip(sorted(cell)).all(|(a, b)| *a <= b)
    }
}

impl std::str::FromStr for Dimensions {
    type Err = String;

    /// `"30x20x10"` (also with `×` or `*`), each side 1..=500 cm.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let sides: Vec<u16> = s
            .split(['x', 'X', '×', '*'])
            .map(|p| crate::params::trim(p).parse::<u16>().ok().filter(|n| (1..=500).contains(n)))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("{s:?} is not LxWxH in whole cm (1 to 500 each)"))?;
        match sides[..] {
            [length, width, height] => Ok(Self { length, width, height }),
            _ => Err(format!("{s:?} is not LxWxH in whole cm (1 to 500 each)")),
        }
    }
}

/// What a point accepts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Limits {
    /// Heaviest parcel, in grams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight_g: Option<u32>,
    /// Locker cells; empty for points without cells.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<Dimensions>,
}

impl Limits {
    /// Whether a parcel of `weight_g` and outer size `dims` can be handed out here.
    pub fn accepts(&self, weight_g: Option<u32>, dims: Option<Dimensions>) -> bool {
        let weight_ok = weight_g.zip(self.max_weight_g).is_none_or(|(w, max)| w <= max);
        let size_ok = dims.is_none_or(|d| self.cells.is_empty() || self.cells.iter().any(|c| d.fits_into(*c)));
        weight_ok && size_ok
    }
}

/// One pickup point with everything the widget shows about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Point {
    /// `"{carrier}:{carrier's own code}"`, unique across carriers.
    pub id: String,
    pub carrier: Carrier,
    pub kind: PointKind,
    pub name: String,
    pub address: Address,
    pub location: LatLon,
    pub timezone: TimeZone,
    pub hours: OpeningHours,
    pub payment: Payment,
    pub fitting_room: bool,
    pub limits: Limits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Nearest metro station, where the city has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metro: Option<String>,
    /// How to find the entrance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Point {
    /// The namespaced id of a carrier's point code.
    pub fn make_id(carrier: &Carrier, code: &str) -> String {
        format!("{carrier}:{code}")
    }

    /// The carrier's own code of the point: its id without the carrier's prefix.
    pub fn code(&self) -> &str {
        self.id.split_once(':').map_or(self.id.as_str(), |(_, code)| code)
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
    fn carrier_names_are_short_lowercase_words() {
        for good in ["cdek", "russianpost", "demo-post", "x5"] {
            assert!(Carrier::is_valid_name(good), "{good}");
        }
        for bad in ["", "CDEK", "<script>", "a b", &"x".repeat(33)] {
            assert!(!Carrier::is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn kinds_use_snake_case_on_the_wire() {
        assert_eq!(serde_json::to_string(&PointKind::PickupPoint).unwrap(), r#""pickup_point""#);
        assert_eq!(serde_json::from_str::<PointKind>(r#""post_office""#).unwrap(), PointKind::PostOffice);
        assert!(PointKind::ALL.iter().all(|k| PointKind::from_name(k.as_str()) == Some(*k)));
    }

    #[test]
    fn boxes_fit_cells_turned_any_way() {
        let cell = Dimensions { length: 40, width: 10, height: 30 };
        assert!("30x20x10".parse::<Dimensions>().unwrap().fits_into(Dimensions { length: 40, width: 30, height: 20 }));
        assert!("10×30×40".parse::<Dimensions>().unwrap().fits_into(cell));
        assert!(!"41x10x10".parse::<Dimensions>().unwrap().fits_into(cell));
        for bad in ["", "30x20", "30x20x0", "30x20x501", "axbxc", "1x2x3x4"] {
            assert!(bad.parse::<Dimensions>().is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_refuse_heavy_or_bulky_parcels() {
        let locker =
            Limits { max_weight_g: Some(15_000), cells: vec![Dimensions { length: 40, width: 40, height: 60 }] };
        assert!(locker.accepts(Some(15_000), Some(Dimensions { length: 30, width: 20, height: 10 })));
        assert!(!locker.accepts(Some(15_001), None));
        assert!(!locker.accepts(None, Some(Dimensions { length: 70, width: 10, height: 10 })));
        assert!(Limits::default().accepts(Some(1_000_000), Some(Dimensions { length: 500, width: 500, height: 500 })));
    }
}
