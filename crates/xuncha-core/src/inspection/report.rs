//! The round report on a unit (巡察报告), the 领导小组's decision on it, and
//! the feedback opinion (反馈意见) given to the unit.

use serde::{Deserialize, Serialize};

use super::paper::ReturnNote;
use super::record::{RecordData, RecordKind};
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;
use crate::registry::parse_date;

labelled_enum!(
    /// The kinds of report.
    ReportKind, "report_kind", {
    /// 巡察报告
    Final = "final",
    /// 中期报告
    Midterm = "midterm",
    /// 专题报告
    Topic = "topic",
    }
);

labelled_enum!(
    /// Where a report stands.
    ReportStatus, "report_status", {
    /// 起草中
    Draft = "draft",
    /// 待领导小组审议
    Submitted = "submitted",
    /// 已通过
    Approved = "approved",
    /// 已退回
    Returned = "returned",
    }
);

/// A report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Kind.
    pub kind: ReportKind,
    /// Title.
    pub title: String,
    /// Text (composed from approved working papers, then edited).
    pub body: String,
    /// The working papers it was composed from.
    pub paper_ids: Vec<i64>,
    /// State.
    pub status: ReportStatus,
    /// Returns by the 领导小组, with reasons.
    pub returns: Vec<ReturnNote>,
    /// Who approved it.
    pub approved_by: Option<String>,
}

impl RecordData for Report {
    const KIND: RecordKind = RecordKind::Report;
    fn status(&self) -> String {
        self.status.as_str().into()
    }
    fn tag(&self) -> Option<String> {
        Some(self.kind.as_str().into())
    }
    fn search_text(&self) -> (String, String) {
        (self.title.clone(), self.body.clone())
    }
}

/// A decision step on a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportStep {
    /// The team submits it (组长).
    Submit,
    /// The 领导小组 approves.
    Approve,
    /// The 领导小组 returns it with reasons; fieldwork reopens.
    Return(String),
}

impl Report {
    /// Applies a step; `by`/`at` name who and when.
    pub fn apply(&mut self, step: ReportStep, by: &str, at: i64) -> Result<(), CoreError> {
        use ReportStatus::*;
        match (step, self.status) {
            (ReportStep::Submit, Draft | Returned) => {
                if self.body.trim().is_empty() {
                    return Err(CoreError::invalid("body", t("error.required")));
                }
                self.status = Submitted;
            }
            (ReportStep::Approve, Submitted) => {
                self.status = Approved;
                self.approved_by = Some(by.to_owned());
            }
            (ReportStep::Return(reason), Submitted) => {
                if reason.trim().is_empty() {
                    return Err(CoreError::invalid("reason", t("error.reason_required")));
                }
                self.returns.push(ReturnNote {
                    by: by.to_owned(),
                    at,
                    reason: reason.trim().to_owned(),
                });
                self.status = Returned;
            }
            _ => return Err(CoreError::invalid("status", t("error.report_transition"))),
        }
        Ok(())
    }
}

/// Composes a report's text from approved working papers, grouped by the
/// first level of their category, in the order given.
pub fn compose(unit_name: &str, papers: &[(i64, &super::paper::WorkingPaper)]) -> String {
    let mut groups: Vec<(&str, Vec<&super::paper::WorkingPaper>)> = Vec::new();
    for (_, p) in papers {
        let top = p.category.split('/').next().unwrap_or_default();
        match groups.iter_mut().find(|(g, _)| *g == top) {
            Some((_, v)) => v.push(p),
            None => groups.push((top, vec![p])),
        }
    }
    let mut out = crate::i18n::tf("report.intro", &[("unit", unit_name)]);
    out.push('\n');
    let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    for (i, (group, ps)) in groups.iter().enumerate() {
        let n = numerals.get(i).copied().unwrap_or("十");
        out.push_str(&format!("\n{n}、{group}方面\n"));
        for (j, p) in ps.iter().enumerate() {
            out.push_str(&format!("（{}）{}。{}\n", j + 1, p.summary, p.facts));
        }
    }
    out
}

/// The feedback opinion and its receipt: to the principal first, then the
/// leadership team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// The opinion's text.
    pub opinion: String,
    /// Day it was given to the principal (主要负责人).
    pub principal_date: String,
    /// Day it was given to the leadership team (领导班子).
    pub team_date: String,
    /// Who signed the receipt.
    pub receipt_by: String,
    /// Day of the receipt.
    pub receipt_date: String,
}

