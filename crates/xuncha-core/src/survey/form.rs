//! A survey's definition: subjects, the rating scale, the scoring scheme and
//! the questions, built from a short line-per-question text that staff type
//! (or start from a template) — no drag-and-drop builder needed, and a form
//! that fails keeps every line, with each problem named by its line.
//!
//! ```text
//! 评价：坚持党的领导、加强党的建设（权重2）
//! 单选：你对本单位选人用人工作的总体评价｜满意/基本满意/不满意/不了解
//! 多选：你认为班子存在的突出问题｜形式主义/官僚主义/违规吃喝/其他
//! 填空：请说明其他问题（第3题选“其他”时）
//! 填空：对领导班子的意见建议（选答）
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, FieldError};
use crate::i18n::{t, tf};
use crate::labels::labelled_enum;

labelled_enum!(
    /// What a survey is for.
    SurveyKind, "survey_kind", {
    /// 民主测评: a leadership team and each of its members on one form.
    Evaluation = "evaluation",
    /// 问卷调查: any questionnaire (选人用人满意度, household visits …).
    Questionnaire = "questionnaire",
    /// 巡察组作风评价: the inspected unit evaluates the team. The team
    /// itself neither runs it nor reads its results.
    TeamConduct = "team-conduct",
});

labelled_enum!(
    /// Where a survey stands.
    SurveyStatus, "survey_status", {
    /// 草稿: the form may still change; no answers.
    Draft = "draft",
    /// 进行中: codes answer once each.
    Open = "open",
    /// 已结束: results are final.
    Closed = "closed",
});

/// How a rating item is scored, over its valid votes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Scheme {
    /// 好评率: the share of votes for the first `top` options, in percent.
    Share {
        /// How many leading options count (1: 好; 2: 满意 + 基本满意).
        top: usize,
    },
    /// 加权系数: the mean coefficient of the votes, times 100.
    Coefficients {
        /// One per valid option, in order (e.g. 1, 0.8, 0.6, 0).
        values: Vec<f64>,
    },
    /// 分值: the mean points of the votes (e.g. 100, 75, 55, 0).
    Points {
        /// One per valid option, in order.
        values: Vec<f64>,
    },
}

/// A condition for showing a question: an earlier choice question answered
/// with one option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The earlier question (0-based).
    pub question: usize,
    /// Its option (0-based).
    pub option: usize,
}

/// The kinds of question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum QuestionKind {
    /// 评价: each subject rated on the survey's scale.
    Rate,
    /// 单选.
    Single {
        /// Options.
        options: Vec<String>,
    },
    /// 多选.
    Multi {
        /// Options.
        options: Vec<String>,
    },
    /// 填空.
    Text,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// What is asked.
    pub text: String,
    /// Kind and options.
    pub kind: QuestionKind,
    /// Weight in a subject's overall score (rating items).
    pub weight: f64,
    /// Whether an answer is needed (when shown).
    pub required: bool,
    /// Shown only when an earlier answer says so.
    pub show_if: Option<Condition>,
}

/// A whole survey form, stored as it was when opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyForm {
    /// Title, e.g. 2026年青石镇领导班子和领导干部民主测评表.
    pub title: String,
    /// Instructions printed above the questions.
    pub intro: String,
    /// Who rating items rate (领导班子, 张三（党委书记）…).
    pub subjects: Vec<String>,
    /// The rating scale, best first.
    pub scale: Vec<String>,
    /// Option labels that are answers but not valid votes (不了解).
    pub invalid: Vec<String>,
    /// How rating items are scored.
    pub scheme: Scheme,
    /// The questions.
    pub questions: Vec<Question>,
}

/// The builder form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SurveyInput {
    /// Kind identifier.
    #[serde(default)]
    pub kind: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Instructions.
    #[serde(default)]
    pub intro: String,
    /// Subjects, one per line.
    #[serde(default)]
    pub subjects: String,
    /// The scale, labels separated by `/`.
    #[serde(default)]
    pub scale: String,
    /// `share`, `coefficients` or `points`.
    #[serde(default)]
    pub scheme: String,
    /// The scheme's numbers: `top` for a share, values otherwise (`,`-separated).
    #[serde(default)]
    pub values: String,
    /// Questions, one per line.
    #[serde(default)]
    pub questions: String,
    /// The target (unit in a round) it is about, if any.
    #[serde(default)]
    pub target_id: Option<i64>,
}

