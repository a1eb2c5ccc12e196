//! Checklists: items written one a line (`地面清洁（20分）`,
//! `无违规电器（合格/不合格）`, `消防通道畅通（隐患）`), and the rating of a
//! room against them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::{t, tf};

/// How an item is rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemKind {
    /// Points from 0 to `max`.
    Score {
        /// Full marks.
        max: u32,
    },
    /// Pass or fail.
    Check,
    /// A safety hazard present or not; present opens a follow-up.
    Hazard,
}

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// What is checked.
    pub label: String,
    /// How.
    pub kind: ItemKind,
}

/// Most items on a checklist.
pub const MAX_ITEMS: usize = 60;

/// Parses a checklist, one item a line. The mark in full-width or ASCII
/// parentheses at the end decides the kind: `（N分）` points, `（隐患）` a
/// hazard, anything else (or none) pass/fail.
pub fn parse_items(text: &str) -> Result<Vec<ChecklistItem>, Vec<FieldError>> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let (label, mark) = split_mark(line);
        let kind = match mark.as_deref() {
            Some(m) if m.ends_with('分') => match m.trim_end_matches('分').trim().parse::<u32>() {
                Ok(max) if (1..=1000).contains(&max) => ItemKind::Score { max },
                _ => {
                    errors.push(FieldError::field(
                        "checklist",
                        tf(
                            "error.checklist_points",
                            &[("line", &(i + 1).to_string()), ("text", line)],
                        ),
                    ));
                    continue;
                }
            },
            Some("隐患") => ItemKind::Hazard,
            _ => ItemKind::Check,
        };
        if label.is_empty() {
            errors.push(FieldError::field(
                "checklist",
                tf("error.checklist_label", &[("line", &(i + 1).to_string())]),
            ));
            continue;
        }
        items.push(ChecklistItem {
            label: label.to_owned(),
            kind,
        });
    }
    if items.is_empty() && errors.is_empty() {
        errors.push(FieldError::field("checklist", t("error.checklist_empty")));
    }
    if items.len() > MAX_ITEMS {
        errors.push(FieldError::field(
            "checklist",
            tf("error.checklist_many", &[("max", &MAX_ITEMS.to_string())]),
        ));
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// Splits `标签（标记）` into the label and the mark.
fn split_mark(line: &str) -> (&str, Option<String>) {
    let line = line.trim_end();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(stripped) = line.strip_suffix(close) {
            if let Some(at) = stripped.rfind(open) {
                let mark = stripped[at + open.len_utf8()..].trim().to_owned();
                return (stripped[..at].trim(), Some(mark));
            }
        }
    }
    (line, None)
}

