//! Hundreds of malformed requests, of every kind a scanner or a broken client sends, against a real proxy:
//! not one may get a 5xx or kill the server, and every API refusal is the JSON error of the contract.

use pvz_shared::ErrorBody;
use pvz_tests::TestProxy;
use reqwest::{Method, StatusCode};

const VIEW: &str = "/api/v1/points?bbox=37.6,55.75,37.62,55.76&zoom=16";

fn bad_queries() -> Vec<String> {
    let bboxes = [
        "",
        "a,b,c,d",
        "1,2,3",
        "1,2,3,4,5",
        "NaN,1,2,3",
        "inf,1,2,3",
        "-inf,0,1,1",
        "1e999,0,1,1",
        "200,0,201,1",
        "0,-91,1,0",
        "0,89,1,91",
        "10,10,5,5",
        "1,1,1,1",
        ",,,",
        "0x10,0,1,1",
        "١,٢,٣,٤",
        "%00,1,2,3",
        "-180,-85,180,85",
        "-180,-90,180,90",
        "0,0,0.0000001,0.0000001",
    ];
    let zooms = ["", "-1", "21", "255", "256", "x", "1.5", "99999999999999999999", "%20", "0x10"];
    let mut out = Vec::new();
    for bbox in bboxes {
        out.push(format!("/api/v1/points?bbox={bbox}&zoom=3"));
    }
    for zoom in zooms {
        out.push(format!("/api/v1/points?bbox=37.6,55.75,37.62,55.76&zoom={zoom}"));
    }
    let filters = [
        "kinds=castle",
        "kinds=,,,",
        "kinds=locker,castle",
        "payment=crypto",
        "payment=card,",
        "fitting_room=maybe",
        "open_now=2",
        "round_the_clock=yes",
        "weight=0",
        "weight=-5",
        "weight=1e3",
        "weight=99999999999",
        "weight=1.5",
        "weight=",
        "weight=%20",
        "weight=%F0%9F%93%A6",
        "dims=0x0x0",
        "dims=10x10",
        "dims=axbxc",
        "dims=1000000x1x1",
        "dims=10x10x10,",
        "dims=-1x2x3",
        "dims=10×10×10",
        "carriers=%3Cscript%3E",
        "carriers=a%20b",
        "only_carriers=../../etc",
        "only_carriers=%00",
        "carriers=",
        "bbox=1,2,3,4&bbox=5,6,7,8",
        "zoom=3&zoom=4",
        "value=-1",
        "cod=abc",
    ];
    for filter in filters {
        out.push(format!("{VIEW}&{filter}"));
        out.push(format!("/api/v1/points?bbox=37.2,55.5,38.0,56.0&zoom=10&{filter}"));
        out.push(format!("/api/v1/points/demo-post:000001/quote?{filter}"));
    }
    let ids = [
        "nope",
        "%00",
        "..%2F..%2Fetc%2Fpasswd",
        "demo-express:",
        ":",
        "demo-express:%27%20OR%201=1--",
        "%F0%9F%98%80",
        "%C0%AF",
        "x".repeat(1500).as_str().to_owned().leak(),
    ];
    for id in ids {
        out.push(format!("/api/v1/points/{id}"));
        out.push(format!("/api/v1/points/{id}/quote?weight=1000"));
    }
    let quote_params = [
        "weight=",
        "weight=0",
        "weight=abc",
        "weight=1000&dims=1x1",
        "weight=1000&dims=0x1x1",
        "weight=1000&value=-1",
        "weight=1000&value=1e30",
        "weight=1000&cod=%20",
        "weight=1000&value=99999999999999999999",
        "dims=10x10x10",
    ];
    for params in quote_params {
        out.push(format!("/api/v1/points/demo-express:10100034/quote?{params}"));
    }
    let names = ["%00", "%0A%0D", "x".repeat(101).as_str().to_owned().leak(), "%3Cimg%20src=x%3E", "..", "%2F"];
    for name in names {
        out.push(format!("/api/v1/cities/{name}"));
    }
    let queries = ["", "q", "q=", "q=%00", "q=a&limit=0", "q=a&limit=21", "q=a&limit=-1", "q=a&limit=x", "q=%FF%FE"];
    for query in queries {
        out.push(format!("/api/v1/suggest?{query}"));
    }
    out.push(format!("/api/v1/suggest?q={}", "я".repeat(101)));
    let numbers = [
        "%20",
        "RA123456784RU",
        "RA12345678RU",
        "1",
        "12345",
        "%3Cscript%3E",
        "DE000000010",
        "DE00000001011",
        "x".repeat(41).as_str().to_owned().leak(),
        "%F0%9F%93%A6",
        "80102345678901%00",
        "..%2F..",
        "ЕА123456785RU",
        "1234567890?carrier=nope",
        "DE0000000101?carrier=",
        "DE0000000101?carrier=%00",
    ];
    for number in numbers {
        out.push(format!("/api/v1/tracking/{number}"));
    }
    for path in ["/api/v1/", "/api/v1/nope", "/api/v2/points", "/api/v1/points/", "/api/v1/quotes", "/api/v1/points?%"]
    {
        out.push(path.to_string());
    }
    out
}

