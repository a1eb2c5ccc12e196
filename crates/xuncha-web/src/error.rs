//! The one error type of the web layer: HTML error pages for pages, JSON for
//! the API, stable codes, internal causes logged and never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use xuncha_core::i18n::t;
use xuncha_core::{CoreError, FieldError};

/// What a handler can fail with.
#[derive(Debug)]
pub enum AppError {
    /// Not logged in (pages redirect to the login page).
    Unauthenticated,
    /// Logged in but not allowed.
    Forbidden,
    /// No such thing (or hidden from the user).
    NotFound,
    /// No such API route (told apart from a missing object so clients and
    /// tests can see a mistyped path).
    NoRoute,
    /// Bad input, every problem listed.
    Invalid(Vec<FieldError>),
    /// Conflicts with existing data.
    Conflict(String),
    /// The CSRF token is missing or wrong.
    Csrf,
    /// Too many attempts.
    Throttled,
    /// A failure that is our fault; logged, not shown.
    Internal(anyhow::Error),
    /// The same error, answered as JSON (API routes).
    Json(Box<AppError>),
}

impl AppError {
    /// This error, to be answered as JSON.
    pub fn json(self) -> AppError {
        match self {
            AppError::Json(_) => self,
            e => AppError::Json(Box::new(e)),
        }
    }

    fn internal(&self) -> Option<&anyhow::Error> {
        match self {
            AppError::Internal(e) => Some(e),
            AppError::Json(inner) => inner.internal(),
            _ => None,
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                t("error_page.unauthenticated").into(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                t("error_page.forbidden").into(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                t("error_page.not_found").into(),
            ),
            AppError::NoRoute => (
                StatusCode::NOT_FOUND,
                "no_route",
                t("error_page.no_route").into(),
            ),
            AppError::Invalid(v) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                v.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            AppError::Conflict(m) => (
                StatusCode::CONFLICT,
                "conflict",
                format!("{}{m}", t("error_page.conflict")),
            ),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf", t("error_page.csrf").into()),
            AppError::Throttled => (
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                t("error_page.throttled").into(),
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                t("error_page.internal").into(),
            ),
            AppError::Json(inner) => inner.parts(),
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Forbidden => AppError::Forbidden,
            CoreError::NotFound => AppError::NotFound,
            CoreError::Invalid(v) => AppError::Invalid(v),
            CoreError::Conflict(m) => AppError::Conflict(m),
            CoreError::Throttled => AppError::Throttled,
            CoreError::BadCredentials => AppError::Unauthenticated,
            CoreError::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<xuncha_core::StoreError> for AppError {
    fn from(e: xuncha_core::StoreError) -> Self {
        CoreError::from(e).into()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(e) = self.internal() {
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        let (status, code, message) = self.parts();
        match &self {
            AppError::Json(inner) => {
                let errors = match inner.as_ref() {
                    AppError::Invalid(v) => serde_json::to_value(v).unwrap_or_default(),
                    _ => serde_json::Value::Null,
                };
                (
                    status,
                    axum::Json(serde_json::json!({ "error": { "code": code, "message": message, "fields": errors } })),
                )
                    .into_response()
            }
            AppError::Unauthenticated => axum::response::Redirect::to("/login").into_response(),
            _ => (status, crate::render::error_page(status, &message)).into_response(),
        }
    }
}
