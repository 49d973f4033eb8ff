//! Every pickup point the proxy serves, of all carriers, with what the API asks of them: one point by id,
//! the carriers and cities, and the clustered view of a map box under filters.

pub mod filter;
pub mod index;
pub mod live;
mod mercator;
pub mod names;
pub mod search;
pub mod words;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use pvz_shared::{BBox, CarrierInfo, CityInfo, Point, ViewResponse};
use time::OffsetDateTime;

use filter::{Filter, FilterQuery};
use index::Index;
use search::Places;

/// One carrier's points, as the network holds them.
pub struct CarrierPoints {
    pub name: pvz_shared::Carrier,
    /// The carrier's name for people.
    pub title: String,
    pub points: Vec<Point>,
    pub refreshed_at: OffsetDateTime,
    /// Built-in demo data rather than a real carrier.
    pub demo: bool,
}

impl CarrierPoints {
    /// The carrier without its points: what a sync fills in.
    pub fn clone_meta(&self) -> Self {
        Self {
            name: self.name.clone(),
            title: self.title.clone(),
            points: Vec::new(),
            refreshed_at: self.refreshed_at,
            demo: self.demo,
        }
    }
}

/// Which points are open, as a bit set by point position, for one minute.
struct OpenNow {
    /// Minutes since the Unix epoch that `open` was computed for.
    minute: i64,
    open: Arc<Vec<u64>>,
}

/// Counts networks built, so that what was computed from one is never taken for another's.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub struct Network {
    /// Which network this is, of those built in this process.
    generation: u64,
    /// All points of all carriers.
    points: Vec<Point>,
    /// Position in `points` of each id.
    by_id: HashMap<String, u32>,
    /// The carriers, in the index's carrier order.
    carriers: Vec<CarrierInfo>,
    /// Each carrier's points in `points`, by carrier order.
    ranges: Vec<std::ops::Range<usize>>,
    /// Whether each carrier is a built-in demo one, by carrier order.
    demo_flags: Vec<bool>,
    /// Only built-in demo carriers: they stand in for carriers a snippet names but the proxy lacks.
    demo_only: bool,
    /// Lower-case city name to the city's box, for starting the map there.
    cities: HashMap<String, CityInfo>,
    /// Each city's Latin key (see [`names::latin_key`]) to its key in `cities`, the larger city on a tie.
    latin_cities: HashMap<String, String>,
    index: Index,
    /// What the search box can find.
    places: Places,
    /// Computed at most once a minute, for the `open_now` filter. A std mutex: held only to swap an `Arc`.
    open_now: Mutex<Option<OpenNow>>,
}

impl Network {
    /// At most this many carriers: the filter keeps them as bits of a `u64`.
    pub const MAX_CARRIERS: usize = 64;

    pub fn new(carriers: Vec<CarrierPoints>) -> Self {
        let mut points = Vec::new();
        let mut entries = Vec::new();
        let mut demo_flags = Vec::new();
        let mut ranges = Vec::new();
        let mut demo_only = true;
        for data in carriers.into_iter().take(Self::MAX_CARRIERS) {
            ranges.push(points.len()..points.len() + data.points.len());
            demo_flags.push(data.demo);
            entries.push(CarrierInfo {
                name: data.name,
                title: data.title,
                points: data.points.len() as u32,
                refreshed_at: data.refreshed_at,
            });
            demo_only &= data.demo;
            points.extend(data.points);
        }
        let carrier_index: HashMap<_, _> = entries.iter().enumerate().map(|(i, c)| (c.name.clone(), i as u8)).collect();
        let index = Index::build(&points, |p| carrier_index.get(&p.carrier).copied().unwrap_or(0));
        let by_id = points.iter().enumerate().map(|(i, p)| (p.id.clone(), i as u32)).collect();
        let cities = cities(&points);
        let mut latin_cities: HashMap<String, String> = HashMap::new();
        for (key, info) in &cities {
            let latin = names::latin_key(&info.name);
            let larger = latin_cities.get(&latin).and_then(|k| cities.get(k)).is_none_or(|c| c.points < info.points);
            if larger {
                latin_cities.insert(latin, key.clone());
            }
        }
        let places = Places::build(&points, &cities);
        Self {
            generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            points,
            ranges,
            demo_flags,
            by_id,
            carriers: entries,
            demo_only,
            cities,
            latin_cities,
            index,
            places,
            open_now: Mutex::new(None),
        }
    }

    /// This network with `carrier`'s points replaced by `fresh` (added when the carrier is new); the other
    /// carriers' points are copied over.
    pub fn with_points(&self, fresh: CarrierPoints) -> Self {
        let mut carriers: Vec<CarrierPoints> = self
            .carriers
            .iter()
            .enumerate()
            .filter(|(_, info)| info.name != fresh.name)
            .map(|(i, info)| CarrierPoints {
                name: info.name.clone(),
                title: info.title.clone(),
                points: self.points[self.ranges[i].clone()].to_vec(),
                refreshed_at: info.refreshed_at,
                demo: self.demo_flags[i],
            })
            .collect();
        let at = self.carriers.iter().position(|c| c.name == fresh.name).unwrap_or(carriers.len());
        carriers.insert(at.min(carriers.len()), fresh);
        Self::new(carriers)
    }

