//! The cross-checks (大数据碰撞) in the JSON API, for scripts that load the
//! departments' lists and run the rules on a schedule: the same use cases
//! and permission checks as the pages. An import takes the file and the
//! mapping in one request (the automatic mapping, corrected by `mapping`);
//! a run starts in the background and is followed at `/collide/runs/{id}`.

use std::collections::BTreeMap;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use xuncha_core::collide::{HitState, NewRule, RuleParams, TriageInput};
use xuncha_core::i18n::t;
use xuncha_core::registry::PageRequest;
use xuncha_core::usecases::collide as uc;
use xuncha_core::{CoreError, FieldError};

use super::{check_write, created, j, ApiJson, ApiResult};
use crate::auth::Auth;
use crate::cross_checks::CrossChecks;
use crate::error::AppError;
use crate::pages::read_multipart;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/collide/datasets", get(datasets).post(import))
        .route("/collide/datasets/registry", post(from_registry))
        .route("/collide/datasets/{name}", axum::routing::delete(remove))
        .route("/collide/datasets/{name}/problems", get(problems))
        .route("/collide/rules", get(rules).post(save_rule))
        .route("/collide/rules/preview", post(preview))
        .route("/collide/rules/{rule}", axum::routing::delete(remove_rule))
        .route("/collide/runs", post(start_run))
        .route("/collide/runs/{id}", get(run_status))
        .route("/collide/hits", get(hits))
        .route("/collide/hits/{id}", get(hit))
        .route("/collide/hits/{id}/triage", post(triage))
        .route("/collide/hits/{id}/clue", post(to_clue))
        .route("/collide/hits/{id}/paper", post(to_paper))
}

/// The engine, for those who may run cross-checks; 404 where none is set up.
fn engine(state: &AppState, auth: &Auth) -> Result<std::sync::Arc<CrossChecks>, AppError> {
    if !uc::may_run(&auth.actor) {
        return Err(AppError::Forbidden.json());
    }
    state.collide.clone().ok_or(AppError::NotFound.json())
}

async fn datasets(State(s): State<AppState>, auth: Auth) -> ApiResult {
    let cc = engine(&s, &auth)?;
    j(uc::datasets(cc.engine.as_ref(), &auth.actor))
}

