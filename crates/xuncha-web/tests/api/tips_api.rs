//! Photos through the public JSON API (`POST /api/v1/public/tips` as
//! `multipart/form-data`): a photo carrying EXIF GPS is stored without it,
//! nothing about the sender reaches the disk, and a file that is not an
//! image is refused with a Chinese message naming the field — storing
//! nothing.

use std::io::Write;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use xuncha_core::intake::guard::{solve, Challenge};

use crate::helpers::{Caller, Res, TestApp};
use crate::tips::{
    civil_affairs, contains, every_stored_byte, from_phone, photo_with_gps, AGENT, FORWARDED, PEER,
};

/// A solved challenge from the API.
async fn proof(app: &TestApp) -> (String, String) {
    let c = app
        .get("/api/v1/public/tips/challenge", Caller::Anonymous)
        .await
        .json();
    let c = Challenge {
        token: c["token"].as_str().unwrap().to_owned(),
        bits: c["bits"].as_u64().unwrap() as u32,
    };
    let nonce = solve(&c);
    (c.token, nonce)
}

/// Posts the API's multipart form from a phone (user agent, proxy headers
/// and peer address all present).
async fn send(app: &TestApp, fields: &[(&str, &str)], photos: &[(&str, &str, &[u8])]) -> Res {
    let boundary = "----xunchaApiTipBoundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    for (name, mime, bytes) in photos {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"{name}\"\r\nContent-Type: {mime}\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    let req = from_phone(Method::POST, "/api/v1/public/tips")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn a_photo_sent_through_the_api_is_stored_without_its_location() {
    let app = TestApp::new().await;
    let target = civil_affairs(&app).await.to_string();
    let (token, nonce) = proof(&app).await;
    let photo = photo_with_gps();
    assert!(contains(&photo, "GPSLatitude"));
    let res = send(
        &app,
        &[
            ("target_id", &target),
            ("body", "民政局门口的救助公示栏半年没有更新，附照片。"),
            ("named", ""),
            ("pow_token", &token),
            ("pow_nonce", &nonce),
        ],
        &[("IMG_2044.jpg", "image/jpeg", &photo)],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.set_cookies().is_empty());
    let code = res.json()["receipt_code"].as_str().unwrap().to_owned();
    assert!(!code.is_empty());

    // The handlers see the photo, re-encoded and without its metadata.
    let tips = app
        .store
        .list_tips(
            &xuncha_core::store::TipFilter {
                scope: xuncha_core::policy::Scope::all(),
                status: None,
                round_id: None,
            },
            xuncha_core::registry::PageRequest::new(Some(1), Some(10)),
        )
        .await
        .unwrap();
    let tip = &tips.items[0];
    assert_eq!(tip.photos.len(), 1, "one photo kept");
    let leader = app.session_as("zuzhang").await;
    let shown = app
        .get(
            &format!("/tips/{}/photos/0", tip.id),
            Caller::Browser(&leader),
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.header("content-type"), Some("image/jpeg"));
    assert!(!contains(&shown.body, "GPSLatitude"));
    assert!(!contains(&shown.body, "CAM-998877"));

    let stored = every_stored_byte(&app);
    assert!(contains(&stored, "救助公示栏"), "the tip itself is stored");
    for canary in [AGENT, FORWARDED, PEER, "GPSLatitude", "CAM-998877"] {
        assert!(!contains(&stored, canary), "{canary} reached the disk");
    }
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused_naming_the_field() {
    let app = TestApp::new().await;
    let target = civil_affairs(&app).await.to_string();
    let (token, nonce) = proof(&app).await;
    let head = app.store.audit_head().await.unwrap();
    let res = send(
        &app,
        &[
            ("target_id", &target),
            ("body", "反映民政局临时救助审批不公开的问题，附材料。"),
            ("pow_token", &token),
            ("pow_nonce", &nonce),
        ],
        &[(
            "材料.jpg",
            "image/jpeg",
            b"%PDF-1.7 this is not a picture at all",
        )],
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    let body = res.json();
    assert_eq!(body["error"]["code"], "invalid");
    let field = &body["error"]["fields"][0];
    assert_eq!(field["field"], "photos");
    let message = field["message"].as_str().unwrap();
    assert!(
        message.contains("照片") && message.contains("材料.jpg"),
        "{message}"
    );
    assert_eq!(
        app.store.audit_head().await.unwrap(),
        head,
        "nothing stored"
    );

    // The same challenge still works once the photo is fixed (the proof is
    // checked last, so a bad photo does not spend it).
    let res = send(
        &app,
        &[
            ("target_id", &target),
            ("body", "反映民政局临时救助审批不公开的问题，附材料。"),
            ("pow_token", &token),
            ("pow_nonce", &nonce),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}
