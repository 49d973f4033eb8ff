//! The spatial index and the clustering behind `GET /api/v1/points`. Points are kept in a fixed grid of
//! Web Mercator cells (256 x 256 over the world), sorted so that each grid row of a view is one contiguous
//! slice. A view query filters the points in the box and counts them into cells of 80 screen pixels at the
//! requested zoom: a cell with one point yields the point, a cell with several yields a cluster at their
//! centroid, and cells whose icons would overlap are merged. Filtering before clustering means every filter combination clusters correctly without an index
//! per combination; measured in `benches/network.rs`.

use pvz_shared::{
    BBox, CarrierCount, CarrierInfo, Cluster, Facets, Hidden, Point, PointKind, PointMarker, ViewResponse,
};

use super::filter::{Chips, Filter, flags};
use super::mercator::{project, unproject, world_pixels};

/// Grid cells per side of the world (zoom 8).
const GRID: usize = 256;
/// Size of a cluster cell on screen: few enough clusters that drawing them (DOM icons) stays within a frame.
pub const CELL_PX: f64 = 80.0;
/// From this zoom on, points are not clustered (unless a view holds more than [`MAX_POINTS`]).
pub const POINTS_ZOOM: u8 = 15;
pub const MAX_ZOOM: u8 = 20;
/// The largest view, in screen pixels per side, a request may ask for.
pub const MAX_VIEW_PX: f64 = 8192.0;
pub const MAX_POINTS: usize = 2000;
/// Points listed beside a clustered map: the nearest to its centre.
pub const NEAREST: usize = 50;

/// What the filters need of a point, beside its projected position.
#[derive(Debug, Clone, Copy)]
struct Entry {
    x: f32,
    y: f32,
    /// Position in the network's point list.
    point: u32,
    max_weight_g: u32,
    carrier: u8,
    kind: PointKind,
    flags: u8,
}

/// Points sorted by grid cell, with the start of each cell's run.
pub struct Index {
    entries: Vec<Entry>,
    /// `entries[starts[c]..starts[c + 1]]` are the points of cell `c` (`row * GRID + column`).
    starts: Vec<u32>,
}

/// Sum of the points of one cluster cell.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    count: u32,
    x: f64,
    y: f64,
    /// The first point counted, returned alone when it stays the only one.
    first: u32,
}

/// The least distance, in screen pixels, between the centres of two icons: the widget draws no icon wider
/// than this (a cluster of a five-digit count), so neighbours never overlap.
pub const ICON_GAP_PX: f64 = 50.0;

