//! 督办 of petition handling: the office puts a forwarded or accepted
//! petition under supervision, records the handling unit's replies and
//! closes the supervision after a reply; every step is audited by the store.
//! Whoever may read the petition reads its supervisions.

use std::collections::HashMap;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::intake::register::Petition;
use crate::intake::supervision::{NewSupervision, ReplyInput, Step, Supervision, SupervisionInput};
use crate::policy::{self, Action};
use crate::store::Store;
use crate::StoreError;

use super::meta;
use super::petitions;
use super::rounds::plan::today;

/// Puts the petition's handling under supervision (the office, in its
/// jurisdiction; the petition must be forwarded, accepted or under review).
pub async fn supervise(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    petition_id: i64,
    input: &SupervisionInput,
) -> Result<Supervision, CoreError> {
    let p = petitions::get(store, actor, petition_id).await?;
    policy::check(actor, Action::SupervisePetitions, p.unit_path.as_deref())?;
    let new = NewSupervision::parse(
        input,
        p.id,
        p.lifecycle.status,
        &today(clock),
        &actor.display_name,
    )?;
    Ok(store.create_supervision(&new, &meta(actor, clock)).await?)
}

/// The supervisions of a petition the actor may read, oldest first.
pub async fn of_petition(
    store: &dyn Store,
    actor: &Actor,
    petition_id: i64,
) -> Result<Vec<Supervision>, CoreError> {
    let p = petitions::get(store, actor, petition_id).await?;
    Ok(store.supervisions_of(&[p.id]).await?)
}

/// The supervisions of petitions already read through [`petitions::list`]
/// (the register's export), by petition.
pub async fn of_petitions(
    store: &dyn Store,
    petitions: &[Petition],
) -> Result<HashMap<i64, Vec<Supervision>>, CoreError> {
    let ids: Vec<i64> = petitions.iter().map(|p| p.id).collect();
    let mut out: HashMap<i64, Vec<Supervision>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for s in store.supervisions_of(chunk).await? {
            out.entry(s.petition_id).or_default().push(s);
        }
    }
    Ok(out)
}

/// A supervision of a petition, for the office that may supervise it; any
/// other pairing of ids is *not found*.
pub async fn get(
    store: &dyn Store,
    actor: &Actor,
    petition_id: i64,
    id: i64,
) -> Result<(Petition, Supervision), CoreError> {
    let p = petitions::get(store, actor, petition_id).await?;
    policy::check(actor, Action::SupervisePetitions, p.unit_path.as_deref())?;
    let s = store.get_supervision(id).await?;
    if s.petition_id != p.id {
        return Err(CoreError::NotFound);
    }
    Ok((p, s))
}

/// Records the handling unit's reply (progress or result).
pub async fn reply(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    petition_id: i64,
    id: i64,
    input: ReplyInput,
) -> Result<Supervision, CoreError> {
    apply(
        store,
        clock,
        actor,
        petition_id,
        id,
        Step::Reply(input),
        "petition.supervision_reply",
    )
    .await
}

/// Closes a supervision (办结) that has been answered.
pub async fn close(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    petition_id: i64,
    id: i64,
    note: &str,
) -> Result<Supervision, CoreError> {
    apply(
        store,
        clock,
        actor,
        petition_id,
        id,
        Step::Close(note.to_owned()),
        "petition.supervision_close",
    )
    .await
}

async fn apply(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    petition_id: i64,
    id: i64,
    step: Step,
    action: &str,
) -> Result<Supervision, CoreError> {
    let (_, mut s) = get(store, actor, petition_id, id).await?;
    let version = s.version;
    s.apply(step, &today(clock), &actor.display_name)?;
    store
        .update_supervision(&s, version, action, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => CoreError::Conflict(t("error.stale").to_owned()),
            e => e.into(),
        })
}

/// How many supervisions on the actor's desk are unanswered past their
/// deadline (0 for those who do not supervise).
pub async fn overdue_count(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<i64, CoreError> {
    match policy::scope(actor, Action::SupervisePetitions) {
        Ok(scope) => Ok(store
            .count_overdue_supervisions(&scope, &today(clock))
            .await?),
        Err(_) => Ok(0),
    }
}
