//! The desk's pages as HTML. Every value is escaped by the templates (a carrier's text, a buyer's name, an
//! order number are never markup), the pages carry no script, and each form holds its session's token.

use std::time::Duration;

use maud::{DOCTYPE, Markup, html};

use super::lang::{Lang, when};
use crate::shipments::model::{CourierCall, CourierRecord, ReportLine, Shipment, State};

/// The desk's sections, in the order of its navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Deliveries,
    Courier,
    Reports,
    Health,
}

impl Section {
    const ALL: [Self; 4] = [Self::Deliveries, Self::Courier, Self::Reports, Self::Health];

    fn href(self) -> &'static str {
        match self {
            Self::Deliveries => "/desk/",
            Self::Courier => "/desk/courier",
            Self::Reports => "/desk/reports",
            Self::Health => "/desk/health",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Self::Deliveries => lang.t("Доставки", "Deliveries"),
            Self::Courier => lang.t("Курьер", "Courier"),
            Self::Reports => lang.t("Отчёты", "Reports"),
            Self::Health => lang.t("Состояние", "Health"),
        }
    }
}

/// What every signed-in page shares.
pub struct Frame<'a> {
    pub lang: Lang,
    pub csrf: &'a str,
    pub section: Option<Section>,
    /// This page's address, to come back to after switching the language.
    pub path: &'a str,
}

/// A message above the page's content: done, or refused with the reason.
pub enum Notice {
    Done(String),
    Failed(String),
}

fn head(lang: Lang, title: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        meta name="robots" content="noindex";
        title { (title) " · " (lang.t("Доставки магазина", "Shop deliveries")) }
        link rel="icon" href="/desk/favicon.svg";
        link rel="stylesheet" href="/desk/desk.css";
    }
}

fn notice(notice: Option<&Notice>) -> Markup {
    html! {
        @match notice {
            Some(Notice::Done(text)) => p class="desk-done" role="status" { (text) },
            Some(Notice::Failed(text)) => p class="desk-failed" role="alert" { (text) },
            None => {},
        }
    }
}

/// A signed-in page: the header with the sections, the language and signing out, then `body`.
pub fn page(frame: &Frame, title: &str, notice_: Option<&Notice>, body: Markup) -> Markup {
    let lang = frame.lang;
    let other = lang.other();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head { (head(lang, title)) }
            body {
                a class="desk-skip" href="#main" { (lang.t("К содержимому", "Skip to content")) }
                header class="shop-header" {
                    a class="shop-logo" href="/desk/" { (lang.t("Доставки магазина", "Shop deliveries")) }
                    nav class="shop-nav" aria-label=(lang.t("Разделы", "Sections")) {
                        @for section in Section::ALL {
                            @if frame.section == Some(section) {
                                a href=(section.href()) aria-current="page" { (section.title(lang)) }
                            } @else {
                                a href=(section.href()) { (section.title(lang)) }
                            }
                        }
                    }
                    div class="desk-account" {
                        a href={ "/desk/lang/" (other.code()) "?to=" (frame.path) } lang=(other.code()) hreflang=(other.code()) {
                            (other.t("Русский", "English"))
                        }
                        form method="post" action="/desk/sign-out" {
                            input type="hidden" name="csrf" value=(frame.csrf);
                            button class="desk-link" type="submit" { (lang.t("Выйти", "Sign out")) }
                        }
                    }
                }
                main id="main" class="shop-main" {
                    h1 { (title) }
                    (notice(notice_))
                    (body)
                }
            }
        }
    }
}

/// A page outside a session: signing in, the desk switched off, a refusal.
pub fn bare(lang: Lang, title: &str, notice_: Option<&Notice>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head { (head(lang, title)) }
            body {
                header class="shop-header" {
                    span class="shop-logo" { (lang.t("Доставки магазина", "Shop deliveries")) }
                }
                main id="main" class="shop-main desk-narrow" {
                    h1 { (title) }
                    (notice(notice_))
                    (body)
                }
            }
        }
    }
}

pub fn sign_in(lang: Lang) -> Markup {
    html! {
        form class="shop-card" method="post" action="/desk/sign-in" {
            // The desk has one owner: named for password managers, not asked.
            input type="hidden" name="username" value="owner" autocomplete="username";
            p class="shop-field" {
                label for="password" { (lang.t("Пароль", "Password")) }
                input id="password" name="password" type="password" autocomplete="current-password" required autofocus;
            }
            button class="shop-button" type="submit" { (lang.t("Войти", "Sign in")) }
        }
    }
}