/// The filled `cells`, with those whose centroids lie closer than [`ICON_GAP_PX`] on screen merged into the
/// larger, so that icons of neighbouring cells (points on either side of a cell border) never overlap.
/// `px` is screen pixels per world unit. Merging moves a centroid, so it runs until nothing is close.
fn apart(cells: &[Cell], px: f64) -> Vec<Cell> {
    let mut kept: Vec<Cell> = cells.iter().filter(|c| c.count > 0).copied().collect();
    let centre = |c: &Cell| (c.x / f64::from(c.count) * px, c.y / f64::from(c.count) * px);
    loop {
        // Larger first, so that a small cell joins its big neighbour; then by point, for stable answers.
        kept.sort_unstable_by(|a, b| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
        let mut merged: Vec<Cell> = Vec::with_capacity(kept.len());
        let mut buckets: std::collections::HashMap<(i64, i64), Vec<usize>> = std::collections::HashMap::new();
        let bucket = |(x, y): (f64, f64)| ((x / ICON_GAP_PX).floor() as i64, (y / ICON_GAP_PX).floor() as i64);
        for cell in &kept {
            let at = centre(cell);
            let (bx, by) = bucket(at);
            let near = (-1..=1)
                .flat_map(|dx| (-1..=1).map(move |dy| (bx + dx, by + dy)))
                .filter_map(|b| buckets.get(&b))
                .flatten()
                .copied()
                .find(|&k| {
                    let (x, y) = centre(&merged[k]);
                    (x - at.0).hypot(y - at.1) < ICON_GAP_PX
                });
            match near {
                Some(k) => {
                    let into = &mut merged[k];
                    into.count += cell.count;
                    into.x += cell.x;
                    into.y += cell.y;
                }
                None => {
                    buckets.entry((bx, by)).or_default().push(merged.len());
                    merged.push(*cell);
                }
            }
        }
        let done = merged.len() == kept.len();
        kept = merged;
        if done {
            return kept;
        }
    }
}

fn grid_cell(x: f64, y: f64) -> (usize, usize) {
    let cell = |v: f64| ((v * GRID as f64) as usize).min(GRID - 1);
    (cell(x), cell(y))
}

fn point_flags(p: &Point) -> u8 {
    [
        (p.payment.cash, flags::CASH),
        (p.payment.card, flags::CARD),
        (p.payment.cash_on_delivery, flags::CASH_ON_DELIVERY),
        (p.fitting_room, flags::FITTING_ROOM),
        (p.hours.is_round_the_clock(), flags::ROUND_THE_CLOCK),
        (!p.limits.cells.is_empty(), flags::HAS_CELLS),
    ]
    .into_iter()
    .filter(|(has, _)| *has)
    .fold(0, |acc, (_, flag)| acc | flag)
}

/// Counts a point for each chip that would show it with that chip pressed and the other pressed chips kept:
/// a kind chip widens the kinds pressed, so it counts past them; every other chip narrows.
fn count_facets(facets: &mut Facets, kind: PointKind, point_flags: u8, is_open: bool, chips: Chips) {
    if chips.flags && chips.carrier && chips.open {
        match kind {
            PointKind::PickupPoint => facets.pickup_point += 1,
            PointKind::Locker => facets.locker += 1,
            PointKind::PostOffice => facets.post_office += 1,
        }
    }
    if chips.kind && chips.flags && chips.carrier {
        facets.open_now += u32::from(is_open);
    }
    if !chips.all() {
        return;
    }
    let has = |flag: u8| u32::from(point_flags & flag != 0);
    facets.card += has(flags::CARD);
    facets.cash_on_delivery += has(flags::CASH_ON_DELIVERY);
    facets.fitting_room += has(flags::FITTING_ROOM);
    facets.round_the_clock += has(flags::ROUND_THE_CLOCK);
}

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

impl Index {
    /// Indexes `points`; `carrier_of` gives each point's carrier index (below 64).
    pub fn build(points: &[Point], carrier_of: impl Fn(&Point) -> u8) -> Self {
        let mut keyed: Vec<(u32, Entry)> = points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (x, y) = project(p.location);
                let (cx, cy) = grid_cell(x, y);
                let entry = Entry {
                    x: x as f32,
                    y: y as f32,
                    point: i as u32,
                    max_weight_g: p.limits.max_weight_g.unwrap_or(u32::MAX),
                    carrier: carrier_of(p),
                    kind: p.kind,
                    flags: point_flags(p),
                };
                ((cy * GRID + cx) as u32, entry)
            })
            .collect();
        keyed.sort_unstable_by_key(|(cell, e)| (*cell, e.point));
        let mut starts = vec![0u32; GRID * GRID + 1];
        for (cell, _) in &keyed {
            starts[*cell as usize + 1] += 1;
        }
        for c in 1..starts.len() {
            starts[c] += starts[c - 1];
        }
        Self { entries: keyed.into_iter().map(|(_, e)| e).collect(), starts }
    }

    /// What to draw for `bbox` at `zoom`: the points passing `filter`, clustered below [`POINTS_ZOOM`]. A box
    /// wider or taller than [`MAX_VIEW_PX`] at `zoom` is drawn at the highest zoom where it is not (the
    /// answer's `zoom` says which), so that no box costs more than a screenful of cells.
    /// `open` tells whether a point is open now and `fits` whether the parcel fits a point's locker cells;
    /// the points the parcel's weight or size hides are counted, and so are the chips' facets, per carrier
    /// of `carriers` (by carrier index).
    #[allow(clippy::too_many_arguments)]
    pub fn view(
        &self,
        points: &[Point],
        carriers: &[CarrierInfo],
        bbox: BBox,
        zoom: u8,
        filter: &Filter,
        open: impl Fn(u32) -> bool,
        fits: impl Fn(u32) -> bool,
    ) -> ViewResponse {
        let (x0, y0) = project(pvz_shared::LatLon { lat: bbox.north, lon: bbox.west });
        let (x1, y1) = project(pvz_shared::LatLon { lat: bbox.south, lon: bbox.east });
        let within_screens = |zoom: u8| (x1 - x0).max(y1 - y0) * world_pixels(zoom) <= MAX_VIEW_PX;
        let zoom = (0..=zoom.min(MAX_ZOOM)).rev().find(|z| within_screens(*z)).unwrap_or(0);
        let cells_per_world = world_pixels(zoom) / CELL_PX;
        let to_cell = |v: f64| (v * cells_per_world).floor() as i64;
        let (gx0, gy0) = (to_cell(x0), to_cell(y0));
        let (width, height) = ((to_cell(x1) - gx0 + 1) as usize, (to_cell(y1) - gy0 + 1) as usize);
        let mut cells = vec![Cell::default(); width * height];
        let mut singles: Vec<u32> = Vec::new();
        let collect_points = zoom >= POINTS_ZOOM;
        let mut total = 0u32;
        // The nearest points to the view's centre, as a max-heap of (squared distance bits, point): distances
        // are non-negative, so their bit patterns sort as the numbers do.
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let mut nearest: std::collections::BinaryHeap<(u64, u32)> =
            std::collections::BinaryHeap::with_capacity(NEAREST + 1);
        let mut hidden = Hidden::default();
        let mut facets = Facets::default();
        let mut per_carrier = [0u32; 64];

        let ((cx0, cy0), (cx1, cy1)) = (grid_cell(x0, y0), grid_cell(x1, y1));
        for row in cy0..=cy1 {
            let run = self.starts[row * GRID + cx0] as usize..self.starts[row * GRID + cx1 + 1] as usize;
            for e in &self.entries[run] {
                let (x, y) = (f64::from(e.x), f64::from(e.y));
                if x < x0 || x > x1 || y < y0 || y > y1 {
                    continue;
                }
                if !filter.in_carriers(e.carrier) {
                    continue;
                }
                let is_open = open(e.point);
                let chips = filter.chips(e.carrier, e.kind, e.flags, is_open);
                let chips_pass = chips.all();
                if !filter.takes_weight(e.max_weight_g) {
                    hidden.too_heavy += u32::from(chips_pass);
                    continue;
                }
                if filter.dims.is_some() && e.flags & flags::HAS_CELLS != 0 && !fits(e.point) {
                    hidden.too_big += u32::from(chips_pass);
                    continue;
                }
                count_facets(&mut facets, e.kind, e.flags, is_open, chips);
                // A carrier chip widens the carriers pressed, like a kind chip.
                per_carrier[usize::from(e.carrier) % 64] += u32::from(chips.kind && chips.flags && chips.open);
                if !chips_pass {
                    continue;
                }
                total += 1;
                let distance = ((x - cx).powi(2) + (y - cy).powi(2)).to_bits();
                if nearest.len() < NEAREST || nearest.peek().is_some_and(|(far, _)| distance < *far) {
                    nearest.push((distance, e.point));
                    if nearest.len() > NEAREST {
                        nearest.pop();
                    }
                }
                if collect_points && singles.len() <= MAX_POINTS {
                    singles.push(e.point);
                }
                let gx = (to_cell(x) - gx0).clamp(0, width as i64 - 1) as usize;
                let gy = (to_cell(y) - gy0).clamp(0, height as i64 - 1) as usize;
                let cell = &mut cells[gy * width + gx];
                if cell.count == 0 {
                    cell.first = e.point;
                }
                cell.count += 1;
                cell.x += x;
                cell.y += y;
            }
        }

        let marker = |i: u32| {
            let p = &points[i as usize];
            PointMarker {
                id: p.id.clone(),
                kind: p.kind,
                lat: round5(p.location.lat),
                lon: round5(p.location.lon),
                name: p.name.clone(),
                address: p.address.full.clone(),
            }
        };
        let carriers = carriers
            .iter()
            .enumerate()
            .filter(|(i, _)| filter.in_carriers(*i as u8))
            .map(|(i, c)| CarrierCount { name: c.name.clone(), title: c.title.clone(), count: per_carrier[i % 64] })
            .collect();
        if collect_points && singles.len() <= MAX_POINTS {
            singles.sort_unstable();
            let points = singles.into_iter().map(marker).collect();
            let clusters = Vec::new();
            return ViewResponse { zoom, total, hidden, facets, clusters, points, nearest: Vec::new(), carriers };
        }
        let mut clusters = Vec::new();
        let mut markers = Vec::new();
        for cell in &apart(&cells, world_pixels(zoom)) {
            if cell.count == 1 {
                markers.push(marker(cell.first));
            } else {
                let n = f64::from(cell.count);
                let centre = unproject(cell.x / n, cell.y / n);
                let location = pvz_shared::LatLon { lat: round5(centre.lat), lon: round5(centre.lon) };
                clusters.push(Cluster { location, count: cell.count });
            }
        }
        let nearest = if clusters.is_empty() {
            Vec::new()
        } else {
            nearest.into_sorted_vec().into_iter().map(|(_, i)| marker(i)).collect()
        };
        ViewResponse { zoom, total, hidden, facets, clusters, points: markers, nearest, carriers }
    }
}
