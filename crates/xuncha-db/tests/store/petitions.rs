//! Petitions on both backends: registration with the duplicate check, the
//! sealed identity (never in lists, audit images or the search text; each
//! view audited), the lifecycle with its deadlines, scopes; the county's
//! holiday calendar (a setting) moves the deadlines.

use std::collections::BTreeMap;
use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::intake::petition::{Event, Outcome, Status};
use xuncha_core::intake::register::PetitionInput;
use xuncha_core::registry::{PageRequest, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::petitions::{self as uc, Show};
use xuncha_core::usecases::settings;
use xuncha_core::CoreError;

use crate::helpers::{actor, TestDb};

fn input(title: &str, content: &str, name: &str) -> PetitionInput {
    PetitionInput {
        channel: "letter".into(),
        category: "appeal".into(),
        domain: "低保".into(),
        title: title.into(),
        content: content.into(),
        persons: "王五".into(),
        date: "2026-03-02".into(),
        name: name.into(),
        contact: "13800000000".into(),
        ..Default::default()
    }
}

const TEXT: &str =
    "青石镇石桥村村委会主任王五在2025年低保评定中优亲厚友，将其不符合条件的弟弟、弟媳纳入低保，\
                    群众多次反映无人处理，请求调查并取消不合规的低保待遇，同时公开低保评议过程。";

store_test!(petitions_keep_the_petitioner_sealed_and_flag_repeats);
async fn petitions_keep_the_petitioner_sealed_and_flag_repeats(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let other = ctx.unit(Some(&root), "白云镇", UnitKind::Township).await;
    let office = actor(Role::Office, Some(&root));

    let first = uc::register(
        s,
        clock,
        &office,
        Some(town.id),
        &input("反映低保评定不公", TEXT, "李秀英"),
    )
    .await
    .unwrap();
    assert_eq!(first.duplicate_of, None);
    assert!(!first.anonymous);
    assert_eq!(
        first.due_date.as_deref(),
        Some("2026-03-17"),
        "forward within 15 days"
    );
    // The same complaint again, a few characters changed and in traditional script.
    let again = TEXT
        .replace("青石镇", "青石鎮")
        .replace("弟弟", "兄弟")
        .replace("。", "！");
    let second = uc::register(
        s,
        clock,
        &office,
        Some(town.id),
        &input("再次反映低保问题", &again, ""),
    )
    .await
    .unwrap();
    assert_eq!(second.duplicate_of, Some(first.id), "flagged as a repeat");
    assert!(second.anonymous);
    let unrelated = uc::register(
        s,
        clock,
        &office,
        Some(other.id),
        &input(
            "道路",
            "白云镇道路损坏多年未修，雨天无法通行，请求维修。",
            "",
        ),
    )
    .await
    .unwrap();
    assert_eq!(unrelated.duplicate_of, None);

    // The identity: never in a list, an audit image or the search text.
    let all = uc::list(
        s,
        clock,
        &office,
        None,
        Show::All,
        PageRequest::new(None, None),
    )
    .await
    .unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(
        ctx.scalar("select count(*) from audit_log where after_json like '%李秀英%'")
            .await,
        0
    );
    assert_eq!(
        ctx.scalar("select count(*) from petitions where body like '%李秀英%'")
            .await,
        0
    );
    let views = "select count(*) from audit_log where action = 'petition.identity_view'";
    assert_eq!(ctx.scalar(views).await, 0);
    let who = uc::reveal_identity(s, clock, &office, first.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(who.name, "李秀英");
    assert_eq!(ctx.scalar(views).await, 1, "each view is audited");
    let leader = actor(Role::LeadingGroup, Some(&root));
    assert!(
        uc::get(s, &leader, first.id).await.is_ok(),
        "the leading group reads the petition"
    );
    assert!(matches!(
        uc::reveal_identity(s, clock, &leader, first.id).await,
        Err(CoreError::Forbidden)
    ));
    assert_eq!(ctx.scalar(views).await, 1, "a refused view reads nothing");

    // Scope: a township office sees its own petitions only.
    let town_office = actor(Role::Office, Some(&other));
    let mine = uc::list(
        s,
        clock,
        &town_office,
        None,
        Show::All,
        PageRequest::new(None, None),
    )
    .await
    .unwrap();
    assert_eq!(
        mine.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![unrelated.id]
    );
    assert!(matches!(
        uc::get(s, &town_office, first.id).await,
        Err(CoreError::NotFound)
    ));

    // The lifecycle, stored with its deadline; a stale step is refused.
    let p = uc::step(s, clock, &office, first.id, Event::Accept)
        .await
        .unwrap();
    assert_eq!(p.lifecycle.status, Status::Accepted);
    assert!(p.due_date.is_some());
    let p = uc::step(
        s,
        clock,
        &office,
        first.id,
        Event::Reply(Outcome::Support, "已取消不合规低保".into()),
    )
    .await
    .unwrap();
    assert_eq!(p.lifecycle.status, Status::Replied);
    assert_eq!(p.due_date, None);
    assert!(uc::step(s, clock, &office, first.id, Event::Accept)
        .await
        .is_err());
    let overdue = uc::list(
        s,
        clock,
        &office,
        None,
        Show::Overdue,
        PageRequest::new(None, None),
    )
    .await
    .unwrap();
    assert!(
        overdue.items.iter().all(|x| x.id != first.id),
        "a replied petition is not overdue"
    );
}

store_test!(the_county_calendar_moves_petition_deadlines);
async fn the_county_calendar_moves_petition_deadlines(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let office = actor(Role::Office, Some(&root));
    let admin = actor(Role::Admin, None);
    // A bad line is named and nothing is stored.
    let mut bad = BTreeMap::new();
    bad.insert(
        "calendar.holidays".to_owned(),
        "2026-10-01\n10月2日".to_owned(),
    );
    match settings::update(s, clock, &admin, &bad).await {
        Err(CoreError::Invalid(v)) => {
            assert_eq!(v[0].field, "calendar.holidays");
            assert!(v[0].message.contains("第2行"), "{}", v[0].message);
        }
        other => panic!("{other:?}"),
    }
    assert!(!s
        .settings()
        .await
        .unwrap()
        .contains_key("calendar.holidays"));
    // A day both off and worked is refused, naming the make-up list.
    let mut both = BTreeMap::new();
    both.insert("calendar.workdays".to_owned(), "2026-10-10".to_owned());
    settings::update(s, clock, &admin, &both).await.unwrap();
    let mut clash = BTreeMap::new();
    clash.insert("calendar.holidays".to_owned(), "2026-10-10".to_owned());
    match settings::update(s, clock, &admin, &clash).await {
        Err(CoreError::Invalid(v)) => assert_eq!(v[0].field, "calendar.workdays"),
        other => panic!("{other:?}"),
    }

    let before = uc::register(
        s,
        clock,
        &office,
        Some(root.id),
        &PetitionInput {
            date: "2026-09-20".into(),
            ..input("节前登记", "节前登记：群众反映多次未果，请求督促办理。", "")
        },
    )
    .await
    .unwrap();
    assert_eq!(
        before.due_date.as_deref(),
        Some("2026-10-05"),
        "weekdays only"
    );
    let mut cal = BTreeMap::new();
    cal.insert(
        "calendar.holidays".to_owned(),
        "2026-10-01 国庆节\n2026-10-02\n2026-10-05\n2026-10-06\n2026-10-07".to_owned(),
    );
    settings::update(s, clock, &admin, &cal).await.unwrap();
    let after = uc::register(
        s,
        clock,
        &office,
        Some(root.id),
        &PetitionInput {
            date: "2026-09-20".into(),
            ..input(
                "节后到期",
                "节后到期：村里的路灯坏了三个月，晚上出行不便。",
                "",
            )
        },
    )
    .await
    .unwrap();
    assert_eq!(
        after.due_date.as_deref(),
        Some("2026-10-08"),
        "15 days end inside 国庆: the first working day after it"
    );
}
