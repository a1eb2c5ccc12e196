//! After fieldwork: the report and the 领导小组's decision, feedback,
//! transfers and their disposal, rectification and its verification,
//! accountability, and the circular.

use serde::Serialize;

use crate::auth::{Actor, Role};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::inspection::circular::Circular;
use crate::inspection::paper::{Clue, PaperStatus, WorkingPaper};
use crate::inspection::record::{NewRecord, Rec, RecordFilter, RecordKind, StoredRecord};
use crate::inspection::rectification::{
    AccountAction, Accountability, Progress, RectItem, RectItemInput, RectRating,
};
use crate::inspection::report::{
    compose, Feedback, FeedbackInput, Report, ReportKind, ReportStatus, ReportStep,
};
use crate::inspection::transfer::{
    propose, Disposal, FourForms, Receiver, Transfer, TransferItem, TransferStatus,
};
use crate::inspection::workdays::{add_months, iso, parse_iso};
use crate::inspection::{Round, Stage, Target, TargetUpdate, TeamRole};
use crate::policy::{self, Action, Scope};
use crate::registry::{Page, PageRequest};
use crate::store::Store;
use crate::usecases::meta;

use super::plan::today;
use super::work::{advance, all_of, record_for, save, target_for, team_role};

async fn insert_rec<T: crate::inspection::record::RecordData>(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target: &Target,
    data: &T,
) -> Result<i64, CoreError> {
    let new = NewRecord::of(target, data)?;
    Ok(store.insert_record(&new, &meta(actor, clock)).await?.id)
}

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

/// The raw transfer form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TransferInput {
    /// The clue or paper record.
    pub record_id: i64,
    /// Receiver chosen (empty: the proposal).
    #[serde(default)]
    pub receiver: String,
    /// The department's unit (for department receivers).
    #[serde(default)]
    pub receiver_unit_id: Option<i64>,
    /// Why the proposal was changed.
    #[serde(default)]
    pub change_reason: String,
}

/// The receiver proposed for a clue or paper.
pub async fn proposed_receiver(
    store: &dyn Store,
    actor: &Actor,
    record_id: i64,
) -> Result<Receiver, CoreError> {
    let r = super::work::get_record(store, actor, record_id).await?;
    Ok(propose(
        r.meta.kind,
        r.meta.tag.as_deref().unwrap_or_default(),
    ))
}

