//! Configuration, in layers: built-in defaults → `xuncha.toml` → `XUNCHA_*`
//! environment variables → command-line flags (clap reads flags and
//! variables; the file fills what they leave unset).

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use serde::Deserialize;
use xuncha_core::i18n::tf;
use xuncha_db::DatabaseUrl;

/// Options every command that works on an installation takes.
#[derive(Debug, Clone, Args, Default)]
pub struct InstallArgs {
    /// Data directory (SQLite database, attachments, search index). Default ./xuncha-data
    #[arg(long, env = "XUNCHA_DATA", global = true)]
    pub data: Option<PathBuf>,
    /// Database URL: postgres://user@host/db for PostgreSQL; default is SQLite in the data directory
    #[arg(
        long,
        env = "XUNCHA_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Configuration file (default ./xuncha.toml when it exists)
    #[arg(long, env = "XUNCHA_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

/// What `xuncha.toml` may set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Data directory.
    pub data: Option<PathBuf>,
    /// Database URL.
    pub database_url: Option<String>,
    /// Listen address.
    pub listen: Option<String>,
    /// Mark cookies Secure (behind TLS).
    pub secure_cookies: Option<bool>,
}

/// The resolved installation settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Data directory.
    pub data: PathBuf,
    /// Where the database is.
    pub database: DatabaseUrl,
    /// The file layer (for `serve`'s own options).
    pub file: FileConfig,
}

impl Settings {
    /// The attachments directory.
    pub fn attachments_dir(&self) -> PathBuf {
        self.data.join("attachments")
    }
}

/// Reads the config file named, or `./xuncha.toml` when present.
pub fn load_file(path: Option<&Path>) -> anyhow::Result<FileConfig> {
    let (path, required) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from("xuncha.toml"), false),
    };
    if !path.exists() {
        anyhow::ensure!(
            !required,
            "{}",
            tf(
                "cli.config_missing",
                &[("path", &path.display().to_string())]
            )
        );
        return Ok(FileConfig::default());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| tf("cli.read_file", &[("path", &path.display().to_string())]))?;
    toml::from_str(&text).with_context(|| {
        tf(
            "cli.config_invalid",
            &[("path", &path.display().to_string())],
        )
    })
}

/// Resolves the installation from flags/variables and the file.
pub fn resolve(args: &InstallArgs) -> anyhow::Result<Settings> {
    let file = load_file(args.config.as_deref())?;
    let data = args
        .data
        .clone()
        .or_else(|| file.data.clone())
        .unwrap_or_else(|| PathBuf::from("xuncha-data"));
    let database = match args
        .database_url
        .clone()
        .or_else(|| file.database_url.clone())
    {
        Some(url) => DatabaseUrl::parse(&url)?,
        None => DatabaseUrl::Sqlite(data.join("xuncha.db")),
    };
    Ok(Settings {
        data,
        database,
        file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_defaults_fill_the_rest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = dir.path().join("x.toml");
        std::fs::write(&cfg, "data = \"/from/file\"\nlisten = \"0.0.0.0:9000\"\n").expect("write");
        let s = resolve(&InstallArgs {
            data: None,
            database_url: None,
            config: Some(cfg.clone()),
        })
        .expect("ok");
        assert_eq!(s.data, PathBuf::from("/from/file"));
        assert_eq!(
            s.database,
            DatabaseUrl::Sqlite(PathBuf::from("/from/file/xuncha.db"))
        );
        let s = resolve(&InstallArgs {
            data: Some("/flag".into()),
            database_url: None,
            config: Some(cfg),
        })
        .expect("ok");
        assert_eq!(s.data, PathBuf::from("/flag"));
    }

    #[test]
    fn unknown_keys_in_the_file_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = dir.path().join("x.toml");
        std::fs::write(&cfg, "lisen = \"x\"\n").expect("write");
        assert!(resolve(&InstallArgs {
            config: Some(cfg),
            ..Default::default()
        })
        .is_err());
    }
}
