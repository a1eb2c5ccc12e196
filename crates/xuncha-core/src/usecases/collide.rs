//! Cross-check hits (大数据碰撞) for people: storing a run's hits for the
//! actor's jurisdiction (each attributed to the registry unit its list
//! names), lists, triage, and turning a confirmed hit into a clue of a round.

use crate::audit::AuditEntry;
use crate::auth::Actor;
use crate::clock::Clock;
use crate::collide::{
    CheckRun, CrossCheckEngine, DatasetInfo, DatasetProblem, DatasetReport, DatasetRequest,
    HitState, ImportPlan, NewHit, PlacedHit, Progress, RuleChoice, RunSummary, StoredHit,
    TriageInput,
};
use crate::error::CoreError;
use crate::i18n::{t, tf};
use crate::policy::{self, Action, Scope};
use crate::registry::{Page, PageRequest};
use crate::store::{HitFilter, Store};

use super::meta;
use super::rounds::work::{create_clue, ClueInput};

/// Stores the hits of a run of `rules` over the actor's jurisdiction. Each
/// hit goes to the unit of the registry whose name its list gives (a
/// village, a unit), else to the jurisdiction itself.
pub async fn record_run(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    rules: &[String],
    hits: Vec<NewHit>,
) -> Result<RunSummary, CoreError> {
    let scope = policy::scope(actor, Action::RunCrossChecks)?;
    let root = match &actor.jurisdiction {
        Some(j) => store.get_unit(j.unit_id).await?,
        // The administrator without a jurisdiction checks for the whole registry.
        None => store
            .all_units(&Scope::all())
            .await?
            .into_iter()
            .min_by_key(|u| u.depth)
            .ok_or(CoreError::NotFound)?,
    };
    policy::check(actor, Action::RunCrossChecks, Some(&root.path))?;
    let units = store.all_units(&scope).await?;
    let key = |s: &str| xuncha_text::normalize(s.trim());
    let placed = hits
        .into_iter()
        .map(|hit| {
            let unit = hit
                .place
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .and_then(|p| {
                    let k = key(p);
                    units.iter().find(|u| key(&u.name) == k)
                });
            let (unit_id, unit_path) = match unit {
                Some(u) => (u.id, u.path.clone()),
                None => (root.id, root.path.clone()),
            };
            PlacedHit {
                hit,
                unit_id,
                unit_path,
            }
        })
        .collect::<Vec<_>>();
    Ok(store
        .record_run(root.id, rules, &placed, &meta(actor, clock))
        .await?)
}

/// A page of hits the actor may read.
pub async fn list(
    store: &dyn Store,
    actor: &Actor,
    rule: Option<String>,
    state: Option<HitState>,
    change: Option<String>,
    page: PageRequest,
) -> Result<Page<StoredHit>, CoreError> {
    let filter = HitFilter {
        scope: policy::scope(actor, Action::ViewCrossChecks)?,
        rule,
        state: state.map(|s| s.as_str().to_owned()),
        change,
    };
    Ok(store.list_hits(&filter, page).await?)
}

/// Whether the actor may verify this hit and turn it into a clue.
pub fn may_triage(actor: &Actor, hit: &StoredHit) -> bool {
    policy::check(actor, Action::RunCrossChecks, Some(&hit.unit_path)).is_ok()
}

/// One hit, if the actor may read it.
pub async fn get(store: &dyn Store, actor: &Actor, id: i64) -> Result<StoredHit, CoreError> {
    policy::scope(actor, Action::ViewCrossChecks)?;
    let hit = store.get_hit(id).await.map_err(|_| CoreError::NotFound)?;
    policy::check(actor, Action::ViewCrossChecks, Some(&hit.unit_path))?;
    Ok(hit)
}

fn conflict(e: crate::StoreError) -> CoreError {
    match e {
        crate::StoreError::Conflict(_) => CoreError::Conflict(t("error.hit_changed").to_owned()),
        e => e.into(),
    }
}

/// Records a verification: 已核实属实, 不属实 (with the reason) or back to 待核实.
pub async fn triage(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &TriageInput,
) -> Result<StoredHit, CoreError> {
    let hit = get(store, actor, id).await?;
    // Reading a hit is wider than verifying it (the 领导小组 reads).
    policy::check(actor, Action::RunCrossChecks, Some(&hit.unit_path))?;
    let (state, note) = input.validate(hit.state)?;
    store
        .update_hit(id, input.version, state, &note, None, &meta(actor, clock))
        .await
        .map_err(conflict)
}

