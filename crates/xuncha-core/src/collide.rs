//! Data cross-check hits (大数据碰撞) as the product keeps them: each run's
//! hits are stored for the unit whose lists were checked, compared with the
//! previous runs by their stable key (new, unchanged, gone), triaged
//! (待核实 → 已核实属实 / 不属实 → 已转线索) with a note, and turned into
//! clues of a round. The engine that finds them is `xuncha-collide`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::i18n::t;
use crate::labels::labelled_enum;

labelled_enum!(
    /// Where the verification of a hit stands.
    HitState, "hit_state", {
    /// 待核实.
    Pending = "pending",
    /// 已核实属实.
    Confirmed = "confirmed",
    /// 不属实.
    Unfounded = "unfounded",
    /// 已转线索.
    Clue = "clue",
});

labelled_enum!(
    /// What the last run said about a hit compared with the runs before.
    HitChange, "hit_change", {
    /// 新发现: not found before.
    New = "new",
    /// 仍存在: found again.
    Unchanged = "unchanged",
    /// 已消失: not found by the last run of its rule (data corrected).
    Gone = "gone",
});

/// A hit as a run found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHit {
    /// The rule's id.
    pub rule: String,
    /// The rule's Chinese title.
    pub rule_title: String,
    /// The subject's ID number, when known.
    pub subject_id_number: Option<String>,
    /// The subject's name as written.
    pub subject_name: String,
    /// Matched by ID number (else by name and birth date or village).
    pub strong: bool,
    /// The matched rows and why, in Chinese.
    pub evidence: String,
    /// The stable key (rule + subject + matched persons; no row numbers).
    pub key: String,
    /// Where the subject lives or works as the list says (a village, a
    /// unit), to attribute the hit to a unit of the registry.
    #[serde(default)]
    pub place: Option<String>,
}

/// A hit with the unit it is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedHit {
    /// What the run found.
    pub hit: NewHit,
    /// The unit the subject belongs to (else the jurisdiction checked).
    pub unit_id: i64,
    /// Its path.
    pub unit_path: String,
}

/// A stored hit.
#[derive(Debug, Clone, Serialize)]
pub struct StoredHit {
    /// Id.
    pub id: i64,
    /// What the run found.
    #[serde(flatten)]
    pub hit: NewHit,
    /// The unit whose lists were checked.
    pub unit_id: i64,
    /// Its path (permission checks).
    #[serde(skip)]
    pub unit_path: String,
    /// Verification.
    pub state: HitState,
    /// The verifier's note.
    pub note: String,
    /// New, unchanged or gone at the last run.
    pub change: HitChange,
    /// The clue made from it.
    pub clue_id: Option<i64>,
    /// Version read (for updates).
    pub version: i64,
}

/// What a run changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// The run.
    pub run_id: i64,
    /// Hits not found before.
    pub new: i64,
    /// Hits found again.
    pub unchanged: i64,
    /// Earlier hits of the same rules not found this time.
    pub gone: i64,
}

/// A triage decision as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TriageInput {
    /// `confirmed`, `unfounded` or `pending`.
    #[serde(default)]
    pub state: String,
    /// Why (required for 不属实).
    #[serde(default)]
    pub note: String,
    /// The version read.
    #[serde(default)]
    pub version: i64,
}

impl TriageInput {
    /// The new state and note; a hit turned into a clue is not triaged again.
    pub fn validate(&self, current: HitState) -> Result<(HitState, String), CoreError> {
        if current == HitState::Clue {
            return Err(CoreError::invalid("state", t("error.hit_is_clue")));
        }
        let state = HitState::parse(&self.state)
            .filter(|s| *s != HitState::Clue)
            .ok_or_else(|| CoreError::invalid("state", t("error.hit_state")))?;
        let note = self.note.trim();
        if state == HitState::Unfounded && note.is_empty() {
            return Err(CoreError::invalid("note", t("error.hit_note")));
        }
        if note.chars().count() > 2000 {
            return Err(CoreError::invalid("note", t("error.hit_note_long")));
        }
        Ok((state, note.to_owned()))
    }
}

// --- the engine port -----------------------------------------------------------
//
// The engine (`xuncha-collide`: Parquet data sets, DataFusion rules) sits
// behind this trait so that the web layer neither links DataFusion nor knows
// where the lists are kept; the binary injects the implementation.

