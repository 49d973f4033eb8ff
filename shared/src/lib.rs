//! What the proxy and the widget must agree on: the wire types of the public API and the pure logic both
//! sides need. Compiles for wasm32 and native alike, so nothing here does I/O.

pub mod api;
pub mod geo;
pub mod point;
pub mod text;

pub use api::{ErrorBody, ErrorDetail, PointsResponse, WidgetSettings};
pub use geo::{BBox, BBoxError, LatLon};
pub use point::{Address, Carrier, Point, PointKind};
pub use text::{Lang, plural_ru};
