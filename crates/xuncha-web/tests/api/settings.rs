//! County settings edited by the administrator in the browser.

use axum::http::StatusCode;
use xuncha_core::registry::PageRequest;

use crate::helpers::{Caller, TestApp};

#[tokio::test]
async fn the_admin_changes_the_recusal_window_and_the_change_is_audited() {
    // Arrange
    let app = TestApp::new().await;
    let admin = app.session_as("admin").await;

    // Act
    let res = app
        .post_form(
            "/admin/settings",
            &[("csrf", &admin.csrf), ("recusal.work_years", "5")],
            Some(&admin),
        )
        .await;
    let page = app
        .get("/admin/settings?saved=1", Caller::Browser(&admin))
        .await;

    // Assert
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(res.header("location"), Some("/admin/settings?saved=1"));
    let stored = app.store.settings().await.unwrap();
    assert_eq!(
        stored.get("recusal.work_years").map(String::as_str),
        Some("5")
    );
    assert!(page.text().contains("设置已保存"));
    assert!(
        page.text()
            .contains("name=\"recusal.work_years\" value=\"5\""),
        "the page shows the new value"
    );
    let last = app
        .store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    let record = &last.items[0];
    assert_eq!(record.action, "settings.update");
    assert_eq!(record.actor_name, "admin");
    assert!(record
        .after
        .as_deref()
        .unwrap()
        .contains("\"recusal.work_years\":\"5\""));
}

#[tokio::test]
async fn an_out_of_range_value_is_refused_with_the_range_and_nothing_is_stored() {
    // Arrange
    let app = TestApp::new().await;
    let admin = app.session_as("admin").await;
    let head_before = app.store.audit_head().await.unwrap();

    // Act
    let res = app
        .post_form(
            "/admin/settings",
            &[
                ("csrf", &admin.csrf),
                ("recusal.work_years", "99"),
                ("rectification.months", "6"),
            ],
            Some(&admin),
        )
        .await;

    // Assert
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains("应为0至30之间的整数"), "{html}");
    assert!(html.contains("value=\"99\""), "the typed value is kept");
    let stored = app.store.settings().await.unwrap();
    assert_eq!(stored.get("recusal.work_years"), None);
    assert_eq!(
        stored.get("rectification.months"),
        None,
        "the valid value is not stored either"
    );
    assert_eq!(app.store.audit_head().await.unwrap(), head_before);
}

#[tokio::test]
async fn only_the_admin_may_change_settings() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;

    let view = app.get("/admin/settings", Caller::Browser(&office)).await;
    let change = app
        .post_form(
            "/admin/settings",
            &[("csrf", &office.csrf), ("recusal.work_years", "5")],
            Some(&office),
        )
        .await;

    assert_eq!(
        view.status,
        StatusCode::OK,
        "the office may read the settings"
    );
    assert!(view.text().contains("disabled"), "but sees them read-only");
    assert_eq!(change.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.store
            .settings()
            .await
            .unwrap()
            .get("recusal.work_years"),
        None
    );
}
