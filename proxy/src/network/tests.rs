//! The network's view against a brute-force count over the demo data, filter by filter.

use std::sync::OnceLock;

use pvz_shared::{BBox, LatLon, Point, PointKind};
use time::macros::datetime;

use super::*;
use crate::carriers;
use crate::config::Config;

fn network() -> &'static Network {
    static NETWORK: OnceLock<Network> = OnceLock::new();
    NETWORK.get_or_init(|| {
        Network::new(
            carriers::demo::carriers(&Config::from_sources(|_| None, []).unwrap())
                .into_iter()
                .map(|c| c.points)
                .collect(),
        )
    })
}

const RUSSIA: BBox = BBox { west: 15.0, south: 40.0, east: 180.0, north: 78.0 };
const MOSCOW: BBox = BBox { west: 37.2, south: 55.5, east: 38.0, north: 56.0 };
const NOW: OffsetDateTime = datetime!(2026-11-23 07:30 UTC);

fn brute(bbox: BBox, keep: impl Fn(&Point) -> bool) -> u32 {
    network().points.iter().filter(|p| bbox.contains(p.location) && keep(p)).count() as u32
}

fn view(bbox: BBox, zoom: u8, query: FilterQuery) -> ViewResponse {
    let net = network();
    net.view(bbox, zoom, &net.filter(&query), NOW)
}

fn counted(v: &ViewResponse) -> u32 {
    v.clusters.iter().map(|c| c.count).sum::<u32>() + v.points.len() as u32
}

#[test]
fn the_whole_country_comes_as_a_few_clusters_that_add_up_to_every_point() {
    let v = view(RUSSIA, 3, FilterQuery::default());
    assert_eq!(v.total, network().len() as u32);
    assert_eq!(counted(&v), v.total);
    assert!(v.clusters.len() < 300, "{} clusters", v.clusters.len());
}

#[test]
fn every_filter_matches_a_brute_force_count() {
    type Keep = Box<dyn Fn(&Point) -> bool>;
    let cases: Vec<(FilterQuery, Keep)> = vec![
        (
            FilterQuery { kinds: vec![PointKind::Locker], ..Default::default() },
            Box::new(|p| p.kind == PointKind::Locker),
        ),
        (FilterQuery { card: true, ..Default::default() }, Box::new(|p| p.payment.card)),
        (
            FilterQuery { cash_on_delivery: true, cash: true, ..Default::default() },
            Box::new(|p| p.payment.cash_on_delivery && p.payment.cash),
        ),
        (FilterQuery { fitting_room: true, ..Default::default() }, Box::new(|p| p.fitting_room)),
        (FilterQuery { round_the_clock: true, ..Default::default() }, Box::new(|p| p.hours.is_round_the_clock())),
        (
            FilterQuery { weight_g: Some(20_000), ..Default::default() },
            Box::new(|p| p.limits.max_weight_g.is_none_or(|m| m >= 20_000)),
        ),
        (
            FilterQuery { dims: Some("70x30x30".parse().unwrap()), ..Default::default() },
            Box::new(|p| p.limits.accepts(None, Some("70x30x30".parse().unwrap()))),
        ),
        (
            FilterQuery { open_now: true, ..Default::default() },
            Box::new(|p| p.hours.status(NOW, p.timezone.offset()).is_open()),
        ),
        (
            FilterQuery { carriers: vec!["demo-post".into()], ..Default::default() },
            Box::new(|p| p.carrier.0 == "demo-post"),
        ),
    ];
    for (query, keep) in cases {
        let expected = brute(MOSCOW, &keep);
        let v = view(MOSCOW, 11, query.clone());
        assert_eq!(v.total, expected, "{query:?}");
        assert_eq!(counted(&v), expected, "{query:?}");
        assert!(expected > 0 && expected < brute(MOSCOW, |_| true), "{query:?} should narrow the view");
    }
}

#[test]
fn open_now_differs_between_day_and_night() {
    let net = network();
    let open = net.filter(&FilterQuery { open_now: true, ..Default::default() });
    let day = net.view(MOSCOW, 11, &open, datetime!(2026-11-23 09:00 UTC)).total;
    let night = net.view(MOSCOW, 11, &open, datetime!(2026-11-23 01:00 UTC)).total;
    assert!(night < day / 2, "night {night}, day {day}");
    assert!(night > 0, "round-the-clock lockers stay open");
}

#[test]
fn close_up_every_point_comes_alone_inside_the_box() {
    let street = BBox { west: 37.60, south: 55.75, east: 37.63, north: 55.765 };
    let v = view(street, 16, FilterQuery::default());
    assert!(v.clusters.is_empty());
    assert_eq!(v.points.len() as u32, brute(street, |_| true));
    assert!(!v.points.is_empty());
    assert!(v.points.iter().all(|p| street.contains(LatLon { lat: p.lat, lon: p.lon })));
}

