//! What a campaign shows: progress over its target tree and days, the
//! rankings of rooms and buildings, coverage per township, village and team,
//! the registers of items and follow-ups, and the comparison with earlier
//! campaigns of the same series (monthly sweeps).

use std::collections::HashMap;

use serde::Serialize;

use crate::auth::Actor;
use crate::campaign::{
    Campaign, CampaignKind, CampaignRecord, CampaignTarget, CampaignTeam, Confiscation, Followup,
    FollowupKind, FollowupStatus, Household, ItemStatus, TargetLevel,
};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::store::{CampaignTally, DayCount, FollowupFilter, Store};
use crate::usecases::rounds::plan::today;

use super::{ensure_not_recused, hidden_targets, load, Loaded};

/// Everything the campaign page shows, limited to what the actor may see.
#[derive(Debug, Clone)]
pub struct Overview {
    /// The campaign and the actor's access.
    pub loaded: Loaded,
    /// Targets in tree order.
    pub targets: Vec<CampaignTarget>,
    /// Teams (all of them for those who see all; the actor's otherwise).
    pub teams: Vec<CampaignTeam>,
    /// Records per day and team.
    pub days: Vec<DayCount>,
    /// Items still held.
    pub held: Vec<Confiscation>,
    /// Follow-ups by deadline.
    pub followups: Vec<Followup>,
}

/// What the coverage and progress pages show: the [`Overview`]'s tree and
/// teams, the records per day summed by the database, and its registers
/// counted instead of loaded (a visit campaign of a million households
/// raises follow-ups by the hundred thousand; the overview reads 5,000 of
/// them, and counts no further).
#[derive(Debug, Clone)]
pub struct Coverage {
    /// The campaign and the actor's access.
    pub loaded: Loaded,
    /// Targets in tree order.
    pub targets: Vec<CampaignTarget>,
    /// Teams (all of them for those who see all; the actor's otherwise).
    pub teams: Vec<CampaignTeam>,
    /// Records per day of what the actor sees: the whole campaign (team 0)
    /// or the actor's team.
    pub days: Vec<DayCount>,
    /// Open and overdue follow-ups and held items.
    pub tally: CampaignTally,
}

/// Loads the coverage of the targets the actor may see, with the registers
/// counted as of the clock's day.
pub async fn coverage(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> Result<Coverage, CoreError> {
    let (loaded, targets, teams, hidden) = tree(store, actor, id).await?;
    let team = loaded.access.team_filter();
    let days = store.campaign_day_totals(id, team).await?;
    let day = today(clock);
    let mut tally = store.campaign_tally(id, team, &day).await?;
    if !hidden.is_empty() {
        // A recused user: the hidden targets' own counts (a village or a
        // unit, counted from their rows) are taken off, so not even the
        // number of a hidden village's hazards shows.
        let mut ids: Vec<i64> = hidden.iter().copied().collect();
        ids.sort_unstable();
        let off = store.campaign_tally_within(id, team, &day, &ids).await?;
        tally = CampaignTally {
            open_followups: tally.open_followups - off.open_followups,
            overdue_followups: tally.overdue_followups - off.overdue_followups,
            held_items: tally.held_items - off.held_items,
        };
    }
    Ok(Coverage {
        loaded,
        targets,
        teams,
        days,
        tally,
    })
}

/// What the actor may see of a campaign's tree, and the targets a recusal
/// hides from them.
type Tree = (
    Loaded,
    Vec<CampaignTarget>,
    Vec<CampaignTeam>,
    std::collections::HashSet<i64>,
);

/// The campaign, its targets and teams as the actor may see them.
async fn tree(store: &dyn Store, actor: &Actor, id: i64) -> Result<Tree, CoreError> {
    let loaded = load(store, actor, id).await?;
    let team = loaded.access.team_filter();
    let mut targets = store.campaign_targets(id, team).await?;
    let hidden = hidden_targets(store, actor, &targets).await?;
    targets.retain(|t| !hidden.contains(&t.id));
    let mut teams = store.campaign_teams(id).await?;
    if let Some(t) = team {
        teams.retain(|x| x.id == t);
    }
    Ok((loaded, targets, teams, hidden))
}

/// Loads the overview.
pub async fn overview(store: &dyn Store, actor: &Actor, id: i64) -> Result<Overview, CoreError> {
    let (loaded, targets, teams, hidden) = tree(store, actor, id).await?;
    let team = loaded.access.team_filter();
    let mut days = store.campaign_days(id).await?;
    if let Some(t) = team {
        days.retain(|d| d.team_id == t);
    }
    let mut held = store
        .campaign_items(id, team, Some(ItemStatus::Held))
        .await?;
    held.retain(|i| !hidden.contains(&i.target_id));
    let mut followups = store.campaign_followups(id, team, None).await?;
    followups.retain(|f| !hidden.contains(&f.target_id));
    Ok(Overview {
        loaded,
        targets,
        teams,
        days,
        held,
        followups,
    })
}

/// The full name of a target (`1号楼 / 3层 / 301`). For many targets, build
/// [`Places`] once instead.
pub fn place(targets: &[CampaignTarget], id: i64) -> String {
    Places::new(targets).of(id)
}

/// Names targets by their path, with the lookup built once (a campaign may
/// have twenty thousand rooms).
pub struct Places<'a> {
    by_id: HashMap<i64, &'a CampaignTarget>,
}

