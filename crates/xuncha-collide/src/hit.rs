//! Hits: what a rule found, keyed so a re-run can tell new from unchanged
//! and gone.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// The same citizen ID number on both sides.
    Strong,
    /// Name plus birth date or village, because a list lacks ID numbers.
    Weak,
}

impl Strength {
    /// `strong` or `weak`, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Weak => "weak",
        }
    }

    /// Reads what a rule returned; anything but `weak` is strong when the
    /// subject has an ID number, weak otherwise.
    pub fn parse(s: Option<&str>, has_id: bool) -> Strength {
        match s.map(str::trim) {
            Some("weak") => Strength::Weak,
            Some("strong") => Strength::Strong,
            _ if has_id => Strength::Strong,
            _ => Strength::Weak,
        }
    }
}

/// One hit of one rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hit {
    /// The rule's id.
    pub rule: String,
    /// The subject's ID number (the benefit recipient or the person the rule
    /// is about), when known.
    pub subject_id_number: Option<String>,
    /// The subject's name as written.
    pub subject_name: String,
    /// How sure the match is.
    pub strength: Strength,
    /// The matched rows (data set and row number) and why they matched, in
    /// Simplified Chinese.
    pub evidence: String,
    /// What the subject was matched with, independent of row numbers (e.g.
    /// `payroll:<ID number>`), so that a re-import of the same lists gives
    /// the same key.
    pub match_key: String,
    /// Where the subject lives as the list says (`乡镇/村`, or the village
    /// alone), so the hit can be attributed to a unit of the registry.
    /// Not part of the key.
    #[serde(default)]
    pub place: Option<String>,
}

impl Hit {
    /// The stable key: rule + subject + matched persons. Row numbers are left
    /// out on purpose, so a list re-imported in another order keeps its hits.
    pub fn key(&self) -> HitKey {
        let subject = self
            .subject_id_number
            .as_deref()
            .filter(|s| !s.is_empty())
            .map_or_else(
                || format!("n:{}", crate::values::match_key(&self.subject_name)),
                |id| format!("id:{id}"),
            );
        let mut h = Sha256::new();
        for part in [self.rule.as_str(), &subject, &self.match_key] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        HitKey(hex::encode(&h.finalize()[..16]))
    }
}

/// A hit's stable key (32 hex characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HitKey(pub String);

/// Hits of a re-run compared with the previous run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HitChanges {
    /// Keys found now and not before.
    pub new: Vec<HitKey>,
    /// Keys found both times.
    pub unchanged: Vec<HitKey>,
    /// Keys found before and not now.
    pub gone: Vec<HitKey>,
}

/// Compares the keys of a previous run with the hits of this one (pure;
/// the caller stores the previous keys). Each list comes back sorted.
pub fn compare_runs(previous: &[HitKey], current: &[Hit]) -> HitChanges {
    let before: BTreeSet<&HitKey> = previous.iter().collect();
    let now: BTreeSet<HitKey> = current.iter().map(Hit::key).collect();
    HitChanges {
        new: now
            .iter()
            .filter(|k| !before.contains(k))
            .cloned()
            .collect(),
        unchanged: now.iter().filter(|k| before.contains(k)).cloned().collect(),
        gone: before
            .into_iter()
            .filter(|k| !now.contains(*k))
            .cloned()
            .collect(),
    }
}

/// Merges hits with the same key (the same person matched through several
/// rows, e.g. twelve monthly payments): one hit, the evidence of each row
/// kept once, the strongest strength. Sorted by rule, then subject.
pub fn merge_hits(hits: Vec<Hit>) -> Vec<Hit> {
    let mut by_key: BTreeMap<HitKey, Hit> = BTreeMap::new();
    for h in hits {
        match by_key.entry(h.key()) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(h);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let kept = o.get_mut();
                if !kept.evidence.split(" | ").any(|e| e == h.evidence) {
                    kept.evidence.push_str(" | ");
                    kept.evidence.push_str(&h.evidence);
                }
                kept.strength = kept.strength.min(h.strength);
                if kept.place.is_none() {
                    kept.place = h.place;
                }
            }
        }
    }
    let mut out: Vec<Hit> = by_key.into_values().collect();
    out.sort_by(|a, b| {
        (&a.rule, &a.subject_id_number, &a.subject_name, &a.evidence).cmp(&(
            &b.rule,
            &b.subject_id_number,
            &b.subject_name,
            &b.evidence,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(rule: &str, id: Option<&str>, name: &str, evidence: &str, m: &str) -> Hit {
        Hit {
            rule: rule.into(),
            subject_id_number: id.map(Into::into),
            subject_name: name.into(),
            strength: Strength::Strong,
            evidence: evidence.into(),
            match_key: m.into(),
            place: None,
        }
    }

    #[test]
    fn key_ignores_row_numbers_and_names_subject_by_id() {
        let a = hit("r", Some("1"), "张三", "低保第2行", "payroll:9");
        let b = hit("r", Some("1"), "張三", "低保第7行", "payroll:9");
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), hit("r2", Some("1"), "张三", "", "payroll:9").key());
        assert_ne!(a.key(), hit("r", Some("1"), "张三", "", "payroll:8").key());
        // Without an ID number the normalised name stands for the subject.
        let c = hit("r", None, "張 三", "", "m");
        assert_eq!(c.key(), hit("r", None, "张三", "x", "m").key());
    }

    #[test]
    fn rerun_marks_new_unchanged_gone() {
        let first = [
            hit("r", Some("1"), "甲", "", "a"),
            hit("r", Some("2"), "乙", "", "b"),
        ];
        let keys: Vec<HitKey> = first.iter().map(Hit::key).collect();
        let second = [
            hit("r", Some("2"), "乙", "moved row", "b"),
            hit("r", Some("3"), "丙", "", "c"),
        ];
        let c = compare_runs(&keys, &second);
        assert_eq!(c.new, vec![second[1].key()]);
        assert_eq!(c.unchanged, vec![second[0].key()]);
        assert_eq!(c.gone, vec![first[0].key()]);
    }

    #[test]
    fn merging_keeps_each_row_once_and_the_strongest_match() {
        let mut w = hit("r", Some("1"), "甲", "第3行", "a");
        w.strength = Strength::Weak;
        let merged = merge_hits(vec![
            w,
            hit("r", Some("1"), "甲", "第2行", "a"),
            hit("r", Some("1"), "甲", "第2行", "a"),
        ]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].evidence, "第3行 | 第2行");
        assert_eq!(merged[0].strength, Strength::Strong);
    }
}
