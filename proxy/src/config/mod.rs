//! The proxy's settings, read once at start from the environment (`PVZ_*`), the configuration file and the
//! command line, and validated there so that a bad value stops the start with a message naming its key.
//! Each carrier reads its own section (see [`crate::carriers::Connector`]); this module reads the rest.

mod file;
mod vars;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::carriers::{CONNECTORS, Configured};
pub use vars::Vars;

/// A credential: kept out of `Debug` output, so out of logs and panics.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// One setting of a carrier's section: `client_id` in `[cdek]` stands for `PVZ_CDEK_CLIENT_ID`.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// The environment variable.
    pub var: &'static str,
    /// How the file's lists for it are joined: `,`, or `;` for items that may hold commas.
    pub separator: char,
}

impl Setting {
    pub const fn new(var: &'static str) -> Self {
        Self { var, separator: ',' }
    }

    /// A list whose items may hold commas (`"Казань, Татарстан респ"`).
    pub const fn semicolon_list(var: &'static str) -> Self {
        Self { var, separator: ';' }
    }
}

/// A carrier the shop configured, by its connector's name.
#[derive(Debug, Clone)]
pub struct CarrierConfig {
    pub name: &'static str,
    pub settings: std::sync::Arc<dyn Configured>,
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
    /// The real carriers the shop configured, in the order of [`CONNECTORS`].
    pub carriers: Vec<CarrierConfig>,
    /// The built-in demo carriers (`PVZ_DEMO`): on when no real carrier is configured, or when asked for.
    pub demo: bool,
    /// Where the synced carriers' last good points are saved (`PVZ_DATA_DIR`, `data` by default).
    pub data_dir: PathBuf,
    /// `PVZ_DATABASE_URL`: the PostgreSQL database (`postgres://user:password@host/db`) that holds the
    /// shipments ledger and the carriers' daily counters, shared by every proxy that names it; unset, they are
    /// SQLite in `data_dir`.
    pub database_url: Option<Secret>,
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
    /// `PVZ_SHOP_API_KEYS`: comma-separated keys the shop's backend calls the shipments API with; none by
    /// default, which keeps that API closed.
    pub shop_api_keys: Vec<Secret>,
    /// `PVZ_SHIPMENT_POLL_SECONDS`: how often the carriers are asked about shipments on their way (10 min
    /// by default).
    pub shipment_poll: Duration,
    /// `PVZ_SHOP_WEBHOOK_URL` and `PVZ_SHOP_WEBHOOK_SECRET`: where every shipment's state change is POSTed,
    /// signed with the secret; none by default.
    pub shop_webhook: Option<(reqwest::Url, Secret)>,
    /// `PVZ_PUBLIC_URL`: the proxy's address as the internet reaches it (`https://pvz.shop.example`); with it,
    /// carriers that notify of status changes are subscribed at a secret address under it.
    pub public_url: Option<reqwest::Url>,
    /// `PVZ_DESK_PASSWORD_HASH`: the argon2 hash (`pvz-proxy hash-password`) of the password that opens the
    /// owner's desk at `/desk/`; unset, the desk is off.
    pub desk_password_hash: Option<Secret>,
    /// `PVZ_DESK_IDLE_MINUTES`: how long a desk session lasts without use (30 by default).
    pub desk_idle: Duration,
}

/// A setting that could not be used; the message names the key.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    pub key: &'static str,
    pub message: String,
}

/// The general settings' part of the example configuration; each carrier's section follows it.
const EXAMPLE_HEAD: &str = include_str!("example.toml");

/// The whole example configuration (`pvz.example.toml`): every setting, commented out, with what it does.
pub fn example() -> String {
    let mut text = EXAMPLE_HEAD.to_string();
    for connector in CONNECTORS {
        text.push('\n');
        text.push_str(connector.example);
    }
    text
}

/// The shortest shop API key taken.
const MIN_KEY_LENGTH: usize = 24;

/// A week: the longest any interval setting may be.
const WEEK_SECONDS: u64 = 7 * 24 * 3600;

