//! Petition documents: the register (信访登记台账) as a sheet with the
//! supervisions (督办) of each petition, the written notice of acceptance to
//! the petitioner, and the supervision notice (督办通知单) to the handling
//! body, in the official-document layout. The register and the supervision
//! notice never carry the petitioner.

use std::collections::HashMap;

use xuncha_core::i18n::{t, tf};
use xuncha_core::intake::register::Petition;
use xuncha_core::intake::supervision::Supervision;

use crate::docx::{Block, Document};
use crate::{Cell, Sheet};

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The petition register as a sheet; never the petitioner. `supervisions`
/// holds each petition's supervisions (by petition id), summarised one a
/// line in the last column, overdue ones marked as of `today`.
pub fn petitions_sheet(
    petitions: &[Petition],
    supervisions: &HashMap<i64, Vec<Supervision>>,
    today: &str,
) -> Sheet {
    let h = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .map(|k| t(&format!("petitions.{k}")).to_owned())
            .collect()
    };
    Sheet {
        name: t("petitions.register_sheet").to_owned(),
        title: Some(t("petitions.register_sheet").to_owned()),
        headers: h(&[
            "registered",
            "title_field",
            "category",
            "channel",
            "unit",
            "domain",
            "persons",
            "status",
            "due",
            "supervision",
        ]),
        rows: petitions
            .iter()
            .map(|p| {
                let sv = supervisions
                    .get(&p.id)
                    .map(|v| {
                        v.iter()
                            .map(|s| s.summary(today))
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default();
                vec![
                    Cell::Date(p.lifecycle.registered.clone()),
                    text(p.title.clone()),
                    text(p.lifecycle.category.label()),
                    text(p.channel.label()),
                    text(p.unit_name.clone().unwrap_or_default()),
                    text(p.domain.clone().unwrap_or_default()),
                    text(p.persons.join("、")),
                    text(p.lifecycle.status.label()),
                    p.due_date.clone().map(Cell::Date).unwrap_or(Cell::Empty),
                    if sv.is_empty() { Cell::Empty } else { text(sv) },
                ]
            })
            .collect(),
        widths: None,
    }
}

/// The written notice of acceptance (受理告知书) to the petitioner.
pub fn acceptance_notice(
    p: &Petition,
    petitioner: Option<&str>,
    body: &str,
    date: &str,
) -> Document {
    let to = petitioner.map_or_else(|| t("petitions.notice_anonymous").to_owned(), str::to_owned);
    Document {
        title: t("petitions.notice_title").to_owned(),
        doc_number: None,
        subtitle: None,
        recipient: Some(to),
        blocks: vec![Block::Paragraph(tf(
            "petitions.notice_body",
            &[
                ("date", &p.lifecycle.registered),
                ("title", &p.title),
                ("status", p.lifecycle.status.label()),
                ("due", p.due_date.as_deref().unwrap_or("—")),
            ],
        ))],
        signature: Some(body.to_owned()),
        date: Some(date.to_owned()),
    }
}

/// The supervision notice (督办通知单) to the body handling the petition: the
/// matter (never the petitioner), the level, the requirement and the reply
/// deadline, the replies received so far; signed by the office (`signature`)
/// on `date`.
pub fn supervision_notice(p: &Petition, s: &Supervision, signature: &str, date: &str) -> Document {
    let to = p
        .lifecycle
        .forwarded
        .as_ref()
        .map(|(_, body)| body.clone())
        .unwrap_or_else(|| t("supervision.notice_to").to_owned());
    let mut facts = vec![
        vec![t("supervision.notice_number").to_owned(), p.id.to_string()],
        vec![
            t("petitions.registered").to_owned(),
            p.lifecycle.registered.clone(),
        ],
        vec![t("petitions.title_field").to_owned(), p.title.clone()],
        vec![
            t("petitions.category").to_owned(),
            p.lifecycle.category.label().to_owned(),
        ],
        vec![
            t("supervision.notice_unit").to_owned(),
            p.unit_name.clone().unwrap_or_else(|| "—".to_owned()),
        ],
        vec![
            t("petitions.status").to_owned(),
            p.lifecycle.status.label().to_owned(),
        ],
    ];
    if let Some(d) = &p.due_date {
        facts.push(vec![t("supervision.notice_due").to_owned(), d.clone()]);
    }
    let mut blocks = vec![
        Block::Paragraph(tf(
            "supervision.notice_body",
            &[
                ("date", &p.lifecycle.registered),
                ("title", &p.title),
                ("category", p.lifecycle.category.label()),
                ("status", p.lifecycle.status.label()),
                ("level", s.level.label()),
            ],
        )),
        Block::Paragraph(tf(
            "supervision.notice_requirement",
            &[("requirement", &s.data.requirement)],
        )),
        Block::Paragraph(tf(
            "supervision.notice_deadline",
            &[("deadline", &s.deadline)],
        )),
        Block::Heading1(format!("一、{}", t("supervision.notice_facts"))),
        Block::Table {
            headers: Vec::new(),
            rows: facts,
        },
    ];
    if !s.data.replies.is_empty() {
        blocks.push(Block::Heading1(format!(
            "二、{}",
            t("supervision.notice_earlier")
        )));
        blocks.push(Block::Table {
            headers: vec![
                t("supervision.reply_date").to_owned(),
                t("supervision.reply_kind").to_owned(),
                t("supervision.reply_by").to_owned(),
                t("supervision.reply_text").to_owned(),
            ],
            rows: s
                .data
                .replies
                .iter()
                .map(|r| {
                    vec![
                        r.date.clone(),
                        r.kind.label().to_owned(),
                        r.by.clone(),
                        r.text.clone(),
                    ]
                })
                .collect(),
        });
    }
    Document {
        title: format!("{}\n（{}）", t("supervision.notice_title"), s.level.label()),
        doc_number: None,
        subtitle: None,
        recipient: Some(to),
        blocks,
        signature: Some(signature.to_owned()),
        date: Some(date.to_owned()),
    }
}
