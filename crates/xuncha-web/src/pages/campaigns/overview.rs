//! The campaign page: progress over the target tree and the days, what
//! remains, rankings (checklists) or coverage per township, village, team
//! and cadre (visits), open follow-ups; and the monthly comparison of a
//! series.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use xuncha_core::campaign::checklist::points;
use xuncha_core::campaign::plan::{self, PlanDay};
use xuncha_core::campaign::{Campaign, CampaignKind, CampaignStatus, CampaignTarget, CampaignTeam};
use xuncha_core::i18n::{t, tf};
use xuncha_core::policy::CampaignAccess;
use xuncha_core::usecases::campaigns::views::{self, Ranking, SeriesRow, TeamCoverage};

use super::shell;
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}", get(detail))
        .route("/campaigns/{id}/series", get(series))
}

/// One row of the progress or coverage table.
pub(super) struct TreeRow {
    pub id: i64,
    pub name: String,
    pub depth: usize,
    pub level: &'static str,
    pub leaves: i64,
    pub done: i64,
    pub percent: i64,
    pub team: String,
}

pub(super) fn tree_rows(targets: &[CampaignTarget], teams: &[CampaignTeam]) -> Vec<TreeRow> {
    targets
        .iter()
        .filter(|t| !t.level.is_leaf())
        .map(|t| TreeRow {
            id: t.id,
            name: t.name.clone(),
            depth: t.path.matches('/').count().saturating_sub(2),
            level: t.level.label(),
            leaves: t.leaves,
            done: t.done,
            percent: t.percent(),
            team: team_name(teams, t.team_id),
        })
        .collect()
}

pub(super) fn team_name(teams: &[CampaignTeam], id: Option<i64>) -> String {
    id.and_then(|id| teams.iter().find(|x| x.id == id))
        .map(|x| x.name.clone())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct DetailPage {
    shell: Shell,
    c: Campaign,
    access: CampaignAccess,
    rows: Vec<TreeRow>,
    remaining: Vec<String>,
    remaining_more: usize,
    teams: Vec<CampaignTeam>,
    coverage: Vec<TeamCoverage>,
    days: Vec<(String, i64, i64)>,
    ranking: Ranking,
    leaves: i64,
    done: i64,
    open_followups: i64,
    overdue_followups: i64,
    held: i64,
    /// The planned days: what was planned, done, overdue.
    plan: Vec<PlanDay>,
    /// The actor may import paper visit ledgers (the office, a team leader).
    can_import: bool,
}

impl DetailPage {
    fn checklist(&self) -> bool {
        self.c.kind == CampaignKind::Checklist
    }
    fn closed(&self) -> bool {
        self.c.status == CampaignStatus::Closed
    }
    fn percent(&self) -> i64 {
        (self.done * 100).checked_div(self.leaves).unwrap_or(0)
    }
    fn pts(&self, tenths: &i64) -> String {
        points(*tenths)
    }
    fn avg(&self, v: &Option<i64>) -> String {
        v.map(points).unwrap_or_else(|| "—".into())
    }
    fn bar(&self, percent: &i64) -> i64 {
        (percent / 5).clamp(0, 20)
    }
    fn indent(&self, depth: &usize) -> usize {
        (*depth).min(8)
    }
    /// 逾期未查 or 逾期未走访.
    fn overdue_flag(&self) -> &'static str {
        t(plan::overdue_label(self.c.kind))
    }
    fn progress_line(&self) -> String {
        let key = if self.checklist() {
            "campaign.progress_rooms"
        } else {
            "campaign.progress_households"
        };
        tf(
            key,
            &[
                ("done", &self.done.to_string()),
                ("all", &self.leaves.to_string()),
                ("percent", &self.percent().to_string()),
            ],
        )
    }
}

async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (s, clock) = (state.store.as_ref(), state.clock.as_ref());
    // The coverage view counts the registers in the database: a visit
    // campaign of a million households has too many demands to load.
    let ov = views::coverage(s, clock, &auth.actor, id).await?;
    let c = ov.loaded.campaign.clone();
    let tops = ov.targets.iter().filter(|t| t.parent_id.is_none());
    let (mut leaves, mut done) = tops.fold((0, 0), |(l, d), t| (l + t.leaves, d + t.done));
    if c.kind == CampaignKind::Checklist && !ov.loaded.access.sees_all {
        // A team sees the rooms assigned to it, not whole buildings.
        let mine = ov.targets.iter().filter(|t| t.level.is_leaf());
        (leaves, done) = mine.fold((0, 0), |(l, d), t| (l + 1, d + t.done.min(1)));
    }
    let places = views::Places::new(&ov.targets);
    let remaining_all: Vec<String> = ov
        .targets
        .iter()
        .filter(|t| t.level.is_leaf() && t.done == 0 && ov.loaded.access.may_see(t.team_id))
        .map(|t| places.of(t.id))
        .collect();
    let remaining_more = remaining_all.len().saturating_sub(200);
    let plan =
        xuncha_core::usecases::campaigns::schedule::plan_days(s, clock, id, &ov.targets).await?;
    // The teams are loaded already (the actor's own, for a member).
    let duty = ov
        .teams
        .iter()
        .flat_map(|t| &t.members)
        .find(|m| m.user_id == auth.actor.user_id)
        .map(|m| m.duty.as_str());
    let can_import = c.kind == CampaignKind::Visit
        && xuncha_core::policy::campaign_ledger_scope(&ov.loaded.access, duty).is_ok();
    let days = ov
        .days
        .iter()
        .map(|d| (d.day.clone(), d.records, d.firsts))
        .collect();
    html(&DetailPage {
        shell: shell(&auth, &c.title),
        rows: tree_rows(&ov.targets, &ov.teams),
        remaining: remaining_all.into_iter().take(200).collect(),
        remaining_more,
        coverage: views::team_coverage(c.kind, &ov.targets, &ov.teams),
        ranking: views::ranking(&ov.targets, 5),
        open_followups: ov.tally.open_followups,
        overdue_followups: ov.tally.overdue_followups,
        held: ov.tally.held_items,
        plan,
        can_import,
        teams: ov.teams,
        access: ov.loaded.access,
        days,
        leaves,
        done,
        c,
    })
}

#[derive(Template)]
#[template(path = "campaign_series.html")]
struct SeriesPage {
    shell: Shell,
    c: Campaign,
    rows: Vec<SeriesRow>,
    groups: Vec<String>,
}

impl SeriesPage {
    fn avg(&self, v: &Option<i64>) -> String {
        v.map(points).unwrap_or_else(|| "—".into())
    }
    fn group_avg(&self, row: &SeriesRow, name: &str) -> String {
        row.groups
            .iter()
            .find(|g| g.0 == name)
            .and_then(|g| g.1)
            .map(points)
            .unwrap_or_else(|| "—".into())
    }
    fn percent(&self, row: &SeriesRow) -> i64 {
        (row.done * 100).checked_div(row.leaves).unwrap_or(0)
    }
}

async fn series(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let l = xuncha_core::usecases::campaigns::load(s, &auth.actor, id).await?;
    let rows = views::series(s, &auth.actor, &l.campaign).await?;
    let mut groups: Vec<String> = Vec::new();
    for r in &rows {
        for (g, _) in &r.groups {
            if !groups.contains(g) {
                groups.push(g.clone());
            }
        }
    }
    html(&SeriesPage {
        shell: shell(&auth, t("campaign.series")),
        c: l.campaign,
        rows,
        groups,
    })
}
