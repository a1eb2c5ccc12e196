//! Rules as the product shows them (the run form, the rules page) and the
//! checks on a custom rule before it is saved: what [`crate::DirEngine`]
//! answers through `xuncha-core`'s port.

use std::collections::BTreeMap;

use xuncha_core::collide::{NewHit, ParamChoice, RuleChoice, RuleParams, RuleTable};
use xuncha_core::i18n::{t, tf};
use xuncha_core::FieldError;

use crate::engine::{check_rule_id, list_rules, Engine};
use crate::error::{CollideError, Result};
use crate::hit::{Hit, Strength};
use crate::kind::{Kind, ALL_KINDS};
use crate::sql::Gaps;
use crate::store::{Dataset, Manifest};
use crate::templates::{template, Template};

/// Every rule with its title, basis, parameters and SQL (templates with the
/// defaults, over every kind), and whether its data sets are loaded.
pub fn choices(m: &Manifest) -> Vec<RuleChoice> {
    let loaded: Vec<Kind> = m.datasets.iter().filter_map(Dataset::kind).collect();
    list_rules(m)
        .into_iter()
        .map(|r| {
            let needs: Vec<Kind> = r.needs.iter().filter_map(|k| Kind::parse(k)).collect();
            let (params, sql, created_by) = match template(&r.id) {
                Some(tpl) => (
                    params(tpl),
                    tpl.sql(&BTreeMap::new(), &Gaps::unknown())
                        .unwrap_or_default(),
                    String::new(),
                ),
                None => {
                    let saved = m.rules.iter().find(|s| s.id == r.id);
                    (
                        Vec::new(),
                        saved.map(|s| s.sql.clone()).unwrap_or_default(),
                        saved.map(|s| s.created_by.clone()).unwrap_or_default(),
                    )
                }
            };
            RuleChoice {
                ready: needs.iter().all(|k| loaded.contains(k)),
                needs: needs.iter().map(|k| k.label().to_owned()).collect(),
                id: r.id,
                title: r.title,
                basis: r.basis,
                custom: r.custom,
                params,
                sql,
                created_by,
            }
        })
        .collect()
}

fn params(tpl: &Template) -> Vec<ParamChoice> {
    tpl.params
        .iter()
        .map(|p| ParamChoice {
            key: p.key.to_owned(),
            label: t(&format!("collide_param.{}", p.key)).to_owned(),
            default: p.default.to_owned(),
            hint: if p.numeric {
                t("collide_param.number").to_owned()
            } else {
                tf("collide_param.words", &[("words", &p.choices.join("、"))])
            },
        })
        .collect()
}

/// The tables rule SQL can read: one per kind with data (every list of the
/// kind), each data set under its own name, and the relations both ways.
pub fn tables(m: &Manifest) -> Vec<RuleTable> {
    let columns = |kind: Kind| {
        let mut v = vec![
            (
                "_dataset".to_owned(),
                t("collide_param.col_dataset").to_owned(),
            ),
            ("_row".to_owned(), t("collide_param.col_row").to_owned()),
        ];
        for f in kind.fields() {
            v.push((f.key.to_owned(), f.label().to_owned()));
            if let Some(k) = f.derived_key() {
                let label = tf("collide_param.col_key", &[("field", f.label())]);
                v.push((k, label));
            }
        }
        v
    };
    let mut out = Vec::new();
    for &kind in &ALL_KINDS {
        let Some(table) = kind.table() else { continue };
        if !m.datasets.iter().any(|d| d.kind() == Some(kind)) {
            continue;
        }
        out.push(RuleTable {
            name: table.to_owned(),
            label: tf("collide_param.kind_table", &[("kind", kind.label())]),
            columns: columns(kind),
        });
        if kind == Kind::Relatives {
            out.push(RuleTable {
                name: "relatives_both".to_owned(),
                label: t("collide_param.relatives_both").to_owned(),
                columns: columns(kind),
            });
        }
    }
    for d in &m.datasets {
        let Some(kind) = d.kind() else { continue };
        out.push(RuleTable {
            name: d.name.clone(),
            label: tf("collide_param.dataset_table", &[("kind", kind.label())]),
            columns: columns(kind),
        });
    }
    out
}

/// The problems of a custom rule before it is saved, by form field (`id`,
/// `title`, `sql`); the SQL is planned over the data sets, so unknown tables
/// and columns are named now rather than at the next run.
pub async fn check_new(
    engine: &Engine,
    m: &Manifest,
    id: &str,
    title: &str,
    sql: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(CollideError::Invalid(msg)) = check_rule_id(id, m) {
        errors.push(FieldError::field("id", msg));
    }
    if title.trim().is_empty() {
        errors.push(FieldError::field("title", t("collide.rule_title_empty")));
    }
    if let Err(e) = engine.check_rule_sql(id, sql).await {
        errors.push(FieldError::field("sql", message(e)));
    }
    errors
}

/// What a user is told of an engine error (a planning error from DataFusion
/// included: it names the table or column).
pub fn message(e: CollideError) -> String {
    match e {
        CollideError::Invalid(m) | CollideError::Timeout(m) => m,
        e => tf("collide.sql_invalid", &[("why", &e.to_string())]),
    }
}

/// Checks that each rule of a run exists and each template's parameters are
/// valid before the run starts.
pub fn check_run(m: &Manifest, rules: &[String], params: &RuleParams) -> Result<()> {
    let all = list_rules(m);
    let known = |id: &str| all.iter().any(|r| r.id == id);
    if let Some(bad) = rules
        .iter()
        .chain(params.keys())
        .find(|id| !known(id.as_str()))
    {
        return Err(CollideError::Invalid(tf(
            "collide.rule_unknown",
            &[("rule", bad)],
        )));
    }
    for (id, p) in params {
        match template(id) {
            Some(tpl) => {
                tpl.sql(p, &Gaps::unknown())?;
            }
            None if p.is_empty() => {}
            None => {
                let key = p.keys().next().map_or("", String::as_str);
                return Err(CollideError::Invalid(tf(
                    "collide.unknown_param",
                    &[("param", key), ("rule", id)],
                )));
            }
        }
    }
    Ok(())
}

/// A hit of the engine as the product stores it.
pub fn new_hit(h: &Hit, rule_title: &str) -> NewHit {
    NewHit {
        rule: h.rule.clone(),
        rule_title: rule_title.to_owned(),
        subject_id_number: h.subject_id_number.clone(),
        subject_name: h.subject_name.clone(),
        strong: h.strength == Strength::Strong,
        evidence: h.evidence.clone(),
        key: h.key().0,
        place: h.place.clone(),
    }
}
