//! Cross-check hits (大数据碰撞) for people: storing a run's hits for the
//! actor's jurisdiction (each attributed to the registry unit its list
//! names), lists, triage, and turning a confirmed hit into a clue of a round.
//! The lists and runs are in [`datasets`] (the registry's own lists in
//! [`registry_sets`]), custom rules in [`rules`].

use crate::auth::Actor;
use crate::clock::Clock;
use crate::collide::{HitState, NewHit, PlacedHit, RunSummary, StoredHit, TriageInput};
use crate::error::CoreError;
use crate::i18n::{t, tf};
use crate::policy::{self, Action, Scope};
use crate::registry::{Page, PageRequest, Unit};
use crate::store::{HitFilter, Store};

use super::meta;
use super::rounds::work::{create_clue, create_paper, ClueInput};
use crate::inspection::paper::{PaperInput, PaperSource};

mod datasets;
mod registry_sets;
mod rules;

pub use datasets::*;
pub use registry_sets::*;
pub use rules::*;

/// Stores the hits of a run of `rules` over the actor's jurisdiction. Each
/// hit goes to the unit of the registry whose name its list gives (a
/// village, a unit), else to the jurisdiction itself.
pub async fn record_run(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    rules: &[String],
    hits: Vec<NewHit>,
) -> Result<RunSummary, CoreError> {
    let scope = policy::scope(actor, Action::RunCrossChecks)?;
    let root = match &actor.jurisdiction {
        Some(j) => store.get_unit(j.unit_id).await?,
        // The administrator without a jurisdiction checks for the whole registry.
        None => store
            .all_units(&Scope::all())
            .await?
            .into_iter()
            .min_by_key(|u| u.depth)
            .ok_or(CoreError::NotFound)?,
    };
    policy::check(actor, Action::RunCrossChecks, Some(&root.path))?;
    let units = store.all_units(&scope).await?;
    let placed = hits
        .into_iter()
        .map(|hit| {
            let unit = hit.place.as_deref().and_then(|p| unit_of_place(&units, p));
            let (unit_id, unit_path) = match unit {
                Some(u) => (u.id, u.path.clone()),
                None => (root.id, root.path.clone()),
            };
            PlacedHit {
                hit,
                unit_id,
                unit_path,
            }
        })
        .collect::<Vec<_>>();
    Ok(store
        .record_run(root.id, rules, &placed, &meta(actor, clock))
        .await?)
}

/// The unit a list's place names: `乡镇/村` (the village under that township,
/// as village names repeat across townships), or one name alone when it
/// names exactly one unit. Names are compared normalised (full-width,
/// traditional forms).
fn unit_of_place<'a>(units: &'a [Unit], place: &str) -> Option<&'a Unit> {
    let key = |s: &str| xuncha_text::normalize(s.trim());
    let parts: Vec<String> = place
        .split('/')
        .map(key)
        .filter(|p| !p.is_empty())
        .collect();
    let (last, above) = parts.split_last()?;
    let named: Vec<&Unit> = units.iter().filter(|u| key(&u.name) == *last).collect();
    let only = |v: Vec<&'a Unit>| (v.len() == 1).then(|| v[0]);
    let known = |a: &String| units.iter().any(|p| key(&p.name) == *a);
    if above.is_empty() || !above.iter().all(known) {
        // No township given, or one the registry (in scope) does not hold:
        // the name alone, when it names exactly one unit.
        return only(named);
    }
    let under = |u: &&Unit| {
        above.iter().all(|a| {
            units
                .iter()
                .any(|p| p.id != u.id && key(&p.name) == *a && u.path.starts_with(&p.path))
        })
    };
    only(named.into_iter().filter(under).collect())
}

/// A page of hits the actor may read.
pub async fn list(
    store: &dyn Store,
    actor: &Actor,
    rule: Option<String>,
    state: Option<HitState>,
    change: Option<String>,
    page: PageRequest,
) -> Result<Page<StoredHit>, CoreError> {
    let filter = HitFilter {
        scope: policy::scope(actor, Action::ViewCrossChecks)?,
        rule,
        state: state.map(|s| s.as_str().to_owned()),
        change,
    };
    Ok(store.list_hits(&filter, page).await?)
}

/// Whether the actor may verify this hit and turn it into a clue.
pub fn may_triage(actor: &Actor, hit: &StoredHit) -> bool {
    policy::check(actor, Action::RunCrossChecks, Some(&hit.unit_path)).is_ok()
}

/// One hit, if the actor may read it.
pub async fn get(store: &dyn Store, actor: &Actor, id: i64) -> Result<StoredHit, CoreError> {
    policy::scope(actor, Action::ViewCrossChecks)?;
    let hit = store.get_hit(id).await.map_err(|_| CoreError::NotFound)?;
    policy::check(actor, Action::ViewCrossChecks, Some(&hit.unit_path))?;
    Ok(hit)
}

fn conflict(e: crate::StoreError) -> CoreError {
    match e {
        crate::StoreError::Conflict(_) => CoreError::Conflict(t("error.hit_changed").to_owned()),
        e => e.into(),
    }
}

