//! Rectification: the unit's lists, progress and evidence, verification, disclosure,
//! ratings and accountability.

use serde::Serialize;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::inspection::paper::{PaperStatus, WorkingPaper};
use crate::inspection::record::{Rec, RecordFilter, RecordKind};
use crate::inspection::rectification::{
    AccountAction, Accountability, Progress, RectItem, RectItemInput, RectRating,
};
use crate::inspection::report::Feedback;
use crate::inspection::{Round, Stage, Target, TargetUpdate};
use crate::policy::{self, Action, Scope};
use crate::registry::PageRequest;
use crate::store::Store;
use crate::usecases::meta;

use super::super::plan::today;
use super::super::work::{record_for, save};

use super::*;

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
pub(super) async fn rect_target(
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

pub(super) async fn of_target<T: crate::inspection::record::RecordData>(
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
