//! Filter chips above the map: carriers (when there are several), point kinds and what a buyer may need
//! (card, cash on delivery, a fitting room, open now, round the clock), each with how many points in view
//! it keeps.

use leptos::prelude::*;
use pvz_shared::{CarrierCount, Facets, Lang};

/// One filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chip {
    PickupPoint,
    Locker,
    PostOffice,
    Card,
    CashOnDelivery,
    FittingRoom,
    OpenNow,
    RoundTheClock,
}

impl Chip {
    const ALL: [Self; 8] = [
        Self::PickupPoint,
        Self::Locker,
        Self::PostOffice,
        Self::Card,
        Self::CashOnDelivery,
        Self::FittingRoom,
        Self::OpenNow,
        Self::RoundTheClock,
    ];

    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::PickupPoint, Lang::Ru) => "Пункты выдачи",
            (Self::Locker, Lang::Ru) => "Постаматы",
            (Self::PostOffice, Lang::Ru) => "Почта",
            (Self::Card, Lang::Ru) => "Оплата картой",
            (Self::CashOnDelivery, Lang::Ru) => "Оплата при получении",
            (Self::FittingRoom, Lang::Ru) => "Примерочная",
            (Self::OpenNow, Lang::Ru) => "Открыто сейчас",
            (Self::RoundTheClock, Lang::Ru) => "Круглосуточно",
            (Self::PickupPoint, Lang::En) => "Pickup points",
            (Self::Locker, Lang::En) => "Lockers",
            (Self::PostOffice, Lang::En) => "Post offices",
            (Self::Card, Lang::En) => "Card payment",
            (Self::CashOnDelivery, Lang::En) => "Cash on delivery",
            (Self::FittingRoom, Lang::En) => "Fitting room",
            (Self::OpenNow, Lang::En) => "Open now",
            (Self::RoundTheClock, Lang::En) => "24 hours",
        }
    }

    fn count(self, f: &Facets) -> u32 {
        match self {
            Self::PickupPoint => f.pickup_point,
            Self::Locker => f.locker,
            Self::PostOffice => f.post_office,
            Self::Card => f.card,
            Self::CashOnDelivery => f.cash_on_delivery,
            Self::FittingRoom => f.fitting_room,
            Self::OpenNow => f.open_now,
            Self::RoundTheClock => f.round_the_clock,
        }
    }
}

/// The points API's parameters for the chips that are on: carriers widen each other and so do kinds, the
/// rest narrow.
pub fn params(active: &[Chip], carriers: &[String]) -> Vec<(&'static str, String)> {
    let mut kinds = Vec::new();
    let mut payment = Vec::new();
    let mut params = Vec::new();
    for chip in active {
        match chip {
            Chip::PickupPoint => kinds.push("pickup_point"),
            Chip::Locker => kinds.push("locker"),
            Chip::PostOffice => kinds.push("post_office"),
            Chip::Card => payment.push("card"),
            Chip::CashOnDelivery => payment.push("cod"),
            Chip::FittingRoom => params.push(("fitting_room", "true".to_string())),
            Chip::OpenNow => params.push(("open_now", "true".to_string())),
            Chip::RoundTheClock => params.push(("round_the_clock", "true".to_string())),
        }
    }
    if !kinds.is_empty() {
        params.push(("kinds", kinds.join(",")));
    }
    if !payment.is_empty() {
        params.push(("payment", payment.join(",")));
    }
    if !carriers.is_empty() {
        params.push(("only_carriers", carriers.join(",")));
    }
    params
}

/// Toggles `item` in `list`.
fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    match list.iter().position(|x| *x == item) {
        Some(i) => _ = list.remove(i),
        None => list.push(item),
    }
}

/// The chips, as toggle buttons; a carrier chip for each of `carriers` when there are several.
#[component]
pub fn Chips(
    active: RwSignal<Vec<Chip>>,
    active_carriers: RwSignal<Vec<String>>,
    facets: RwSignal<Facets>,
    carriers: RwSignal<Vec<CarrierCount>>,
    lang: Lang,
) -> impl IntoView {
    let label = match lang {
        Lang::Ru => "Фильтры",
        Lang::En => "Filters",
    };
    let pressed = |on: bool| if on { "true" } else { "false" };
    // The carriers are the snippet's, the same in every view: the chips are built once, at the first answer,
    // and new counts as the map moves update them in place (focus stays where it is).
    let names = Memo::new(move |_| {
        carriers.with(|cs| {
            if cs.len() > 1 { cs.iter().map(|c| (c.name.0.clone(), c.title.clone())).collect() } else { Vec::new() }
        })
    });
    // Counts are written as text: a number type rendered as such would bring its own rendering code.
    let count_of = move |name: &str| carriers.with(|cs| cs.iter().find(|c| c.name.0 == name).map(|c| c.count));
    let carrier_chips = move || {
        names
            .get()
            .into_iter()
            .map(|(name, title)| {
                let (pressed_name, toggled, counted) = (name.clone(), name.clone(), name);
                view! {
                    <button
                        type="button"
                        class="pvz-chip pvz-chip-carrier"
                        aria-pressed=move || pressed(active_carriers.with(|a| a.contains(&pressed_name)))
                        on:click=move |_| active_carriers.update(|a| toggle(a, toggled.clone()))
                    >
                        {title}" "
                        <span class="pvz-chip-count">{move || count_of(&counted).map(|n| n.to_string())}</span>
                    </button>
                }
            })
            .collect_view()
    };
    let chips = Chip::ALL.map(|chip| {
        view! {
            <button
                type="button"
                class="pvz-chip"
                aria-pressed=move || pressed(active.with(|a| a.contains(&chip)))
                on:click=move |_| active.update(|a| toggle(a, chip))
            >
                {chip.label(lang)}" "
                <span class="pvz-chip-count">{move || facets.with(|f| chip.count(f)).to_string()}</span>
            </button>
        }
    });
    // On a narrow widget the chips fold behind one button (the stylesheet shows it there only), which says
    // how many are pressed.
    let open = RwSignal::new(false);
    let pressed_count = move || active.with(Vec::len) + active_carriers.with(Vec::len);
    let toggle_label = move || match pressed_count() {
        0 => label.to_string(),
        n => format!("{label} · {n}"),
    };
    view! {
        <button
            type="button"
            class="pvz-chip pvz-filters-toggle"
            aria-expanded=move || pressed(open.get())
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {toggle_label}
        </button>
        <div class="pvz-chips" role="group" aria-label=label data-open=move || pressed(open.get())>
            {carrier_chips}
            {chips.into_iter().collect_view()}
        </div>
    }
}
