//! Pinyin keys of titles, expanded at index time so that a latin query matches by exact term.
//!
//! A title is read as a sequence of syllable units (`张三` → `zhang`, `san`; a run of latin
//! letters or digits is one unit). Each unit may be typed as its first letter, its initial
//! consonant when that is `zh`/`ch`/`sh`, or in full, and the index holds every combination of
//! those choices: `zs`, `zhs`, `zhangs`, `zsan`, `zhangsan`, … (at most 3ⁿ). To keep the set
//! bounded, combinations are made for the leading `1..=4` units only (so typing the start of a
//! title works: `zh`, `zhang`, `zhangs`), and a title of more than four units also gets its
//! whole full pinyin and whole initials. That is at most 3 + 9 + 27 + 81 + 2 = 122 terms a
//! title. Only names are typed that way — of persons and of units — so other titles get their
//! whole full pinyin and initials only; the personal names inside any text get [`name_keys`]
//! through the analyzer.

use std::collections::BTreeSet;

use xuncha_text::pinyin::{push_char_key, surname_reading};

/// How many leading syllable units get the combinatorial expansion.
const MAX_COMBO_UNITS: usize = 4;

/// The syllable units of `title` (`name` reads a leading surname with its surname reading).
pub fn syllables(title: &str, is_person_name: bool) -> Vec<String> {
    let normalized = xuncha_text::normalize(title);
    let chars: Vec<char> = normalized.chars().collect();
    let mut units: Vec<String> = chars
        .iter()
        .map(|&c| {
            let mut key = String::new();
            push_char_key(c, &mut key);
            key
        })
        .collect();
    if is_person_name {
        if let Some((k, read)) = surname_reading(&chars) {
            if units[..k].concat() != read {
                units[0] = read;
                for u in units.iter_mut().take(k).skip(1) {
                    u.clear();
                }
            }
        }
    }
    // Merge runs of single latin letters/digits into one unit.
    let mut out: Vec<String> = Vec::new();
    let mut prev_ascii = false;
    for (c, u) in chars.iter().zip(units) {
        if u.is_empty() {
            prev_ascii = false;
            continue;
        }
        let ascii = c.is_ascii_alphanumeric();
        match out.last_mut() {
            Some(last) if ascii && prev_ascii => last.push_str(&u),
            _ => out.push(u),
        }
        prev_ascii = ascii;
    }
    out
}

fn choices(unit: &str) -> Vec<&str> {
    let mut v = Vec::with_capacity(3);
    if let Some(first) = unit.get(..1) {
        v.push(first);
    }
    if ["zh", "ch", "sh"].iter().any(|p| unit.starts_with(p)) && unit.len() > 2 {
        v.push(&unit[..2]);
    }
    if unit.len() > 1 {
        v.push(unit);
    }
    v
}

/// The pinyin terms to index for a title (see the module documentation). Only names (of
/// persons, of units) are typed by their start, so other titles get the whole full pinyin and
/// whole initials only (`expand` false); names inside them are found by the analyzer.
pub fn pinyin_terms(title: &str, is_person_name: bool, expand: bool) -> BTreeSet<String> {
    let units = syllables(title, is_person_name);
    let mut terms = BTreeSet::new();
    if units.is_empty() {
        return terms;
    }
    if !expand {
        terms.insert(units.concat());
        terms.insert(units.iter().filter_map(|u| u.get(..1)).collect());
        return terms;
    }
    let mut prefixes: Vec<String> = vec![String::new()];
    for unit in units.iter().take(MAX_COMBO_UNITS) {
        let mut next = Vec::with_capacity(prefixes.len() * 3);
        for p in &prefixes {
            for c in choices(unit) {
                next.push(format!("{p}{c}"));
            }
        }
        terms.extend(next.iter().cloned());
        prefixes = next;
    }
    terms.insert(units.concat());
    terms.insert(units.iter().filter_map(|u| u.get(..1)).collect());
    terms
}

/// The pinyin keys indexed for a personal name found inside a text (see the analyzer): full
/// pinyin, initials, and initials with `zh`/`ch`/`sh` when the name has such a syllable
/// (`张建国` → `zhangjianguo`, `zjg`, `zhjg`). Fewer keys than a title gets, since a text may
/// name several people.
pub fn name_keys(name: &str) -> Vec<String> {
    let units = syllables(name, true);
    if units.len() < 2 {
        return Vec::new();
    }
    let mut keys = vec![
        units.concat(),
        units.iter().filter_map(|u| u.get(..1)).collect::<String>(),
    ];
    let two: String = units
        .iter()
        .map(|u| match u.get(..2) {
            Some(p @ ("zh" | "ch" | "sh")) => p,
            _ => u.get(..1).unwrap_or_default(),
        })
        .collect();
    if !keys.contains(&two) {
        keys.push(two);
    }
    keys
}

/// The pinyin term a query stands for, if it is one: letters (and digits) only, spaces and
/// apostrophes ignored, lower-cased; `None` for anything else or fewer than two characters.
pub fn query_term(query: &str) -> Option<String> {
    let q: String = xuncha_text::normalize(query)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let ok = q.len() >= 2
        && q.chars().all(|c| c.is_ascii_alphanumeric())
        && q.chars().any(|c| c.is_ascii_alphabetic());
    ok.then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zhang_san_expands_to_typed_forms() {
        let t = pinyin_terms("张三", true, true);
        for q in [
            "zs", "zhs", "zhangsan", "zhangs", "zsan", "zh", "zhang", "z",
        ] {
            assert!(t.contains(q), "{q} not in {t:?}");
        }
        assert!(!t.contains("zhan"));
    }

    #[test]
    fn surname_reading_is_used_for_persons() {
        assert_eq!(syllables("单雄信", true), ["shan", "xiong", "xin"]);
        assert!(pinyin_terms("单雄信", true, true).contains("sxx"));
    }

    #[test]
    fn long_titles_are_bounded() {
        let t = pinyin_terms("某某县人民政府办公室", false, true);
        assert!(t.len() <= 122, "{}", t.len());
        assert!(t.contains("mmxrmzfbgs"));
        let whole = pinyin_terms("反映石桥村低保评定问题", false, false);
        assert_eq!(whole.len(), 2, "{whole:?}");
        assert!(whole.contains("fysqcdbpdwt"));
    }

    #[test]
    fn name_keys_are_full_initials_and_zh_initials() {
        assert_eq!(name_keys("张建国"), ["zhangjianguo", "zjg", "zhjg"]);
        assert_eq!(name_keys("李明"), ["liming", "lm"]);
        assert_eq!(name_keys("单雄信"), ["shanxiongxin", "sxx", "shxx"]);
        assert!(name_keys("王").is_empty());
    }

    #[test]
    fn query_terms() {
        assert_eq!(query_term("Zhang San").as_deref(), Some("zhangsan"));
        assert_eq!(query_term("张三"), None);
        assert_eq!(query_term("z"), None);
        assert_eq!(query_term("123"), None);
    }
}
