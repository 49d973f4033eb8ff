//! Suggestions for the widget's search box, from the network's own data: cities, metro stations, postcodes,
//! addresses and point codes, so that no outside geocoder is needed. Each place is kept with one text of its
//! words (see [`words`]); a query matches a place when every name it has begins a word of the place. A
//! street kind typed with a name («Тверская улица», «ул. Тверская») ranks the places where the name stands
//! beside that kind first and rules out those where it stands beside another («Тверская обл.»). Short city
//! names («СПб»), Latin spellings (`moskva`) and the Latin keyboard layout (`Vjcrdf`) are read as meant.
//! Places are kept in the order the kinds are offered (cities first), so a common query stops early; measured
//! in `benches/network.rs`.

use std::collections::HashMap;

use pvz_shared::{BBox, CityInfo, LatLon, Point, Suggestion, SuggestionKind};

use super::names;
use super::words::{self, Kind, Word, place_text};

/// The longest query taken, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// Every place a query can find.
pub struct Places {
    /// Best kinds first.
    places: Vec<Place>,
    /// Cities and metro stations by the Latin keys of their words (see [`names::latin_key`]), with their
    /// index in `places`, for a query typed in Latin letters.
    latin: Vec<(Box<str>, u32)>,
}

struct Place {
    /// The place's words, each after a space, kinds in full, then those of where it is after [`CONTEXT`]:
    /// `" метро тверская | москва"`.
    words: Box<str>,
    what: What,
}

/// What a place suggests: a group of points made into a suggestion once, or one point (its address or its
/// code), made into a suggestion only when found, so that tens of thousands of points cost no copies.
enum What {
    Group(Box<Suggestion>),
    Address(u32),
    Point(u32),
}

impl What {
    fn suggestion(&self, points: &[Point]) -> Option<Suggestion> {
        let (kind, i) = match self {
            Self::Group(suggestion) => return Some(suggestion.as_ref().clone()),
            Self::Address(i) => (SuggestionKind::Address, *i),
            Self::Point(i) => (SuggestionKind::Point, *i),
        };
        let p = points.get(i as usize)?;
        let (label, detail) = match kind {
            SuggestionKind::Address => (p.address.full.clone(), p.address.city.clone()),
            _ => (p.name.clone(), p.address.full.clone()),
        };
        Some(Suggestion { kind, label, detail, location: p.location, bounds: None })
    }
}

/// How well a place answers a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Every name, and each kind typed beside a name where the place has it.
    Close,
    /// Every name; the kinds typed are not beside them, nor is another street kind.
    Loose,
}

/// One way of reading what the buyer typed.
#[derive(Debug, Default)]
struct Reading {
    /// The words a place's words must begin with, each after a space.
    names: Vec<String>,
    kinds: Vec<Kind>,
}

impl Reading {
    /// `text`, with a city's short or colloquial name («СПб», «мск») read as the city.
    fn of(text: &str) -> Self {
        let typed: Vec<String> = match names::alias(text) {
            Some(city) => words::split(city).collect(),
            None => words::split(text)
                .flat_map(|word| match names::alias(&word) {
                    Some(city) if !words::split(city).any(|w| w == word) => words::split(city).collect(),
                    _ => vec![word],
                })
                .collect(),
        };
        let mut reading = Self::default();
        for word in typed.into_iter().map(words::read) {
            match word {
                Word::Name(name) => reading.names.push(format!(" {name}")),
                Word::Kind(kind) => reading.kinds.push(kind),
            }
        }
        // Kinds alone are what the buyer is looking for: «ул» may yet become «Ульяновская».
        if reading.names.is_empty() {
            reading.names = reading.kinds.drain(..).map(|kind| format!(" {}", kind.needle)).collect();
        }
        reading
    }

