//! The optional outside geocoder (`PVZ_GEOCODER_URL`, a Nominatim-compatible `search` endpoint), asked when
//! the network's own places do not fill the search box's suggestions, so that a buyer can type any address,
//! and for the addresses a courier comes to (with Nominatim's `addressdetails`: street, house, postcode).
//! Answers are cached per query for a day and concurrent identical queries make one call; a slow or failing
//! geocoder costs the buyer only those extra lines, never the local ones.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use pvz_shared::{AddressSuggestion, BBox, DoorAddress, LatLon, Suggestion, SuggestionKind};
use serde::Deserialize;

use crate::network::words::normalise;

/// Longer than this and the buyer is better served by the local suggestions alone.
const TIMEOUT: Duration = Duration::from_secs(2);
const CACHE_TTL: Duration = Duration::from_secs(24 * 3600);
const CACHE_ENTRIES: u64 = 10_000;

pub struct Geocoder {
    client: reqwest::Client,
    url: reqwest::Url,
    /// By normalised query; failures are not kept.
    cache: Cache<String, Arc<Vec<Suggestion>>>,
    /// Door addresses, by normalised query and city.
    doors: Cache<String, Arc<Vec<AddressSuggestion>>>,
}

/// One result of `format=jsonv2&addressdetails=1`.
#[derive(Debug, Deserialize)]
struct DetailedPlace {
    lat: String,
    lon: String,
    display_name: String,
    #[serde(default)]
    address: Details,
}

/// Nominatim's `address` object: the parts it knows, each under its own key.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Details {
    road: Option<String>,
    pedestrian: Option<String>,
    house_number: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    town: Option<String>,
    village: Option<String>,
    state: Option<String>,
}

impl DetailedPlace {
    fn address(self) -> Option<AddressSuggestion> {
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let location = LatLon { lat: number(&self.lat)?, lon: number(&self.lon)? };
        let a = self.address;
        let street = a.road.or(a.pedestrian)?;
        let city = a.city.or(a.town).or(a.village)?;
        let house = a.house_number.unwrap_or_default();
        if !location.is_valid() || street.chars().count() > 200 || house.chars().count() > 20 {
            return None;
        }
        let postal_code =
            a.postcode.filter(|p| p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit())).unwrap_or_default();
        let label = if house.is_empty() { street.clone() } else { format!("{street}, {house}") };
        Some(AddressSuggestion {
            label,
            precise: !house.is_empty(),
            address: DoorAddress {
                full: self.display_name.chars().take(500).collect(),
                city,
                region: a.state.unwrap_or_default(),
                street,
                house,
                flat: String::new(),
                postal_code,
                location,
            },
        })
    }
}

/// One result of Nominatim's `format=jsonv2`; coordinates come as strings.
#[derive(Debug, Deserialize)]
struct Place {
    lat: String,
    lon: String,
    display_name: String,
    /// `[south, north, west, east]`.
    #[serde(default)]
    boundingbox: Vec<String>,
}

impl Place {
    fn suggestion(self) -> Option<Suggestion> {
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let location = LatLon { lat: number(&self.lat)?, lon: number(&self.lon)? };
        if !location.is_valid() {
            return None;
        }
        let bounds = match self.boundingbox.iter().map(|s| number(s)).collect::<Option<Vec<_>>>().as_deref() {
            Some(&[south, north, west, east]) if south < north && west < east => {
                Some(BBox { west, south, east, north })
            }
            _ => None,
        };
        let (label, detail) = match self.display_name.split_once(", ") {
            Some((first, rest)) => (first.to_string(), rest.to_string()),
            None => (self.display_name, String::new()),
        };
        Some(Suggestion { kind: SuggestionKind::Geocoded, label, detail, location, bounds })
    }
}

impl Geocoder {
    pub fn new(url: reqwest::Url) -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("pvz-proxy/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        let cache = Cache::builder().max_capacity(CACHE_ENTRIES).time_to_live(CACHE_TTL).build();
        let doors = Cache::builder().max_capacity(CACHE_ENTRIES).time_to_live(CACHE_TTL).build();
        Self { client, url, cache, doors }
    }

    /// Up to `limit` addresses for `query`; none when the geocoder fails, which is logged.
    pub async fn search(&self, query: &str, limit: usize) -> Vec<Suggestion> {
        let key = normalise(query);
        let found = self.cache.try_get_with(key, self.ask(query, limit)).await;
        match found {
            Ok(found) => found.iter().take(limit).cloned().collect(),
            Err(err) => {
                tracing::warn!(error = %err, "geocoder failed; local suggestions only");
                Vec::new()
            }
        }
    }

    /// Up to `limit` addresses a courier can come to for `query`, in `city` when given; none when the
    /// geocoder fails, which is logged.
    pub async fn addresses(&self, query: &str, city: Option<&str>, limit: usize) -> Vec<AddressSuggestion> {
        let asked = match city {
            Some(city) => format!("{query}, {city}"),
            None => query.to_string(),
        };
        let found = self.doors.try_get_with(normalise(&asked), self.ask_addresses(&asked, limit)).await;
        match found {
            Ok(found) => found.iter().take(limit).cloned().collect(),
            Err(err) => {
                tracing::warn!(error = %err, "geocoder failed; the proxy's own addresses only");
                Vec::new()
            }
        }
    }

    async fn ask_addresses(&self, query: &str, limit: usize) -> Result<Arc<Vec<AddressSuggestion>>, String> {
        let limit = limit.to_string();
        let params =
            [("q", query), ("format", "jsonv2"), ("addressdetails", "1"), ("limit", &limit), ("countrycodes", "ru")];
        let response = self.client.get(self.url.clone()).query(&params).send().await.map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let places: Vec<DetailedPlace> = response.json().await.map_err(|e| format!("unreadable answer: {e}"))?;
        Ok(Arc::new(places.into_iter().filter_map(DetailedPlace::address).collect()))
    }

    async fn ask(&self, query: &str, limit: usize) -> Result<Arc<Vec<Suggestion>>, String> {
        let limit = limit.to_string();
        let params = [("q", query), ("format", "jsonv2"), ("limit", &limit), ("countrycodes", "ru")];
        let response = self.client.get(self.url.clone()).query(&params).send().await.map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let places: Vec<Place> = response.json().await.map_err(|e| format!("unreadable answer: {e}"))?;
        Ok(Arc::new(places.into_iter().filter_map(Place::suggestion).collect()))
    }
}
