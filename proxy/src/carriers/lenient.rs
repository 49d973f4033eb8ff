//! Reading carriers' JSON values that come in more than one type: numbers written as numbers or as
//! strings (`31`, `"31"`, `"0,19"`), and yes/no written as booleans, `"Yes"`/`"No"` or `"1"`/`"0"`. What is
//! none of these reads as absent rather than failing the whole record.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Raw {
    Bool(bool),
    Number(f64),
    Text(String),
    Other(serde::de::IgnoredAny),
}

/// A number written as a number or as a string (with a decimal point or comma).
pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<Raw>::deserialize(deserializer)? {
        Some(Raw::Number(n)) => Some(n),
        Some(Raw::Text(t)) => t.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite()))
}

/// Yes or no, in any of the ways carriers write it.
pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Raw>::deserialize(deserializer)? {
        Some(Raw::Bool(b)) => Some(b),
        Some(Raw::Number(n)) => Some(n != 0.0),
        Some(Raw::Text(t)) => match t.trim().to_lowercase().as_str() {
            "yes" | "1" | "true" | "да" => Some(true),
            "no" | "0" | "false" | "нет" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Record {
        #[serde(default, deserialize_with = "number")]
        n: Option<f64>,
        #[serde(default, deserialize_with = "flag")]
        f: Option<bool>,
    }

    fn read(json: &str) -> (Option<f64>, Option<bool>) {
        let r: Record = serde_json::from_str(json).unwrap();
        (r.n, r.f)
    }

    #[test]
    fn numbers_and_flags_in_every_spelling() {
        assert_eq!(read(r#"{"n": 31, "f": "Yes"}"#), (Some(31.0), Some(true)));
        assert_eq!(read(r#"{"n": "0,19", "f": "0"}"#), (Some(0.19), Some(false)));
        assert_eq!(read(r#"{"n": " 55.61 ", "f": true}"#), (Some(55.61), Some(true)));
        assert_eq!(read(r#"{"n": "—", "f": "maybe"}"#), (None, None));
        assert_eq!(read(r#"{"n": [1], "f": {"a": 1}}"#), (None, None));
        assert_eq!(read(r#"{}"#), (None, None));
    }
}
