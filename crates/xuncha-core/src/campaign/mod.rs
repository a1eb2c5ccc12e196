//! Field campaigns beyond 巡察 (Module 4): checklist inspections such as a
//! monthly dormitory sweep, and household visit campaigns (民情走访). Both
//! share the same shape — a campaign owned by a unit, teams whose members
//! have duties, a tree of targets, records of the work on each target, and
//! follow-ups with deadlines (hazards, demands) — and differ in their leaves:
//! rooms inspected against a checklist, or households visited with a set of
//! questions.

pub mod checklist;
pub mod custody;
pub mod followup;
pub mod plan;
pub mod targets;
pub mod visit;
pub mod visit_ledger;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;

pub use checklist::{ChecklistItem, ItemKind, RoomRecordInput, RoomResult};
pub use custody::{Confiscation, ConfiscationInput, ItemStatus, ReturnInput};
pub use followup::{Followup, FollowupKind, FollowupStatus, Satisfaction};
pub use targets::{TargetLevel, TargetLine};
pub use visit::{DemandInput, Household, NewHousehold, VisitInput};

labelled_enum!(
    /// What a campaign inspects.
    CampaignKind, "campaign_kind", {
        /// Targets (buildings → floors → rooms, or units) rated against a checklist.
        Checklist = "checklist",
        /// Households in villages visited with a question set (民情走访).
        Visit = "visit",
    }
);

labelled_enum!(
    /// Whether work may still be recorded.
    CampaignStatus, "campaign_status", {
        /// Teams record their work.
        Active = "active",
        /// Finished: read-only.
        Closed = "closed",
    }
);

/// What a campaign asks of its teams, fixed when it is created (a later
/// change of the default templates does not change it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignSpec {
    /// The checklist (checklist campaigns).
    #[serde(default)]
    pub checklist: Vec<ChecklistItem>,
    /// The standard questions (visit campaigns, e.g. 民情十问).
    #[serde(default)]
    pub questions: Vec<String>,
    /// Duties of team members (安保、开门、记录、拍照 …).
    #[serde(default)]
    pub duties: Vec<String>,
    /// Categories of demands (visit campaigns).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Calendar days a hazard or demand is given to be dealt with.
    pub followup_days: i64,
}

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: CampaignKind,
    /// Status.
    pub status: CampaignStatus,
    /// The organising unit; the campaign is in the jurisdiction of its path.
    pub unit_id: i64,
    /// The organising unit's name.
    pub unit_name: String,
    /// The organising unit's path.
    pub unit_path: String,
    /// Title (2026年11月宿舍卫生安全检查).
    pub title: String,
    /// Series name shared by recurring campaigns (monthly comparison).
    pub series: String,
    /// What it asks.
    pub spec: CampaignSpec,
    /// First planned day.
    pub starts_on: String,
    /// Last planned day.
    pub ends_on: String,
    /// Version for optimistic concurrency.
    pub version: i64,
}

/// A validated campaign to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCampaign {
    /// Kind.
    pub kind: CampaignKind,
    /// Organising unit.
    pub unit_id: i64,
    /// Its path (filled in by the use case).
    pub unit_path: String,
    /// Title.
    pub title: String,
    /// Series.
    pub series: String,
    /// Spec.
    pub spec: CampaignSpec,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
}

/// The campaign form as typed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct CampaignInput {
    /// `checklist` or `visit`.
    #[serde(default)]
    pub kind: String,
    /// Organising unit id.
    #[serde(default)]
    pub unit_id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Series (defaults to the title without its month).
    #[serde(default)]
    pub series: String,
    /// First day.
    #[serde(default)]
    pub starts_on: String,
    /// Last day.
    #[serde(default)]
    pub ends_on: String,
    /// Checklist, one item a line.
    #[serde(default)]
    pub checklist: String,
    /// Questions, one a line.
    #[serde(default)]
    pub questions: String,
    /// Duties, one a line.
    #[serde(default)]
    pub duties: String,
    /// Demand categories, one a line.
    #[serde(default)]
    pub categories: String,
    /// Days given to hazards and demands.
    #[serde(default)]
    pub followup_days: String,
    /// Campaign to copy targets and teams from (a monthly repeat).
    #[serde(default)]
    pub copy_from: String,
}

