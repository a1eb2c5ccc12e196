//! `xuncha collide …`: data sets, rules and runs of the cross-check engine.
//!
//! Works on the installation's data directory (`DATA/collide/`); needs no
//! database. Hits go to stdout as CSV, everything else to stderr, so
//! `xuncha collide run --all > hits.csv` keeps only the hits.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;
use xuncha_collide::{
    hit_csv_line, list_rules, validate_rule, DataDir, Engine, ImportRequest, Kind, SavedRule,
    ALL_KINDS, HITS_CSV_HEADER,
};
use xuncha_core::clock::{format_cst, Clock, SystemClock};
use xuncha_core::i18n::{t, tf};

use crate::config::{resolve, InstallArgs};

/// Problems printed after an import; the rest are kept with the data set.
const PROBLEMS_SHOWN: usize = 20;

/// `xuncha collide`.
#[derive(Debug, Subcommand)]
pub enum CollideCommand {
    /// Import a list (.xlsx/.xls/.csv, UTF-8 or GBK) as a data set
    Import(ImportArgs),
    /// List the data sets
    Datasets,
    /// Print the problems found when a data set was imported
    Problems {
        /// The data set's name
        name: String,
    },
    /// Remove a data set
    Remove {
        /// The data set's name
        name: String,
    },
    /// List the rules (built-in templates and saved custom rules)
    Rules {
        /// Also print each rule's SQL
        #[arg(long)]
        sql: bool,
    },
    /// Save a custom rule written in SQL (one read-only SELECT over the data sets)
    AddRule {
        /// Identifier (letters, digits, -)
        #[arg(long)]
        id: String,
        /// Title in Chinese
        #[arg(long)]
        title: String,
        /// The SQL; `-` reads it from stdin
        #[arg(long)]
        sql: String,
        /// Who saves it (default: $USER)
        #[arg(long)]
        by: Option<String>,
    },
    /// Remove a saved custom rule
    RemoveRule {
        /// The rule's id
        id: String,
    },
    /// Run rules and print hits as CSV on stdout
    Run(RunArgs),
    /// Make data sets of the registry's persons and relations (人员库), replacing the last ones:
    /// village cadres, other units' staff, relatives
    Registry {
        /// Whose jurisdiction is read (a user who may run cross-checks)
        #[arg(long = "as", value_name = "USERNAME")]
        user: String,
    },
}

/// Options of `collide import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// subsidy, payroll, village-cadre, deceased, vehicle, property, company, relatives or generic
    #[arg(long)]
    pub kind: String,
    /// The data set's name (also its table name in SQL)
    #[arg(long)]
    pub name: String,
    /// The department the list came from (民政局, 公安局 …)
    #[arg(long)]
    pub source: Option<String>,
    /// Who imports it (default: $USER)
    #[arg(long)]
    pub by: Option<String>,
    /// Override the header mapping: FIELD=HEADER (field key or Chinese label), repeatable
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub map: Vec<String>,
    /// The file
    pub file: PathBuf,
}

/// Options of `collide run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// A rule to run (repeatable)
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Run every rule whose data sets are loaded
    #[arg(long, conflicts_with = "rules")]
    pub all: bool,
    /// A template parameter, NAME=VALUE or RULE.NAME=VALUE (repeatable)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Time limit per rule, in seconds
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
    /// Also store the hits in the database as this user (their jurisdiction;
    /// the 数据碰撞 page; a re-run marks hits new, unchanged or gone)
    #[arg(long, value_name = "USERNAME")]
    pub record: Option<String>,
}