/// One data set as the engine keeps it (its provenance included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetInfo {
    /// Name (also its table in rule SQL).
    pub name: String,
    /// The kind's Chinese label.
    pub kind_label: String,
    /// Rows stored.
    pub rows: usize,
    /// Rows not imported.
    pub skipped: usize,
    /// Problems reported.
    pub problems: usize,
    /// The department the list came from.
    pub source_department: Option<String>,
    /// The file it was read from.
    pub source_file: String,
    /// Who imported it.
    pub imported_by: String,
    /// When (China time, as written).
    pub imported_at: String,
}

/// Who a person page asks the data sets about: a registry person's ID number (when known)
/// and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonProbe {
    /// The ID number as recorded in the registry (checked by the engine).
    pub id_number: Option<String>,
    /// The name as recorded.
    pub name: String,
}

/// A row of a data set that refers to a person (同一人 on the person page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetRow {
    /// The data set's name.
    pub dataset: String,
    /// The kind's Chinese label.
    pub kind_label: String,
    /// Line of the file the row was read from.
    pub row: i64,
    /// Matched by ID number (else by name, and birth date where both have one).
    pub strong: bool,
    /// The row's fields as (Chinese label, value), empty ones left out.
    pub cells: Vec<(String, String)>,
}

/// A field a kind expects, with the file's header the auto-mapping chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChoice {
    /// Machine key (`name`, `id_number` …).
    pub key: String,
    /// Chinese label.
    pub label: String,
    /// Whether a column for it must be present.
    pub required: bool,
    /// The header chosen for it, if any.
    pub header: Option<String>,
}

/// What the mapping screen shows: the file's headers and each field's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPlan {
    /// The kind's identifier.
    pub kind: String,
    /// The kind's Chinese label.
    pub kind_label: String,
    /// The headers of the file, in order (blank ones left out).
    pub headers: Vec<String>,
    /// The fields of the kind, in order.
    pub fields: Vec<FieldChoice>,
    /// Data rows in the file.
    pub rows: usize,
}

/// A list to import, with its provenance and the confirmed mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetRequest {
    /// The kind's identifier (`subsidy`, `payroll` …).
    pub kind: String,
    /// The data set's name.
    pub name: String,
    /// The department the list came from.
    pub source_department: Option<String>,
    /// The file's name.
    pub source_file: String,
    /// Who imports it.
    pub imported_by: String,
    /// When (China time, as written).
    pub imported_at: String,
    /// `(field key, header)` as confirmed; an empty header unmaps the field.
    pub mapping: Vec<(String, String)>,
}

/// One problem of an import: the row, the column and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetProblem {
    /// The row in the file (1-based, the header is row 1).
    pub row: usize,
    /// The column's header.
    pub column: String,
    /// Why, in Chinese.
    pub message: String,
    /// Whether the row was left out.
    pub skipped: bool,
}

/// What an import stored and what it reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetReport {
    /// The data set.
    pub dataset: DatasetInfo,
    /// Every problem found.
    pub problems: Vec<DatasetProblem>,
}

/// A rule that can be run, with what the rules page shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleChoice {
    /// Its id.
    pub id: String,
    /// Its Chinese title.
    pub title: String,
    /// The legal or policy basis (a custom rule's description).
    pub basis: String,
    /// The kinds it needs, as Chinese labels (empty for custom rules).
    pub needs: Vec<String>,
    /// Whether every kind it needs has a data set.
    pub ready: bool,
    /// A saved custom rule (not a template).
    pub custom: bool,
    /// The parameters a run may set (templates only).
    pub params: Vec<ParamChoice>,
    /// The SQL as it runs with the default parameters.
    pub sql: String,
    /// Who saved it (custom rules).
    pub created_by: String,
}

/// A parameter of a template, for the run form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamChoice {
    /// Its name (`min_value`).
    pub key: String,
    /// Chinese label.
    pub label: String,
    /// The default value.
    pub default: String,
    /// What may be given (a number, or the allowed words), in Chinese.
    pub hint: String,
}

/// Parameters given to the rules of a run: rule id → (parameter → value).
pub type RuleParams = BTreeMap<String, BTreeMap<String, String>>;

/// A custom rule as a user writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewRule {
    /// Identifier: ASCII letters, digits, `-` and `_`.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// What it looks for and on what basis.
    #[serde(default)]
    pub basis: String,
    /// One read-only query over the data sets.
    pub sql: String,
}