pub fn off(lang: Lang) -> Markup {
    html! {
        div class="shop-card" {
            p { (lang.t("Страница доставок выключена: у прокси не задан пароль.", "The desk is off: the proxy has no password for it.")) }
            p { (lang.t("Чтобы включить её, получите хэш пароля:", "To turn it on, make a hash of a password:")) }
            pre class="shop-code" { "pvz-proxy hash-password" }
            p { (lang.t("и задайте его прокси в PVZ_DESK_PASSWORD_HASH (или desk_password_hash в pvz.toml), затем перезапустите прокси.",
                        "and give it to the proxy as PVZ_DESK_PASSWORD_HASH (or desk_password_hash in pvz.toml), then restart the proxy.")) }
        }
    }
}

/// Carriers and points as people call them, for the shipments on a page.
#[derive(Debug, Default)]
pub struct Names {
    /// Each carrier's name and title.
    pub carriers: Vec<(String, String)>,
    /// Each point's id and address.
    pub points: std::collections::HashMap<String, String>,
}

impl Names {
    pub fn carrier<'a>(&'a self, name: &'a str) -> &'a str {
        self.carriers.iter().find(|(n, _)| n == name).map_or(name, |(_, title)| title)
    }

    /// The point's address; its id when it no longer serves.
    pub fn point<'a>(&'a self, id: &'a str) -> &'a str {
        self.points.get(id).map_or(id, String::as_str)
    }
}

/// The deliveries list's filters, as the owner typed them.
#[derive(Debug, Default)]
pub struct Filters {
    pub number: String,
    pub state: String,
    pub carrier: String,
    pub from: String,
    pub to: String,
}

impl Filters {
    /// The filters as a query string, for the next page's link.
    pub fn query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("number", &self.number)
            .append_pair("state", &self.state)
            .append_pair("carrier", &self.carrier)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .finish()
    }
}

fn state_options(lang: Lang, chosen: &str, any: bool) -> Markup {
    html! {
        @if any { option value="" { (lang.t("все", "all")) } }
        @for state in State::ALL {
            option value=(state.as_str()) selected[chosen == state.as_str()] { (lang.state(state)) }
        }
    }
}

fn money(lang: Lang, kopecks: Option<u64>) -> Markup {
    html! {
        @match kopecks {
            Some(k) => (lang.money(k)),
            None => span class="shop-muted" { "—" },
        }
    }
}

