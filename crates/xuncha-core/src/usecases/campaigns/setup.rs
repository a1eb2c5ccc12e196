//! Setting a campaign up: its targets (typed room lists, or units of the
//! registry: sub-units for a checklist, townships and villages for visits),
//! its teams with their duties, the assignment of targets to teams, and the
//! household lists of a visit campaign.

use crate::auth::Actor;
use crate::campaign::targets::{levels_of, parse_lines};
use crate::campaign::visit::{household_rows, AreaRef, HOUSEHOLD_FIELDS};
use crate::campaign::{CampaignKind, TargetLevel};
use crate::clock::Clock;
use crate::error::{CoreError, FieldError};
use crate::i18n::{t, tf};
use crate::import::{map_fields, ImportReport, RawTable};
use crate::policy::{self, Action};
use crate::registry::UnitKind;
use crate::store::{Store, TargetPath};

use super::{ensure_active, load_managed};
use crate::usecases::import::finish;
use crate::usecases::meta;

/// Adds typed targets (`1号楼/1层/101-112`, one line per group) to a
/// checklist campaign; returns how many rooms were new.
pub async fn add_targets(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    text: &str,
) -> Result<usize, CoreError> {
    let l = load_managed(store, actor, id).await?;
    ensure_active(&l.campaign)?;
    if l.campaign.kind != CampaignKind::Checklist {
        return Err(CoreError::invalid(
            "targets",
            t("error.campaign_targets_kind"),
        ));
    }
    let lines = parse_lines(text).map_err(CoreError::Invalid)?;
    if lines.is_empty() {
        return Err(CoreError::invalid("targets", t("error.required")));
    }
    let paths: Vec<TargetPath> = lines
        .into_iter()
        .map(|l| {
            let levels = levels_of(l.names.len());
            TargetPath {
                nodes: l
                    .names
                    .into_iter()
                    .zip(levels.iter().copied())
                    .map(|(n, lv)| (n, lv, None))
                    .collect(),
            }
        })
        .collect();
    Ok(store
        .add_campaign_targets(id, &paths, &meta(actor, clock))
        .await?)
}

/// Adds registry units as targets: for a checklist campaign, each unit
/// itself (checked as a whole); for a visit campaign, townships with their
/// villages, or villages (under their township).
pub async fn add_units(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    unit_ids: &[i64],
) -> Result<usize, CoreError> {
    let l = load_managed(store, actor, id).await?;
    ensure_active(&l.campaign)?;
    let scope = policy::scope(actor, Action::ManageCampaigns)?;
    let units = store.all_units(&scope).await?;
    let by_id: std::collections::HashMap<i64, &crate::registry::Unit> =
        units.iter().map(|u| (u.id, u)).collect();
    let mut paths = Vec::new();
    for uid in unit_ids {
        let u = by_id
            .get(uid)
            .ok_or_else(|| CoreError::invalid("unit_ids", t("error.unit_missing")))?;
        match l.campaign.kind {
            CampaignKind::Checklist => paths.push(TargetPath {
                nodes: vec![(u.name.clone(), TargetLevel::Unit, Some(u.id))],
            }),
            CampaignKind::Visit => match u.kind {
                UnitKind::Township => {
                    let town = (u.name.clone(), TargetLevel::Township, Some(u.id));
                    for v in units.iter().filter(|v| {
                        v.parent_id == Some(u.id)
                            && matches!(v.kind, UnitKind::Village | UnitKind::Community)
                    }) {
                        paths.push(TargetPath {
                            nodes: vec![
                                town.clone(),
                                (v.name.clone(), TargetLevel::Village, Some(v.id)),
                            ],
                        });
                    }
                }
                UnitKind::Village | UnitKind::Community => {
                    let mut nodes = Vec::new();
                    if let Some(p) = u.parent_id.and_then(|p| by_id.get(&p)) {
                        nodes.push((p.name.clone(), TargetLevel::Township, Some(p.id)));
                    }
                    nodes.push((u.name.clone(), TargetLevel::Village, Some(u.id)));
                    paths.push(TargetPath { nodes });
                }
                _ => {
                    return Err(CoreError::invalid(
                        "unit_ids",
                        tf("error.campaign_area_kind", &[("name", &u.name)]),
                    ))
                }
            },
        }
    }
    if paths.is_empty() {
        return Err(CoreError::invalid(
            "unit_ids",
            t("error.campaign_no_villages"),
        ));
    }
    Ok(store
        .add_campaign_targets(id, &paths, &meta(actor, clock))
        .await?)
}

