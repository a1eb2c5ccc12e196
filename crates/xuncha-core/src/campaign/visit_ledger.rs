//! Visit records kept on paper (走访台账), typed into a spreadsheet and
//! imported: one row per visit — the household (by ID number, else the
//! head's name within the village), the day, the cadre who went, who was
//! met, what was found, and optionally one demand. This module reads and
//! checks the rows on their own; finding the households and cadres, and
//! storing, is the use case's (`usecases::campaigns::ledger`).

use crate::error::FieldError;
use crate::i18n::{t, tf};
use crate::import::{f, FieldSpec, HeaderMapping, RawRow, RawTable};

use super::visit::{areas_by_name, find_area, AreaRef, DemandInput};

/// The columns of a visit ledger.
pub const VISIT_LEDGER_FIELDS: &[FieldSpec] = &[
    f("township", false),
    f("village", true),
    f("head_name", true),
    f("id_number", false),
    f("visit_day", true),
    f("visit_cadre", true),
    f("visit_met", true),
    f("visit_note", false),
    f("demand_category", false),
    f("demand_content", false),
    f("demand_department", false),
];

/// One checked row of a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// The village target.
    pub area_id: i64,
    /// The village's name as written.
    pub village: String,
    /// The head's name as written.
    pub head_name: String,
    /// The head's ID number (18 digits), if given.
    pub id_number: Option<String>,
    /// Day of the visit.
    pub day: String,
    /// The cadre who went, as written (a login or a name).
    pub cadre: String,
    /// Who was met.
    pub met: String,
    /// What was found.
    pub note: String,
    /// The demand raised, if any.
    pub demand: Option<DemandInput>,
}

/// A problem with a cell: the row and the column as the file names it.
pub fn cell_error(
    table: &RawTable,
    mapping: &HeaderMapping,
    row: &RawRow,
    field: &str,
    message: String,
) -> FieldError {
    FieldError {
        field: field.to_owned(),
        row: Some(row.line),
        column: Some(
            mapping
                .header(table, field)
                .map(str::to_owned)
                .unwrap_or_else(|| t(&format!("field.{field}")).to_owned()),
        ),
        message,
    }
}

