//! Rows of text cells → Arrow batches of typed, validated columns.
//!
//! Every row is read on its own: a bad cell is reported (row, column, why)
//! and either left empty — an invalid ID number makes the row matchable only
//! by name, a bad optional date is dropped — or, when a required value is
//! missing or unreadable, the row is skipped. Good rows are never held back
//! by bad ones.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, Date32Builder, Float64Builder, Int64Builder, RecordBatch, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef};
use serde::{Deserialize, Serialize};
use xuncha_core::i18n::{t, tf};
use xuncha_text::IdNumber;

use crate::error::Result;
use crate::kind::{Field, FieldType, Kind};
use crate::mapping::Mapping;
use crate::values::{id_key, match_key, parse_date, parse_month, parse_number};

/// One problem found in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The row number as the user sees it in the file.
    pub row: usize,
    /// The column's header as written.
    pub column: String,
    /// What is wrong, in Simplified Chinese.
    pub message: String,
    /// Whether the row was left out of the data set (otherwise it was
    /// imported with this cell empty).
    pub skipped: bool,
}

/// The Arrow schema of a kind's stored files. `extra` names the additional
/// text columns of a generic list.
pub fn schema(kind: Kind, extra: &[String]) -> SchemaRef {
    let mut cols = vec![
        ArrowField::new("_dataset", DataType::Utf8, false),
        ArrowField::new("_row", DataType::Int64, false),
    ];
    for f in kind.fields() {
        let ty = match f.ty {
            FieldType::Text | FieldType::Keyed | FieldType::IdNumber => DataType::Utf8,
            FieldType::Date | FieldType::Month => DataType::Date32,
            FieldType::Number => DataType::Float64,
        };
        cols.push(ArrowField::new(f.key, ty, true));
        if let Some(k) = f.derived_key() {
            let ty = match f.ty {
                FieldType::IdNumber => DataType::Int64,
                _ => DataType::Utf8,
            };
            cols.push(ArrowField::new(k, ty, true));
        }
    }
    for e in extra {
        cols.push(ArrowField::new(e, DataType::Utf8, true));
    }
    Arc::new(Schema::new(cols))
}

/// Names for a generic list's unmapped columns: the header as written,
/// made unique and kept clear of the fixed columns.
pub fn extra_columns(kind: Kind, headers: &[String], mapping: &Mapping) -> Vec<(usize, String)> {
    if kind != Kind::Generic {
        return Vec::new();
    }
    let mut used: Vec<String> = schema(kind, &[])
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let mut out = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if mapping.columns.values().any(|&c| c == i) {
            continue;
        }
        let base = h.trim();
        let base = if base.is_empty() {
            format!("列{}", i + 1)
        } else {
            base.to_owned()
        };
        let mut name = base.clone();
        let mut n = 2;
        while used.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        used.push(name.clone());
        out.push((i, name));
    }
    out
}

enum Col {
    Text(StringBuilder),
    Keyed(StringBuilder, StringBuilder),
    Id(StringBuilder, Int64Builder),
    Date(Date32Builder),
    Num(Float64Builder),
}

/// Converts rows into batches; collects the problems.
pub struct Converter {
    kind: Kind,
    dataset: String,
    schema: SchemaRef,
    mapping: Mapping,
    headers: Vec<String>,
    extra: Vec<(usize, String)>,
    default_role: Option<&'static str>,
    dataset_col: StringBuilder,
    row_col: Int64Builder,
    cols: Vec<Col>,
    extra_cols: Vec<StringBuilder>,
    /// Problems found so far.
    pub problems: Vec<Problem>,
    /// Rows converted so far.
    pub rows: usize,
    /// Rows kept without a valid ID number (they can only match weakly).
    pub without_id: usize,
}

/// A value read from one cell, before it is appended.
enum Val {
    Text(Option<String>),
    Id(Option<IdNumber>),
    Date(Option<i32>),
    Num(Option<f64>),
}

