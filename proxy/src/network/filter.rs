//! Which points a request wants: the filters of the map's chips and the parcel's size, resolved once per
//! request into a form that tests each indexed point in a few instructions.

use pvz_shared::{Dimensions, PointKind};

/// Per-point facts the filters test, packed into the index entry.
pub mod flags {
    pub const CASH: u8 = 1;
    pub const CARD: u8 = 1 << 1;
    pub const CASH_ON_DELIVERY: u8 = 1 << 2;
    pub const FITTING_ROOM: u8 = 1 << 3;
    pub const ROUND_THE_CLOCK: u8 = 1 << 4;
    /// The point has locker cells, so a parcel's size must be checked against them.
    pub const HAS_CELLS: u8 = 1 << 5;
}

/// The filters as the API names them, before carrier names are resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterQuery {
    /// Carrier names; empty for all.
    pub carriers: Vec<String>,
    /// Of those, the carriers the buyer's chips keep; empty for all.
    pub only_carriers: Vec<String>,
    /// Empty for all kinds.
    pub kinds: Vec<PointKind>,
    pub card: bool,
    pub cash: bool,
    pub cash_on_delivery: bool,
    pub fitting_room: bool,
    pub open_now: bool,
    pub round_the_clock: bool,
    /// The parcel's weight in grams: hides points that cannot take it.
    pub weight_g: Option<u32>,
    /// The parcel's outer size: hides lockers whose cells are too small.
    pub dims: Option<Dimensions>,
}

/// Which groups of the map's chips one point passes.
#[derive(Debug, Clone, Copy)]
pub struct Chips {
    /// The kinds pressed (any of them), or none pressed.
    pub kind: bool,
    /// Every property pressed: card, cash on delivery, fitting room, round the clock.
    pub flags: bool,
    /// The carriers pressed (any of them), or none pressed.
    pub carrier: bool,
    /// Open now, when pressed.
    pub open: bool,
}

impl Chips {
    pub fn all(self) -> bool {
        self.kind && self.flags && self.carrier && self.open
    }
}

/// A [`FilterQuery`] resolved against one network.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Bit per carrier index; `None` for all carriers.
    pub carriers: Option<u64>,
    /// The carrier chips' bits, tested like the other chips; `None` for all carriers.
    pub only_carriers: Option<u64>,
    /// Bit per [`PointKind`] (`1 << kind as u8`); 0 for all.
    pub kinds: u8,
    /// [`flags`] every point must have.
    pub required: u8,
    pub open_now: bool,
    pub weight_g: Option<u32>,
    pub dims: Option<Dimensions>,
}

impl Filter {
    pub fn kind_bit(kind: PointKind) -> u8 {
        1 << kind as u8
    }

    /// The carriers asked for (the snippet's `data-carriers`).
    pub fn in_carriers(&self, carrier: u8) -> bool {
        self.carriers.is_none_or(|set| set & (1 << carrier) != 0)
    }

    /// The map's chips tested one group at a time, so that each chip can count what it would keep beside
    /// the others; the parcel's weight and size are tested apart, so that the points they hide are counted.
    pub fn chips(&self, carrier: u8, kind: PointKind, point_flags: u8, is_open: bool) -> Chips {
        Chips {
            kind: self.kinds == 0 || self.kinds & Self::kind_bit(kind) != 0,
            flags: point_flags & self.required == self.required,
            carrier: self.only_carriers.is_none_or(|set| set & (1 << carrier) != 0),
            open: !self.open_now || is_open,
        }
    }

    pub fn takes_weight(&self, max_weight_g: u32) -> bool {
        self.weight_g.is_none_or(|w| w <= max_weight_g)
    }

    pub fn required_flags(query: &FilterQuery) -> u8 {
        [
            (query.cash, flags::CASH),
            (query.card, flags::CARD),
            (query.cash_on_delivery, flags::CASH_ON_DELIVERY),
            (query.fitting_room, flags::FITTING_ROOM),
            (query.round_the_clock, flags::ROUND_THE_CLOCK),
        ]
        .into_iter()
        .filter(|(wanted, _)| *wanted)
        .fold(0, |acc, (_, flag)| acc | flag)
    }
}