/// Turns a confirmed hit into a clue of a round's target, carrying its
/// evidence; the hit then points at the clue.
pub async fn to_clue(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    target_id: i64,
    grade: &str,
) -> Result<(StoredHit, i64), CoreError> {
    let hit = get(store, actor, id).await?;
    policy::check(actor, Action::RunCrossChecks, Some(&hit.unit_path))?;
    if target_id <= 0 {
        return Err(CoreError::invalid("target_id", t("error.hit_target")));
    }
    if hit.state != HitState::Confirmed {
        return Err(CoreError::invalid("state", t("error.hit_not_confirmed")));
    }
    let h = &hit.hit;
    let clue = create_clue(
        store,
        clock,
        actor,
        target_id,
        &ClueInput {
            title: format!("{}：{}", h.rule_title, h.subject_name),
            summary: tf(
                "collide.hit_clue_summary",
                &[("rule", &h.rule_title), ("evidence", &h.evidence)],
            ) + &if hit.note.is_empty() {
                String::new()
            } else {
                format!("\n{}", hit.note)
            },
            grade: grade.to_owned(),
            persons: tf("collide.hit_clue_persons", &[("name", &h.subject_name)]),
            paper_id: None,
        },
    )
    .await?;
    let stored = store
        .update_hit(
            id,
            hit.version,
            HitState::Clue,
            &hit.note,
            Some(clue),
            &meta(actor, clock),
        )
        .await
        .map_err(conflict)?;
    Ok((stored, clue))
}

// --- data sets and runs (the engine behind `CrossCheckEngine`) -----------------

/// Whether the actor may import lists and run rules.
pub fn may_run(actor: &Actor) -> bool {
    policy::scope(actor, Action::RunCrossChecks).is_ok()
}

/// The data sets loaded, for those who may run rules over them.
pub fn datasets(
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
) -> Result<Vec<DatasetInfo>, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    engine.datasets()
}

/// The problems kept with a data set (row, column, why).
pub fn dataset_problems(
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    name: &str,
) -> Result<Vec<DatasetProblem>, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    engine.problems(name)
}

/// Removes a data set (the lists are sensitive: what is no longer needed goes), audited with
/// its provenance. Hits already recorded keep their evidence.
pub async fn remove_dataset(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    name: &str,
) -> Result<DatasetInfo, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    let d = engine.remove(name)?;
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: "collide.remove".into(),
            object_type: "collide_dataset".into(),
            object_id: Some(d.name.clone()),
            before: Some(serde_json::json!({
                "kind": d.kind_label,
                "rows": d.rows,
                "source_department": d.source_department,
                "source_file": d.source_file,
                "imported_by": d.imported_by,
                "imported_at": d.imported_at,
            })),
            after: None,
            at: clock.now_ms(),
        })
        .await?;
    Ok(d)
}

/// The rules that can be run.
pub fn rules(engine: &dyn CrossCheckEngine, actor: &Actor) -> Result<Vec<RuleChoice>, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    engine.rules()
}

/// A list as uploaded, before its mapping is confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatasetInput {
    /// The kind's identifier.
    pub kind: String,
    /// The data set's name.
    pub name: String,
    /// The department the list came from.
    pub source_department: String,
    /// The file's name.
    pub file_name: String,
}

impl DatasetInput {
    fn check(&self, engine: &dyn CrossCheckEngine) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        if !engine.kinds().iter().any(|(id, _)| *id == self.kind) {
            errors.push(crate::FieldError::field(
                "kind",
                t("collide_web.kind_missing"),
            ));
        }
        if self.name.trim().is_empty() {
            errors.push(crate::FieldError::field(
                "name",
                t("collide_web.name_missing"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Invalid(errors))
        }
    }
}

/// Reads an uploaded list and proposes how its headers map onto the kind's
/// fields (the mapping screen).
pub fn plan_import(
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    input: &DatasetInput,
    bytes: &[u8],
) -> Result<ImportPlan, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    input.check(engine)?;
    engine.plan(&input.kind, &input.file_name, bytes)
}

/// Imports a list with the mapping the user confirmed, recording who
/// imported it (provenance in the data set, and an audit record).
pub async fn import_dataset(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    input: &DatasetInput,
    mapping: Vec<(String, String)>,
    bytes: &[u8],
) -> Result<DatasetReport, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    input.check(engine)?;
    let now = clock.now_ms();
    let source = input.source_department.trim();
    let req = DatasetRequest {
        kind: input.kind.clone(),
        name: input.name.trim().to_owned(),
        source_department: Some(source.to_owned()).filter(|s| !s.is_empty()),
        source_file: input.file_name.clone(),
        imported_by: actor.username.clone(),
        imported_at: crate::clock::format_cst(now),
        mapping,
    };
    let report = engine.import(&req, bytes)?;
    let d = &report.dataset;
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: "collide.import".into(),
            object_type: "collide_dataset".into(),
            object_id: Some(d.name.clone()),
            before: None,
            after: Some(serde_json::json!({
                "kind": req.kind,
                "rows": d.rows,
                "skipped": d.skipped,
                "problems": d.problems,
                "source_department": d.source_department,
                "source_file": d.source_file,
                "mapping": req.mapping,
            })),
            at: now,
        })
        .await?;
    Ok(report)
}

/// Runs `rules` (every rule when empty) and stores their hits for the
/// actor's jurisdiction, as `xuncha collide run --record` does.
pub async fn run_checks(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    rules: &[String],
    progress: Progress<'_>,
) -> Result<(CheckRun, RunSummary), CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    let run = engine.run(rules, progress).await?;
    let summary = record_run(store, clock, actor, &run.ran, run.hits.clone()).await?;
    Ok((run, summary))
}
