//! The unit tree: paths, depths, scope filtering, paging, updates.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{PageRequest, UnitFilter, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::registry as uc;
use xuncha_core::{CoreError, StoreError};

use crate::helpers::{actor, new_person, new_unit, nth_id_number, TestDb, T0};

fn all_pages() -> PageRequest {
    PageRequest::new(Some(1), Some(500))
}

fn within(path: &str) -> Scope {
    Scope {
        within: Some(path.to_owned()),
        excluded: Vec::new(),
        any_of: None,
    }
}

store_test!(units_form_a_tree_with_materialised_paths);
async fn units_form_a_tree_with_materialised_paths(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "中共测试县委", UnitKind::County).await;
    let dept = ctx
        .unit(Some(&root), "测试县财政局", UnitKind::GovDept)
        .await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let village = ctx.unit(Some(&town), "青石村", UnitKind::Village).await;

    // Act
    let got = store.get_unit(village.id).await.unwrap();
    let all = store.all_units(&Scope::all()).await.unwrap();

    // Assert
    assert_eq!(root.path, format!("/{}/", root.id));
    assert_eq!(root.depth, 0);
    assert_eq!(root.parent_id, None);
    assert_eq!(dept.path, format!("/{}/{}/", root.id, dept.id));
    assert_eq!(
        got.path,
        format!("/{}/{}/{}/", root.id, town.id, village.id)
    );
    assert_eq!(got.depth, 2);
    assert_eq!(got.parent_id, Some(town.id));
    assert_eq!(got.name, "青石村");
    assert_eq!(got.kind, UnitKind::Village);
    assert_eq!((got.created_at, got.updated_at), (T0, T0));
    let paths: Vec<&str> = all.iter().map(|u| u.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "all_units is in path order");
    assert_eq!(all.len(), 4);
    assert!(matches!(
        store.get_unit(village.id + 1000).await,
        Err(StoreError::NotFound)
    ));
}

store_test!(a_scope_within_a_subtree_sees_only_that_subtree);
async fn a_scope_within_a_subtree_sees_only_that_subtree(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange: root → {town → {v1, v2}, dept}; persons in each.
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let v1 = ctx.unit(Some(&town), "一村", UnitKind::Village).await;
    let v2 = ctx.unit(Some(&town), "二村", UnitKind::Village).await;
    let dept = ctx.unit(Some(&root), "财政局", UnitKind::GovDept).await;
    for (i, u) in [&root, &town, &v1, &v2, &dept].into_iter().enumerate() {
        let p = new_person(&format!("张{i}"), Some(&nth_id_number(i)), Some(u.id));
        store.create_person(&p, &ctx.meta()).await.unwrap();
    }
    let scope = within(&town.path);

    // Act
    let units = store
        .list_units(&scope, &UnitFilter::default(), all_pages())
        .await
        .unwrap();
    let all = store.all_units(&scope).await.unwrap();
    let persons = store
        .list_persons(&scope, &Default::default(), all_pages())
        .await
        .unwrap();
    let counts = store.counts(&scope).await.unwrap();

    // Assert
    let ids: Vec<i64> = units.items.iter().map(|u| u.id).collect();
    assert_eq!(ids, [town.id, v1.id, v2.id]);
    assert_eq!(units.total, 3);
    assert_eq!(all.len(), 3);
    let mut unit_of: Vec<i64> = persons.items.iter().filter_map(|p| p.unit_id).collect();
    unit_of.sort();
    assert_eq!(unit_of, [town.id, v1.id, v2.id]);
    assert_eq!(persons.total, 3);
    assert_eq!((counts.units, counts.persons), (3, 3));
    let everything = store.counts(&Scope::all()).await.unwrap();
    assert_eq!((everything.units, everything.persons), (5, 5));
}

