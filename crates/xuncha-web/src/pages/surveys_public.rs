//! Answering a survey with a one-time code, without an account: enter the
//! code (or open the slip's QR code), answer, done. Like the tip pages,
//! nothing here reads or keeps who is answering; the code is spent with the
//! sheet in one transaction and the sheet does not point back at it.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::usecases::surveys as uc;
use xuncha_core::{CoreError, FieldError};

use super::survey_view::AnswerForm;
use crate::error::AppError;
use crate::render::html;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s", get(code_page).post(open))
        .route("/s/answer", post(answer))
        .route("/s/{code}", get(open_link))
}

type Values = HashMap<String, String>;

fn private(mut res: Response, failed: bool) -> Response {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

#[derive(Template)]
#[template(path = "survey_code.html")]
struct CodePage {
    code: String,
    error: String,
}

fn code_answer(code: &str, error: String) -> Result<Response, AppError> {
    let failed = !error.is_empty();
    Ok(private(
        html(&CodePage {
            code: code.trim().to_owned(),
            error,
        })?,
        failed,
    ))
}

async fn code_page() -> Result<Response, AppError> {
    code_answer("", String::new())
}

#[derive(Template)]
#[template(path = "survey_answer.html")]
struct AnswerPage {
    code: String,
    ans: AnswerForm,
    errors: Vec<FieldError>,
}

#[derive(Template)]
#[template(path = "survey_thanks.html")]
struct ThanksPage {
    title: String,
}

fn messages(e: &[FieldError]) -> String {
    e.iter()
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("；")
}

async fn form_for(
    state: &AppState,
    code: &str,
    values: &Values,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    match uc::form_for_code(state.store.as_ref(), code).await {
        Ok((survey, canonical)) => {
            let failed = !errors.is_empty();
            Ok(private(
                html(&AnswerPage {
                    code: xuncha_core::survey::show_code(&canonical),
                    ans: AnswerForm::new(&survey.form, values, &errors),
                    errors,
                })?,
                failed,
            ))
        }
        Err(CoreError::Invalid(e)) => code_answer(code, messages(&e)),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn open(
    State(state): State<AppState>,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    form_for(&state, &f.code, &Values::new(), Vec::new()).await
}

/// The slip's QR code opens the form directly (the code is worth one sheet,
/// so it may travel in the address).
async fn open_link(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    form_for(&state, &code, &Values::new(), Vec::new()).await
}

async fn answer(
    State(state): State<AppState>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    let code = v.get("code").cloned().unwrap_or_default();
    match uc::answer(state.store.as_ref(), state.clock.as_ref(), &code, &v).await {
        Ok(survey) => Ok(private(
            html(&ThanksPage {
                title: survey.form.title,
            })?,
            false,
        )),
        Err(CoreError::Invalid(e)) if e.iter().any(|x| x.field == "code") => {
            code_answer(&code, messages(&e))
        }
        Err(CoreError::Invalid(e)) => form_for(&state, &code, &v, e).await,
        Err(e) => Err(e.into()),
    }
}