/// Records a verification: 已核实属实, 不属实 (with the reason) or back to 待核实.
pub async fn triage(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &TriageInput,
) -> Result<StoredHit, CoreError> {
    let hit = get(store, actor, id).await?;
    // Reading a hit is wider than verifying it (the 领导小组 reads).
    policy::check(actor, Action::RunCrossChecks, Some(&hit.unit_path))?;
    let (state, note) = input.validate(hit.state)?;
    store
        .update_hit(id, input.version, state, &note, None, &meta(actor, clock))
        .await
        .map_err(conflict)
}

/// Turns a confirmed hit into a clue of a round's target, carrying its
/// evidence; the hit then points at the clue.
pub async fn to_clue(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    target_id: i64,
    grade: &str,
) -> Result<(StoredHit, i64), CoreError> {
    let hit = get(store, actor, id).await?;
    policy::check(actor, Action::RunCrossChecks, Some(&hit.unit_path))?;
    if target_id <= 0 {
        return Err(CoreError::invalid("target_id", t("error.hit_target")));
    }
    if hit.state != HitState::Confirmed {
        return Err(CoreError::invalid("state", t("error.hit_not_confirmed")));
    }
    let h = &hit.hit;
    let clue = create_clue(
        store,
        clock,
        actor,
        target_id,
        &ClueInput {
            title: format!("{}：{}", h.rule_title, h.subject_name),
            summary: tf(
                "collide.hit_clue_summary",
                &[("rule", &h.rule_title), ("evidence", &h.evidence)],
            ) + &if hit.note.is_empty() {
                String::new()
            } else {
                format!("\n{}", hit.note)
            },
            grade: grade.to_owned(),
            persons: tf("collide.hit_clue_persons", &[("name", &h.subject_name)]),
            paper_id: None,
        },
    )
    .await?;
    let stored = store
        .update_hit(
            id,
            hit.version,
            HitState::Clue,
            &hit.note,
            Some(clue),
            &meta(actor, clock),
        )
        .await
        .map_err(conflict)?;
    Ok((stored, clue))
}

/// What a confirmed hit's working paper says beyond its evidence.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct HitPaperInput {
    /// The round's target.
    #[serde(default)]
    pub target_id: i64,
    /// The problem category (the taxonomy's line).
    #[serde(default)]
    pub category: String,
    /// The basis (rules breached); the rule's policy basis to start from.
    #[serde(default)]
    pub basis: String,
}

/// Turns a confirmed hit into a working paper (问题底稿, source 数据比对) of a
/// round's target: the summary names the rule and the subject, the facts
/// carry the evidence and the verifier's note; the hit then points at it.
pub async fn to_paper(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &HitPaperInput,
) -> Result<(StoredHit, i64), CoreError> {
    let hit = get(store, actor, id).await?;
    policy::check(actor, Action::RunCrossChecks, Some(&hit.unit_path))?;
    if input.target_id <= 0 {
        return Err(CoreError::invalid("target_id", t("error.hit_target")));
    }
    if hit.state != HitState::Confirmed {
        return Err(CoreError::invalid("state", t("error.hit_not_confirmed")));
    }
    let h = &hit.hit;
    let mut facts = tf(
        "collide.hit_clue_summary",
        &[("rule", &h.rule_title), ("evidence", &h.evidence)],
    );
    if !hit.note.is_empty() {
        facts = format!("{facts}\n{}", hit.note);
    }
    let summary: String = format!("{}：{}", h.rule_title, h.subject_name)
        .chars()
        .take(200)
        .collect();
    let paper = create_paper(
        store,
        clock,
        actor,
        input.target_id,
        &PaperInput {
            category: input.category.clone(),
            source: PaperSource::DataCheck.as_str().to_owned(),
            summary,
            facts,
            basis: input.basis.clone(),
        },
    )
    .await?;
    let stored = store
        .update_hit(
            id,
            hit.version,
            HitState::Clue,
            &hit.note,
            Some(paper),
            &meta(actor, clock),
        )
        .await
        .map_err(conflict)?;
    Ok((stored, paper))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::UnitKind;

    fn unit(id: i64, name: &str, path: &str) -> Unit {
        Unit {
            id,
            parent_id: None,
            name: name.into(),
            kind: UnitKind::Village,
            region_code: None,
            path: path.into(),
            depth: path.matches('/').count() as i32 - 2,
            budget_yuan: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_place_names_the_village_under_its_township() {
        let units = vec![
            unit(1, "云岭县", "/1/"),
            unit(2, "青石镇", "/1/2/"),
            unit(3, "石门村", "/1/2/3/"),
            unit(4, "白沙乡", "/1/4/"),
            unit(5, "石门村", "/1/4/5/"),
            unit(6, "青石村", "/1/2/6/"),
            unit(7, "县民政局", "/1/7/"),
        ];
        let id = |p: &str| unit_of_place(&units, p).map(|u| u.id);
        // The same village name in two townships: the township decides.
        assert_eq!(id("青石镇/石门村"), Some(3));
        assert_eq!(id("白沙乡/石门村"), Some(5));
        assert_eq!(id("石门村"), None);
        // A unique name needs no township; a township the registry lacks is passed over.
        assert_eq!(id("青石村"), Some(6));
        assert_eq!(id(" 縣民政局 "), Some(7));
        assert_eq!(id("红旗镇/青石村"), Some(6));
        // A known township that does not hold the village: not attributed.
        assert_eq!(id("白沙乡/青石村"), None);
        assert_eq!(id("/"), None);
    }
}
