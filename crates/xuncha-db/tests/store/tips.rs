//! Public tips on both backends: a tip is stored without anything about its
//! sender but the sealed identity of a named tipster (never in lists, audit
//! images or the search text); the receipt code opens it by hash only; the
//! exchange keeps its order; triage happens once (version check); scopes.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::inspection::{RoundInput, RoundStatus};
use xuncha_core::intake::tip::{TipInput, TipOutcome, TipStatus};
use xuncha_core::registry::{PageRequest, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::rounds::plan;
use xuncha_core::usecases::tips as uc;
use xuncha_core::CoreError;

use crate::helpers::{actor, TestDb};

const NAME: &str = "韦某某实名";

store_test!(tips_are_sealed_opened_by_receipt_and_triaged_once);
async fn tips_are_sealed_opened_by_receipt_and_triaged_once(store: Arc<dyn Store>, ctx: &TestDb) {
    let feed = ctx.feed.clone();
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let other = ctx.unit(Some(&root), "白云镇", UnitKind::Township).await;
    let office = actor(Role::Office, Some(&root));
    let round = plan::create_round(
        s,
        clock,
        &office,
        &RoundInput {
            term: "15".into(),
            number: "4".into(),
            kind: "special".into(),
            start_date: "2026-11-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let t_town = plan::add_target(s, clock, &office, round.id, town.id)
        .await
        .unwrap();
    let t_other = plan::add_target(s, clock, &office, round.id, other.id)
        .await
        .unwrap();

    // A round in planning takes no tips yet.
    let input = TipInput {
        body: "青石镇石桥村低保评定优亲厚友，村主任的弟弟也吃上了低保。".into(),
        named: "1".into(),
        name: NAME.into(),
        contact: "13900000000".into(),
    };
    let early = uc::submit(s, clock, t_town.id, &input, vec![]).await;
    assert!(matches!(early, Err(CoreError::NotFound)));
    plan::set_status(s, clock, &office, round.id, RoundStatus::Active)
        .await
        .unwrap();

    let code = uc::submit(s, clock, t_town.id, &input, vec!["ab".repeat(32)])
        .await
        .unwrap();
    let anon = TipInput {
        body: "白云镇卫生院药品采购价格明显偏高，请查一查。".into(),
        ..TipInput::default()
    };
    uc::submit(s, clock, t_other.id, &anon, vec![])
        .await
        .unwrap();

    // The receipt opens the tip, however it is typed; a wrong one does not.
    let typed = code.display().to_lowercase();
    let tip = uc::by_receipt(s, &typed).await.unwrap();
    assert_eq!(tip.unit_name, "青石镇");
    assert!(!tip.anonymous);
    assert_eq!(tip.photos.len(), 1);
    assert_eq!(tip.status, TipStatus::New);
    assert!(matches!(
        uc::by_receipt(s, "0000-0000-0000-0000-0000").await,
        Err(CoreError::Invalid(_))
    ));

    // The identity: sealed everywhere but its own audited view.
    assert_eq!(
        s.tip_identity(tip.id).await.unwrap().map(|i| i.name),
        Some(NAME.to_owned())
    );
    let sources = feed.search_sources_after("tip", 0, 100).await.unwrap();
    assert_eq!(sources.len(), 2);
    assert!(sources
        .iter()
        .all(|d| !d.body.contains(NAME) && !d.title.contains(NAME)));
    assert!(sources
        .iter()
        .any(|d| d.unit_path.as_deref() == Some(town.path.as_str())));
    assert_eq!(
        ctx.scalar("select count(*) from audit_log where action = 'tip.create'")
            .await,
        2
    );
    assert_eq!(
        ctx.scalar(&format!(
            "select count(*) from audit_log where after_json like '%{NAME}%' \
             or after_json like '%石桥村%'"
        ))
        .await,
        0,
        "audit images hold neither the identity nor the text"
    );
    let leader = actor(Role::TeamLeader, Some(&root));
    assert!(
        uc::reveal_identity(s, clock, &leader, tip.id)
            .await
            .is_err(),
        "not assigned"
    );
    let who = uc::reveal_identity(s, clock, &office, tip.id)
        .await
        .unwrap();
    assert_eq!(who.map(|i| i.contact), Some("13900000000".to_owned()));
    let views = "select count(*) from audit_log where action = 'tip.identity_view'";
    assert_eq!(ctx.scalar(views).await, 1);

    // Scopes: an office bound to 白云镇 sees only its tip.
    let local = actor(Role::Office, Some(&other));
    let page = uc::inbox(s, &local, None, None, PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].unit_name, "白云镇");
    assert!(matches!(
        uc::get(s, &local, tip.id).await,
        Err(CoreError::NotFound)
    ));

    // The exchange, in order.
    uc::reply(s, clock, &office, tip.id, "已收到，正在核实。")
        .await
        .unwrap();
    uc::tipster_message(s, clock, &typed, "补充：还有两户。")
        .await
        .unwrap();
    let tip = uc::get(s, &office, tip.id).await.unwrap();
    let said: Vec<_> = tip
        .messages
        .iter()
        .map(|m| (m.from_tipster, m.body.as_str()))
        .collect();
    assert_eq!(
        said,
        [(false, "已收到，正在核实。"), (true, "补充：还有两户。")]
    );
    assert!(matches!(
        uc::tipster_message(s, clock, &typed, "  ").await,
        Err(CoreError::Invalid(_))
    ));

    // Triage once: a stale version is refused before anything is created.
    let close = uc::TriageInput {
        to: "close".into(),
        reason: "已另案处理".into(),
        version: tip.version + 5,
        ..Default::default()
    };
    assert!(matches!(
        uc::triage(s, clock, &office, tip.id, &close).await,
        Err(CoreError::Conflict(_))
    ));
    let close = uc::TriageInput {
        version: tip.version,
        ..close
    };
    let done = uc::triage(s, clock, &office, tip.id, &close).await.unwrap();
    assert_eq!(done.status, TipStatus::Closed);
    assert_eq!(
        done.outcome,
        Some(TipOutcome::Closed {
            reason: "已另案处理".into()
        })
    );
    let again = uc::TriageInput {
        version: done.version,
        ..close
    };
    assert!(matches!(
        uc::triage(s, clock, &office, tip.id, &again).await,
        Err(CoreError::Invalid(_))
    ));
    let receipt = uc::by_receipt(s, &typed).await.unwrap().receipt();
    assert_eq!(receipt.status, "已办结");
    assert_eq!(receipt.closed_reason.as_deref(), Some("已另案处理"));
}
