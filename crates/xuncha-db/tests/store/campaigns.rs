//! Field campaigns on both backends: a dormitory sweep (rooms typed as
//! ranges, two teams, a room recorded twice by a re-sent form, counters up
//! the tree, an item confiscated and returned only against a guarantee, a
//! hazard followed up, rankings, next month's copy) and a household visit
//! campaign (villages from the registry, a household list that fails whole
//! then imports, a visit with a demand that becomes a petition, coverage).

use std::collections::BTreeMap;
use std::sync::Arc;

use xuncha_core::auth::{Actor, Jurisdiction, Role};
use xuncha_core::campaign::checklist::RoomRecordInput;
use xuncha_core::campaign::custody::ReturnInput;
use xuncha_core::campaign::followup::FollowupUpdate;
use xuncha_core::campaign::{
    ConfiscationInput, DemandInput, FollowupStatus, ItemStatus, TargetLevel, VisitInput,
};
use xuncha_core::import::{RawRow, RawTable};
use xuncha_core::registry::{Unit, UnitKind};
use xuncha_core::store::{NewUser, Store};
use xuncha_core::usecases::campaigns::{self as uc, setup, views, work};
use xuncha_core::CoreError;

use crate::helpers::{id_number, TestDb};

pub(crate) async fn user(
    store: &dyn Store,
    ctx: &TestDb,
    login: &str,
    role: Role,
    unit: &Unit,
) -> Actor {
    let u = store
        .create_user(
            &NewUser {
                username: login.into(),
                display_name: format!("{login} 姓名"),
                role,
                unit_id: Some(unit.id),
                password_hash: "x".into(),
            },
            &ctx.meta(),
        )
        .await
        .unwrap();
    Actor {
        user_id: u.id,
        username: u.username,
        display_name: u.display_name,
        role,
        jurisdiction: Some(Jurisdiction {
            unit_id: unit.id,
            path: unit.path.clone(),
        }),
        recused_paths: Vec::new(),
        assignments: Vec::new(),
    }
}

