//! The circular, the ledgers and the deadlines on the desk.

use serde::Serialize;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::inspection::circular::Circular;
use crate::inspection::record::{Rec, RecordFilter, RecordKind, StoredRecord};
use crate::inspection::rectification::{RectItem, RectRating};
use crate::inspection::report::ReportStatus;
use crate::inspection::transfer::Transfer;
use crate::inspection::workdays::{iso, parse_iso};
use crate::inspection::{Round, Target};
use crate::policy::{self, Action};
use crate::registry::{Page, PageRequest};
use crate::store::Store;

use super::super::plan::today;

use super::*;

/// A round's circular with the data behind it.
#[derive(Debug, Clone, Serialize)]
pub struct CircularView {
    /// The round.
    pub round: Round,
    /// The figures.
    pub circular: Circular,
    /// The targets, for the per-unit table.
    pub targets: Vec<Target>,
    /// Units proposed for a 回头看 (rated 一般/差).
    pub look_back: Vec<Target>,
    /// Each team's record (巡察组考核).
    pub teams: Vec<crate::inspection::circular::TeamScore>,
}

/// Computes a round's circular. Only an unrestricted actor (the office of
/// the county, the leading group) gets the whole round; a recused actor
/// gets numbers without the units they may not see.
pub async fn circular(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    round_id: i64,
) -> Result<CircularView, CoreError> {
    let scope = policy::scope(actor, Action::ViewCircular)?;
    let round = super::super::plan::visible_round(store, actor, round_id).await?;
    let targets: Vec<Target> = store
        .targets_of(round_id)
        .await?
        .into_iter()
        .filter(|t| scope.contains(&t.unit_path))
        .collect();
    let records: Vec<StoredRecord> = store
        .records_of_round(round_id)
        .await?
        .into_iter()
        .filter(|r| scope.contains(&r.meta.unit_path))
        .collect();
    let mut circular = Circular::compute(&targets, &records, &today(clock))?;
    // Petitions registered about the targets while the round ran count too.
    for t in &targets {
        let petitions = crate::usecases::petitions::about_unit(
            store,
            actor,
            &t.unit_path,
            Some(round.start_date.clone()),
            round.end_date.clone(),
        )
        .await?;
        for p in petitions {
            circular.petitions += 1;
            let domain = p
                .domain
                .unwrap_or_else(|| crate::i18n::t("circular.domain_unspecified").to_owned());
            *circular.petitions_by_domain.entry(domain).or_default() += 1;
        }
    }
    let teams = crate::inspection::circular::team_scores(
        &store.teams_of(round_id).await?,
        &targets,
        &records,
        round.end_date.as_deref(),
    )?;
    let look_back = targets
        .iter()
        .filter(|t| {
            t.rect_rating
                .as_deref()
                .and_then(RectRating::parse)
                .is_some_and(RectRating::needs_look_back)
        })
        .cloned()
        .collect();
    Ok(CircularView {
        round,
        circular,
        targets,
        look_back,
        teams,
    })
}

/// A ledger page (问题/线索/移交/整改台账) of a round, newest first.
pub async fn ledger(
    store: &dyn Store,
    actor: &Actor,
    round_id: Option<i64>,
    kind: RecordKind,
    page: PageRequest,
) -> Result<Page<StoredRecord>, CoreError> {
    let scope = policy::scope(actor, Action::ViewRoundWork)?;
    if let Some(id) = round_id {
        super::super::plan::visible_round(store, actor, id).await?;
    }
    let mut f = RecordFilter::new(kind, scope);
    f.round_id = round_id;
    Ok(store.list_records(&f, page).await?)
}

/// Every record of a ledger the actor may see (for exports), oldest first,
/// read in keyset pages so a 200,000-row ledger costs no more per page than
/// the first.
pub async fn ledger_all(
    store: &dyn Store,
    actor: &Actor,
    round_id: Option<i64>,
    kind: RecordKind,
) -> Result<Vec<StoredRecord>, CoreError> {
    let scope = policy::scope(actor, Action::ViewRoundWork)?;
    if let Some(id) = round_id {
        super::super::plan::visible_round(store, actor, id).await?;
    }
    let mut f = RecordFilter::new(kind, scope);
    f.round_id = round_id;
    let mut out = Vec::new();
    loop {
        let page = store
            .list_records(&f, PageRequest::new(Some(1), Some(500)))
            .await?;
        let n = page.items.len();
        f.before_id = page.items.last().map(|r| r.meta.id);
        out.extend(page.items);
        if n < 500 {
            break;
        }
    }
    out.reverse();
    Ok(out)
}

/// Items and transfers past their due date, in the actor's scope.
pub async fn overdue(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    kind: RecordKind,
    page: PageRequest,
) -> Result<Page<StoredRecord>, CoreError> {
    let scope = policy::scope(actor, Action::ViewRoundWork)?;
    let mut f = RecordFilter::new(kind, scope);
    f.due_before = Some(today(clock));
    Ok(store.list_records(&f, page).await?)
}

/// The targets whose rectification the actor follows: the inspected unit's
/// own, or every target in scope for the office and teams.
pub async fn rectification_targets(
    store: &dyn Store,
    actor: &Actor,
) -> Result<Vec<(Target, Round)>, CoreError> {
    let scope = match policy::scope(actor, Action::Rectify) {
        Ok(s) => s,
        Err(_) => policy::scope(actor, Action::ViewRoundWork)?,
    };
    let mut out = Vec::new();
    let mut rounds: std::collections::HashMap<i64, Round> = std::collections::HashMap::new();
    for t in store.targets_in(&scope).await? {
        if t.feedback_date.is_none() {
            continue;
        }
        let round = match rounds.get(&t.round_id) {
            Some(r) => r.clone(),
            None => {
                let r = store.get_round(t.round_id).await?;
                rounds.insert(r.id, r.clone());
                r
            }
        };
        out.push((t, round));
    }
    Ok(out)
}

