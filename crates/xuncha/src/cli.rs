//! The command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::config::InstallArgs;

/// xuncha 巡察工作平台
#[derive(Debug, Parser)]
#[command(name = "xuncha", version, about = "xuncha 巡察工作平台：巡察、信访、数据碰撞与专项检查", long_about = None)]
pub struct Cli {
    /// Installation options shared by every command.
    #[command(flatten)]
    pub install: InstallArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (migrations run first)
    Serve(commands::serve::Args),
    /// Apply database migrations and exit
    Migrate,
    /// Load the demo county into an empty database and print how to log in
    Demo,
    /// Manage user accounts
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Manage personal API tokens
    #[command(subcommand)]
    Token(commands::user::TokenCommand),
    /// Import units, people or relations from .xlsx/.csv (all rows or none)
    Import(commands::import::ImportArgs),
    /// Export units or people to .xlsx
    Export(commands::import::ExportArgs),
    /// The audit trail
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Back up a running installation (SQLite database + attachments) to one file
    Backup {
        /// The backup file to write (.tar)
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup file into an empty data directory
    Restore {
        /// The backup file
        file: PathBuf,
    },
    /// The search index under the data directory
    #[command(subcommand)]
    Search(commands::SearchCommand),
    /// The Chinese text engine: normalisation and pinyin on stdin/stdout
    #[command(subcommand)]
    Text(commands::text::TextCommand),
    /// Data cross-checks (大数据碰撞): import lists, run rules, print hits as CSV
    #[command(subcommand)]
    Collide(commands::collide::CollideCommand),
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    init_tracing(matches!(cli.command, Command::Serve(_)));
    let install = cli.install;
    match cli.command {
        Command::Serve(args) => commands::serve::run(&install, args).await,
        Command::Migrate => commands::migrate(&install).await,
        Command::Demo => commands::demo(&install).await,
        Command::User(c) => commands::user::run_user(&install, c).await,
        Command::Token(c) => commands::user::run_token(&install, c).await,
        Command::Import(a) => commands::import::run_import(&install, a).await,
        Command::Export(a) => commands::import::run_export(&install, a).await,
        Command::Audit(c) => commands::audit::run(&install, c).await,
        Command::Backup { out } => commands::backup(&install, &out).await,
        Command::Restore { file } => commands::restore(&install, &file).await,
        Command::Text(c) => commands::text::run(c),
        Command::Search(c) => commands::search(&install, c).await,
        Command::Collide(c) => commands::collide::run(&install, c).await,
    }
}

fn init_tracing(server: bool) {
    let default = if server { "info,sqlx=warn" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("XUNCHA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