/// `multipart/form-data`: `file`, `kind`, `name`, `source` (the department),
/// and optionally `mapping`, a JSON object `{"field": "header"}` that
/// corrects the automatic mapping (an empty header leaves a field out).
async fn import(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    mp: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    let cc = engine(&s, &auth)?;
    check_write(&auth, &h)?;
    let mp = mp.map_err(|e| {
        let why = format!("{}{}", t("api.bad_multipart"), e.body_text());
        AppError::Invalid(vec![FieldError::field("file", why)]).json()
    })?;
    let up = read_multipart(mp).await.map_err(AppError::json)?;
    let field = |k: &str| {
        up.fields
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mapping: BTreeMap<String, String> = match field("mapping").as_str() {
        "" => BTreeMap::new(),
        m => serde_json::from_str(m).map_err(|e| {
            AppError::Invalid(vec![FieldError::field(
                "mapping",
                format!("{}{e}", t("api.bad_json")),
            )])
            .json()
        })?,
    };
    let Some((file_name, bytes)) = up.file.filter(|(_, b)| !b.is_empty()) else {
        let e = vec![FieldError::field("file", t("collide_web.file_missing"))];
        return Err(AppError::Invalid(e).json());
    };
    let input = uc::DatasetInput {
        kind: field("kind"),
        name: field("name"),
        source_department: field("source"),
        file_name,
    };
    created(
        uc::import_dataset(
            s.store.as_ref(),
            s.clock.as_ref(),
            cc.engine.as_ref(),
            &auth.actor,
            &input,
            mapping.into_iter().collect(),
            &bytes,
        )
        .await,
    )
}

/// Makes the lists of the registry's persons and relations (replacing the last ones).
async fn from_registry(State(s): State<AppState>, auth: Auth, h: HeaderMap) -> ApiResult {
    let cc = engine(&s, &auth)?;
    check_write(&auth, &h)?;
    created(
        uc::import_registry(
            s.store.as_ref(),
            s.clock.as_ref(),
            cc.engine.as_ref(),
            &auth.actor,
        )
        .await,
    )
}

async fn remove(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult {
    let cc = engine(&s, &auth)?;
    check_write(&auth, &h)?;
    j(uc::remove_dataset(
        s.store.as_ref(),
        s.clock.as_ref(),
        cc.engine.as_ref(),
        &auth.actor,
        &name,
    )
    .await)
}

async fn problems(State(s): State<AppState>, auth: Auth, Path(name): Path<String>) -> ApiResult {
    let cc = engine(&s, &auth)?;
    j(uc::dataset_problems(cc.engine.as_ref(), &auth.actor, &name))
}

async fn rules(State(s): State<AppState>, auth: Auth) -> ApiResult {
    let cc = engine(&s, &auth)?;
    j(uc::rules(cc.engine.as_ref(), &auth.actor))
}

async fn save_rule(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    ApiJson(rule): ApiJson<NewRule>,
) -> ApiResult {
    let cc = engine(&s, &auth)?;
    check_write(&auth, &h)?;
    created(
        uc::save_rule(
            s.store.as_ref(),
            s.clock.as_ref(),
            cc.engine.as_ref(),
            &auth.actor,
            &rule,
        )
        .await,
    )
}

#[derive(Deserialize)]
struct PreviewBody {
    sql: String,
}

async fn preview(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    ApiJson(b): ApiJson<PreviewBody>,
) -> ApiResult {
    let cc = engine(&s, &auth)?;
    check_write(&auth, &h)?;
    j(uc::preview_rule(
        s.store.as_ref(),
        s.clock.as_ref(),
        cc.engine.as_ref(),
        &auth.actor,
        &b.sql,
    )
    .await)
}

async fn remove_rule(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let cc = engine(&s, &auth)?;
    check_write(&auth, &h)?;
    j(uc::remove_rule(
        s.store.as_ref(),
        s.clock.as_ref(),
        cc.engine.as_ref(),
        &auth.actor,
        &id,
    )
    .await)
}

#[derive(Deserialize, Default)]
struct RunBody {
    /// Rule ids; every rule when empty.
    #[serde(default)]
    rules: Vec<String>,
    /// Template parameters by rule id.
    #[serde(default)]
    params: RuleParams,
}

/// Starts a run: 202 with its id; follow it at `/collide/runs/{id}`.
async fn start_run(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    ApiJson(b): ApiJson<RunBody>,
) -> ApiResult {
    let cc = engine(&s, &auth)?;
    check_write(&auth, &h)?;
    uc::check_run(cc.engine.as_ref(), &auth.actor, &b.rules, &b.params)
        .map_err(|e| AppError::from(e).json())?;
    let id = cc.spawn_run(&s, auth.actor.clone(), b.rules, b.params);
    let body = serde_json::json!({ "id": id, "status": format!("/api/v1/collide/runs/{id}") });
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

async fn run_status(State(s): State<AppState>, auth: Auth, Path(id): Path<u64>) -> ApiResult {
    let cc = engine(&s, &auth)?;
    let run = cc
        .run(id, auth.actor.user_id)
        .ok_or(AppError::NotFound.json())?;
    Ok(Json(run).into_response())
}

#[derive(Deserialize)]
struct HitQuery {
    rule: Option<String>,
    state: Option<String>,
    change: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn hits(State(s): State<AppState>, auth: Auth, Query(q): Query<HitQuery>) -> ApiResult {
    let state = match q.state.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(HitState::parse(v).ok_or_else(|| {
            AppError::from(CoreError::invalid("state", t("api.bad_hit_state"))).json()
        })?),
    };
    let nonempty = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    j(uc::list(
        s.store.as_ref(),
        &auth.actor,
        nonempty(q.rule),
        state,
        nonempty(q.change),
        PageRequest::new(q.page, q.per_page),
    )
    .await)
}

async fn hit(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult {
    j(uc::get(s.store.as_ref(), &auth.actor, id).await)
}

async fn triage(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TriageInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    j(uc::triage(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &input).await)
}

#[derive(Deserialize)]
struct ClueBody {
    /// The round's target (巡察对象) the clue belongs to.
    #[serde(default)]
    target_id: i64,
    /// The clue's grade (as on the page).
    #[serde(default)]
    grade: String,
}

async fn to_clue(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ClueBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let made = uc::to_clue(
        s.store.as_ref(),
        s.clock.as_ref(),
        &auth.actor,
        id,
        b.target_id,
        &b.grade,
    )
    .await
    .map(|(hit, clue_id)| serde_json::json!({ "hit": hit, "clue_id": clue_id }));
    created(made)
}

async fn to_paper(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<uc::HitPaperInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let made = uc::to_paper(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &input)
        .await
        .map(|(hit, paper_id)| serde_json::json!({ "hit": hit, "paper_id": paper_id }));
    created(made)
}