/// Transfers a clue or an approved working paper.
pub async fn transfer(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    input: &TransferInput,
) -> Result<i64, CoreError> {
    let stored = store.get_record(input.record_id).await?;
    policy::check(actor, Action::EditRoundWork, Some(&stored.meta.unit_path))?;
    let (target, _) =
        target_for(store, actor, Action::EditRoundWork, stored.meta.target_id).await?;
    let (title, summary, category) = match stored.meta.kind {
        RecordKind::Clue => {
            let c = Rec::<Clue>::decode(stored.clone())?;
            if c.data.transferred {
                return Err(CoreError::invalid(
                    "record_id",
                    t("error.already_transferred"),
                ));
            }
            let names: Vec<String> = c
                .data
                .persons
                .iter()
                .map(|p| format!("{} {}", p.name, p.position))
                .collect();
            (
                c.data.title,
                format!("{}\n{}", names.join("；"), c.data.summary),
                String::new(),
            )
        }
        RecordKind::Paper => {
            let p = Rec::<WorkingPaper>::decode(stored.clone())?;
            if p.data.status != PaperStatus::Approved {
                return Err(CoreError::invalid(
                    "record_id",
                    t("error.paper_not_approved"),
                ));
            }
            (p.data.summary, p.data.facts, p.data.category)
        }
        _ => return Err(CoreError::invalid("record_id", t("error.not_transferable"))),
    };
    let proposed = propose(stored.meta.kind, &category);
    let receiver = if input.receiver.trim().is_empty() {
        proposed
    } else {
        Receiver::parse(&input.receiver)
            .ok_or_else(|| CoreError::invalid("receiver", t("error.receiver")))?
    };
    let change_reason = input.change_reason.trim();
    if receiver != proposed && change_reason.is_empty() {
        return Err(CoreError::invalid(
            "change_reason",
            t("error.reason_required"),
        ));
    }
    let receiver_unit_id = if receiver == Receiver::Department {
        let id = input
            .receiver_unit_id
            .ok_or_else(|| CoreError::invalid("receiver_unit_id", t("error.receiver_unit")))?;
        store
            .get_unit(id)
            .await
            .map_err(|_| CoreError::invalid("receiver_unit_id", t("error.unit_missing")))?;
        Some(id)
    } else {
        None
    };
    let months = crate::usecases::settings::effective(store)
        .await?
        .get_int("transfer.feedback_months")
        .clamp(1, 12) as u32;
    let sent = today(clock);
    let due = parse_iso(&sent)
        .map(|d| iso(add_months(d, months)))
        .unwrap_or_else(|| sent.clone());
    let tr = Transfer {
        item: TransferItem {
            kind: stored.meta.kind,
            id: stored.meta.id,
            title,
            summary,
        },
        receiver,
        receiver_unit_id,
        proposed,
        change_reason: (receiver != proposed).then(|| change_reason.to_owned()),
        sent_date: sent,
        due_date: due,
        status: TransferStatus::Sent,
        received: None,
        disposal: None,
        four_forms: None,
        feedback: None,
        reported_date: None,
    };
    let id = insert_rec(store, clock, actor, &target, &tr).await?;
    if stored.meta.kind == RecordKind::Clue {
        let mut c = Rec::<Clue>::decode(stored)?;
        c.data.transferred = true;
        save(store, clock, actor, &c, "clue.transferred").await?;
    }
    advance(store, clock, actor, &target, Stage::Transfer).await?;
    Ok(id)
}

/// The transfer tag a receiving user sees: their body, and for departments
/// their own unit.
fn receiver_tag(actor: &Actor) -> Result<String, CoreError> {
    match actor.role {
        Role::Discipline => Ok(Receiver::Discipline.as_str().to_owned()),
        Role::Organisation => Ok(Receiver::Organisation.as_str().to_owned()),
        Role::Department => actor
            .jurisdiction
            .as_ref()
            .map(|j| format!("{}:{}", Receiver::Department.as_str(), j.unit_id))
            .ok_or(CoreError::Forbidden),
        _ => Err(CoreError::Forbidden),
    }
}

