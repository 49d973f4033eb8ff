//! Time zones for carriers whose points carry none: a point's zone is worked out from its country and where
//! it is, so that "open now" is answered in the point's own time.

use pvz_shared::TimeZone;

/// The zone of a place from its country (ISO 3166-1 alpha-2) and longitude: Russia's bands, its
/// neighbours' one zone each, and elsewhere the nearest whole hour of the sun.
pub fn of(country: &str, lon: f64, region: &str) -> TimeZone {
    let hours: i16 = match country {
        "RU" | "" => return russia(lon, region),
        "BY" | "TR" => 3,
        "AM" | "GE" | "AZ" | "AE" => 4,
        "KZ" | "UZ" | "TJ" => 5,
        "KG" => 6,
        "CN" | "MN" => 8,
        _ => (lon / 15.0).round().clamp(-12.0, 14.0) as i16,
    };
    TimeZone { name: format!("UTC{hours:+}"), utc_offset_minutes: hours * 60 }
}

/// The zone of a place in Russia from its longitude, in the country's zone bands, with the regions west of
/// the Volga band that keep UTC+4.
pub fn russia(lon: f64, region: &str) -> TimeZone {
    const PLUS_FOUR: [&str; 5] = ["Саратовская", "Астраханская", "Ульяновская", "Самарская", "Удмуртская"];
    let hours: i16 = if PLUS_FOUR.iter().any(|r| region.contains(r)) {
        4
    } else {
        match lon {
            l if l < 22.0 => 2,
            l if l < 49.5 => 3,
            l if l < 55.0 => 4,
            l if l < 69.0 => 5,
            l if l < 80.0 => 6,
            l if l < 100.0 => 7,
            l if l < 112.0 => 8,
            l if l < 130.5 => 9,
            l if l < 140.0 => 10,
            l if l < 155.0 => 11,
            _ => 12,
        }
    };
    TimeZone { name: format!("UTC+{hours}"), utc_offset_minutes: hours * 60 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_follow_the_longitude_bands() {
        let offset = |lon, region| russia(lon, region).utc_offset_minutes / 60;
        assert_eq!(offset(20.5, "Калининградская область"), 2);
        assert_eq!(offset(49.1, "Республика Татарстан"), 3);
        assert_eq!(offset(46.0, "Саратовская область"), 4);
        assert_eq!(offset(60.6, "Свердловская область"), 5);
        assert_eq!(offset(82.9, "Новосибирская область"), 7);
        assert_eq!(offset(131.9, "Приморский край"), 10);
    }

    #[test]
    fn neighbours_have_their_own_zone_whatever_the_longitude() {
        assert_eq!(of("KZ", 51.4, "Атырауская").utc_offset_minutes, 5 * 60, "one zone for Kazakhstan since 2024");
        assert_eq!(of("BY", 27.6, "").utc_offset_minutes, 3 * 60);
        assert_eq!(of("AM", 44.5, "").utc_offset_minutes, 4 * 60);
        assert_eq!(of("RU", 37.6, "Москва").utc_offset_minutes, 3 * 60);
        assert_eq!(of("DE", 13.4, "").utc_offset_minutes, 60);
    }
}
