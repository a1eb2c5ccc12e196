//! Users, sessions, API tokens, passwords, settings and attachments.

use std::collections::BTreeMap;
use std::sync::Arc;

use xuncha_core::auth::{secret_hash, Role, User};
use xuncha_core::clock::Clock;
use xuncha_core::registry::{PageRequest, UnitKind};
use xuncha_core::store::{Attachment, NewUser, Store};
use xuncha_core::usecases::settings as settings_uc;
use xuncha_core::{CoreError, StoreError};

use crate::helpers::{actor, TestDb, T0};

/// A stand-in hash: the store keeps it as given and never checks it.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$notarealhashnotarealhash";

async fn user(store: &dyn Store, ctx: &TestDb, name: &str, role: Role, unit: Option<i64>) -> User {
    store
        .create_user(
            &NewUser {
                username: name.to_owned(),
                display_name: format!("{name} 显示名"),
                role,
                unit_id: unit,
                password_hash: HASH.to_owned(),
            },
            &ctx.meta(),
        )
        .await
        .unwrap()
}

async fn session(store: &dyn Store, ctx: &TestDb, token: &str, user_id: i64, ttl: i64) {
    store
        .create_session(
            &secret_hash(token),
            user_id,
            &format!("csrf-{token}"),
            ctx.clock.now_ms() + ttl,
            &ctx.meta(),
        )
        .await
        .unwrap();
}

async fn alive(store: &dyn Store, ctx: &TestDb, token: &str) -> bool {
    match store.session(&secret_hash(token), ctx.clock.now_ms()).await {
        Ok(_) => true,
        Err(StoreError::NotFound) => false,
        Err(e) => panic!("session lookup failed: {e}"),
    }
}

store_test!(users_are_created_listed_and_read_with_their_unit);
async fn users_are_created_listed_and_read_with_their_unit(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let dept = ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;

    // Act
    let admin = user(store.as_ref(), ctx, "admin", Role::Admin, None).await;
    let bumen = user(
        store.as_ref(),
        ctx,
        "bumen",
        Role::Department,
        Some(dept.id),
    )
    .await;
    let again = store
        .create_user(
            &NewUser {
                username: "bumen".into(),
                display_name: "重名".into(),
                role: Role::Office,
                unit_id: None,
                password_hash: HASH.into(),
            },
            &ctx.meta(),
        )
        .await;
    let creds = store.user_credentials("bumen").await.unwrap();
    let list = store.list_users().await.unwrap();

    // Assert
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(admin.unit_name, None);
    assert!(admin.active);
    assert_eq!(admin.created_at, T0);
    assert_eq!(bumen.unit_name.as_deref(), Some("县财政局"));
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(creds.user.id, bumen.id);
    assert_eq!(creds.password_hash, HASH);
    let names: Vec<&str> = list.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["admin", "bumen"]);
    assert_eq!(
        store.get_user(bumen.id).await.unwrap().role,
        Role::Department
    );
    assert!(matches!(
        store.get_user(bumen.id + 10).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.user_credentials("nobody").await,
        Err(StoreError::NotFound)
    ));
    let last = store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    assert_eq!(last.items[0].action, "user.create");
    assert!(
        !last.items[0].after.as_deref().unwrap().contains(HASH),
        "no hash in the audit log"
    );
}

store_test!(sessions_live_until_they_expire_or_are_deleted);
async fn sessions_live_until_they_expire_or_are_deleted(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let u = user(store.as_ref(), ctx, "office", Role::Office, None).await;
    session(store.as_ref(), ctx, "short", u.id, 1_000).await;
    session(store.as_ref(), ctx, "long", u.id, 100_000).await;

    // Act
    let info = store
        .session(&secret_hash("long"), ctx.clock.now_ms())
        .await
        .unwrap();
    let short_now = alive(store.as_ref(), ctx, "short").await;
    ctx.clock.advance_ms(1_000);
    let short_at_expiry = alive(store.as_ref(), ctx, "short").await;
    // A new login clears expired sessions out of the table.
    ctx.clock.advance_ms(1);
    session(store.as_ref(), ctx, "third", u.id, 100_000).await;
    let rows_left = ctx.scalar("select count(*) from sessions").await;
    store.delete_session(&secret_hash("long")).await.unwrap();
    let long_after_delete = alive(store.as_ref(), ctx, "long").await;
    // An unknown token reads as not found; deleting it is harmless.
    store.delete_session(&secret_hash("never")).await.unwrap();

    // Assert
    assert_eq!(info.user.id, u.id);
    assert_eq!(info.csrf_token, "csrf-long");
    assert_eq!(info.expires_at, T0 + 100_000);
    assert!(short_now);
    assert!(!short_at_expiry, "a session is dead at its expiry time");
    assert_eq!(rows_left, 2, "long and third; short was purged");
    assert!(!long_after_delete);
    assert!(alive(store.as_ref(), ctx, "third").await);
    assert!(!alive(store.as_ref(), ctx, "never").await);
}

