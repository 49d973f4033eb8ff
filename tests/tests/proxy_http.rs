//! The proxy as a shop's browser and backend see it: a real server on a real port, spoken to over HTTP.

use pvz_shared::{CarrierInfo, CityInfo, ErrorBody, Point, ViewResponse, WidgetSettings};
use pvz_tests::TestProxy;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH};

async fn get(url: &str) -> reqwest::Response {
    reqwest::get(url).await.expect("the proxy answers")
}

async fn error_of(url: &str, status: StatusCode) -> ErrorBody {
    let response = get(url).await;
    assert_eq!(response.status(), status, "{url}");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json", "{url}");
    response.json().await.expect("an error body")
}

#[tokio::test]
async fn healthz_answers_ok() {
    let proxy = TestProxy::start().await;
    let response = get(&proxy.url("/healthz")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap().trim(), "ok");
}

const MOSCOW_VIEW: &str = "/api/v1/points?bbox=37.2,55.5,38.0,56.0&zoom=11";

#[tokio::test]
async fn a_map_view_comes_clustered_compressed_and_cacheable() {
    let proxy = TestProxy::start().await;
    let client = reqwest::Client::new();
    let response = client.get(proxy.url(MOSCOW_VIEW)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_ENCODING], "gzip");
    assert!(response.headers()[CACHE_CONTROL].to_str().unwrap().contains("max-age"));
    let etag = response.headers()[ETAG].clone();

    let view: ViewResponse = get(&proxy.url(MOSCOW_VIEW)).await.json().await.unwrap();
    assert!(view.total > 1000, "Moscow has thousands of demo points");
    let counted: u32 = view.clusters.iter().map(|c| c.count).sum::<u32>() + view.points.len() as u32;
    assert_eq!(counted, view.total);

    let again = client.get(proxy.url(MOSCOW_VIEW)).header(IF_NONE_MATCH, etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn filters_narrow_the_view() {
    let proxy = TestProxy::start().await;
    let all: ViewResponse = get(&proxy.url(MOSCOW_VIEW)).await.json().await.unwrap();
    for filter in ["kinds=locker", "payment=card,cod", "fitting_room=true", "round_the_clock=1", "carriers=demo-express", "dims=70x30x30"] {
        let narrowed: ViewResponse = get(&proxy.url(&format!("{MOSCOW_VIEW}&{filter}"))).await.json().await.unwrap();
        assert!(0 < narrowed.total && narrowed.total < all.total, "{filter}: {} of {}", narrowed.total, all.total);
    }
}

#[tokio::test]
async fn one_point_has_its_full_details_and_an_unknown_one_a_clear_404() {
    let proxy = TestProxy::start().await;
    let close: ViewResponse = get(&proxy.url("/api/v1/points?bbox=37.60,55.75,37.63,55.765&zoom=16")).await.json().await.unwrap();
    let marker = close.points.first().expect("points in central Moscow");
    let point: Point = get(&proxy.url(&format!("/api/v1/points/{}", marker.id))).await.json().await.unwrap();
    assert_eq!(point.name, marker.name);
    assert_eq!(point.address.full, marker.address);
    assert!(point.hours.week.iter().any(|day| !day.is_empty()));
    let missing = error_of(&proxy.url("/api/v1/points/demo-post:nope"), StatusCode::NOT_FOUND).await;
    assert_eq!(missing.error.code, "not_found");
    assert!(missing.error.message.contains("demo-post:nope"));
}

#[tokio::test]
async fn cities_and_carriers_are_listed() {
    let proxy = TestProxy::start().await;
    let city: CityInfo = get(&proxy.url("/api/v1/cities/%D0%BA%D0%B0%D0%B7%D0%B0%D0%BD%D1%8C")).await.json().await.unwrap();
    assert_eq!(city.name, "Казань");
    assert!(city.bounds.contains(pvz_shared::LatLon { lat: 55.7963, lon: 49.1088 }));
    error_of(&proxy.url("/api/v1/cities/Atlantis"), StatusCode::NOT_FOUND).await;

    let carriers: Vec<CarrierInfo> = get(&proxy.url("/api/v1/carriers")).await.json().await.unwrap();
    let names: Vec<_> = carriers.iter().map(|c| c.name.0.as_str()).collect();
    assert_eq!(names, ["demo-express", "demo-post"]);
    assert!(carriers.iter().map(|c| c.points).sum::<u32>() >= 50_000);
}

#[tokio::test]
async fn bad_query_values_get_a_json_400_naming_the_parameter() {
    let proxy = TestProxy::start().await;
    for (query, param) in [
        ("zoom=3", "bbox"),
        ("bbox=1,2,3&zoom=3", "bbox"),
        ("bbox=a,b,c,d&zoom=3", "bbox"),
        ("bbox=0,0,200,1&zoom=3", "bbox"),
        ("bbox=5,0,1,1&zoom=3", "bbox"),
        ("bbox=19,41,180,78&zoom=14", "bbox"),
        ("bbox=37,55,38,56", "zoom"),
        ("bbox=37,55,38,56&zoom=21", "zoom"),
        ("bbox=37,55,38,56&zoom=-1", "zoom"),
        ("bbox=37,55,38,56&zoom=3&carriers=%3Cscript%3E", "carriers"),
        ("bbox=37,55,38,56&zoom=3&carriers=demo,CDEK", "carriers"),
        ("bbox=37,55,38,56&zoom=3&kinds=shop", "kinds"),
        ("bbox=37,55,38,56&zoom=3&payment=bitcoin", "payment"),
        ("bbox=37,55,38,56&zoom=3&open_now=maybe", "open_now"),
        ("bbox=37,55,38,56&zoom=3&weight=0", "weight"),
        ("bbox=37,55,38,56&zoom=3&weight=1e9", "weight"),
        ("bbox=37,55,38,56&zoom=3&dims=30x20", "dims"),
    ] {
        let url = proxy.url(&format!("/api/v1/points?{query}"));
        let body = error_of(&url, StatusCode::BAD_REQUEST).await;
        assert_eq!(body.error.code, "bad_request");
        assert!(body.error.message.starts_with(param), "{query}: {}", body.error.message);
    }
}

#[tokio::test]
async fn unknown_api_paths_get_a_json_404() {
    let proxy = TestProxy::start().await;
    let body = error_of(&proxy.url("/api/v1/nothing-here"), StatusCode::NOT_FOUND).await;
    assert_eq!(body.error.code, "not_found");
}

#[tokio::test]
async fn settings_tell_the_widget_the_configured_tiles() {
    let proxy = TestProxy::start().await;
    let settings: WidgetSettings = get(&proxy.url("/api/v1/settings")).await.json().await.unwrap();
    assert_eq!(settings.tile_url, "", "the test proxy is configured without tiles");
    assert!(!settings.tile_attribution.is_empty());
}

#[tokio::test]
async fn loader_and_demo_site_are_served_and_compressed() {
    let proxy = TestProxy::start().await;
    let client = reqwest::Client::new();
    let loader = client.get(proxy.url("/widget.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(loader.status(), StatusCode::OK);
    assert!(loader.headers()[CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    assert_eq!(loader.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(loader.headers()[CACHE_CONTROL], "no-cache");

    let css = get(&proxy.url("/widget/widget.css")).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));

    let page = get(&proxy.url("/")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Оформление заказа"));
}
