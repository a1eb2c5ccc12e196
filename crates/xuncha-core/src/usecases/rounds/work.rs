//! The team's work on one unit: preparation, fieldwork, working papers and
//! clues. Every change is checked against the actor's assignment (or the
//! office's jurisdiction) and recusal, then stored with its audit record.

use serde::Serialize;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::inspection::fieldwork::{
    method_usage, FieldworkEntry, FieldworkInput, Method, SpotChecks, Talked,
};
use crate::inspection::paper::{
    parse_clue_persons, Clue, ClueGrade, PaperInput, PaperStep, Signature, WorkingPaper,
};
use crate::inspection::prepare::{Briefing, BriefingInput, ListKind, PrepList};
use crate::inspection::record::{
    NewRecord, Rec, RecordData, RecordFilter, RecordKind, RecordUpdate, StoredRecord,
};
use crate::inspection::{Round, RoundStatus, Stage, Target, TargetUpdate, TeamMember, TeamRole};
use crate::policy::{self, Action};
use crate::registry::{LeadershipPost, PageRequest};
use crate::store::Store;
use crate::usecases::meta;

/// A target the actor may act on, with its round.
pub(crate) async fn target_for(
    store: &dyn Store,
    actor: &Actor,
    action: Action,
    target_id: i64,
) -> Result<(Target, Round), CoreError> {
    // Refuse a role without the action before looking anything up, so the
    // answer does not tell which ids exist.
    policy::scope(actor, action)?;
    let target = store.get_target(target_id).await?;
    policy::check(actor, action, Some(&target.unit_path))?;
    let round = store.get_round(target.round_id).await?;
    // A finished round's fieldwork is closed; rectification goes on.
    if action == Action::EditRoundWork && round.status == RoundStatus::Finished {
        return Err(CoreError::invalid("round", t("error.round_finished")));
    }
    Ok((target, round))
}

/// The actor's role in the team assigned to the target (`None` for the
/// office and others outside the team).
pub(crate) fn team_role(actor: &Actor, target: &Target) -> Option<TeamRole> {
    let team = target.team_id?;
    actor
        .assignments
        .iter()
        .find(|a| a.team_id == team)
        .map(|a| a.role)
}

/// A record of kind `T` on a target the actor may act on.
pub(crate) async fn record_for<T: RecordData>(
    store: &dyn Store,
    actor: &Actor,
    action: Action,
    id: i64,
) -> Result<(Rec<T>, Target), CoreError> {
    policy::scope(actor, action)?;
    let stored = store.get_record(id).await?;
    policy::check(actor, action, Some(&stored.meta.unit_path))?;
    let rec = Rec::<T>::decode(stored)?;
    let (target, _) = target_for(store, actor, action, rec.meta.target_id).await?;
    Ok((rec, target))
}

pub(crate) async fn all_of<T: RecordData>(
    store: &dyn Store,
    actor: &Actor,
    target: &Target,
) -> Result<Vec<Rec<T>>, CoreError> {
    let mut filter = RecordFilter::new(T::KIND, policy::scope(actor, Action::ViewRoundWork)?);
    filter.target_id = Some(target.id);
    let page = store
        .list_records(&filter, PageRequest::new(Some(1), Some(500)))
        .await?;
    page.items
        .into_iter()
        .map(|r| Ok(Rec::<T>::decode(r)?))
        .collect()
}

/// Everything about one unit in a round, for the team's workspace.
#[derive(Debug, Clone, Serialize)]
pub struct Workspace {
    /// The target.
    pub target: Target,
    /// The round.
    pub round: Round,
    /// The team's members.
    pub members: Vec<TeamMember>,
    /// The unit's leadership (the talk list starts from it).
    pub leaders: Vec<LeadershipPost>,
    /// Leaders not yet talked with.
    pub not_talked: Vec<LeadershipPost>,
    /// People on the talk list not yet talked with (beyond the leaders).
    pub not_talked_listed: Vec<String>,
    /// The prepared lists, one per kind that has been written.
    pub lists: Vec<Rec<PrepList>>,
    /// Petitions about the unit since the round began.
    pub petitions: Vec<crate::intake::register::Petition>,
    /// How often each method was used.
    pub usage: Vec<(Method, usize)>,
    /// Briefings.
    pub briefings: Vec<Rec<Briefing>>,
    /// Fieldwork, newest first.
    pub fieldwork: Vec<Rec<FieldworkEntry>>,
    /// Working papers.
    pub papers: Vec<Rec<WorkingPaper>>,
    /// Clues.
    pub clues: Vec<Rec<Clue>>,
    /// The actor's role in the team, if on it.
    pub my_role: Option<TeamRole>,
    /// Whether the actor may record work.
    pub can_edit: bool,
}

