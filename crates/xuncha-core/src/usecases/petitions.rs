//! Petitions (信访): registration with the duplicate check, lists, the
//! lifecycle steps, and the sealed identity (each view audited).

use crate::audit::AuditEntry;
use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::intake::petition::{Category, Event};
use crate::intake::register::{Identity, NewPetition, Petition, PetitionInput};
use crate::policy::{self, Action};
use crate::registry::{Page, PageRequest};
use crate::store::{PetitionFilter, Store};

use super::meta;
use super::rounds::plan::today;

/// Estimated similarity above which a petition repeats an earlier one.
pub const DUPLICATE_THRESHOLD: f64 = 0.8;

fn unit_path_check(actor: &Actor, action: Action, path: Option<&str>) -> Result<(), CoreError> {
    policy::check(actor, action, path)
}

/// Registers a petition. The office registers any; a team registers what it
/// receives on site about the units it inspects. A petition that repeats an
/// earlier one about the same unit is flagged with it (MinHash of the
/// normalised text).
pub async fn register(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    unit_id: Option<i64>,
    input: &PetitionInput,
) -> Result<Petition, CoreError> {
    register_with(store, clock, actor, unit_id, input, true).await
}

/// Registers a petition that came in through another channel of xuncha (a
/// public tip): the team may register it and its channel is kept.
pub async fn register_received(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    unit_id: Option<i64>,
    input: &PetitionInput,
) -> Result<Petition, CoreError> {
    register_with(store, clock, actor, unit_id, input, false).await
}

async fn register_with(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    unit_id: Option<i64>,
    input: &PetitionInput,
    mark_on_site: bool,
) -> Result<Petition, CoreError> {
    let unit = match unit_id {
        Some(id) => Some(
            store
                .get_unit(id)
                .await
                .map_err(|_| CoreError::invalid("unit_id", t("error.unit_missing")))?,
        ),
        None => None,
    };
    let path = unit.as_ref().map(|u| u.path.as_str());
    let on_site = policy::is_team_role(actor.role);
    if on_site {
        unit_path_check(actor, Action::EditRoundWork, path)?;
    } else {
        unit_path_check(actor, Action::HandlePetitions, path)?;
    }
    let mut input = input.clone();
    if on_site && mark_on_site {
        input.channel = crate::intake::petition::Channel::OnSite.as_str().to_owned();
    }
    let mut new = NewPetition::parse(&input, unit.as_ref().map(|u| (u.id, u.path.clone())))?;
    let settings = super::settings::effective(store).await?;
    let cal = settings.calendar();
    if new.category == Category::Accusation {
        // 检举控告类 goes to the 纪检监察机关 by rule (art. 30): forwarded at
        // registration, for the commission to accept and handle.
        let day = new.data.lifecycle.registered.clone();
        let county = settings.get("county.name");
        new.data.lifecycle.apply(
            Event::Forward(crate::i18n::tf(
                "petitions.discipline_body",
                &[("county", county.trim())],
            )),
            &day,
            t("petitions.by_rule"),
            &cal,
        )?;
    }
    let minhash = xuncha_text::MinHash::default();
    let mine = minhash.signature(&new.data.content);
    let mut best: Option<(f64, i64)> = None;
    for (id, text) in store.petition_texts(new.unit_id, 500).await? {
        let sim = mine.jaccard(&minhash.signature(&text));
        if sim >= DUPLICATE_THRESHOLD && best.is_none_or(|(b, _)| sim > b) {
            best = Some((sim, id));
        }
    }
    new.duplicate_of = best.map(|(_, id)| id);
    let due = new.data.lifecycle.due(&cal).map(|d| d.date);
    Ok(store
        .create_petition(&new, due.as_deref(), &meta(actor, clock))
        .await?)
}

/// Which petitions of the register a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Show {
    /// Every petition in scope.
    #[default]
    All,
    /// Past the deadline of their next statutory step.
    Overdue,
    /// With a supervision (督办) not answered by its deadline.
    SupervisionOverdue,
}

