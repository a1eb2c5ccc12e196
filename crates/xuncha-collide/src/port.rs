//! [`DirEngine`]: the engine of this crate behind `xuncha-core`'s
//! [`CrossCheckEngine`] port, so the web layer imports lists and runs rules
//! without linking DataFusion (the binary injects it into the web state).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use xuncha_core::collide::{
    CheckRun, CrossCheckEngine, DatasetInfo, DatasetProblem, DatasetReport, DatasetRequest,
    DatasetRow, FieldChoice, ImportPlan, NewRule, PersonProbe, Progress, RuleChoice, RuleParams,
    RulePreview, RuleTable,
};
use xuncha_core::i18n::{t, tf};
use xuncha_core::CoreError;

use crate::engine::{check_rule_id, list_rules, Engine};
use crate::error::CollideError;
use crate::kind::{Kind, ALL_KINDS};
use crate::mapping::suggest_mapping;
use crate::rules;
use crate::store::{DataDir, Dataset, ImportRequest, SavedRule};

/// The rule name a trial run's hits carry.
const PREVIEW_RULE: &str = "preview";

/// The data sets and rules under one data directory (`DATA/collide/`).
pub struct DirEngine {
    dir: DataDir,
    limit: Duration,
    /// Imports read, change and write the manifest: one at a time.
    writing: Mutex<()>,
}

impl DirEngine {
    /// The engine over the installation's data directory, each rule of a
    /// run stopped at `limit`.
    pub fn new(data_dir: &Path, limit: Duration) -> DirEngine {
        DirEngine {
            dir: DataDir::new(data_dir),
            limit,
            writing: Mutex::new(()),
        }
    }
}

/// A user's mistake names the form field it belongs to; anything else is
/// internal.
fn core_error(field: &'static str) -> impl Fn(CollideError) -> CoreError {
    move |e| match e {
        CollideError::Invalid(m) | CollideError::Timeout(m) => CoreError::invalid(field, m),
        e => CoreError::Internal(anyhow::Error::new(e)),
    }
}

fn kind_of(id: &str) -> Result<Kind, CoreError> {
    Kind::parse(id).ok_or_else(|| {
        let kinds: Vec<&str> = ALL_KINDS.iter().map(|k| k.id()).collect();
        CoreError::invalid(
            "kind",
            tf(
                "collide.kind_unknown",
                &[("kind", id), ("kinds", &kinds.join(", "))],
            ),
        )
    })
}

fn info(d: &Dataset) -> DatasetInfo {
    DatasetInfo {
        name: d.name.clone(),
        kind_label: d.kind().map_or(d.kind.clone(), |k| k.label().to_owned()),
        rows: d.rows,
        skipped: d.skipped,
        problems: d.problems,
        source_department: d.source_department.clone(),
        source_file: d.source_file.clone(),
        imported_by: d.imported_by.clone(),
        imported_at: d.imported_at.clone(),
    }
}

fn problem(p: crate::import::Problem) -> DatasetProblem {
    DatasetProblem {
        row: p.row,
        column: p.column,
        message: p.message,
        skipped: p.skipped,
    }
}

fn read(file_name: &str, bytes: &[u8]) -> Result<xuncha_core::import::RawTable, CoreError> {
    xuncha_office::read_table(bytes, file_name)
        .map_err(|e| CoreError::invalid("file", e.to_string()))
}

#[async_trait::async_trait]
impl CrossCheckEngine for DirEngine {
    fn kinds(&self) -> Vec<(String, String)> {
        ALL_KINDS
            .iter()
            .map(|k| (k.id().to_owned(), k.label().to_owned()))
            .collect()
    }

    fn datasets(&self) -> Result<Vec<DatasetInfo>, CoreError> {
        let m = self.dir.manifest().map_err(core_error("file"))?;
        Ok(m.datasets.iter().map(info).collect())
    }

    fn plan(&self, kind: &str, file_name: &str, bytes: &[u8]) -> Result<ImportPlan, CoreError> {
        let kind = kind_of(kind)?;
        let table = read(file_name, bytes)?;
        let mapping = suggest_mapping(kind, &table.headers);
        Ok(ImportPlan {
            kind: kind.id().to_owned(),
            kind_label: kind.label().to_owned(),
            headers: table
                .headers
                .iter()
                .filter(|h| !h.trim().is_empty())
                .cloned()
                .collect(),
            fields: kind
                .fields()
                .iter()
                .map(|f| FieldChoice {
                    key: f.key.to_owned(),
                    label: f.label().to_owned(),
                    required: f.required,
                    header: mapping.headers.get(f.key).cloned(),
                })
                .collect(),
            rows: table.rows.len(),
        })
    }

