//! The survey engine (民主测评、问卷调查): forms built from a line-per-question
//! text, compact answer sheets, and tabulation with the usual scoring
//! schemes. One engine serves the democratic evaluation of a leadership
//! team and its members, questionnaires, the inspected unit's evaluation of
//! the inspection team, and (later) household visit question sets.

pub mod form;
pub mod sheet;
pub mod tally;

pub use form::{Question, QuestionKind, Scheme, SurveyForm, SurveyInput, SurveyKind, SurveyStatus};
pub use sheet::Sheet;
pub use tally::{tabulate, ItemResult, Results};

/// Characters in a one-time survey code (50 bits; a code is worth one sheet).
pub const CODE_LEN: usize = 10;

/// A survey as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Survey {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: SurveyKind,
    /// Status.
    pub status: SurveyStatus,
    /// The round, when it belongs to one.
    pub round_id: Option<i64>,
    /// The target (unit in a round) it is about, if any.
    pub target_id: Option<i64>,
    /// The unit it belongs to (permission checks).
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Its path.
    #[serde(skip)]
    pub unit_path: String,
    /// The form.
    pub form: SurveyForm,
    /// Codes issued.
    pub issued: i64,
    /// Sheets returned.
    pub returned: i64,
    /// Version read (for updates).
    pub version: i64,
}

/// A new survey.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    /// Kind.
    pub kind: SurveyKind,
    /// The round.
    pub round_id: Option<i64>,
    /// The target.
    pub target_id: Option<i64>,
    /// The unit.
    pub unit_id: i64,
    /// Its path.
    pub unit_path: String,
    /// The form.
    pub form: SurveyForm,
}

/// One-time codes for a survey: generated, shown once (printed on slips),
/// stored as hashes.
pub fn new_codes(n: usize) -> Vec<String> {
    (0..n).map(|_| crate::codes::random(CODE_LEN)).collect()
}

/// A code as printed (two groups of five).
pub fn show_code(code: &str) -> String {
    crate::codes::grouped(code, 5)
}
