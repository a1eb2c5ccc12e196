//! The round in the JSON API: the same use cases as the pages.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use xuncha_core::inspection::fieldwork::FieldworkInput;
use xuncha_core::inspection::paper::{PaperInput, PaperStep};
use xuncha_core::inspection::record::RecordKind;
use xuncha_core::inspection::rectification::RectItemInput;
use xuncha_core::inspection::report::{FeedbackInput, ReportKind};
use xuncha_core::inspection::{RoundInput, TeamRole};
use xuncha_core::registry::PageRequest;
use xuncha_core::usecases::rounds::outcome::{self, TransferInput};
use xuncha_core::usecases::rounds::{plan, work};
use xuncha_core::CoreError;

use super::{check_write, created, done, j, ApiJson, ApiResult};
use crate::auth::Auth;
use crate::error::AppError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rounds", get(list_rounds).post(create_round))
        .route("/rounds/{id}", get(get_round))
        .route("/rounds/{id}/circular", get(circular))
        .route("/rounds/{id}/ledger/{kind}", get(ledger))
        .route("/rounds/{id}/targets", post(add_target))
        .route("/rounds/{id}/teams", post(create_team))
        .route("/teams/{id}/members", post(add_member))
        .route("/targets/{id}", get(workspace))
        .route("/targets/{id}/team", post(assign_team))
        .route("/targets/{id}/fieldwork", post(add_fieldwork))
        .route("/targets/{id}/papers", post(create_paper))
        .route("/targets/{id}/clues", post(create_clue))
        .route("/targets/{id}/reports", post(compose_report))
        .route("/targets/{id}/feedback", post(give_feedback))
        .route("/targets/{id}/rectification", get(rectification))
        .route("/targets/{id}/rect-items", post(add_rect_item))
        .route("/papers/{id}/steps", post(paper_step))
        .route("/reports/{id}/submit", post(submit_report))
        .route("/reports/{id}/decision", post(decide_report))
        .route("/transfers", get(list_transfers).post(transfer))
        .route("/transfers/{id}/receive", post(receive))
        .route("/transfers/{id}/disposal", post(disposal))
        .route("/rect-items/{id}/progress", post(progress))
        .route("/rect-items/{id}/verification", post(verify))
}

async fn list_rounds(State(s): State<AppState>, auth: Auth) -> ApiResult {
    j(plan::list_rounds(s.store.as_ref(), &auth.actor).await)
}

async fn create_round(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    ApiJson(input): ApiJson<RoundInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(plan::create_round(s.store.as_ref(), s.clock.as_ref(), &auth.actor, &input).await)
}