/// The workspace of a target.
pub async fn workspace(
    store: &dyn Store,
    actor: &Actor,
    target_id: i64,
) -> Result<Workspace, CoreError> {
    let (target, round) = target_for(store, actor, Action::ViewRoundWork, target_id).await?;
    let fieldwork = all_of::<FieldworkEntry>(store, actor, &target).await?;
    let leaders = store.leadership_of(target.unit_id).await?;
    let not_talked = leaders
        .iter()
        .filter(|l| {
            !fieldwork.iter().any(|f| {
                f.data
                    .talked
                    .as_ref()
                    .is_some_and(|p| p.person_id == Some(l.person_id))
            })
        })
        .cloned()
        .collect();
    let lists: Vec<Rec<PrepList>> = all_of(store, actor, &target).await?;
    let petitions = crate::usecases::petitions::about_unit(
        store,
        actor,
        &target.unit_path,
        Some(round.start_date.clone()),
        None,
    )
    .await?;
    let talked: Vec<&str> = fieldwork
        .iter()
        .filter_map(|f| f.data.talked.as_ref().map(|p| p.name.as_str()))
        .collect();
    let not_talked_listed = lists
        .iter()
        .filter(|l| l.data.list == ListKind::Talks)
        .flat_map(|l| l.data.names())
        .filter(|n| !talked.contains(&n.as_str()) && !leaders.iter().any(|l| &l.person_name == n))
        .collect();
    let members = store
        .members_of_round(round.id)
        .await?
        .into_iter()
        .filter(|m| Some(m.team_id) == target.team_id)
        .collect();
    Ok(Workspace {
        usage: method_usage(fieldwork.iter().map(|f| &f.data)),
        briefings: all_of(store, actor, &target).await?,
        papers: all_of(store, actor, &target).await?,
        clues: all_of(store, actor, &target).await?,
        my_role: team_role(actor, &target),
        can_edit: policy::check(actor, Action::EditRoundWork, Some(&target.unit_path)).is_ok()
            && round.status != RoundStatus::Finished,
        fieldwork,
        leaders,
        not_talked,
        not_talked_listed,
        lists,
        petitions,
        members,
        target,
        round,
    })
}

async fn insert<T: RecordData>(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target: &Target,
    data: &T,
) -> Result<i64, CoreError> {
    let new = NewRecord::of(target, data)?;
    Ok(store.insert_record(&new, &meta(actor, clock)).await?.id)
}

pub(crate) async fn save<T: RecordData>(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    rec: &Rec<T>,
    action: &str,
) -> Result<(), CoreError> {
    let update = RecordUpdate::of(rec, action)?;
    store
        .update_record(rec.meta.id, &update, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => CoreError::Conflict(t("error.stale").to_owned()),
            e => e.into(),
        })?;
    Ok(())
}

/// Moves the target forward to `stage` (never backwards).
pub(crate) async fn advance(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target: &Target,
    stage: Stage,
) -> Result<(), CoreError> {
    if target.stage.index() < stage.index() {
        let update = TargetUpdate {
            stage: Some(stage),
            ..TargetUpdate::default()
        };
        store
            .update_target(target.id, &update, "target.stage", &meta(actor, clock))
            .await?;
    }
    Ok(())
}

/// Logs a briefing requested from a department.
pub async fn add_briefing(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    input: &BriefingInput,
) -> Result<i64, CoreError> {
    let (target, _) = target_for(store, actor, Action::EditRoundWork, target_id).await?;
    let b = Briefing::parse(input)?;
    insert(store, clock, actor, &target, &b).await
}

/// Saves one of the prepared lists (replacing its earlier text).
pub async fn save_list(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    list: &str,
    text: &str,
) -> Result<(), CoreError> {
    let (target, _) = target_for(store, actor, Action::EditRoundWork, target_id).await?;
    let kind =
        ListKind::parse(list).ok_or_else(|| CoreError::invalid("list", t("error.prep_list")))?;
    let fresh = PrepList::parse(kind, text)?;
    let existing: Vec<Rec<PrepList>> = all_of(store, actor, &target).await?;
    match existing.into_iter().find(|l| l.data.list == kind) {
        Some(mut rec) => {
            rec.data = fresh;
            save(store, clock, actor, &rec, "prep-list.edit").await
        }
        None => insert(store, clock, actor, &target, &fresh)
            .await
            .map(|_| ()),
    }
}