impl<'a> Places<'a> {
    /// Indexes the targets.
    pub fn new(targets: &'a [CampaignTarget]) -> Places<'a> {
        Places {
            by_id: targets.iter().map(|t| (t.id, t)).collect(),
        }
    }

    /// The full name of a target ("" when unknown).
    pub fn of(&self, id: i64) -> String {
        let Some(t) = self.by_id.get(&id) else {
            return String::new();
        };
        t.path
            .split('/')
            .filter_map(|s| s.parse::<i64>().ok())
            .filter_map(|i| self.by_id.get(&i))
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// A room in a ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedRoom {
    /// Target id.
    pub id: i64,
    /// Full name.
    pub place: String,
    /// Score in tenths.
    pub score: i64,
}

/// A building's (or top-level target's) figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    /// Target id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Rooms.
    pub rooms: i64,
    /// Rooms inspected.
    pub done: i64,
    /// Average score in tenths of the rated rooms.
    pub average: Option<i64>,
}

/// The cleanest and dirtiest rooms and the buildings by average.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// Highest scores first.
    pub cleanest: Vec<RankedRoom>,
    /// Lowest scores first.
    pub dirtiest: Vec<RankedRoom>,
    /// Top-level targets, best average first.
    pub groups: Vec<GroupScore>,
}

/// Ranks the rated rooms (ties by place, so the order is stable).
pub fn ranking(targets: &[CampaignTarget], n: usize) -> Ranking {
    let places = Places::new(targets);
    let mut rated: Vec<RankedRoom> = targets
        .iter()
        .filter(|t| t.level.is_leaf())
        .filter_map(|t| {
            t.score.map(|score| RankedRoom {
                id: t.id,
                place: places.of(t.id),
                score,
            })
        })
        .collect();
    rated.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.place.cmp(&b.place)));
    let cleanest = rated.iter().take(n).cloned().collect();
    let mut worst = rated.clone();
    worst.sort_by(|a, b| a.score.cmp(&b.score).then_with(|| a.place.cmp(&b.place)));
    let dirtiest = worst.into_iter().take(n).collect();
    let mut groups: Vec<GroupScore> = targets
        .iter()
        .filter(|t| t.parent_id.is_none())
        .map(|g| {
            let scores: Vec<i64> = targets
                .iter()
                .filter(|t| t.level.is_leaf() && t.path.starts_with(&g.path))
                .filter_map(|t| t.score)
                .collect();
            GroupScore {
                id: g.id,
                name: g.name.clone(),
                rooms: g.leaves,
                done: g.done,
                average: (scores.iter().sum::<i64>()).checked_div(scores.len() as i64),
            }
        })
        .collect();
    groups.sort_by(|a, b| b.average.cmp(&a.average).then_with(|| a.name.cmp(&b.name)));
    Ranking {
        cleanest,
        dirtiest,
        groups,
    }
}

/// Coverage of one team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamCoverage {
    /// Team id (0: unassigned).
    pub team_id: i64,
    /// Team name.
    pub name: String,
    /// Targets (villages or buildings) assigned.
    pub areas: i64,
    /// Leaves (households or rooms).
    pub leaves: i64,
    /// Done.
    pub done: i64,
}

impl TeamCoverage {
    /// Percent done.
    pub fn percent(&self) -> i64 {
        (self.done * 100).checked_div(self.leaves).unwrap_or(0)
    }
}