fn bad_bodies() -> Vec<String> {
    let mut out: Vec<String> = [
        "", "null", "[]", "{}", "not json", "{\"points\": 5}", "{\"points\": [], \"parcel\": {}}",
        "{\"points\": [\"demo-express:10100034\"], \"parcel\": {\"weight_g\": -1}}",
        "{\"points\": [\"demo-express:10100034\"], \"parcel\": {\"weight_g\": 0}}",
        "{\"points\": [\"demo-express:10100034\"], \"parcel\": {\"weight_g\": 1e40}}",
        "{\"points\": [\"demo-express:10100034\"], \"parcel\": {\"weight_g\": \"heavy\"}}",
        "{\"points\": [\"demo-express:10100034\"], \"parcel\": {\"weight_g\": 1000, \"boxes\": [{\"length\": 0, \"width\": 1, \"height\": 1}]}}",
        "{\"points\": [\"demo-express:10100034\"], \"parcel\": {\"weight_g\": 1000, \"declared_value\": -5}}",
        "{\"points\": [null], \"parcel\": {\"weight_g\": 1000}}",
        "{\"points\": [\"\\u0000\"], \"parcel\": {\"weight_g\": 1000}}",
        "{\"points\": [\"a\"], \"parcel\": {\"weight_g\": 1000}, \"points\": [\"b\"]}",
    ]
    .map(String::from)
    .to_vec();
    out.push(format!("{{\"points\": [{}], \"parcel\": {{\"weight_g\": 1000}}}}", vec!["\"x\""; 501].join(",")));
    out.push(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)));
    out.push(format!("{{\"points\": [\"{}\"], \"parcel\": {{\"weight_g\": 1000}}}}", "é".repeat(20_000)));
    out
}

#[tokio::test]
async fn malformed_requests_get_clear_4xx_never_a_5xx() {
    let proxy = TestProxy::start().await;
    let client = reqwest::Client::new();
    let mut sent = 0;
    let mut check = async |method: Method, path: &str, body: Option<String>| {
        let mut request = client.request(method.clone(), proxy.url(path));
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"));
        let status = response.status();
        assert!(status.as_u16() < 500, "{method} {path}: {status}");
        if status.is_client_error() && path.starts_with("/api/") && method != Method::HEAD {
            let text = response.text().await.unwrap();
            let body: ErrorBody =
                serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {path}: {status} {text}"));
            assert!(!body.error.message.is_empty());
        }
        sent += 1;
    };
    for path in bad_queries() {
        check(Method::GET, &path, None).await;
    }
    for body in bad_bodies() {
        check(Method::POST, "/api/v1/quotes", Some(body)).await;
    }
    for (method, path) in [
        (Method::DELETE, VIEW),
        (Method::PUT, "/api/v1/quotes"),
        (Method::PATCH, "/api/v1/points/demo-express:10100034"),
        (Method::POST, "/api/v1/points"),
        (Method::HEAD, "/api/v1/carriers"),
        (Method::OPTIONS, "/api/v1/carriers"),
        (Method::GET, "/../../etc/passwd"),
        (Method::GET, "/widget/../../Cargo.toml"),
        (Method::GET, "/%2e%2e/%2e%2e/etc/passwd"),
        // Past the file system's name length, on the pages and the bundle as on the API.
        (Method::GET, &format!("/{}", "a".repeat(9_000))),
        (Method::GET, &format!("/widget/{}.js", "b".repeat(9_000))),
        (Method::GET, &format!("/tracking.html?{}", "q=1&".repeat(3_000))),
    ] {
        check(method, path, None).await;
    }
    assert!(sent >= 200, "{sent} malformed requests");
    let health = reqwest::get(proxy.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK, "the proxy is still up after {sent} malformed requests");
}
