//! Mapping of sqlx errors onto the port's three cases.

use xuncha_core::StoreError;

/// Maps a driver error: no row → `NotFound`; unique or foreign-key violation
/// → `Conflict`; anything else → `Other`. Constraint names are never matched
/// because SQLite does not report them.
pub(crate) fn map(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) => match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict("unique".into()),
            sqlx::error::ErrorKind::ForeignKeyViolation => StoreError::Conflict("reference".into()),
            _ => StoreError::Other(e.into()),
        },
        _ => StoreError::Other(e.into()),
    }
}
