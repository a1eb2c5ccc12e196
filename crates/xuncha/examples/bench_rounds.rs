//! Generates the round benchmark installation: the demo county, then 1,000
//! rounds of history — 5 units each, 200 working papers, 50 clues, 500
//! rectification items, 20 transfers and 50 fieldwork entries per round
//! (200,000 / 50,000 / 500,000 / 20,000 / 50,000). Used by `bench/rounds.sh`.
//!
//! The history is written with plain SQL in large transactions (no audit
//! records: it stands for years of past work, not for changes made now).
//!
//! `cargo run --release -p xuncha --example bench_rounds -- DATA_DIR [ROUNDS]`

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use xuncha_core::inspection::paper::{
    Clue, ClueGrade, CluePerson, PaperSource, PaperStatus, WorkingPaper,
};
use xuncha_core::inspection::record::{RecordData, RecordKind};
use xuncha_core::inspection::rectification::{Progress, RectItem, RectKind, RectStatus};
use xuncha_core::inspection::transfer::{
    Disposal, FourForms, Receiver, Transfer, TransferItem, TransferStatus,
};
use xuncha_core::policy::Scope;
use xuncha_db::DatabaseUrl;

const CATEGORIES: &[&str] = &[
    "四个落实/落实全面从严治党战略部署",
    "三个聚焦/群众身边腐败问题和不正之风",
    "六项纪律/廉洁纪律",
    "六项纪律/工作纪律",
    "四个落实/落实新时代党的组织路线",
];

fn paper(i: u64) -> WorkingPaper {
    WorkingPaper {
        category: CATEGORIES[(i % 5) as usize].into(),
        source: PaperSource::Talk,
        summary: format!("第{i}号问题：专项资金拨付不及时，台账记录不完整"),
        facts: "经查，2024年至2025年该单位专项资金拨付平均滞后47天，涉及资金312万元；部分项目台账缺少验收记录，资金去向无法逐笔核对。".into(),
        basis: "《中华人民共和国预算法》第五十七条；《党政机关厉行节约反对浪费条例》".into(),
        evidence: vec![],
        status: if i % 10 == 0 { PaperStatus::Returned } else { PaperStatus::Approved },
        handlers: vec![],
        reviewed: None,
        approved: None,
        returns: vec![],
    }
}

fn rect(i: u64, year: u64) -> RectItem {
    RectItem {
        paper_id: None,
        problem: format!("第{i}项：专项资金拨付不及时"),
        measures: "建立资金拨付台账，逐笔销号；对相关责任人进行约谈".into(),
        responsible: "单位主要负责人".into(),
        kind: RectKind::Deadline,
        deadline: format!("{year}-09-{:02}", 1 + i % 28),
        status: match i % 10 {
            0 => RectStatus::Open,
            1 => RectStatus::Reported,
            2 => RectStatus::SentBack,
            _ => RectStatus::Accepted,
        },
        progress: vec![Progress {
            date: format!("{year}-07-15"),
            by: "被巡察单位".into(),
            note: "已完成整改，补齐台账".into(),
            evidence: vec![],
        }],
        send_backs: vec![],
        accepted_by: None,
        disclose: true,
    }
}

fn clue(i: u64) -> Clue {
    Clue {
        title: format!("第{i}号线索：反映某负责人插手工程项目"),
        summary: "群众来信反映，该负责人亲属承揽本单位工程项目".into(),
        grade: ClueGrade::Further,
        persons: vec![CluePerson {
            person_id: None,
            name: "某某".into(),
            position: "副局长".into(),
        }],
        paper_ids: vec![],
        fieldwork_ids: vec![],
        transferred: i % 2 == 0,
    }
}

fn transfer(i: u64, year: u64) -> Transfer {
    Transfer {
        item: TransferItem {
            kind: RecordKind::Clue,
            id: i as i64,
            title: format!("第{i}号线索"),
            summary: "反映某负责人插手工程项目".into(),
        },
        receiver: Receiver::Discipline,
        receiver_unit_id: None,
        proposed: Receiver::Discipline,
        change_reason: None,
        sent_date: format!("{year}-06-01"),
        due_date: format!("{year}-09-01"),
        status: TransferStatus::Reported,
        received: Some(("纪委".into(), format!("{year}-06-02"))),
        disposal: Some(if i % 5 == 0 {
            Disposal::CaseFiled
        } else {
            Disposal::TalkInquiry
        }),
        four_forms: Some(FourForms::First),
        feedback: Some("已办结".into()),
        reported_date: Some(format!("{year}-08-20")),
    }
}