/// Non-empty trimmed lines.
pub(crate) fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl CampaignInput {
    /// Validates the form; every problem is named by field.
    pub fn parse(&self) -> Result<NewCampaign, CoreError> {
        let mut errors = Vec::new();
        let kind = CampaignKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::field("kind", t("error.campaign_kind")));
        }
        let unit_id = self.unit_id.trim().parse::<i64>().ok();
        if unit_id.is_none() {
            errors.push(FieldError::field("unit_id", t("error.required")));
        }
        let title = self.title.trim().to_owned();
        if title.chars().count() < 2 || title.chars().count() > 100 {
            errors.push(FieldError::field("title", t("error.campaign_title")));
        }
        let day = |f: &str, v: &str, errors: &mut Vec<FieldError>| {
            let v = v.trim();
            if crate::inspection::workdays::parse_iso(v).is_none() {
                errors.push(FieldError::field(f, t("error.date")));
            }
            v.to_owned()
        };
        let starts_on = day("starts_on", &self.starts_on, &mut errors);
        let ends_on = day("ends_on", &self.ends_on, &mut errors);
        if !starts_on.is_empty() && !ends_on.is_empty() && ends_on < starts_on {
            errors.push(FieldError::field("ends_on", t("error.date_order")));
        }
        let followup_days = match self.followup_days.trim() {
            "" => 7,
            s => match s.parse::<i64>() {
                Ok(n) if (1..=365).contains(&n) => n,
                _ => {
                    errors.push(FieldError::field("followup_days", t("error.campaign_days")));
                    7
                }
            },
        };
        let mut spec = CampaignSpec {
            duties: lines(&self.duties),
            categories: lines(&self.categories),
            followup_days,
            ..CampaignSpec::default()
        };
        match kind {
            Some(CampaignKind::Checklist) => match checklist::parse_items(&self.checklist) {
                Ok(items) => spec.checklist = items,
                Err(mut e) => errors.append(&mut e),
            },
            Some(CampaignKind::Visit) => {
                spec.questions = lines(&self.questions);
                if spec.questions.is_empty() {
                    errors.push(FieldError::field(
                        "questions",
                        t("error.campaign_questions"),
                    ));
                }
                if spec.categories.is_empty() {
                    errors.push(FieldError::field(
                        "categories",
                        t("error.campaign_categories"),
                    ));
                }
            }
            None => {}
        }
        if !errors.is_empty() {
            return Err(CoreError::Invalid(errors));
        }
        let series = match self.series.trim() {
            "" => title.clone(),
            s => s.to_owned(),
        };
        Ok(NewCampaign {
            kind: kind.unwrap_or(CampaignKind::Checklist),
            unit_id: unit_id.unwrap_or_default(),
            unit_path: String::new(),
            title,
            series,
            spec,
            starts_on,
            ends_on,
        })
    }
}

/// A team of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignTeam {
    /// Id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: i64,
    /// Name (第一组).
    pub name: String,
    /// Members.
    pub members: Vec<CampaignMember>,
}

/// A member of a campaign team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignMember {
    /// Team.
    pub team_id: i64,
    /// User.
    pub user_id: i64,
    /// Login.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Duty on the team.
    pub duty: String,
    /// Records (room inspections or visits) made by this member.
    pub records: i64,
}

/// A target of a campaign: a building, floor, room or unit, or a township or
/// village (whose households are listed separately).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignTarget {
    /// Id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: i64,
    /// Parent target.
    pub parent_id: Option<i64>,
    /// Level.
    pub level: TargetLevel,
    /// Name (1号楼, 3层, 301, 青石村).
    pub name: String,
    /// Ids from the top, `/12/34/`, for ordering and subtrees.
    pub path: String,
    /// The registry unit it stands for, if any.
    pub unit_id: Option<i64>,
    /// The team it is assigned to.
    pub team_id: Option<i64>,
    /// Leaves below (rooms, or households of a village), itself for a leaf.
    pub leaves: i64,
    /// Of those, the ones done (inspected rooms, visited households).
    pub done: i64,
    /// Latest score of a room (tenths of a point), if rated.
    pub score: Option<i64>,
    /// Day of the latest record.
    pub last_day: Option<String>,
}

impl CampaignTarget {
    /// Share done, in percent (0 when there is nothing to do).
    pub fn percent(&self) -> i64 {
        (self.done * 100).checked_div(self.leaves).unwrap_or(0)
    }
}

/// A record of work on one leaf: a room inspected, or a household visited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignRecord {
    /// Id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: i64,
    /// The room (checklist) or the village (visit).
    pub target_id: i64,
    /// The household visited.
    pub household_id: Option<i64>,
    /// The team that did it.
    pub team_id: Option<i64>,
    /// Day of the work.
    pub day: String,
    /// Total score in tenths (checklist).
    pub score: Option<i64>,
    /// What was found (typed per kind).
    pub data: RecordData,
    /// Photos (blob hashes).
    pub photos: Vec<String>,
    /// Who recorded it.
    pub recorded_by: i64,
    /// Their display name.
    pub recorder: String,
    /// When.
    pub recorded_at: i64,
}

/// The kind-specific part of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordData {
    /// A room rated against the checklist.
    Room(RoomResult),
    /// A household visit.
    Visit(visit::VisitResult),
}

/// What the store needs to add a record, its custody items and follow-ups in
/// one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRecord {
    /// Campaign.
    pub campaign_id: i64,
    /// Room or village.
    pub target_id: i64,
    /// Household.
    pub household_id: Option<i64>,
    /// Team.
    pub team_id: Option<i64>,
    /// Day.
    pub day: String,
    /// Score.
    pub score: Option<i64>,
    /// Data.
    pub data: RecordData,
    /// Photos.
    pub photos: Vec<String>,
    /// Makes a re-sent form (poor connection) a no-op instead of a duplicate.
    pub client_key: String,
    /// Items confiscated.
    pub items: Vec<custody::NewConfiscation>,
    /// Hazards or demands raised.
    pub followups: Vec<followup::NewFollowup>,
}
