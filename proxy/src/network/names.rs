//! The names buyers and shops give cities, read as the city they mean: short and colloquial forms («Питер»,
//! «СПб», «Мск», «Екб»), English ones (`Saint Petersburg`, `Moscow`), and any Latin spelling of a Russian name
//! (`Moskva`, `Yekaterinburg`, `Nizhny Novgorod`), compared by one Latin key that both sides are folded into.

/// Short, colloquial and English names of cities, by the name the carriers write.
const ALIASES: &[(&str, &[&str])] = &[
    ("Москва", &["мск", "moscow", "msk"]),
    (
        "Санкт-Петербург",
        &["питер", "спб", "петербург", "санкт петербург", "saint petersburg", "st petersburg", "spb", "piter"],
    ),
    ("Екатеринбург", &["екб", "екат", "ekb"]),
    ("Нижний Новгород", &["нижний", "н новгород", "нн"]),
    ("Новосибирск", &["новосиб", "нск"]),
    ("Ростов-на-Дону", &["ростов", "rostov on don", "rostov"]),
    ("Набережные Челны", &["челны"]),
    ("Петропавловск-Камчатский", &["петропавловск камчатский", "петропавловск"]),
];

/// `name` in lower case with every run of other characters than letters as one space, `ё` as `е`.
fn words(name: &str) -> String {
    let lower: String = name.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect();
    lower.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The city an alias stands for; none for a text with digits (`MSK00004` is a point's code, not Moscow).
pub fn alias(name: &str) -> Option<&'static str> {
    if name.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let name = words(name);
    ALIASES.iter().find(|(_, aliases)| aliases.contains(&name.as_str())).map(|(city, _)| *city)
}

/// One Latin key for every spelling of a name: Cyrillic transliterated, then both alphabets folded where
/// transliterations differ (`y`, `j` and `ii` as `i`, `ie` as `e`, `kh` as `h`), letters only.
pub fn latin_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in words(name).chars() {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'ы' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' | ' ' => "",
            'ю' => "iu",
            'я' => "ia",
            'y' | 'j' => "i",
            c if c.is_ascii_lowercase() => {
                out.push(c);
                continue;
            }
            _ => continue,
        };
        out.push_str(latin);
    }
    let mut folded = out.replace("kh", "h").replace("ie", "e");
    while folded.contains("ii") {
        folded = folded.replace("ii", "i");
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colloquial_and_english_names_are_their_cities() {
        assert_eq!(alias("Питер"), Some("Санкт-Петербург"));
        assert_eq!(alias(" СПб "), Some("Санкт-Петербург"));
        assert_eq!(alias("St. Petersburg"), Some("Санкт-Петербург"));
        assert_eq!(alias("Moscow"), Some("Москва"));
        assert_eq!(alias("Абырвалг"), None);
        assert_eq!(alias("MSK00004"), None);
    }

    #[test]
    fn latin_spellings_meet_the_russian_name() {
        for (latin, russian) in [
            ("Moskva", "Москва"),
            ("Kazan", "Казань"),
            ("Yekaterinburg", "Екатеринбург"),
            ("Nizhny Novgorod", "Нижний Новгород"),
            ("Sankt-Peterburg", "Санкт-Петербург"),
            ("Khabarovsk", "Хабаровск"),
            ("Yaroslavl", "Ярославль"),
        ] {
            assert_eq!(latin_key(latin), latin_key(russian), "{latin}");
        }
        assert_ne!(latin_key("Kazan"), latin_key("Курган"));
    }
}
