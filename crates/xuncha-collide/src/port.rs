//! [`DirEngine`]: the engine of this crate behind `xuncha-core`'s
//! [`CrossCheckEngine`] port, so the web layer imports lists and runs rules
//! without linking DataFusion (the binary injects it into the web state).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use xuncha_core::collide::{
    CheckRun, CrossCheckEngine, DatasetInfo, DatasetProblem, DatasetReport, DatasetRequest,
    DatasetRow, FieldChoice, ImportPlan, NewHit, PersonProbe, Progress, RuleChoice,
};
use xuncha_core::i18n::tf;
use xuncha_core::CoreError;

use crate::engine::{list_rules, Engine};
use crate::error::CollideError;
use crate::hit::Strength;
use crate::kind::{Kind, ALL_KINDS};
use crate::mapping::suggest_mapping;
use crate::store::{DataDir, Dataset, ImportRequest};

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
        let loaded: Vec<Kind> = m.datasets.iter().filter_map(Dataset::kind).collect();
        Ok(list_rules(&m)
            .into_iter()
            .map(|r| {
                let needs: Vec<Kind> = r.needs.iter().filter_map(|k| Kind::parse(k)).collect();
                RuleChoice {
                    ready: needs.iter().all(|k| loaded.contains(k)),
                    needs: needs.iter().map(|k| k.label().to_owned()).collect(),
                    id: r.id,
                    title: r.title,
                    custom: r.custom,
                }
            })
            .collect())
    }

    async fn run(&self, rules: &[String], progress: Progress<'_>) -> Result<CheckRun, CoreError> {
        let m = self.dir.manifest().map_err(core_error("rules"))?;
        let all = list_rules(&m);
        let ids: Vec<String> = if rules.is_empty() {
            all.iter().map(|r| r.id.clone()).collect()
        } else {
            if let Some(bad) = rules.iter().find(|id| !all.iter().any(|r| r.id == **id)) {
                return Err(CoreError::invalid(
                    "rules",
                    tf("collide.rule_unknown", &[("rule", bad)]),
                ));
            }
            rules.to_vec()
        };
        let title = |id: &str| {
            all.iter()
                .find(|r| r.id == id)
                .map_or_else(|| id.to_owned(), |r| r.title.clone())
        };
        let engine = Engine::open(&self.dir).await.map_err(core_error("rules"))?;
        let mut run = CheckRun::default();
        for (i, id) in ids.iter().enumerate() {
            let rule_title = title(id);
            progress(i, ids.len(), &rule_title);
            let outcome = engine
                .run_rule(id, &BTreeMap::new(), self.limit)
                .await
                .map_err(core_error("rules"))?;
            if let Some(why) = outcome.skipped {
                run.skipped.push((id.clone(), why));
                continue;
            }
            run.ran.push(id.clone());
            run.hits.extend(outcome.hits.iter().map(|h| NewHit {
                rule: h.rule.clone(),
                rule_title: rule_title.clone(),
                subject_id_number: h.subject_id_number.clone(),
                subject_name: h.subject_name.clone(),
                strong: h.strength == Strength::Strong,
                evidence: h.evidence.clone(),
                key: h.key().0,
                place: None,
            }));
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
            .run(&["recipient-is-payroll".to_owned()], &record)
            .await
            .expect("run");
        assert_eq!(run.ran, ["recipient-is-payroll"]);
        assert_eq!(run.hits.len(), 1);
        assert!(run.hits[0].strong);
        assert_eq!(*seen.lock().expect("not poisoned"), [(0, 1), (1, 1)]);
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
