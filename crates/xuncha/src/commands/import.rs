//! `xuncha import …` and `xuncha export …`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use xuncha_core::auth::Actor;
use xuncha_core::i18n::{t, tf};
use xuncha_core::import::ImportKind;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{PageRequest, PersonFilter};
use xuncha_core::usecases::import::import;
use xuncha_office::{ledgers, write_xlsx};

use crate::config::InstallArgs;

/// Options of `import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// What the file holds: units, people or relations
    #[arg(value_parser = ["units", "people", "relations"])]
    pub kind: String,
    /// The .xlsx, .xls or .csv file
    pub file: PathBuf,
}

/// Runs `xuncha import`.
pub async fn run_import(install: &InstallArgs, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let kind = ImportKind::parse(&args.kind).context("unknown kind")?;
    let bytes = std::fs::read(&args.file).with_context(|| {
        tf(
            "cli.read_file",
            &[("path", &args.file.display().to_string())],
        )
    })?;
    let name = args
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let table = match xuncha_office::read_table(&bytes, &name) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(2));
        }
    };
    let i = super::open(install).await?;
    let result = import(
        i.store.as_ref(),
        i.clock.as_ref(),
        &Actor::system(),
        kind,
        &table,
    )
    .await;
    i.opened.close().await;
    match result {
        Ok(r) => {
            println!(
                "{}",
                tf(
                    "import.done",
                    &[
                        ("file", &args.file.display().to_string()),
                        ("created", &r.created.to_string()),
                        ("updated", &r.updated.to_string()),
                    ]
                )
            );
            if !r.unmapped_headers.is_empty() {
                println!(
                    "{}",
                    tf(
                        "import.ignored_columns",
                        &[("cols", &r.unmapped_headers.join("、"))]
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(xuncha_core::CoreError::Invalid(errors)) => {
            eprintln!("{}", t("import.refused"));
            for e in errors {
                eprintln!("  {e}");
            }
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}

/// Options of `export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export: units, people, or a round ledger (paper, clue,
    /// transfer, rect-item)
    #[arg(value_parser = ["units", "people", "paper", "clue", "transfer", "rect-item"])]
    pub kind: String,
    /// The .xlsx file to write
    #[arg(long)]
    pub out: PathBuf,
    /// For a round ledger: only this round (default: every round)
    #[arg(long)]
    pub round: Option<i64>,
}

/// Runs `xuncha export` (operator command: everything, ID numbers in full).
pub async fn run_export(install: &InstallArgs, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let i = super::open(install).await?;
    let store = i.store.as_ref();
    let all = Scope::all();
    let sheet = if let Some(kind) = xuncha_core::inspection::record::RecordKind::parse(&args.kind) {
        let system = xuncha_core::auth::Actor::system();
        let records =
            xuncha_core::usecases::rounds::outcome::ledger_all(store, &system, args.round, kind)
                .await?;
        let names: std::collections::HashMap<i64, String> = store
            .all_units(&all)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        xuncha_office::rounds::ledger_sheet(kind, records, |u| {
            names.get(&u).cloned().unwrap_or_default()
        })?
    } else if args.kind == "units" {
        ledgers::units_sheet(&store.all_units(&all).await?)
    } else {
        let mut persons = Vec::new();
        let mut page = 1;
        loop {
            let batch = store
                .list_persons(
                    &all,
                    &PersonFilter::default(),
                    PageRequest {
                        page,
                        per_page: 500,
                    },
                )
                .await?;
            let n = batch.items.len();
            persons.extend(batch.items);
            if n < 500 {
                break;
            }
            page += 1;
        }
        // An operator on the server sees ID numbers in full.
        ledgers::persons_sheet(persons, true)
    };
    let n = sheet.rows.len();
    let bytes = write_xlsx(&[sheet]).map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(&args.out, bytes).with_context(|| {
        tf(
            "cli.write_file",
            &[("path", &args.out.display().to_string())],
        )
    })?;
    i.opened.close().await;
    println!(
        "{}",
        tf(
            "cli.exported",
            &[
                ("n", &n.to_string()),
                ("path", &args.out.display().to_string())
            ]
        )
    );
    Ok(ExitCode::SUCCESS)
}
