//! The parcel as query parameters (`weight`, `dims`, `value`, `cod`), shared by the points view (which hides
//! points the parcel cannot go to) and the quotes.

use pvz_shared::{Dimensions, Parcel};

use crate::Error;

/// Heaviest parcel any query may name, in grams.
pub const MAX_WEIGHT_G: u32 = 1_000_000;
/// The weight quoted when the shop gives none.
pub const DEFAULT_WEIGHT_G: u32 = 1000;
/// Boxes per parcel.
const MAX_BOXES: usize = 20;
/// Largest money amount, in roubles.
const MAX_ROUBLES: u64 = 100_000_000;

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Grams from 1 to [`MAX_WEIGHT_G`].
pub fn weight(value: Option<&str>) -> Result<Option<u32>, Error> {
    present(value)
        .map(|w| {
            w.parse::<u32>()
                .ok()
                .filter(|g| (1..=MAX_WEIGHT_G).contains(g))
                .ok_or_else(|| Error::bad_request("weight", format!("must be grams from 1 to {MAX_WEIGHT_G}")))
        })
        .transpose()
}

/// Boxes as `LxWxH` in cm, comma-separated.
pub fn boxes(value: Option<&str>) -> Result<Vec<Dimensions>, Error> {
    let Some(value) = present(value) else { return Ok(Vec::new()) };
    let boxes: Vec<Dimensions> =
        value.split(',').map(|b| b.parse::<Dimensions>().map_err(|e| Error::bad_request("dims", e))).collect::<Result<_, _>>()?;
    if boxes.len() > MAX_BOXES {
        return Err(Error::bad_request("dims", format!("at most {MAX_BOXES} boxes")));
    }
    Ok(boxes)
}

/// Roubles (`2500` or `2500.50`) as kopecks.
pub fn roubles(param: &'static str, value: Option<&str>) -> Result<u64, Error> {
    let Some(value) = present(value) else { return Ok(0) };
    let invalid = || Error::bad_request(param, format!("{value:?} is not an amount of roubles from 0 to {MAX_ROUBLES}"));
    let (whole, fraction) = value.split_once(['.', ',']).unwrap_or((value, ""));
    if whole.is_empty() || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let roubles = whole.parse::<u64>().ok().filter(|r| *r <= MAX_ROUBLES).ok_or_else(invalid)?;
    let kopecks = if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse::<u64>().map_err(|_| invalid())? };
    Ok(roubles * 100 + kopecks)
}

/// The whole parcel; the weight defaults to [`DEFAULT_WEIGHT_G`].
pub fn parcel(weight_g: Option<&str>, dims: Option<&str>, value: Option<&str>, cod: Option<&str>) -> Result<Parcel, Error> {
    Ok(Parcel {
        weight_g: weight(weight_g)?.unwrap_or(DEFAULT_WEIGHT_G),
        boxes: boxes(dims)?,
        declared_value: roubles("value", value)?,
        cash_on_delivery: roubles("cod", cod)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roubles_become_kopecks() {
        assert_eq!(roubles("value", Some("2500")).unwrap(), 250_000);
        assert_eq!(roubles("value", Some("2500.5")).unwrap(), 250_050);
        assert_eq!(roubles("value", Some("99,99")).unwrap(), 9_999);
        assert_eq!(roubles("value", None).unwrap(), 0);
        for bad in ["-1", "1.234", "abc", ".5", "1e3", "100000001"] {
            assert!(roubles("value", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn several_boxes_are_comma_separated() {
        assert_eq!(boxes(Some("30x20x10, 10x10x10")).unwrap().len(), 2);
        assert!(boxes(Some("30x20x10,")).is_err());
        assert!(boxes(Some(&vec!["1x1x1"; 21].join(","))).is_err());
    }
}
