//! The proxy's guard against the internet: only the shops' origins may call the API (and the proxy's own
//! pages), each client is rate limited with a JSON 429 and `Retry-After`, `X-Forwarded-For` counts only from
//! trusted proxies, and oversized URLs and bodies are refused before any work is done.

use pvz_shared::ErrorBody;
use pvz_tests::TestProxy;
use reqwest::StatusCode;
use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN, RETRY_AFTER};

const CARRIERS: &str = "/api/v1/carriers";

#[tokio::test]
async fn only_allowed_origins_and_the_proxys_own_pages_may_call_the_api() {
    let proxy = TestProxy::start_with(&[("PVZ_ALLOWED_ORIGINS", "https://shop.example".into())]).await;
    let client = reqwest::Client::new();
    let from = |origin: &str| client.get(proxy.url(CARRIERS)).header(ORIGIN, origin).send();

    let shop = from("https://shop.example").await.unwrap();
    assert_eq!(shop.status(), StatusCode::OK);
    assert_eq!(shop.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "https://shop.example");

    let evil = from("https://evil.example").await.unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    // The refused page may read the refusal, and only that, so that its owner learns what to configure.
    assert_eq!(evil.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "https://evil.example");
    let body: ErrorBody = evil.json().await.unwrap();
    assert_eq!(body.error.code, "forbidden_origin");
    assert!(body.error.message.contains("PVZ_ALLOWED_ORIGINS"));

    let own = from(&format!("http://{}", proxy.addr)).await.unwrap();
    assert_eq!(own.status(), StatusCode::OK, "the proxy's own demo pages");
    let backend = client.get(proxy.url(CARRIERS)).send().await.unwrap();
    assert_eq!(backend.status(), StatusCode::OK, "a shop's backend sends no Origin");

    let loader = client.get(proxy.url("/widget.js")).header(ORIGIN, "https://evil.example").send().await.unwrap();
    assert_eq!(loader.status(), StatusCode::OK, "the widget's files are public");
}

#[tokio::test]
async fn the_demo_without_a_list_answers_any_origin() {
    let proxy = TestProxy::start().await;
    let response =
        reqwest::Client::new().get(proxy.url(CARRIERS)).header(ORIGIN, "https://any.example").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

/// Whichever carrier is the only one configured, its credentials are worth protecting: with no origin list,
/// only the proxy's own pages may call the API. (The carriers' addresses are a closed local port: nothing
/// here needs them to answer.)
#[tokio::test]
async fn a_proxy_with_any_one_real_carrier_and_no_list_refuses_foreign_origins() {
    let nowhere = || "http://127.0.0.1:9/".to_string();
    let alone: [Vec<(&str, String)>; 3] = [
        vec![
            ("PVZ_CDEK_CLIENT_ID", "id".into()),
            ("PVZ_CDEK_CLIENT_SECRET", "s".into()),
            ("PVZ_CDEK_BASE_URL", nowhere()),
        ],
        vec![
            ("PVZ_RUSSIANPOST_TRACKING_LOGIN", "login".into()),
            ("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "p".into()),
            ("PVZ_RUSSIANPOST_TARIFF_URL", nowhere()),
            ("PVZ_RUSSIANPOST_TRACKING_URL", nowhere()),
        ],
        vec![("PVZ_BOXBERRY_TOKEN", "t".into()), ("PVZ_BOXBERRY_BASE_URL", nowhere())],
    ];
    pvz_proxy::install_tls_provider();
    let client = reqwest::Client::new();
    for settings in alone {
        let carrier = settings[0].0;
        let proxy = TestProxy::start_with(&settings).await;
        let evil =
            client.get(proxy.url("/api/v1/settings")).header(ORIGIN, "https://evil.example").send().await.unwrap();
        assert_eq!(evil.status(), StatusCode::FORBIDDEN, "{carrier} alone");
        assert_eq!(evil.json::<ErrorBody>().await.unwrap().error.code, "forbidden_origin");
        let own = client.get(proxy.url("/api/v1/settings")).header(ORIGIN, format!("http://{}", proxy.addr));
        assert_eq!(own.send().await.unwrap().status(), StatusCode::OK, "{carrier}: the proxy's own pages");
    }
}

async fn statuses(client: &reqwest::Client, url: &str, forwarded_for: Option<&str>, n: usize) -> Vec<StatusCode> {
    let mut out = Vec::new();
    for _ in 0..n {
        let mut request = client.get(url);
        if let Some(ip) = forwarded_for {
            request = request.header("x-forwarded-for", ip);
        }
        out.push(request.send().await.unwrap().status());
    }
    out
}

#[tokio::test]
async fn a_client_past_its_burst_gets_a_json_429_with_retry_after() {
    let proxy =
        TestProxy::start_with(&[("PVZ_RATE_LIMIT_PER_SECOND", "1".into()), ("PVZ_RATE_LIMIT_BURST", "5".into())]).await;
    let client = reqwest::Client::new();
    let url = proxy.url(CARRIERS);
    assert_eq!(statuses(&client, &url, None, 5).await, [StatusCode::OK; 5]);
    let refused = client.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert_eq!(wait, 1);
    assert_eq!(refused.json::<ErrorBody>().await.unwrap().error.code, "rate_limited");
    // An untrusted peer cannot pose as another client.
    assert_eq!(statuses(&client, &url, Some("203.0.113.7"), 1).await, [StatusCode::TOO_MANY_REQUESTS]);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(statuses(&client, &url, None, 1).await, [StatusCode::OK], "one more after a second");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let proxy = TestProxy::start_with(&[
        ("PVZ_RATE_LIMIT_PER_SECOND", "1".into()),
        ("PVZ_RATE_LIMIT_BURST", "3".into()),
        ("PVZ_TRUSTED_PROXIES", "127.0.0.0/8".into()),
    ])
    .await;
    let client = reqwest::Client::new();
    let url = proxy.url(CARRIERS);
    let first = statuses(&client, &url, Some("203.0.113.7"), 4).await;
    assert_eq!(first[..3], [StatusCode::OK; 3]);
    assert_eq!(first[3], StatusCode::TOO_MANY_REQUESTS);
    // The client is the nearest untrusted address: a spoofed left-most entry changes nothing.
    let spoofed = statuses(&client, &url, Some("198.51.100.1, 203.0.113.7"), 1).await;
    assert_eq!(spoofed, [StatusCode::TOO_MANY_REQUESTS]);
    assert_eq!(statuses(&client, &url, Some("203.0.113.8"), 3).await, [StatusCode::OK; 3], "another buyer");
}

#[tokio::test]
async fn oversized_urls_and_bodies_are_refused_with_clear_statuses() {
    let proxy = TestProxy::start().await;
    let long = proxy.url(&format!("/api/v1/suggest?q={}", "a".repeat(9000)));
    let response = reqwest::get(&long).await.unwrap();
    assert_eq!(response.status(), StatusCode::URI_TOO_LONG);
    assert_eq!(response.json::<ErrorBody>().await.unwrap().error.code, "uri_too_long");

    let body = format!("{{\"points\": [\"{}\"], \"parcel\": {{\"weight_g\": 1000}}}}", "x".repeat(100_000));
    let response = reqwest::Client::new()
        .post(proxy.url("/api/v1/quotes"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.json::<ErrorBody>().await.unwrap().error.code, "payload_too_large");
}
