//! The rows of every data set that refer to one person: what the registry's person page shows
//! under 同一人, next to the petitions and clues about them.
//!
//! A row with a valid ID number is about the person only when the numbers agree (a strong
//! link). A row without one (a list that lacks ID numbers, or whose number was invalid and
//! dropped at import) is a weak link when its name agrees — by the same matching key as the
//! rules (`values::match_key`) — and its birth date does not contradict the person's (taken
//! from their ID number).

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::Int64Type;
use datafusion::arrow::util::display::array_value_to_string;
use xuncha_text::IdNumber;

use crate::engine::Engine;
use crate::error::Result;
use crate::kind::Kind;
use crate::values::{id_key, match_key};

/// One row of a data set about the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The data set's name.
    pub dataset: String,
    /// Its kind.
    pub kind: Option<Kind>,
    /// Line of the file the row came from.
    pub row: i64,
    /// Matched by ID number.
    pub strong: bool,
    /// (label, value) of the row's non-empty fields, in the kind's order; columns the kind
    /// does not know keep the file's header.
    pub cells: Vec<(String, String)>,
}

/// A string literal of SQL.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A table name of SQL (data sets are named by users: 低保2024).
fn table(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The `WHERE` clause for a person, or `None` when there is nothing to match on.
fn condition(id: Option<&IdNumber>, name_key: &str) -> Option<String> {
    let by_name = (!name_key.is_empty()).then(|| {
        let birth = id
            .map(|id| {
                format!(
                    " AND (birth_date IS NULL OR birth_date = DATE '{}')",
                    id.birth_date_iso()
                )
            })
            .unwrap_or_default();
        format!(
            "(id_key IS NULL AND name_key = {}{birth})",
            quoted(name_key)
        )
    });
    match (id, by_name) {
        (Some(id), Some(n)) => Some(format!("id_key = {} OR {n}", id_key(id))),
        (Some(id), None) => Some(format!("id_key = {}", id_key(id))),
        (None, Some(n)) => Some(n),
        (None, None) => None,
    }
}

impl Engine {
    /// Every data set's rows about the person with `id_number` (if valid) and `name`, at most
    /// `per_set` of each, strong links first.
    pub async fn rows_about(
        &self,
        id_number: Option<&str>,
        name: &str,
        per_set: usize,
    ) -> Result<Vec<PersonRow>> {
        let id = id_number.and_then(|n| IdNumber::parse(n).ok());
        let Some(cond) = condition(id.as_ref(), &match_key(name)) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for d in &self.manifest().datasets {
            let kind = d.kind();
            let sql = format!(
                "SELECT * FROM {} WHERE {cond} ORDER BY _row LIMIT {per_set}",
                table(&d.name)
            );
            let batches = self.context().sql(&sql).await?.collect().await?;
            for b in &batches {
                read_rows(b, &d.name, kind, id.is_some(), &mut out);
            }
        }
        out.sort_by_key(|r| !r.strong);
        Ok(out)
    }
}

fn read_rows(
    b: &RecordBatch,
    dataset: &str,
    kind: Option<Kind>,
    have_id: bool,
    out: &mut Vec<PersonRow>,
) {
    let schema = b.schema();
    let column = |name: &str| schema.index_of(name).ok().map(|i| b.column(i));
    let rows = column("_row").map(|c| c.as_primitive::<Int64Type>().clone());
    let ids = column("id_key").map(|c| c.as_primitive::<Int64Type>().clone());
    for i in 0..b.num_rows() {
        let mut cells = Vec::new();
        for (f, col) in schema.fields().iter().zip(b.columns()) {
            let key = f.name().as_str();
            // Bookkeeping and matching columns are not the list's own.
            if key.starts_with('_') || key.ends_with("_key") || col.is_null(i) {
                continue;
            }
            let label = kind
                .and_then(|k| k.fields().iter().find(|x| x.key == key))
                .map_or_else(|| key.to_owned(), |x| x.label().to_owned());
            if let Ok(v) = array_value_to_string(col, i) {
                if !v.trim().is_empty() {
                    cells.push((label, v));
                }
            }
        }
        out.push(PersonRow {
            dataset: dataset.to_owned(),
            kind,
            row: rows.as_ref().map_or(0, |r| r.value(i)),
            strong: have_id && ids.as_ref().is_some_and(|c| !c.is_null(i)),
            cells,
        });
    }
}
