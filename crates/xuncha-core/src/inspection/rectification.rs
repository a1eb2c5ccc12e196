//! Rectification (整改): the items of the 问题/任务/责任 lists, their progress
//! and verification; the rating of a unit's rectification; accountability
//! actions (问责处理).

use serde::{Deserialize, Serialize};

use super::paper::ReturnNote;
use super::record::{RecordData, RecordKind};
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;
use crate::registry::parse_date;

labelled_enum!(
    /// How quickly an item must be fixed.
    RectKind, "rect_kind", {
    /// 立行立改
    Immediate = "immediate",
    /// 限期整改
    Deadline = "deadline",
    /// 长期坚持
    LongTerm = "long-term",
    }
);

labelled_enum!(
    /// Where an item stands.
    RectStatus, "rect_status", {
    /// 整改中
    Open = "open",
    /// 已报完成，待验收
    Reported = "reported",
    /// 已验收销号
    Accepted = "accepted",
    /// 验收退回
    SentBack = "sent-back",
    }
);

/// A progress report on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Day.
    pub date: String,
    /// Who reported.
    pub by: String,
    /// What was done.
    pub note: String,
    /// Evidence attachment hashes.
    pub evidence: Vec<String>,
}

/// An item of the rectification lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RectItem {
    /// The working paper (problem) it fixes.
    pub paper_id: Option<i64>,
    /// 问题 (the problem as fed back).
    pub problem: String,
    /// 任务 (the measures).
    pub measures: String,
    /// 责任 (responsible leader).
    pub responsible: String,
    /// Kind.
    pub kind: RectKind,
    /// Deadline.
    pub deadline: String,
    /// State.
    pub status: RectStatus,
    /// Progress reports.
    pub progress: Vec<Progress>,
    /// Sent back by the verifier, with reasons.
    pub send_backs: Vec<ReturnNote>,
    /// Who accepted it.
    pub accepted_by: Option<String>,
    /// Whether the item may be disclosed to the public (not secret, no open
    /// case, not sensitive).
    pub disclose: bool,
}

impl RecordData for RectItem {
    const KIND: RecordKind = RecordKind::RectItem;
    fn status(&self) -> String {
        self.status.as_str().into()
    }
    fn tag(&self) -> Option<String> {
        Some(self.kind.as_str().into())
    }
    /// Due while the unit still has to act: once reported, the next step is
    /// the verifier's, and an accepted item is done.
    fn due_date(&self) -> Option<String> {
        matches!(self.status, RectStatus::Open | RectStatus::SentBack)
            .then(|| self.deadline.clone())
    }
    fn search_text(&self) -> (String, String) {
        (
            self.problem.clone(),
            format!("{} {}", self.measures, self.responsible),
        )
    }
}

/// The raw item form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RectItemInput {
    /// Problem.
    #[serde(default)]
    pub problem: String,
    /// Measures.
    #[serde(default)]
    pub measures: String,
    /// Responsible leader.
    #[serde(default)]
    pub responsible: String,
    /// Kind.
    #[serde(default)]
    pub kind: String,
    /// Deadline.
    #[serde(default)]
    pub deadline: String,
}

impl RectItem {
    /// Validates an item; the deadline may not be after `latest` (the end of
    /// 集中整改) unless the item is long-term.
    pub fn parse(
        i: &RectItemInput,
        paper_id: Option<i64>,
        latest: &str,
    ) -> Result<RectItem, CoreError> {
        let mut errors = Vec::new();
        for (f, v) in [
            ("problem", &i.problem),
            ("measures", &i.measures),
            ("responsible", &i.responsible),
        ] {
            if v.trim().is_empty() {
                errors.push(FieldError::field(f, t("error.required")));
            }
        }
        let kind = RectKind::parse(&i.kind);
        if kind.is_none() {
            errors.push(FieldError::field("kind", t("error.rect_kind")));
        }
        let deadline = parse_date(&i.deadline);
        match (&deadline, kind) {
            (None, _) => errors.push(FieldError::field("deadline", t("error.date"))),
            (Some(d), Some(k)) if k != RectKind::LongTerm && d.as_str() > latest => {
                errors.push(FieldError::field(
                    "deadline",
                    crate::i18n::tf("error.rect_deadline", &[("date", latest)]),
                ))
            }
            _ => {}
        }
        match (kind, deadline) {
            (Some(kind), Some(deadline)) if errors.is_empty() => Ok(RectItem {
                paper_id,
                problem: i.problem.trim().to_owned(),
                measures: i.measures.trim().to_owned(),
                responsible: i.responsible.trim().to_owned(),
                kind,
                deadline,
                status: RectStatus::Open,
                progress: Vec::new(),
                send_backs: Vec::new(),
                accepted_by: None,
                disclose: true,
            }),
            _ => Err(CoreError::Invalid(errors)),
        }
    }

