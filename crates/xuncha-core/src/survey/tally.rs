//! Tabulation: counts per option of every item (per subject for rating
//! items), valid and invalid votes, scores by the survey's scheme, each
//! subject's weighted overall score, and the text answers.
//!
//! A sheet with rating items but not one valid vote among them (all blank
//! or 不了解) is invalid (废票) and counts nowhere but in the sheet totals.

use serde::Serialize;

use super::form::{QuestionKind, Scheme, SurveyForm};

/// The counts of one item (a question, for one subject when rated).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    /// The question (0-based).
    pub question: usize,
    /// The subject, for rating items.
    pub subject: Option<usize>,
    /// Votes per option.
    pub counts: Vec<u64>,
    /// Votes that count (not blank, not an invalid option).
    pub valid: u64,
    /// Answers with an invalid option (不了解).
    pub invalid: u64,
    /// Sheets that left it blank (or did not see it).
    pub blank: u64,
    /// The score by the scheme (rating items with valid votes).
    pub score: Option<f64>,
}

impl ItemResult {
    /// The share of the valid votes for an option, percent.
    pub fn share(&self, option: usize) -> f64 {
        if self.valid == 0 {
            0.0
        } else {
            self.counts.get(option).copied().unwrap_or(0) as f64 * 100.0 / self.valid as f64
        }
    }
}

/// The results of a survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Sheets returned.
    pub sheets: u64,
    /// Valid sheets.
    pub valid_sheets: u64,
    /// Invalid sheets (废票).
    pub invalid_sheets: u64,
    /// Every item, in question order (rating items subject by subject).
    pub items: Vec<ItemResult>,
    /// Each subject's weighted overall score over its rating items.
    pub subjects: Vec<Option<f64>>,
    /// Text answers per question.
    pub texts: Vec<(usize, Vec<String>)>,
}

/// The score of counts over the valid options, by the scheme.
pub fn score(scheme: &Scheme, valid_counts: &[u64]) -> Option<f64> {
    let valid: u64 = valid_counts.iter().sum();
    if valid == 0 {
        return None;
    }
    let v = valid as f64;
    let weighted = |values: &[f64]| {
        valid_counts
            .iter()
            .zip(values)
            .map(|(c, x)| *c as f64 * x)
            .sum::<f64>()
            / v
    };
    Some(match scheme {
        Scheme::Share { top } => valid_counts.iter().take(*top).sum::<u64>() as f64 * 100.0 / v,
        Scheme::Coefficients { values } => weighted(values) * 100.0,
        Scheme::Points { values } => weighted(values),
    })
}