/// A table the SQL of a rule can read, for those who write rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleTable {
    /// Its name in SQL.
    pub name: String,
    /// What it holds, in Chinese.
    pub label: String,
    /// `(column, Chinese label)`.
    pub columns: Vec<(String, String)>,
}

/// What a trial run of a rule's SQL found; nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulePreview {
    /// The first hits.
    pub hits: Vec<NewHit>,
    /// Hits in all.
    pub total: usize,
    /// How long the query took (ms).
    pub millis: u64,
}

/// What a run of rules found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckRun {
    /// The rules that ran.
    pub ran: Vec<String>,
    /// The rules that did not, and why.
    pub skipped: Vec<(String, String)>,
    /// Their hits.
    pub hits: Vec<NewHit>,
}

/// Called before each rule of a run: `(rules done, rules in all, title of
/// the rule starting)`.
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &str) + Send + Sync);

/// The cross-check engine: data sets and rules over them. Errors the user
/// can fix are `CoreError::Invalid` (field `file`, `mapping` or `rules`).
#[async_trait::async_trait]
pub trait CrossCheckEngine: Send + Sync {
    /// The kinds of data set, `(identifier, Chinese label)`.
    fn kinds(&self) -> Vec<(String, String)>;
    /// The data sets loaded.
    fn datasets(&self) -> Result<Vec<DatasetInfo>, CoreError>;
    /// Reads a file and proposes the mapping of its headers onto `kind`.
    fn plan(&self, kind: &str, file_name: &str, bytes: &[u8]) -> Result<ImportPlan, CoreError>;
    /// The problems reported when the data set `name` was imported.
    fn problems(&self, name: &str) -> Result<Vec<DatasetProblem>, CoreError>;
    /// Imports a file as a data set under `req`.
    fn import(&self, req: &DatasetRequest, bytes: &[u8]) -> Result<DatasetReport, CoreError>;
    /// Removes the data set `name` and its file (hits already recorded stay).
    fn remove(&self, name: &str) -> Result<DatasetInfo, CoreError>;
    /// The rules (templates, then saved custom rules).
    fn rules(&self) -> Result<Vec<RuleChoice>, CoreError>;
    /// The tables a rule's SQL can read.
    fn tables(&self) -> Result<Vec<RuleTable>, CoreError>;
    /// Checks a custom rule (fields `id`, `title`, `sql`: the SQL must be one query over the
    /// data sets that returns `subject_name`) and saves it for everyone who runs rules.
    async fn save_rule(&self, rule: &NewRule, created_by: &str) -> Result<RuleChoice, CoreError>;
    /// Removes a saved custom rule (hits already recorded stay).
    fn remove_rule(&self, id: &str) -> Result<RuleChoice, CoreError>;
    /// Runs `sql` as a custom rule would run, without storing anything: the first `max` hits.
    async fn preview(&self, sql: &str, max: usize) -> Result<RulePreview, CoreError>;
    /// Checks the rules and parameters of a run before it starts (field `rules`).
    fn check_run(&self, rules: &[String], params: &RuleParams) -> Result<(), CoreError>;
    /// Runs `rules` (every rule when empty) one after the other, templates with `params`.
    async fn run(
        &self,
        rules: &[String],
        params: &RuleParams,
        progress: Progress<'_>,
    ) -> Result<CheckRun, CoreError>;
    /// The rows of every data set about one person: those with the same ID number, and those
    /// without a valid one that have the same name (and birth date, where both have one).
    /// At most `per_set` rows of each data set.
    async fn rows_about(
        &self,
        person: &PersonProbe,
        per_set: usize,
    ) -> Result<Vec<DatasetRow>, CoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triage_needs_a_reason_to_dismiss_and_stops_at_a_clue() {
        let i = TriageInput {
            state: "unfounded".into(),
            ..TriageInput::default()
        };
        assert!(matches!(
            i.validate(HitState::Pending),
            Err(CoreError::Invalid(_))
        ));
        let i = TriageInput {
            note: "经核实系同名不同人".into(),
            ..i
        };
        assert_eq!(
            i.validate(HitState::Pending).expect("valid"),
            (HitState::Unfounded, "经核实系同名不同人".to_owned())
        );
        assert!(i.validate(HitState::Clue).is_err());
        let c = TriageInput {
            state: "clue".into(),
            ..TriageInput::default()
        };
        assert!(
            c.validate(HitState::Confirmed).is_err(),
            "a clue is made, not chosen"
        );
        assert_eq!(HitState::parse("已核实属实"), Some(HitState::Confirmed));
    }
}
