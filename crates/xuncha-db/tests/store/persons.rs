//! Persons, relations, work history, leadership and the inspector pool.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{
    Gender, Kinship, NewInspector, NewRelation, NewWorkHistory, PageRequest, PersonFilter,
    PostRank, Skill, UnitKind,
};
use xuncha_core::store::Store;
use xuncha_core::usecases::registry as uc;
use xuncha_core::{CoreError, StoreError};

use crate::helpers::{actor, id_number, new_person, nth_id_number, TestDb, T0};

fn all_pages() -> PageRequest {
    PageRequest::new(Some(1), Some(500))
}

fn q(text: &str) -> PersonFilter {
    PersonFilter {
        q: Some(text.to_owned()),
        unit_id: None,
        ..Default::default()
    }
}

store_test!(persons_are_created_read_updated_and_moved_between_units);
async fn persons_are_created_read_updated_and_moved_between_units(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let dept = ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let number = id_number("19800131", 123);
    let mut new = new_person("张三", Some(&number), Some(dept.id));
    new.position = Some("局长".into());
    new.phone = Some("0871-1234567".into());

    // Act
    let created = store.create_person(&new, &ctx.meta()).await.unwrap();
    ctx.clock.advance_ms(1_000);
    let mut moved = new.clone();
    moved.unit_id = Some(town.id);
    moved.position = Some("镇长".into());
    let updated = store
        .update_person(created.id, &moved, &ctx.meta())
        .await
        .unwrap();
    let got = store.get_person(created.id).await.unwrap();
    let in_dept = store
        .list_persons(
            &Scope {
                within: Some(dept.path.clone()),
                excluded: vec![],
                any_of: None,
            },
            &PersonFilter::default(),
            all_pages(),
        )
        .await
        .unwrap();
    let in_town = store
        .list_persons(
            &Scope {
                within: Some(town.path.clone()),
                excluded: vec![],
                any_of: None,
            },
            &PersonFilter::default(),
            all_pages(),
        )
        .await
        .unwrap();

    // Assert
    assert_eq!(created.name, "张三");
    assert_eq!(created.id_number.as_deref(), Some(number.as_str()));
    assert_eq!(created.gender, Some(Gender::Male), "sequence 123 is odd");
    assert_eq!(created.birth_date.as_deref(), Some("1980-01-31"));
    assert_eq!(created.unit_name.as_deref(), Some("县财政局"));
    assert_eq!(created.unit_path.as_deref(), Some(dept.path.as_str()));
    assert_eq!(created.phone.as_deref(), Some("0871-1234567"));
    assert_eq!(updated.unit_name.as_deref(), Some("青石镇"));
    assert_eq!(
        got.unit_path.as_deref(),
        Some(town.path.as_str()),
        "the path copy follows the unit"
    );
    assert_eq!(got.position.as_deref(), Some("镇长"));
    assert_eq!((got.created_at, got.updated_at), (T0, T0 + 1_000));
    assert_eq!(in_dept.total, 0);
    assert_eq!(in_town.total, 1);
    assert!(matches!(
        store.get_person(created.id + 99).await,
        Err(StoreError::NotFound)
    ));
    let last = store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    assert_eq!(last.items[0].action, "person.update");
    assert!(last.items[0].before.as_deref().unwrap().contains("局长"));
}

