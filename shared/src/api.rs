//! Bodies of the `/api/v1/` endpoints, as the proxy writes them and the widget reads them.

use serde::{Deserialize, Serialize};

use crate::geo::{BBox, LatLon};
use crate::point::{Carrier, PointKind};

/// `GET /api/v1/points?bbox=&zoom=&...`: what to draw for one map view, in a compact shape. At low zoom
/// nearby points are merged into clusters; at high zoom every point comes alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ViewResponse {
    pub zoom: u8,
    /// Points in the box that pass the filters, clustered or not.
    pub total: u32,
    /// Points in the box that the parcel's weight or size hides.
    pub hidden: Hidden,
    /// How many points in the box each filter chip would keep, for the chips' counts.
    pub facets: Facets,
    #[cfg_attr(feature = "utoipa", schema(value_type = Vec<(f64, f64, u32)>))]
    pub clusters: Vec<Cluster>,
    pub points: Vec<PointMarker>,
    /// When the view is clustered: the points nearest its centre, nearest first, for the list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<PointMarker>,
    /// The carriers asked for, each with the points of it that [`Facets`] counts, for the carrier chips.
    #[serde(default)]
    pub carriers: Vec<CarrierCount>,
}

/// One carrier's points in a box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct CarrierCount {
    pub name: Carrier,
    /// The carrier's name for people.
    pub title: String,
    pub count: u32,
}

/// Points in a box by kind and property, among those the parcel can go to (and of the carriers asked for):
/// each chip's count is what the view would show with that chip pressed and the other pressed chips kept
/// (a kind widens the kinds pressed, a property narrows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Facets {
    pub pickup_point: u32,
    pub locker: u32,
    pub post_office: u32,
    pub card: u32,
    pub cash_on_delivery: u32,
    pub fitting_room: u32,
    pub open_now: u32,
    pub round_the_clock: u32,
}

/// Points a parcel cannot go to, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Hidden {
    /// The parcel is heavier than the point takes.
    pub too_heavy: u32,
    /// The parcel fits none of a locker's cells.
    pub too_big: u32,
}

/// Several points drawn as one: `[lat, lon, count]` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(from = "(f64, f64, u32)", into = "(f64, f64, u32)")]
pub struct Cluster {
    pub location: LatLon,
    pub count: u32,
}

impl From<(f64, f64, u32)> for Cluster {
    fn from((lat, lon, count): (f64, f64, u32)) -> Self {
        Self { location: LatLon { lat, lon }, count }
    }
}

impl From<Cluster> for (f64, f64, u32) {
    fn from(c: Cluster) -> Self {
        (c.location.lat, c.location.lon, c.count)
    }
}

/// One point on the map and in the list; the rest is at `GET /api/v1/points/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct PointMarker {
    pub id: String,
    pub kind: PointKind,
    pub lat: f64,
    pub lon: f64,
    pub name: String,
    pub address: String,
}

/// `GET /api/v1/carriers`: each carrier the proxy serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct CarrierInfo {
    pub name: Carrier,
    /// The carrier's name for people.
    pub title: String,
    pub points: u32,
    /// When its points were last loaded, RFC 3339.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "utoipa", schema(value_type = String, format = DateTime))]
    pub refreshed_at: time::OffsetDateTime,
}

/// `GET /api/v1/cities/{name}`: where a city is, to start the map there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct CityInfo {
    pub name: String,
    pub region: String,
    /// The box holding the city's points.
    pub bounds: BBox,
    pub points: u32,
}

/// `GET /api/v1/suggest?q=`: places and points matching what the buyer types, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct SuggestResponse {
    pub suggestions: Vec<Suggestion>,
}

/// One place the map can move to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub label: String,
    /// A second line: the region, the city or the address.
    pub detail: String,
    pub location: LatLon,
    /// The area to show; `None` for one address or point, shown close up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounds: Option<BBox>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub enum SuggestionKind {
    City,
    Metro,
    PostalCode,
    Address,
    /// A pickup point by its code.
    Point,
    /// An address found by the configured geocoder.
    Geocoded,
}

/// Every API error: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable, machine-readable (`bad_request`, `not_found`, ...).
    pub code: String,
    /// For people; names the offending parameter where there is one.
    pub message: String,
}

/// `GET /api/v1/settings`: what the widget needs from the proxy's configuration before it draws the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct WidgetSettings {
    /// Leaflet tile URL template; empty for a map without tiles.
    pub tile_url: String,
    pub tile_attribution: String,
    /// The track numbers each tracking carrier takes, for the buyer typing one.
    #[serde(default)]
    pub track_numbers: Vec<TrackNumbers>,
}

/// What one carrier's track numbers look like, in the widget's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct TrackNumbers {
    /// The carrier's name for people.
    pub title: String,
    /// In Russian: "14 цифр или RA123456785RU".
    pub ru: String,
    pub en: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_are_compact_triples_on_the_wire() {
        let cluster = Cluster { location: LatLon { lat: 55.75, lon: 37.62 }, count: 12 };
        assert_eq!(serde_json::to_string(&cluster).unwrap(), "[55.75,37.62,12]");
        assert_eq!(serde_json::from_str::<Cluster>("[55.75,37.62,12]").unwrap(), cluster);
    }
}
