//! The proxy's settings, read once at start from the environment (`PVZ_*`), the configuration file and the
//! command line, and validated there so that a bad value stops the start with a message naming its key.

mod file;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A credential: kept out of `Debug` output, so out of logs and panics.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Which of a carrier's fitting tariffs a quote uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TariffChoice {
    Cheapest,
    Fastest,
}

/// CDEK API v2 (`PVZ_CDEK_*`), configured when its client id is set.
#[derive(Debug, Clone)]
pub struct CdekConfig {
    pub client_id: String,
    pub client_secret: Secret,
    /// `PVZ_CDEK_BASE_URL`: production by default; `https://api.edu.cdek.ru/v2` is CDEK's test host.
    pub base_url: reqwest::Url,
    /// `PVZ_CDEK_SYNC_SECONDS`: how often the pickup points are fetched again (a day by default).
    pub sync_interval: Duration,
    /// `PVZ_CDEK_TARIFF`: `cheapest` (default) or `fastest`.
    pub tariff: TariffChoice,
    /// `PVZ_CDEK_TIMEOUT_SECONDS`: the longest any one call to CDEK may take (20 by default).
    pub timeout: Duration,
}

/// Russian Post (`PVZ_RUSSIANPOST_*`), configured when its otpravka token or its tracking login is set.
/// The tariff calculator needs no credentials; points need the otpravka pair; tracking needs the login.
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
}

/// Everything the proxy needs to know at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`PVZ_LISTEN`, `--listen`); `127.0.0.1:8080` by default.
    pub listen: SocketAddr,
    /// The built widget bundle (`PVZ_BUNDLE_DIR`): `widget.js` and everything it loads. Unset: the bundle
    /// inside the binary when it was built with one, otherwise `target/widget-bundle`.
    pub bundle_dir: Option<PathBuf>,
    /// The demo shop pages served at `/` (`PVZ_SITE_DIR`). Unset: those inside the binary when it was built
    /// with them, otherwise `demo-site`.
    pub site_dir: Option<PathBuf>,
    /// Map tile URL template for the widget (`PVZ_TILE_URL`); empty for no tiles (tests, offline demos).
    pub tile_url: String,
    /// Attribution shown under the map (`PVZ_TILE_ATTRIBUTION`), as the tile provider's licence demands.
    pub tile_attribution: String,
    /// Where the shop sends from (`PVZ_SHOP_FROM_CITY`): carriers that price by city use it.
    pub shop_from_city: String,
    /// The sending post office's postcode (`PVZ_SHOP_FROM_POSTAL_CODE`): carriers that price by postcode use it.
    pub shop_from_postal_code: String,
    /// How long a carrier's price is reused (`PVZ_QUOTE_TTL_SECONDS`).
    pub quote_ttl: Duration,
    /// How long past that an old price may still be served while a fresh one is fetched
    /// (`PVZ_QUOTE_GRACE_SECONDS`).
    pub quote_grace: Duration,
    /// A Nominatim-compatible search URL (`PVZ_GEOCODER_URL`) for addresses the network does not know; none
    /// by default, so the search box offers the network's own places only.
    pub geocoder_url: Option<reqwest::Url>,
    /// CDEK, when configured.
    pub cdek: Option<CdekConfig>,
    /// Russian Post, when configured.
    pub russianpost: Option<RussianPostConfig>,
    /// The built-in demo carriers (`PVZ_DEMO`): on when no real carrier is configured, or when asked for.
    pub demo: bool,
    /// Where the synced carriers' last good points are saved (`PVZ_DATA_DIR`, `data` by default).
    pub data_dir: PathBuf,
    /// `PVZ_ALLOWED_ORIGINS`: the shops' origins (`https://shop.example`) whose pages may call the API;
    /// `None` when unset: any origin in demo mode, only the proxy's own with real carriers.
    pub allowed_origins: Option<Vec<String>>,
    /// `PVZ_RATE_LIMIT_PER_SECOND`: API requests per second one client may keep up (20 by default).
    pub rate_limit_per_second: u32,
    /// `PVZ_RATE_LIMIT_BURST`: how many it may make at once before that rate applies (60 by default).
    pub rate_limit_burst: u32,
    /// `PVZ_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges of reverse proxies whose
    /// `X-Forwarded-For` names the client; none by default, so the peer's address is the client's.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// A setting that could not be used; the message names the key.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    pub key: &'static str,
    pub message: String,
}

