//! Household visits (民情走访): the household lists a campaign imports, a
//! visit with the campaign's questions, the people met, photos, an optional
//! position (only with the household's consent) and the demands raised.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use xuncha_text::IdNumber;

use crate::error::FieldError;
use crate::i18n::{t, tf};
use crate::import::{f, FieldSpec, HeaderMapping, RawTable};

/// The columns of a household list.
pub const HOUSEHOLD_FIELDS: &[FieldSpec] = &[
    f("township", false),
    f("village", true),
    f("head_name", true),
    f("id_number", false),
    f("address", false),
    f("members", false),
    f("phone", false),
];

/// A household as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Household {
    /// Id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: i64,
    /// Village target.
    pub area_id: i64,
    /// Village name.
    pub area_name: String,
    /// Team assigned to the village.
    pub team_id: Option<i64>,
    /// Head of the household.
    pub head_name: String,
    /// The head's ID number, if listed.
    pub id_number: Option<String>,
    /// Address.
    pub address: String,
    /// People in the household.
    pub members: Option<i64>,
    /// Phone.
    pub phone: String,
    /// Visits so far.
    pub visits: i64,
    /// Day of the latest visit.
    pub last_visit: Option<String>,
}

impl Household {
    /// The head's ID number as a reader may see it: in full, or masked
    /// (the API's lists; the pages do not show it).
    pub fn id_number_for(&self, full: bool) -> Option<String> {
        self.id_number.as_ref().map(|n| {
            if full {
                n.clone()
            } else {
                IdNumber::parse(n)
                    .map(|i| i.masked())
                    .unwrap_or_else(|_| "****".into())
            }
        })
    }
}

/// A validated household row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHousehold {
    /// Village target.
    pub area_id: i64,
    /// Head.
    pub head_name: String,
    /// ID number.
    pub id_number: Option<String>,
    /// Address.
    pub address: String,
    /// People.
    pub members: Option<i64>,
    /// Phone.
    pub phone: String,
}

/// A village a list row may name: its target id and township name.
#[derive(Debug, Clone)]
pub struct AreaRef {
    /// Village target id.
    pub id: i64,
    /// Village name.
    pub village: String,
    /// Township name ("" when the village is a top-level target).
    pub township: String,
}

/// The villages a list may name, by name.
pub type AreasByName<'a> = HashMap<&'a str, Vec<&'a AreaRef>>;

/// Indexes villages by name.
pub fn areas_by_name(areas: &[AreaRef]) -> AreasByName<'_> {
    let mut by_village: AreasByName<'_> = HashMap::new();
    for a in areas {
        by_village.entry(a.village.as_str()).or_default().push(a);
    }
    by_village
}

/// The village a row names: by its name, and by its township where two
/// villages share a name; else why not, in words.
pub fn find_area(
    by_village: &AreasByName<'_>,
    village: &str,
    township: &str,
) -> Result<i64, String> {
    match by_village.get(village).map(Vec::as_slice) {
        Some([one]) => Ok(one.id),
        Some(many) => {
            let m: Vec<_> = many.iter().filter(|a| a.township == township).collect();
            if let [one] = m.as_slice() {
                Ok(one.id)
            } else {
                Err(tf(
                    "error.household_village_ambiguous",
                    &[("name", village)],
                ))
            }
        }
        None => Err(tf("error.household_village", &[("name", village)])),
    }
}