store_test!(a_deactivated_user_loses_sessions_and_tokens);
async fn a_deactivated_user_loses_sessions_and_tokens(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let u = user(store.as_ref(), ctx, "office", Role::Office, None).await;
    session(store.as_ref(), ctx, "s", u.id, 100_000).await;
    store
        .create_api_token(u.id, &secret_hash("xc_tok"), "脚本", &ctx.meta())
        .await
        .unwrap();
    assert!(alive(store.as_ref(), ctx, "s").await);
    assert_eq!(
        store
            .user_by_token(&secret_hash("xc_tok"))
            .await
            .unwrap()
            .id,
        u.id
    );

    // Act: there is no port method yet; an operator would do this by SQL.
    ctx.exec(&format!(
        "update users set active = false where id = {}",
        u.id
    ))
    .await;

    // Assert
    assert!(!alive(store.as_ref(), ctx, "s").await);
    assert!(matches!(
        store.user_by_token(&secret_hash("xc_tok")).await,
        Err(StoreError::NotFound)
    ));
    assert!(!store.get_user(u.id).await.unwrap().active);
}

store_test!(api_tokens_identify_their_user_by_hash);
async fn api_tokens_identify_their_user_by_hash(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let a = user(store.as_ref(), ctx, "office", Role::Office, None).await;
    let b = user(store.as_ref(), ctx, "leader", Role::LeadingGroup, None).await;

    // Act
    let token = xuncha_core::usecases::auth::create_token(
        store.as_ref(),
        ctx.clock.as_ref(),
        "leader",
        "报表脚本",
    )
    .await
    .unwrap();
    store
        .create_api_token(a.id, &secret_hash("xc_a"), "a", &ctx.meta())
        .await
        .unwrap();
    let stored_plain = ctx
        .scalar(&format!(
            "select count(*) from api_tokens where token_hash = '{token}'"
        ))
        .await;
    let actor = xuncha_core::usecases::auth::token_actor(store.as_ref(), &token)
        .await
        .unwrap();
    let missing = xuncha_core::usecases::auth::create_token(
        store.as_ref(),
        ctx.clock.as_ref(),
        "nobody",
        "x",
    )
    .await;

    // Assert
    assert!(token.starts_with("xc_"));
    assert_eq!(stored_plain, 0, "only the hash is stored");
    assert_eq!(actor.user_id, b.id);
    assert_eq!(actor.role, Role::LeadingGroup);
    assert_eq!(
        store.user_by_token(&secret_hash("xc_a")).await.unwrap().id,
        a.id
    );
    assert!(matches!(
        store.user_by_token(&secret_hash("xc_none")).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(missing, Err(CoreError::NotFound)), "{missing:?}");
    let page = store
        .audit_page(PageRequest::new(Some(1), Some(2)))
        .await
        .unwrap();
    let actions: Vec<&str> = page.items.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["token.create", "token.create"]);
    assert!(page
        .items
        .iter()
        .all(|r| !r.after.as_deref().unwrap_or("").contains("xc_")));
}

store_test!(a_password_change_ends_other_sessions_but_keeps_the_given_one);
async fn a_password_change_ends_other_sessions_but_keeps_the_given_one(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let a = user(store.as_ref(), ctx, "office", Role::Office, None).await;
    let b = user(store.as_ref(), ctx, "leader", Role::LeadingGroup, None).await;
    for t in ["a1", "a2", "a3"] {
        session(store.as_ref(), ctx, t, a.id, 100_000).await;
    }
    session(store.as_ref(), ctx, "b1", b.id, 100_000).await;

    // Act
    store
        .set_password(a.id, "$argon2id$new", Some(&secret_hash("a2")), &ctx.meta())
        .await
        .unwrap();
    let after_keep = [
        alive(store.as_ref(), ctx, "a1").await,
        alive(store.as_ref(), ctx, "a2").await,
        alive(store.as_ref(), ctx, "a3").await,
        alive(store.as_ref(), ctx, "b1").await,
    ];
    store
        .set_password(a.id, "$argon2id$newer", None, &ctx.meta())
        .await
        .unwrap();
    let a2_after_none = alive(store.as_ref(), ctx, "a2").await;
    let unknown = store
        .set_password(b.id + 100, "$x", None, &ctx.meta())
        .await;

    // Assert
    assert_eq!(after_keep, [false, true, false, true]);
    assert!(
        !a2_after_none,
        "without a session to keep, every session ends"
    );
    assert!(
        alive(store.as_ref(), ctx, "b1").await,
        "other users keep theirs"
    );
    assert_eq!(
        store
            .user_credentials("office")
            .await
            .unwrap()
            .password_hash,
        "$argon2id$newer"
    );
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    let last = store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    assert_eq!(last.items[0].action, "user.password");
    assert_eq!(last.items[0].after, None, "the hash is not audited");
}

