//! `xuncha audit …`.

use std::process::ExitCode;

use clap::Subcommand;
use xuncha_core::usecases::audit::{verify, Verification};

use xuncha_core::i18n::tf;

use crate::config::InstallArgs;

/// `xuncha audit`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; exit 0 when intact, 1 naming the first bad record
    Verify,
}

/// Runs `xuncha audit …`.
pub async fn run(install: &InstallArgs, cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify = cmd;
    let i = super::open(install).await?;
    let outcome = verify(i.store.as_ref())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    i.opened.close().await;
    Ok(match outcome {
        Verification::Intact(n) => {
            println!("{}", tf("cli.audit_intact", &[("n", &n.to_string())]));
            ExitCode::SUCCESS
        }
        Verification::Broken(e) => {
            println!("{}", tf("cli.audit_broken", &[("why", &e.to_string())]));
            ExitCode::from(1)
        }
    })
}
