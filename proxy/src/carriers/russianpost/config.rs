//! Russian Post's section of the configuration (`[russianpost]`, `PVZ_RUSSIANPOST_*`): the otpravka pair for
//! offices, the tracking login, the three services' addresses, the tracking quota and the sync's pace. Each
//! part works alone; the section is configured when either credential pair is set.

use std::time::Duration;

use crate::carriers::{Configured, Connection, Connector};
use crate::config::{ConfigError, Secret, Setting, Vars};

/// Russian Post, configured when its otpravka token or its tracking login is set. The tariff calculator
/// needs no credentials; points need the otpravka pair; tracking needs the login.
#[derive(Debug, Clone)]
pub struct RussianPostConfig {
    /// `PVZ_RUSSIANPOST_ACCESS_TOKEN` and `PVZ_RUSSIANPOST_USER_KEY` (the base64 `login:password` of the
    /// otpravka account): both, or no points.
    pub otpravka: Option<(Secret, Secret)>,
    /// `PVZ_RUSSIANPOST_TRACKING_LOGIN` and `PVZ_RUSSIANPOST_TRACKING_PASSWORD`: both, or no tracking.
    pub tracking: Option<(String, Secret)>,
    /// `PVZ_RUSSIANPOST_OTPRAVKA_URL`, `PVZ_RUSSIANPOST_TARIFF_URL`, `PVZ_RUSSIANPOST_TRACKING_URL`.
    pub otpravka_url: reqwest::Url,
    pub tariff_url: reqwest::Url,
    pub tracking_url: reqwest::Url,
    /// `PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT`: tracking calls a day (100, the quota without a contract).
    pub daily_limit: u32,
    /// `PVZ_RUSSIANPOST_TRACKING_TTL_SECONDS`: how long a parcel's history is reused (an hour by default).
    pub tracking_ttl: Duration,
    /// `PVZ_RUSSIANPOST_CITIES`: where the account may not use the export, the settlements whose offices are
    /// synced, `;`-separated, each `settlement` or `settlement, region`; the largest cities by default.
    pub cities: Vec<String>,
    /// `PVZ_RUSSIANPOST_SYNC_SECONDS`: how often the offices are fetched again (a day by default).
    pub sync_interval: Duration,
    /// `PVZ_RUSSIANPOST_TIMEOUT_SECONDS`: the longest any one call may take (20 by default).
    pub timeout: Duration,
    /// `PVZ_RUSSIANPOST_BATCH_AT`: when, Moscow time (`HH:MM`), the day's orders in the backlog are put in a
    /// batch, which gives them their barcodes; unset, the shop makes its batches in its otpravka account.
    pub batch_at: Option<time::Time>,
}

/// Russia's cities of a million and more: the offices synced when `PVZ_RUSSIANPOST_CITIES` is unset.
const DEFAULT_CITIES: &str = "Москва; Санкт-Петербург; Новосибирск; Екатеринбург; Казань; Нижний Новгород; \
    Красноярск; Челябинск; Самара; Уфа; Ростов-на-Дону; Краснодар; Омск; Воронеж; Пермь; Волгоград";

/// Russian Post in [`crate::carriers::CONNECTORS`].
pub static CONNECTOR: Connector = Connector {
    name: super::NAME,
    settings: SETTINGS,
    example: include_str!("example.toml"),
    configure: |vars| Ok(RussianPostConfig::read(vars)?.map(|settings| Box::new(settings) as Box<dyn Configured>)),
};

const SETTINGS: &[Setting] = &[
    Setting::new("PVZ_RUSSIANPOST_ACCESS_TOKEN"),
    Setting::new("PVZ_RUSSIANPOST_USER_KEY"),
    Setting::new("PVZ_RUSSIANPOST_TRACKING_LOGIN"),
    Setting::new("PVZ_RUSSIANPOST_TRACKING_PASSWORD"),
    Setting::semicolon_list("PVZ_RUSSIANPOST_CITIES"),
    Setting::new("PVZ_RUSSIANPOST_OTPRAVKA_URL"),
    Setting::new("PVZ_RUSSIANPOST_TARIFF_URL"),
    Setting::new("PVZ_RUSSIANPOST_TRACKING_URL"),
    Setting::new("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT"),
    Setting::new("PVZ_RUSSIANPOST_TRACKING_TTL_SECONDS"),
    Setting::new("PVZ_RUSSIANPOST_SYNC_SECONDS"),
    Setting::new("PVZ_RUSSIANPOST_TIMEOUT_SECONDS"),
    Setting::new("PVZ_RUSSIANPOST_BATCH_AT"),
];

