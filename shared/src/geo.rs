//! Coordinates and bounding boxes, with the validation every query that names a place goes through.

use serde::{Deserialize, Serialize};

/// A WGS 84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    /// Great-circle distance in km.
    pub fn distance_km(self, to: LatLon) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), to.lat.to_radians());
        let (dlat, dlon) = (la2 - la1, (to.lon - self.lon).to_radians());
        let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        6371.0 * 2.0 * h.sqrt().asin()
    }

    /// Whether both coordinates are finite and within their ranges.
    pub fn is_valid(self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }
}

/// A rectangle on the map, as `west,south,east,north` in degrees (the order of GeoJSON and of Leaflet's
/// `toBBoxString`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

/// Why a bounding box was refused; the message is shown to API clients as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BBoxError {
    /// Not four comma-separated numbers.
    Shape,
    /// A number outside the range of longitudes or latitudes.
    OutOfRange,
    /// South above north or west east of east.
    Inverted,
}

impl std::fmt::Display for BBoxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Shape => "expected four comma-separated numbers: west,south,east,north",
            Self::OutOfRange => "longitudes must be within -180..180 and latitudes within -90..90",
            Self::Inverted => "west must not exceed east and south must not exceed north",
        })
    }
}

impl std::error::Error for BBoxError {}

impl BBox {
    /// The smallest box holding every position, or `None` for none.
    pub fn around(positions: impl IntoIterator<Item = LatLon>) -> Option<Self> {
        positions.into_iter().fold(None, |acc, p| {
            Some(match acc {
                None => Self { west: p.lon, south: p.lat, east: p.lon, north: p.lat },
                Some(b) => Self {
                    west: b.west.min(p.lon),
                    south: b.south.min(p.lat),
                    east: b.east.max(p.lon),
                    north: b.north.max(p.lat),
                },
            })
        })
    }

    pub fn centre(&self) -> LatLon {
        LatLon { lat: (self.south + self.north) / 2.0, lon: (self.west + self.east) / 2.0 }
    }

    pub fn contains(&self, p: LatLon) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lon)
    }
}

impl std::str::FromStr for BBox {
    type Err = BBoxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut numbers = s.split(',').map(|part| part.trim().parse::<f64>());
        let mut next = || numbers.next().and_then(Result::ok).filter(|n| n.is_finite());
        let (Some(west), Some(south), Some(east), Some(north)) = (next(), next(), next(), next()) else {
            return Err(BBoxError::Shape);
        };
        if numbers.next().is_some() {
            return Err(BBoxError::Shape);
        }
        let corners = [LatLon { lat: south, lon: west }, LatLon { lat: north, lon: east }];
        if !corners.iter().all(|c| c.is_valid()) {
            return Err(BBoxError::OutOfRange);
        }
        if west > east || south > north {
            return Err(BBoxError::Inverted);
        }
        Ok(Self { west, south, east, north })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_reads_west_south_east_north() {
        let b = BBox { west: 37.3, south: 55.5, east: 37.9, north: 55.95 };
        assert_eq!(" 37.3, 55.5,37.9 ,55.95".parse::<BBox>(), Ok(b));
    }

    #[test]
    fn bbox_refuses_wrong_shapes() {
        for bad in ["", "1,2,3", "1,2,3,4,5", "a,b,c,d", "1,2,,4", "NaN,1,2,3", "inf,1,2,3"] {
            assert_eq!(bad.parse::<BBox>(), Err(BBoxError::Shape), "{bad:?}");
        }
    }

    #[test]
    fn bbox_refuses_out_of_range_and_inverted_boxes() {
        assert_eq!("-181,0,0,1".parse::<BBox>(), Err(BBoxError::OutOfRange));
        assert_eq!("0,0,1,91".parse::<BBox>(), Err(BBoxError::OutOfRange));
        assert_eq!("10,0,5,1".parse::<BBox>(), Err(BBoxError::Inverted));
        assert_eq!("0,5,1,4".parse::<BBox>(), Err(BBoxError::Inverted));
    }

    #[test]
    fn distances_are_great_circle_km() {
        let moscow = LatLon { lat: 55.7558, lon: 37.6173 };
        let petersburg = LatLon { lat: 59.9386, lon: 30.3141 };
        let km = moscow.distance_km(petersburg);
        assert!((630.0..640.0).contains(&km), "{km}");
        assert_eq!(moscow.distance_km(moscow), 0.0);
    }

    #[test]
    fn around_covers_every_position_and_nothing_for_none() {
        let ps = [LatLon { lat: 55.7, lon: 37.6 }, LatLon { lat: 59.9, lon: 30.3 }, LatLon { lat: 55.0, lon: 82.9 }];
        let b = BBox::around(ps).expect("three positions");
        assert!(ps.iter().all(|p| b.contains(*p)));
        assert_eq!((b.west, b.south, b.east, b.north), (30.3, 55.0, 82.9, 59.9));
        assert_eq!(BBox::around([]), None);
    }
}
