//! The report and the 领导小组's decision; feedback and the rectification clock.

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::inspection::paper::{PaperStatus, WorkingPaper};
use crate::inspection::record::{Rec, RecordFilter, RecordKind};
use crate::inspection::report::{
    compose, Feedback, FeedbackInput, Report, ReportKind, ReportStatus, ReportStep,
};
use crate::inspection::workdays::{add_months, iso, parse_iso};
use crate::inspection::{Stage, Target, TargetUpdate, TeamRole};
use crate::policy::{self, Action};
use crate::registry::PageRequest;
use crate::store::Store;
use crate::usecases::meta;

use super::super::work::{advance, all_of, record_for, save, target_for, team_role};

use super::*;

/// Composes the report of a target from its approved working papers (a
/// draft the 组长 then edits).
pub async fn compose_report(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    kind: ReportKind,
) -> Result<i64, CoreError> {
    let (target, _) = target_for(store, actor, Action::EditRoundWork, target_id).await?;
    let papers = all_of::<WorkingPaper>(store, actor, &target).await?;
    let approved: Vec<(i64, &WorkingPaper)> = papers
        .iter()
        .rev()
        .filter(|p| p.data.status == PaperStatus::Approved)
        .map(|p| (p.meta.id, &p.data))
        .collect();
    if approved.is_empty() && kind == ReportKind::Final {
        return Err(CoreError::invalid("kind", t("error.no_approved_papers")));
    }
    let report = Report {
        kind,
        title: crate::i18n::tf(
            "report.title",
            &[("unit", &target.unit_name), ("kind", kind.label())],
        ),
        body: compose(&target.unit_name, &approved),
        paper_ids: approved.iter().map(|(id, _)| *id).collect(),
        status: ReportStatus::Draft,
        returns: Vec::new(),
        approved_by: None,
    };
    insert_rec(store, clock, actor, &target, &report).await
}

/// Edits a draft report's text.
pub async fn edit_report(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    body: &str,
) -> Result<(), CoreError> {
    let (mut rec, _) = record_for::<Report>(store, actor, Action::EditRoundWork, record_id).await?;
    if !matches!(
        rec.data.status,
        ReportStatus::Draft | ReportStatus::Returned
    ) {
        return Err(CoreError::invalid("status", t("error.report_transition")));
    }
    if body.trim().is_empty() {
        return Err(CoreError::invalid("body", t("error.required")));
    }
    rec.data.body = body.trim().to_owned();
    save(store, clock, actor, &rec, "report.edit").await
}

/// The 组长 submits the report to the 领导小组.
pub async fn submit_report(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
) -> Result<(), CoreError> {
    let (mut rec, target) =
        record_for::<Report>(store, actor, Action::EditRoundWork, record_id).await?;
    if team_role(actor, &target) != Some(TeamRole::Leader) {
        return Err(CoreError::Forbidden);
    }
    rec.data
        .apply(ReportStep::Submit, &actor.display_name, clock.now_ms())?;
    save(store, clock, actor, &rec, "report.submit").await?;
    advance(store, clock, actor, &target, Stage::Report).await
}

/// Reports waiting for the 领导小组.
pub async fn reports_to_decide(
    store: &dyn Store,
    actor: &Actor,
) -> Result<Vec<Rec<Report>>, CoreError> {
    let scope = policy::scope(actor, Action::DecideReports)?;
    let mut f = RecordFilter::new(RecordKind::Report, scope);
    f.status = Some(ReportStatus::Submitted.as_str().to_owned());
    let page = store
        .list_records(&f, PageRequest::new(Some(1), Some(500)))
        .await?;
    page.items
        .into_iter()
        .map(|r| Ok(Rec::decode(r)?))
        .collect()
}

/// The 领导小组 approves a report, or returns it with reasons: a return
/// reopens fieldwork on the unit and is counted.
pub async fn decide_report(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    approve: bool,
    reason: &str,
) -> Result<(), CoreError> {
    let stored = store.get_record(record_id).await?;
    policy::check(actor, Action::DecideReports, Some(&stored.meta.unit_path))?;
    let mut rec = Rec::<Report>::decode(stored)?;
    let step = if approve {
        ReportStep::Approve
    } else {
        ReportStep::Return(reason.to_owned())
    };
    rec.data.apply(step, &actor.display_name, clock.now_ms())?;
    save(
        store,
        clock,
        actor,
        &rec,
        if approve {
            "report.approve"
        } else {
            "report.return"
        },
    )
    .await?;
    if !approve && rec.data.kind == ReportKind::Final {
        let update = TargetUpdate {
            stage: Some(Stage::Fieldwork),
            add_report_return: true,
            ..TargetUpdate::default()
        };
        store
            .update_target(
                rec.meta.target_id,
                &update,
                "target.reopen",
                &meta(actor, clock),
            )
            .await?;
    }
    Ok(())
}

/// Records the feedback opinion and its receipt; the rectification clock
/// starts on the day the leadership team heard it.
pub async fn give_feedback(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    input: &FeedbackInput,
) -> Result<i64, CoreError> {
    let (target, _) = target_for(store, actor, Action::EditRoundWork, target_id).await?;
    let reports = all_of::<Report>(store, actor, &target).await?;
    if !reports
        .iter()
        .any(|r| r.data.kind == ReportKind::Final && r.data.status == ReportStatus::Approved)
    {
        return Err(CoreError::invalid(
            "opinion",
            t("error.report_not_approved"),
        ));
    }
    let fb = Feedback::parse(input)?;
    let id = insert_rec(store, clock, actor, &target, &fb).await?;
    let update = TargetUpdate {
        feedback_date: Some(fb.team_date.clone()),
        stage: Some(Stage::Rectify),
        ..TargetUpdate::default()
    };
    store
        .update_target(target.id, &update, "target.feedback", &meta(actor, clock))
        .await?;
    Ok(id)
}

/// The last day of 集中整改 for a target (feedback + the setting's months).
pub async fn rectification_due(
    store: &dyn Store,
    target: &Target,
) -> Result<Option<String>, CoreError> {
    let months = crate::usecases::settings::effective(store)
        .await?
        .get_int("rectification.months")
        .clamp(1, 12) as u32;
    Ok(target
        .feedback_date
        .as_deref()
        .and_then(parse_iso)
        .map(|d| iso(add_months(d, months))))
}
