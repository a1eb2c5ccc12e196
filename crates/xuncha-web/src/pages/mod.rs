//! HTML pages. Each module owns one area and exposes `router()`.

mod account;
mod admin;
mod campaigns;
mod collide;
mod collide_data;
mod collide_rules;
pub(crate) mod files;
mod home;
mod import;
mod persons;
mod petition_supervision;
mod petitions;
pub(crate) mod rounds;
pub(crate) mod search;
mod survey_results;
mod survey_view;
mod surveys;
mod surveys_public;
mod tips;
mod tips_public;
mod units;

pub(crate) use import::read_multipart;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use xuncha_core::{CoreError, FieldError};

use crate::error::AppError;
use crate::AppState;

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(account::router())
        .merge(home::router())
        .merge(units::router())
        .merge(persons::router())
        .merge(import::router())
        .merge(admin::router())
        .merge(files::router())
        .merge(search::router())
        .merge(rounds::router())
        .merge(petitions::router())
        .merge(petition_supervision::router())
        .merge(tips::router())
        .merge(collide::router())
        .merge(collide_data::router())
        .merge(collide_rules::router())
        .merge(surveys::router())
        .merge(campaigns::router())
        .merge(surveys_public::router())
        .merge(tips_public::router())
}

/// The 404 page.
pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        crate::render::error_page(
            StatusCode::NOT_FOUND,
            xuncha_core::i18n::t("error_page.not_found"),
        ),
    )
        .into_response()
}

/// Field errors of a form, looked up by field name in templates.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<FieldError>);

impl From<Vec<FieldError>> for FormErrors {
    fn from(v: Vec<FieldError>) -> Self {
        FormErrors(v)
    }
}

impl FormErrors {
    /// The message for a field ("" when none).
    pub fn get(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("；")
    }
    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The messages of one field among a form's errors, joined ("" when none).
pub fn error_of(errors: &[FieldError], field: &str) -> String {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("；")
}

/// Splits a use-case error: invalid input goes back to the form (with what
/// was typed), anything else becomes an error response.
pub fn form_errors(e: CoreError) -> Result<FormErrors, AppError> {
    match e {
        CoreError::Invalid(v) => Ok(FormErrors(v)),
        e => Err(e.into()),
    }
}

/// Parses an optional id from a form field.
pub fn opt_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// A 303 redirect after a successful POST.
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

/// Unit choices (id, indented name) for select boxes.
pub fn unit_choices(units: &[xuncha_core::registry::Unit]) -> Vec<(i64, String)> {
    let base = units.iter().map(|u| u.depth).min().unwrap_or(0);
    units
        .iter()
        .map(|u| {
            (
                u.id,
                format!(
                    "{}{}",
                    "\u{3000}".repeat((u.depth - base).max(0) as usize),
                    u.name
                ),
            )
        })
        .collect()
}

/// The Chinese label of a stored identifier (`rect_rating`, `average` → 一般).
pub fn label_of(section: &str, id: &str) -> &'static str {
    xuncha_core::i18n::t(&format!("{section}.{id}"))
}

/// The address printed on posters and slips (QR codes): the setting
/// `tips.public_url`, else the address the staff member used to reach xuncha.
pub(crate) async fn public_base(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<String, AppError> {
    let configured = xuncha_core::usecases::settings::effective(state.store.as_ref())
        .await?
        .get("tips.public_url");
    Ok(if configured.trim().is_empty() {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    } else {
        configured.trim().trim_end_matches('/').to_owned()
    })
}
