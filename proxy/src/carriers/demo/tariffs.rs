//! The demo carriers' prices, shaped like the real ones: the courier network prices by destination city,
//! distance band and chargeable weight (volumetric weight counts), lockers a little cheaper than offices;
//! the post prices by postcode, slower and a little cheaper. Each calculation stands for one upstream call:
//! it is counted and takes a moment, as a remote tariff API would.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pvz_shared::{Carrier, Currency, DoorAddress, Included, LatLon, Parcel, Point, PointKind};

use super::cities::CITIES;
use crate::Error;
use crate::carriers::{Tariff, TariffFuture, TariffKey, Tariffs};

/// Which demo network is pricing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    Express,
    Post,
}

/// What a courier to the door adds, in roubles: the courier network's, and the post's.
const DOOR_EXPRESS: u64 = 190;
const DOOR_POST: u64 = 140;

/// How long one calculation takes, as a remote tariff API would.
const UPSTREAM_LATENCY: Duration = Duration::from_millis(25);

pub struct DemoTariffs {
    network: Network,
    carrier: Carrier,
    /// Where the shop sends from.
    origin: LatLon,
    /// Calculations made: the "upstream calls" the cache exists to save.
    calls: AtomicU64,
}

/// The shop's city as a position; Moscow when the demo networks do not serve it.
pub fn origin(city: &str) -> LatLon {
    let city = city.trim().to_lowercase();
    let c = CITIES.iter().find(|c| c.name.to_lowercase() == city).unwrap_or(&CITIES[0]);
    LatLon { lat: c.lat, lon: c.lon }
}

/// The sending office's position from its postcode's first three digits, as the post sees it; `None` when
/// no demo city has that prefix.
pub fn postal_origin(postal_code: &str) -> Option<LatLon> {
    let prefix: u16 = postal_code.get(..3)?.parse().ok()?;
    CITIES.iter().find(|c| c.postal_prefix == prefix).map(|c| LatLon { lat: c.lat, lon: c.lon })
}

fn micro(v: f64) -> i32 {
    (v * 1e6).round() as i32
}

/// Distance band: (base price in roubles, roubles per extra half-kilo, days min, days max).
fn band(km: f64) -> (u64, u64, u16, u16) {
    match km {
        d if d < 50.0 => (180, 25, 1, 2),
        d if d < 500.0 => (260, 40, 2, 3),
        d if d < 1500.0 => (340, 60, 3, 5),
        d if d < 3500.0 => (450, 85, 4, 7),
        _ => (620, 120, 6, 10),
    }
}

impl DemoTariffs {
    pub fn new(network: Network, carrier: Carrier, origin: LatLon) -> Self {
        Self { network, carrier, origin, calls: AtomicU64::new(0) }
    }

    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// The price for a key: a pure function of the key, as a carrier's tariff table is.
    pub fn price(&self, key: &TariffKey) -> Tariff {
        let at = LatLon { lat: f64::from(key.at.0) / 1e6, lon: f64::from(key.at.1) / 1e6 };
        let (base, per_half_kilo, days_min, days_max) = band(self.origin.distance_km(at));
        let extra_half_kilos = u64::from(key.weight_g.saturating_sub(1000)).div_ceil(500);
        let roubles = base + per_half_kilo * extra_half_kilos;
        let (roubles, days_min, days_max, name) = match (self.network, key.door, key.kind) {
            (Network::Express, true, _) => (roubles + DOOR_EXPRESS, days_min, days_max, "Экспресс до двери"),
            (Network::Post, true, _) => {
                (roubles * 85 / 100 + DOOR_POST, days_min + 2, days_max + 4, "Посылка с доставкой курьером")
            }
            (Network::Express, false, PointKind::Locker) => {
                (roubles * 9 / 10, days_min, days_max, "Экспресс до постамата")
            }
            (Network::Express, false, _) => (roubles, days_min, days_max, "Экспресс до пункта выдачи"),
            (Network::Post, false, _) => (roubles * 85 / 100, days_min + 1, days_max + 3, "Посылка до востребования"),
        };
        Tariff { name: name.into(), cost: roubles * 100, currency: Currency::Rub, days_min, days_max }
    }
}

impl Tariffs for DemoTariffs {
    fn key(&self, point: &Point, parcel: &Parcel) -> TariffKey {
        let (destination, at, weight_g) = match self.network {
            Network::Express => {
                // Priced by city: every point of a city shares the city centre's price. Volumetric weight
                // (L x W x H / 5000) counts when it is more; the step is half a kilo.
                let centre =
                    CITIES.iter().find(|c| c.name == point.address.city).map(|c| LatLon { lat: c.lat, lon: c.lon });
                let volumetric = u32::try_from(parcel.volume_cm3() / 5).unwrap_or(u32::MAX);
                let weight = parcel.weight_g.max(volumetric);
                (point.address.city.clone(), centre.unwrap_or(point.location), weight.div_ceil(500) * 500)
            }
            // Priced by postcode, in 100 g steps.
            Network::Post => (point.address.postal_code.clone(), point.location, parcel.weight_g.div_ceil(100) * 100),
        };
        TariffKey {
            carrier: point.carrier.clone(),
            destination,
            country: point.address.country.clone(),
            at: (micro(at.lat), micro(at.lon)),
            kind: point.kind,
            weight_g: weight_g.max(100),
            door: false,
        }
    }

