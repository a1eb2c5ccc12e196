//! The demo county loads into an empty database through the port, whole and
//! with an intact audit chain.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::demo;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{PageRequest, PersonFilter, PostRank, UnitFilter, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::audit::{verify, Verification};

use crate::helpers::{TestDb, T0};

store_test!(the_demo_county_loads_whole_into_an_empty_database);
async fn the_demo_county_loads_whole_into_an_empty_database(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let county = demo::generate(demo::DEFAULT_SEED);

    // Act
    let summary = demo::load(store.as_ref(), &county, T0).await.unwrap();
    let counts = store.counts(&Scope::all()).await.unwrap();
    let users = store.list_users().await.unwrap();
    let units = store.all_units(&Scope::all()).await.unwrap();
    let verification = verify(store.as_ref()).await.unwrap();

    // Assert: what was generated is what is stored.
    assert!(
        (55..=65).contains(&county.units.len()),
        "{} units",
        county.units.len()
    );
    assert!(
        (1900..=2100).contains(&county.persons.len()),
        "{} persons",
        county.persons.len()
    );
    assert_eq!(summary.units, county.units.len());
    assert_eq!(counts.units, county.units.len() as i64);
    assert_eq!(counts.persons, county.persons.len() as i64);
    assert_eq!(summary.relations, 300);
    assert_eq!(ctx.scalar("select count(*) from relations").await, 300);
    assert_eq!(counts.inspectors, 40);
    assert_eq!(
        ctx.scalar("select count(*) from leadership_posts").await,
        county.posts.len() as i64
    );
    assert_eq!(
        ctx.scalar("select count(*) from work_history").await,
        county.work_history.len() as i64
    );
    assert_eq!(counts.users, 12);
    let names: HashSet<&str> = users.iter().map(|u| u.username.as_str()).collect();
    for n in [
        "admin",
        "office",
        "leader",
        "zuzhang",
        "fuzuzhang",
        "zuyuan",
        "jiwei",
        "zuzhibu",
        "bumen",
        "beixuncha",
        "zoufang",
        "jiancha",
    ] {
        assert!(names.contains(n), "demo user {n}");
    }
    let roles: HashSet<Role> = users.iter().map(|u| u.role).collect();
    assert_eq!(roles.len(), Role::ALL.len(), "one user per role");
    let bumen = users.iter().find(|u| u.username == "bumen").unwrap();
    assert_eq!(bumen.unit_name.as_deref(), Some("云岭县财政局"));
    assert_eq!(
        units.iter().filter(|u| u.parent_id.is_none()).count(),
        1,
        "one root"
    );
    assert_eq!(units[0].kind, UnitKind::County);
    // Every audit record chains, and there is one per change the load made.
    let expected = 3 + county.work_history.len() + county.posts.len() + 40 + 12;
    match verification {
        Verification::Intact(n) => assert_eq!(n, expected as i64),
        other => panic!("the chain after the demo load is {other:?}"),
    }
}

store_test!(the_loaded_demo_county_is_consistent);
async fn the_loaded_demo_county_is_consistent(store: Arc<dyn Store>, _ctx: &TestDb) {
    // Arrange
    let county = demo::generate(demo::DEFAULT_SEED);
    demo::load(store.as_ref(), &county, T0).await.unwrap();
    let units = store.all_units(&Scope::all()).await.unwrap();
    let by_id: HashMap<i64, &xuncha_core::registry::Unit> =
        units.iter().map(|u| (u.id, u)).collect();

    // Act
    let mut principals = Vec::new();
    for u in &units {
        let team = store.leadership_of(u.id).await.unwrap();
        principals.push((
            u.name.clone(),
            team.iter()
                .filter(|p| p.rank == PostRank::Principal)
                .count(),
            team.first().map(|p| p.rank),
        ));
    }
    let town = units.iter().find(|u| u.name == "青石镇").unwrap();
    let in_town = store
        .list_persons(
            &Scope {
                within: Some(town.path.clone()),
                excluded: vec![],
                any_of: None,
            },
            &PersonFilter::default(),
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap();
    let villages = store
        .list_units(
            &Scope::all(),
            &UnitFilter {
                q: None,
                kind: None,
                parent_id: Some(town.id),
                ..Default::default()
            },
            PageRequest::new(Some(1), Some(100)),
        )
        .await
        .unwrap();

    // Assert
    for u in &units {
        let expected = match u.parent_id {
            Some(p) => format!("{}{}/", by_id[&p].path, u.id),
            None => format!("/{}/", u.id),
        };
        assert_eq!(u.path, expected, "{}", u.name);
    }
    for (name, n, first) in &principals {
        assert_eq!(*n, 1, "{name} has exactly one principal");
        assert_eq!(
            *first,
            Some(PostRank::Principal),
            "{name} lists the principal first"
        );
    }
    assert!(in_town.total > 0);
    assert!(villages.total > 0);
    assert!(villages
        .items
        .iter()
        .all(|v| v.path.starts_with(&town.path)));
}