store_test!(person_search_by_name_prefix_id_prefix_and_unit);
async fn person_search_by_name_prefix_id_prefix_and_unit(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let a = ctx.unit(Some(&root), "甲局", UnitKind::GovDept).await;
    let b = ctx.unit(Some(&root), "乙局", UnitKind::GovDept).await;
    let people = [
        ("张三", id_number("19800131", 11), a.id),
        ("张三丰", id_number("19751201", 21), b.id),
        ("李张", id_number("19900505", 32), a.id),
        ("王五", id_number("19800131", 44), b.id),
    ];
    for (name, number, unit) in &people {
        store
            .create_person(&new_person(name, Some(number), Some(*unit)), &ctx.meta())
            .await
            .unwrap();
    }
    let x_number = id_number_ending_in_x();
    store
        .create_person(
            &new_person("赵六", Some(&x_number), Some(a.id)),
            &ctx.meta(),
        )
        .await
        .unwrap();
    let all = Scope::all();

    // Act
    let names = |page: &xuncha_core::registry::Page<xuncha_core::registry::Person>| {
        let mut v: Vec<String> = page.items.iter().map(|p| p.name.clone()).collect();
        v.sort();
        v
    };
    let by_name = store
        .list_persons(&all, &q("张"), all_pages())
        .await
        .unwrap();
    let full_name = store
        .list_persons(&all, &q("张三丰"), all_pages())
        .await
        .unwrap();
    let by_birth = store
        .list_persons(&all, &q("53010219800131"), all_pages())
        .await
        .unwrap();
    let by_full_id = store
        .list_persons(&all, &q(&people[1].1), all_pages())
        .await
        .unwrap();
    let lower_x = store
        .list_persons(&all, &q(&x_number.to_lowercase()), all_pages())
        .await
        .unwrap();
    let in_a = store
        .list_persons(
            &all,
            &PersonFilter {
                q: None,
                unit_id: Some(a.id),
                ..Default::default()
            },
            all_pages(),
        )
        .await
        .unwrap();
    let zhang_in_b = store
        .list_persons(
            &all,
            &PersonFilter {
                q: Some("张".into()),
                unit_id: Some(b.id),
                ..Default::default()
            },
            all_pages(),
        )
        .await
        .unwrap();
    let paged = store
        .list_persons(
            &all,
            &PersonFilter::default(),
            PageRequest::new(Some(2), Some(2)),
        )
        .await
        .unwrap();

    // Assert
    assert_eq!(
        names(&by_name),
        ["张三", "张三丰"],
        "a prefix, not a substring (李张)"
    );
    assert_eq!(by_name.total, 2);
    assert_eq!(names(&full_name), ["张三丰"]);
    assert_eq!(names(&by_birth), ["张三", "王五"]);
    assert_eq!(names(&by_full_id), ["张三丰"]);
    assert_eq!(
        names(&lower_x),
        ["赵六"],
        "a lower-case x finds the upper-case X"
    );
    assert_eq!(names(&in_a), ["张三", "李张", "赵六"]);
    assert_eq!(names(&zhang_in_b), ["张三丰"]);
    assert_eq!((paged.total, paged.items.len()), (5, 2));
}

/// A valid ID number whose check character is `X`.
fn id_number_ending_in_x() -> String {
    (0..1000)
        .map(|s| id_number("19660606", s))
        .find(|n| n.ends_with('X'))
        .unwrap()
}

store_test!(a_duplicate_id_number_is_a_conflict);
async fn a_duplicate_id_number_is_a_conflict(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let number = nth_id_number(7);
    let first = store
        .create_person(
            &new_person("张三", Some(&number), Some(root.id)),
            &ctx.meta(),
        )
        .await
        .unwrap();
    let other = store
        .create_person(
            &new_person("李四", Some(&nth_id_number(8)), Some(root.id)),
            &ctx.meta(),
        )
        .await
        .unwrap();

    // Act
    let created_twice = store
        .create_person(
            &new_person("张叁", Some(&number), Some(root.id)),
            &ctx.meta(),
        )
        .await;
    let updated_onto = store
        .update_person(
            other.id,
            &new_person("李四", Some(&number), Some(root.id)),
            &ctx.meta(),
        )
        .await;
    let via_use_case = uc::create_person(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::Office, Some(&root)),
        &new_person("张叁", Some(&number), Some(root.id)),
    )
    .await;
    // Persons without an ID number never collide.
    let no_id_1 = store
        .create_person(&new_person("无证甲", None, None), &ctx.meta())
        .await;
    let no_id_2 = store
        .create_person(&new_person("无证乙", None, None), &ctx.meta())
        .await;

    // Assert
    assert!(
        matches!(created_twice, Err(StoreError::Conflict(_))),
        "{created_twice:?}"
    );
    assert!(
        matches!(updated_onto, Err(StoreError::Conflict(_))),
        "{updated_onto:?}"
    );
    match via_use_case {
        Err(CoreError::Invalid(v)) => {
            assert_eq!(v[0].field, "id_number");
            assert_eq!(v[0].message, "该身份证号已登记在其他人员名下");
        }
        other => panic!("expected invalid id_number, got {other:?}"),
    }
    assert!(no_id_1.is_ok() && no_id_2.is_ok());
    assert_eq!(store.get_person(first.id).await.unwrap().name, "张三");
    assert_eq!(
        store
            .get_person(other.id)
            .await
            .unwrap()
            .id_number
            .as_deref(),
        Some(nth_id_number(8).as_str())
    );
}

