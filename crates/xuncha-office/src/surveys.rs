//! The survey's printed matter: code slips with QR codes (Word), and the
//! results as a workbook and as a report.

use xuncha_core::i18n::{t, tf};
use xuncha_core::survey::{ItemResult, QuestionKind, Results, Survey};

use crate::docx::{Block, Document};
use crate::{Cell, Sheet};

/// Slips to cut apart and hand out: per code the survey's title, the code,
/// its QR code (opening the answer page) and the address for typing.
pub fn slips_document(survey: &Survey, codes: &[(String, String)]) -> Document {
    let mut blocks = Vec::new();
    for (i, (code, url)) in codes.iter().enumerate() {
        // Three slips a page.
        if i > 0 && i % 3 == 0 {
            blocks.push(Block::PageBreak);
        }
        blocks.push(Block::Heading3(survey.form.title.clone()));
        if let Some((png, pixels)) = crate::qr::png(url, 4) {
            blocks.push(Block::Image {
                bytes: png,
                pixels,
                width_mm: 26.0,
                caption: Some(tf("survey_doc.slip_code", &[("code", code)])),
            });
        }
        blocks.push(Block::Paragraph(tf("survey_doc.slip_url", &[("url", url)])));
        blocks.push(Block::Paragraph(t("survey_doc.slip_cut").to_owned()));
    }
    Document {
        title: String::new(),
        blocks,
        ..Document::default()
    }
}

fn item_title(s: &Survey, item: &ItemResult) -> (String, String) {
    let q = &s.form.questions[item.question];
    let subject = item
        .subject
        .and_then(|i| s.form.subjects.get(i))
        .cloned()
        .unwrap_or_default();
    (format!("{}. {}", item.question + 1, q.text), subject)
}

fn options_of(s: &Survey, item: &ItemResult) -> Vec<String> {
    s.form.options(&s.form.questions[item.question]).to_vec()
}

fn score_text(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_default()
}

/// One sheet of counts per item, one of the subjects' overall scores, one
/// of the text answers.
pub fn results_sheets(s: &Survey, r: &Results) -> Vec<Sheet> {
    let widest = r.items.iter().map(|i| i.counts.len()).max().unwrap_or(0);
    let mut headers = vec![
        t("survey_doc.question").to_owned(),
        t("survey_doc.subject").to_owned(),
    ];
    for n in 0..widest {
        headers.push(tf("survey_doc.option_n", &[("n", &(n + 1).to_string())]));
        headers.push(tf("survey_doc.votes_n", &[("n", &(n + 1).to_string())]));
    }
    for k in ["valid", "invalid", "blank", "score"] {
        headers.push(t(&format!("survey_doc.{k}")).to_owned());
    }
    let rows = r
        .items
        .iter()
        .map(|item| {
            let (q, subject) = item_title(s, item);
            let options = options_of(s, item);
            let mut row = vec![Cell::Text(q), Cell::Text(subject)];
            for n in 0..widest {
                match (options.get(n), item.counts.get(n)) {
                    (Some(o), Some(c)) => {
                        row.push(Cell::Text(o.clone()));
                        row.push(Cell::Int(*c as i64));
                    }
                    _ => row.extend([Cell::Empty, Cell::Empty]),
                }
            }
            row.push(Cell::Int(item.valid as i64));
            row.push(Cell::Int(item.invalid as i64));
            row.push(Cell::Int(item.blank as i64));
            row.push(match item.score {
                Some(x) => Cell::Number((x * 100.0).round() / 100.0),
                None => Cell::Empty,
            });
            row
        })
        .collect();
    let totals = tf(
        "survey_doc.totals",
        &[
            ("sheets", &r.sheets.to_string()),
            ("valid", &r.valid_sheets.to_string()),
            ("invalid", &r.invalid_sheets.to_string()),
            ("issued", &s.issued.to_string()),
        ],
    );
    let mut out = vec![Sheet {
        name: t("survey_doc.items_sheet").to_owned(),
        title: Some(format!("{}（{totals}）", s.form.title)),
        headers,
        rows,
        widths: None,
    }];
    if !s.form.subjects.is_empty() {
        out.push(Sheet {
            name: t("survey_doc.subjects_sheet").to_owned(),
            title: Some(s.form.title.clone()),
            headers: vec![
                t("survey_doc.subject").to_owned(),
                t("survey_doc.overall").to_owned(),
            ],
            rows: s
                .form
                .subjects
                .iter()
                .zip(&r.subjects)
                .map(|(name, score)| {
                    vec![
                        Cell::Text(name.clone()),
                        score.map_or(Cell::Empty, |x| Cell::Number((x * 100.0).round() / 100.0)),
                    ]
                })
                .collect(),
            widths: None,
        });
    }
    if !r.texts.is_empty() {
        out.push(Sheet {
            name: t("survey_doc.texts_sheet").to_owned(),
            title: None,
            headers: vec![
                t("survey_doc.question").to_owned(),
                t("survey_doc.answer").to_owned(),
            ],
            rows: r
                .texts
                .iter()
                .flat_map(|(q, answers)| {
                    let title = format!("{}. {}", q + 1, s.form.questions[*q].text);
                    answers
                        .iter()
                        .map(move |a| vec![Cell::Text(title.clone()), Cell::Text(a.clone())])
                })
                .collect(),
            widths: Some(vec![40.0, 80.0]),
        });
    }
    out
}