pub(crate) fn room(key: &str, marks: &[&str]) -> RoomRecordInput {
    RoomRecordInput {
        client_key: key.into(),
        marks: marks
            .iter()
            .enumerate()
            .map(|(i, m)| (i, (*m).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        present: "住宿人员3人".into(),
        ..Default::default()
    }
}

store_test!(dormitory_sweep_with_custody_and_hazards);
async fn dormitory_sweep_with_custody_and_hazards(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let company = ctx
        .unit(Some(&root), "示范县城投公司", UnitKind::Enterprise)
        .await;
    let office = user(s, ctx, "office1", Role::Office, &root).await;
    let a1 = user(s, ctx, "checker1", Role::Checker, &company).await;
    let a2 = user(s, ctx, "checker2", Role::Checker, &company).await;
    let mut input = uc::template(xuncha_core::campaign::CampaignKind::Checklist, "2026-11-26");
    input.unit_id = company.id.to_string();
    input.title = "2026年11月宿舍卫生安全检查".into();
    input.checklist =
        "地面清洁（50分）\n床铺整齐（50分）\n无违规电器（合格/不合格）\n消防通道畅通（隐患）"
            .into();
    let c = uc::create(s, clock, &office, &input).await.unwrap();
    assert!(matches!(
        uc::create(s, clock, &a1, &input).await,
        Err(CoreError::Forbidden)
    ));
    let n = setup::add_targets(
        s,
        clock,
        &office,
        c.id,
        "1号楼/1层/101-103\n1号楼/2层/201,202\n3号楼（场外）/1层/101",
    )
    .await
    .unwrap();
    assert_eq!(n, 6);
    // Adding the same rooms again creates nothing.
    assert_eq!(
        setup::add_targets(s, clock, &office, c.id, "1号楼/1层/101")
            .await
            .unwrap(),
        0
    );
    let bad = setup::add_targets(s, clock, &office, c.id, "1号楼/1层/109-101").await;
    assert!(matches!(bad, Err(CoreError::Invalid(_))));
    let ta = setup::add_team(
        s,
        clock,
        &office,
        c.id,
        "第一组",
        "checker1 记录\nnobody 拍照",
    )
    .await;
    assert!(matches!(ta, Err(CoreError::Invalid(ref e)) if e[0].message.contains("nobody")));
    let ta = setup::add_team(s, clock, &office, c.id, "第一组", "checker1 记录")
        .await
        .unwrap();
    let tb = setup::add_team(s, clock, &office, c.id, "第二组", "checker2 拍照")
        .await
        .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let b1_id = targets.iter().find(|t| t.name == "1号楼").unwrap().id;
    let b3_id = targets
        .iter()
        .find(|t| t.name == "3号楼（场外）")
        .unwrap()
        .id;
    setup::assign(s, clock, &office, c.id, &[b1_id], Some(ta))
        .await
        .unwrap();
    setup::assign(s, clock, &office, c.id, &[b3_id], Some(tb))
        .await
        .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let names: Vec<_> = targets
        .iter()
        .filter(|t| t.level == TargetLevel::Room)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        names,
        vec!["101", "102", "103", "201", "202", "101"],
        "creation order"
    );
    let r101 = targets
        .iter()
        .find(|t| t.name == "101" && t.team_id == Some(ta))
        .unwrap()
        .id;
    let r102 = targets.iter().find(|t| t.name == "102").unwrap().id;
    let r3 = targets
        .iter()
        .find(|t| t.name == "101" && t.team_id == Some(tb))
        .unwrap()
        .id;

    // Team one sees its building only; team two's room is not found to it.
    let ov = views::overview(s, &a1, c.id).await.unwrap();
    assert!(ov.targets.iter().all(|t| t.team_id == Some(ta)));
    assert_eq!(ov.teams.len(), 1);
    assert!(matches!(
        work::record_room(
            s,
            clock,
            &a1,
            r3,
            &room("k-other-team", &["40", "40", "1", "1"]),
            vec![]
        )
        .await,
        Err(CoreError::NotFound)
    ));

    // A room with a confiscated cooker and a hazard.
    let mut rec = room("k-room-101-a", &["45", "38.5", "0", "0"]);
    rec.items.push(ConfiscationInput {
        item: "电饭锅".into(),
        owner: "李明".into(),
        quantity: "1".into(),
        photo: None,
    });
    let incomplete =
        work::record_room(s, clock, &a1, r101, &room("k-room-101-x", &["45"]), vec![]).await;
    assert!(matches!(incomplete, Err(CoreError::Invalid(ref e)) if e.len() == 3));
    let (id, created) = work::record_room(s, clock, &a1, r101, &rec, vec!["abc".into()])
        .await
        .unwrap();
    assert!(created);
    // The same form sent again (the answer was lost on a poor connection).
    let (again, created) = work::record_room(s, clock, &a1, r101, &rec, vec![])
        .await
        .unwrap();
    assert_eq!((again, created), (id, false));
    work::record_room(
        s,
        clock,
        &a1,
        r102,
        &room("k-room-102-a", &["20", "25", "1", "1"]),
        vec![],
    )
    .await
    .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let b1 = targets.iter().find(|t| t.id == b1_id).unwrap();
    assert_eq!((b1.leaves, b1.done), (5, 2));
    let f1 = targets.iter().find(|t| t.name == "1层").unwrap();
    assert_eq!((f1.leaves, f1.done), (3, 2));
    assert_eq!(
        targets.iter().find(|t| t.id == r101).unwrap().score,
        Some(835)
    );
    let rank = views::ranking(&targets, 3);
    assert_eq!(rank.cleanest[0].id, r101);
    assert_eq!(rank.dirtiest[0].id, r102);
    assert_eq!(rank.cleanest[0].place, "1号楼 / 1层 / 101");
    let days = s.campaign_days(c.id).await.unwrap();
    assert_eq!((days[0].records, days[0].firsts), (2, 2));
    let teams = s.campaign_teams(c.id).await.unwrap();
    assert_eq!(teams[0].members[0].records, 2);

    // Custody: held, refused without a guarantee, returned with one, once.
    let held = s
        .campaign_items(c.id, None, Some(ItemStatus::Held))
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].place, "1号楼 / 1层 / 101");
    assert_eq!(held[0].taken_by, "checker1 姓名");
    // Counted by the database as the overview lists them: the hazard is due
    // on 2026-12-04, overdue the day after.
    let tally = s
        .campaign_tally(c.id, Some(ta), "2026-12-05")
        .await
        .unwrap();
    assert_eq!(
        (
            tally.open_followups,
            tally.overdue_followups,
            tally.held_items
        ),
        (1, 1, 1)
    );
    let tally = s.campaign_tally(c.id, None, "2026-12-04").await.unwrap();
    assert_eq!(
        (
            tally.open_followups,
            tally.overdue_followups,
            tally.held_items
        ),
        (1, 0, 1)
    );
    let tally = s
        .campaign_tally(c.id, Some(tb), "2026-12-05")
        .await
        .unwrap();
    assert_eq!(tally, Default::default());
    let stranger = Actor {
        user_id: a1.user_id + 1000,
        ..a1.clone()
    };
    assert!(matches!(
        work::return_item(
            s,
            clock,
            &stranger,
            held[0].id,
            &ReturnInput::default(),
            None
        )
        .await,
        Err(CoreError::NotFound)
    ));
    let no_guarantee = ReturnInput {
        returned_to: "李明".into(),
        ..Default::default()
    };
    assert!(matches!(
        work::return_item(s, clock, &a1, held[0].id, &no_guarantee, None).await,
        Err(CoreError::Invalid(_))
    ));
    let other_team =
        work::return_item(s, clock, &a2, held[0].id, &no_guarantee, Some("sig".into())).await;
    assert!(matches!(other_team, Err(CoreError::NotFound)));
    let ret = ReturnInput {
        guarantee: "本人保证今后不在宿舍使用违规电器。".into(),
        returned_to: "李明".into(),
        version: String::new(),
    };
    let back = work::return_item(s, clock, &a1, held[0].id, &ret, Some("scan-sha".into()))
        .await
        .unwrap();
    assert_eq!(back.status, ItemStatus::Returned);
    assert_eq!(back.returned_by.as_deref(), Some("checker1 姓名"));
    assert!(matches!(
        work::return_item(s, clock, &a1, held[0].id, &ret, None).await,
        Err(CoreError::Conflict(_))
    ));
    assert!(s
        .campaign_items(c.id, None, Some(ItemStatus::Held))
        .await
        .unwrap()
        .is_empty());

    // The hazard has a deadline; closing needs a resolution.
    let fs = s.campaign_followups(c.id, None, None).await.unwrap();
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].content, "消防通道畅通");
    assert_eq!(fs[0].deadline, "2026-12-04");
    let close = FollowupUpdate {
        status: "done".into(),
        ..Default::default()
    };
    assert!(matches!(
        work::update_followup(s, clock, &a1, fs[0].id, &close).await,
        Err(CoreError::Invalid(_))
    ));
    let close = FollowupUpdate {
        status: "done".into(),
        resolution: "已清理通道杂物".into(),
        ..Default::default()
    };
    let f = work::update_followup(s, clock, &a1, fs[0].id, &close)
        .await
        .unwrap();
    assert_eq!(f.status, FollowupStatus::Done);

    // Next month: the same rooms, teams and assignments; the series compares.
    let mut next = uc::input_of(&c);
    next.title = "2026年12月宿舍卫生安全检查".into();
    next.starts_on = "2026-11-27".into();
    next.ends_on = "2026-11-27".into();
    let c2 = uc::create(s, clock, &office, &next).await.unwrap();
    let t2 = s.campaign_targets(c2.id, None).await.unwrap();
    assert_eq!(
        t2.iter().filter(|t| t.level == TargetLevel::Room).count(),
        6
    );
    assert_eq!(t2.iter().filter(|t| t.done > 0).count(), 0);
    assert!(
        views::overview(s, &a1, c2.id).await.unwrap().targets.len() == 8,
        "building, 2 floors, 5 rooms"
    );
    let series = views::series(s, &office, &c2).await.unwrap();
    assert_eq!(series.len(), 2);
    assert_eq!(series[0].average, Some(642));
    assert_eq!(series[0].items, 1);
    // Closed: nothing more is recorded.
    uc::set_status(
        s,
        clock,
        &office,
        c.id,
        c.version,
        xuncha_core::campaign::CampaignStatus::Closed,
    )
    .await
    .unwrap();
    assert!(matches!(
        work::record_room(
            s,
            clock,
            &a1,
            r102,
            &room("k-room-102-b", &["20", "25", "1", "1"]),
            vec![]
        )
        .await,
        Err(CoreError::Conflict(_))
    ));
    // The checker sees campaigns, not the inspection.
    assert_eq!(uc::list(s, &a1).await.unwrap().len(), 2);
    assert!(xuncha_core::usecases::rounds::plan::list_rounds(s, &a1)
        .await
        .is_err());
}