    fn problems(&self, name: &str) -> Result<Vec<DatasetProblem>, CoreError> {
        let m = self.dir.manifest().map_err(core_error("name"))?;
        let d = m
            .datasets
            .iter()
            .find(|d| d.name == name)
            .ok_or(CoreError::NotFound)?;
        let problems = self.dir.problems(d).map_err(core_error("name"))?;
        Ok(problems.into_iter().map(problem).collect())
    }

    fn import(&self, req: &DatasetRequest, bytes: &[u8]) -> Result<DatasetReport, CoreError> {
        let kind = kind_of(&req.kind)?;
        let table = read(&req.source_file, bytes)?;
        let request = ImportRequest {
            kind: Some(kind),
            name: req.name.clone(),
            source_department: req.source_department.clone(),
            source_file: req.source_file.clone(),
            imported_by: req.imported_by.clone(),
            imported_at: req.imported_at.clone(),
            mapping: req.mapping.clone(),
        };
        let rows = table.rows.into_iter().map(|r| (r.line, r.cells));
        let report = {
            // A poisoned lock only means an earlier import panicked; the
            // manifest is written whole, so it is still consistent.
            let _guard = self.writing.lock().unwrap_or_else(|p| p.into_inner());
            self.dir
                .import(&request, &table.headers, rows)
                .map_err(core_error("mapping"))?
        };
        Ok(DatasetReport {
            dataset: info(&report.dataset),
            problems: report.problems.into_iter().map(problem).collect(),
        })
    }

    fn remove(&self, name: &str) -> Result<DatasetInfo, CoreError> {
        let _guard = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let m = self.dir.manifest().map_err(core_error("name"))?;
        if !m.datasets.iter().any(|d| d.name == name) {
            return Err(CoreError::NotFound);
        }
        let d = self.dir.remove(name).map_err(core_error("name"))?;
        Ok(info(&d))
    }

    fn rules(&self) -> Result<Vec<RuleChoice>, CoreError> {
        let m = self.dir.manifest().map_err(core_error("rules"))?;
        Ok(rules::choices(&m))
    }

    fn tables(&self) -> Result<Vec<RuleTable>, CoreError> {
        let m = self.dir.manifest().map_err(core_error("rules"))?;
        Ok(rules::tables(&m))
    }

    async fn save_rule(&self, rule: &NewRule, created_by: &str) -> Result<RuleChoice, CoreError> {
        let engine = Engine::open(&self.dir).await.map_err(core_error("sql"))?;
        let id = rule.id.trim();
        let m = self.dir.manifest().map_err(core_error("sql"))?;
        let errors = rules::check_new(&engine, &m, id, &rule.title, &rule.sql).await;
        if !errors.is_empty() {
            return Err(CoreError::Invalid(errors));
        }
        let _guard = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        // Read again under the lock: another save may have taken the id meanwhile.
        let mut m = self.dir.manifest().map_err(core_error("sql"))?;
        check_rule_id(id, &m).map_err(core_error("id"))?;
        m.rules.push(SavedRule {
            id: id.to_owned(),
            title: rule.title.trim().to_owned(),
            sql: rule.sql.trim().to_owned(),
            created_by: created_by.to_owned(),
            basis: rule.basis.trim().to_owned(),
        });
        self.dir.save_manifest(&m).map_err(core_error("sql"))?;
        rules::choices(&m)
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(CoreError::NotFound)
    }

    fn remove_rule(&self, id: &str) -> Result<RuleChoice, CoreError> {
        let _guard = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let mut m = self.dir.manifest().map_err(core_error("rules"))?;
        let removed = rules::choices(&m)
            .into_iter()
            .find(|r| r.id == id && r.custom)
            .ok_or(CoreError::NotFound)?;
        m.rules.retain(|r| r.id != id);
        self.dir.save_manifest(&m).map_err(core_error("rules"))?;
        Ok(removed)
    }

    async fn preview(&self, sql: &str, max: usize) -> Result<RulePreview, CoreError> {
        let engine = Engine::open(&self.dir).await.map_err(core_error("sql"))?;
        let start = Instant::now();
        let hits = engine
            .run_custom(PREVIEW_RULE, sql, self.limit)
            .await
            .map_err(|e| CoreError::invalid("sql", rules::message(e)))?;
        let millis = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
        let title = t("collide_web.preview_rule");
        Ok(RulePreview {
            total: hits.len(),
            hits: hits
                .iter()
                .take(max)
                .map(|h| rules::new_hit(h, title))
                .collect(),
            millis,
        })
    }

