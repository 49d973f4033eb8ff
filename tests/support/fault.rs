//! The faults every carrier simulator can be switched into, from a test in the same process or over its
//! `POST /control/fault` from one that is not.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;

/// What a simulator does wrong, when asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    #[default]
    None,
    /// Every call fails on the carrier's side (a 5xx).
    ServerError,
    /// Answers after 30 s, longer than any timeout.
    Slow,
    /// Answers properly, after 1 s.
    Late,
    /// 200 with a body that is not what the carrier sends.
    Garbage,
}

impl Fault {
    /// `none`, `server_error`, `slow`, `late` or `garbage`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.trim() {
            "none" => Self::None,
            "server_error" => Self::ServerError,
            "slow" => Self::Slow,
            "late" => Self::Late,
            "garbage" => Self::Garbage,
            _ => return None,
        })
    }

    /// Waits as the fault says; true when the simulator should then answer as it would without one.
    pub async fn delay(self) -> bool {
        match self {
            Self::Slow => tokio::time::sleep(std::time::Duration::from_secs(30)).await,
            Self::Late => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
            _ => {}
        }
        matches!(self, Self::None | Self::Slow | Self::Late)
    }
}

/// A simulator's current fault, switched by its tests.
#[derive(Default)]
pub struct FaultSwitch(Mutex<Fault>);

impl FaultSwitch {
    pub fn get(&self) -> Fault {
        *self.0.lock().unwrap()
    }

    pub fn set(&self, fault: Fault) {
        *self.0.lock().unwrap() = fault;
    }

    /// `POST /control/fault` with a [`Fault`]'s name as the body, for tests in another process.
    pub fn routes<S>(switch: Arc<Self>) -> Router<S> {
        async fn control(State(switch): State<Arc<FaultSwitch>>, body: String) -> StatusCode {
            match Fault::from_name(&body) {
                Some(fault) => {
                    switch.set(fault);
                    StatusCode::NO_CONTENT
                }
                None => StatusCode::BAD_REQUEST,
            }
        }
        Router::new().route("/control/fault", post(control)).with_state(switch)
    }
}
