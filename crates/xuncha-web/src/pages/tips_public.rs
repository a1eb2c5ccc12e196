//! The public side of 码上巡察: pages anyone may open without an account.
//!
//! Nothing here reads the caller's address, user agent or cookies, and no
//! response sets a cookie; pages are not cached and send no referrer. The
//! only anti-flood measure is the proof-of-work challenge of
//! [`xuncha_core::intake::guard`], solved by `app.js` before the form goes.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use xuncha_core::i18n::tf;
use xuncha_core::inspection::{Round, Target};
use xuncha_core::intake::guard::Challenge;
use xuncha_core::intake::tip::{Tip, TipReceipt};
use xuncha_core::usecases::{settings, tips as uc};
use xuncha_core::{CoreError, FieldError};

use crate::error::AppError;
use crate::render::html;
use crate::tip_upload;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tip/r/{round_id}", get(round_page))
        .route("/tip/challenge", get(challenge))
        .route("/tip/check", get(check_page).post(check))
        .route("/tip/check/reply", post(tipster_reply))
        .route("/tip/{target_id}", get(form_page).post(submit))
}

/// Headers of every public answer: never cached, no referrer.
fn private(res: Response) -> Response {
    let mut res = res;
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    res
}

/// A fresh challenge at the current difficulty.
async fn new_challenge(state: &AppState) -> Result<Challenge, AppError> {
    let s = settings::effective(state.store.as_ref()).await?;
    Ok(state.guard.challenge(
        state.clock.now_ms(),
        s.get_int("tips.pow_bits").clamp(0, 24) as u32,
        s.get_int("tips.surge_per_minute").max(1) as u32,
    ))
}

async fn challenge(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(private(Json(new_challenge(&state).await?).into_response()))
}

#[derive(Template)]
#[template(path = "tip_round.html")]
struct RoundPage {
    round: Round,
    targets: Vec<Target>,
}

async fn round_page(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
) -> Result<Response, AppError> {
    let (round, targets) = uc::public_round(state.store.as_ref(), round_id)
        .await
        .map_err(closed)?;
    Ok(private(html(&RoundPage { round, targets })?))
}

/// A finished round or an unknown id: the same plain "not found".
fn closed(e: CoreError) -> AppError {
    e.into()
}

#[derive(Template)]
#[template(path = "tip_form.html")]
struct FormPage {
    round: Round,
    target: Target,
    challenge: Challenge,
    values: HashMap<String, String>,
    errors: Vec<FieldError>,
    max_mb: i64,
    had_photos: bool,
}

impl FormPage {
    fn lead(&self) -> String {
        tf(
            "tip_public.unit_lead",
            &[
                ("round", &self.round.title),
                ("unit", &self.target.unit_name),
            ],
        )
    }
    fn photos_label(&self) -> String {
        tf("tip_public.photos", &[("mb", &self.max_mb.to_string())])
    }
    fn v(&self, k: &str) -> String {
        self.values.get(k).cloned().unwrap_or_default()
    }
    fn err(&self, k: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == k)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("；")
    }
}

async fn render_form(
    state: &AppState,
    target_id: i64,
    values: HashMap<String, String>,
    errors: Vec<FieldError>,
    had_photos: bool,
) -> Result<Response, AppError> {
    let p = uc::public_target(state.store.as_ref(), target_id)
        .await
        .map_err(closed)?;
    let max_mb = settings::effective(state.store.as_ref())
        .await?
        .get_int("upload.max_mb");
    let failed = !errors.is_empty();
    let res = html(&FormPage {
        round: p.round,
        target: p.target,
        challenge: new_challenge(state).await?,
        values,
        errors,
        max_mb,
        had_photos,
    })?;
    let mut res = private(res);
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn form_page(
    State(state): State<AppState>,
    Path(target_id): Path<i64>,
) -> Result<Response, AppError> {
    render_form(&state, target_id, HashMap::new(), Vec::new(), false).await
}

#[derive(Template)]
#[template(path = "tip_done.html")]
struct DonePage {
    code: String,
    unit_name: String,
}

async fn submit(
    State(state): State<AppState>,
    Path(target_id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let max_bytes = tip_upload::max_photo_bytes(&state).await?;
    let sub = match tip_upload::read_multipart(mp, max_bytes).await {
        Ok(s) => s,
        Err(errors) => return render_form(&state, target_id, HashMap::new(), errors, true).await,
    };
    let had_photos = !sub.photos.is_empty();
    let clean = match tip_upload::check(&state, &sub).await {
        Ok(c) => c,
        Err(errors) => {
            return render_form(&state, target_id, sub.fields, errors, had_photos).await;
        }
    };
    let shas = tip_upload::store_photos(&state, &clean).await?;
    let input = sub.input();
    match uc::submit(
        state.store.as_ref(),
        state.clock.as_ref(),
        target_id,
        &input,
        shas,
    )
    .await
    {
        Ok(code) => {
            let p = uc::public_target(state.store.as_ref(), target_id).await?;
            Ok(private(html(&DonePage {
                code: code.display(),
                unit_name: p.target.unit_name,
            })?))
        }
        Err(CoreError::Invalid(errors)) => {
            render_form(&state, target_id, sub.fields, errors, had_photos).await
        }
        Err(e) => Err(closed(e)),
    }
}

#[derive(Template)]
#[template(path = "tip_check.html")]
struct CheckPage {
    code: String,
    receipt: Option<TipReceipt>,
    error: String,
    message: String,
}

async fn check_page() -> Result<Response, AppError> {
    Ok(private(html(&CheckPage {
        code: String::new(),
        receipt: None,
        error: String::new(),
        message: String::new(),
    })?))
}

#[derive(serde::Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

fn check_answer(
    code: &str,
    found: Result<Tip, CoreError>,
    message: &str,
) -> Result<Response, AppError> {
    let (receipt, error) = match found {
        Ok(tip) => (Some(tip.receipt()), String::new()),
        Err(CoreError::Invalid(v)) => (
            None,
            v.into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("；"),
        ),
        Err(e) => return Err(e.into()),
    };
    let failed = !error.is_empty();
    let mut res = private(html(&CheckPage {
        code: code.trim().to_owned(),
        receipt,
        error,
        message: if failed {
            message.to_owned()
        } else {
            String::new()
        },
    })?);
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// The code travels in the form body, never in the address (which proxies
/// and browsers keep in their histories).
async fn check(
    State(state): State<AppState>,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    let found = uc::by_receipt(state.store.as_ref(), &f.code).await;
    check_answer(&f.code, found, "")
}

async fn tipster_reply(
    State(state): State<AppState>,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    match uc::tipster_message(s, state.clock.as_ref(), &f.code, &f.message).await {
        Ok(tip) => check_answer(&f.code, Ok(tip), ""),
        // A bad message keeps the exchange on screen with what was typed.
        Err(CoreError::Invalid(v)) if v.iter().all(|e| e.field == "message") => {
            let receipt = uc::by_receipt(s, &f.code).await?.receipt();
            let mut res = private(html(&CheckPage {
                code: f.code.trim().to_owned(),
                receipt: Some(receipt),
                error: v
                    .into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join("；"),
                message: f.message.clone(),
            })?);
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => check_answer(&f.code, Err(e), &f.message),
    }
}
