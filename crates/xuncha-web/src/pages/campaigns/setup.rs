//! Setting a campaign up (the office): targets typed as room lists or taken
//! from the registry, teams with duties, assignments, household lists.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::campaign::{Campaign, CampaignKind, CampaignTarget, CampaignTeam};
use xuncha_core::i18n::{t, tf};
use xuncha_core::policy::{self, Action};
use xuncha_core::registry::UnitKind;
use xuncha_core::usecases::campaigns::{self as uc, setup};
use xuncha_core::{CoreError, FieldError};

use super::overview::{team_name, tree_rows, TreeRow};
use super::{read_upload, shell, Values};
use crate::auth::Auth;
use crate::error::AppError;
use crate::pages::rounds::{field, Sticky};
use crate::pages::see_other;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/setup", get(page))
        .route("/campaigns/{id}/targets", post(add_targets))
        .route("/campaigns/{id}/units", post(add_units))
        .route("/campaigns/{id}/teams", post(add_team))
        .route("/campaigns/{id}/assign", post(assign))
        .route("/campaigns/{id}/households", post(households))
}

#[derive(Template)]
#[template(path = "campaign_setup.html")]
struct SetupPage {
    shell: Shell,
    c: Campaign,
    rows: Vec<TreeRow>,
    leaves: Vec<(i64, String, String)>,
    teams: Vec<CampaignTeam>,
    units: Vec<(i64, String)>,
    sticky: Sticky,
    notice: String,
}

impl SetupPage {
    fn checklist(&self) -> bool {
        self.c.kind == CampaignKind::Checklist
    }
    fn indent(&self, depth: &usize) -> usize {
        (*depth).min(8)
    }
}

#[derive(serde::Deserialize, Default)]
struct Done {
    #[serde(default)]
    done: String,
    #[serde(default)]
    n: String,
}

async fn render(
    state: &AppState,
    auth: &Auth,
    id: i64,
    sticky: Sticky,
    notice: String,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let l = uc::load(s, &auth.actor, id).await?;
    if !l.access.manage {
        return Err(AppError::Forbidden);
    }
    let c = l.campaign;
    let targets: Vec<CampaignTarget> = s.campaign_targets(id, None).await?;
    let teams = s.campaign_teams(id).await?;
    // Registry units offered: below the organising unit, in the actor's reach.
    let scope = policy::scope(&auth.actor, Action::ManageCampaigns)?;
    let all = s.all_units(&scope).await?;
    let wanted = |k: UnitKind| match c.kind {
        CampaignKind::Visit => matches!(
            k,
            UnitKind::Township | UnitKind::Village | UnitKind::Community
        ),
        CampaignKind::Checklist => true,
    };
    let below: Vec<_> = all
        .into_iter()
        .filter(|u| u.path.starts_with(&c.unit_path) && u.path != c.unit_path && wanted(u.kind))
        .collect();
    let places = xuncha_core::usecases::campaigns::views::Places::new(&targets);
    let leaves = targets
        .iter()
        .filter(|t| t.level.is_leaf())
        .take(2000)
        .map(|t| (t.id, places.of(t.id), team_name(&teams, t.team_id)))
        .collect();
    let failed = sticky.failed_any();
    crate::pages::rounds::answer(
        html(&SetupPage {
            shell: shell(auth, t("campaign.setup")),
            rows: tree_rows(&targets, &teams),
            leaves,
            units: crate::pages::unit_choices(&below),
            teams,
            sticky,
            notice,
            c,
        }),
        failed,
    )
}

async fn page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<Response, AppError> {
    let notice = match q.done.as_str() {
        "" => String::new(),
        k => tf(&format!("campaign.done_{k}"), &[("n", &q.n)]),
    };
    render(&state, &auth, id, Sticky::default(), notice).await
}

/// After a change: back to the page with a notice, or the form again with
/// what was typed and why it was refused.
async fn after(
    state: &AppState,
    auth: &Auth,
    id: i64,
    form: &str,
    values: Values,
    result: Result<usize, CoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(n) => Ok(see_other(&format!(
            "/campaigns/{id}/setup?done={form}&n={n}"
        ))),
        Err(CoreError::Invalid(e)) => {
            render(
                state,
                auth,
                id,
                Sticky::failed(form, values, e),
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_targets(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&v, "csrf"))?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let r = setup::add_targets(s, c, &auth.actor, id, &field(&v, "targets")).await;
    after(&state, &auth, id, "targets", v, r).await
}

/// The ids of the checked boxes named `name` (`name=3&name=5`).
fn ids(raw: &[(String, String)], name: &str) -> Vec<i64> {
    raw.iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}

async fn add_units(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(raw): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let v: Values = raw.iter().cloned().collect();
    auth.check_csrf(&field(&v, "csrf"))?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let r = setup::add_units(s, c, &auth.actor, id, &ids(&raw, "unit_ids")).await;
    after(&state, &auth, id, "units", v, r).await
}

async fn add_team(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&v, "csrf"))?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let r = setup::add_team(
        s,
        c,
        &auth.actor,
        id,
        &field(&v, "name"),
        &field(&v, "members"),
    )
    .await
    .map(|_| 1);
    after(&state, &auth, id, "team", v, r).await
}

async fn assign(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(raw): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let v: Values = raw.iter().cloned().collect();
    auth.check_csrf(&field(&v, "csrf"))?;
    let targets = ids(&raw, "target_ids");
    let team = crate::pages::opt_id(&field(&v, "team_id"));
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let planned = field(&v, "planned_on");
    let r = setup::assign_and_plan(s, c, &auth.actor, id, &targets, team, &planned)
        .await
        .map(|_| targets.len());
    after(&state, &auth, id, "assign", v, r).await
}

async fn households(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    // Household lists are big: allow ten times the photo limit.
    let max = super::max_upload(&state).await? * 10;
    let up = match read_upload(mp, max).await {
        Ok(u) => u,
        Err(e) => {
            return after(
                &state,
                &auth,
                id,
                "households",
                Values::new(),
                Err(CoreError::Invalid(vec![e])),
            )
            .await
        }
    };
    auth.check_csrf(&up.get("csrf"))?;
    let Some((_, name, bytes)) = up.files("file").first().map(|f| (*f).clone()) else {
        let e = FieldError::field("file", t("import.no_file"));
        return after(
            &state,
            &auth,
            id,
            "households",
            up.fields,
            Err(CoreError::Invalid(vec![e])),
        )
        .await;
    };
    let table =
        match tokio::task::spawn_blocking(move || xuncha_office::read_table(&bytes, &name)).await {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => {
                let e = FieldError::field("file", e.to_string());
                return after(
                    &state,
                    &auth,
                    id,
                    "households",
                    up.fields,
                    Err(CoreError::Invalid(vec![e])),
                )
                .await;
            }
            Err(_) => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "reading the list failed"
                )))
            }
        };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let r = setup::import_households(s, c, &auth.actor, id, &table)
        .await
        .map(|r| r.created);
    after(&state, &auth, id, "households", up.fields, r).await
}
