//! The otpravka API over HTTP: every call carries the application token (`Authorization: AccessToken`) and
//! the account key (`X-User-Authorization: Basic`); its error bodies, which come in several shapes, are
//! turned into messages that say what Russian Post said.

use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::RussianPostConfig;
use super::TITLE_EN;
use crate::Error;
use crate::carriers::breaker::{self, Breaker, Failure};
use crate::carriers::upstream;
use crate::config::Secret;

/// An error as otpravka writes it: `{code, desc}`, `{status, error, message}` or `{errors: [...]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorBody {
    code: Option<serde_json::Value>,
    desc: Option<String>,
    message: Option<String>,
    error: Option<String>,
    errors: Vec<ErrorItem>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorItem {
    code: Option<serde_json::Value>,
    description: Option<String>,
}

impl ErrorBody {
    fn describe(self) -> Option<String> {
        let code = |c: Option<serde_json::Value>| match c {
            Some(serde_json::Value::String(s)) => format!(" ({s})"),
            Some(serde_json::Value::Number(n)) => format!(" ({n})"),
            _ => String::new(),
        };
        if let Some(text) = self.desc.or(self.message).or(self.error).filter(|t| !t.trim().is_empty()) {
            return Some(format!("{TITLE_EN}: {}{}", text.trim(), code(self.code)));
        }
        let parts: Vec<String> = self
            .errors
            .into_iter()
            .filter_map(|e| Some(format!("{}{}", e.description?.trim(), code(e.code))))
            .collect();
        (!parts.is_empty()).then(|| format!("{TITLE_EN}: {}", parts.join("; ")))
    }
}

/// The export is made on request and is large: it may take minutes.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(600);

/// An answer as the callers tell them apart.
enum Fetched {
    Body(axum::body::Bytes),
    /// 404: nothing there.
    Missing,
    /// Another 4xx: Russian Post refuses this request.
    Refused(Error),
}

pub struct Otpravka {
    client: reqwest::Client,
    base: Url,
    token: Secret,
    key: Secret,
    breaker: Breaker,
}

impl Otpravka {
    pub fn new(config: &RussianPostConfig, token: Secret, key: Secret) -> Self {
        Self {
            client: upstream::client(config.timeout),
            base: config.otpravka_url.clone(),
            token,
            key,
            breaker: Breaker::new("Russian Post (otpravka)", breaker::THRESHOLD, breaker::COOL_DOWN),
        }
    }

    /// `GET {path}?{query}` as `T`; `None` when Russian Post has nothing there (404).
    pub async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<Option<T>, Error> {
        self.breaker
            .call(async {
                match self.fetch(path, query, None).await? {
                    Fetched::Body(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                        Failure::Outage(Error::Upstream(format!(
                            "{TITLE_EN}: {path} answered with unexpected JSON: {e}"
                        )))
                    }),
                    Fetched::Missing => Ok(None),
                    Fetched::Refused(error) => Err(Failure::Refusal(error)),
                }
            })
            .await
    }

    /// The export of every office, parcel locker and pickup point (`/1.0/unloading-passport/zip?type=ALL`):
    /// a ZIP archive; `None` when the account may not export (Russian Post refuses it).
    pub async fn export(&self) -> Result<Option<axum::body::Bytes>, Error> {
        self.breaker
            .call(async {
                match self.fetch("1.0/unloading-passport/zip", &[("type", "ALL")], Some(EXPORT_TIMEOUT)).await? {
                    Fetched::Body(bytes) => Ok(Some(bytes)),
                    Fetched::Missing => Ok(None),
                    Fetched::Refused(error) => {
                        tracing::info!(%error, "Russian Post refuses this account the export of offices");
                        Ok(None)
                    }
                }
            })
            .await
    }

    /// `method path`, with a JSON `body` if any: the answer's bytes, `None` when there is nothing there (404), or
    /// Russian Post's refusal as `Err` inside.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Result<Option<axum::body::Bytes>, Error>, Error> {
        self.breaker
            .call(async {
                Ok(match self.request(method, path, &[], body, None).await? {
                    Fetched::Body(bytes) => Ok(Some(bytes)),
                    Fetched::Missing => Ok(None),
                    Fetched::Refused(error) => Err(error),
                })
            })
            .await
    }

    async fn fetch(&self, path: &str, query: &[(&str, &str)], timeout: Option<Duration>) -> Result<Fetched, Failure> {
        self.request(reqwest::Method::GET, path, query, None, timeout).await
    }

    async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&serde_json::Value>,
        timeout: Option<Duration>,
    ) -> Result<Fetched, Failure> {
        let url = self
            .base
            .join(path)
            .map_err(|e| Failure::Refusal(Error::Internal(format!("{TITLE_EN} URL {path}: {e}"))))?;
        let mut request = self
            .client
            .request(method, url)
            .query(query)
            .header("Authorization", format!("AccessToken {}", self.token.expose()))
            .header("X-User-Authorization", format!("Basic {}", self.key.expose()))
            .header("Accept", "application/json;charset=UTF-8");
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| Failure::Outage(Error::Upstream(format!("{TITLE_EN}: no answer: {}", upstream::why(&e)))))?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(Fetched::Missing);
        }
        let bytes = response.bytes().await.map_err(|e| {
            Failure::Outage(Error::Upstream(format!("{TITLE_EN}: the answer broke off: {}", upstream::why(&e))))
        })?;
        if status.is_success() {
            return Ok(Fetched::Body(bytes));
        }
        let described = serde_json::from_slice::<ErrorBody>(&bytes).ok().and_then(ErrorBody::describe);
        let error = Error::Upstream(format!(
            "{} (HTTP {status})",
            described.unwrap_or_else(|| format!("{TITLE_EN}: no error description"))
        ));
        // A 4xx is Russian Post refusing this request (credentials included); a 5xx is it failing.
        if status.is_client_error() { Ok(Fetched::Refused(error)) } else { Err(Failure::Outage(error)) }
    }
}