pub(crate) fn table(rows: &[[&str; 5]]) -> RawTable {
    RawTable {
        headers: ["所属乡镇", "村（社区）", "户主", "身份证号码", "家庭人口"]
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

store_test!(household_visits_with_demands_and_coverage);
async fn household_visits_with_demands_and_coverage(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let v1 = ctx.unit(Some(&town), "青石村", UnitKind::Village).await;
    let _v2 = ctx.unit(Some(&town), "河口村", UnitKind::Village).await;
    let town2 = ctx.unit(Some(&root), "城关镇", UnitKind::Township).await;
    let v3 = ctx.unit(Some(&town2), "东街社区", UnitKind::Village).await;
    let office = user(s, ctx, "office1", Role::Office, &root).await;
    let cadre = user(s, ctx, "zoufang1", Role::VisitingCadre, &town).await;
    let other = user(s, ctx, "zoufang2", Role::VisitingCadre, &town2).await;
    let mut input = uc::template(xuncha_core::campaign::CampaignKind::Visit, "2026-11-20");
    input.unit_id = root.id.to_string();
    let c = uc::create(s, clock, &office, &input).await.unwrap();
    assert_eq!(c.spec.questions.len(), 10);
    setup::add_units(s, clock, &office, c.id, &[town.id, v3.id])
        .await
        .unwrap();
    assert!(matches!(
        setup::add_units(s, clock, &office, c.id, &[root.id]).await,
        Err(CoreError::Invalid(_))
    ));
    let t1 = setup::add_team(s, clock, &office, c.id, "青石镇工作队", "zoufang1 记录")
        .await
        .unwrap();
    let t2 = setup::add_team(s, clock, &office, c.id, "城关镇工作队", "zoufang2 记录")
        .await
        .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let tid = |n: &str| targets.iter().find(|t| t.name == n).unwrap().id;
    assert_eq!(
        targets.iter().find(|t| t.name == "青石村").unwrap().unit_id,
        Some(v1.id)
    );
    setup::assign(s, clock, &office, c.id, &[tid("青石镇")], Some(t1))
        .await
        .unwrap();
    setup::assign(s, clock, &office, c.id, &[tid("城关镇")], Some(t2))
        .await
        .unwrap();

    // A list with a bad row applies nothing, and names the row and column.
    let n1 = id_number("19600101", 11);
    let bad = table(&[
        ["青石镇", "青石村", "王大山", &n1, "4"],
        ["", "无名村", "李二", "", "3"],
        ["", "河口村", "赵三", "123", "200"],
    ]);
    let e = setup::import_households(s, clock, &office, c.id, &bad).await;
    let Err(CoreError::Invalid(errors)) = e else {
        panic!("expected invalid, got {e:?}");
    };
    let at: Vec<_> = errors.iter().map(|e| (e.row, e.column.clone())).collect();
    assert_eq!(
        at,
        vec![
            (Some(3), Some("村（社区）".to_owned())),
            (Some(4), Some("身份证号码".to_owned())),
            (Some(4), Some("家庭人口".to_owned())),
        ]
    );
    assert!(s
        .find_households(c.id, None, None, "", 10)
        .await
        .unwrap()
        .is_empty());
    let good = table(&[
        ["青石镇", "青石村", "王大山", &n1, "4"],
        ["", "青石村", "王小河", "", ""],
        ["", "河口村", "赵三", "", "3"],
        ["", "东街社区", "钱四", "", "2"],
    ]);
    let r = setup::import_households(s, clock, &office, c.id, &good)
        .await
        .unwrap();
    assert_eq!(r.created, 4);
    // Importing again skips the head already listed by ID number.
    let again = setup::import_households(
        s,
        clock,
        &office,
        c.id,
        &table(&[["", "青石村", "王大山", &n1, "4"]]),
    )
    .await
    .unwrap();
    assert_eq!((again.created, again.skipped), (0, 1));

    // The cadre finds households of the team's villages only.
    let (_, mine) = views::households(s, &cadre, c.id, None, "王")
        .await
        .unwrap();
    assert_eq!(mine.len(), 2);
    let (_, none) = views::households(s, &cadre, c.id, None, "钱")
        .await
        .unwrap();
    assert!(none.is_empty());
    let (_, by_id) = views::households(s, &cadre, c.id, None, &n1[..10])
        .await
        .unwrap();
    assert_eq!(by_id.len(), 1);
    let h = &mine[0];

    let mut visit = VisitInput {
        client_key: "visit-key-0001".into(),
        met: "户主本人".into(),
        ..Default::default()
    };
    for i in 0..10 {
        visit.answers.insert(i, "无".into());
    }
    visit.demands.push(DemandInput {
        category: "基础设施".into(),
        content: "村道破损，雨天难行".into(),
        department: "县交通运输局".into(),
    });
    assert!(matches!(
        work::record_visit(s, clock, &other, h.id, &visit, vec![]).await,
        Err(CoreError::NotFound)
    ));
    let (_, created) = work::record_visit(s, clock, &cadre, h.id, &visit, vec![])
        .await
        .unwrap();
    assert!(created);
    visit.client_key = "visit-key-0002".into();
    visit.demands.clear();
    work::record_visit(s, clock, &cadre, h.id, &visit, vec![])
        .await
        .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let v = targets.iter().find(|t| t.name == "青石村").unwrap();
    assert_eq!(
        (v.leaves, v.done),
        (2, 1),
        "two visits to one household count once"
    );
    let town_t = targets.iter().find(|t| t.name == "青石镇").unwrap();
    assert_eq!((town_t.leaves, town_t.done), (3, 1));
    let teams = s.campaign_teams(c.id).await.unwrap();
    let cov = views::team_coverage(c.kind, &targets, &teams);
    assert_eq!(
        cov.iter()
            .map(|x| (x.name.as_str(), x.leaves, x.done))
            .collect::<Vec<_>>(),
        vec![("城关镇工作队", 1, 0), ("青石镇工作队", 3, 1)]
    );
    assert_eq!(s.get_household(h.id).await.unwrap().visits, 2);

    // The demand: overdue after its deadline, a petition by the office only.
    let (_, _, visits, demands) = views::household(s, &cadre, h.id).await.unwrap();
    assert_eq!(visits.len(), 2);
    assert_eq!(demands.len(), 1);
    assert_eq!(demands[0].place, "青石镇 / 青石村 / 王大山");
    assert_eq!(
        s.overdue_followups(None, cadre.user_id, "2026-12-30")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.overdue_followups(None, other.user_id, "2026-12-30")
            .await
            .unwrap(),
        0
    );
    assert!(matches!(
        work::demand_to_petition(s, clock, &cadre, demands[0].id).await,
        Err(CoreError::Forbidden)
    ));
    let p = work::demand_to_petition(s, clock, &office, demands[0].id)
        .await
        .unwrap();
    let petition = s.get_petition(p).await.unwrap();
    assert_eq!(petition.channel.as_str(), "field-visit");
    assert_eq!(petition.unit_id, Some(v1.id));
    assert_eq!(
        s.get_followup(demands[0].id).await.unwrap().petition_id,
        Some(p)
    );

    // The coverage view: the overview's tree, teams and days, with the
    // registers counted (the demand is overdue a month on).
    ctx.clock.advance_ms(30 * 86_400_000);
    let ov = views::overview(s, &cadre, c.id).await.unwrap();
    let cov = views::coverage(s, clock, &cadre, c.id).await.unwrap();
    assert_eq!(cov.targets, ov.targets);
    // One day, the team's: two visits, one household done.
    assert_eq!(
        cov.days
            .iter()
            .map(|d| (d.team_id, d.records, d.firsts))
            .collect::<Vec<_>>(),
        vec![(t1, 2, 1)]
    );
    assert_eq!(cov.days[0].day, ov.days[0].day);
    assert_eq!(cov.teams.len(), 1);
    assert_eq!(
        (
            cov.tally.open_followups,
            cov.tally.overdue_followups,
            cov.tally.held_items
        ),
        (1, 1, 0)
    );
    let none = views::coverage(s, clock, &other, c.id).await.unwrap();
    assert_eq!(none.tally, Default::default());
    // A team given one village of another team's township sees that
    // township above it, not its other villages.
    setup::assign(s, clock, &office, c.id, &[tid("河口村")], Some(t2))
        .await
        .unwrap();
    let names = |v: &[xuncha_core::campaign::CampaignTarget]| {
        v.iter().map(|t| t.name.clone()).collect::<Vec<_>>()
    };
    let theirs = views::coverage(s, clock, &other, c.id).await.unwrap();
    assert_eq!(
        names(&theirs.targets),
        vec!["青石镇", "河口村", "城关镇", "东街社区"]
    );
    let mine = views::coverage(s, clock, &cadre, c.id).await.unwrap();
    assert_eq!(names(&mine.targets), vec!["青石镇", "青石村"]);
    let all = views::coverage(s, clock, &office, c.id).await.unwrap();
    assert_eq!(all.targets.len(), 5);
    assert_eq!(all.teams.len(), 2);
    assert_eq!(
        all.days
            .iter()
            .map(|d| (d.team_id, d.records, d.firsts))
            .collect::<Vec<_>>(),
        vec![(0, 2, 1)]
    );
}
