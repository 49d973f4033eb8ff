//! The proxy as a shop's browser and backend see it: a real server on a real port, spoken to over HTTP.

use pvz_shared::{ErrorBody, Point, PointsResponse, WidgetSettings};
use pvz_tests::TestProxy;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};

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

#[tokio::test]
async fn points_of_a_city_come_with_the_box_that_holds_them() {
    let proxy = TestProxy::start().await;
    let all: PointsResponse = get(&proxy.url("/api/v1/points")).await.json().await.unwrap();
    let response = get(&proxy.url("/api/v1/points?city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[CACHE_CONTROL].to_str().unwrap().contains("max-age"));
    let moscow: PointsResponse = response.json().await.unwrap();
    assert!(!moscow.points.is_empty());
    assert!(moscow.points.len() < all.points.len());
    assert!(moscow.points.iter().all(|p| p.address.city == "Москва"));
    let bounds = moscow.bounds.expect("bounds of a non-empty answer");
    assert!(moscow.points.iter().all(|p| bounds.contains(p.location)));
}

#[tokio::test]
async fn points_in_a_box_are_inside_it_and_an_empty_box_has_no_bounds() {
    let proxy = TestProxy::start().await;
    let boxed: PointsResponse =
        get(&proxy.url("/api/v1/points?bbox=30.2,59.9,30.4,60.0")).await.json().await.unwrap();
    assert!(!boxed.points.is_empty());
    assert!(boxed.points.iter().all(|p| p.address.city == "Санкт-Петербург"));
    let empty: PointsResponse = get(&proxy.url("/api/v1/points?bbox=0,0,1,1")).await.json().await.unwrap();
    assert_eq!((empty.points.len(), empty.bounds), (0, None));
}

#[tokio::test]
async fn bad_query_values_get_a_json_400_naming_the_parameter() {
    let proxy = TestProxy::start().await;
    for (query, param) in [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=0,0,200,1", "bbox"),
        ("bbox=5,0,1,1", "bbox"),
        ("carriers=%3Cscript%3E", "carriers"),
        ("carriers=demo,CDEK", "carriers"),
    ] {
        let url = proxy.url(&format!("/api/v1/points?{query}"));
        let body = error_of(&url, StatusCode::BAD_REQUEST).await;
        assert_eq!(body.error.code, "bad_request");
        assert!(body.error.message.starts_with(param), "{query}: {}", body.error.message);
    }
}

#[tokio::test]
async fn an_empty_city_means_any_city() {
    let proxy = TestProxy::start().await;
    let all: PointsResponse = get(&proxy.url("/api/v1/points")).await.json().await.unwrap();
    let blank: PointsResponse = get(&proxy.url("/api/v1/points?city=%20")).await.json().await.unwrap();
    assert_eq!(blank.points.len(), all.points.len());
}

#[tokio::test]
async fn one_point_by_id_and_a_clear_404_for_an_unknown_one() {
    let proxy = TestProxy::start().await;
    let all: PointsResponse = get(&proxy.url("/api/v1/points")).await.json().await.unwrap();
    let wanted = &all.points[7];
    let one: Point = get(&proxy.url(&format!("/api/v1/points/{}", wanted.id))).await.json().await.unwrap();
    assert_eq!(&one, wanted);
    let missing = error_of(&proxy.url("/api/v1/points/demo:nope"), StatusCode::NOT_FOUND).await;
    assert_eq!(missing.error.code, "not_found");
    assert!(missing.error.message.contains("demo:nope"));
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
