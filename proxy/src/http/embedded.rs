//! The widget bundle and the demo pages built into the binary (the `embed` feature), served like the files
//! on disk: by path, pre-compressed `.br` or `.gz` copies to browsers that take them, with an `ETag` from the
//! file's hash. Compiled only with the feature.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;

#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../target/widget-bundle"]
struct Bundle;

#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../demo-site"]
struct Site;

/// The file at `path` of `E`, brotli- or gzip-compressed when the browser takes it and such a copy is built
/// in (brotli first: it is smaller).
fn serve<E: rust_embed::Embed>(path: &str, headers: &HeaderMap) -> Response {
    let path = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    let Some(plain) = E::get(&path) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let compressed = ["br", "gzip"].into_iter().find_map(|coding| {
        let suffix = if coding == "gzip" { "gz" } else { coding };
        super::cache::takes(headers, coding).then(|| E::get(&format!("{path}.{suffix}")).map(|f| (coding, f))).flatten()
    });
    let etag = format!(
        "\"{}{}\"",
        crate::hex::hex(&plain.metadata.sha256_hash()[..12]),
        compressed.as_ref().map_or(String::new(), |(coding, _)| format!("-{coding}"))
    );
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let content_type = if path.ends_with(".d.ts") {
        HeaderValue::from_static(super::assets::TYPESCRIPT)
    } else {
        HeaderValue::from_str(plain.metadata.mimetype()).unwrap_or(HeaderValue::from_static("application/octet-stream"))
    };
    let mut response = match compressed {
        Some((coding, file)) => ([(header::CONTENT_ENCODING, coding)], file.data.into_owned()).into_response(),
        None => plain.data.into_owned().into_response(),
    };
    let response_headers = response.headers_mut();
    response_headers.insert(header::CONTENT_TYPE, content_type);
    response_headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, etag);
    }
    response
}

pub fn bundle() -> Router<AppState> {
    Router::new()
        .route("/widget.js", get(|headers: HeaderMap| async move { serve::<Bundle>("widget.js", &headers) }))
        .route("/widget.d.ts", get(|headers: HeaderMap| async move { serve::<Bundle>("widget.d.ts", &headers) }))
        .route(
            "/widget/{*path}",
            get(|Path(path): Path<String>, headers: HeaderMap| async move { serve::<Bundle>(&path, &headers) }),
        )
}

pub fn site(router: Router<AppState>) -> Router<AppState> {
    router.fallback(|uri: axum::http::Uri, headers: HeaderMap| async move {
        serve::<Site>(uri.path().trim_start_matches('/'), &headers)
    })
}
