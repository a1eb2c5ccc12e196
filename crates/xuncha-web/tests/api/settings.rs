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

/// The holiday calendar is edited on the settings page like any list: a bad
/// line is named in Chinese with the text kept and nothing stored; a good
/// calendar is saved and moves the petition clocks.
#[tokio::test]
async fn the_admin_edits_the_holiday_calendar() {
    let app = TestApp::new().await;
    let admin = app.session_as("admin").await;
    let page = app.get("/admin/settings", Caller::Browser(&admin)).await;
    let html = page.text();
    assert!(
        html.contains("<textarea id=\"s-calendar.holidays\" name=\"calendar.holidays\""),
        "{html}"
    );
    assert!(
        html.contains("演示数据"),
        "the demo calendar says what it is"
    );
    let head = app.store.audit_head().await.unwrap();

    let bad = app
        .post_form(
            "/admin/settings",
            &[
                ("csrf", &admin.csrf),
                ("calendar.holidays", "2026-10-01 国庆节\r\n十月二日"),
                ("calendar.workdays", "2026-10-10"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text();
    assert!(html.contains("节假日第2行“十月二日”不是日期"), "{html}");
    assert!(html.contains("十月二日"), "the typed text is kept");
    assert_eq!(
        app.store.audit_head().await.unwrap(),
        head,
        "nothing stored"
    );

    let good = app
        .post_form(
            "/admin/settings",
            &[
                ("csrf", &admin.csrf),
                ("calendar.holidays", "2026-12-07 测试假日\r\n2026-12-08"),
                ("calendar.workdays", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.text());
    let stored = app.store.settings().await.unwrap();
    assert_eq!(
        stored.get("calendar.holidays").map(String::as_str),
        Some("2026-12-07 测试假日\n2026-12-08")
    );

    // Registered on 22 November: 15 days end on Monday 7 December, now a
    // day off with the 8th, so the deadline is Wednesday 9 December.
    let office = app.session_as("office").await;
    let unit = app.unit("青石镇").await.id.to_string();
    let res = app
        .post_form(
            "/petitions",
            &[
                ("csrf", &office.csrf),
                ("date", "2026-11-22"),
                ("channel", "phone"),
                ("category", "suggestion"),
                ("unit_id", &unit),
                ("title", "建议延长便民服务中心周末开放时间"),
                ("content", "建议镇便民服务中心周末也安排人员值班办理业务。"),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let at = res.header("location").unwrap().to_owned();
    let page = app.get(&at, Caller::Browser(&office)).await.text();
    assert!(
        page.contains("<strong id=\"due\">2026-12-09</strong>"),
        "{page}"
    );
}
