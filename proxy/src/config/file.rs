//! The configuration file (`pvz.toml`): the same settings as the environment, written as TOML with a section
//! per carrier. Each key stands for the environment variable `PVZ_<SECTION>_<KEY>`, which wins over it; a key
//! that stands for no setting stops the start, so that a typo is not silently ignored.

use std::collections::HashMap;
use std::path::Path;

use super::{ConfigError, Setting};
use crate::carriers::CONNECTORS;

/// The general settings the file may hold, by their environment variables; each carrier names its own.
const GENERAL: &[&str] = &[
    "PVZ_LISTEN",
    "PVZ_BUNDLE_DIR",
    "PVZ_SITE_DIR",
    "PVZ_DATA_DIR",
    "PVZ_DATABASE_URL",
    "PVZ_TILE_URL",
    "PVZ_TILE_ATTRIBUTION",
    "PVZ_SHOP_FROM_CITY",
    "PVZ_SHOP_FROM_POSTAL_CODE",
    "PVZ_QUOTE_TTL_SECONDS",
    "PVZ_QUOTE_GRACE_SECONDS",
    "PVZ_GEOCODER_URL",
    "PVZ_DEMO",
    "PVZ_ALLOWED_ORIGINS",
    "PVZ_RATE_LIMIT_PER_SECOND",
    "PVZ_RATE_LIMIT_BURST",
    "PVZ_TRUSTED_PROXIES",
    "PVZ_SHOP_API_KEYS",
    "PVZ_SHIPMENT_POLL_SECONDS",
    "PVZ_SHOP_WEBHOOK_URL",
    "PVZ_SHOP_WEBHOOK_SECRET",
    "PVZ_PUBLIC_URL",
    "PVZ_DESK_PASSWORD_HASH",
    "PVZ_DESK_IDLE_MINUTES",
];

/// Every setting the file may hold: the general ones and each carrier's.
fn settings() -> impl Iterator<Item = Setting> {
    let general = GENERAL.iter().map(|var| Setting::new(var));
    general.chain(CONNECTORS.iter().flat_map(|c| c.settings.iter().copied()))
}

/// The file's settings by environment variable, as the environment would give them.
pub fn read(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| ConfigError { key: "PVZ_CONFIG", message: format!("cannot read {}: {err}", path.display()) })?;
    parse(&text).map_err(|message| ConfigError { key: "PVZ_CONFIG", message: format!("{}: {message}", path.display()) })
}

/// `text` as settings; an error names the key or the line at fault.
pub fn parse(text: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = text.parse().map_err(|err: toml::de::Error| err.to_string())?;
    let mut settings = HashMap::new();
    flatten(&table, "", &mut settings)?;
    Ok(settings)
}

fn flatten(table: &toml::Table, section: &str, out: &mut HashMap<String, String>) -> Result<(), String> {
    for (key, value) in table {
        let path = if section.is_empty() { key.clone() } else { format!("{section}.{key}") };
        let name = format!("PVZ_{}", path.replace(['.', '-'], "_").to_uppercase());
        if let toml::Value::Table(inner) = value {
            flatten(inner, &path, out)?;
            continue;
        }
        let Some(setting) = settings().find(|s| s.var == name) else {
            return Err(format!("{path} is not a setting (see the example file for every key)"));
        };
        let text = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(n) => n.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => {
                let separator = setting.separator.to_string();
                items
                    .iter()
                    .map(|item| match item {
                        toml::Value::String(s) => Ok(s.clone()),
                        _ => Err(format!("{path} must be a list of strings")),
                    })
                    .collect::<Result<Vec<_>, _>>()?
                    .join(&separator)
            }
            _ => return Err(format!("{path} must be a string, a whole number, true/false or a list of strings")),
        };
        out.insert(name, text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../pvz.example.toml");

    #[test]
    fn the_example_file_is_the_general_settings_and_every_carriers_section() {
        assert!(
            EXAMPLE == super::super::example(),
            "proxy/pvz.example.toml is out of date: write it anew with \
             `cargo run -p pvz-proxy -- example-config > proxy/pvz.example.toml`"
        );
    }

    #[test]
    fn sections_and_keys_become_environment_variables() {
        let settings = parse(
            r#"
            listen = "0.0.0.0:8080"
            demo = false
            allowed_origins = ["https://shop.example", "https://www.shop.example"]
            [cdek]
            client_id = "id"
            sync_seconds = 3600
            [russianpost]
            cities = ["Москва", "Казань, Татарстан респ"]
            "#,
        )
        .unwrap();
        assert_eq!(settings["PVZ_LISTEN"], "0.0.0.0:8080");
        assert_eq!(settings["PVZ_DEMO"], "false");
        assert_eq!(settings["PVZ_ALLOWED_ORIGINS"], "https://shop.example,https://www.shop.example");
        assert_eq!(settings["PVZ_CDEK_SYNC_SECONDS"], "3600");
        assert_eq!(settings["PVZ_RUSSIANPOST_CITIES"], "Москва;Казань, Татарстан респ");
    }

    #[test]
    fn a_key_that_is_no_setting_is_named() {
        let err = parse("[cdek]\nclientid = \"x\"").unwrap_err();
        assert!(err.contains("cdek.clientid"), "{err}");
        assert!(parse("listen = [1, 2]").unwrap_err().contains("listen"));
        assert!(parse("listen = ").is_err(), "not TOML");
    }

    /// The example with every commented-out setting turned on: each key is a setting, and the whole is valid.
    #[test]
    fn the_example_names_every_setting_and_every_value_in_it_is_valid() {
        let on: String = EXAMPLE
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')) => rest,
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let settings = parse(&on).unwrap();
        let mut missing: Vec<_> = super::settings().map(|s| s.var).filter(|k| !settings.contains_key(*k)).collect();
        missing.sort();
        assert!(missing.is_empty(), "not in the example: {missing:?}");
        let config = crate::Config::from_sources(|key| settings.get(key).cloned(), []);
        assert!(config.is_ok(), "{:?}", config.err());
    }
}
