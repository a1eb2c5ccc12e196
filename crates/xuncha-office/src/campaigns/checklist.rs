//! A checklist campaign's workbook and report.

use std::io::Cursor;

use image::{ImageFormat, ImageReader};
use xuncha_core::campaign::{
    Campaign, CampaignRecord, CampaignTarget, CampaignTeam, Confiscation, Followup, FollowupKind,
    FollowupStatus, ItemStatus, RecordData,
};
use xuncha_core::i18n::tf;
use xuncha_core::usecases::campaigns::views::{ranking, Ranking};

use super::{
    date, headers, member_count, overdue_cell, path_ids, percent, period, s, score_cell,
    score_text, status_text, team_name, text, totals, tree_order, Places,
};
use crate::docx::{write_docx, Block, Document};
use crate::{write_xlsx, Cell, Sheet, WriteError};

/// Rooms listed at each end of the ranking.
const RANKED: usize = 10;
/// Photos printed in the report; the rest are counted in a line.
pub const MAX_PHOTOS: usize = 12;
/// Printed width of a photo, millimetres (the type area is 156).
const PHOTO_MM: f64 = 120.0;

/// The workbook of a checklist campaign: 检查进度 (every building and floor
/// with rooms done of total, a total line, then the rooms not yet
/// checked), 检查结果 (one row per room record), 排名 (cleanest and
/// dirtiest rooms, buildings by average), 暂扣物品登记 (the custody
/// register) and 隐患整改 (hazards, marked 逾期 when past their deadline
/// on `today`).
pub fn checklist_workbook(
    c: &Campaign,
    targets: &[CampaignTarget],
    teams: &[CampaignTeam],
    records: &[CampaignRecord],
    items: &[Confiscation],
    followups: &[Followup],
    today: &str,
) -> Result<Vec<u8>, WriteError> {
    let places = Places::new(targets);
    let sheet = |key: &str, headers: Vec<String>, rows: Vec<Vec<Cell>>| Sheet {
        name: s(key).to_owned(),
        title: Some(tf(
            "campaign_export.sheet_title",
            &[("sheet", s(key)), ("title", &c.title)],
        )),
        headers,
        rows,
        widths: None,
    };
    write_xlsx(&[
        sheet(
            "progress_sheet",
            headers(&[
                "place", "level", "team", "rooms", "checked", "percent", "last_day",
            ]),
            progress_rows(targets, teams, &places),
        ),
        sheet(
            "results_sheet",
            headers(&[
                "place",
                "team",
                "day",
                "score",
                "failed",
                "hazards",
                "present",
                "outsiders",
                "note",
                "recorder",
                "photos",
            ]),
            result_rows(records, teams, &places),
        ),
        sheet(
            "ranking_sheet",
            headers(&[
                "rank_kind",
                "rank",
                "place",
                "rank_score",
                "rooms",
                "checked",
            ]),
            ranking_rows(&ranking(targets, RANKED)),
        ),
        sheet(
            "items_sheet",
            headers(&[
                "place",
                "item",
                "quantity",
                "owner",
                "taken_by",
                "taken_on",
                "status",
                "guarantee",
                "returned_to",
                "returned_by",
                "returned_on",
            ]),
            items.iter().map(item_row).collect(),
        ),
        sheet(
            "hazards_sheet",
            headers(&[
                "place",
                "hazard",
                "department",
                "hazard_deadline",
                "status",
                "overdue",
                "hazard_resolution",
            ]),
            hazards(followups)
                .map(|f| {
                    vec![
                        text(f.place.clone()),
                        text(f.content.clone()),
                        text(f.department.clone().unwrap_or_default()),
                        date(Some(&f.deadline)),
                        text(f.status.label()),
                        overdue_cell(f, today),
                        text(f.resolution.clone().unwrap_or_default()),
                    ]
                })
                .collect(),
        ),
    ])
}

fn hazards(followups: &[Followup]) -> impl Iterator<Item = &Followup> {
    followups.iter().filter(|f| f.kind == FollowupKind::Hazard)
}

