//! Registry imports: map headers, validate every row, resolve references,
//! check the jurisdiction of every row, then apply all rows in one
//! transaction — or nothing, with every problem named by row and column.

use std::collections::HashMap;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::{CoreError, FieldError};
use crate::i18n::{t, tf};
use crate::import::{at_row, map_headers, HeaderMapping, ImportKind, ImportReport, RawTable};
use crate::policy::{self, Action};
use crate::registry::{Kinship, NewPerson, NewRelation, NewUnit, PersonInput, Unit};
use crate::store::{ImportParent, ImportUnit, Store};

use super::meta;

/// At most this many problems are listed; the rest are counted.
const MAX_ERRORS: usize = 200;

/// Imports a table of `kind` on behalf of `actor`.
pub async fn import(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    kind: ImportKind,
    table: &RawTable,
) -> Result<ImportReport, CoreError> {
    let scope = policy::scope(actor, Action::ImportRegistry)?;
    let mapping = map_headers(kind, &table.headers).map_err(CoreError::Invalid)?;
    if table.rows.is_empty() {
        return Err(CoreError::invalid("file", t("import.no_rows")));
    }
    let units = store.all_units(&policy::Scope::all()).await?;
    let resolver = UnitResolver::new(&units);
    let meta = meta(actor, clock);
    let mut report = match kind {
        ImportKind::Units => {
            let rows = units_rows(table, &mapping, &resolver, &scope)?;
            store.import_units(&rows, &meta).await?
        }
        ImportKind::People => {
            let rows = people_rows(table, &mapping, &resolver, &scope)?;
            store.import_people(&rows, &meta).await?
        }
        ImportKind::Relations => {
            let rows = relation_rows(store, table, &mapping, &scope).await?;
            store.import_relations(&rows, &meta).await?
        }
    };
    report.unmapped_headers = mapping.unmapped;
    Ok(report)
}

pub(crate) fn finish<T>(rows: Vec<T>, mut errors: Vec<FieldError>) -> Result<Vec<T>, CoreError> {
    if errors.is_empty() {
        return Ok(rows);
    }
    if errors.len() > MAX_ERRORS {
        let more = errors.len() - MAX_ERRORS;
        errors.truncate(MAX_ERRORS);
        errors.push(FieldError::field(
            "file",
            tf("import.too_many_errors", &[("n", &more.to_string())]),
        ));
    }
    Err(CoreError::Invalid(errors))
}

/// Finds units by name, or by `上级/名称` when a name is not unique.
pub(crate) struct UnitResolver<'a> {
    by_name: HashMap<&'a str, Vec<&'a Unit>>,
    by_id: HashMap<i64, &'a Unit>,
}

impl<'a> UnitResolver<'a> {
    pub(crate) fn new(units: &'a [Unit]) -> Self {
        let mut by_name: HashMap<&str, Vec<&Unit>> = HashMap::new();
        for u in units {
            by_name.entry(u.name.as_str()).or_default().push(u);
        }
        UnitResolver {
            by_name,
            by_id: units.iter().map(|u| (u.id, u)).collect(),
        }
    }

    pub(crate) fn find(&self, raw: &str) -> Result<&'a Unit, String> {
        let (parent, name) = match raw.rsplit_once('/') {
            Some((p, n)) => (Some(p.trim()), n.trim()),
            None => (None, raw.trim()),
        };
        let candidates: Vec<&Unit> = self
            .by_name
            .get(name)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|u| match parent {
                        Some(p) => u
                            .parent_id
                            .and_then(|pid| self.by_id.get(&pid))
                            .is_some_and(|pu| pu.name == p.rsplit('/').next().unwrap_or(p).trim()),
                        None => true,
                    })
                    .collect()
            })
            .unwrap_or_default();
        match candidates.as_slice() {
            [u] => Ok(u),
            [] => Err(tf("import.unknown_unit", &[("name", raw)])),
            _ => Err(tf("import.ambiguous_unit", &[("name", raw)])),
        }
    }
}

fn units_rows(
    table: &RawTable,
    mapping: &HeaderMapping,
    resolver: &UnitResolver<'_>,
    scope: &policy::Scope,
) -> Result<Vec<ImportUnit>, CoreError> {
    let mut rows: Vec<ImportUnit> = Vec::new();
    let mut errors = Vec::new();
    // Units created earlier in the same file, by name → row index.
    let mut in_file: HashMap<String, (usize, usize)> = HashMap::new();
    let col = [
        ("name", "unit_name"),
        ("kind", "unit_kind"),
        ("region_code", "region_code"),
        ("budget_yuan", "budget_yuan"),
        ("parent_id", "parent_unit"),
    ];
    for row in &table.rows {
        let name = mapping.cell(row, "unit_name");
        let parent_raw = mapping.cell(row, "parent_unit");
        let parent = if parent_raw.is_empty() {
            Ok(ImportParent::None)
        } else if let Some((i, _)) = in_file.get(parent_raw) {
            Ok(ImportParent::Row(*i))
        } else {
            resolver.find(parent_raw).and_then(|u| {
                if scope.contains(&u.path) {
                    Ok(ImportParent::Existing(u.id))
                } else {
                    Err(tf("import.outside_jurisdiction", &[("name", parent_raw)]))
                }
            })
        };
        let parent = match parent {
            Ok(ImportParent::None) if scope.within.is_some() => {
                Err(tf("import.outside_jurisdiction", &[("name", name)]))
            }
            other => other,
        };
        let parsed = NewUnit::parse(
            None,
            name,
            mapping.cell(row, "unit_kind"),
            mapping.cell(row, "region_code"),
            mapping.cell(row, "budget_yuan"),
        );
        let mut row_errors = match &parsed {
            Err(CoreError::Invalid(v)) => v.clone(),
            _ => Vec::new(),
        };
        if let Err(m) = &parent {
            row_errors.push(FieldError::field("parent_id", m.clone()));
        }
        if let Some((_, line)) = in_file.get(name) {
            row_errors.push(FieldError::field(
                "name",
                tf(
                    "import.duplicate_unit_in_file",
                    &[("row", &line.to_string())],
                ),
            ));
        }
        if !row_errors.is_empty() {
            errors.extend(at_row(row_errors, table, mapping, row.line, &col));
            continue;
        }
        if let (Ok(unit), Ok(parent)) = (parsed, parent) {
            in_file.insert(name.to_owned(), (rows.len(), row.line));
            rows.push(ImportUnit { unit, parent });
        }
    }
    finish(rows, errors)
}

