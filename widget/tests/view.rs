//! The widget's list mounted in a real browser and read back from the DOM, driven by keyboard events.

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
        view! { <PointList rows=Memo::new(move |_| rows.clone()) lang selected=Memo::new(|_| None::<String>) on_open=Callback::new(|_| ()) /> }
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

fn many(n: usize) -> Vec<Row> {
    (0..n).map(|i| row(&i.to_string(), &format!("Пункт {i}"), i as f64 / 10.0, Priced::Loading)).collect()
}

async fn next_frame() {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || _ = tx.send(()));
    web_sys::window().unwrap().request_animation_frame(callback.unchecked_ref()).unwrap();
    rx.await.unwrap();
    // And one more, for the row built in that frame to take focus.
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || _ = tx.send(()));
    web_sys::window().unwrap().request_animation_frame(callback.unchecked_ref()).unwrap();
    rx.await.unwrap();
}

fn press(target: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn focused_index() -> Option<String> {
    web_sys::window().unwrap().document().unwrap().active_element()?.get_attribute("data-index")
}

#[wasm_bindgen_test]
fn thousands_of_points_build_only_the_rows_in_view() {
    let root = mount_list(many(2000), Lang::Ru);
    let options = root.query_selector_all("[role=option]").unwrap();
    assert!(options.length() > 0 && options.length() <= 20, "built {} rows of 2000", options.length());
    let first: web_sys::Element = options.get(0).unwrap().unchecked_into();
    assert_eq!(first.get_attribute("aria-setsize").as_deref(), Some("2000"));
    assert_eq!(first.get_attribute("aria-posinset").as_deref(), Some("1"));
    let in_tab_order = root.query_selector_all("[role=option][tabindex='0']").unwrap();
    assert_eq!(in_tab_order.length(), 1, "one row in the Tab order");
}

#[wasm_bindgen_test]
async fn arrow_keys_move_focus_through_rows_and_end_reaches_the_last() {
    // The widget's own stylesheet, which gives rows their height and the list its scroll.
    let document = web_sys::window().unwrap().document().unwrap();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../style/widget.css")));
    document.head().unwrap().append_child(&style).unwrap();
    let root = mount_list(many(2000), Lang::En);
    let first: web_sys::HtmlElement = root.query_selector("[data-index='0']").unwrap().unwrap().unchecked_into();
    first.focus().unwrap();
    press(&first, "ArrowDown");
    next_frame().await;
    assert_eq!(focused_index().as_deref(), Some("1"));
    let second = root.query_selector("[data-index='1']").unwrap().unwrap();
    press(&second, "End");
    next_frame().await;
    assert_eq!(focused_index().as_deref(), Some("1999"), "End scrolls to the last row and focuses it");
    assert!(root.query_selector("[data-index='0']").unwrap().is_none(), "rows far above are not built");
    let built = root.query_selector_all("[role=option]").unwrap().length();
    assert!(built <= 20, "built {built} rows at the end of the list");
}