fn split_options(s: &str) -> Vec<String> {
    s.split(['/', '／'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Strips one recognised trailing suffix in full-width brackets.
fn strip_suffix<'a>(s: &'a str, inner: &mut String) -> Option<&'a str> {
    let s = s.trim_end();
    let body = s.strip_suffix('）').or_else(|| s.strip_suffix(')'))?;
    let open = body.rfind(['（', '('])?;
    *inner = body[open..]
        .trim_start_matches(['（', '('])
        .trim()
        .to_owned();
    Some(&s[..open])
}

impl SurveyForm {
    /// Validates the builder form against the scales and invalid labels of
    /// the settings; every problem is named (questions by line).
    pub fn parse(i: &SurveyInput, invalid_labels: &[String]) -> Result<SurveyForm, CoreError> {
        let mut errors = Vec::new();
        let title = i.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            errors.push(FieldError::field("title", t("error.survey_title")));
        }
        let subjects: Vec<String> = i
            .subjects
            .lines()
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect();
        let scale = split_options(&i.scale);
        let invalid: Vec<String> = invalid_labels
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_owned())
            .collect();
        let valid_scale = scale.iter().filter(|o| !invalid.contains(o)).count();
        let mut questions = Vec::new();
        for (n, raw) in i.questions.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            match parse_question(line, &questions) {
                Ok(q) => questions.push(q),
                Err(why) => errors.push(FieldError::field(
                    "questions",
                    tf(
                        "error.survey_line",
                        &[("n", &(n + 1).to_string()), ("why", &why)],
                    ),
                )),
            }
        }
        if questions.is_empty() && errors.iter().all(|e| e.field != "questions") {
            errors.push(FieldError::field(
                "questions",
                t("error.survey_no_questions"),
            ));
        }
        let rates = questions.iter().any(|q| q.kind == QuestionKind::Rate);
        if rates && subjects.is_empty() {
            errors.push(FieldError::field("subjects", t("error.survey_subjects")));
        }
        if rates && valid_scale < 2 {
            errors.push(FieldError::field("scale", t("error.survey_scale")));
        }
        let numbers: Result<Vec<f64>, _> = i
            .values
            .split([',', '，', '/', ' '])
            .filter(|x| !x.trim().is_empty())
            .map(|x| x.trim().parse::<f64>())
            .collect();
        let scheme = match (i.scheme.as_str(), numbers) {
            ("share", Ok(v)) => {
                let top = v.first().copied().unwrap_or(1.0);
                if top < 1.0 || top.fract() != 0.0 || top as usize >= valid_scale.max(2) {
                    errors.push(FieldError::field("values", t("error.survey_top")));
                }
                Some(Scheme::Share { top: top as usize })
            }
            ("coefficients" | "points", Ok(values)) => {
                if rates && values.len() != valid_scale {
                    errors.push(FieldError::field(
                        "values",
                        tf("error.survey_values", &[("n", &valid_scale.to_string())]),
                    ));
                }
                Some(if i.scheme == "points" {
                    Scheme::Points { values }
                } else {
                    Scheme::Coefficients { values }
                })
            }
            (_, Err(_)) => {
                errors.push(FieldError::field("values", t("error.survey_numbers")));
                None
            }
            _ => {
                errors.push(FieldError::field("scheme", t("error.survey_scheme")));
                None
            }
        };
        match scheme {
            Some(scheme) if errors.is_empty() => Ok(SurveyForm {
                title: title.to_owned(),
                intro: i.intro.trim().to_owned(),
                subjects,
                scale,
                invalid,
                scheme,
                questions,
            }),
            _ => Err(CoreError::Invalid(errors)),
        }
    }

    /// The options a question offers (the scale for rating items).
    pub fn options<'a>(&'a self, q: &'a Question) -> &'a [String] {
        match &q.kind {
            QuestionKind::Rate => &self.scale,
            QuestionKind::Single { options } | QuestionKind::Multi { options } => options,
            QuestionKind::Text => &[],
        }
    }

    /// Where each question's answers start in a sheet's choice string, and
    /// the string's length: a rating item takes one slot per subject, a
    /// single choice one, a multiple choice one per option, text none.
    pub fn layout(&self) -> (Vec<usize>, usize) {
        let mut at = 0;
        let mut starts = Vec::with_capacity(self.questions.len());
        for q in &self.questions {
            starts.push(at);
            at += match &q.kind {
                QuestionKind::Rate => self.subjects.len(),
                QuestionKind::Single { .. } => 1,
                QuestionKind::Multi { options } => options.len(),
                QuestionKind::Text => 0,
            };
        }
        (starts, at)
    }
}

