//! The rules of the cross-checks: the built-in templates and the custom
//! rules users write in SQL, saved for everyone who runs cross-checks in
//! this installation. Saving, removing and trying a rule are audited: a
//! trial run reads the lists as a run does.

use crate::audit::AuditEntry;
use crate::auth::Actor;
use crate::clock::Clock;
use crate::collide::{CrossCheckEngine, NewRule, RuleChoice, RuleParams, RulePreview, RuleTable};
use crate::error::CoreError;
use crate::policy::{self, Action};
use crate::store::Store;

/// Hits a trial run shows.
pub const PREVIEW_HITS: usize = 50;

/// The rules that can be run, with their parameters and SQL.
pub fn rules(engine: &dyn CrossCheckEngine, actor: &Actor) -> Result<Vec<RuleChoice>, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    engine.rules()
}

/// The tables a rule's SQL can read (kinds with data, each data set).
pub fn rule_tables(
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
) -> Result<Vec<RuleTable>, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    engine.tables()
}

/// Checks the rules and parameters of a run before it starts.
pub fn check_run(
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    rules: &[String],
    params: &RuleParams,
) -> Result<(), CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    engine.check_run(rules, params)
}

/// Saves a custom rule for everyone who runs cross-checks (fields `id`,
/// `title`, `sql` name what is wrong).
pub async fn save_rule(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    rule: &NewRule,
) -> Result<RuleChoice, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    let saved = engine.save_rule(rule, &actor.username).await?;
    audit(store, clock, actor, "collide.rule_save", &saved, false).await?;
    Ok(saved)
}

/// Removes a saved custom rule; hits it found stay with their evidence.
pub async fn remove_rule(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    id: &str,
) -> Result<RuleChoice, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    let removed = engine.remove_rule(id)?;
    audit(store, clock, actor, "collide.rule_remove", &removed, true).await?;
    Ok(removed)
}

/// Runs SQL as a custom rule would, storing no hit: the first
/// [`PREVIEW_HITS`] and the count. Audited with the SQL, as it reads the lists.
pub async fn preview_rule(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    sql: &str,
) -> Result<RulePreview, CoreError> {
    policy::scope(actor, Action::RunCrossChecks)?;
    let preview = engine.preview(sql, PREVIEW_HITS).await?;
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: "collide.rule_preview".into(),
            object_type: "collide_rule".into(),
            // A trial has no rule yet: its records share one object id.
            object_id: Some("preview".into()),
            before: None,
            after: Some(serde_json::json!({ "sql": sql, "hits": preview.total })),
            at: clock.now_ms(),
        })
        .await?;
    Ok(preview)
}

async fn audit(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    action: &str,
    rule: &RuleChoice,
    gone: bool,
) -> Result<(), CoreError> {
    let value = serde_json::json!({
        "title": rule.title,
        "basis": rule.basis,
        "sql": rule.sql,
        "created_by": rule.created_by,
    });
    let (before, after) = if gone {
        (Some(value), None)
    } else {
        (None, Some(value))
    };
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: action.into(),
            object_type: "collide_rule".into(),
            object_id: Some(rule.id.clone()),
            before,
            after,
            at: clock.now_ms(),
        })
        .await?;
    Ok(())
}
