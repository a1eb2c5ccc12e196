//! Pinyin keys for names and titles: `zhangsan` and `zs` both find 张三.
//!
//! Character readings come from the [`pinyin`] crate (MIT; data from pinyin-data, itself from
//! Unihan and 《汉语大字典》), which gives each character its most common reading. Text is
//! first normalised ([`crate::normalize()`]), so 張三 and 张三 give the same keys.
//!
//! Personal names get one more rule: many surnames are read differently from the character's
//! usual reading (单 *shàn*, not *dān*; 曾 *zēng*, 解 *xiè*, 仇 *qiú*, 区 *ōu*, 查 *zhā*,
//! 朴 *piáo*, 盖 *gě*, 缪 *miào*, 覃 *qín* …), and compound surnames (尉迟 *yùchí*, 万俟
//! *mòqí*, 长孙 *zhǎngsūn* …) read as a unit. [`name_pinyin`] reads the start of the name with
//! `data/surname_readings.tsv` (longest match first) and the rest character by character.
//! Titles and other text use [`text_pinyin`], without the surname rule.
//!
//! Keys are lower-case ASCII without tones; ü is written `v` (吕 → `lv`), as input methods
//! do. Latin letters and digits are kept (lower-cased) in both keys; other characters
//! (punctuation, spaces, the middle dot of minority names) are dropped.

use std::collections::HashMap;
use std::sync::LazyLock;

use ::pinyin::ToPinyin;

/// Surname readings compiled into the binary.
const SURNAMES_TSV: &str = include_str!("../data/surname_readings.tsv");

/// Surname → its syllables, one per character.
static SURNAMES: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    SURNAMES_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (surname, reading) = l.split_once('\t')?;
            Some((surname, reading.split_whitespace().collect()))
        })
        .collect()
});

/// The longest compound surname has two characters.
const MAX_SURNAME_CHARS: usize = 2;

/// Full pinyin and initials of a name or a title.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PinyinKeys {
    /// All syllables run together: `zhangsan`.
    pub full: String,
    /// The first letter of each syllable: `zs`.
    pub initials: String,
}

impl PinyinKeys {
    fn push_syllable(&mut self, syllable: &str) {
        for c in syllable.chars() {
            self.full.push(if c == 'ü' { 'v' } else { c });
        }
        if let Some(first) = syllable.chars().next() {
            self.initials.push(first);
        }
    }

    /// Adds one character that is not read through the surname table.
    fn push_char(&mut self, c: char) {
        if c.is_ascii_alphanumeric() {
            let c = c.to_ascii_lowercase();
            self.full.push(c);
            self.initials.push(c);
        } else if let Some(p) = c.to_pinyin() {
            self.push_syllable(p.plain());
        }
    }
}

/// Pinyin keys of a personal name, reading a leading surname with its surname reading.
///
/// ```
/// use xuncha_text::pinyin::name_pinyin;
/// let k = name_pinyin("单雄信");
/// assert_eq!((k.full.as_str(), k.initials.as_str()), ("shanxiongxin", "sxx"));
/// ```
pub fn name_pinyin(name: &str) -> PinyinKeys {
    let normalized = crate::normalize(&crate::name::normalize_name(name));
    let chars: Vec<char> = normalized.chars().collect();
    let mut keys = PinyinKeys::default();
    let mut rest = 0;
    for len in (1..=MAX_SURNAME_CHARS.min(chars.len())).rev() {
        let candidate: String = chars[..len].iter().collect();
        if let Some(syllables) = SURNAMES.get(candidate.as_str()) {
            syllables.iter().for_each(|s| keys.push_syllable(s));
            rest = len;
            break;
        }
    }
    chars[rest..].iter().for_each(|&c| keys.push_char(c));
    keys
}

/// Appends the key of one character to `out`: its usual reading (lower case, no tone, ü
/// written `v`), or the character lower-cased when it is a latin letter or a digit; nothing
/// for other characters. The text should be normalised first.
pub fn push_char_key(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c.to_ascii_lowercase());
    } else if let Some(p) = c.to_pinyin() {
        out.extend(p.plain().chars().map(|c| if c == 'ü' { 'v' } else { c }));
    }
}

