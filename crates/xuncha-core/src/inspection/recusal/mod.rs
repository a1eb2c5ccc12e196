//! The recusal engine (回避): which members of a 巡察 team must not inspect a
//! unit, and why.
//!
//! The classes follow the civil-service recusal rules: kinship with the
//! target's leadership (or, configurably, anyone in the unit), the inspector's
//! own work unit within N years, place of upbringing or long-term work, and
//! self-declared conflicts. Hard conflicts block the assignment; soft ones
//! (former colleagues) warn and need a recorded decision.
//!
//! [`assess`] is pure: the caller gathers the facts (with `today` from the
//! clock) and gets back every conflict with its chain of relations, step by
//! step, in Chinese.

use serde::{Deserialize, Serialize};

use crate::i18n::t;
use crate::registry::{Kinship, PostRank};

mod rules;
mod service;
#[cfg(test)]
mod tests;

/// Whose kin count for recusal (setting `recusal.kin_scope`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KinScope {
    /// Only the target's leadership (领导班子成员); setting value `leadership`.
    #[default]
    #[serde(rename = "leadership")]
    Leadership,
    /// Everyone in the target unit and its sub-units; setting value `unit`.
    #[serde(rename = "unit")]
    WholeUnit,
}

impl KinScope {
    /// Parses the setting value: `unit` is [`KinScope::WholeUnit`], anything
    /// else [`KinScope::Leadership`] (the narrower default).
    pub fn parse(s: &str) -> KinScope {
        if s.trim() == "unit" {
            KinScope::WholeUnit
        } else {
            KinScope::Leadership
        }
    }

    /// The setting value.
    pub fn as_str(self) -> &'static str {
        match self {
            KinScope::Leadership => "leadership",
            KinScope::WholeUnit => "unit",
        }
    }

    /// Chinese label from the catalogue.
    pub fn label(self) -> &'static str {
        match self {
            KinScope::Leadership => t("recusal.scope_leadership"),
            KinScope::WholeUnit => t("recusal.scope_unit"),
        }
    }
}

/// The county's recusal settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecusalRules {
    /// Whose kin count.
    pub kin_scope: KinScope,
    /// Years after leaving a unit during which its former staff may not
    /// inspect it (`recusal.work_years`); 0 keeps only current staff out.
    pub work_years: u32,
    /// Years of work in the target's township that make it a place of
    /// long-term work; 0 disables the rule.
    pub long_service_years: u32,
}

impl Default for RecusalRules {
    fn default() -> Self {
        RecusalRules {
            kin_scope: KinScope::Leadership,
            work_years: 3,
            long_service_years: 5,
        }
    }
}

