//! Personal names as written in Chinese records.

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
    fn strips_spaces_and_unifies_dots() {
        assert_eq!(normalize_name(" 张　三 "), "张三");
        assert_eq!(normalize_name("买买提•艾力"), "买买提·艾力");
    }
}
