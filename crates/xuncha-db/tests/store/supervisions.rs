//! 督办 of petitions on both backends: only a petition being handled is
//! supervised, the office's supervision is overdue when its deadline passes
//! unanswered (counted on the desk, filtered in the register, within the
//! office's jurisdiction only), a reply stops that, closing needs a reply, a
//! stale step is refused, and every step is audited on the petition.

use std::sync::Arc;

use xuncha_core::auth::{Actor, Role};
use xuncha_core::clock::Clock;
use xuncha_core::intake::petition::Event;
use xuncha_core::intake::register::PetitionInput;
use xuncha_core::intake::supervision::{ReplyInput, State, Step, SupervisionInput};
use xuncha_core::registry::{PageRequest, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::petitions::{self as petitions, Show};
use xuncha_core::usecases::rounds::plan::today;
use xuncha_core::usecases::supervisions as uc;
use xuncha_core::{CoreError, StoreError};

use crate::helpers::{actor, TestDb};

const DAY: i64 = 86_400_000;

fn input(title: &str, date: &str) -> PetitionInput {
    PetitionInput {
        channel: "letter".into(),
        category: "appeal".into(),
        title: title.into(),
        content: format!("{title}：群众反映多次未果，请求督促办理。"),
        date: date.into(),
        ..Default::default()
    }
}

fn order(deadline: &str) -> SupervisionInput {
    SupervisionInput {
        level: "supervise".into(),
        requirement: "请于期限内报送办理进展".into(),
        deadline: deadline.into(),
    }
}

/// The register's "supervision overdue" filter, as ids.
async fn listed(s: &dyn Store, clock: &dyn Clock, office: &Actor) -> Vec<i64> {
    petitions::list(
        s,
        clock,
        office,
        None,
        Show::SupervisionOverdue,
        PageRequest::new(None, None),
    )
    .await
    .unwrap()
    .items
    .iter()
    .map(|x| x.id)
    .collect()
}

store_test!(supervisions_are_overdue_until_answered_and_closed_after_a_reply);
async fn supervisions_are_overdue_until_answered_and_closed_after_a_reply(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let other = ctx.unit(Some(&root), "白云镇", UnitKind::Township).await;
    let office = actor(Role::Office, Some(&root));
    let today0 = today(clock);

    let p = petitions::register(
        s,
        clock,
        &office,
        Some(town.id),
        &input("反映道路损毁", &today0),
    )
    .await
    .unwrap();
    // Registered only: not yet with a body that could be supervised.
    match uc::supervise(s, clock, &office, p.id, &order("2026-12-04")).await {
        Err(CoreError::Invalid(v)) => assert_eq!(v[0].field, "status"),
        other => panic!("{other:?}"),
    }
    petitions::step(
        s,
        clock,
        &office,
        p.id,
        Event::Forward("青石镇人民政府".into()),
    )
    .await
    .unwrap();
    // Only the office supervises; the leading group reads the petition but
    // may not; a township office outside does not find it.
    let leader = actor(Role::LeadingGroup, Some(&root));
    assert!(matches!(
        uc::supervise(s, clock, &leader, p.id, &order("2026-12-04")).await,
        Err(CoreError::Forbidden)
    ));
    let outsider = actor(Role::Office, Some(&other));
    assert!(matches!(
        uc::supervise(s, clock, &outsider, p.id, &order("2026-12-04")).await,
        Err(CoreError::NotFound)
    ));
    let sv = uc::supervise(s, clock, &office, p.id, &order("2026-12-04"))
        .await
        .unwrap();
    assert_eq!(sv.state, State::Open);
    assert_eq!(sv.issued, today0);
    assert_eq!(uc::overdue_count(s, clock, &office).await.unwrap(), 0);
    assert_eq!(listed(s, clock, &office).await.len(), 0);

    // A week and a day later the deadline has passed without a reply.
    ctx.clock.advance_ms(8 * DAY);
    assert_eq!(uc::overdue_count(s, clock, &office).await.unwrap(), 1);
    assert_eq!(listed(s, clock, &office).await, vec![p.id]);
    assert_eq!(
        uc::overdue_count(s, clock, &outsider).await.unwrap(),
        0,
        "scope"
    );
    assert_eq!(
        uc::overdue_count(s, clock, &leader).await.unwrap(),
        0,
        "not theirs"
    );
    let all = petitions::list(
        s,
        clock,
        &office,
        None,
        Show::All,
        PageRequest::new(None, None),
    )
    .await
    .unwrap();
    assert_eq!(all.total, 1);

    // Closing before a reply is refused; the reply names what is missing.
    assert!(matches!(
        uc::close(s, clock, &office, p.id, sv.id, "").await,
        Err(CoreError::Invalid(v)) if v[0].field == "state"
    ));
    match uc::reply(s, clock, &office, p.id, sv.id, ReplyInput::default()).await {
        Err(CoreError::Invalid(v)) => assert_eq!(v.len(), 4),
        other => panic!("{other:?}"),
    }
    let reply = ReplyInput {
        kind: "progress".into(),
        text: "已组织施工队进场修复".into(),
        by: "青石镇人民政府 王某".into(),
        date: today(clock),
    };
    let sv = uc::reply(s, clock, &office, p.id, sv.id, reply)
        .await
        .unwrap();
    assert_eq!(sv.state, State::Replied);
    assert_eq!(sv.data.replies[0].recorded_by, office.display_name);
    assert_eq!(uc::overdue_count(s, clock, &office).await.unwrap(), 0);
    assert_eq!(listed(s, clock, &office).await.len(), 0);

    // A step on a stale copy is refused by the store.
    let mut stale = s.get_supervision(sv.id).await.unwrap();
    let version = stale.version;
    stale
        .apply(Step::Close("x".into()), &today(clock), "巡察办")
        .unwrap();
    uc::close(s, clock, &office, p.id, sv.id, "已修复，群众满意")
        .await
        .unwrap();
    assert!(matches!(
        s.update_supervision(&stale, version, "petition.supervision_close", &ctx.meta())
            .await,
        Err(StoreError::Conflict(_))
    ));
    let listed_sv = uc::of_petition(s, &leader, p.id).await.unwrap();
    assert_eq!(listed_sv.len(), 1, "the leading group reads them");
    assert_eq!(listed_sv[0].state, State::Closed);
    assert_eq!(
        listed_sv[0].data.closing.as_ref().map(|c| c.note.as_str()),
        Some("已修复，群众满意")
    );
    // Another petition's id with this supervision is not found.
    let q = petitions::register(
        s,
        clock,
        &office,
        Some(town.id),
        &input("另一件", &today(clock)),
    )
    .await
    .unwrap();
    assert!(matches!(
        uc::get(s, &office, q.id, sv.id).await,
        Err(CoreError::NotFound)
    ));

    // Every step is on the petition's audit trail.
    let trail = s.audit_of("petition", &p.id.to_string(), 50).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
    for a in [
        "petition.supervise",
        "petition.supervision_reply",
        "petition.supervision_close",
    ] {
        assert_eq!(
            actions.iter().filter(|x| **x == a).count(),
            1,
            "{a}: {actions:?}"
        );
    }
}