store_test!(settings_are_validated_stored_and_audited);
async fn settings_are_validated_stored_and_audited(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let admin = actor(Role::Admin, None);
    let office = actor(Role::Office, Some(&root));
    let changes = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };

    // Act
    let defaults = settings_uc::effective(store.as_ref()).await.unwrap();
    settings_uc::update(
        store.as_ref(),
        ctx.clock.as_ref(),
        &admin,
        &changes(&[("recusal.work_years", "5"), ("county.name", " 云岭县 ")]),
    )
    .await
    .unwrap();
    let stored = store.settings().await.unwrap();
    let head_after_save = store.audit_head().await.unwrap().0;
    let out_of_range = settings_uc::update(
        store.as_ref(),
        ctx.clock.as_ref(),
        &admin,
        &changes(&[("recusal.work_years", "99"), ("rectification.months", "6")]),
    )
    .await;
    let unchanged = settings_uc::update(
        store.as_ref(),
        ctx.clock.as_ref(),
        &admin,
        &changes(&[("recusal.work_years", "5")]),
    )
    .await;
    let by_office = settings_uc::update(
        store.as_ref(),
        ctx.clock.as_ref(),
        &office,
        &changes(&[("recusal.work_years", "4")]),
    )
    .await;
    let office_view = settings_uc::view(store.as_ref(), &office).await.unwrap();

    // Assert
    assert_eq!(defaults.get_int("recusal.work_years"), 3);
    assert_eq!(
        stored.get("recusal.work_years").map(String::as_str),
        Some("5")
    );
    assert_eq!(
        stored.get("county.name").map(String::as_str),
        Some("云岭县"),
        "values are trimmed"
    );
    match out_of_range {
        Err(CoreError::Invalid(v)) => {
            assert_eq!(v.len(), 1);
            assert_eq!(v[0].field, "recusal.work_years");
            assert_eq!(v[0].message, "应为0至30之间的整数");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    assert!(unchanged.is_ok());
    assert!(matches!(by_office, Err(CoreError::Forbidden)));
    assert_eq!(office_view.get_int("recusal.work_years"), 5);
    assert_eq!(
        store.settings().await.unwrap().get("rectification.months"),
        None,
        "nothing of a refused change is stored"
    );
    assert_eq!(
        store.audit_head().await.unwrap().0,
        head_after_save,
        "no record without a change"
    );
    let last = store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    let r = &last.items[0];
    assert_eq!(r.action, "settings.update");
    let after: serde_json::Value = serde_json::from_str(r.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["recusal.work_years"], "5");
}

store_test!(attachments_keep_one_record_per_upload);
async fn attachments_keep_one_record_per_upload(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let sha = "ab".repeat(32);
    let first = Attachment {
        sha256: sha.clone(),
        size: 1234,
        mime: "image/png".into(),
        original_name: "现场照片.png".into(),
        unit_id: Some(root.id),
        created_by: 7,
        created_at: T0,
    };
    let second = Attachment {
        original_name: "同一文件.png".into(),
        unit_id: None,
        created_by: 8,
        created_at: T0 + 5,
        ..first.clone()
    };

    // Act
    store.record_attachment(&first, &ctx.meta()).await.unwrap();
    store.record_attachment(&second, &ctx.meta()).await.unwrap();
    let got = store.attachments(&sha).await.unwrap();

    // Assert: one record per upload, oldest first, each with its own unit and uploader.
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].original_name, "现场照片.png");
    assert_eq!(got[0].unit_id, Some(root.id));
    assert_eq!(
        (got[0].size, got[0].created_by, got[0].created_at),
        (1234, 7, T0)
    );
    assert_eq!(got[0].mime, "image/png");
    assert_eq!((got[1].unit_id, got[1].created_by), (None, 8));
    assert!(store
        .attachments(&"cd".repeat(32))
        .await
        .unwrap()
        .is_empty());
}