    /// A copy of `carrier`'s points, in the order served.
    pub fn points_of(&self, carrier: &pvz_shared::Carrier) -> Vec<Point> {
        let at = self.carriers.iter().position(|c| &c.name == carrier);
        at.map(|i| self.points[self.ranges[i].clone()].to_vec()).unwrap_or_default()
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Point> {
        self.by_id.get(id).map(|&i| &self.points[i as usize])
    }

    pub fn carriers(&self) -> impl Iterator<Item = &CarrierInfo> {
        self.carriers.iter()
    }

    /// The city `name` means: its name in any case, a short or colloquial one («Питер»), or a Latin spelling.
    pub fn city(&self, name: &str) -> Option<&CityInfo> {
        let by_key = |key: &str| self.cities.get(&key.trim().to_lowercase());
        by_key(name)
            .or_else(|| names::alias(name).and_then(by_key))
            .or_else(|| self.latin_cities.get(&names::latin_key(name)).and_then(|key| self.cities.get(key)))
    }

    /// At most `limit` places and points matching what the buyer typed, best first.
    pub fn suggest(&self, query: &str, limit: usize) -> Vec<pvz_shared::Suggestion> {
        self.places.suggest(&self.points, query, limit)
    }

    /// The carriers of `names`, by their place in [`Network::carriers`].
    fn named(&self, names: &[String]) -> u64 {
        let named = self.carriers.iter().enumerate().filter(|(_, c)| names.contains(&c.name.0));
        named.fold(0u64, |set, (i, _)| set | 1 << i)
    }

    /// The carriers the shop ships with (the snippet's `data-carriers`), by their place in
    /// [`Network::carriers`]; `None` for all of them. A carrier the proxy does not serve matches nothing,
    /// except on a demo-only proxy, where the demo carriers stand in for it so that a production snippet
    /// works unchanged.
    pub fn shipped_with(&self, names: &[String]) -> Option<u64> {
        if names.is_empty() {
            return None;
        }
        let set = self.named(names);
        if set == 0 && self.demo_only { None } else { Some(set) }
    }

    /// Resolves carrier names.
    pub fn filter(&self, query: &FilterQuery) -> Filter {
        Filter {
            carriers: self.shipped_with(&query.carriers),
            only_carriers: (!query.only_carriers.is_empty()).then(|| self.named(&query.only_carriers)),
            kinds: query.kinds.iter().fold(0, |bits, k| bits | Filter::kind_bit(*k)),
            required: Filter::required_flags(query),
            open_now: query.open_now,
            weight_g: query.weight_g,
            dims: query.dims,
        }
    }

    /// The clustered view of `bbox` at `zoom` under `filter`, with "open now" judged at `now`.
    pub fn view(&self, bbox: BBox, zoom: u8, filter: &Filter, now: OffsetDateTime) -> ViewResponse {
        let open_set = self.open_at(now);
        let open = |i: u32| open_set[i as usize / 64] & (1 << (i % 64)) != 0;
        let fits = |i: u32| filter.dims.is_none_or(|dims| self.points[i as usize].limits.accepts(None, Some(dims)));
        self.index.view(&self.points, &self.carriers, bbox, zoom, filter, open, fits)
    }

    fn open_at(&self, now: OffsetDateTime) -> Arc<Vec<u64>> {
        let minute = now.unix_timestamp().div_euclid(60);
        let mut cached = self.open_now.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(c) = cached.as_ref().filter(|c| c.minute == minute) {
            return Arc::clone(&c.open);
        }
        let mut open = vec![0u64; self.points.len().div_ceil(64)];
        for (i, p) in self.points.iter().enumerate() {
            if p.hours.status(now, p.timezone.offset()).is_open() {
                open[i / 64] |= 1 << (i % 64);
            }
        }
        let open = Arc::new(open);
        *cached = Some(OpenNow { minute, open: Arc::clone(&open) });
        open
    }
}

/// Each city name's box: of the towns that share a name, the one with the most points.
fn cities(points: &[Point]) -> HashMap<String, CityInfo> {
    let mut groups: HashMap<(&str, &str), Vec<pvz_shared::LatLon>> = HashMap::new();
    for p in points {
        groups.entry((&p.address.city, &p.address.region)).or_default().push(p.location);
    }
    let mut cities: HashMap<String, CityInfo> = HashMap::new();
    for ((name, region), locations) in groups {
        let Some(bounds) = BBox::around(locations.iter().copied()) else { continue };
        let info = CityInfo { name: name.into(), region: region.into(), bounds, points: locations.len() as u32 };
        let key = name.to_lowercase();
        if cities.get(&key).is_none_or(|known| known.points < info.points) {
            cities.insert(key, info);
        }
    }
    cities
}

#[cfg(test)]
mod tests;