store_test!(relations_read_from_either_side_and_duplicates_are_refused);
async fn relations_read_from_either_side_and_duplicates_are_refused(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let mut ids = Vec::new();
    for (i, name) in ["张父", "张子", "李妻", "王无关"].iter().enumerate() {
        let p = store
            .create_person(
                &new_person(name, Some(&nth_id_number(i)), Some(root.id)),
                &ctx.meta(),
            )
            .await
            .unwrap();
        ids.push(p.id);
    }
    let (father, son, wife, stranger) = (ids[0], ids[1], ids[2], ids[3]);
    let rel = |a, b, kind, detail: &str| NewRelation {
        person_a_id: a,
        person_b_id: b,
        kind,
        detail: Some(detail.to_owned()),
    };

    // Act: stored with the larger id first to check both directions.
    let r1 = store
        .add_relation(&rel(son, father, Kinship::Lineal, "父子"), &ctx.meta())
        .await
        .unwrap();
    store
        .add_relation(&rel(son, wife, Kinship::Spouse, "夫妻"), &ctx.meta())
        .await
        .unwrap();
    let again = store
        .add_relation(&rel(father, son, Kinship::Lineal, "父子"), &ctx.meta())
        .await;
    let imported = store
        .import_relations(
            &[
                rel(father, son, Kinship::Lineal, "父子"),
                rel(father, wife, Kinship::InLaw, "公媳"),
            ],
            &ctx.meta(),
        )
        .await
        .unwrap();
    let of_son = store.relations_of(son).await.unwrap();
    let of_father = store.relations_of(father).await.unwrap();
    let of_stranger = store.relations_of(stranger).await.unwrap();

    // Assert
    assert_eq!(r1.kind, Kinship::Lineal);
    assert_eq!(r1.detail.as_deref(), Some("父子"));
    let mut names = [r1.person_a_name.as_str(), r1.person_b_name.as_str()];
    names.sort();
    assert_eq!(names, ["张子", "张父"]);
    assert!(
        matches!(again, Err(StoreError::Conflict(_))),
        "the reversed pair is the same pair"
    );
    assert_eq!(imported.created, 1, "the duplicate row is skipped");
    assert_eq!(of_son.len(), 2);
    assert!(of_son
        .iter()
        .all(|r| r.person_a_id == son || r.person_b_id == son));
    let kinds: Vec<Kinship> = of_father.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [Kinship::Lineal, Kinship::InLaw]);
    assert!(of_stranger.is_empty());
}

store_test!(work_history_lists_newest_first);
async fn work_history_lists_newest_first(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let a = ctx.unit(Some(&root), "甲局", UnitKind::GovDept).await;
    let b = ctx.unit(Some(&root), "乙镇", UnitKind::Township).await;
    let p = store
        .create_person(
            &new_person("张三", Some(&nth_id_number(1)), Some(a.id)),
            &ctx.meta(),
        )
        .await
        .unwrap();
    let entry = |unit_id, from: &str, to: Option<&str>, pos: &str| NewWorkHistory {
        person_id: p.id,
        unit_id,
        position: Some(pos.to_owned()),
        from_date: from.to_owned(),
        to_date: to.map(str::to_owned),
    };

    // Act
    store
        .add_work_history(
            &entry(b.id, "2010-03-01", Some("2015-06-30"), "科员"),
            &ctx.meta(),
        )
        .await
        .unwrap();
    let current = store
        .add_work_history(&entry(a.id, "2020-01-01", None, "局长"), &ctx.meta())
        .await
        .unwrap();
    store
        .add_work_history(
            &entry(b.id, "2015-07-01", Some("2019-12-31"), "副镇长"),
            &ctx.meta(),
        )
        .await
        .unwrap();
    let history = store.work_history_of(p.id).await.unwrap();

    // Assert
    assert_eq!(current.unit_name, "甲局");
    assert_eq!(current.to_date, None);
    let froms: Vec<&str> = history.iter().map(|w| w.from_date.as_str()).collect();
    assert_eq!(froms, ["2020-01-01", "2015-07-01", "2010-03-01"]);
    assert_eq!(history[1].position.as_deref(), Some("副镇长"));
    assert_eq!(history[2].unit_name, "乙镇");
    assert!(store.work_history_of(p.id + 1).await.unwrap().is_empty());
}

