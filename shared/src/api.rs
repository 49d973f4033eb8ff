//! Bodies of the `/api/v1/` endpoints, as the proxy writes them and the widget reads them.

use serde::{Deserialize, Serialize};

use crate::geo::BBox;
use crate::point::Point;

/// `GET /api/v1/points`: the points matching the query and the box that holds them all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsResponse {
    pub points: Vec<Point>,
    /// `None` when no point matched.
    pub bounds: Option<BBox>,
}

/// Every API error: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, machine-readable (`bad_request`, `not_found`, ...).
    pub code: String,
    /// For people; names the offending parameter where there is one.
    pub message: String,
}

/// `GET /api/v1/settings`: what the widget needs from the proxy's configuration before it draws the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetSettings {
    /// Leaflet tile URL template; empty for a map without tiles.
    pub tile_url: String,
    pub tile_attribution: String,
}