/// When `chars` (a normalised name) starts with a surname of the surname table, the number of
/// its characters and its reading run together (`单雄信` → `(1, "shan")`, `尉迟恭` →
/// `(2, "yuchi")`); the longest match wins.
pub fn surname_reading(chars: &[char]) -> Option<(usize, String)> {
    (1..=MAX_SURNAME_CHARS.min(chars.len()))
        .rev()
        .find_map(|len| {
            let candidate: String = chars[..len].iter().collect();
            SURNAMES
                .get(candidate.as_str())
                .map(|syllables| (len, syllables.concat().replace('ü', "v")))
        })
}

/// Pinyin keys of a title or any other text (each character's usual reading).
pub fn text_pinyin(text: &str) -> PinyinKeys {
    let mut keys = PinyinKeys::default();
    crate::normalize(text)
        .chars()
        .for_each(|c| keys.push_char(c));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: PinyinKeys) -> (String, String) {
        (k.full, k.initials)
    }

    fn pair(full: &str, initials: &str) -> (String, String) {
        (full.to_owned(), initials.to_owned())
    }

    #[test]
    fn character_keys_and_surname_readings() {
        let mut k = String::new();
        for c in "吕A1，张".chars() {
            push_char_key(c, &mut k);
        }
        assert_eq!(k, "lva1zhang");
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(surname_reading(&chars("单雄信")), Some((1, "shan".into())));
        assert_eq!(surname_reading(&chars("尉迟恭")), Some((2, "yuchi".into())));
        assert_eq!(surname_reading(&chars("张三")), None);
    }

    #[test]
    fn plain_names() {
        assert_eq!(keys(name_pinyin("张三")), pair("zhangsan", "zs"));
        assert_eq!(keys(name_pinyin(" 張　三 ")), pair("zhangsan", "zs"));
        assert_eq!(keys(name_pinyin("吕布")), pair("lvbu", "lb"));
        assert_eq!(
            keys(name_pinyin("买买提·艾力")),
            pair("maimaitiaili", "mmtal")
        );
        assert_eq!(keys(name_pinyin("")), pair("", ""));
    }

    #[test]
    fn polyphonic_surnames_take_their_surname_reading() {
        let cases = [
            ("单雄信", "shanxiongxin", "sxx"),
            ("曾国藩", "zengguofan", "zgf"),
            ("解缙", "xiejin", "xj"),
            ("仇英", "qiuying", "qy"),
            ("区伟", "ouwei", "ow"),
            ("查良镛", "zhaliangyong", "zly"),
            ("朴正", "piaozheng", "pz"),
            ("盖聂", "genie", "gn"),
            ("缪斌", "miaobin", "mb"),
            ("覃军", "qinjun", "qj"),
            ("尉迟恭", "yuchigong", "ycg"),
            ("万俟卨", "moqixie", "mqx"),
            ("长孙无忌", "zhangsunwuji", "zswj"),
            ("單田芳", "shantianfang", "stf"),
        ];
        for (name, full, initials) in cases {
            assert_eq!(keys(name_pinyin(name)), pair(full, initials), "{name}");
        }
    }

    #[test]
    fn surname_rule_only_applies_to_names() {
        // As ordinary text, 单 and 长 take their usual readings.
        assert_eq!(text_pinyin("单位").full, "danwei");
        assert_eq!(
            keys(text_pinyin("巡察工作报告")),
            pair("xunchagongzuobaogao", "xcgzbg")
        );
        assert_eq!(
            keys(text_pinyin("2024年第3轮")),
            pair("2024niandi3lun", "2024nd3l")
        );
        assert_eq!(
            keys(text_pinyin("關於整改，OK!")),
            pair("guanyuzhenggaiok", "gyzgok")
        );
    }

    #[test]
    fn surname_table_is_well_formed() {
        for (surname, syllables) in SURNAMES.iter() {
            assert_eq!(surname.chars().count(), syllables.len(), "{surname}");
            assert!(surname.chars().count() <= MAX_SURNAME_CHARS);
            assert!(syllables
                .iter()
                .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())));
        }
    }
}
