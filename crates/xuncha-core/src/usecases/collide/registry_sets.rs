//! The registry's persons and relations as data sets of the cross-checks
//! (人员库), so the rules can match benefit rolls against the cadres and
//! kin the registry already knows, not only against departments' lists:
//!
//! * persons of villages and communities → a village-cadre list (村两委),
//!   with the township above them;
//! * every other person with a unit → a public-payroll list (财政供养人员),
//!   with their unit and post;
//! * the kinship relations → a relatives list, each person's ID number
//!   carried where the registry has it.
//!
//! Only the actor's jurisdiction is read. The lists are written as CSV and
//! go through the engine's ordinary import (ID numbers checked, names
//! normalised, problems reported); a new import replaces the last one.

use std::collections::HashMap;

use crate::audit::AuditEntry;
use crate::auth::Actor;
use crate::clock::Clock;
use crate::collide::{CrossCheckEngine, DatasetInfo, DatasetRequest};
use crate::error::CoreError;
use crate::i18n::t;
use crate::policy::{self, Action};
use crate::registry::{Page, PageRequest, Person, PersonFilter, Unit, UnitKind};
use crate::store::Store;

/// Persons read per page while the lists are built.
const PAGE: u32 = 500;

/// Builds the registry's lists and imports them, replacing the ones made
/// before. Returns the data sets made (an empty list is left out).
pub async fn import_registry(
    store: &dyn Store,
    clock: &dyn Clock,
    engine: &dyn CrossCheckEngine,
    actor: &Actor,
) -> Result<Vec<DatasetInfo>, CoreError> {
    let scope = policy::scope(actor, Action::RunCrossChecks)?;
    let units = store.all_units(&scope).await?;
    let by_id: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let mut persons: Vec<Person> = Vec::new();
    for page in 1.. {
        let Page { items, .. } = store
            .list_persons(
                &scope,
                &PersonFilter::default(),
                PageRequest::new(Some(page), Some(PAGE)),
            )
            .await?;
        let last = items.len() < PAGE as usize;
        persons.extend(items);
        if last {
            break;
        }
    }
    let lists = Lists::build(&persons, &by_id, &store.relations_in(&scope).await?, store).await?;
    let now = clock.now_ms();
    let existing = engine.datasets()?;
    let mut made = Vec::new();
    for (kind, name_key, csv, rows) in [
        (
            "village-cadre",
            "collide_registry.village",
            lists.village,
            lists.village_rows,
        ),
        (
            "payroll",
            "collide_registry.payroll",
            lists.payroll,
            lists.payroll_rows,
        ),
        (
            "relatives",
            "collide_registry.relatives",
            lists.relatives,
            lists.relative_rows,
        ),
    ] {
        let name = t(name_key);
        if existing.iter().any(|d| d.name == name) {
            engine.remove(name)?;
        }
        if rows == 0 {
            continue;
        }
        let req = DatasetRequest {
            kind: kind.to_owned(),
            name: name.to_owned(),
            source_department: Some(t("collide_registry.source").to_owned()),
            source_file: t("collide_registry.file").to_owned(),
            imported_by: actor.username.clone(),
            imported_at: crate::clock::format_cst(now),
            mapping: Vec::new(),
        };
        made.push(engine.import(&req, csv.as_bytes())?.dataset);
    }
    store
        .record_audit(&AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            action: "collide.registry_import".into(),
            object_type: "collide_dataset".into(),
            object_id: None,
            before: None,
            after: Some(serde_json::json!(made
                .iter()
                .map(|d| serde_json::json!({ "name": d.name, "rows": d.rows }))
                .collect::<Vec<_>>())),
            at: now,
        })
        .await?;
    Ok(made)
}

/// The three lists as CSV text, with their row counts.
struct Lists {
    village: String,
    village_rows: usize,
    payroll: String,
    payroll_rows: usize,
    relatives: String,
    relative_rows: usize,
}

impl Lists {
    async fn build(
        persons: &[Person],
        units: &HashMap<i64, &Unit>,
        relations: &[crate::registry::Relation],
        store: &dyn Store,
    ) -> Result<Lists, CoreError> {
        let header = |keys: &[&str]| {
            keys.iter()
                .map(|k| t(&format!("collide_field.{k}")))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut l = Lists {
            village: header(&[
                "name",
                "id_number",
                "birth_date",
                "township",
                "village",
                "post",
            ]),
            village_rows: 0,
            payroll: header(&[
                "name",
                "id_number",
                "birth_date",
                "unit",
                "post",
                "township",
            ]),
            payroll_rows: 0,
            relatives: header(&[
                "name",
                "id_number",
                "birth_date",
                "relative_name",
                "relative_id_number",
                "relation",
            ]),
            relative_rows: 0,
        };
        for p in persons {
            let Some(unit) = p.unit_id.and_then(|id| units.get(&id)) else {
                continue;
            };
            let parent = unit.parent_id.and_then(|id| units.get(&id));
            let township = parent
                .filter(|u| u.kind == UnitKind::Township)
                .map_or("", |u| u.name.as_str());
            let (id, birth, post) = (
                p.id_number.as_deref().unwrap_or(""),
                p.birth_date.as_deref().unwrap_or(""),
                p.position.as_deref().unwrap_or(""),
            );
            if matches!(unit.kind, UnitKind::Village | UnitKind::Community) {
                push_row(
                    &mut l.village,
                    &[&p.name, id, birth, township, &unit.name, post],
                );
                l.village_rows += 1;
            } else {
                let township = if unit.kind == UnitKind::Township {
                    unit.name.as_str()
                } else {
                    township
                };
                push_row(
                    &mut l.payroll,
                    &[&p.name, id, birth, &unit.name, post, township],
                );
                l.payroll_rows += 1;
            }
        }
        // A relative outside the jurisdiction is read for their ID number only.
        let mut known: HashMap<i64, (Option<String>, Option<String>)> = persons
            .iter()
            .map(|p| (p.id, (p.id_number.clone(), p.birth_date.clone())))
            .collect();
        for r in relations {
            for id in [r.person_a_id, r.person_b_id] {
                if let std::collections::hash_map::Entry::Vacant(v) = known.entry(id) {
                    let p = store.get_person(id).await?;
                    v.insert((p.id_number, p.birth_date));
                }
            }
            let (a_id, a_birth) = &known[&r.person_a_id];
            let (b_id, _) = &known[&r.person_b_id];
            let relation = r
                .detail
                .clone()
                .unwrap_or_else(|| r.kind.label().to_owned());
            push_row(
                &mut l.relatives,
                &[
                    &r.person_a_name,
                    a_id.as_deref().unwrap_or(""),
                    a_birth.as_deref().unwrap_or(""),
                    &r.person_b_name,
                    b_id.as_deref().unwrap_or(""),
                    &relation,
                ],
            );
            l.relative_rows += 1;
        }
        Ok(l)
    }
}

/// Appends one CSV line (RFC 4180 quoting where a field needs it).
fn push_row(out: &mut String, fields: &[&str]) {
    out.push('\n');
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::push_row;

    #[test]
    fn csv_fields_are_quoted_where_needed() {
        let mut s = String::from("a,b");
        push_row(&mut s, &["韦某", "县\"三农\"办,综合股"]);
        assert_eq!(s, "a,b\n韦某,\"县\"\"三农\"\"办,综合股\"");
    }
}
