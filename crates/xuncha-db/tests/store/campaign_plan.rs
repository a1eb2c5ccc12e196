//! The planned day of campaign targets: set on the assignment form (a bad
//! day or a room assigns nothing), audited, and shown by day against what
//! is done — a past day's unfinished building is overdue, today's is not.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::campaign::CampaignKind;
use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;
use xuncha_core::usecases::campaigns::{self as uc, schedule, setup, work};
use xuncha_core::CoreError;

use crate::campaign_counters::assert_counters;
use crate::campaigns::{room, user};
use crate::helpers::TestDb;

store_test!(planned_days_are_set_on_assignment_and_compared_with_the_work);
async fn planned_days_are_set_on_assignment_and_compared_with_the_work(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let office = user(s, ctx, "office1", Role::Office, &root).await;
    let checker = user(s, ctx, "checker1", Role::Checker, &root).await;
    let mut input = uc::template(CampaignKind::Checklist, "2026-11-20");
    input.unit_id = root.id.to_string();
    input.checklist = "地面清洁（50分）\n床铺整齐（50分）".into();
    let c = uc::create(s, clock, &office, &input).await.unwrap();
    setup::add_targets(s, clock, &office, c.id, "1号楼/1层/101,102\n2号楼/1层/101")
        .await
        .unwrap();
    let team = setup::add_team(s, clock, &office, c.id, "一组", "checker1 记录")
        .await
        .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let id_of = |place: &str| {
        let places = uc::views::Places::new(&targets);
        targets
            .iter()
            .find(|t| places.of(t.id) == place)
            .unwrap()
            .id
    };
    let (b1, b2) = (id_of("1号楼"), id_of("2号楼"));
    let room_101 = id_of("1号楼 / 1层 / 101");

    // A bad day, or a room in the selection: nothing is assigned.
    let bad = setup::assign_and_plan(s, clock, &office, c.id, &[b1], Some(team), "11月").await;
    let Err(CoreError::Invalid(e)) = bad else {
        panic!("expected invalid, got {bad:?}");
    };
    assert_eq!(e[0].field, "planned_on");
    let with_room = setup::assign_and_plan(
        s,
        clock,
        &office,
        c.id,
        &[b1, room_101],
        Some(team),
        "2026-11-26",
    )
    .await;
    let Err(CoreError::Invalid(e)) = with_room else {
        panic!("expected invalid, got {with_room:?}");
    };
    assert!(e[0].message.contains("101"), "{}", e[0].message);
    assert!(s
        .campaign_targets(c.id, Some(team))
        .await
        .unwrap()
        .is_empty());
    assert!(s.campaign_plan(c.id).await.unwrap().is_empty());
    // A member of the team does not plan.
    assert!(matches!(
        setup::assign_and_plan(s, clock, &checker, c.id, &[b1], Some(team), "2026-11-26").await,
        Err(CoreError::Forbidden)
    ));

    // Yesterday for building 1, today for building 2 (T0 is 2026-11-27).
    setup::assign_and_plan(s, clock, &office, c.id, &[b1], Some(team), "2026-11-26")
        .await
        .unwrap();
    setup::assign_and_plan(s, clock, &office, c.id, &[b2], Some(team), "2026-11-27")
        .await
        .unwrap();
    let planned_rows = ctx
        .scalar("select count(*) from audit_log where action = 'campaign.plan'")
        .await;
    work::record_room(
        s,
        clock,
        &checker,
        room_101,
        &room("plan-room-0001", &["40", "45"]),
        vec![],
    )
    .await
    .unwrap();
    let b2_room = id_of("2号楼 / 1层 / 101");
    work::record_room(
        s,
        clock,
        &checker,
        b2_room,
        &room("plan-room-0002", &["50", "50"]),
        vec![],
    )
    .await
    .unwrap();
    let seen = uc::views::coverage(s, clock, &checker, c.id).await.unwrap();
    let days = schedule::plan_days(s, clock, c.id, &seen.targets)
        .await
        .unwrap();

    assert_eq!(planned_rows, 2);
    // (place, done, leaves, complete, overdue) per planned target.
    type Seen<'a> = (&'a str, i64, i64, bool, bool);
    let shape: Vec<(&str, Vec<Seen>)> = days
        .iter()
        .map(|d| {
            let ts = d
                .targets
                .iter()
                .map(|t| (t.name.as_str(), t.done, t.leaves, t.complete, t.overdue))
                .collect();
            (d.day.as_str(), ts)
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            ("2026-11-26", vec![("1号楼", 1, 2, false, true)]),
            ("2026-11-27", vec![("2号楼", 1, 1, true, false)]),
        ]
    );
    assert_eq!((days[0].overdue, days[1].complete), (1, 1));
    assert_counters(ctx, "after planned days and room records").await;
}