impl Show {
    /// From the register's query parameter (`overdue`, `supervision`).
    pub fn parse(raw: &str) -> Show {
        match raw {
            "overdue" | "1" => Show::Overdue,
            "supervision" => Show::SupervisionOverdue,
            _ => Show::All,
        }
    }
}

/// A page of the petitions the actor may read.
pub async fn list(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    status: Option<String>,
    show: Show,
    page: PageRequest,
) -> Result<Page<Petition>, CoreError> {
    let mut f = PetitionFilter::new(policy::scope(actor, Action::ViewPetitions)?);
    f.status = status;
    match show {
        Show::All => {}
        Show::Overdue => f.due_before = Some(today(clock)),
        Show::SupervisionOverdue => f.supervision_due_before = Some(today(clock)),
    }
    Ok(store.list_petitions(&f, page).await?)
}

/// The petitions about a unit's subtree registered between two days (the
/// team's workspace, the round's circular), in the actor's scope.
pub async fn about_unit(
    store: &dyn Store,
    actor: &Actor,
    unit_path: &str,
    from: Option<String>,
    to: Option<String>,
) -> Result<Vec<Petition>, CoreError> {
    let Ok(scope) = policy::scope(actor, Action::ViewPetitions) else {
        return Ok(Vec::new());
    };
    let mut f = PetitionFilter::new(scope);
    f.unit_path = Some(unit_path.to_owned());
    f.from = from;
    f.to = to;
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let p = store
            .list_petitions(&f, PageRequest::new(Some(page), Some(500)))
            .await?;
        let n = p.items.len();
        out.extend(p.items);
        if n < 500 {
            break;
        }
        page += 1;
    }
    Ok(out)
}

/// One petition, if the actor may read it.
pub async fn get(store: &dyn Store, actor: &Actor, id: i64) -> Result<Petition, CoreError> {
    policy::scope(actor, Action::ViewPetitions)?;
    let p = store.get_petition(id).await?;
    unit_path_check(actor, Action::ViewPetitions, p.unit_path.as_deref())?;
    Ok(p)
}

/// The petitioner's sealed identity, for the handlers only; every view is
/// written to the audit trail.
pub async fn reveal_identity(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> Result<Option<Identity>, CoreError> {
    let p = get(store, actor, id).await?;
    unit_path_check(
        actor,
        Action::ViewPetitionerIdentity,
        p.unit_path.as_deref(),
    )?;
    let identity = store.petition_identity(id).await?;
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: "petition.identity_view".into(),
            object_type: "petition".into(),
            object_id: Some(id.to_string()),
            before: None,
            after: None,
            at: clock.now_ms(),
        })
        .await?;
    Ok(identity)
}

/// Applies a lifecycle step (the office).
pub async fn step(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    event: Event,
) -> Result<Petition, CoreError> {
    let p = get(store, actor, id).await?;
    policy::check_handle_petition(
        actor,
        p.lifecycle.category == Category::Accusation,
        p.unit_path.as_deref(),
    )?;
    let mut data = crate::intake::register::PetitionData {
        channel: p.channel,
        content: p.content.clone(),
        persons: p.persons.clone(),
        representatives: p.representatives,
        lifecycle: p.lifecycle.clone(),
    };
    let action = match &event {
        Event::Forward(_) => "petition.forward",
        Event::Object(_) => "petition.object",
        Event::Accept => "petition.accept",
        Event::NotAccept(_) => "petition.not_accept",
        Event::Extend(..) => "petition.extend",
        Event::Reply(..) => "petition.reply",
        Event::RequestReview => "petition.request_review",
        Event::Hearing(_) => "petition.hearing",
        Event::Close => "petition.close",
        Event::Rate(_) => "petition.rate",
    };
    let cal = super::settings::calendar(store).await?;
    data.lifecycle
        .apply(event, &today(clock), &actor.display_name, &cal)?;
    let due = data.lifecycle.due(&cal).map(|d| d.date);
    store
        .update_petition(
            id,
            p.version,
            &data,
            due.as_deref(),
            action,
            &meta(actor, clock),
        )
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => CoreError::Conflict(t("error.stale").to_owned()),
            e => e.into(),
        })
}