/// Writes the items back in the line syntax (for editing and copying).
pub fn items_text(items: &[ChecklistItem]) -> String {
    items
        .iter()
        .map(|i| match i.kind {
            ItemKind::Score { max } => format!("{}（{max}分）", i.label),
            ItemKind::Check => format!("{}（合格/不合格）", i.label),
            ItemKind::Hazard => format!("{}（隐患）", i.label),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rating of one room as stored in its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomResult {
    /// Per item (same order as the checklist): points in tenths, or
    /// 1 = passed / no hazard, 0 = failed / hazard present.
    pub marks: Vec<i64>,
    /// Items failed (labels), for lists and reports.
    pub failed: Vec<String>,
    /// Hazards found (item labels and free text).
    pub hazards: Vec<String>,
    /// People present (residents, the team).
    pub present: String,
    /// Outsiders found and removed.
    pub outsiders: String,
    /// Remarks.
    pub note: String,
}

/// The room form as typed (marks keyed by item index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoomRecordInput {
    /// Re-send key from the form.
    pub client_key: String,
    /// Day of the work (`YYYY-MM-DD`, today when empty).
    pub day: String,
    /// `mark_N` values.
    pub marks: BTreeMap<usize, String>,
    /// Other hazard found, free text.
    pub other_hazard: String,
    /// People present.
    pub present: String,
    /// Outsiders.
    pub outsiders: String,
    /// Remarks.
    pub note: String,
    /// Items confiscated.
    pub items: Vec<super::ConfiscationInput>,
}

/// Rates a room: every item must be answered; scores within their range.
/// Returns the result and the total score in tenths (None when the
/// checklist has no scored item).
pub fn rate(
    items: &[ChecklistItem],
    input: &RoomRecordInput,
) -> Result<(RoomResult, Option<i64>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut marks = Vec::with_capacity(items.len());
    let mut failed = Vec::new();
    let mut hazards = Vec::new();
    let mut total = None::<i64>;
    for (i, item) in items.iter().enumerate() {
        let field = format!("mark_{i}");
        let raw = input.marks.get(&i).map(|s| s.trim()).unwrap_or_default();
        let value = match item.kind {
            ItemKind::Score { max } => match parse_points(raw) {
                Some(v) if v <= i64::from(max) * 10 => {
                    *total.get_or_insert(0) += v;
                    if v * 10 < i64::from(max) * 10 * 6 {
                        failed.push(item.label.clone());
                    }
                    Some(v)
                }
                _ => {
                    errors.push(FieldError::field(
                        &field,
                        tf(
                            "error.checklist_mark",
                            &[("item", &item.label), ("max", &max.to_string())],
                        ),
                    ));
                    None
                }
            },
            ItemKind::Check | ItemKind::Hazard => match raw {
                "1" | "pass" | "ok" => Some(1),
                "0" | "fail" | "hazard" => {
                    if item.kind == ItemKind::Hazard {
                        hazards.push(item.label.clone());
                    } else {
                        failed.push(item.label.clone());
                    }
                    Some(0)
                }
                _ => {
                    errors.push(FieldError::field(
                        &field,
                        tf("error.checklist_answer", &[("item", &item.label)]),
                    ));
                    None
                }
            },
        };
        marks.push(value.unwrap_or_default());
    }
    let other = input.other_hazard.trim();
    if !other.is_empty() {
        hazards.push(other.to_owned());
    }
    for (field, v, max) in [
        ("present", &input.present, 500),
        ("outsiders", &input.outsiders, 500),
        ("note", &input.note, 2000),
        ("other_hazard", &input.other_hazard, 500),
    ] {
        if v.chars().count() > max {
            errors.push(FieldError::field(
                field,
                tf("error.too_long_n", &[("max", &max.to_string())]),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        RoomResult {
            marks,
            failed,
            hazards,
            present: input.present.trim().to_owned(),
            outsiders: input.outsiders.trim().to_owned(),
            note: input.note.trim().to_owned(),
        },
        total,
    ))
}

/// Points as tenths: `18`, `18.5`, `１８` (full-width digits folded).
fn parse_points(raw: &str) -> Option<i64> {
    let s: String = raw
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 1 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(w * 10 + f)
}

/// Formats tenths of a point (`185` → `18.5`, `180` → `18`).
pub fn points(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<ChecklistItem> {
        parse_items(
            "地面清洁（20分）\n床铺整齐(10分)\n无违规电器（合格/不合格）\n消防通道畅通（隐患）",
        )
        .expect("valid")
    }

    #[test]
    fn line_syntax() {
        let it = items();
        assert_eq!(it.len(), 4);
        assert_eq!(it[0].kind, ItemKind::Score { max: 20 });
        assert_eq!(it[1].label, "床铺整齐");
        assert_eq!(it[2].kind, ItemKind::Check);
        assert_eq!(it[3].kind, ItemKind::Hazard);
        assert_eq!(parse_items(&items_text(&it)).expect("round trip"), it);
        let e = parse_items("地面（二十分）\n").expect_err("bad points");
        assert!(e[0].message.contains('1'), "{:?}", e);
        assert!(parse_items("\n \n").is_err());
    }

    #[test]
    fn rating_scores_fails_and_hazards() {
        let mut input = RoomRecordInput::default();
        for (i, v) in ["18.5", "５", "0", "hazard"].iter().enumerate() {
            input.marks.insert(i, (*v).to_owned());
        }
        input.other_hazard = "私拉电线".into();
        let (r, total) = rate(&items(), &input).expect("valid");
        assert_eq!(total, Some(235));
        assert_eq!(r.marks, vec![185, 50, 0, 0]);
        assert_eq!(r.failed, vec!["床铺整齐", "无违规电器"]);
        assert_eq!(r.hazards, vec!["消防通道畅通", "私拉电线"]);
        assert_eq!(points(235), "23.5");
        assert_eq!(points(200), "20");
    }

    #[test]
    fn every_item_answered_within_range() {
        let mut input = RoomRecordInput::default();
        input.marks.insert(0, "21".into());
        input.marks.insert(1, "x".into());
        let e = rate(&items(), &input).expect_err("invalid");
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["mark_0", "mark_1", "mark_2", "mark_3"]);
    }
}
