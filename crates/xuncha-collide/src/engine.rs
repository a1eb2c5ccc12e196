//! Running rules: Apache DataFusion over the data sets' Parquet files.
//!
//! One session per run. Each kind with data becomes a table over its folder
//! (`subsidy` reads every subsidy list at once; `_dataset` tells them apart),
//! each data set is also a table under its own name, and `relatives_both`
//! lists relations both ways. Nothing else is reachable: no file paths in
//! SQL, no information schema, no DDL or DML in user rules.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::TableReference;
use datafusion::execution::context::{SQLOptions, SessionContext};
use datafusion::prelude::{ParquetReadOptions, SessionConfig};
use datafusion::sql::parser::{DFParser, Statement};
use datafusion::sql::sqlparser::ast::Statement as SqlStatement;
use serde::{Deserialize, Serialize};
use xuncha_core::i18n::{t, tf};

use crate::error::{CollideError, Result};
use crate::hit::{merge_hits, Hit, Strength};
use crate::kind::{Kind, ALL_KINDS};
use crate::sql::Gaps;
use crate::store::{DataDir, Manifest, SavedRule};
use crate::templates::{template, RELATIVES_BOTH, TEMPLATES};

/// A rule as listed: a template or a saved custom rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Identifier.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// Legal or policy basis (empty for custom rules).
    pub basis: String,
    /// Kinds of data set it needs (`subsidy` …); empty for custom rules.
    pub needs: Vec<String>,
    /// `name=default` for each parameter.
    pub params: Vec<String>,
    /// Whether a user wrote it.
    pub custom: bool,
}

/// Every rule: the templates, then the saved custom rules.
pub fn list_rules(manifest: &Manifest) -> Vec<RuleInfo> {
    let mut v: Vec<RuleInfo> = TEMPLATES
        .iter()
        .map(|tpl| RuleInfo {
            id: tpl.id.to_owned(),
            title: tpl.title().to_owned(),
            basis: tpl.basis().to_owned(),
            needs: tpl.needs.iter().map(|k| k.id().to_owned()).collect(),
            params: tpl
                .params
                .iter()
                .map(|p| format!("{}={}", p.key, p.default))
                .collect(),
            custom: false,
        })
        .collect();
    v.extend(manifest.rules.iter().map(|r| RuleInfo {
        id: r.id.clone(),
        title: r.title.clone(),
        basis: r.basis.clone(),
        needs: Vec::new(),
        params: Vec::new(),
        custom: true,
    }));
    v
}

/// Which kind tables have an ID number on every row of every data set
/// (so their weak-match branches are left out, see [`Gaps`]).
pub fn gaps(manifest: &Manifest) -> Gaps {
    let complete = ALL_KINDS.iter().filter_map(|&k| {
        let sets: Vec<_> = manifest
            .datasets
            .iter()
            .filter(|d| d.kind() == Some(k))
            .collect();
        let full = !sets.is_empty() && sets.iter().all(|d| d.without_id == Some(0));
        k.table().filter(|_| full)
    });
    Gaps::complete(complete)
}

/// What one rule produced.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    /// The rule's id.
    pub rule: String,
    /// Its hits (merged by key, sorted).
    pub hits: Vec<Hit>,
    /// Why it did not run (a needed kind has no data set), if it did not.
    pub skipped: Option<String>,
    /// How long it took.
    pub elapsed: Duration,
}

/// A session over the data sets of one data directory.
pub struct Engine {
    ctx: SessionContext,
    kinds: Vec<Kind>,
    manifest: Manifest,
}

impl Engine {
    /// Opens a session over every data set in `dir`, ready to run rules.
    pub async fn open(dir: &DataDir) -> Result<Engine> {
        Self::open_with(dir, true).await
    }

    /// Opens a session with each data set under its own name only: enough to look rows up
    /// (a person page), without the per-kind tables and the relatives view the rules need.
    pub(crate) async fn open_for_lookup(dir: &DataDir) -> Result<Engine> {
        Self::open_with(dir, false).await
    }

