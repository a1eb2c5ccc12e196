//! The paged lists of the JSON API: a team's households (by name or ID
//! number prefix) and the follow-ups (demands, hazards) with their filters.
//! Each is limited to what the actor may see exactly as the pages are: the
//! team's villages for a member, recused villages left out.

use crate::auth::Actor;
use crate::campaign::{CampaignTarget, Followup, FollowupKind, FollowupStatus, Household};
use crate::error::CoreError;
use crate::i18n::t;
use crate::registry::PageRequest;
use crate::store::Store;

use super::{hidden_targets, load, Loaded};

/// The deepest row a page may reach: a list is narrowed (by village, team
/// or a name prefix) rather than paged through a million households.
pub const DEEPEST_ROW: i64 = 5_000;

/// One page of a list whose total is not counted (too costly on a
/// campaign of millions of rows): whether a next page exists instead.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Listed<T> {
    /// The rows of the page.
    pub items: Vec<T>,
    /// Page number (from 1).
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// Whether there is a next page.
    pub has_more: bool,
}

fn window<T>(mut rows: Vec<T>, page: PageRequest) -> Listed<T> {
    let offset = page.offset() as usize;
    let end = offset + page.per_page as usize;
    let has_more = rows.len() > end;
    rows.truncate(end);
    let items = if rows.len() > offset {
        rows.split_off(offset)
    } else {
        Vec::new()
    };
    Listed {
        items,
        page: page.page,
        per_page: page.per_page,
        has_more,
    }
}

fn too_deep(page: PageRequest) -> Result<(), CoreError> {
    if page.offset() + page.limit() > DEEPEST_ROW {
        return Err(CoreError::invalid("page", t("error.campaign_page_deep")));
    }
    Ok(())
}

/// The team filter of a list: a member is held to their own team whatever
/// they ask for; those who see every team may narrow to one.
fn team_of(l: &Loaded, asked: Option<i64>) -> Option<i64> {
    l.access.team_filter().or(asked)
}

/// Households the actor may visit, by head's name prefix or ID number
/// prefix, of a village or team, one page at a time.
pub async fn households(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
    team: Option<i64>,
    area: Option<i64>,
    query: &str,
    page: PageRequest,
) -> Result<(Loaded, Listed<Household>), CoreError> {
    too_deep(page)?;
    let l = load(store, actor, id).await?;
    let rows = store
        .find_households(
            id,
            team_of(&l, team),
            area,
            query.trim(),
            page.offset() + page.limit() + 1,
        )
        .await?;
    let rows = without_hidden(store, actor, id, rows, |h| h.area_id).await?;
    Ok((l, window(rows, page)))
}

/// The targets the actor may see (a team's buildings, floors and rooms, or
/// townships and villages), optionally of one team, one page at a time in
/// tree order.
pub async fn targets(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
    team: Option<i64>,
    page: PageRequest,
) -> Result<(Loaded, Listed<CampaignTarget>), CoreError> {
    too_deep(page)?;
    let l = load(store, actor, id).await?;
    let rows = store.campaign_targets(id, team_of(&l, team)).await?;
    let rows = without_hidden(store, actor, id, rows, |t| t.id).await?;
    Ok((l, window(rows, page)))
}

/// What narrows the follow-ups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowupFilter {
    /// Demands or hazards.
    pub kind: Option<FollowupKind>,
    /// Where they stand.
    pub status: Option<FollowupStatus>,
    /// Only those past their deadline and not done, as of this day.
    pub overdue_on: Option<String>,
    /// One team (those who see every team).
    pub team: Option<i64>,
}

/// The follow-ups the actor may see, by deadline, one page at a time.
pub async fn followups(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
    filter: &FollowupFilter,
    page: PageRequest,
) -> Result<(Loaded, Listed<Followup>), CoreError> {
    too_deep(page)?;
    let l = load(store, actor, id).await?;
    let mut rows = store
        .campaign_followups(id, team_of(&l, filter.team), filter.kind)
        .await?;
    if let Some(s) = filter.status {
        rows.retain(|f| f.status == s);
    }
    if let Some(day) = &filter.overdue_on {
        rows.retain(|f| f.overdue(day));
    }
    let rows = without_hidden(store, actor, id, rows, |f| f.target_id).await?;
    Ok((l, window(rows, page)))
}

/// Drops the rows on targets a recusal hides from the actor.
async fn without_hidden<T>(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
    mut rows: Vec<T>,
    target: impl Fn(&T) -> i64,
) -> Result<Vec<T>, CoreError> {
    if actor.recused_paths.is_empty() {
        return Ok(rows);
    }
    let targets = store.campaign_targets(id, None).await?;
    let hidden = hidden_targets(store, actor, &targets).await?;
    rows.retain(|r| !hidden.contains(&target(r)));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_tells_whether_more_follow() {
        let rows: Vec<i32> = (1..=7).collect();
        let p = |page, per| PageRequest::new(Some(page), Some(per));
        let w = window(rows.clone(), p(1, 3));
        assert_eq!((w.items, w.has_more), (vec![1, 2, 3], true));
        let w = window(rows.clone(), p(3, 3));
        assert_eq!((w.items, w.has_more), (vec![7], false));
        let w = window(rows.clone(), p(4, 3));
        assert!(w.items.is_empty() && !w.has_more);
        // Exactly full: no next page.
        let w = window(rows, p(1, 7));
        assert_eq!((w.items.len(), w.has_more), (7, false));
        assert!(too_deep(p(100, 50)).is_ok());
        assert!(matches!(too_deep(p(101, 50)), Err(CoreError::Invalid(_))));
    }
}
