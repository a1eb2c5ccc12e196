//! Choosing and opening a backend from a URL.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use xuncha_core::store::Store;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// The SQLite adapter.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) pool: sqlx::SqlitePool,
}

/// The PostgreSQL adapter.
#[derive(Debug, Clone)]
pub struct PgStore {
    pub(crate) pool: sqlx::PgPool,
}

/// A parsed database location. Its `Debug` hides any password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "Sqlite({})", p.display()),
            DatabaseUrl::Postgres(u) => write!(f, "Postgres({})", redact(u)),
        }
    }
}

/// The URL with its password replaced by `***`.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl DatabaseUrl {
    /// Parses `sqlite://PATH`, `sqlite:PATH`, `postgres://…` or `postgresql://…`.
    /// Anything else is refused, so a typo never creates a stray SQLite file.
    pub fn parse(url: &str) -> anyhow::Result<DatabaseUrl> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or(rest);
            anyhow::ensure!(!path.is_empty(), "SQLite URL has no file path: {url}");
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else {
            anyhow::bail!(
                "unsupported database URL {}: use sqlite://PATH or postgres://…",
                redact(url)
            )
        }
    }
}

impl SqliteStore {
    /// Opens (creating if missing) a SQLite database file in WAL mode and
    /// applies migrations.
    pub async fn open(path: &Path) -> anyhow::Result<SqliteStore> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            // Reads through a shared memory map instead of each connection's
            // private copy of the pages.
            .pragma("mmap_size", "1073741824")
            // ANALYZE samples instead of reading whole tables (bulk imports
            // refresh statistics; a sample is enough for the planner).
            .pragma("analysis_limit", "1000");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await
            .with_context(|| format!("opening SQLite database {}", path.display()))?;
        SQLITE_MIGRATIONS
            .run(&pool)
            .await
            .context("applying SQLite migrations")?;
        Ok(SqliteStore { pool })
    }

    /// Writes a consistent snapshot of the live database to `dest`
    /// (`VACUUM INTO`), safe while other connections write.
    pub async fn snapshot_to(&self, dest: &Path) -> anyhow::Result<()> {
        let dest = dest
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("backup path is not UTF-8"))?;
        sqlx::query("vacuum into $1")
            .bind(dest)
            .execute(&self.pool)
            .await
            .context("VACUUM INTO")?;
        Ok(())
    }

    /// Closes the pool (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl PgStore {
    /// Connects to PostgreSQL and applies migrations.
    pub async fn connect(url: &str) -> anyhow::Result<PgStore> {
        let opts = PgConnectOptions::from_str(url).context("parsing PostgreSQL URL")?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?;
        let version: String = sqlx::query_scalar("show server_version_num")
            .fetch_one(&pool)
            .await
            .context("reading server version")?;
        let v: i64 = version.trim().parse().unwrap_or(0);
        anyhow::ensure!(
            v >= 120000,
            "PostgreSQL 12 or newer is required (found {version})"
        );
        POSTGRES_MIGRATIONS
            .run(&pool)
            .await
            .context("applying PostgreSQL migrations")?;
        Ok(PgStore { pool })
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// An opened store of either kind.
#[derive(Debug, Clone)]
pub enum Opened {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PgStore),
}

impl Opened {
    /// The store behind the port.
    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Opened::Sqlite(s) => Arc::new(s.clone()),
            Opened::Postgres(p) => Arc::new(p.clone()),
        }
    }
    /// The search feed (outbox and searchable text) of the same database.
    pub fn feed(&self) -> Arc<dyn xuncha_core::store::SearchFeed> {
        match self {
            Opened::Sqlite(s) => Arc::new(s.clone()),
            Opened::Postgres(p) => Arc::new(p.clone()),
        }
    }

    /// Closes the pool.
    pub async fn close(&self) {
        match self {
            Opened::Sqlite(s) => s.close().await,
            Opened::Postgres(p) => p.close().await,
        }
    }
}

/// Opens the database named by `url`, applying migrations.
pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<Opened> {
    Ok(match url {
        DatabaseUrl::Sqlite(p) => Opened::Sqlite(SqliteStore::open(p).await?),
        DatabaseUrl::Postgres(u) => Opened::Postgres(PgStore::connect(u).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_redacted() {
        assert!(matches!(
            DatabaseUrl::parse("sqlite://x/y.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(DatabaseUrl::parse("sqlte://x").is_err());
        assert!(DatabaseUrl::parse("x.db").is_err());
        let u = DatabaseUrl::parse("postgres://u:secret@h/db").expect("pg");
        assert!(!format!("{u:?}").contains("secret"));
    }
}
