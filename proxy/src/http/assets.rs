//! Static files: the loader at `/widget.js` (its types at `/widget.d.ts`), the rest of the widget bundle under `/widget/`, and the demo
//! shop at `/`. Files are revalidated on every use (`no-cache`), so a new bundle reaches buyers at once;
//! the bundle's pre-compressed `.gz` files are served as they are.

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppState;
use crate::Config;

pub fn routes(config: &Config) -> Router<AppState> {
    let bundle = &config.bundle_dir;
    Router::new()
        .route_service("/widget.js", ServeFile::new(bundle.join("widget.js")).precompressed_gzip())
        // The JS API's TypeScript declarations, for shops that type-check their checkout.
        .route_service("/widget.d.ts", ServeFile::new(bundle.join("widget.d.ts")))
        .nest_service("/widget", ServeDir::new(bundle).precompressed_gzip())
        .fallback_service(ServeDir::new(&config.site_dir))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}