/// Reads the rows of a household list. Every bad row is reported with its
/// row and column; the caller applies nothing when any is.
pub fn household_rows(
    table: &RawTable,
    mapping: &HeaderMapping,
    areas: &[AreaRef],
) -> (Vec<NewHousehold>, Vec<FieldError>) {
    let by_village = areas_by_name(areas);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in &table.rows {
        let err = |field: &str, message: String| FieldError {
            field: field.to_owned(),
            row: Some(row.line),
            column: Some(
                mapping
                    .header(table, field)
                    .map(str::to_owned)
                    .unwrap_or_else(|| t(&format!("field.{field}")).to_owned()),
            ),
            message,
        };
        let village = mapping.cell(row, "village");
        let township = mapping.cell(row, "township");
        let area = match find_area(&by_village, village, township) {
            Ok(id) => Some(id),
            Err(why) => {
                errors.push(err("village", why));
                None
            }
        };
        let head = mapping.cell(row, "head_name");
        if head.is_empty() || head.chars().count() > 50 {
            errors.push(err("head_name", t("error.household_head").to_owned()));
        }
        let id_number = match mapping.cell(row, "id_number") {
            "" => None,
            raw => match IdNumber::parse(raw) {
                Ok(n) => {
                    let s = n.as_str().to_owned();
                    if let Some(first) = seen.insert(s.clone(), row.line) {
                        errors.push(err(
                            "id_number",
                            tf("import.duplicate_in_file", &[("row", &first.to_string())]),
                        ));
                    }
                    Some(s)
                }
                Err(e) => {
                    errors.push(err("id_number", e.to_string()));
                    None
                }
            },
        };
        let members = match mapping.cell(row, "members") {
            "" => None,
            raw => match raw.trim_end_matches('人').parse::<i64>() {
                Ok(n) if (1..=99).contains(&n) => Some(n),
                _ => {
                    errors.push(err("members", t("error.household_members").to_owned()));
                    None
                }
            },
        };
        if let Some(area_id) = area {
            rows.push(NewHousehold {
                area_id,
                head_name: head.to_owned(),
                id_number,
                address: mapping.cell(row, "address").to_owned(),
                members,
                phone: mapping.cell(row, "phone").to_owned(),
            });
        }
    }
    (rows, errors)
}

/// A visit as stored in its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitResult {
    /// The household's head (copied, for lists).
    pub head_name: String,
    /// Answers, in the order of the campaign's questions.
    pub answers: Vec<String>,
    /// Who was met.
    pub met: String,
    /// Remarks.
    pub note: String,
    /// Position (latitude, longitude), only with consent.
    pub position: Option<(f64, f64)>,
}

/// The visit form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitInput {
    /// Re-send key.
    pub client_key: String,
    /// Day (today when empty).
    pub day: String,
    /// Answers keyed by question index.
    pub answers: HashMap<usize, String>,
    /// Who was met.
    pub met: String,
    /// Remarks.
    pub note: String,
    /// Whether the household agreed to record the position.
    pub consent: bool,
    /// Latitude as sent by the phone.
    pub lat: String,
    /// Longitude.
    pub lon: String,
    /// Demands raised.
    pub demands: Vec<DemandInput>,
}

/// A demand as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemandInput {
    /// Category.
    pub category: String,
    /// What is asked.
    pub content: String,
    /// Responsible department.
    pub department: String,
}

impl DemandInput {
    /// Whether the row was left empty.
    pub fn is_blank(&self) -> bool {
        self.content.trim().is_empty() && self.department.trim().is_empty()
    }
}