pub fn deliveries(
    frame: &Frame,
    filters: &Filters,
    names: &Names,
    shipments: &[Shipment],
    next: Option<&str>,
    paged: bool,
) -> Markup {
    let lang = frame.lang;
    html! {
        form class="shop-card desk-filters" method="get" action="/desk/" role="search" {
            div class="shop-row" {
                p class="shop-field" {
                    label for="number" { (lang.t("Номер заказа или отправления", "Order or track number")) }
                    input id="number" name="number" type="search" value=(filters.number) maxlength="40";
                }
                p class="shop-field" {
                    label for="state" { (lang.t("Состояние", "State")) }
                    select id="state" name="state" { (state_options(lang, &filters.state, true)) }
                }
                p class="shop-field" {
                    label for="carrier" { (lang.t("Перевозчик", "Carrier")) }
                    select id="carrier" name="carrier" {
                        option value="" { (lang.t("все", "all")) }
                        @for (name, title) in &names.carriers {
                            option value=(name) selected[&filters.carrier == name] { (title) }
                        }
                    }
                }
                p class="shop-field" {
                    label for="from" { (lang.t("Создан с", "Created from")) }
                    input id="from" name="from" type="date" value=(filters.from);
                }
                p class="shop-field" {
                    label for="to" { (lang.t("по (не включая)", "to (not including)")) }
                    input id="to" name="to" type="date" value=(filters.to);
                }
            }
            button class="shop-button" type="submit" { (lang.t("Показать", "Show")) }
            " "
            a href="/desk/" { (lang.t("Сбросить", "Clear")) }
        }
        @if shipments.is_empty() {
            p class="shop-card" role="status" { (lang.t("Доставок с такими условиями нет.", "No deliveries match.")) }
        } @else {
            div class="desk-table" role="region" aria-labelledby="deliveries-caption" tabindex="0" {
                table {
                    caption id="deliveries-caption" { (lang.t("Доставки, новые первыми", "Deliveries, newest first")) }
                    thead { tr {
                        th scope="col" { (lang.t("Заказ", "Order")) }
                        th scope="col" { (lang.t("Покупатель", "Buyer")) }
                        th scope="col" { (lang.t("Перевозчик", "Carrier")) }
                        th scope="col" { (lang.t("Пункт", "Point")) }
                        th scope="col" { (lang.t("Состояние", "State")) }
                        th scope="col" { (lang.t("Трек-номер", "Track number")) }
                        th scope="col" class="desk-num" { (lang.t("Цена для покупателя", "Quoted")) }
                        th scope="col" class="desk-num" { (lang.t("Счёт перевозчика", "Billed")) }
                        th scope="col" { (lang.t("Изменён (UTC)", "Changed (UTC)")) }
                    } }
                    tbody {
                        @for s in shipments {
                            tr {
                                th scope="row" { a href={ "/desk/shipments/" (s.id) } { (s.order_number) } }
                                td { (s.recipient.name) }
                                td { (names.carrier(&s.carrier)) }
                                td class="desk-point" { (destination(names, s)) }
                                td { span class={ "desk-state desk-" (s.state.as_str()) } { (lang.state(s.state)) } }
                                td { (s.track_number.as_deref().unwrap_or("—")) }
                                td class="desk-num" { (lang.money(s.cost.quoted)) }
                                td class="desk-num" { (money(lang, s.cost.billed)) }
                                td { (when(&s.updated_at)) }
                            }
                        }
                    }
                }
            }
        }
        nav class="desk-pages" aria-label=(lang.t("Страницы", "Pages")) {
            @if paged { a href={ "/desk/?" (filters.query()) } { (lang.t("← К первой странице", "← First page")) } }
            @if let Some(cursor) = next {
                a href={ "/desk/?" (filters.query()) "&cursor=" (cursor) } rel="next" { (lang.t("Следующая страница →", "Next page →")) }
            }
        }
    }
}

/// Where a shipment goes: its door's address, or its point's.
fn destination<'a>(names: &'a Names, s: &'a Shipment) -> &'a str {
    s.address.as_ref().map_or_else(|| names.point(&s.point_id), |a| a.full.as_str())
}

fn hidden_csrf(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf); }
}

