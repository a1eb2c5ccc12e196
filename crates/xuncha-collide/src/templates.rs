//! The built-in rule templates. Each is SQL over the kind tables, built
//! from its parameters; titles and legal or policy bases are in the
//! catalogue (`[collide_rule]`).

use std::collections::BTreeMap;

use xuncha_core::i18n::{t, tf};

use crate::error::{CollideError, Result};
use crate::kind::Kind;
use crate::sql::{join, lit, person_pair, place_of, row_ref, text, Gaps};

/// One parameter of a template.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Name, as given on the command line (`min_value=50000`).
    pub key: &'static str,
    /// The default value.
    pub default: &'static str,
    /// Whether the value is a number (otherwise a list of words from
    /// `choices`, separated by commas).
    pub numeric: bool,
    /// Allowed words of a list parameter.
    pub choices: &'static [&'static str],
}

/// A built-in rule.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// Stable identifier (`recipient-is-payroll` …).
    pub id: &'static str,
    /// The kinds of data set it needs.
    pub needs: &'static [Kind],
    /// Its parameters.
    pub params: &'static [Param],
    build: fn(&BTreeMap<&str, String>, &Gaps) -> String,
}

impl Template {
    /// The Chinese title.
    pub fn title(&self) -> &'static str {
        t(&format!("collide_rule.{}", self.id.replace('-', "_")))
    }

    /// The legal or policy basis.
    pub fn basis(&self) -> &'static str {
        t(&format!("collide_rule.{}_basis", self.id.replace('-', "_")))
    }

    /// The rule's SQL with `overrides` (`key → value`) applied over the
    /// defaults; values are checked (numbers, listed words) before they are
    /// written into the SQL. `gaps` says which tables may lack ID numbers
    /// ([`Gaps::unknown`] for the full text).
    pub fn sql(&self, overrides: &BTreeMap<String, String>, gaps: &Gaps) -> Result<String> {
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        for p in self.params {
            let raw = overrides.get(p.key).map_or(p.default, String::as_str);
            let v = if p.numeric {
                raw.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(|v| v.to_string())
            } else {
                let words: Vec<&str> = raw.split([',', '，', '、']).map(str::trim).collect();
                words
                    .iter()
                    .all(|w| p.choices.contains(w))
                    .then(|| words.iter().map(|w| lit(w)).collect::<Vec<_>>().join(", "))
            };
            let v = v.ok_or_else(|| {
                CollideError::Invalid(tf(
                    "collide.bad_param",
                    &[("param", p.key), ("value", raw), ("rule", self.id)],
                ))
            })?;
            values.insert(p.key, v);
        }
        for k in overrides.keys() {
            if !self.params.iter().any(|p| p.key == k) {
                return Err(CollideError::Invalid(tf(
                    "collide.unknown_param",
                    &[("param", k), ("rule", self.id)],
                )));
            }
        }
        Ok((self.build)(&values, gaps))
    }
}

/// The view that lists each relation both ways, so that a rule can start
/// from either person (`relatives` rows say "A's relative is B").
pub const RELATIVES_BOTH: &str = "CREATE VIEW relatives_both AS \
SELECT _dataset, _row, id_key, name, relative_id_key, relative_id_number, relative_name, relative_name_key, relation FROM relatives \
UNION ALL \
SELECT _dataset, _row, relative_id_key AS id_key, relative_name AS name, id_key AS relative_id_key, id_number AS relative_id_number, name AS relative_name, name_key AS relative_name_key, relation FROM relatives";

