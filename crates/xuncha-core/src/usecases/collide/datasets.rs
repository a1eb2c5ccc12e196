//! The data sets and runs of the cross-checks, through the engine behind
//! [`CrossCheckEngine`]: listing, importing (with the mapping the user
//! confirmed) and removing lists, and running rules whose hits are stored
//! for the actor's jurisdiction. Every change is audited.

use crate::audit::AuditEntry;
use crate::auth::Actor;
use crate::clock::Clock;
use crate::collide::{
    CheckRun, CrossCheckEngine, DatasetInfo, DatasetProblem, DatasetReport, DatasetRequest,
    ImportPlan, Progress, RuleParams, RunSummary,
};
use crate::error::CoreError;
use crate::i18n::t;
use crate::policy::{self, Action};
use crate::store::Store;

use super::record_run;

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
    params: &RuleParams,
    progress: Progress<'_>,
) -> Result<(CheckRun, RunSummary), CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    let run = engine.run(rules, params, progress).await?;
    let summary = record_run(store, clock, actor, &run.ran, run.hits.clone()).await?;
    Ok((run, summary))
}