async fn get_round(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult {
    j(plan::view_round(s.store.as_ref(), &auth.actor, id).await)
}

async fn circular(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult {
    j(outcome::circular(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id).await)
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn ledger(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, kind)): Path<(i64, String)>,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    let kind = RecordKind::parse(&kind).ok_or_else(|| AppError::NotFound.json())?;
    let page = outcome::ledger(
        s.store.as_ref(),
        &auth.actor,
        Some(id),
        kind,
        PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| AppError::from(e).json())?;
    let items: Vec<serde_json::Value> = page
        .items
        .into_iter()
        .map(|r| {
            let data: serde_json::Value = serde_json::from_str(&r.data).unwrap_or_default();
            serde_json::json!({ "meta": r.meta, "data": data })
        })
        .collect();
    Ok(Json(serde_json::json!({ "items": items, "total": page.total, "total_capped": page.total_capped })).into_response())
}

#[derive(Deserialize)]
struct UnitBody {
    unit_id: i64,
}

async fn add_target(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<UnitBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(
        plan::add_target(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            b.unit_id,
        )
        .await,
    )
}

#[derive(Deserialize)]
struct NameBody {
    name: String,
}

async fn create_team(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<NameBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(plan::create_team(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &b.name).await)
}

#[derive(Deserialize)]
struct MemberBody {
    inspector_id: i64,
    role: String,
}

async fn add_member(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<MemberBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let role = TeamRole::parse(&b.role).ok_or_else(|| {
        AppError::from(CoreError::invalid(
            "role",
            xuncha_core::i18n::t("error.team_role"),
        ))
        .json()
    })?;
    created(
        plan::add_member(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            b.inspector_id,
            role,
        )
        .await
        .map(|(m, o)| serde_json::json!({ "member": m, "pending_recusals": o.pending })),
    )
}

#[derive(Deserialize)]
struct TeamBody {
    team_id: Option<i64>,
}

async fn assign_team(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<TeamBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    j(plan::assign_team(
        s.store.as_ref(),
        s.clock.as_ref(),
        &auth.actor,
        id,
        b.team_id,
    )
    .await
    .map(|(t, o)| serde_json::json!({ "target": t, "pending_recusals": o.pending })))
}

async fn workspace(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult {
    j(work::workspace(s.store.as_ref(), &auth.actor, id).await)
}

async fn add_fieldwork(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FieldworkInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(
        work::add_fieldwork(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &b)
            .await
            .map(|(id, warnings)| serde_json::json!({ "id": id, "warnings": warnings })),
    )
}

async fn create_paper(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PaperInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(
        work::create_paper(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &b)
            .await
            .map(|id| serde_json::json!({ "id": id })),
    )
}

async fn create_clue(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<work::ClueInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(
        work::create_clue(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &b)
            .await
            .map(|id| serde_json::json!({ "id": id })),
    )
}

#[derive(Deserialize)]
struct StepBody {
    step: String,
    #[serde(default)]
    reason: String,
}

async fn paper_step(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<StepBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let step = match b.step.as_str() {
        "sign" => PaperStep::Sign,
        "review" => PaperStep::Review,
        "approve" => PaperStep::Approve,
        "return" => PaperStep::Return(b.reason),
        _ => {
            return Err(AppError::from(CoreError::invalid(
                "step",
                xuncha_core::i18n::t("error.paper_step"),
            ))
            .json())
        }
    };
    done(work::paper_step(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, step).await)
}

#[derive(Deserialize)]
struct KindBody {
    kind: String,
}

async fn compose_report(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<KindBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let kind = ReportKind::parse(&b.kind).unwrap_or(ReportKind::Final);
    created(
        outcome::compose_report(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, kind)
            .await
            .map(|id| serde_json::json!({ "id": id })),
    )
}

async fn submit_report(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult {
    check_write(&auth, &h)?;
    done(outcome::submit_report(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id).await)
}

#[derive(Deserialize)]
struct DecisionBody {
    approve: bool,
    #[serde(default)]
    reason: String,
}

async fn decide_report(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    done(
        outcome::decide_report(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            b.approve,
            &b.reason,
        )
        .await,
    )
}

async fn give_feedback(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FeedbackInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(
        outcome::give_feedback(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &b)
            .await
            .map(|id| serde_json::json!({ "id": id })),
    )
}

async fn list_transfers(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    j(outcome::transfers(
        s.store.as_ref(),
        &auth.actor,
        PageRequest::new(q.page, q.per_page),
    )
    .await)
}

async fn transfer(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    ApiJson(b): ApiJson<TransferInput>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(
        outcome::transfer(s.store.as_ref(), s.clock.as_ref(), &auth.actor, &b)
            .await
            .map(|id| serde_json::json!({ "id": id })),
    )
}

async fn receive(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult {
    check_write(&auth, &h)?;
    done(outcome::receive_transfer(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id).await)
}

#[derive(Deserialize)]
struct DisposalBody {
    disposal: String,
    four_forms: String,
    feedback: String,
}

async fn disposal(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DisposalBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    done(
        outcome::report_transfer(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            &b.disposal,
            &b.four_forms,
            &b.feedback,
        )
        .await,
    )
}

async fn rectification(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult {
    j(outcome::rectification(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id).await)
}

#[derive(Deserialize)]
struct RectItemBody {
    #[serde(default)]
    paper_id: Option<i64>,
    #[serde(flatten)]
    item: RectItemInput,
}

async fn add_rect_item(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RectItemBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    created(
        outcome::add_rect_item(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            b.paper_id,
            &b.item,
        )
        .await
        .map(|id| serde_json::json!({ "id": id })),
    )
}

#[derive(Deserialize)]
struct ProgressBody {
    note: String,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    evidence: Vec<String>,
}

async fn progress(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ProgressBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    done(
        outcome::report_progress(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            &b.note,
            b.evidence,
            b.done,
        )
        .await,
    )
}

#[derive(Deserialize)]
struct VerifyBody {
    accept: bool,
    #[serde(default)]
    reason: String,
}

async fn verify(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<VerifyBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    done(
        outcome::verify_item(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            b.accept,
            &b.reason,
        )
        .await,
    )
}
