//! The demo county loads into an empty database through the port, whole and
//! with an intact audit chain.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::demo;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{PageRequest, PersonFilter, PostRank, UnitFilter, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::audit::{verify, Verification};

use crate::helpers::{TestDb, T0};

store_test!(the_demo_county_loads_whole_into_an_empty_database);
async fn the_demo_county_loads_whole_into_an_empty_database(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let county = demo::generate(demo::DEFAULT_SEED);

    // Act
    let summary = demo::load(store.as_ref(), &county, T0).await.unwrap();
    let counts = store.counts(&Scope::all()).await.unwrap();
    let users = store.list_users().await.unwrap();
    let units = store.all_units(&Scope::all()).await.unwrap();
    let verification = verify(store.as_ref()).await.unwrap();

    // Assert: what was generated is what is stored.
    assert!(
        (55..=65).contains(&county.units.len()),
        "{} units",
        county.units.len()
    );
    assert!(
        (1900..=2100).contains(&county.persons.len()),
        "{} persons",
        county.persons.len()
    );
    assert_eq!(summary.units, county.units.len());
    assert_eq!(counts.units, county.units.len() as i64);
    assert_eq!(counts.persons, county.persons.len() as i64);
    assert_eq!(summary.relations, 300);
    assert_eq!(ctx.scalar("select count(*) from relations").await, 300);
    assert_eq!(counts.inspectors, 40);
    assert_eq!(
        ctx.scalar("select count(*) from leadership_posts").await,
        county.posts.len() as i64
    );
    assert_eq!(
        ctx.scalar("select count(*) from work_history").await,
        county.work_history.len() as i64
    );
    // One per role, plus the three accounts of round 1's 第二巡察组.
    assert_eq!(counts.users, 15);
    assert_eq!(summary.users.len(), 15);
    assert_eq!(summary.rounds, 2);
    assert!(summary.round_records > 50, "{}", summary.round_records);
    // Petitions about 白云镇: one 督办 unanswered past its deadline, one
    // 催办 answered; a holiday calendar marked as demo data.
    assert_eq!(ctx.scalar("select count(*) from petitions").await, 3);
    assert_eq!(
        ctx.scalar(&format!(
            "select count(*) from petition_supervisions where state = 'open' and deadline < '{}'",
            xuncha_core::usecases::rounds::plan::today(&xuncha_core::clock::ManualClock::new(T0))
        ))
        .await,
        1
    );
    assert_eq!(
        ctx.scalar("select count(*) from petition_supervisions where state = 'replied'")
            .await,
        1
    );
    let settings = store.settings().await.unwrap();
    assert!(settings["calendar.holidays"].starts_with("# 演示数据"));
    let names: HashSet<&str> = users.iter().map(|u| u.username.as_str()).collect();
    for n in [
        "admin",
        "office",
        "leader",
        "zuzhang",
        "fuzuzhang",
        "zuyuan",
        "jiwei",
        "zuzhibu",
        "bumen",
        "beixuncha",
        "zoufang",
        "jiancha",
    ] {
        assert!(names.contains(n), "demo user {n}");
    }
    let roles: HashSet<Role> = users.iter().map(|u| u.role).collect();
    assert_eq!(roles.len(), Role::ALL.len(), "one user per role");
    let bumen = users.iter().find(|u| u.username == "bumen").unwrap();
    assert_eq!(bumen.unit_name.as_deref(), Some("云岭县财政局"));
    assert_eq!(
        units.iter().filter(|u| u.parent_id.is_none()).count(),
        1,
        "one root"
    );
    assert_eq!(units[0].kind, UnitKind::County);
    // Every audit record chains: one per registry change the load made,
    // then the rounds' changes.
    let registry = 3 + county.work_history.len() + county.posts.len() + 40 + 12;
    match verification {
        Verification::Intact(n) => {
            assert_eq!(n, ctx.scalar("select count(*) from audit_log").await);
            assert!(n > registry as i64 + summary.round_records as i64);
        }
        other => panic!("the chain after the demo load is {other:?}"),
    }
}

