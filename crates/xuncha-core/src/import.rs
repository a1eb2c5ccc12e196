//! Registry imports: a file read into a [`RawTable`] (by `xuncha-office`) is
//! mapped onto the fields of a kind of record by its headers, then each row
//! is validated. A file with any bad row is refused whole, with every problem
//! named by row and column; nothing is applied.

use std::collections::HashMap;

use crate::error::FieldError;
use crate::i18n::{t, tf};

/// A table of text cells as read from a spreadsheet or CSV file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawTable {
    /// The header row, as written.
    pub headers: Vec<String>,
    /// Data rows (blank rows already dropped).
    pub rows: Vec<RawRow>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// The row's number in the file as a user sees it (1-based; the header
    /// row is usually 1, so the first data row is 2).
    pub line: usize,
    /// Cells, aligned with the headers (missing trailing cells are empty).
    pub cells: Vec<String>,
}

/// One field a kind of import expects.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Machine name.
    pub key: &'static str,
    /// Whether a column for it must be present.
    pub required: bool,
}

impl FieldSpec {
    /// The field's canonical Chinese header.
    pub fn label(&self) -> &'static str {
        t(&format!("field.{}", self.key))
    }
    /// Accepted header spellings (the label first), from the catalogue.
    pub fn aliases(&self) -> Vec<&'static str> {
        let mut v = vec![self.label()];
        let key = format!("field_alias.{}", self.key);
        if crate::i18n::has(&key) {
            v.extend(t(&key).split('|'));
        }
        v
    }
}

/// What a registry import is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Units.
    Units,
    /// Persons.
    People,
    /// Kinship relations.
    Relations,
}

impl ImportKind {
    /// Parses `units|people|relations`.
    pub fn parse(s: &str) -> Option<ImportKind> {
        match s {
            "units" => Some(ImportKind::Units),
            "people" | "persons" => Some(ImportKind::People),
            "relations" => Some(ImportKind::Relations),
            _ => None,
        }
    }

    /// Identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Units => "units",
            ImportKind::People => "people",
            ImportKind::Relations => "relations",
        }
    }

    /// The fields this kind expects.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            ImportKind::Units => UNIT_FIELDS,
            ImportKind::People => PEOPLE_FIELDS,
            ImportKind::Relations => RELATION_FIELDS,
        }
    }
}

/// A field spec (for other modules' field lists).
pub const fn f(key: &'static str, required: bool) -> FieldSpec {
    FieldSpec { key, required }
}

const UNIT_FIELDS: &[FieldSpec] = &[
    f("unit_name", true),
    f("parent_unit", false),
    f("unit_kind", true),
    f("region_code", false),
    f("budget_yuan", false),
];

const PEOPLE_FIELDS: &[FieldSpec] = &[
    f("name", true),
    f("id_number", false),
    f("gender", false),
    f("birth_date", false),
    f("unit", false),
    f("position", false),
    f("phone", false),
];

const RELATION_FIELDS: &[FieldSpec] = &[
    f("name_a", false),
    f("id_number_a", true),
    f("name_b", false),
    f("id_number_b", true),
    f("kinship", true),
    f("kinship_detail", false),
];

/// Normalises a header for matching: no spaces, no required-marks, no
/// parenthesised notes, full-width letters folded.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in h.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '*' | '＊' | ':' | '：' | '\u{feff}') => {}
            c => out.push(c),
        }
    }
    out
}

/// Which column holds which field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderMapping {
    /// Field key → column index.
    pub columns: HashMap<&'static str, usize>,
    /// Headers that matched no field (reported, ignored).
    pub unmapped: Vec<String>,
}

impl HeaderMapping {
    /// The cell of `field` in `row`, trimmed ("" when the column is absent).
    pub fn cell<'a>(&self, row: &'a RawRow, field: &str) -> &'a str {
        self.columns
            .get(field)
            .and_then(|&i| row.cells.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    /// The header as written for a field, for error messages.
    pub fn header<'a>(&self, table: &'a RawTable, field: &str) -> Option<&'a str> {
        self.columns
            .get(field)
            .and_then(|&i| table.headers.get(i))
            .map(String::as_str)
    }
}

