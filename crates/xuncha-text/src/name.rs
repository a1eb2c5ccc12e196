//! Personal names as written in Chinese records.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The common surnames compiled into the binary (see `data/SOURCES.md`).
const COMMON_SURNAMES: &str = include_str!("../data/common_surnames.txt");

static SURNAME_SET: LazyLock<HashSet<char>> = LazyLock::new(|| {
    COMMON_SURNAMES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .filter_map(|w| w.chars().next())
        .collect()
});

/// Whether `c` is one of the common single-character surnames (`data/common_surnames.txt`):
/// a hint that a name may start here, used to find names in running text.
pub fn is_common_surname(c: char) -> bool {
    SURNAME_SET.contains(&c)
}

/// Normalises a person's name for matching: strips all whitespace (including
/// full-width and the middle dot variants used for minority names are unified
/// to `·`). The stored original is never changed; this is a matching key.
pub fn normalize_name(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200b}' && *c != '\u{feff}')
        .map(|c| match c {
            '•' | '・' | '．' | '.' | '‧' | '∙' | '⋅' => '·',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_surnames() {
        for c in ['王', '李', '张', '欧', '覃'] {
            assert!(is_common_surname(c), "{c}");
        }
        for c in ['的', '是', '村', 'a'] {
            assert!(!is_common_surname(c), "{c}");
        }
        assert!(SURNAME_SET.len() >= 100);
    }

    #[test]
    fn strips_spaces_and_unifies_dots() {
        assert_eq!(normalize_name(" 张　三 "), "张三");
        assert_eq!(normalize_name("买买提•艾力"), "买买提·艾力");
    }
}
