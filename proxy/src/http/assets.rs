//! Static files: the loader at `/widget.js` (its types at `/widget.d.ts`), the rest of the widget bundle
//! under `/widget/`, and the demo shop at `/`, from the directories configured, or from inside the binary
//! when it was built with them (the `embed` feature). The bundle's files are named by their content's hash,
//! so browsers keep them for a year (`immutable`); the loader, which names them, is kept five minutes and
//! then revalidated, and everything else on every use (`no-cache`), so a new bundle reaches buyers within
//! minutes and a returning buyer fetches no byte of an unchanged one. The bundle's pre-compressed `.br` and
//! `.gz` files are served as they are.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppState;
use crate::Config;

/// The content type of the TypeScript declarations.
pub const TYPESCRIPT: &str = "text/plain; charset=utf-8";

/// Where the bundle and the pages are looked for when neither is configured nor built in.
#[cfg(not(feature = "embed"))]
const BUNDLE_DIR: &str = "target/widget-bundle";
#[cfg(not(feature = "embed"))]
const SITE_DIR: &str = "demo-site";

pub fn routes(config: &Config) -> Router<AppState> {
    #[cfg(feature = "embed")]
    let router = with_site(
        config.bundle_dir.as_deref().map_or_else(super::embedded::bundle, bundle_from),
        config.site_dir.as_deref(),
    );
    #[cfg(not(feature = "embed"))]
    let router = bundle_from(config.bundle_dir.as_deref().unwrap_or(Path::new(BUNDLE_DIR)))
        .fallback_service(ServeDir::new(config.site_dir.as_deref().unwrap_or(Path::new(SITE_DIR))));
    router.layer(middleware::from_fn(cache_policy))
}

/// How long browsers keep the file at `path`.
fn cache_control(path: &str) -> &'static str {
    let file = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/widget/") && is_hashed(file) {
        "public, max-age=31536000, immutable"
    } else if path == "/widget.js" {
        "public, max-age=300"
    } else {
        "no-cache"
    }
}

/// Whether `file` is named by its content's hash, as the bundle's build names them: `widget.3f2a1b9c0d.css`.
fn is_hashed(file: &str) -> bool {
    let mut parts = file.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next().unwrap_or_default());
    parts.next().is_some() && hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Sets each answer's `Cache-Control` by [`cache_control`]; an error is never kept.
async fn cache_policy(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let kept = response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED;
    let value = if kept { cache_control(&path) } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// The pages from `dir` when one is configured, otherwise those built in.
#[cfg(feature = "embed")]
fn with_site(router: Router<AppState>, dir: Option<&Path>) -> Router<AppState> {
    match dir {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => super::embedded::site(router),
    }
}

fn bundle_from(dir: &Path) -> Router<AppState> {
    Router::new()
        .route_service("/widget.js", ServeFile::new(dir.join("widget.js")).precompressed_br().precompressed_gzip())
        // The JS API's TypeScript declarations, for shops that type-check their checkout (as text: by its
        // extension alone it would pass for an MPEG stream).
        .route_service(
            "/widget.d.ts",
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(header::CONTENT_TYPE, HeaderValue::from_static(TYPESCRIPT)))
                .service(ServeFile::new(dir.join("widget.d.ts"))),
        )
        .nest_service("/widget", ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_bundle_files_are_kept_a_year_the_loader_five_minutes_the_rest_revalidated() {
        assert_eq!(cache_control("/widget/pvz_widget_bg.c2570c0926.wasm"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/widget/leaflet/leaflet.6033d19049.js"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/widget.js"), "public, max-age=300");
        assert_eq!(cache_control("/widget/leaflet/images/marker-icon.png"), "no-cache");
        assert_eq!(cache_control("/widget/widget.css"), "no-cache");
        assert_eq!(cache_control("/widget/widget.zzzzzzzzzz.css"), "no-cache");
        assert_eq!(cache_control("/index.html"), "no-cache");
    }
}
