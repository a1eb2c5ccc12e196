//! Display width of text, for column widths: a CJK or full-width character
//! takes about two units of a Latin digit.

/// Whether `c` is drawn double-width in CJK fonts (East Asian Wide or
/// Fullwidth, plus the CJK punctuation Chinese text uses).
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2014..=0x2016 // — ‖: full width in Chinese fonts
        | 0x2018..=0x201D // ‘ ’ “ ”
        | 0x2026          // …
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Width of `s` in half-width units (a CJK character counts 2). Lines are
/// measured separately and the widest counts.
pub(crate) fn display_width(s: &str) -> usize {
    s.split('\n')
        .map(|line| line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("张三"), 4);
        assert_eq!(display_width("（一）"), 6);
        assert_eq!(display_width("2024年"), 6);
        assert_eq!(display_width("短\n较长的一行"), 10);
        assert_eq!(display_width(""), 0);
    }
}
