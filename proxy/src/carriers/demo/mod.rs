//! The built-in demo carriers, which stand in for the real ones when no credentials are configured: a
//! courier network of pickup points and lockers (about 15,000) and a post with offices in towns and villages
//! (about 40,000), spread over real Russian cities with plausible streets, hours, payment and limits. Both are
//! generated from a fixed seed, so every start on the same day sees the same network; holidays are taken
//! from the calendar ahead of `today`.

mod addresses;
mod cities;
mod hours;
mod label;
pub mod shipments;
pub mod tariffs;
pub mod tracking;

use std::sync::Arc;

use pvz_shared::{Address, Carrier, Dimensions, LatLon, Limits, Payment, Point, PointKind, TimeZone};
use time::{Date, OffsetDateTime};

use super::CarrierData;
use crate::Config;
use crate::network::CarrierPoints;

use cities::{CITIES, City, STREETS, VILLAGES, metro_stations};

/// Both demo carriers, their points made for today.
pub fn carriers(config: &Config) -> Vec<CarrierData> {
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let origin = tariffs::origin(&config.shop_from_city);
    let post_origin = tariffs::postal_origin(&config.shop_from_postal_code).unwrap_or(origin);
    let demo_carrier = |name: &str, title: &str, points: Vec<Point>, network, origin, streets| {
        let registry = Arc::new(shipments::Registry::default());
        let tracker =
            tracking::DemoTracker::new(name, title, &points, now, Arc::clone(&registry), &config.shop_from_city);
        let shipper =
            shipments::DemoShipper { prefix: number_prefix(name), from_city: config.shop_from_city.clone(), registry };
        CarrierData {
            points: CarrierPoints {
                name: Carrier(name.into()),
                title: title.into(),
                points,
                refreshed_at: now,
                demo: true,
            },
            skipped: Default::default(),
            tariffs: Arc::new(tariffs::DemoTariffs::new(network, Carrier(name.into()), origin)),
            tracker: Some(Arc::new(tracker)),
            source: None,
            shipper: Some(Arc::new(shipper)),
            addresses: streets,
        }
    };
    // Both networks share one map of the demo cities' streets.
    let streets: Arc<dyn super::AddressBook> = Arc::new(addresses::DemoStreets::new());
    vec![
        demo_carrier(EXPRESS, "Демо Экспресс", express(today), tariffs::Network::Express, origin, Some(streets)),
        demo_carrier(POST, "Демо Почта", post(today), tariffs::Network::Post, post_origin, None),
    ]
}

/// The courier-network-like demo carrier.
pub const EXPRESS: &str = "demo-express";
/// The post-like demo carrier.
pub const POST: &str = "demo-post";

/// What a demo carrier's parcel numbers start with: ten digits follow.
fn number_prefix(carrier: &str) -> &'static str {
    if carrier == POST { "DP" } else { "DE" }
}

const EXPRESS_POINTS: u32 = 15_000;
/// Town offices: one per this many thousand inhabitants.
const POST_TOWN_THOUSANDS_PER_OFFICE: u32 = 20;
const POST_VILLAGE_OFFICES: u32 = 37_000;
const SEED: u64 = 0x5056_5a00_0000_0003;

/// Locker cells S, M and L, in cm.
const LOCKER_CELLS: [Dimensions; 3] = [
    Dimensions { length: 64, width: 38, height: 8 },
    Dimensions { length: 64, width: 38, height: 19 },
    Dimensions { length: 64, width: 38, height: 40 },
];

const DIRECTIONS: &[&str] = &[
    "Вход со двора, вторая дверь слева",
    "В торговом центре, первый этаж у эскалатора",
    "Вход с торца здания, есть пандус",
    "Цокольный этаж, вход через арку",
    "Рядом с остановкой, вывеска на фасаде",
];

const NOTES: &[&str] = &[
    "Примерка одежды и обуви до 15 минут",
    "Частичный выкуп доступен",
    "Парковка у входа",
    "Выдача крупногабаритных отправлений до 30 кг",
];

/// The region as an address writes it: federal cities are their own region and are not named twice.
fn region_prefix(city: &City) -> String {
    if city.region == city.name { String::new() } else { format!("{}, ", city.region) }
}

fn timezone(city: &City) -> TimeZone {
    TimeZone { name: city.timezone.into(), utc_offset_minutes: i16::from(city.utc_offset_hours) * 60 }
}

