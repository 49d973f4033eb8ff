//! A shipment request read as the carriers need it, or refused with a 400 naming the field: a carrier that
//! refuses a bad phone does so minutes later, in the background, where the shop no longer looks.

use super::model::{CourierCallRequest, MAX_COMMENT, MAX_ITEMS, MAX_ORDER_NUMBER, ShipmentRequest};
use crate::Error;

/// Text for a carrier's documents: trimmed, within `max` characters, without control characters.
fn text(field: &'static str, value: &mut String, min: usize, max: usize) -> Result<(), Error> {
    let trimmed = value.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(Error::bad_request(field, "may not hold control characters"));
    }
    let n = trimmed.chars().count();
    if n < min {
        return Err(Error::bad_request(field, "is required"));
    }
    if n > max {
        return Err(Error::bad_request(field, format!("is longer than {max} characters")));
    }
    *value = trimmed.to_string();
    Ok(())
}

/// A phone as `+<digits>`: a Russian one written any usual way (`8 (912) 345-67-89`, `9123456789`), or
/// another country's with its `+` and code.
pub fn phone(raw: &str) -> Option<String> {
    let international = raw.trim_start().starts_with('+');
    if raw.chars().any(|c| !(c.is_ascii_digit() || " +-().".contains(c))) {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match (international, digits.len(), digits.as_bytes().first()) {
        (false, 11, Some(b'7' | b'8')) => Some(format!("+7{}", &digits[1..])),
        (false, 10, Some(b'9')) => Some(format!("+7{digits}")),
        (true, 10..=15, Some(b'1'..=b'9')) => Some(format!("+{digits}")),
        _ => None,
    }
}

/// An address with one `@`, something before it and a dotted domain after it.
fn email(value: &str) -> bool {
    match value.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// The request with its text trimmed and its phone in one form; or the first field that cannot be used.
pub fn request(mut r: ShipmentRequest) -> Result<ShipmentRequest, Error> {
    text("order_number", &mut r.order_number, 1, MAX_ORDER_NUMBER)?;
    match &mut r.door {
        None => text("point_id", &mut r.point_id, 1, 100)?,
        Some(_) if !r.point_id.trim().is_empty() => {
            return Err(Error::bad_request("door", "send a point_id or a door, not both"));
        }
        Some(door) => {
            text("door.carrier", &mut door.carrier, 1, 40)?;
            let a = &mut door.address;
            for (field, value, min, max) in [
                ("door.address.full", &mut a.full, 1, 500),
                ("door.address.city", &mut a.city, 1, 100),
                ("door.address.region", &mut a.region, 0, 100),
                ("door.address.street", &mut a.street, 1, 200),
                ("door.address.house", &mut a.house, 1, 20),
                ("door.address.flat", &mut a.flat, 0, 20),
                ("door.address.postal_code", &mut a.postal_code, 0, 6),
            ] {
                text(field, value, min, max)?;
            }
            if !a.location.is_valid() {
                return Err(Error::bad_request("door.address.location", "is not a place on Earth"));
            }
        }
    }
    r.parcel.check()?;
    text("recipient.name", &mut r.recipient.name, 1, 255)?;
    r.recipient.phone = phone(&r.recipient.phone).ok_or_else(|| {
        Error::bad_request("recipient.phone", "is not a phone number such as +79123456789 or 8 912 345-67-89")
    })?;
    text("recipient.email", &mut r.recipient.email, 0, 255)?;
    if !r.recipient.email.is_empty() && !email(&r.recipient.email) {
        return Err(Error::bad_request("recipient.email", "is not an e-mail address"));
    }
    if r.items.len() > MAX_ITEMS {
        return Err(Error::bad_request("items", format!("at most {MAX_ITEMS} lines")));
    }
    for item in &mut r.items {
        text("items.name", &mut item.name, 1, 255)?;
        text("items.sku", &mut item.sku, 1, 50)?;
        if !(1..=10_000).contains(&item.quantity) {
            return Err(Error::bad_request("items.quantity", "must be 1 to 10000"));
        }
        if !(1..=1_000_000).contains(&item.weight_g) {
            return Err(Error::bad_request("items.weight_g", "must be 1 to 1000000 grams"));
        }
        if item.price > 10_000_000_000 {
            return Err(Error::bad_request("items.price", "must be at most 10000000000 kopecks"));
        }
    }
    let items_weight: u64 = r.items.iter().map(|i| u64::from(i.weight_g) * u64::from(i.quantity)).sum();
    if items_weight > u64::from(r.parcel.weight_g) {
        return Err(Error::bad_request(
            "parcel.weight_g",
            format!("is {} g, less than its items weigh ({items_weight} g)", r.parcel.weight_g),
        ));
    }
    text("comment", &mut r.comment, 0, MAX_COMMENT)?;
    Ok(r)
}

/// A courier call, read: its day among the next month's.
pub struct CourierCallChecked {
    pub request: CourierCallRequest,
    pub date: time::Date,
}

/// Minutes since midnight of `HH:MM`.
fn minutes(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| u32::from(c - b'0'));
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let (h, m) = (digit(0)? * 10 + digit(1)?, digit(3)? * 10 + digit(4)?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// How far ahead a courier may be called.
const COURIER_DAYS_AHEAD: i64 = 31;

pub fn courier_call(mut r: CourierCallRequest, today: time::Date) -> Result<CourierCallChecked, Error> {
    let date = pvz_shared::dates::parse_date(r.date.trim())
        .ok_or_else(|| Error::bad_request("date", "is not a date such as 2026-12-01"))?;
    if date < today || date > today + time::Duration::days(COURIER_DAYS_AHEAD) {
        return Err(Error::bad_request("date", format!("must be today or within {COURIER_DAYS_AHEAD} days")));
    }
    let from = minutes(&r.time_from).ok_or_else(|| Error::bad_request("time_from", "is not a time such as 10:00"))?;
    let to = minutes(&r.time_to).ok_or_else(|| Error::bad_request("time_to", "is not a time such as 18:00"))?;
    if to <= from {
        return Err(Error::bad_request("time_to", "must be later than time_from"));
    }
    if r.shipment_ids.is_empty() || r.shipment_ids.len() > 100 {
        return Err(Error::bad_request("shipment_ids", "must list 1 to 100 shipments"));
    }
    text("contact.name", &mut r.contact.name, 1, 255)?;
    text("contact.address", &mut r.contact.address, 1, 255)?;
    r.contact.phone = phone(&r.contact.phone)
        .ok_or_else(|| Error::bad_request("contact.phone", "is not a phone number such as +79123456789"))?;
    Ok(CourierCallChecked { request: r, date })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_phones_are_read_in_every_usual_spelling() {
        for raw in ["+7 912 345-67-89", "8 (912) 345-67-89", "79123456789", "9123456789"] {
            assert_eq!(phone(raw).as_deref(), Some("+79123456789"), "{raw}");
        }
        assert_eq!(phone("+375 29 123-45-67").as_deref(), Some("+375291234567"));
        for bad in ["", "12345", "phone", "+7 912 345 67 89 00 11 22", "8 912 345-67-8x", "+0123456789"] {
            assert_eq!(phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn courier_times_are_hours_and_minutes() {
        assert_eq!(minutes("09:30"), Some(570));
        for bad in ["9:30", "+1:00", "24:00", "10:60", "10-00", "10:000"] {
            assert_eq!(minutes(bad), None, "{bad}");
        }
    }

    #[test]
    fn emails_need_a_user_and_a_dotted_domain() {
        assert!(email("buyer@example.ru"));
        for bad in ["buyer", "@example.ru", "buyer@example", "a@b@c.ru", "a b@c.ru", "buyer@.ru"] {
            assert!(!email(bad), "{bad}");
        }
    }
}
