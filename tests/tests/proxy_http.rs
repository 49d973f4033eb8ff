//! The proxy as a shop's browser and backend see it: a real server on a real port, spoken to over HTTP.

use pvz_shared::{
    CarrierInfo, CityInfo, ErrorBody, Point, Quote, QuotesResponse, SuggestResponse, SuggestionKind, ViewResponse,
    WidgetSettings,
};
use pvz_tests::TestProxy;
use pvz_tests::geocoder::Geocoder;
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
    for filter in [
        "kinds=locker",
        "payment=card,cod",
        "fitting_room=true",
        "round_the_clock=true",
        "carriers=demo-express",
        "dims=70x30x30",
    ] {
        let narrowed: ViewResponse = get(&proxy.url(&format!("{MOSCOW_VIEW}&{filter}"))).await.json().await.unwrap();
        assert!(0 < narrowed.total && narrowed.total < all.total, "{filter}: {} of {}", narrowed.total, all.total);
    }
}

#[tokio::test]
async fn one_point_has_its_full_details_and_an_unknown_one_a_clear_404() {
    let proxy = TestProxy::start().await;
    let close: ViewResponse =
        get(&proxy.url("/api/v1/points?bbox=37.60,55.75,37.63,55.765&zoom=16")).await.json().await.unwrap();
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
    let city: CityInfo =
        get(&proxy.url("/api/v1/cities/%D0%BA%D0%B0%D0%B7%D0%B0%D0%BD%D1%8C")).await.json().await.unwrap();
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
        ("bbox=37,55,38,56&zoom=3&fitting_room=", "fitting_room"),
        ("bbox=1,2,3&zoom=3", "bbox"),
        ("bbox=a,b,c,d&zoom=3", "bbox"),
        ("bbox=0,0,200,1&zoom=3", "bbox"),
        ("bbox=1e1,0,11,1&zoom=3", "bbox"),
        ("bbox=37,55,38,56&zoom=3&open_now=1", "open_now"),
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
    let long = proxy.url(&format!("/api/v1/points?bbox=37,55,38,56&zoom=3&carriers={}", "a,".repeat(251)));
    assert_eq!(
        error_of(&long, StatusCode::BAD_REQUEST).await.error.message,
        "carriers: must be at most 500 characters"
    );
}

#[tokio::test]
async fn a_box_is_the_same_whichever_corner_comes_first_and_a_huge_one_is_drawn_at_a_zoom_that_fits_it() {
    let proxy = TestProxy::start().await;
    let view = |query: &str| {
        let url = proxy.url(&format!("/api/v1/points?{query}"));
        async move { get(&url).await.json::<ViewResponse>().await.unwrap() }
    };
    let moscow = view("bbox=37.2,55.5,38.0,56.0&zoom=11").await;
    assert_eq!(view("bbox=38.0,56.0,37.2,55.5&zoom=11").await, moscow);
    // 161 degrees of longitude: 7,328 px across at zoom 6, so a request for zoom 14 is drawn at 6.
    let country = view("bbox=19,41,180,78&zoom=14").await;
    assert_eq!(country.zoom, 6);
    assert!(country.total > 50_000 && !country.clusters.is_empty(), "the whole demo network, clustered");
}

const KAZAN_STREET: &str = "/api/v1/points?bbox=49.09,55.78,49.13,55.81&zoom=15";

#[tokio::test]
async fn a_point_is_quoted_with_its_fees_and_dates() {
    let proxy = TestProxy::start().await;
    let close: ViewResponse = get(&proxy.url(KAZAN_STREET)).await.json().await.unwrap();
    let marker = close.points.iter().find(|p| p.id.starts_with("demo-express:")).expect("courier points in Kazan");
    let url =
        proxy.url(&format!("/api/v1/points/{}/quote?weight=1200&dims=30x20x10&value=2500&cod=1000.50", marker.id));
    // A quote is too small to gain from gzip: it goes as it is even to a browser that takes gzip.
    let response = reqwest::Client::new().get(&url).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert!(response.headers().get(CONTENT_ENCODING).is_none());
    let quote: Quote = response.json().await.unwrap();
    assert_eq!(quote.point_id, marker.id);
    assert_eq!(quote.included.insurance, 1_875, "0.75 % of 2 500 ₽");
    assert_eq!(quote.included.cash_on_delivery_fee, 3_001, "3 % of 1 000,50 ₽");
    assert!(quote.cost.kopecks > quote.included.insurance + quote.included.cash_on_delivery_fee);
    assert!(quote.days.min >= 1 && quote.days.min <= quote.days.max);
    assert!(quote.days.from_date.is_some());
}