#[test]
fn a_box_far_larger_than_a_screen_at_its_zoom_is_drawn_at_the_zoom_that_fits() {
    let net = network();
    let view = net.view(RUSSIA, 14, &Filter::default(), NOW);
    // 165 of 360 degrees: 7,509 px across at zoom 6, twice that at 7.
    assert_eq!(view.zoom, 6);
    assert_eq!(view, net.view(RUSSIA, view.zoom, &Filter::default(), NOW));
}

#[test]
fn on_a_demo_proxy_the_demo_carriers_stand_in_for_real_ones() {
    let v =
        view(MOSCOW, 11, FilterQuery { carriers: vec!["courier-one".into(), "post-two".into()], ..Default::default() });
    assert_eq!(v.total, brute(MOSCOW, |_| true));
}

#[test]
fn cities_are_found_by_name_in_any_case() {
    let moscow = network().city("  МОСКВА ").expect("Moscow");
    assert_eq!(moscow.name, "Москва");
    assert!(moscow.bounds.contains(LatLon { lat: 55.7558, lon: 37.6173 }));
    assert!(moscow.points > 1000);
    assert!(network().city("Атлантида").is_none());
    for (said, meant) in
        [("Питер", "Санкт-Петербург"), ("СПб", "Санкт-Петербург"), ("Moscow", "Москва"), ("kazan", "Казань")]
    {
        assert_eq!(network().city(said).map(|c| c.name.as_str()), Some(meant), "{said}");
    }
}

#[test]
fn carriers_are_listed_with_their_point_counts() {
    let total: u32 = network().carriers().map(|c| c.points).sum();
    assert_eq!(total as usize, network().len());
    assert_eq!(network().carriers().count(), 2);
}

#[test]
fn every_point_is_found_by_its_id() {
    let net = network();
    for p in net.points.iter().step_by(997) {
        assert_eq!(net.get(&p.id), Some(p));
    }
    assert_eq!(net.get("demo-post:nope"), None);
}

#[test]
fn the_points_a_parcel_hides_are_counted_by_reason() {
    let dims = "70x30x30".parse().unwrap();
    let v = view(MOSCOW, 11, FilterQuery { weight_g: Some(20_000), dims: Some(dims), ..Default::default() });
    let heavy = |p: &Point| p.limits.max_weight_g.is_some_and(|m| m < 20_000);
    assert_eq!(v.hidden.too_heavy, brute(MOSCOW, heavy));
    assert_eq!(v.hidden.too_big, brute(MOSCOW, |p| !heavy(p) && !p.limits.accepts(None, Some(dims))));
    assert!(v.hidden.too_heavy > 0 && v.hidden.too_big == 0, "lockers take 15 kg, so weight hides them first");
    assert_eq!(v.total + v.hidden.too_heavy + v.hidden.too_big, brute(MOSCOW, |_| true));
    let small = view(MOSCOW, 11, FilterQuery { dims: Some(dims), ..Default::default() });
    assert!(small.hidden.too_big > 0 && small.hidden.too_heavy == 0);
}

#[test]
fn facets_count_the_points_each_chip_would_keep_beside_the_other_pressed_chips() {
    let parcel = FilterQuery { weight_g: Some(1200), ..Default::default() };
    let v = view(MOSCOW, 11, FilterQuery { kinds: vec![PointKind::Locker], card: true, ..parcel.clone() });
    let takes = |p: &Point| p.limits.max_weight_g.is_none_or(|m| m >= 1200);
    let card = |p: &Point| takes(p) && p.payment.card;
    assert_eq!(v.facets.locker, brute(MOSCOW, |p| card(p) && p.kind == PointKind::Locker));
    assert_eq!(
        v.facets.post_office,
        brute(MOSCOW, |p| card(p) && p.kind == PointKind::PostOffice),
        "another kind counts what pressing it would add"
    );
    let locker_card = |p: &Point| card(p) && p.kind == PointKind::Locker;
    assert_eq!(v.facets.card, brute(MOSCOW, locker_card), "a pressed chip counts what it keeps");
    assert_eq!(v.facets.fitting_room, brute(MOSCOW, |p| locker_card(p) && p.fitting_room));
    let open = |p: &Point| p.hours.status(NOW, p.timezone.offset()).is_open();
    assert_eq!(v.facets.open_now, brute(MOSCOW, |p| locker_card(p) && open(p)));
    assert_eq!(v.total, v.facets.locker, "with the locker and card chips on, the view holds the card lockers");
    assert!(v.facets.card < brute(MOSCOW, card), "counts are narrowed by the kind pressed");
    let by_carrier: u32 = v.carriers.iter().map(|c| c.count).sum();
    assert_eq!(by_carrier, v.total, "carrier counts follow the other chips");
}

