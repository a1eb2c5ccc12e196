//! The answer form of a survey as the templates draw it, shared by the
//! public answer page and the staff's key-in page: every question with its
//! inputs, what was typed, and the problems.

use std::collections::HashMap;

use xuncha_core::i18n::{t, tf};
use xuncha_core::survey::sheet::{field, option_field};
use xuncha_core::survey::{QuestionKind, SurveyForm};
use xuncha_core::FieldError;

/// One radio button or check box.
pub struct Choice {
    /// Field name.
    pub name: String,
    /// Submitted value.
    pub value: String,
    /// Its label (for check boxes and single choices).
    pub label: String,
    /// Whether it was chosen.
    pub checked: bool,
}

/// One row of inputs (a subject of a rating item, or the whole question).
pub struct Row {
    /// The subject (empty otherwise).
    pub label: String,
    /// Its inputs.
    pub choices: Vec<Choice>,
}

/// One question as drawn.
pub struct QuestionView {
    /// 1-based number.
    pub n: usize,
    /// The question.
    pub text: String,
    /// `rate`, `single`, `multi` or `text`.
    pub kind: &'static str,
    /// 选答, or when it is asked.
    pub note: String,
    /// Column heads of a rating table.
    pub options: Vec<String>,
    /// Inputs.
    pub rows: Vec<Row>,
    /// The text field's name and value.
    pub text_name: String,
    /// What was typed.
    pub text_value: String,
    /// Problems with this question.
    pub error: String,
}

/// The whole answer form.
pub struct AnswerForm {
    /// Title.
    pub title: String,
    /// Instructions.
    pub intro: String,
    /// Questions.
    pub questions: Vec<QuestionView>,
}

impl AnswerForm {
    /// Builds the view from a form, the values typed and the errors.
    pub fn new(
        form: &SurveyForm,
        values: &HashMap<String, String>,
        errors: &[FieldError],
    ) -> AnswerForm {
        let v = |k: &str| values.get(k).cloned().unwrap_or_default();
        let questions = form
            .questions
            .iter()
            .enumerate()
            .map(|(qi, q)| {
                let options = form.options(q).to_vec();
                let radios = |name: String| Row {
                    label: String::new(),
                    choices: options
                        .iter()
                        .enumerate()
                        .map(|(o, label)| Choice {
                            checked: v(&name) == o.to_string(),
                            name: name.clone(),
                            value: o.to_string(),
                            label: label.clone(),
                        })
                        .collect(),
                };
                let (kind, rows) = match &q.kind {
                    QuestionKind::Rate => (
                        "rate",
                        form.subjects
                            .iter()
                            .enumerate()
                            .map(|(si, s)| Row {
                                label: s.clone(),
                                ..radios(field(qi, Some(si)))
                            })
                            .collect(),
                    ),
                    QuestionKind::Single { .. } => ("single", vec![radios(field(qi, None))]),
                    QuestionKind::Multi { .. } => (
                        "multi",
                        vec![Row {
                            label: String::new(),
                            choices: options
                                .iter()
                                .enumerate()
                                .map(|(o, label)| Choice {
                                    name: option_field(qi, o),
                                    value: "1".into(),
                                    label: label.clone(),
                                    checked: !v(&option_field(qi, o)).is_empty(),
                                })
                                .collect(),
                        }],
                    ),
                    QuestionKind::Text => ("text", Vec::new()),
                };
                let note = match &q.show_if {
                    Some(c) => tf(
                        "surveys.when",
                        &[
                            ("n", &(c.question + 1).to_string()),
                            (
                                "option",
                                form.questions
                                    .get(c.question)
                                    .map(|p| form.options(p))
                                    .and_then(|o| o.get(c.option))
                                    .map(String::as_str)
                                    .unwrap_or_default(),
                            ),
                        ],
                    ),
                    None if !q.required => t("surveys.optional").to_owned(),
                    None => String::new(),
                };
                let name = field(qi, None);
                QuestionView {
                    n: qi + 1,
                    text: q.text.clone(),
                    kind,
                    note,
                    options: if kind == "rate" { options } else { Vec::new() },
                    rows,
                    text_value: v(&name),
                    error: errors
                        .iter()
                        .filter(|e| e.field == name)
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join("；"),
                    text_name: name,
                }
            })
            .collect();
        AnswerForm {
            title: form.title.clone(),
            intro: form.intro.clone(),
            questions,
        }
    }
}