/// Every template, in the order they are listed.
pub const TEMPLATES: &[Template] = &[
    Template {
        id: "recipient-is-payroll",
        needs: &[Kind::Subsidy, Kind::Payroll],
        params: &[],
        build: |_, g| {
            let ev = join(&[
                row_ref("a"),
                row_ref("b"),
                text(
                    "collide_sql.unit_post",
                    &[("unit", "b.unit"), ("post", "b.post")],
                ),
            ]);
            person_pair(g, "subsidy", "payroll", "TRUE", "TRUE", &ev, "'payroll:'")
        },
    },
    Template {
        id: "recipient-is-village-cadre",
        needs: &[Kind::Subsidy, Kind::VillageCadre],
        params: &[],
        build: |_, g| {
            let ev = join(&[
                row_ref("a"),
                row_ref("b"),
                text(
                    "collide_sql.village_post",
                    &[("village", "b.village"), ("post", "b.post")],
                ),
            ]);
            person_pair(
                g,
                "subsidy",
                "village_cadre",
                "TRUE",
                "TRUE",
                &ev,
                "'village-cadre:'",
            )
        },
    },
    Template {
        id: "recipient-relative-of-payroll",
        needs: &[Kind::Subsidy, Kind::Relatives, Kind::Payroll],
        params: &[],
        build: |_, _| relative_of("payroll", "unit", ""),
    },
    Template {
        id: "recipient-relative-of-village-cadre",
        needs: &[Kind::Subsidy, Kind::Relatives, Kind::VillageCadre],
        params: &[],
        build: |_, _| relative_of("village_cadre", "village", ""),
    },
    Template {
        id: "recipient-relative-of-approver",
        needs: &[Kind::Subsidy, Kind::Relatives],
        params: &[],
        build: |_, _| {
            let ev = join(&[
                row_ref("a"),
                row_ref("r"),
                text(
                    "collide_sql.approver",
                    &[("approver", "a.approver"), ("relation", "r.relation")],
                ),
            ]);
            format!(
                "SELECT a.id_number AS subject_id_number, a.name AS subject_name,\n\
                 CASE WHEN a.approver_id_key IS NOT NULL THEN 'strong' ELSE 'weak' END AS strength,\n\
                 CASE WHEN a.approver_id_key IS NOT NULL THEN '' ELSE {weak} END || {ev} AS evidence,\n\
                 'approver:' || COALESCE(r.relative_id_number, r.relative_name_key) AS match_key,\n\
                 {place} AS place\n\
                 FROM subsidy a JOIN relatives_both r ON a.id_key = r.id_key\n\
                 WHERE a.approver_id_key = r.relative_id_key\n\
                 OR (a.approver_id_key IS NULL AND a.approver_key = r.relative_name_key)",
                weak = lit(t("collide_sql.weak_approver")),
                place = place_of("a"),
            )
        },
    },
    Template {
        id: "deceased-still-paid",
        needs: &[Kind::Subsidy, Kind::Deceased],
        params: &[],
        build: |_, g| {
            let ev = join(&[
                row_ref("a"),
                row_ref("b"),
                text(
                    "collide_sql.death",
                    &[
                        ("death", "b.death_date"),
                        ("month", "a.pay_month"),
                        ("end", "a.period_end"),
                    ],
                ),
            ]);
            // On the roll after death: paid for a month that began after the
            // death, or a benefit period still running at the death (an open
            // period, with no payment month, counts as running).
            let extra = "(b.death_date < a.pay_month OR b.death_date < a.period_end \
                         OR (a.pay_month IS NULL AND a.period_end IS NULL))";
            person_pair(g, "subsidy", "deceased", "TRUE", extra, &ev, "'deceased:'")
        },
    },
    Template {
        id: "recipient-owns-vehicle",
        needs: &[Kind::Subsidy, Kind::Vehicle],
        params: &[Param {
            key: "min_value",
            default: "0",
            numeric: true,
            choices: &[],
        }],
        build: |p, g| {
            let ev = join(&[
                row_ref("a"),
                row_ref("b"),
                text(
                    "collide_sql.vehicle",
                    &[("plate", "b.plate"), ("value", "b.value")],
                ),
            ]);
            let on_b = format!("COALESCE(b.value, 0) >= {}", p["min_value"]);
            person_pair(g, "subsidy", "vehicle", &on_b, "TRUE", &ev, "'vehicle:'")
        },
    },
    Template {
        id: "recipient-owns-property",
        needs: &[Kind::Subsidy, Kind::Property],
        params: &[
            Param {
                key: "min_area",
                default: "0",
                numeric: true,
                choices: &[],
            },
            Param {
                key: "min_value",
                default: "0",
                numeric: true,
                choices: &[],
            },
        ],
        build: |p, g| {
            let ev = join(&[
                row_ref("a"),
                row_ref("b"),
                text(
                    "collide_sql.property",
                    &[("address", "b.address"), ("area", "b.area")],
                ),
            ]);
            let on_b = format!(
                "COALESCE(b.area, 0) >= {} AND COALESCE(b.value, 0) >= {}",
                p["min_area"], p["min_value"]
            );
            person_pair(g, "subsidy", "property", &on_b, "TRUE", &ev, "'property:'")
        },
    },
    Template {
        id: "recipient-company-role",
        needs: &[Kind::Subsidy, Kind::Company],
        params: &[Param {
            key: "roles",
            default: "法定代表人,股东",
            numeric: false,
            choices: &["法定代表人", "股东"],
        }],
        build: |p, g| {
            let ev = join(&[
                row_ref("a"),
                row_ref("b"),
                text(
                    "collide_sql.company",
                    &[("company", "b.company"), ("role", "b.role")],
                ),
            ]);
            let on_b = format!("(b.role IS NULL OR b.role IN ({}))", p["roles"]);
            let mk = "'company:' || b.company || ':'";
            person_pair(g, "subsidy", "company", &on_b, "TRUE", &ev, mk)
        },
    },
    Template {
        id: "double-benefit",
        needs: &[Kind::Subsidy],
        params: &[],
        build: |_, g| double_benefit(g),
    },
    Template {
        id: "village-cadre-relative-same-village",
        needs: &[Kind::Subsidy, Kind::Relatives, Kind::VillageCadre],
        params: &[],
        build: |_, _| {
            relative_of(
                "village_cadre",
                "village",
                "AND a.village_key = p.village_key \
                 AND (a.township_key IS NULL OR p.township_key IS NULL OR a.township_key = p.township_key)",
            )
        },
    },
];

