//! The organisation registry: browsing and editing units and persons,
//! relations, work history, leadership and the inspector pool.

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::policy::{self, Action};
use crate::registry::{
    Inspector, LeadershipPost, NewInspector, NewPerson, NewRelation, NewUnit, NewWorkHistory, Page,
    PageRequest, Person, PersonFilter, PostRank, Relation, Unit, UnitFilter, WorkHistory,
};
use crate::store::Store;

use super::meta;

/// A page of units the actor may see.
pub async fn list_units(
    store: &dyn Store,
    actor: &Actor,
    filter: &UnitFilter,
    page: PageRequest,
) -> Result<Page<Unit>, CoreError> {
    let scope = policy::scope(actor, Action::ViewRegistry)?;
    Ok(store.list_units(&scope, filter, page).await?)
}

/// Every unit the actor may see, in tree order.
pub async fn unit_tree(store: &dyn Store, actor: &Actor) -> Result<Vec<Unit>, CoreError> {
    let scope = policy::scope(actor, Action::ViewRegistry)?;
    Ok(store.all_units(&scope).await?)
}

/// A unit with its leadership team, if visible to the actor.
pub async fn get_unit(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<(Unit, Vec<LeadershipPost>), CoreError> {
    let unit = store.get_unit(id).await?;
    policy::check(actor, Action::ViewRegistry, Some(&unit.path))?;
    let leaders = store.leadership_of(id).await?;
    Ok((unit, leaders))
}

/// Creates a unit under a parent in the actor's jurisdiction (a root only
/// for the administrator).
pub async fn create_unit(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: &NewUnit,
) -> Result<Unit, CoreError> {
    let parent_path = match new.parent_id {
        Some(pid) => Some(
            store
                .get_unit(pid)
                .await
                .map_err(|_| parent_missing())?
                .path,
        ),
        None => None,
    };
    policy::check(actor, Action::EditRegistry, parent_path.as_deref())?;
    store
        .create_unit(new, &meta(actor, clock))
        .await
        .map_err(duplicate_unit)
}

fn parent_missing() -> CoreError {
    CoreError::invalid("parent_id", crate::i18n::t("error.parent_missing"))
}

fn duplicate_unit(e: crate::StoreError) -> CoreError {
    match e {
        crate::StoreError::Conflict(_) => {
            CoreError::invalid("name", crate::i18n::t("error.unit_duplicate"))
        }
        e => e.into(),
    }
}

/// Edits a unit's name, kind, region code and budget.
pub async fn update_unit(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    new: &NewUnit,
) -> Result<Unit, CoreError> {
    let unit = store.get_unit(id).await?;
    policy::check(actor, Action::EditRegistry, Some(&unit.path))?;
    store
        .update_unit(id, new, &meta(actor, clock))
        .await
        .map_err(duplicate_unit)
}

/// A page of persons the actor may see.
pub async fn list_persons(
    store: &dyn Store,
    actor: &Actor,
    filter: &PersonFilter,
    page: PageRequest,
) -> Result<Page<Person>, CoreError> {
    let scope = policy::scope(actor, Action::ViewRegistry)?;
    Ok(store.list_persons(&scope, filter, page).await?)
}

/// Everything the registry knows about a person that the actor may see.
#[derive(Debug, Clone)]
pub struct PersonDetail {
    /// The person.
    pub person: Person,
    /// Kinship relations (empty when the actor may not see them).
    pub relations: Vec<Relation>,
    /// Whether relations were shown.
    pub relations_visible: bool,
    /// Work history.
    pub work_history: Vec<WorkHistory>,
}

/// A person, if visible to the actor.
pub async fn get_person(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<PersonDetail, CoreError> {
    let person = store.get_person(id).await?;
    policy::check(actor, Action::ViewRegistry, person.unit_path.as_deref())?;
    let relations_visible =
        policy::check(actor, Action::ViewRelations, person.unit_path.as_deref()).is_ok();
    let relations = if relations_visible {
        store.relations_of(id).await?
    } else {
        Vec::new()
    };
    let work_history = store.work_history_of(id).await?;
    Ok(PersonDetail {
        person,
        relations,
        relations_visible,
        work_history,
    })
}

async fn unit_path(store: &dyn Store, unit_id: Option<i64>) -> Result<Option<String>, CoreError> {
    match unit_id {
        Some(id) => Ok(Some(
            store
                .get_unit(id)
                .await
                .map_err(|_| CoreError::invalid("unit_id", crate::i18n::t("error.unit_missing")))?
                .path,
        )),
        None => Ok(None),
    }
}

fn duplicate_id(e: crate::StoreError) -> CoreError {
    match e {
        crate::StoreError::Conflict(_) => {
            CoreError::invalid("id_number", crate::i18n::t("error.id_number_taken"))
        }
        e => e.into(),
    }
}

/// Creates a person in a unit of the actor's jurisdiction.
pub async fn create_person(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: &NewPerson,
) -> Result<Person, CoreError> {
    let path = unit_path(store, new.unit_id).await?;
    policy::check(actor, Action::EditRegistry, path.as_deref())?;
    store
        .create_person(new, &meta(actor, clock))
        .await
        .map_err(duplicate_id)
}

/// Edits a person; both the old and the new unit must be in the actor's jurisdiction.
pub async fn update_person(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    new: &NewPerson,
) -> Result<Person, CoreError> {
    let old = store.get_person(id).await?;
    policy::check(actor, Action::EditRegistry, old.unit_path.as_deref())?;
    let path = unit_path(store, new.unit_id).await?;
    policy::check(actor, Action::EditRegistry, path.as_deref())?;
    store
        .update_person(id, new, &meta(actor, clock))
        .await
        .map_err(duplicate_id)
}

/// Records a kinship relation between two persons the actor may edit.
pub async fn add_relation(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: &NewRelation,
) -> Result<Relation, CoreError> {
    if new.person_a_id == new.person_b_id {
        return Err(CoreError::invalid(
            "person_b_id",
            crate::i18n::t("import.self_relation"),
        ));
    }
    for id in [new.person_a_id, new.person_b_id] {
        let p = store.get_person(id).await?;
        policy::check(actor, Action::EditRegistry, p.unit_path.as_deref())?;
    }
    store
        .add_relation(new, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => {
                CoreError::invalid("kind", crate::i18n::t("error.relation_exists"))
            }
            e => e.into(),
        })
}

/// Records a period of work.
pub async fn add_work_history(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: &NewWorkHistory,
) -> Result<WorkHistory, CoreError> {
    let p = store.get_person(new.person_id).await?;
    policy::check(actor, Action::EditRegistry, p.unit_path.as_deref())?;
    Ok(store.add_work_history(new, &meta(actor, clock)).await?)
}

/// Adds a post to a unit's leadership team.
pub async fn add_leadership_post(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    unit_id: i64,
    person_id: i64,
    title: &str,
    rank: PostRank,
) -> Result<LeadershipPost, CoreError> {
    let unit = store.get_unit(unit_id).await?;
    policy::check(actor, Action::EditRegistry, Some(&unit.path))?;
    let title = title.trim();
    if title.is_empty() {
        return Err(CoreError::invalid(
            "title",
            crate::i18n::t("error.title_empty"),
        ));
    }
    Ok(store
        .add_leadership_post(unit_id, person_id, title, rank, &meta(actor, clock))
        .await?)
}

/// Adds a person to the inspector pool.
pub async fn add_inspector(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: &NewInspector,
) -> Result<Inspector, CoreError> {
    let p = store.get_person(new.person_id).await?;
    policy::check(actor, Action::EditRegistry, p.unit_path.as_deref())?;
    store
        .add_inspector(new, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => {
                CoreError::invalid("id_number", crate::i18n::t("error.inspector_exists"))
            }
            e => e.into(),
        })
}

