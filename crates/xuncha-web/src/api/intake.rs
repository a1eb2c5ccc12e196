//! Intake in the JSON API: public endpoints for tips and survey answers
//! (what a WeChat mini-program or a kiosk would call; no account, nothing
//! about the caller kept), and the handlers' lists.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use xuncha_core::intake::guard::Challenge;
use xuncha_core::intake::tip::{Tip, TipInput, TipReceipt, TipStatus};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::survey::{Results, Survey};
use xuncha_core::usecases::{surveys, tips};
use xuncha_core::FieldError;

use super::ApiJson;
use crate::auth::Auth;
use crate::error::AppError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/public/tips/challenge", get(challenge))
        .route("/public/tips", post(submit_tip))
        .route("/public/tips/receipt", post(receipt))
        .route("/public/surveys/answer", post(answer))
        .route("/tips", get(list_tips))
        .route("/tips/{id}", get(get_tip))
        .route("/surveys", get(list_surveys))
        .route("/surveys/{id}/results", get(results))
}

async fn challenge(State(state): State<AppState>) -> Result<Json<Challenge>, AppError> {
    let s = xuncha_core::usecases::settings::effective(state.store.as_ref())
        .await
        .map_err(|e| AppError::from(e).json())?;
    Ok(Json(state.guard.challenge(
        state.clock.now_ms(),
        s.get_int("tips.pow_bits").clamp(0, 24) as u32,
        s.get_int("tips.surge_per_minute").max(1) as u32,
    )))
}

#[derive(Deserialize, Default)]
struct TipBody {
    #[serde(default)]
    target_id: i64,
    #[serde(default)]
    body: String,
    #[serde(default)]
    named: bool,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    pow_token: String,
    #[serde(default)]
    pow_nonce: String,
}

#[derive(Serialize)]
struct Receipt {
    /// Shown once; only its hash is kept.
    receipt_code: String,
}

/// A tip without photos (photos go through the page, which strips them).
async fn submit_tip(
    State(state): State<AppState>,
    ApiJson(b): ApiJson<TipBody>,
) -> Result<Json<Receipt>, AppError> {
    let input = TipInput {
        body: b.body,
        named: if b.named { "1" } else { "" }.into(),
        name: b.name,
        contact: b.contact,
    };
    // The text first, the proof last: a typo does not spend the challenge.
    input.validate().map_err(|e| AppError::from(e).json())?;
    state
        .guard
        .verify(&b.pow_token, &b.pow_nonce, state.clock.now_ms())
        .map_err(|e| {
            AppError::Invalid(vec![FieldError::field(
                "pow",
                xuncha_core::i18n::t(e.message_key()),
            )])
            .json()
        })?;
    let code = tips::submit(
        state.store.as_ref(),
        state.clock.as_ref(),
        b.target_id,
        &input,
        Vec::new(),
    )
    .await
    .map_err(|e| AppError::from(e).json())?;
    Ok(Json(Receipt {
        receipt_code: code.display(),
    }))
}

#[derive(Deserialize, Default)]
struct CodeBody {
    #[serde(default)]
    code: String,
}

async fn receipt(
    State(state): State<AppState>,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<Json<TipReceipt>, AppError> {
    let tip = tips::by_receipt(state.store.as_ref(), &b.code)
        .await
        .map_err(|e| AppError::from(e).json())?;
    Ok(Json(tip.receipt()))
}

#[derive(Deserialize, Default)]
struct AnswerBody {
    #[serde(default)]
    code: String,
    /// Field names as on the page: `q0s1`, `q1`, `q2o0`.
    #[serde(default)]
    answers: HashMap<String, String>,
}

#[derive(Serialize)]
struct Answered {
    survey: String,
}

async fn answer(
    State(state): State<AppState>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<Json<Answered>, AppError> {
    let s = surveys::answer(
        state.store.as_ref(),
        state.clock.as_ref(),
        &b.code,
        &b.answers,
    )
    .await
    .map_err(|e| AppError::from(e).json())?;
    Ok(Json(Answered {
        survey: s.form.title,
    }))
}

#[derive(Deserialize)]
struct TipQuery {
    status: Option<String>,
    round_id: Option<i64>,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Serialize)]
struct TipPage {
    items: Vec<Tip>,
    total: i64,
}

async fn list_tips(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<TipQuery>,
) -> Result<Json<TipPage>, AppError> {
    let status = q.status.as_deref().and_then(TipStatus::parse);
    let page: Page<Tip> = tips::inbox(
        state.store.as_ref(),
        &auth.actor,
        status,
        q.round_id,
        PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| AppError::from(e).json())?;
    Ok(Json(TipPage {
        items: page.items,
        total: page.total,
    }))
}

/// One tip with its exchange; never the tipster's identity (that is the
/// page's audited view).
async fn get_tip(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Tip>, AppError> {
    Ok(Json(
        tips::get(state.store.as_ref(), &auth.actor, id)
            .await
            .map_err(|e| AppError::from(e).json())?,
    ))
}

async fn list_surveys(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<Survey>>, AppError> {
    Ok(Json(
        surveys::list(state.store.as_ref(), &auth.actor)
            .await
            .map_err(|e| AppError::from(e).json())?,
    ))
}

#[derive(Serialize)]
struct SurveyResults {
    survey: Survey,
    results: Results,
}

async fn results(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<SurveyResults>, AppError> {
    let (survey, results) = surveys::results(state.store.as_ref(), &auth.actor, id)
        .await
        .map_err(|e| AppError::from(e).json())?;
    Ok(Json(SurveyResults { survey, results }))
}