impl RussianPostConfig {
    /// The section as set; `None` when neither credential pair is.
    pub fn read(vars: &Vars) -> Result<Option<Self>, ConfigError> {
        let otpravka = vars.pair("PVZ_RUSSIANPOST_ACCESS_TOKEN", "PVZ_RUSSIANPOST_USER_KEY")?;
        let tracking = vars.pair("PVZ_RUSSIANPOST_TRACKING_LOGIN", "PVZ_RUSSIANPOST_TRACKING_PASSWORD")?;
        if otpravka.is_none() && tracking.is_none() {
            return Ok(None);
        }
        let mut cities = vars.list("PVZ_RUSSIANPOST_CITIES", ';');
        if cities.is_empty() {
            cities = DEFAULT_CITIES.split(';').map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        }
        if let Some(bad) = cities.iter().find(|c| c.chars().count() > 100 || c.chars().any(char::is_control)) {
            return Err(ConfigError {
                key: "PVZ_RUSSIANPOST_CITIES",
                message: format!("{bad:?} is not a settlement name"),
            });
        }
        Ok(Some(Self {
            otpravka: otpravka.map(|(token, key)| (Secret::new(token), Secret::new(key))),
            tracking: tracking.map(|(login, password)| (login, Secret::new(password))),
            otpravka_url: vars.base_url("PVZ_RUSSIANPOST_OTPRAVKA_URL", "https://otpravka-api.pochta.ru")?,
            tariff_url: vars.base_url("PVZ_RUSSIANPOST_TARIFF_URL", "https://tariff.pochta.ru")?,
            // A SOAP endpoint is posted to as it is written, not joined onto.
            tracking_url: vars.endpoint("PVZ_RUSSIANPOST_TRACKING_URL", "https://tracking.russianpost.ru/rtm34")?,
            daily_limit: vars.number("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT", 100, 1..=1_000_000)?,
            tracking_ttl: vars.seconds("PVZ_RUSSIANPOST_TRACKING_TTL_SECONDS", 3600, 1..=7 * 24 * 3600)?,
            cities,
            sync_interval: vars.seconds("PVZ_RUSSIANPOST_SYNC_SECONDS", 24 * 3600, 1..=7 * 24 * 3600)?,
            timeout: vars.seconds("PVZ_RUSSIANPOST_TIMEOUT_SECONDS", 20, 1..=120)?,
            batch_at: match vars.text("PVZ_RUSSIANPOST_BATCH_AT") {
                None => None,
                Some(text) => Some(clock(&text).ok_or(ConfigError {
                    key: "PVZ_RUSSIANPOST_BATCH_AT",
                    message: format!("{text:?} is not a time such as 18:00"),
                })?),
            },
        }))
    }
}

/// `HH:MM`, or `HH:MM:SS`.
fn clock(text: &str) -> Option<time::Time> {
    let mut parts = text.split(':').map(|p| (p.len() == 2).then(|| p.parse::<u8>().ok()).flatten());
    let (h, m) = (parts.next()??, parts.next()??);
    let s = match parts.next() {
        None => 0,
        Some(s) => s?,
    };
    if parts.next().is_some() {
        return None;
    }
    time::Time::from_hms(h, m, s).ok()
}

impl Configured for RussianPostConfig {
    fn connect(&self, config: &crate::Config, data_dir: &std::path::Path, store: &crate::store::Store) -> Connection {
        super::connect(self, config, data_dir, store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Option<RussianPostConfig>, ConfigError> {
        Vars::with_pairs(pairs, RussianPostConfig::read)
    }

    #[test]
    fn each_part_comes_with_its_pair_and_the_defaults_are_russian_posts_hosts() {
        assert!(read(&[]).unwrap().is_none());
        let post =
            read(&[("PVZ_RUSSIANPOST_TRACKING_LOGIN", "shop"), ("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "pa55-word")])
                .unwrap()
                .unwrap();
        assert!(post.otpravka.is_none());
        assert_eq!(post.daily_limit, 100);
        assert_eq!(post.tracking_url.as_str(), "https://tracking.russianpost.ru/rtm34");
        assert_eq!(post.otpravka_url.as_str(), "https://otpravka-api.pochta.ru/");
        assert_eq!(post.cities.len(), 16);
        assert_eq!(post.cities[5], "Нижний Новгород");
        assert!(!format!("{post:?}").contains("pa55"), "{post:?}");
        assert_eq!(read(&[("PVZ_RUSSIANPOST_ACCESS_TOKEN", "t")]).unwrap_err().key, "PVZ_RUSSIANPOST_USER_KEY");
        assert_eq!(
            read(&[("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "p")]).unwrap_err().key,
            "PVZ_RUSSIANPOST_TRACKING_LOGIN"
        );
        let zero_limit = [
            ("PVZ_RUSSIANPOST_TRACKING_LOGIN", "shop"),
            ("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "p"),
            ("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT", "0"),
        ];
        assert_eq!(read(&zero_limit).unwrap_err().key, "PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT");
    }

    #[test]
    fn the_batch_time_is_a_time_of_day() {
        let with = |at: &'static str| {
            read(&[
                ("PVZ_RUSSIANPOST_ACCESS_TOKEN", "t"),
                ("PVZ_RUSSIANPOST_USER_KEY", "k"),
                ("PVZ_RUSSIANPOST_BATCH_AT", at),
            ])
        };
        assert_eq!(with("18:00").unwrap().unwrap().batch_at, Some(time::macros::time!(18:00)));
        assert_eq!(with("09:30:15").unwrap().unwrap().batch_at, Some(time::macros::time!(09:30:15)));
        for bad in ["6pm", "24:00", "9:00", "18:00:00:00", "18:60"] {
            assert_eq!(with(bad).unwrap_err().key, "PVZ_RUSSIANPOST_BATCH_AT", "{bad}");
        }
    }
}