/// Adds a team. `members` lists one member a line: a login name, then the
/// duty (`zoufang 记录`); every unknown login is named.
pub async fn add_team(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    name: &str,
    members: &str,
) -> Result<i64, CoreError> {
    let l = load_managed(store, actor, id).await?;
    ensure_active(&l.campaign)?;
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 30 {
        errors.push(FieldError::field("name", t("error.campaign_team_name")));
    }
    // Only the named logins are read (the county may have 100,000 cadres).
    let logins: Vec<String> = members
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let users = if logins.is_empty() {
        Vec::new()
    } else {
        store.users_named(&logins).await?
    };
    let mut out: Vec<(i64, String)> = Vec::new();
    for (i, line) in members.lines().enumerate() {
        let mut parts = line.split_whitespace();
        let Some(login) = parts.next() else {
            continue;
        };
        let duty = parts.collect::<Vec<_>>().join(" ");
        match users.iter().find(|u| u.username == login && u.active) {
            Some(u) if !out.iter().any(|(id, _)| *id == u.id) => out.push((u.id, duty)),
            Some(_) => {}
            None => errors.push(FieldError::field(
                "members",
                tf(
                    "error.campaign_member",
                    &[("line", &(i + 1).to_string()), ("login", login)],
                ),
            )),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(FieldError::field("members", t("error.campaign_members")));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    Ok(store
        .add_campaign_team(id, name, &out, &meta(actor, clock))
        .await?)
}

/// Assigns targets (and all below them) to a team, or to none.
pub async fn assign(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    target_ids: &[i64],
    team_id: Option<i64>,
) -> Result<(), CoreError> {
    let l = load_managed(store, actor, id).await?;
    ensure_active(&l.campaign)?;
    if let Some(team) = team_id {
        if !store.campaign_teams(id).await?.iter().any(|t| t.id == team) {
            return Err(CoreError::invalid("team_id", t("error.required")));
        }
    }
    if target_ids.is_empty() {
        return Err(CoreError::invalid(
            "target_ids",
            t("error.campaign_pick_targets"),
        ));
    }
    Ok(store
        .assign_campaign_targets(id, target_ids, team_id, &meta(actor, clock))
        .await?)
}

/// The planned day of the assignment form, checked before anything is
/// written: a date (empty: no plan given), and only targets that carry a
/// plan (buildings, floors, units, villages — not rooms or townships).
async fn check_plan(
    store: &dyn Store,
    id: i64,
    target_ids: &[i64],
    raw_day: &str,
) -> Result<Option<String>, CoreError> {
    use crate::inspection::workdays::{iso, parse_iso};
    let raw = raw_day.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let Some(day) = parse_iso(raw).map(iso) else {
        return Err(CoreError::invalid(
            "planned_on",
            t("error.campaign_plan_day"),
        ));
    };
    let targets = store.campaign_targets(id, None).await?;
    let mut errors = Vec::new();
    for tid in target_ids {
        let Some(target) = targets.iter().find(|x| x.id == *tid) else {
            return Err(CoreError::NotFound);
        };
        if !crate::campaign::plan::plannable(target.level) {
            errors.push(FieldError::field(
                "target_ids",
                tf("error.campaign_plan_level", &[("name", &target.name)]),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Some(day))
    } else {
        Err(CoreError::Invalid(errors))
    }
}

/// The assignment form: assigns targets to a team and, when a day is given,
/// plans them for that day. The day is checked first, so a bad one assigns
/// nothing.
pub async fn assign_and_plan(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    target_ids: &[i64],
    team_id: Option<i64>,
    planned_on: &str,
) -> Result<(), CoreError> {
    load_managed(store, actor, id).await?;
    let day = check_plan(store, id, target_ids, planned_on).await?;
    assign(store, clock, actor, id, target_ids, team_id).await?;
    if let Some(day) = day {
        store
            .plan_campaign_targets(id, target_ids, Some(&day), &meta(actor, clock))
            .await?;
    }
    Ok(())
}

/// Imports a household list into the campaign's villages: every row is
/// checked first (village known, head named, ID number valid and not
/// repeated); any problem refuses the whole file, named by row and column.
pub async fn import_households(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    table: &RawTable,
) -> Result<ImportReport, CoreError> {
    let l = load_managed(store, actor, id).await?;
    ensure_active(&l.campaign)?;
    if l.campaign.kind != CampaignKind::Visit {
        return Err(CoreError::invalid(
            "file",
            t("error.campaign_households_kind"),
        ));
    }
    if table.rows.is_empty() {
        return Err(CoreError::invalid("file", t("import.no_rows")));
    }
    let mapping = map_fields(HOUSEHOLD_FIELDS, &table.headers).map_err(CoreError::Invalid)?;
    let targets = store.campaign_targets(id, None).await?;
    let name_of: std::collections::HashMap<i64, &str> =
        targets.iter().map(|t| (t.id, t.name.as_str())).collect();
    let areas: Vec<AreaRef> = targets
        .iter()
        .filter(|t| t.level == TargetLevel::Village)
        .map(|t| AreaRef {
            id: t.id,
            village: t.name.clone(),
            township: t
                .parent_id
                .and_then(|p| name_of.get(&p))
                .map(|s| (*s).to_owned())
                .unwrap_or_default(),
        })
        .collect();
    if areas.is_empty() {
        return Err(CoreError::invalid("file", t("error.campaign_no_villages")));
    }
    let (rows, errors) = household_rows(table, &mapping, &areas);
    let rows = finish(rows, errors)?;
    let created = store
        .import_households(id, &rows, &meta(actor, clock))
        .await?;
    Ok(ImportReport {
        created,
        updated: 0,
        skipped: rows.len() - created,
        unmapped_headers: mapping.unmapped,
    })
}