pub fn shipment(frame: &Frame, names: &Names, s: &Shipment) -> Markup {
    let lang = frame.lang;
    let registered = s.carrier_ref.is_some() && !matches!(s.state, State::Pending | State::Rejected | State::Cancelled);
    html! {
        section class="shop-card" aria-labelledby="about" {
            h2 id="about" { (lang.t("Доставка", "Delivery")) }
            dl class="desk-facts" {
                dt { (lang.t("Состояние", "State")) } dd { span class={ "desk-state desk-" (s.state.as_str()) } { (lang.state(s.state)) } }
                dt { (lang.t("Покупатель", "Buyer")) } dd { (s.recipient.name) ", " (s.recipient.phone) }
                dt { (lang.t("Перевозчик", "Carrier")) } dd { (names.carrier(&s.carrier)) }
                @if let Some(address) = &s.address {
                    dt { (lang.t("До двери", "To the door")) } dd { (address.line()) }
                } @else {
                    dt { (lang.t("Пункт выдачи", "Pickup point")) } dd { (names.point(&s.point_id)) " " span class="shop-muted" { "(" (s.point_id) ")" } }
                }
                dt { (lang.t("Номер у перевозчика", "Carrier's reference")) } dd { (s.carrier_ref.as_deref().unwrap_or("—")) }
                dt { (lang.t("Трек-номер", "Track number")) } dd { (s.track_number.as_deref().unwrap_or("—")) }
                dt { (lang.t("Цена для покупателя", "Quoted")) } dd { (lang.money(s.cost.quoted)) }
                dt { (lang.t("Счёт перевозчика", "Billed")) } dd { (money(lang, s.cost.billed)) }
                dt { (lang.t("Создан (UTC)", "Created (UTC)")) } dd { (when(&s.created_at)) }
            }
            @if !s.errors.is_empty() {
                h3 { (lang.t("Почему перевозчик отказал", "Why the carrier refused")) }
                ul { @for e in &s.errors { li { (e.message) " " span class="shop-muted" { "(" (e.code) ")" } } } }
            }
            div class="desk-actions" {
                @if registered {
                    a class="shop-button shop-button-quiet" href={ "/desk/shipments/" (s.id) "/label" } { (lang.t("Печать ярлыка (PDF)", "Print the label (PDF)")) }
                }
                @if !s.state.is_final() {
                    form method="post" action={ "/desk/shipments/" (s.id) "/cancel" } {
                        (hidden_csrf(frame.csrf))
                        button class="shop-button desk-danger" type="submit" { (lang.t("Отменить доставку", "Cancel the delivery")) }
                    }
                }
            }
        }
        @if s.state == State::Rejected {
            form class="shop-card" method="post" action={ "/desk/shipments/" (s.id) "/retry" } {
                h2 { (lang.t("Исправить и отправить снова", "Correct and send again")) }
                (hidden_csrf(frame.csrf))
                div class="shop-row" {
                    p class="shop-field" { label for="name" { (lang.t("Получатель", "Recipient")) }
                        input id="name" name="name" value=(s.recipient.name) required maxlength="255" autocomplete="off"; }
                    p class="shop-field" { label for="phone" { (lang.t("Телефон", "Phone")) }
                        input id="phone" name="phone" type="tel" value=(s.recipient.phone) required maxlength="40" autocomplete="off"; }
                    p class="shop-field" { label for="point_id" { (lang.t("Пункт выдачи", "Pickup point")) }
                        input id="point_id" name="point_id" value=(s.point_id) required maxlength="100"; }
                }
                button class="shop-button" type="submit" { (lang.t("Отправить снова", "Send again")) }
            }
        }
        section class="shop-card" aria-labelledby="history" {
            h2 id="history" { (lang.t("История", "History")) }
            @if s.history.is_empty() {
                p class="shop-muted" { (lang.t("Перевозчик ещё ничего не сообщил.", "The carrier has not reported anything yet.")) }
            } @else {
                ol class="desk-history" {
                    @for h in &s.history {
                        li {
                            time datetime=(h.at) { (when(&h.at)) } " — "
                            strong { (lang.state(h.state)) } ". " (h.text)
                            @if !h.city.is_empty() { ", " (h.city) }
                            @if !h.carrier_code.is_empty() { " " span class="shop-muted" { "(" (h.carrier_code) ")" } }
                        }
                    }
                }
            }
        }
    }
}

pub fn courier(
    frame: &Frame,
    names: &Names,
    waiting: &[Shipment],
    made: Option<&CourierCall>,
    taken: &[CourierRecord],
    tomorrow: &str,
) -> Markup {
    let lang = frame.lang;
    html! {
        @if let Some(call) = made {
            section class="shop-card" aria-labelledby="made" {
                h2 id="made" { (lang.t("Заявка принята перевозчиком", "The carrier took the request")) }
                p { (names.carrier(&call.carrier)) ", " (call.date) ", " (call.time_from) "–" (call.time_to) }
                ul { @for r in &call.requests { li { (r.shipment_id) ": " (lang.t("заявка", "request")) " " (r.carrier_ref) } } }
            }
        }
        @if waiting.is_empty() {
            p class="shop-card" role="status" { (lang.t("Нет зарегистрированных доставок, за которыми нужен курьер.", "No registered deliveries waiting for a courier.")) }
        } @else {
            form class="shop-card" method="post" action="/desk/courier" {
                (hidden_csrf(frame.csrf))
                fieldset {
                    legend { (lang.t("Что забрать (одного перевозчика)", "What to collect (one carrier's)")) }
                    @for s in waiting {
                        label class="desk-check" {
                            input type="checkbox" name="shipment" value=(s.id);
                            " " (s.order_number) " · " (names.carrier(&s.carrier)) " · " (s.recipient.name)
                        }
                    }
                }
                div class="shop-row" {
                    p class="shop-field" { label for="date" { (lang.t("День", "Day")) }
                        input id="date" name="date" type="date" value=(tomorrow) required; }
                    p class="shop-field" { label for="time_from" { (lang.t("С", "From")) }
                        input id="time_from" name="time_from" type="time" value="10:00" required; }
                    p class="shop-field" { label for="time_to" { (lang.t("До", "To")) }
                        input id="time_to" name="time_to" type="time" value="18:00" required; }
                }
                div class="shop-row" {
                    p class="shop-field" { label for="name" { (lang.t("Кто отдаст посылки", "Who hands them over")) }
                        input id="name" name="name" required maxlength="255" autocomplete="name"; }
                    p class="shop-field" { label for="phone" { (lang.t("Телефон", "Phone")) }
                        input id="phone" name="phone" type="tel" required maxlength="40" autocomplete="tel"; }
                    p class="shop-field" { label for="address" { (lang.t("Адрес", "Address")) }
                        input id="address" name="address" required maxlength="255" autocomplete="street-address"; }
                }
                button class="shop-button" type="submit" { (lang.t("Вызвать курьера", "Call the courier")) }
            }
        }
        @if !taken.is_empty() {
            div class="desk-table" role="region" aria-labelledby="taken" tabindex="0" {
                table {
                    caption id="taken" { (lang.t("Заявки, принятые перевозчиками", "Requests the carriers took")) }
                    thead { tr {
                        th scope="col" { (lang.t("Заказ", "Order")) }
                        th scope="col" { (lang.t("Перевозчик", "Carrier")) }
                        th scope="col" { (lang.t("День и время", "Day and time")) }
                        th scope="col" { (lang.t("Номер заявки", "Request")) }
                        th scope="col" { (lang.t("Принята (UTC)", "Taken (UTC)")) }
                    } }
                    tbody { @for r in taken { tr {
                        th scope="row" { a href={ "/desk/shipments/" (r.shipment_id) } { (r.order_number) } }
                        td { (names.carrier(&r.carrier)) }
                        td { (r.date) ", " (r.time_from) "–" (r.time_to) }
                        td { (r.carrier_ref) }
                        td { (when(&r.asked_at)) }
                    } } }
                }
            }
        }
    }
}

