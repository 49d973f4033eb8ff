//! CDEK API v2 over HTTP: one OAuth token (client credentials) shared by every request, fetched once per
//! lifetime, renewed a minute before it expires and at once after a `401 v2_token_expired`; CDEK's error
//! bodies (`errors[]`, or `requests[].errors[]`) turned into messages that say what CDEK said.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::CdekConfig;
use crate::Error;
use crate::carriers::breaker::{self, Breaker, Failure};
use crate::carriers::upstream;

/// A token this close to its expiry is renewed first.
const RENEW_BEFORE: Duration = Duration::from_secs(60);

#[derive(Debug, Deserialize)]
struct TokenAnswer {
    access_token: String,
    /// Seconds; 3599 on CDEK's hosts.
    expires_in: u64,
}

/// An error as CDEK writes it, at the top or inside `requests[]`.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<CdekError>,
    #[serde(default)]
    requests: Vec<RequestState>,
}

#[derive(Debug, Default, Deserialize)]
struct RequestState {
    #[serde(default)]
    errors: Vec<CdekError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CdekError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

impl ErrorBody {
    fn all(self) -> Vec<CdekError> {
        self.errors.into_iter().chain(self.requests.into_iter().flat_map(|r| r.errors)).collect()
    }
}

/// `errors[]` as one line: "CDEK: message (code); ...".
pub fn describe(errors: &[CdekError]) -> String {
    let parts: Vec<String> = errors.iter().map(|e| format!("{} ({})", e.message.trim(), e.code)).collect();
    format!("CDEK: {}", parts.join("; "))
}

struct Token {
    value: String,
    renew_at: Instant,
}

pub struct Api {
    client: reqwest::Client,
    config: CdekConfig,
    /// The shared token; a std mutex, held only to read or replace it.
    token: Mutex<Option<Token>>,
    /// One renewal at a time: requests that find the token stale wait for it instead of asking too.
    renewing: tokio::sync::Mutex<()>,
    /// Stops calling CDEK for a while when it keeps failing.
    breaker: Breaker,
}

/// A call's answer: the body and the headers (paging).
pub struct Answer<T> {
    pub body: T,
    pub headers: reqwest::header::HeaderMap,
}

impl Api {
    pub fn new(config: CdekConfig) -> Self {
        let client = upstream::client(config.timeout);
        let breaker = Breaker::new("CDEK", breaker::THRESHOLD, breaker::COOL_DOWN);
        Self { client, config, token: Mutex::new(None), renewing: tokio::sync::Mutex::new(()), breaker }
    }

    fn url(&self, path: &str) -> Result<reqwest::Url, Error> {
        self.config.base_url.join(path).map_err(|e| Error::Internal(format!("CDEK URL {path}: {e}")))
    }

    fn fresh_token(&self) -> Option<String> {
        let token = self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        token.as_ref().filter(|t| Instant::now() < t.renew_at).map(|t| t.value.clone())
    }

