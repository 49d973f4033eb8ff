//! `POST /hooks/{carrier}/{secret}`: where carriers post their status notifications (subscribed at start when
//! `PVZ_PUBLIC_URL` is set). The secret path segment, kept in `data_dir` (and, for proxies sharing a
//! database, the first one's kept there for all), is the only credential a carrier's notification can carry;
//! a wrong one is a plain 404. A notification only has its shipment asked about at
//! once, so nothing it says is taken on trust.

use std::path::Path;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::routing::post;
use subtle::ConstantTimeEq;

use super::AppState;
use crate::Error;

pub fn routes() -> Router<AppState> {
    Router::new().route("/hooks/{carrier}/{secret}", post(notified))
}

/// The secret of the carriers' notification address: read from `data_dir/hooks.secret`, made there the
/// first time (carriers keep the address they were given across the proxy's restarts).
pub fn secret(data_dir: &Path) -> std::io::Result<String> {
    let path = data_dir.join("hooks.secret");
    if let Ok(kept) = std::fs::read_to_string(&path) {
        let kept = kept.trim();
        if kept.len() == 64 && kept.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(kept.to_string());
        }
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| std::io::Error::other(format!("no randomness for the hooks' secret: {e}")))?;
    let secret = crate::hex::hex(&bytes);
    std::fs::create_dir_all(data_dir)?;
    std::fs::write(&path, &secret)?;
    Ok(secret)
}

async fn notified(
    State(state): State<AppState>,
    UrlPath((carrier, secret)): UrlPath<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, Error> {
    let expected = state.hooks_secret.as_bytes();
    if !bool::from(expected.ct_eq(secret.as_bytes())) {
        return Err(Error::NotFound("no such address".into()));
    }
    if !state.shipments.notified(&carrier, &body).await? {
        tracing::debug!(%carrier, "a notification about no shipment followed here");
    }
    // Taken either way: a carrier that hears an error sends the same notification again and again.
    Ok(StatusCode::OK)
}