    /// How `words` (a place's) answer this reading; `None` when they do not.
    fn fit(&self, words: &str) -> Option<Fit> {
        if !has_names(words, &self.names) {
            return None;
        }
        if self.kinds.is_empty() {
            return Some(Fit::Close);
        }
        let own = words.split_once(CONTEXT).map_or(words, |(own, _)| own);
        let list: Vec<&str> = own.split(' ').skip(1).collect();
        let (mut ours, mut other) = (false, false);
        for (i, word) in list.iter().enumerate() {
            if !self.names.iter().any(|name| word.starts_with(&name[1..])) {
                continue;
            }
            for beside in [i.checked_sub(1).and_then(|j| list.get(j)), list.get(i + 1)].into_iter().flatten() {
                if self.kinds.iter().any(|kind| beside.starts_with(kind.needle.as_str())) {
                    ours = true;
                } else if words::is_street_kind(beside) {
                    other = true;
                }
            }
        }
        match (ours, other) {
            (true, _) => Some(Fit::Close),
            (false, true) => None,
            (false, false) => Some(Fit::Loose),
        }
    }
}

/// Between a place's own words and the words of where it is (a station's city), which a query may add to
/// its own: «Невский СПб» finds the station, «СПб» alone does not list every station of the city.
const CONTEXT: &str = " |";

/// Whether every one of `names` begins a word of `words`, one at least of the place's own words.
fn has_names(words: &str, names: &[String]) -> bool {
    let (own, context) = words.split_once(CONTEXT).unwrap_or((words, ""));
    !names.is_empty()
        && names.iter().all(|name| own.contains(name.as_str()) || context.contains(name.as_str()))
        && names.iter().any(|name| own.contains(name.as_str()))
}

/// The places found so far, close ones and loose ones apart, each once.
struct Found {
    limit: usize,
    close: Vec<u32>,
    loose: Vec<u32>,
}

impl Found {
    fn add(&mut self, place: u32, fit: Fit) {
        if self.close.contains(&place) || self.loose.contains(&place) {
            return;
        }
        match fit {
            Fit::Close => self.close.push(place),
            Fit::Loose if self.loose.len() < self.limit => self.loose.push(place),
            Fit::Loose => {}
        }
    }

    fn full(&self) -> bool {
        self.close.len() >= self.limit
    }
}

/// The places sharing a key, gathered before they become suggestions.
#[derive(Default)]
struct Group {
    label: String,
    detail: String,
    locations: Vec<LatLon>,
}

/// Suggestions for `groups`; `with_bounds` shows each group's whole box, otherwise its centre close up.
fn grouped(kind: SuggestionKind, groups: HashMap<String, Group>, with_bounds: bool) -> Vec<Place> {
    let mut places: Vec<(usize, Place)> = groups
        .into_values()
        .filter_map(|g| {
            let bounds = BBox::around(g.locations.iter().copied())?;
            let location = bounds.centre();
            let words = format!("{}{CONTEXT}{}", place_text(&g.label), place_text(&g.detail)).into_boxed_str();
            let bounds = with_bounds.then_some(bounds);
            let suggestion = Suggestion { kind, label: g.label, detail: g.detail, location, bounds };
            Some((g.locations.len(), Place { words, what: What::Group(Box::new(suggestion)) }))
        })
        .collect();
    // Places with more points first, then by name, so that answers do not change between starts.
    places.sort_by(|(a, pa), (b, pb)| b.cmp(a).then_with(|| pa.words.cmp(&pb.words)));
    places.into_iter().map(|(_, p)| p).collect()
}

