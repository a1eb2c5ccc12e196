//! Logging in and out, sessions, CSRF, throttling, and the headers every
//! response carries.

use axum::http::StatusCode;
use xuncha_core::usecases::auth::{MAX_FAILURES, SESSION_TTL_MS};

use crate::helpers::{Caller, Session, TestApp, DEMO_PASSWORD};

#[tokio::test]
async fn the_health_check_answers_without_a_session() {
    let app = TestApp::new().await;

    let res = app.get("/healthz", Caller::Anonymous).await;

    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "ok");
}

#[tokio::test]
async fn an_anonymous_page_request_is_sent_to_the_login_page() {
    let app = TestApp::new().await;

    let res = app.get("/units", Caller::Anonymous).await;

    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/login"));
}

#[tokio::test]
async fn an_anonymous_api_request_gets_a_401_json_error() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;

    let res = app.get("/api/v1/units", Caller::Anonymous).await;
    let bad_token = app
        .get("/api/v1/units", Caller::Bearer("xc_not-a-token"))
        .await;
    app.clock.advance_ms(SESSION_TTL_MS);
    let expired = app.get("/api/v1/units", Caller::Browser(&s)).await;

    for r in [&res, &bad_token, &expired] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["error"]["code"], "unauthenticated");
        assert!(r.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn logging_in_sets_a_strict_http_only_session_cookie() {
    let app = TestApp::new().await;

    let res = app.try_login("office", DEMO_PASSWORD).await;

    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/"));
    let (token, attrs) = res.cookie("xuncha_session").expect("a session cookie");
    assert_eq!(token.len(), 64);
    assert!(attrs.contains("HttpOnly"), "{attrs}");
    assert!(attrs.contains("SameSite=Strict"), "{attrs}");
    assert!(attrs.contains("Path=/"), "{attrs}");
    assert!(!attrs.contains("Secure"), "plain HTTP in tests: {attrs}");
    let (cleared, _) = res
        .cookie("xuncha_login_csrf")
        .expect("the login cookie is cleared");
    assert_eq!(cleared, "");
    let session = Session {
        cookie: format!("xuncha_session={token}"),
        csrf: String::new(),
    };
    let home = app.get("/", Caller::Browser(&session)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.text().contains("巡察办 周敏"),
        "the page shows who is logged in"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_sixth_attempt_is_throttled() {
    let app = TestApp::new().await;

    let mut failures = Vec::new();
    for _ in 0..MAX_FAILURES {
        failures.push(app.try_login("leader", "Wrong-password-1").await);
    }
    let sixth = app.try_login("leader", DEMO_PASSWORD).await;
    let other_user = app.try_login("office", DEMO_PASSWORD).await;

    for f in &failures {
        assert_eq!(f.status, StatusCode::OK, "the login page again");
        assert!(f.text().contains("用户名或密码不正确"), "{}", f.text());
        assert!(f.cookie("xuncha_session").is_none());
        assert!(
            f.text().contains("value=\"leader\""),
            "the user name is kept"
        );
    }
    assert!(
        sixth.text().contains("登录失败次数过多"),
        "{}",
        sixth.text()
    );
    assert!(
        sixth.cookie("xuncha_session").is_none(),
        "even the right password is refused"
    );
    assert_eq!(
        other_user.status,
        StatusCode::SEE_OTHER,
        "throttling is per login name"
    );
}

#[tokio::test]
async fn an_unknown_user_gets_the_same_answer_as_a_wrong_password() {
    let app = TestApp::new().await;

    let res = app.try_login("nobody", DEMO_PASSWORD).await;

    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("用户名或密码不正确"));
    assert!(res.cookie("xuncha_session").is_none());
}

#[tokio::test]
async fn a_login_without_the_csrf_cookie_is_refused() {
    let app = TestApp::new().await;
    let page = app.get("/login", Caller::Anonymous).await;
    let field = page.csrf_field().unwrap();

    let without_cookie = app
        .post_form(
            "/login",
            &[
                ("csrf", &field),
                ("username", "office"),
                ("password", DEMO_PASSWORD),
            ],
            None,
        )
        .await;

    assert_eq!(without_cookie.status, StatusCode::OK);
    assert!(without_cookie.cookie("xuncha_session").is_none());
    assert!(
        without_cookie.text().contains("登录页已过期"),
        "{}",
        without_cookie.text()
    );
}

#[tokio::test]
async fn logout_needs_the_session_csrf_token_and_ends_the_session() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;

    let forged = app
        .post_form("/logout", &[("csrf", "forged")], Some(&s))
        .await;
    let still_in = app.get("/units", Caller::Browser(&s)).await;
    let logout = app
        .post_form("/logout", &[("csrf", &s.csrf)], Some(&s))
        .await;
    let after = app.get("/units", Caller::Browser(&s)).await;

    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.text().contains("表单已过期"));
    assert_eq!(
        still_in.status,
        StatusCode::OK,
        "a forged logout changes nothing"
    );
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert_eq!(logout.header("location"), Some("/login"));
    assert_eq!(logout.cookie("xuncha_session").map(|c| c.0), Some(""));
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the old cookie no longer works"
    );
}

