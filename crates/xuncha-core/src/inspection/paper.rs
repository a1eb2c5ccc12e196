//! Working papers (问题底稿) and their sign-off chain, and clues (问题线索).

use serde::{Deserialize, Serialize};

use super::record::{RecordData, RecordKind};
use super::round::TeamRole;
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;

labelled_enum!(
    /// Where a working paper stands. Two handlers sign, the 副组长 reviews,
    /// the 组长 approves; a reviewer may return it to the handlers.
    PaperStatus, "paper_status", {
    /// 起草中
    Draft = "draft",
    /// 一人已签
    SignedOnce = "signed-once",
    /// 待副组长审核
    Signed = "signed",
    /// 待组长审批
    Reviewed = "reviewed",
    /// 已审定
    Approved = "approved",
    /// 已退回
    Returned = "returned",
    }
);

labelled_enum!(
    /// Where a problem came from.
    PaperSource, "paper_source", {
    /// 个别谈话
    Talk = "talk",
    /// 信访举报
    Petition = "petition",
    /// 走访
    Visit = "visit",
    /// 座谈会
    Forum = "forum",
    /// 查阅资料
    Files = "files",
    /// 数据比对
    DataCheck = "data-check",
    /// 其他
    Other = "other",
    }
);

/// A step of the sign-off chain, kept for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// User id.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// When (ms).
    pub at: i64,
}

/// A return with its reason (the "second search" loop is visible).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnNote {
    /// Who returned it.
    pub by: String,
    /// When (ms).
    pub at: i64,
    /// Why.
    pub reason: String,
}

/// A working paper: one problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkingPaper {
    /// Category path in the taxonomy, e.g. `六项纪律/廉洁纪律`.
    pub category: String,
    /// Source.
    pub source: PaperSource,
    /// One-line summary.
    pub summary: String,
    /// Facts: who, when, where, how, impact.
    pub facts: String,
    /// Basis for the finding (rules breached).
    pub basis: String,
    /// Evidence attachment hashes.
    pub evidence: Vec<String>,
    /// State.
    pub status: PaperStatus,
    /// Handlers who signed (two needed).
    pub handlers: Vec<Signature>,
    /// The 副组长's review.
    pub reviewed: Option<Signature>,
    /// The 组长's approval.
    pub approved: Option<Signature>,
    /// Returns, oldest first.
    pub returns: Vec<ReturnNote>,
}

impl RecordData for WorkingPaper {
    const KIND: RecordKind = RecordKind::Paper;
    fn status(&self) -> String {
        self.status.as_str().into()
    }
    fn tag(&self) -> Option<String> {
        Some(self.category.clone())
    }
    fn search_text(&self) -> (String, String) {
        (
            self.summary.clone(),
            format!("{} {} {}", self.category, self.facts, self.basis),
        )
    }
}

/// The raw working-paper form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PaperInput {
    /// Category path.
    #[serde(default)]
    pub category: String,
    /// Source identifier or label.
    #[serde(default)]
    pub source: String,
    /// Summary.
    #[serde(default)]
    pub summary: String,
    /// Facts.
    #[serde(default)]
    pub facts: String,
    /// Basis.
    #[serde(default)]
    pub basis: String,
}

impl WorkingPaper {
    /// Validates a new paper against the taxonomy (`categories`: the
    /// setting's lines).
    pub fn parse(input: &PaperInput, categories: &[String]) -> Result<WorkingPaper, CoreError> {
        let mut errors = Vec::new();
        let category = input.category.trim();
        if !categories.iter().any(|c| c == category) {
            errors.push(FieldError::field("category", t("error.category")));
        }
        let source = PaperSource::parse(&input.source);
        if source.is_none() {
            errors.push(FieldError::field("source", t("error.paper_source")));
        }
        for (field, value, max) in [
            ("summary", &input.summary, 200),
            ("facts", &input.facts, 20_000),
            ("basis", &input.basis, 5_000),
        ] {
            let n = value.trim().chars().count();
            if n == 0 {
                errors.push(FieldError::field(field, t("error.required")));
            } else if n > max {
                errors.push(FieldError::field(field, t("error.too_long")));
            }
        }
        match source {
            Some(source) if errors.is_empty() => Ok(WorkingPaper {
                category: category.to_owned(),
                source,
                summary: input.summary.trim().to_owned(),
                facts: input.facts.trim().to_owned(),
                basis: input.basis.trim().to_owned(),
                evidence: Vec::new(),
                status: PaperStatus::Draft,
                handlers: Vec::new(),
                reviewed: None,
                approved: None,
                returns: Vec::new(),
            }),
            _ => Err(CoreError::Invalid(errors)),
        }
    }