/// A place `within` degrees of latitude from the city centre, denser towards the middle.
fn near(rng: &mut fastrand::Rng, city: &City, from: f64, within: f64) -> LatLon {
    let distance = from + (within - from) * rng.f64().powf(0.75);
    let angle = rng.f64() * std::f64::consts::TAU;
    LatLon {
        lat: city.lat + distance * angle.sin(),
        lon: (city.lon + distance * angle.cos() / city.lat.to_radians().cos()).min(179.99),
    }
}

/// Rough radius of a city's built-up area, in degrees of latitude.
fn city_radius(city: &City) -> f64 {
    0.025 + 0.0013 * f64::from(city.population).sqrt()
}

/// `count` split over the cities by `weight`, every city getting at least one.
fn shares(count: u32, weight: impl Fn(&City) -> f64) -> Vec<u32> {
    let total: f64 = CITIES.iter().map(&weight).sum();
    CITIES.iter().map(|c| ((f64::from(count) * weight(c) / total).round() as u32).max(1)).collect()
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn chance(rng: &mut fastrand::Rng, percent: u8) -> bool {
    rng.u8(..100) < percent
}

fn phone(rng: &mut fastrand::Rng) -> String {
    format!("+7 800 {:03}-{:02}-{:02}", rng.u16(100..1000), rng.u8(10..100), rng.u8(10..100))
}

/// The courier network: staffed pickup points and lockers in every city.
pub fn express(today: Date) -> Vec<Point> {
    let carrier = Carrier(EXPRESS.into());
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut points = Vec::new();
    for (city, count) in CITIES.iter().zip(shares(EXPRESS_POINTS, |c| f64::from(c.population))) {
        let metro = metro_stations(city.name);
        for _ in 0..count {
            let code = format!("{}{:05}", &city.postal_prefix, points.len() + 1);
            let street = pick(&mut rng, STREETS);
            let house = rng.u16(1..=150);
            let postal_code = format!("{}{:03}", city.postal_prefix, rng.u16(0..1000));
            let locker = chance(&mut rng, 30);
            let (kind, name, hours, payment, limits) = if locker {
                (
                    PointKind::Locker,
                    format!("Постамат {street}, {house}"),
                    hours::locker(&mut rng, today),
                    Payment { cash: false, card: true, cash_on_delivery: chance(&mut rng, 80) },
                    Limits { max_weight_g: Some(15_000), cells: LOCKER_CELLS.to_vec() },
                )
            } else {
                let cash = chance(&mut rng, 90);
                (
                    PointKind::PickupPoint,
                    format!("Пункт выдачи на {street}"),
                    hours::pickup_point(&mut rng, today),
                    Payment { cash, card: chance(&mut rng, 95), cash_on_delivery: cash && chance(&mut rng, 95) },
                    Limits { max_weight_g: Some(if chance(&mut rng, 70) { 30_000 } else { 15_000 }), cells: vec![] },
                )
            };
            points.push(Point {
                id: Point::make_id(&carrier, &code),
                carrier: carrier.clone(),
                kind,
                name,
                address: Address {
                    full: format!("{postal_code}, {}г. {}, {street}, д. {house}", region_prefix(city), city.name),
                    city: city.name.into(),
                    region: city.region.into(),
                    postal_code,
                    country: Address::home_country(),
                },
                location: near(&mut rng, city, 0.0, city_radius(city)),
                timezone: timezone(city),
                hours,
                payment,
                fitting_room: kind == PointKind::PickupPoint && chance(&mut rng, 40),
                limits,
                phone: Some(phone(&mut rng)),
                metro: (!metro.is_empty() && chance(&mut rng, 70)).then(|| pick(&mut rng, metro).to_string()),
                directions: chance(&mut rng, 50).then(|| pick(&mut rng, DIRECTIONS).to_string()),
                notes: (kind == PointKind::PickupPoint && chance(&mut rng, 25))
                    .then(|| pick(&mut rng, NOTES).to_string()),
            });
        }
    }
    points
}

/// The post: offices in every city and in the villages around it.
pub fn post(today: Date) -> Vec<Point> {
    let carrier = Carrier(POST.into());
    let mut rng = fastrand::Rng::with_seed(SEED ^ 0xFFFF);
    let villages = shares(POST_VILLAGE_OFFICES, |c| f64::from(c.population).sqrt());
    let mut points = Vec::new();
    for (city, village_count) in CITIES.iter().zip(villages) {
        let town_count = (city.population / POST_TOWN_THOUSANDS_PER_OFFICE).max(1);
        for n in 0..town_count + village_count {
            let in_town = n < town_count;
            let code = format!("{:06}", points.len() + 1);
            let postal_code = format!("{}{:03}", city.postal_prefix, n % 1000);
            let street = pick(&mut rng, STREETS);
            let house = rng.u16(1..=120);
            let (settlement, location, hours) = if in_town {
                (
                    format!("г. {}", city.name),
                    near(&mut rng, city, 0.0, city_radius(city)),
                    hours::town_post(&mut rng, today),
                )
            } else {
                let village = format!("с. {}", pick(&mut rng, VILLAGES));
                (village, near(&mut rng, city, 0.25, 1.6), hours::village_post(&mut rng, today))
            };
            let main_office = in_town && n == 0;
            points.push(Point {
                id: Point::make_id(&carrier, &code),
                carrier: carrier.clone(),
                kind: PointKind::PostOffice,
                name: if main_office {
                    format!("Почтамт {}", city.name)
                } else {
                    format!("Отделение {postal_code}")
                },
                address: Address {
                    full: format!("{postal_code}, {}{settlement}, {street}, д. {house}", region_prefix(city)),
                    city: if in_town { city.name.to_string() } else { settlement },
                    region: city.region.into(),
                    postal_code,
                    country: Address::home_country(),
                },
                location,
                timezone: timezone(city),
                hours: if main_office { hours::main_post_office() } else { hours },
                payment: Payment { cash: true, card: in_town || chance(&mut rng, 60), cash_on_delivery: true },
                fitting_room: false,
                limits: Limits { max_weight_g: Some(if in_town { 50_000 } else { 20_000 }), cells: vec![] },
                phone: Some(phone(&mut rng)),
                metro: None,
                directions: None,
                notes: None,
            });
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 22);

    #[test]
    fn the_network_is_the_same_at_every_start() {
        assert_eq!(express(TODAY), express(TODAY));
        assert_eq!(post(TODAY)[1000..1010], post(TODAY)[1000..1010]);
    }

    #[test]
    fn together_at_least_fifty_thousand_points_with_unique_ids() {
        let (express, post) = (express(TODAY), post(TODAY));
        assert!((14_000..=16_000).contains(&express.len()), "{}", express.len());
        assert!((38_000..=42_000).contains(&post.len()), "{}", post.len());
        let ids: HashSet<_> = express.iter().chain(&post).map(|p| &p.id).collect();
        assert_eq!(ids.len(), express.len() + post.len());
        assert!(ids.len() >= 50_000);
    }

    #[test]
    fn points_are_spread_by_population() {
        let express = express(TODAY);
        let in_city = |name: &str| express.iter().filter(|p| p.address.city == name).count();
        assert!(in_city("Москва") > 5 * in_city("Казань"));
        assert!(in_city("Казань") > 5 * in_city("Магадан"));
        assert!(in_city("Анадырь") >= 1);
    }

    #[test]
    fn the_networks_have_the_variety_the_widget_filters_on() {
        let express = express(TODAY);
        let post = post(TODAY);
        let lockers: Vec<_> = express.iter().filter(|p| p.kind == PointKind::Locker).collect();
        assert!(lockers.len() > 3_000);
        assert!(lockers.iter().all(|p| !p.limits.cells.is_empty()));
        assert!(lockers.iter().any(|p| p.hours.is_round_the_clock()));
        assert!(express.iter().any(|p| p.fitting_room));
        assert!(express.iter().any(|p| p.payment.cash_on_delivery) && express.iter().any(|p| !p.payment.cash));
        assert!(post.iter().all(|p| p.kind == PointKind::PostOffice));
        assert!(post.iter().any(|p| p.hours.week[6].is_empty()), "some offices close on Sunday");
        assert!(post.iter().any(|p| p.hours.week[0].len() == 2), "some offices close for lunch");
        assert!(express.iter().chain(&post).any(|p| !p.hours.exceptions.is_empty()), "holidays ahead");
        assert!(post.iter().any(|p| p.timezone.utc_offset_minutes == 12 * 60));
    }

    #[test]
    fn every_point_is_within_russias_box() {
        for p in express(TODAY).iter().chain(&post(TODAY)) {
            assert!((40.0..=71.0).contains(&p.location.lat) && (17.0..=180.0).contains(&p.location.lon), "{p:?}");
        }
    }
}
