//! One answer sheet, kept compact so that 100,000 sheets tabulate in well
//! under a second: every choice is one ASCII byte of a string laid out by
//! [`SurveyForm::layout`] (`-` unanswered, `a`+n option n of a rating or
//! single choice, `0`/`1` per option of a multiple choice), and text
//! answers sit beside it. A sheet holds nothing about who answered.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::form::{Question, QuestionKind, SurveyForm};
use crate::error::{CoreError, FieldError};
use crate::i18n::tf;

/// Longest text answer, characters.
pub const MAX_TEXT: usize = 2000;

/// A validated answer sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// The choices, one byte a slot.
    pub choices: String,
    /// Text answers: (question, text).
    pub texts: Vec<(usize, String)>,
}

/// Form field names: `q3` (a single choice or text), `q1s2` (question 1,
/// subject 2), `q2o1` (question 2, option 1 ticked).
pub fn field(q: usize, subject: Option<usize>) -> String {
    match subject {
        Some(s) => format!("q{q}s{s}"),
        None => format!("q{q}"),
    }
}

/// The field of one option of a multiple choice.
pub fn option_field(q: usize, option: usize) -> String {
    format!("q{q}o{option}")
}

impl Sheet {
    /// Reads a submitted form. Questions hidden by their condition are left
    /// blank whatever was sent; every unanswered required question is named.
    pub fn from_fields(form: &SurveyForm, f: &HashMap<String, String>) -> Result<Sheet, CoreError> {
        let (starts, len) = form.layout();
        let mut choices = vec![b'-'; len];
        let mut texts = Vec::new();
        let mut errors = Vec::new();
        for (qi, q) in form.questions.iter().enumerate() {
            let start = starts[qi];
            if let Some(c) = &q.show_if {
                if !chosen(form, &starts, &choices, c.question, c.option) {
                    continue;
                }
            }
            let n = qi + 1;
            let missing = |subject: Option<&str>| {
                let n = n.to_string();
                let message = match subject {
                    Some(s) => tf("error.survey_missing_subject", &[("n", &n), ("subject", s)]),
                    None => tf("error.survey_missing", &[("n", &n)]),
                };
                FieldError::field(&field(qi, None), message)
            };
            match &q.kind {
                QuestionKind::Rate => {
                    for (si, s) in form.subjects.iter().enumerate() {
                        match pick(f.get(&field(qi, Some(si))), form.scale.len()) {
                            Some(o) => choices[start + si] = b'a' + o as u8,
                            None if q.required => errors.push(missing(Some(s))),
                            None => {}
                        }
                    }
                }
                QuestionKind::Single { options } => {
                    match pick(f.get(&field(qi, None)), options.len()) {
                        Some(o) => choices[start] = b'a' + o as u8,
                        None if q.required => errors.push(missing(None)),
                        None => {}
                    }
                }
                QuestionKind::Multi { options } => {
                    let mut any = false;
                    for o in 0..options.len() {
                        let ticked = f.get(&option_field(qi, o)).is_some_and(|v| !v.is_empty());
                        choices[start + o] = if ticked { b'1' } else { b'0' };
                        any |= ticked;
                    }
                    if !any && q.required {
                        errors.push(missing(None));
                    }
                }
                QuestionKind::Text => {
                    let v = f
                        .get(&field(qi, None))
                        .map(|s| s.trim())
                        .unwrap_or_default();
                    if v.chars().count() > MAX_TEXT {
                        errors.push(FieldError::field(
                            &field(qi, None),
                            tf("error.survey_text_long", &[("n", &n.to_string())]),
                        ));
                    } else if !v.is_empty() {
                        texts.push((qi, v.to_owned()));
                    } else if q.required {
                        errors.push(missing(None));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Sheet {
                // Only ASCII bytes were written.
                choices: String::from_utf8_lossy(&choices).into_owned(),
                texts,
            })
        } else {
            Err(CoreError::Invalid(errors))
        }
    }
}

/// An option index from a field value, if in range.
fn pick(v: Option<&String>, n: usize) -> Option<usize> {
    v.and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|o| *o < n && *o < 26)
}

/// Whether question `q` was answered with `option` (single or multiple).
fn chosen(form: &SurveyForm, starts: &[usize], choices: &[u8], q: usize, option: usize) -> bool {
    let Some(Question { kind, .. }) = form.questions.get(q) else {
        return false;
    };
    let start = starts[q];
    match kind {
        QuestionKind::Single { .. } => choices.get(start) == Some(&(b'a' + option as u8)),
        QuestionKind::Multi { .. } => choices.get(start + option) == Some(&b'1'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::form::tests::input;

    const LINES: &str = "评价：坚持党的领导\n\
        单选：总体评价｜满意/不满意\n\
        多选：突出问题｜形式主义/其他\n\
        填空：请说明其他问题（第3题选“其他”时）";

    fn form() -> SurveyForm {
        SurveyForm::parse(&input(LINES), &["不了解".into()]).expect("valid")
    }

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_full_sheet_encodes_compactly() {
        let f = form();
        let s = Sheet::from_fields(
            &f,
            &fields(&[
                ("q0s0", "0"),
                ("q0s1", "1"),
                ("q0s2", "4"),
                ("q1", "1"),
                ("q2o1", "on"),
                ("q3", "  班子成员经常不在岗  "),
            ]),
        )
        .expect("valid");
        assert_eq!(s.choices, "abeb01");
        assert_eq!(s.texts, vec![(3, "班子成员经常不在岗".to_owned())]);
    }

    #[test]
    fn hidden_questions_stay_blank_and_missing_ones_are_named() {
        let f = form();
        // 其他 not ticked: the text question is hidden, its answer dropped.
        let s = Sheet::from_fields(
            &f,
            &fields(&[
                ("q0s0", "0"),
                ("q0s1", "0"),
                ("q0s2", "0"),
                ("q1", "0"),
                ("q2o0", "1"),
                ("q3", "x"),
            ]),
        )
        .expect("valid");
        assert!(s.texts.is_empty());
        let CoreError::Invalid(e) =
            Sheet::from_fields(&f, &fields(&[("q0s0", "0"), ("q1", "9")])).unwrap_err()
        else {
            panic!("invalid expected")
        };
        let msgs: Vec<_> = e.iter().map(|e| e.message.as_str()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("第1题对“张三（党委书记）”")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("第2题")),
            "out of range is unanswered"
        );
        assert!(msgs.iter().any(|m| m.contains("第3题")), "{msgs:?}");
    }
}
