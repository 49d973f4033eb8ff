//! Whole numbers in request bodies as the API's document (JSON Schema) counts them: `147` and `147.0` are the
//! same integer, so both are taken; a fraction, a negative or a number past the field's range is refused.

use serde::Deserializer;
use serde::de::{self, Visitor};

struct Whole;

impl Visitor<'_> for Whole {
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<u64, E> {
        Ok(n)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<u64, E> {
        u64::try_from(n).map_err(|_| E::invalid_value(de::Unexpected::Signed(n), &self))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<u64, E> {
        // 2^64 itself is past u64; every float below it that has no fraction is a whole u64.
        if n.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&n) {
            Ok(n as u64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(n), &self))
        }
    }
}

/// A whole number of type `T`, written with or without a zero fraction.
pub fn number<'de, D: Deserializer<'de>, T: TryFrom<u64>>(deserializer: D) -> Result<T, D::Error> {
    let n = deserializer.deserialize_any(Whole)?;
    T::try_from(n).map_err(|_| de::Error::custom(format!("{n} is out of range")))
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize)]
    struct Side(#[serde(deserialize_with = "super::number")] u16);

    #[test]
    fn zero_fractions_are_whole_and_the_rest_is_refused() {
        let read = |json: &str| serde_json::from_str::<Side>(json).map(|s| s.0).ok();
        assert_eq!(read("147"), Some(147));
        assert_eq!(read("147.0"), Some(147));
        assert_eq!(read("1e2"), Some(100));
        for bad in ["147.5", "-1", "65536", "1e300", "\"147\"", "null"] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }
}