/// What the shop's backend re-checks a choice with must refuse a parcel the point cannot take, whatever the
/// buyer's browser said: a locker of 15 kg and cells up to 64x38x40 cm.
#[tokio::test]
async fn a_point_and_its_quote_refuse_a_parcel_the_point_cannot_take_naming_the_limit() {
    let proxy = TestProxy::start().await;
    let close: ViewResponse = get(&proxy.url(&format!("{KAZAN_STREET}&kinds=locker"))).await.json().await.unwrap();
    let locker = &close.points[0].id;
    let point: Point = get(&proxy.url(&format!("/api/v1/points/{locker}"))).await.json().await.unwrap();
    assert_eq!(point.limits.max_weight_g, Some(15_000));
    for (query, limit) in [
        ("weight=25000", "25000 g is more than this point takes (15000 g)"),
        ("weight=200000", "200000 g is more than this point takes (15000 g)"),
        ("weight=1000&dims=100x100x100", "a box of 100x100x100 cm fits none of this locker's cells"),
    ] {
        for path in [format!("/api/v1/points/{locker}/quote?{query}"), format!("/api/v1/points/{locker}?{query}")] {
            let refusal = error_of(&proxy.url(&path), StatusCode::CONFLICT).await;
            assert_eq!(refusal.error.code, "parcel_not_accepted", "{path}");
            assert!(
                refusal.error.message.starts_with(&format!("parcel: {limit}")),
                "{path}: {}",
                refusal.error.message
            );
        }
    }
    let fits = get(&proxy.url(&format!("/api/v1/points/{locker}?weight=15000&dims=60x30x30"))).await;
    assert_eq!(fits.status(), StatusCode::OK, "at its limit the locker takes it");
    let body = serde_json::json!({ "points": [locker], "parcel": { "weight_g": 25_000 } });
    let answer: QuotesResponse = reqwest::Client::new()
        .post(proxy.url("/api/v1/quotes"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer.failures[0].code, "parcel_not_accepted");
}

#[tokio::test]
async fn the_list_in_view_is_quoted_in_one_request_with_failures_named() {
    let proxy = TestProxy::start().await;
    let close: ViewResponse = get(&proxy.url(KAZAN_STREET)).await.json().await.unwrap();
    let mut ids: Vec<String> = close.points.iter().map(|p| p.id.clone()).collect();
    assert!(ids.len() >= 5, "{} points", ids.len());
    ids.push("demo-post:nope".into());
    let body = serde_json::json!({ "points": ids, "parcel": { "weight_g": 1200, "boxes": [{"length": 30, "width": 20, "height": 10}] } });
    let response = reqwest::Client::new().post(proxy.url("/api/v1/quotes")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let answer: QuotesResponse = response.json().await.unwrap();
    assert_eq!(answer.quotes.len(), ids.len() - 1);
    assert_eq!(answer.failures.len(), 1);
    assert_eq!(
        (answer.failures[0].point_id.as_str(), answer.failures[0].code.as_str()),
        ("demo-post:nope", "not_found")
    );
    let post = answer.quotes.iter().find(|q| q.carrier.0 == "demo-post");
    let express = answer.quotes.iter().find(|q| q.carrier.0 == "demo-express");
    if let (Some(post), Some(express)) = (post, express) {
        assert!(post.days.max > express.days.max, "the post is slower");
    }
}

#[tokio::test]
async fn bad_parcels_and_batches_get_a_json_400() {
    let proxy = TestProxy::start().await;
    let close: ViewResponse = get(&proxy.url(KAZAN_STREET)).await.json().await.unwrap();
    let id = &close.points[0].id;
    for (query, param) in [("weight=0", "weight"), ("dims=30x20", "dims"), ("value=-5", "value"), ("cod=1.234", "cod")]
    {
        let body = error_of(&proxy.url(&format!("/api/v1/points/{id}/quote?{query}")), StatusCode::BAD_REQUEST).await;
        assert!(body.error.message.starts_with(param), "{query}: {}", body.error.message);
    }
    let client = reqwest::Client::new();
    let too_many = serde_json::json!({ "points": vec![id; 501], "parcel": { "weight_g": 1000 } });
    for (body, param) in [
        (too_many.to_string(), "points"),
        (r#"{"points": [], "parcel": {"weight_g": 0}}"#.to_string(), "parcel.weight_g"),
        ("not json".to_string(), "body"),
    ] {
        let response = client
            .post(proxy.url("/api/v1/quotes"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let error: ErrorBody = response.json().await.unwrap();
        assert!(error.error.message.starts_with(param), "{}", error.error.message);
    }
}

#[tokio::test]
async fn the_view_says_how_many_points_the_parcel_hides() {
    let proxy = TestProxy::start().await;
    let heavy: ViewResponse = get(&proxy.url(&format!("{MOSCOW_VIEW}&weight=20000"))).await.json().await.unwrap();
    let light: ViewResponse = get(&proxy.url(MOSCOW_VIEW)).await.json().await.unwrap();
    assert!(heavy.hidden.too_heavy > 0);
    assert_eq!(heavy.total + heavy.hidden.too_heavy, light.total);
    let bulky: ViewResponse =
        get(&proxy.url(&format!("{MOSCOW_VIEW}&dims=70x30x30,10x10x10"))).await.json().await.unwrap();
    assert!(bulky.hidden.too_big > 0);
}

#[tokio::test]
async fn the_widget_may_call_from_a_shop_page_of_another_origin() {
    let proxy = TestProxy::start().await;
    let client = reqwest::Client::new();
    let origin = "https://shop.example";
    let view = client.get(proxy.url(MOSCOW_VIEW)).header("origin", origin).send().await.unwrap();
    assert_eq!(view.headers()["access-control-allow-origin"], "*");
    let preflight = client
        .request(reqwest::Method::OPTIONS, proxy.url("/api/v1/quotes"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert!(preflight.headers()["access-control-allow-headers"].to_str().unwrap().contains("content-type"));
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
async fn loader_and_demo_site_are_served_compressed_and_kept_as_long_as_their_names_allow() {
    let proxy = TestProxy::start().await;
    let client = reqwest::Client::new();
    let loader = client.get(proxy.url("/widget.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(loader.status(), StatusCode::OK);
    assert!(loader.headers()[CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    assert_eq!(loader.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(loader.headers()[CACHE_CONTROL], "public, max-age=300", "the loader names the files: kept briefly");

    let css = get(&proxy.url("/widget/widget.0123456789.css")).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
    assert_eq!(css.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable", "named by its content");
    let missing = get(&proxy.url("/widget/widget.9876543210.css")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()[CACHE_CONTROL], "no-cache", "a miss is never kept");

    let page = get(&proxy.url("/")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Оформление заказа"));
}

#[tokio::test]
async fn suggestions_come_from_the_network_and_bad_queries_get_a_400() {
    let proxy = TestProxy::start().await;
    let found: SuggestResponse =
        get(&proxy.url("/api/v1/suggest?q=%D0%BA%D0%B0%D0%B7%D0%B0%D0%BD")).await.json().await.unwrap();
    let first = found.suggestions.first().expect("a suggestion for «казан»");
    assert_eq!((first.kind, first.label.as_str()), (SuggestionKind::City, "Казань"));
    assert!(first.bounds.is_some_and(|b| b.contains(first.location)));
    assert!(found.suggestions.len() <= 8);

    for (query, param) in [("", "q"), ("?q=a&limit=0", "limit"), ("?q=a&limit=x", "limit"), ("?q=", "")] {
        if param.is_empty() {
            let none: SuggestResponse = get(&proxy.url(&format!("/api/v1/suggest{query}"))).await.json().await.unwrap();
            assert!(none.suggestions.is_empty(), "an empty query suggests nothing");
            continue;
        }
        let err = error_of(&proxy.url(&format!("/api/v1/suggest{query}")), StatusCode::BAD_REQUEST).await;
        assert!(err.error.message.starts_with(param), "{query}: {}", err.error.message);
    }
    let long = "я".repeat(101);
    let err = error_of(&proxy.url(&format!("/api/v1/suggest?q={long}")), StatusCode::BAD_REQUEST).await;
    assert!(err.error.message.starts_with('q'));
}

#[tokio::test]
async fn the_geocoder_adds_addresses_the_network_lacks_once_per_query_and_its_faults_cost_nothing() {
    let geocoder = Geocoder::start().await;
    let proxy = TestProxy::start_with(&[("PVZ_GEOCODER_URL", geocoder.search_url())]).await;
    let url = proxy.url(
        "/api/v1/suggest?q=%D0%BA%D1%80%D0%B0%D1%81%D0%BD%D0%B0%D1%8F%20%D0%BF%D0%BB%D0%BE%D1%89%D0%B0%D0%B4%D1%8C",
    );
    for _ in 0..5 {
        let found: SuggestResponse = get(&url).await.json().await.unwrap();
        assert_eq!(found.suggestions.len(), 1, "the broken record is skipped: {:?}", found.suggestions);
        let place = &found.suggestions[0];
        assert_eq!((place.kind, place.label.as_str()), (SuggestionKind::Geocoded, "Красная площадь"));
        assert_eq!(place.detail, "Тверской район, Москва, Россия");
        assert!(place.bounds.is_some_and(|b| b.contains(place.location)));
    }
    assert_eq!(geocoder.calls(), 1, "one geocoder call for five identical queries");

    let known: SuggestResponse =
        get(&proxy.url("/api/v1/suggest?q=%D0%BC%D0%BE%D1%81%D0%BA")).await.json().await.unwrap();
    assert_eq!(known.suggestions.len(), 8);
    assert_eq!(geocoder.calls(), 1, "no outside call when the network fills the suggestions");

    geocoder.counters.failing.store(true, std::sync::atomic::Ordering::SeqCst);
    let response = get(
        &proxy.url("/api/v1/suggest?q=%D0%BA%D0%B0%D0%B7%D0%B0%D0%BD%D1%8C%20%D0%BA%D1%80%D0%B5%D0%BC%D0%BB%D1%8C")
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "a failing geocoder leaves the local suggestions");
    let local: SuggestResponse = response.json().await.unwrap();
    assert!(local.suggestions.iter().all(|s| s.kind != SuggestionKind::Geocoded));
    assert_eq!(geocoder.calls(), 2);
}

#[tokio::test]
async fn tracking_answers_demo_parcels_and_tells_unknown_from_malformed() {
    let proxy = TestProxy::start().await;
    let parcel: pvz_shared::tracking::Tracking =
        get(&proxy.url("/api/v1/tracking/DE0000000102")).await.json().await.unwrap();
    assert_eq!(parcel.status, pvz_shared::tracking::TrackStatus::InTransit);
    assert!(parcel.expected_date.is_some());
    assert!(parcel.events.windows(2).all(|w| w[0].at >= w[1].at), "newest first");

    let unknown = error_of(&proxy.url("/api/v1/tracking/DE0000000999"), StatusCode::NOT_FOUND).await;
    assert_eq!(unknown.error.code, "track_not_found");
    let malformed = error_of(&proxy.url("/api/v1/tracking/%3Cscript%3E"), StatusCode::BAD_REQUEST).await;
    assert_eq!(malformed.error.code, "bad_request");
    assert!(malformed.error.message.starts_with("number: may hold only"), "{}", malformed.error.message);
    // A number of a carrier the demo proxy does not serve: the formats it does serve are named.
    let unserved = error_of(&proxy.url("/api/v1/tracking/1234567890"), StatusCode::NOT_FOUND).await;
    assert_eq!(unserved.error.code, "unknown_number_format");
    assert!(unserved.error.message.contains("DE and 10 digits"), "{}", unserved.error.message);
    let carrier = error_of(&proxy.url("/api/v1/tracking/DE0000000102?carrier=nope"), StatusCode::NOT_FOUND).await;
    assert!(carrier.error.message.starts_with("carrier:"));
    let other = error_of(&proxy.url("/api/v1/tracking/DE0000000102?carrier=demo-post"), StatusCode::NOT_FOUND).await;
    assert_eq!(other.error.code, "track_not_found", "a post that finds parcels by its own numbers only");
}
