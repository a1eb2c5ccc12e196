//! Rounds (届次/轮次), their teams and target units, and the stages a team's
//! work on one unit goes through.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;
use crate::registry::parse_date;

labelled_enum!(
    /// The type of a round (常规/专项/机动/回头看/延伸/提级/交叉).
    RoundKind, "round_kind", {
    /// 常规巡察
    Regular = "regular",
    /// 专项巡察
    Special = "special",
    /// 机动巡察
    Mobile = "mobile",
    /// 巡察“回头看”
    LookBack = "look-back",
    /// 延伸巡察
    Extended = "extended",
    /// 提级巡察
    Elevated = "elevated",
    /// 交叉巡察
    Cross = "cross",
    }
);

labelled_enum!(
    /// Where a round as a whole stands.
    RoundStatus, "round_status", {
    /// 筹备中: targets and teams are being formed.
    Planning = "planning",
    /// 进行中
    Active = "active",
    /// 已结束: archived; its records are read-only.
    Finished = "finished",
    }
);

labelled_enum!(
    /// The stages of one team's work on one unit (product.md, Module 1).
    Stage, "stage", {
    /// 计划
    Plan = "plan",
    /// 准备
    Prepare = "prepare",
    /// 进驻
    Enter = "enter",
    /// 了解（驻点工作）
    Fieldwork = "fieldwork",
    /// 报告
    Report = "report",
    /// 反馈
    Feedback = "feedback",
    /// 移交
    Transfer = "transfer",
    /// 整改
    Rectify = "rectify",
    /// 整改评估
    Evaluate = "evaluate",
    /// 归档
    Archive = "archive",
    }
);

impl Stage {
    /// The position of the stage in the sequence.
    pub fn index(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

labelled_enum!(
    /// A member's role in a team.
    TeamRole, "team_role", {
    /// 组长
    Leader = "leader",
    /// 副组长
    Deputy = "deputy",
    /// 组员
    Member = "member",
    }
);

/// A round as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    /// Id.
    pub id: i64,
    /// 届次 (the committee's term).
    pub term: i64,
    /// 轮次 within the term.
    pub number: i64,
    /// Type.
    pub kind: RoundKind,
    /// Title, e.g. 县委第十五届第三轮巡察.
    pub title: String,
    /// First day.
    pub start_date: String,
    /// Last day, once known.
    pub end_date: Option<String>,
    /// Status.
    pub status: RoundStatus,
    /// Creation time (ms).
    pub created_at: i64,
}

/// The raw form of a new round.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoundInput {
    /// 届次.
    #[serde(default)]
    pub term: String,
    /// 轮次.
    #[serde(default)]
    pub number: String,
    /// Type identifier or label.
    #[serde(default)]
    pub kind: String,
    /// Title; generated when empty.
    #[serde(default)]
    pub title: String,
    /// First day.
    #[serde(default)]
    pub start_date: String,
    /// Last day.
    #[serde(default)]
    pub end_date: String,
}

/// A validated new round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRound {
    /// 届次.
    pub term: i64,
    /// 轮次.
    pub number: i64,
    /// Type.
    pub kind: RoundKind,
    /// Title.
    pub title: String,
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: Option<String>,
}

impl NewRound {
    /// Validates a form, reporting every bad field.
    pub fn parse(input: &RoundInput) -> Result<NewRound, CoreError> {
        let mut errors = Vec::new();
        let term = positive(&input.term, "term", &mut errors);
        let number = positive(&input.number, "number", &mut errors);
        let kind = RoundKind::parse(&input.kind);
        if kind.is_none() {
            errors.push(FieldError::field("kind", t("error.round_kind")));
        }
        let start = parse_date(&input.start_date);
        if start.is_none() {
            errors.push(FieldError::field("start_date", t("error.date")));
        }
        let end = if input.end_date.trim().is_empty() {
            None
        } else {
            let e = parse_date(&input.end_date);
            if e.is_none() {
                errors.push(FieldError::field("end_date", t("error.date")));
            }
            e
        };
        if let (Some(s), Some(e)) = (&start, &end) {
            if e < s {
                errors.push(FieldError::field("end_date", t("error.end_before_start")));
            }
        }
        match (term, number, kind, start) {
            (Some(term), Some(number), Some(kind), Some(start_date)) if errors.is_empty() => {
                let title = match input.title.trim() {
                    "" => crate::i18n::tf(
                        "round.default_title",
                        &[
                            ("term", &term.to_string()),
                            ("number", &number.to_string()),
                            ("kind", kind.label()),
                        ],
                    ),
                    s => s.to_owned(),
                };
                Ok(NewRound {
                    term,
                    number,
                    kind,
                    title,
                    start_date,
                    end_date: end,
                })
            }
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}

fn positive(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=999).contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::field(field, t("error.positive_number")));
            None
        }
    }
}

/// A team of a round.
#[derive(Debug, Clone, Serialize)]
pub struct Team {
    /// Id.
    pub id: i64,
    /// The round.
    pub round_id: i64,
    /// Name, e.g. 第一巡察组.
    pub name: String,
}

