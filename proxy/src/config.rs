//! The proxy's settings, read once at start from the environment (`PVZ_*`) and the command line, and
//! validated there so that a bad value stops the start with a message naming its key.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the proxy needs to know at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`PVZ_LISTEN`, `--listen`); `127.0.0.1:8080` by default.
    pub listen: SocketAddr,
    /// The built widget bundle (`PVZ_BUNDLE_DIR`): `widget.js` and everything it loads.
    pub bundle_dir: PathBuf,
    /// The demo shop pages served at `/` (`PVZ_SITE_DIR`).
    pub site_dir: PathBuf,
    /// Map tile URL template for the widget (`PVZ_TILE_URL`); empty for no tiles (tests, offline demos).
    pub tile_url: String,
    /// Attribution shown under the map (`PVZ_TILE_ATTRIBUTION`), as the tile provider's licence demands.
    pub tile_attribution: String,
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
    pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    pub const DEFAULT_TILE_ATTRIBUTION: &str = "© OpenStreetMap contributors";

    /// Reads the settings from `vars` (the environment) and `args` (the command line, without the
    /// program name). A `--listen` argument wins over `PVZ_LISTEN`.
    pub fn from_sources(
        vars: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Self, ConfigError> {
        let mut listen_arg = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--listen" => {
                    listen_arg = Some(args.next().ok_or_else(|| ConfigError {
                        key: "--listen",
                        message: "needs an address such as 127.0.0.1:8080".into(),
                    })?)
                }
                other => {
                    return Err(ConfigError { key: "arguments", message: format!("unknown argument {other:?}") });
                }
            }
        }
        let (listen_key, listen) = match listen_arg {
            Some(value) => ("--listen", value),
            None => ("PVZ_LISTEN", vars("PVZ_LISTEN").unwrap_or_else(|| Self::DEFAULT_LISTEN.into())),
        };
        let listen = listen.trim().parse().map_err(|_| ConfigError {
            key: listen_key,
            message: format!("{listen:?} is not an address such as 127.0.0.1:8080"),
        })?;
        Ok(Self {
            listen,
            bundle_dir: vars("PVZ_BUNDLE_DIR").map_or_else(|| "target/widget-bundle".into(), PathBuf::from),
            site_dir: vars("PVZ_SITE_DIR").map_or_else(|| "demo-site".into(), PathBuf::from),
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
    fn listen_argument_wins_over_environment() {
        let config =
            Config::from_sources(vars(&[("PVZ_LISTEN", "127.0.0.1:9000")]), ["--listen".into(), "0.0.0.0:81".into()])
                .unwrap();
        assert_eq!(config.listen.to_string(), "0.0.0.0:81");
    }

    #[test]
    fn bad_values_name_their_key() {
        let err = Config::from_sources(vars(&[("PVZ_LISTEN", "localhost")]), []).unwrap_err();
        assert_eq!(err.key, "PVZ_LISTEN");
        let err = Config::from_sources(vars(&[]), ["--listen".into(), "nope".into()]).unwrap_err();
        assert_eq!(err.key, "--listen");
        let err = Config::from_sources(vars(&[]), ["--verbose".into()]).unwrap_err();
        assert!(err.to_string().contains("--verbose"), "{err}");
    }
}
