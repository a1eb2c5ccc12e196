//! Importing a spreadsheet through the browser endpoint (`POST /import`).

use axum::http::StatusCode;

use crate::helpers::{id_number, with_bad_checksum, xlsx, TestApp};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const HEADERS: [&str; 3] = ["姓名", "公民身份号码", "工作单位"];

fn row(name: &str, number: &str, unit: &str) -> Vec<String> {
    vec![name.to_owned(), number.to_owned(), unit.to_owned()]
}

#[tokio::test]
async fn a_good_people_spreadsheet_is_imported() {
    // Arrange
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let file = xlsx(
        &HEADERS,
        &[
            row("导入甲", &id_number("19800131", 11), "云岭县财政局"),
            row("导入乙", &id_number("19810202", 22), "青石镇"),
        ],
    );
    let before = app.person_count().await;

    // Act
    let res = app
        .post_multipart(
            "/import",
            &s,
            &[("csrf", &s.csrf), ("kind", "people")],
            Some(("人员名单.xlsx", XLSX, &file)),
        )
        .await;

    // Assert
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let html = res.text();
    assert!(html.contains("id=\"import-result\""), "{html}");
    assert!(
        html.contains("已导入「人员名单.xlsx」：新增2条，更新0条。"),
        "{html}"
    );
    assert_eq!(app.person_count().await, before + 2);
}

#[tokio::test]
async fn a_spreadsheet_with_one_bad_row_is_refused_whole_with_row_and_column() {
    // Arrange
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let file = xlsx(
        &HEADERS,
        &[
            row("导入甲", &id_number("19800131", 11), "云岭县财政局"),
            row(
                "导入乙",
                &with_bad_checksum(&id_number("19810202", 22)),
                "云岭县财政局",
            ),
            row("导入丙", &id_number("19820303", 33), "云岭县财政局"),
        ],
    );
    let before = app.person_count().await;
    let head_before = app.store.audit_head().await.unwrap();

    // Act
    let res = app
        .post_multipart(
            "/import",
            &s,
            &[("csrf", &s.csrf), ("kind", "people")],
            Some(("人员名单.xlsx", XLSX, &file)),
        )
        .await;

    // Assert
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains("文件未导入"), "{html}");
    assert!(
        html.contains("<td class=\"num\">3</td><td>公民身份号码</td><td>身份证号校验位错误"),
        "row 3 (the second data row) and its column are named: {html}"
    );
    assert_eq!(
        html.matches("<td class=\"num\">").count(),
        1,
        "only the bad row is listed"
    );
    assert!(!html.contains("id=\"import-result\""));
    assert_eq!(app.person_count().await, before, "no row was applied");
    assert_eq!(app.store.audit_head().await.unwrap(), head_before);
}

#[tokio::test]
async fn an_import_names_a_missing_file_and_a_role_that_may_not_import() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let leader = app.session_as("leader").await;
    let file = xlsx(
        &HEADERS,
        &[row("导入甲", &id_number("19800131", 11), "云岭县财政局")],
    );

    let no_file = app
        .post_multipart(
            "/import",
            &office,
            &[("csrf", &office.csrf), ("kind", "people")],
            None,
        )
        .await;
    let not_allowed = app
        .post_multipart(
            "/import",
            &leader,
            &[("csrf", &leader.csrf), ("kind", "people")],
            Some(("a.xlsx", XLSX, &file)),
        )
        .await;
    let no_csrf = app
        .post_multipart(
            "/import",
            &office,
            &[("kind", "people")],
            Some(("a.xlsx", XLSX, &file)),
        )
        .await;

    assert_eq!(no_file.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_file.text().contains("请选择要上传的文件"));
    assert_eq!(not_allowed.status, StatusCode::FORBIDDEN);
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
}
