//! Follow-ups of field work with a deadline: safety hazards found in a room
//! (整改期限) and demands (诉求) raised in a household visit, handled by a
//! responsible department and closed with the household's satisfaction.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::{t, tf};
use crate::labels::labelled_enum;

labelled_enum!(
    /// What is followed up.
    FollowupKind, "followup_kind", {
        /// A safety hazard.
        Hazard = "hazard",
        /// A household's demand.
        Demand = "demand",
    }
);

labelled_enum!(
    /// Where a follow-up stands.
    FollowupStatus, "followup_status", {
        /// Not yet taken up.
        Open = "open",
        /// Being handled.
        Doing = "doing",
        /// Dealt with (办结 / 整改完成).
        Done = "done",
    }
);

labelled_enum!(
    /// The household's judgement of how a demand was handled.
    Satisfaction, "satisfaction", {
        /// 满意.
        Satisfied = "satisfied",
        /// 基本满意.
        Basic = "basic",
        /// 不满意.
        Unsatisfied = "unsatisfied",
    }
);

/// A follow-up to store with its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowup {
    /// Kind.
    pub kind: FollowupKind,
    /// Category of a demand (from the campaign's list).
    pub category: Option<String>,
    /// Responsible department.
    pub department: Option<String>,
    /// What it is.
    pub content: String,
    /// Deadline.
    pub deadline: String,
}

/// A follow-up as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Followup {
    /// Id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: i64,
    /// Kind.
    pub kind: FollowupKind,
    /// The room or village.
    pub target_id: i64,
    /// Where, in words (1号楼 / 3层 / 301, or 青石镇 / 青石村 / 户主).
    pub place: String,
    /// The household of a demand.
    pub household_id: Option<i64>,
    /// The record it came from.
    pub record_id: i64,
    /// The team.
    pub team_id: Option<i64>,
    /// Category.
    pub category: Option<String>,
    /// Responsible department.
    pub department: Option<String>,
    /// What it is.
    pub content: String,
    /// Deadline.
    pub deadline: String,
    /// Status.
    pub status: FollowupStatus,
    /// How it was dealt with.
    pub resolution: Option<String>,
    /// The household's satisfaction (demands).
    pub satisfaction: Option<Satisfaction>,
    /// The petition it became, if any.
    pub petition_id: Option<i64>,
    /// Version.
    pub version: i64,
}

impl Followup {
    /// Whether it is past its deadline and not done.
    pub fn overdue(&self, today: &str) -> bool {
        self.status != FollowupStatus::Done && self.deadline.as_str() < today
    }
}

/// The update form of a follow-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct FollowupUpdate {
    /// New status.
    #[serde(default)]
    pub status: String,
    /// Responsible department.
    #[serde(default)]
    pub department: String,
    /// How it was dealt with.
    #[serde(default)]
    pub resolution: String,
    /// Satisfaction (on closing a demand).
    #[serde(default)]
    pub satisfaction: String,
    /// Version read.
    #[serde(default)]
    pub version: String,
}

/// A validated update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowupChange {
    /// Status.
    pub status: FollowupStatus,
    /// Department.
    pub department: Option<String>,
    /// Resolution.
    pub resolution: Option<String>,
    /// Satisfaction.
    pub satisfaction: Option<Satisfaction>,
}

impl FollowupUpdate {
    /// Validates: closing needs how it was dealt with, and a demand the
    /// household's satisfaction.
    pub fn parse(&self, kind: FollowupKind) -> Result<FollowupChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = FollowupStatus::parse(&self.status);
        if status.is_none() {
            errors.push(FieldError::field("status", t("error.required")));
        }
        let resolution = self.resolution.trim();
        let satisfaction = match self.satisfaction.trim() {
            "" => None,
            s => {
                let v = Satisfaction::parse(s);
                if v.is_none() {
                    errors.push(FieldError::field("satisfaction", t("error.required")));
                }
                v
            }
        };
        if status == Some(FollowupStatus::Done) {
            if resolution.is_empty() {
                errors.push(FieldError::field(
                    "resolution",
                    t("error.followup_resolution"),
                ));
            }
            if kind == FollowupKind::Demand && satisfaction.is_none() {
                errors.push(FieldError::field(
                    "satisfaction",
                    t("error.followup_satisfaction"),
                ));
            }
        }
        for (field, v, max) in [
            ("resolution", resolution, 2000),
            ("department", self.department.trim(), 100),
        ] {
            if v.chars().count() > max {
                errors.push(FieldError::field(
                    field,
                    tf("error.too_long_n", &[("max", &max.to_string())]),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        Ok(FollowupChange {
            status: status.unwrap_or(FollowupStatus::Open),
            department: opt(&self.department),
            resolution: opt(resolution),
            satisfaction,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_a_demand_needs_resolution_and_satisfaction() {
        let u = FollowupUpdate {
            status: "done".into(),
            ..Default::default()
        };
        let e = u.parse(FollowupKind::Demand).expect_err("invalid");
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["resolution", "satisfaction"]);
        let u = FollowupUpdate {
            status: "done".into(),
            resolution: "已拆除".into(),
            ..Default::default()
        };
        assert!(u.parse(FollowupKind::Hazard).is_ok());
    }

    #[test]
    fn overdue_until_done() {
        let mut f = Followup {
            id: 1,
            campaign_id: 1,
            kind: FollowupKind::Demand,
            target_id: 1,
            place: String::new(),
            household_id: None,
            record_id: 1,
            team_id: None,
            category: None,
            department: None,
            content: "修路".into(),
            deadline: "2026-11-20".into(),
            status: FollowupStatus::Doing,
            resolution: None,
            satisfaction: None,
            petition_id: None,
            version: 1,
        };
        assert!(f.overdue("2026-11-21"));
        assert!(!f.overdue("2026-11-20"));
        f.status = FollowupStatus::Done;
        assert!(!f.overdue("2026-12-01"));
    }
}
