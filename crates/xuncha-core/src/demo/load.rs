//! Writing a generated county through the storage port.

use std::collections::HashMap;

use anyhow::anyhow;

use super::rounds::{load_rounds, Loaded};
use super::{DemoCounty, DEMO_PASSWORD};
use crate::auth::Password;
use crate::error::CoreError;
use crate::policy::Scope;
use crate::registry::{NewInspector, NewRelation, NewUnit, NewWorkHistory, UnitName};
use crate::store::{AuditMeta, ImportParent, ImportUnit, InspectorLink, NewUser, Store};

/// What [`load`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Units created.
    pub units: usize,
    /// Persons created (or updated, when their ID number already existed).
    pub persons: usize,
    /// Kinship relations recorded.
    pub relations: usize,
    /// Work-history entries recorded.
    pub work_history: usize,
    /// Leadership posts recorded.
    pub posts: usize,
    /// Inspectors added to the pool.
    pub inspectors: usize,
    /// Users created: (login name, role label); the 12 of
    /// [`DemoCounty::users`], then the accounts of round 1's 第二巡察组.
    pub users: Vec<(String, String)>,
    /// 巡察 rounds created (the first finished, the second under way).
    pub rounds: usize,
    /// Records of the rounds' work: briefings, fieldwork, working papers,
    /// clues, reports, feedback, transfers, rectification items and
    /// accountability actions.
    pub round_records: usize,
    /// Field campaigns (two dormitory sweeps, one household visit campaign).
    pub campaigns: usize,
    /// Their room inspections and household visits.
    pub campaign_records: usize,
}