    fn door_key(&self, to: &DoorAddress, parcel: &Parcel) -> Result<TariffKey, Error> {
        // The demo networks bring parcels to doors in the cities they serve, priced as their points there.
        let city = CITIES.iter().find(|c| c.name.eq_ignore_ascii_case(to.city.trim())).ok_or_else(|| {
            Error::Unprocessable(format!("it brings parcels to doors only in its cities, not in {}", to.city))
        })?;
        let weight = parcel.weight_g.max(u32::try_from(parcel.volume_cm3() / 5).unwrap_or(u32::MAX));
        let (destination, weight_g) = match self.network {
            Network::Express => (city.name.to_string(), weight.div_ceil(500) * 500),
            Network::Post => (to.postal_code.clone(), parcel.weight_g.div_ceil(100) * 100),
        };
        Ok(TariffKey {
            carrier: self.carrier.clone(),
            destination,
            country: "RU".into(),
            at: (micro(city.lat), micro(city.lon)),
            kind: PointKind::PickupPoint,
            weight_g: weight_g.max(100),
            door: true,
        })
    }

    fn calculate(&self, key: &TariffKey) -> TariffFuture<'_> {
        let tariff = self.price(key);
        self.calls.fetch_add(1, Ordering::Relaxed);
        Box::pin(async move {
            tokio::time::sleep(UPSTREAM_LATENCY).await;
            Ok(tariff)
        })
    }

    fn fees(&self, parcel: &Parcel) -> Included {
        // Insurance: 0.75 % of the declared value for the courier network, 4 % for the post; collecting cash
        // on delivery: 3 % and 2.5 %.
        let (insurance_permille, cod_permille) = match self.network {
            Network::Express => (75, 300),
            Network::Post => (400, 250),
        };
        Included {
            insurance: parcel.declared_value * insurance_permille / 10_000,
            cash_on_delivery_fee: parcel.cash_on_delivery * cod_permille / 10_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carrier_of(network: Network) -> Carrier {
        Carrier(match network {
            Network::Express => super::super::EXPRESS.into(),
            Network::Post => super::super::POST.into(),
        })
    }

    fn key(network: Network, city: &str, kind: PointKind, weight_g: u32) -> TariffKey {
        let c = CITIES.iter().find(|c| c.name == city).unwrap();
        TariffKey {
            carrier: carrier_of(network),
            destination: city.into(),
            country: "RU".into(),
            at: (micro(c.lat), micro(c.lon)),
            kind,
            weight_g,
            door: false,
        }
    }

    #[test]
    fn farther_and_heavier_costs_more_and_takes_longer() {
        let express = DemoTariffs::new(Network::Express, carrier_of(Network::Express), origin("Москва"));
        let near = express.price(&key(Network::Express, "Москва", PointKind::PickupPoint, 1000));
        let far = express.price(&key(Network::Express, "Владивосток", PointKind::PickupPoint, 1000));
        let heavy = express.price(&key(Network::Express, "Москва", PointKind::PickupPoint, 5000));
        assert!(near.cost < far.cost && near.days_max < far.days_max, "{near:?} {far:?}");
        assert!(near.cost < heavy.cost);
        assert_eq!(near.cost, 18_000, "a kilo within the city: 180 ₽");
    }

    #[test]
    fn lockers_are_cheaper_and_the_post_slower() {
        let express = DemoTariffs::new(Network::Express, carrier_of(Network::Express), origin("Москва"));
        let post = DemoTariffs::new(Network::Post, carrier_of(Network::Post), origin("Москва"));
        let office = express.price(&key(Network::Express, "Казань", PointKind::PickupPoint, 2000));
        let locker = express.price(&key(Network::Express, "Казань", PointKind::Locker, 2000));
        let by_post = post.price(&key(Network::Post, "Казань", PointKind::PostOffice, 2000));
        assert!(locker.cost < office.cost);
        assert!(by_post.days_max > office.days_max);
    }

    #[test]
    fn fees_follow_the_published_rates() {
        let express = DemoTariffs::new(Network::Express, carrier_of(Network::Express), origin("Москва"));
        let parcel = Parcel { weight_g: 1000, declared_value: 250_000, cash_on_delivery: 250_000, ..Parcel::default() };
        assert_eq!(express.fees(&parcel), Included { insurance: 1_875, cash_on_delivery_fee: 7_500 });
    }

    #[test]
    fn an_unknown_shop_city_prices_from_moscow() {
        assert_eq!(origin("Атлантида"), origin("москва"));
        assert_ne!(origin("Казань"), origin("Москва"));
    }

    #[test]
    fn the_post_finds_the_sending_office_by_postcode() {
        assert_eq!(postal_origin("420015"), Some(origin("Казань")));
        assert_eq!(postal_origin("999999"), None);
        assert_eq!(postal_origin("42"), None);
    }
}