/// Sums the counters of the areas (villages) or top-level targets per team.
pub fn team_coverage(
    kind: CampaignKind,
    targets: &[CampaignTarget],
    teams: &[CampaignTeam],
) -> Vec<TeamCoverage> {
    let counted = |t: &&CampaignTarget| match kind {
        CampaignKind::Visit => t.level == TargetLevel::Village,
        CampaignKind::Checklist => t.level.is_leaf(),
    };
    let mut by_team: HashMap<i64, TeamCoverage> = HashMap::new();
    for t in targets.iter().filter(counted) {
        let k = t.team_id.unwrap_or(0);
        let e = by_team.entry(k).or_insert_with(|| TeamCoverage {
            team_id: k,
            name: teams
                .iter()
                .find(|x| x.id == k)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| crate::i18n::t("campaign.unassigned").to_owned()),
            areas: 0,
            leaves: 0,
            done: 0,
        });
        e.areas += 1;
        e.leaves += t.leaves;
        e.done += t.done;
    }
    let mut out: Vec<TeamCoverage> = by_team.into_values().collect();
    out.sort_by(|a, b| (a.team_id == 0, &a.name).cmp(&(b.team_id == 0, &b.name)));
    out
}

/// One campaign of a series, for the monthly comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesRow {
    /// The campaign.
    pub id: i64,
    /// Title.
    pub title: String,
    /// First day.
    pub starts_on: String,
    /// Leaves (rooms or households).
    pub leaves: i64,
    /// Done.
    pub done: i64,
    /// Average score of rated rooms (tenths).
    pub average: Option<i64>,
    /// Hazards (checklist) or demands (visits) raised.
    pub followups: i64,
    /// Of those, still open.
    pub open: i64,
    /// Items confiscated.
    pub items: i64,
    /// Average per top-level target name (building), for the same names
    /// across months.
    pub groups: Vec<(String, Option<i64>)>,
}

/// The campaigns of the same series the actor may see, oldest first.
pub async fn series(
    store: &dyn Store,
    actor: &Actor,
    campaign: &Campaign,
) -> Result<Vec<SeriesRow>, CoreError> {
    let mut rows = Vec::new();
    let mut all = super::list(store, actor).await?;
    all.retain(|c| c.series == campaign.series && c.kind == campaign.kind);
    all.sort_by(|a, b| (&a.starts_on, a.id).cmp(&(&b.starts_on, b.id)));
    for c in all {
        let l = load(store, actor, c.id).await?;
        let team = l.access.team_filter();
        let targets = store.campaign_targets(c.id, team).await?;
        let tops = targets.iter().filter(|t| t.parent_id.is_none());
        let (leaves, done) = tops.fold((0, 0), |(l, d), t| (l + t.leaves, d + t.done));
        let rank = ranking(&targets, 0);
        let scores: Vec<i64> = targets
            .iter()
            .filter(|t| t.level.is_leaf())
            .filter_map(|t| t.score)
            .collect();
        let followups = store.campaign_followups(c.id, team, None).await?;
        let items = store.campaign_items(c.id, team, None).await?;
        rows.push(SeriesRow {
            id: c.id,
            title: c.title.clone(),
            starts_on: c.starts_on.clone(),
            leaves,
            done,
            average: scores.iter().sum::<i64>().checked_div(scores.len() as i64),
            followups: followups.len() as i64,
            open: followups
                .iter()
                .filter(|f| f.status != FollowupStatus::Done)
                .count() as i64,
            items: items.iter().map(|i| i.quantity).sum(),
            groups: rank
                .groups
                .into_iter()
                .map(|g| (g.name, g.average))
                .collect(),
        });
    }
    Ok(rows)
}

/// One target with its latest records, for the recording page.
pub async fn target(
    store: &dyn Store,
    actor: &Actor,
    target_id: i64,
) -> Result<(Loaded, CampaignTarget, Vec<CampaignRecord>), CoreError> {
    let t = store.get_campaign_target(target_id).await?;
    let l = load(store, actor, t.campaign_id).await?;
    if !l.access.may_see(t.team_id) {
        return Err(CoreError::NotFound);
    }
    ensure_not_recused(store, actor, &t).await?;
    let records = store
        .campaign_records(t.campaign_id, Some(t.id), None, None, 20)
        .await?;
    Ok((l, t, records))
}

/// Households the actor may visit, by name or ID number, optionally of a
/// village.
pub async fn households(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
    area: Option<i64>,
    query: &str,
) -> Result<(Loaded, Vec<Household>), CoreError> {
    let l = load(store, actor, id).await?;
    let mut found = store
        .find_households(id, l.access.team_filter(), area, query.trim(), 50)
        .await?;
    if !actor.recused_paths.is_empty() {
        let targets = store.campaign_targets(id, None).await?;
        let hidden = hidden_targets(store, actor, &targets).await?;
        found.retain(|h| !hidden.contains(&h.area_id));
    }
    Ok((l, found))
}