impl Config {
    pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
    /// The configuration file read when neither `--config` nor `PVZ_CONFIG` names one and it exists.
    pub const DEFAULT_FILE: &str = "pvz.toml";
    pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    pub const DEFAULT_TILE_ATTRIBUTION: &str = "© OpenStreetMap contributors";

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
        let lookup = |key: &str| env(key).or_else(|| file.get(key).cloned());
        let vars = Vars::new(&lookup);
        let (listen_key, listen) = match listen_arg {
            Some(value) => ("--listen", value),
            None => ("PVZ_LISTEN", vars.raw("PVZ_LISTEN").unwrap_or_else(|| Self::DEFAULT_LISTEN.into())),
        };
        let listen = listen.trim().parse().map_err(|_| ConfigError {
            key: listen_key,
            message: format!("{listen:?} is not an address such as 127.0.0.1:8080"),
        })?;
        let postal_code = vars.raw("PVZ_SHOP_FROM_POSTAL_CODE").unwrap_or_else(|| "101000".into());
        if postal_code.len() != 6 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError {
                key: "PVZ_SHOP_FROM_POSTAL_CODE",
                message: format!("{postal_code:?} is not six digits"),
            });
        }
        let geocoder_url = match vars.text("PVZ_GEOCODER_URL") {
            None => None,
            Some(url) => {
                Some(reqwest::Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "http" | "https")).ok_or_else(
                    || ConfigError { key: "PVZ_GEOCODER_URL", message: format!("{url:?} is not an http(s) URL") },
                )?)
            }
        };
        let mut carriers = Vec::new();
        for connector in CONNECTORS {
            if let Some(settings) = (connector.configure)(&vars)? {
                carriers.push(CarrierConfig { name: connector.name, settings: settings.into() });
            }
        }
        let demo = vars.flag("PVZ_DEMO")?.unwrap_or(false) || carriers.is_empty();
        let allowed_origins = match vars.text("PVZ_ALLOWED_ORIGINS") {
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
        let trusted_proxies = vars
            .list("PVZ_TRUSTED_PROXIES", ',')
            .iter()
            .map(|p| {
                p.parse::<ipnet::IpNet>().or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).map_err(
                    |_| ConfigError {
                        key: "PVZ_TRUSTED_PROXIES",
                        message: format!("{p:?} is not an address or a range such as 10.0.0.0/8"),
                    },
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let shop_api_keys: Vec<Secret> =
            vars.list("PVZ_SHOP_API_KEYS", ',').into_iter().map(|k| Secret::new(k.trim().to_string())).collect();
        if let Some(short) = shop_api_keys.iter().find(|k| k.expose().len() < MIN_KEY_LENGTH) {
            return Err(ConfigError {
                key: "PVZ_SHOP_API_KEYS",
                message: format!(
                    "a key of {} characters is too easy to guess: use at least {MIN_KEY_LENGTH} (openssl rand -hex 24)",
                    short.expose().len()
                ),
            });
        }
        let shop_webhook = match vars.pair("PVZ_SHOP_WEBHOOK_URL", "PVZ_SHOP_WEBHOOK_SECRET")? {
            None => None,
            Some((url, secret)) => {
                let url = vars.endpoint("PVZ_SHOP_WEBHOOK_URL", &url)?;
                if secret.len() < MIN_KEY_LENGTH {
                    return Err(ConfigError {
                        key: "PVZ_SHOP_WEBHOOK_SECRET",
                        message: format!("is too easy to guess: use at least {MIN_KEY_LENGTH} characters"),
                    });
                }
                Some((url, Secret::new(secret)))
            }
        };
        let public_url = match vars.text("PVZ_PUBLIC_URL") {
            None => None,
            Some(url) => Some(vars.base_url("PVZ_PUBLIC_URL", &url)?),
        };
        let desk_password_hash = match vars.text("PVZ_DESK_PASSWORD_HASH") {
            None => None,
            Some(hash) => match argon2::PasswordHash::new(&hash) {
                Ok(parsed) if parsed.algorithm.as_str().starts_with("argon2") => Some(Secret::new(hash)),
                _ => {
                    return Err(ConfigError {
                        key: "PVZ_DESK_PASSWORD_HASH",
                        message: "is not an argon2 hash: make one with `pvz-proxy hash-password`".into(),
                    });
                }
            },
        };
        let database_url = match vars.text("PVZ_DATABASE_URL") {
            None => None,
            Some(url) => match reqwest::Url::parse(&url) {
                Ok(parsed) if matches!(parsed.scheme(), "postgres" | "postgresql") && parsed.has_host() => {
                    Some(Secret::new(url))
                }
                // The URL holds a password: the message never repeats it.
                _ => {
                    return Err(ConfigError {
                        key: "PVZ_DATABASE_URL",
                        message: "is not a PostgreSQL URL such as postgres://pvz:password@db.internal/pvz \
                                  (unset, the ledger is SQLite in the data directory)"
                            .into(),
                    });
                }
            },
        };
        Ok(Self {
            database_url,
            desk_password_hash,
            desk_idle: Duration::from_secs(60 * u64::from(vars.number("PVZ_DESK_IDLE_MINUTES", 30, 1..=7 * 24 * 60)?)),
            public_url,
            shop_webhook,
            shop_api_keys,
            shipment_poll: vars.seconds("PVZ_SHIPMENT_POLL_SECONDS", 600, 1..=WEEK_SECONDS)?,
            allowed_origins,
            rate_limit_per_second: vars.number("PVZ_RATE_LIMIT_PER_SECOND", 20, 1..=1_000_000)?,
            rate_limit_burst: vars.number("PVZ_RATE_LIMIT_BURST", 60, 1..=1_000_000)?,
            trusted_proxies,
            carriers,
            demo,
            data_dir: vars.raw("PVZ_DATA_DIR").map_or_else(|| "data".into(), PathBuf::from),
            geocoder_url,
            shop_from_city: vars.raw("PVZ_SHOP_FROM_CITY").unwrap_or_else(|| "Москва".into()),
            shop_from_postal_code: postal_code,
            quote_ttl: vars.seconds("PVZ_QUOTE_TTL_SECONDS", 3600, 0..=WEEK_SECONDS)?,
            quote_grace: vars.seconds("PVZ_QUOTE_GRACE_SECONDS", 600, 0..=WEEK_SECONDS)?,
            listen,
            bundle_dir: vars.text("PVZ_BUNDLE_DIR").map(PathBuf::from),
            site_dir: vars.text("PVZ_SITE_DIR").map(PathBuf::from),
            tile_url: vars.raw("PVZ_TILE_URL").unwrap_or_else(|| Self::DEFAULT_TILE_URL.into()),
            tile_attribution: vars.raw("PVZ_TILE_ATTRIBUTION").unwrap_or_else(|| Self::DEFAULT_TILE_ATTRIBUTION.into()),
        })
    }

    /// The settings for the process: its environment and command line.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_sources(|key| std::env::var(key).ok(), std::env::args().skip(1))
    }

    /// Whether any real carrier serves: then the proxy holds credentials worth protecting.
    pub fn has_real_carriers(&self) -> bool {
        !self.carriers.is_empty()
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
    fn a_database_url_is_postgresql_and_its_password_is_never_shown() {
        let with = |url: &'static str| move |key: &str| (key == "PVZ_DATABASE_URL").then(|| url.to_string());
        let url = "postgres://pvz:s3cr3t-pass@db.internal:5432/pvz";
        let config = Config::from_sources(with(url), []).unwrap();
        assert_eq!(config.database_url.as_ref().map(Secret::expose), Some(url));
        assert!(!format!("{config:?}").contains("s3cr3t"), "hidden in the debug output");
        assert!(Config::from_sources(vars(&[]), []).unwrap().database_url.is_none(), "SQLite by default");
        for wrong in ["mysql://pvz:s3cr3t-pass@db/pvz", "sqlite://data/shipments.db", "s3cr3t-pass"] {
            let err = Config::from_sources(with(wrong), []).unwrap_err();
            assert_eq!(err.key, "PVZ_DATABASE_URL");
            assert!(!err.message.contains("s3cr3t"), "{err}");
        }
    }

    #[test]
    fn listen_argument_wins_over_environment() {
        let config =
            Config::from_sources(vars(&[("PVZ_LISTEN", "127.0.0.1:9000")]), ["--listen".into(), "0.0.0.0:81".into()])
                .unwrap();
        assert_eq!(config.listen.to_string(), "0.0.0.0:81");
    }

    #[test]
    fn without_a_carrier_the_demo_serves_and_it_may_be_asked_for_beside_one() {
        assert!(Config::from_sources(vars(&[]), []).unwrap().demo);
        assert!(Config::from_sources(vars(&[]), []).unwrap().carriers.is_empty());
        let err = Config::from_sources(vars(&[("PVZ_DEMO", "maybe")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_DEMO");
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
        let err =
            Config::from_sources(vars(&[("PVZ_ALLOWED_ORIGINS", "https://a.example, shop.example")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_ALLOWED_ORIGINS");
        assert!(err.message.contains("shop.example"));
        let err = Config::from_sources(vars(&[("PVZ_TRUSTED_PROXIES", "10.0.0.0/33")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_TRUSTED_PROXIES");
        let err = Config::from_sources(vars(&[("PVZ_SHOP_API_KEYS", "short")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_SHOP_API_KEYS");
        assert!(!err.message.contains("short"), "the key stays out of the message: {err}");
        let err = Config::from_sources(vars(&[("PVZ_SHOP_WEBHOOK_URL", "https://shop.example/hook")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_SHOP_WEBHOOK_SECRET");
        let err = Config::from_sources(
            vars(&[
                ("PVZ_SHOP_WEBHOOK_URL", "shop.example/hook"),
                ("PVZ_SHOP_WEBHOOK_SECRET", "0123456789abcdef01234567"),
            ]),
            [],
        )
        .unwrap_err();
        assert_eq!(err.key, "PVZ_SHOP_WEBHOOK_URL");
        let err = Config::from_sources(vars(&[("PVZ_RATE_LIMIT_BURST", "0")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_RATE_LIMIT_BURST");
        let err = Config::from_sources(vars(&[]), ["--verbose".into()]).unwrap_err();
        assert!(err.to_string().contains("--verbose"), "{err}");
    }
}