/// Report lines shown on screen; the CSV holds them all.
const SHOWN_LINES: usize = 200;

pub fn reports(frame: &Frame, names: &Names, from: &str, to: &str, all: &[ReportLine]) -> Markup {
    let lang = frame.lang;
    let lines = &all[..all.len().min(SHOWN_LINES)];
    let cut = match (all.len() > SHOWN_LINES, lang) {
        (false, _) => None,
        (true, Lang::Ru) => Some(format!("На экране первые {SHOWN_LINES} из {}; в CSV — все.", all.len())),
        (true, Lang::En) => Some(format!("The first {SHOWN_LINES} of {} on screen; the CSV has them all.", all.len())),
    };
    let period =
        form_urlencoded::Serializer::new(String::new()).append_pair("from", from).append_pair("to", to).finish();
    html! {
        form class="shop-card" method="get" action="/desk/reports" {
            div class="shop-row" {
                p class="shop-field" { label for="from" { (lang.t("Созданные с", "Created from")) }
                    input id="from" name="from" type="date" value=(from) required; }
                p class="shop-field" { label for="to" { (lang.t("по (не включая)", "to (not including)")) }
                    input id="to" name="to" type="date" value=(to) required; }
            }
            button class="shop-button" type="submit" { (lang.t("Показать", "Show")) }
        }
        @if let Some(cut) = cut { p class="shop-muted" role="status" { (cut) } }
        section class="shop-card" aria-labelledby="statuses" {
            h2 id="statuses" { (lang.t("Статусы заказов", "Order statuses")) }
            p { a href={ "/desk/reports/statuses.csv?" (period) } download { (lang.t("Скачать CSV для Excel", "Download CSV for Excel")) } }
            div class="desk-table" role="region" aria-labelledby="statuses" tabindex="0" {
                table {
                    thead { tr {
                        th scope="col" { (lang.t("Заказ", "Order")) }
                        th scope="col" { (lang.t("Перевозчик", "Carrier")) }
                        th scope="col" { (lang.t("Трек-номер", "Track number")) }
                        th scope="col" { (lang.t("Состояние", "State")) }
                        th scope="col" { (lang.t("Последний статус", "Last status")) }
                        th scope="col" { (lang.t("Когда", "When")) }
                    } }
                    tbody { @for l in lines { tr {
                        th scope="row" { a href={ "/desk/shipments/" (l.id) } { (l.order_number) } }
                        td { (names.carrier(&l.carrier)) }
                        td { (l.track_number.as_deref().unwrap_or("—")) }
                        td { (lang.state(l.state)) }
                        td { (l.last_status.as_deref().unwrap_or("—")) }
                        td { (l.last_status_at.as_deref().map(when).unwrap_or_default()) }
                    } } }
                }
            }
        }
        section class="shop-card" aria-labelledby="costs" {
            h2 id="costs" { (lang.t("Информация по заказам: стоимость", "Order costs")) }
            p { a href={ "/desk/reports/costs.csv?" (period) } download { (lang.t("Скачать CSV для Excel", "Download CSV for Excel")) } }
            div class="desk-table" role="region" aria-labelledby="costs" tabindex="0" {
                table {
                    thead { tr {
                        th scope="col" { (lang.t("Заказ", "Order")) }
                        th scope="col" { (lang.t("Перевозчик", "Carrier")) }
                        th scope="col" { (lang.t("Состояние", "State")) }
                        th scope="col" class="desk-num" { (lang.t("Цена для покупателя", "Quoted")) }
                        th scope="col" class="desk-num" { (lang.t("Счёт перевозчика", "Billed")) }
                    } }
                    tbody { @for l in lines { tr {
                        th scope="row" { a href={ "/desk/shipments/" (l.id) } { (l.order_number) } }
                        td { (names.carrier(&l.carrier)) }
                        td { (lang.state(l.state)) }
                        td class="desk-num" { (lang.money(l.cost_quoted)) }
                        td class="desk-num" { (money(lang, l.cost_final)) }
                    } } }
                    tfoot { tr {
                        th scope="row" colspan="3" { (lang.t("Итого", "Total")) }
                        td class="desk-num" { (lang.money(all.iter().map(|l| l.cost_quoted).sum())) }
                        td class="desk-num" { (lang.money(all.iter().filter_map(|l| l.cost_final).sum())) }
                    } }
                }
            }
        }
    }
}

