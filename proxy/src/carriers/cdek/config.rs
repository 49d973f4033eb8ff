//! CDEK's section of the configuration (`[cdek]`, `PVZ_CDEK_*`): the API account, which countries' points
//! to serve, which tariff to quote and in what currency, and how often and how patiently to ask.

use std::time::Duration;

use pvz_shared::Currency;

use crate::carriers::{Configured, Connection, Connector};
use crate::config::{ConfigError, Secret, Setting, Vars};

/// Which of a carrier's fitting tariffs a quote uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TariffChoice {
    Cheapest,
    Fastest,
}

/// CDEK API v2, configured when its client id is set.
#[derive(Debug, Clone)]
pub struct CdekConfig {
    pub client_id: String,
    pub client_secret: Secret,
    /// `PVZ_CDEK_BASE_URL`: production by default; `https://api.edu.cdek.ru/v2` is CDEK's test host.
    pub base_url: reqwest::Url,
    /// `PVZ_CDEK_COUNTRIES`: the countries (ISO 3166-1 alpha-2) whose points are served; Russia by default.
    pub countries: Vec<String>,
    /// `PVZ_CDEK_CURRENCY`: what CDEK prices in, the shop's contract currency (`RUB` by default).
    pub currency: Currency,
    /// `PVZ_CDEK_SYNC_SECONDS`: how often the pickup points are fetched again (a day by default).
    pub sync_interval: Duration,
    /// `PVZ_CDEK_TARIFF`: `cheapest` (default) or `fastest`.
    pub tariff: TariffChoice,
    /// `PVZ_CDEK_TIMEOUT_SECONDS`: the longest any one call to CDEK may take (20 by default).
    pub timeout: Duration,
    /// `PVZ_CDEK_SHIPMENT_POINT`: the CDEK office the shop hands its parcels in at; unset, CDEK collects them
    /// at the shop's address (`PVZ_SHOP_FROM_*`).
    pub shipment_point: Option<String>,
}

/// CDEK in [`crate::carriers::CONNECTORS`].
pub static CONNECTOR: Connector = Connector {
    name: super::NAME,
    settings: SETTINGS,
    example: include_str!("example.toml"),
    configure: |vars| Ok(CdekConfig::read(vars)?.map(|settings| Box::new(settings) as Box<dyn Configured>)),
};

const SETTINGS: &[Setting] = &[
    Setting::new("PVZ_CDEK_CLIENT_ID"),
    Setting::new("PVZ_CDEK_CLIENT_SECRET"),
    Setting::new("PVZ_CDEK_BASE_URL"),
    Setting::new("PVZ_CDEK_COUNTRIES"),
    Setting::new("PVZ_CDEK_CURRENCY"),
    Setting::new("PVZ_CDEK_SYNC_SECONDS"),
    Setting::new("PVZ_CDEK_TARIFF"),
    Setting::new("PVZ_CDEK_TIMEOUT_SECONDS"),
    Setting::new("PVZ_CDEK_SHIPMENT_POINT"),
];