store_test!(an_excluded_subtree_is_hidden_from_lists_counts_and_totals);
async fn an_excluded_subtree_is_hidden_from_lists_counts_and_totals(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let village = ctx.unit(Some(&town), "青石村", UnitKind::Village).await;
    let dept = ctx.unit(Some(&root), "财政局", UnitKind::GovDept).await;
    for (i, u) in [&root, &town, &village, &dept].into_iter().enumerate() {
        let p = new_person(&format!("李{i}"), Some(&nth_id_number(i)), Some(u.id));
        store.create_person(&p, &ctx.meta()).await.unwrap();
    }
    // A person attached to no unit stays visible to an unrestricted scope.
    let loose = new_person("王散", Some(&nth_id_number(99)), None);
    store.create_person(&loose, &ctx.meta()).await.unwrap();
    let recused = Scope {
        within: None,
        excluded: vec![town.path.clone()],
        any_of: None,
    };

    // Act
    let units = store
        .list_units(
            &recused,
            &UnitFilter::default(),
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap();
    let all = store.all_units(&recused).await.unwrap();
    let persons = store
        .list_persons(&recused, &Default::default(), all_pages())
        .await
        .unwrap();
    let counts = store.counts(&recused).await.unwrap();

    // Assert
    assert_eq!(units.total, 2, "the total counts only what the scope shows");
    assert_eq!(units.items.len(), 1);
    let ids: Vec<i64> = all.iter().map(|u| u.id).collect();
    assert_eq!(ids, [root.id, dept.id]);
    assert!(persons
        .items
        .iter()
        .all(|p| p.unit_id != Some(town.id) && p.unit_id != Some(village.id)));
    assert_eq!(persons.total, 3, "root, dept and the unattached person");
    assert_eq!((counts.units, counts.persons), (2, 3));
}

store_test!(a_path_prefix_matches_whole_segments_only);
async fn a_path_prefix_matches_whole_segments_only(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange: siblings a and b where b's id starts with a's digits (2 and 20 …).
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let a = ctx.unit(Some(&root), "单位A", UnitKind::GovDept).await;
    let a_child = ctx.unit(Some(&a), "单位A下属", UnitKind::Other).await;
    let a_digits = a.id.to_string();
    let mut b = None;
    for i in 0..300 {
        let u = ctx
            .unit(Some(&root), &format!("兄弟单位{i}"), UnitKind::GovDept)
            .await;
        if u.id.to_string().starts_with(&a_digits) {
            b = Some(u);
            break;
        }
    }
    let b = b.expect("an id sharing the prefix of the first sibling");
    let b_child = ctx.unit(Some(&b), "单位B下属", UnitKind::Other).await;
    assert!(b.path.starts_with(a.path.trim_end_matches('/')));

    // Act
    let seen = store.all_units(&within(&a.path)).await.unwrap();
    let without_a = store
        .all_units(&Scope {
            within: None,
            excluded: vec![a.path.clone()],
            any_of: None,
        })
        .await
        .unwrap();

    // Assert
    let ids: Vec<i64> = seen.iter().map(|u| u.id).collect();
    assert_eq!(
        ids,
        [a.id, a_child.id],
        "{} must not match {}",
        a.path,
        b.path
    );
    let hidden: Vec<i64> = without_a
        .iter()
        .map(|u| u.id)
        .filter(|id| [a.id, a_child.id, b.id, b_child.id].contains(id))
        .collect();
    assert_eq!(
        hidden,
        [b.id, b_child.id],
        "excluding {} keeps {}",
        a.path,
        b.path
    );
}

store_test!(unit_lists_filter_by_name_kind_and_parent_and_page);
async fn unit_lists_filter_by_name_kind_and_parent_and_page(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    for i in 0..7 {
        ctx.unit(Some(&town), &format!("青石{i}村"), UnitKind::Village)
            .await;
    }
    ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    let scope = Scope::all();
    let filter = |q: Option<&str>, kind, parent_id| UnitFilter {
        q: q.map(str::to_owned),
        kind,
        parent_id,
        ..Default::default()
    };

    // Act
    let by_name = store
        .list_units(&scope, &filter(Some("财政"), None, None), all_pages())
        .await
        .unwrap();
    let villages = store
        .list_units(
            &scope,
            &filter(None, Some(UnitKind::Village), None),
            all_pages(),
        )
        .await
        .unwrap();
    let children = store
        .list_units(&scope, &filter(None, None, Some(root.id)), all_pages())
        .await
        .unwrap();
    let page2 = store
        .list_units(
            &scope,
            &filter(Some("青石"), None, None),
            PageRequest::new(Some(2), Some(3)),
        )
        .await
        .unwrap();
    let page3 = store
        .list_units(
            &scope,
            &filter(Some("青石"), None, None),
            PageRequest::new(Some(3), Some(3)),
        )
        .await
        .unwrap();

    // Assert
    assert_eq!(by_name.total, 1);
    assert_eq!(by_name.items[0].name, "县财政局");
    assert_eq!(villages.total, 7);
    assert!(villages.items.iter().all(|u| u.kind == UnitKind::Village));
    assert_eq!(children.total, 2);
    assert_eq!(page2.total, 8, "青石镇 and its seven villages");
    assert_eq!(page2.items.len(), 3);
    assert_eq!(page3.items.len(), 2);
    let first_of_2 = &page2.items[0].path;
    assert!(
        page3.items.iter().all(|u| &u.path > first_of_2),
        "pages follow path order"
    );
}

store_test!(updating_a_unit_records_before_and_after_in_the_audit_log);
async fn updating_a_unit_records_before_and_after_in_the_audit_log(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let dept = ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    ctx.clock.advance_ms(60_000);
    let mut change = new_unit(None, "县财政局（国资办）", UnitKind::GovDept);
    change.region_code = Some("530102".into());
    change.budget_yuan = Some(1_200_000);

    // Act
    let updated = store
        .update_unit(dept.id, &change, &ctx.meta())
        .await
        .unwrap();
    let last = store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();

    // Assert
    assert_eq!(updated.name, "县财政局（国资办）");
    assert_eq!(updated.path, dept.path, "the parent and path do not change");
    assert_eq!(updated.updated_at, T0 + 60_000);
    assert_eq!(updated.created_at, T0);
    let got = store.get_unit(dept.id).await.unwrap();
    assert_eq!(got.budget_yuan, Some(1_200_000));
    assert_eq!(got.region_code.as_deref(), Some("530102"));
    let r = &last.items[0];
    assert_eq!(last.total, 3);
    assert_eq!(r.action, "unit.update");
    assert_eq!(r.object_type, "unit");
    assert_eq!(r.object_id.as_deref(), Some(dept.id.to_string().as_str()));
    assert_eq!(r.at, T0 + 60_000);
    let before: serde_json::Value = serde_json::from_str(r.before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(r.after.as_deref().unwrap()).unwrap();
    assert_eq!(before["name"], "县财政局");
    assert_eq!(after["name"], "县财政局（国资办）");
    assert_eq!(after["budget_yuan"], 1_200_000);
    assert!(matches!(
        store
            .update_unit(dept.id + 1000, &change, &ctx.meta())
            .await,
        Err(StoreError::NotFound)
    ));
}

store_test!(a_duplicate_name_under_one_parent_is_a_conflict);
async fn a_duplicate_name_under_one_parent_is_a_conflict(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let other = ctx.unit(Some(&root), "白沙镇", UnitKind::Township).await;
    ctx.unit(Some(&town), "新村", UnitKind::Village).await;
    let head_before = store.audit_head().await.unwrap();

    // Act
    let same_parent = store
        .create_unit(
            &new_unit(Some(town.id), "新村", UnitKind::Village),
            &ctx.meta(),
        )
        .await;
    let other_parent = store
        .create_unit(
            &new_unit(Some(other.id), "新村", UnitKind::Village),
            &ctx.meta(),
        )
        .await;
    let via_use_case = uc::create_unit(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::Admin, None),
        &new_unit(Some(town.id), "新村", UnitKind::Village),
    )
    .await;

    // Assert
    assert!(
        matches!(same_parent, Err(StoreError::Conflict(_))),
        "{same_parent:?}"
    );
    assert!(
        other_parent.is_ok(),
        "the same name under another parent is fine"
    );
    match via_use_case {
        Err(CoreError::Invalid(v)) => assert_eq!(v[0].field, "name"),
        other => panic!("expected an invalid name, got {other:?}"),
    }
    let head_after = store.audit_head().await.unwrap();
    assert_eq!(
        head_after.0,
        head_before.0 + 1,
        "only the successful create is audited"
    );
}

store_test!(use_cases_check_jurisdiction_on_units);
async fn use_cases_check_jurisdiction_on_units(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let dept = ctx.unit(Some(&root), "财政局", UnitKind::GovDept).await;
    let office_in_town = actor(Role::Office, Some(&town));
    let member = actor(Role::TeamMember, Some(&root));

    // Act
    let inside = uc::create_unit(
        store.as_ref(),
        ctx.clock.as_ref(),
        &office_in_town,
        &new_unit(Some(town.id), "青石村", UnitKind::Village),
    )
    .await;
    let outside = uc::create_unit(
        store.as_ref(),
        ctx.clock.as_ref(),
        &office_in_town,
        &new_unit(Some(dept.id), "下属单位", UnitKind::Other),
    )
    .await;
    let not_allowed = uc::create_unit(
        store.as_ref(),
        ctx.clock.as_ref(),
        &member,
        &new_unit(Some(root.id), "某单位", UnitKind::Other),
    )
    .await;
    let seen = uc::get_unit(store.as_ref(), &office_in_town, dept.id).await;
    let listed = uc::list_units(
        store.as_ref(),
        &office_in_town,
        &UnitFilter::default(),
        all_pages(),
    )
    .await
    .unwrap();

    // Assert
    assert!(inside.is_ok(), "{inside:?}");
    assert!(matches!(outside, Err(CoreError::NotFound)), "{outside:?}");
    assert!(
        matches!(not_allowed, Err(CoreError::Forbidden)),
        "{not_allowed:?}"
    );
    assert!(matches!(seen, Err(CoreError::NotFound)));
    assert_eq!(listed.total, 2, "青石镇 and the new village");
}
