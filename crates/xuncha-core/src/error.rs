//! Errors of the domain and of its storage port.

use serde::Serialize;

/// What a storage adapter can report. Adapters map their driver errors into
/// these three cases; nothing above the adapter sees driver types.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The requested row does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or state constraint refused the change.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Anything else (connection lost, corrupt data, bug).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// One problem with one input field (a form field, or a row/column of an import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Machine name of the field (`name`, `id_number`, …).
    pub field: String,
    /// 1-based row of an import file, when the error comes from one.
    pub row: Option<usize>,
    /// Column header as written in the file, when the error comes from one.
    pub column: Option<String>,
    /// The message shown to the user, in the active catalogue's language.
    pub message: String,
}

impl FieldError {
    /// An error on a form field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            row: None,
            column: None,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.row, &self.column) {
            (Some(r), Some(c)) => write!(f, "第{r}行「{c}」列：{}", self.message),
            (Some(r), None) => write!(f, "第{r}行：{}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

/// What a use case can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The actor may not do this (or may not know the object exists).
    #[error("forbidden")]
    Forbidden,
    /// The object does not exist, or is hidden from the actor.
    #[error("not found")]
    NotFound,
    /// The input is invalid; every problem is listed.
    #[error("invalid input ({} problems)", .0.len())]
    Invalid(Vec<FieldError>),
    /// The change conflicts with existing data (duplicate key, wrong state).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many attempts; try again later.
    #[error("too many attempts")]
    Throttled,
    /// The credentials did not match.
    #[error("bad credentials")]
    BadCredentials,
    /// An internal failure (storage, bug); never shown to users in detail.
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl CoreError {
    /// What a user is told, in the catalogue's language (the CLI; the web
    /// layer renders its own pages). Internal details stay in the logs.
    pub fn user_message(&self) -> String {
        use crate::i18n::t;
        match self {
            CoreError::Forbidden => t("error_page.forbidden").to_owned(),
            CoreError::NotFound => t("error_page.not_found").to_owned(),
            CoreError::Invalid(v) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("；"),
            CoreError::Conflict(m) => format!("{}{m}", t("error_page.conflict")),
            CoreError::Throttled => t("error_page.throttled").to_owned(),
            CoreError::BadCredentials => t("error_page.unauthenticated").to_owned(),
            CoreError::Internal(_) => t("error_page.internal").to_owned(),
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CoreError::NotFound,
            StoreError::Conflict(m) => CoreError::Conflict(m),
            StoreError::Other(e) => CoreError::Internal(e),
        }
    }
}

impl CoreError {
    /// One invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        CoreError::Invalid(vec![FieldError::field(field, message)])
    }
}
