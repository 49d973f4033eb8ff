//! The built-in demo carrier: a few hundred plausible pickup points and lockers in real Russian cities,
//! generated from a fixed seed so that every start (and every test) sees the same network. It stands in
//! for the real carriers when no credentials are configured.

use pvz_shared::{Address, Carrier, LatLon, Point, PointKind};

/// A city the demo carrier serves: its centre, spread and some real street names.
struct City {
    name: &'static str,
    centre: LatLon,
    /// Rough radius of the built-up area, in degrees of latitude.
    radius: f64,
    /// First digits of the city's postcodes.
    postal_prefix: u32,
    points: usize,
    streets: &'static [&'static str],
}

const CITIES: &[City] = &[
    City {
        name: "Москва",
        centre: LatLon { lat: 55.7558, lon: 37.6173 },
        radius: 0.16,
        postal_prefix: 101,
        points: 120,
        streets: &[
            "ул. Тверская", "ул. Арбат", "Ленинский пр-т", "пр-т Мира", "ул. Профсоюзная",
            "Кутузовский пр-т", "ул. Большая Дмитровка", "Варшавское ш.", "ул. Новый Арбат", "ул. Маросейка",
        ],
    },
    City {
        name: "Санкт-Петербург",
        centre: LatLon { lat: 59.9386, lon: 30.3141 },
        radius: 0.12,
        postal_prefix: 190,
        points: 80,
        streets: &[
            "Невский пр-т", "Литейный пр-т", "ул. Марата", "Московский пр-т", "Садовая ул.",
            "ул. Рубинштейна", "Большой пр-т П.С.", "Лиговский пр-т",
        ],
    },
    City {
        name: "Новосибирск",
        centre: LatLon { lat: 55.0302, lon: 82.9204 },
        radius: 0.09,
        postal_prefix: 630,
        points: 40,
        streets: &["Красный пр-т", "ул. Ленина", "ул. Кирова", "ул. Гоголя", "Вокзальная магистраль"],
    },
    City {
        name: "Екатеринбург",
        centre: LatLon { lat: 56.8380, lon: 60.5975 },
        radius: 0.08,
        postal_prefix: 620,
        points: 40,
        streets: &["ул. Малышева", "пр-т Ленина", "ул. Вайнера", "ул. 8 Марта", "ул. Куйбышева"],
    },
    City {
        name: "Казань",
        centre: LatLon { lat: 55.7963, lon: 49.1088 },
        radius: 0.08,
        postal_prefix: 420,
        points: 30,
        streets: &["ул. Баумана", "ул. Пушкина", "пр-т Победы", "ул. Чистопольская", "ул. Декабристов"],
    },
];

/// The demo carrier's machine name.
pub const CARRIER: &str = "demo";

/// Same seed, same network.
const SEED: u64 = 0x5056_5a00_0000_0001;

/// Every point of the demo carrier.
pub fn points() -> Vec<Point> {
    let carrier = Carrier(CARRIER.into());
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut points = Vec::with_capacity(CITIES.iter().map(|c| c.points).sum());
    for city in CITIES {
        for n in 0..city.points {
            let code = format!("{}{:04}", &city.postal_prefix, n + 1);
            let street = city.streets[rng.usize(..city.streets.len())];
            let house = rng.u32(1..=180);
            let postal_code = format!("{}{:03}", city.postal_prefix, rng.u32(0..=999));
            let kind = if rng.u8(..4) == 0 { PointKind::Locker } else { PointKind::PickupPoint };
            let name = match kind {
                PointKind::Locker => format!("Постамат {street}, {house}"),
                _ => format!("Пункт выдачи {street}, {house}"),
            };
            // A point within the radius, denser towards the centre; longitude degrees shrink with latitude.
            let distance = city.radius * rng.f64().sqrt();
            let angle = rng.f64() * std::f64::consts::TAU;
            let location = LatLon {
                lat: city.centre.lat + distance * angle.sin(),
                lon: city.centre.lon + distance * angle.cos() / city.centre.lat.to_radians().cos(),
            };
            points.push(Point {
                id: Point::make_id(&carrier, &code),
                carrier: carrier.clone(),
                kind,
                name,
                address: Address {
                    full: format!("{postal_code}, г. {}, {street}, д. {house}", city.name),
                    city: city.name.into(),
                    postal_code,
                },
                location,
            });
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_is_the_same_at_every_start() {
        assert_eq!(points(), points());
    }

    #[test]
    fn a_few_hundred_points_near_their_cities_with_unique_ids() {
        let points = points();
        assert!((200..=1000).contains(&points.len()), "{}", points.len());
        let ids: std::collections::HashSet<_> = points.iter().map(|p| &p.id).collect();
        assert_eq!(ids.len(), points.len());
        for p in &points {
            let city = CITIES.iter().find(|c| c.name == p.address.city).unwrap();
            assert!((p.location.lat - city.centre.lat).abs() <= city.radius, "{p:?}");
            assert!(p.id.starts_with("demo:"));
        }
        assert!(points.iter().any(|p| p.kind == PointKind::Locker));
        assert!(points.iter().any(|p| p.kind == PointKind::PickupPoint));
    }
}