    fn check_run(&self, ids: &[String], params: &RuleParams) -> Result<(), CoreError> {
        let m = self.dir.manifest().map_err(core_error("rules"))?;
        rules::check_run(&m, ids, params).map_err(core_error("rules"))
    }

    async fn run(
        &self,
        ids: &[String],
        params: &RuleParams,
        progress: Progress<'_>,
    ) -> Result<CheckRun, CoreError> {
        let m = self.dir.manifest().map_err(core_error("rules"))?;
        rules::check_run(&m, ids, params).map_err(core_error("rules"))?;
        let all = list_rules(&m);
        let ids: Vec<String> = if ids.is_empty() {
            all.iter().map(|r| r.id.clone()).collect()
        } else {
            ids.to_vec()
        };
        let title = |id: &str| {
            all.iter()
                .find(|r| r.id == id)
                .map_or_else(|| id.to_owned(), |r| r.title.clone())
        };
        let engine = Engine::open(&self.dir).await.map_err(core_error("rules"))?;
        let mut run = CheckRun::default();
        let none = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            let rule_title = title(id);
            progress(i, ids.len(), &rule_title);
            let outcome = engine
                .run_rule(id, params.get(id).unwrap_or(&none), self.limit)
                .await
                .map_err(core_error("rules"))?;
            if let Some(why) = outcome.skipped {
                run.skipped.push((id.clone(), why));
                continue;
            }
            run.ran.push(id.clone());
            run.hits
                .extend(outcome.hits.iter().map(|h| rules::new_hit(h, &rule_title)));
        }
        progress(ids.len(), ids.len(), "");
        Ok(run)
    }

    async fn rows_about(
        &self,
        person: &PersonProbe,
        per_set: usize,
    ) -> Result<Vec<DatasetRow>, CoreError> {
        let engine = Engine::open_for_lookup(&self.dir)
            .await
            .map_err(core_error("name"))?;
        let rows = engine
            .rows_about(person.id_number.as_deref(), &person.name, per_set)
            .await
            .map_err(core_error("name"))?;
        Ok(rows
            .into_iter()
            .map(|r| DatasetRow {
                kind_label: r.kind.map_or_else(String::new, |k| k.label().to_owned()),
                dataset: r.dataset,
                row: r.row,
                strong: r.strong,
                cells: r.cells,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Vec<u8> {
        text.as_bytes().to_vec()
    }

    fn request(kind: &str, name: &str, mapping: Vec<(String, String)>) -> DatasetRequest {
        DatasetRequest {
            kind: kind.into(),
            name: name.into(),
            source_department: Some("民政局".into()),
            source_file: format!("{name}.csv"),
            imported_by: "office".into(),
            imported_at: "2026-11-27 09:30".into(),
            mapping,
        }
    }

    #[tokio::test]
    async fn a_list_is_planned_imported_with_a_correction_and_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let e = DirEngine::new(dir.path(), Duration::from_secs(60));
        let subsidy = csv("姓名,身份证号,待遇名目,村\n张三,11010519491231002X,低保,石门村\n");
        let plan = e.plan("subsidy", "s.csv", &subsidy).expect("plan");
        let programme = plan.fields.iter().find(|f| f.key == "programme");
        assert_eq!(programme.and_then(|f| f.header.clone()), None);
        assert!(e
            .import(&request("subsidy", "db", vec![]), &subsidy)
            .is_err());
        let fixed = vec![("programme".to_owned(), "待遇名目".to_owned())];
        let r = e
            .import(&request("subsidy", "db", fixed), &subsidy)
            .expect("import");
        assert_eq!(r.dataset.rows, 1);
        assert!(e.problems("db").expect("kept").is_empty());
        assert!(matches!(e.problems("none"), Err(CoreError::NotFound)));
        let payroll = csv("姓名,身份证号,单位\n张三,11010519491231002X,县财政局\n");
        e.import(&request("payroll", "gz", vec![]), &payroll)
            .expect("payroll");
        let ready = e.rules().expect("rules");
        assert!(ready
            .iter()
            .any(|r| r.id == "recipient-is-payroll" && r.ready));
        let seen = Mutex::new(Vec::new());
        let record = |done: usize, all: usize, _: &str| {
            seen.lock().expect("not poisoned").push((done, all));
        };
        let run = e
            .run(
                &["recipient-is-payroll".to_owned()],
                &RuleParams::new(),
                &record,
            )
            .await
            .expect("run");
        assert_eq!(run.ran, ["recipient-is-payroll"]);
        assert_eq!(run.hits.len(), 1);
        assert!(run.hits[0].strong);
        // Where the recipient lives, to attribute the hit (no township in this list).
        assert_eq!(run.hits[0].place.as_deref(), Some("石门村"));
        assert_eq!(*seen.lock().expect("not poisoned"), [(0, 1), (1, 1)]);
        // Parameters are checked before a run: a template's unknown or bad one, any on a
        // custom rule, an unknown rule.
        let params = |rule: &str, k: &str, v: &str| {
            let mut p = RuleParams::new();
            p.entry(rule.to_owned())
                .or_default()
                .insert(k.to_owned(), v.to_owned());
            p
        };
        let vehicle = ["recipient-owns-vehicle".to_owned()];
        assert!(e
            .check_run(
                &vehicle,
                &params("recipient-owns-vehicle", "min_value", "5万")
            )
            .is_err());
        assert!(e
            .check_run(
                &vehicle,
                &params("recipient-owns-vehicle", "max_value", "1")
            )
            .is_err());
        assert!(e
            .check_run(
                &vehicle,
                &params("recipient-owns-vehicle", "min_value", "50000")
            )
            .is_ok());
        assert!(e
            .check_run(&["nope".to_owned()], &RuleParams::new())
            .is_err());
        // A custom rule: planned at save (unknown columns named), tried, saved, removed.
        let rule = |sql: &str| NewRule {
            id: "gz".into(),
            title: "供养人员".into(),
            basis: String::new(),
            sql: sql.into(),
        };
        let err = e
            .save_rule(&rule("SELECT nme AS subject_name FROM payroll"), "office")
            .await
            .expect_err("unknown column");
        assert!(format!("{err:?}").contains("nme"), "{err:?}");
        let sql = "SELECT name AS subject_name, village AS place FROM subsidy";
        let tried = e.preview(sql, 10).await.expect("preview");
        assert_eq!(
            (tried.total, tried.hits[0].place.as_deref()),
            (1, Some("石门村"))
        );
        let saved = e.save_rule(&rule(sql), "office").await.expect("saved");
        assert!(saved.custom && saved.created_by == "office");
        assert!(e.save_rule(&rule(sql), "office").await.is_err(), "id taken");
        assert!(e
            .check_run(&["gz".to_owned()], &params("gz", "k", "v"))
            .is_err());
        assert!(e.remove_rule("gz").is_ok());
        assert!(matches!(
            e.remove_rule("recipient-is-payroll"),
            Err(CoreError::NotFound)
        ));
    }

    #[tokio::test]
    async fn rows_about_a_person_match_by_id_number_else_by_name_and_birth_date() {
        let dir = tempfile::tempdir().expect("temp dir");
        let e = DirEngine::new(dir.path(), Duration::from_secs(60));
        // 张三 born 1949-12-31, and a namesake born 1980-01-01.
        let subsidy = csv("姓名,身份证号,待遇名目,村\n\
             张三,11010519491231002X,低保,石门村\n\
             张 三,110105198001010016,低保,石门村\n\
             李四,44030419900315123X,低保,石门村\n");
        let fixed = vec![("programme".to_owned(), "待遇名目".to_owned())];
        e.import(&request("subsidy", "低保2026", fixed), &subsidy)
            .expect("subsidy");
        // A register without ID numbers: the same name matches weakly unless the birth date
        // says it is someone else.
        let deceased = csv("姓名,出生日期,死亡日期\n\
             張三,1949-12-31,2025-03-01\n\
             张三,1980-01-01,2025-04-01\n");
        e.import(&request("deceased", "死亡2025", vec![]), &deceased)
            .expect("deceased");
        let probe = PersonProbe {
            id_number: Some("11010519491231002X".into()),
            name: "张三".into(),
        };
        let rows = e.rows_about(&probe, 20).await.expect("rows");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows[0].strong && rows[0].dataset == "低保2026" && rows[0].row == 2);
        assert!(rows[0]
            .cells
            .iter()
            .any(|(label, v)| label == "救助类别" && v == "低保"));
        assert!(!rows[1].strong && rows[1].dataset == "死亡2025" && rows[1].row == 2);
        // Without an ID number in the registry, every namesake row is a weak link.
        let by_name = PersonProbe {
            id_number: None,
            name: "张三".into(),
        };
        let rows = e.rows_about(&by_name, 20).await.expect("rows");
        assert!(rows.iter().all(|r| !r.strong), "{rows:?}");
        assert_eq!(rows.iter().filter(|r| r.dataset == "死亡2025").count(), 2);
        // The SQL is built from data: a quote in a name is only a name.
        let odd = PersonProbe {
            id_number: None,
            name: "x' OR '1'='1".into(),
        };
        assert!(e.rows_about(&odd, 20).await.expect("rows").is_empty());
    }
}