fn progress_rows(
    targets: &[CampaignTarget],
    teams: &[CampaignTeam],
    places: &Places<'_>,
) -> Vec<Vec<Cell>> {
    let ordered = tree_order(targets);
    let row = |tg: &CampaignTarget| {
        // Buildings and floors name a team only when one holds all of them.
        let team = if tg.level.is_leaf() || tg.team_id.is_some() {
            team_name(teams, tg.team_id)
        } else {
            String::new()
        };
        vec![
            text(places.of(tg.id)),
            text(tg.level.label()),
            text(team),
            Cell::Int(tg.leaves),
            Cell::Int(tg.done),
            Cell::Int(tg.percent()),
            date(tg.last_day.as_deref()),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = ordered
        .iter()
        .filter(|tg| !tg.level.is_leaf())
        .map(|tg| row(tg))
        .collect();
    let (rooms, done) = totals(targets);
    rows.push(vec![
        text(s("total")),
        Cell::Empty,
        Cell::Empty,
        Cell::Int(rooms),
        Cell::Int(done),
        Cell::Int(percent(done, rooms)),
        Cell::Empty,
    ]);
    let unchecked: Vec<&&CampaignTarget> = ordered
        .iter()
        .filter(|tg| tg.level.is_leaf() && tg.done == 0)
        .collect();
    rows.push(vec![text(tf(
        "campaign_export.unchecked",
        &[("n", &unchecked.len().to_string())],
    ))]);
    rows.extend(unchecked.into_iter().map(|tg| row(tg)));
    rows
}

fn result_rows(
    records: &[CampaignRecord],
    teams: &[CampaignTeam],
    places: &Places<'_>,
) -> Vec<Vec<Cell>> {
    let mut rooms: Vec<(Vec<i64>, &CampaignRecord, _)> = records
        .iter()
        .filter_map(|r| match &r.data {
            RecordData::Room(room) => {
                let key = places
                    .by_id
                    .get(&r.target_id)
                    .map(|tg| path_ids(&tg.path))
                    .unwrap_or_default();
                Some((key, r, room))
            }
            RecordData::Visit(_) => None,
        })
        .collect();
    rooms.sort_by(|a, b| (&a.0, &a.1.day, a.1.id).cmp(&(&b.0, &b.1.day, b.1.id)));
    rooms
        .into_iter()
        .map(|(_, r, room)| {
            vec![
                text(places.of(r.target_id)),
                text(team_name(teams, r.team_id)),
                date(Some(&r.day)),
                score_cell(r.score),
                text(room.failed.join("、")),
                text(room.hazards.join("、")),
                text(room.present.clone()),
                text(room.outsiders.clone()),
                text(room.note.clone()),
                text(r.recorder.clone()),
                Cell::Int(r.photos.len() as i64),
            ]
        })
        .collect()
}

fn ranking_rows(r: &Ranking) -> Vec<Vec<Cell>> {
    let rooms = |key: &str, list: &[xuncha_core::usecases::campaigns::views::RankedRoom]| {
        list.iter()
            .enumerate()
            .map(|(i, room)| {
                vec![
                    text(s(key)),
                    Cell::Int(i as i64 + 1),
                    text(room.place.clone()),
                    score_cell(Some(room.score)),
                ]
            })
            .collect::<Vec<_>>()
    };
    let mut rows = rooms("cleanest", &r.cleanest);
    rows.extend(rooms("dirtiest", &r.dirtiest));
    rows.extend(r.groups.iter().enumerate().map(|(i, g)| {
        vec![
            text(s("buildings")),
            Cell::Int(i as i64 + 1),
            text(g.name.clone()),
            score_cell(g.average),
            Cell::Int(g.rooms),
            Cell::Int(g.done),
        ]
    }));
    rows
}

/// The guarantee as written, or a note that a scan or signature is kept.
fn guarantee(i: &Confiscation) -> String {
    match (&i.guarantee, &i.guarantee_file) {
        (Some(g), _) => g.clone(),
        (None, Some(_)) => s("guarantee_file").to_owned(),
        (None, None) => String::new(),
    }
}

fn item_row(i: &Confiscation) -> Vec<Cell> {
    vec![
        text(i.place.clone()),
        text(i.item.clone()),
        Cell::Int(i.quantity),
        text(i.owner.clone()),
        text(i.taken_by.clone()),
        date(Some(&i.taken_on)),
        text(i.status.label()),
        text(guarantee(i)),
        text(i.returned_to.clone().unwrap_or_default()),
        text(i.returned_by.clone().unwrap_or_default()),
        date(i.returned_on.as_deref()),
    ]
}

/// The report of a checklist campaign as a `.docx` in the official layout:
/// the figures (rooms checked of total, average score, hazards found, fixed
/// and overdue on `today`, items taken and returned), the rankings, the
/// hazards, the custody register, then up to [`MAX_PHOTOS`] photos with
/// their captions. Photos are JPEG or PNG bytes as stored; one that does
/// not decode is named by its caption instead of printed.
// One slice per register the caller loads, as the workbook takes them,
// plus the photos and the day: a struct would only rename the arguments.
#[allow(clippy::too_many_arguments)]
pub fn checklist_report(
    c: &Campaign,
    targets: &[CampaignTarget],
    teams: &[CampaignTeam],
    records: &[CampaignRecord],
    items: &[Confiscation],
    followups: &[Followup],
    photos: &[(String, Vec<u8>)],
    today: &str,
) -> Result<Vec<u8>, WriteError> {
    let n = |v: i64| v.to_string();
    let (rooms, done) = totals(targets);
    let scores: Vec<i64> = targets
        .iter()
        .filter(|tg| tg.level.is_leaf())
        .filter_map(|tg| tg.score)
        .collect();
    let average = scores.iter().sum::<i64>().checked_div(scores.len() as i64);
    let found: Vec<&Followup> = hazards(followups).collect();
    let fixed = found
        .iter()
        .filter(|f| f.status == FollowupStatus::Done)
        .count();
    let overdue = found.iter().filter(|f| f.overdue(today)).count();
    let taken: i64 = items.iter().map(|i| i.quantity).sum();
    let returned: i64 = items
        .iter()
        .filter(|i| i.status == ItemStatus::Returned)
        .map(|i| i.quantity)
        .sum();
    let room_records = records
        .iter()
        .filter(|r| matches!(r.data, RecordData::Room(_)))
        .count();

    let mut summary = tf(
        "campaign_export.c_summary",
        &[
            ("unit", &c.unit_name),
            ("period", &period(&c.starts_on, &c.ends_on)),
            ("title", &c.title),
            ("teams", &teams.len().to_string()),
            ("members", &member_count(teams).to_string()),
            ("records", &room_records.to_string()),
            ("done", &n(done)),
            ("total", &n(rooms)),
            ("percent", &n(percent(done, rooms))),
        ],
    );
    if let Some(a) = average {
        summary.push_str(&tf(
            "campaign_export.c_average",
            &[
                ("rated", &scores.len().to_string()),
                ("average", &score_text(Some(a))),
            ],
        ));
    }
    summary.push_str(&tf(
        "campaign_export.c_hazards",
        &[
            ("found", &found.len().to_string()),
            ("fixed", &fixed.to_string()),
            ("overdue", &overdue.to_string()),
        ],
    ));
    summary.push_str(&tf(
        "campaign_export.c_items",
        &[
            ("taken", &n(taken)),
            ("returned", &n(returned)),
            ("held", &n(taken - returned)),
        ],
    ));

    let mut blocks = vec![
        Block::Heading1(s("h_overview").to_owned()),
        Block::Paragraph(summary),
        Block::Heading1(s("h_ranking").to_owned()),
    ];
    blocks.extend(ranking_blocks(&ranking(targets, RANKED)));

    blocks.push(Block::Heading1(s("h_hazards").to_owned()));
    if found.is_empty() {
        blocks.push(Block::Paragraph(s("no_hazards").to_owned()));
    } else {
        blocks.push(Block::Table {
            headers: headers(&[
                "place",
                "hazard",
                "hazard_deadline",
                "status",
                "hazard_resolution",
            ]),
            rows: found
                .iter()
                .map(|f| {
                    vec![
                        f.place.clone(),
                        f.content.clone(),
                        f.deadline.clone(),
                        status_text(f, today),
                        f.resolution.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        });
    }

    blocks.push(Block::Heading1(s("h_items").to_owned()));
    if items.is_empty() {
        blocks.push(Block::Paragraph(s("no_items").to_owned()));
    } else {
        blocks.push(Block::Table {
            headers: headers(&["place", "item", "quantity", "owner", "status", "returns"]),
            rows: items
                .iter()
                .map(|i| {
                    let back = match (&i.returned_on, &i.returned_by, &i.returned_to) {
                        (Some(day), Some(by), Some(to)) => tf(
                            "campaign_export.return_text",
                            &[("day", day), ("by", by), ("to", to)],
                        ),
                        _ => String::new(),
                    };
                    vec![
                        i.place.clone(),
                        i.item.clone(),
                        i.quantity.to_string(),
                        i.owner.clone(),
                        i.status.label().to_owned(),
                        back,
                    ]
                })
                .collect(),
        });
    }

    if !photos.is_empty() {
        blocks.push(Block::Heading1(s("h_photos").to_owned()));
        blocks.extend(photos.iter().take(MAX_PHOTOS).map(photo_block));
        if photos.len() > MAX_PHOTOS {
            blocks.push(Block::Paragraph(tf(
                "campaign_export.photos_more",
                &[("n", &(photos.len() - MAX_PHOTOS).to_string())],
            )));
        }
    }

    write_docx(&Document {
        title: tf("campaign_export.report_title", &[("title", &c.title)]),
        blocks,
        signature: Some(c.unit_name.clone()),
        date: Some(today.to_owned()),
        ..Document::default()
    })
}

fn ranking_blocks(r: &Ranking) -> Vec<Block> {
    if r.cleanest.is_empty() {
        return vec![Block::Paragraph(s("no_scores").to_owned())];
    }
    let rooms = |list: &[xuncha_core::usecases::campaigns::views::RankedRoom]| Block::Table {
        headers: headers(&["rank", "place", "score"]),
        rows: list
            .iter()
            .enumerate()
            .map(|(i, room)| {
                vec![
                    (i + 1).to_string(),
                    room.place.clone(),
                    score_text(Some(room.score)),
                ]
            })
            .collect(),
    };
    vec![
        Block::Heading2(s("h_buildings").to_owned()),
        Block::Table {
            headers: headers(&["rank", "building", "rooms", "checked", "average"]),
            rows: r
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    vec![
                        (i + 1).to_string(),
                        g.name.clone(),
                        g.rooms.to_string(),
                        g.done.to_string(),
                        score_text(g.average),
                    ]
                })
                .collect(),
        },
        Block::Heading2(s("h_cleanest").to_owned()),
        rooms(&r.cleanest),
        Block::Heading2(s("h_dirtiest").to_owned()),
        rooms(&r.dirtiest),
    ]
}

/// A photo with its caption, or the caption alone when it does not decode.
fn photo_block((caption, bytes): &(String, Vec<u8>)) -> Block {
    let pixels = match image::guess_format(bytes) {
        Ok(ImageFormat::Png | ImageFormat::Jpeg) => ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .ok()
            .and_then(|r| r.into_dimensions().ok()),
        _ => None,
    };
    match pixels {
        Some(pixels) => Block::Image {
            bytes: bytes.clone(),
            pixels,
            width_mm: PHOTO_MM,
            caption: Some(caption.clone()),
        },
        None => Block::Paragraph(tf(
            "campaign_export.photo_unreadable",
            &[("caption", caption)],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_that_does_not_decode_keeps_its_caption() {
        match photo_block(&("101室床铺".to_owned(), b"not an image".to_vec())) {
            Block::Paragraph(p) => assert!(p.contains("101室床铺"), "{p}"),
            other => panic!("expected a paragraph, got {other:?}"),
        }
        let (png, size) = crate::qr::png("https://example.org/", 4).expect("png");
        match photo_block(&("门口".to_owned(), png)) {
            Block::Image { pixels, .. } => assert_eq!(pixels, size),
            other => panic!("expected an image, got {other:?}"),
        }
    }
}
