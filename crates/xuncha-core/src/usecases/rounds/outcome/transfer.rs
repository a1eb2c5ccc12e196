//! Transfers: proposal, sending, and the receivers' inbox, receipt and disposal.

use crate::auth::{Actor, Role};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::inspection::paper::{Clue, PaperStatus, WorkingPaper};
use crate::inspection::record::{Rec, RecordFilter, RecordKind};
use crate::inspection::transfer::{
    propose, Disposal, FourForms, Receiver, Transfer, TransferItem, TransferStatus,
};
use crate::inspection::workdays::{add_months, iso, parse_iso};
use crate::inspection::Stage;
use crate::policy::{self, Action, Scope};
use crate::registry::{Page, PageRequest};
use crate::store::Store;

use super::super::plan::today;
use super::super::work::{advance, save, target_for};

use super::*;

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
    let r = super::super::work::get_record(store, actor, record_id).await?;
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
pub(super) fn receiver_tag(actor: &Actor) -> Result<String, CoreError> {
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
pub(super) fn receiver_scope(actor: &Actor) -> Result<Scope, CoreError> {
    policy::scope(actor, Action::HandleTransfers)?;
    Ok(Scope {
        within: None,
        excluded: actor.recused_paths.clone(),
        any_of: None,
    })
}

pub(super) async fn transfer_for_receiver(
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
