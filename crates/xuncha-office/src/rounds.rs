//! The round's documents: the circular (通报) as an official document and
//! the ledgers (问题/线索/移交/整改台账) as sheets, shared by the web export
//! buttons and the command line.

use xuncha_core::i18n::{t, tf};
use xuncha_core::inspection::circular::Circular;
use xuncha_core::inspection::paper::{Clue, WorkingPaper};
use xuncha_core::inspection::record::{Rec, RecordKind, StoredRecord};
use xuncha_core::inspection::rectification::RectItem;
use xuncha_core::inspection::transfer::Transfer;
use xuncha_core::inspection::{Round, Target};
use xuncha_core::StoreError;

use crate::docx::{Block, Document};
use crate::{Cell, Sheet};

/// The lines of the circular's figures, in the order the text gives them.
pub fn circular_lines(c: &Circular) -> Vec<(String, i64)> {
    [
        ("units", c.units),
        ("problems", c.problems),
        ("clues", c.clues),
        ("clue_persons", c.clue_persons),
        ("petitions", c.petitions),
        ("principals_talked", c.principals_talked),
        ("deputies_talked", c.deputies_talked),
        ("units_criticised", c.units_criticised),
        ("cadres_removed", c.cadres_removed),
        ("persons_accountable", c.persons_accountable),
        ("cases_filed", c.cases_filed),
        ("reports_returned", c.reports_returned),
        ("rect_items", c.rect_items),
        ("rect_accepted", c.rect_accepted),
        ("rect_overdue", c.rect_overdue),
    ]
    .into_iter()
    .map(|(k, v)| (t(&format!("circular.{k}")).to_owned(), v))
    .collect()
}