store_test!(the_loaded_demo_county_is_consistent);
async fn the_loaded_demo_county_is_consistent(store: Arc<dyn Store>, _ctx: &TestDb) {
    // Arrange
    let county = demo::generate(demo::DEFAULT_SEED);
    demo::load(store.as_ref(), &county, T0).await.unwrap();
    let units = store.all_units(&Scope::all()).await.unwrap();
    let by_id: HashMap<i64, &xuncha_core::registry::Unit> =
        units.iter().map(|u| (u.id, u)).collect();

    // Act
    let mut principals = Vec::new();
    for u in &units {
        let team = store.leadership_of(u.id).await.unwrap();
        principals.push((
            u.name.clone(),
            team.iter()
                .filter(|p| p.rank == PostRank::Principal)
                .count(),
            team.first().map(|p| p.rank),
        ));
    }
    let town = units.iter().find(|u| u.name == "青石镇").unwrap();
    let in_town = store
        .list_persons(
            &Scope {
                within: Some(town.path.clone()),
                excluded: vec![],
                any_of: None,
            },
            &PersonFilter::default(),
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap();
    let villages = store
        .list_units(
            &Scope::all(),
            &UnitFilter {
                q: None,
                kind: None,
                parent_id: Some(town.id),
                ..Default::default()
            },
            PageRequest::new(Some(1), Some(100)),
        )
        .await
        .unwrap();

    // Assert
    for u in &units {
        let expected = match u.parent_id {
            Some(p) => format!("{}{}/", by_id[&p].path, u.id),
            None => format!("/{}/", u.id),
        };
        assert_eq!(u.path, expected, "{}", u.name);
    }
    for (name, n, first) in &principals {
        assert_eq!(*n, 1, "{name} has exactly one principal");
        assert_eq!(
            *first,
            Some(PostRank::Principal),
            "{name} lists the principal first"
        );
    }
    assert!(in_town.total > 0);
    assert!(villages.total > 0);
    assert!(villages
        .items
        .iter()
        .all(|v| v.path.starts_with(&town.path)));
}

store_test!(the_demo_county_has_two_rounds_worked_through_the_use_cases);
async fn the_demo_county_has_two_rounds_worked_through_the_use_cases(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    use xuncha_core::auth::Actor;
    use xuncha_core::inspection::record::RecordKind;
    use xuncha_core::inspection::recusal::{ConflictKind, Severity};
    use xuncha_core::inspection::transfer::{Disposal, FourForms, TransferStatus};
    use xuncha_core::inspection::{RecusalDecision, RoundStatus, TeamRole};
    use xuncha_core::usecases::auth::actor_for;
    use xuncha_core::usecases::rounds::{outcome, plan, work};
    use xuncha_core::CoreError;

    // Arrange
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let county = demo::generate(demo::DEFAULT_SEED);
    let started = std::time::Instant::now();
    demo::load(s, &county, T0).await.unwrap();
    eprintln!("demo loaded in {:?}", started.elapsed());
    let users = s.list_users().await.unwrap();
    let user = |name: &str| users.iter().find(|u| u.username == name).unwrap().clone();
    let actor = |name: &str| {
        let u = user(name);
        async move { actor_for(s, &u).await.unwrap() }
    };
    let office: Actor = actor("office").await;
    let unit_id = |name: &str| county.unit_index(name).unwrap();
    let units = s.all_units(&Scope::all()).await.unwrap();
    let unit = |name: &str| {
        let n = &county.units[unit_id(name)].name;
        units.iter().find(|u| &u.name == n).unwrap().clone()
    };

    // Act
    let rounds = plan::list_rounds(s, &office).await.unwrap();
    let r1 = rounds.iter().find(|r| r.number == 1).unwrap();
    let r2 = rounds.iter().find(|r| r.number == 2).unwrap();
    let v1 = plan::view_round(s, &office, r1.id).await.unwrap();
    let v2 = plan::view_round(s, &office, r2.id).await.unwrap();
    let target = |v: &plan::RoundView, name: &str| {
        v.targets
            .iter()
            .find(|t| t.unit_name == name)
            .unwrap()
            .clone()
    };
    let qingshi = target(&v1, "青石镇");
    let agriculture = target(&v1, "云岭县农业农村局");
    let chengguan = target(&v2, "城关镇");
    let revitalisation = target(&v2, "云岭县乡村振兴局");
    let civil = target(&v2, "云岭县民政局");
    let circular = outcome::circular(s, clock, &office, r1.id).await.unwrap();
    let all = PageRequest::new(Some(1), Some(100));
    let jiwei = outcome::transfers(s, &actor("jiwei").await, all)
        .await
        .unwrap();
    let zuzhibu = outcome::transfers(s, &actor("zuzhibu").await, all)
        .await
        .unwrap();
    let bumen = outcome::transfers(s, &actor("bumen").await, all)
        .await
        .unwrap();
    let papers2 = outcome::ledger(s, &office, Some(r2.id), RecordKind::Paper, all)
        .await
        .unwrap();
    let reports2 = outcome::ledger(s, &office, Some(r2.id), RecordKind::Report, all)
        .await
        .unwrap();
    let zuyuan = actor("zuyuan").await;
    let zuzhang = actor("zuzhang").await;
    let town = actor("beixuncha").await;
    let zuyuan_inspector = s
        .inspector_link_of_user(user("zuyuan").id)
        .await
        .unwrap()
        .unwrap()
        .inspector_id;
    let why = plan::check_conflicts(s, clock, &office, zuyuan_inspector, unit("城关镇").id)
        .await
        .unwrap();
    let second_team = v2
        .teams
        .iter()
        .find(|t| Some(t.id) == chengguan.team_id)
        .unwrap();
    let refused = plan::add_member(
        s,
        clock,
        &office,
        second_team.id,
        zuyuan_inspector,
        TeamRole::Member,
    )
    .await;
    let mut home_area = Vec::new();
    for i in s.list_inspectors().await.unwrap() {
        if s.inspector_link(i.id)
            .await
            .unwrap()
            .home_region_code
            .is_some()
        {
            home_area = plan::check_conflicts(s, clock, &office, i.id, unit("青石镇").id)
                .await
                .unwrap();
        }
    }
    let verification = verify(s).await.unwrap();

    // Assert: two rounds, the first finished.
    assert_eq!(rounds.len(), 2);
    assert_eq!(r1.status, RoundStatus::Finished);
    assert_eq!(r2.status, RoundStatus::Active);
    assert_eq!(v1.targets.len(), 2);
    assert_eq!(v2.targets.len(), 3);
    assert_eq!(qingshi.report_returns, 1, "returned once, then approved");
    assert_eq!(agriculture.report_returns, 0);
    assert_eq!(qingshi.feedback_date.as_deref(), Some("2026-05-21"));
    assert_ne!(qingshi.team_id, agriculture.team_id);
    let team1 = v1
        .teams
        .iter()
        .find(|t| Some(t.id) == qingshi.team_id)
        .unwrap();
    assert_eq!(team1.name, "第一巡察组");
    let members1: Vec<_> = v1
        .members
        .iter()
        .filter(|m| m.team_id == team1.id)
        .collect();
    assert!((4..=6).contains(&members1.len()));
    let zuzhang_link = s
        .inspector_link_of_user(user("zuzhang").id)
        .await
        .unwrap()
        .unwrap();
    assert!(members1
        .iter()
        .any(|m| m.inspector_id == zuzhang_link.inspector_id && m.role == TeamRole::Leader));
    assert!(
        v1.members
            .iter()
            .all(|m| m.statement_at.is_some() && m.pledge_at.is_some()),
        "every member signed"
    );
    assert!(
        v1.recusals.iter().any(|r| r.severity == "soft"
            && r.decision == RecusalDecision::Allowed
            && r.decision_reason.is_some()),
        "a former colleague, allowed with a reason: {:?}",
        v1.recusals
    );
    assert!(v1
        .recusals
        .iter()
        .all(|r| r.decision != RecusalDecision::Pending));

    // The circular counts what the use cases recorded.
    let n = &circular.circular;
    assert_eq!(n.units, 2);
    assert!(n.problems >= 8, "{n:?}");
    assert!(n.clues >= 2 && n.clue_persons >= 2, "{n:?}");
    assert!(n.petitions > 0 && n.petitions_by_domain.contains_key("低保"));
    assert!(n.petitions_by_domain.contains_key("扶贫"));
    assert!(n.principals_talked >= 2 && n.deputies_talked >= 1, "{n:?}");
    assert!(n.rect_overdue >= 1, "{n:?}");
    assert!(n.rect_accepted >= 1 && n.rect_items > n.rect_accepted);
    assert!(n.cases_filed >= 1);
    assert!(n.units_criticised >= 1);
    assert!(n.cadres_removed >= 1);
    assert!(n.persons_accountable >= 3);
    assert!(n.reports_returned >= 1);
    assert_eq!(circular.look_back.len(), 1, "青石镇 rated 一般");
    assert_eq!(circular.look_back[0].unit_name, "青石镇");

    // Transfers: the 纪委监委 reported two disposals and handles a third;
    // the 组织部 signed for its paper; the 财政局 has one waiting.
    let reported: Vec<_> = jiwei
        .items
        .iter()
        .filter(|t| t.data.status == TransferStatus::Reported)
        .collect();
    assert_eq!(reported.len(), 2);
    assert!(reported
        .iter()
        .any(|t| t.data.disposal == Some(Disposal::CaseFiled)
            && t.data.four_forms == Some(FourForms::Fourth)));
    assert!(reported
        .iter()
        .any(|t| t.data.disposal == Some(Disposal::TalkInquiry)
            && t.data.four_forms == Some(FourForms::First)));
    assert!(jiwei
        .items
        .iter()
        .any(|t| t.data.status == TransferStatus::Received));
    assert_eq!(zuzhibu.total, 1);
    assert_eq!(zuzhibu.items[0].data.status, TransferStatus::Received);
    assert_eq!(bumen.total, 1);
    assert_eq!(bumen.items[0].data.status, TransferStatus::Sent);
    assert!(bumen.items[0].data.change_reason.is_some());

    // Round 2: papers in the states of the sign-off chain, no report yet.
    let states: HashSet<&str> = papers2
        .items
        .iter()
        .map(|p| p.meta.status.as_str())
        .collect();
    assert!(states.len() >= 4, "{states:?}");
    for st in ["draft", "signed-once", "signed", "reviewed", "approved"] {
        assert!(states.contains(st), "a round-2 paper is {st}: {states:?}");
    }
    assert_eq!(reports2.total, 0);

    // zuyuan is the spouse of 城关镇's secretary: the engine says why she
    // cannot join its team, she declared it, and the unit is hidden from her.
    assert!(why
        .iter()
        .any(|c| c.severity == Severity::Hard && c.kind == ConflictKind::Kinship));
    assert!(matches!(refused, Err(CoreError::Invalid(_))), "{refused:?}");
    assert!(v2
        .recusals
        .iter()
        .any(|r| r.inspector_id == zuyuan_inspector
            && r.unit_id == chengguan.unit_id
            && r.decision == RecusalDecision::Recused));
    assert!(matches!(
        work::workspace(s, &zuyuan, chengguan.id).await,
        Err(CoreError::NotFound)
    ));
    for t in [&revitalisation, &civil] {
        let ws = work::workspace(s, &zuzhang, t.id).await.unwrap();
        assert!(ws.can_edit, "round 2 is live work for zuzhang");
        assert!(!ws.papers.is_empty());
        assert!(work::workspace(s, &zuyuan, t.id).await.is_ok());
    }
    assert!(work::workspace(s, &zuzhang, chengguan.id).await.is_err());
    assert!(
        home_area
            .iter()
            .any(|c| c.kind == ConflictKind::HomeArea && c.severity == Severity::Hard),
        "{home_area:?}"
    );

    // The town's account follows its own rectification, not another unit's.
    let rect = outcome::rectification(s, clock, &town, qingshi.id)
        .await
        .unwrap();
    assert!(rect.feedback.is_some());
    assert!(rect.items.len() >= 4);
    assert!(rect.unlisted.is_empty(), "the unit never sees the papers");
    assert!(rect.accountability.len() >= 3);
    assert!(matches!(
        outcome::rectification(s, clock, &town, agriculture.id).await,
        Err(CoreError::NotFound)
    ));

    // Every change chains in the audit log.
    assert!(
        matches!(verification, Verification::Intact(_)),
        "{verification:?}"
    );
}
