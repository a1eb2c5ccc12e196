//! Intake in the JSON API: public endpoints for tips and survey answers
//! (what a WeChat mini-program or a kiosk would call; no account, nothing
//! about the caller kept), and the handlers' lists.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use xuncha_core::i18n::{t, tf};
use xuncha_core::intake::guard::Challenge;
use xuncha_core::intake::tip::{Tip, TipReceipt, TipStatus};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::survey::{Results, Survey};
use xuncha_core::usecases::{surveys, tips};
use xuncha_core::FieldError;

use super::ApiJson;
use crate::auth::Auth;
use crate::error::AppError;
use crate::tip_upload::{self, Submitted};
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

impl TipBody {
    /// The JSON body as the fields of a multipart one (no photos).
    fn into_submitted(self) -> (i64, Submitted) {
        let mut fields = HashMap::new();
        for (k, v) in [
            ("body", self.body),
            ("named", if self.named { "1" } else { "" }.to_owned()),
            ("name", self.name),
            ("contact", self.contact),
            ("pow_token", self.pow_token),
            ("pow_nonce", self.pow_nonce),
        ] {
            fields.insert(k.to_owned(), v);
        }
        let sub = Submitted {
            fields,
            photos: Vec::new(),
        };
        (self.target_id, sub)
    }
}

/// A tip as JSON (text only), or as `multipart/form-data` with the same
/// fields and up to six `photos` — each checked and re-encoded without its
/// metadata exactly as on the public page. Nothing about the caller is read.
async fn submit_tip(
    State(state): State<AppState>,
    req: Request,
) -> Result<Json<Receipt>, AppError> {
    let invalid = |v: Vec<FieldError>| AppError::Invalid(v).json();
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("multipart/form-data"));
    let (target_id, mut sub) = if multipart {
        let mp = Multipart::from_request(req, &state).await.map_err(|e| {
            invalid(vec![FieldError::field(
                "photos",
                tf("import.upload_failed", &[("why", &e.body_text())]),
            )])
        })?;
        let max = tip_upload::max_photo_bytes(&state)
            .await
            .map_err(AppError::json)?;
        let sub = tip_upload::read_multipart(mp, max).await.map_err(invalid)?;
        let target: i64 = match sub.get("target_id").trim() {
            "" => 0,
            raw => raw.parse().map_err(|_| {
                invalid(vec![FieldError::field(
                    "target_id",
                    t("error.positive_number"),
                )])
            })?,
        };
        (target, sub)
    } else {
        let ApiJson(b) = ApiJson::<TipBody>::from_request(req, &state).await?;
        b.into_submitted()
    };
    // A form's checkbox sends "1" or "on"; a script may send "true".
    if matches!(sub.get("named").trim(), "1" | "true" | "on") {
        sub.fields.insert("named".into(), "1".into());
    }
    // The text and the photos first, the proof last: a typo does not spend
    // the challenge.
    let clean = tip_upload::check(&state, &sub).await.map_err(invalid)?;
    let shas = tip_upload::store_photos(&state, &clean)
        .await
        .map_err(AppError::json)?;
    let code = tips::submit(
        state.store.as_ref(),
        state.clock.as_ref(),
        target_id,
        &sub.input(),
        shas,
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
