//! Errors of the cross-check engine.

use std::path::PathBuf;

/// Anything that can go wrong in `xuncha-collide`.
#[derive(Debug, thiserror::Error)]
pub enum CollideError {
    /// Input a user can correct (unknown kind, missing column, duplicate data
    /// set name, a rule that is not read-only …); the message is Simplified
    /// Chinese and names the row, column or field.
    #[error("{0}")]
    Invalid(String),
    /// A rule ran longer than its time limit.
    #[error("{0}")]
    Timeout(String),
    /// Reading or writing a file under the data directory.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The query engine failed (an internal error, or SQL a user wrote that
    /// does not plan).
    #[error(transparent)]
    Engine(#[from] datafusion::error::DataFusionError),
    /// Writing a Parquet file failed.
    #[error(transparent)]
    Parquet(#[from] datafusion::parquet::errors::ParquetError),
    /// Building an Arrow batch failed.
    #[error(transparent)]
    Arrow(#[from] datafusion::arrow::error::ArrowError),
    /// The manifest or a saved report is not valid JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl CollideError {
    /// An IO error on `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> CollideError {
        let path = path.into();
        move |source| CollideError::Io { path, source }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = CollideError> = std::result::Result<T, E>;
