//! Reading one setting: looked up by its environment variable's name (`PVZ_CDEK_CLIENT_ID`) in the
//! environment and then in the configuration file, and read into what it must be, or refused with a
//! message naming it. Shared by the general settings and by every carrier's own section.

use std::ops::RangeInclusive;
use std::time::Duration;

use super::{ConfigError, Secret};

/// The settings as the environment and the file give them.
pub struct Vars<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Vars<'a> {
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self { lookup }
    }

    /// `read` over the settings `pairs` (key, value), for tests.
    #[cfg(test)]
    pub fn with_pairs<T>(pairs: &[(&str, &str)], read: impl FnOnce(&Vars) -> T) -> T {
        let lookup = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string());
        read(&Vars::new(&lookup))
    }

    /// The value as given, blank or not.
    pub fn raw(&self, key: &str) -> Option<String> {
        (self.lookup)(key)
    }

    /// The value trimmed; `None` when unset or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        self.raw(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// A credential, kept out of every `Debug` output.
    pub fn secret(&self, key: &str) -> Option<Secret> {
        self.text(key).map(Secret)
    }

    /// Both of a pair that only works together, or neither; one alone names the other as missing.
    pub fn pair(&self, first: &'static str, second: &'static str) -> Result<Option<(String, String)>, ConfigError> {
        match (self.text(first), self.text(second)) {
            (None, None) => Ok(None),
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (Some(_), None) => Err(ConfigError { key: second, message: format!("is required with {first}") }),
            (None, Some(_)) => Err(ConfigError { key: first, message: format!("is required with {second}") }),
        }
    }

    /// An http(s) URL as written: an endpoint posted to.
    pub fn endpoint(&self, key: &'static str, default: &str) -> Result<reqwest::Url, ConfigError> {
        let value = self.text(key).unwrap_or_else(|| default.into());
        let mut url = reqwest::Url::parse(&value)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| ConfigError { key, message: format!("{value:?} is not an http(s) URL") })?;
        let path = url.path().trim_end_matches('/').to_string();
        url.set_path(&path);
        Ok(url)
    }

    /// An http(s) URL that paths are joined onto: `.../v2` reads as the directory `.../v2/`.
    pub fn base_url(&self, key: &'static str, default: &str) -> Result<reqwest::Url, ConfigError> {
        let mut url = self.endpoint(key, default)?;
        let directory = format!("{}/", url.path().trim_end_matches('/'));
        url.set_path(&directory);
        Ok(url)
    }

    /// A whole number of seconds within `range`.
    pub fn seconds(
        &self,
        key: &'static str,
        default: u64,
        range: RangeInclusive<u64>,
    ) -> Result<Duration, ConfigError> {
        let Some(value) = self.raw(key) else { return Ok(Duration::from_secs(default)) };
        value.trim().parse::<u64>().ok().filter(|s| range.contains(s)).map(Duration::from_secs).ok_or_else(|| {
            ConfigError {
                key,
                message: format!("{value:?} is not a number of seconds from {} to {}", range.start(), range.end()),
            }
        })
    }

    /// A whole number within `range`.
    pub fn number(&self, key: &'static str, default: u32, range: RangeInclusive<u32>) -> Result<u32, ConfigError> {
        let Some(value) = self.text(key) else { return Ok(default) };
        value.parse::<u32>().ok().filter(|n| range.contains(n)).ok_or_else(|| ConfigError {
            key,
            message: format!("{value:?} is not a whole number from {} to {}", range.start(), range.end()),
        })
    }

    /// `true`/`1` or `false`/`0`; `None` when unset.
    pub fn flag(&self, key: &'static str) -> Result<Option<bool>, ConfigError> {
        match self.text(key).as_deref() {
            None => Ok(None),
            Some("1" | "true") => Ok(Some(true)),
            Some("0" | "false") => Ok(Some(false)),
            Some(other) => Err(ConfigError { key, message: format!("{other:?} is not true or false") }),
        }
    }

    /// One of `choices` (the first when unset).
    pub fn choice<T: Copy>(&self, key: &'static str, choices: &[(&str, T)]) -> Result<T, ConfigError> {
        let Some(value) = self.text(key) else { return Ok(choices[0].1) };
        choices.iter().find(|(name, _)| *name == value).map(|(_, v)| *v).ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            ConfigError { key, message: format!("{value:?} is not one of {}", names.join(", ")) }
        })
    }

    /// The items of a list split at `separator`, each trimmed, blanks left out.
    pub fn list(&self, key: &str, separator: char) -> Vec<String> {
        self.raw(key)
            .unwrap_or_default()
            .split(separator)
            .map(|item| item.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|item| !item.is_empty())
            .collect()
    }
}
