//! What the search index reads: the outbox in order, and the searchable text
//! of persons and units (never their ID numbers).

use std::sync::Arc;

use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;

use crate::helpers::{id_number, new_person, TestDb};

store_test!(the_outbox_lists_changes_in_order_and_sources_carry_no_id_numbers);
async fn the_outbox_lists_changes_in_order_and_sources_carry_no_id_numbers(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let number = id_number("19800101", 3);
    let p = store
        .create_person(
            &new_person("欧阳修", Some(&number), Some(root.id)),
            &ctx.meta(),
        )
        .await
        .unwrap();
    store
        .import_people(&[new_person("司马光", None, Some(root.id))], &ctx.meta())
        .await
        .unwrap();

    // Act
    let all = ctx.feed.outbox_after(0, 100).await.unwrap();
    let after_first = ctx.feed.outbox_after(all[0].id, 100).await.unwrap();
    let persons = ctx.feed.search_sources("person", &[p.id]).await.unwrap();
    let units = ctx.feed.search_sources_after("unit", 0, 10).await.unwrap();
    let paged = ctx
        .feed
        .search_sources_after("person", p.id, 10)
        .await
        .unwrap();

    // Assert
    let ops: Vec<(&str, &str)> = all
        .iter()
        .map(|i| (i.doc_type.as_str(), i.op.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            // The migration that brought campaign follow-ups into the index.
            ("demand", "reindex"),
            ("unit", "upsert"),
            ("person", "upsert"),
            ("person", "reindex")
        ]
    );
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(after_first.len(), 3);
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0].title, "欧阳修");
    assert_eq!(persons[0].unit_path.as_deref(), Some(root.path.as_str()));
    assert!(
        persons[0].body.contains("县委"),
        "the unit's name is searchable"
    );
    assert!(!persons[0].body.contains(&number), "never the ID number");
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].unit_path.as_deref(), Some(root.path.as_str()));
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].title, "司马光");
    assert!(ctx
        .feed
        .search_sources("petition", &[1])
        .await
        .unwrap()
        .is_empty());
}
