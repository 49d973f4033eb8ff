//! The shop's webhook: every state change of a shipment POSTed to `PVZ_SHOP_WEBHOOK_URL` from the ledger's
//! outbox, at least once. Each body is signed with HMAC-SHA256 under the shop's secret
//! (`X-Pvz-Signature: sha256=<hex>`) and carries its event id (`X-Pvz-Event`), so the shop can check where it
//! comes from and take a repeat once. Until the shop answers 2xx an event is tried again, less and less often,
//! for a day.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

use super::ledger::{Due, Ledger, millis};
use crate::config::Secret;

/// Events sent at once.
const BATCH: u32 = 16;
/// The longest one delivery may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The first retry's wait, doubled each time up to [`MAX_WAIT`].
const FIRST_WAIT: Duration = Duration::from_secs(2);
const MAX_WAIT: Duration = Duration::from_secs(300);
/// How long an event is tried before it is given up (and logged as lost to the shop).
const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);
/// How often the outbox is looked at when it had nothing due.
const TICK: Duration = Duration::from_millis(500);
/// How long delivered and given-up events are kept, and how often older ones are forgotten.
const KEEP: Duration = Duration::from_secs(7 * 24 * 3600);
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// `sha256=<hex>`: HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &Secret, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    format!("sha256={}", crate::hex::hex(&mac.finalize().into_bytes()))
}

pub struct Webhook {
    pub url: reqwest::Url,
    pub secret: Secret,
    pub client: reqwest::Client,
}

impl Webhook {
    pub fn new(url: reqwest::Url, secret: Secret) -> Self {
        Self { url, secret, client: crate::carriers::upstream::client(TIMEOUT) }
    }

    /// One attempt; `Err` says why the shop did not take it.
    async fn send(&self, event: &Due) -> Result<(), String> {
        let response = self
            .client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Pvz-Event", &event.id)
            .header("X-Pvz-Signature", signature(&self.secret, event.body.as_bytes()))
            .body(event.body.clone())
            .send()
            .await
            .map_err(|e| format!("no answer: {}", crate::carriers::upstream::why(&e)))?;
        match response.status() {
            status if status.is_success() => Ok(()),
            status => Err(format!("HTTP {status}")),
        }
    }

    async fn deliver(&self, ledger: &Ledger, event: Due) -> Result<(), crate::Error> {
        match self.send(&event).await {
            Ok(()) => ledger.event_delivered(&event.id).await,
            Err(why) => {
                let wait = FIRST_WAIT.saturating_mul(1 << event.attempts.clamp(0, 16)).min(MAX_WAIT);
                let age = millis(OffsetDateTime::now_utc()) - event.created_at;
                let retry = (age + (wait.as_millis() as i64) < GIVE_UP_AFTER.as_millis() as i64).then_some(wait);
                match retry {
                    Some(_) => {
                        tracing::warn!(event = %event.id, error = %why, attempts = event.attempts + 1, "the shop's webhook did not take an event; it is sent again")
                    }
                    None => {
                        tracing::error!(event = %event.id, error = %why, "the shop's webhook did not take an event for a day: given up")
                    }
                }
                ledger.event_failed(&event.id, &why, retry).await
            }
        }
    }

    /// Delivers the outbox until the returned task is dropped.
    pub fn spawn(self: Arc<Self>, ledger: Arc<Ledger>) -> super::Follower {
        super::Follower(tokio::spawn(async move {
            let mut pruned = tokio::time::Instant::now();
            loop {
                if pruned.elapsed() >= PRUNE_EVERY {
                    pruned = tokio::time::Instant::now();
                    match ledger.prune_events(KEEP).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(events = n, "delivered webhook events older than a week forgotten"),
                        Err(err) => tracing::error!(error = %err, "the outbox could not be pruned"),
                    }
                }
                match ledger.events_due(BATCH, TIMEOUT * 2).await {
                    Ok(due) if !due.is_empty() => {
                        let sends = due.into_iter().map(|event| self.deliver(&ledger, event));
                        for done in futures_util::future::join_all(sends).await {
                            if let Err(err) = done {
                                tracing::error!(error = %err, "the outbox could not be updated");
                            }
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(err) => tracing::error!(error = %err, "the outbox could not be read"),
                }
                tokio::time::sleep(TICK).await;
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231, test case 2.
        let secret = Secret::new("Jefe".into());
        assert_eq!(
            signature(&secret, b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
