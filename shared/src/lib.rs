//! What the proxy and the widget must agree on: the wire types of the public API and the pure logic both
//! sides need. Compiles for wasm32 and native alike, so nothing here does I/O.

pub mod api;
pub mod dates;
pub mod door;
pub mod geo;
pub mod hours;
pub mod params;
pub mod point;
pub mod quote;
pub mod text;
pub mod tracking;
pub mod whole;

pub use api::{
    CarrierCount, CarrierInfo, CityInfo, Cluster, ErrorBody, ErrorDetail, Facets, Hidden, PointMarker, SuggestResponse,
    Suggestion, SuggestionKind, TrackNumbers, ViewResponse, WidgetSettings,
};
pub use door::{
    AddressSuggestion, AddressesResponse, DoorAddress, DoorQuote, DoorQuotesRequest, DoorQuotesResponse, DoorRefusal,
};
pub use geo::{BBox, BBoxError, LatLon};
pub use hours::{Interval, OpeningHours, Status};
pub use point::{Address, Carrier, Dimensions, Limits, Payment, Point, PointKind, TimeZone};
pub use quote::{Currency, Days, Included, Money, Parcel, Quote, QuoteFailure, QuotesRequest, QuotesResponse};
pub use text::{Lang, format_days, format_money, group_thousands, plural_ru};