impl Converter {
    /// A converter for a file with `headers`, mapped by `mapping`.
    pub fn new(kind: Kind, dataset: &str, headers: &[String], mapping: Mapping) -> Self {
        let extra = extra_columns(kind, headers, &mapping);
        let names: Vec<String> = extra.iter().map(|(_, n)| n.clone()).collect();
        // A company list whose person column is headed 法定代表人 or 股东 and
        // has no role column says the role in its header.
        let default_role = (kind == Kind::Company && mapping.column("role").is_none())
            .then(|| mapping.headers.get("name"))
            .flatten()
            .and_then(|h| role_of(h));
        let mut c = Converter {
            kind,
            dataset: dataset.to_owned(),
            schema: schema(kind, &names),
            mapping,
            headers: headers.to_vec(),
            extra,
            default_role,
            dataset_col: StringBuilder::new(),
            row_col: Int64Builder::new(),
            cols: Vec::new(),
            extra_cols: Vec::new(),
            problems: Vec::new(),
            rows: 0,
            without_id: 0,
        };
        c.reset();
        c
    }

    /// The schema of the batches.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn reset(&mut self) {
        self.cols = self
            .kind
            .fields()
            .iter()
            .map(|f| match f.ty {
                FieldType::Text => Col::Text(StringBuilder::new()),
                FieldType::Keyed => Col::Keyed(StringBuilder::new(), StringBuilder::new()),
                FieldType::IdNumber => Col::Id(StringBuilder::new(), Int64Builder::new()),
                FieldType::Date | FieldType::Month => Col::Date(Date32Builder::new()),
                FieldType::Number => Col::Num(Float64Builder::new()),
            })
            .collect();
        self.extra_cols = self.extra.iter().map(|_| StringBuilder::new()).collect();
    }

    fn problem(&mut self, row: usize, field: &Field, message: String, skipped: bool) {
        let column = self
            .mapping
            .headers
            .get(field.key)
            .cloned()
            .unwrap_or_else(|| field.label().to_owned());
        self.problems.push(Problem {
            row,
            column,
            message,
            skipped,
        });
    }

    /// Reads one row (`line` is its number in the file); returns whether it
    /// was kept.
    pub fn push(&mut self, line: usize, cells: &[String]) -> bool {
        let fields = self.kind.fields();
        let mut vals: Vec<Val> = Vec::with_capacity(fields.len());
        let mut skip = false;
        for f in fields {
            let raw = self
                .mapping
                .column(f.key)
                .and_then(|i| cells.get(i))
                .map_or("", |s| s.trim());
            if raw.is_empty() {
                if f.required {
                    let msg = tf("collide.required_empty", &[("label", f.label())]);
                    self.problem(line, f, msg, true);
                    skip = true;
                }
                vals.push(match f.ty {
                    FieldType::IdNumber => Val::Id(None),
                    FieldType::Date | FieldType::Month => Val::Date(None),
                    FieldType::Number => Val::Num(None),
                    _ => Val::Text(None),
                });
                continue;
            }
            let v = match f.ty {
                FieldType::Text | FieldType::Keyed => Val::Text(Some(raw.to_owned())),
                FieldType::IdNumber => match IdNumber::parse(raw) {
                    Ok(id) => Val::Id(Some(id)),
                    Err(e) => {
                        let msg = tf("collide.bad_id", &[("value", raw), ("why", &e.to_string())]);
                        self.problem(line, f, msg, false);
                        Val::Id(None)
                    }
                },
                FieldType::Date | FieldType::Month => {
                    let d = if f.ty == FieldType::Date {
                        parse_date(raw)
                    } else {
                        parse_month(raw)
                    };
                    if d.is_none() {
                        let key = if f.ty == FieldType::Date {
                            "collide.bad_date"
                        } else {
                            "collide.bad_month"
                        };
                        let msg = tf(key, &[("value", raw), ("label", f.label())]);
                        self.problem(line, f, msg, f.required);
                        skip |= f.required;
                    }
                    Val::Date(d)
                }
                FieldType::Number => {
                    let n = parse_number(raw);
                    if n.is_none() {
                        let msg = tf(
                            "collide.bad_number",
                            &[("value", raw), ("label", f.label())],
                        );
                        self.problem(line, f, msg, false);
                    }
                    Val::Num(n)
                }
            };
            vals.push(v);
        }
        // name, id_number, birth_date lead every kind (see kind.rs).
        let has_name = matches!(&vals[0], Val::Text(Some(_)));
        let has_id = matches!(&vals[1], Val::Id(Some(_)));
        if self.kind != Kind::Generic && !has_name && !has_id && !skip {
            self.problems.push(Problem {
                row: line,
                column: String::new(),
                message: t("collide.no_person").to_owned(),
                skipped: true,
            });
            skip = true;
        }
        if skip {
            return false;
        }
        // The ID number's birth date wins over a birth-date column.
        if let Val::Id(Some(id)) = &vals[1] {
            let (y, m, d) = id.birth_date();
            vals[2] = Val::Date(Some(crate::values::days_from_civil(
                i32::from(y),
                m.into(),
                d.into(),
            )));
        }
        if !has_id {
            self.without_id += 1;
        }
        self.append(line, fields, vals, cells);
        true
    }

    fn append(&mut self, line: usize, fields: &[Field], vals: Vec<Val>, cells: &[String]) {
        self.dataset_col.append_value(&self.dataset);
        self.row_col.append_value(line as i64);
        for ((col, val), f) in self.cols.iter_mut().zip(vals).zip(fields) {
            match (col, val) {
                (Col::Text(b), Val::Text(v)) => {
                    let v = match (f.key, v) {
                        ("role", Some(r)) => Some(role_of(&r).map_or(r, str::to_owned)),
                        ("role", None) => self.default_role.map(str::to_owned),
                        ("programme", v) => v,
                        (_, v) => v,
                    };
                    b.append_option(v);
                }
                (Col::Keyed(b, k), Val::Text(v)) => {
                    k.append_option(v.as_deref().map(match_key).filter(|s| !s.is_empty()));
                    b.append_option(v);
                }
                (Col::Id(b, k), Val::Id(v)) => {
                    k.append_option(v.as_ref().map(id_key));
                    b.append_option(v.as_ref().map(IdNumber::as_str));
                }
                (Col::Date(b), Val::Date(v)) => b.append_option(v),
                (Col::Num(b), Val::Num(v)) => b.append_option(v),
                // Columns and values are built from the same field list.
                _ => unreachable!("column and value types follow the same field"),
            }
        }
        for ((i, _), b) in self.extra.iter().zip(&mut self.extra_cols) {
            let v = cells.get(*i).map(|s| s.trim()).filter(|s| !s.is_empty());
            b.append_option(v);
        }
        self.rows += 1;
    }

    /// The rows read since the last call, as one batch.
    pub fn finish_batch(&mut self) -> Result<RecordBatch> {
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(self.dataset_col.finish()),
            Arc::new(self.row_col.finish()),
        ];
        for c in &mut self.cols {
            match c {
                Col::Text(b) => arrays.push(Arc::new(b.finish())),
                Col::Keyed(b, k) => {
                    arrays.push(Arc::new(b.finish()));
                    arrays.push(Arc::new(k.finish()));
                }
                Col::Id(b, k) => {
                    arrays.push(Arc::new(b.finish()));
                    arrays.push(Arc::new(k.finish()));
                }
                Col::Date(b) => arrays.push(Arc::new(b.finish())),
                Col::Num(b) => arrays.push(Arc::new(b.finish())),
            }
        }
        for b in &mut self.extra_cols {
            arrays.push(Arc::new(b.finish()));
        }
        Ok(RecordBatch::try_new(self.schema.clone(), arrays)?)
    }

    /// The header of column `i` (for reports).
    pub fn header(&self, i: usize) -> &str {
        self.headers.get(i).map_or("", String::as_str)
    }
}

/// A company role read from a cell or header: 法定代表人 or 股东 when the
/// text says so (法人, 投资人, 出资人 …), else `None`.
pub fn role_of(text: &str) -> Option<&'static str> {
    if text.contains("法定代表人") || text.contains("法人") {
        Some("法定代表人")
    } else if ["股东", "投资人", "出资人"]
        .iter()
        .any(|w| text.contains(w))
    {
        Some("股东")
    } else {
        None
    }
}