/// Records a fieldwork entry; practice rules warn (kept with the entry) or
/// refuse (the spot-check limit).
pub async fn add_fieldwork(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    input: &FieldworkInput,
) -> Result<(i64, Vec<String>), CoreError> {
    let (target, round) = target_for(store, actor, Action::EditRoundWork, target_id).await?;
    let settings = crate::usecases::settings::effective(store).await?;
    let limit = settings.get_int("fieldwork.personal_report_checks");
    // The limit is per round across the team's units.
    let mut filter = RecordFilter::new(
        RecordKind::Fieldwork,
        policy::scope(actor, Action::ViewRoundWork)?,
    );
    filter.round_id = Some(round.id);
    filter.tag = Some(Method::PersonalReport.as_str().to_owned());
    let done = store
        .list_records(&filter, PageRequest::new(Some(1), Some(1)))
        .await?
        .total;
    let talked = if input.talked_name.trim().is_empty() {
        None
    } else {
        let name = input.talked_name.trim();
        let leader = store
            .leadership_of(target.unit_id)
            .await?
            .into_iter()
            .find(|l| l.person_name == name);
        Some(Talked {
            person_id: leader.as_ref().map(|l| l.person_id),
            name: name.to_owned(),
            rank: leader.map(|l| l.rank),
        })
    };
    let entry = FieldworkEntry::parse(input, talked, SpotChecks { done, limit })?;
    let warnings = entry.warnings.clone();
    let id = insert(store, clock, actor, &target, &entry).await?;
    advance(store, clock, actor, &target, Stage::Fieldwork).await?;
    Ok((id, warnings))
}

/// The 组长 approves an undercover visit.
pub async fn approve_undercover(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
) -> Result<(), CoreError> {
    let (mut rec, target) =
        record_for::<FieldworkEntry>(store, actor, Action::EditRoundWork, record_id).await?;
    if team_role(actor, &target) != Some(TeamRole::Leader) {
        return Err(CoreError::Forbidden);
    }
    if !rec.data.undercover || rec.data.approved_by.is_some() {
        return Err(CoreError::invalid("status", t("error.not_awaiting")));
    }
    rec.data.approved_by = Some(actor.display_name.clone());
    save(store, clock, actor, &rec, "fieldwork.approve").await
}

/// The taxonomy of problem categories (setting `paper.categories`).
pub async fn categories(store: &dyn Store) -> Result<Vec<String>, CoreError> {
    Ok(crate::usecases::settings::effective(store)
        .await?
        .get_lines("paper.categories"))
}

/// Drafts a working paper.
pub async fn create_paper(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    input: &PaperInput,
) -> Result<i64, CoreError> {
    let (target, _) = target_for(store, actor, Action::EditRoundWork, target_id).await?;
    let paper = WorkingPaper::parse(input, &categories(store).await?)?;
    insert(store, clock, actor, &target, &paper).await
}

/// Edits a draft or returned paper.
pub async fn edit_paper(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    input: &PaperInput,
) -> Result<(), CoreError> {
    let (mut rec, _) =
        record_for::<WorkingPaper>(store, actor, Action::EditRoundWork, record_id).await?;
    if !rec.data.editable() {
        return Err(CoreError::invalid("status", t("error.paper_locked")));
    }
    let fresh = WorkingPaper::parse(input, &categories(store).await?)?;
    rec.data.category = fresh.category;
    rec.data.source = fresh.source;
    rec.data.summary = fresh.summary;
    rec.data.facts = fresh.facts;
    rec.data.basis = fresh.basis;
    save(store, clock, actor, &rec, "paper.edit").await
}

/// Adds evidence (an uploaded attachment) to a paper.
pub async fn add_paper_evidence(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    sha256: &str,
) -> Result<(), CoreError> {
    let (mut rec, _) =
        record_for::<WorkingPaper>(store, actor, Action::EditRoundWork, record_id).await?;
    if !rec.data.evidence.iter().any(|e| e == sha256) {
        rec.data.evidence.push(sha256.to_owned());
    }
    save(store, clock, actor, &rec, "paper.evidence").await
}