/// One period of someone's work history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPeriod {
    /// The unit's id.
    pub unit_id: i64,
    /// The unit's name, for display.
    pub unit_name: String,
    /// The unit's materialised path (`/1/5/9/`).
    pub unit_path: String,
    /// The unit's region code (6, 9 or 12 digits), when known.
    pub region_code: Option<String>,
    /// Position held (职务).
    pub position: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`; `None` while current.
    pub to: Option<String>,
}

/// What is known about the inspector being assigned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorFacts {
    /// The inspector's person id.
    pub person_id: i64,
    /// Name as written.
    pub name: String,
    /// Region code of the place of upbringing or origin (成长地/籍贯).
    pub home_region: Option<String>,
    /// The unit the inspector currently works in: id, name, path.
    pub source_unit: Option<(i64, String, String)>,
    /// Work history.
    pub work: Vec<WorkPeriod>,
}

/// A person in the target unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetPerson {
    /// Person id.
    pub person_id: i64,
    /// Name as written.
    pub name: String,
    /// Post title (党委书记 …); `None` for ordinary staff.
    pub title: Option<String>,
    /// Rank of the leadership post; `None` for ordinary staff.
    pub rank: Option<PostRank>,
    /// Work history.
    pub work: Vec<WorkPeriod>,
}

/// What is known about the unit to be inspected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetFacts {
    /// Unit id.
    pub unit_id: i64,
    /// Unit name.
    pub unit_name: String,
    /// Materialised path; the unit's subtree is every path starting with it.
    pub unit_path: String,
    /// Region code, when known.
    pub region_code: Option<String>,
    /// The leadership (rank `Some`) and, when the kin scope is the whole
    /// unit, everyone in the unit's subtree.
    pub people: Vec<TargetPerson>,
}

/// A kinship relation of the inspector, one hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KinEdge {
    /// The relative's person id.
    pub other_person_id: i64,
    /// The recusal class of the relation.
    pub kind: Kinship,
    /// The relation as recorded (夫妻, 叔侄 …).
    pub detail: Option<String>,
}

/// A conflict the inspector declared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    /// The unit concerned.
    pub unit_id: i64,
    /// The inspector's words.
    pub reason: String,
}

/// Everything [`assess`] looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecusalFacts {
    /// The inspector.
    pub inspector: InspectorFacts,
    /// The unit to be inspected.
    pub target: TargetFacts,
    /// The inspector's kinship relations.
    pub kin: Vec<KinEdge>,
    /// The inspector's declared conflicts.
    pub declared: Vec<Declared>,
    /// Today, `YYYY-MM-DD`. When unreadable, the former-unit window is taken
    /// as unbounded (any past period counts) and open periods are left out of
    /// the long-service and colleague rules, which cannot measure them.
    pub today: String,
}

/// How a conflict weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Blocks the assignment.
    #[serde(rename = "hard")]
    Hard,
    /// Warns; the assignment needs a recorded decision.
    #[serde(rename = "soft")]
    Soft,
}

impl Severity {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hard => "hard",
            Severity::Soft => "soft",
        }
    }

    /// Chinese label from the catalogue.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Hard => t("recusal.severity_hard"),
            Severity::Soft => t("recusal.severity_soft"),
        }
    }
}

/// The recusal class of a conflict; the order is the report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ConflictKind {
    /// Kin of someone in the unit.
    #[serde(rename = "kinship")]
    Kinship,
    /// Works, or worked within the window, in the unit or a sub-unit.
    #[serde(rename = "former-unit")]
    FormerUnit,
    /// Grew up in, or comes from, the target's township or village.
    #[serde(rename = "home-area")]
    HomeArea,
    /// Worked long in the target's township.
    #[serde(rename = "long-service")]
    LongService,
    /// Worked beside a leader of the unit.
    #[serde(rename = "former-colleague")]
    FormerColleague,
    /// Declared by the inspector.
    #[serde(rename = "declared")]
    Declared,
}

impl ConflictKind {
    /// Every value, in report order.
    pub const ALL: &'static [ConflictKind] = &[
        ConflictKind::Kinship,
        ConflictKind::FormerUnit,
        ConflictKind::HomeArea,
        ConflictKind::LongService,
        ConflictKind::FormerColleague,
        ConflictKind::Declared,
    ];

    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Kinship => "kinship",
            ConflictKind::FormerUnit => "former-unit",
            ConflictKind::HomeArea => "home-area",
            ConflictKind::LongService => "long-service",
            ConflictKind::FormerColleague => "former-colleague",
            ConflictKind::Declared => "declared",
        }
    }

    /// Chinese label from the catalogue.
    pub fn label(self) -> &'static str {
        match self {
            ConflictKind::Kinship => t("recusal.kind_kinship"),
            ConflictKind::FormerUnit => t("recusal.kind_former_unit"),
            ConflictKind::HomeArea => t("recusal.kind_home_area"),
            ConflictKind::LongService => t("recusal.kind_long_service"),
            ConflictKind::FormerColleague => t("recusal.kind_former_colleague"),
            ConflictKind::Declared => t("recusal.kind_declared"),
        }
    }
}

/// One reason why the inspector should not inspect the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// How it weighs.
    pub severity: Severity,
    /// Its class.
    pub kind: ConflictKind,
    /// The related person in the unit, for kinship and colleague conflicts.
    pub person_id: Option<i64>,
    /// The relations from the inspector to the unit, step by step, in Chinese
    /// (`["张三（巡察干部）", "夫妻关系（夫妻）", "李四（城关镇 党委书记）"]`).
    pub chain: Vec<String>,
    /// One Chinese sentence.
    pub reason: String,
}

/// Every conflict between the inspector and the target: hard ones first, then
/// soft; within each, by [`ConflictKind`] order, then person id. A (kind,
/// person) pair is reported at most once.
pub fn assess(facts: &RecusalFacts, rules: &RecusalRules) -> Vec<Conflict> {
    let ctx = rules::Ctx::new(facts);
    let mut out = Vec::new();
    rules::kinship(&ctx, rules, &mut out);
    let reported = rules::former_unit(&ctx, rules, &mut out);
    rules::home_area(&ctx, &mut out);
    service::long_service(&ctx, rules, &reported, &mut out);
    service::colleagues(&ctx, &mut out);
    rules::declared(&ctx, &mut out);
    out.sort_by_key(|c| (c.severity, c.kind, c.person_id));
    out.dedup_by_key(|c| (c.kind, c.person_id));
    out
}

/// Whether any conflict blocks the assignment.
pub fn has_hard(conflicts: &[Conflict]) -> bool {
    conflicts.iter().any(|c| c.severity == Severity::Hard)
}
