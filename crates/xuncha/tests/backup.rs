//! A backup taken while writers are busy restores every write that was
//! acknowledged before the backup began, with an intact audit chain.

#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use xuncha_core::registry::NewUnit;
use xuncha_core::store::{AuditMeta, Store};
use xuncha_core::usecases::audit::{verify, Verification};
use xuncha_db::{DatabaseUrl, Opened};

fn meta(i: i64) -> AuditMeta {
    AuditMeta {
        actor_id: 0,
        actor_name: "writer".into(),
        at: i,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_under_write_load_restores_every_acknowledged_write() {
    // Arrange: a live installation with a root unit and a file attachment.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let opened = xuncha_db::connect(&DatabaseUrl::Sqlite(data.join("xuncha.db")))
        .await
        .unwrap();
    let store = opened.store();
    let root = store
        .create_unit(
            &NewUnit::parse(None, "中共测试县委", "county", "", "").unwrap(),
            &meta(0),
        )
        .await
        .unwrap();
    std::fs::create_dir_all(data.join("attachments/ab")).unwrap();
    std::fs::write(data.join("attachments/ab/cdef"), b"evidence").unwrap();

    // Four writers create units as fast as they can and record each acknowledged id.
    let acked: Arc<Mutex<Vec<i64>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (store, acked, stop) = (store.clone(), acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let unit =
                    NewUnit::parse(Some(root.id), &format!("单位{w}-{n}"), "gov-dept", "", "")
                        .unwrap();
                let created = store.create_unit(&unit, &meta(n)).await.unwrap();
                acked.lock().unwrap().push(created.id);
                n += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Act: everything acknowledged now must be in the backup.
    let before_backup: Vec<i64> = acked.lock().unwrap().clone();
    let file = dir.path().join("backup.tar");
    let report = xuncha::backup::create(&opened, &data.join("attachments"), &file)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let restored_dir = dir.path().join("restored");
    xuncha::backup::restore(&file, &restored_dir).unwrap();

    // Assert
    assert!(
        before_backup.len() > 10,
        "writers made progress: {}",
        before_backup.len()
    );
    assert!(report.contains("附件1个"), "{report}");
    let restored = xuncha_db::connect(&DatabaseUrl::Sqlite(restored_dir.join("xuncha.db")))
        .await
        .unwrap();
    let rstore: Arc<dyn Store> = restored.store();
    for id in &before_backup {
        rstore
            .get_unit(*id)
            .await
            .unwrap_or_else(|e| panic!("acknowledged unit {id} missing: {e}"));
    }
    assert!(
        matches!(verify(rstore.as_ref()).await.unwrap(), Verification::Intact(n) if n as usize > before_backup.len())
    );
    assert_eq!(
        std::fs::read(restored_dir.join("attachments/ab/cdef")).unwrap(),
        b"evidence"
    );
    if let Opened::Sqlite(s) = restored {
        s.close().await;
    }
}

#[test]
fn restore_refuses_a_directory_that_already_has_a_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("xuncha.db"), b"x").unwrap();
    let err = xuncha::backup::restore(&dir.path().join("none.tar"), dir.path()).unwrap_err();
    assert!(err.to_string().contains("已有数据库"), "{err}");
}
