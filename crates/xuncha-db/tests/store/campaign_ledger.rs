//! Paper visit ledgers imported: a file with any bad row applies nothing
//! and names every problem by row and column; a good one stores each visit
//! as a recorded one does (counters, the day, the demand), credits the
//! cadre who went, is audited, and stores nothing twice when imported
//! again; a team leader imports for the team's villages only, a member who
//! does not lead is refused.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::campaign::{CampaignKind, FollowupKind};
use xuncha_core::import::{RawRow, RawTable};
use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;
use xuncha_core::usecases::campaigns::{self as uc, ledger, setup};
use xuncha_core::CoreError;

use crate::campaign_counters::assert_counters;
use crate::campaign_visits::table as households;
use crate::campaigns::user;
use crate::helpers::{id_number, TestDb};

fn ledger_table(rows: &[[&str; 8]]) -> RawTable {
    RawTable {
        headers: [
            "村（社区）",
            "户主姓名",
            "身份证号码",
            "走访日期",
            "走访干部",
            "见到的人",
            "诉求类别",
            "诉求内容",
        ]
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

store_test!(a_paper_ledger_is_imported_whole_or_not_at_all);
async fn a_paper_ledger_is_imported_whole_or_not_at_all(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let _v1 = ctx.unit(Some(&town), "青石村", UnitKind::Village).await;
    let _v2 = ctx.unit(Some(&town), "河口村", UnitKind::Village).await;
    let office = user(s, ctx, "office1", Role::Office, &root).await;
    let leader = user(s, ctx, "zuzhang1", Role::VisitingCadre, &town).await;
    let cadre = user(s, ctx, "zoufang1", Role::VisitingCadre, &town).await;
    let _other = user(s, ctx, "zoufang2", Role::VisitingCadre, &town).await;
    let mut input = uc::template(CampaignKind::Visit, "2026-11-20");
    input.unit_id = root.id.to_string();
    let c = uc::create(s, clock, &office, &input).await.unwrap();
    setup::add_units(s, clock, &office, c.id, &[town.id])
        .await
        .unwrap();
    let t1 = setup::add_team(
        s,
        clock,
        &office,
        c.id,
        "一队",
        "zuzhang1 组长\nzoufang1 记录",
    )
    .await
    .unwrap();
    let t2 = setup::add_team(s, clock, &office, c.id, "二队", "zoufang2 组长")
        .await
        .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let tid = |n: &str| targets.iter().find(|t| t.name == n).unwrap().id;
    setup::assign(s, clock, &office, c.id, &[tid("青石村")], Some(t1))
        .await
        .unwrap();
    setup::assign(s, clock, &office, c.id, &[tid("河口村")], Some(t2))
        .await
        .unwrap();
    let n1 = id_number("19600101", 11);
    let stranger = id_number("19700101", 13);
    setup::import_households(
        s,
        clock,
        &office,
        c.id,
        &households(&[
            ["青石镇", "青石村", "王大山", &n1, "4"],
            ["", "青石村", "王小河", "", ""],
            ["", "青石村", "李四", "", ""],
            ["", "青石村", "李四", "", ""],
            ["", "河口村", "赵三", "", "3"],
        ]),
    )
    .await
    .unwrap();
    let audit_before = ctx.scalar("select count(*) from audit_log").await;

    // Every bad row named; nothing stored.
    let bad = ledger_table(&[
        [
            "青石村",
            "王大山",
            &stranger,
            "2026-11-20",
            "zoufang1",
            "户主本人",
            "",
            "",
        ],
        [
            "青石村",
            "李四",
            "",
            "2026-11-20",
            "zoufang1",
            "户主本人",
            "",
            "",
        ],
        [
            "河口村",
            "赵三",
            "",
            "2026-11-20",
            "zoufang1",
            "户主本人",
            "",
            "",
        ],
        [
            "青石村",
            "王小河",
            "",
            "2026-11-20",
            "zoufang1",
            "户主本人",
            "天气",
            "下雨",
        ],
    ]);
    let e = ledger::import_visits(s, clock, &office, c.id, &bad).await;
    let Err(CoreError::Invalid(errors)) = e else {
        panic!("expected invalid, got {e:?}");
    };
    let at: Vec<_> = errors.iter().map(|e| (e.row, e.column.clone())).collect();
    assert_eq!(
        at,
        vec![
            (Some(2), Some("身份证号码".to_owned())),
            (Some(3), Some("户主姓名".to_owned())),
            (Some(4), Some("走访干部".to_owned())),
            (Some(5), Some("诉求类别".to_owned())),
        ]
    );
    assert!(errors[1].message.contains("多户"), "{}", errors[1].message);
    assert_eq!(ctx.scalar("select count(*) from campaign_records").await, 0);
    assert_eq!(
        ctx.scalar("select count(*) from audit_log").await,
        audit_before
    );

    // A member who does not lead is refused; the leader imports for the
    // team's villages only.
    let good = ledger_table(&[
        [
            "青石村",
            "王大山",
            &n1,
            "2026/11/20",
            "zoufang1 姓名",
            "户主本人",
            "基础设施",
            "村道破损，雨天难行",
        ],
        [
            "青石村",
            "王小河",
            "",
            "2026-11-21",
            "zoufang1",
            "其配偶",
            "",
            "",
        ],
    ]);
    assert!(matches!(
        ledger::import_visits(s, clock, &cadre, c.id, &good).await,
        Err(CoreError::Forbidden)
    ));
    let theirs = ledger_table(&[[
        "河口村",
        "赵三",
        "",
        "2026-11-20",
        "zoufang2",
        "户主本人",
        "",
        "",
    ]]);
    let e = ledger::import_visits(s, clock, &leader, c.id, &theirs).await;
    assert!(
        matches!(e, Err(CoreError::Invalid(ref v)) if v[0].field == "village"),
        "{e:?}"
    );
    let r = ledger::import_visits(s, clock, &leader, c.id, &good)
        .await
        .unwrap();

    assert_eq!((r.visits, r.demands, r.already), (2, 1, 0));
    let village = s.get_campaign_target(tid("青石村")).await.unwrap();
    assert_eq!((village.leaves, village.done), (4, 2));
    let teams = s.campaign_teams(c.id).await.unwrap();
    let records_of = |login: &str| {
        teams
            .iter()
            .flat_map(|t| &t.members)
            .find(|m| m.username == login)
            .unwrap()
            .records
    };
    assert_eq!(records_of("zoufang1"), 2, "credited to the cadre who went");
    assert_eq!(
        records_of("zuzhang1"),
        0,
        "not to the leader who typed it in"
    );
    let demands = s
        .campaign_followups(c.id, None, Some(FollowupKind::Demand))
        .await
        .unwrap();
    assert_eq!(demands.len(), 1);
    assert_eq!(demands[0].team_id, Some(t1));
    assert!(demands[0].deadline.as_str() > "2026-11-20");
    let days = s.campaign_day_totals(c.id, None).await.unwrap();
    assert_eq!(days.iter().map(|d| d.records).sum::<i64>(), 2);
    assert_eq!(
        ctx.scalar("select count(*) from audit_log where action = 'campaign.visits_import'")
            .await,
        1
    );
    // The same ledger again: nothing stored twice.
    let again = ledger::import_visits(s, clock, &office, c.id, &good)
        .await
        .unwrap();
    assert_eq!((again.visits, again.already), (0, 2));
    assert_eq!(ctx.scalar("select count(*) from campaign_records").await, 2);

    // A column headed by a question carries its answers; the others read
    // as not recorded on paper, and the cadre is kept with the note.
    let q0 = c.spec.questions[0].clone();
    let mut with_answer = ledger_table(&[[
        "河口村",
        "赵三",
        "",
        "2026-11-22",
        "zoufang2",
        "户主本人",
        "",
        "",
    ]]);
    with_answer.headers.push(q0);
    with_answer.rows[0].cells.push("务农为主".into());
    let r = ledger::import_visits(s, clock, &office, c.id, &with_answer)
        .await
        .unwrap();
    assert_eq!((r.visits, r.unmapped_headers.len()), (1, 0));
    let zhao = s
        .find_households(c.id, None, Some(tid("河口村")), "赵三", 1)
        .await
        .unwrap()
        .remove(0);
    let rec = s
        .campaign_records(c.id, None, Some(zhao.id), None, 1)
        .await
        .unwrap()
        .remove(0);
    let xuncha_core::campaign::RecordData::Visit(v) = rec.data else {
        panic!("a visit");
    };
    assert_eq!(v.answers[0], "务农为主");
    assert_eq!(v.answers[1], "（纸质台账未记录）");
    assert!(v.note.contains("zoufang2"), "{}", v.note);
    // The imported visits and their demands moved the maintained counters as records do.
    assert_counters(ctx, "after a paper ledger").await;
}
