//! The parcel's query parameters are read by `pvz_shared::params`, the same code the widget uses; here its
//! errors become API errors naming the parameter.

use pvz_shared::params::ParamError;

use crate::Error;

impl From<ParamError> for Error {
    fn from(e: ParamError) -> Self {
        Error::bad_request(e.param, e.message)
    }
}
