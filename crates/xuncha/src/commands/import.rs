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
use xuncha_office::{write_xlsx, Cell, Sheet};

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
    /// What to export: units or people
    #[arg(value_parser = ["units", "people"])]
    pub kind: String,
    /// The .xlsx file to write
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `xuncha export` (operator command: everything, ID numbers in full).
pub async fn run_export(install: &InstallArgs, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let i = super::open(install).await?;
    let store = i.store.as_ref();
    let all = Scope::all();
    let field = |k: &str| t(&format!("field.{k}")).to_owned();
    let sheet = if args.kind == "units" {
        let units = store.all_units(&all).await?;
        let names: std::collections::HashMap<i64, String> =
            units.iter().map(|u| (u.id, u.name.clone())).collect();
        Sheet {
            name: t("units.title").into(),
            title: None,
            headers: [
                "unit_name",
                "parent_unit",
                "unit_kind",
                "region_code",
                "budget_yuan",
            ]
            .iter()
            .map(|k| field(k))
            .collect(),
            rows: units
                .iter()
                .map(|u| {
                    vec![
                        Cell::Text(u.name.clone()),
                        u.parent_id
                            .and_then(|p| names.get(&p).cloned())
                            .map(Cell::Text)
                            .unwrap_or(Cell::Empty),
                        Cell::Text(u.kind.label().into()),
                        u.region_code.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                        u.budget_yuan.map(Cell::Int).unwrap_or(Cell::Empty),
                    ]
                })
                .collect(),
            widths: None,
        }
    } else {
        let mut rows = Vec::new();
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
            rows.extend(batch.items.into_iter().map(|p| {
                vec![
                    Cell::Text(p.name),
                    p.id_number.map(Cell::Text).unwrap_or(Cell::Empty),
                    p.gender
                        .map(|g| Cell::Text(g.label().into()))
                        .unwrap_or(Cell::Empty),
                    p.birth_date.map(Cell::Date).unwrap_or(Cell::Empty),
                    p.unit_name.map(Cell::Text).unwrap_or(Cell::Empty),
                    p.position.map(Cell::Text).unwrap_or(Cell::Empty),
                    p.phone.map(Cell::Text).unwrap_or(Cell::Empty),
                ]
            }));
            if n < 500 {
                break;
            }
            page += 1;
        }
        Sheet {
            name: t("persons.title").into(),
            title: None,
            headers: [
                "name",
                "id_number",
                "gender",
                "birth_date",
                "unit",
                "position",
                "phone",
            ]
            .iter()
            .map(|k| field(k))
            .collect(),
            rows,
            widths: None,
        }
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
