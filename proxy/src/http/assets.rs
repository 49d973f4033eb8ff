//! Static files: the loader at `/widget.js` (its types at `/widget.d.ts`), the rest of the widget bundle
//! under `/widget/`, and the demo shop at `/`, from the directories configured, or from inside the binary
//! when it was built with them (the `embed` feature). Files are revalidated on every use (`no-cache`), so a
//! new bundle reaches buyers at once; the bundle's pre-compressed `.gz` files are served as they are.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
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
    router.layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
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
        .route_service("/widget.js", ServeFile::new(dir.join("widget.js")).precompressed_gzip())
        // The JS API's TypeScript declarations, for shops that type-check their checkout (as text: by its
        // extension alone it would pass for an MPEG stream).
        .route_service(
            "/widget.d.ts",
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(header::CONTENT_TYPE, HeaderValue::from_static(TYPESCRIPT)))
                .service(ServeFile::new(dir.join("widget.d.ts"))),
        )
        .nest_service("/widget", ServeDir::new(dir).precompressed_gzip())
}
