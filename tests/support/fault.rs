//! The faults every carrier simulator can be switched into, from a test in the same process or over its
//! `POST /control/fault` from one that is not.

/// What a simulator does wrong, when asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
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