impl Places {
    pub fn build(points: &[Point], cities: &HashMap<String, CityInfo>) -> Self {
        let mut city_list: Vec<&CityInfo> = cities.values().collect();
        city_list.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.name.cmp(&b.name)));
        let mut places: Vec<Place> = city_list
            .into_iter()
            .map(|c| Place {
                // A city is found the way addresses name it too: «г. Москва».
                words: place_text(&format!("г. {}", c.name)).into_boxed_str(),
                what: What::Group(Box::new(Suggestion {
                    kind: SuggestionKind::City,
                    label: c.name.clone(),
                    detail: c.region.clone(),
                    location: c.bounds.centre(),
                    bounds: Some(c.bounds),
                })),
            })
            .collect();

        let mut metro: HashMap<String, Group> = HashMap::new();
        let mut postcodes: HashMap<String, Group> = HashMap::new();
        for p in points {
            if let Some(station) = p.metro.as_deref().filter(|s| !s.trim().is_empty()) {
                let group = metro.entry(format!("{}\n{station}", p.address.city)).or_default();
                if group.locations.is_empty() {
                    group.label = format!("м. {station}");
                    group.detail = p.address.city.clone();
                }
                group.locations.push(p.location);
            }
            if !p.address.postal_code.is_empty() {
                let group = postcodes.entry(p.address.postal_code.clone()).or_default();
                if group.locations.is_empty() {
                    group.label = p.address.postal_code.clone();
                    group.detail = p.address.city.clone();
                }
                group.locations.push(p.location);
            }
        }
        // A station's points may lie anywhere it is the nearest to, so the map shows its surroundings.
        places.extend(grouped(SuggestionKind::Metro, metro, false));
        places.extend(grouped(SuggestionKind::PostalCode, postcodes, true));

        let mut addresses: HashMap<&str, u32> = HashMap::new();
        for (i, p) in points.iter().enumerate() {
            addresses.entry(p.address.full.as_str()).or_insert(i as u32);
        }
        let mut address_list: Vec<(&str, u32)> = addresses.into_iter().collect();
        address_list.sort_unstable();
        places.extend(
            address_list
                .into_iter()
                .map(|(address, i)| Place { words: place_text(address).into_boxed_str(), what: What::Address(i) }),
        );

        places.extend(points.iter().enumerate().map(|(i, p)| Place {
            words: words::normalise(p.id.split_once(':').map_or(p.id.as_str(), |(_, code)| code)).into_boxed_str(),
            what: What::Point(i as u32),
        }));
        places.shrink_to_fit();
        let latin = places
            .iter()
            .enumerate()
            .take_while(|(_, place)| {
                matches!(&place.what, What::Group(g) if matches!(g.kind, SuggestionKind::City | SuggestionKind::Metro))
            })
            .map(|(i, place)| (latin_words(&place.words).into_boxed_str(), i as u32))
            .collect();
        Self { places, latin }
    }

    /// At most `limit` places matching `query`, best kinds first; none for a query without words. `points`
    /// are the ones the places were built from.
    pub fn suggest(&self, points: &[Point], query: &str, limit: usize) -> Vec<Suggestion> {
        let mut found = Found { limit, close: Vec::new(), loose: Vec::new() };
        self.scan(&Reading::of(query), &mut found);
        if !words::has_cyrillic(query) {
            let typed: Vec<String> =
                words::split(query).map(|w| format!(" {}", names::latin_key(&w))).filter(|w| w.len() > 1).collect();
            // Latin names are of cities and stations: a query with digits is a code or a house.
            if !typed.is_empty() && !query.chars().any(|c| c.is_ascii_digit()) {
                for (latin, i) in &self.latin {
                    if found.full() {
                        break;
                    }
                    if has_names(latin, &typed) {
                        found.add(*i, Fit::Close);
                    }
                }
            }
            if let Some(swapped) = words::russian_layout(query) {
                self.scan(&Reading::of(&swapped), &mut found);
            }
        }
        let Found { close, loose, .. } = found;
        close
            .into_iter()
            .chain(loose)
            .filter_map(|i| self.places.get(i as usize)?.what.suggestion(points))
            .take(limit)
            .collect()
    }

    /// Adds the places `reading` finds, in the places' order, until enough close ones are found.
    fn scan(&self, reading: &Reading, found: &mut Found) {
        for (i, place) in self.places.iter().enumerate() {
            if found.full() {
                return;
            }
            if let Some(fit) = reading.fit(&place.words) {
                found.add(i as u32, fit);
            }
        }
    }
}

/// A place's words as Latin keys, each after a space: `" metro tverskaia"`.
fn latin_words(words: &str) -> String {
    let latin = |part: &str| -> String {
        part.split(' ').filter(|w| !w.is_empty()).map(|w| format!(" {}", names::latin_key(w))).collect()
    };
    match words.split_once(CONTEXT) {
        Some((own, context)) => format!("{}{CONTEXT}{}", latin(own), latin(context)),
        None => latin(words),
    }
}