#[tokio::test]
async fn a_session_expires_after_its_lifetime() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;

    let before = app.get("/", Caller::Browser(&s)).await;
    app.clock.advance_ms(SESSION_TTL_MS);
    let after = app.get("/", Caller::Browser(&s)).await;

    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.header("location"), Some("/login"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;

    let responses = [
        ("login page", app.get("/login", Caller::Anonymous).await),
        ("page", app.get("/units", Caller::Browser(&s)).await),
        ("api", app.get("/api/v1/units", Caller::Browser(&s)).await),
        ("404", app.get("/no/such/page", Caller::Browser(&s)).await),
        ("redirect", app.get("/units", Caller::Anonymous).await),
    ];

    for (what, res) in &responses {
        let csp = res.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
        assert_eq!(res.header("x-frame-options"), Some("DENY"), "{what}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
    }
    assert_eq!(responses[3].1.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::new().await;
    let here = app.session_as("zuyuan").await;
    let elsewhere = app.session_as("zuyuan").await;
    let new_password = "Neu-Passwort-2026";

    let mismatch = app
        .post_form(
            "/account/password",
            &[
                ("csrf", &here.csrf),
                ("current", DEMO_PASSWORD),
                ("new", new_password),
                ("confirm", "different"),
            ],
            Some(&here),
        )
        .await;
    let changed = app
        .post_form(
            "/account/password",
            &[
                ("csrf", &here.csrf),
                ("current", DEMO_PASSWORD),
                ("new", new_password),
                ("confirm", new_password),
            ],
            Some(&here),
        )
        .await;
    let here_after = app.get("/", Caller::Browser(&here)).await;
    let elsewhere_after = app.get("/", Caller::Browser(&elsewhere)).await;
    let old_password = app.try_login("zuyuan", DEMO_PASSWORD).await;

    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text().contains("两次输入的新密码不一致"));
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.text().contains("密码已修改"));
    assert_eq!(here_after.status, StatusCode::OK);
    assert_eq!(elsewhere_after.status, StatusCode::SEE_OTHER);
    assert!(old_password.cookie("xuncha_session").is_none());
    app.login("zuyuan", new_password).await;
}

#[tokio::test]
async fn the_login_csrf_cookie_is_cleared_on_the_path_it_was_set_on() {
    let app = TestApp::new().await;
    let page = app.get("/login", Caller::Anonymous).await;

    let res = app.try_login("office", DEMO_PASSWORD).await;

    let (_, set_attrs) = page.cookie("xuncha_login_csrf").unwrap();
    let (value, clear_attrs) = res.cookie("xuncha_login_csrf").unwrap();
    assert!(set_attrs.contains("Path=/login"), "{set_attrs}");
    assert_eq!(value, "");
    assert!(clear_attrs.contains("Max-Age=0"), "{clear_attrs}");
    assert!(
        clear_attrs.contains("Path=/login"),
        "a cookie is only removed on its own path: {clear_attrs}"
    );
}