    /// The current token, fetched first when there is none or it is about to expire.
    async fn token(&self) -> Result<String, Error> {
        if let Some(token) = self.fresh_token() {
            return Ok(token);
        }
        let _renewing = self.renewing.lock().await;
        if let Some(token) = self.fresh_token() {
            return Ok(token);
        }
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.expose()),
        ];
        let response = self
            .client
            .post(self.url("oauth/token")?)
            .form(&form)
            .send()
            .await
            .map_err(|e| Error::Upstream(format!("CDEK: no answer to the token request: {}", upstream::why(&e))))?;
        let status = response.status();
        if !status.is_success() {
            return Err(Error::Upstream(format!(
                "CDEK refused the credentials (HTTP {status}): {}",
                error_text(response).await
            )));
        }
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|_| Error::Upstream("CDEK: the token answer is not the expected JSON".into()))?;
        let lifetime = Duration::from_secs(answer.expires_in);
        let renew_at = Instant::now() + lifetime.saturating_sub(RENEW_BEFORE).max(lifetime / 2);
        let value = answer.access_token;
        *self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Some(Token { value: value.clone(), renew_at });
        Ok(value)
    }

    fn forget_token(&self, stale: &str) {
        let mut token = self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if token.as_ref().is_some_and(|t| t.value == stale) {
            *token = None;
        }
    }

    /// Sends `build(request)` with the token; once more with a new token if CDEK says it expired.
    async fn send(
        &self,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, Error> {
        let url = self.url(path)?;
        for attempt in 0..2 {
            let token = self.token().await?;
            let request = build(self.client.request(method.clone(), url.clone()).bearer_auth(&token));
            let response = request
                .send()
                .await
                .map_err(|e| Error::Upstream(format!("CDEK: no answer from {path}: {}", upstream::why(&e))))?;
            if response.status() == StatusCode::UNAUTHORIZED && attempt == 0 {
                tracing::info!(path, "CDEK token rejected; fetching a new one");
                self.forget_token(&token);
                continue;
            }
            return Ok(response);
        }
        Err(Error::Upstream("CDEK rejected a freshly issued token".into()))
    }

    /// A JSON answer as `T`; CDEK's error bodies become its messages. Fails at once while CDEK is paused
    /// after failing again and again.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Answer<T>, Error> {
        self.breaker.call(self.call_once(method, path, build)).await
    }

    async fn call_once<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Answer<T>, Failure> {
        let response = self.send(method, path, build).await.map_err(Failure::Outage)?;
        read(response, path).await
    }

    /// Like [`Api::call`], but CDEK's refusal (a 4xx with its `errors[]`) is an answer, `Err(errors)`: the
    /// orders API refuses what it will not do that way, and the refusal belongs to the shipment.
    pub async fn call_or_refusal<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Result<T, Vec<CdekError>>, Error> {
        self.breaker
            .call(async {
                let response = self.send(method, path, build).await.map_err(Failure::Outage)?;
                if response.status().is_client_error() {
                    let status = response.status();
                    let bytes = response.bytes().await.unwrap_or_default();
                    let errors = serde_json::from_slice::<ErrorBody>(&bytes).map(ErrorBody::all).unwrap_or_default();
                    return match errors.is_empty() {
                        false => Ok(Err(errors)),
                        true => Err(Failure::Refusal(Error::Upstream(format!(
                            "CDEK: HTTP {status} without an error description"
                        )))),
                    };
                }
                Ok(Ok(read(response, path).await?.body))
            })
            .await
    }
}

impl Api {
    /// A file (a PDF) at `path`, with the token.
    pub async fn bytes(&self, path: &str) -> Result<Vec<u8>, Error> {
        self.breaker
            .call(async {
                let response = self.send(Method::GET, path, |r| r).await.map_err(Failure::Outage)?;
                let status = response.status();
                if !status.is_success() {
                    let error = Error::Upstream(format!("{} (HTTP {status})", error_text(response).await));
                    return Err(if status.is_client_error() {
                        Failure::Refusal(error)
                    } else {
                        Failure::Outage(error)
                    });
                }
                let bytes = response.bytes().await.map_err(|e| {
                    Failure::Outage(Error::Upstream(format!("CDEK: the file broke off: {}", upstream::why(&e))))
                })?;
                Ok(bytes.to_vec())
            })
            .await
    }
}

/// A JSON answer as `T`; an error answer becomes CDEK's message, a 4xx a refusal and anything else an outage.
async fn read<T: DeserializeOwned>(response: Response, path: &str) -> Result<Answer<T>, Failure> {
    let status = response.status();
    let headers = response.headers().clone();
    if !status.is_success() {
        let error = Error::Upstream(format!("{} (HTTP {status})", error_text(response).await));
        // A 4xx is CDEK refusing this request (credentials included); a 5xx is CDEK failing.
        return Err(if status.is_client_error() { Failure::Refusal(error) } else { Failure::Outage(error) });
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| Failure::Outage(Error::Upstream(format!("CDEK: the answer broke off: {}", upstream::why(&e)))))?;
    let body = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Outage(Error::Upstream(format!("CDEK: {path} answered with unexpected JSON: {e}"))))?;
    Ok(Answer { body, headers })
}

/// What an error answer says: CDEK's `errors[]` when it has them, otherwise the status alone.
async fn error_text(response: Response) -> String {
    let status = response.status();
    let bytes = response.bytes().await.unwrap_or_default();
    match serde_json::from_slice::<ErrorBody>(&bytes).map(ErrorBody::all) {
        Ok(errors) if !errors.is_empty() => describe(&errors),
        _ => format!("CDEK: HTTP {status} without an error description"),
    }
}