/// One household with its visits.
pub async fn household(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<(Loaded, Household, Vec<CampaignRecord>, Vec<Followup>), CoreError> {
    let h = store.get_household(id).await?;
    let area = store.get_campaign_target(h.area_id).await?;
    let l = load(store, actor, h.campaign_id).await?;
    if !l.access.may_see(area.team_id) {
        return Err(CoreError::NotFound);
    }
    ensure_not_recused(store, actor, &area).await?;
    let visits = store
        .campaign_records(h.campaign_id, None, Some(h.id), None, 50)
        .await?;
    let filter = FollowupFilter {
        kind: Some(FollowupKind::Demand),
        household: Some(h.id),
        ..Default::default()
    };
    let demands = store
        .campaign_followup_page(h.campaign_id, &filter, None, 200)
        .await?;
    Ok((l, h, visits, demands))
}

/// Records of the campaign the actor may see, newest first.
pub async fn records(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
    limit: i64,
) -> Result<(Loaded, Vec<CampaignRecord>), CoreError> {
    let l = load(store, actor, id).await?;
    let r = store
        .campaign_records(id, None, None, l.access.team_filter(), limit)
        .await?;
    Ok((l, r))
}

/// The custody register (items held and returned) the actor may see.
pub async fn items(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<(Loaded, Vec<Confiscation>), CoreError> {
    let l = load(store, actor, id).await?;
    let r = store
        .campaign_items(id, l.access.team_filter(), None)
        .await?;
    Ok((l, r))
}

/// Most room records an export carries (a sweep has a few hundred rooms;
/// visit campaigns export their counters and demands, not their visits).
pub const EXPORT_RECORDS: i64 = 50_000;

/// What the ledgers and the report of a campaign are made of, limited to
/// what the actor may see.
#[derive(Debug, Clone)]
pub struct ExportData {
    /// The campaign and the actor's access.
    pub loaded: Loaded,
    /// Targets.
    pub targets: Vec<CampaignTarget>,
    /// Teams.
    pub teams: Vec<CampaignTeam>,
    /// Room records (checklist campaigns).
    pub records: Vec<CampaignRecord>,
    /// The custody register.
    pub items: Vec<Confiscation>,
    /// Hazards or demands.
    pub followups: Vec<Followup>,
}

/// Loads what an export needs.
pub async fn export_data(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<ExportData, CoreError> {
    let ov = overview(store, actor, id).await?;
    let team = ov.loaded.access.team_filter();
    let (records, items) = match ov.loaded.campaign.kind {
        CampaignKind::Checklist => (
            store
                .campaign_records(id, None, None, team, EXPORT_RECORDS)
                .await?,
            store.campaign_items(id, team, None).await?,
        ),
        CampaignKind::Visit => (Vec::new(), Vec::new()),
    };
    Ok(ExportData {
        loaded: ov.loaded,
        targets: ov.targets,
        teams: ov.teams,
        records,
        items,
        followups: ov.followups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(
        id: i64,
        parent: Option<i64>,
        path: &str,
        level: TargetLevel,
        score: Option<i64>,
    ) -> CampaignTarget {
        CampaignTarget {
            id,
            campaign_id: 1,
            parent_id: parent,
            level,
            name: format!("n{id}"),
            path: path.into(),
            unit_id: None,
            team_id: Some(1),
            leaves: if level.is_leaf() { 1 } else { 2 },
            done: i64::from(score.is_some()),
            score,
            last_day: None,
        }
    }

    #[test]
    fn rooms_and_buildings_are_ranked() {
        let targets = vec![
            t(1, None, "/1/", TargetLevel::Building, None),
            t(2, Some(1), "/1/2/", TargetLevel::Room, Some(950)),
            t(3, Some(1), "/1/3/", TargetLevel::Room, Some(600)),
            t(4, None, "/4/", TargetLevel::Building, None),
            t(5, Some(4), "/4/5/", TargetLevel::Room, Some(990)),
            t(6, Some(4), "/4/6/", TargetLevel::Room, None),
        ];
        let r = ranking(&targets, 2);
        assert_eq!(
            r.cleanest.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![5, 2]
        );
        assert_eq!(
            r.dirtiest.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![3, 2]
        );
        assert_eq!(r.cleanest[0].place, "n4 / n5");
        assert_eq!(r.groups[0].name, "n4");
        assert_eq!(r.groups[0].average, Some(990));
        assert_eq!(r.groups[1].average, Some(775));
        let cov = team_coverage(CampaignKind::Checklist, &targets, &[]);
        assert_eq!((cov[0].leaves, cov[0].done), (4, 3));
    }
}