/// Maps headers onto fields: exact alias matches first, then a header that
/// contains an alias (e.g. `身份证号码（18位）`). Missing required fields are errors.
pub fn map_headers(kind: ImportKind, headers: &[String]) -> Result<HeaderMapping, Vec<FieldError>> {
    map_fields(kind.fields(), headers)
}

/// [`map_headers`] for any list of fields (other modules' imports).
pub fn map_fields(
    fields: &[FieldSpec],
    headers: &[String],
) -> Result<HeaderMapping, Vec<FieldError>> {
    let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut mapping = HeaderMapping::default();
    let mut taken = vec![false; headers.len()];
    for pass in 0..2 {
        for spec in fields {
            if mapping.columns.contains_key(spec.key) {
                continue;
            }
            let aliases = spec.aliases();
            let found = normalized.iter().enumerate().find(|(i, h)| {
                !taken[*i]
                    && !h.is_empty()
                    && aliases.iter().any(|a| {
                        if pass == 0 {
                            h.as_str() == *a
                        } else {
                            h.contains(a)
                        }
                    })
            });
            if let Some((i, _)) = found {
                taken[i] = true;
                mapping.columns.insert(spec.key, i);
            }
        }
    }
    mapping.unmapped = headers
        .iter()
        .zip(&taken)
        .filter(|(h, t)| !**t && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    let missing: Vec<FieldError> = fields
        .iter()
        .filter(|s| s.required && !mapping.columns.contains_key(s.key))
        .map(|s| FieldError {
            field: s.key.to_owned(),
            row: Some(1),
            column: None,
            message: tf(
                "import.missing_column",
                &[("label", s.label()), ("aliases", &s.aliases().join("、"))],
            ),
        })
        .collect();
    if missing.is_empty() {
        Ok(mapping)
    } else {
        Err(missing)
    }
}

/// Attaches a row and column to field errors of one row.
pub fn at_row(
    errors: Vec<FieldError>,
    table: &RawTable,
    mapping: &HeaderMapping,
    line: usize,
    field_to_column: &[(&str, &str)],
) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            let col_field = field_to_column
                .iter()
                .find(|(f, _)| *f == e.field)
                .map(|(_, c)| *c)
                .unwrap_or(e.field.as_str());
            e.row = Some(line);
            e.column = mapping
                .header(table, col_field)
                .map(str::to_owned)
                .or_else(|| Some(t(&format!("field.{col_field}")).to_owned()));
            e
        })
        .collect()
}

/// The outcome of an import that was applied.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    /// Rows that created records.
    pub created: usize,
    /// Rows that updated existing records (matched by ID number).
    pub updated: usize,
    /// Rows left alone because they were there already (matched by ID number).
    pub skipped: usize,
    /// Headers that were ignored.
    pub unmapped_headers: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn maps_usual_chinese_headers() {
        let m = map_headers(
            ImportKind::People,
            &headers(&[
                "序号",
                "名字",
                "公民身份号码",
                "工作单位",
                "现任职务",
                "备注",
            ]),
        )
        .expect("maps");
        assert_eq!(m.columns["name"], 1);
        assert_eq!(m.columns["id_number"], 2);
        assert_eq!(m.columns["unit"], 3);
        assert_eq!(m.columns["position"], 4);
        assert_eq!(m.unmapped, ["序号", "备注"]);
    }

    #[test]
    fn tolerates_marks_and_notes_in_headers() {
        let m = map_headers(
            ImportKind::People,
            &headers(&["*姓 名", "身份证号码（18位）", "所在单位"]),
        )
        .expect("maps");
        assert_eq!(m.columns["id_number"], 1);
        assert_eq!(m.columns["unit"], 2);
    }

    #[test]
    fn names_missing_required_columns() {
        let e = map_headers(ImportKind::Units, &headers(&["编号", "上级单位"])).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["unit_name", "unit_kind"]);
        assert!(e[0].message.contains("单位名称"));
    }

    #[test]
    fn every_field_has_a_label() {
        for k in [ImportKind::Units, ImportKind::People, ImportKind::Relations] {
            for f in k.fields() {
                assert!(crate::i18n::has(&format!("field.{}", f.key)), "{}", f.key);
            }
        }
    }
}
