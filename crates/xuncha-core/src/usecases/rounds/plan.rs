//! Planning a round: rounds, targets, teams, assignments with recusal, and
//! the coverage of the term.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::{t, tf};
use crate::inspection::recusal::{
    self, Conflict, Declared, InspectorFacts, KinEdge, KinScope, RecusalFacts, RecusalRules,
    Severity, TargetFacts, TargetPerson, WorkPeriod,
};
use crate::inspection::workdays::{date_of_ms, iso};
use crate::inspection::{
    NewRecusal, NewRound, RecusalDecision, RecusalRecord, Round, RoundInput, RoundStatus, Target,
    TargetUpdate, Team, TeamMember, TeamRole,
};
use crate::policy::{self, Action};
use crate::registry::Unit;
use crate::store::{InspectorLink, Store};
use crate::usecases::meta;

/// Today's date (China time) as `YYYY-MM-DD`.
pub fn today(clock: &dyn Clock) -> String {
    iso(date_of_ms(clock.now_ms()))
}

/// The rounds the actor may see: all for the office and the leading group,
/// those they are assigned to for team members.
pub async fn list_rounds(store: &dyn Store, actor: &Actor) -> Result<Vec<Round>, CoreError> {
    policy::scope(actor, Action::ViewRounds)?;
    let rounds = store.list_rounds().await?;
    if policy::is_team_role(actor.role) {
        Ok(rounds
            .into_iter()
            .filter(|r| actor.assignments.iter().any(|a| a.round_id == r.id))
            .collect())
    } else {
        Ok(rounds)
    }
}

/// Creates a round (巡察办).
pub async fn create_round(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    input: &RoundInput,
) -> Result<Round, CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    let new = NewRound::parse(input)?;
    store
        .create_round(&new, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => CoreError::invalid("number", t("error.round_exists")),
            e => e.into(),
        })
}

/// Moves a round to another status (start, finish).
pub async fn set_status(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    round_id: i64,
    status: RoundStatus,
) -> Result<Round, CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    let current = store.get_round(round_id).await?;
    // A round only moves forward: planning → active → finished.
    let forward = matches!(
        (current.status, status),
        (RoundStatus::Planning, RoundStatus::Active)
            | (RoundStatus::Planning, RoundStatus::Finished)
            | (RoundStatus::Active, RoundStatus::Finished)
    );
    if !forward {
        return Err(CoreError::invalid("status", t("error.round_status")));
    }
    Ok(store
        .set_round_status(round_id, status, &meta(actor, clock))
        .await?)
}

/// The round, if the actor may see it: team members only the rounds they
/// are assigned to (others answer not found, like a missing round).
pub async fn visible_round(
    store: &dyn Store,
    actor: &Actor,
    round_id: i64,
) -> Result<Round, CoreError> {
    let round = store.get_round(round_id).await?;
    if policy::is_team_role(actor.role) && !actor.assignments.iter().any(|a| a.round_id == round_id)
    {
        return Err(CoreError::NotFound);
    }
    Ok(round)
}

/// A round with what the actor may see of it.
#[derive(Debug, Clone, Serialize)]
pub struct RoundView {
    /// The round.
    pub round: Round,
    /// Its targets in the actor's scope.
    pub targets: Vec<Target>,
    /// Its teams.
    pub teams: Vec<Team>,
    /// Their members.
    pub members: Vec<TeamMember>,
    /// Conflicts found or declared (planners only).
    pub recusals: Vec<RecusalRecord>,
    /// Whether the actor may plan (edit targets and teams).
    pub can_plan: bool,
}

