//! The demo networks' city map: every demo city's streets with their houses, so that a buyer can type an
//! address for a courier with no geocoder and no internet (`cargo xtask run`). The streets are the ones the
//! demo points stand on; each has its own run of houses, a place in its city and a postcode, all derived
//! from its name, so the same address is always in the same place.

use pvz_shared::{AddressSuggestion, DoorAddress, LatLon};

use super::cities::{CITIES, City, STREETS};
use crate::carriers::AddressBook;
use crate::network::words::{kind, split};

/// A demo street: its city, its name and how many houses it has.
struct Street {
    city: &'static City,
    name: &'static str,
    houses: u32,
    /// Where house 1 stands, and the step to the next house along the street.
    start: LatLon,
    step: (f64, f64),
    postal_code: String,
    /// The name's words, lower case, without its kind: what a query matches.
    words: Vec<String>,
    /// Its kind in full: «улица», «проспект».
    kind: Option<&'static str>,
}

/// FNV-1a: a stable number of a name, for the street's made-up facts.
fn stable(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

pub struct DemoStreets {
    streets: Vec<Street>,
}

impl DemoStreets {
    pub fn new() -> Self {
        let streets = CITIES
            .iter()
            .flat_map(|city| STREETS.iter().map(move |name| (city, *name)))
            .map(|(city, name)| {
                let h = stable(&format!("{}|{name}", city.name));
                // Within about 6 km of the centre, running in its own direction.
                let angle = (h % 360) as f64 * std::f64::consts::PI / 180.0;
                let reach = 0.01 + (h >> 9) as f64 % 50.0 / 1000.0;
                let heading = ((h >> 17) % 360) as f64 * std::f64::consts::PI / 180.0;
                let km_lon = 1.0 / (111.0 * city.lat.to_radians().cos());
                Street {
                    city,
                    name,
                    houses: 20 + (h >> 27) as u32 % 140,
                    start: LatLon { lat: city.lat + reach * angle.sin(), lon: city.lon + reach * angle.cos() * 1.7 },
                    step: (0.03 / 111.0 * heading.sin(), 0.03 * km_lon * heading.cos()),
                    postal_code: format!("{:03}{:03}", city.postal_prefix, (h >> 40) % 1000),
                    words: split(name).filter(|w| kind(w).is_none()).collect(),
                    kind: split(name).find_map(|w| kind(&w)),
                }
            })
            .collect();
        Self { streets }
    }

    fn address(street: &Street, house: Option<u32>) -> AddressSuggestion {
        let n = house.unwrap_or(1);
        let location = LatLon {
            lat: street.start.lat + street.step.0 * f64::from(n),
            lon: street.start.lon + street.step.1 * f64::from(n),
        };
        let house_text = house.map(|n| n.to_string()).unwrap_or_default();
        let label = match house {
            Some(n) => format!("{}, {n}", street.name),
            None => street.name.to_string(),
        };
        let full = match house {
            Some(n) => format!("{}, г. {}, {}, д. {n}", street.postal_code, street.city.name, street.name),
            None => format!("г. {}, {}", street.city.name, street.name),
        };
        AddressSuggestion {
            label,
            precise: house.is_some(),
            address: DoorAddress {
                full,
                city: street.city.name.into(),
                region: street.city.region.into(),
                street: street.name.into(),
                house: house_text,
                flat: String::new(),
                postal_code: street.postal_code.clone(),
                location,
            },
        }
    }
}

/// A typed house: its number and what follows it («12к2» is 12).
fn house_number(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

impl AddressBook for DemoStreets {
    fn suggest(&self, query: &str, city: Option<&str>, limit: usize) -> Vec<AddressSuggestion> {
        let typed_kind = split(query).find_map(|w| kind(&w).filter(|k| *k != "город"));
        let words: Vec<String> = split(query).filter(|w| kind(w).is_none() && w != "д" && w != "дом").collect();
        let house = words.iter().rev().find_map(|w| house_number(w));
        let names: Vec<&String> = words.iter().filter(|w| house_number(w).is_none()).collect();
        let city = city.map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty());
        // The city may be typed first: «Казань, Ленина 5».
        let (city, names): (Option<String>, Vec<&String>) = match (&city, names.first()) {
            (None, Some(first)) if CITIES.iter().any(|c| c.name.to_lowercase() == **first) => {
                (Some((*first).clone()), names[1..].to_vec())
            }
            _ => (city, names),
        };
        if names.is_empty() {
            return Vec::new();
        }
        self.streets
            .iter()
            .filter(|s| city.as_ref().is_none_or(|c| s.city.name.to_lowercase() == *c))
            .filter(|s| typed_kind.is_none() || s.kind == typed_kind)
            .filter(|s| names.iter().all(|typed| s.words.iter().any(|w| w.starts_with(typed.as_str()))))
            .filter(|s| house.is_none_or(|n| n <= s.houses))
            .take(limit)
            .map(|s| Self::address(s, house))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_street_and_a_house_make_one_precise_address_and_a_street_alone_asks_for_the_house() {
        let book = DemoStreets::new();
        let both = book.suggest("ленина 12", Some("Казань"), 10);
        let labels: Vec<&str> = both.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["ул. Ленина, 12", "пр-т Ленина, 12"]);
        let found = book.suggest("ул ленина 12", Some("Казань"), 10);
        assert_eq!(found.len(), 1, "the street's kind typed: {found:?}");
        assert_eq!(found[0].label, "ул. Ленина, 12");
        assert!(found[0].precise && found[0].address.is_precise());
        assert_eq!(found[0].address.city, "Казань");
        assert!(found[0].address.postal_code.starts_with("420"), "{:?}", found[0].address);
        let street = book.suggest("ул. Лени", Some("казань"), 10);
        assert!(!street.is_empty() && street.iter().all(|s| !s.precise && s.address.house.is_empty()), "{street:?}");
        let again = book.suggest("Казань, улица Ленина, д. 12", None, 10);
        assert_eq!(again, found, "the city typed first, the house with «д.»");
    }

    #[test]
    fn a_house_past_the_end_of_the_street_or_an_unknown_street_finds_nothing() {
        let book = DemoStreets::new();
        assert!(book.suggest("ленина 9999", Some("Казань"), 10).is_empty());
        assert!(book.suggest("несуществующая 5", Some("Казань"), 10).is_empty());
        assert!(book.suggest("12", Some("Казань"), 10).is_empty(), "a house needs its street");
    }
}
