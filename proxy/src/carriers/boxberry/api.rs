//! Boxberry's API over HTTP: one endpoint, `GET json.php?token=&method=&...` (a form posted with it for
//! `ParcelCreate`), the token in the query (so a
//! URL is never put in a message or a log line). Boxberry answers its errors with HTTP 200 in three shapes,
//! `{"err": true, "message": ...}`, `{"err": "..."}` (also inside an array) and `{"error": true, "message":
//! ...}`; those are told apart from data before the data is read.

use reqwest::Url;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{BoxberryConfig, TITLE_EN};
use crate::Error;
use crate::carriers::breaker::{self, Breaker, Failure};
use crate::carriers::upstream;
use crate::config::Secret;

/// Answers shorter than this are looked at for Boxberry's error shapes; an error is a few hundred bytes,
/// and the whole network (15 MB) is read straight into its records.
const ERROR_SIZE: usize = 64 * 1024;

pub struct Api {
    client: reqwest::Client,
    url: Url,
    token: Secret,
    /// Stops calling Boxberry for a while when it keeps failing.
    breaker: Breaker,
}

/// What Boxberry said instead of the data: its own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl Refusal {
    /// As the proxy's error: Boxberry's words, named.
    pub fn into_error(self) -> Error {
        Error::Upstream(format!("{TITLE_EN}: {}", self.0))
    }
}

/// Boxberry's error in `value`, when it is one of its three shapes.
fn refusal(value: &Value) -> Option<Refusal> {
    let object = match value {
        Value::Array(items) if items.len() == 1 => items[0].as_object()?,
        Value::Object(object) => object,
        _ => return None,
    };
    let message = object.get("message").and_then(Value::as_str).map(str::trim).filter(|m| !m.is_empty());
    let raised = |key: &str| match object.get(key) {
        Some(Value::Bool(true)) => Some(message.unwrap_or("an error without a description").to_string()),
        Some(Value::String(text)) if !text.trim().is_empty() => Some(message.unwrap_or(text.trim()).to_string()),
        _ => None,
    };
    raised("err").or_else(|| raised("error")).map(Refusal)
}

impl Api {
    pub fn new(config: &BoxberryConfig) -> Self {
        Self {
            client: upstream::client(config.timeout),
            url: config.base_url.clone(),
            token: config.token.clone(),
            breaker: Breaker::new(TITLE_EN, breaker::THRESHOLD, breaker::COOL_DOWN),
        }
    }

    /// `method` with `params`: its answer as `T`, or Boxberry's refusal. Fails at once while Boxberry is
    /// paused after failing again and again.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &[(&str, &str)],
    ) -> Result<Result<T, Refusal>, Error> {
        self.breaker.call(self.call_once(method, params, None)).await
    }

    /// `method` with `params` and a form body (`ParcelCreate`'s `sdata`), posted.
    pub async fn post<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<Result<T, Refusal>, Error> {
        self.breaker.call(self.call_once(method, params, Some(form))).await
    }

    /// A file Boxberry links to (a label), fetched only from Boxberry's own host.
    pub async fn file(&self, link: &str) -> Result<Vec<u8>, Error> {
        let url = Url::parse(link)
            .ok()
            .filter(|u| {
                u.host_str() == self.url.host_str() && u.port_or_known_default() == self.url.port_or_known_default()
            })
            .ok_or_else(|| Error::Upstream(format!("{TITLE_EN}: a file link off its own host was not followed")))?;
        self.breaker
            .call(async {
                let outage = |why: String| Failure::Outage(Error::Upstream(format!("{TITLE_EN}: a file {why}")));
                let response = self
                    .client
                    .get(url)
                    .send()
                    .await
                    .map_err(|e| outage(format!("gave no answer: {}", upstream::why(&e))))?;
                if !response.status().is_success() {
                    return Err(outage(format!("was refused (HTTP {})", response.status())));
                }
                Ok(response.bytes().await.map_err(|e| outage(format!("broke off: {}", upstream::why(&e))))?.to_vec())
            })
            .await
    }

    async fn call_once<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
    ) -> Result<Result<T, Refusal>, Failure> {
        let outage = |why: String| Failure::Outage(Error::Upstream(format!("{TITLE_EN}: {method} {why}")));
        let mut url = self.url.clone();
        url.query_pairs_mut()
            .append_pair("token", self.token.expose())
            .append_pair("method", method)
            .extend_pairs(params);
        let request = match form {
            Some(form) => self.client.post(url).form(form),
            None => self.client.get(url),
        };
        let response = request.send().await.map_err(|e| outage(format!("gave no answer: {}", upstream::why(&e))))?;
        let status = response.status();
        if !status.is_success() {
            let error = Error::Upstream(format!("{TITLE_EN}: {method} failed (HTTP {status})"));
            return Err(if status.is_client_error() { Failure::Refusal(error) } else { Failure::Outage(error) });
        }
        let bytes = response.bytes().await.map_err(|e| outage(format!("broke off: {}", upstream::why(&e))))?;
        if bytes.len() < ERROR_SIZE {
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|_| outage("answered with something that is not JSON".into()))?;
            if let Some(refused) = refusal(&value) {
                return Ok(Err(refused));
            }
        }
        serde_json::from_slice(&bytes).map(Ok).map_err(|e| outage(format!("answered unexpected JSON: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(json: &str) -> Option<String> {
        refusal(&serde_json::from_str(json).unwrap()).map(|r| r.0)
    }

    #[test]
    fn all_three_error_shapes_are_read_and_data_is_not_taken_for_one() {
        assert_eq!(
            said(r#"{"err": true, "message": "Вес должен быть целым"}"#).as_deref(),
            Some("Вес должен быть целым")
        );
        assert_eq!(said(r#"{"err": "blah-blah."}"#).as_deref(), Some("blah-blah."));
        assert_eq!(said(r#"[{"err": "Посылка не найдена"}]"#).as_deref(), Some("Посылка не найдена"));
        assert_eq!(said(r#"{"error": true, "message": "Неверный токен"}"#).as_deref(), Some("Неверный токен"));
        for data in [
            r#"{"error": false, "result": {"DeliveryCosts": []}}"#,
            r#"{"err": false}"#,
            r#"{"price": 671, "delivery_period": "4"}"#,
            r#"[{"Date": "2020-12-26T12:23:26", "Name": "Загружен реестр ИМ"}]"#,
            r#"[]"#,
        ] {
            assert_eq!(said(data), None, "{data}");
        }
    }
}
