//! 督办 on the petition page: the office puts a petition's handling under
//! supervision, records the handling unit's replies, closes the supervision
//! after a reply, and prints the 督办通知单. A failed form comes back on the
//! petition page with what was typed and the field named.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::i18n::{t, tf};
use xuncha_core::intake::supervision::{ReplyInput, SupervisionInput};
use xuncha_core::usecases::{settings, supervisions as uc};
use xuncha_core::{CoreError, FieldError};

use super::petitions::render_detail;
use super::rounds::{field, Sticky};
use super::see_other;
use crate::auth::Auth;
use crate::error::AppError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/petitions/{id}/supervisions", post(supervise))
        .route("/petitions/{id}/supervisions/{sid}/reply", post(reply))
        .route("/petitions/{id}/supervisions/{sid}/close", post(close))
        .route(
            "/petitions/{id}/supervisions/{sid}/notice.docx",
            get(notice),
        )
}

type Values = HashMap<String, String>;

/// The form name of a supervision's reply or closing form (one per
/// supervision on the page, so only the failed one keeps its text).
pub(crate) fn form_name(op: &str, sid: i64) -> String {
    format!("sv-{op}-{sid}")
}

/// Where a change answers: back to the petition, at the supervisions.
fn back(id: i64) -> Response {
    see_other(&format!("/petitions/{id}#supervisions"))
}

/// Turns a refused step into the petition page with the form kept; other
/// errors (not found, forbidden) answer as themselves.
async fn refused(
    state: &AppState,
    auth: &Auth,
    id: i64,
    form: &str,
    f: Values,
    e: CoreError,
) -> Result<Response, AppError> {
    let errors = match e {
        CoreError::Invalid(v) => v,
        CoreError::Conflict(m) => vec![FieldError::field("form", m)],
        e => return Err(e.into()),
    };
    render_detail(state, auth, id, false, Sticky::failed(form, f, errors)).await
}

async fn supervise(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let input = SupervisionInput {
        level: field(&f, "level"),
        requirement: field(&f, "requirement"),
        deadline: field(&f, "deadline"),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match uc::supervise(s, c, &auth.actor, id, &input).await {
        Ok(_) => Ok(back(id)),
        Err(e) => refused(&state, &auth, id, "supervise", f, e).await,
    }
}

async fn reply(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, sid)): Path<(i64, i64)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let input = ReplyInput {
        kind: field(&f, "kind"),
        text: field(&f, "text"),
        by: field(&f, "by"),
        date: field(&f, "date"),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match uc::reply(s, c, &auth.actor, id, sid, input).await {
        Ok(_) => Ok(back(id)),
        Err(e) => refused(&state, &auth, id, &form_name("reply", sid), f, e).await,
    }
}

async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, sid)): Path<(i64, i64)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match uc::close(s, c, &auth.actor, id, sid, &field(&f, "note")).await {
        Ok(_) => Ok(back(id)),
        Err(e) => refused(&state, &auth, id, &form_name("close", sid), f, e).await,
    }
}

/// The 督办通知单 (.docx) to the handling body: the matter, never the
/// petitioner; for the office that supervises.
async fn notice(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let (p, sv) = uc::get(s, &auth.actor, id, sid).await?;
    let county = settings::effective(s).await?.get("county.name");
    let doc = xuncha_office::petitions::supervision_notice(
        &p,
        &sv,
        &tf("petitions.notice_signature", &[("county", &county)]),
        &xuncha_core::usecases::rounds::plan::today(c),
    );
    let bytes = xuncha_office::docx::write_docx(&doc)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("docx: {e}")))?;
    let disposition = format!(
        "attachment; filename=\"supervision.docx\"; filename*=UTF-8''{}",
        crate::render::urlencode(&format!("{}-{}.docx", t("supervision.notice"), sv.id))
    );
    Ok(axum::response::IntoResponse::into_response((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )))
}