/// The results as a report: totals, each subject's overall score, then per
/// question a table of options, votes and shares.
pub fn results_document(s: &Survey, r: &Results, date: &str) -> Document {
    let mut blocks = vec![Block::Paragraph(tf(
        "survey_doc.totals_text",
        &[
            ("issued", &s.issued.to_string()),
            ("sheets", &r.sheets.to_string()),
            ("valid", &r.valid_sheets.to_string()),
            ("invalid", &r.invalid_sheets.to_string()),
        ],
    ))];
    if !s.form.subjects.is_empty() && r.subjects.iter().any(Option::is_some) {
        blocks.push(Block::Heading1(t("survey_doc.h_subjects").to_owned()));
        blocks.push(Block::Table {
            headers: vec![
                t("survey_doc.subject").to_owned(),
                t("survey_doc.overall").to_owned(),
            ],
            rows: s
                .form
                .subjects
                .iter()
                .zip(&r.subjects)
                .map(|(n, sc)| vec![n.clone(), score_text(*sc)])
                .collect(),
        });
    }
    blocks.push(Block::Heading1(t("survey_doc.h_items").to_owned()));
    for item in &r.items {
        let (q, subject) = item_title(s, item);
        let heading = if subject.is_empty() {
            q
        } else {
            format!("{q}（{subject}）")
        };
        blocks.push(Block::Heading3(heading));
        let is_rate = s.form.questions[item.question].kind == QuestionKind::Rate;
        let rows = options_of(s, item)
            .iter()
            .enumerate()
            .map(|(n, o)| {
                let counted = !is_rate || !s.form.invalid.contains(o);
                vec![
                    o.clone(),
                    item.counts.get(n).copied().unwrap_or(0).to_string(),
                    if counted {
                        format!("{:.1}%", item.share(n))
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        blocks.push(Block::Table {
            headers: vec![
                t("survey_doc.option").to_owned(),
                t("survey_doc.votes").to_owned(),
                t("survey_doc.share").to_owned(),
            ],
            rows,
        });
        if let Some(x) = item.score {
            blocks.push(Block::Paragraph(tf(
                "survey_doc.item_score",
                &[("score", &format!("{x:.2}"))],
            )));
        }
    }
    Document {
        title: format!("{}\n{}", s.form.title, t("survey_doc.results_title")),
        blocks,
        date: Some(date.to_owned()),
        ..Document::default()
    }
}
