//! Rounds, their targets and teams, recusal, and coverage.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::i18n::t;
use xuncha_core::inspection::recusal::Conflict;
use xuncha_core::inspection::{
    RecusalDecision, Round, RoundInput, RoundKind, RoundStatus, TeamRole,
};
use xuncha_core::policy::{role_allows, Action};
use xuncha_core::registry::Inspector;
use xuncha_core::usecases::registry;
use xuncha_core::usecases::rounds::plan::{self, RiskRow, RoundView};
use xuncha_core::CoreError;

use super::{field, id_field, Sticky};
use crate::auth::Auth;
use crate::error::AppError;
use crate::pages::{see_other, unit_choices};
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rounds", get(rounds_page).post(create_round))
        .route("/rounds/{id}", get(round_page))
        .route("/rounds/{id}/status", post(set_status))
        .route("/rounds/{id}/targets", post(add_target))
        .route("/rounds/{id}/teams", post(create_team))
        .route("/rounds/{id}/members", post(add_member))
        .route("/rounds/{id}/members/{mid}/remove", post(remove_member))
        .route("/rounds/{id}/members/{mid}/sign", post(sign))
        .route("/rounds/{id}/targets/{tid}/team", post(assign_team))
        .route("/rounds/{id}/recusals/{rid}", post(decide))
        .route("/coverage", get(coverage_page))
}

type Values = HashMap<String, String>;

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    shell: Shell,
    rounds: Vec<Round>,
    can_plan: bool,
    kinds: Vec<(&'static str, &'static str)>,
    sticky: Sticky,
}

async fn render_rounds(
    state: &AppState,
    auth: &Auth,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let rounds = plan::list_rounds(state.store.as_ref(), &auth.actor).await?;
    let failed = sticky.failed_any();
    super::answer(
        html(&RoundsPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/rounds",
                t("rounds.title"),
            ),
            rounds,
            can_plan: role_allows(auth.actor.role, Action::PlanRounds),
            kinds: RoundKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect(),
            sticky,
        }),
        failed,
    )
}

async fn rounds_page(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    render_rounds(&state, &auth, Sticky::default()).await
}

/// Re-renders with the form's errors, or fails for anything but bad input.
fn refill(form: &str, values: Values, e: CoreError) -> Result<Sticky, AppError> {
    match e {
        CoreError::Invalid(v) => Ok(Sticky::failed(form, values, v)),
        e => Err(e.into()),
    }
}

async fn create_round(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let input = RoundInput {
        term: field(&f, "term"),
        number: field(&f, "number"),
        kind: field(&f, "kind"),
        title: field(&f, "title"),
        start_date: field(&f, "start_date"),
        end_date: field(&f, "end_date"),
    };
    match plan::create_round(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        &input,
    )
    .await
    {
        Ok(r) => Ok(see_other(&format!("/rounds/{}", r.id))),
        Err(e) => render_rounds(&state, &auth, refill("round", f, e)?).await,
    }
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    shell: Shell,
    view: RoundView,
    inspectors: Vec<Inspector>,
    units: Vec<(i64, String)>,
    roles: Vec<(&'static str, &'static str)>,
    check: Option<(String, String, Vec<Conflict>)>,
    suggestions: Option<(String, Vec<plan::Suggestion>)>,
    sticky: Sticky,
}

impl RoundPage {
    fn is_team(&self, team: &Option<i64>, id: &i64) -> bool {
        *team == Some(*id)
    }
    fn team_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.view.teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }
    fn members_of(&self, team: &i64) -> Vec<&xuncha_core::inspection::TeamMember> {
        self.view
            .members
            .iter()
            .filter(|m| m.team_id == *team)
            .collect()
    }
}

#[derive(serde::Deserialize, Default)]
struct CheckQuery {
    #[serde(default)]
    check_inspector: Option<String>,
    #[serde(default)]
    check_unit: Option<String>,
    #[serde(default)]
    suggest: Option<i64>,
}

