//! Words as the search box reads them, the way Russian shop search does: lower case with `е` for `ё`, street
//! and area kinds in one full form whichever way an address or a buyer writes them («ул.», «пр-т», «б-р»,
//! «мкр»), and a query typed with the Latin keyboard layout read as the Russian one it was meant in
//! (`Vjcrdf` is «Москва»).

/// Street and area kinds: the full form, then the short forms written in addresses. A name beside one kind
/// is not a name beside another: «Тверская обл.» is not «ул. Тверская».
const STREET_KINDS: &[(&str, &[&str])] = &[
    ("улица", &["ул"]),
    ("проспект", &["пр", "просп", "пр-т", "пр-кт", "прт", "пркт"]),
    ("переулок", &["пер"]),
    ("бульвар", &["б-р", "бул", "бульв"]),
    ("площадь", &["пл"]),
    ("шоссе", &["ш"]),
    ("набережная", &["наб"]),
    ("проезд", &["пр-д", "прд"]),
    ("тупик", &["туп"]),
    ("микрорайон", &["мкр", "мкрн", "мкр-н", "микр"]),
    ("область", &["обл"]),
    ("район", &["р-н", "рн"]),
];

/// Kinds that say what a name is without ruling out a street of that name: a metro station, a city.
const OTHER_KINDS: &[(&str, &[&str])] = &[("метро", &["м"]), ("станция", &["ст"]), ("город", &["г"])];

/// A kind word typed in a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    /// What a place's word begins with when it is this kind: the typed form when the full one begins with it
    /// («ул» of «улица»), otherwise the full form («пр-т» is «проспект»).
    pub needle: String,
}

/// The word's kind, by its full form or any short one: `(full form, a street kind)`.
fn kind_of(word: &str) -> Option<(&'static str, bool)> {
    let find = |table: &'static [(&'static str, &'static [&'static str])]| {
        table.iter().find(|(full, short)| *full == word || short.contains(&word)).map(|(full, _)| *full)
    };
    find(STREET_KINDS).map(|full| (full, true)).or_else(|| find(OTHER_KINDS).map(|full| (full, false)))
}

/// The full form of a typed kind (a street's, an area's, a city's), full or short: «ул» is «улица».
pub fn kind(word: &str) -> Option<&'static str> {
    kind_of(word).map(|(full, _)| full)
}

/// Whether a place's word (in full form) is a street or area kind.
pub fn is_street_kind(word: &str) -> bool {
    STREET_KINDS.iter().any(|(full, _)| *full == word)
}

/// The short forms written with a hyphen, kept as one word: every other hyphen separates words.
fn hyphenated(token: &str) -> bool {
    STREET_KINDS.iter().any(|(_, short)| short.contains(&token))
}

/// `text`'s words: lower case, `ё` as `е`, split at every character other than a letter or a digit (a hyphen
/// too, unless it is inside a short kind such as «пр-т»).
pub fn split(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|token| token.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect())
        .flat_map(|token: String| {
            let parts: Vec<String> =
                if hyphenated(&token) { vec![token] } else { token.split('-').map(str::to_string).collect() };
            parts.into_iter().filter(|w| !w.is_empty())
        })
}

/// `text`'s words, each after a space so that `" " + word` finds a word's beginning: `" москва ул"`.
pub fn normalise(text: &str) -> String {
    split(text).fold(String::with_capacity(text.len() + 1), |mut out, word| {
        out.push(' ');
        out.push_str(&word);
        out
    })
}

/// A place's text as the search keeps it: like [`normalise`], with every kind in its full form.
pub fn place_text(text: &str) -> String {
    split(text).fold(String::with_capacity(text.len() + 8), |mut out, word| {
        out.push(' ');
        out.push_str(kind_of(&word).map_or(word.as_str(), |(full, _)| full));
        out
    })
}

/// A query word: a name the place must have, or a kind that only ranks and rules out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    Name(String),
    Kind(Kind),
}

/// `word` as a query reads it.
pub fn read(word: String) -> Word {
    match kind_of(&word) {
        Some((full, _)) => Word::Kind(Kind { needle: if full.starts_with(&word) { word } else { full.to_string() } }),
        None => Word::Name(word),
    }
}

/// Whether `text` has a Russian letter.
pub fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

/// `text` as if typed with the Russian keyboard layout on the keys it was typed on; `None` when it has no
/// Latin letter to change.
pub fn russian_layout(text: &str) -> Option<String> {
    const LATIN: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
    const RUSSIAN: &str = "йцукенгшщзхъфывапролджэячсмитьбюё";
    if !text.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let swapped = text
        .chars()
        .map(|c| {
            let lower = c.to_ascii_lowercase();
            LATIN.chars().position(|l| l == lower).and_then(|i| RUSSIAN.chars().nth(i)).unwrap_or(c)
        })
        .collect();
    Some(swapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_keeps_words_lower_case_with_e_for_yo() {
        assert_eq!(normalise("  Москва, ул. Щёлковская, д. 12/1 "), " москва ул щелковская д 12 1");
        assert_eq!(normalise("demo-express:10100034"), " demo express 10100034");
        assert_eq!(normalise("Китай-город"), " китай город");
        assert_eq!(normalise(" ,.; "), "");
    }

    #[test]
    fn places_keep_every_kind_in_full() {
        assert_eq!(place_text("101005, г. Москва, пр-т Победы, д. 121"), " 101005 город москва проспект победы д 121");
        assert_eq!(place_text("Тверская обл., б-р Цанова, мкр. 5"), " тверская область бульвар цанова микрорайон 5");
        assert_eq!(place_text("м. Площадь Тукая"), " метро площадь тукая");
    }

    #[test]
    fn a_query_reads_kinds_apart_from_names() {
        let kind = |needle: &str| Word::Kind(Kind { needle: needle.into() });
        let read_all = |text: &str| split(text).map(read).collect::<Vec<_>>();
        assert_eq!(read_all("Тверская улица"), [Word::Name("тверская".into()), kind("улица")]);
        assert_eq!(read_all("ул. Тверская"), [kind("ул"), Word::Name("тверская".into())]);
        assert_eq!(read_all("пр-т Победы"), [kind("проспект"), Word::Name("победы".into())]);
        assert!(is_street_kind("область"));
        assert!(!is_street_kind("метро"));
    }

    #[test]
    fn the_latin_layout_is_read_as_the_russian_one() {
        assert_eq!(russian_layout("Vjcrdf").as_deref(), Some("москва"));
        assert_eq!(russian_layout("rfpfym").as_deref(), Some("казань"));
        assert_eq!(russian_layout("ghjcgtrn Gj,tls").as_deref(), Some("проспект победы"));
        assert_eq!(russian_layout("420000"), None);
    }
}