/// Runs `xuncha collide …`.
pub async fn run(install: &InstallArgs, cmd: CollideCommand) -> anyhow::Result<ExitCode> {
    let settings = resolve(install)?;
    let dir = DataDir::new(&settings.data);
    match cmd {
        CollideCommand::Import(a) => import(&dir, a),
        CollideCommand::Datasets => datasets(&dir),
        CollideCommand::Problems { name } => {
            let m = dir.manifest()?;
            let Some(d) = m.datasets.iter().find(|d| d.name == name) else {
                eprintln!("{}", tf("collide.dataset_unknown", &[("name", &name)]));
                return Ok(ExitCode::from(2));
            };
            for p in dir.problems(d)? {
                println!("{}", problem_line(&p));
            }
            Ok(ExitCode::SUCCESS)
        }
        CollideCommand::Remove { name } => match dir.remove(&name) {
            Ok(_) => {
                eprintln!("{}", tf("collide.removed", &[("name", &name)]));
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => user_error(e),
        },
        CollideCommand::Rules { sql } => rules(&dir, sql),
        CollideCommand::AddRule { id, title, sql, by } => {
            let sql = if sql == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                sql
            };
            let rule = SavedRule {
                id,
                title,
                sql,
                created_by: by.unwrap_or_else(current_user),
                basis: String::new(),
            };
            let mut m = dir.manifest()?;
            if let Err(e) = validate_rule(&rule, &m) {
                return user_error(e);
            }
            eprintln!("{}", tf("collide.rule_saved", &[("rule", &rule.id)]));
            m.rules.push(rule);
            dir.save_manifest(&m)?;
            Ok(ExitCode::SUCCESS)
        }
        CollideCommand::RemoveRule { id } => {
            let mut m = dir.manifest()?;
            let before = m.rules.len();
            m.rules.retain(|r| r.id != id);
            if m.rules.len() == before {
                eprintln!("{}", tf("collide.rule_unknown", &[("rule", &id)]));
                return Ok(ExitCode::from(2));
            }
            dir.save_manifest(&m)?;
            eprintln!("{}", tf("collide.rule_removed", &[("rule", &id)]));
            Ok(ExitCode::SUCCESS)
        }
        CollideCommand::Run(a) => run_rules(install, &dir, a).await,
        CollideCommand::Registry { user } => registry(install, &settings.data, &user).await,
    }
}

fn user_error(e: xuncha_collide::CollideError) -> anyhow::Result<ExitCode> {
    match e {
        xuncha_collide::CollideError::Invalid(m) | xuncha_collide::CollideError::Timeout(m) => {
            eprintln!("{}{m}", t("cli.error_prefix"));
            Ok(ExitCode::from(2))
        }
        e => Err(e.into()),
    }
}

fn current_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}

fn problem_line(p: &xuncha_collide::Problem) -> String {
    tf(
        "collide.problem_line",
        &[
            ("row", &p.row.to_string()),
            ("column", &p.column),
            ("message", &p.message),
        ],
    )
}