/// Finds a template by id.
pub fn template(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

/// Recipients who are relatives of someone in `table` (by ID numbers, the
/// relations list being keyed by them).
fn relative_of(table: &str, detail: &str, extra: &str) -> String {
    let ev = join(&[
        row_ref("a"),
        row_ref("r"),
        row_ref("p"),
        text(
            "collide_sql.relative",
            &[
                ("relative", "p.name"),
                ("relation", "r.relation"),
                ("detail", &format!("p.{detail}")),
            ],
        ),
    ]);
    format!(
        "SELECT a.id_number AS subject_id_number, a.name AS subject_name, 'strong' AS strength,\n\
         {ev} AS evidence, '{table}:' || p.id_number AS match_key, {place} AS place\n\
         FROM subsidy a JOIN relatives_both r ON a.id_key = r.id_key\n\
         JOIN {table} p ON p.id_key = r.relative_id_key\n\
         WHERE a.id_key <> p.id_key {extra}",
        place = place_of("a")
    )
}

/// The same person twice on the rolls of one programme family (低保 rural
/// and urban count as one family, as do all 特困 rolls) for the same month:
/// in two programmes, two villages or two lists. Found by grouping first
/// (cheap on integer keys), then reading only the duplicated rows.
fn double_benefit(gaps: &Gaps) -> String {
    let family = "CASE WHEN programme LIKE '%低保%' THEN '低保' \
                  WHEN programme LIKE '%特困%' THEN '特困' ELSE programme END";
    let ev = format!(
        "string_agg({}, {})",
        text(
            "collide_sql.double_row",
            &[
                ("set", "s._dataset"),
                ("row", "s._row"),
                ("programme", "s.programme"),
                ("village", "s.village"),
            ],
        ),
        lit(t("collide_sql.sep"))
    );
    let differs = "(MIN(s.programme) <> MAX(s.programme) \
                   OR MIN(COALESCE(s.village_key, '')) <> MAX(COALESCE(s.village_key, '')) \
                   OR MIN(s._dataset) <> MAX(s._dataset))";
    let month = "COALESCE(pay_month, DATE '1900-01-01')";
    let place = format!("MIN({}) AS place", place_of("s"));
    // Persons listed more than once are found by their ID key alone (one
    // integer column over the whole roll); programme family and month are
    // worked out only for their rows. Grouping every row by key, family and
    // month took half as long again (bench/collide.sh: 1.5 s against 1.0 s).
    let strong = format!(
        "SELECT MAX(s.id_number) AS subject_id_number, MAX(s.name) AS subject_name, 'strong' AS strength,\n\
         {ev} AS evidence, 'double:' || MAX(s.family) || ':' || CAST(MAX(s.month) AS VARCHAR) AS match_key,\n\
         {place}\n\
         FROM (SELECT *, {family} AS family, {month} AS month FROM subsidy\n\
               WHERE id_key IN (SELECT id_key FROM subsidy WHERE id_key IS NOT NULL\n\
                                GROUP BY id_key HAVING COUNT(*) > 1)) s\n\
         GROUP BY s.id_key, s.family, s.month\nHAVING COUNT(*) > 1 AND {differs}"
    );
    let weak = format!(
        "SELECT NULL AS subject_id_number, MAX(s.name) AS subject_name, 'weak' AS strength,\n\
         {} || {ev} AS evidence, 'double:' || MAX(d.family) || ':' || CAST(MAX(d.month) AS VARCHAR) AS match_key,\n\
         {place}\n\
         FROM (SELECT name_key, birth_date, {family} AS family, {month} AS month FROM subsidy\n\
               WHERE id_key IS NULL AND birth_date IS NOT NULL\n\
               GROUP BY name_key, birth_date, {family}, {month} HAVING COUNT(*) > 1) d\n\
         JOIN (SELECT *, {family} AS family, {month} AS month FROM subsidy WHERE id_key IS NULL) s\n\
           ON s.name_key = d.name_key AND s.birth_date = d.birth_date AND s.family = d.family AND s.month = d.month\n\
         GROUP BY d.name_key, d.birth_date, d.family, d.month\nHAVING {differs}",
        lit(t("collide_sql.weak_birth"))
    );
    if gaps.may_lack("subsidy") {
        format!("{strong}\nUNION ALL\n{weak}")
    } else {
        strong
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_has_title_basis_and_sql() {
        for tpl in TEMPLATES {
            assert!(!tpl.title().starts_with("collide_rule."), "{}", tpl.id);
            assert!(!tpl.basis().starts_with("collide_rule."), "{}", tpl.id);
            let sql = tpl
                .sql(&BTreeMap::new(), &Gaps::unknown())
                .expect("defaults are valid");
            assert!(sql.contains("subject_id_number"), "{}", tpl.id);
        }
    }

    #[test]
    fn parameters_are_checked_before_they_reach_sql() {
        let v = template("recipient-owns-vehicle").expect("exists");
        let mut p = BTreeMap::new();
        p.insert("min_value".to_owned(), "50000".to_owned());
        assert!(v
            .sql(&p, &Gaps::unknown())
            .expect("number")
            .contains(">= 50000"));
        p.insert("min_value".to_owned(), "0; DROP TABLE x".to_owned());
        assert!(v.sql(&p, &Gaps::unknown()).is_err());
        let c = template("recipient-company-role").expect("exists");
        let mut p = BTreeMap::new();
        p.insert("roles".to_owned(), "股东".to_owned());
        assert!(c
            .sql(&p, &Gaps::unknown())
            .expect("listed")
            .contains("IN ('股东')"));
        p.insert("roles".to_owned(), "股东') OR (1=1".to_owned());
        assert!(c.sql(&p, &Gaps::unknown()).is_err());
        p.clear();
        p.insert("nope".to_owned(), "1".to_owned());
        assert!(c.sql(&p, &Gaps::unknown()).is_err());
    }
}