/// Reads and checks the rows of a ledger against the campaign's villages
/// and demand categories, as of `today` (a visit is never in the future).
/// Every problem is reported with its row and column.
pub fn ledger_rows(
    table: &RawTable,
    mapping: &HeaderMapping,
    areas: &[AreaRef],
    categories: &[String],
    today: &str,
) -> (Vec<LedgerRow>, Vec<FieldError>) {
    let by_village = areas_by_name(areas);
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in &table.rows {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let before = errors.len();
        let cell = |field: &str| mapping.cell(row, field);
        let err = |field: &str, message: String| cell_error(table, mapping, row, field, message);
        let village = cell("village");
        let area = find_area(&by_village, village, cell("township"))
            .map_err(|why| errors.push(err("village", why)))
            .ok();
        let head = cell("head_name");
        if head.is_empty() || head.chars().count() > 50 {
            errors.push(err("head_name", t("error.household_head").to_owned()));
        }
        let id_number = match cell("id_number") {
            "" => None,
            raw => match xuncha_text::IdNumber::parse(raw) {
                Ok(n) => Some(n.as_str().to_owned()),
                Err(e) => {
                    errors.push(err("id_number", e.to_string()));
                    None
                }
            },
        };
        // Paper ledgers write 2026/11/21 or 2026年11月21日 as often as ISO.
        let day = match crate::registry::parse_date(cell("visit_day")) {
            Some(d) if d.as_str() <= today => d,
            _ => {
                errors.push(err("visit_day", t("error.campaign_day").to_owned()));
                String::new()
            }
        };
        let cadre = cell("visit_cadre");
        if cadre.is_empty() {
            errors.push(err(
                "visit_cadre",
                t("error.ledger_cadre_missing").to_owned(),
            ));
        }
        let met = cell("visit_met");
        if met.is_empty() {
            errors.push(err("visit_met", t("error.visit_met").to_owned()));
        }
        let note = cell("visit_note");
        if note.chars().count() > 1000 {
            errors.push(err(
                "visit_note",
                tf("error.too_long_n", &[("max", "1000")]),
            ));
        }
        let (category, content, department) = (
            cell("demand_category"),
            cell("demand_content"),
            cell("demand_department"),
        );
        let demand = if category.is_empty() && content.is_empty() && department.is_empty() {
            None
        } else {
            if !categories.iter().any(|c| c == category) {
                errors.push(err(
                    "demand_category",
                    tf(
                        "error.ledger_category",
                        &[("name", category), ("all", &categories.join("、"))],
                    ),
                ));
            }
            let n = content.chars().count();
            if !(2..=1000).contains(&n) {
                errors.push(err("demand_content", t("error.demand_content").to_owned()));
            }
            Some(DemandInput {
                category: category.to_owned(),
                content: content.to_owned(),
                department: department.to_owned(),
            })
        };
        if let (Some(area_id), true) = (area, errors.len() == before) {
            rows.push(LedgerRow {
                line: row.line,
                area_id,
                village: village.to_owned(),
                head_name: head.to_owned(),
                id_number,
                day,
                cadre: cadre.to_owned(),
                met: met.to_owned(),
                note: note.to_owned(),
                demand,
            });
        }
    }
    (rows, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::map_fields;

    fn table(rows: &[[&str; 9]]) -> RawTable {
        RawTable {
            headers: [
                "乡镇",
                "村（社区）",
                "户主姓名",
                "身份证号码",
                "走访日期",
                "走访干部",
                "见到的人",
                "诉求类别",
                "诉求内容",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| RawRow {
                    line: i + 2,
                    cells: r.map(str::to_owned).to_vec(),
                })
                .collect(),
        }
    }

    #[test]
    fn every_problem_is_named_by_row_and_column() {
        let areas = [
            AreaRef {
                id: 1,
                village: "青石村".into(),
                township: "青石镇".into(),
            },
            AreaRef {
                id: 2,
                village: "河口村".into(),
                township: "青石镇".into(),
            },
        ];
        let t = table(&[
            [
                "青石镇",
                "青石村",
                "王大山",
                "",
                "2026-11-20",
                "zoufang",
                "户主本人",
                "",
                "",
            ],
            [
                "",
                "河口村",
                "赵三",
                "",
                "2026/11/21",
                "李干部",
                "其配偶",
                "基础设施",
                "村道破损",
            ],
            ["", "无名村", "", "123", "2026-12-30", "", "", "天气", "雨"],
            ["", "", "", "", "", "", "", "", ""],
        ]);
        let mapping = map_fields(VISIT_LEDGER_FIELDS, &t.headers).unwrap();
        let cats = vec!["基础设施".to_owned()];
        let (rows, errors) = ledger_rows(&t, &mapping, &areas, &cats, "2026-11-27");
        assert_eq!(rows.len(), 2, "the blank row is skipped");
        assert_eq!(rows[1].day, "2026-11-21");
        assert_eq!(
            rows[1].demand.as_ref().map(|d| d.content.as_str()),
            Some("村道破损")
        );
        let at: Vec<(Option<usize>, Option<&str>)> = errors
            .iter()
            .map(|e| (e.row, e.column.as_deref()))
            .collect();
        assert_eq!(
            at,
            vec![
                (Some(4), Some("村（社区）")),
                (Some(4), Some("户主姓名")),
                (Some(4), Some("身份证号码")),
                (Some(4), Some("走访日期")),
                (Some(4), Some("走访干部")),
                (Some(4), Some("见到的人")),
                (Some(4), Some("诉求类别")),
                (Some(4), Some("诉求内容")),
            ]
        );
        assert!(errors[6].message.contains("天气"), "{}", errors[6].message);
    }
}
