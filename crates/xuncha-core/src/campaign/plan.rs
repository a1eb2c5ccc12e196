//! The planned day of a target: the office spreads a sweep or a visit
//! campaign over several days — this building on Monday, that floor and the
//! off-site building on Tuesday, these villages this week — and progress
//! shows, per planned day, what was planned and what is done. A target
//! planned for a day already past and not complete is flagged (逾期未查,
//! 逾期未走访).

use serde::Serialize;

use super::{CampaignKind, CampaignTarget, TargetLevel};

/// Whether a target may carry a planned day: a building or floor, a unit
/// checked whole, or a village. Rooms are planned with their floor, and
/// households with their village.
pub fn plannable(level: TargetLevel) -> bool {
    matches!(
        level,
        TargetLevel::Building | TargetLevel::Floor | TargetLevel::Unit | TargetLevel::Village
    )
}

/// A target planned for a day, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedTarget {
    /// The target.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its level.
    pub level: TargetLevel,
    /// Its team.
    pub team_id: Option<i64>,
    /// Rooms or households to do.
    pub leaves: i64,
    /// Of those, done.
    pub done: i64,
    /// Every room inspected, every household visited.
    pub complete: bool,
    /// Planned for a day before today and not complete.
    pub overdue: bool,
}

/// One planned day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanDay {
    /// The day (`YYYY-MM-DD`).
    pub day: String,
    /// The targets planned for it, in tree order.
    pub targets: Vec<PlannedTarget>,
    /// How many of them are complete.
    pub complete: usize,
    /// How many are overdue.
    pub overdue: usize,
}

/// The plan by day, oldest first, of the `targets` the actor may see (the
/// plan of a hidden target is never shown), as of `today`. `plan` holds
/// (target id, planned day).
pub fn by_day(targets: &[CampaignTarget], plan: &[(i64, String)], today: &str) -> Vec<PlanDay> {
    let mut days: Vec<PlanDay> = Vec::new();
    for t in targets {
        let Some((_, day)) = plan.iter().find(|(id, _)| *id == t.id) else {
            continue;
        };
        let complete = t.leaves > 0 && t.done >= t.leaves;
        let p = PlannedTarget {
            id: t.id,
            name: t.name.clone(),
            level: t.level,
            team_id: t.team_id,
            leaves: t.leaves,
            done: t.done,
            complete,
            overdue: !complete && day.as_str() < today,
        };
        match days.iter_mut().find(|d| d.day == *day) {
            Some(d) => d.targets.push(p),
            None => days.push(PlanDay {
                day: day.clone(),
                targets: vec![p],
                complete: 0,
                overdue: 0,
            }),
        }
    }
    for d in &mut days {
        d.complete = d.targets.iter().filter(|t| t.complete).count();
        d.overdue = d.targets.iter().filter(|t| t.overdue).count();
    }
    days.sort_by(|a, b| a.day.cmp(&b.day));
    days
}

/// The key of the flag on an overdue target, by kind of campaign.
pub fn overdue_label(kind: CampaignKind) -> &'static str {
    match kind {
        CampaignKind::Checklist => "campaign.plan_overdue_checklist",
        CampaignKind::Visit => "campaign.plan_overdue_visit",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: i64, level: TargetLevel, leaves: i64, done: i64) -> CampaignTarget {
        CampaignTarget {
            id,
            campaign_id: 1,
            parent_id: None,
            level,
            name: format!("t{id}"),
            path: format!("/{id}/"),
            unit_id: None,
            team_id: Some(7),
            leaves,
            done,
            score: None,
            last_day: None,
        }
    }

    #[test]
    fn days_show_what_was_planned_done_and_overdue() {
        let targets = [
            target(1, TargetLevel::Building, 10, 10),
            target(2, TargetLevel::Floor, 5, 3),
            target(3, TargetLevel::Building, 8, 0),
            target(4, TargetLevel::Village, 0, 0),
            target(5, TargetLevel::Building, 4, 0),
        ];
        let plan = [
            (1, "2026-11-02".to_owned()),
            (2, "2026-11-02".to_owned()),
            (3, "2026-11-03".to_owned()),
            (4, "2026-11-01".to_owned()),
            // Not among the targets the actor sees: never shown.
            (99, "2026-11-01".to_owned()),
        ];
        let days = by_day(&targets, &plan, "2026-11-03");
        let shape: Vec<(&str, Vec<i64>, usize, usize)> = days
            .iter()
            .map(|d| {
                let ids = d.targets.iter().map(|t| t.id).collect();
                (d.day.as_str(), ids, d.complete, d.overdue)
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                // A village with no household listed is not complete.
                ("2026-11-01", vec![4], 0, 1),
                ("2026-11-02", vec![1, 2], 1, 1),
                // Today's plan is not overdue yet.
                ("2026-11-03", vec![3], 0, 0),
            ]
        );
        assert!(plannable(TargetLevel::Floor) && plannable(TargetLevel::Village));
        assert!(!plannable(TargetLevel::Room) && !plannable(TargetLevel::Township));
    }
}