/// A round and its targets, teams and recusals as the actor may see them.
pub async fn view_round(
    store: &dyn Store,
    actor: &Actor,
    round_id: i64,
) -> Result<RoundView, CoreError> {
    let scope = policy::scope(actor, Action::ViewRounds)?;
    let round = visible_round(store, actor, round_id).await?;
    let targets = store
        .targets_of(round_id)
        .await?
        .into_iter()
        .filter(|t| scope.contains(&t.unit_path))
        .collect();
    let can_plan = policy::role_allows(actor.role, Action::PlanRounds);
    let recusals = if can_plan {
        store
            .recusals_of_round(round_id)
            .await?
            .into_iter()
            .filter(|r| {
                !actor
                    .recused_paths
                    .iter()
                    .any(|p| r.unit_path.starts_with(p))
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(RoundView {
        round,
        targets,
        teams: store.teams_of(round_id).await?,
        members: store.members_of_round(round_id).await?,
        recusals,
        can_plan,
    })
}

/// Adds a unit to a round. Members of a team already assigned are checked
/// when the team is assigned to it.
pub async fn add_target(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    round_id: i64,
    unit_id: i64,
) -> Result<Target, CoreError> {
    let unit = store
        .get_unit(unit_id)
        .await
        .map_err(|_| CoreError::invalid("unit_id", t("error.unit_missing")))?;
    policy::check(actor, Action::PlanRounds, Some(&unit.path))?;
    let round = store.get_round(round_id).await?;
    if round.status == RoundStatus::Finished {
        return Err(CoreError::invalid("round", t("error.round_finished")));
    }
    store
        .add_target(round_id, unit_id, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => {
                CoreError::invalid("unit_id", t("error.target_exists"))
            }
            e => e.into(),
        })
}

/// Creates a team.
pub async fn create_team(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    round_id: i64,
    name: &str,
) -> Result<Team, CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(CoreError::invalid("name", t("error.team_name")));
    }
    store.get_round(round_id).await?;
    store
        .create_team(round_id, name, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => CoreError::invalid("name", t("error.team_exists")),
            e => e.into(),
        })
}

/// The county's recusal rules from the settings.
async fn rules(store: &dyn Store) -> Result<RecusalRules, CoreError> {
    let s = crate::usecases::settings::effective(store).await?;
    Ok(RecusalRules {
        kin_scope: KinScope::parse(&s.get("recusal.kin_scope")),
        work_years: s.get_int("recusal.work_years").max(0) as u32,
        long_service_years: s.get_int("recusal.long_service_years").max(0) as u32,
    })
}

async fn work_periods(store: &dyn Store, person_id: i64) -> Result<Vec<WorkPeriod>, CoreError> {
    let mut units: HashMap<i64, Unit> = HashMap::new();
    let mut out = Vec::new();
    for w in store.work_history_of(person_id).await? {
        let u = match units.entry(w.unit_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(store.get_unit(w.unit_id).await?)
            }
        };
        out.push(WorkPeriod {
            unit_id: u.id,
            unit_name: u.name.clone(),
            unit_path: u.path.clone(),
            region_code: u.region_code.clone(),
            position: w.position,
            from: w.from_date,
            to: w.to_date,
        });
    }
    Ok(out)
}

/// Gathers what the recusal engine needs about an inspector and a unit.
async fn facts(
    store: &dyn Store,
    inspector_id: i64,
    unit: &Unit,
    rules: &RecusalRules,
    today: &str,
    declared: Vec<Declared>,
) -> Result<RecusalFacts, CoreError> {
    let pool = store.list_inspectors().await?;
    let insp = pool
        .iter()
        .find(|i| i.id == inspector_id)
        .ok_or_else(|| CoreError::invalid("inspector_id", t("error.inspector_missing")))?;
    let person = store.get_person(insp.person_id).await?;
    let link = store.inspector_link(inspector_id).await?;
    let source_unit = match insp.source_unit_id.or(person.unit_id) {
        Some(id) => {
            let u = store.get_unit(id).await?;
            Some((u.id, u.name, u.path))
        }
        None => None,
    };
    let relations = store.relations_of(person.id).await?;
    let kin: Vec<KinEdge> = relations
        .iter()
        .map(|r| KinEdge {
            other_person_id: if r.person_a_id == person.id {
                r.person_b_id
            } else {
                r.person_a_id
            },
            kind: r.kind,
            detail: r.detail.clone(),
        })
        .collect();
    let mut people = Vec::new();
    for post in store.leadership_of(unit.id).await? {
        people.push(TargetPerson {
            person_id: post.person_id,
            name: post.person_name,
            title: Some(post.title),
            rank: Some(post.rank),
            work: work_periods(store, post.person_id).await?,
        });
    }
    if rules.kin_scope == KinScope::WholeUnit {
        // Only relatives can make a kinship conflict, so instead of loading
        // the whole unit, look where each relative works.
        for k in &kin {
            if people.iter().any(|p| p.person_id == k.other_person_id) {
                continue;
            }
            let other = store.get_person(k.other_person_id).await?;
            if other
                .unit_path
                .as_deref()
                .is_some_and(|p| p.starts_with(&unit.path))
            {
                people.push(TargetPerson {
                    person_id: other.id,
                    name: other.name,
                    title: None,
                    rank: None,
                    work: Vec::new(),
                });
            }
        }
    }
    Ok(RecusalFacts {
        inspector: InspectorFacts {
            person_id: person.id,
            name: person.name,
            home_region: link.home_region_code,
            source_unit,
            work: work_periods(store, insp.person_id).await?,
        },
        target: TargetFacts {
            unit_id: unit.id,
            unit_name: unit.name.clone(),
            unit_path: unit.path.clone(),
            region_code: unit.region_code.clone(),
            people,
        },
        kin,
        declared,
        today: today.to_owned(),
    })
}