/// Tabulates sheets given as (choices, texts) pairs.
pub fn tabulate<'a, I>(form: &SurveyForm, sheets: I) -> Results
where
    I: IntoIterator<Item = (&'a str, &'a [(usize, String)])>,
{
    let (starts, len) = form.layout();
    // Slots that belong to rating items decide a sheet's validity.
    let mut rate_slot = vec![false; len];
    for (qi, q) in form.questions.iter().enumerate() {
        if q.kind == QuestionKind::Rate {
            for s in 0..form.subjects.len() {
                rate_slot[starts[qi] + s] = true;
            }
        }
    }
    let valid_scale: Vec<bool> = form
        .scale
        .iter()
        .map(|o| !form.invalid.contains(o))
        .collect();
    let has_rates = rate_slot.iter().any(|r| *r);
    // (question, first slot, options) of multiple choices: a sheet answered
    // one when it ticked anything.
    let multis: Vec<(usize, usize, usize)> = form
        .questions
        .iter()
        .enumerate()
        .filter_map(|(qi, q)| match &q.kind {
            QuestionKind::Multi { options } => Some((qi, starts[qi], options.len())),
            _ => None,
        })
        .collect();
    let mut multi_answered = vec![0u64; form.questions.len()];
    // counts[slot * 27 + code]: code 0 is blank, 1 + n option n (or '1' ticked).
    let mut counts = vec![0u64; len * 27];
    let mut texts: Vec<(usize, Vec<String>)> = Vec::new();
    let (mut sheets_n, mut valid_n) = (0u64, 0u64);
    for (choices, sheet_texts) in sheets {
        sheets_n += 1;
        let bytes = choices.as_bytes();
        if bytes.len() != len {
            continue;
        }
        if has_rates {
            let any_valid = bytes.iter().enumerate().any(|(i, b)| {
                rate_slot[i]
                    && b.is_ascii_lowercase()
                    && valid_scale
                        .get((b - b'a') as usize)
                        .copied()
                        .unwrap_or(false)
            });
            if !any_valid {
                continue;
            }
        }
        valid_n += 1;
        for (i, b) in bytes.iter().enumerate() {
            let code = match b {
                b'a'..=b'z' => 1 + (b - b'a') as usize,
                b'1' => 1,
                _ => 0,
            };
            counts[i * 27 + code] += 1;
        }
        for (qi, start, n) in &multis {
            if bytes[*start..start + n].contains(&b'1') {
                multi_answered[*qi] += 1;
            }
        }
        for (q, text) in sheet_texts {
            match texts.iter_mut().find(|(tq, _)| tq == q) {
                Some((_, v)) => v.push(text.clone()),
                None => texts.push((*q, vec![text.clone()])),
            }
        }
    }
    texts.sort_by_key(|(q, _)| *q);
    let mut items = Vec::new();
    let mut subject_sums = vec![(0.0f64, 0.0f64); form.subjects.len()];
    for (qi, q) in form.questions.iter().enumerate() {
        let start = starts[qi];
        let slot = |i: usize| &counts[i * 27..i * 27 + 27];
        match &q.kind {
            QuestionKind::Rate => {
                for (si, sums) in subject_sums.iter_mut().enumerate() {
                    let c = slot(start + si);
                    let per: Vec<u64> = (0..form.scale.len()).map(|o| c[1 + o]).collect();
                    let valid_counts: Vec<u64> = per
                        .iter()
                        .zip(&valid_scale)
                        .filter(|(_, ok)| **ok)
                        .map(|(n, _)| *n)
                        .collect();
                    let valid: u64 = valid_counts.iter().sum();
                    let answered: u64 = per.iter().sum();
                    let sc = score(&form.scheme, &valid_counts);
                    if let Some(x) = sc {
                        sums.0 += x * q.weight;
                        sums.1 += q.weight;
                    }
                    items.push(ItemResult {
                        question: qi,
                        subject: Some(si),
                        counts: per,
                        valid,
                        invalid: answered - valid,
                        blank: valid_n - answered,
                        score: sc,
                    });
                }
            }
            QuestionKind::Single { options } => {
                let c = slot(start);
                let per: Vec<u64> = (0..options.len()).map(|o| c[1 + o]).collect();
                let answered: u64 = per.iter().sum();
                items.push(ItemResult {
                    question: qi,
                    subject: None,
                    counts: per,
                    valid: answered,
                    invalid: 0,
                    blank: valid_n - answered,
                    score: None,
                });
            }
            QuestionKind::Multi { options } => {
                let per: Vec<u64> = (0..options.len()).map(|o| slot(start + o)[1]).collect();
                let answered = multi_answered[qi];
                items.push(ItemResult {
                    question: qi,
                    subject: None,
                    counts: per,
                    valid: answered,
                    invalid: 0,
                    blank: valid_n.saturating_sub(answered),
                    score: None,
                });
            }
            QuestionKind::Text => {}
        }
    }
    Results {
        sheets: sheets_n,
        valid_sheets: valid_n,
        invalid_sheets: sheets_n - valid_n,
        items,
        subjects: subject_sums
            .into_iter()
            .map(|(s, w)| (w > 0.0).then(|| s / w))
            .collect(),
        texts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::form::tests::input;

    fn form(scheme: &str, values: &str) -> SurveyForm {
        let mut i = input("评价：政治建设（权重2）\n评价：作风建设\n单选：总体评价｜满意/不满意");
        i.subjects = "领导班子\n张三".into();
        i.scheme = scheme.into();
        i.values = values.into();
        SurveyForm::parse(&i, &["不了解".into()]).expect("valid")
    }

    /// Slots: q0 × 2 subjects, q1 × 2 subjects, q2. Scale 好 较好 一般 差 不了解.
    const SHEETS: [&str; 5] = [
        "aaaaa", // 好 everywhere
        "abbca", // mixed
        "eeeeb", // 不了解 on every rating: invalid sheet
        "ad-db", // a blank
        "--e-a", // no valid rating vote: invalid
    ];

    fn run(f: &SurveyForm) -> Results {
        tabulate(f, SHEETS.iter().map(|s| (*s, &[][..])))
    }

    #[test]
    fn counts_validity_and_shares() {
        let r = run(&form("share", "1"));
        assert_eq!((r.sheets, r.valid_sheets, r.invalid_sheets), (5, 3, 2));
        let q0s0 = &r.items[0];
        assert_eq!(q0s0.counts, vec![3, 0, 0, 0, 0]);
        assert_eq!(q0s0.score, Some(100.0));
        let q0s1 = &r.items[1];
        assert_eq!(
            (q0s1.counts.clone(), q0s1.valid, q0s1.blank),
            (vec![1, 1, 0, 1, 0], 3, 0)
        );
        assert!((q0s1.score.unwrap() - 100.0 / 3.0).abs() < 1e-9);
        let q1s0 = &r.items[2];
        assert_eq!((q1s0.valid, q1s0.blank), (2, 1));
        assert_eq!(r.items[4].counts, vec![2, 1], "the single choice");
        assert_eq!(r.items.len(), 5);
    }

    #[test]
    fn coefficients_points_and_weighted_overall() {
        let r = run(&form("coefficients", "1,0.8,0.6,0"));
        // 张三, 政治建设: 好, 较好, 差 → (1 + 0.8 + 0) / 3 × 100 = 60.
        assert!((r.items[1].score.unwrap() - 60.0).abs() < 1e-9);
        // 张三, 作风建设: 好, 一般, 差 → 160/3; overall (60×2 + 160/3) / 3.
        assert!((r.items[3].score.unwrap() - 160.0 / 3.0).abs() < 1e-9);
        assert!((r.subjects[1].unwrap() - 520.0 / 9.0).abs() < 1e-9);
        let p = run(&form("points", "100,75,55,0"));
        assert!((p.items[1].score.unwrap() - 175.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_hundred_thousand_sheets_tabulate() {
        let f = form("share", "2");
        let sheets: Vec<String> = (0..100_000)
            .map(|i| match i % 4 {
                0 => "aaaaa".to_owned(),
                1 => "babab".to_owned(),
                2 => "cdcda".to_owned(),
                _ => "eeeea".to_owned(),
            })
            .collect();
        let r = tabulate(&f, sheets.iter().map(|s| (s.as_str(), &[][..])));
        assert_eq!(r.valid_sheets, 75_000);
        assert!((r.items[0].score.unwrap() - 200.0 / 3.0).abs() < 1e-9);
    }
}
