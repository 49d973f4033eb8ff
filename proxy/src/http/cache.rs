//! JSON answers that browsers and CDNs may keep: `Cache-Control`, and an `ETag` from the body so that a
//! repeated request is answered `304 Not Modified` without the body. A body can be made once and answered
//! many times (the map views keep theirs for a minute): such a body is gzipped once when it is made, since
//! compressing it again for every browser that asks would cost more than everything else the answer takes.

use std::hash::{Hash, Hasher};
use std::io::Write;

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;

/// A JSON body with its ETag, ready to be answered any number of times.
#[derive(Debug, Clone)]
pub struct JsonBody {
    /// One tag for both forms: they are the same JSON.
    etag: HeaderValue,
    body: Bytes,
    /// The body gzipped, for bodies made to be kept ([`JsonBody::kept`]); others are compressed on the way
    /// out by the router's compression layer, for the browsers that take it.
    gzip: Option<Bytes>,
}

impl JsonBody {
    pub fn new(value: &impl Serialize) -> Result<Self, Error> {
        let body = serde_json::to_vec(value).map_err(|e| Error::Internal(format!("serialising a response: {e}")))?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(Self { etag, body: Bytes::from(body), gzip: None })
    }

    /// `value` as JSON to be answered many times, gzipped once here.
    pub fn kept(value: &impl Serialize) -> Result<Self, Error> {
        let mut kept = Self::new(value)?;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let gzip = encoder.write_all(&kept.body).and_then(|()| encoder.finish());
        kept.gzip = Some(Bytes::from(gzip.map_err(|e| Error::Internal(format!("gzipping a response: {e}")))?));
        Ok(kept)
    }

    /// The bytes it holds, in both forms.
    pub fn bytes(&self) -> usize {
        self.body.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    /// The body with `Cache-Control: public, max-age={max_age}` and its ETag; `304` when the request's
    /// `If-None-Match` already names it.
    pub fn respond(&self, request: &HeaderMap, max_age: u32) -> Response {
        let cache_control = HeaderValue::from_str(&format!("public, max-age={max_age}"))
            .unwrap_or(HeaderValue::from_static("no-cache"));
        let headers = [(header::ETAG, self.etag.clone()), (header::CACHE_CONTROL, cache_control)];
        let etag = self.etag.to_str().unwrap_or_default();
        let matches = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|tag| tag.trim().trim_start_matches("W/") == etag));
        if matches {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let json = (header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        match &self.gzip {
            None => (headers, [json], self.body.clone()).into_response(),
            Some(gzip) => {
                let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
                if takes(request, "gzip") {
                    let encoding = (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                    (headers, [json, vary, encoding], gzip.clone()).into_response()
                } else {
                    (headers, [json, vary], self.body.clone()).into_response()
                }
            }
        }
    }
}

/// Whether the request's `Accept-Encoding` takes `coding` (named, or `*`, and not with `q=0`).
pub fn takes(request: &HeaderMap, coding: &str) -> bool {
    request.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |offered| {
            let mut parts = offered.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused =
                parts.any(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q <= 0.0));
            (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
        },
    )
}

/// `value` as JSON answered by [`JsonBody::respond`].
pub fn cached_json(request: &HeaderMap, max_age: u32, value: &impl Serialize) -> Result<Response, Error> {
    Ok(JsonBody::new(value)?.respond(request, max_age))
}

/// Plain JSON that must not be kept (it changes with the proxy's state).
pub fn fresh_json(value: impl Serialize) -> Response {
    ([(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))], Json(value)).into_response()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use axum::body::to_bytes;

    use super::*;

    fn request(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap())).collect()
    }

    async fn body_of(response: Response) -> Bytes {
        to_bytes(response.into_body(), usize::MAX).await.unwrap()
    }

    #[tokio::test]
    async fn a_kept_body_goes_gzipped_to_browsers_that_take_it_and_plain_to_others() {
        let value = serde_json::json!({ "points": (0..200).map(|i| format!("point {i}")).collect::<Vec<_>>() });
        let kept = JsonBody::kept(&value).unwrap();
        let plain = serde_json::to_vec(&value).unwrap();

        let zipped = kept.respond(&request(&[(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")]), 60);
        assert_eq!(zipped.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(zipped.headers()[header::VARY], "accept-encoding");
        let etag = zipped.headers()[header::ETAG].clone();
        let compressed = body_of(zipped).await;
        assert!(compressed.len() < plain.len() / 3, "{} of {}", compressed.len(), plain.len());
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut unzipped).unwrap();
        assert_eq!(unzipped, plain);

        for refusing in ["", "br", "gzip;q=0", "identity, gzip; q=0.0"] {
            let response = kept.respond(&request(&[(header::ACCEPT_ENCODING, refusing)]), 60);
            assert!(response.headers().get(header::CONTENT_ENCODING).is_none(), "{refusing:?}");
            assert_eq!(response.headers()[header::VARY], "accept-encoding");
            assert_eq!(response.headers()[header::ETAG], etag, "one tag for both forms");
            assert_eq!(body_of(response).await, plain, "{refusing:?}");
        }

        let again = kept.respond(
            &request(&[(header::ACCEPT_ENCODING, "gzip"), (header::IF_NONE_MATCH, etag.to_str().unwrap())]),
            60,
        );
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert!(body_of(again).await.is_empty());
    }

    #[test]
    fn gzip_is_taken_when_named_or_starred_and_not_refused() {
        for (accept, takes) in [
            ("gzip", true),
            ("GZIP", true),
            ("deflate, gzip;q=0.5", true),
            ("*", true),
            ("gzip;q=0", false),
            ("gzip; q=0.000", false),
            ("br, zstd", false),
            ("gzipped", false),
        ] {
            assert_eq!(super::takes(&request(&[(header::ACCEPT_ENCODING, accept)]), "gzip"), takes, "{accept}");
        }
        assert!(!super::takes(&HeaderMap::new(), "gzip"));
        assert!(super::takes(&request(&[(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")]), "br"));
    }
}
