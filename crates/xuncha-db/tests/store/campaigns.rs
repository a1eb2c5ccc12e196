//! Field campaigns on both backends: a dormitory sweep (rooms typed as
//! ranges, two teams, a room recorded twice by a re-sent form, counters up
//! the tree, an item confiscated and returned only against a guarantee, a
//! hazard followed up, rankings, next month's copy, rooms added later).
//! The household visit campaign is in `campaign_visits`.

use std::collections::BTreeMap;
use std::sync::Arc;

use xuncha_core::auth::{Actor, Jurisdiction, Role};
use xuncha_core::campaign::checklist::RoomRecordInput;
use xuncha_core::campaign::custody::ReturnInput;
use xuncha_core::campaign::followup::FollowupUpdate;
use xuncha_core::campaign::{ConfiscationInput, FollowupStatus, ItemStatus, TargetLevel};
use xuncha_core::registry::{Unit, UnitKind};
use xuncha_core::store::{NewUser, Store};
use xuncha_core::usecases::campaigns::{self as uc, setup, views, work};
use xuncha_core::CoreError;

use crate::campaign_counters::assert_counters;
use crate::helpers::TestDb;

pub async fn user(store: &dyn Store, ctx: &TestDb, login: &str, role: Role, unit: &Unit) -> Actor {
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
    assert_counters(ctx, "after room records").await;
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
    assert_counters(ctx, "after a hazard was closed").await;
    let tally = s.campaign_tally(c.id, None, "2026-12-05").await.unwrap();
    assert_eq!((tally.open_followups, tally.overdue_followups), (0, 0));
    // Reopened, it counts again; a stale version changes nothing.
    let reopen = FollowupUpdate {
        status: "doing".into(),
        version: f.version.to_string(),
        ..Default::default()
    };
    let stale = FollowupUpdate {
        version: (f.version - 1).to_string(),
        ..reopen.clone()
    };
    assert!(matches!(
        work::update_followup(s, clock, &a1, f.id, &stale).await,
        Err(CoreError::Conflict(_))
    ));
    let f = work::update_followup(s, clock, &a1, f.id, &reopen)
        .await
        .unwrap();
    assert_eq!(f.status, FollowupStatus::Doing);
    assert_counters(ctx, "after a hazard was reopened").await;
    let tally = s
        .campaign_tally(c.id, Some(ta), "2026-12-05")
        .await
        .unwrap();
    assert_eq!((tally.open_followups, tally.overdue_followups), (1, 1));
    let close = FollowupUpdate {
        version: f.version.to_string(),
        ..close
    };
    work::update_followup(s, clock, &a1, f.id, &close)
        .await
        .unwrap();
    assert_counters(ctx, "after a hazard was closed again").await;

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
    // Rooms added later to a floor and building already there (and a new
    // building) move the counters of their paths only, without a recount
    // of the campaign, and agree with one.
    let before = s.campaign_targets(c2.id, None).await.unwrap();
    assert_eq!(
        setup::add_targets(s, clock, &office, c2.id, "1号楼/1层/103,104\n2号楼/1层/101")
            .await
            .unwrap(),
        2
    );
    let after = s.campaign_targets(c2.id, None).await.unwrap();
    let leaves = |v: &[xuncha_core::campaign::CampaignTarget], n: &str| {
        v.iter().find(|t| t.name == n).map(|t| t.leaves)
    };
    assert_eq!(leaves(&before, "1号楼"), Some(5));
    assert_eq!(leaves(&after, "1号楼"), Some(6));
    assert_eq!(leaves(&after, "2号楼"), Some(1));
    assert_eq!(
        leaves(&after, "3号楼（场外）"),
        leaves(&before, "3号楼（场外）")
    );
    assert_counters(ctx, "after rooms were added").await;
    assert!(xuncha_core::usecases::rounds::plan::list_rounds(s, &a1)
        .await
        .is_err());
}
