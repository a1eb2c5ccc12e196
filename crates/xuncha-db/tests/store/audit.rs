//! The hash-chained audit log: intact after changes, and every kind of
//! tampering named by `usecases::audit::verify`; concurrent writers still
//! chain one after another.

use std::collections::BTreeMap;
use std::sync::Arc;

use xuncha_core::audit::{chain_hash, AuditEntry, ChainError};
use xuncha_core::registry::{PageRequest, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::audit::{verify, Verification};

use crate::helpers::{new_person, new_unit, nth_id_number, TestDb, T0};

/// Makes eight audited changes of different kinds.
async fn eight_changes(store: &dyn Store, ctx: &TestDb) -> i64 {
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let dept = ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    for i in 0..2 {
        let p = new_person(&format!("张{i}"), Some(&nth_id_number(i)), Some(dept.id));
        store.create_person(&p, &ctx.meta()).await.unwrap();
        ctx.clock.advance_ms(10);
    }
    store
        .update_unit(
            dept.id,
            &new_unit(None, "县财政局（改）", UnitKind::GovDept),
            &ctx.meta(),
        )
        .await
        .unwrap();
    let mut s = BTreeMap::new();
    s.insert("recusal.work_years".to_owned(), "4".to_owned());
    store.update_settings(&s, &ctx.meta()).await.unwrap();
    store
        .record_audit(&entry("person.view_sealed", ctx.clock.as_ref()))
        .await
        .unwrap();
    8
}

fn entry(action: &str, clock: &dyn xuncha_core::clock::Clock) -> AuditEntry {
    AuditEntry {
        actor_id: 3,
        actor_name: "jiwei".into(),
        action: action.into(),
        object_type: "person".into(),
        object_id: Some("1".into()),
        before: None,
        after: Some(serde_json::json!({ "reason": "核查" })),
        at: clock.now_ms(),
    }
}

async fn broken(store: &dyn Store) -> ChainError {
    match verify(store).await.unwrap() {
        Verification::Broken(e) => e,
        Verification::Intact(n) => panic!("expected a broken chain, got Intact({n})"),
    }
}

store_test!(the_chain_is_intact_after_a_series_of_changes);
async fn the_chain_is_intact_after_a_series_of_changes(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let empty = verify(store.as_ref()).await.unwrap();
    let n = eight_changes(store.as_ref(), ctx).await;

    // Act
    let result = verify(store.as_ref()).await.unwrap();
    let page = store
        .audit_page(PageRequest::new(Some(1), Some(3)))
        .await
        .unwrap();
    let (head_seq, head_hash) = store.audit_head().await.unwrap();

    // Assert
    assert!(matches!(empty, Verification::Intact(0)), "{empty:?}");
    assert!(
        matches!(result, Verification::Intact(x) if x == n),
        "{result:?}"
    );
    assert_eq!(page.total, n);
    let seqs: Vec<i64> = page.items.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [8, 7, 6], "newest first");
    assert_eq!(page.items[0].action, "person.view_sealed");
    assert_eq!(page.items[1].action, "settings.update");
    assert_eq!(page.items[0].at, T0 + 20);
    assert_eq!(
        (head_seq, head_hash.as_str()),
        (8, page.items[0].hash.as_str())
    );
    assert_eq!(page.items[0].prev_hash, page.items[1].hash);
    let first = store.audit_after(0, 1).await.unwrap();
    assert_eq!(first[0].prev_hash, xuncha_core::audit::GENESIS);
    assert_eq!(ctx.audit_seqs().await, (1..=8).collect::<Vec<i64>>());
}

store_test!(an_altered_record_is_named_as_tampered);
async fn an_altered_record_is_named_as_tampered(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    eight_changes(store.as_ref(), ctx).await;

    // Act
    let n = ctx
        .exec("update audit_log set actor_name = 'mallory' where seq = 3")
        .await;

    // Assert
    assert_eq!(n, 1);
    assert_eq!(
        broken(store.as_ref()).await,
        ChainError::Tampered { seq: 3 }
    );
}

store_test!(a_rehashed_forgery_breaks_the_next_link);
async fn a_rehashed_forgery_breaks_the_next_link(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange: rewrite record 4 and give it a hash that matches its new content.
    eight_changes(store.as_ref(), ctx).await;
    let r = store.audit_after(3, 1).await.unwrap().remove(0);
    let forged_after = r#"{"name":"伪造"}"#;
    let forged_hash = chain_hash(
        &r.prev_hash,
        r.seq,
        r.at,
        r.actor_id,
        &r.actor_name,
        &r.action,
        &r.object_type,
        r.object_id.as_deref(),
        r.before.as_deref(),
        Some(forged_after),
    );

    // Act
    ctx.exec(&format!(
        "update audit_log set after_json = '{forged_after}', hash = '{forged_hash}' where seq = 4"
    ))
    .await;

    // Assert
    assert_eq!(
        broken(store.as_ref()).await,
        ChainError::BrokenLink { seq: 5 }
    );
}

store_test!(a_removed_middle_record_is_named_as_a_gap);
async fn a_removed_middle_record_is_named_as_a_gap(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    eight_changes(store.as_ref(), ctx).await;

    // Act
    ctx.exec("delete from audit_log where seq = 5").await;

    // Assert
    assert_eq!(
        broken(store.as_ref()).await,
        ChainError::Gap {
            expected: 5,
            found: 6
        }
    );
}

store_test!(a_removed_last_record_is_named_as_truncation);
async fn a_removed_last_record_is_named_as_truncation(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    eight_changes(store.as_ref(), ctx).await;

    // Act
    ctx.exec("delete from audit_log where seq = 8").await;

    // Assert
    assert_eq!(
        broken(store.as_ref()).await,
        ChainError::Truncated { last: 7, head: 8 }
    );
}

store_test!(concurrent_writers_still_form_one_unbroken_chain);
async fn concurrent_writers_still_form_one_unbroken_chain(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let meta = ctx.meta();

    // Act: 20 unit creations, 10 person creations and 10 bare audit events at once.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (store, meta) = (store.clone(), meta.clone());
        tasks.push(tokio::spawn(async move {
            let u = new_unit(Some(root.id), &format!("并发单位{i}"), UnitKind::Other);
            store.create_unit(&u, &meta).await.map(|_| ())
        }));
    }
    for i in 0..10 {
        let (store, meta) = (store.clone(), meta.clone());
        tasks.push(tokio::spawn(async move {
            let p = new_person(&format!("并发{i}"), Some(&nth_id_number(i)), Some(root.id));
            store.create_person(&p, &meta).await.map(|_| ())
        }));
    }
    for i in 0..10 {
        let store = store.clone();
        let e = AuditEntry {
            object_id: Some(i.to_string()),
            ..entry("person.view_sealed", ctx.clock.as_ref())
        };
        tasks.push(tokio::spawn(async move { store.record_audit(&e).await }));
    }
    let mut failures = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.unwrap() {
            failures.push(e.to_string());
        }
    }

    // Assert
    assert!(
        failures.is_empty(),
        "concurrent writes failed: {failures:?}"
    );
    let result = verify(store.as_ref()).await.unwrap();
    assert!(matches!(result, Verification::Intact(41)), "{result:?}");
    assert_eq!(
        ctx.audit_seqs().await,
        (1..=41).collect::<Vec<i64>>(),
        "no duplicate or missing seq"
    );
    let counts = store
        .counts(&xuncha_core::policy::Scope::all())
        .await
        .unwrap();
    assert_eq!(
        (counts.units, counts.persons, counts.audit_records),
        (21, 10, 41)
    );
}
