//! The parcel as text (`weight`, `dims`, `value`, `cod`: query parameters and `data-*` attributes), read the
//! same way by the proxy, which validates requests, and the widget, which builds them.

use crate::point::Dimensions;
use crate::quote::Parcel;

/// Heaviest parcel, in grams.
pub const MAX_WEIGHT_G: u32 = 1_000_000;
/// The weight quoted when the shop gives none.
pub const DEFAULT_WEIGHT_G: u32 = 1000;
/// Boxes per parcel.
pub const MAX_BOXES: usize = 20;
/// Largest money amount, in roubles.
pub const MAX_ROUBLES: u64 = 100_000_000;

/// The patterns the API's document states for these parameters: exactly the texts the readers below take
/// (white space around a value is ASCII's: space, tab, line feed, form feed, carriage return).
pub mod patterns {
    /// `dims`: up to 20 boxes `LxWxH`, each side 1 to 500 cm.
    pub const DIMS: &str = concat!(
        r"^[ \t\n\f\r]*(?:",
        r"[ \t\n\f\r]*\+?0*(?:500|[1-4][0-9]{2}|[1-9][0-9]?)[ \t\n\f\r]*[xX×*]",
        r"[ \t\n\f\r]*\+?0*(?:500|[1-4][0-9]{2}|[1-9][0-9]?)[ \t\n\f\r]*[xX×*]",
        r"[ \t\n\f\r]*\+?0*(?:500|[1-4][0-9]{2}|[1-9][0-9]?)[ \t\n\f\r]*",
        r"(?:,[ \t\n\f\r]*\+?0*(?:500|[1-4][0-9]{2}|[1-9][0-9]?)[ \t\n\f\r]*[xX×*]",
        r"[ \t\n\f\r]*\+?0*(?:500|[1-4][0-9]{2}|[1-9][0-9]?)[ \t\n\f\r]*[xX×*]",
        r"[ \t\n\f\r]*\+?0*(?:500|[1-4][0-9]{2}|[1-9][0-9]?)[ \t\n\f\r]*){0,19})?$",
    );
    /// `value` and `cod`: roubles from 0 to 100,000,000, with up to two decimals after `.` or `,`.
    pub const ROUBLES: &str =
        r"^[ \t\n\f\r]*(?:(?:0*(?:100000000|[1-9][0-9]{0,7})|0+)(?:[.,][0-9]{0,2})?)?[ \t\n\f\r]*$";
    /// `carriers`, `only_carriers`: comma-separated carrier names.
    pub const CARRIERS: &str = concat!(
        r"^[ \t\n\f\r]*(?:[a-z0-9-]{1,32})?[ \t\n\f\r]*",
        r"(?:,[ \t\n\f\r]*(?:[a-z0-9-]{1,32})?[ \t\n\f\r]*)*$",
    );
    /// `kinds`: comma-separated point kinds.
    pub const KINDS: &str = concat!(
        r"^[ \t\n\f\r]*(?:pickup_point|locker|post_office)?[ \t\n\f\r]*",
        r"(?:,[ \t\n\f\r]*(?:pickup_point|locker|post_office)?[ \t\n\f\r]*)*$",
    );
    /// `payment`: comma-separated methods.
    pub const PAYMENT: &str =
        concat!(r"^[ \t\n\f\r]*(?:cash|card|cod)?[ \t\n\f\r]*", r"(?:,[ \t\n\f\r]*(?:cash|card|cod)?[ \t\n\f\r]*)*$",);
}

/// `value` without the ASCII white space around it.
pub fn trim(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_ascii_whitespace())
}

/// A parameter that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub param: &'static str,
    pub message: String,
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(trim).filter(|v| !v.is_empty())
}

/// Grams from 1 to [`MAX_WEIGHT_G`].
pub fn weight(value: Option<&str>) -> Result<Option<u32>, ParamError> {
    present(value)
        .map(|w| {
            w.parse::<u32>().ok().filter(|g| (1..=MAX_WEIGHT_G).contains(g)).ok_or_else(|| ParamError {
                param: "weight",
                message: format!("must be grams from 1 to {MAX_WEIGHT_G}"),
            })
        })
        .transpose()
}