    async fn open_with(dir: &DataDir, for_rules: bool) -> Result<Engine> {
        let manifest = dir.manifest()?;
        // Filters (the join's dynamic filter included) are applied while the
        // Parquet pages are decoded, so the text columns of a 10-million-row
        // roll are only read for the rows that match.
        let mut config = SessionConfig::new().with_information_schema(false);
        config.options_mut().execution.parquet.pushdown_filters = true;
        config.options_mut().execution.parquet.reorder_filters = true;
        // Four partitions per core: a roll's row groups are decoded in
        // smaller pieces, so both cores stay busy to the end of each scan.
        // Measured on bench/collide.sh (2 cores): total 2.61–2.81 s with one
        // partition per core, 2.47–2.54 s with two, 2.40–2.48 s with four.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        config = config.with_target_partitions(4 * cores);
        // Registers (payroll, deaths, vehicles) run to a few million rows,
        // rolls to tens of millions: hash the register once and probe the
        // roll where it is read, instead of repartitioning both sides by key.
        // Measured on bench/collide.sh: 3.2 s against 3.9 s in total.
        let optimizer = &mut config.options_mut().optimizer;
        optimizer.hash_join_single_partition_threshold = 1 << 30;
        optimizer.hash_join_single_partition_threshold_rows = 4_000_000;
        let ctx = SessionContext::new_with_config(config);
        let mut kinds = Vec::new();
        let per_kind: &[Kind] = if for_rules { &ALL_KINDS } else { &[] };
        for &kind in per_kind {
            let Some(table) = kind.table() else { continue };
            if !manifest.datasets.iter().any(|d| d.kind() == Some(kind)) {
                continue;
            }
            let folder = format!("{}/", dir.kind_dir(kind).display());
            ctx.register_parquet(
                TableReference::bare(table),
                &folder,
                ParquetReadOptions::default(),
            )
            .await?;
            kinds.push(kind);
        }
        for d in &manifest.datasets {
            let path = dir.file(d);
            ctx.register_parquet(
                TableReference::bare(d.name.as_str()),
                path.to_string_lossy().as_ref(),
                ParquetReadOptions::default(),
            )
            .await?;
        }
        if kinds.contains(&Kind::Relatives) {
            ctx.sql(RELATIVES_BOTH).await?.collect().await?;
        }
        Ok(Engine {
            ctx,
            kinds,
            manifest,
        })
    }

    /// The kinds that have data.
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// The manifest the session was opened with.
    pub(crate) fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The DataFusion session (every data set registered under its name).
    pub(crate) fn context(&self) -> &SessionContext {
        &self.ctx
    }

    /// Runs one rule by id (a template with `params`, or a saved rule) with
    /// a time limit.
    pub async fn run_rule(
        &self,
        id: &str,
        params: &BTreeMap<String, String>,
        limit: Duration,
    ) -> Result<RuleOutcome> {
        let start = Instant::now();
        if let Some(tpl) = template(id) {
            let missing: Vec<&str> = tpl
                .needs
                .iter()
                .filter(|k| !self.kinds.contains(k))
                .map(|k| k.label())
                .collect();
            if !missing.is_empty() {
                return Ok(RuleOutcome {
                    rule: id.to_owned(),
                    hits: Vec::new(),
                    skipped: Some(tf("collide.rule_needs", &[("kinds", &missing.join("、"))])),
                    elapsed: start.elapsed(),
                });
            }
            let sql = tpl.sql(params, &gaps(&self.manifest))?;
            let hits = self.query_hits(id, &sql, limit, SQLOptions::new()).await?;
            return Ok(RuleOutcome {
                rule: id.to_owned(),
                hits,
                skipped: None,
                elapsed: start.elapsed(),
            });
        }
        let saved = self
            .manifest
            .rules
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| CollideError::Invalid(tf("collide.rule_unknown", &[("rule", id)])))?;
        if !params.is_empty() {
            return Err(CollideError::Invalid(tf(
                "collide.unknown_param",
                &[
                    ("param", params.keys().next().map_or("", |s| s)),
                    ("rule", id),
                ],
            )));
        }
        let hits = self.run_custom(&saved.id, &saved.sql, limit).await?;
        Ok(RuleOutcome {
            rule: id.to_owned(),
            hits,
            skipped: None,
            elapsed: start.elapsed(),
        })
    }

    /// The plan of `sql` as executed, with row counts and times per operator
    /// (`EXPLAIN ANALYZE`), for tuning rules.
    pub async fn explain_analyze(&self, sql: &str) -> Result<String> {
        check_read_only(sql)?;
        let batches = self
            .ctx
            .sql(&format!("EXPLAIN ANALYZE {sql}"))
            .await?
            .collect()
            .await?;
        Ok(datafusion::arrow::util::pretty::pretty_format_batches(&batches)?.to_string())
    }

    /// Plans a user's SQL without running it: one read-only query over the
    /// tables of this session, returning at least `subject_name`.
    pub async fn check_rule_sql(&self, rule: &str, sql: &str) -> Result<()> {
        check_read_only(sql)?;
        let df = self.ctx.sql_with_options(sql, read_only()).await?;
        if df
            .schema()
            .field_with_unqualified_name("subject_name")
            .is_err()
        {
            return Err(CollideError::Invalid(tf(
                "collide.rule_columns",
                &[("rule", rule)],
            )));
        }
        Ok(())
    }

    /// Runs a user's SQL as a rule: one read-only SELECT, time-limited.
    pub async fn run_custom(&self, rule: &str, sql: &str, limit: Duration) -> Result<Vec<Hit>> {
        check_read_only(sql)?;
        self.query_hits(rule, sql, limit, read_only()).await
    }

    async fn query_hits(
        &self,
        rule: &str,
        sql: &str,
        limit: Duration,
        options: SQLOptions,
    ) -> Result<Vec<Hit>> {
        let run = async {
            let df = self.ctx.sql_with_options(sql, options).await?;
            df.collect().await
        };
        let batches = tokio::time::timeout(limit, run).await.map_err(|_| {
            CollideError::Timeout(tf(
                "collide.timeout",
                &[("rule", rule), ("secs", &limit.as_secs().to_string())],
            ))
        })??;
        let mut hits = Vec::new();
        for b in &batches {
            read_hits(rule, b, &mut hits)?;
        }
        Ok(merge_hits(hits))
    }
}

