//! Pickup points: the clustered view of a map box under filters, and one point's full details.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::get;
use pvz_shared::{BBox, Carrier, PointKind};
use serde::Deserialize;
use time::OffsetDateTime;

use super::AppState;
use super::cache::{JsonBody, cached_json};
use crate::Error;
use crate::network::filter::FilterQuery;
use crate::network::index::MAX_ZOOM;
use pvz_shared::params;

/// How long browsers and CDNs may keep a points answer, in seconds ("open now" changes by the minute).
const MAX_AGE: u32 = 60;

pub fn routes() -> Router<AppState> {
    Router::new().route("/points", get(view)).route("/points/{id}", get(one))
}

/// The raw query; every field is text so that a bad value gets our error naming it, not a generic one.
#[derive(Debug, Default, Deserialize)]
pub struct ViewParams {
    /// `west,south,east,north`.
    bbox: Option<String>,
    zoom: Option<String>,
    /// Comma-separated carrier names: the carriers the shop ships with.
    carriers: Option<String>,
    /// Comma-separated carrier names: of those, the ones the buyer's carrier chips keep.
    only_carriers: Option<String>,
    /// Comma-separated: `pickup_point`, `locker`, `post_office`.
    kinds: Option<String>,
    /// Comma-separated methods every point must take: `cash`, `card`, `cod`.
    payment: Option<String>,
    fitting_room: Option<String>,
    open_now: Option<String>,
    round_the_clock: Option<String>,
    /// Grams.
    weight: Option<String>,
    /// `LxWxH` in cm, comma-separated for several boxes.
    dims: Option<String>,
}

fn list(value: &Option<String>) -> impl Iterator<Item = &str> {
    value.as_deref().unwrap_or_default().split(',').map(params::trim).filter(|s| !s.is_empty())
}

/// `true` or `false`, as the document says a boolean is written.
fn flag(param: &'static str, value: &Option<String>) -> Result<bool, Error> {
    match value.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(Error::bad_request(param, format!("{other:?} is not true or false"))),
    }
}

/// `value` of `param` if it holds at most `max` characters, the most the document allows it: so that every
/// request the document allows fits the guard's URL limit, however its text is encoded.
pub fn bounded<'a>(param: &'static str, value: &'a Option<String>, max: usize) -> Result<&'a Option<String>, Error> {
    match value {
        Some(text) if text.chars().count() > max => {
            Err(Error::bad_request(param, format!("must be at most {max} characters")))
        }
        _ => Ok(value),
    }
}

/// A number parameter as given; one given blank is refused, since the document says it is a number.
pub fn number<'a>(param: &'static str, value: &'a Option<String>) -> Result<&'a Option<String>, Error> {
    match value {
        Some(text) if text.trim().is_empty() => {
            Err(Error::bad_request(param, "is empty: give a number or leave it out"))
        }
        _ => Ok(value),
    }
}

impl ViewParams {
    pub fn bbox_and_zoom(&self) -> Result<(BBox, u8), Error> {
        let bbox = bounded("bbox", &self.bbox, 200)?
            .as_deref()
            .ok_or_else(|| Error::bad_request("bbox", "is required: west,south,east,north"))?;
        let bbox = bbox.parse::<BBox>().map_err(|e| Error::bad_request("bbox", e))?;
        let zoom = self.zoom.as_deref().ok_or_else(|| Error::bad_request("zoom", "is required"))?;
        let zoom = params::trim(zoom).parse::<u8>().ok().filter(|z| *z <= MAX_ZOOM);
        let zoom =
            zoom.ok_or_else(|| Error::bad_request("zoom", format!("must be a whole number from 0 to {MAX_ZOOM}")))?;
        Ok((bbox, zoom))
    }

