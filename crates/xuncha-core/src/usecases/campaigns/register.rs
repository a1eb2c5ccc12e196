//! The follow-up register (hazards and demands) a page at a time: a visit
//! campaign of a million households raises them by the hundred thousand, so
//! the register is read in deadline order from where the last page ended,
//! with its filters applied by the database.

use crate::auth::Actor;
use crate::campaign::{Followup, FollowupKind, FollowupStatus};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::store::{FollowupFilter, Store};
use crate::usecases::rounds::plan::today;

use super::{hidden_targets, load, Loaded};

/// Rows per page of the register.
pub const FOLLOWUP_PAGE: i64 = 100;

/// What the register is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowupQuery {
    /// Hazards or demands.
    pub kind: Option<FollowupKind>,
    /// In one status.
    pub status: Option<FollowupStatus>,
    /// Only those past their deadline and not done.
    pub overdue: bool,
    /// The page starts after this (deadline, id): the last row of the page
    /// before.
    pub after: Option<(String, i64)>,
}

/// One page of the register.
#[derive(Debug, Clone)]
pub struct FollowupPage {
    /// The campaign and the actor's access.
    pub loaded: Loaded,
    /// The rows, by deadline.
    pub followups: Vec<Followup>,
    /// Where the next page starts, when there is one.
    pub next: Option<(String, i64)>,
    /// The day overdue is judged on.
    pub today: String,
}

/// A page of the follow-ups the actor may see (their team's, without the
/// targets a recusal hides), at most `limit` rows.
pub async fn followups(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    q: &FollowupQuery,
    limit: i64,
) -> Result<FollowupPage, CoreError> {
    let loaded = load(store, actor, id).await?;
    let team = loaded.access.team_filter();
    let day = today(clock);
    let mut hidden = Vec::new();
    if !actor.recused_paths.is_empty() {
        let targets = store.campaign_targets(id, team).await?;
        hidden = hidden_targets(store, actor, &targets)
            .await?
            .into_iter()
            .collect();
        hidden.sort_unstable();
    }
    let filter = FollowupFilter {
        team,
        kind: q.kind,
        status: q.status,
        overdue_on: q.overdue.then(|| day.clone()),
        household: None,
        hidden,
    };
    let limit = limit.max(1);
    let mut followups = store
        .campaign_followup_page(id, &filter, q.after.clone(), limit + 1)
        .await?;
    let next = if followups.len() as i64 > limit {
        followups.truncate(limit as usize);
        followups.last().map(|f| (f.deadline.clone(), f.id))
    } else {
        None
    };
    Ok(FollowupPage {
        loaded,
        followups,
        next,
        today: day,
    })
}
