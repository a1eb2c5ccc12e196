//! The 巡察 round in the browser: planning ([`plan`]), the team's workspace
//! on a unit ([`work`]), and what follows ([`outcome`]: reports to decide,
//! transfers, rectification, the circular and its exports).
//!
//! Pages hold many small forms. A form that fails re-renders its page with
//! what was typed and the errors next to the fields ([`Sticky`]); a form that
//! succeeds redirects back (post/redirect/get).

mod outcome;
mod plan;
pub(crate) mod work;

use std::collections::HashMap;

use axum::Router;
use xuncha_core::FieldError;

use crate::AppState;

/// Every route of the round pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(plan::router())
        .merge(work::router())
        .merge(outcome::router())
}

/// The form that failed on a page: which one, what was typed, what is wrong.
#[derive(Debug, Clone, Default)]
pub struct Sticky {
    /// The form's name (`paper`, `rec-12` …).
    pub form: String,
    /// The submitted values.
    pub values: HashMap<String, String>,
    /// The problems.
    pub errors: Vec<FieldError>,
    /// A message shown at the top after a successful change (warnings).
    pub notice: Vec<String>,
}

impl Sticky {
    /// A failed submission of `form`.
    pub fn failed(form: &str, values: HashMap<String, String>, errors: Vec<FieldError>) -> Sticky {
        Sticky {
            form: form.to_owned(),
            values,
            errors,
            notice: Vec::new(),
        }
    }
    /// The typed value of a field of `form` ("" when another form failed).
    pub fn v(&self, form: &str, field: &str) -> String {
        if self.form == form {
            self.values.get(field).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
    /// The error of a field of `form`.
    pub fn err(&self, form: &str, field: &str) -> String {
        if self.form != form {
            return String::new();
        }
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("；")
    }
    /// Whether `form` failed (for the summary line and to keep it open).
    pub fn has(&self, form: &str) -> bool {
        self.form == form && !self.errors.is_empty()
    }
    /// Whether any form failed.
    pub fn failed_any(&self) -> bool {
        !self.errors.is_empty()
    }
    /// Every message of `form`, for fields without a place of their own.
    pub fn all(&self, form: &str) -> Vec<String> {
        if self.form != form {
            return Vec::new();
        }
        self.errors.iter().map(|e| e.message.clone()).collect()
    }
}

/// A page answer: 422 when a form on it failed, so scripts and tests can tell.
pub(crate) fn answer(
    res: Result<axum::response::Response, crate::error::AppError>,
    sticky_failed: bool,
) -> Result<axum::response::Response, crate::error::AppError> {
    let mut res = res?;
    if sticky_failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// A value of a submitted form.
pub(crate) fn field(values: &HashMap<String, String>, name: &str) -> String {
    values.get(name).cloned().unwrap_or_default()
}

/// An id field of a submitted form.
pub(crate) fn id_field(values: &HashMap<String, String>, name: &str) -> Option<i64> {
    values.get(name).and_then(|v| v.trim().parse().ok())
}

/// Days between two ISO dates as shown in ledgers: "逾期N天" or "".
pub fn overdue_days(due: &Option<String>, today: &str) -> String {
    let (Some(due), Some(t)) = (
        due.as_deref()
            .and_then(xuncha_core::inspection::workdays::parse_iso),
        xuncha_core::inspection::workdays::parse_iso(today),
    ) else {
        return String::new();
    };
    let days = (t - due).whole_days();
    if days > 0 {
        xuncha_core::i18n::tf("rounds.overdue_days", &[("n", &days.to_string())])
    } else {
        String::new()
    }
}
pub use work::report_open;
