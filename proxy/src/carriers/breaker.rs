//! A circuit breaker per carrier: after several failures in a row the carrier is left alone for a while,
//! and requests that need it fail at once with "try again later" instead of each waiting for a timeout and
//! adding to the load of a service that is already down. The first call after the pause tries again; one
//! more failure pauses it again.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::Error;

/// Failures in a row that open the breaker.
pub const THRESHOLD: u32 = 5;
/// How long an open breaker refuses calls.
pub const COOL_DOWN: Duration = Duration::from_secs(30);

/// Why a call failed, as the breaker counts it.
#[derive(Debug)]
pub enum Failure {
    /// The carrier did not answer properly: a timeout, a 5xx, a body it should not send. Counts.
    Outage(Error),
    /// The carrier answered and refused the request (an unknown number, a parcel too heavy): it is up.
    Refusal(Error),
}

#[derive(Debug, Default)]
struct State {
    failures: u32,
    open_until: Option<Instant>,
}

/// Every breaker's pause, by its carrier's name, for the owner's desk: breakers live inside each carrier's
/// connectors, which nothing else reaches.
static PAUSED: Mutex<Vec<(&'static str, Instant)>> = Mutex::new(Vec::new());

fn paused_until(carrier: &'static str, until: Option<Instant>) {
    let mut paused = PAUSED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    paused.retain(|(name, _)| *name != carrier);
    paused.extend(until.map(|until| (carrier, until)));
}

/// The breakers paused now, by name, and for how much longer.
pub fn paused() -> Vec<(&'static str, Duration)> {
    let now = Instant::now();
    let paused = PAUSED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    paused.iter().filter(|(_, until)| *until > now).map(|(name, until)| (*name, *until - now)).collect()
}

pub struct Breaker {
    /// The carrier, in messages.
    carrier: &'static str,
    threshold: u32,
    cool_down: Duration,
    /// A std mutex: held only to read or update two fields, never across a call.
    state: Mutex<State>,
}

impl Breaker {
    pub fn new(carrier: &'static str, threshold: u32, cool_down: Duration) -> Self {
        Self { carrier, threshold, cool_down, state: Mutex::default() }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `call` unless the breaker is open. Only outages count; a refusal says the carrier is up.
    pub async fn call<T>(&self, call: impl Future<Output = Result<T, Failure>>) -> Result<T, Error> {
        {
            let mut state = self.state();
            if let Some(until) = state.open_until {
                let now = Instant::now();
                if now < until {
                    let wait = (until - now).as_secs() + 1;
                    return Err(Error::Unavailable(format!(
                        "{} is not answering; try again in {wait} s",
                        self.carrier
                    )));
                }
                // Half open: this call tries; one more failure opens the breaker again.
                state.open_until = None;
                paused_until(self.carrier, None);
                state.failures = self.threshold.saturating_sub(1);
            }
        }
        let result = call.await;
        let mut state = self.state();
        match result {
            Err(Failure::Outage(err)) => {
                state.failures += 1;
                if state.failures >= self.threshold {
                    tracing::warn!(
                        carrier = self.carrier,
                        failures = state.failures,
                        "carrier failing: pausing calls to it"
                    );
                    let until = Instant::now() + self.cool_down;
                    state.open_until = Some(until);
                    paused_until(self.carrier, Some(until));
                }
                Err(err)
            }
            Err(Failure::Refusal(err)) => {
                state.failures = 0;
                Err(err)
            }
            Ok(value) => {
                state.failures = 0;
                Ok(value)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn fail() -> Result<(), Failure> {
        Err(Failure::Outage(Error::Upstream("down".into())))
    }

    async fn refuse() -> Result<(), Failure> {
        Err(Failure::Refusal(Error::Upstream("no such parcel".into())))
    }

    #[tokio::test]
    async fn opens_after_failures_in_a_row_and_tries_again_after_the_pause() {
        let breaker = Breaker::new("Courier", 3, Duration::from_millis(100));
        assert!(breaker.call(fail()).await.is_err());
        assert!(breaker.call(async { Ok(()) }).await.is_ok(), "a success resets the count");
        for _ in 0..5 {
            assert!(breaker.call(refuse()).await.is_err());
        }
        assert!(breaker.call(async { Ok(()) }).await.is_ok(), "refusals do not open it");
        for _ in 0..3 {
            assert!(matches!(breaker.call(fail()).await, Err(Error::Upstream(_))));
        }
        let mut called = false;
        let refused = breaker
            .call(async {
                called = true;
                Ok(())
            })
            .await;
        assert!(
            matches!(refused, Err(Error::Unavailable(ref m)) if m.starts_with("Courier is not answering")),
            "{refused:?}"
        );
        assert!(!called, "an open breaker does not call");
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(matches!(breaker.call(fail()).await, Err(Error::Upstream(_))), "the first call after the pause tries");
        assert!(
            matches!(breaker.call(async { Ok(()) }).await, Err(Error::Unavailable(_))),
            "and one failure reopens it"
        );
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(breaker.call(async { Ok(()) }).await.is_ok());
        assert!(breaker.call(fail()).await.is_err());
        assert!(breaker.call(async { Ok(()) }).await.is_ok(), "closed again after a success");
    }
}
