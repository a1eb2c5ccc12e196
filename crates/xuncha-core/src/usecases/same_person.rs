//! "Same person" (同一人) links on a person page: the petitions and clues
//! that refer to this person, among what the user may read, and the rows of
//! the cross-check lists (data sets) about them. A clue linked to the
//! registry person, or a list row with the same ID number, is a strong link;
//! a name alone (normalised, so 張三 and 张三 agree) is a weak one and says so.

use serde::Serialize;

use crate::audit::AuditEntry;
use crate::auth::Actor;
use crate::clock::Clock;
use crate::collide::{CrossCheckEngine, DatasetRow, PersonProbe};
use crate::error::CoreError;
use crate::inspection::paper::{Clue, WorkingPaper};
use crate::inspection::record::{Rec, RecordFilter, RecordKind};
use crate::policy::{self, Action};
use crate::registry::{PageRequest, Person};
use crate::store::{PetitionFilter, Store};

/// How many recent documents of each type are looked through.
const SCAN: u32 = 2000;

/// How many rows of each data set are shown.
const ROWS_PER_SET: usize = 20;

/// How sure a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// Linked to the registry person (or by ID number).
    Strong,
    /// The same name (normalised) only.
    Weak,
}

/// One document that refers to the person.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    /// `petition`, `clue` or `paper`.
    pub doc_type: &'static str,
    /// Id (a clue's record id).
    pub id: i64,
    /// Title.
    pub title: String,
    /// Its unit, when known.
    pub unit_name: Option<String>,
    /// How sure.
    pub strength: Strength,
}

impl Mention {
    /// Where it is shown.
    pub fn href(&self) -> String {
        match self.doc_type {
            "petition" => format!("/petitions/{}", self.id),
            _ => format!("/records/{}", self.id),
        }
    }
}

/// Whether `path` and the person's unit are on one branch of the unit tree: a namesake about
/// a unit on another branch is most likely someone else.
fn same_branch(path: Option<&str>, person: &Person) -> bool {
    match (path, person.unit_path.as_deref()) {
        (Some(a), Some(b)) => a.starts_with(b) || b.starts_with(a),
        _ => true,
    }
}

/// The petitions, clues and working papers about `person` that the actor may read.
pub async fn mentions(
    store: &dyn Store,
    actor: &Actor,
    person: &Person,
) -> Result<Vec<Mention>, CoreError> {
    let key = xuncha_text::name::normalize_name(&person.name);
    let same = |name: &str| !key.is_empty() && xuncha_text::name::normalize_name(name) == key;
    let page = PageRequest::new(Some(1), Some(SCAN));
    let mut out = Vec::new();
    if let Ok(scope) = policy::scope(actor, Action::ViewRoundWork) {
        let f = RecordFilter::new(RecordKind::Clue, scope.clone());
        for r in store.list_records(&f, page).await?.items {
            let Ok(c) = Rec::<Clue>::decode(r) else {
                continue;
            };
            let strength = if c
                .data
                .persons
                .iter()
                .any(|p| p.person_id == Some(person.id))
            {
                Strength::Strong
            } else if c
                .data
                .persons
                .iter()
                .any(|p| p.person_id.is_none() && same(&p.name))
            {
                Strength::Weak
            } else {
                continue;
            };
            out.push(Mention {
                doc_type: "clue",
                id: c.meta.id,
                title: c.data.title,
                unit_name: None,
                strength,
            });
        }
    }
    // Working papers name people in their text only: a weak link where the name (two
    // characters or more, normalised on both sides) is written in the summary or the facts.
    if let (Ok(scope), true) = (
        policy::scope(actor, Action::ViewRoundWork),
        key.chars().count() >= 2,
    ) {
        let f = RecordFilter::new(RecordKind::Paper, scope);
        for r in store.list_records(&f, page).await?.items {
            let Ok(w) = Rec::<WorkingPaper>::decode(r) else {
                continue;
            };
            if !same_branch(Some(&w.meta.unit_path), person) {
                continue;
            }
            let text = xuncha_text::normalize(&format!("{}\n{}", w.data.summary, w.data.facts));
            if text.contains(xuncha_text::normalize(&key).as_str()) {
                out.push(Mention {
                    doc_type: "paper",
                    id: w.meta.id,
                    title: w.data.summary.chars().take(40).collect(),
                    unit_name: None,
                    strength: Strength::Weak,
                });
            }
        }
    }
    if let Ok(scope) = policy::scope(actor, Action::ViewPetitions) {
        for p in store
            .list_petitions(&PetitionFilter::new(scope), page)
            .await?
            .items
        {
            if same_branch(p.unit_path.as_deref(), person) && p.persons.iter().any(|n| same(n)) {
                out.push(Mention {
                    doc_type: "petition",
                    id: p.id,
                    title: p.title,
                    unit_name: p.unit_name,
                    strength: Strength::Weak,
                });
            }
        }
    }
    out.sort_by_key(|m| m.strength != Strength::Strong);
    Ok(out)
}

/// The rows of the cross-check lists about `person` (by ID number, else by name and birth
/// date), for those who may work with the lists — the lists are sensitive, so everyone else
/// gets `None` (the section is not shown), and every look is audited.
pub async fn dataset_rows(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
    person: &Person,
) -> Result<Option<Vec<DatasetRow>>, CoreError> {
    if policy::check(actor, Action::RunCrossChecks, person.unit_path.as_deref()).is_err() {
        return Ok(None);
    }
    let probe = PersonProbe {
        id_number: person.id_number.clone(),
        name: person.name.clone(),
    };
    let rows = engine.rows_about(&probe, ROWS_PER_SET).await?;
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: "collide.person_rows".into(),
            object_type: "person".into(),
            object_id: Some(person.id.to_string()),
            before: None,
            after: Some(serde_json::json!({
                "rows": rows.len(),
                "datasets": rows.iter().map(|r| r.dataset.as_str()).collect::<std::collections::BTreeSet<_>>(),
            })),
            at: clock.now_ms(),
        })
        .await?;
    Ok(Some(rows))
}
