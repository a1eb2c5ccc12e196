//! Keys for linking the same person across records (registers, welfare rolls, petitions).
//!
//! A citizen ID number identifies a person; everything else only suggests. [`person_key`]
//! therefore gives a **strong** key when the record carries a valid ID number (15-digit numbers
//! are upgraded to 18 first, so both forms give the same key), and otherwise a **weak** key from
//! the normalised name plus the birth date, or the name plus the work unit. Weak keys collide
//! for namesakes (two 张伟 born the same day, or in the same large unit): use them to *suggest*
//! links for a person to confirm, never to merge records on their own. A key from the name
//! alone is marked [`KeyStrength::NameOnly`] and should only ever feed a search.
//!
//! Names go through [`crate::name::normalize_name`] and [`crate::normalize()`] (張三 = 张三,
//! spaces and dot variants removed); units through [`crate::normalize()`] with punctuation and
//! spaces dropped and ASCII lower-cased; dates are read in the common written forms
//! (`1980-02-29`, `19800229`, `1980/2/29`, `1980.02.29`, `1980年2月29日`, full-width digits)
//! and must be real calendar dates.

use std::fmt;

use crate::id_number::IdNumber;

/// How far a [`PersonKey`] can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyStrength {
    /// Nothing usable: no valid ID number and no name.
    None,
    /// The name alone: for search only, never for linking.
    NameOnly,
    /// Name plus birth date, or name plus unit: a suggestion to confirm.
    Weak,
    /// A valid citizen ID number: the same person.
    Strong,
}

/// A matching key for one person record; equal keys of the same strength mean "same person"
/// (strong) or "possibly the same person" (weak).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonKey {
    strength: KeyStrength,
    key: String,
}

impl PersonKey {
    /// How far the key can be trusted.
    pub fn strength(&self) -> KeyStrength {
        self.strength
    }

    /// The key: `id:<18 characters>`, `nb:<name>|<YYYY-MM-DD>`, `nu:<name>|<unit>`,
    /// `n:<name>`, or empty for [`KeyStrength::None`].
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// Whether the key is strong enough to link records without a person confirming.
    pub fn is_strong(&self) -> bool {
        self.strength == KeyStrength::Strong
    }
}

impl fmt::Display for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

/// The linking key of a person record (see the module documentation for the rules). When the
/// ID number is valid it decides alone; an invalid one is ignored, as if absent.
pub fn person_key(
    name: &str,
    id_number: Option<&str>,
    birth_date: Option<&str>,
    unit: Option<&str>,
) -> PersonKey {
    if let Some(id) = id_number.and_then(|raw| IdNumber::parse(raw).ok()) {
        return PersonKey {
            strength: KeyStrength::Strong,
            key: format!("id:{id}"),
        };
    }
    let name = crate::normalize(&crate::name::normalize_name(name));
    if name.is_empty() {
        return PersonKey {
            strength: KeyStrength::None,
            key: String::new(),
        };
    }
    if let Some(date) = birth_date.and_then(parse_date) {
        return PersonKey {
            strength: KeyStrength::Weak,
            key: format!("nb:{name}|{date}"),
        };
    }
    if let Some(unit) = unit.map(normalize_unit).filter(|u| !u.is_empty()) {
        return PersonKey {
            strength: KeyStrength::Weak,
            key: format!("nu:{name}|{unit}"),
        };
    }
    PersonKey {
        strength: KeyStrength::NameOnly,
        key: format!("n:{name}"),
    }
}

/// A unit name for matching: normalised, letters and digits only, ASCII lower-cased.
fn normalize_unit(unit: &str) -> String {
    crate::normalize(unit)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Reads a written date as `YYYY-MM-DD`, or `None` when it is not a real date (1850–2100).
pub fn parse_date(raw: &str) -> Option<String> {
    let text = crate::normalize(raw);
    let text = text.trim();
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    let all_digits = text.chars().all(|c| c.is_ascii_digit());
    let (y, m, d) = if all_digits && digits.len() == 8 {
        let n = |r: std::ops::Range<usize>| digits[r].iter().fold(0, |acc, d| acc * 10 + d);
        (n(0..4), n(4..6), n(6..8))
    } else {
        let parts: Vec<u32> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let seps_ok = text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | ' '));
        match (parts.as_slice(), seps_ok) {
            ([y, m, d], true) => (*y, *m, *d),
            _ => return None,
        }
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1850..=2100).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_id_numbers_give_strong_keys_and_fifteen_digits_upgrade() {
        let a = person_key("张三", Some("11010519491231002X"), None, None);
        let b = person_key(
            "張 三",
            Some("110105491231002"),
            Some("1990-01-01"),
            Some("某单位"),
        );
        assert_eq!(a.strength(), KeyStrength::Strong);
        assert!(a.is_strong());
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "id:11010519491231002X");
        assert_eq!(a.to_string(), a.as_str());
    }

    #[test]
    fn weak_keys_from_name_and_birth_date_or_unit() {
        let a = person_key(
            "張三",
            Some("110105194912310021"),
            Some("1949年12月31日"),
            None,
        );
        let b = person_key("张　三", None, Some("19491231"), Some("城关镇"));
        assert_eq!(a.strength(), KeyStrength::Weak);
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "nb:张三|1949-12-31");

        let c = person_key("李四", None, Some("not a date"), Some("城关镇 人民政府"));
        let d = person_key("李四", None, None, Some("城關鎮人民政府"));
        assert_eq!(c.strength(), KeyStrength::Weak);
        assert_eq!(c, d);
        assert_eq!(c.as_str(), "nu:李四|城关镇人民政府");
    }

    #[test]
    fn name_only_and_nothing() {
        let k = person_key("王五", None, None, Some(" ，"));
        assert_eq!(
            (k.strength(), k.as_str()),
            (KeyStrength::NameOnly, "n:王五")
        );
        let k = person_key(" ", Some("123"), Some("2000-01-01"), Some("x"));
        assert_eq!((k.strength(), k.as_str()), (KeyStrength::None, ""));
        assert!(
            KeyStrength::Strong > KeyStrength::Weak && KeyStrength::Weak > KeyStrength::NameOnly
        );
    }

    #[test]
    fn dates_in_written_forms() {
        let ok = [
            ("1980-02-29", "1980-02-29"),
            ("19800229", "1980-02-29"),
            ("1980/2/29", "1980-02-29"),
            ("1980.02.29", "1980-02-29"),
            ("1980年2月29日", "1980-02-29"),
            ("１９８０－０２－２９", "1980-02-29"),
            (" 2000-1-1 ", "2000-01-01"),
        ];
        for (raw, want) in ok {
            assert_eq!(parse_date(raw).as_deref(), Some(want), "{raw}");
        }
        for raw in [
            "1981-02-29",
            "1980-13-01",
            "1800-01-01",
            "1980-02",
            "abc",
            "",
            "1980-02-29x",
        ] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }
}