    /// The unit reports progress; `done` says the item is finished.
    pub fn report(&mut self, p: Progress, done: bool) -> Result<(), CoreError> {
        if matches!(self.status, RectStatus::Accepted | RectStatus::Reported) && done {
            return Err(CoreError::invalid("status", t("error.rect_transition")));
        }
        if self.status == RectStatus::Accepted {
            return Err(CoreError::invalid("status", t("error.rect_transition")));
        }
        if p.note.trim().is_empty() {
            return Err(CoreError::invalid("note", t("error.required")));
        }
        self.progress.push(p);
        if done {
            self.status = RectStatus::Reported;
        }
        Ok(())
    }

    /// The team or office verifies a reported item: accept, or send back
    /// with a reason.
    pub fn verify(
        &mut self,
        accept: bool,
        by: &str,
        at: i64,
        reason: &str,
    ) -> Result<(), CoreError> {
        if self.status != RectStatus::Reported {
            return Err(CoreError::invalid("status", t("error.rect_transition")));
        }
        if accept {
            self.status = RectStatus::Accepted;
            self.accepted_by = Some(by.to_owned());
        } else {
            if reason.trim().is_empty() {
                return Err(CoreError::invalid("reason", t("error.reason_required")));
            }
            self.send_backs.push(ReturnNote {
                by: by.to_owned(),
                at,
                reason: reason.trim().to_owned(),
            });
            self.status = RectStatus::SentBack;
        }
        Ok(())
    }

    /// Whether the unit is late with the item on `today`: past the deadline
    /// and neither reported done nor accepted.
    pub fn overdue(&self, today: &str) -> bool {
        matches!(self.status, RectStatus::Open | RectStatus::SentBack)
            && self.deadline.as_str() < today
    }
}

/// The public disclosure of rectification progress (整改进展情况公开): the
/// items not flagged as exempt (secrets, open cases, sensitive matters),
/// with their measures and state.
pub fn disclosure_text(unit: &str, items: &[&RectItem]) -> String {
    let mut out = crate::i18n::tf("rect.disclosure_intro", &[("unit", unit)]);
    let shown: Vec<&&RectItem> = items.iter().filter(|i| i.disclose).collect();
    let done = shown
        .iter()
        .filter(|i| i.status == RectStatus::Accepted)
        .count();
    out.push_str(&crate::i18n::tf(
        "rect.disclosure_summary",
        &[("n", &shown.len().to_string()), ("done", &done.to_string())],
    ));
    for (k, i) in shown.iter().enumerate() {
        out.push_str(&format!(
            "\n{}. {}\n   {}{}\n   {}{}",
            k + 1,
            i.problem,
            t("ledger.measures"),
            format_args!("：{}", i.measures),
            t("ledger.status"),
            format_args!("：{}", i.status.label()),
        ));
    }
    out
}

labelled_enum!(
    /// The rating of a unit's rectification.
    RectRating, "rect_rating", {
    /// 好
    Good = "good",
    /// 较好
    FairlyGood = "fairly-good",
    /// 一般
    Average = "average",
    /// 差
    Poor = "poor",
    }
);

impl RectRating {
    /// Units rated 一般 or 差 are proposed for a 回头看.
    pub fn needs_look_back(self) -> bool {
        matches!(self, RectRating::Average | RectRating::Poor)
    }

    /// The rating of a 100-point score (90/80/60 bands).
    pub fn of_score(score: u32) -> RectRating {
        match score {
            90.. => RectRating::Good,
            80..=89 => RectRating::FairlyGood,
            60..=79 => RectRating::Average,
            _ => RectRating::Poor,
        }
    }
}