/// The conflicts between an inspector and a unit, with the chain of
/// relations behind each (the "why" shown before assigning).
pub async fn check_conflicts(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    inspector_id: i64,
    unit_id: i64,
) -> Result<Vec<Conflict>, CoreError> {
    let unit = store.get_unit(unit_id).await?;
    policy::check(actor, Action::PlanRounds, Some(&unit.path))?;
    let rules = rules(store).await?;
    let f = facts(
        store,
        inspector_id,
        &unit,
        &rules,
        &today(clock),
        Vec::new(),
    )
    .await?;
    Ok(recusal::assess(&f, &rules))
}

/// Assesses every (inspector, target) pair; hard conflicts refuse the whole
/// change, naming the inspector, the unit and the reason; soft ones are
/// returned to be recorded as pending decisions.
async fn assess_pairs(
    store: &dyn Store,
    clock: &dyn Clock,
    round_id: i64,
    pairs: &[(i64, Target)],
) -> Result<Vec<NewRecusal>, CoreError> {
    let rules = rules(store).await?;
    let today = today(clock);
    let mut found = Vec::new();
    let mut hard = Vec::new();
    for (inspector_id, target) in pairs {
        let unit = store.get_unit(target.unit_id).await?;
        let f = facts(store, *inspector_id, &unit, &rules, &today, Vec::new()).await?;
        for c in recusal::assess(&f, &rules) {
            if c.severity == Severity::Hard {
                hard.push(crate::error::FieldError::field(
                    "inspector_id",
                    tf(
                        "error.recusal_hard",
                        &[
                            ("name", &f.inspector.name),
                            ("unit", &unit.name),
                            ("reason", &c.reason),
                            ("chain", &c.chain.join(" → ")),
                        ],
                    ),
                ));
            } else {
                found.push(NewRecusal {
                    round_id,
                    inspector_id: *inspector_id,
                    unit_id: unit.id,
                    unit_path: unit.path.clone(),
                    kind: c.kind.as_str().to_owned(),
                    severity: c.severity.as_str().to_owned(),
                    reason: c.reason,
                    chain: c.chain,
                    decision: RecusalDecision::Pending,
                });
            }
        }
    }
    if hard.is_empty() {
        Ok(found)
    } else {
        Err(CoreError::Invalid(hard))
    }
}

/// What an assignment produced: soft conflicts now waiting for a decision.
#[derive(Debug, Clone, Serialize)]
pub struct AssignOutcome {
    /// Soft conflicts recorded as pending (the unit stays hidden from the
    /// inspector until decided).
    pub pending: Vec<NewRecusalView>,
}

/// A recorded soft conflict, for the message after assigning.
#[derive(Debug, Clone, Serialize)]
pub struct NewRecusalView {
    /// The unit.
    pub unit_id: i64,
    /// The reason.
    pub reason: String,
}

fn outcome(found: &[NewRecusal]) -> AssignOutcome {
    AssignOutcome {
        pending: found
            .iter()
            .map(|r| NewRecusalView {
                unit_id: r.unit_id,
                reason: r.reason.clone(),
            })
            .collect(),
    }
}

/// Adds an inspector to a team after checking them against every unit the
/// team inspects. A hard conflict refuses; soft ones are recorded pending.
pub async fn add_member(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    team_id: i64,
    inspector_id: i64,
    role: TeamRole,
) -> Result<(TeamMember, AssignOutcome), CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    let team = team_by_id(store, team_id).await?;
    let targets: Vec<Target> = store
        .targets_of(team.round_id)
        .await?
        .into_iter()
        .filter(|t| t.team_id == Some(team_id))
        .collect();
    let members = store.members_of_round(team.round_id).await?;
    if role == TeamRole::Leader
        && members
            .iter()
            .any(|m| m.team_id == team_id && m.role == TeamRole::Leader)
    {
        return Err(CoreError::invalid("role", t("error.team_has_leader")));
    }
    let pairs: Vec<(i64, Target)> = targets.into_iter().map(|t| (inspector_id, t)).collect();
    let found = assess_pairs(store, clock, team.round_id, &pairs).await?;
    let m = meta(actor, clock);
    let member = store
        .add_team_member(team_id, inspector_id, role, &m)
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => {
                CoreError::invalid("inspector_id", t("error.member_exists"))
            }
            e => e.into(),
        })?;
    store.record_recusals(&found, &m).await?;
    Ok((member, outcome(&found)))
}