/// What a user's SQL may do: query, nothing else.
fn read_only() -> SQLOptions {
    SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

/// Refuses anything but a single query (SELECT, WITH … SELECT, UNION …).
pub fn check_read_only(sql: &str) -> Result<()> {
    let statements = DFParser::parse_sql(sql).map_err(|e| {
        CollideError::Invalid(tf("collide.sql_invalid", &[("why", &e.to_string())]))
    })?;
    let ok = statements.len() == 1
        && matches!(statements.front(), Some(Statement::Statement(s)) if matches!(**s, SqlStatement::Query(_)));
    if ok {
        Ok(())
    } else {
        Err(CollideError::Invalid(
            t("collide.sql_not_select").to_owned(),
        ))
    }
}

/// Checks a custom rule before it is saved: an id of ASCII letters, digits
/// and `-` that no template uses, a title, and read-only SQL.
pub fn validate_rule(rule: &SavedRule, manifest: &Manifest) -> Result<()> {
    check_rule_id(&rule.id, manifest)?;
    if rule.title.trim().is_empty() {
        return Err(CollideError::Invalid(
            t("collide.rule_title_empty").to_owned(),
        ));
    }
    check_read_only(&rule.sql)
}

/// A new rule's id: ASCII letters, digits, `-` and `_`, used by no template
/// and no saved rule.
pub fn check_rule_id(id: &str, manifest: &Manifest) -> Result<()> {
    let id_ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok || template(id).is_some() || manifest.rules.iter().any(|r| r.id == id) {
        return Err(CollideError::Invalid(tf(
            "collide.rule_id_bad",
            &[("rule", id)],
        )));
    }
    Ok(())
}

fn read_hits(rule: &str, batch: &RecordBatch, out: &mut Vec<Hit>) -> Result<()> {
    let column = |name: &str| -> Result<Option<Arc<dyn Array>>> {
        match batch.schema().index_of(name) {
            Ok(i) => Ok(Some(cast(batch.column(i), &DataType::Utf8)?)),
            Err(_) => Ok(None),
        }
    };
    let name = column("subject_name")?
        .ok_or_else(|| CollideError::Invalid(tf("collide.rule_columns", &[("rule", rule)])))?;
    let id = column("subject_id_number")?;
    let strength = column("strength")?;
    let evidence = column("evidence")?;
    let match_key = column("match_key")?;
    let place = column("place")?;
    let get = |a: &Option<Arc<dyn Array>>, i: usize| -> Option<String> {
        a.as_ref().and_then(|a| {
            let s = a.as_string::<i32>();
            (!s.is_null(i)).then(|| s.value(i).to_owned())
        })
    };
    for i in 0..batch.num_rows() {
        let subject_id_number = get(&id, i).filter(|s| !s.is_empty());
        let evidence = get(&evidence, i).unwrap_or_default();
        out.push(Hit {
            rule: rule.to_owned(),
            strength: Strength::parse(get(&strength, i).as_deref(), subject_id_number.is_some()),
            subject_name: get(&Some(name.clone()), i).unwrap_or_default(),
            match_key: get(&match_key, i).unwrap_or_else(|| evidence.clone()),
            place: get(&place, i).filter(|s| !s.trim().is_empty()),
            subject_id_number,
            evidence,
        });
    }
    Ok(())
}