labelled_enum!(
    /// Accountability actions (问责处理).
    AccountAction, "account_action", {
    /// 约谈主要负责人
    TalkPrincipal = "talk-principal",
    /// 约谈分管负责人
    TalkDeputy = "talk-deputy",
    /// 通报批评
    Criticise = "criticise",
    /// 诫勉
    Admonish = "admonish",
    /// 组织处理（调整职务、责令辞职等）
    Organisational = "organisational",
    /// 免职
    Removal = "removal",
    /// 问责
    Accountability = "accountability",
    /// 党纪立案
    DisciplineCase = "discipline-case",
    }
);

/// An accountability action against a person (or the unit, for 通报批评).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accountability {
    /// Action.
    pub action: AccountAction,
    /// The registry person, when linked.
    pub person_id: Option<i64>,
    /// Name (empty when the unit itself is criticised).
    pub person_name: String,
    /// Position.
    pub position: String,
    /// The problem (working paper) it answers.
    pub paper_id: Option<i64>,
    /// Day decided.
    pub date: String,
    /// Note.
    pub note: String,
}

impl RecordData for Accountability {
    const KIND: RecordKind = RecordKind::Accountability;
    fn status(&self) -> String {
        "decided".into()
    }
    fn tag(&self) -> Option<String> {
        Some(self.action.as_str().into())
    }
    fn search_text(&self) -> (String, String) {
        (
            format!("{} {}", self.action.label(), self.person_name),
            self.note.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &str, deadline: &str) -> Result<RectItem, CoreError> {
        RectItem::parse(
            &RectItemInput {
                problem: "违规发放津补贴".into(),
                measures: "清退".into(),
                responsible: "李书记".into(),
                kind: kind.into(),
                deadline: deadline.into(),
            },
            Some(1),
            "2026-08-10",
        )
    }

    #[test]
    fn deadlines_stay_inside_the_concentrated_period_unless_long_term() {
        assert!(item("限期整改", "2026-08-10").is_ok());
        assert!(
            matches!(item("deadline", "2026-08-11"), Err(CoreError::Invalid(v)) if v[0].field == "deadline")
        );
        assert!(item("长期坚持", "2027-12-31").is_ok());
    }

    #[test]
    fn report_verify_send_back_accept() {
        let mut i = item("immediate", "2026-06-01").expect("valid");
        let p = |note: &str| Progress {
            date: "2026-05-20".into(),
            by: "青石镇".into(),
            note: note.into(),
            evidence: vec![],
        };
        assert!(
            i.verify(true, "组长", 1, "").is_err(),
            "nothing reported yet"
        );
        i.report(p("已清退一半"), false).expect("progress");
        assert_eq!(i.status, RectStatus::Open);
        i.report(p("全部清退"), true).expect("done");
        assert!(
            i.verify(false, "组长", 2, "").is_err(),
            "send back needs a reason"
        );
        i.verify(false, "组长", 2, "缺少凭证").expect("send back");
        assert_eq!(i.status, RectStatus::SentBack);
        assert!(i.overdue("2026-06-02"));
        i.report(p("补充凭证"), true).expect("again");
        i.verify(true, "组长", 3, "").expect("accept");
        assert!(!i.overdue("2027-01-01"));
        assert_eq!(i.due_date(), None);
        assert!(i.report(p("x"), false).is_err(), "accepted is final");
    }

    #[test]
    fn disclosure_leaves_out_exempt_items() {
        let mut a = item("immediate", "2026-06-01").expect("valid");
        a.measures = "公开的措施".into();
        let mut b = a.clone();
        b.measures = "涉密的措施".into();
        b.disclose = false;
        let text = disclosure_text("青石镇", &[&a, &b]);
        assert!(text.contains("公开的措施"));
        assert!(!text.contains("涉密的措施"));
        assert!(text.contains("青石镇"));
    }

    #[test]
    fn ratings() {
        assert_eq!(RectRating::of_score(95), RectRating::Good);
        assert_eq!(RectRating::of_score(80), RectRating::FairlyGood);
        assert_eq!(RectRating::of_score(59), RectRating::Poor);
        assert!(RectRating::Average.needs_look_back());
        assert!(!RectRating::FairlyGood.needs_look_back());
    }
}
