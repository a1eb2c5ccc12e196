//! Attachments: upload with type sniffing, download as an attachment, and
//! the jurisdiction check on download.

use axum::http::StatusCode;
use sha2::{Digest, Sha256};

use crate::helpers::{Caller, TestApp};

/// A tiny but real PNG (1×1, transparent).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[tokio::test]
async fn an_uploaded_png_downloads_as_the_same_bytes_never_inline() {
    // Arrange
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let sha = hex::encode(Sha256::digest(PNG));

    // Act
    let up = app
        .post_multipart(
            "/attachments",
            &s,
            &[("csrf", &s.csrf)],
            Some(("现场照片.png", "image/png", PNG)),
        )
        .await;
    let down = app
        .get(&format!("/attachments/{sha}"), Caller::Browser(&s))
        .await;

    // Assert
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text());
    let meta = up.json();
    assert_eq!(meta["sha256"], sha.as_str());
    assert_eq!(meta["mime"], "image/png");
    assert_eq!(meta["size"], PNG.len());
    assert_eq!(meta["original_name"], "现场照片.png");
    assert_eq!(down.status, StatusCode::OK);
    assert_eq!(down.body, PNG);
    assert_eq!(down.header("content-type"), Some("image/png"));
    let disposition = down.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("UTF-8''%E7%8E%B0%E5%9C%BA"),
        "{disposition}"
    );
    assert_eq!(down.header("x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn an_html_file_disguised_as_a_png_is_refused() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let page = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>";
    let sha = hex::encode(Sha256::digest(page));

    let up = app
        .post_multipart(
            "/attachments",
            &s,
            &[("csrf", &s.csrf)],
            Some(("photo.png", "image/png", page)),
        )
        .await;
    let down = app
        .get(&format!("/attachments/{sha}"), Caller::Browser(&s))
        .await;

    assert_eq!(up.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(up.json()["error"]["code"], "invalid");
    assert!(up.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("不支持的文件类型"));
    assert_eq!(down.status, StatusCode::NOT_FOUND, "nothing was stored");
}

#[tokio::test]
async fn an_upload_needs_the_csrf_token() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;

    let up = app
        .post_multipart(
            "/attachments",
            &s,
            &[("csrf", "nope")],
            Some(("a.png", "image/png", PNG)),
        )
        .await;

    assert_eq!(up.status, StatusCode::FORBIDDEN);
    assert_eq!(up.json()["error"]["code"], "csrf");
}

#[tokio::test]
async fn an_attachment_of_a_unit_is_hidden_from_users_outside_that_unit() {
    // Arrange: 财政局's user uploads evidence filed under 财政局.
    let app = TestApp::new().await;
    let bumen = app.session_as("bumen").await;
    let town_user = app.session_as("beixuncha").await;
    let office = app.session_as("office").await;
    let finance = app.unit("云岭县财政局").await;
    let qingshi = app.unit("青石镇").await;
    let unit_id = finance.id.to_string();
    let up = app
        .post_multipart(
            "/attachments",
            &bumen,
            &[("csrf", &bumen.csrf), ("unit_id", &unit_id)],
            Some(("凭证.png", "image/png", PNG)),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text());
    assert_eq!(up.json()["unit_id"], finance.id);
    let path = format!("/attachments/{}", up.json()["sha256"].as_str().unwrap());

    // Act
    let outside = app.get(&path, Caller::Browser(&town_user)).await;
    let above = app.get(&path, Caller::Browser(&office)).await;
    let uploader = app.get(&path, Caller::Browser(&bumen)).await;
    let foreign_unit = app
        .post_multipart(
            "/attachments",
            &bumen,
            &[("csrf", &bumen.csrf), ("unit_id", &qingshi.id.to_string())],
            Some(("别处.png", "image/png", &[PNG, b"x"].concat())),
        )
        .await;

    // Assert
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    assert_eq!(
        above.status,
        StatusCode::OK,
        "the county office sees every unit"
    );
    assert_eq!(uploader.status, StatusCode::OK);
    assert_eq!(
        foreign_unit.status,
        StatusCode::NOT_FOUND,
        "no filing evidence under another unit"
    );
}

#[tokio::test]
async fn the_same_bytes_uploaded_in_two_units_stay_downloadable_by_both_uploaders() {
    let app = TestApp::new().await;
    let bumen = app.session_as("bumen").await;
    let town_user = app.session_as("beixuncha").await;
    let finance = app.unit("云岭县财政局").await.id.to_string();
    let qingshi = app.unit("青石镇").await.id.to_string();

    let first = app
        .post_multipart(
            "/attachments",
            &bumen,
            &[("csrf", &bumen.csrf), ("unit_id", &finance)],
            Some(("a.png", "image/png", PNG)),
        )
        .await;
    let second = app
        .post_multipart(
            "/attachments",
            &town_user,
            &[("csrf", &town_user.csrf), ("unit_id", &qingshi)],
            Some(("b.png", "image/png", PNG)),
        )
        .await;
    let path = format!("/attachments/{}", second.json()["sha256"].as_str().unwrap());
    let by_second = app.get(&path, Caller::Browser(&town_user)).await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(
        by_second.status,
        StatusCode::OK,
        "the uploader can fetch what they just uploaded"
    );
}

#[tokio::test]
async fn a_plain_form_upload_returns_to_the_unit_page_which_lists_it_with_its_history() {
    // Arrange
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let finance = app.unit("云岭县财政局").await;
    let unit_id = finance.id.to_string();
    let back = format!("/units/{}", finance.id);

    // Act: the unit page's form posts with a redirect back to the page.
    let up = app
        .post_multipart(
            "/attachments",
            &s,
            &[
                ("csrf", &s.csrf),
                ("unit_id", &unit_id),
                ("redirect", &back),
            ],
            Some(("预算批复.pdf", "application/pdf", b"%PDF-1.4 test")),
        )
        .await;
    let page = app.get(&back, Caller::Browser(&s)).await;

    // Assert
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.text());
    assert_eq!(up.header("location"), Some(back.as_str()));
    let html = page.text();
    assert!(html.contains("预算批复.pdf"), "the attachment is listed");
    assert!(html.contains("变更记录"), "the timeline is shown");
    // A redirect elsewhere than this site is not followed.
    let evil = app
        .post_multipart(
            "/attachments",
            &s,
            &[("csrf", &s.csrf), ("redirect", "//evil.example/")],
            Some(("a.pdf", "application/pdf", b"%PDF-1.4 x")),
        )
        .await;
    assert_eq!(evil.status, StatusCode::CREATED);
}
