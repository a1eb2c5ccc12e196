//! Units (单位): the tree of Party and government organisations of a county.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::i18n::t;

/// The kinds of unit the registry knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// 县（市、区）委 — the root.
    County,
    /// 县委工作部门.
    PartyDept,
    /// 县级机关部门（政府工作部门、直属机构）.
    GovDept,
    /// 乡镇（街道）.
    Township,
    /// 村.
    Village,
    /// 社区.
    Community,
    /// 学校.
    School,
    /// 县属国有企业.
    Enterprise,
    /// 其他.
    Other,
}

impl UnitKind {
    /// Every kind, in UI order.
    pub const ALL: [UnitKind; 9] = [
        UnitKind::County,
        UnitKind::PartyDept,
        UnitKind::GovDept,
        UnitKind::Township,
        UnitKind::Village,
        UnitKind::Community,
        UnitKind::School,
        UnitKind::Enterprise,
        UnitKind::Other,
    ];

    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::County => "county",
            UnitKind::PartyDept => "party-dept",
            UnitKind::GovDept => "gov-dept",
            UnitKind::Township => "township",
            UnitKind::Village => "village",
            UnitKind::Community => "community",
            UnitKind::School => "school",
            UnitKind::Enterprise => "enterprise",
            UnitKind::Other => "other",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        t(&format!("unit_kind.{}", self.as_str()))
    }

    /// Parses the identifier or the Chinese label (as written in import files).
    pub fn parse(raw: &str) -> Option<UnitKind> {
        let s = raw.trim();
        UnitKind::ALL.into_iter().find(|k| {
            k.as_str() == s
                || k.label() == s
                || t(&format!("unit_kind_alias.{}", k.as_str()))
                    .split('|')
                    .any(|a| a == s)
        })
    }
}

/// A unit name: 1–100 characters, trimmed, no `/` (it separates path names in imports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName(String);

impl UnitName {
    /// Validates a unit name.
    pub fn parse(raw: &str) -> Result<UnitName, CoreError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(CoreError::invalid("name", t("error.unit_name_empty")));
        }
        if s.chars().count() > 100 || s.contains('/') {
            return Err(CoreError::invalid("name", t("error.unit_name_format")));
        }
        Ok(UnitName(s.to_owned()))
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Id.
    pub id: i64,
    /// Parent unit; `None` for the root(s).
    pub parent_id: Option<i64>,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Administrative region code (行政区划代码), when known.
    pub region_code: Option<String>,
    /// Materialised path of ids, `/1/5/23/`.
    pub path: String,
    /// Depth in the tree (root = 0).
    pub depth: i32,
    /// Budget in yuan (for risk ranking), when known.
    pub budget_yuan: Option<i64>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub updated_at: i64,
}

/// A validated new unit, or the new values of an edited one.
#[derive(Debug, Clone)]
pub struct NewUnit {
    /// Parent.
    pub parent_id: Option<i64>,
    /// Name.
    pub name: UnitName,
    /// Kind.
    pub kind: UnitKind,
    /// Region code (6, 9 or 12 digits).
    pub region_code: Option<String>,
    /// Budget in yuan.
    pub budget_yuan: Option<i64>,
}

impl NewUnit {
    /// Validates raw form or import values.
    pub fn parse(
        parent_id: Option<i64>,
        name: &str,
        kind: &str,
        region_code: &str,
        budget: &str,
    ) -> Result<NewUnit, CoreError> {
        let mut errors = Vec::new();
        let name = UnitName::parse(name)
            .map_err(|e| collect(e, &mut errors))
            .ok();
        let kind = match UnitKind::parse(kind) {
            Some(k) => Some(k),
            None => {
                errors.push(crate::FieldError::field("kind", t("error.unit_kind")));
                None
            }
        };
        let rc = region_code.trim();
        let region_code = if rc.is_empty() {
            None
        } else if matches!(rc.len(), 6 | 9 | 12) && rc.bytes().all(|b| b.is_ascii_digit()) {
            Some(rc.to_owned())
        } else {
            errors.push(crate::FieldError::field(
                "region_code",
                t("error.region_code"),
            ));
            None
        };
        let b = budget.trim().replace([',', '，'], "");
        let budget_yuan = if b.is_empty() {
            None
        } else {
            match b.parse::<f64>() {
                Ok(v) if v >= 0.0 => Some(v.round() as i64),
                _ => {
                    errors.push(crate::FieldError::field("budget_yuan", t("error.amount")));
                    None
                }
            }
        };
        match (name, kind) {
            (Some(name), Some(kind)) if errors.is_empty() => Ok(NewUnit {
                parent_id,
                name,
                kind,
                region_code,
                budget_yuan,
            }),
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}

fn collect(e: CoreError, into: &mut Vec<crate::FieldError>) {
    if let CoreError::Invalid(v) = e {
        into.extend(v);
    }
}

/// Filters of the unit list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Name contains this text.
    pub q: Option<String>,
    /// Only this kind.
    pub kind: Option<UnitKind>,
    /// Only direct children of this unit.
    pub parent_id: Option<i64>,
    /// Order of the list.
    pub sort: UnitSort,
    /// Descending instead of ascending.
    pub desc: bool,
}

/// How a unit list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnitSort {
    /// The tree: each unit followed by the units under it.
    #[default]
    Tree,
    /// By name.
    Name,
    /// By kind, then name.
    Kind,
    /// By budget.
    Budget,
}

impl UnitSort {
    /// Parses `name`, `kind`, `budget` (anything else: the tree).
    pub fn parse(s: &str) -> UnitSort {
        match s {
            "name" => UnitSort::Name,
            "kind" => UnitSort::Kind,
            "budget" => UnitSort::Budget,
            _ => UnitSort::Tree,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_labels_and_ids() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
            assert_eq!(UnitKind::parse(k.label()), Some(k));
        }
        assert_eq!(UnitKind::parse("镇"), Some(UnitKind::Township));
    }

    #[test]
    fn new_unit_lists_every_problem() {
        match NewUnit::parse(None, " ", "planet", "12x", "-5") {
            Err(CoreError::Invalid(v)) => {
                let fields: Vec<&str> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["name", "kind", "region_code", "budget_yuan"]);
            }
            other => panic!("expected invalid, got {other:?}"),
        }
        let u = NewUnit::parse(Some(1), "县财政局", "县级机关部门", "530102", "1,200,000")
            .expect("valid");
        assert_eq!(u.budget_yuan, Some(1_200_000));
    }
}
