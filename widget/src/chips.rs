//! Filter chips above the map: point kinds and what a buyer may need (card, cash on delivery, a fitting
//! room, open now, round the clock), each with how many points in view it keeps.

use leptos::prelude::*;
use pvz_shared::{Facets, Lang};

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

/// The points API's parameters for the chips that are on: kinds widen each other, the rest narrow.
pub fn params(active: &[Chip]) -> Vec<(&'static str, String)> {
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
    params
}

/// The chips, as toggle buttons.
#[component]
pub fn Chips(active: RwSignal<Vec<Chip>>, #[prop(into)] facets: Signal<Facets>, lang: Lang) -> impl IntoView {
    let label = match lang {
        Lang::Ru => "Фильтры",
        Lang::En => "Filters",
    };
    let chips = Chip::ALL.map(|chip| {
        let on = move || active.with(|a| a.contains(&chip));
        let toggle = move |_| {
            active.update(|a| match a.iter().position(|c| *c == chip) {
                Some(i) => _ = a.remove(i),
                None => a.push(chip),
            })
        };
        view! {
            <button type="button" class="pvz-chip" aria-pressed=move || if on() { "true" } else { "false" } on:click=toggle>
                {chip.label(lang)}" "
                <span class="pvz-chip-count">{move || facets.with(|f| chip.count(f))}</span>
            </button>
        }
    });
    view! { <div class="pvz-chips" role="group" aria-label=label>{chips.into_iter().collect_view()}</div> }
}
