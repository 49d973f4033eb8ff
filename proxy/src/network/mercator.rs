//! Web Mercator, the projection of the map tiles: clustering works in its square world so that a cluster
//! cell is the same number of screen pixels everywhere on the map.

use pvz_shared::LatLon;

/// Latitude beyond which Web Mercator is cut off.
const MAX_LAT: f64 = 85.051_128_78;

/// The world as a unit square: x from west (0) to east (1), y from north (0) to south (1).
pub fn project(p: LatLon) -> (f64, f64) {
    let lat = p.lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (p.lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0))
}

pub fn unproject(x: f64, y: f64) -> LatLon {
    let n = std::f64::consts::PI * (1.0 - 2.0 * y);
    LatLon { lat: n.sinh().atan().to_degrees(), lon: x * 360.0 - 180.0 }
}

/// Width of the world in screen pixels at `zoom` (256 px tiles).
pub fn world_pixels(zoom: u8) -> f64 {
    256.0 * f64::from(1u32 << zoom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_round_trips() {
        for p in
            [LatLon { lat: 55.7558, lon: 37.6173 }, LatLon { lat: -33.9, lon: 151.2 }, LatLon { lat: 0.0, lon: 0.0 }]
        {
            let (x, y) = project(p);
            let back = unproject(x, y);
            assert!((back.lat - p.lat).abs() < 1e-9 && (back.lon - p.lon).abs() < 1e-9, "{p:?} -> {back:?}");
        }
        assert_eq!(project(LatLon { lat: 0.0, lon: 0.0 }), (0.5, 0.5));
        let (_, north) = project(LatLon { lat: 60.0, lon: 0.0 });
        assert!(north < 0.5, "north is up");
    }
}