/// The circular of a round in the official-document layout.
pub fn circular_document(
    county: &str,
    round: &Round,
    c: &Circular,
    targets: &[Target],
    date: &str,
) -> Document {
    let n = |v: i64| v.to_string();
    let mut blocks = vec![
        Block::Heading1(t("circular.doc_overview").to_owned()),
        Block::Paragraph(tf(
            "circular.doc_summary",
            &[
                ("round", &round.title),
                ("units", &n(c.units)),
                ("talks", &n(c.talks)),
                ("principals", &n(c.principals_talked)),
                ("deputies", &n(c.deputies_talked)),
                ("petitions", &n(c.petitions)),
                ("problems", &n(c.problems)),
                ("clues", &n(c.clues)),
                ("persons", &n(c.clue_persons)),
            ],
        )),
        Block::Paragraph(tf(
            "circular.doc_outcome",
            &[
                ("criticised", &n(c.units_criticised)),
                ("removed", &n(c.cadres_removed)),
                ("accountable", &n(c.persons_accountable)),
                ("cases", &n(c.cases_filed)),
                ("returned", &n(c.reports_returned)),
                ("items", &n(c.rect_items)),
                ("accepted", &n(c.rect_accepted)),
                ("overdue", &n(c.rect_overdue)),
            ],
        )),
        Block::Heading1(t("circular.doc_problems").to_owned()),
        Block::Table {
            headers: vec![
                t("circular.category").to_owned(),
                t("circular.count").to_owned(),
            ],
            rows: c
                .problems_by_category
                .iter()
                .map(|(k, v)| vec![k.clone(), v.to_string()])
                .collect(),
        },
    ];
    if !c.petitions_by_domain.is_empty() {
        blocks.push(Block::Heading1(t("circular.doc_petitions").to_owned()));
        blocks.push(Block::Table {
            headers: vec![
                t("circular.domain").to_owned(),
                t("circular.count").to_owned(),
            ],
            rows: c
                .petitions_by_domain
                .iter()
                .map(|(k, v)| vec![k.clone(), v.to_string()])
                .collect(),
        });
    }
    blocks.push(Block::Heading1(t("circular.doc_units").to_owned()));
    blocks.push(Block::Table {
        headers: vec![
            t("field.unit").to_owned(),
            t("rounds.stage").to_owned(),
            t("rounds.report_returns").to_owned(),
            t("rounds.rect_rating").to_owned(),
        ],
        rows: targets
            .iter()
            .map(|tg| {
                vec![
                    tg.unit_name.clone(),
                    tg.stage.label().to_owned(),
                    tg.report_returns.to_string(),
                    tg.rect_rating
                        .as_deref()
                        .map(|r| t(&format!("rect_rating.{r}")).to_owned())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    });
    Document {
        title: tf("circular.doc_title", &[("round", &round.title)]),
        doc_number: None,
        subtitle: None,
        recipient: None,
        blocks,
        signature: Some(tf("circular.doc_signature", &[("county", county)])),
        date: Some(date.to_owned()),
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The ledger of one record kind as a sheet (问题/线索/移交/整改台账).
/// `units` names each record's unit.
pub fn ledger_sheet(
    kind: RecordKind,
    records: Vec<StoredRecord>,
    unit_name: impl Fn(i64) -> String,
) -> Result<Sheet, StoreError> {
    let h = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .map(|k| t(&format!("ledger.{k}")).to_owned())
            .collect()
    };
    let (headers, rows): (Vec<String>, Vec<Vec<Cell>>) = match kind {
        RecordKind::Paper => (
            h(&[
                "unit", "category", "source", "summary", "facts", "basis", "status",
            ]),
            records
                .into_iter()
                .map(|r| {
                    let p = Rec::<WorkingPaper>::decode(r)?;
                    Ok(vec![
                        text(unit_name(p.meta.unit_id)),
                        text(p.data.category),
                        text(p.data.source.label()),
                        text(p.data.summary),
                        text(p.data.facts),
                        text(p.data.basis),
                        text(p.data.status.label()),
                    ])
                })
                .collect::<Result<_, StoreError>>()?,
        ),
        RecordKind::Clue => (
            h(&["unit", "title", "grade", "persons", "summary", "status"]),
            records
                .into_iter()
                .map(|r| {
                    let c = Rec::<Clue>::decode(r)?;
                    let persons: Vec<String> = c
                        .data
                        .persons
                        .iter()
                        .map(|p| format!("{} {}", p.name, p.position).trim().to_owned())
                        .collect();
                    Ok(vec![
                        text(unit_name(c.meta.unit_id)),
                        text(c.data.title),
                        text(c.data.grade.label()),
                        text(persons.join("；")),
                        text(c.data.summary),
                        text(t(if c.data.transferred {
                            "work.transferred"
                        } else {
                            "work.open"
                        })),
                    ])
                })
                .collect::<Result<_, StoreError>>()?,
        ),
        RecordKind::Transfer => (
            h(&[
                "unit",
                "item",
                "receiver",
                "sent",
                "due",
                "status",
                "disposal",
                "four_forms",
                "feedback",
            ]),
            records
                .into_iter()
                .map(|r| {
                    let x = Rec::<Transfer>::decode(r)?;
                    Ok(vec![
                        text(unit_name(x.meta.unit_id)),
                        text(x.data.item.title),
                        text(x.data.receiver.label()),
                        Cell::Date(x.data.sent_date),
                        Cell::Date(x.data.due_date),
                        text(x.data.status.label()),
                        text(x.data.disposal.map(|d| d.label()).unwrap_or_default()),
                        text(x.data.four_forms.map(|d| d.label()).unwrap_or_default()),
                        text(x.data.feedback.unwrap_or_default()),
                    ])
                })
                .collect::<Result<_, StoreError>>()?,
        ),
        RecordKind::RectItem => (
            h(&[
                "unit",
                "problem",
                "measures",
                "responsible",
                "rect_kind",
                "deadline",
                "status",
                "progress",
            ]),
            records
                .into_iter()
                .map(|r| {
                    let i = Rec::<RectItem>::decode(r)?;
                    let last = i
                        .data
                        .progress
                        .last()
                        .map(|p| format!("{} {}", p.date, p.note));
                    Ok(vec![
                        text(unit_name(i.meta.unit_id)),
                        text(i.data.problem),
                        text(i.data.measures),
                        text(i.data.responsible),
                        text(i.data.kind.label()),
                        Cell::Date(i.data.deadline),
                        text(i.data.status.label()),
                        last.map(Cell::Text).unwrap_or(Cell::Empty),
                    ])
                })
                .collect::<Result<_, StoreError>>()?,
        ),
        other => (
            h(&["unit", "title"]),
            records
                .into_iter()
                .map(|r| vec![text(unit_name(r.meta.unit_id)), text(other.label())])
                .collect(),
        ),
    };
    let name = t(&format!("ledger.sheet_{}", kind.as_str().replace('-', "_"))).to_owned();
    Ok(Sheet {
        name: name.clone(),
        title: Some(name),
        headers,
        rows,
        widths: None,
    })
}

// The petition register and notices moved to [`crate::petitions`]; kept
// here under their old paths.
pub use crate::petitions::{acceptance_notice, petitions_sheet};