/// One carrier as the health page shows it.
pub struct CarrierHealth {
    pub title: String,
    pub points: u32,
    pub synced: String,
    pub age_minutes: i64,
    pub skipped: Vec<(&'static str, i64)>,
    pub failed_calls: u64,
    /// Calls made today and the limit.
    pub quota: Option<(u32, u32)>,
}

pub fn health(
    frame: &Frame,
    carriers: &[CarrierHealth],
    paused: &[(&'static str, Duration)],
    events: (i64, i64),
) -> Markup {
    let lang = frame.lang;
    html! {
        div class="desk-table" role="region" aria-labelledby="carriers" tabindex="0" {
            table {
                caption id="carriers" { (lang.t("Перевозчики", "Carriers")) }
                thead { tr {
                    th scope="col" { (lang.t("Перевозчик", "Carrier")) }
                    th scope="col" { (lang.t("Последняя синхронизация (UTC)", "Last sync (UTC)")) }
                    th scope="col" class="desk-num" { (lang.t("Пунктов", "Points")) }
                    th scope="col" { (lang.t("Пропущено", "Skipped")) }
                    th scope="col" class="desk-num" { (lang.t("Сбоев запросов", "Failed calls")) }
                    th scope="col" { (lang.t("Квота отслеживания на сегодня", "Tracking quota left today")) }
                } }
                tbody { @for c in carriers { tr {
                    th scope="row" { (c.title) }
                    td { (c.synced) " " span class="shop-muted" { "(" (c.age_minutes) " " (lang.t("мин назад", "min ago")) ")" } }
                    td class="desk-num" { (c.points) }
                    td {
                        @if c.skipped.is_empty() { "—" }
                        @for (reason, count) in &c.skipped { span class="desk-tag" { (reason) ": " (count) } " " }
                    }
                    td class="desk-num" { (c.failed_calls) }
                    td { @match c.quota {
                        Some((used, limit)) => { (limit.saturating_sub(used)) " " (lang.t("из", "of")) " " (limit) },
                        None => "—",
                    } }
                } } }
            }
        }
        section class="shop-card" aria-labelledby="breakers" {
            h2 id="breakers" { (lang.t("Приостановленные перевозчики", "Carriers paused after failures")) }
            @if paused.is_empty() {
                p { (lang.t("Нет: все отвечают.", "None: every carrier answers.")) }
            } @else {
                ul { @for (name, left) in paused { li { (name) ": " (left.as_secs() + 1) " " (lang.t("с до новой попытки", "s until it is tried again")) } } }
            }
        }
        section class="shop-card" aria-labelledby="webhook" {
            h2 id="webhook" { (lang.t("Уведомления магазину", "Notifications to the shop")) }
            p { (lang.t("Ждут повторной отправки после сбоя: ", "Waiting to be sent again after a failure: ")) strong { (events.0) } }
            p { (lang.t("Не доставлены за сутки попыток: ", "Given up after a day of attempts: ")) strong { (events.1) } }
        }
    }
}
