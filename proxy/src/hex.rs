//! Bytes written as lower-case hex, the way digests, signatures and secrets travel in headers and paths.

use std::fmt::Write;

pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_byte_is_two_lower_case_digits() {
        assert_eq!(super::hex(&[0, 10, 255]), "000aff");
    }
}