/// Removes a member from a team.
pub async fn remove_member(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    member_id: i64,
) -> Result<(), CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    Ok(store
        .remove_team_member(member_id, &meta(actor, clock))
        .await?)
}

async fn team_by_id(store: &dyn Store, team_id: i64) -> Result<Team, CoreError> {
    Ok(store.get_team(team_id).await?)
}

/// Assigns a team to a target after checking every member against the unit.
pub async fn assign_team(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    team_id: Option<i64>,
) -> Result<(Target, AssignOutcome), CoreError> {
    let target = store.get_target(target_id).await?;
    policy::check(actor, Action::PlanRounds, Some(&target.unit_path))?;
    let mut found = Vec::new();
    if let Some(team_id) = team_id {
        let team = team_by_id(store, team_id).await?;
        if team.round_id != target.round_id {
            return Err(CoreError::invalid("team_id", t("error.team_other_round")));
        }
        let pairs: Vec<(i64, Target)> = store
            .members_of_round(target.round_id)
            .await?
            .into_iter()
            .filter(|m| m.team_id == team_id)
            .map(|m| (m.inspector_id, target.clone()))
            .collect();
        found = assess_pairs(store, clock, target.round_id, &pairs).await?;
    }
    let m = meta(actor, clock);
    let update = TargetUpdate {
        team_id: Some(team_id),
        stage: Some(if team_id.is_some() {
            crate::inspection::Stage::Prepare
        } else {
            crate::inspection::Stage::Plan
        }),
        ..TargetUpdate::default()
    };
    let target = store
        .update_target(target_id, &update, "target.assign", &m)
        .await?;
    store.record_recusals(&found, &m).await?;
    Ok((target, outcome(&found)))
}

/// Decides a pending soft conflict: recuse, or allow with a reason.
pub async fn decide_recusal(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    round_id: i64,
    recusal_id: i64,
    decision: RecusalDecision,
    reason: &str,
) -> Result<RecusalRecord, CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    let current = store
        .recusals_of_round(round_id)
        .await?
        .into_iter()
        .find(|r| r.id == recusal_id)
        .ok_or(CoreError::NotFound)?;
    policy::check(actor, Action::PlanRounds, Some(&current.unit_path))?;
    if current.decision != RecusalDecision::Pending
        || !matches!(
            decision,
            RecusalDecision::Recused | RecusalDecision::Allowed
        )
    {
        return Err(CoreError::invalid("decision", t("error.recusal_decided")));
    }
    if reason.trim().is_empty() {
        return Err(CoreError::invalid("reason", t("error.reason_required")));
    }
    Ok(store
        .decide_recusal(recusal_id, decision, reason.trim(), &meta(actor, clock))
        .await?)
}

/// An inspector declares a conflict with a target of their round (自行申报):
/// it is recorded as a recusal at once.
pub async fn declare_conflict(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    reason: &str,
) -> Result<(), CoreError> {
    let link = store
        .inspector_link_of_user(actor.user_id)
        .await?
        .ok_or_else(|| CoreError::invalid("user", t("error.not_inspector")))?;
    let target = store.get_target(target_id).await?;
    if !actor
        .assignments
        .iter()
        .any(|a| a.round_id == target.round_id)
    {
        return Err(CoreError::NotFound);
    }
    if reason.trim().is_empty() {
        return Err(CoreError::invalid("reason", t("error.reason_required")));
    }
    let row = NewRecusal {
        round_id: target.round_id,
        inspector_id: link.inspector_id,
        unit_id: target.unit_id,
        unit_path: target.unit_path.clone(),
        kind: recusal::ConflictKind::Declared.as_str().to_owned(),
        severity: Severity::Hard.as_str().to_owned(),
        reason: reason.trim().to_owned(),
        chain: vec![actor.display_name.clone(), reason.trim().to_owned()],
        decision: RecusalDecision::Recused,
    };
    Ok(store.record_recusals(&[row], &meta(actor, clock)).await?)
}

