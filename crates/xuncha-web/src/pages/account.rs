//! Log in, log out, change password.

use askama::Template;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use xuncha_core::i18n::t;
use xuncha_core::usecases::auth as uc;
use xuncha_core::CoreError;

use super::{form_errors, see_other, FormErrors};
use crate::auth::{
    clear_cookie, constant_eq, cookie, session_cookie, Auth, LOGIN_CSRF_COOKIE, SESSION_COOKIE,
};
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", axum::routing::post(logout))
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    username: String,
    error: String,
}

fn login_response(state: &AppState, username: &str, error: &str) -> Result<Response, AppError> {
    // Double-submit token: the form field must equal the cookie.
    let csrf = xuncha_core::auth::random_secret();
    let mut res = html(&LoginPage {
        csrf: csrf.clone(),
        username: username.to_owned(),
        error: error.to_owned(),
    })?;
    let c = format!(
        "{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict{}",
        if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    res.headers_mut().append(
        SET_COOKIE,
        c.parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?,
    );
    Ok(res)
}

async fn login_page(State(state): State<AppState>) -> Result<Response, AppError> {
    login_response(&state, "", "")
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let expected = cookie(&parts, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_eq(expected, &form.csrf) {
        return login_response(&state, &form.username, t("login.expired"));
    }
    match uc::login(
        state.store.as_ref(),
        state.clock.as_ref(),
        &state.throttle,
        &form.username,
        &form.password,
    )
    .await
    {
        Ok(session) => {
            let mut res = see_other("/");
            let h = res.headers_mut();
            let bad = |e: axum::http::header::InvalidHeaderValue| {
                AppError::Internal(anyhow::anyhow!("{e}"))
            };
            h.append(
                SET_COOKIE,
                session_cookie(&session.token, state.config.secure_cookies)
                    .parse()
                    .map_err(bad)?,
            );
            h.append(
                SET_COOKIE,
                clear_cookie(LOGIN_CSRF_COOKIE, "/login")
                    .parse()
                    .map_err(bad)?,
            );
            Ok(res)
        }
        Err(CoreError::BadCredentials) => login_response(&state, &form.username, t("login.failed")),
        Err(CoreError::Throttled) => login_response(&state, &form.username, t("login.throttled")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    if let Some(token) = &auth.session_token {
        uc::logout(state.store.as_ref(), token).await?;
    }
    let mut res = see_other("/login");
    res.headers_mut().append(
        SET_COOKIE,
        clear_cookie(SESSION_COOKIE, "/")
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?,
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    errors: FormErrors,
    saved: bool,
}

async fn password_page(auth: Auth) -> Result<Response, AppError> {
    html(&PasswordPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/account/password",
            t("password.title"),
        ),
        errors: FormErrors::default(),
        saved: false,
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let result = uc::change_password(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        &form.current,
        &form.new,
        &form.confirm,
        auth.session_token.as_deref(),
    )
    .await;
    let (errors, saved) = match result {
        Ok(()) => (FormErrors::default(), true),
        Err(e) => (form_errors(e)?, false),
    };
    let mut res = html(&PasswordPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/account/password",
            t("password.title"),
        ),
        errors,
        saved,
    })?;
    if !saved {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res.into_response())
}
