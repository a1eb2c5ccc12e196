//! Cross-check hits on both backends: a run stores its hits for the
//! jurisdiction, each attributed to the unit its list names; a re-run marks
//! hits new, unchanged or gone and keeps their verification; triage needs a
//! reason to dismiss; a confirmed hit becomes a clue of a round; confirmed
//! hits feed the planning risk score; scopes.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::collide::{HitChange, HitState, NewHit, TriageInput};
use xuncha_core::inspection::{RoundInput, RoundStatus};
use xuncha_core::registry::{PageRequest, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::collide as uc;
use xuncha_core::usecases::rounds::plan;
use xuncha_core::CoreError;

use crate::helpers::{actor, TestDb};

fn hit(key: &str, name: &str, place: &str) -> NewHit {
    NewHit {
        rule: "recipient-is-payroll".into(),
        rule_title: "低保对象为财政供养人员".into(),
        subject_id_number: Some(format!("52262219800101{key}")),
        subject_name: name.into(),
        strong: true,
        evidence: format!("低保名册第{key}行 ↔ 财政供养人员名册：身份证号相同"),
        key: format!("recipient-is-payroll|{key}"),
        place: Some(place.into()),
    }
}

store_test!(runs_keep_verification_and_confirmed_hits_become_clues);
async fn runs_keep_verification_and_confirmed_hits_become_clues(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let village = ctx.unit(Some(&town), "石桥村", UnitKind::Village).await;
    let office = actor(Role::Office, Some(&root));
    let rules = vec!["recipient-is-payroll".to_owned()];

    let first = uc::record_run(
        s,
        clock,
        &office,
        &rules,
        vec![
            hit("0011", "王五", "石桥村"),
            hit("0022", "李四", "不在名册的村"),
        ],
    )
    .await
    .unwrap();
    assert_eq!((first.new, first.unchanged, first.gone), (2, 0, 0));
    let page = uc::list(
        s,
        &office,
        None,
        None,
        None,
        PageRequest::new(Some(1), Some(10)),
    )
    .await
    .unwrap();
    assert_eq!(page.total, 2);
    let wang = page
        .items
        .iter()
        .find(|h| h.hit.subject_name == "王五")
        .unwrap()
        .clone();
    let li = page
        .items
        .iter()
        .find(|h| h.hit.subject_name == "李四")
        .unwrap()
        .clone();
    assert_eq!(
        wang.unit_id, village.id,
        "attributed to the village its list names"
    );
    assert_eq!(
        li.unit_id, root.id,
        "an unknown place stays with the jurisdiction"
    );

    // Triage: dismissing needs a reason; confirming keeps through re-runs.
    let dismiss = TriageInput {
        state: "unfounded".into(),
        version: li.version,
        ..TriageInput::default()
    };
    assert!(matches!(
        uc::triage(s, clock, &office, li.id, &dismiss).await,
        Err(CoreError::Invalid(_))
    ));
    let confirm = TriageInput {
        state: "confirmed".into(),
        note: "经核实，王五系镇财政所在编人员".into(),
        version: wang.version,
    };
    let wang = uc::triage(s, clock, &office, wang.id, &confirm)
        .await
        .unwrap();
    assert_eq!(wang.state, HitState::Confirmed);
    assert!(
        matches!(
            uc::triage(s, clock, &office, wang.id, &confirm).await,
            Err(CoreError::Conflict(_))
        ),
        "a stale version is refused"
    );

    // A re-run after the lists changed: 王五 again, 李四 gone, one new.
    let second = uc::record_run(
        s,
        clock,
        &office,
        &rules,
        vec![hit("0011", "王五", "石桥村"), hit("0033", "赵六", "石桥村")],
    )
    .await
    .unwrap();
    assert_eq!((second.new, second.unchanged, second.gone), (1, 1, 1));
    let wang = uc::get(s, &office, wang.id).await.unwrap();
    assert_eq!(
        (wang.change, wang.state),
        (HitChange::Unchanged, HitState::Confirmed)
    );
    assert_eq!(
        uc::get(s, &office, li.id).await.unwrap().change,
        HitChange::Gone
    );

    // Confirmed hits feed the risk score of 青石镇 (its village's hit).
    let counts = s.confirmed_hits_by_unit().await.unwrap();
    assert_eq!(counts, vec![(village.path.clone(), 1)]);

    // A confirmed hit becomes a clue of a round's target, carrying its evidence.
    let round = plan::create_round(
        s,
        clock,
        &office,
        &RoundInput {
            term: "15".into(),
            number: "6".into(),
            kind: "special".into(),
            start_date: "2026-11-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    plan::set_status(s, clock, &office, round.id, RoundStatus::Active)
        .await
        .unwrap();
    let target = plan::add_target(s, clock, &office, round.id, town.id)
        .await
        .unwrap();
    let (done, clue_id) = uc::to_clue(s, clock, &office, wang.id, target.id, "further")
        .await
        .unwrap();
    assert_eq!((done.state, done.clue_id), (HitState::Clue, Some(clue_id)));
    let clue = s.get_record(clue_id).await.unwrap();
    assert!(clue.data.contains("财政供养人员名册"), "{}", clue.data);
    let zhao = uc::list(
        s,
        &office,
        None,
        Some(HitState::Pending),
        Some("new".into()),
        PageRequest::new(Some(1), Some(10)),
    )
    .await
    .unwrap();
    assert_eq!(zhao.items.len(), 1);
    assert!(
        matches!(
            uc::to_clue(s, clock, &office, zhao.items[0].id, target.id, "further").await,
            Err(CoreError::Invalid(_))
        ),
        "only a confirmed hit becomes a clue"
    );

    // Scopes: an office of another branch sees nothing; a team role is refused.
    let other = ctx.unit(Some(&root), "白云镇", UnitKind::Township).await;
    let local = actor(Role::Office, Some(&other));
    let none = uc::list(
        s,
        &local,
        None,
        None,
        None,
        PageRequest::new(Some(1), Some(10)),
    )
    .await
    .unwrap();
    assert_eq!(none.total, 0);
    assert!(matches!(
        uc::get(s, &local, wang.id).await,
        Err(CoreError::NotFound)
    ));
    let member = actor(Role::TeamMember, Some(&root));
    assert!(matches!(
        uc::list(
            s,
            &member,
            None,
            None,
            None,
            PageRequest::new(Some(1), Some(10))
        )
        .await,
        Err(CoreError::Forbidden)
    ));
}