/// A member signs their recusal statement or confidentiality pledge (or the
/// office records the paper signature).
pub async fn sign(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    round_id: i64,
    member_id: i64,
    statement: bool,
) -> Result<TeamMember, CoreError> {
    let member = store
        .members_of_round(round_id)
        .await?
        .into_iter()
        .find(|m| m.id == member_id)
        .ok_or(CoreError::NotFound)?;
    let own = member.user_id == Some(actor.user_id);
    if !own {
        policy::scope(actor, Action::PlanRounds)?;
    }
    Ok(store
        .sign_member(member_id, statement, &meta(actor, clock))
        .await?)
}

/// Links an inspector to a user account and records their home area.
pub async fn link_inspector(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    link: &InspectorLink,
) -> Result<(), CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    if let Some(code) = &link.home_region_code {
        if !matches!(code.len(), 6 | 9 | 12) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CoreError::invalid(
                "home_region_code",
                t("error.region_code"),
            ));
        }
    }
    store
        .link_inspector(link, &meta(actor, clock))
        .await
        .map_err(|e| match e {
            crate::StoreError::Conflict(_) => {
                CoreError::invalid("user_id", t("error.account_linked"))
            }
            e => e.into(),
        })
}

/// One unit's inspection history, for the coverage view (全覆盖).
#[derive(Debug, Clone, Serialize)]
pub struct UnitCoverage {
    /// The unit.
    pub unit: Unit,
    /// How many rounds inspected it.
    pub times: usize,
    /// The start day of the latest round that did.
    pub last: Option<String>,
    /// Years since then (whole years), or `None` if never.
    pub years_since: Option<i64>,
}

/// Coverage of every unit in the actor's scope: never inspected first, then
/// longest ago.
pub async fn coverage(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<Vec<UnitCoverage>, CoreError> {
    let scope = policy::scope(actor, Action::PlanRounds)?;
    let units = store.all_units(&scope).await?;
    let mut by_unit: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for c in store.coverage().await? {
        by_unit.entry(c.unit_id).or_default().push(c.start_date);
    }
    let today = today(clock);
    let this_year: i64 = today[..4].parse().unwrap_or(0);
    let mut out: Vec<UnitCoverage> = units
        .into_iter()
        .map(|u| {
            let dates = by_unit.get(&u.id);
            let last = dates.and_then(|d| d.iter().max().cloned());
            let years_since = last
                .as_deref()
                .and_then(|d| d.get(..4)?.parse::<i64>().ok())
                .map(|y| this_year - y);
            UnitCoverage {
                times: dates.map_or(0, Vec::len),
                last,
                years_since,
                unit: u,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.last
            .is_some()
            .cmp(&b.last.is_some())
            .then(a.last.cmp(&b.last))
            .then(a.unit.path.cmp(&b.unit.path))
    });
    Ok(out)
}

/// The accounts an inspector may be linked to: users of the team roles.
pub async fn team_accounts(
    store: &dyn Store,
    actor: &Actor,
) -> Result<Vec<crate::auth::User>, CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    Ok(store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| policy::is_team_role(u.role))
        .collect())
}

/// A candidate unit with its risk score and the factors behind it.
#[derive(Debug, Clone, Serialize)]
pub struct RiskRow {
    /// The unit and its inspection history.
    pub coverage: UnitCoverage,
    /// Total score (0–100).
    pub score: f64,
    /// Each factor's value and points.
    pub factors: Vec<crate::inspection::risk::Factor>,
}

