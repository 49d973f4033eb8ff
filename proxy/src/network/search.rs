//! Suggestions for the widget's search box, from the network's own data: cities, metro stations, postcodes,
//! addresses and point codes, so that no outside geocoder is needed. Each place is kept with one normalised
//! text of its words; a query matches a place when every word of the query begins a word of the place.
//! Places are kept in the order the kinds are offered (cities first), so a common query stops early; measured
//! in `benches/network.rs`.

use std::collections::HashMap;

use pvz_shared::{BBox, CityInfo, LatLon, Point, Suggestion, SuggestionKind};

/// The longest query taken, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// Every place a query can find.
pub struct Places {
    /// Best kinds first.
    places: Vec<Place>,
}

struct Place {
    /// The place's words, lower case, each after a space: `" м тверская"`.
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

/// Lower case, `ё` as `е`, every run of other characters than letters and digits as one space, with a
/// leading space so that `" " + word` finds a word's beginning.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c == 'ё' { 'е' } else { c };
        if c.is_alphanumeric() {
            if out.is_empty() {
                out.push(' ');
            }
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
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
            let words = normalise(&g.label).into_boxed_str();
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
                words: normalise(&c.name).into_boxed_str(),
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
                .map(|(address, i)| Place { words: normalise(address).into_boxed_str(), what: What::Address(i) }),
        );

        places.extend(points.iter().enumerate().map(|(i, p)| Place {
            words: normalise(p.id.split_once(':').map_or(p.id.as_str(), |(_, code)| code)).into_boxed_str(),
            what: What::Point(i as u32),
        }));
        places.shrink_to_fit();
        Self { places }
    }

    /// At most `limit` places matching `query`, best kinds first; none for a query without words. `points`
    /// are the ones the places were built from.
    pub fn suggest(&self, points: &[Point], query: &str, limit: usize) -> Vec<Suggestion> {
        let query = normalise(query);
        let words: Vec<String> = query.split(' ').filter(|w| !w.is_empty()).map(|w| format!(" {w}")).collect();
        if words.is_empty() {
            return Vec::new();
        }
        self.places
            .iter()
            .filter(|place| words.iter().all(|w| place.words.contains(w.as_str())))
            .filter_map(|place| place.what.suggestion(points))
            .take(limit)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_keeps_words_lower_case_with_e_for_yo() {
        assert_eq!(normalise("  Москва, ул. Щёлковская, д. 12/1 "), " москва ул щелковская д 12 1");
        assert_eq!(normalise("demo-express:10100034"), " demo express 10100034");
        assert_eq!(normalise(" ,.; "), "");
    }
}