/// Writes `county` through `store`, as the system actor at time `at` (ms),
/// then links the team users to their inspectors and works two 巡察 rounds
/// through the round use cases (see the `rounds` module), as of `at`.
///
/// Meant for an empty database: units are matched back by name and parent,
/// and creating a user whose login name exists fails with a conflict.
pub async fn load(
    store: &dyn Store,
    county: &DemoCounty,
    at: i64,
) -> Result<DemoSummary, CoreError> {
    let meta = AuditMeta {
        actor_id: 0,
        actor_name: "system".to_owned(),
        at,
    };

    // Units, parents given as earlier rows.
    let rows = county
        .units
        .iter()
        .map(|u| {
            Ok(ImportUnit {
                unit: NewUnit {
                    parent_id: None,
                    name: UnitName::parse(&u.name)?,
                    kind: u.kind,
                    region_code: u.region_code.clone(),
                    budget_yuan: u.budget_yuan,
                },
                parent: u.parent.map_or(ImportParent::None, ImportParent::Row),
            })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    store.import_units(&rows, &meta).await?;
    let unit_ids = unit_ids(store, county).await?;

    // Persons, with their unit ids, then their ids by ID number.
    let people: Vec<_> = county
        .persons
        .iter()
        .zip(&county.person_units)
        .map(|(p, u)| {
            let mut p = p.clone();
            p.unit_id = u.map(|u| unit_ids[u]);
            p
        })
        .collect();
    store.import_people(&people, &meta).await?;
    let numbers: Vec<String> = county
        .persons
        .iter()
        .filter_map(|p| p.id_number.as_ref().map(|n| n.as_str().to_owned()))
        .collect();
    let found = store.persons_by_id_numbers(&numbers).await?;
    let person_ids = county
        .persons
        .iter()
        .map(|p| {
            p.id_number
                .as_ref()
                .and_then(|n| found.get(n.as_str()))
                .map(|(id, _)| *id)
                .ok_or_else(|| {
                    CoreError::Internal(anyhow!("demo person {} was not stored", p.name))
                })
        })
        .collect::<Result<Vec<i64>, CoreError>>()?;

    let relations: Vec<NewRelation> = county
        .relations
        .iter()
        .map(|r| NewRelation {
            person_a_id: person_ids[r.a],
            person_b_id: person_ids[r.b],
            kind: r.kinship,
            detail: Some(r.detail.to_owned()),
        })
        .collect();
    store.import_relations(&relations, &meta).await?;

    for w in &county.work_history {
        let entry = NewWorkHistory {
            person_id: person_ids[w.person],
            unit_id: unit_ids[w.unit],
            position: w.position.clone(),
            from_date: w.from.clone(),
            to_date: w.to.clone(),
        };
        store.add_work_history(&entry, &meta).await?;
    }

    for p in &county.posts {
        store
            .add_leadership_post(
                unit_ids[p.unit],
                person_ids[p.person],
                &p.title,
                p.rank,
                &meta,
            )
            .await?;
    }

    let mut inspector_ids = Vec::with_capacity(county.inspectors.len());
    for i in &county.inspectors {
        let new = NewInspector {
            person_id: person_ids[i.person],
            source_unit_id: i.source_unit.map(|u| unit_ids[u]),
            skills: i.skills.clone(),
            rounds_served: i.rounds_served,
        };
        inspector_ids.push(store.add_inspector(&new, &meta).await?.id);
    }

    // argon2 is slow on purpose: hash the shared password once.
    let password_hash = Password::parse(DEMO_PASSWORD)?.hash()?;
    let mut users = Vec::with_capacity(county.users.len());
    let mut created = Vec::with_capacity(county.users.len());
    for u in &county.users {
        let new = NewUser {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            unit_id: u.unit.map(|i| unit_ids[i]),
            password_hash: password_hash.clone(),
        };
        created.push(store.create_user(&new, &meta).await?);
        users.push((u.username.clone(), u.role.label().to_owned()));
    }

    // Team users are inspectors of the pool: link each account to its entry.
    for (u, user) in county.users.iter().zip(&created) {
        let Some(person) = u.person else {
            continue;
        };
        let inspector = county
            .inspectors
            .iter()
            .position(|i| i.person == person)
            .ok_or_else(|| {
                CoreError::Internal(anyhow!("demo user {} is no inspector", u.username))
            })?;
        let link = InspectorLink {
            inspector_id: inspector_ids[inspector],
            user_id: Some(user.id),
            home_region_code: None,
        };
        store.link_inspector(&link, &meta).await?;
    }

    let loaded = Loaded {
        county,
        unit_ids: &unit_ids,
        inspector_ids: &inspector_ids,
        users: &created,
        password_hash: &password_hash,
        meta: &meta,
    };
    store.update_settings(&demo_calendar(), &meta).await?;
    let rounds = load_rounds(store, &loaded, at).await?;
    let campaigns = super::campaigns::load_campaigns(store, &loaded, at).await?;
    super::petitions::load_petitions(store, &loaded, at).await?;
    users.extend(
        rounds
            .accounts
            .iter()
            .map(|u| (u.username.clone(), u.role.label().to_owned())),
    );

    Ok(DemoSummary {
        units: county.units.len(),
        persons: people.len(),
        relations: relations.len(),
        work_history: county.work_history.len(),
        posts: county.posts.len(),
        inspectors: county.inspectors.len(),
        users,
        rounds: rounds.rounds,
        round_records: rounds.records,
        campaigns: campaigns.campaigns,
        campaign_records: campaigns.records,
    })
}

/// A working-day calendar for the demo year, so the petition clocks can be
/// seen moving past a holiday. Demo data: it is not the State Council's
/// notice, and says so in the settings page; a county enters the real one.
fn demo_calendar() -> std::collections::BTreeMap<String, String> {
    let note = "# 演示数据：并非国务院办公厅发布的放假安排，正式使用前请按当年通知改写";
    let holidays = [
        "2026-01-01 元旦",
        "2026-10-01 国庆节",
        "2026-10-02",
        "2026-10-05",
        "2026-10-06",
        "2026-10-07",
    ];
    let workdays = ["2026-09-27 调休", "2026-10-10 调休"];
    let mut m = std::collections::BTreeMap::new();
    m.insert(
        crate::settings::HOLIDAYS.to_owned(),
        format!("{note}\n{}", holidays.join("\n")),
    );
    m.insert(
        crate::settings::WORKDAYS.to_owned(),
        format!("{note}\n{}", workdays.join("\n")),
    );
    m
}

/// The stored id of each demo unit, matched by name and parent (the newest
/// match wins, should an earlier load have left units of the same names).
async fn unit_ids(store: &dyn Store, county: &DemoCounty) -> Result<Vec<i64>, CoreError> {
    let all = store.all_units(&Scope::all()).await?;
    let mut by_name: HashMap<&str, Vec<(i64, Option<i64>)>> = HashMap::new();
    for u in &all {
        by_name
            .entry(u.name.as_str())
            .or_default()
            .push((u.id, u.parent_id));
    }
    let mut ids: Vec<i64> = Vec::with_capacity(county.units.len());
    for u in &county.units {
        let parent = u.parent.map(|p| ids[p]);
        let id = by_name
            .get(u.name.as_str())
            .and_then(|v| {
                v.iter()
                    .filter(|(_, pid)| *pid == parent)
                    .map(|(id, _)| *id)
                    .max()
            })
            .ok_or_else(|| CoreError::Internal(anyhow!("demo unit {} was not stored", u.name)))?;
        ids.push(id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::demo_calendar;
    use crate::settings::{validate, Settings};

    #[test]
    fn the_demo_calendar_is_valid_and_marked_as_demo_data() {
        let m = demo_calendar();
        assert!(validate(&m).is_ok());
        assert!(m.values().all(|v| v.starts_with("# 演示数据")));
        let cal = Settings::from_stored(m).calendar();
        let d = |s| crate::inspection::workdays::parse_iso(s).expect("date");
        assert!(!cal.is_workday(d("2026-10-06")));
        assert!(cal.is_workday(d("2026-10-10")));
    }
}