impl VisitInput {
    /// Validates against the campaign's questions and categories, and
    /// returns the visit and its demands (trimmed, blank rows dropped). Every
    /// question needs an answer (`无` is an answer); the people met are
    /// required; a position is kept only with consent and when it parses.
    pub fn parse(
        &self,
        questions: &[String],
        categories: &[String],
        head_name: &str,
    ) -> Result<(VisitResult, Vec<DemandInput>), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut answers = Vec::with_capacity(questions.len());
        for (i, q) in questions.iter().enumerate() {
            let a = self.answers.get(&i).map(|s| s.trim()).unwrap_or_default();
            if a.is_empty() {
                errors.push(FieldError::field(
                    &format!("answer_{i}"),
                    tf("error.visit_answer", &[("question", q)]),
                ));
            } else if a.chars().count() > 1000 {
                errors.push(FieldError::field(
                    &format!("answer_{i}"),
                    tf("error.too_long_n", &[("max", "1000")]),
                ));
            }
            answers.push(a.to_owned());
        }
        if self.met.trim().is_empty() {
            errors.push(FieldError::field("met", t("error.visit_met")));
        }
        let position = if self.consent {
            match (
                self.lat.trim().parse::<f64>(),
                self.lon.trim().parse::<f64>(),
            ) {
                (Ok(lat), Ok(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Some((lat, lon)),
                _ => None,
            }
        } else {
            None
        };
        let mut demands = Vec::new();
        for (i, d) in self.demands.iter().enumerate() {
            if d.is_blank() {
                continue;
            }
            if !categories.iter().any(|c| c == d.category.trim()) {
                errors.push(FieldError::field(
                    &format!("category_{i}"),
                    t("error.demand_category"),
                ));
            }
            let content = d.content.trim();
            if content.chars().count() < 2 || content.chars().count() > 1000 {
                errors.push(FieldError::field(
                    &format!("content_{i}"),
                    t("error.demand_content"),
                ));
            }
            demands.push(DemandInput {
                category: d.category.trim().to_owned(),
                content: content.to_owned(),
                department: d.department.trim().to_owned(),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok((
            VisitResult {
                head_name: head_name.to_owned(),
                answers,
                met: self.met.trim().to_owned(),
                note: self.note.trim().to_owned(),
                position,
            },
            demands,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{map_fields, RawRow};

    fn table(rows: &[[&str; 4]]) -> RawTable {
        RawTable {
            headers: ["乡镇", "村（社区）", "户主姓名", "身份证号码"]
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
    fn households_resolve_villages_and_name_bad_cells() {
        let areas = vec![
            AreaRef {
                id: 1,
                village: "青石村".into(),
                township: "青石镇".into(),
            },
            AreaRef {
                id: 2,
                village: "新村".into(),
                township: "青石镇".into(),
            },
            AreaRef {
                id: 3,
                village: "新村".into(),
                township: "城关镇".into(),
            },
        ];
        let t = table(&[
            ["", "青石村", "张三", ""],
            ["城关镇", "新村", "李四", "11010519491231002X"],
            ["", "新村", "王五", ""],
            ["", "无此村", "", "123"],
        ]);
        let m = map_fields(HOUSEHOLD_FIELDS, &t.headers).expect("maps");
        let (rows, errors) = household_rows(&t, &m, &areas);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].area_id, 3);
        let where_: Vec<_> = errors
            .iter()
            .map(|e| (e.row.unwrap_or(0), e.column.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            where_,
            vec![
                (4, "村（社区）".to_owned()),
                (5, "村（社区）".to_owned()),
                (5, "户主姓名".to_owned()),
                (5, "身份证号码".to_owned())
            ]
        );
    }

    #[test]
    fn visits_need_answers_and_keep_position_only_with_consent() {
        let q = vec!["住房安全吗".to_owned(), "有何困难".to_owned()];
        let cats = vec!["基础设施".to_owned()];
        let mut v = VisitInput {
            met: "户主本人".into(),
            lat: "25.1".into(),
            lon: "102.7".into(),
            ..Default::default()
        };
        v.answers.insert(0, "安全".into());
        let e = v.parse(&q, &cats, "张三").expect_err("unanswered");
        assert_eq!(e[0].field, "answer_1");
        v.answers.insert(1, "村道破损".into());
        v.demands.push(DemandInput {
            category: "基础设施".into(),
            content: "修复村道".into(),
            department: "交通运输局".into(),
        });
        let (r, d) = v.parse(&q, &cats, "张三").expect("valid");
        assert_eq!(r.position, None, "no consent, no position");
        assert_eq!(d.len(), 1);
        v.consent = true;
        assert_eq!(
            v.parse(&q, &cats, "张三").expect("valid").0.position,
            Some((25.1, 102.7))
        );
    }
}
