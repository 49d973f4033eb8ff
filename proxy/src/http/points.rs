//! Pickup points: the list for a map view and one point's details.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use pvz_shared::{BBox, PointsResponse};
use serde::Deserialize;

use super::AppState;
use crate::Error;
use crate::carriers::PointFilter;

/// How long browsers and CDNs may keep a points answer.
const CACHE_CONTROL: &str = "public, max-age=60";

pub fn routes() -> Router<AppState> {
    Router::new().route("/points", get(list)).route("/points/{id}", get(one))
}

/// The raw query; every field is text so that a bad value gets our error naming it, not axum's.
#[derive(Debug, Deserialize)]
struct ListQuery {
    /// `west,south,east,north`.
    bbox: Option<String>,
    city: Option<String>,
    /// Comma-separated carrier names.
    carriers: Option<String>,
}

impl ListQuery {
    fn into_filter(self) -> Result<PointFilter, Error> {
        let bbox = self.bbox.map(|b| b.parse::<BBox>().map_err(|e| Error::bad_request("bbox", e))).transpose()?;
        let city = self.city.map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty());
        if city.as_ref().is_some_and(|c| c.chars().count() > 100) {
            return Err(Error::bad_request("city", "must be at most 100 characters"));
        }
        let carriers = match self.carriers {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| {
                    if c.len() <= 32 && c.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
                        Ok(c.to_string())
                    } else {
                        Err(Error::bad_request("carriers", format!("{c:?} is not a carrier name")))
                    }
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(PointFilter { bbox, city, carriers })
    }
}

/// `GET /api/v1/points?bbox=&city=&carriers=`
async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<impl IntoResponse, Error> {
    let Query(query) = query.map_err(|e| Error::bad_request("query", e.body_text()))?;
    let filter = query.into_filter()?;
    let points: Vec<_> = state.network.query(&filter).cloned().collect();
    let bounds = BBox::around(points.iter().map(|p| p.location));
    Ok(([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(PointsResponse { points, bounds })))
}

/// `GET /api/v1/points/{id}`
async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<impl IntoResponse, Error> {
    let point = state.network.get(&id).ok_or_else(|| Error::NotFound(format!("no pickup point {id:?}")))?;
    Ok(([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(point.clone())))
}