/// The inspector pool (visible to roles that see the registry).
pub async fn list_inspectors(
    store: &dyn Store,
    actor: &Actor,
) -> Result<Vec<Inspector>, CoreError> {
    policy::scope(actor, Action::ViewRegistry)?;
    Ok(store.list_inspectors().await?)
}

/// Finds a person the actor may see by ID number (as typed into a form).
pub async fn person_by_id_number(
    store: &dyn Store,
    actor: &Actor,
    field: &str,
    raw: &str,
) -> Result<Person, CoreError> {
    let id =
        xuncha_text::IdNumber::parse(raw).map_err(|e| CoreError::invalid(field, e.to_string()))?;
    let found = store
        .persons_by_id_numbers(&[id.as_str().to_owned()])
        .await?;
    let not_found = || {
        CoreError::invalid(
            field,
            crate::i18n::tf("import.unknown_person", &[("id", id.as_str())]),
        )
    };
    let (pid, _) = found.get(id.as_str()).ok_or_else(not_found)?;
    let person = store.get_person(*pid).await?;
    policy::check(actor, Action::ViewRegistry, person.unit_path.as_deref())
        .map_err(|_| not_found())?;
    Ok(person)
}

/// Validates the raw values of a work-history entry.
pub fn parse_work_history(
    person_id: i64,
    unit_id: Option<i64>,
    position: &str,
    from: &str,
    to: &str,
) -> Result<NewWorkHistory, CoreError> {
    let mut errors = Vec::new();
    if unit_id.is_none() {
        errors.push(crate::FieldError::field(
            "unit_id",
            crate::i18n::t("error.unit_missing"),
        ));
    }
    let from_date = crate::registry::parse_date(from);
    if from_date.is_none() {
        errors.push(crate::FieldError::field(
            "from_date",
            crate::i18n::t("error.date"),
        ));
    }
    let to_date = if to.trim().is_empty() {
        None
    } else {
        match crate::registry::parse_date(to) {
            Some(d) => Some(d),
            None => {
                errors.push(crate::FieldError::field(
                    "to_date",
                    crate::i18n::t("error.date"),
                ));
                None
            }
        }
    };
    if let (Some(f), Some(t)) = (&from_date, &to_date) {
        if t < f {
            errors.push(crate::FieldError::field(
                "to_date",
                crate::i18n::t("error.date_order"),
            ));
        }
    }
    match (unit_id, from_date) {
        (Some(unit_id), Some(from_date)) if errors.is_empty() => Ok(NewWorkHistory {
            person_id,
            unit_id,
            position: Some(position.trim().to_owned()).filter(|p| !p.is_empty()),
            from_date,
            to_date,
        }),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// Validates a new member of the inspector pool.
pub fn parse_inspector(
    person_id: i64,
    source_unit_id: Option<i64>,
    skills: Vec<crate::registry::Skill>,
    rounds: &str,
) -> Result<NewInspector, CoreError> {
    let mut errors = Vec::new();
    if skills.is_empty() {
        errors.push(crate::FieldError::field(
            "skills",
            crate::i18n::t("error.skills_empty"),
        ));
    }
    let rounds_served = if rounds.trim().is_empty() {
        0
    } else {
        match rounds.trim().parse::<i32>() {
            Ok(n) if (0..=100).contains(&n) => n,
            _ => {
                errors.push(crate::FieldError::field(
                    "rounds_served",
                    crate::i18n::t("error.rounds"),
                ));
                0
            }
        }
    };
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    Ok(NewInspector {
        person_id,
        source_unit_id,
        skills,
        rounds_served,
    })
}

/// Finds a unit the actor may see by its name as typed (or `上级/名称` when
/// the name is not unique); `None` for an empty field.
pub async fn unit_by_name(
    store: &dyn Store,
    actor: &Actor,
    field: &str,
    raw: &str,
) -> Result<Option<Unit>, CoreError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let scope = policy::scope(actor, Action::ViewRegistry)?;
    let units = store.all_units(&scope).await?;
    super::import::UnitResolver::new(&units)
        .find(raw.trim())
        .map(|u| Some(u.clone()))
        .map_err(|m| CoreError::invalid(field, m))
}

/// The timeline of a unit: who changed what and when (newest first). Only the
/// action, actor and time are meant for display; the before/after values stay
/// in the audit page of the administrator.
pub async fn unit_history(
    store: &dyn Store,
    actor: &Actor,
    unit: &Unit,
) -> Result<Vec<crate::audit::AuditRecord>, CoreError> {
    policy::check(actor, Action::ViewRegistry, Some(&unit.path))?;
    Ok(store.audit_of("unit", &unit.id.to_string(), 50).await?)
}

/// The timeline of a person (newest first).
pub async fn person_history(
    store: &dyn Store,
    actor: &Actor,
    person: &Person,
) -> Result<Vec<crate::audit::AuditRecord>, CoreError> {
    policy::check(actor, Action::ViewRegistry, person.unit_path.as_deref())?;
    Ok(store.audit_of("person", &person.id.to_string(), 50).await?)
}