/// A step of the sign-off chain, by the actor in their team role.
pub async fn paper_step(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    step: PaperStep,
) -> Result<(), CoreError> {
    let (mut rec, target) =
        record_for::<WorkingPaper>(store, actor, Action::EditRoundWork, record_id).await?;
    let role = team_role(actor, &target).ok_or(CoreError::Forbidden)?;
    let action = match step {
        PaperStep::Sign => "paper.sign",
        PaperStep::Review => "paper.review",
        PaperStep::Approve => "paper.approve",
        PaperStep::Return(_) => "paper.return",
    };
    let who = Signature {
        user_id: actor.user_id,
        name: actor.display_name.clone(),
        at: clock.now_ms(),
    };
    rec.data.apply(step, role, who)?;
    save(store, clock, actor, &rec, action).await
}

/// The raw clue form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ClueInput {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Summary.
    #[serde(default)]
    pub summary: String,
    /// Grade.
    #[serde(default)]
    pub grade: String,
    /// Persons, one per line.
    #[serde(default)]
    pub persons: String,
    /// Linked paper id.
    #[serde(default)]
    pub paper_id: Option<i64>,
}

/// Records a clue; persons are linked to the unit's registry where the name
/// is unique there.
pub async fn create_clue(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    input: &ClueInput,
) -> Result<i64, CoreError> {
    let (target, _) = target_for(store, actor, Action::EditRoundWork, target_id).await?;
    let mut errors = Vec::new();
    if input.title.trim().is_empty() {
        errors.push(crate::FieldError::field("title", t("error.required")));
    }
    if input.summary.trim().is_empty() {
        errors.push(crate::FieldError::field("summary", t("error.required")));
    }
    let grade = ClueGrade::parse(&input.grade);
    if grade.is_none() {
        errors.push(crate::FieldError::field("grade", t("error.clue_grade")));
    }
    let mut persons = parse_clue_persons(&input.persons);
    if persons.is_empty() {
        errors.push(crate::FieldError::field("persons", t("error.clue_persons")));
    }
    if let Some(pid) = input.paper_id {
        let ok = store
            .get_record(pid)
            .await
            .is_ok_and(|r| r.meta.kind == RecordKind::Paper && r.meta.target_id == target.id);
        if !ok {
            errors.push(crate::FieldError::field(
                "paper_id",
                t("error.paper_missing"),
            ));
        }
    }
    let Some(grade) = grade else {
        return Err(CoreError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let scope = crate::policy::Scope {
        within: Some(target.unit_path.clone()),
        excluded: Vec::new(),
        any_of: None,
    };
    for p in &mut persons {
        let filter = crate::registry::PersonFilter {
            q: Some(p.name.clone()),
            ..Default::default()
        };
        let found = store
            .list_persons(&scope, &filter, PageRequest::new(Some(1), Some(2)))
            .await?;
        if let [only] = found.items.as_slice() {
            if only.name == p.name {
                p.person_id = Some(only.id);
            }
        }
    }
    let clue = Clue {
        title: input.title.trim().to_owned(),
        summary: input.summary.trim().to_owned(),
        grade,
        persons,
        paper_ids: input.paper_id.into_iter().collect(),
        fieldwork_ids: Vec::new(),
        transferred: false,
    };
    insert(store, clock, actor, &target, &clue).await
}

/// One record of any kind with its envelope, if the actor may read it.
pub async fn get_record(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<StoredRecord, CoreError> {
    policy::scope(actor, Action::ViewRoundWork)?;
    let r = store.get_record(id).await?;
    policy::check(actor, Action::ViewRoundWork, Some(&r.meta.unit_path))?;
    Ok(r)
}

/// Where a record is shown, if the actor may see it: its kind and target.
/// The team and office see every kind; the inspected unit its own
/// rectification records.
pub async fn locate_record(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<(RecordKind, i64), CoreError> {
    let work = policy::scope(actor, Action::ViewRoundWork).ok();
    let rectify = policy::scope(actor, Action::Rectify).ok();
    if work.is_none() && rectify.is_none() {
        return Err(CoreError::Forbidden);
    }
    let r = store.get_record(id).await?;
    let path = r.meta.unit_path.as_str();
    let visible = work.is_some_and(|s| s.contains(path))
        || (rectify.is_some_and(|s| s.contains(path))
            && policy::RECTIFY_DOC_TYPES.contains(&r.meta.kind.as_str()));
    if visible {
        Ok((r.meta.kind, r.meta.target_id))
    } else {
        Err(CoreError::NotFound)
    }
}