    /// Whether the content may still be edited (by the handlers).
    pub fn editable(&self) -> bool {
        matches!(self.status, PaperStatus::Draft | PaperStatus::Returned)
    }

    /// Applies a sign-off step. `role` is the actor's role in the team
    /// assigned to the paper's unit.
    pub fn apply(
        &mut self,
        step: PaperStep,
        role: TeamRole,
        who: Signature,
    ) -> Result<(), CoreError> {
        use PaperStatus::*;
        let refuse = || CoreError::invalid("status", t("error.paper_transition"));
        match (step, self.status) {
            (PaperStep::Sign, Draft | Returned | SignedOnce) => {
                // A returned paper is signed afresh by both handlers.
                if self.status == Returned {
                    self.handlers.clear();
                }
                if self.handlers.iter().any(|h| h.user_id == who.user_id) {
                    return Err(CoreError::invalid("status", t("error.paper_signed_twice")));
                }
                self.handlers.push(who);
                self.status = if self.handlers.len() >= 2 {
                    Signed
                } else {
                    SignedOnce
                };
            }
            (PaperStep::Review, Signed) if matches!(role, TeamRole::Deputy | TeamRole::Leader) => {
                self.reviewed = Some(who);
                self.status = Reviewed;
            }
            (PaperStep::Approve, Reviewed) if role == TeamRole::Leader => {
                self.approved = Some(who);
                self.status = Approved;
            }
            (PaperStep::Return(reason), SignedOnce | Signed | Reviewed)
                if matches!(role, TeamRole::Deputy | TeamRole::Leader) =>
            {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(CoreError::invalid("reason", t("error.reason_required")));
                }
                self.returns.push(ReturnNote {
                    by: who.name,
                    at: who.at,
                    reason: reason.to_owned(),
                });
                self.reviewed = None;
                self.status = Returned;
            }
            _ => return Err(refuse()),
        }
        Ok(())
    }
}

/// A step of the sign-off chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperStep {
    /// A handler signs (two needed).
    Sign,
    /// The 副组长 (or 组长) reviews.
    Review,
    /// The 组长 approves.
    Approve,
    /// A reviewer returns it with a reason.
    Return(String),
}

labelled_enum!(
    /// The four classes of clue (问题线索分类).
    ClueGrade, "clue_grade", {
    /// 建议进一步了解关注
    Further = "further",
    /// 建议了解关注
    Attention = "attention",
    /// 建议组织处理
    Organisational = "organisational",
    /// 建议参考
    Reference = "reference",
    }
);

/// A person a clue is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CluePerson {
    /// The registry person, when linked.
    pub person_id: Option<i64>,
    /// Name.
    pub name: String,
    /// Position.
    pub position: String,
}

/// A clue (问题线索).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clue {
    /// Title.
    pub title: String,
    /// What is alleged.
    pub summary: String,
    /// Grade.
    pub grade: ClueGrade,
    /// Persons involved.
    pub persons: Vec<CluePerson>,
    /// Linked working papers (record ids).
    pub paper_ids: Vec<i64>,
    /// Linked fieldwork entries (record ids).
    pub fieldwork_ids: Vec<i64>,
    /// Whether it was transferred.
    pub transferred: bool,
}

impl RecordData for Clue {
    const KIND: RecordKind = RecordKind::Clue;
    fn status(&self) -> String {
        if self.transferred {
            "transferred"
        } else {
            "open"
        }
        .into()
    }
    fn tag(&self) -> Option<String> {
        Some(self.grade.as_str().into())
    }
    fn search_text(&self) -> (String, String) {
        let names: Vec<&str> = self.persons.iter().map(|p| p.name.as_str()).collect();
        (
            self.title.clone(),
            format!("{} {}", names.join(" "), self.summary),
        )
    }
}