impl Config {
    pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
    /// The configuration file read when neither `--config` nor `PVZ_CONFIG` names one and it exists.
    pub const DEFAULT_FILE: &str = "pvz.toml";
    pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    pub const DEFAULT_TILE_ATTRIBUTION: &str = "© OpenStreetMap contributors";
    /// Russia's cities of a million and more: the offices synced when `PVZ_RUSSIANPOST_CITIES` is unset.
    pub const DEFAULT_RUSSIANPOST_CITIES: &str = "Москва; Санкт-Петербург; Новосибирск; Екатеринбург; Казань; \
        Нижний Новгород; Красноярск; Челябинск; Самара; Уфа; Ростов-на-Дону; Краснодар; Омск; Воронеж; Пермь; Волгоград";

    /// Reads the settings from `env` (the environment), the configuration file and `args` (the command line,
    /// without the program name). The environment wins over the file; a `--listen` argument over both.
    pub fn from_sources(
        env: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Self, ConfigError> {
        let mut listen_arg = None;
        let mut config_arg = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--listen" => {
                    listen_arg = Some(args.next().ok_or_else(|| ConfigError {
                        key: "--listen",
                        message: "needs an address such as 127.0.0.1:8080".into(),
                    })?)
                }
                "--config" => {
                    config_arg = Some(args.next().ok_or_else(|| ConfigError {
                        key: "--config",
                        message: "needs the path of a pvz.toml".into(),
                    })?)
                }
                other => {
                    return Err(ConfigError { key: "arguments", message: format!("unknown argument {other:?}") });
                }
            }
        }
        // The file named by --config or PVZ_CONFIG, or ./pvz.toml when there is one; the environment wins over it.
        let file = match config_arg.or_else(|| env("PVZ_CONFIG").filter(|p| !p.trim().is_empty())) {
            Some(path) => file::read(std::path::Path::new(path.trim()))?,
            None if std::path::Path::new(Self::DEFAULT_FILE).is_file() => {
                file::read(std::path::Path::new(Self::DEFAULT_FILE))?
            }
            None => Default::default(),
        };
        let vars = |key: &str| env(key).or_else(|| file.get(key).cloned());
        let (listen_key, listen) = match listen_arg {
            Some(value) => ("--listen", value),
            None => ("PVZ_LISTEN", vars("PVZ_LISTEN").unwrap_or_else(|| Self::DEFAULT_LISTEN.into())),
        };
        let listen = listen.trim().parse().map_err(|_| ConfigError {
            key: listen_key,
            message: format!("{listen:?} is not an address such as 127.0.0.1:8080"),
        })?;
        let seconds = |key: &'static str, default: u64| -> Result<Duration, ConfigError> {
            match vars(key) {
                None => Ok(Duration::from_secs(default)),
                Some(value) => {
                    value.trim().parse::<u64>().ok().filter(|s| *s <= 7 * 24 * 3600).map(Duration::from_secs).ok_or(
                        ConfigError { key, message: format!("{value:?} is not a number of seconds up to a week") },
                    )
                }
            }
        };
        let postal_code = vars("PVZ_SHOP_FROM_POSTAL_CODE").unwrap_or_else(|| "101000".into());
        if postal_code.len() != 6 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError {
                key: "PVZ_SHOP_FROM_POSTAL_CODE",
                message: format!("{postal_code:?} is not six digits"),
            });
        }
        let geocoder_url = match vars("PVZ_GEOCODER_URL").filter(|url| !url.trim().is_empty()) {
            None => None,
            Some(url) => Some(
                reqwest::Url::parse(url.trim()).ok().filter(|u| matches!(u.scheme(), "http" | "https")).ok_or_else(
                    || ConfigError { key: "PVZ_GEOCODER_URL", message: format!("{url:?} is not an http(s) URL") },
                )?,
            ),
        };
        let url = |key: &'static str, default: &str| -> Result<reqwest::Url, ConfigError> {
            let value = vars(key).filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.into());
            let mut url = reqwest::Url::parse(value.trim())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| ConfigError { key, message: format!("{value:?} is not an http(s) URL") })?;
            // Paths are joined onto it: `.../v2` must read as a directory.
            if !url.path().ends_with('/') {
                url.set_path(&format!("{}/", url.path()));
            }
            Ok(url)
        };
        let bounded_seconds = |key: &'static str,
                               default: u64,
                               range: std::ops::RangeInclusive<u64>|
         -> Result<Duration, ConfigError> {
            let Some(value) = vars(key) else { return Ok(Duration::from_secs(default)) };
            value.trim().parse::<u64>().ok().filter(|s| range.contains(s)).map(Duration::from_secs).ok_or_else(|| {
                ConfigError {
                    key,
                    message: format!("{value:?} is not a number of seconds from {} to {}", range.start(), range.end()),
                }
            })
        };
        let present = |key: &str| vars(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let cdek = match vars("PVZ_CDEK_CLIENT_ID").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(client_id) => {
                let client_secret =
                    vars("PVZ_CDEK_CLIENT_SECRET").filter(|v| !v.trim().is_empty()).ok_or(ConfigError {
                        key: "PVZ_CDEK_CLIENT_SECRET",
                        message: "is required with PVZ_CDEK_CLIENT_ID".into(),
                    })?;
                let tariff = match vars("PVZ_CDEK_TARIFF").as_deref().map(str::trim) {
                    None | Some("" | "cheapest") => TariffChoice::Cheapest,
                    Some("fastest") => TariffChoice::Fastest,
                    Some(other) => {
                        return Err(ConfigError {
                            key: "PVZ_CDEK_TARIFF",
                            message: format!("{other:?} is not cheapest or fastest"),
                        });
                    }
                };
                Some(CdekConfig {
                    timeout: bounded_seconds("PVZ_CDEK_TIMEOUT_SECONDS", 20, 1..=120)?,
                    client_id: client_id.trim().into(),
                    client_secret: Secret(client_secret.trim().into()),
                    base_url: url("PVZ_CDEK_BASE_URL", "https://api.cdek.ru/v2")?,
                    sync_interval: bounded_seconds("PVZ_CDEK_SYNC_SECONDS", 24 * 3600, 1..=7 * 24 * 3600)?,
                    tariff,
                })
            }
        };
        let pair = |first: &'static str, second: &'static str| -> Result<Option<(String, String)>, ConfigError> {
            match (present(first), present(second)) {
                (None, None) => Ok(None),
                (Some(a), Some(b)) => Ok(Some((a, b))),
                (Some(_), None) => Err(ConfigError { key: second, message: format!("is required with {first}") }),
                (None, Some(_)) => Err(ConfigError { key: first, message: format!("is required with {second}") }),
            }
        };
        let otpravka = pair("PVZ_RUSSIANPOST_ACCESS_TOKEN", "PVZ_RUSSIANPOST_USER_KEY")?;
        let post_tracking = pair("PVZ_RUSSIANPOST_TRACKING_LOGIN", "PVZ_RUSSIANPOST_TRACKING_PASSWORD")?;
        let russianpost = if otpravka.is_none() && post_tracking.is_none() {
            None
        } else {
            let daily_limit = match present("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT") {
                None => 100,
                Some(v) => v.parse::<u32>().ok().filter(|n| (1..=1_000_000).contains(n)).ok_or(ConfigError {
                    key: "PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT",
                    message: format!("{v:?} is not a whole number from 1 to 1000000"),
                })?,
            };
            let cities = present("PVZ_RUSSIANPOST_CITIES")
                .unwrap_or_else(|| Self::DEFAULT_RUSSIANPOST_CITIES.into())
                .split(';')
                .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>();
            if let Some(bad) = cities.iter().find(|c| c.chars().count() > 100 || c.chars().any(char::is_control)) {
                return Err(ConfigError {
                    key: "PVZ_RUSSIANPOST_CITIES",
                    message: format!("{bad:?} is not a settlement name"),
                });
            }
            Some(RussianPostConfig {
                otpravka: otpravka.map(|(token, key)| (Secret(token), Secret(key))),
                tracking: post_tracking.map(|(login, password)| (login, Secret(password))),
                otpravka_url: url("PVZ_RUSSIANPOST_OTPRAVKA_URL", "https://otpravka-api.pochta.ru")?,
                tariff_url: url("PVZ_RUSSIANPOST_TARIFF_URL", "https://tariff.pochta.ru")?,
                tracking_url: {
                    // A SOAP endpoint is posted to as it is written, not joined onto.
                    let mut endpoint = url("PVZ_RUSSIANPOST_TRACKING_URL", "https://tracking.russianpost.ru/rtm34")?;
                    let path = endpoint.path().trim_end_matches('/').to_string();
                    endpoint.set_path(&path);
                    endpoint
                },
                daily_limit,
                tracking_ttl: bounded_seconds("PVZ_RUSSIANPOST_TRACKING_TTL_SECONDS", 3600, 60..=7 * 24 * 3600)?,
                cities,
                sync_interval: bounded_seconds("PVZ_RUSSIANPOST_SYNC_SECONDS", 24 * 3600, 1..=7 * 24 * 3600)?,
                timeout: bounded_seconds("PVZ_RUSSIANPOST_TIMEOUT_SECONDS", 20, 1..=120)?,
            })
        };
        let real = cdek.is_some() || russianpost.is_some();
        let demo = match vars("PVZ_DEMO").as_deref().map(str::trim) {
            None | Some("") => !real,
            Some("1" | "true") => true,
            Some("0" | "false") => !real,
            Some(other) => {
                return Err(ConfigError { key: "PVZ_DEMO", message: format!("{other:?} is not true or false") });
            }
        };
        let allowed_origins = match vars("PVZ_ALLOWED_ORIGINS").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(list) => Some(
                list.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(|o| {
                        reqwest::Url::parse(o)
                            .ok()
                            .filter(|u| {
                                matches!(u.scheme(), "http" | "https") && u.path() == "/" && u.query().is_none()
                            })
                            .map(|u| u.origin().ascii_serialization())
                            .ok_or_else(|| ConfigError {
                                key: "PVZ_ALLOWED_ORIGINS",
                                message: format!("{o:?} is not an origin such as https://shop.example"),
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let count = |key: &'static str, default: u32| -> Result<u32, ConfigError> {
            match vars(key) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n))
                    .ok_or(ConfigError { key, message: format!("{v:?} is not a whole number from 1 to 1000000") }),
            }
        };
        let trusted_proxies = vars("PVZ_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<ipnet::IpNet>().or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).map_err(
                    |_| ConfigError {
                        key: "PVZ_TRUSTED_PROXIES",
                        message: format!("{p:?} is not an address or a range such as 10.0.0.0/8"),
                    },
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            allowed_origins,
            rate_limit_per_second: count("PVZ_RATE_LIMIT_PER_SECOND", 20)?,
            rate_limit_burst: count("PVZ_RATE_LIMIT_BURST", 60)?,
            trusted_proxies,
            cdek,
            russianpost,
            demo,
            data_dir: vars("PVZ_DATA_DIR").map_or_else(|| "data".into(), PathBuf::from),
            geocoder_url,
            shop_from_city: vars("PVZ_SHOP_FROM_CITY").unwrap_or_else(|| "Москва".into()),
            shop_from_postal_code: postal_code,
            quote_ttl: seconds("PVZ_QUOTE_TTL_SECONDS", 3600)?,
            quote_grace: seconds("PVZ_QUOTE_GRACE_SECONDS", 600)?,
            listen,
            bundle_dir: vars("PVZ_BUNDLE_DIR").filter(|d| !d.trim().is_empty()).map(PathBuf::from),
            site_dir: vars("PVZ_SITE_DIR").filter(|d| !d.trim().is_empty()).map(PathBuf::from),
            tile_url: vars("PVZ_TILE_URL").unwrap_or_else(|| Self::DEFAULT_TILE_URL.into()),
            tile_attribution: vars("PVZ_TILE_ATTRIBUTION").unwrap_or_else(|| Self::DEFAULT_TILE_ATTRIBUTION.into()),
        })
    }

    /// The settings for the process: its environment and command line.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_sources(|key| std::env::var(key).ok(), std::env::args().skip(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
    }

    #[test]
    fn defaults_listen_on_loopback_8080() {
        let config = Config::from_sources(vars(&[]), []).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.tile_url, Config::DEFAULT_TILE_URL);
    }

    #[test]
    fn origins_and_proxies_are_read_in_their_usual_forms() {
        let config = Config::from_sources(
            vars(&[
                ("PVZ_ALLOWED_ORIGINS", "https://shop.example, http://localhost:3000/"),
                ("PVZ_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
            ]),
            [],
        )
        .unwrap();
        assert_eq!(config.allowed_origins.unwrap(), ["https://shop.example", "http://localhost:3000"]);
        assert_eq!(config.trusted_proxies.len(), 2);
        assert!(config.trusted_proxies[1].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
    }

    #[test]
    fn listen_argument_wins_over_environment() {
        let config =
            Config::from_sources(vars(&[("PVZ_LISTEN", "127.0.0.1:9000")]), ["--listen".into(), "0.0.0.0:81".into()])
                .unwrap();
        assert_eq!(config.listen.to_string(), "0.0.0.0:81");
    }

    #[test]
    fn cdek_turns_the_demo_off_unless_asked_and_its_secret_stays_out_of_debug() {
        const WITH_CDEK: &[(&str, &str)] =
            &[("PVZ_CDEK_CLIENT_ID", "shop"), ("PVZ_CDEK_CLIENT_SECRET", "s3cr3t-value")];
        const AND_DEMO: &[(&str, &str)] =
            &[("PVZ_CDEK_CLIENT_ID", "shop"), ("PVZ_CDEK_CLIENT_SECRET", "s3cr3t-value"), ("PVZ_DEMO", "true")];
        let config = Config::from_sources(vars(WITH_CDEK), []).unwrap();
        assert!(!config.demo);
        let cdek = config.cdek.as_ref().unwrap();
        assert_eq!(cdek.base_url.as_str(), "https://api.cdek.ru/v2/");
        assert_eq!(cdek.client_secret.expose(), "s3cr3t-value");
        assert!(!format!("{config:?}").contains("s3cr3t"), "{config:?}");
        assert!(Config::from_sources(vars(AND_DEMO), []).unwrap().demo);
        assert!(Config::from_sources(vars(&[]), []).unwrap().demo);
    }

    #[test]
    fn russian_post_parts_come_with_their_pairs_and_turn_the_demo_off() {
        const TRACKING_ONLY: &[(&str, &str)] =
            &[("PVZ_RUSSIANPOST_TRACKING_LOGIN", "shop"), ("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "pa55-word")];
        let config = Config::from_sources(vars(TRACKING_ONLY), []).unwrap();
        assert!(!config.demo);
        let post = config.russianpost.as_ref().unwrap();
        assert!(post.otpravka.is_none());
        assert_eq!(post.daily_limit, 100);
        assert_eq!(post.tracking_url.as_str(), "https://tracking.russianpost.ru/rtm34");
        assert_eq!(post.otpravka_url.as_str(), "https://otpravka-api.pochta.ru/");
        assert_eq!(post.cities.len(), 16);
        assert_eq!(post.cities[5], "Нижний Новгород");
        assert!(!format!("{config:?}").contains("pa55"), "{config:?}");
        let err = Config::from_sources(vars(&[("PVZ_RUSSIANPOST_ACCESS_TOKEN", "t")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_RUSSIANPOST_USER_KEY");
        let err = Config::from_sources(vars(&[("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "p")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_RUSSIANPOST_TRACKING_LOGIN");
        const ZERO_LIMIT: &[(&str, &str)] = &[
            ("PVZ_RUSSIANPOST_TRACKING_LOGIN", "shop"),
            ("PVZ_RUSSIANPOST_TRACKING_PASSWORD", "p"),
            ("PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT", "0"),
        ];
        assert_eq!(Config::from_sources(vars(ZERO_LIMIT), []).unwrap_err().key, "PVZ_RUSSIANPOST_TRACKING_DAILY_LIMIT");
    }

    #[test]
    fn the_file_fills_in_and_the_environment_wins_over_it() {
        let dir = std::env::temp_dir().join(format!("pvz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pvz.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9100\"\nshop_from_city = \"Казань\"\n[cdek]\ntariff = \"fastest\"\n",
        )
        .unwrap();
        let named = path.display().to_string();
        let env = |key: &str| match key {
            "PVZ_CONFIG" => Some(named.clone()),
            "PVZ_SHOP_FROM_CITY" => Some("Пермь".to_string()),
            _ => None,
        };
        let config = Config::from_sources(env, []).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:9100", "from the file");
        assert_eq!(config.shop_from_city, "Пермь", "the environment wins");
        let by_argument = Config::from_sources(|_| None, ["--config".into(), named.clone()]).unwrap();
        assert_eq!(by_argument.listen.to_string(), "127.0.0.1:9100");
        std::fs::write(&path, "[cdek]\nclient_secret = \"x\"\nsecret = \"y\"\n").unwrap();
        let err = Config::from_sources(|_| None, ["--config".into(), named]).unwrap_err();
        assert!(err.message.contains("cdek.secret"), "{err}");
        let err = Config::from_sources(|_| None, ["--config".into(), "/nonexistent/pvz.toml".into()]).unwrap_err();
        assert_eq!(err.key, "PVZ_CONFIG");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn bad_values_name_their_key() {
        let err = Config::from_sources(vars(&[("PVZ_LISTEN", "localhost")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_LISTEN");
        let err = Config::from_sources(vars(&[]), ["--listen".into(), "nope".into()]).unwrap_err();
        assert_eq!(err.key, "--listen");
        let err = Config::from_sources(vars(&[("PVZ_QUOTE_TTL_SECONDS", "soon")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_QUOTE_TTL_SECONDS");
        let err = Config::from_sources(vars(&[("PVZ_SHOP_FROM_POSTAL_CODE", "1010")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_SHOP_FROM_POSTAL_CODE");
        let err = Config::from_sources(vars(&[("PVZ_GEOCODER_URL", "nominatim")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_GEOCODER_URL");
        let err = Config::from_sources(vars(&[("PVZ_CDEK_CLIENT_ID", "id")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_CDEK_CLIENT_SECRET");
        let err =
            Config::from_sources(vars(&[("PVZ_ALLOWED_ORIGINS", "https://a.example, shop.example")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_ALLOWED_ORIGINS");
        assert!(err.message.contains("shop.example"));
        let err = Config::from_sources(vars(&[("PVZ_TRUSTED_PROXIES", "10.0.0.0/33")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_TRUSTED_PROXIES");
        let err = Config::from_sources(vars(&[("PVZ_RATE_LIMIT_BURST", "0")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_RATE_LIMIT_BURST");
        let err = Config::from_sources(vars(&[]), ["--verbose".into()]).unwrap_err();
        assert!(err.to_string().contains("--verbose"), "{err}");
    }
}
