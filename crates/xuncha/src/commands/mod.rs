//! One module per command family; small commands live here.

pub mod audit;
pub mod collide;
pub mod import;
pub mod serve;
pub mod text;
pub mod user;

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use xuncha_core::clock::{Clock, SystemClock};
use xuncha_core::store::Store;
use xuncha_db::Opened;

use xuncha_core::i18n::{t, tf};

use crate::config::{resolve, InstallArgs, Settings};

/// An opened installation.
pub struct Install {
    /// Resolved settings.
    pub settings: Settings,
    /// The open database.
    pub opened: Opened,
    /// The store behind the port.
    pub store: Arc<dyn Store>,
    /// The wall clock.
    pub clock: Arc<dyn Clock>,
}

/// Resolves the settings and opens (and migrates) the database.
pub async fn open(args: &InstallArgs) -> anyhow::Result<Install> {
    let settings = resolve(args)?;
    let opened = xuncha_db::connect(&settings.database)
        .await
        .with_context(|| {
            tf(
                "cli.open_database",
                &[("db", &format!("{:?}", settings.database))],
            )
        })?;
    let store = opened.store();
    Ok(Install {
        settings,
        opened,
        store,
        clock: Arc::new(SystemClock),
    })
}

/// `xuncha migrate`.
pub async fn migrate(args: &InstallArgs) -> anyhow::Result<ExitCode> {
    let i = open(args).await?;
    println!(
        "{}",
        tf(
            "cli.migrated",
            &[("db", &format!("{:?}", i.settings.database))]
        )
    );
    i.opened.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Loads the demo county when the database is empty; returns whether it did.
pub async fn load_demo_if_empty(i: &Install) -> anyhow::Result<bool> {
    let counts = i.store.counts(&xuncha_core::policy::Scope::all()).await?;
    if counts.units > 0 || counts.users > 0 {
        return Ok(false);
    }
    let county = xuncha_core::demo::generate(xuncha_core::demo::DEFAULT_SEED);
    let summary = xuncha_core::demo::load(i.store.as_ref(), &county, i.clock.now_ms())
        .await
        .map_err(|e| anyhow::anyhow!("{}{e:?}", t("cli.demo_failed")))?;
    println!(
        "{}",
        tf(
            "cli.demo_loaded",
            &[
                ("county", xuncha_core::demo::COUNTY_NAME),
                ("units", &summary.units.to_string()),
                ("persons", &summary.persons.to_string()),
                ("relations", &summary.relations.to_string()),
                ("inspectors", &summary.inspectors.to_string()),
            ]
        )
    );
    println!(
        "{}",
        tf(
            "cli.demo_accounts",
            &[("password", xuncha_core::demo::DEMO_PASSWORD)]
        )
    );
    for (user, role) in &summary.users {
        println!("  {user:<12} {role}");
    }
    Ok(true)
}

/// `xuncha demo`.
pub async fn demo(args: &InstallArgs) -> anyhow::Result<ExitCode> {
    let i = open(args).await?;
    let loaded = load_demo_if_empty(&i).await?;
    i.opened.close().await;
    if loaded {
        println!("{}", t("cli.demo_next"));
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{}", t("cli.demo_not_empty"));
        Ok(ExitCode::from(2))
    }
}

/// `xuncha backup --out FILE`.
pub async fn backup(args: &InstallArgs, out: &Path) -> anyhow::Result<ExitCode> {
    let i = open(args).await?;
    let report = crate::backup::create(&i.opened, &i.settings.attachments_dir(), out).await?;
    i.opened.close().await;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// `xuncha restore FILE --data DIR`.
pub async fn restore(args: &InstallArgs, file: &Path) -> anyhow::Result<ExitCode> {
    let settings = resolve(args)?;
    let report = crate::backup::restore(file, &settings.data)?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// `xuncha search`.
#[derive(Debug, clap::Subcommand)]
pub enum SearchCommand {
    /// Rebuild this installation's search index from the database
    Reindex,
}

/// Runs `xuncha search …` (stop `serve` first: one process writes the index).
pub async fn search(args: &InstallArgs, cmd: SearchCommand) -> anyhow::Result<ExitCode> {
    let SearchCommand::Reindex = cmd;
    let i = open(args).await?;
    let dir = i.settings.data.join("search");
    let index = Arc::new(
        xuncha_search::SearchIndex::open(&dir).with_context(|| dir.display().to_string())?,
    );
    let n = crate::search_sync::Indexer::new(index, i.opened.feed(), dir)
        .reindex_all()
        .await?;
    i.opened.close().await;
    println!("{}", tf("cli.reindexed", &[("n", &n.to_string())]));
    Ok(ExitCode::SUCCESS)
}
