//! HTML forms: invalid input comes back as the same form with status 422,
//! the message next to the field, and what was typed kept.

use axum::http::StatusCode;

use crate::helpers::{id_number, with_bad_checksum, Caller, TestApp};

/// The text of the `field-error` span that follows the input named `field`.
fn error_after(html: &str, field: &str) -> String {
    let at = html
        .find(&format!("name=\"{field}\""))
        .unwrap_or_else(|| panic!("no input {field}"));
    let rest = &html[at..];
    let start = rest
        .find("<span class=\"field-error\">")
        .expect("an error span")
        + "<span class=\"field-error\">".len();
    let end = rest[start..].find("</span>").unwrap();
    rest[start..start + end].to_owned()
}

#[tokio::test]
async fn a_person_with_a_bad_id_number_is_shown_again_with_the_error_by_the_field() {
    // Arrange
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let finance = app.unit("云岭县财政局").await;
    let bad = with_bad_checksum(&id_number("19800131", 11));
    let before = app.person_count().await;

    // Act
    let res = app
        .post_form(
            "/persons",
            &[
                ("csrf", &s.csrf),
                ("name", "欧阳测试"),
                ("id_number", &bad),
                ("unit", &finance.name),
                ("position", "科员"),
            ],
            Some(&s),
        )
        .await;

    // Assert
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(
        html.contains("提交的内容有误"),
        "the form says something is wrong"
    );
    assert!(
        error_after(&html, "id_number").contains("身份证号校验位错误"),
        "{}",
        error_after(&html, "id_number")
    );
    assert_eq!(error_after(&html, "name"), "", "the name is fine");
    assert!(
        html.contains("value=\"欧阳测试\""),
        "the typed name is kept"
    );
    assert!(
        html.contains(&format!("value=\"{bad}\"")),
        "the typed number is kept"
    );
    assert!(html.contains("value=\"科员\""));
    assert!(
        html.contains(&format!("value=\"{}\"", finance.name)),
        "the typed unit is kept"
    );
    assert_eq!(app.person_count().await, before);
}

#[tokio::test]
async fn a_valid_person_form_creates_the_person_and_redirects_to_it() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let finance = app.unit("云岭县财政局").await;
    let number = id_number("19800131", 12);

    let res = app
        .post_form(
            "/persons",
            &[
                ("csrf", &s.csrf),
                ("name", "欧阳测试"),
                ("id_number", &number),
                ("unit", &finance.name),
            ],
            Some(&s),
        )
        .await;

    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let location = res.header("location").unwrap().to_owned();
    assert!(location.starts_with("/persons/"));
    let page = app.get(&location, Caller::Browser(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("欧阳测试"));
    assert!(html.contains(&number), "office sees the full number");
    assert!(html.contains("女"), "gender from the even sequence");
    assert!(html.contains(&finance.name), "placed in the typed unit");
}

#[tokio::test]
async fn an_unknown_unit_name_is_reported_next_to_the_unit_field() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let res = app
        .post_form(
            "/persons",
            &[
                ("csrf", &s.csrf),
                ("name", "欧阳测试"),
                ("unit", "不存在的局"),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains("找不到单位「不存在的局」"), "{html}");
    assert!(
        html.contains("value=\"不存在的局\""),
        "the typed unit is kept"
    );
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let before = app.person_count().await;

    let res = app
        .post_form("/persons", &[("name", "无令牌")], Some(&s))
        .await;
    let unit = app
        .post_form(
            "/units",
            &[("csrf", "wrong"), ("name", "无令牌"), ("kind", "other")],
            Some(&s),
        )
        .await;

    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(unit.status, StatusCode::FORBIDDEN);
    assert_eq!(app.person_count().await, before);
}

#[tokio::test]
async fn unit_form_errors_are_shown_by_their_fields() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let root = app.unit("中共云岭县委").await;
    let parent = root.id.to_string();

    let res = app
        .post_form(
            "/units",
            &[
                ("csrf", &s.csrf),
                ("parent_id", &parent),
                ("name", "云岭县财政局"),
                ("kind", "gov-dept"),
                ("region_code", "12"),
            ],
            Some(&s),
        )
        .await;

    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(
        error_after(&html, "region_code").contains("6、9或12位数字"),
        "{html}"
    );
    assert!(html.contains("value=\"云岭县财政局\""));
    let again = app
        .post_form(
            "/units",
            &[
                ("csrf", &s.csrf),
                ("parent_id", &parent),
                ("name", "云岭县财政局"),
                ("kind", "gov-dept"),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_after(&again.text(), "name").contains("同一上级单位下已有同名单位"));
}
