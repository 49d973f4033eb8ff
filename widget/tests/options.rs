//! The snippet's attributes as the widget reads them, in a real browser.

use pvz_widget::{Delivery, WidgetOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn options(delivery: Option<&str>, carriers: Option<&str>) -> WidgetOptions {
    WidgetOptions {
        delivery: delivery.map(str::to_string),
        carriers: carriers.map(str::to_string),
        ..WidgetOptions::default()
    }
}

#[wasm_bindgen_test]
fn data_delivery_offers_the_ways_it_names_in_its_order_and_both_when_it_names_none() {
    use Delivery::{Door, Pickup};
    assert_eq!(options(None, None).deliveries(), [Pickup, Door]);
    assert_eq!(options(Some("door"), None).deliveries(), [Door]);
    assert_eq!(options(Some(" door , pickup "), None).deliveries(), [Door, Pickup]);
    assert_eq!(options(Some("pickup,pickup"), None).deliveries(), [Pickup]);
    assert_eq!(options(Some("drone"), None).deliveries(), [Pickup, Door], "nothing readable: both");
}

#[wasm_bindgen_test]
fn data_carriers_names_the_carriers_asked_for_door_prices() {
    assert!(options(None, None).carrier_names().is_empty());
    assert_eq!(options(None, Some("cdek, boxberry,")).carrier_names(), ["cdek", "boxberry"]);
}
