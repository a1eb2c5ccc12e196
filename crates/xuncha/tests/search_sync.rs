//! The index follows the database through the outbox: creates, edits and
//! bulk imports reach search without a restart.

#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;

use xuncha::search_sync::Indexer;
use xuncha_core::registry::{NewPerson, NewUnit, PersonInput};
use xuncha_core::store::AuditMeta;
use xuncha_db::DatabaseUrl;
use xuncha_search::{SearchIndex, SearchQuery};

fn meta() -> AuditMeta {
    AuditMeta {
        actor_id: 0,
        actor_name: "t".into(),
        at: 1,
    }
}

fn person(name: &str, unit: i64) -> NewPerson {
    NewPerson::parse(
        &PersonInput {
            name,
            ..Default::default()
        },
        Some(unit),
    )
    .unwrap()
}

fn hits(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(&SearchQuery::text(q))
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[tokio::test]
async fn the_index_follows_creates_edits_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let opened = xuncha_db::connect(&DatabaseUrl::Sqlite(dir.path().join("x.db")))
        .await
        .unwrap();
    let store = opened.store();
    let index = Arc::new(SearchIndex::open(&dir.path().join("search")).unwrap());
    let indexer = Indexer::new(index.clone(), opened.feed(), dir.path().join("search"));

    let unit = store
        .create_unit(
            &NewUnit::parse(None, "云岭县财政局", "gov-dept", "", "").unwrap(),
            &meta(),
        )
        .await
        .unwrap();
    let p = store
        .create_person(&person("欧阳修", unit.id), &meta())
        .await
        .unwrap();
    assert!(indexer.catch_up().await.unwrap() >= 2);
    assert_eq!(hits(&index, "歐陽修"), ["欧阳修"]);

    store
        .update_person(p.id, &person("欧阳询", unit.id), &meta())
        .await
        .unwrap();
    indexer.catch_up().await.unwrap();
    assert!(hits(&index, "欧阳修").is_empty(), "the old name is gone");
    assert_eq!(hits(&index, "oyx"), ["欧阳询"]);

    // A bulk import queues a reindex of its type.
    store
        .import_people(&[person("司马光", unit.id)], &meta())
        .await
        .unwrap();
    indexer.catch_up().await.unwrap();
    assert_eq!(hits(&index, "司马光"), ["司马光"]);
    assert_eq!(
        indexer.catch_up().await.unwrap(),
        0,
        "nothing left to apply"
    );
}
