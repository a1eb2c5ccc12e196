//! A recusal reaches into field campaigns on both backends: an office
//! member recused from a township sees neither its villages nor their
//! households, demands or visits in a campaign of the whole county, and
//! cannot record there; the rest of the campaign stays theirs.

use std::sync::Arc;

use xuncha_core::auth::{Jurisdiction, Role};
use xuncha_core::campaign::{CampaignKind, TargetLevel, VisitInput};
use xuncha_core::import::{RawRow, RawTable};
use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;
use xuncha_core::usecases::campaigns::{self as uc, setup, views, work};
use xuncha_core::CoreError;

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
    work::record_visit(s, clock, &recused, open.id, &visit, vec![])
        .await
        .unwrap();
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