#[test]
fn a_clustered_view_lists_the_points_nearest_its_centre() {
    let v = view(MOSCOW, 10, FilterQuery::default());
    assert!(!v.clusters.is_empty());
    assert_eq!(v.nearest.len(), index::NEAREST);
    // The centre of the box as the map shows it: halfway in Web Mercator.
    let (x0, y0) = mercator::project(LatLon { lat: MOSCOW.north, lon: MOSCOW.west });
    let (x1, y1) = mercator::project(LatLon { lat: MOSCOW.south, lon: MOSCOW.east });
    let centre = mercator::unproject((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let far = |m: &pvz_shared::PointMarker| centre.distance_km(LatLon { lat: m.lat, lon: m.lon });
    let farthest_listed = v.nearest.iter().map(far).fold(0.0, f64::max);
    let closer_unlisted = network()
        .points
        .iter()
        .filter(|p| MOSCOW.contains(p.location) && !v.nearest.iter().any(|m| m.id == p.id))
        .filter(|p| centre.distance_km(p.location) < farthest_listed * 0.9)
        .count();
    assert_eq!(closer_unlisted, 0, "no unlisted point is clearly nearer than the farthest listed one");
    assert!(v.nearest.windows(2).all(|w| far(&w[0]) <= far(&w[1]) * 1.05), "nearest first");
    assert!(
        view(BBox { west: 37.60, south: 55.75, east: 37.63, north: 55.765 }, 16, FilterQuery::default())
            .nearest
            .is_empty()
    );
}

/// The labels suggested for `query`.
fn suggested(query: &str) -> Vec<String> {
    network().suggest(query, 8).into_iter().map(|s| s.label).collect()
}

#[test]
fn a_street_kind_typed_either_way_keeps_to_streets_of_that_name() {
    for query in ["Тверская улица", "ул. Тверская", "улица тверская"] {
        let found = suggested(query);
        assert_eq!(found.first().map(String::as_str), Some("м. Тверская"), "{query}");
        assert!(found.iter().all(|label| !label.contains("Тверская область")), "{query}: {found:?}");
    }
    for query in ["Ленина улица", "ул Ленина", "ул. ленина"] {
        let found = suggested(query);
        assert_eq!(found.len(), 8, "{query}");
        assert!(found.iter().all(|label| label.contains("ул. Ленина")), "{query}: {found:?}");
    }
    for query in ["пр-т Победы", "проспект победы", "Победы проспект"] {
        let found = suggested(query);
        assert_eq!(found[0], "м. Проспект Победы", "{query}");
        assert!(found[1..].iter().all(|label| label.contains("пр-т Победы")), "{query}: {found:?}");
    }
    assert_eq!(suggested("метро Кремлевская"), ["м. Кремлёвская"]);
    assert_eq!(suggested("площадь тукая"), ["м. Площадь Тукая"]);
}

#[test]
fn short_names_latin_spellings_and_the_wrong_layout_find_the_city() {
    for (query, city) in [
        ("СПб", "Санкт-Петербург"),
        ("питер", "Санкт-Петербург"),
        ("spb", "Санкт-Петербург"),
        ("мск", "Москва"),
        ("moskva", "Москва"),
        ("Moscow", "Москва"),
        ("Vjcrdf", "Москва"),
        ("kazan", "Казань"),
        ("Rfpfym", "Казань"),
        ("Yekaterinburg", "Екатеринбург"),
        ("г. Москва", "Москва"),
    ] {
        assert_eq!(suggested(query).first().map(String::as_str), Some(city), "{query}");
    }
    assert_eq!(suggested("tverskaya").first().map(String::as_str), Some("м. Тверская"));
}

#[test]
fn a_city_named_with_a_place_narrows_it_without_listing_the_city_for_the_city_alone() {
    assert_eq!(suggested("невский спб"), ["м. Невский проспект"]);
    let moscow = suggested("москва");
    assert_eq!(moscow[0], "Москва");
    assert!(moscow.iter().all(|label| !label.starts_with("м. ")), "{moscow:?}");
    let code = network().points.iter().find(|p| p.id.contains(':')).unwrap();
    let code = code.id.split_once(':').unwrap().1.to_uppercase();
    assert_eq!(network().suggest(&code, 8)[0].kind, pvz_shared::SuggestionKind::Point, "{code} is a point's code");
    assert!(suggested("qqqzzz").is_empty());
    assert!(suggested(" ,.; ").is_empty());
}

#[test]
fn no_two_icons_of_a_clustered_view_overlap() {
    for (bbox, zoom) in [(RUSSIA, 3), (RUSSIA, 4), (RUSSIA, 5), (MOSCOW, 9), (MOSCOW, 11), (MOSCOW, 13)] {
        let v = view(bbox, zoom, FilterQuery::default());
        assert_eq!(counted(&v), v.total, "zoom {zoom}: merging keeps every point");
        let px = mercator::world_pixels(v.zoom);
        let icons: Vec<(f64, f64)> = v
            .clusters
            .iter()
            .map(|c| c.location)
            .chain(v.points.iter().map(|p| LatLon { lat: p.lat, lon: p.lon }))
            .map(mercator::project)
            .map(|(x, y)| (x * px, y * px))
            .collect();
        for (i, a) in icons.iter().enumerate() {
            for b in &icons[i + 1..] {
                let gap = (a.0 - b.0).hypot(a.1 - b.1);
                // Locations are rounded to five decimals: a fraction of a pixel at these zooms.
                assert!(gap >= index::ICON_GAP_PX - 1.0, "zoom {zoom}: two icons {gap:.1} px apart");
            }
        }
    }
}
