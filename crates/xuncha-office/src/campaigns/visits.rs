//! A visit campaign's (民情走访) workbook and report.

use xuncha_core::campaign::{
    Campaign, CampaignTarget, CampaignTeam, Followup, FollowupKind, FollowupStatus, Satisfaction,
    TargetLevel,
};
use xuncha_core::i18n::tf;
use xuncha_core::usecases::campaigns::views::{team_coverage, TeamCoverage};

use super::{
    by_status, date, headers, member_count, overdue_cell, percent, period, s, status_text,
    team_name, text, totals, tree_order, Places,
};
use crate::docx::{write_docx, Block, Document};
use crate::{write_xlsx, Cell, Sheet, WriteError};

fn demands(followups: &[Followup]) -> impl Iterator<Item = &Followup> {
    followups.iter().filter(|f| f.kind == FollowupKind::Demand)
}

/// Coverage per team with the teams that hold no village yet (all zero),
/// so every team and its members are listed.
fn coverage(c: &Campaign, targets: &[CampaignTarget], teams: &[CampaignTeam]) -> Vec<TeamCoverage> {
    let mut cov = team_coverage(c.kind, targets, teams);
    for team in teams {
        if !cov.iter().any(|x| x.team_id == team.id) {
            cov.push(TeamCoverage {
                team_id: team.id,
                name: team.name.clone(),
                areas: 0,
                leaves: 0,
                done: 0,
            });
        }
    }
    cov
}

/// The workbook of a visit campaign: 走访覆盖 (each township and village
/// with its households, those visited and the share, then the total),
/// 工作队 (each team's coverage, then its members with their duties and
/// the visits each recorded) and 诉求台账 (the demand register, marked
/// 逾期 when past the deadline on `today`).
pub fn visit_workbook(
    c: &Campaign,
    targets: &[CampaignTarget],
    teams: &[CampaignTeam],
    followups: &[Followup],
    today: &str,
) -> Result<Vec<u8>, WriteError> {
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
    let places = Places::new(targets);
    let mut area_rows: Vec<Vec<Cell>> = tree_order(targets)
        .into_iter()
        .filter(|tg| matches!(tg.level, TargetLevel::Township | TargetLevel::Village))
        .map(|tg| {
            let (township, village) = if tg.level == TargetLevel::Township {
                (tg.name.clone(), s("township_total").to_owned())
            } else {
                let township = places
                    .parent(tg)
                    .filter(|p| p.level == TargetLevel::Township)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                (township, tg.name.clone())
            };
            let team = if tg.level == TargetLevel::Village || tg.team_id.is_some() {
                team_name(teams, tg.team_id)
            } else {
                String::new()
            };
            vec![
                text(township),
                text(village),
                text(team),
                Cell::Int(tg.leaves),
                Cell::Int(tg.done),
                Cell::Int(tg.percent()),
            ]
        })
        .collect();
    let (households, visited) = totals(targets);
    area_rows.push(vec![
        text(s("total")),
        Cell::Empty,
        Cell::Empty,
        Cell::Int(households),
        Cell::Int(visited),
        Cell::Int(percent(visited, households)),
    ]);

    let mut team_rows = Vec::new();
    for cov in coverage(c, targets, teams) {
        team_rows.push(vec![
            text(cov.name.clone()),
            Cell::Int(cov.areas),
            Cell::Int(cov.leaves),
            Cell::Int(cov.done),
            Cell::Int(cov.percent()),
        ]);
        let members = teams
            .iter()
            .find(|x| x.id == cov.team_id)
            .map_or(&[][..], |x| x.members.as_slice());
        team_rows.extend(members.iter().map(|m| {
            vec![
                text(cov.name.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                text(m.display_name.clone()),
                text(m.duty.clone()),
                Cell::Int(m.records),
            ]
        }));
    }

    let demand_rows = demands(followups)
        .map(|f| {
            vec![
                text(f.place.clone()),
                text(category(f)),
                text(f.content.clone()),
                text(f.department.clone().unwrap_or_default()),
                date(Some(&f.deadline)),
                text(f.status.label()),
                overdue_cell(f, today),
                text(f.resolution.clone().unwrap_or_default()),
                text(f.satisfaction.map(Satisfaction::label).unwrap_or_default()),
                f.petition_id.map_or(Cell::Empty, Cell::Int),
            ]
        })
        .collect();

    write_xlsx(&[
        sheet(
            "coverage_sheet",
            headers(&[
                "township",
                "village",
                "work_team",
                "households",
                "visited",
                "visit_percent",
            ]),
            area_rows,
        ),
        sheet(
            "teams_sheet",
            headers(&[
                "work_team",
                "villages",
                "households",
                "visited",
                "visit_percent",
                "member",
                "duty",
                "visits",
            ]),
            team_rows,
        ),
        sheet(
            "demands_sheet",
            headers(&[
                "place",
                "category",
                "content",
                "department",
                "demand_deadline",
                "status",
                "overdue",
                "demand_resolution",
                "satisfaction",
                "petition",
            ]),
            demand_rows,
        ),
    ])
}

fn category(f: &Followup) -> String {
    f.category
        .clone()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| s("uncategorised").to_owned())
}

