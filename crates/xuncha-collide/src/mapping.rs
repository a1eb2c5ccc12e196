//! Header auto-mapping: which column of a file holds which field of a kind.
//!
//! Exact alias matches win first (for every field), then a header that
//! contains an alias (`身份证号码（18位）`). An explicit mapping — what a
//! user confirmed or corrected on the mapping screen, or `--map` on the
//! command line — overrides both.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use xuncha_core::i18n::tf;
use xuncha_core::import::normalize_header;

use crate::error::{CollideError, Result};
use crate::kind::{Field, Kind};

/// The column chosen for each field, and what was left over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Field key → column index (0-based).
    pub columns: BTreeMap<String, usize>,
    /// Field key → header as written, for the report and the mapping screen.
    pub headers: BTreeMap<String, String>,
    /// Non-empty headers that matched no field (kept only in generic lists).
    pub unmapped: Vec<String>,
}

impl Mapping {
    /// The column of `field`, if mapped.
    pub fn column(&self, field: &str) -> Option<usize> {
        self.columns.get(field).copied()
    }
}

/// Maps `headers` onto the fields of `kind`. `overrides` are
/// `(field, header)` pairs where the field is its key or Chinese label and
/// the header is as written in the file (or its normalised form); an empty
/// header unmaps the field.
pub fn map_headers(
    kind: Kind,
    headers: &[String],
    overrides: &[(String, String)],
) -> Result<Mapping> {
    map(kind, headers, overrides, true)
}

/// The auto-mapping alone, required fields left unmapped when no header
/// matches: what the mapping screen proposes before the user corrects it.
pub fn suggest_mapping(kind: Kind, headers: &[String]) -> Mapping {
    // Without overrides and without the required check nothing can fail.
    map(kind, headers, &[], false).unwrap_or_default()
}

fn map(
    kind: Kind,
    headers: &[String],
    overrides: &[(String, String)],
    require: bool,
) -> Result<Mapping> {
    let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let fields = kind.fields();
    let mut columns: BTreeMap<String, usize> = BTreeMap::new();
    let mut taken = vec![false; headers.len()];
    let mut pinned: Vec<&'static str> = Vec::new();
    for (field, header) in overrides {
        let spec = find_field(fields, field).ok_or_else(|| {
            let known: Vec<&str> = fields.iter().map(|f| f.label()).collect();
            CollideError::Invalid(tf(
                "collide.map_unknown_field",
                &[("field", field), ("fields", &known.join("、"))],
            ))
        })?;
        pinned.push(spec.key);
        if header.trim().is_empty() {
            continue;
        }
        let want = normalize_header(header);
        let i = headers
            .iter()
            .zip(&normalized)
            .position(|(h, n)| h.trim() == header.trim() || *n == want)
            .ok_or_else(|| {
                CollideError::Invalid(tf(
                    "collide.map_unknown_header",
                    &[("header", header), ("headers", &headers.join("、"))],
                ))
            })?;
        taken[i] = true;
        columns.insert(spec.key.to_owned(), i);
    }
    for pass in 0..2 {
        for spec in fields {
            if pinned.contains(&spec.key) || columns.contains_key(spec.key) {
                continue;
            }
            let aliases = spec.aliases();
            let found = normalized.iter().enumerate().position(|(i, h)| {
                !taken[i]
                    && !h.is_empty()
                    && aliases
                        .iter()
                        .any(|a| if pass == 0 { h == a } else { h.contains(a) })
            });
            if let Some(i) = found {
                taken[i] = true;
                columns.insert(spec.key.to_owned(), i);
            }
        }
    }
    let missing: Vec<String> = fields
        .iter()
        .filter(|f| require && f.required && !columns.contains_key(f.key))
        .map(|f| {
            tf(
                "collide.missing_column",
                &[("label", f.label()), ("aliases", &f.aliases().join("、"))],
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(CollideError::Invalid(missing.join("\n")));
    }
    let headers_of = columns
        .iter()
        .map(|(k, &i)| (k.clone(), headers[i].clone()))
        .collect();
    let unmapped = headers
        .iter()
        .zip(&taken)
        .filter(|(h, t)| !**t && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    Ok(Mapping {
        columns,
        headers: headers_of,
        unmapped,
    })
}

fn find_field<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    let name = name.trim();
    fields.iter().find(|f| f.key == name || f.label() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn messy_headers_map_by_alias_and_containment() {
        let headers = h(&[
            "序号",
            " 姓 名 ",
            "公民身份号码（18位）",
            "救助类别*",
            "审批人身份证号",
            "发放月份",
            "村（社区）",
            "备注",
        ]);
        let m = map_headers(Kind::Subsidy, &headers, &[]).expect("maps");
        assert_eq!(m.column("name"), Some(1));
        assert_eq!(m.column("id_number"), Some(2));
        assert_eq!(m.column("programme"), Some(3));
        assert_eq!(m.column("approver_id_number"), Some(4));
        assert_eq!(m.column("pay_month"), Some(5));
        assert_eq!(m.column("village"), Some(6));
        assert_eq!(m.unmapped, ["序号", "备注"]);
    }

    #[test]
    fn suggestions_leave_unmatched_required_fields_open() {
        let m = suggest_mapping(Kind::Deceased, &h(&["姓名", "号码"]));
        assert_eq!(m.column("name"), Some(0));
        assert_eq!(m.column("death_date"), None);
    }

    #[test]
    fn missing_required_column_is_named_in_chinese() {
        let err = map_headers(Kind::Deceased, &h(&["姓名", "身份证号"]), &[]).expect_err("no date");
        assert!(err.to_string().contains("死亡日期"), "{err}");
    }

    #[test]
    fn overrides_win_and_unknown_ones_are_refused() {
        let headers = h(&["人名", "号码", "亡故日"]);
        let o = vec![
            ("姓名".to_owned(), "人名".to_owned()),
            ("id_number".to_owned(), "号码".to_owned()),
            ("死亡日期".to_owned(), "亡故日".to_owned()),
        ];
        let m = map_headers(Kind::Deceased, &headers, &o).expect("maps");
        assert_eq!(
            (m.column("name"), m.column("death_date")),
            (Some(0), Some(2))
        );
        let bad = vec![("工资".to_owned(), "人名".to_owned())];
        assert!(map_headers(Kind::Deceased, &headers, &bad).is_err());
        let bad = vec![("姓名".to_owned(), "不存在".to_owned())];
        let err = map_headers(Kind::Deceased, &headers, &bad).expect_err("no header");
        assert!(err.to_string().contains("不存在"));
    }
}
