//! Liveness for load balancers and process supervisors.

/// `GET /healthz`: answers as long as the server takes requests.
pub async fn healthz() -> &'static str {
    "ok\n"
}
