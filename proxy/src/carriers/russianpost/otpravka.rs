//! The otpravka API over HTTP: every call carries the application token (`Authorization: AccessToken`) and
//! the account key (`X-User-Authorization: Basic`); its error bodies, which come in several shapes, are
//! turned into messages that say what Russian Post said. The office lists and records used for points
//! live here too: `settlement.offices.codes` and `postoffice/1.0/{index}`.

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::TITLE_EN;
use crate::Error;
use crate::carriers::breaker::{self, Breaker, Failure};
use crate::carriers::upstream;
use crate::config::{RussianPostConfig, Secret};

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
        self.breaker.call(self.get_once(path, query)).await
    }

    async fn get_once<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<Option<T>, Failure> {
        let url = self
            .base
            .join(path)
            .map_err(|e| Failure::Refusal(Error::Internal(format!("{TITLE_EN} URL {path}: {e}"))))?;
        let response = self
            .client
            .get(url)
            .query(query)
            .header("Authorization", format!("AccessToken {}", self.token.expose()))
            .header("X-User-Authorization", format!("Basic {}", self.key.expose()))
            .header("Accept", "application/json;charset=UTF-8")
            .send()
            .await
            .map_err(|e| Failure::Outage(Error::Upstream(format!("{TITLE_EN}: no answer: {}", upstream::why(&e)))))?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let bytes = response.bytes().await.map_err(|e| {
            Failure::Outage(Error::Upstream(format!("{TITLE_EN}: the answer broke off: {}", upstream::why(&e))))
        })?;
        if !status.is_success() {
            let described = serde_json::from_slice::<ErrorBody>(&bytes).ok().and_then(ErrorBody::describe);
            let error = Error::Upstream(format!(
                "{} (HTTP {status})",
                described.unwrap_or_else(|| format!("{TITLE_EN}: no error description"))
            ));
            // A 4xx is Russian Post refusing this request (credentials included); a 5xx is it failing.
            return Err(if status.is_client_error() { Failure::Refusal(error) } else { Failure::Outage(error) });
        }
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Failure::Outage(Error::Upstream(format!("{TITLE_EN}: {path} answered with unexpected JSON: {e}")))
        })
    }
}