impl RecordData for Feedback {
    const KIND: RecordKind = RecordKind::Feedback;
    fn status(&self) -> String {
        "given".into()
    }
    fn tag(&self) -> Option<String> {
        None
    }
    fn search_text(&self) -> (String, String) {
        (t("record_kind.feedback").to_owned(), self.opinion.clone())
    }
}

/// The raw feedback form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FeedbackInput {
    /// Opinion.
    #[serde(default)]
    pub opinion: String,
    /// To the principal.
    #[serde(default)]
    pub principal_date: String,
    /// To the team.
    #[serde(default)]
    pub team_date: String,
    /// Receipt signer.
    #[serde(default)]
    pub receipt_by: String,
    /// Receipt day.
    #[serde(default)]
    pub receipt_date: String,
}

impl Feedback {
    /// Validates the form: the principal hears it first.
    pub fn parse(i: &FeedbackInput) -> Result<Feedback, CoreError> {
        let mut errors = Vec::new();
        if i.opinion.trim().is_empty() {
            errors.push(FieldError::field("opinion", t("error.required")));
        }
        let mut date = |field: &str, raw: &str| {
            let d = parse_date(raw);
            if d.is_none() {
                errors.push(FieldError::field(field, t("error.date")));
            }
            d.unwrap_or_default()
        };
        let principal_date = date("principal_date", &i.principal_date);
        let team_date = date("team_date", &i.team_date);
        let receipt_date = date("receipt_date", &i.receipt_date);
        if !principal_date.is_empty() && !team_date.is_empty() && team_date < principal_date {
            errors.push(FieldError::field("team_date", t("error.principal_first")));
        }
        if i.receipt_by.trim().is_empty() {
            errors.push(FieldError::field("receipt_by", t("error.required")));
        }
        if !errors.is_empty() {
            return Err(CoreError::Invalid(errors));
        }
        Ok(Feedback {
            opinion: i.opinion.trim().to_owned(),
            principal_date,
            team_date,
            receipt_by: i.receipt_by.trim().to_owned(),
            receipt_date,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            kind: ReportKind::Final,
            title: "关于青石镇的巡察报告".into(),
            body: "正文".into(),
            paper_ids: vec![],
            status: ReportStatus::Draft,
            returns: vec![],
            approved_by: None,
        }
    }

    #[test]
    fn returned_reports_can_be_resubmitted() {
        let mut r = report();
        assert!(r.apply(ReportStep::Approve, "领导小组", 1).is_err());
        r.apply(ReportStep::Submit, "组长", 1).expect("submit");
        assert!(r
            .apply(ReportStep::Return("".into()), "领导小组", 2)
            .is_err());
        r.apply(ReportStep::Return("问题挖掘不深".into()), "领导小组", 2)
            .expect("return");
        r.apply(ReportStep::Submit, "组长", 3).expect("resubmit");
        r.apply(ReportStep::Approve, "领导小组", 4)
            .expect("approve");
        assert_eq!(r.returns.len(), 1);
        assert!(
            r.apply(ReportStep::Submit, "组长", 5).is_err(),
            "approved is final"
        );
    }

    #[test]
    fn feedback_goes_to_the_principal_first() {
        let f = Feedback::parse(&FeedbackInput {
            opinion: "意见".into(),
            principal_date: "2026-05-10".into(),
            team_date: "2026-05-09".into(),
            receipt_by: "李书记".into(),
            receipt_date: "2026-05-10".into(),
        });
        assert!(matches!(f, Err(CoreError::Invalid(v)) if v[0].field == "team_date"));
    }

    #[test]
    fn compose_groups_by_top_category() {
        let mk = |c: &str, s: &str| super::super::paper::WorkingPaper {
            category: c.into(),
            source: super::super::paper::PaperSource::Talk,
            summary: s.into(),
            facts: "事实".into(),
            basis: "依据".into(),
            evidence: vec![],
            status: super::super::paper::PaperStatus::Approved,
            handlers: vec![],
            reviewed: None,
            approved: None,
            returns: vec![],
        };
        let a = mk("六项纪律/廉洁纪律", "甲");
        let b = mk("四个落实/党建工作", "乙");
        let c = mk("六项纪律/工作纪律", "丙");
        let text = compose("青石镇", &[(1, &a), (2, &b), (3, &c)]);
        assert!(text.contains("一、六项纪律方面"));
        assert!(text.contains("二、四个落实方面"));
        assert!(text.contains("（2）丙"));
    }
}