fn import(dir: &DataDir, a: ImportArgs) -> anyhow::Result<ExitCode> {
    let Some(kind) = Kind::parse(&a.kind) else {
        let kinds: Vec<&str> = ALL_KINDS.iter().map(|k| k.id()).collect();
        eprintln!(
            "{}",
            tf(
                "collide.kind_unknown",
                &[("kind", &a.kind), ("kinds", &kinds.join(", "))]
            )
        );
        return Ok(ExitCode::from(2));
    };
    let mut mapping = Vec::new();
    for m in &a.map {
        let Some((field, header)) = m.split_once('=') else {
            eprintln!("{}", tf("collide.map_syntax", &[("map", m)]));
            return Ok(ExitCode::from(2));
        };
        mapping.push((field.trim().to_owned(), header.trim().to_owned()));
    }
    let path = a.file.display().to_string();
    let bytes = std::fs::read(&a.file).with_context(|| tf("cli.read_file", &[("path", &path)]))?;
    let file_name = a
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let table = match xuncha_office::read_table(&bytes, &file_name) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}{e}", t("cli.error_prefix"));
            return Ok(ExitCode::from(2));
        }
    };
    let req = ImportRequest {
        kind: Some(kind),
        name: a.name.clone(),
        source_department: a.source.clone(),
        source_file: file_name,
        imported_by: a.by.clone().unwrap_or_else(current_user),
        imported_at: format_cst(SystemClock.now_ms()),
        mapping,
    };
    let rows = table.rows.into_iter().map(|r| (r.line, r.cells));
    let report = match dir.import(&req, &table.headers, rows) {
        Ok(r) => r,
        Err(e) => return user_error(e),
    };
    let d = &report.dataset;
    eprintln!(
        "{}",
        tf(
            "collide.imported",
            &[
                ("name", &d.name),
                ("kind", kind.label()),
                ("rows", &d.rows.to_string()),
                ("skipped", &d.skipped.to_string()),
                ("problems", &d.problems.to_string()),
            ]
        )
    );
    for p in report.problems.iter().take(PROBLEMS_SHOWN) {
        eprintln!("{}", problem_line(p));
    }
    if report.problems.len() > PROBLEMS_SHOWN {
        eprintln!(
            "{}",
            tf(
                "collide.problems_more",
                &[
                    ("n", &(report.problems.len() - PROBLEMS_SHOWN).to_string()),
                    ("name", &d.name)
                ]
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn datasets(dir: &DataDir) -> anyhow::Result<ExitCode> {
    let m = dir.manifest()?;
    if m.datasets.is_empty() {
        eprintln!("{}", t("collide.no_datasets"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", t("collide.header_datasets"))?;
    for d in &m.datasets {
        let kind: &str = d.kind().map_or(d.kind.as_str(), |k| k.label());
        writeln!(
            out,
            "{}\t{kind}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            d.name,
            d.rows,
            d.skipped,
            d.problems,
            d.source_department.as_deref().unwrap_or(""),
            d.imported_by,
            d.imported_at,
            d.source_file
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn rules(dir: &DataDir, with_sql: bool) -> anyhow::Result<ExitCode> {
    let m = dir.manifest()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", t("collide.header_rules"))?;
    for r in list_rules(&m) {
        let needs: Vec<&str> = r
            .needs
            .iter()
            .filter_map(|k| Kind::parse(k))
            .map(Kind::label)
            .collect();
        let needs = if r.custom {
            t("collide.custom_rule").to_owned()
        } else {
            needs.join("+")
        };
        writeln!(
            out,
            "{}\t{}\t{needs}\t{}\t{}",
            r.id,
            r.title,
            r.params.join(" "),
            r.basis
        )?;
        if with_sql {
            let sql = match xuncha_collide::templates::template(&r.id) {
                Some(tpl) => tpl.sql(&BTreeMap::new(), &xuncha_collide::sql::Gaps::unknown())?,
                None => m
                    .rules
                    .iter()
                    .find(|s| s.id == r.id)
                    .map(|s| s.sql.clone())
                    .unwrap_or_default(),
            };
            writeln!(out, "{sql}\n")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_rules(install: &InstallArgs, dir: &DataDir, a: RunArgs) -> anyhow::Result<ExitCode> {
    if a.rules.is_empty() && !a.all {
        eprintln!("{}", t("collide.choose_rule"));
        return Ok(ExitCode::from(2));
    }
    let m = dir.manifest()?;
    let ids: Vec<String> = if a.all {
        list_rules(&m).into_iter().map(|r| r.id).collect()
    } else {
        a.rules.clone()
    };
    // `rule.name=value` applies to one rule, `name=value` to every rule that has it.
    let mut params: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for p in &a.params {
        let Some((k, v)) = p.split_once('=') else {
            eprintln!("{}", tf("collide.param_syntax", &[("param", p)]));
            return Ok(ExitCode::from(2));
        };
        let (rule, name) = k.rsplit_once('.').unwrap_or(("", k));
        params
            .entry(rule.trim().to_owned())
            .or_default()
            .insert(name.trim().to_owned(), v.trim().to_owned());
    }
    let engine = Engine::open(dir).await?;
    let limit = Duration::from_secs(a.timeout.max(1));
    let titles: BTreeMap<String, String> = list_rules(&m)
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    let mut found: Vec<xuncha_core::collide::NewHit> = Vec::new();
    let mut ran: Vec<String> = Vec::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "{HITS_CSV_HEADER}")?;
    for id in &ids {
        let mut p = BTreeMap::new();
        let tpl = xuncha_collide::templates::template(id);
        for (k, v) in params.get("").into_iter().flatten() {
            if tpl.is_some_and(|t| t.params.iter().any(|q| q.key == k)) || !a.all {
                p.insert(k.clone(), v.clone());
            }
        }
        p.extend(params.get(id.as_str()).cloned().unwrap_or_default());
        let outcome = match engine.run_rule(id, &p, limit).await {
            Ok(o) => o,
            Err(e) => {
                out.flush()?;
                return user_error(e);
            }
        };
        if let Some(why) = &outcome.skipped {
            eprintln!(
                "{}",
                tf("collide.run_skipped", &[("rule", id), ("why", why)])
            );
            continue;
        }
        for h in &outcome.hits {
            writeln!(out, "{}", hit_csv_line(h))?;
        }
        ran.push(id.clone());
        found.extend(outcome.hits.iter().map(|h| xuncha_core::collide::NewHit {
            rule: h.rule.clone(),
            rule_title: titles.get(id).cloned().unwrap_or_else(|| id.clone()),
            subject_id_number: h.subject_id_number.clone(),
            subject_name: h.subject_name.clone(),
            strong: h.strength == xuncha_collide::Strength::Strong,
            evidence: h.evidence.clone(),
            key: h.key().0,
            place: h.place.clone(),
        }));
        eprintln!(
            "{}",
            tf(
                "collide.run_summary",
                &[
                    ("rule", id),
                    ("hits", &outcome.hits.len().to_string()),
                    ("ms", &outcome.elapsed.as_millis().to_string()),
                ]
            )
        );
    }
    out.flush()?;
    if let Some(username) = &a.record {
        return record(install, username, &ran, found).await;
    }
    Ok(ExitCode::SUCCESS)
}

/// The actor a login stands for (its role, jurisdiction and recusals), as
/// the web layer builds it; `None` when there is no such user.
async fn actor_named(
    s: &dyn xuncha_core::store::Store,
    username: &str,
) -> anyhow::Result<Option<xuncha_core::auth::Actor>> {
    let Some(user) = s
        .list_users()
        .await?
        .into_iter()
        .find(|u| u.username == username)
    else {
        return Ok(None);
    };
    Ok(Some(
        xuncha_core::usecases::auth::actor_for(s, &user).await?,
    ))
}

/// Makes the registry's lists as `username` (policy-checked and audited like the button on
/// the 名册与比对 page).
async fn registry(
    install: &InstallArgs,
    data: &std::path::Path,
    username: &str,
) -> anyhow::Result<ExitCode> {
    let i = super::open(install).await?;
    let s = i.store.as_ref();
    let Some(actor) = actor_named(s, username).await? else {
        eprintln!("{}", tf("cli.user_unknown", &[("username", username)]));
        i.opened.close().await;
        return Ok(ExitCode::from(2));
    };
    let engine = xuncha_collide::DirEngine::new(data, std::time::Duration::from_secs(600));
    let outcome =
        xuncha_core::usecases::collide::import_registry(s, i.clock.as_ref(), &engine, &actor).await;
    i.opened.close().await;
    match outcome {
        Ok(sets) => {
            for d in sets {
                eprintln!(
                    "{}",
                    tf(
                        "collide.imported",
                        &[
                            ("name", &d.name),
                            ("kind", &d.kind_label),
                            ("rows", &d.rows.to_string()),
                            ("skipped", &d.skipped.to_string()),
                            ("problems", &d.problems.to_string()),
                        ]
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        // An internal failure goes up with its detail (printed by main).
        Err(xuncha_core::CoreError::Internal(e)) => Err(e),
        Err(e) => {
            eprintln!("{}{}", t("cli.error_prefix"), e.user_message());
            Ok(ExitCode::from(2))
        }
    }
}

/// Stores a run's hits in the database as `username` (policy-checked and
/// audited like a run from the browser).
async fn record(
    install: &InstallArgs,
    username: &str,
    rules: &[String],
    hits: Vec<xuncha_core::collide::NewHit>,
) -> anyhow::Result<ExitCode> {
    let i = super::open(install).await?;
    let s = i.store.as_ref();
    let Some(actor) = actor_named(s, username).await? else {
        eprintln!("{}", tf("cli.user_unknown", &[("username", username)]));
        i.opened.close().await;
        return Ok(ExitCode::from(2));
    };
    let outcome =
        xuncha_core::usecases::collide::record_run(s, i.clock.as_ref(), &actor, rules, hits).await;
    i.opened.close().await;
    match outcome {
        Ok(r) => {
            eprintln!(
                "{}",
                tf(
                    "collide.recorded",
                    &[
                        ("new", &r.new.to_string()),
                        ("unchanged", &r.unchanged.to_string()),
                        ("gone", &r.gone.to_string()),
                    ]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        // An internal failure goes up with its detail (printed by main).
        Err(xuncha_core::CoreError::Internal(e)) => Err(e),
        Err(e) => {
            eprintln!("{}{}", t("cli.error_prefix"), e.user_message());
            Ok(ExitCode::from(2))
        }
    }
}