store_test!(a_leadership_team_lists_the_principal_first);
async fn a_leadership_team_lists_the_principal_first(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let dept = ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    let mut ids = Vec::new();
    for (i, name) in ["成员甲", "副局长乙", "局长丙", "副局长丁"]
        .iter()
        .enumerate()
    {
        let p = store
            .create_person(
                &new_person(name, Some(&nth_id_number(i)), Some(dept.id)),
                &ctx.meta(),
            )
            .await
            .unwrap();
        ids.push(p.id);
    }

    // Act: added in an order that is not the display order.
    let posts = [
        (ids[0], "党组成员", PostRank::Member),
        (ids[1], "副局长", PostRank::Deputy),
        (ids[2], "党组书记、局长", PostRank::Principal),
        (ids[3], "副局长", PostRank::Deputy),
    ];
    for (pid, title, rank) in posts {
        store
            .add_leadership_post(dept.id, pid, title, rank, &ctx.meta())
            .await
            .unwrap();
    }
    let team = store.leadership_of(dept.id).await.unwrap();
    let empty_title = uc::add_leadership_post(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::Admin, None),
        dept.id,
        ids[0],
        "  ",
        PostRank::Member,
    )
    .await;

    // Assert
    let order: Vec<(&str, PostRank)> = team
        .iter()
        .map(|p| (p.person_name.as_str(), p.rank))
        .collect();
    assert_eq!(
        order,
        [
            ("局长丙", PostRank::Principal),
            ("副局长乙", PostRank::Deputy),
            ("副局长丁", PostRank::Deputy),
            ("成员甲", PostRank::Member),
        ]
    );
    assert_eq!(team[0].title, "党组书记、局长");
    assert!(matches!(empty_title, Err(CoreError::Invalid(_))));
    assert!(store.leadership_of(root.id).await.unwrap().is_empty());
}

store_test!(the_inspector_pool_keeps_skills_and_source_units);
async fn the_inspector_pool_keeps_skills_and_source_units(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let audit = ctx.unit(Some(&root), "县审计局", UnitKind::GovDept).await;
    let p1 = store
        .create_person(
            &new_person("审计员", Some(&nth_id_number(1)), Some(audit.id)),
            &ctx.meta(),
        )
        .await
        .unwrap();
    let p2 = store
        .create_person(
            &new_person("退休干部", Some(&nth_id_number(2)), None),
            &ctx.meta(),
        )
        .await
        .unwrap();

    // Act
    let added = store
        .add_inspector(
            &NewInspector {
                person_id: p1.id,
                source_unit_id: Some(audit.id),
                skills: vec![Skill::Audit, Skill::Finance],
                rounds_served: 3,
            },
            &ctx.meta(),
        )
        .await
        .unwrap();
    store
        .add_inspector(
            &NewInspector {
                person_id: p2.id,
                source_unit_id: None,
                skills: vec![],
                rounds_served: 0,
            },
            &ctx.meta(),
        )
        .await
        .unwrap();
    let twice = store
        .add_inspector(
            &NewInspector {
                person_id: p1.id,
                source_unit_id: None,
                skills: vec![],
                rounds_served: 0,
            },
            &ctx.meta(),
        )
        .await;
    let pool = store.list_inspectors().await.unwrap();

    // Assert
    assert_eq!(added.person_name, "审计员");
    assert_eq!(pool.len(), 2);
    assert_eq!(pool[0].skills, [Skill::Audit, Skill::Finance]);
    assert_eq!(pool[0].source_unit_name.as_deref(), Some("县审计局"));
    assert_eq!(pool[0].rounds_served, 3);
    assert_eq!(pool[1].source_unit_id, None);
    assert!(pool[1].skills.is_empty());
    assert!(
        matches!(twice, Err(StoreError::Conflict(_))),
        "one pool entry per person"
    );
    assert_eq!(store.counts(&Scope::all()).await.unwrap().inspectors, 2);
}