/// Boxes as `LxWxH` in cm, comma-separated.
pub fn boxes(value: Option<&str>) -> Result<Vec<Dimensions>, ParamError> {
    let Some(value) = present(value) else { return Ok(Vec::new()) };
    let boxes: Vec<Dimensions> = value
        .split(',')
        .map(|b| b.parse::<Dimensions>().map_err(|message| ParamError { param: "dims", message }))
        .collect::<Result<_, _>>()?;
    if boxes.len() > MAX_BOXES {
        return Err(ParamError { param: "dims", message: format!("at most {MAX_BOXES} boxes") });
    }
    Ok(boxes)
}

/// Roubles (`2500`, `2500.50` or `2500,50`) as kopecks; nothing is 0.
pub fn roubles(param: &'static str, value: Option<&str>) -> Result<u64, ParamError> {
    let Some(value) = present(value) else { return Ok(0) };
    let invalid =
        || ParamError { param, message: format!("{value:?} is not an amount of roubles from 0 to {MAX_ROUBLES}") };
    let (whole, fraction) = value.split_once(['.', ',']).unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || fraction.len() > 2 || !digits(fraction) {
        return Err(invalid());
    }
    let roubles = whole.parse::<u64>().ok().filter(|r| *r <= MAX_ROUBLES).ok_or_else(invalid)?;
    let kopecks =
        if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse::<u64>().map_err(|_| invalid())? };
    Ok(roubles * 100 + kopecks)
}

/// The whole parcel; the weight defaults to [`DEFAULT_WEIGHT_G`].
pub fn parcel(
    weight_g: Option<&str>,
    dims: Option<&str>,
    value: Option<&str>,
    cod: Option<&str>,
) -> Result<Parcel, ParamError> {
    Ok(Parcel {
        weight_g: weight(weight_g)?.unwrap_or(DEFAULT_WEIGHT_G),
        boxes: boxes(dims)?,
        declared_value: roubles("value", value)?,
        cash_on_delivery: roubles("cod", cod)?,
    })
}

impl Parcel {
    /// Whether the parcel is within the limits the text form allows.
    pub fn check(&self) -> Result<(), ParamError> {
        if !(1..=MAX_WEIGHT_G).contains(&self.weight_g) {
            return Err(ParamError {
                param: "parcel.weight_g",
                message: format!("must be grams from 1 to {MAX_WEIGHT_G}"),
            });
        }
        let side_ok = |s: u16| (1..=500).contains(&s);
        if self.boxes.len() > MAX_BOXES
            || !self.boxes.iter().all(|b| side_ok(b.length) && side_ok(b.width) && side_ok(b.height))
        {
            return Err(ParamError {
                param: "parcel.boxes",
                message: format!("at most {MAX_BOXES} boxes of 1 to 500 cm a side"),
            });
        }
        if self.declared_value.max(self.cash_on_delivery) > MAX_ROUBLES * 100 {
            return Err(ParamError {
                param: "parcel",
                message: format!("amounts are kopecks up to {MAX_ROUBLES} roubles"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roubles_become_kopecks() {
        assert_eq!(roubles("value", Some("2500")), Ok(250_000));
        assert_eq!(roubles("value", Some("2500.5")), Ok(250_050));
        assert_eq!(roubles("value", Some("99,99")), Ok(9_999));
        assert_eq!(roubles("value", None), Ok(0));
        for bad in ["-1", "1.234", "abc", ".5", "1e3", "100000001", "+5", "1.-5"] {
            assert!(roubles("value", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn several_boxes_are_comma_separated() {
        assert_eq!(boxes(Some("30x20x10, 10x10x10")).unwrap().len(), 2);
        assert!(boxes(Some("30x20x10,")).is_err());
        assert!(boxes(Some(&vec!["1x1x1"; 21].join(","))).is_err());
    }

    #[test]
    fn a_parcel_without_a_weight_weighs_a_kilo_and_errors_name_the_parameter() {
        assert_eq!(parcel(None, None, None, None).unwrap().weight_g, DEFAULT_WEIGHT_G);
        assert_eq!(parcel(Some("0"), None, None, None).unwrap_err().param, "weight");
        assert_eq!(parcel(None, None, None, Some("x")).unwrap_err().param, "cod");
        assert!(Parcel { weight_g: 0, ..Parcel::default() }.check().is_err());
        assert!(parcel(Some("1200"), Some("30x20x10"), Some("2500"), None).unwrap().check().is_ok());
    }
}