fn people_rows(
    table: &RawTable,
    mapping: &HeaderMapping,
    resolver: &UnitResolver<'_>,
    scope: &policy::Scope,
) -> Result<Vec<NewPerson>, CoreError> {
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut unit_cache: HashMap<&str, Result<i64, String>> = HashMap::new();
    let col = [("unit_id", "unit")];
    for row in &table.rows {
        let unit_raw = mapping.cell(row, "unit");
        let unit = if unit_raw.is_empty() {
            if scope.sees_unattached() {
                Ok(None)
            } else {
                Err(t("error.unit_required").to_owned())
            }
        } else {
            unit_cache
                .entry(unit_raw)
                .or_insert_with(|| {
                    resolver.find(unit_raw).and_then(|u| {
                        if scope.contains(&u.path) {
                            Ok(u.id)
                        } else {
                            Err(tf("import.outside_jurisdiction", &[("name", unit_raw)]))
                        }
                    })
                })
                .clone()
                .map(Some)
        };
        let input = PersonInput {
            name: mapping.cell(row, "name"),
            id_number: mapping.cell(row, "id_number"),
            gender: mapping.cell(row, "gender"),
            birth_date: mapping.cell(row, "birth_date"),
            position: mapping.cell(row, "position"),
            phone: mapping.cell(row, "phone"),
        };
        let parsed = NewPerson::parse(&input, unit.as_ref().ok().copied().flatten());
        let mut row_errors = match &parsed {
            Err(CoreError::Invalid(v)) => v.clone(),
            _ => Vec::new(),
        };
        if let Err(m) = &unit {
            row_errors.push(FieldError::field("unit_id", m.clone()));
        }
        if let Ok(p) = &parsed {
            if let Some(id) = &p.id_number {
                if let Some(first) = seen.get(id.as_str()) {
                    row_errors.push(FieldError::field(
                        "id_number",
                        tf("import.duplicate_in_file", &[("row", &first.to_string())]),
                    ));
                } else {
                    seen.insert(id.as_str().to_owned(), row.line);
                }
            }
        }
        if !row_errors.is_empty() {
            errors.extend(at_row(row_errors, table, mapping, row.line, &col));
            continue;
        }
        if let Ok(p) = parsed {
            rows.push(p);
        }
    }
    finish(rows, errors)
}

async fn relation_rows(
    store: &dyn Store,
    table: &RawTable,
    mapping: &HeaderMapping,
    scope: &policy::Scope,
) -> Result<Vec<NewRelation>, CoreError> {
    let mut numbers = Vec::new();
    for row in &table.rows {
        for f in ["id_number_a", "id_number_b"] {
            if let Ok(id) = xuncha_text::IdNumber::parse(mapping.cell(row, f)) {
                numbers.push(id.as_str().to_owned());
            }
        }
    }
    let known = store.persons_by_id_numbers(&numbers).await?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for row in &table.rows {
        let mut row_errors = Vec::new();
        let mut person = |field: &str| -> Option<i64> {
            let raw = mapping.cell(row, field);
            match xuncha_text::IdNumber::parse(raw) {
                Err(e) => {
                    row_errors.push(FieldError::field(field, e.to_string()));
                    None
                }
                Ok(id) => match known.get(id.as_str()) {
                    None => {
                        row_errors.push(FieldError::field(
                            field,
                            tf("import.unknown_person", &[("id", id.as_str())]),
                        ));
                        None
                    }
                    Some((pid, path)) => {
                        let visible = match path {
                            Some(p) => scope.contains(p),
                            None => scope.sees_unattached(),
                        };
                        if visible {
                            Some(*pid)
                        } else {
                            row_errors.push(FieldError::field(
                                field,
                                tf("import.unknown_person", &[("id", id.as_str())]),
                            ));
                            None
                        }
                    }
                },
            }
        };
        let a = person("id_number_a");
        let b = person("id_number_b");
        let kind = Kinship::parse(mapping.cell(row, "kinship"));
        if kind.is_none() {
            row_errors.push(FieldError::field("kinship", t("error.kinship")));
        }
        if a.is_some() && a == b {
            row_errors.push(FieldError::field("id_number_b", t("import.self_relation")));
        }
        if !row_errors.is_empty() {
            errors.extend(at_row(row_errors, table, mapping, row.line, &[]));
            continue;
        }
        if let (Some(a), Some(b), Some(kind)) = (a, b, kind) {
            let detail = mapping.cell(row, "kinship_detail");
            rows.push(NewRelation {
                person_a_id: a,
                person_b_id: b,
                kind,
                detail: (!detail.is_empty()).then(|| detail.to_owned()),
            });
        }
    }
    finish(rows, errors)
}