impl CdekConfig {
    /// The section as set; `None` when no client id is.
    pub fn read(vars: &Vars) -> Result<Option<Self>, ConfigError> {
        let Some(client_id) = vars.text("PVZ_CDEK_CLIENT_ID") else { return Ok(None) };
        let client_secret = vars.secret("PVZ_CDEK_CLIENT_SECRET").ok_or(ConfigError {
            key: "PVZ_CDEK_CLIENT_SECRET",
            message: "is required with PVZ_CDEK_CLIENT_ID".into(),
        })?;
        let mut countries = vars.list("PVZ_CDEK_COUNTRIES", ',');
        if countries.is_empty() {
            countries.push("RU".into());
        }
        for country in &mut countries {
            if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(ConfigError {
                    key: "PVZ_CDEK_COUNTRIES",
                    message: format!("{country:?} is not a two-letter country code such as RU or KZ"),
                });
            }
            country.make_ascii_uppercase();
        }
        countries.dedup();
        let currency = match vars.text("PVZ_CDEK_CURRENCY") {
            None => Currency::Rub,
            Some(code) => Currency::from_code(&code).filter(|c| super::tariffs::currency_code(*c).is_some()).ok_or(
                ConfigError {
                    key: "PVZ_CDEK_CURRENCY",
                    message: format!("{code:?} is not a currency CDEK prices in (RUB, KZT, BYN, AMD, KGS, UZS...)"),
                },
            )?,
        };
        Ok(Some(CdekConfig {
            client_id,
            client_secret,
            base_url: vars.base_url("PVZ_CDEK_BASE_URL", "https://api.cdek.ru/v2")?,
            countries,
            currency,
            sync_interval: vars.seconds("PVZ_CDEK_SYNC_SECONDS", 24 * 3600, 1..=7 * 24 * 3600)?,
            tariff: vars.choice(
                "PVZ_CDEK_TARIFF",
                &[("cheapest", TariffChoice::Cheapest), ("fastest", TariffChoice::Fastest)],
            )?,
            timeout: vars.seconds("PVZ_CDEK_TIMEOUT_SECONDS", 20, 1..=120)?,
            shipment_point: vars.text("PVZ_CDEK_SHIPMENT_POINT"),
        }))
    }
}

impl Configured for CdekConfig {
    fn connect(&self, config: &crate::Config, _data_dir: &std::path::Path, _store: &crate::store::Store) -> Connection {
        super::connect(self, config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configure(pairs: &[(&str, &str)]) -> Result<Option<CdekConfig>, ConfigError> {
        Vars::with_pairs(pairs, CdekConfig::read)
    }

    const ACCOUNT: [(&str, &str); 2] = [("PVZ_CDEK_CLIENT_ID", "shop"), ("PVZ_CDEK_CLIENT_SECRET", "s3cr3t-value")];

    #[test]
    fn an_account_configures_cdek_with_russia_roubles_and_production() {
        assert!(configure(&[]).unwrap().is_none());
        let cdek = configure(&ACCOUNT).unwrap().unwrap();
        assert_eq!(cdek.base_url.as_str(), "https://api.cdek.ru/v2/");
        assert_eq!(cdek.countries, ["RU"]);
        assert_eq!(cdek.currency, Currency::Rub);
        assert_eq!(cdek.tariff, TariffChoice::Cheapest);
    }

    #[test]
    fn the_secret_stays_out_of_debug_output() {
        let cdek = configure(&ACCOUNT).unwrap().unwrap();
        assert_eq!(cdek.client_secret.expose(), "s3cr3t-value");
        assert!(!format!("{cdek:?}").contains("s3cr3t"), "{cdek:?}");
    }

    #[test]
    fn countries_and_currency_are_read_and_checked() {
        let mut pairs = ACCOUNT.to_vec();
        pairs.extend([
            ("PVZ_CDEK_COUNTRIES", "ru, kz,BY"),
            ("PVZ_CDEK_CURRENCY", "kzt"),
            ("PVZ_CDEK_TARIFF", "fastest"),
        ]);
        let cdek = configure(&pairs).unwrap().unwrap();
        assert_eq!(cdek.countries, ["RU", "KZ", "BY"]);
        assert_eq!(cdek.currency, Currency::Kzt);
        assert_eq!(cdek.tariff, TariffChoice::Fastest);
        for (key, bad) in [
            ("PVZ_CDEK_COUNTRIES", "Russia"),
            ("PVZ_CDEK_CURRENCY", "GBP"),
            ("PVZ_CDEK_TARIFF", "slowest"),
            ("PVZ_CDEK_TIMEOUT_SECONDS", "0"),
            ("PVZ_CDEK_BASE_URL", "api.cdek.ru"),
        ] {
            let mut pairs = ACCOUNT.to_vec();
            pairs.push((key, bad));
            assert_eq!(configure(&pairs).unwrap_err().key, key, "{bad}");
        }
        assert_eq!(configure(&[ACCOUNT[0]]).unwrap_err().key, "PVZ_CDEK_CLIENT_SECRET");
    }
}