store_test!(persons_are_found_by_id_numbers_with_their_unit_paths);
async fn persons_are_found_by_id_numbers_with_their_unit_paths(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange: more numbers than one query chunk holds.
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let rows: Vec<_> = (0..620)
        .map(|i| {
            new_person(
                &format!("人{i}"),
                Some(&nth_id_number(i)),
                (i % 2 == 0).then_some(root.id),
            )
        })
        .collect();
    store.import_people(&rows, &ctx.meta()).await.unwrap();
    let mut wanted: Vec<String> = (0..620).map(nth_id_number).collect();
    wanted.push(nth_id_number(5000));

    // Act
    let found = store.persons_by_id_numbers(&wanted).await.unwrap();

    // Assert
    assert_eq!(found.len(), 620, "the unknown number is simply absent");
    assert_eq!(
        found[&nth_id_number(0)].1.as_deref(),
        Some(root.path.as_str())
    );
    assert_eq!(found[&nth_id_number(1)].1, None);
    assert_eq!(
        store
            .get_person(found[&nth_id_number(611)].0)
            .await
            .unwrap()
            .name,
        "人611"
    );
}

store_test!(broad_searches_stop_counting_at_the_cap_and_deep_pages_keep_their_order);
async fn broad_searches_stop_counting_at_the_cap_and_deep_pages_keep_their_order(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange: more persons named 王… than the count cap, in two units.
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let n = xuncha_core::registry::COUNT_CAP as usize + 50;
    let rows: Vec<_> = (0..n)
        .map(|i| {
            let unit = if i % 2 == 0 { root.id } else { town.id };
            new_person(&format!("王{i:05}"), Some(&nth_id_number(i)), Some(unit))
        })
        .collect();
    store.import_people(&rows, &ctx.meta()).await.unwrap();

    // Act
    let first = store
        .list_persons(&Scope::all(), &q("王"), PageRequest::new(Some(1), Some(50)))
        .await
        .unwrap();
    let deep = store
        .list_persons(
            &Scope::all(),
            &q("王"),
            PageRequest::new(Some(150), Some(50)),
        )
        .await
        .unwrap();
    let unfiltered = store
        .list_persons(
            &Scope::all(),
            &PersonFilter::default(),
            PageRequest::new(Some(3), Some(7)),
        )
        .await
        .unwrap();
    let town_scope = Scope {
        within: Some(town.path.clone()),
        excluded: vec![],
        any_of: None,
    };
    let scoped = store
        .list_persons(&town_scope, &q("王0001"), all_pages())
        .await
        .unwrap();

    // Assert
    assert_eq!(first.total, xuncha_core::registry::COUNT_CAP);
    assert!(first.total_capped, "the search total is a lower bound");
    assert_eq!(first.items[0].name, "王00000");
    let names: Vec<&str> = deep.items.iter().map(|p| p.name.as_str()).collect();
    let expected: Vec<String> = (7450..7500).map(|i| format!("王{i:05}")).collect();
    assert_eq!(
        names, expected,
        "page 150 holds rows 7451..7500 in name order"
    );
    assert_eq!(unfiltered.total, n as i64, "unfiltered totals are exact");
    assert!(!unfiltered.total_capped);
    assert_eq!(unfiltered.items.len(), 7);
    // 王00010 … 王00019 in the township: the odd ones.
    assert_eq!(scoped.total, 5);
    assert!(scoped.items.iter().all(|p| p.unit_id == Some(town.id)));
}

store_test!(person_lists_sort_by_name_birth_date_and_unit_both_ways);
async fn person_lists_sort_by_name_birth_date_and_unit_both_ways(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    use xuncha_core::registry::PersonSort;
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let a = ctx.unit(Some(&root), "甲局", UnitKind::GovDept).await;
    let b = ctx.unit(Some(&root), "乙局", UnitKind::GovDept).await;
    let people = [
        ("丙", "19800105", a.id),
        ("甲", "19700101", b.id),
        ("乙", "19900101", a.id),
    ];
    for (i, (name, birth, unit)) in people.iter().enumerate() {
        let p = new_person(name, Some(&id_number(birth, i as u16)), Some(*unit));
        store.create_person(&p, &ctx.meta()).await.unwrap();
    }
    let list = |sort, desc| {
        let store = store.clone();
        async move {
            let f = PersonFilter {
                sort,
                desc,
                ..Default::default()
            };
            store
                .list_persons(&Scope::all(), &f, all_pages())
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(list(PersonSort::BirthDate, false).await, ["甲", "丙", "乙"]);
    assert_eq!(list(PersonSort::BirthDate, true).await, ["乙", "丙", "甲"]);
    let by_name = list(PersonSort::Name, false).await;
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted, "byte order of the names");
    let by_unit = list(PersonSort::Unit, false).await;
    assert_eq!(
        by_unit,
        ["丙", "乙", "甲"],
        "甲局 (created first) before 乙局"
    );
}
