//! A household visit campaign on both backends: villages from the
//! registry, a household list that fails whole then imports, a visit with
//! a demand that becomes a petition, coverage, the desk's count — with the
//! counters checked against a recount of the rows after each write.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::campaign::followup::FollowupUpdate;
use xuncha_core::campaign::{DemandInput, FollowupKind, FollowupStatus, VisitInput};
use xuncha_core::import::{RawRow, RawTable};
use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;
use xuncha_core::usecases::campaigns::{self as uc, register, setup, views, work};
use xuncha_core::CoreError;

use crate::campaign_counters::{assert_counters, overdue_rows};
use crate::campaigns::user;
use crate::helpers::{id_number, TestDb};

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
    assert_counters(ctx, "after the household import").await;

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
    assert_counters(ctx, "after visits").await;
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
    // The desk's count from counters equals the count from the rows: the
    // office (its jurisdiction's campaigns, every team), a cadre, a day
    // before and after the deadline.
    let office_scope =
        xuncha_core::policy::scope(&office, xuncha_core::policy::Action::ViewCampaigns).ok();
    for day in ["2026-11-30", "2026-12-30"] {
        for (a, path) in [
            (&office, Some(root.path.as_str())),
            (&cadre, None),
            (&other, None),
        ] {
            let scope = path.and(office_scope.as_ref());
            assert_eq!(
                s.overdue_followups(scope, a.user_id, day).await.unwrap(),
                overdue_rows(ctx, path, a.user_id, day).await,
                "{} on {day}",
                a.username
            );
        }
    }
    assert_eq!(
        s.overdue_followups(office_scope.as_ref(), office.user_id, "2026-12-30")
            .await
            .unwrap(),
        1
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
    // Still open: becoming a petition changes no counter.
    assert_counters(ctx, "after a demand became a petition").await;
    assert_eq!(
        s.campaign_tally(c.id, None, "2026-12-30")
            .await
            .unwrap()
            .open_followups,
        1
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

    // The register a page at a time: five more demands, read two a page in
    // deadline order with the filters applied by the database.
    for i in 0..5 {
        visit.client_key = format!("visit-key-1{i:03}");
        visit.demands = vec![DemandInput {
            category: "社会保障".into(),
            content: format!("诉求{i}"),
            department: "县民政局".into(),
        }];
        work::record_visit(s, clock, &cadre, h.id, &visit, vec![])
            .await
            .unwrap();
    }
    let all = walk(s, clock, &office, c.id, register::FollowupQuery::default()).await;
    assert_eq!(all.len(), 6);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "deadline order, no row twice");
    let first = s.campaign_followups(c.id, None, None).await.unwrap();
    let done = work::update_followup(
        s,
        clock,
        &cadre,
        first[5].id,
        &FollowupUpdate {
            status: "done".into(),
            resolution: "已协调解决".into(),
            satisfaction: "satisfied".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_counters(ctx, "after a demand was settled").await;
    let open = walk(
        s,
        clock,
        &office,
        c.id,
        register::FollowupQuery {
            status: Some(FollowupStatus::Open),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(open.len(), 5);
    assert!(!open.iter().any(|x| x.1 == done.id));
    let late = walk(
        s,
        clock,
        &office,
        c.id,
        register::FollowupQuery {
            overdue: true,
            ..Default::default()
        },
    )
    .await;
    let today = xuncha_core::usecases::rounds::plan::today(clock);
    let expect = first
        .iter()
        .filter(|f| f.id != done.id && f.deadline < today)
        .count();
    assert_eq!(late.len(), expect);
    let hazards = walk(
        s,
        clock,
        &office,
        c.id,
        register::FollowupQuery {
            kind: Some(FollowupKind::Hazard),
            ..Default::default()
        },
    )
    .await;
    assert!(hazards.is_empty());
    // The other team's cadre sees none of them.
    let theirs = register::followups(s, clock, &other, c.id, &Default::default(), 10)
        .await
        .unwrap();
    assert!(theirs.followups.is_empty());
    let tally = views::coverage(s, clock, &office, c.id)
        .await
        .unwrap()
        .tally;
    assert_eq!(tally.open_followups, 5);
}

/// Every row of the register the office sees, two a page, as (deadline, id).
async fn walk(
    s: &dyn Store,
    clock: &dyn xuncha_core::clock::Clock,
    office: &xuncha_core::auth::Actor,
    id: i64,
    mut q: register::FollowupQuery,
) -> Vec<(String, i64)> {
    let mut seen = Vec::new();
    loop {
        let page = register::followups(s, clock, office, id, &q, 2)
            .await
            .unwrap();
        assert!(page.followups.len() <= 2);
        seen.extend(page.followups.iter().map(|f| (f.deadline.clone(), f.id)));
        match page.next {
            Some(n) => q.after = Some(n),
            None => return seen,
        }
    }
}
