//! The parcel's query parameters (read by `pvz_shared::params`, the same code the widget uses), with
//! their errors as API errors.

use pvz_shared::params::{self, ParamError};
use pvz_shared::{Dimensions, Parcel};

use crate::Error;

impl From<ParamError> for Error {
    fn from(e: ParamError) -> Self {
        Error::bad_request(e.param, e.message)
    }
}

pub fn weight(value: Option<&str>) -> Result<Option<u32>, Error> {
    Ok(params::weight(value)?)
}

pub fn boxes(value: Option<&str>) -> Result<Vec<Dimensions>, Error> {
    Ok(params::boxes(value)?)
}

pub fn parcel(
    weight: Option<&str>,
    dims: Option<&str>,
    value: Option<&str>,
    cod: Option<&str>,
) -> Result<Parcel, Error> {
    Ok(params::parcel(weight, dims, value, cod)?)
}