/// Parses the persons of a clue form: one per line, `姓名 职务`.
pub fn parse_clue_persons(raw: &str) -> Vec<CluePerson> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.splitn(2, [' ', '\t', '，', ',', '　']);
            CluePerson {
                person_id: None,
                name: parts.next().unwrap_or_default().trim().to_owned(),
                position: parts.next().unwrap_or_default().trim().to_owned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper() -> WorkingPaper {
        WorkingPaper::parse(
            &PaperInput {
                category: "六项纪律/廉洁纪律".into(),
                source: "个别谈话".into(),
                summary: "违规发放津补贴".into(),
                facts: "2025年…".into(),
                basis: "《中国共产党纪律处分条例》".into(),
            },
            &["六项纪律/廉洁纪律".to_owned()],
        )
        .expect("valid")
    }
    fn sig(id: i64) -> Signature {
        Signature {
            user_id: id,
            name: format!("u{id}"),
            at: id,
        }
    }

    #[test]
    fn two_handlers_then_deputy_then_leader() {
        let mut p = paper();
        p.apply(PaperStep::Sign, TeamRole::Member, sig(1))
            .expect("sign");
        assert_eq!(p.status, PaperStatus::SignedOnce);
        assert!(
            p.apply(PaperStep::Sign, TeamRole::Member, sig(1)).is_err(),
            "same person twice"
        );
        assert!(
            p.apply(PaperStep::Review, TeamRole::Deputy, sig(3))
                .is_err(),
            "one signature"
        );
        p.apply(PaperStep::Sign, TeamRole::Member, sig(2))
            .expect("sign");
        assert!(
            p.apply(PaperStep::Review, TeamRole::Member, sig(2))
                .is_err(),
            "member reviews"
        );
        assert!(
            p.apply(PaperStep::Approve, TeamRole::Leader, sig(4))
                .is_err(),
            "skips review"
        );
        p.apply(PaperStep::Review, TeamRole::Deputy, sig(3))
            .expect("review");
        assert!(
            p.apply(PaperStep::Approve, TeamRole::Deputy, sig(3))
                .is_err(),
            "deputy approves"
        );
        p.apply(PaperStep::Approve, TeamRole::Leader, sig(4))
            .expect("approve");
        assert_eq!(p.status, PaperStatus::Approved);
        assert!(!p.editable());
        for step in [
            PaperStep::Sign,
            PaperStep::Review,
            PaperStep::Return("x".into()),
        ] {
            assert!(
                p.apply(step, TeamRole::Leader, sig(4)).is_err(),
                "approved is final"
            );
        }
    }

    #[test]
    fn a_return_needs_a_reason_and_restarts_the_signatures() {
        let mut p = paper();
        p.apply(PaperStep::Sign, TeamRole::Member, sig(1))
            .expect("sign");
        p.apply(PaperStep::Sign, TeamRole::Member, sig(2))
            .expect("sign");
        assert!(p
            .apply(PaperStep::Return(" ".into()), TeamRole::Deputy, sig(3))
            .is_err());
        p.apply(
            PaperStep::Return("事实不清".into()),
            TeamRole::Deputy,
            sig(3),
        )
        .expect("return");
        assert_eq!(p.status, PaperStatus::Returned);
        assert!(p.editable());
        assert_eq!(p.returns[0].reason, "事实不清");
        p.apply(PaperStep::Sign, TeamRole::Member, sig(1))
            .expect("sign again");
        assert_eq!(p.handlers.len(), 1);
    }

    /// Every (step, status, role) combination: only the listed ones pass.
    #[test]
    fn transition_table() {
        use PaperStatus::*;
        let steps = [
            PaperStep::Sign,
            PaperStep::Review,
            PaperStep::Approve,
            PaperStep::Return("r".into()),
        ];
        for status in PaperStatus::ALL {
            for role in TeamRole::ALL {
                for step in &steps {
                    let mut p = paper();
                    p.status = *status;
                    let ok = p.apply(step.clone(), *role, sig(9)).is_ok();
                    let expected = match step {
                        PaperStep::Sign => matches!(status, Draft | Returned | SignedOnce),
                        PaperStep::Review => *status == Signed && *role != TeamRole::Member,
                        PaperStep::Approve => *status == Reviewed && *role == TeamRole::Leader,
                        PaperStep::Return(_) => {
                            matches!(status, SignedOnce | Signed | Reviewed)
                                && *role != TeamRole::Member
                        }
                    };
                    assert_eq!(ok, expected, "{step:?} {status:?} {role:?}");
                }
            }
        }
    }

    #[test]
    fn unknown_categories_are_refused() {
        let r = WorkingPaper::parse(
            &PaperInput {
                category: "不存在".into(),
                source: "talk".into(),
                summary: "x".into(),
                facts: "y".into(),
                basis: "z".into(),
            },
            &["六项纪律/廉洁纪律".to_owned()],
        );
        assert!(matches!(r, Err(CoreError::Invalid(v)) if v[0].field == "category"));
    }

    #[test]
    fn clue_persons_one_per_line() {
        let p = parse_clue_persons("王五 村党支部书记\n\n赵六，会计");
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[1].name.as_str(), p[1].position.as_str()),
            ("赵六", "会计")
        );
    }
}