/// The transfers the actor receives (the 纪委监委, 组织部 or a department see
/// only what was transferred to them), or every transfer for the office.
pub async fn transfers(
    store: &dyn Store,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<Rec<Transfer>>, CoreError> {
    let mut f = if policy::role_allows(actor.role, Action::HandleTransfers) {
        let mut f = RecordFilter::new(RecordKind::Transfer, receiver_scope(actor)?);
        f.tag = Some(receiver_tag(actor)?);
        f
    } else {
        RecordFilter::new(
            RecordKind::Transfer,
            policy::scope(actor, Action::PlanRounds)?,
        )
    };
    f.round_id = None;
    let p = store.list_records(&f, page).await?;
    Ok(Page {
        items: p
            .items
            .into_iter()
            .map(Rec::decode)
            .collect::<Result<_, _>>()?,
        total: p.total,
        total_capped: p.total_capped,
    })
}

/// Receivers are not bound to the inspected unit's subtree, but recusal
/// still applies.
fn receiver_scope(actor: &Actor) -> Result<Scope, CoreError> {
    policy::scope(actor, Action::HandleTransfers)?;
    Ok(Scope {
        within: None,
        excluded: actor.recused_paths.clone(),
        any_of: None,
    })
}

async fn transfer_for_receiver(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<Rec<Transfer>, CoreError> {
    let stored = store.get_record(id).await?;
    if !receiver_scope(actor)?.contains(&stored.meta.unit_path)
        || stored.meta.tag.as_deref() != Some(receiver_tag(actor)?.as_str())
    {
        return Err(CoreError::NotFound);
    }
    Ok(Rec::decode(stored)?)
}

/// One transfer, for its receiver or the office.
pub async fn get_transfer(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<Rec<Transfer>, CoreError> {
    if policy::role_allows(actor.role, Action::HandleTransfers) {
        return transfer_for_receiver(store, actor, id).await;
    }
    let stored = store.get_record(id).await?;
    policy::check(actor, Action::ViewRoundWork, Some(&stored.meta.unit_path))?;
    Ok(Rec::decode(stored)?)
}

/// The receiver signs for a transfer.
pub async fn receive_transfer(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> Result<(), CoreError> {
    let mut rec = transfer_for_receiver(store, actor, id).await?;
    rec.data.receive(&actor.display_name, &today(clock))?;
    save(store, clock, actor, &rec, "transfer.receive").await
}

/// The receiver records the disposal and feeds back.
pub async fn report_transfer(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    disposal: &str,
    four_forms: &str,
    feedback: &str,
) -> Result<(), CoreError> {
    let mut rec = transfer_for_receiver(store, actor, id).await?;
    let mut errors = Vec::new();
    let d = Disposal::parse(disposal);
    if d.is_none() {
        errors.push(crate::FieldError::field("disposal", t("error.disposal")));
    }
    let f = FourForms::parse(four_forms);
    if f.is_none() {
        errors.push(crate::FieldError::field(
            "four_forms",
            t("error.four_forms"),
        ));
    }
    let (Some(d), Some(f)) = (d, f) else {
        return Err(CoreError::Invalid(errors));
    };
    rec.data.report(d, f, feedback, &today(clock))?;
    save(store, clock, actor, &rec, "transfer.report").await
}

/// The rectification view of a target: its items and the 集中整改 deadline.
#[derive(Debug, Clone, Serialize)]
pub struct Rectification {
    /// The target.
    pub target: Target,
    /// The round.
    pub round: Round,
    /// The feedback given, if any.
    pub feedback: Option<Rec<Feedback>>,
    /// Last day of 集中整改.
    pub due: Option<String>,
    /// Items.
    pub items: Vec<Rec<RectItem>>,
    /// Approved working papers not yet on the lists (对账).
    pub unlisted: Vec<Rec<WorkingPaper>>,
    /// Accountability actions.
    pub accountability: Vec<Rec<Accountability>>,
    /// Today, for overdue marks.
    pub today: String,
    /// Whether the actor may add items and report progress.
    pub can_rectify: bool,
    /// Whether the actor may verify items.
    pub can_verify: bool,
    /// The public disclosure text of the items not exempted.
    pub disclosure: String,
    /// Approved problems (id, summary), for linking accountability (verifiers only).
    pub problems: Vec<(i64, String)>,
}

/// Which action lets the actor read a target's rectification: the unit's
/// own account (Rectify) or the team and office (ViewRoundWork).
async fn rect_target(
    store: &dyn Store,
    actor: &Actor,
    target_id: i64,
) -> Result<(Target, Round, bool, bool), CoreError> {
    let target = store.get_target(target_id).await?;
    let can_rectify = policy::check(actor, Action::Rectify, Some(&target.unit_path)).is_ok();
    let can_verify =
        policy::check(actor, Action::VerifyRectification, Some(&target.unit_path)).is_ok();
    let can_view = policy::check(actor, Action::ViewRoundWork, Some(&target.unit_path)).is_ok();
    if !(can_rectify || can_verify || can_view) {
        return Err(CoreError::NotFound);
    }
    let round = store.get_round(target.round_id).await?;
    Ok((target, round, can_rectify, can_verify))
}

async fn of_target<T: crate::inspection::record::RecordData>(
    store: &dyn Store,
    target: &Target,
) -> Result<Vec<Rec<T>>, CoreError> {
    let mut f = RecordFilter::new(T::KIND, Scope::all());
    f.target_id = Some(target.id);
    let page = store
        .list_records(&f, PageRequest::new(Some(1), Some(500)))
        .await?;
    page.items
        .into_iter()
        .map(|r| Ok(Rec::decode(r)?))
        .collect()
}

/// A target's rectification. The inspected unit sees only its feedback,
/// items and accountability, never the team's papers.
pub async fn rectification(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
) -> Result<Rectification, CoreError> {
    let (target, round, can_rectify, can_verify) = rect_target(store, actor, target_id).await?;
    let items: Vec<Rec<RectItem>> = of_target(store, &target).await?;
    let approved: Vec<Rec<WorkingPaper>> = if can_verify {
        of_target::<WorkingPaper>(store, &target)
            .await?
            .into_iter()
            .filter(|p| p.data.status == PaperStatus::Approved)
            .collect()
    } else {
        Vec::new()
    };
    let problems = approved
        .iter()
        .map(|p| (p.meta.id, p.data.summary.clone()))
        .collect();
    let unlisted = if can_verify {
        approved
            .into_iter()
            .filter(|p| {
                p.data.status == PaperStatus::Approved
                    && !items.iter().any(|i| i.data.paper_id == Some(p.meta.id))
            })
            .collect()
    } else {
        Vec::new()
    };
    let disclosure = crate::inspection::rectification::disclosure_text(
        &target.unit_name,
        &items.iter().map(|i| &i.data).collect::<Vec<_>>(),
    );
    Ok(Rectification {
        disclosure,
        problems,
        feedback: of_target::<Feedback>(store, &target)
            .await?
            .into_iter()
            .next(),
        due: rectification_due(store, &target).await?,
        accountability: of_target(store, &target).await?,
        items,
        unlisted,
        today: today(clock),
        can_rectify: can_rectify && target.feedback_date.is_some(),
        can_verify,
        target,
        round,
    })
}

/// The unit (or the office) adds an item to the rectification lists.
pub async fn add_rect_item(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    paper_id: Option<i64>,
    input: &RectItemInput,
) -> Result<i64, CoreError> {
    let (target, _, can_rectify, _) = rect_target(store, actor, target_id).await?;
    if !can_rectify {
        return Err(CoreError::Forbidden);
    }
    let due = rectification_due(store, &target)
        .await?
        .ok_or_else(|| CoreError::invalid("deadline", t("error.no_feedback_yet")))?;
    if let Some(pid) = paper_id {
        let ok = store.get_record(pid).await.is_ok_and(|r| {
            r.meta.kind == RecordKind::Paper
                && r.meta.target_id == target.id
                && r.meta.status == PaperStatus::Approved.as_str()
        });
        if !ok {
            return Err(CoreError::invalid("paper_id", t("error.paper_missing")));
        }
    }
    let item = RectItem::parse(input, paper_id, &due)?;
    insert_rec(store, clock, actor, &target, &item).await
}

/// The unit reports progress on an item (with evidence hashes).
pub async fn report_progress(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    note: &str,
    evidence: Vec<String>,
    done: bool,
) -> Result<(), CoreError> {
    let stored = store.get_record(record_id).await?;
    let (_, _, can_rectify, _) = rect_target(store, actor, stored.meta.target_id).await?;
    if !can_rectify {
        return Err(CoreError::Forbidden);
    }
    let mut rec = Rec::<RectItem>::decode(stored)?;
    rec.data.report(
        Progress {
            date: today(clock),
            by: actor.display_name.clone(),
            note: note.trim().to_owned(),
            evidence,
        },
        done,
    )?;
    save(store, clock, actor, &rec, "rect.progress").await
}

/// The unit attaches evidence (an uploaded file) to an item, as a progress
/// entry naming the file.
pub async fn add_rect_evidence(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    sha256: &str,
    file_name: &str,
) -> Result<(), CoreError> {
    let stored = store.get_record(record_id).await?;
    let (_, _, can_rectify, _) = rect_target(store, actor, stored.meta.target_id).await?;
    if !can_rectify {
        return Err(CoreError::Forbidden);
    }
    let mut rec = Rec::<RectItem>::decode(stored)?;
    rec.data.report(
        Progress {
            date: today(clock),
            by: actor.display_name.clone(),
            note: crate::i18n::tf("rect.evidence_note", &[("file", file_name)]),
            evidence: vec![sha256.to_owned()],
        },
        false,
    )?;
    save(store, clock, actor, &rec, "rect.evidence").await
}

/// The team or office verifies an item: accept, or send back with a reason.
pub async fn verify_item(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    accept: bool,
    reason: &str,
) -> Result<(), CoreError> {
    let (mut rec, _) =
        record_for::<RectItem>(store, actor, Action::VerifyRectification, record_id).await?;
    rec.data
        .verify(accept, &actor.display_name, clock.now_ms(), reason)?;
    save(
        store,
        clock,
        actor,
        &rec,
        if accept {
            "rect.accept"
        } else {
            "rect.send_back"
        },
    )
    .await
}

/// Marks an item as disclosed to the public or exempt (secret, open case,
/// sensitive).
pub async fn set_disclosure(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    record_id: i64,
    disclose: bool,
) -> Result<(), CoreError> {
    let (mut rec, _) =
        record_for::<RectItem>(store, actor, Action::VerifyRectification, record_id).await?;
    rec.data.disclose = disclose;
    save(store, clock, actor, &rec, "rect.disclosure").await
}

/// Rates a unit's rectification; 一般/差 are proposed for a 回头看.
pub async fn rate(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    rating: &str,
) -> Result<(), CoreError> {
    let target = store.get_target(target_id).await?;
    policy::check(actor, Action::VerifyRectification, Some(&target.unit_path))?;
    let r = RectRating::parse(rating)
        .or_else(|| {
            rating
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|s| *s <= 100)
                .map(RectRating::of_score)
        })
        .ok_or_else(|| CoreError::invalid("rating", t("error.rating")))?;
    let update = TargetUpdate {
        rect_rating: Some(r.as_str().to_owned()),
        stage: Some(Stage::Evaluate),
        ..TargetUpdate::default()
    };
    store
        .update_target(target.id, &update, "target.rate", &meta(actor, clock))
        .await?;
    Ok(())
}

/// The raw accountability form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AccountabilityInput {
    /// Action.
    #[serde(default)]
    pub action: String,
    /// Person's name (empty when the unit is criticised).
    #[serde(default)]
    pub person_name: String,
    /// Position.
    #[serde(default)]
    pub position: String,
    /// Problem.
    #[serde(default)]
    pub paper_id: Option<i64>,
    /// Day.
    #[serde(default)]
    pub date: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// Records an accountability action.
pub async fn add_accountability(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    input: &AccountabilityInput,
) -> Result<i64, CoreError> {
    let target = store.get_target(target_id).await?;
    policy::check(actor, Action::VerifyRectification, Some(&target.unit_path))?;
    let mut errors = Vec::new();
    let action = AccountAction::parse(&input.action);
    if action.is_none() {
        errors.push(crate::FieldError::field(
            "action",
            t("error.account_action"),
        ));
    }
    let date = crate::registry::parse_date(&input.date);
    if date.is_none() {
        errors.push(crate::FieldError::field("date", t("error.date")));
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
    if action.is_some_and(|a| a != AccountAction::Criticise) && input.person_name.trim().is_empty()
    {
        errors.push(crate::FieldError::field("person_name", t("error.required")));
    }
    let (Some(action), Some(date)) = (action, date) else {
        return Err(CoreError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let name = input.person_name.trim();
    let person_id = store
        .leadership_of(target.unit_id)
        .await?
        .into_iter()
        .find(|l| l.person_name == name)
        .map(|l| l.person_id);
    let a = Accountability {
        action,
        person_id,
        person_name: name.to_owned(),
        position: input.position.trim().to_owned(),
        paper_id: input.paper_id,
        date,
        note: input.note.trim().to_owned(),
    };
    insert_rec(store, clock, actor, &target, &a).await
}

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
    let round = super::plan::visible_round(store, actor, round_id).await?;
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
        super::plan::visible_round(store, actor, id).await?;
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
        super::plan::visible_round(store, actor, id).await?;
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
}

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