/// Every unit in the actor's scope ranked by risk, highest first (the
/// proposal for a round's targets).
pub async fn ranking(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<Vec<RiskRow>, CoreError> {
    use crate::inspection::record::{RecordFilter, RecordKind};
    use crate::inspection::risk::{score, RiskInput};
    let cov = coverage(store, clock, actor).await?;
    // Counted over every unit (from covering indexes) and then read only for
    // the units in scope, which `coverage` already holds.
    let all = crate::policy::Scope::all();
    let count = |rows: Vec<(i64, String, i64)>, status: Option<&str>| {
        let mut m: HashMap<i64, i64> = HashMap::new();
        for (unit, st, n) in rows {
            if status.is_none_or(|s| s == st) {
                *m.entry(unit).or_default() += n;
            }
        }
        m
    };
    let mut f = RecordFilter::new(RecordKind::Paper, all.clone());
    let problems = count(store.unit_record_counts(&f).await?, Some("approved"));
    f = RecordFilter::new(RecordKind::Fieldwork, all.clone());
    f.tag = Some(
        crate::inspection::fieldwork::Method::Petition
            .as_str()
            .to_owned(),
    );
    let petitions = count(store.unit_record_counts(&f).await?, None);
    f = RecordFilter::new(RecordKind::RectItem, all);
    f.due_before = Some(today(clock));
    let late = count(store.unit_record_counts(&f).await?, None);
    let mut weak_rating: HashMap<i64, i64> = HashMap::new();
    for t in store.coverage().await? {
        if matches!(t.rect_rating.as_deref(), Some("average" | "poor")) {
            *weak_rating.entry(t.unit_id).or_default() += 1;
        }
    }
    let hits = store.confirmed_hits_by_unit().await?;
    let inputs: Vec<RiskInput> = cov
        .iter()
        .map(|c| {
            let id = c.unit.id;
            let confirmed_hits = hits
                .iter()
                .filter(|(path, _)| path.starts_with(c.unit.path.as_str()))
                .map(|(_, n)| n)
                .sum();
            RiskInput {
                budget_yuan: c.unit.budget_yuan.unwrap_or(0),
                petitions: petitions.get(&id).copied().unwrap_or(0),
                past_problems: problems.get(&id).copied().unwrap_or(0),
                weak_rectification: late.get(&id).copied().unwrap_or(0)
                    + weak_rating.get(&id).copied().unwrap_or(0),
                years_since: c.years_since,
                confirmed_hits,
            }
        })
        .collect();
    let mut rows: Vec<RiskRow> = cov
        .into_iter()
        .zip(score(&inputs))
        .map(|(coverage, (score, factors))| RiskRow {
            coverage,
            score,
            factors,
        })
        .collect();
    rows.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(rows)
}

/// An inspector proposed for a team.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The inspector.
    pub inspector: crate::registry::Inspector,
    /// Skills the team lacks that this inspector brings.
    pub fills: Vec<crate::registry::Skill>,
    /// Soft conflicts with the team's targets (would need a decision).
    pub soft: Vec<Conflict>,
}

/// The skills a team should cover (纪检、组织、财务、审计、法律).
const TEAM_SKILLS: [crate::registry::Skill; 5] = [
    crate::registry::Skill::Discipline,
    crate::registry::Skill::Organisation,
    crate::registry::Skill::Finance,
    crate::registry::Skill::Audit,
    crate::registry::Skill::Law,
];

/// Proposes free inspectors for a team: those with a hard conflict with any
/// of its targets are left out; those bringing skills the team lacks come
/// first, then those without soft conflicts, then the more experienced.
pub async fn suggest_members(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    team_id: i64,
) -> Result<Vec<Suggestion>, CoreError> {
    policy::scope(actor, Action::PlanRounds)?;
    let team = team_by_id(store, team_id).await?;
    let members = store.members_of_round(team.round_id).await?;
    let pool = store.list_inspectors().await?;
    let taken: Vec<i64> = members.iter().map(|m| m.inspector_id).collect();
    let have: Vec<crate::registry::Skill> = pool
        .iter()
        .filter(|i| {
            members
                .iter()
                .any(|m| m.team_id == team_id && m.inspector_id == i.id)
        })
        .flat_map(|i| i.skills.iter().copied())
        .collect();
    let missing: Vec<crate::registry::Skill> = TEAM_SKILLS
        .into_iter()
        .filter(|s| !have.contains(s))
        .collect();
    let mut units = Vec::new();
    for t in store.targets_of(team.round_id).await? {
        if t.team_id == Some(team_id) {
            units.push(store.get_unit(t.unit_id).await?);
        }
    }
    let rules = rules(store).await?;
    let today = today(clock);
    let mut out = Vec::new();
    'pool: for insp in pool.into_iter().filter(|i| !taken.contains(&i.id)) {
        let mut soft = Vec::new();
        for unit in &units {
            let f = facts(store, insp.id, unit, &rules, &today, Vec::new()).await?;
            for c in recusal::assess(&f, &rules) {
                if c.severity == Severity::Hard {
                    continue 'pool;
                }
                soft.push(c);
            }
        }
        let fills = missing
            .iter()
            .copied()
            .filter(|s| insp.skills.contains(s))
            .collect();
        out.push(Suggestion {
            inspector: insp,
            fills,
            soft,
        });
    }
    out.sort_by(|a, b| {
        b.fills
            .len()
            .cmp(&a.fills.len())
            .then(a.soft.len().cmp(&b.soft.len()))
            .then(b.inspector.rounds_served.cmp(&a.inspector.rounds_served))
    });
    out.truncate(10);
    Ok(out)
}