    pub fn filters(&self) -> Result<FilterQuery, Error> {
        let carriers = |param: &'static str, value: &Option<String>| {
            list(bounded(param, value, 500)?)
                .map(|c| {
                    if Carrier::is_valid_name(c) {
                        Ok(c.to_string())
                    } else {
                        Err(Error::bad_request(param, format!("{c:?} is not a carrier name")))
                    }
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let kinds = list(bounded("kinds", &self.kinds, 200)?)
            .map(|k| {
                PointKind::from_name(k).ok_or_else(|| {
                    Error::bad_request("kinds", format!("{k:?} is not one of pickup_point, locker, post_office"))
                })
            })
            .collect::<Result<_, _>>()?;
        let mut query = FilterQuery {
            carriers: carriers("carriers", &self.carriers)?,
            only_carriers: carriers("only_carriers", &self.only_carriers)?,
            kinds,
            fitting_room: flag("fitting_room", &self.fitting_room)?,
            open_now: flag("open_now", &self.open_now)?,
            round_the_clock: flag("round_the_clock", &self.round_the_clock)?,
            ..FilterQuery::default()
        };
        for method in list(bounded("payment", &self.payment, 100)?) {
            match method {
                "cash" => query.cash = true,
                "card" => query.card = true,
                "cod" => query.cash_on_delivery = true,
                other => return Err(Error::bad_request("payment", format!("{other:?} is not one of cash, card, cod"))),
            }
        }
        query.weight_g = params::weight(number("weight", &self.weight)?.as_deref())?;
        let boxes = pvz_shared::Parcel {
            boxes: params::boxes(bounded("dims", &self.dims, 600)?.as_deref())?,
            ..Default::default()
        };
        query.dims = boxes.largest_box();
        Ok(query)
    }
}

/// `GET /api/v1/points?bbox=&zoom=&...filters`. The same view asked again within the minute (the widget's
/// buyers looking at the same city, a CDN's misses) is answered from the view cache.
#[utoipa::path(
    get,
    path = "/api/v1/points",
    operation_id = "points_view",
    summary = "The clustered view of a map box under filters",
    tag = "points",
    params(
        ("bbox" = String, Query, max_length = 200, description = "The visible box: `west,south,east,north` in degrees (corners in either order). A box more than 8192 px across at the zoom is drawn at the highest zoom where it is not, which the answer's `zoom` says", example = "37.4,55.6,37.8,55.9"),
        ("zoom" = u8, Query, minimum = 0, maximum = 20, description = "The map's zoom, 0 to 20", example = 11),
        ("carriers" = Option<String>, Query, max_length = 500, description = "Comma-separated: the carriers the shop ships with (all when absent)"),
        ("only_carriers" = Option<String>, Query, max_length = 500, description = "Comma-separated: of those, the ones the buyer's carrier chips keep"),
        ("kinds" = Option<String>, Query, max_length = 200, description = "Comma-separated: `pickup_point`, `locker`, `post_office`"),
        ("payment" = Option<String>, Query, max_length = 100, description = "Comma-separated methods every point must take: `cash`, `card`, `cod`"),
        ("fitting_room" = Option<bool>, Query, description = "Only points with a fitting room"),
        ("open_now" = Option<bool>, Query, description = "Only points open now, in their own time zone"),
        ("round_the_clock" = Option<bool>, Query, description = "Only points open round the clock"),
        ("weight" = Option<u32>, Query, minimum = 1, maximum = 1000000, description = "The parcel's weight in grams: points that cannot take it are hidden and counted"),
        ("dims" = Option<String>, Query, max_length = 600, description = "The parcel's boxes, `LxWxH` in cm, comma-separated: lockers whose cells are too small are hidden"),
    ),
    responses(
        (status = 200, description = "What to draw for the view: clusters at low zoom, points at high zoom", body = pvz_shared::ViewResponse),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn view(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Result<Response, Error> {
    let network = state.network.current();
    let now = OffsetDateTime::now_utc();
    // "Open now" and its counts change by the minute, and a new network changes everything.
    let key = (network.generation(), now.unix_timestamp().div_euclid(60), uri.query().unwrap_or_default().to_owned());
    if let Some(body) = state.views.get(&key) {
        return Ok(body.respond(&headers, MAX_AGE));
    }
    // Read only on a miss: a view asked again is answered without it.
    let Query(params) =
        Query::<ViewParams>::try_from_uri(&uri).map_err(|e| Error::bad_request("query", e.body_text()))?;
    let (bbox, zoom) = params.bbox_and_zoom()?;
    let filter = network.filter(&params.filters()?);
    let view = network.view(bbox, zoom, &filter, now);
    let body = JsonBody::kept(&view)?;
    state.views.insert(key, body.clone());
    Ok(body.respond(&headers, MAX_AGE))
}

/// `GET /api/v1/points/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/points/{id}",
    operation_id = "point",
    summary = "One point in full",
    tag = "points",
    params(
        ("id" = String, Path, max_length = 100, description = "`{carrier}:{carrier's code}`", example = "demo-express:42005361"),
        ("weight" = Option<u32>, Query, minimum = 1, maximum = 1000000, description = "The parcel's weight in grams: with it, a point that cannot take the parcel answers 409"),
        ("dims" = Option<String>, Query, max_length = 600, description = "The parcel's boxes, `LxWxH` in cm, comma-separated: with them, a locker none of whose cells they fit answers 409"),
    ),
    responses(
        (status = 200, description = "The point with everything known of it", body = pvz_shared::Point),
        (status = 400, description = "A parameter that cannot be used; the message names it", body = pvz_shared::ErrorBody),
        (status = 404, description = "No such point", body = pvz_shared::ErrorBody),
        (status = 409, description = "The point cannot take the parcel given (`parcel_not_accepted`): the message names the limit", body = pvz_shared::ErrorBody),
    )
)]
pub(super) async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    params: Result<Query<PointParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(params) = params.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let network = state.network.current();
    let point = network.get(&id).ok_or_else(|| Error::NotFound(format!("no pickup point {id:?}")))?;
    if params.weight.is_some() || params.dims.is_some() {
        let weight_g =
            params::weight(number("weight", &params.weight)?.as_deref())?.unwrap_or(params::DEFAULT_WEIGHT_G);
        let boxes = params::boxes(bounded("dims", &params.dims, 600)?.as_deref())?;
        crate::quotes::check_fits(point, &pvz_shared::Parcel { weight_g, boxes, ..Default::default() })?;
    }
    cached_json(&headers, MAX_AGE, point)
}

/// The parcel a shop's backend may give when it re-checks a point.
#[derive(Debug, Deserialize)]
pub(super) struct PointParams {
    weight: Option<String>,
    dims: Option<String>,
}
