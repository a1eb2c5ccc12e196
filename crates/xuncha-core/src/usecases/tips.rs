//! Public tips (码上巡察): the public side (a form per inspected unit, the
//! receipt code to follow up) and the handlers' side (the team's inbox,
//! triage into a petition, fieldwork entry or clue, replies, and the sealed
//! identity of named tipsters, each view audited).

use crate::audit::AuditEntry;
use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::inspection::{Round, RoundStatus, Target};
use crate::intake::petition::Category;
use crate::intake::register::{Identity, PetitionInput};
use crate::intake::tip::{
    check_message, NewTip, ReceiptCode, Tip, TipInput, TipOutcome, TipStatus,
};
use crate::policy::{self, Action};
use crate::registry::{Page, PageRequest};
use crate::store::{AuditMeta, Store, TipFilter};

use super::meta;
use super::rounds::plan::today;
use super::rounds::work::{add_fieldwork, create_clue, ClueInput};

/// Who the audit trail names for what the public does.
fn public_meta(clock: &dyn Clock) -> AuditMeta {
    AuditMeta {
        actor_id: 0,
        actor_name: t("tips.public_actor").to_owned(),
        at: clock.now_ms(),
    }
}

/// What a public page about one unit shows.
#[derive(Debug, Clone)]
pub struct PublicTarget {
    /// The round.
    pub round: Round,
    /// The unit's place in it.
    pub target: Target,
}

/// A unit of an active round, for its public page. Anything else (a
/// finished round, an unknown id) is simply not found.
pub async fn public_target(store: &dyn Store, target_id: i64) -> Result<PublicTarget, CoreError> {
    let target = store.get_target(target_id).await?;
    let round = store.get_round(target.round_id).await?;
    if round.status != RoundStatus::Active {
        return Err(CoreError::NotFound);
    }
    Ok(PublicTarget { round, target })
}

/// An active round and its units, for the round's public page.
pub async fn public_round(
    store: &dyn Store,
    round_id: i64,
) -> Result<(Round, Vec<Target>), CoreError> {
    let round = store.get_round(round_id).await?;
    if round.status != RoundStatus::Active {
        return Err(CoreError::NotFound);
    }
    let targets = store.targets_of(round_id).await?;
    Ok((round, targets))
}

/// Stores a tip sent from a public page and returns its receipt code (to be
/// shown once: only its hash is kept). `photos` are blobs already stored,
/// with their metadata stripped by the caller.
pub async fn submit(
    store: &dyn Store,
    clock: &dyn Clock,
    target_id: i64,
    input: &TipInput,
    photos: Vec<String>,
) -> Result<ReceiptCode, CoreError> {
    let PublicTarget { round, target } = public_target(store, target_id).await?;
    let (body, identity) = input.validate()?;
    if photos.len() > crate::intake::tip::MAX_PHOTOS {
        return Err(CoreError::invalid("photos", t("error.tip_photos_many")));
    }
    let code = ReceiptCode::generate();
    let new = NewTip {
        round_id: round.id,
        target_id: target.id,
        unit_id: target.unit_id,
        unit_path: target.unit_path.clone(),
        body,
        photos,
        identity,
        receipt_hash: code.hash(),
        received_date: today(clock),
    };
    store.create_tip(&new, &public_meta(clock)).await?;
    Ok(code)
}

/// The tip a receipt code opens (the tipster's view comes from
/// [`Tip::receipt`]). A wrong code is a field error of the form.
pub async fn by_receipt(store: &dyn Store, code: &str) -> Result<Tip, CoreError> {
    let wrong = || CoreError::invalid("code", t("error.tip_code"));
    let code = ReceiptCode::parse(code).ok_or_else(wrong)?;
    let tip = store
        .tip_by_receipt(&code.hash())
        .await?
        .ok_or_else(wrong)?;
    Ok(store.get_tip(tip.id).await?)
}

/// The tipster writes to the handlers (with the receipt code).
pub async fn tipster_message(
    store: &dyn Store,
    clock: &dyn Clock,
    code: &str,
    body: &str,
) -> Result<Tip, CoreError> {
    let tip = by_receipt(store, code).await?;
    let body = check_message(body)?;
    store
        .add_tip_message(tip.id, None, &body, &today(clock), &public_meta(clock))
        .await?;
    Ok(store.get_tip(tip.id).await?)
}

/// A page of the tips the actor may read, newest first.
pub async fn inbox(
    store: &dyn Store,
    actor: &Actor,
    status: Option<TipStatus>,
    round_id: Option<i64>,
    page: PageRequest,
) -> Result<Page<Tip>, CoreError> {
    let filter = TipFilter {
        scope: policy::scope(actor, Action::ViewTips)?,
        status: status.map(|s| s.as_str().to_owned()),
        round_id,
    };
    Ok(store.list_tips(&filter, page).await?)
}

/// One tip with its exchange, if the actor may read it.
pub async fn get(store: &dyn Store, actor: &Actor, id: i64) -> Result<Tip, CoreError> {
    // Don't tell a caller with no right to tips whether the id exists.
    policy::scope(actor, Action::ViewTips)?;
    let tip = store.get_tip(id).await.map_err(|_| CoreError::NotFound)?;
    policy::check(actor, Action::ViewTips, Some(&tip.unit_path))?;
    Ok(tip)
}

