//! The registry's lists as spreadsheet sheets (台账), shared by the web
//! export buttons and `xuncha export`, so both write the same columns.

use std::collections::HashMap;

use xuncha_core::i18n::t;
use xuncha_core::registry::{Inspector, Person, Unit};

use crate::{Cell, Sheet};

fn headers(keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| t(&format!("field.{k}")).to_owned())
        .collect()
}

fn text(v: Option<String>) -> Cell {
    v.map(Cell::Text).unwrap_or(Cell::Empty)
}

/// Units with their parent's name, kind, region code and budget.
pub fn units_sheet(units: &[Unit]) -> Sheet {
    let names: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    Sheet {
        name: t("units.title").to_owned(),
        title: Some(t("units.title").to_owned()),
        headers: headers(&[
            "unit_name",
            "parent_unit",
            "unit_kind",
            "region_code",
            "budget_yuan",
        ]),
        rows: units
            .iter()
            .map(|u| {
                vec![
                    Cell::Text(u.name.clone()),
                    text(
                        u.parent_id
                            .and_then(|p| names.get(&p))
                            .map(|n| (*n).to_owned()),
                    ),
                    Cell::Text(u.kind.label().to_owned()),
                    text(u.region_code.clone()),
                    u.budget_yuan.map(Cell::Int).unwrap_or(Cell::Empty),
                ]
            })
            .collect(),
        widths: None,
    }
}

/// Persons; ID numbers in full only when `full_ids` (else masked).
pub fn persons_sheet(persons: impl IntoIterator<Item = Person>, full_ids: bool) -> Sheet {
    Sheet {
        name: t("persons.title").to_owned(),
        title: Some(t("persons.title").to_owned()),
        headers: headers(&[
            "name",
            "id_number",
            "gender",
            "birth_date",
            "unit",
            "position",
            "phone",
        ]),
        rows: persons
            .into_iter()
            .map(|p| {
                vec![
                    Cell::Text(p.name.clone()),
                    text(p.id_number_for(full_ids)),
                    text(p.gender.map(|g| g.label().to_owned())),
                    p.birth_date.map(Cell::Date).unwrap_or(Cell::Empty),
                    text(p.unit_name),
                    text(p.position),
                    text(p.phone),
                ]
            })
            .collect(),
        widths: None,
    }
}

/// The inspector pool.
pub fn inspectors_sheet(inspectors: Vec<Inspector>) -> Sheet {
    Sheet {
        name: t("inspectors.title").to_owned(),
        title: Some(t("inspectors.title").to_owned()),
        headers: vec![
            t("field.name").to_owned(),
            t("inspectors.source").to_owned(),
            t("inspectors.skills").to_owned(),
            t("inspectors.rounds").to_owned(),
        ],
        rows: inspectors
            .into_iter()
            .map(|i| {
                let skills: Vec<&str> = i.skills.iter().map(|s| s.label()).collect();
                vec![
                    Cell::Text(i.person_name),
                    text(i.source_unit_name),
                    Cell::Text(skills.join("、")),
                    Cell::Int(i64::from(i.rounds_served)),
                ]
            })
            .collect(),
        widths: None,
    }
}
