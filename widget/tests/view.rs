//! The widget's views mounted in a real browser and read back from the DOM.

use leptos::prelude::*;
use pvz_shared::{Lang, PointKind, PointMarker};
use pvz_widget::PointList;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn point(code: &str, name: &str) -> PointMarker {
    PointMarker {
        id: format!("demo:{code}"),
        kind: PointKind::Locker,
        lat: 55.75,
        lon: 37.6,
        name: name.into(),
        address: "101000, г. Москва, ул. Арбат, д. 1".into(),
    }
}

fn mount_list(points: Vec<PointMarker>, lang: Lang) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || view! { <PointList points=Signal::stored(points) lang /> });
    handle.forget();
    root
}

#[wasm_bindgen_test]
fn list_has_one_option_per_point() {
    let root = mount_list(vec![point("1", "Первый"), point("2", "Второй")], Lang::Ru);
    let options = root.query_selector_all("[role=listbox] > [role=option]").unwrap();
    assert_eq!(options.length(), 2);
    let first: web_sys::Element = options.get(0).unwrap().unchecked_into();
    assert_eq!(first.get_attribute("data-point-id").as_deref(), Some("demo:1"));
    assert!(first.text_content().unwrap().contains("Постамат"));
}

#[wasm_bindgen_test]
fn hostile_point_names_are_shown_as_text() {
    let hostile = "<img src=x onerror=alert(1)>";
    let root = mount_list(vec![point("x", hostile)], Lang::En);
    assert!(root.query_selector("img").unwrap().is_none(), "a point name became markup");
    let name = root.query_selector(".pvz-point-name").unwrap().unwrap();
    assert_eq!(name.text_content().as_deref(), Some(hostile));
    assert!(root.text_content().unwrap().contains("Parcel locker"));
}