async fn render_round(
    state: &AppState,
    auth: &Auth,
    id: i64,
    sticky: Sticky,
    q: CheckQuery,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let view = plan::view_round(s, &auth.actor, id).await?;
    let (inspectors, units) = if view.can_plan {
        let units = registry::unit_tree(s, &auth.actor).await?;
        (
            registry::list_inspectors(s, &auth.actor).await?,
            unit_choices(&units),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let check = match (
        q.check_inspector
            .as_deref()
            .and_then(|v| v.parse::<i64>().ok()),
        q.check_unit.as_deref().and_then(|v| v.parse::<i64>().ok()),
    ) {
        (Some(i), Some(u)) if view.can_plan => {
            let conflicts =
                plan::check_conflicts(s, state.clock.as_ref(), &auth.actor, i, u).await?;
            let iname = inspectors
                .iter()
                .find(|x| x.id == i)
                .map(|x| x.person_name.clone())
                .unwrap_or_default();
            let uname = units
                .iter()
                .find(|x| x.0 == u)
                .map(|x| x.1.trim().to_owned())
                .unwrap_or_default();
            Some((iname, uname, conflicts))
        }
        _ => None,
    };
    let suggestions = match q.suggest {
        Some(team) if view.can_plan => {
            let name = view
                .teams
                .iter()
                .find(|t| t.id == team)
                .map(|t| t.name.clone())
                .unwrap_or_default();
            let list = plan::suggest_members(s, state.clock.as_ref(), &auth.actor, team).await?;
            Some((name, list))
        }
        _ => None,
    };
    let title = view.round.title.clone();
    let failed = sticky.failed_any();
    super::answer(
        html(&RoundPage {
            shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/rounds", &title),
            view,
            inspectors,
            units,
            roles: TeamRole::ALL
                .iter()
                .map(|r| (r.as_str(), r.label()))
                .collect(),
            check,
            suggestions,
            sticky,
        }),
        failed,
    )
}

async fn round_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<CheckQuery>,
) -> Result<Response, AppError> {
    render_round(&state, &auth, id, Sticky::default(), q).await
}

/// Runs a planning change: back to the round page, or the page again with
/// the form's errors and what was typed.
async fn planning<F, Fut, T>(
    state: &AppState,
    auth: &Auth,
    id: i64,
    form: &str,
    values: Values,
    run: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, CoreError>>,
{
    auth.check_csrf(&field(&values, "csrf"))?;
    match run().await {
        Ok(_) => Ok(see_other(&format!("/rounds/{id}"))),
        Err(e) => {
            render_round(
                state,
                auth,
                id,
                refill(form, values, e)?,
                CheckQuery::default(),
            )
            .await
        }
    }
}

async fn set_status(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let status = RoundStatus::parse(&field(&f, "status")).ok_or(AppError::NotFound)?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    planning(&state, &auth, id, "status", f.clone(), || {
        plan::set_status(s, c, &auth.actor, id, status)
    })
    .await
}

async fn add_target(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let unit = id_field(&f, "unit_id").unwrap_or(0);
    planning(&state, &auth, id, "target", f.clone(), || {
        plan::add_target(s, c, &auth.actor, id, unit)
    })
    .await
}

async fn create_team(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let name = field(&f, "name");
    planning(&state, &auth, id, "team", f.clone(), || {
        plan::create_team(s, c, &auth.actor, id, &name)
    })
    .await
}

async fn add_member(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let team = id_field(&f, "team_id").unwrap_or(0);
    let inspector = id_field(&f, "inspector_id").unwrap_or(0);
    let role = TeamRole::parse(&field(&f, "role")).unwrap_or(TeamRole::Member);
    planning(&state, &auth, id, "member", f.clone(), || {
        plan::add_member(s, c, &auth.actor, team, inspector, role)
    })
    .await
}

async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, mid)): Path<(i64, i64)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    planning(&state, &auth, id, "remove", f.clone(), || {
        plan::remove_member(s, c, &auth.actor, mid)
    })
    .await
}

async fn sign(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, mid)): Path<(i64, i64)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let statement = field(&f, "what") == "statement";
    planning(&state, &auth, id, "sign", f.clone(), || {
        plan::sign(s, c, &auth.actor, id, mid, statement)
    })
    .await
}

async fn assign_team(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, tid)): Path<(i64, i64)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let team = id_field(&f, "team_id");
    planning(
        &state,
        &auth,
        id,
        &format!("assign-{tid}"),
        f.clone(),
        || plan::assign_team(s, c, &auth.actor, tid, team),
    )
    .await
}

async fn decide(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, rid)): Path<(i64, i64)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let decision =
        RecusalDecision::parse(&field(&f, "decision")).unwrap_or(RecusalDecision::Pending);
    let reason = field(&f, "reason");
    planning(
        &state,
        &auth,
        id,
        &format!("recusal-{rid}"),
        f.clone(),
        || plan::decide_recusal(s, c, &auth.actor, id, rid, decision, &reason),
    )
    .await
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct CoveragePage {
    shell: Shell,
    rows: Vec<RiskRow>,
    never: usize,
    stale: usize,
    weights: Vec<(&'static str, f64)>,
}

impl CoveragePage {
    fn money(&self, v: &i64) -> String {
        crate::render::yuan(&Some(*v))
    }
}

async fn coverage_page(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let rows = plan::ranking(state.store.as_ref(), state.clock.as_ref(), &auth.actor).await?;
    let never = rows.iter().filter(|r| r.coverage.times == 0).count();
    let stale = rows
        .iter()
        .filter(|r| r.coverage.years_since.is_some_and(|y| y >= 3))
        .count();
    html(&CoveragePage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/coverage",
            t("coverage.title"),
        ),
        rows,
        never,
        stale,
        weights: xuncha_core::inspection::risk::WEIGHTS
            .iter()
            .map(|(k, w)| (t(k), *w))
            .collect(),
    })
}
