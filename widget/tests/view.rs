//! The widget's list mounted in a real browser and read back from the DOM.

use leptos::prelude::*;
use pvz_shared::{Carrier, Days, Included, Lang, Money, PointKind, PointMarker, Quote};
use pvz_widget::{PointList, Priced, Row, Sort, sorted};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn row(code: &str, name: &str, km: f64, priced: Priced) -> Row {
    let point = PointMarker {
        id: format!("demo-express:{code}"),
        kind: PointKind::Locker,
        lat: 55.75,
        lon: 37.6,
        name: name.into(),
        address: "101000, г. Москва, ул. Арбат, д. 1".into(),
    };
    Row { point, km, priced }
}

fn quoted(kopecks: u64, min: u16, max: u16) -> Priced {
    Priced::Quoted(Quote {
        point_id: String::new(),
        carrier: Carrier("demo-express".into()),
        tariff: "Экспресс".into(),
        cost: Money::rub(kopecks),
        days: Days { min, max, from_date: None, to_date: None },
        included: Included::default(),
    })
}

fn mount_list(rows: Vec<Row>, lang: Lang) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <PointList rows=Signal::stored(rows) lang selected=Signal::stored(None::<String>) on_open=Callback::new(|_| ()) /> }
    });
    handle.forget();
    root
}

#[wasm_bindgen_test]
fn each_point_is_an_option_with_its_distance_price_and_time() {
    let root = mount_list(
        vec![row("1", "Первый", 0.4321, quoted(29_000, 2, 3)), row("2", "Второй", 12.34, Priced::Loading)],
        Lang::Ru,
    );
    let options = root.query_selector_all("[role=listbox] > [role=option]").unwrap();
    assert_eq!(options.length(), 2);
    let first: web_sys::Element = options.get(0).unwrap().unchecked_into();
    assert_eq!(first.get_attribute("data-point-id").as_deref(), Some("demo-express:1"));
    let text = first.text_content().unwrap();
    assert!(text.contains("Постамат"), "{text}");
    assert!(text.contains("430\u{a0}м · 290\u{a0}₽ · 2–3\u{a0}дня"), "{text}");
    let second: web_sys::Element = options.get(1).unwrap().unchecked_into();
    assert!(second.text_content().unwrap().contains("12,3\u{a0}км · …"));
}

#[wasm_bindgen_test]
fn hostile_point_names_are_shown_as_text() {
    let hostile = "<img src=x onerror=alert(1)>";
    let root = mount_list(vec![row("x", hostile, 1.0, Priced::Unavailable("down".into()))], Lang::En);
    assert!(root.query_selector("img").unwrap().is_none(), "a point name became markup");
    let name = root.query_selector(".pvz-point-name").unwrap().unwrap();
    assert_eq!(name.text_content().as_deref(), Some(hostile));
    assert!(root.text_content().unwrap().contains("Parcel locker"));
    assert!(root.text_content().unwrap().contains("no price"));
}

#[wasm_bindgen_test]
fn sorting_puts_unpriced_points_last_and_breaks_ties_by_distance() {
    let rows = vec![
        row("far-cheap", "a", 5.0, quoted(20_000, 4, 6)),
        row("near-dear", "b", 1.0, quoted(40_000, 1, 2)),
        row("unpriced", "c", 0.5, Priced::Loading),
        row("mid-cheap", "d", 2.0, quoted(20_000, 3, 5)),
    ];
    let order = |sort| {
        sorted(rows.clone(), sort)
            .into_iter()
            .map(|r| r.point.id.split(':').nth(1).unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(order(Sort::Distance), ["unpriced", "near-dear", "mid-cheap", "far-cheap"]);
    assert_eq!(order(Sort::Price), ["mid-cheap", "far-cheap", "near-dear", "unpriced"]);
    assert_eq!(order(Sort::Speed), ["near-dear", "mid-cheap", "far-cheap", "unpriced"]);
}
