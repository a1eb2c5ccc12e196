//! The records of a team's work on a unit — fieldwork entries, working
//! papers, clues, reports, feedback, transfers, rectification items and
//! accountability actions — share one envelope: where the record belongs
//! (round, target, unit), its state, one filter tag and a due date. The
//! kind-specific content is a typed struct stored as JSON, so the store has
//! one table and one set of queries for all of them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::labels::labelled_enum;
use crate::policy::Scope;

labelled_enum!(
    /// What a record is.
    RecordKind, "record_kind", {
    /// 工作记录（13种方式）
    Fieldwork = "fieldwork",
    /// 问题底稿
    Paper = "paper",
    /// 问题线索
    Clue = "clue",
    /// 巡察报告
    Report = "report",
    /// 反馈意见
    Feedback = "feedback",
    /// 移交
    Transfer = "transfer",
    /// 整改事项
    RectItem = "rect-item",
    /// 问责处理
    Accountability = "accountability",
    /// 情况通报（进驻前了解）
    Briefing = "briefing",
    /// 问题清单、提问清单、谈话提纲、谈话名单
    PrepList = "prep-list",
    }
);

/// The envelope of a stored record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordMeta {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: RecordKind,
    /// The round.
    pub round_id: i64,
    /// The round target (unit in the round).
    pub target_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its path (permission checks; never shown).
    #[serde(skip)]
    pub unit_path: String,
    /// State identifier of the kind's state machine.
    pub status: String,
    /// The kind's filter value (category, grade, receiver, method).
    pub tag: Option<String>,
    /// When the next step is due (`YYYY-MM-DD`).
    pub due_date: Option<String>,
    /// Bumped on every change; updates name the version they saw.
    pub version: i64,
    /// Creator.
    pub created_by: i64,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub updated_at: i64,
}

/// A record as the store holds it: the envelope and the JSON content.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    /// Envelope.
    pub meta: RecordMeta,
    /// The content (`serde_json` of the kind's struct).
    pub data: String,
}

/// A record with its typed content.
#[derive(Debug, Clone, Serialize)]
pub struct Rec<T> {
    /// Envelope.
    #[serde(flatten)]
    pub meta: RecordMeta,
    /// Content.
    pub data: T,
}

/// The content of one record kind.
pub trait RecordData: Serialize + DeserializeOwned + Clone + Send + Sync {
    /// The kind it is stored as.
    const KIND: RecordKind;
    /// The state identifier.
    fn status(&self) -> String;
    /// The filter tag.
    fn tag(&self) -> Option<String>;
    /// When the next step is due.
    fn due_date(&self) -> Option<String> {
        None
    }
    /// Text for the search index: (title, body). Never sealed fields.
    fn search_text(&self) -> (String, String);
}

impl<T: RecordData> Rec<T> {
    /// Decodes a stored record of kind `T::KIND`.
    pub fn decode(r: StoredRecord) -> Result<Rec<T>, StoreError> {
        if r.meta.kind != T::KIND {
            return Err(StoreError::NotFound);
        }
        let data = serde_json::from_str(&r.data).map_err(|e| {
            StoreError::Other(anyhow::anyhow!(
                "stored {} {} is invalid: {e}",
                r.meta.kind.as_str(),
                r.meta.id
            ))
        })?;
        Ok(Rec { meta: r.meta, data })
    }
}

/// A record to insert.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// Kind.
    pub kind: RecordKind,
    /// The round.
    pub round_id: i64,
    /// The target.
    pub target_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its path.
    pub unit_path: String,
    /// State.
    pub status: String,
    /// Filter tag.
    pub tag: Option<String>,
    /// Due date.
    pub due_date: Option<String>,
    /// JSON content.
    pub data: String,
    /// Title and body for the search index.
    pub search: (String, String),
}

impl NewRecord {
    /// The insert of typed content for a target.
    pub fn of<T: RecordData>(target: &super::Target, data: &T) -> Result<NewRecord, StoreError> {
        Ok(NewRecord {
            kind: T::KIND,
            round_id: target.round_id,
            target_id: target.id,
            unit_id: target.unit_id,
            unit_path: target.unit_path.clone(),
            status: data.status(),
            tag: data.tag(),
            due_date: data.due_date(),
            data: encode(data)?,
            search: data.search_text(),
        })
    }
}

/// A change to a record: new state and content, given the version read.
#[derive(Debug, Clone)]
pub struct RecordUpdate {
    /// The version the change was made on; a newer stored one is a conflict.
    pub expected_version: i64,
    /// State.
    pub status: String,
    /// Filter tag.
    pub tag: Option<String>,
    /// Due date.
    pub due_date: Option<String>,
    /// JSON content.
    pub data: String,
    /// The audit action (`paper.approve` …).
    pub action: String,
    /// Title and body for lists and the search index.
    pub search: (String, String),
}

impl RecordUpdate {
    /// The update of a typed record after a change named `action`.
    pub fn of<T: RecordData>(rec: &Rec<T>, action: &str) -> Result<RecordUpdate, StoreError> {
        Ok(RecordUpdate {
            expected_version: rec.meta.version,
            status: rec.data.status(),
            tag: rec.data.tag(),
            due_date: rec.data.due_date(),
            data: encode(&rec.data)?,
            action: action.to_owned(),
            search: rec.data.search_text(),
        })
    }
}

fn encode<T: Serialize>(data: &T) -> Result<String, StoreError> {
    serde_json::to_string(data).map_err(|e| StoreError::Other(e.into()))
}

/// Which records a list returns.
#[derive(Debug, Clone)]
pub struct RecordFilter {
    /// Kind.
    pub kind: RecordKind,
    /// Of one round.
    pub round_id: Option<i64>,
    /// Of one target.
    pub target_id: Option<i64>,
    /// In this state.
    pub status: Option<String>,
    /// With this tag.
    pub tag: Option<String>,
    /// Due before this day (overdue lists; finished records have no due date).
    pub due_before: Option<String>,
    /// Only records with a smaller id (keyset paging through long ledgers).
    pub before_id: Option<i64>,
    /// Earliest deadline first instead of newest first (alerts).
    pub due_first: bool,
    /// Units the actor may see.
    pub scope: Scope,
}

impl RecordFilter {
    /// Every record of a kind in a scope.
    pub fn new(kind: RecordKind, scope: Scope) -> RecordFilter {
        RecordFilter {
            kind,
            round_id: None,
            target_id: None,
            status: None,
            tag: None,
            due_before: None,
            before_id: None,
            due_first: false,
            scope,
        }
    }
}

/// One group of a record count: kind × status × tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCount {
    /// Kind.
    pub kind: RecordKind,
    /// State.
    pub status: String,
    /// Tag.
    pub tag: Option<String>,
    /// How many.
    pub count: i64,
}