/// kind, status, tag, due date, JSON content, title.
type Row = (
    RecordKind,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().expect("usage: bench_rounds DATA_DIR [ROUNDS]"));
    let rounds: u64 = args.next().map(|s| s.parse().unwrap()).unwrap_or(1000);
    let file = data.join("xuncha.db");
    let opened = xuncha_db::connect(&DatabaseUrl::Sqlite(file.clone())).await?;
    let store = opened.store();
    let county = xuncha_core::demo::generate(xuncha_core::demo::DEFAULT_SEED);
    let at = 1_764_000_000_000;
    xuncha_core::demo::load(store.as_ref(), &county, at).await?;
    let units = store.all_units(&Scope::all()).await?;
    opened.close().await;

    let mut c =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&file)).await?;
    let started = std::time::Instant::now();
    let mut records = 0u64;
    let (mut n_paper, mut n_rect) = (0u64, 0u64);
    for r in 0..rounds {
        let mut tx = c.begin().await?;
        let year = 2016 + r / 100;
        let (term, number) = (100 + r / 50, 1 + r % 50);
        let round_id: i64 = sqlx::query_scalar(
            "insert into rounds (term, number, kind, title, start_date, end_date, status, \
             created_by, created_at, updated_at) values ($1, $2, 'regular', $3, $4, $5, $6, 0, $7, $7) \
             returning id",
        )
        .bind(term as i64)
        .bind(number as i64)
        .bind(format!("第{term}届第{number}轮常规巡察"))
        .bind(format!("{year}-03-{:02}", 1 + r % 28))
        .bind(format!("{year}-05-{:02}", 1 + r % 28))
        .bind(if r + 1 == rounds { "active" } else { "finished" })
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let team_id: i64 = sqlx::query_scalar(
            "insert into teams (round_id, name, created_at) values ($1, '第一巡察组', $2) returning id",
        )
        .bind(round_id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        for t in 0..5u64 {
            let unit = &units[((r * 5 + t) % units.len() as u64) as usize];
            let target_id: i64 = sqlx::query_scalar(
                "insert into round_targets (round_id, unit_id, unit_path, team_id, stage, \
                 report_returns, feedback_date, rect_rating, created_at, updated_at) \
                 values ($1, $2, $3, $4, 'evaluate', $5, $6, $7, $8, $8) returning id",
            )
            .bind(round_id)
            .bind(unit.id)
            .bind(&unit.path)
            .bind(team_id)
            .bind((r + t) as i64 % 2)
            .bind(format!("{year}-05-20"))
            .bind(["good", "fairly-good", "average", "poor"][((r + t) % 4) as usize])
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let mut batch: Vec<Row> = Vec::new();
            for i in 0..40 {
                let p = paper(n_paper + i);
                batch.push((
                    RecordKind::Paper,
                    p.status(),
                    p.tag(),
                    None,
                    serde_json::to_string(&p)?,
                    p.summary.clone(),
                ));
            }
            n_paper += 40;
            for i in 0..10 {
                let k = clue(r * 50 + t * 10 + i);
                batch.push((
                    RecordKind::Clue,
                    k.status(),
                    k.tag(),
                    None,
                    serde_json::to_string(&k)?,
                    k.title.clone(),
                ));
            }
            for i in 0..100 {
                let it = rect(n_rect + i, year);
                batch.push((
                    RecordKind::RectItem,
                    it.status(),
                    it.tag(),
                    it.due_date(),
                    serde_json::to_string(&it)?,
                    it.problem.clone(),
                ));
            }
            n_rect += 100;
            for i in 0..4 {
                let x = transfer(r * 20 + t * 4 + i, year);
                batch.push((
                    RecordKind::Transfer,
                    x.status(),
                    x.tag(),
                    x.due_date(),
                    serde_json::to_string(&x)?,
                    x.item.title.clone(),
                ));
            }
            for i in 0..10u64 {
                let data = format!(
                    r#"{{"method":"talk","date":"{year}-03-{:02}","place":"会议室","participants":["甲","乙"],"notes":"了解班子运行情况","talked":{{"person_id":null,"name":"某某","rank":"deputy"}},"petitions":null,"undercover":false,"approved_by":null,"attachments":[],"warnings":[]}}"#,
                    1 + i
                );
                batch.push((
                    RecordKind::Fieldwork,
                    "recorded".into(),
                    Some("talk".into()),
                    None,
                    data,
                    "个别谈话".into(),
                ));
            }
            for (kind, status, tag, due, data, title) in batch {
                sqlx::query(
                    "insert into records (kind, round_id, target_id, unit_id, unit_path, status, tag, \
                     due_date, title, body, version, data, created_by, created_at, updated_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', 1, $10, 0, $11, $11)",
                )
                .bind(kind.as_str())
                .bind(round_id)
                .bind(target_id)
                .bind(unit.id)
                .bind(&unit.path)
                .bind(status)
                .bind(tag)
                .bind(due)
                .bind(title)
                .bind(data)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                records += 1;
            }
        }
        tx.commit().await?;
    }
    sqlx::query("analyze").execute(&mut c).await?;
    println!(
        "rounds {rounds}, records {records} (papers {n_paper}, rect items {n_rect}) in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