/// A member of a team.
#[derive(Debug, Clone, Serialize)]
pub struct TeamMember {
    /// Id of the membership.
    pub id: i64,
    /// The team.
    pub team_id: i64,
    /// The round.
    pub round_id: i64,
    /// The inspector (pool entry).
    pub inspector_id: i64,
    /// The inspector's person id.
    pub person_id: i64,
    /// Their name.
    pub name: String,
    /// The user account linked to the inspector, if any.
    pub user_id: Option<i64>,
    /// Role in the team.
    pub role: TeamRole,
    /// When the recusal statement (回避承诺) was signed (ms).
    pub statement_at: Option<i64>,
    /// When the confidentiality pledge (保密承诺) was signed (ms).
    pub pledge_at: Option<i64>,
}

/// A unit inspected in a round, with the team assigned to it and its stage.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// Id.
    pub id: i64,
    /// The round.
    pub round_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Its materialised path (permission checks).
    #[serde(skip)]
    pub unit_path: String,
    /// The assigned team.
    pub team_id: Option<i64>,
    /// Where the work stands.
    pub stage: Stage,
    /// How many times the 领导小组 returned the report.
    pub report_returns: i64,
    /// Day the feedback opinion was given (the rectification clock starts).
    pub feedback_date: Option<String>,
    /// Rectification rating, once evaluated.
    pub rect_rating: Option<String>,
}

/// What a user's account is assigned to: a team's membership and the units
/// that team inspects. Loaded with the actor; the policy reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The round.
    pub round_id: i64,
    /// The team.
    pub team_id: i64,
    /// Role in the team.
    pub role: TeamRole,
    /// Paths of the team's target units.
    pub unit_paths: Vec<String>,
}

labelled_enum!(
    /// The decision on a conflict found at assignment.
    RecusalDecision, "recusal_decision", {
    /// 硬性回避：不得参加
    Blocked = "blocked",
    /// 待决定（一般利害关系）
    Pending = "pending",
    /// 决定回避
    Recused = "recused",
    /// 经研究不需回避
    Allowed = "allowed",
    }
);

impl RecusalDecision {
    /// Whether the unit is hidden from the inspector (anything but allowed:
    /// a pending decision fails closed).
    pub fn hides(self) -> bool {
        !matches!(self, RecusalDecision::Allowed)
    }
}

/// A conflict between an inspector and a target unit, with its decision.
#[derive(Debug, Clone, Serialize)]
pub struct RecusalRecord {
    /// Id.
    pub id: i64,
    /// The round.
    pub round_id: i64,
    /// The inspector.
    pub inspector_id: i64,
    /// Their name.
    pub inspector_name: String,
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Its path.
    #[serde(skip)]
    pub unit_path: String,
    /// Conflict kind identifier (see [`super::recusal::ConflictKind`]).
    pub kind: String,
    /// `hard` or `soft`.
    pub severity: String,
    /// One sentence.
    pub reason: String,
    /// The chain of relations.
    pub chain: Vec<String>,
    /// Decision.
    pub decision: RecusalDecision,
    /// Why (for recused/allowed).
    pub decision_reason: Option<String>,
}

/// A conflict to record.
#[derive(Debug, Clone)]
pub struct NewRecusal {
    /// The round.
    pub round_id: i64,
    /// The inspector.
    pub inspector_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its path.
    pub unit_path: String,
    /// Conflict kind identifier.
    pub kind: String,
    /// `hard` or `soft`.
    pub severity: String,
    /// Reason.
    pub reason: String,
    /// Chain.
    pub chain: Vec<String>,
    /// Initial decision (blocked for hard, pending for soft, recused for declared).
    pub decision: RecusalDecision,
}

/// What changes on a target.
#[derive(Debug, Clone, Default)]
pub struct TargetUpdate {
    /// Assign a team (`Some(None)` clears it).
    pub team_id: Option<Option<i64>>,
    /// Move to a stage.
    pub stage: Option<Stage>,
    /// Count one more report return.
    pub add_report_return: bool,
    /// Feedback day.
    pub feedback_date: Option<String>,
    /// Rectification rating.
    pub rect_rating: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_form_is_validated_field_by_field() {
        let r = NewRound::parse(&RoundInput {
            term: "十五".into(),
            number: "3".into(),
            kind: "常规巡察".into(),
            start_date: "2026-03-01".into(),
            end_date: "2026-02-01".into(),
            ..Default::default()
        });
        match r {
            Err(CoreError::Invalid(v)) => {
                let f: Vec<&str> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["term", "end_date"]);
            }
            other => panic!("expected invalid: {other:?}"),
        }
        let ok = NewRound::parse(&RoundInput {
            term: "15".into(),
            number: "3".into(),
            kind: "regular".into(),
            start_date: "2026年3月1日".into(),
            ..Default::default()
        })
        .expect("valid");
        assert_eq!(ok.start_date, "2026-03-01");
        assert!(
            ok.title.contains("15") && ok.title.contains('3'),
            "{}",
            ok.title
        );
    }

    #[test]
    fn stages_are_in_order() {
        assert_eq!(Stage::Plan.index(), 0);
        assert!(Stage::Feedback.index() < Stage::Rectify.index());
        assert_eq!(Stage::ALL.len(), 10);
    }
}