/// The sealed identity of a named tip, for its designated handlers; the view
/// is audited.
pub async fn reveal_identity(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> Result<Option<Identity>, CoreError> {
    let tip = get(store, actor, id).await?;
    policy::check(actor, Action::ViewTipsterIdentity, Some(&tip.unit_path))?;
    let identity = store.tip_identity(id).await?;
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: "tip.identity_view".into(),
            object_type: "tip".into(),
            object_id: Some(id.to_string()),
            before: None,
            after: None,
            at: clock.now_ms(),
        })
        .await?;
    Ok(identity)
}

/// A handler answers the tipster (read with the receipt code).
pub async fn reply(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    body: &str,
) -> Result<(), CoreError> {
    let tip = get(store, actor, id).await?;
    policy::check(actor, Action::TriageTips, Some(&tip.unit_path))?;
    let body = check_message(body)?;
    store
        .add_tip_message(
            id,
            Some(actor.user_id),
            &body,
            &today(clock),
            &meta(actor, clock),
        )
        .await?;
    Ok(())
}

/// The triage form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TriageInput {
    /// `petition`, `fieldwork`, `clue` or `close`.
    #[serde(default)]
    pub to: String,
    /// Petition category (to a petition).
    #[serde(default)]
    pub category: String,
    /// Clue grade (to a clue).
    #[serde(default)]
    pub grade: String,
    /// Persons concerned, one per line as `姓名 职务` (to a clue).
    #[serde(default)]
    pub persons: String,
    /// Why it is closed (to close; shown to the tipster).
    #[serde(default)]
    pub reason: String,
    /// The version of the tip the handler read.
    #[serde(default)]
    pub version: i64,
}

/// Turns a tip in the inbox into a petition, a fieldwork entry or a clue of
/// the round, or closes it with a reason. A tip is triaged once.
pub async fn triage(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &TriageInput,
) -> Result<Tip, CoreError> {
    let tip = get(store, actor, id).await?;
    policy::check(actor, Action::TriageTips, Some(&tip.unit_path))?;
    if tip.status != TipStatus::New {
        return Err(CoreError::invalid("to", t("error.tip_triaged")));
    }
    // Checked before anything is created from the tip, so that a stale form
    // does not leave a petition or record behind.
    if tip.version != input.version {
        return Err(CoreError::Conflict(t("error.tip_changed").into()));
    }
    let outcome = match input.to.as_str() {
        "petition" => {
            let identity = store.tip_identity(id).await?;
            let category = Category::parse(&input.category)
                .ok_or_else(|| CoreError::invalid("category", t("error.petition_category")))?;
            let form = PetitionInput {
                channel: crate::intake::petition::Channel::Web.as_str().into(),
                category: category.as_str().into(),
                title: tip.title(),
                content: tip.body.clone(),
                date: tip.received_date.clone(),
                name: identity
                    .as_ref()
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                contact: identity.map(|i| i.contact).unwrap_or_default(),
                ..PetitionInput::default()
            };
            let p =
                super::petitions::register_received(store, clock, actor, Some(tip.unit_id), &form)
                    .await?;
            TipOutcome::Petition { id: p.id }
        }
        "fieldwork" => {
            let form = crate::inspection::fieldwork::FieldworkInput {
                method: crate::inspection::fieldwork::Method::Petition
                    .as_str()
                    .into(),
                date: tip.received_date.clone(),
                participants: actor.display_name.clone(),
                notes: format!("{}{}", t("tips.from_tip"), tip.body),
                petition_count: "1".into(),
                ..Default::default()
            };
            let (rid, _) = add_fieldwork(store, clock, actor, tip.target_id, &form).await?;
            TipOutcome::Fieldwork { id: rid }
        }
        "clue" => {
            let form = ClueInput {
                title: tip.title(),
                summary: tip.body.clone(),
                grade: input.grade.clone(),
                persons: input.persons.clone(),
                paper_id: None,
            };
            let rid = create_clue(store, clock, actor, tip.target_id, &form).await?;
            TipOutcome::Clue { id: rid }
        }
        "close" => {
            let reason = input.reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                return Err(CoreError::invalid("reason", t("error.tip_reason")));
            }
            TipOutcome::Closed {
                reason: reason.to_owned(),
            }
        }
        _ => return Err(CoreError::invalid("to", t("error.tip_triage_choice"))),
    };
    Ok(store
        .set_tip_outcome(id, input.version, &outcome, &meta(actor, clock))
        .await?)
}

/// A unit of a round, for its printable poster: staff who may see the round
/// work on that unit.
pub async fn poster_target(
    store: &dyn Store,
    actor: &Actor,
    target_id: i64,
) -> Result<PublicTarget, CoreError> {
    policy::scope(actor, Action::ViewRounds)?;
    let target = store
        .get_target(target_id)
        .await
        .map_err(|_| CoreError::NotFound)?;
    policy::check(actor, Action::ViewRounds, Some(&target.unit_path))?;
    let round = store.get_round(target.round_id).await?;
    Ok(PublicTarget { round, target })
}
