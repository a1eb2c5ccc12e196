//! Campaign follow-ups in the search feed: a demand queues itself with its
//! record and again when it is handled; its source carries the village's
//! unit path (for recusals), its campaign and team as access terms, and
//! never the household's ID number.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::campaign::followup::FollowupUpdate;
use xuncha_core::campaign::{DemandInput, VisitInput};
use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;
use xuncha_core::usecases::campaigns::{self as uc, setup, work};

use crate::campaign_visits::table;
use crate::campaigns::user;
use crate::helpers::{id_number, TestDb};

store_test!(a_demand_is_fed_with_its_campaign_team_and_village);
async fn a_demand_is_fed_with_its_campaign_team_and_village(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let village = ctx.unit(Some(&town), "青石村", UnitKind::Village).await;
    let office = user(s, ctx, "office1", Role::Office, &root).await;
    let mut input = uc::template(xuncha_core::campaign::CampaignKind::Visit, "2026-11-20");
    input.unit_id = root.id.to_string();
    let c = uc::create(s, clock, &office, &input).await.unwrap();
    setup::add_units(s, clock, &office, c.id, &[town.id])
        .await
        .unwrap();
    let team = setup::add_team(s, clock, &office, c.id, "青石镇工作队", "office1 记录")
        .await
        .unwrap();
    let targets = s.campaign_targets(c.id, None).await.unwrap();
    let town_t = targets.iter().find(|t| t.name == "青石镇").unwrap().id;
    setup::assign(s, clock, &office, c.id, &[town_t], Some(team))
        .await
        .unwrap();
    let number = id_number("19600101", 11);
    setup::import_households(
        s,
        clock,
        &office,
        c.id,
        &table(&[["青石镇", "青石村", "王大山", &number, "4"]]),
    )
    .await
    .unwrap();
    let h = s
        .find_households(c.id, None, None, "", 10)
        .await
        .unwrap()
        .remove(0);
    let mut visit = VisitInput {
        client_key: "feed-visit-0001".into(),
        met: "户主本人".into(),
        ..Default::default()
    };
    for i in 0..c.spec.questions.len() {
        visit.answers.insert(i, "无".into());
    }
    visit.demands.push(DemandInput {
        category: "基础设施".into(),
        content: "村道破损，雨天难行".into(),
        department: "县交通运输局".into(),
    });
    let before = ctx.feed.outbox_after(0, 1_000).await.unwrap().len();

    work::record_visit(s, clock, &office, h.id, &visit, vec![])
        .await
        .unwrap();
    let demand = s
        .campaign_followups(c.id, None, None)
        .await
        .unwrap()
        .remove(0);
    let queued = ctx.feed.outbox_after(0, 1_000).await.unwrap();
    let sources = ctx
        .feed
        .search_sources("demand", &[demand.id])
        .await
        .unwrap();
    let update = FollowupUpdate {
        status: "doing".into(),
        ..Default::default()
    };
    work::update_followup(s, clock, &office, demand.id, &update)
        .await
        .unwrap();
    let requeued = ctx.feed.outbox_after(0, 1_000).await.unwrap();
    let paged = ctx
        .feed
        .search_sources_after("demand", 0, 10)
        .await
        .unwrap();

    let id = demand.id.to_string();
    let demand_rows = |q: &[xuncha_core::store::OutboxItem]| {
        q.iter()
            .filter(|i| i.doc_type == "demand" && i.doc_id == id && i.op == "upsert")
            .count()
    };
    assert_eq!(queued.len(), before + 1);
    assert_eq!(demand_rows(&queued), 1);
    assert_eq!(demand_rows(&requeued), 2, "handling it queues it again");
    assert_eq!(sources.len(), 1);
    let d = &sources[0];
    assert_eq!(d.title, "基础设施：村道破损，雨天难行");
    assert!(
        d.body.contains("青石村") && d.body.contains("王大山"),
        "{}",
        d.body
    );
    assert!(d.body.contains("县交通运输局"));
    assert!(!d.body.contains(&number), "never the ID number");
    assert_eq!(d.unit_path.as_deref(), Some(village.path.as_str()));
    assert_eq!(
        d.access,
        [format!("campaign:{}", c.id), format!("team:{team}")]
    );
    assert_eq!(d.status.as_deref(), Some("open"));
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].status.as_deref(), Some("doing"));
    assert!(ctx
        .feed
        .search_sources("hazard", &[demand.id])
        .await
        .unwrap()
        .is_empty());
}