/// Deadlines that need attention on the actor's desk.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Alerts {
    /// Transfers whose feedback is overdue (the receiver's, or the office's view).
    pub transfers_overdue: Vec<Rec<Transfer>>,
    /// Transfers due within the warning window.
    pub transfers_soon: Vec<Rec<Transfer>>,
    /// Rectification items past their deadline.
    pub rect_overdue: Vec<Rec<RectItem>>,
    /// Items due within the warning window.
    pub rect_soon: Vec<Rec<RectItem>>,
    /// Reports waiting for the 领导小组.
    pub reports_waiting: i64,
    /// Petitions past the deadline of their next statutory step.
    pub petitions_overdue: i64,
    /// Petitions whose next step is due within [`PETITION_WARN_DAYS`].
    pub petitions_soon: i64,
    /// Supervisions (督办) of petitions not answered by their deadline.
    pub supervisions_overdue: i64,
    /// Public tips waiting for triage.
    pub tips_new: i64,
}

/// How many days ahead a petition's statutory deadline is announced (the
/// shortest limits are 15 days).
pub const PETITION_WARN_DAYS: i64 = 5;

/// How many days ahead a deadline is announced.
pub const WARN_DAYS: i64 = 15;

/// The deadlines on the actor's desk: overdue ones and those due within
/// [`WARN_DAYS`], each list capped at 20 (oldest deadline first).
pub async fn alerts(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<Alerts, CoreError> {
    let today = today(clock);
    let soon = parse_iso(&today)
        .map(|d| iso(crate::inspection::workdays::add_days(d, WARN_DAYS)))
        .unwrap_or_else(|| today.clone());
    let mut out = Alerts::default();
    let transfer_filter = if policy::role_allows(actor.role, Action::HandleTransfers) {
        receiver_scope(actor)
            .ok()
            .zip(receiver_tag(actor).ok())
            .map(|(scope, tag)| {
                let mut f = RecordFilter::new(RecordKind::Transfer, scope);
                f.tag = Some(tag);
                f
            })
    } else {
        policy::scope(actor, Action::PlanRounds)
            .ok()
            .map(|s| RecordFilter::new(RecordKind::Transfer, s))
    };
    let rect_scope = policy::scope(actor, Action::Rectify)
        .or_else(|_| policy::scope(actor, Action::VerifyRectification))
        .ok();
    let due = |mut f: RecordFilter, before: &str| {
        f.due_before = Some(before.to_owned());
        f.due_first = true;
        f
    };
    if let Some(f) = transfer_filter {
        for r in store
            .list_records(&due(f, &soon), PageRequest::new(Some(1), Some(40)))
            .await?
            .items
        {
            let rec = Rec::<Transfer>::decode(r)?;
            if rec.data.due_date < today {
                out.transfers_overdue.push(rec);
            } else {
                out.transfers_soon.push(rec);
            }
        }
    }
    if let Some(scope) = rect_scope {
        let f = RecordFilter::new(RecordKind::RectItem, scope);
        for r in store
            .list_records(&due(f, &soon), PageRequest::new(Some(1), Some(40)))
            .await?
            .items
        {
            let rec = Rec::<RectItem>::decode(r)?;
            if rec.data.deadline < today {
                out.rect_overdue.push(rec);
            } else {
                out.rect_soon.push(rec);
            }
        }
    }
    if let Ok(scope) = policy::scope(actor, Action::HandlePetitions) {
        let mut f = crate::store::PetitionFilter::new(scope);
        f.due_before = Some(today.clone());
        out.petitions_overdue = store
            .list_petitions(&f, PageRequest::new(Some(1), Some(1)))
            .await?
            .total;
        f.due_before = parse_iso(&today)
            .map(|d| iso(crate::inspection::workdays::add_days(d, PETITION_WARN_DAYS)));
        let due_soon = store
            .list_petitions(&f, PageRequest::new(Some(1), Some(1)))
            .await?
            .total;
        out.petitions_soon = due_soon - out.petitions_overdue;
    }
    out.supervisions_overdue =
        crate::usecases::supervisions::overdue_count(store, clock, actor).await?;
    if let Ok(scope) = policy::scope(actor, Action::TriageTips) {
        let f = crate::store::TipFilter {
            scope,
            status: Some(crate::intake::tip::TipStatus::New.as_str().to_owned()),
            round_id: None,
        };
        out.tips_new = store
            .list_tips(&f, PageRequest::new(Some(1), Some(1)))
            .await?
            .total;
    }
    if let Ok(scope) = policy::scope(actor, Action::DecideReports) {
        let mut f = RecordFilter::new(RecordKind::Report, scope);
        f.status = Some(ReportStatus::Submitted.as_str().to_owned());
        out.reports_waiting = store
            .list_records(&f, PageRequest::new(Some(1), Some(1)))
            .await?
            .total;
    }
    for v in [&mut out.transfers_overdue, &mut out.transfers_soon] {
        v.sort_by(|a, b| a.data.due_date.cmp(&b.data.due_date));
        v.truncate(20);
    }
    for v in [&mut out.rect_overdue, &mut out.rect_soon] {
        v.sort_by(|a, b| a.data.deadline.cmp(&b.data.deadline));
        v.truncate(20);
    }
    Ok(out)
}
