//! Who is calling: the session cookie (pages) or a bearer token (API), and
//! the CSRF token bound to the session.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use xuncha_core::auth::Actor;
use xuncha_core::usecases::auth as uc;

use crate::error::AppError;
use crate::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "xuncha_session";
/// The login form's double-submit cookie.
pub const LOGIN_CSRF_COOKIE: &str = "xuncha_login_csrf";

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The actor for use cases.
    pub actor: Actor,
    /// The session's CSRF token (`None` for bearer tokens, which need none).
    pub csrf: Option<String>,
    /// The raw session token (to keep it on password change).
    pub session_token: Option<String>,
}

impl Auth {
    /// Checks a submitted CSRF token against the session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        match &self.csrf {
            Some(expected) if constant_eq(expected, submitted) => Ok(()),
            None => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }
}

/// Equality that does not stop at the first differing byte.
pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The value of a cookie in the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // Inside `nest("/api/v1", …)` the URI has lost its prefix; the
        // original one tells whether to answer in JSON.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.0.path().to_owned())
            .unwrap_or_else(|| parts.uri.path().to_owned());
        let api = path.starts_with("/api/");
        let wrap = |e: AppError| if api { e.json() } else { e };
        if let Some(bearer) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            let actor = uc::token_actor(state.store.as_ref(), bearer.trim())
                .await
                .map_err(|_| wrap(AppError::Unauthenticated))?;
            return Ok(Auth {
                actor,
                csrf: None,
                session_token: None,
            });
        }
        let Some(token) = cookie(parts, SESSION_COOKIE) else {
            return Err(wrap(AppError::Unauthenticated));
        };
        match uc::session_actor(state.store.as_ref(), state.clock.as_ref(), token).await {
            Ok((actor, csrf)) => Ok(Auth {
                actor,
                csrf: Some(csrf),
                session_token: Some(token.to_owned()),
            }),
            Err(xuncha_core::CoreError::NotFound) => Err(wrap(AppError::Unauthenticated)),
            Err(e) => Err(wrap(e.into())),
        }
    }
}

/// A `Set-Cookie` value for the session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        uc::SESSION_TTL_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

/// A `Set-Cookie` value that removes a cookie set on `path`.
pub fn clear_cookie(name: &str, path: &str) -> String {
    format!("{name}=; Path={path}; HttpOnly; SameSite=Strict; Max-Age=0")
}