/// Parses one question line; the error says why (the caller adds the line).
fn parse_question(line: &str, earlier: &[Question]) -> Result<Question, String> {
    let (head, rest) = line
        .split_once(['：', ':'])
        .ok_or_else(|| t("error.survey_kind").to_owned())?;
    let mut rest = rest.trim();
    let mut weight = 1.0;
    let mut required = None;
    let mut show_if = None;
    let mut inner = String::new();
    // Trailing marks, in any order: （权重2） （选答） （第3题选“其他”时）.
    while let Some(before) = strip_suffix(rest, &mut inner) {
        if let Some(w) = inner.strip_prefix("权重") {
            weight = w
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|w| *w > 0.0 && *w <= 100.0)
                .ok_or_else(|| t("error.survey_weight").to_owned())?;
        } else if inner == "选答" {
            required = Some(false);
        } else if let Some(c) = inner.strip_prefix('第').and_then(|c| c.strip_suffix('时')) {
            show_if = Some(parse_condition(c, earlier)?);
        } else {
            break;
        }
        rest = before.trim_end();
    }
    let (text, options) = match rest.split_once(['｜', '|']) {
        Some((q, o)) => (q.trim(), split_options(o)),
        None => (rest, Vec::new()),
    };
    if text.is_empty() || text.chars().count() > 300 {
        return Err(t("error.survey_text").to_owned());
    }
    let kind = match head.trim() {
        "评价" => QuestionKind::Rate,
        "单选" | "多选" if options.len() < 2 => {
            return Err(t("error.survey_options").to_owned())
        }
        "单选" => QuestionKind::Single { options },
        "多选" => QuestionKind::Multi { options },
        "填空" => QuestionKind::Text,
        _ => return Err(t("error.survey_kind").to_owned()),
    };
    let required = required.unwrap_or(kind != QuestionKind::Text);
    Ok(Question {
        text: text.to_owned(),
        kind,
        weight,
        required,
        show_if,
    })
}

/// `3题选“其他”` → question 2, the option named 其他.
fn parse_condition(c: &str, earlier: &[Question]) -> Result<Condition, String> {
    let bad = || t("error.survey_condition").to_owned();
    let (n, opt) = c.split_once("题选").ok_or_else(bad)?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    let opt = opt.trim().trim_matches(['“', '”', '"', '\'']);
    let q = n
        .checked_sub(1)
        .and_then(|i| earlier.get(i))
        .ok_or_else(bad)?;
    let options = match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multi { options } => options,
        _ => return Err(bad()),
    };
    let option = options.iter().position(|o| o == opt).ok_or_else(bad)?;
    Ok(Condition {
        question: n - 1,
        option,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn input(questions: &str) -> SurveyInput {
        SurveyInput {
            kind: "evaluation".into(),
            title: "青石镇领导班子民主测评".into(),
            subjects: "领导班子\n张三（党委书记）\n李四（镇长）".into(),
            scale: "好/较好/一般/差/不了解".into(),
            scheme: "coefficients".into(),
            values: "1,0.8,0.6,0".into(),
            questions: questions.into(),
            ..SurveyInput::default()
        }
    }

    const LINES: &str = "评价：坚持党的领导（权重2）\n\
        单选：选人用人总体评价｜满意/基本满意/不满意\n\
        多选：突出问题｜形式主义/官僚主义/其他\n\
        填空：请说明其他问题（第3题选“其他”时）\n\
        填空：意见建议（选答）";

    #[test]
    fn the_line_syntax_builds_every_kind() {
        let f = SurveyForm::parse(&input(LINES), &["不了解".into()]).expect("valid");
        assert_eq!(f.subjects.len(), 3);
        assert_eq!(f.questions.len(), 5);
        assert_eq!(f.questions[0].kind, QuestionKind::Rate);
        assert_eq!(f.questions[0].weight, 2.0);
        assert_eq!(f.questions[0].text, "坚持党的领导");
        assert!(
            matches!(&f.questions[2].kind, QuestionKind::Multi { options } if options.len() == 3)
        );
        assert_eq!(
            f.questions[3].show_if,
            Some(Condition {
                question: 2,
                option: 2
            })
        );
        assert!(!f.questions[3].required || f.questions[3].kind == QuestionKind::Text);
        assert!(!f.questions[4].required);
        assert_eq!(f.invalid, ["不了解"]);
        // 3 subjects + 1 single + 3 multi options; text takes no slot.
        assert_eq!(f.layout(), (vec![0, 3, 4, 7, 7], 7));
    }

    #[test]
    fn every_bad_line_is_named() {
        let mut i = input("评价：好\n单选：只有一个选项｜是\n问答：什么\n填空：x（第9题选“是”时）");
        i.values = "1,0.8".into();
        let CoreError::Invalid(e) = SurveyForm::parse(&i, &["不了解".into()]).unwrap_err()
        else {
            panic!("invalid expected")
        };
        let msgs: Vec<_> = e.iter().map(|e| e.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.starts_with("第2行")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("第3行")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("第4行")), "{msgs:?}");
        assert!(
            e.iter().any(|e| e.field == "values"),
            "4 valid options need 4 values"
        );
    }
}
