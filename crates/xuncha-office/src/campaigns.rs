//! The field campaigns' files (Module 4): for a checklist campaign (a
//! dormitory sweep) a workbook of progress, results, rankings, the custody
//! register and the hazards, and a report with photos; for a visit campaign
//! (民情走访) a workbook of coverage, teams and the demand register, and a
//! report of coverage and demand handling.
//!
//! Every function is pure: the caller loads what the actor may see (the
//! use cases in `xuncha_core::usecases::campaigns`) and passes it in, with
//! photos as bytes and today's date, and gets the file's bytes back.
//! Rankings, full place names and team coverage come from the use cases'
//! views, so the files say what the pages say.

mod checklist;
mod visits;

use std::collections::HashMap;

use xuncha_core::campaign::checklist::points;
use xuncha_core::campaign::{CampaignTarget, CampaignTeam, Followup, FollowupStatus};
use xuncha_core::i18n::{t, tf};
use xuncha_core::usecases::campaigns::views;

use crate::docx::chinese_date;
use crate::Cell;

pub use checklist::{checklist_report, checklist_workbook, MAX_PHOTOS};
pub use visits::{visit_report, visit_workbook};

/// Catalogue strings of this module's `campaign_export` section.
fn s(key: &str) -> &'static str {
    t(&format!("campaign_export.{key}"))
}

/// Column headers from the `campaign_export` section.
fn headers(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| s(k).to_owned()).collect()
}

fn text(v: impl Into<String>) -> Cell {
    Cell::Text(v.into())
}

fn date(v: Option<&str>) -> Cell {
    v.map_or(Cell::Empty, |d| Cell::Date(d.to_owned()))
}

/// A score in tenths as a number (`185` → 18.5), so it sorts.
fn score_cell(tenths: Option<i64>) -> Cell {
    tenths.map_or(Cell::Empty, |v| Cell::Number(v as f64 / 10.0))
}

fn score_text(tenths: Option<i64>) -> String {
    tenths.map(points).unwrap_or_default()
}

/// Share done in percent, rounded down as the pages show it.
fn percent(done: i64, total: i64) -> i64 {
    (done * 100).checked_div(total).unwrap_or(0)
}

/// Rooms (households) and those done, summed over the top-level targets.
fn totals(targets: &[CampaignTarget]) -> (i64, i64) {
    targets
        .iter()
        .filter(|t| t.parent_id.is_none())
        .fold((0, 0), |(l, d), t| (l + t.leaves, d + t.done))
}

/// A team's name; work that no team holds is 未分配.
fn team_name(teams: &[CampaignTeam], id: Option<i64>) -> String {
    id.and_then(|id| teams.iter().find(|x| x.id == id))
        .map(|x| x.name.clone())
        .unwrap_or_else(|| t("campaign.unassigned").to_owned())
}

/// The members of all teams.
fn member_count(teams: &[CampaignTeam]) -> usize {
    teams.iter().map(|x| x.members.len()).sum()
}

/// The ids along a target's path (`/3/9/` → [3, 9]).
fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|p| p.parse().ok()).collect()
}

/// Targets in tree order, siblings by id (creation order), whatever order
/// they were passed in.
fn tree_order(targets: &[CampaignTarget]) -> Vec<&CampaignTarget> {
    let mut v: Vec<&CampaignTarget> = targets.iter().collect();
    v.sort_by_cached_key(|t| path_ids(&t.path));
    v
}

/// Full place names (`1号楼 / 3层 / 301`) by [`views::place`], given only
/// the target's own line of ancestors: `place` indexes the slice it is
/// given, so handing it the whole list for every row would take quadratic
/// time on a campaign of 20,000 rooms.
struct Places<'a> {
    by_id: HashMap<i64, &'a CampaignTarget>,
}

impl<'a> Places<'a> {
    fn new(targets: &'a [CampaignTarget]) -> Self {
        Places {
            by_id: targets.iter().map(|t| (t.id, t)).collect(),
        }
    }

    fn of(&self, id: i64) -> String {
        let Some(target) = self.by_id.get(&id) else {
            return String::new();
        };
        let line: Vec<CampaignTarget> = path_ids(&target.path)
            .iter()
            .filter_map(|i| self.by_id.get(i).map(|t| (*t).clone()))
            .collect();
        views::place(&line, id)
    }

    fn parent(&self, t: &CampaignTarget) -> Option<&'a CampaignTarget> {
        t.parent_id.and_then(|p| self.by_id.get(&p).copied())
    }
}

/// `2026-11-05` → `2026年11月5日`, and a span of days as `…至…`.
fn period(from: &str, to: &str) -> String {
    if from == to {
        chinese_date(from)
    } else {
        tf(
            "campaign_export.period",
            &[("from", &chinese_date(from)), ("to", &chinese_date(to))],
        )
    }
}

/// 逾期 when a follow-up is past its deadline and not done.
fn overdue_cell(f: &Followup, today: &str) -> Cell {
    if f.overdue(today) {
        text(s("overdue_mark"))
    } else {
        Cell::Empty
    }
}

/// The status, with （逾期） after it when overdue.
fn status_text(f: &Followup, today: &str) -> String {
    if f.overdue(today) {
        tf(
            "campaign_export.status_overdue",
            &[("status", f.status.label())],
        )
    } else {
        f.status.label().to_owned()
    }
}

/// Follow-ups per status: (open, doing, done).
fn by_status<'a>(fs: impl IntoIterator<Item = &'a Followup>) -> (i64, i64, i64) {
    fs.into_iter()
        .fold((0, 0, 0), |(o, g, d), f| match f.status {
            FollowupStatus::Open => (o + 1, g, d),
            FollowupStatus::Doing => (o, g + 1, d),
            FollowupStatus::Done => (o, g, d + 1),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use xuncha_core::campaign::TargetLevel;

    fn target(id: i64, parent: Option<i64>, path: &str, name: &str) -> CampaignTarget {
        CampaignTarget {
            id,
            campaign_id: 1,
            parent_id: parent,
            level: TargetLevel::Room,
            name: name.into(),
            path: path.into(),
            unit_id: None,
            team_id: None,
            leaves: 1,
            done: 0,
            score: None,
            last_day: None,
        }
    }

    #[test]
    fn places_and_tree_order_follow_the_path_ids() {
        let targets = vec![
            target(10, None, "/10/", "2号楼"),
            target(11, Some(10), "/10/11/", "101"),
            target(9, Some(2), "/2/9/", "110"),
            target(2, None, "/2/", "1号楼"),
        ];
        let places = Places::new(&targets);
        assert_eq!(places.of(11), "2号楼 / 101");
        assert_eq!(places.of(11), views::place(&targets, 11));
        assert_eq!(places.of(99), "");
        let order: Vec<i64> = tree_order(&targets).iter().map(|t| t.id).collect();
        assert_eq!(order, vec![2, 9, 10, 11]);
        assert_eq!(percent(2, 3), 66);
        assert_eq!(percent(1, 0), 0);
        assert_eq!(period("2026-11-05", "2026-11-05"), "2026年11月5日");
        assert_eq!(
            period("2026-11-05", "2026-11-07"),
            "2026年11月5日至2026年11月7日"
        );
    }
}
