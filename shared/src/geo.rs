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
    /// Not four comma-separated numbers of degrees.
    Shape,
    /// A number outside the range of longitudes or latitudes.
    OutOfRange,
}

impl std::fmt::Display for BBoxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Shape => "expected four comma-separated numbers of degrees such as 37.6: west,south,east,north",
            Self::OutOfRange => "longitudes must be within -180..180 and latitudes within -90..90",
        })
    }
}

impl std::error::Error for BBoxError {}

/// A box as the API's document states it: four numbers of degrees (an optional minus, whole degrees
/// without leading zeros, an optional fraction), longitudes within ±180 and latitudes within ±90, with ASCII
/// white space around each. [`BBox::from_str`] takes exactly these.
pub const BBOX_PATTERN: &str = concat!(
    r"^[ \t\n\f\r]*-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)[ \t\n\f\r]*",
    r",[ \t\n\f\r]*-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)[ \t\n\f\r]*",
    r",[ \t\n\f\r]*-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)[ \t\n\f\r]*",
    r",[ \t\n\f\r]*-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)[ \t\n\f\r]*$",
);

/// Degrees as [`BBOX_PATTERN`] writes them, up to `limit` either way.
fn degrees(text: &str, limit: u16) -> Result<f64, BBoxError> {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').map_or((unsigned, None), |(w, f)| (w, Some(f)));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || whole.len() > 3 || (whole.len() > 1 && whole.starts_with('0')) || !fraction.is_none_or(digits)
    {
        return Err(BBoxError::Shape);
    }
    let whole: u16 = whole.parse().map_err(|_| BBoxError::Shape)?;
    // Judged on the digits, not the float: 90.0000000000000001 is past 90 though it rounds to it.
    if whole > limit || (whole == limit && fraction.is_some_and(|f| f.bytes().any(|b| b != b'0'))) {
        return Err(BBoxError::OutOfRange);
    }
    text.parse().map_err(|_| BBoxError::Shape)
}

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

    /// `west,south,east,north` as [`BBOX_PATTERN`] states it; corners given the other way round are taken
    /// in order (a box is the same whichever corner comes first).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(',').collect();
        let [west, south, east, north] = parts[..] else { return Err(BBoxError::Shape) };
        let (west, east) = (degrees(west, 180)?, degrees(east, 180)?);
        let (south, north) = (degrees(south, 90)?, degrees(north, 90)?);
        Ok(Self { west: west.min(east), south: south.min(north), east: west.max(east), north: south.max(north) })
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
    fn bbox_refuses_out_of_range_and_takes_corners_either_way() {
        assert_eq!("-181,0,0,1".parse::<BBox>(), Err(BBoxError::OutOfRange));
        assert_eq!("0,0,1,91".parse::<BBox>(), Err(BBoxError::OutOfRange));
        assert_eq!("0,0,1,90.0000000000000001".parse::<BBox>(), Err(BBoxError::OutOfRange));
        assert_eq!("-180.000,-90,180,90.0".parse::<BBox>().unwrap().east, 180.0);
        let b = BBox { west: 5.0, south: 0.0, east: 10.0, north: 1.0 };
        assert_eq!("10,1,5,0".parse::<BBox>(), Ok(b));
    }

    #[test]
    fn bbox_takes_plain_decimals_only() {
        for bad in
            ["1e1,0,1,1", "+1,0,1,1", "01,0,1,1", ".5,0,1,1", "1.,0,1,1", "0x1,0,1,1", "1,2,3,4\u{a0}", "１,2,3,4"]
        {
            assert_eq!(bad.parse::<BBox>(), Err(BBoxError::Shape), "{bad:?}");
        }
        assert!("-0,0,0.5,\t1 ".parse::<BBox>().is_ok());
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