/// The report of a visit campaign as a `.docx` in the official layout:
/// coverage (households visited of those listed, townships, villages,
/// teams and visits recorded) with a table per team; the demands by
/// category and status with the households' satisfaction; and the demands
/// past their deadline on `today`.
pub fn visit_report(
    c: &Campaign,
    targets: &[CampaignTarget],
    teams: &[CampaignTeam],
    followups: &[Followup],
    today: &str,
) -> Result<Vec<u8>, WriteError> {
    let n = |v: i64| v.to_string();
    let count = |level: TargetLevel| targets.iter().filter(|tg| tg.level == level).count();
    let (households, visited) = totals(targets);
    let records: i64 = teams
        .iter()
        .flat_map(|x| &x.members)
        .map(|m| m.records)
        .sum();
    let mut blocks = vec![
        Block::Heading1(s("h_coverage").to_owned()),
        Block::Paragraph(tf(
            "campaign_export.v_summary",
            &[
                ("unit", &c.unit_name),
                ("period", &period(&c.starts_on, &c.ends_on)),
                ("title", &c.title),
                ("teams", &teams.len().to_string()),
                ("members", &member_count(teams).to_string()),
                ("townships", &count(TargetLevel::Township).to_string()),
                ("villages", &count(TargetLevel::Village).to_string()),
                ("total", &n(households)),
                ("done", &n(visited)),
                ("percent", &n(percent(visited, households))),
                ("records", &n(records)),
            ],
        )),
        Block::Heading2(s("h_teams").to_owned()),
        Block::Table {
            headers: headers(&[
                "work_team",
                "villages",
                "households",
                "visited",
                "visit_percent",
            ]),
            rows: coverage(c, targets, teams)
                .iter()
                .map(|x| {
                    vec![
                        x.name.clone(),
                        n(x.areas),
                        n(x.leaves),
                        n(x.done),
                        n(x.percent()),
                    ]
                })
                .collect(),
        },
        Block::Heading1(s("h_demands").to_owned()),
    ];

    let all: Vec<&Followup> = demands(followups).collect();
    let overdue: Vec<&Followup> = all.iter().copied().filter(|f| f.overdue(today)).collect();
    if all.is_empty() {
        blocks.push(Block::Paragraph(s("no_demands").to_owned()));
    } else {
        let (open, doing, done) = by_status(all.iter().copied());
        blocks.push(Block::Paragraph(tf(
            "campaign_export.d_summary",
            &[
                ("total", &all.len().to_string()),
                ("done", &n(done)),
                ("doing", &n(doing)),
                ("open", &n(open)),
                ("overdue", &overdue.len().to_string()),
                (
                    "petitions",
                    &all.iter()
                        .filter(|f| f.petition_id.is_some())
                        .count()
                        .to_string(),
                ),
            ],
        )));
        blocks.push(Block::Heading2(s("h_by_category").to_owned()));
        blocks.push(Block::Table {
            headers: [s("category"), s("count")]
                .into_iter()
                .map(str::to_owned)
                .chain(
                    [
                        FollowupStatus::Open,
                        FollowupStatus::Doing,
                        FollowupStatus::Done,
                    ]
                    .map(|x| x.label().to_owned()),
                )
                .chain([s("overdue_count").to_owned()])
                .collect(),
            rows: category_rows(c, &all, today),
        });
        let rated = |v: Satisfaction| {
            all.iter()
                .filter(|f| f.satisfaction == Some(v))
                .count()
                .to_string()
        };
        let unrated = all
            .iter()
            .filter(|f| f.status == FollowupStatus::Done && f.satisfaction.is_none())
            .count();
        blocks.push(Block::Heading2(s("h_satisfaction").to_owned()));
        blocks.push(Block::Paragraph(tf(
            "campaign_export.s_summary",
            &[
                ("done", &n(done)),
                ("satisfied", &rated(Satisfaction::Satisfied)),
                ("basic", &rated(Satisfaction::Basic)),
                ("unsatisfied", &rated(Satisfaction::Unsatisfied)),
                ("unrated", &unrated.to_string()),
            ],
        )));
    }

    blocks.push(Block::Heading1(s("h_overdue").to_owned()));
    if overdue.is_empty() {
        blocks.push(Block::Paragraph(tf(
            "campaign_export.no_overdue",
            &[("today", &crate::docx::chinese_date(today))],
        )));
    } else {
        blocks.push(Block::Table {
            headers: headers(&[
                "place",
                "category",
                "content",
                "department",
                "demand_deadline",
                "status",
            ]),
            rows: overdue
                .iter()
                .map(|f| {
                    vec![
                        f.place.clone(),
                        category(f),
                        f.content.clone(),
                        f.department.clone().unwrap_or_default(),
                        f.deadline.clone(),
                        status_text(f, today),
                    ]
                })
                .collect(),
        });
    }

    write_docx(&Document {
        title: tf("campaign_export.report_title", &[("title", &c.title)]),
        blocks,
        signature: Some(c.unit_name.clone()),
        date: Some(today.to_owned()),
        ..Document::default()
    })
}

/// Demands per category: the campaign's categories in their order, then
/// any other in order of appearance; categories without a demand left out.
fn category_rows(c: &Campaign, all: &[&Followup], today: &str) -> Vec<Vec<String>> {
    let mut names: Vec<String> = c.spec.categories.clone();
    for f in all {
        let name = category(f);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let of: Vec<&Followup> = all
                .iter()
                .copied()
                .filter(|f| category(f) == name)
                .collect();
            if of.is_empty() {
                return None;
            }
            let (open, doing, done) = by_status(of.iter().copied());
            let overdue = of.iter().filter(|f| f.overdue(today)).count();
            Some(vec![
                name,
                of.len().to_string(),
                open.to_string(),
                doing.to_string(),
                done.to_string(),
                overdue.to_string(),
            ])
        })
        .collect()
}
