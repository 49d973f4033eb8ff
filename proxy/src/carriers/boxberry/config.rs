//! Boxberry's section of the configuration (`[boxberry]`, `PVZ_BOXBERRY_*`): the API token, its address,
//! the shop's drop-off point that prices count from, and the sync's pace.

use std::time::Duration;

use crate::carriers::{Configured, Connection, Connector};
use crate::config::{ConfigError, Secret, Setting, Vars};

/// Boxberry, configured when its token is set.
#[derive(Debug, Clone)]
pub struct BoxberryConfig {
    /// `PVZ_BOXBERRY_TOKEN`: sent in every call's query string, so never logged with a URL.
    pub token: Secret,
    /// `PVZ_BOXBERRY_BASE_URL`: Boxberry's one endpoint, `https://api.boxberry.ru/json.php`.
    pub base_url: reqwest::Url,
    /// `PVZ_BOXBERRY_FROM_POINT`: the drop-off point's code (`targetstart`); unset, the account's own.
    pub from_point: Option<String>,
    /// `PVZ_BOXBERRY_SYNC_SECONDS`: how often the network is fetched again (a day by default).
    pub sync_interval: Duration,
    /// `PVZ_BOXBERRY_TIMEOUT_SECONDS`: the longest one call may take (20 by default; the whole network
    /// is one answer of about 15 MB).
    pub timeout: Duration,
}

/// Boxberry in [`crate::carriers::CONNECTORS`].
pub static CONNECTOR: Connector = Connector {
    name: super::NAME,
    settings: SETTINGS,
    example: include_str!("example.toml"),
    configure: |vars| Ok(BoxberryConfig::read(vars)?.map(|settings| Box::new(settings) as Box<dyn Configured>)),
};

const SETTINGS: &[Setting] = &[
    Setting::new("PVZ_BOXBERRY_TOKEN"),
    Setting::new("PVZ_BOXBERRY_BASE_URL"),
    Setting::new("PVZ_BOXBERRY_FROM_POINT"),
    Setting::new("PVZ_BOXBERRY_SYNC_SECONDS"),
    Setting::new("PVZ_BOXBERRY_TIMEOUT_SECONDS"),
];

impl BoxberryConfig {
    /// The section as set; `None` when no token is.
    pub fn read(vars: &Vars) -> Result<Option<Self>, ConfigError> {
        let Some(token) = vars.secret("PVZ_BOXBERRY_TOKEN") else { return Ok(None) };
        let from_point = vars.text("PVZ_BOXBERRY_FROM_POINT");
        if let Some(code) = from_point.as_deref().filter(|c| !super::points::is_code(c)) {
            return Err(ConfigError {
                key: "PVZ_BOXBERRY_FROM_POINT",
                message: format!("{code:?} is not a Boxberry point code such as 010 or 99451"),
            });
        }
        Ok(Some(Self {
            token,
            base_url: vars.endpoint("PVZ_BOXBERRY_BASE_URL", "https://api.boxberry.ru/json.php")?,
            from_point,
            sync_interval: vars.seconds("PVZ_BOXBERRY_SYNC_SECONDS", 24 * 3600, 1..=7 * 24 * 3600)?,
            timeout: vars.seconds("PVZ_BOXBERRY_TIMEOUT_SECONDS", 20, 1..=120)?,
        }))
    }
}

impl Configured for BoxberryConfig {
    fn connect(
        &self,
        _config: &crate::Config,
        _data_dir: &std::path::Path,
        _store: &crate::store::Store,
    ) -> Connection {
        super::connect(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Option<BoxberryConfig>, ConfigError> {
        Vars::with_pairs(pairs, BoxberryConfig::read)
    }

    #[test]
    fn a_token_configures_boxberry_at_its_production_address() {
        assert!(read(&[]).unwrap().is_none());
        let boxberry = read(&[("PVZ_BOXBERRY_TOKEN", "t0ken-value")]).unwrap().unwrap();
        assert_eq!(boxberry.base_url.as_str(), "https://api.boxberry.ru/json.php");
        assert_eq!(boxberry.from_point, None);
        assert!(!format!("{boxberry:?}").contains("t0ken"), "{boxberry:?}");
    }

    #[test]
    fn bad_values_name_their_key() {
        for (key, bad) in [
            ("PVZ_BOXBERRY_FROM_POINT", "Москва, Тверская"),
            ("PVZ_BOXBERRY_BASE_URL", "api.boxberry.ru"),
            ("PVZ_BOXBERRY_SYNC_SECONDS", "daily"),
            ("PVZ_BOXBERRY_TIMEOUT_SECONDS", "600"),
        ] {
            assert_eq!(read(&[("PVZ_BOXBERRY_TOKEN", "t"), (key, bad)]).unwrap_err().key, key, "{bad}");
        }
    }
}
