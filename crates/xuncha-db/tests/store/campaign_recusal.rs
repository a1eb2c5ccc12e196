//! A recusal reaches into field campaigns on both backends: an office
//! member recused from a township sees neither its villages nor their
//! households, demands or visits in a campaign of the whole county, and
//! cannot record there (nor count its demands); the rest of the campaign
//! stays theirs.

use std::sync::Arc;

use xuncha_core::auth::{Jurisdiction, Role};
use xuncha_core::campaign::{CampaignKind, DemandInput, TargetLevel, VisitInput};
use xuncha_core::import::{RawRow, RawTable};
use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;
use xuncha_core::usecases::campaigns::{self as uc, register, setup, views, work};
use xuncha_core::CoreError;

use crate::campaign_counters::{assert_counters, counter_errors};
use crate::helpers::{actor, TestDb};

store_test!(recused_townships_vanish_from_campaigns);
async fn recused_townships_vanish_from_campaigns(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    ctx.unit(Some(&town), "青石村", UnitKind::Village).await;
    let town2 = ctx.unit(Some(&root), "城关镇", UnitKind::Township).await;
    ctx.unit(Some(&town2), "东街社区", UnitKind::Community)
        .await;
    let office = actor(Role::Office, Some(&root));
    let mut input = uc::template(CampaignKind::Visit, "2026-11-20");
    input.unit_id = root.id.to_string();
    let c = uc::create(s, clock, &office, &input).await.unwrap();
    setup::add_units(s, clock, &office, c.id, &[town.id, town2.id])
        .await
        .unwrap();
    let rows = [("青石村", "王大山"), ("东街社区", "钱四")]
        .iter()
        .enumerate()
        .map(|(i, (v, h))| RawRow {
            line: i + 2,
            cells: vec![(*v).to_owned(), (*h).to_owned()],
        })
        .collect();
    let table = RawTable {
        headers: vec!["村（社区）".into(), "户主姓名".into()],
        rows,
    };
    setup::import_households(s, clock, &office, c.id, &table)
        .await
        .unwrap();

    let mut recused = office.clone();
    recused.jurisdiction = Some(Jurisdiction {
        unit_id: root.id,
        path: root.path.clone(),
    });
    recused.recused_paths = vec![town.path.clone()];
    let ov = views::overview(s, &recused, c.id).await.unwrap();
    let names: Vec<_> = ov.targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["城关镇", "东街社区"]);
    let (_, found) = views::households(s, &recused, c.id, None, "")
        .await
        .unwrap();
    assert_eq!(
        found
            .iter()
            .map(|h| h.head_name.as_str())
            .collect::<Vec<_>>(),
        vec!["钱四"]
    );
    let all = s.find_households(c.id, None, None, "", 10).await.unwrap();
    let hidden = all.iter().find(|h| h.head_name == "王大山").unwrap();
    assert!(matches!(
        views::household(s, &recused, hidden.id).await,
        Err(CoreError::NotFound)
    ));
    let mut visit = VisitInput {
        client_key: "recusal-key-001".into(),
        met: "户主本人".into(),
        ..Default::default()
    };
    for i in 0..c.spec.questions.len() {
        visit.answers.insert(i, "无".into());
    }
    assert!(matches!(
        work::record_visit(s, clock, &recused, hidden.id, &visit, vec![]).await,
        Err(CoreError::NotFound)
    ));
    let open = all.iter().find(|h| h.head_name == "钱四").unwrap();
    visit.demands.push(DemandInput {
        category: "基础设施".into(),
        content: "路灯不亮".into(),
        department: "县住建局".into(),
    });
    work::record_visit(s, clock, &recused, open.id, &visit, vec![])
        .await
        .unwrap();
    // A demand in the hidden township (recorded by the office without the
    // recusal) is neither listed nor counted for the recused member: the
    // hidden village's own count is taken off the counters.
    visit.client_key = "recusal-key-002".into();
    work::record_visit(s, clock, &office, hidden.id, &visit, vec![])
        .await
        .unwrap();
    assert_counters(ctx, "after visits with demands").await;
    let seen = views::coverage(s, clock, &recused, c.id).await.unwrap();
    assert_eq!(seen.tally.open_followups, 1);
    let whole = views::coverage(s, clock, &office, c.id).await.unwrap();
    assert_eq!(whole.tally.open_followups, 2);
    let page = register::followups(s, clock, &recused, c.id, &Default::default(), 10)
        .await
        .unwrap();
    assert_eq!(
        page.followups
            .iter()
            .map(|f| f.household_id)
            .collect::<Vec<_>>(),
        vec![Some(open.id)]
    );
    let page = register::followups(s, clock, &office, c.id, &Default::default(), 10)
        .await
        .unwrap();
    assert_eq!(page.followups.len(), 2);
    // The check itself sees a counter out of step.
    ctx.exec("update campaign_open_team_days set followups = followups + 1")
        .await;
    ctx.exec("update campaign_targets set done = done + 1 where level = 'township'")
        .await;
    let wrong: Vec<_> = counter_errors(ctx).await.into_iter().map(|e| e.0).collect();
    assert_eq!(
        wrong,
        vec!["campaign_open_team_days", "campaign_targets.done"]
    );
    // The office without the recusal sees both townships.
    let full = views::overview(s, &office, c.id).await.unwrap();
    assert_eq!(
        full.targets
            .iter()
            .filter(|t| t.level == TargetLevel::Township)
            .count(),
        2
    );
}
